"""The bundled example reports exactly the problems examples/README.md promises."""

from __future__ import annotations

import re
from pathlib import Path

from kbcheck.config import find_config, load_config
from kbcheck.engine import lint

EXAMPLES = Path(__file__).parent.parent / "examples"
KB = EXAMPLES / "helpcenter"


def promised_findings() -> list[str]:
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    section = text.split("## Deliberate problems", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        path = cells[0].strip("`")
        rule = re.search(r"`([^`]+)`", cells[2]).group(1)
        rows.append(f"{path}:{int(cells[1])}:{rule}")
    return sorted(rows)


def test_example_reports_exactly_what_its_readme_lists() -> None:
    result = lint([KB], load_config(find_config(KB)))
    actual = sorted(f"{f.path}:{f.line}:{f.rule}" for f in result.report.findings)
    assert actual == promised_findings()
    assert not result.report.notices
