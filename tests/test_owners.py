"""The owners directory (who is known, by which spellings), owners files, where each article's
owners come from, and owner/inactive on real git repositories."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kbcheck.config import Config, ConfigError, OwnerEntry, load_config
from kbcheck.engine import LintOptions, lint
from kbcheck.formats import RenderOptions, render
from kbcheck.owners import OwnerDirectory, load_directory
from tests.conftest import write_tree
from tests.git_repo import GitRepo, run_git

TODAY = date(2026, 6, 1)


def article(owner: str | None, title: str = "Article") -> str:
    owner_line = f"owner: {owner}\n" if owner is not None else ""
    return f"---\ntitle: {title}\n{owner_line}last_reviewed: 2026-05-01\n---\n# {title}\n"


def findings(root: Path, config: Config | None = None, **options: object) -> list[str]:
    config = config or load_config(root / "kbcheck.toml")
    result = lint([root], config, LintOptions(today=TODAY, **options))  # type: ignore[arg-type]
    return [f"{f.path}:{f.rule}: {f.message}" for f in result.report.findings]


# --- the directory ---------------------------------------------------------------------------


def test_one_person_is_known_by_every_spelling() -> None:
    directory = OwnerDirectory(
        [
            OwnerEntry("person", "Ana Lopez", ("ana@example.com",), ("@ana",), ("billing-team",)),
            OwnerEntry("team", "support-team", handles=("@acme/support",)),
            OwnerEntry("any", name="platform-team"),
        ],
        configured=True,
    )
    ana = directory.find("ana@example.com")
    assert ana is not None and ana.kind == "person"
    for spelling in ("ANA@Example.com", "@ana", "ana", "ana lopez", "Ana Lopez"):
        assert directory.find(spelling) is ana, spelling
    team = directory.find("billing-team")  # known because Ana is in it
    assert team is not None and team.kind == "team"
    assert directory.members(team) == [ana]
    assert directory.find("@billing-team") is team
    assert directory.find("@acme/billing-team") is team  # an org handle for a bare team name
    assert directory.find("support-team") is directory.find("@acme/support")  # a handle's slug
    assert directory.find("@ACME/Support") is directory.find("support-team")
    assert directory.find("biling-team") is None
    assert directory.closest("biling-team") == "billing-team"
    assert directory.closest("@acme/suport") == "@acme/support"
    assert directory.canonical("@ana") == "Ana Lopez"
    assert directory.same("ana@example.com", "@ana")
    assert not directory.same("ana@example.com", "billing-team")


def test_a_slug_shared_by_two_organisations_is_not_guessed() -> None:
    directory = OwnerDirectory(
        [
            OwnerEntry("team", handles=("@acme/docs",)),
            OwnerEntry("team", handles=("@partner/docs",)),
        ],
        configured=True,
    )
    assert directory.find("docs") is None
    assert directory.find("@acme/docs") is not directory.find("@partner/docs")


def test_another_address_on_the_same_domain_is_not_suggested() -> None:
    directory = OwnerDirectory([OwnerEntry("person", emails=("ana@example.com",))], configured=True)
    assert directory.closest("bo@example.com") is None
    assert directory.closest("ana@exmaple.com") == "ana@example.com"


def test_entries_for_one_person_from_several_sources_merge(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "people.csv": "name;email;status;team\nAna Lopez;ana@example.com;Left;billing\n",
            "kbcheck.toml": 'owners_file = "people.csv"\n'
            '[[people]]\nemail = "ana@example.com"\nhandle = "@ana"\n',
        },
    )
    directory, notices = load_directory(load_config(tmp_path / "kbcheck.toml"))
    ana = directory.find("@ana")
    assert ana is not None and ana.left and ana.name == "Ana Lopez"
    assert ana.declared == ["kbcheck.toml [[people]]", "people.csv line 2"]
    assert directory.find("billing") is not None and not notices


def test_owners_file_can_be_a_codeowners_file(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "kbcheck.toml": 'owners_file = ".github/CODEOWNERS"\n',
            ".github/CODEOWNERS": "* @acme/docs\n/billing/ @acme/billing ana@example.com\n"
            "/config/ @@maintainer\n",
        },
    )
    directory, _ = load_directory(load_config(tmp_path / "kbcheck.toml"))
    assert directory.configured
    assert [identity.display for identity in directory.identities] == [
        "@acme/docs",
        "@acme/billing",
        "ana@example.com",
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"kbcheck.toml": '[[people]]\nname = "Ana"\nemial = "ana@example.com"\n'},
            "'people[0].emial' is not a known setting (did you mean 'email'?)",
        ),
        (
            {"kbcheck.toml": '[[people]]\nemail = "ana.example.com"\n'},
            "'people[0].email' is invalid: 'ana.example.com' is not an e-mail address",
        ),
        (
            {"kbcheck.toml": '[[teams]]\nname = "docs"\nstatus = "gone"\n'},
            "'teams[0].status' is invalid: 'gone' is not one of active, left",
        ),
        (
            {"kbcheck.toml": '[[teams]]\nstatus = "left"\n'},
            "'teams[0]' needs a name, an email or a handle",
        ),
        ({"kbcheck.toml": 'people = "ana"\n'}, "'people' must be an array of tables"),
        (
            {"kbcheck.toml": 'owners_file = "team.yaml"\n'},
            "team.yaml: owners file not found (owners_file)",
        ),
        (
            {
                "kbcheck.toml": 'owners_file = "team.yaml"\n',
                "team.yaml": "peple:\n  - name: Ana\n",
            },
            "team.yaml: 'peple' is not a known section (did you mean 'people'?)",
        ),
        (
            {
                "kbcheck.toml": 'owners_file = "team.yaml"\n',
                "team.yaml": "people:\n  - name: Ana\n    team: [billing]\n",
            },
            "team.yaml: 'people[0].team' is not a known setting (did you mean 'teams'?)",
        ),
        (
            {
                "kbcheck.toml": 'owners_file = "team.yaml"\n',
                "team.yaml": "people:\n  - name: Ana\n   email: [\n",
            },
            "team.yaml: line 3 not valid YAML",
        ),
        (
            {"kbcheck.toml": 'owners_file = "team.csv"\n', "team.csv": "who,where\nAna,Oslo\n"},
            "team.csv: line 1: needs a 'name', 'email' or 'handle' column",
        ),
        (
            {
                "kbcheck.toml": 'owners_file = "team.csv"\n',
                "team.csv": "name,status\nAna,active\nBo,gone\n",
            },
            "team.csv: 'line 3: status' is invalid: 'gone' is not one of active, left",
        ),
    ],
)
def test_bad_owner_settings_are_one_line_errors_naming_the_file(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    write_tree(tmp_path, files)
    with pytest.raises(ConfigError) as raised:
        load_directory(load_config(tmp_path / "kbcheck.toml"))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


# --- resolution and reports ------------------------------------------------------------------


def test_json_says_where_each_articles_owners_came_from(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": '[[policy]]\npaths = ["legal/**"]\nowner = "legal-team"\n',
            "CODEOWNERS": "/billing/ @acme/billing\n/legal/drafts/\n",
            "billing/own.md": article("ana@example.com"),
            "billing/refunds.md": article(None),
            "legal/terms.md": article(None),
            "legal/drafts/new.md": article(None),
            "index.md": article(None),
        },
    )
    result = lint([root], load_config(root / "kbcheck.toml"), LintOptions(today=TODAY))
    data = json.loads(render(result.report, "json", RenderOptions()))
    sources = {a["path"]: (a["owners"], a["owner_source"]) for a in data["articles"]}
    assert sources == {
        "billing/own.md": (["ana@example.com"], "frontmatter"),
        "billing/refunds.md": (["@acme/billing"], "codeowners"),
        "index.md": ([], "none"),
        "legal/drafts/new.md": (["legal-team"], "policy"),  # CODEOWNERS names nobody here
        "legal/terms.md": (["legal-team"], "policy"),
    }
    keys = list(data["articles"][0])
    assert keys == [
        "path",
        "title",
        "owners",
        "owner_source",
        "owner_key",
        "last_reviewed",
        "review_source",
        "review_key",
        "risk",
    ]


def test_unknown_owner_from_codeowners_or_policy_names_its_origin(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": 'owners = ["billing-team"]\n'
            '[[policy]]\npaths = ["legal/**"]\nowner = "legl-team"\n',
            ".github/CODEOWNERS": "/billing/ @acme/biling\n",
            "billing/refunds.md": article(None),
            "legal/terms.md": article(None),
        },
    )
    assert findings(root) == [
        "billing/refunds.md:owner/unknown: owner '@acme/biling' (from .github/CODEOWNERS "
        "line 1) is not a known owner",
        "legal/terms.md:owner/unknown: owner 'legl-team' (from policy legal/**) is not a "
        "known owner",
    ]


# --- owner/inactive on real repositories -----------------------------------------------------


def _inactive(root: Path, config: Config | None = None) -> list[str]:
    config = config or Config(age_source="frontmatter")
    return [
        line
        for line in findings(root, config, select=("owner/inactive",))
        if ":owner/inactive:" in line
    ]


def test_inactive_fires_for_an_old_last_commit_and_not_for_a_recent_one(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.commit(
        date(2025, 3, 1),
        {"old.md": article("ana@example.com"), "recent.md": article("li@example.com")},
        author="Ana Lopez",
        email="ana@example.com",
    )
    repo.commit(
        date(2026, 5, 20),
        {"recent.md": article("LI@example.com")},
        author="Li Wei",
        email="li@example.com",
    )

    assert _inactive(repo.path) == [
        "old.md:owner/inactive: owner 'ana@example.com' has not committed to the knowledge "
        "base since 2025-03-01 (more than 365 days)",
    ]
    # A longer period forgives Ana; a shorter one catches Li too.
    (repo.path / "kbcheck.toml").write_text('[rules."owner/inactive"]\nafter = "2y"\n')
    assert _inactive(repo.path, load_config(repo.path / "kbcheck.toml")) == []
    (repo.path / "kbcheck.toml").write_text('[rules."owner/inactive"]\nafter = "7d"\n')
    assert [
        line.split(":")[0] for line in _inactive(repo.path, load_config(repo.path / "kbcheck.toml"))
    ] == [
        "old.md",
        "recent.md",
    ]


def test_activity_counts_only_commits_inside_the_knowledge_base(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.commit(date(2024, 1, 1), {"docs/kb/a.md": article("ana@example.com")})
    repo.commit(date(2026, 5, 1), {"src/app.py": "print()\n"})  # Ana, outside the KB
    assert [line.split(":")[0] for line in _inactive(repo.path / "docs" / "kb")] == ["a.md"]
    assert _inactive(repo.path) == []  # the whole repository as the knowledge base


def test_identities_tie_names_emails_handles_and_teams_together(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.write(
        {
            "kbcheck.toml": '[[people]]\nname = "Ana Lopez"\nemail = ["ana@example.com", '
            '"ana@personal.example"]\nhandle = "@ana"\nteams = ["billing-team"]\n'
            '[[people]]\nname = "Bo Berg"\nteams = ["billing-team", "support-team"]\n'
            '[[people]]\nemail = "cy@example.com"\nstatus = "left"\nteams = ["legal-team"]\n'
            '[[teams]]\nname = "docs-team"\n',
            "handle.md": article('"@ana"'),
            "billing.md": article("billing-team"),
            "support.md": article("support-team"),
            "legal.md": article("legal-team"),
            "docs.md": article("docs-team"),
            "gone.md": article("cy@example.com"),
        }
    )
    repo.commit(date(2024, 2, 1), author="Bo Berg", email="bo@example.com")
    repo.commit(
        date(2026, 4, 1), {"activity.txt": "x"}, author="Ana L.", email="ana@personal.example"
    )

    assert _inactive(repo.path, load_config(repo.path / "kbcheck.toml")) == [
        # Bo (the only member) last committed in 2024; Ana's personal address counts for her,
        # so billing-team is active. The team whose only member left has nobody active.
        "legal.md:owner/inactive: no member of team 'legal-team' (cy@example.com) has ever "
        "committed to the knowledge base",
        "support.md:owner/inactive: no member of team 'support-team' (Bo Berg) has committed "
        "to the knowledge base since 2024-02-01 (more than 365 days)",
    ]


def test_inactive_is_silent_outside_a_repository_and_in_a_shallow_clone(tmp_path: Path) -> None:
    plain = write_tree(tmp_path / "plain", {"a.md": article("ana@example.com")})
    assert _inactive(plain) == []

    repo = GitRepo(tmp_path / "origin")
    repo.commit(date(2024, 1, 1), {"a.md": article("ana@example.com")})
    repo.commit(date(2026, 5, 1), {"b.md": article("li@example.com")}, email="li@example.com")
    assert len(_inactive(repo.path)) == 1
    clone = repo.shallow_clone(tmp_path / "clone")
    assert _inactive(clone) == []  # Ana's commit is beyond the fetched history


def test_git_is_not_read_when_no_owner_can_be_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.commit(date(2024, 1, 1), {"a.md": article("support-team")})
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    assert _inactive(repo.path) == []
    assert not trace.exists() or "git log" not in trace.read_text()

    (repo.path / "a.md").write_text(article("ana@example.com"))
    run_git(repo.path, "add", "-A")
    assert len(_inactive(repo.path)) == 1
    assert "git log" in trace.read_text()  # one pass, now that Ana can be judged
