"""SFT and RL exports: oracle trajectories as chat datasets, prompt rows, files, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envfactory_gym.cli import app
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.export import (
    ExportReport,
    load_dataset_file,
    rl_records,
    select_tasks,
    sft_records,
    write_dataset,
)
from envfactory_gym.integrations.trl import trl_tool_schemas
from envfactory_gym.tasks import Task, write_tasks
from tests.conftest import bank_read_task, bank_task
from tests.fixtures import bank
from tests.test_trl_integration import tiny_model  # noqa: F401  (session fixture)


def plain(output: str) -> str:
    """CLI output without rich's panel borders and line wrapping."""
    return " ".join(output.replace("│", " ").split())


@pytest.fixture(scope="module")
def bank_sft() -> list[dict]:
    return sft_records([bank_task(), bank_read_task()])


def test_sft_rows_are_chat_transcripts_with_tool_calls_and_tools(bank_sft: list[dict]) -> None:
    row = bank_sft[0]
    roles = [m["role"] for m in row["messages"]]
    assert roles == ["system", "user", "assistant", "tool", "assistant"]
    call = row["messages"][2]["tool_calls"][0]
    assert call["function"]["name"] == "transfer"
    assert json.loads(call["function"]["arguments"]) == {"source_id": "A0001", "target_id": "A0002", "amount": 50}
    tool = row["messages"][3]
    assert tool["tool_call_id"] == call["id"] and tool["name"] == "transfer"
    assert json.loads(tool["content"])["amount"] == 50
    assert json.loads(row["tools"]) == [spec.openai_schema() for spec in bank.env.tools.values()]
    assert row["environment"] == "test_bank" and row["task_id"] == "bank-transfer"
    read = bank_sft[1]
    assert bank_read_task().required_facts[0] in read["messages"][-1]["content"]


def test_sft_rows_tokenize_with_assistant_only_masks(bank_sft: list[dict], tiny_model: Path) -> None:  # noqa: F811
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    row = bank_sft[0]
    encoded = tokenizer.apply_chat_template(
        row["messages"],
        tools=json.loads(row["tools"]),
        tokenize=True,
        return_dict=True,
        return_assistant_tokens_mask=True,
    )
    ids, mask = encoded["input_ids"], encoded["assistant_masks"]
    assert 0 < sum(mask) < len(ids)
    trained = tokenizer.decode([t for t, m in zip(ids, mask, strict=True) if m])
    assert '"name": "transfer"' in trained and "Your request is complete." in trained
    assert "<tool_response>" not in trained and "Please send 50" not in trained


def test_sft_with_trl_schemas_and_oracle_failures_skipped() -> None:
    good = bank_task()
    broken = good.model_copy(update={"task_id": "broken", "gold_changes": bank_task(amount=60).gold_changes})
    report = ExportReport()
    rows = sft_records([good, broken], tool_schemas="trl", report=report)
    assert [r["task_id"] for r in rows] == ["bank-transfer"]
    assert report.skipped == ["broken"] and report.written == 1
    assert json.loads(rows[0]["tools"]) == trl_tool_schemas("test_bank")
    with pytest.raises(ValueError):
        sft_records([good], tool_schemas="openai")  # type: ignore[arg-type]


def test_rl_rows_open_the_episode_the_env_plays() -> None:
    task = bank_task()
    row = rl_records([task])[0]
    env = ToolUseEnv(env_ids=["test_bank"], tasks=[task])
    _, info = env.reset(options={"task_id": task.task_id})
    env.close()
    assert row["prompt"] == info["messages"]
    assert row["task_id"] == task.task_id and row["environment"] == "test_bank" and row["goal"] == "write"


@pytest.mark.parametrize("name", ["rows.jsonl", "rows.parquet", "rows"])
def test_datasets_round_trip(bank_sft: list[dict], tmp_path: Path, name: str) -> None:
    path = write_dataset(bank_sft, tmp_path / name)
    loaded = load_dataset_file(path)
    assert len(loaded) == len(bank_sft)
    assert (
        loaded[0]["messages"][2]["tool_calls"][0]["function"] == bank_sft[0]["messages"][2]["tool_calls"][0]["function"]
    )
    assert json.loads(loaded[1]["tools"]) == json.loads(bank_sft[1]["tools"])
    with pytest.raises(FileNotFoundError):
        load_dataset_file(tmp_path / "missing.jsonl")


def test_select_tasks_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    write_tasks(path, [bank_task(), bank_read_task(), bank_task("bank-test", 10, split="test")])
    assert [t.task_id for t in select_tasks(tasks_file=path)] == ["bank-transfer", "bank-read"]
    assert [t.task_id for t in select_tasks("test_bank", split="test", tasks_file=path)] == ["bank-test"]
    assert len(select_tasks(tasks_file=path, split=None, limit=2)) == 2
    with pytest.raises(FileNotFoundError):
        select_tasks(tasks_file=tmp_path / "nope.jsonl")
    with pytest.raises(ValueError):
        select_tasks(tasks_file=path, limit=0)
    with pytest.raises(ValueError):
        select_tasks()


def _task_file(tmp_path: Path, tasks: list[Task]) -> Path:
    path = tmp_path / "tasks.jsonl"
    write_tasks(path, tasks)
    return path


def test_cli_exports(tmp_path: Path) -> None:
    tasks_path = _task_file(tmp_path, [bank_task(), bank_read_task()])
    runner = CliRunner()
    sft_out = tmp_path / "sft.jsonl"
    result = runner.invoke(app, ["export", "sft", "--tasks-file", str(tasks_path), "--output", str(sft_out)])
    assert result.exit_code == 0, result.output
    assert len(load_dataset_file(sft_out)) == 2
    verl_out = tmp_path / "verl.parquet"
    result = runner.invoke(app, ["export", "rl", "--tasks-file", str(tasks_path), "--verl", "-o", str(verl_out)])
    assert result.exit_code == 0, result.output
    row = load_dataset_file(verl_out)[0]
    assert row["agent_name"] == "envfactory_agent" and row["extra_info"]["task_id"] == "bank-transfer"


def test_cli_export_refuses_bad_input_and_writes_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["export", "sft", "--tasks-file", str(tmp_path / "none.jsonl"), "-o", str(out)])
    assert result.exit_code == 2 and "does not exist" in plain(result.output)
    result = runner.invoke(app, ["export", "rl", "no_such_environment", "-o", str(out)])
    assert result.exit_code == 2
    tasks_path = _task_file(tmp_path, [bank_task()])
    result = runner.invoke(
        app, ["export", "sft", "--tasks-file", str(tasks_path), "--tool-schemas", "xml", "-o", str(out)]
    )
    assert result.exit_code == 2 and "must be one of engine, trl, compact" in plain(result.output)
    assert not out.exists()
