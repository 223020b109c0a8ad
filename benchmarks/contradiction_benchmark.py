"""How the contradiction and content rules scale: time at 2,500, 5,000 and 10,000 articles.

    python benchmarks/contradiction_benchmark.py [--articles 10000] [--sizes 2500,5000,10000]
                                                 [--repeat 3] [--keep DIR]

Generates (deterministically) a help center whose articles state facts the way real ones do:
each of a few thousand features has its own link lifetime, retention period, price, size
limit, sync interval, opening hours and contact address, stated consistently by the several
articles that mention it, with about 2% of the statements contradicting the others, about 1%
of the articles near-copies of another, dated offers (some expired), a retired product name
now and then, and plan tables. The knowledge base is parsed once; then the five rules run on
its first N articles for each size, and the script prints each rule's CPU time and the time
per 1,000 articles, which stays about constant when the growth is linear.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kbcheck.config import parse_config  # noqa: E402
from kbcheck.corpus import Corpus  # noqa: E402
from kbcheck.engine import load_corpus, parse_settings, run_rules  # noqa: E402
from kbcheck.registry import load_registry  # noqa: E402

RULES = (
    "contradiction/fact-mismatch",
    "contradiction/conflicting-values",
    "contradiction/near-duplicate",
    "content/expired-mention",
    "content/retired-term",
)
TODAY = date(2026, 6, 1)
FOLDERS = ("account", "billing", "integrations", "reports", "security", "mobile", "api", "admin")


def _words(text: str) -> list[str]:
    return text.split()


QUALITIES = _words(
    "scheduled recurring shared archived bulk custom automatic manual private public external "
    "internal draft signed encrypted weekly quarterly regional secondary primary partner "
    "branded offline mobile legacy trial guest audit backup sandbox"
)
THINGS = _words(
    "export invoice report reminder statement receipt payout refund webhook token integration "
    "dashboard template workflow approval estimate quote credit ledger budget forecast "
    "inventory timesheet expense contract signature notification"
)
AREAS = _words("sales finance support operations legal marketing product design people field")
FILLER = _words(
    "you can open the settings page and choose the option that fits your team best when the "
    "change is saved everyone on the account sees it right away and nothing else needs to be "
    "done most customers set this up once during onboarding and rarely touch it again if "
    "something looks wrong check the activity log first because it lists who changed what and "
    "when our guides walk through each screen with examples taken from real accounts so that "
    "you can compare your setup with a working one before you contact anyone"
)
MONTHS = ("January", "March", "April", "June", "September", "October", "December")


def feature_facts(feature: str, seed: int) -> dict[str, str]:
    """The true values for one feature: every article that mentions it states these."""
    chooser = random.Random(seed)
    team = feature.split()[0]
    return {
        "link": f"{chooser.choice((1, 2, 3, 7, 14))} days",
        "kept": f"{chooser.choice((30, 60, 90, 180))} days",
        "price": f"${chooser.choice((5, 9, 12, 19, 29, 49))} per month",
        "size": f"{chooser.choice((5, 10, 25, 50, 100))} MB",
        "sync": f"{chooser.choice((5, 10, 15, 30, 60))} minutes",
        "hours": chooser.choice(("9am-5pm", "8am-6pm", "9am-6pm", "10am-4pm")),
        "email": f"{team}-help@example.com",
        "limit": f"{chooser.choice((3, 5, 10, 25, 50))} rules",
    }


def contradicting(kind: str, value: str, chooser: random.Random) -> str:
    number, _, rest = value.partition(" ")
    if kind == "hours":
        return "7am-3pm"
    if kind == "email":
        return "help@example.com"
    if number.startswith("$"):
        return f"${int(number[1:]) + chooser.choice((1, 2, 5))} {rest}"
    return f"{int(number) + chooser.choice((1, 2, 5))} {rest}"


STATEMENTS = {
    "link": "The {f} download link expires after {v}.",
    "kept": "{F} records are kept for {v} before they are deleted.",
    "price": "The {f} add-on costs {v}.",
    "size": "Each {f} attachment can be up to {v}.",
    "sync": "{F} data syncs every {v}.",
    "hours": "The {f} support desk is open {v}, Monday to Friday.",
    "email": "Questions about {f}? Email {v} and we answer within two working days.",
    "limit": "Each account can create up to {v} for {f}.",
}


def filler(chooser: random.Random, words: int) -> str:
    start = chooser.randrange(len(FILLER))
    picked = [FILLER[(start + index) % len(FILLER)] for index in range(words)]
    for _ in range(words // 8):  # vary the text so that articles are not near-copies
        picked[chooser.randrange(words)] = chooser.choice(THINGS + QUALITIES)
    return " ".join(picked).capitalize() + "."


def article_body(index: int, features: list[str], chooser: random.Random) -> str:
    """Neighbouring articles cover neighbouring features, so each feature is stated by a
    handful of articles (about 16 sections), as in a real help center, at every size."""
    window = [(index // 4 + offset) % len(features) for offset in range(8)]
    topic = features[window[0]]
    lines = [f"# {topic.capitalize()} ({index})", "", filler(chooser, 40), ""]
    for section in range(chooser.randint(3, 5)):
        number = chooser.choice(window)
        feature = features[number]
        facts = feature_facts(feature, number)
        lines += [f"## {feature.capitalize()}, part {section + 1}", ""]
        sentences = [filler(chooser, chooser.randint(15, 30))]
        for kind in chooser.sample(sorted(STATEMENTS), 3):
            value = facts[kind]
            if chooser.random() < 0.02:
                value = contradicting(kind, value, chooser)
            sentences.append(STATEMENTS[kind].format(f=feature, F=feature.capitalize(), v=value))
        if chooser.random() < 0.1:
            year = chooser.choice((2024, 2025, 2026, 2027))
            month = chooser.choice(MONTHS)
            sentences.append(f"The {feature} offer is 20% off until {month} 28, {year}.")
        if chooser.random() < 0.005:
            sentences.append("It replaces the old Ledgerly Classic screens.")
        if chooser.random() < 0.05:
            days = 14 if chooser.random() < 0.05 else 30
            sentences.append(f"Refunds are accepted within {days} days of the charge.")
        lines += [" ".join(sentences), ""]
        if chooser.random() < 0.3:
            lines += [
                f"| Plan | {feature.capitalize()} limit |",
                "|---|---|",
                *(f"| {plan} | {count} |" for plan, count in (("Starter", 1), ("Growth", 5))),
                "",
            ]
    return "\n".join(lines)


def near_copy(body: str, chooser: random.Random) -> str:
    lines = body.split("\n")
    lines[0] = lines[0] + " (copy)"
    for _ in range(2):
        position = chooser.randrange(len(lines))
        if lines[position] and not lines[position].startswith(("#", "|")):
            lines[position] = filler(chooser, 20)
    return "\n".join(lines)


def generate(root: Path, articles: int) -> None:
    chooser = random.Random(20260601)
    features = [
        f"{area} {quality} {thing}" for area in AREAS for quality in QUALITIES for thing in THINGS
    ]
    chooser.shuffle(features)
    features = features[: max(50, articles // 4)]  # one new feature every four articles
    (root / "kbcheck.toml").write_text(
        'today = "2026-06-01"\n\n'
        '[facts.refund_window]\nvalue = "30 days"\nmatch = "refunds? (are|is) accepted"\n\n'
        '[retired_terms]\n"Ledgerly Classic" = "retired in 2024"\n',
        encoding="utf-8",
    )
    bodies: list[str] = []
    for index in range(articles):
        if bodies and chooser.random() < 0.01:
            body = near_copy(chooser.choice(bodies[-200:]), chooser)
        else:
            body = article_body(index, features, chooser)
        bodies.append(body)
        folder = root / FOLDERS[index % len(FOLDERS)]
        folder.mkdir(exist_ok=True)
        front = (
            f"---\ntitle: Article {index}\nowner: support-team\nlast_reviewed: 2026-05-01\n---\n"
        )
        (folder / f"article-{index:05d}.md").write_text(front + body + "\n", encoding="utf-8")


def measure(corpus: Corpus, sizes: list[int], repeat: int) -> None:
    registry = load_registry()
    config = parse_config(
        {
            "facts": {"refund_window": {"value": "30 days", "match": "refunds? (are|is) accepted"}},
            "retired_terms": {"Ledgerly Classic": "retired in 2024"},
        },
        None,
    )
    # The first N articles generated (not the first N paths, which would take every eighth
    # article from a few folders and cut every feature's statements short).
    ordered = sorted(corpus.articles, key=lambda path: path.rsplit("/", 1)[-1])
    print("CPU seconds of this process (machines running other jobs inflate wall-clock time)")
    print(f"{'articles':>8}  {'rule':34}{'findings':>9}{'seconds':>10}{'s per 1,000':>13}")
    for size in sizes:
        chosen = {path: corpus.articles[path] for path in ordered[:size]}
        subset = Corpus(corpus.root, chosen, corpus.files, selected=frozenset(chosen))
        total = 0.0
        for rule_id in RULES:
            best = float("inf")
            for _ in range(repeat):
                notices: list[str] = []
                started = time.process_time()
                findings = run_rules([registry.rules[rule_id]], subset, config, TODAY, notices)
                best = min(best, time.process_time() - started)
                if notices:
                    raise SystemExit("\n".join(notices))
            total += best
            per_thousand = best / size * 1000
            print(f"{size:>8}  {rule_id:34}{len(findings):>9}{best:>10.2f}{per_thousand:>13.3f}")
        print(f"{size:>8}  {'all five':34}{'':>9}{total:>10.2f}{total / size * 1000:>13.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--sizes", default="2500,5000,10000")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per rule")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        root = options.keep or Path(scratch) / "kb"
        root.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        generate(root, options.articles)
        print(f"generated {options.articles} articles in {time.perf_counter() - started:.1f} s")
        config = parse_config({}, None)
        started = time.perf_counter()
        corpus, _ = load_corpus([root], config, parse_settings(config))
        print(f"parsed them in {time.perf_counter() - started:.1f} s (not part of the rules)\n")
        measure(corpus, sizes, options.repeat)


if __name__ == "__main__":
    main()
