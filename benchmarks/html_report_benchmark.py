"""How fast an HTML report opens in a real browser: size, DOMContentLoaded and first paint.

    python benchmarks/html_report_benchmark.py REPORT.html [REPORT2.html ...] [--repeat 3]

Make the report first, e.g. on a generated 10,000-article knowledge base:

    python benchmarks/generate_kb.py /tmp/kb10k --articles 10000
    kbcheck check /tmp/kb10k --format html -o /tmp/kb10k.html

Each file is opened REPEAT times in headless Chromium (the test suite's driver) at 1280 px;
the best time of each measure is printed, in milliseconds from the start of navigation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.headless_browser import INSTALL_HINT, Browser, find_browser

MEASURE = """(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          fcp: paint ? paint.startTime : null,
          nodes: document.getElementsByTagName("*").length};
})()"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    executable = find_browser()
    if executable is None:
        print(f"no Chromium found: {INSTALL_HINT}", file=sys.stderr)
        return 2
    with Browser(executable, timeout=120) as browser:
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        for report in args.reports:
            runs = []
            for _ in range(args.repeat):
                browser.open(report.resolve().as_uri())
                # First paint is recorded just after load on a busy machine: give it a frame.
                browser.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
                runs.append(browser.evaluate(MEASURE))
            size = report.stat().st_size / 1e6
            best = {key: min(run[key] for run in runs if run[key] is not None) for key in runs[0]}
            print(
                f"{report}: {size:.2f} MB, DOMContentLoaded {best['dcl']:.0f} ms, "
                f"first contentful paint {best['fcp']:.0f} ms, load {best['load']:.0f} ms, "
                f"{best['nodes']} elements"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
