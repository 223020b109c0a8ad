"""Positions come from the parser: every link, image, heading and comment is reported at its
line and column in the original file, front matter and container markers included."""

from __future__ import annotations

from kbcheck.article import ParseSettings, parse_article
from kbcheck.model import Article

SETTINGS = ParseSettings()


def parse(text: str | bytes) -> Article:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_article(raw, "a.md", SETTINGS)


def at(article: Article) -> list[tuple[str, int, int]]:
    return [(link.target, link.line, link.column) for link in article.links]


def test_link_positions_in_containers() -> None:
    text = (
        "---\ntitle: T\n---\n"  # lines 1-3
        "Intro [one](one.md) and [two](two.md).\n"  # 4
        "\n"
        "> Quote with [three](three.md)\n"  # 6
        ">   and [four](four.md)\n"  # 7
        "\n"
        "- item [five](five.md)\n"  # 9
        "  - nested ![six](six.png)\n"  # 10
        "\n"
        "| a | b |\n|---|---|\n| [seven](seven.md) | x [eight](eight.md) |\n"  # 12-14
        "\n"
        "## Heading with [nine](nine.md) ##\n"  # 16
    )
    assert at(parse(text)) == [
        ("one.md", 4, 7),
        ("two.md", 4, 25),
        ("three.md", 6, 14),
        ("four.md", 7, 9),
        ("five.md", 9, 8),
        ("six.png", 10, 12),
        ("seven.md", 14, 3),
        ("eight.md", 14, 25),
        ("nine.md", 16, 17),
    ]


def test_reference_autolink_and_html_links() -> None:
    text = (
        "See [the plans][plans] and <https://example.com/x>.\n"
        "\n"
        '<p>Block <a href="block.md">b</a></p>\n'
        "\n"
        'Inline <img src="pic.png" alt=""> here.\n'
        "\n"
        "[plans]: plans.md#annual\n"
    )
    article = parse(text)
    assert at(article) == [
        ("plans.md#annual", 1, 5),
        ("https://example.com/x", 1, 28),
        ("block.md", 3, 10),
        ("pic.png", 5, 8),
    ]
    assert [link.syntax for link in article.links] == ["reference", "autolink", "html", "html"]


def test_code_and_comments_hold_no_links() -> None:
    text = (
        "Use `[x](code-span.md)` literally.\n\n"
        "```md\n[y](fenced.md)\n```\n\n"
        "    [z](indented.md)\n\n"
        "<!-- [c](comment.md) -->\n\n"
        "<!--\n[d](multi-line-comment.md)\n-->\n"
    )
    assert parse(text).links == ()


def test_crlf_bom_and_lone_cr_keep_line_numbers() -> None:
    body = "---\ntitle: T\n---\n# T\n\nx [l](l.md)\n"
    expected = [("l.md", 6, 3)]
    assert at(parse(body)) == expected
    assert at(parse(body.replace("\n", "\r\n"))) == expected
    assert at(parse(b"\xef\xbb\xbf" + body.encode())) == expected
    assert at(parse(body.replace("\n", "\r"))) == expected


def test_headings_anchors_and_explicit_ids() -> None:
    text = (
        "# Guide\n\n## What's new?\n\n## Setup\n\n## Setup\n\n"
        '## Stable {#keep-me}\n\n<a name="legacy"></a>\n\n'
        "Setext\n------\n"
    )
    article = parse(text)
    assert [(h.text, h.anchor, h.line) for h in article.headings] == [
        ("Guide", "guide", 1),
        ("What's new?", "whats-new", 3),
        ("Setup", "setup", 5),
        ("Setup", "setup-1", 7),
        ("Stable", "keep-me", 9),
        ("Setext", "setext", 13),
    ]
    assert {"legacy", "keep-me"} <= article.anchors
    assert article.title == "Guide"


def test_front_matter_key_lines_and_title_fallbacks() -> None:
    article = parse("---\nowner: a\n# comment\nlast_reviewed: 2026-01-02\n---\nNo heading.\n")
    assert article.key_lines == {"owner": 2, "last_reviewed": 4}
    assert article.title == "a"  # the file's name: no title key, no level-1 heading


def test_suppression_comments_are_read() -> None:
    text = (
        "<!-- kbcheck-disable-next-line links/broken-file -->\n[x](x.md)\n\n"
        "Para <!-- kbcheck-disable-line links -->\n\n"
        "<!-- kbcheck-disable -->\n\n<!-- kbcheck-enable age/stale, owner/missing -->\n"
    )
    actions = [(s.action, s.rules, s.line) for s in parse(text).suppressions]
    assert actions == [
        ("disable-next-line", ("links/broken-file",), 1),
        ("disable-line", ("links",), 4),
        ("disable", (), 6),
        ("enable", ("age/stale", "owner/missing"), 8),
    ]


def test_prose_blocks_map_offsets_back_to_the_file() -> None:
    text = "---\ntitle: T\n---\n> Refunds are accepted\n> within **30 days**.\n"
    block = next(b for b in parse(text).blocks if b.kind == "paragraph")
    assert block.text == "Refunds are accepted within 30 days."
    offset = block.text.index("30 days")
    assert block.position(offset) == (5, 12)
