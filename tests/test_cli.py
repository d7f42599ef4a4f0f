"""The `envfactory` command line: list, describe, play, graph, synth and verify (run in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envfactory_gym.cli import app
from envfactory_gym.tasks import read_tasks

runner = CliRunner()


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, env={"COLUMNS": "200"})


def test_list_in_a_pipe_json_and_bad_domain() -> None:
    result = invoke("list")  # CliRunner is not a terminal: one tab-separated line per environment
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split("\t")[:3] == ["domain", "environment", "gym_id"]
    assert sum("envfactory/travel_booking-v0" in line for line in lines) == 1
    data = json.loads(invoke("list", "--json").output)
    airline = next(row for row in data["environments"] if row["environment"] == "airline")
    assert airline["tools"] == 14 and airline["tasks"] == 160 and data["domains"][0]["gym_id"] == "envfactory/travel-v0"
    bad = invoke("list", "--domain", "nosuch")
    assert bad.exit_code == 2 and "unknown domain 'nosuch'" in bad.output
    assert invoke("list", "--domain", "finance").exit_code == 1  # planned only: nothing implemented
    described = json.loads(invoke("describe", "airline", "--json").output)
    assert described["env_id"] == "airline" and len(described["tools"]) == 14 and described["tables"]
    assert invoke("--version").output.startswith("envfactory-gym ")


def test_synth_never_overwrites_the_packaged_tasks_without_the_flag() -> None:
    from envfactory_gym.tasks import task_file

    before = task_file("travel", "airline").read_bytes()
    result = invoke("synth", "airline", "--n", "5", "--seed", "1")
    assert result.exit_code == 2 and "--write-packaged" in result.output
    assert task_file("travel", "airline").read_bytes() == before


def test_list_shows_the_travel_environments_with_tool_and_task_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from envfactory_gym.commands import explore

    for width in (80, 200):  # ids never wrap or get cut, at any terminal width
        monkeypatch.setattr(explore, "console", Console(force_terminal=True, width=width, color_system=None))
        result = invoke("list")
        assert result.exit_code == 0, result.output
        assert "11 / 85" in result.output and "environments implemented" in result.output
        airline_row = next(line for line in result.output.splitlines() if " airline " in line)
        assert "│ 14 " in airline_row and "│ 160 " in airline_row
        cells = "".join(line.split("│")[3].strip() for line in result.output.splitlines() if line.count("│") > 3)
        assert "envfactory/airline-v0" in cells and "envfactory/car_price-v0" in cells
        assert "…" not in result.output.split("Domain environments")[0]


def test_describe_lists_tools_and_tables() -> None:
    result = invoke("describe", "airline")
    assert result.exit_code == 0, result.output
    assert "book_reservation" in result.output and "reservations" in result.output
    assert invoke("describe", "no_such_env").exit_code != 0


def test_play_calls_tools_by_hand() -> None:
    script = "tools\nget_user_details user_id=nobody\nlist_all_airports\nchanges\nquit\n"
    result = invoke("play", "airline", input=script)
    assert result.exit_code == 0, result.output
    assert "User nobody not found" in result.output
    assert '"iata"' in result.output


def test_graph_writes_graphml_and_png(tmp_path: Path) -> None:
    result = invoke("graph", "airline", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "airline.graphml").exists()
    assert (tmp_path / "airline.png").read_bytes()[:4] == b"\x89PNG"


def test_synth_writes_a_task_file_with_its_recipe(tmp_path: Path) -> None:
    output = tmp_path / "bank.jsonl"
    result = invoke("synth", "test_bank", "--n", "6", "--seed", "2", "--output", str(output))
    assert result.exit_code == 0, result.output
    tasks = read_tasks(output)
    assert len(tasks) == 6 and all(t.metadata["synth_seed"] == 2 and t.metadata["synth_n"] == 6 for t in tasks)
    assert json.loads(output.read_text().splitlines()[0])["task_id"] == tasks[0].task_id


def test_verify_exits_non_zero_when_a_check_fails() -> None:
    # The fixture bank has no packaged tasks (and a deliberately buggy tool): verify must fail loudly.
    result = invoke("verify", "test_bank", "--fuzz", "50")
    assert result.exit_code == 1
    assert "FAILED" in result.output


def test_verify_passes_on_a_verified_environment() -> None:
    result = invoke("verify", "hk_bus", "--fuzz", "200")
    assert result.exit_code == 0, result.output
    assert "verify hk_bus: PASSED" in result.output


def test_tasks_sample_prints_requests_and_lint_reports_the_mix() -> None:
    from envfactory_gym.tasks import load_tasks

    result = invoke("tasks", "sample", "travel", "--n", "5", "--seed", "3", "--answers")
    assert result.exit_code == 0, result.output
    queries = {t.query for t in load_tasks("travel", "domain")}
    printed = [line.strip() for line in result.output.splitlines() if line.startswith("    ") and "facts:" not in line]
    assert len(printed) == 5 and set(printed) <= queries  # whole requests, one line each
    assert result.output == invoke("tasks", "sample", "travel", "--n", "5", "--seed", "3", "--answers").output
    lint = invoke("tasks", "lint", "airline")
    assert lint.exit_code == 0 and "no flags" in lint.output and "implicit intent" in lint.output
    assert invoke("tasks", "sample", "travel", "--split", "tset").exit_code != 0
    assert invoke("tasks", "sample", "no_such_env").exit_code != 0
