"""Rendering the leaderboard from run summaries: a Markdown table and a self-contained HTML page.

Rows come only from ``*.summary.json`` files written by the runner. The HTML page has no external
resources (no CDN, no fonts): sorting is a few lines of inline JavaScript and the per-domain chart is
inline SVG, so the page works from a file and from any static host.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from envfactory_gym.leaderboard import LEADERBOARD_DIR, RESULTS_DIR
from envfactory_gym.results import IntervalEstimate, RunSummary

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")


class LeaderboardError(ValueError):
    """A results directory that does not exist, or a results file that is not a valid run summary."""


@dataclass(frozen=True)
class Run:
    """One run summary and where it was read from (its transcripts sit beside it)."""

    summary: RunSummary
    path: Path | None = None

    @property
    def transcripts(self) -> Path | None:
        return self.path.with_name(self.summary.results_file) if self.path is not None else None


def _read_summary(path: Path) -> RunSummary:
    try:
        return RunSummary.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as exc:
        raise LeaderboardError(f"{path} is not a run summary: {str(exc).splitlines()[0]}") from None


def _rank_key(run: Run) -> tuple[float, str, str]:
    return (-run.summary.metrics.overall.success_rate.value, run.summary.label, run.summary.agent)


def load_runs(*directories: str | Path, required: bool = True) -> list[Run]:
    """Every run summary under the directories (searched recursively), each file once, best first.

    A directory that does not exist is an error when ``required`` (a directory the user named).
    """
    runs: dict[Path, Run] = {}
    for directory in directories:
        folder = Path(directory)
        if not folder.is_dir():
            if required:
                raise LeaderboardError(f"results directory {folder} does not exist (or is not a directory).")
            continue
        for path in sorted(folder.rglob("*.summary.json")):
            runs.setdefault(path.resolve(), Run(_read_summary(path), path.resolve()))
    return sorted(runs.values(), key=_rank_key)


def load_summaries(results_dir: str | Path = RESULTS_DIR) -> list[RunSummary]:
    """Every run summary in the directory, best success rate first."""
    folder = Path(results_dir)
    summaries = [_read_summary(path) for path in sorted(folder.glob("*.summary.json"))] if folder.is_dir() else []
    return [run.summary for run in sorted((Run(s) for s in summaries), key=_rank_key)]


def _runs(items: Sequence[Run | RunSummary]) -> list[Run]:
    return [item if isinstance(item, Run) else Run(item) for item in items]


@dataclass(frozen=True)
class Group:
    """Runs on exactly the same tasks (same split, same task set hash): the only rows ranked together."""

    split: str
    tasks_hash: str
    runs: list[Run]

    @property
    def title(self) -> str:
        first = self.runs[0].summary
        return (
            f"{first.split} split, {first.tasks} tasks of {', '.join(first.environments)} "
            f"(task set {self.tasks_hash[:12]})"
        )


def comparable_groups(items: Sequence[Run | RunSummary]) -> list[Group]:
    """Rows grouped by task set, largest task set first; within a group, best success rate first."""
    groups: dict[tuple[str, str], list[Run]] = {}
    for run in _runs(items):
        groups.setdefault((run.summary.split, run.summary.tasks_hash), []).append(run)
    ordered = sorted(groups.items(), key=lambda kv: (-kv[1][0].summary.tasks, kv[0]))
    return [Group(split, digest, sorted(runs, key=_rank_key)) for (split, digest), runs in ordered]


@dataclass(frozen=True)
class Column:
    title: str
    numeric: bool


def _percent(value: float) -> str:
    return f"{100 * value:.1f}"


def _with_interval(estimate: IntervalEstimate) -> str:
    return f"{_percent(estimate.value)} [{_percent(estimate.low)}, {_percent(estimate.high)}]"


def _domains(runs: Sequence[Run]) -> list[str]:
    return sorted({d for r in runs for d in r.summary.metrics.by_domain})


def _single_envs(runs: Sequence[Run]) -> list[str]:
    return sorted({e for r in runs for e in r.summary.metrics.by_environment if "+" not in e})


def _has_multi_env(runs: Sequence[Run]) -> bool:
    return any("+" in e for r in runs for e in r.summary.metrics.by_environment)


def _max_k(runs: Sequence[Run]) -> int:
    return max((len(r.summary.metrics.overall.pass_hat_k) for r in runs), default=0)


def _multi_env_rate(summary: RunSummary) -> float | None:
    groups = [g for e, g in summary.metrics.by_environment.items() if "+" in e]
    episodes = sum(g.episodes for g in groups)
    if not episodes:
        return None
    return sum(g.success_rate.value * g.episodes for g in groups) / episodes


def model_details(summary: RunSummary) -> str:
    """The agent's kind and options other than the model name (secrets are already redacted)."""
    kind, _, rest = summary.agent.partition(":")
    options = [part for part in rest.split(",") if part and not part.startswith(("model=", "model_name=", "path="))]
    return f"{kind} ({', '.join(options)})" if options else kind


def _per_episode(total: float | None, episodes: int) -> float | None:
    return total / episodes if total is not None and episodes else None


def table(
    items: Sequence[Run | RunSummary], *, links_from: Path | None = None
) -> tuple[list[Column], list[list[tuple[str, float | str]]]]:
    """Columns and rows (each cell: text shown, value sorted by) of one group of comparable runs.

    Per-domain columns appear when the runs span more than one domain (with one, it would repeat the
    overall figure); per-environment columns for every single-environment task group, and one for the
    cross-environment tasks. ``links_from``: the folder the page is written to, for transcript links.
    """
    runs = _runs(items)
    domains = _domains(runs)
    domains = domains if len(domains) > 1 else []
    envs = _single_envs(runs)
    multi = _has_multi_env(runs)
    max_k = _max_k(runs)
    columns = [
        Column("#", True),
        Column("Model", False),
        Column("Agent", False),
        Column("Date", False),
        Column("Split", False),
        Column("Tasks", True),
        Column("Trials", True),
        Column("Success % [95% CI]", True),
        Column("Mean reward % [95% CI]", True),
        *(Column(f"pass^{k} % [95% CI]", True) for k in range(1, max_k + 1)),
        *(Column(f"{d} success %", True) for d in domains),
        *(Column(f"{e} success %", True) for e in envs),
        *([Column("2–3 envs success %", True)] if multi else []),
        Column("Tokens / episode", True),
        Column("Agent s / episode", True),
        Column("Complete", False),
        Column("Transcripts", False),
        Column("Task set", False),
    ]
    rows = []
    for rank, run in enumerate(runs, start=1):
        summary = run.summary
        overall = summary.metrics.overall
        row: list[tuple[str, float | str]] = [
            (str(rank), rank),
            (summary.label, summary.label),
            (model_details(summary), summary.agent),
            (summary.created_at[:10], summary.created_at),
            (summary.split, summary.split),
            (str(summary.tasks), summary.tasks),
            (str(summary.trials), summary.trials),
            (_with_interval(overall.success_rate), overall.success_rate.value),
            (_with_interval(overall.mean_reward), overall.mean_reward.value),
        ]
        for k in range(1, max_k + 1):
            estimate = overall.pass_hat_k.get(str(k))
            row.append((_with_interval(estimate), estimate.value) if estimate else ("–", -1.0))
        keyed = [(d, summary.metrics.by_domain) for d in domains] + [(e, summary.metrics.by_environment) for e in envs]
        for key, groups in keyed:
            group = groups.get(key)
            row.append((_percent(group.success_rate.value), group.success_rate.value) if group else ("–", -1.0))
        if multi:
            rate = _multi_env_rate(summary)
            row.append((_percent(rate), rate) if rate is not None else ("–", -1.0))
        tokens = None
        if overall.prompt_tokens is not None or overall.completion_tokens is not None:
            tokens = _per_episode((overall.prompt_tokens or 0) + (overall.completion_tokens or 0), overall.episodes)
        row.append((f"{tokens:,.0f}", tokens) if tokens is not None else ("–", -1.0))
        latency = _per_episode(summary.seconds_agent, summary.episodes_completed)
        row.append((f"{latency:.2f}", latency) if latency is not None else ("–", -1.0))
        done = f"{summary.episodes_completed}/{summary.episodes_expected}"
        row.append(("yes" if summary.complete else f"no ({done})", done))
        transcripts = run.transcripts
        if transcripts is not None and links_from is not None:
            link = Path(os.path.relpath(transcripts.resolve(), links_from.resolve())).as_posix()
        else:
            link = summary.results_file
        row.append((link, link))
        row.append((summary.tasks_hash[:12], summary.tasks_hash))
        rows.append(row)
    return columns, rows


INTRO = (
    "Every row is a real run of `envfactory eval`. Only runs on the same task set (same split, same tasks) are "
    "ranked together: each task set has its own table. Success rate: share of successful episodes (Wilson 95% "
    "interval); mean reward: mean over tasks (bootstrap over tasks); pass^k: tau2-bench's definition, mean over "
    "tasks (bootstrap interval). Tokens and agent seconds are per episode, where the agent reported them."
)


def render_markdown(items: Sequence[Run | RunSummary], *, links_from: Path | None = None) -> str:
    lines = ["# envfactory-gym leaderboard", "", f"Generated by `envfactory leaderboard`. {INTRO}", ""]
    if not items:
        lines.append("No results yet: run `envfactory demo` or `envfactory eval`.")
        return "\n".join(lines) + "\n"
    for group in comparable_groups(items):
        columns, rows = table(group.runs, links_from=links_from)
        lines += [f"## {group.title}", ""]
        lines.append("| " + " | ".join(c.title for c in columns) + " |")
        lines.append("| " + " | ".join("---:" if c.numeric else "---" for c in columns) + " |")
        for row in rows:
            lines.append("| " + " | ".join(text.replace("|", "\\|") for text, _ in row) + " |")
        lines.append("")
    return "\n".join(lines)


def chart_svg(items: Sequence[Run | RunSummary], width: int = 760, height: int = 340) -> str:
    """Grouped bars with 95% error bars: success rate per environment (and per domain) and model, as SVG.

    A 0 % result is drawn as a visible baseline mark with its label, never left out.
    """
    runs = _runs(items)
    groups = [*_single_envs(runs), *(["2–3 envs"] if _has_multi_env(runs) else [])]
    domains = _domains(runs)
    groups += [f"domain {d}" for d in domains] if len(domains) > 1 else []
    if not groups or not runs:
        return ""

    def estimate(summary: RunSummary, name: str) -> IntervalEstimate | None:
        if name == "2–3 envs":
            rate = _multi_env_rate(summary)
            return IntervalEstimate(value=rate, low=rate, high=rate) if rate is not None else None
        if name.startswith("domain "):
            group = summary.metrics.by_domain.get(name.removeprefix("domain "))
        else:
            group = summary.metrics.by_environment.get(name)
        return group.success_rate if group else None

    left, right, top, bottom = 48, 16, 16, 90
    plot_w, plot_h = width - left - right, height - top - bottom
    group_w = plot_w / len(groups)
    bar_w = min(48.0, max(2.0, (group_w * 0.8) / len(runs)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Success rate per environment and model, with 95% intervals" class="chart">'
    ]
    for tick in range(0, 101, 25):
        y = top + plot_h * (1 - tick / 100)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{tick}%</text>')
    base = top + plot_h
    for g, name in enumerate(groups):
        x0 = left + (g + 0.5) * group_w - bar_w * len(runs) / 2  # the group's bars, centred
        for m, run in enumerate(runs):
            value = estimate(run.summary, name)
            if value is None:
                continue
            x = x0 + m * bar_w
            bar_h = max(plot_h * value.value, 1.5)  # a 0 % bar is still a visible mark
            colour = PALETTE[m % len(PALETTE)]
            title = html.escape(
                f"{run.summary.label} — {name}: {_percent(value.value)}% "
                f"[{_percent(value.low)}, {_percent(value.high)}]"
            )
            parts.append(
                f'<rect x="{x:.1f}" y="{base - bar_h:.1f}" width="{bar_w * 0.9:.1f}" height="{bar_h:.1f}" '
                f'fill="{colour}" class="bar"><title>{title}</title></rect>'
            )
            if value.high > value.low:
                cx = x + bar_w * 0.45
                y_low, y_high = base - plot_h * value.low, base - plot_h * value.high
                parts.append(
                    f'<path d="M{cx:.1f},{y_low:.1f}V{y_high:.1f}M{cx - 3:.1f},{y_low:.1f}h6M{cx - 3:.1f},'
                    f'{y_high:.1f}h6" class="errorbar"/>'
                )
            if value.value == 0:
                parts.append(
                    f'<text x="{x + bar_w * 0.45:.1f}" y="{base - 4:.1f}" text-anchor="middle" class="zero">0</text>'
                )
        label_x = left + (g + 0.5) * group_w
        parts.append(
            f'<text x="{label_x:.1f}" y="{base + 14}" text-anchor="end" class="axis" '
            f'transform="rotate(-30 {label_x:.1f} {base + 14})">{html.escape(name)}</text>'
        )
    for m, run in enumerate(runs):
        x = left + (m % 4) * (plot_w / 4)
        y = base + 62 + (m // 4) * 16
        parts.append(f'<rect x="{x:.1f}" y="{y - 9}" width="10" height="10" fill="{PALETTE[m % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="{y}" class="legend">{html.escape(run.summary.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


domain_chart_svg = chart_svg


SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (t) { t.dataset.ready = "sortable"; });
document.querySelectorAll("table.sortable th").forEach(function (header, index) {
  header.addEventListener("click", function () {
    var table = header.closest("table"), body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var numeric = header.dataset.type === "number";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].dataset.value, y = b.cells[index].dataset.value;
      var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
"""

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35rem 0.6rem; text-align: left; white-space: nowrap; }
th { cursor: pointer; background: #f5f5f5; user-select: none; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { max-width: 820px; margin-top: 1.5rem; }
.chart .grid { stroke: #e5e5e5; }
.chart .axis, .chart .legend, .chart .zero { font-size: 11px; fill: #444; }
.chart .errorbar { stroke: #222; stroke-width: 1.2; fill: none; }
"""


def render_html(items: Sequence[Run | RunSummary], *, links_from: Path | None = None) -> str:
    intro = html.escape(INTRO).replace("`envfactory eval`", "<code>envfactory eval</code>")
    body = [f"<h1>envfactory-gym leaderboard</h1><p>{intro} Click a column to sort.</p>"]
    if items:
        for group in comparable_groups(items):
            columns, rows = table(group.runs, links_from=links_from)
            head = "".join(
                f'<th data-type="{"number" if c.numeric else "text"}">{html.escape(c.title)}</th>' for c in columns
            )
            lines = []
            for row in rows:
                cells = []
                for c, (text, value) in zip(columns, row, strict=True):
                    shown = html.escape(text)
                    if c.title == "Transcripts" and links_from is not None:
                        shown = f'<a href="{html.escape(text)}">{shown}</a>'
                    cells.append(
                        f'<td class="{"num" if c.numeric else "text"}" data-value="{html.escape(str(value))}">'
                        f"{shown}</td>"
                    )
                lines.append(f"<tr>{''.join(cells)}</tr>")
            body.append(f"<h2>{html.escape(group.title)}</h2>")
            body.append(
                f'<table class="sortable" data-task-set="{html.escape(group.tasks_hash)}"><thead><tr>{head}</tr>'
                f"</thead><tbody>{''.join(lines)}</tbody></table>"
            )
            body.append(chart_svg(group.runs))
    else:
        body.append("<p>No results yet: run <code>envfactory demo</code> or <code>envfactory eval</code>.</p>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>envfactory-gym leaderboard</title><style>{STYLE}</style></head>"
        f"<body>{''.join(body)}<script>{SORT_SCRIPT}</script></body></html>\n"
    )


def render_leaderboard(
    results_dir: str | Path | Sequence[str | Path] = RESULTS_DIR, output_dir: str | Path = LEADERBOARD_DIR
) -> tuple[list[RunSummary], Path, Path]:
    """Write ``LEADERBOARD.md`` and ``index.html`` from the summaries under ``results_dir`` (one or several).

    Nothing is written when a directory is missing or a summary is invalid (:class:`LeaderboardError`).
    """
    directories = [results_dir] if isinstance(results_dir, str | Path) else list(results_dir)
    runs = load_runs(*directories, required=False)
    markdown, page = render_runs(runs, output_dir)
    return [run.summary for run in runs], markdown, page


def render_runs(runs: Sequence[Run], output_dir: str | Path) -> tuple[Path, Path]:
    """Write both pages for runs already loaded (see :func:`load_runs`)."""
    output = Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    markdown, page = output / "LEADERBOARD.md", output / "index.html"
    markdown.write_text(render_markdown(runs, links_from=output), encoding="utf-8")
    page.write_text(render_html(runs, links_from=output), encoding="utf-8")
    return markdown, page
