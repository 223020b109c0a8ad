"""Deterministic generator of realistic knowledge bases for benchmarks.

`python benchmarks/generate_kb.py OUT --articles 10000 [--git --commits 30000]` writes a help
center with folders, front matter (some stale, some missing), headings, steps, tables, images,
cross-links with anchors (about 2% broken) and, with `--git`, a history spread over years made
with one `git fast-import` stream (tens of thousands of commits in seconds).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

FOLDERS = (
    "getting-started",
    "account",
    "billing",
    "integrations",
    "security",
    "troubleshooting",
    "reports",
    "mobile",
    "api",
    "admin",
)
OWNERS = ("billing-team", "support-team", "platform-team", "security-team", "docs-team")
AUTHORS = (
    ("Ana Souza", "ana@example.com"),
    ("Li Wei", "li.wei@example.com"),
    ("Sam Okafor", "sam@example.com"),
    ("Mia Berg", "mia@example.com"),
)
WORDS = [
    "invoice",
    "customer",
    "payment",
    "account",
    "report",
    "export",
    "settings",
    "dashboard",
    "team",
    "member",
    "role",
    "plan",
    "upgrade",
    "receipt",
    "tax",
    "currency",
    "integration",
    "webhook",
    "token",
    "password",
    "security",
    "login",
    "device",
    "notification",
    "email",
    "template",
    "reminder",
    "schedule",
    "filter",
    "search",
    "archive",
    "balance",
]
TODAY = date(2026, 11, 22)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _sentence(rng: random.Random, words: int = 12) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def article_path(index: int) -> str:
    """The first 10,000 articles sit in ten top-level folders; beyond that, in sub-folders of
    a hundred each, as a large help center is organised (and as git can store: a folder of
    ten thousand files makes every commit rewrite a huge tree)."""
    folder = FOLDERS[index % len(FOLDERS)]
    if index < 10_000:
        return f"{folder}/topic-{index:06d}.md"
    return f"{folder}/part-{index // 1000:03d}/topic-{index:06d}.md"


def heading(index: int, section: int) -> str:
    return f"Section {section} of topic {index}"


def anchor(index: int, section: int) -> str:
    return f"section-{section}-of-topic-{index}"


def render_article(index: int, count: int, rng: random.Random) -> str:
    path = article_path(index)
    depth = path.count("/")
    up = "../" * depth
    lines = ["---", f'title: "Topic {index}: {rng.choice(WORDS)} {rng.choice(WORDS)}"']
    if rng.random() > 0.03:
        lines.append(f"owner: {rng.choice(OWNERS)}")
    if rng.random() > 0.05:
        reviewed = TODAY - timedelta(days=rng.randint(1, 900))
        lines.append(f"last_reviewed: {reviewed.isoformat()}")
    if rng.random() < 0.1:
        lines.append(f"review_every: {rng.choice(['90d', '6m', '1y'])}")
    lines += ["---", f"# Topic {index}", "", _sentence(rng, 20), ""]
    sections = rng.randint(3, 6)
    for section in range(1, sections + 1):
        lines += [f"## {heading(index, section)}", "", _sentence(rng, 25)]
        target = rng.randrange(count)
        target_path = article_path(target)
        target_section = rng.randint(1, 3)
        fragment = anchor(target, target_section)
        roll = rng.random()
        if roll < 0.01:
            target_path = target_path.replace("topic-", "topik-")  # broken file
        elif roll < 0.02:
            fragment += "-old"  # broken anchor
        lines += [
            "",
            f"See [{rng.choice(WORDS)} details]({up}{target_path}#{fragment}) and "
            f"[above](#{anchor(index, 1)}).",
            "",
            f"1. Open **{rng.choice(WORDS).title()}**.",
            f"2. Choose `{rng.choice(WORDS)}` and save.",
            f"3. {_sentence(rng, 8)}",
            "",
        ]
        if section == 2:
            lines += [
                "| Plan | Limit |",
                "|------|------:|",
                f"| Starter | {rng.randint(1, 9)} users |",
                f"| Business | {rng.randint(10, 99)} users |",
                "",
                f"![{rng.choice(WORDS)}]({up}images/screen-{index % 50:02d}.png)",
                "",
            ]
        if section == 3:
            lines += ["```json", '{"url": "[not a link](x.md)"}', "```", ""]
    return "\n".join(lines) + "\n"


def write_kb(out: Path, count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "images").mkdir(exist_ok=True)
    for number in range(50):
        (out / "images" / f"screen-{number:02d}.png").write_bytes(PNG)
    paths = []
    for index in range(count):
        path = out / article_path(index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_article(index, count, rng), encoding="utf-8")
        paths.append(article_path(index))
    (out / "kbcheck.toml").write_text(
        'today = "2026-11-22"\n\n[[policy]]\npaths = ["billing/**", "security/**"]\n'
        'review_every = "90d"\n',
        encoding="utf-8",
    )
    return paths


def write_history(out: Path, paths: list[str], commits: int, seed: int = 11) -> None:
    """Commit the tree, then `commits` small edits spread over four years, in one
    `git fast-import` stream: creating them one `git commit` at a time would take hours."""
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    start = datetime(2022, 11, 1, tzinfo=timezone.utc)
    span = (datetime(2026, 11, 20, tzinfo=timezone.utc) - start).total_seconds()
    stamps = sorted(start.timestamp() + rng.random() * span for _ in range(commits))
    chunks: list[bytes] = []

    def data(payload: bytes) -> None:
        chunks.append(b"data %d\n" % len(payload))
        chunks.append(payload + b"\n")

    files = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and ".git" not in p.parts
    )
    name, email = AUTHORS[0]
    chunks.append(b"commit refs/heads/main\n")
    chunks.append(f"committer {name} <{email}> {int(start.timestamp())} +0000\n".encode())
    data(b"Initial import")
    for relative in files:
        content = (out / relative).read_bytes()
        chunks.append(f"M 100644 inline {relative}\n".encode())
        data(content)
    for number, stamp in enumerate(stamps, 1):
        name, email = rng.choice(AUTHORS)
        relative = rng.choice(paths)
        content = (out / relative).read_bytes() + f"<!-- edit {number} -->\n".encode()
        (out / relative).write_bytes(content)
        chunks.append(b"commit refs/heads/main\n")
        chunks.append(f"committer {name} <{email}> {int(stamp)} +0000\n".encode())
        data(f"Update {relative}".encode())
        chunks.append(f"M 100644 inline {relative}\n".encode())
        data(content)
    subprocess.run(
        ["git", "-C", str(out), "fast-import", "--quiet"], input=b"".join(chunks), check=True
    )
    subprocess.run(["git", "-C", str(out), "checkout", "-q", "-f", "main"], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--git", action="store_true", help="also create a git history")
    parser.add_argument("--commits", type=int, default=0, help="edits in the history")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"{args.out}: not empty; refusing to write into it", file=sys.stderr)
        return 2
    paths = write_kb(args.out, args.articles)
    if args.git:
        write_history(args.out, paths, args.commits or args.articles * 3)
    print(f"wrote {len(paths)} articles to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
