"""`kbcheck verify`: a targeted edit of the review lines, nothing else, written safely."""

from __future__ import annotations

import os
import re
import stat
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from kbcheck.cli import app
from kbcheck.config import find_config, load_config
from kbcheck.engine import LintOptions, lint
from kbcheck.verify import (
    ReviewKeys,
    VerifyError,
    read_snapshot,
    record_review,
    write_snapshot,
)

DAY = date(2026, 6, 1)


# --- the pure edit ----------------------------------------------------------------------------


def test_replaces_the_value_keeping_quotes_comment_and_everything_else() -> None:
    text = (
        "---\n"
        "title: 'Refunds'  # shown in search\n"
        'last_reviewed: "2025-01-10"   # checked with finance\n'
        "owner: [billing-team]\n"
        "---\n"
        "# Refunds\n"
    )

    assert record_review(text, DAY) == text.replace('"2025-01-10"', '"2026-06-01"')


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("last_reviewed: 2025-01-10", "last_reviewed: 2026-06-01"),
        ("last_reviewed: '2025-01-10'", "last_reviewed: '2026-06-01'"),
        ("last_reviewed:   2025-01-10 # q1", "last_reviewed:   2026-06-01 # q1"),
        ("last_reviewed: 2025-01-10T09:00:00+02:00", "last_reviewed: 2026-06-01"),
        ('"last_reviewed": 2025-01-10', '"last_reviewed": 2026-06-01'),
        ("last_reviewed:", "last_reviewed: 2026-06-01"),
        ("last_reviewed: yesterday", "last_reviewed: 2026-06-01"),
    ],
)
def test_value_styles(line: str, expected: str) -> None:
    text = f"---\ntitle: A\n{line}\n---\nBody\n"

    assert record_review(text, DAY) == f"---\ntitle: A\n{expected}\n---\nBody\n"


def test_a_value_on_the_following_lines_is_replaced_whole() -> None:
    text = "---\nlast_reviewed: >-\n  2025-01-10\n\ntitle: A\n---\n"

    assert record_review(text, DAY) == "---\nlast_reviewed: 2026-06-01\n\ntitle: A\n---\n"


def test_inserts_before_the_closing_fence_and_the_reviewer_after_the_date() -> None:
    text = "---\ntitle: A\nowner: ana\n---\nBody\n"

    result = record_review(text, DAY, by="Ana Lopez")

    assert result == (
        "---\ntitle: A\nowner: ana\nlast_reviewed: 2026-06-01\nreviewed_by: Ana Lopez\n---\nBody\n"
    )


def test_reviewer_goes_right_after_an_existing_date_or_replaces_the_old_one() -> None:
    text = "---\nlast_reviewed: 2025-01-10\ntitle: A\n---\n"
    assert record_review(text, DAY, by="li") == (
        "---\nlast_reviewed: 2026-06-01\nreviewed_by: li\ntitle: A\n---\n"
    )
    text = "---\nreviewed_by: 'ana'  # old\nlast_reviewed: 2025-01-10\n---\n"
    assert record_review(text, DAY, by="O'Brien") == (
        "---\nreviewed_by: 'O''Brien'  # old\nlast_reviewed: 2026-06-01\n---\n"
    )


def test_names_that_yaml_would_misread_are_quoted() -> None:
    result = record_review("---\ntitle: A\n---\n", DAY, by="yes")
    assert 'reviewed_by: "yes"' in result
    result = record_review("---\ntitle: A\n---\n", DAY, by="ana: the lead # x")
    assert yaml.safe_load(result.split("---\n")[1])["reviewed_by"] == "ana: the lead # x"


def test_creates_front_matter_when_there_is_none() -> None:
    assert record_review("# Title\r\nBody\r\n", DAY) == (
        "---\r\nlast_reviewed: 2026-06-01\r\n---\r\n# Title\r\nBody\r\n"
    )
    assert record_review("", DAY) == "---\nlast_reviewed: 2026-06-01\n---\n"


def test_keeps_bom_and_crlf() -> None:
    text = "\ufeff---\r\ntitle: A\r\nlast_reviewed: 2025-01-10\r\n---\r\nBody"

    result = record_review(text, DAY, by="li")

    assert result == (
        "\ufeff---\r\ntitle: A\r\nlast_reviewed: 2026-06-01\r\nreviewed_by: li\r\n---\r\nBody"
    )


def test_configured_key_names_and_date_format() -> None:
    text = "---\ntitle: SSO\nms.date: 12/17/2023\nms.author: ana\n---\n"
    keys = ReviewKeys(reviewed="ms.date", reviewer="ms.reviewer")

    result = record_review(text, DAY, "li", keys, date_formats=("%m/%d/%Y",))

    assert result == "---\ntitle: SSO\nms.date: 06/01/2026\nms.reviewer: li\nms.author: ana\n---\n"


def test_a_nested_key_of_the_same_name_is_left_alone() -> None:
    text = "---\nsource:\n  last_reviewed: 2020-01-01\n---\n"

    result = record_review(text, DAY)

    assert result == "---\nsource:\n  last_reviewed: 2020-01-01\nlast_reviewed: 2026-06-01\n---\n"


def test_duplicate_keys_are_all_set() -> None:
    text = "---\nlast_reviewed: 2020-01-01\ntitle: A\nlast_reviewed: 2021-01-01\n---\n"

    result = record_review(text, DAY)

    assert result.count("last_reviewed: 2026-06-01") == 2


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("---\ntitle: [unclosed\n---\n", "does not parse"),
        ("---\ntitle: A\n", "never closed"),
        ("---\n- a\n- b\n---\n", "not a mapping"),
        ("---\n{title: A, last_reviewed: 2025-01-01}\n---\n", "edit it by hand"),
        ("---\nlast_reviewed: &d 2025-01-01\nold: *d\n---\n", "edit it by hand"),
    ],
)
def test_refuses_front_matter_it_cannot_edit_safely(text: str, reason: str) -> None:
    with pytest.raises(VerifyError, match=reason):
        record_review(text, DAY)


def test_recording_the_same_review_twice_changes_nothing() -> None:
    once = record_review("---\ntitle: A\n---\n", DAY, by="ana")

    assert record_review(once, DAY, by="ana") == once


# --- property: only the review lines change ---------------------------------------------------

_KEY = st.from_regex(r"[a-z][a-z0-9_.-]{0,12}", fullmatch=True).filter(
    lambda key: key not in ("last_reviewed", "reviewed_by")
)
_SCALAR = st.one_of(
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.()/-]{0,20}[A-Za-z0-9)]", fullmatch=True),
    st.integers(-1000, 10**6).map(str),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=15).map(
        lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    ),
    st.just("[a, b]"),
    st.just("{x: 1}"),
    st.dates().map(lambda d: d.isoformat()),
)
_COMMENT = st.one_of(st.just(""), st.from_regex(r"  # [a-z ]{0,10}", fullmatch=True))


@st.composite
def _other_lines(draw: st.DrawFn) -> list[str]:
    kind = draw(st.sampled_from(["key", "key", "nested", "comment", "blank"]))
    if kind == "comment":
        return [draw(st.from_regex(r"# [A-Za-z :]{0,20}", fullmatch=True))]
    if kind == "blank":
        return [""]
    key = draw(_KEY)
    if kind == "nested":
        return [f"{key}:", f"  inner: {draw(_SCALAR)}", f"  - {draw(_SCALAR)}"][:2]
    return [f"{key}: {draw(_SCALAR)}{draw(_COMMENT)}"]


_REVIEW_VALUE = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f'"{d.isoformat()}"'),
    st.dates().map(lambda d: f"'{d.isoformat()}'"),
    st.just("2024-03-01T10:00:00+02:00"),
)


@st.composite
def articles(draw: st.DrawFn) -> tuple[str, set[str]]:
    """An article as text, and the front-matter keys a review may write."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    body_lines = draw(
        st.lists(st.text(st.characters(blacklist_characters="\r\n\x00"), max_size=30), max_size=6)
    )
    assume(not body_lines or not body_lines[0].rstrip(" \t").startswith("---"))
    body = newline.join(body_lines) + draw(st.sampled_from(["", newline]))
    if draw(st.integers(0, 4)) == 0:  # one article in five has no front matter yet
        return bom + body, set()
    lines: list[str] = []
    seen: set[str] = set()
    for group in draw(st.lists(_other_lines(), max_size=8)):
        key = group[0].split(":", 1)[0]
        if ":" in group[0] and not group[0].startswith("#"):
            if key in seen:
                continue
            seen.add(key)
        lines.extend(group)
    review_lines = []
    if draw(st.booleans()):
        review_lines.append(f"last_reviewed: {draw(_REVIEW_VALUE)}{draw(_COMMENT)}")
    if draw(st.booleans()):
        review_lines.append(f"reviewed_by: {draw(_SCALAR)}{draw(_COMMENT)}")
    for line in review_lines:
        lines.insert(draw(st.integers(0, len(lines))), line)
    block = "".join(line + newline for line in lines)
    try:
        loaded = yaml.safe_load(block.replace("\r\n", "\n"))
    except yaml.YAMLError:
        loaded = None
    assume(loaded is None or isinstance(loaded, dict))
    assume(not block.strip() or loaded is not None)
    return f"{bom}---{newline}{block}---{newline}{body}", {"last_reviewed", "reviewed_by"}


def _without_review_lines(text: str) -> list[str]:
    """The file's lines with the review lines, and the fences a review may create, removed."""
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text.removeprefix("\ufeff"))
    kept = []
    in_front = bool(lines) and lines[0].rstrip("\r\n") == "---"
    for index, line in enumerate(lines):
        if in_front and index > 0 and line.rstrip("\r\n") == "---":
            in_front = False
            kept.append(line)
            continue
        if in_front and line.startswith(("last_reviewed:", "reviewed_by:")):
            continue
        kept.append(line)
    return kept


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(), st.dates(max_value=date(2030, 1, 1)), st.one_of(st.none(), _SCALAR))
def test_only_the_review_lines_change(
    case: tuple[str, set[str]], reviewed: date, by: str | None
) -> None:
    text, _ = case
    reviewer = None if by is None else yaml.safe_load(f"k: {by}")["k"]
    if not isinstance(reviewer, str):
        reviewer = by

    result = record_review(text, reviewed, reviewer)

    assert result.startswith("\ufeff") == text.startswith("\ufeff")
    before, after = _without_review_lines(text), _without_review_lines(result)
    created = not text.removeprefix("\ufeff").startswith("---")
    if created:
        assert after[:2] == [after[0], after[1]] and after[0].rstrip("\r\n") == "---"
        after = after[2:]
    assert "".join(after) == "".join(before)
    front = result.removeprefix("\ufeff").replace("\r\n", "\n").split("---\n")[1]
    meta = yaml.safe_load(front)
    assert str(meta["last_reviewed"]) == reviewed.isoformat()
    if reviewer is not None:
        assert meta["reviewed_by"] == reviewer


# --- files --------------------------------------------------------------------------------------


def test_write_is_atomic_and_keeps_mode_and_symlinks(tmp_path: Path) -> None:
    target = tmp_path / "articles" / "refunds.md"
    target.parent.mkdir()
    target.write_bytes(b"---\ntitle: A\n---\nBody\n")
    os.chmod(target, 0o640)
    link = tmp_path / "link.md"
    link.symlink_to(target)

    snapshot = read_snapshot(link)
    write_snapshot(snapshot, record_review(snapshot.text, DAY))

    assert link.is_symlink()
    assert target.read_bytes() == b"---\ntitle: A\nlast_reviewed: 2026-06-01\n---\nBody\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["refunds.md"]  # no temp left


def test_refuses_when_the_file_changed_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"---\ntitle: A\n---\n")
    snapshot = read_snapshot(target)
    target.write_bytes(b"---\ntitle: B, edited by someone else\n---\n")

    with pytest.raises(VerifyError, match="changed while"):
        write_snapshot(snapshot, record_review(snapshot.text, DAY))

    assert target.read_bytes() == b"---\ntitle: B, edited by someone else\n---\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_refuses_a_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"Body\n")
    path.chmod(0o444)

    with pytest.raises(VerifyError, match="read-only"):
        read_snapshot(path)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("logo.png", b"\x89PNG", "not a Markdown article"),
        ("a.md", b"\x00\x01binary", "binary file"),
        ("a.md", b"caf\xe9\n", "not valid UTF-8"),
    ],
)
def test_refuses_files_that_are_not_articles(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(VerifyError, match=reason):
        read_snapshot(path)


# --- the command --------------------------------------------------------------------------------


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, ["verify", *args], env={"KBCHECK_TODAY": "", **(env or {})})


def test_command_records_a_review_that_check_then_accepts(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "kbcheck.toml").write_text('today = "2026-06-01"\n[age]\nsource = "frontmatter"\n')
    article = kb / "refunds.md"
    article.write_text("---\ntitle: Refunds\nowner: billing\nlast_reviewed: 2024-01-01\n---\n")
    config = load_config(find_config(kb))
    assert [f.rule for f in lint([kb], config, LintOptions()).report.findings] == ["age/stale"]

    result = invoke(str(article), "--by", "ana@example.com")

    assert result.exit_code == 0, result.output
    assert "review recorded" in result.stdout
    assert article.read_text() == (
        "---\ntitle: Refunds\nowner: billing\nlast_reviewed: 2026-06-01\n"
        "reviewed_by: ana@example.com\n---\n"
    )
    assert lint([kb], config, LintOptions()).report.findings == ()


def test_date_defaults_to_today_option_and_env(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text("Body\n")

    assert invoke(str(article), env={"KBCHECK_TODAY": "2026-02-03"}).exit_code == 0
    assert "last_reviewed: 2026-02-03" in article.read_text()
    assert invoke(str(article), "--today", "2026-03-04").exit_code == 0
    assert "last_reviewed: 2026-03-04" in article.read_text()
    assert invoke(str(article), "--today", "2026-03-04", "--date", "2026-01-02").exit_code == 0
    assert "last_reviewed: 2026-01-02" in article.read_text()


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_bytes(b"---\ntitle: A\nlast_reviewed: 2024-01-01\n---\n")

    result = invoke(str(article), "--dry-run", "--date", "2026-05-05")

    assert result.exit_code == 0
    assert "-last_reviewed: 2024-01-01" in result.stdout
    assert "+last_reviewed: 2026-05-05" in result.stdout
    assert article.read_bytes() == b"---\ntitle: A\nlast_reviewed: 2024-01-01\n---\n"


def test_command_refuses_with_one_line_and_leaves_files_untouched(tmp_path: Path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_bytes(b"---\ntitle: [oops\n---\nBody\n")
    good = tmp_path / "good.md"
    good.write_bytes(b"Body\n")
    (tmp_path / "folder").mkdir()

    result = invoke(str(broken), str(tmp_path / "folder"), str(good), "--date", "2026-01-01")

    assert result.exit_code == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"kbcheck: error: {broken}: front matter does not parse")
    assert "is a folder" in errors[1]
    assert "Traceback" not in result.output
    assert broken.read_bytes() == b"---\ntitle: [oops\n---\nBody\n"
    assert good.read_bytes() == b"---\nlast_reviewed: 2026-01-01\n---\nBody\n"


def test_command_uses_configured_key_names(tmp_path: Path) -> None:
    (tmp_path / "kbcheck.toml").write_text(
        'date_formats = ["%m/%d/%Y"]\n'
        '[keys]\nlast_reviewed = "ms.date"\nreviewed_by = "ms.reviewer"\n'
    )
    article = tmp_path / "sso.md"
    article.write_text("---\ntitle: SSO\nms.date: 12/17/2023\n---\n")

    result = invoke(str(article), "--date", "2026-05-04", "--by", "li")

    assert result.exit_code == 0, result.output
    assert article.read_text() == "---\ntitle: SSO\nms.date: 05/04/2026\nms.reviewer: li\n---\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-13-01"], "--date: '2026-13-01' is not a date"),
        (["--date", "2027-01-01", "--today", "2026-06-01"], "is after today"),
        (["--by", " "], "--by: give a name"),
    ],
)
def test_command_rejects_bad_options(tmp_path: Path, args: list[str], message: str) -> None:
    article = tmp_path / "a.md"
    article.write_text("Body\n")

    result = invoke(str(article), *args)

    assert result.exit_code == 2
    assert message in result.stderr
    assert article.read_text() == "Body\n"


# --- who, when and where: the smaller guards of `verify` ---------------------------------------

EARLIER = "---\ntitle: Plans\nlast_reviewed: 2026-05-01\nreviewed_by: bob@example.com\n---\n"


def test_without_by_an_earlier_reviewer_is_replaced_by_the_git_identity(tmp_path: Path) -> None:
    from tests.git_repo import GitRepo, run_git

    repo = GitRepo(tmp_path / "kb")
    run_git(repo.path, "config", "user.email", "li@example.com")
    article = repo.path / "plans.md"
    article.write_text(EARLIER)
    plain = repo.path / "refunds.md"  # names no reviewer: none is added
    plain.write_text("---\ntitle: Refunds\nlast_reviewed: 2026-01-01\n---\n")

    result = invoke(str(article), str(plain), "--date", "2026-05-20")

    assert result.exit_code == 0, result.output
    assert "reviewed_by: li@example.com\n" in article.read_text()
    assert "bob" not in article.read_text()
    assert plain.read_text() == "---\ntitle: Refunds\nlast_reviewed: 2026-05-20\n---\n"


def test_without_by_or_git_identity_the_earlier_reviewer_is_kept_with_a_warning(
    tmp_path: Path,
) -> None:
    article = tmp_path / "plans.md"
    article.write_text(EARLIER)
    lonely = {"HOME": str(tmp_path), "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}

    result = invoke(str(article), "--date", "2026-05-20", env=lonely)

    assert result.exit_code == 0, result.output
    assert "keeps reviewed_by: bob@example.com from the earlier review" in result.stderr
    assert "--by NAME" in result.stderr


def test_moving_a_review_back_is_warned(tmp_path: Path) -> None:
    article = tmp_path / "plans.md"
    article.write_text(EARLIER)
    result = invoke(str(article), "--date", "2024-05-01", "--by", "li")
    assert result.exit_code == 0
    assert "moves the review back from 2026-05-01 to 2024-05-01" in result.stderr
    forward = invoke(str(article), "--date", "2026-05-20", "--by", "li")
    assert "moves the review back" not in forward.stderr


def test_a_file_outside_the_knowledge_base_is_refused(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "kbcheck.toml").write_text("")
    inside = kb / "plans.md"
    inside.write_text(EARLIER)
    outside = tmp_path / "notes.md"
    outside.write_text("# Notes\n")

    result = invoke(str(inside), str(outside), "--by", "li", "--date", "2026-05-20")

    assert result.exit_code == 2
    assert f"{outside}: outside the knowledge base at {kb}" in result.stderr
    assert outside.read_text() == "# Notes\n"
    assert "last_reviewed: 2026-05-20" in inside.read_text()
