"""Results files against the documented JSON schema, and the leaderboard pages rendered from real runs."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

import envfactory_gym.commands.evaluate as evaluate_command
from envfactory_gym.cli import app
from envfactory_gym.evaluation import EvalConfig, evaluate, select_tasks
from envfactory_gym.leaderboard import RESULTS_DIR, SCHEMA_PATH
from envfactory_gym.leaderboard.render import load_summaries, render_html, render_leaderboard, render_markdown
from envfactory_gym.results import results_json_schema, summary_path
from tests.test_evaluation import bank_test_tasks


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def results_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two real runs of the runner: the oracle and a random agent labelled with markup to escape."""
    directory = tmp_path_factory.mktemp("results")
    task_set = select_tasks(tasks=bank_test_tasks(), split="test")
    evaluate(task_set, EvalConfig(agent="oracle", trials=2, progress=False), directory / "oracle.jsonl")
    config = EvalConfig(agent="random:seed=1", trials=2, label="<b>random</b>", progress=False)
    evaluate(task_set, config, directory / "random.jsonl")
    return directory


def test_the_committed_schema_is_the_one_the_code_writes() -> None:
    assert json.loads(SCHEMA_PATH.read_text()) == results_json_schema(), (
        "leaderboard/results.schema.json is stale: regenerate it with envfactory_gym.results.write_json_schema"
    )


def test_runner_output_validates_against_the_schema(results_dir: Path, validator: Any) -> None:
    lines = (results_dir / "oracle.jsonl").read_text().splitlines()
    assert len(lines) == 6
    for line in lines:
        validator.validate(json.loads(line))
    validator.validate(json.loads(summary_path(results_dir / "oracle.jsonl").read_text()))


def test_the_schema_rejects_what_the_runner_would_never_write(results_dir: Path, validator: Any) -> None:
    record = json.loads((results_dir / "oracle.jsonl").read_text().splitlines()[0])
    for broken in (
        {**record, "reward": 1.5},
        {**record, "trial": -1},
        {k: v for k, v in record.items() if k != "task_hash"},
        {k: v for k, v in record.items() if k != "kind"},
        {**record, "surprise": True},
        {**record, "kind": "summary"},
    ):
        assert not validator.is_valid(broken)


def test_committed_results_validate_and_load(validator: Any) -> None:
    for path in sorted(RESULTS_DIR.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            validator.validate(json.loads(line))
        assert summary_path(path).exists(), f"{path.name} has no summary"
    for path in sorted(RESULTS_DIR.glob("*.summary.json")):
        validator.validate(json.loads(path.read_text()))
    load_summaries(RESULTS_DIR)


def test_markdown_ranks_runs_with_intervals_and_pass_k(results_dir: Path) -> None:
    summaries = load_summaries(results_dir)
    assert [s.label for s in summaries] == ["oracle", "<b>random</b>"]
    markdown = render_markdown(summaries)
    heading, header, _, first, second = (
        markdown.split("\n\n", 2)[2].splitlines()[:6][0:1] + markdown.split("\n\n")[3].splitlines()[:4]
    )
    assert heading.startswith("## test split, 3 tasks")
    assert "pass^1 % [95% CI]" in header and "pass^2 % [95% CI]" in header and "test_bank success %" in header
    assert "Date" in header and "Tokens / episode" in header and "Agent s / episode" in header
    assert first.startswith("| 1 | oracle | oracle | 20") and "| test | 3 | 2 | 100.0 [" in first
    assert second.startswith("| 2 | <b>random</b> | random (seed=1) |")


def test_html_page_is_self_contained_sortable_and_escaped(results_dir: Path) -> None:
    page = render_html(load_summaries(results_dir))
    assert '<table class="sortable"' in page and "aria-sort" in page and "<svg" in page
    assert "src=" not in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")  # nothing fetched
    assert "@import" not in page and 'class="errorbar"' in page
    assert "<b>random</b>" not in page and "&lt;b&gt;random&lt;/b&gt;" in page
    assert page.count("<rect") >= 2 + 2  # one bar per (domain, run) and one legend swatch per run
    assert 'data-value="1.0"' in page  # sorting uses the numeric value, not the shown text


def test_leaderboard_command_writes_both_pages_and_reports_bad_files(results_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["leaderboard", "--results", str(results_dir), "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "oracle" in (tmp_path / "LEADERBOARD.md").read_text() and (tmp_path / "index.html").exists()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "x.summary.json").write_text('{"kind": "summary"}')
    bad = runner.invoke(app, ["leaderboard", "--results", str(broken), "--output-dir", str(broken)])
    assert bad.exit_code == 2 and "x.summary.json is not a run summary" in bad.output
    assert not (broken / "LEADERBOARD.md").exists()


def test_demo_plays_the_baselines_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    task_set = select_tasks(tasks=bank_test_tasks(), split="test")
    monkeypatch.setattr(evaluate_command, "select_tasks", lambda **_: task_set)
    results, pages = tmp_path / "results", tmp_path / "pages"
    arguments = ["demo", "--results", str(results), "--output-dir", str(pages)]
    first = CliRunner().invoke(app, arguments)
    assert first.exit_code == 0, first.output
    assert sorted(p.name for p in results.iterdir()) == sorted(
        f"baseline-{a}{suffix}" for a in ("noop", "oracle", "random") for suffix in (".jsonl", ".summary.json")
    )
    summaries = {s.label: s for s in load_summaries(results)}
    assert summaries["oracle"].metrics.overall.success_rate.value == 1.0
    assert summaries["noop"].metrics.overall.success_rate.value == 0.0

    def outcomes() -> list[tuple[str, float]]:
        lines = (results / "baseline-oracle.jsonl").read_text().splitlines()
        return sorted((r["task_id"], r["reward"]) for r in map(json.loads, lines))

    before = outcomes()
    again = CliRunner().invoke(app, arguments)
    # The demo plays the baselines afresh (they take seconds) and gets the same results.
    assert again.exit_code == 0 and "0 already in baseline-oracle.jsonl" in again.output
    assert outcomes() == before and len(before) == 3
    # New tasks: the stale baseline files are replaced, not mixed with the new runs.
    changed = select_tasks(tasks=bank_test_tasks()[:2], split="test")
    monkeypatch.setattr(evaluate_command, "select_tasks", lambda **_: changed)
    assert CliRunner().invoke(app, arguments).exit_code == 0
    assert len((results / "baseline-oracle.jsonl").read_text().splitlines()) == 2


def test_the_demo_table_fits_an_80_column_terminal(tmp_path: Path) -> None:
    """Every environment's test tasks (one each): per-domain columns in the terminal, per-environment ones
    only in the pages, and no header or cell cut."""
    from rich.console import Console

    results, pages = tmp_path / "results", tmp_path / "pages"
    arguments = ["demo", "--limit", "1", "--results", str(results), "--output-dir", str(pages)]
    assert CliRunner().invoke(app, arguments).exit_code == 0
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(evaluate_command.leaderboard_table(load_summaries(results)))
    shown = console.export_text()
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "Model" in line)
    titles = {title.strip() for title in header.split("  ") if title.strip()}
    assert {"Success", "Reward", "travel", "shopping", "communication", "s / ep"} <= titles
    assert "…" not in shown and "weather" not in header and "oracle" in shown
    assert "weather success %" in (pages / "LEADERBOARD.md").read_text()  # the pages keep every environment


def test_render_leaderboard_with_no_results(tmp_path: Path) -> None:
    summaries, markdown, page = render_leaderboard(tmp_path / "none", tmp_path)
    assert summaries == [] and "No results yet" in markdown.read_text() and "No results yet" in page.read_text()
