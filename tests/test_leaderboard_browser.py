"""The leaderboard page in a real headless browser: it loads, its script runs, and the table reads right.

Chromium (the Debian ``chromium`` or ``chromium-headless-shell`` package, installed by ``make test`` where
the machine allows) renders the page and dumps the DOM after its scripts ran; the test reads the rendered
tables back. Without a browser the test is skipped with the reason.
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from envfactory_gym.leaderboard import RESULTS_DIR
from envfactory_gym.leaderboard.render import load_runs, render_runs

BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
BROWSER = next((path for name in BROWSERS if (path := shutil.which(name))), None)


class Tables(HTMLParser):
    """Rows of every ``table.sortable`` as lists of cell texts, with each table's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"attrs": dict(attrs), "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.mark.skipif(BROWSER is None, reason="no headless Chromium installed (make test installs one where it can)")
def test_rendered_leaderboard_table_in_a_headless_browser(tmp_path: Path) -> None:
    runs = load_runs(RESULTS_DIR)
    _, page = render_runs(runs, tmp_path)
    result = subprocess.run(
        [str(BROWSER), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    parser = Tables()
    parser.feed(result.stdout)
    (table,) = parser.tables  # the baselines share one task set: one table
    assert table["attrs"].get("data-ready") == "sortable"  # the page's script ran in the browser
    header, *rows = table["rows"]
    assert header[:2] == ["#", "Model"] and "Success % [95% CI]" in header and "Date" in header
    by_model = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_model) == {run.summary.label for run in runs}
    assert by_model["oracle"]["#"] == "1" and by_model["oracle"]["Success % [95% CI]"].startswith("100.0 [")
    assert by_model["noop"]["Success % [95% CI]"].startswith("0.0 [")
    assert by_model["oracle"]["Transcripts"].endswith("baseline-oracle.jsonl")
