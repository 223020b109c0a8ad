"""Ownership rules: every article needs a living, known owner who will re-verify it.

They read the owners the engine resolved once per article (front matter, else CODEOWNERS, else
a `[[policy]]` owner; see kbcheck/owners.py), so the rules and every report agree on who owns
what and where that came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from kbcheck.dates import add_interval, describe_interval, parse_interval
from kbcheck.model import Article, Finding, Interval, Severity
from kbcheck.owners import (
    FRONTMATTER,
    ActivityCheck,
    OwnerDirectory,
    Ownership,
    activity_check,
    is_role,
    unique,
)
from kbcheck.registry import ArticleRule, Option, RuleContext

if TYPE_CHECKING:
    from kbcheck.history import History


def _owner_line(article: Article, ownership: Ownership) -> int:
    """The `owner` key's line for front-matter owners; the top of the file otherwise."""
    return article.key_line("owner") if ownership.source == FRONTMATTER else 1


def _from(ownership: Ownership) -> str:
    return f" (from {ownership.origin})" if ownership.origin else ""


class MissingOwner(ArticleRule):
    """The article has no owner.

    Why it matters:
        Review reminders, stale reports and customer feedback all need somewhere to go. An
        article that belongs to nobody is never re-verified, however wrong it becomes.

        An article's owner is its front-matter `owner`; without one, the owners the
        repository's CODEOWNERS gives its path; without those, the `owner` of the first
        matching `[[policy]]`.

    Example:
        ---
        title: Connecting your bank account
        last_reviewed: 2026-05-02
        ---
        # Connecting your bank account

    Fix:
        Add `owner: team-or-person` (or a list) to the front matter, or give the folder an
        owner in CODEOWNERS or in a `[[policy]]`. Prefer a team over a person, so the page
        survives people changing jobs.
    """

    id = "owner/missing"
    severity = Severity.WARNING

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        ownership = ctx.corpus.ownership_of(article.path)
        if ownership.owners or not article.readable or not article.frontmatter_ok:
            return
        key = article.key_names.get("owner") or ctx.config.keys.get("owner", "owner")
        empty = _is_empty(article.meta.get(key))
        if article.key_lines.get("owner") and not empty:
            return  # present but invalid: reported by frontmatter/invalid
        unowned = f"; {ownership.origin} assigns nobody" if ownership.origin else ""
        state = "is empty" if article.key_lines.get("owner") else "is missing"
        yield ctx.report(
            article,
            f"no owner ('{key}' {state}{unowned})",
            line=1,
            hint=f"add '{key}: <team or person>' to the front matter",
        )


class UnknownOwner(ArticleRule):
    """The owner is not among the known owners, or has left.

    Why it matters:
        A misspelt team (`biling-team`) or someone who left the company looks like an owner,
        so `owner/missing` stays quiet, yet no review reminder ever reaches anybody. Checking
        owners against a list catches both.

        The known owners are everything the configuration lists: `owners = [...]`, the people
        and teams in `owners_file` (a CODEOWNERS, YAML or CSV file), `[[people]]` and
        `[[teams]]`. Matching ignores letter case and a leading `@`, and knows every name,
        e-mail and handle of a person or team. Without any of these settings the rule is
        silent: there is nothing to check against.

    Example:
        ==> kbcheck.toml <==
        owners = ["billing-team", "ana@example.com"]
        ==> billing/refunds.md <==
        ---
        title: Refund policy
        owner: biling-team
        last_reviewed: 2026-05-02
        ---
        # Refund policy

    Fix:
        Correct the spelling, or hand the article to a current owner. If the owner is right,
        add them to the owners list (or to `[[people]]` / `[[teams]]` with the spelling used
        here as a `name`, `email` or `handle`).
    """

    id = "owner/unknown"
    severity = Severity.WARNING

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        directory = ctx.corpus.owner_directory
        if directory is None or not directory.configured:
            return
        ownership = ctx.corpus.ownership_of(article.path)
        line = _owner_line(article, ownership)
        for owner in unique(ownership.owners):
            if is_role(owner):
                continue
            identity = directory.find(owner)
            if identity is None:
                closest = directory.closest(owner)
                hint = (
                    f"did you mean '{closest}'?"
                    if closest
                    else "correct the name, or add it to the known owners (owners, "
                    "owners_file, [[people]] or [[teams]])"
                )
                yield ctx.report(
                    article,
                    f"owner '{owner}'{_from(ownership)} is not a known owner",
                    line=line,
                    hint=hint,
                )
            elif identity.left:
                where = ", ".join(identity.declared)
                teams = [team for team in identity.teams if not _has_left(directory, team)]
                hint = "hand the article to a current owner"
                if teams:
                    hint += f", such as their team '{teams[0]}'"
                yield ctx.report(
                    article,
                    f"owner '{owner}'{_from(ownership)} has left"
                    + (f" (status: left in {where})" if where else ""),
                    line=line,
                    hint=hint,
                )


def _has_left(directory: OwnerDirectory, owner: str) -> bool:
    identity = directory.find(owner)
    return identity is not None and identity.left


class InactiveOwner(ArticleRule):
    """The owner has made no commit in the knowledge base for a long time.

    Why it matters:
        Owners move on without anyone editing the front matter. An owner who has not touched
        the knowledge base for a year is probably no longer looking after the article, and
        its review reminders go unanswered.

        Activity is read from git (one `git log` pass for the whole knowledge base, the same
        index the age rules use): a person's latest commit that changed something in the
        knowledge base, by author e-mail or name, with `.mailmap` applied. A team is inactive
        when none of its members (from `teams` in `[[people]]` or `members` in `[[teams]]`)
        has committed for the period. Owners git cannot know are not judged: a bare name or
        handle not tied to an e-mail in `[[people]]`, a team without listed members, a GitLab
        role. Someone marked `status = "left"` is reported by owner/unknown instead. Outside
        a git repository, or in a shallow clone (whose history is cut short), the rule is
        silent.

    Example:
        ==> kbcheck.toml <==
        today = "2026-06-01"
        ==> git log <==
        2026-05-20 Li Wei <li.wei@example.com>
        2024-11-02 Ana Lopez <ana@example.com>
        ==> billing/refunds.md <==
        ---
        title: Refund policy
        owner: ana@example.com
        last_reviewed: 2026-05-02
        ---
        # Refund policy

    Fix:
        Check that the owner still looks after the article, and hand it over if not. If they
        commit under another e-mail or name, tie their spellings together in `[[people]]`
        (`name`, `email` = [...], `handle`).

    Options:
        after: how long without a commit makes an owner inactive (default `365d`; `d`, `w`,
        `m` or `y`), e.g. `[rules."owner/inactive"] after = "180d"`.
    """

    id = "owner/inactive"
    severity = Severity.INFO
    options = (
        Option(
            "after",
            Interval(365, "d"),
            "how long without a commit makes an owner inactive",
            parse_interval,
        ),
    )

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        directory = ctx.corpus.owner_directory or OwnerDirectory()
        ownership = ctx.corpus.ownership_of(article.path)
        checks = [
            check
            for owner in unique(ownership.owners)
            if (check := _activity_check(owner, directory, ctx)) is not None
        ]
        if not checks:
            return  # nobody git could judge: do not read the history at all
        history = ctx.corpus.history
        if not history.in_repository or history.shallow:
            return
        after: Interval = ctx.options["after"]
        for check in checks:
            last = _last_commit(check, history, ctx)
            if last is not None and add_interval(last, after) >= ctx.today:
                continue
            yield ctx.report(
                article,
                _inactive_message(check, last, after) + _from(ownership),
                line=_owner_line(article, ownership),
                hint=_inactive_hint(check),
            )


def _activity_check(
    owner: str, directory: OwnerDirectory, ctx: RuleContext
) -> ActivityCheck | None:
    """Whom git can judge for `owner`, once per run and spelling (many articles share one)."""
    return ctx.corpus.shared(
        ("owner.activity-check", owner), lambda: activity_check(owner, directory)
    )


def _last_commit(check: ActivityCheck, history: History, ctx: RuleContext) -> date | None:
    key = ("owner.last-commit", check)
    return ctx.corpus.shared(key, lambda: check.last_commit(history))


def _inactive_hint(check: ActivityCheck) -> str:
    if check.kind == "team":
        return (
            f"confirm that '{check.owner}' still looks after this article, or hand it over; "
            "if members are missing, add them (teams in [[people]], members in [[teams]])"
        )
    return (
        f"confirm that '{check.owner}' still looks after this article, or hand it over; if "
        "they commit under another e-mail or name, add it to their [[people]] entry"
    )


def _inactive_message(check: ActivityCheck, last: date | None, after: Interval) -> str:
    period = describe_interval(after)
    if check.kind == "team":
        who = f"no member of team '{check.owner}' ({', '.join(check.members)})"
        if last is None:
            return f"{who} has ever committed to the knowledge base"
        return (
            f"{who} has committed to the knowledge base since {last.isoformat()} "
            f"(more than {period})"
        )
    if last is None:
        return f"owner '{check.owner}' has never committed to the knowledge base"
    return (
        f"owner '{check.owner}' has not committed to the knowledge base since "
        f"{last.isoformat()} (more than {period})"
    )


RULES = [MissingOwner, UnknownOwner, InactiveOwner]


def _is_empty(value: object) -> bool:
    """`owner:`, `owner: ""` or `owner: []`: the key is there but names nobody."""
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(_is_empty(item) for item in value)
    return value is None
