"""The evaluation runner (concurrency, resume, failures, CLI) and the leaderboard metrics (pass^k, intervals)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from envfactory_gym.agents.baselines import OracleAgent
from envfactory_gym.cli import app
from envfactory_gym.evaluation import (
    EvalConfig,
    EvaluationError,
    TaskSet,
    evaluate,
    read_records,
    select_tasks,
)
from envfactory_gym.metrics import bootstrap_interval, group_metrics, mean_pass_hat_k, run_metrics, wilson_interval
from envfactory_gym.results import EpisodeRecord, redact_spec, summary_path
from envfactory_gym.tasks import Task, write_tasks
from tests.conftest import bank_read_task, bank_task

REPO = Path(__file__).resolve().parent.parent


def bank_test_tasks() -> list[Task]:
    return [
        bank_task("bank-t1", 50, split="test"),
        bank_task("bank-t2", 20, split="test"),
        bank_read_task("bank-t3").model_copy(update={"split": "test"}),
    ]


@pytest.fixture(scope="module")
def task_set() -> TaskSet:
    return select_tasks(tasks=bank_test_tasks(), split="test")


def config(agent: str = "oracle", **overrides: Any) -> EvalConfig:
    return EvalConfig(agent=agent, progress=False, **overrides)


class CountingOracle(OracleAgent):
    """The oracle, remembering which (task, seed) episodes it was started on."""

    def __init__(self, played: list[tuple[str, int | None]]) -> None:
        super().__init__()
        self.played = played

    def start(self, task: Task | None, tools: list[dict[str, Any]], seed: int | None = None) -> None:
        assert task is not None
        self.played.append((task.task_id, seed))
        super().start(task, tools, seed)


# -- runner ---------------------------------------------------------------------------------------------------


def test_oracle_solves_every_episode_and_noop_none(task_set: TaskSet, tmp_path: Path) -> None:
    oracle = evaluate(task_set, config(trials=2, concurrency=3), tmp_path / "oracle.jsonl")
    noop = evaluate(task_set, config("noop", trials=2), tmp_path / "noop.jsonl")
    assert len(oracle.records) == 6 and {(r.task_id, r.trial) for r in oracle.records} == {
        (t, k) for t in ("bank-t1", "bank-t2", "bank-t3") for k in (0, 1)
    }
    assert all(r.success and r.reward == 1.0 for r in oracle.records)
    assert oracle.summary.metrics.overall.pass_hat_k["2"].value == 1.0 and oracle.summary.complete
    assert noop.summary.metrics.overall.success_rate.value == 0.0
    record = oracle.records[0]
    assert record.messages[0]["role"] == "system" and record.messages[-1]["role"] == "assistant"
    assert {t["function"]["name"] for t in record.tools} >= {"transfer", "get_account"}
    assert record.seconds_env > 0 and record.task_hash == task_set.tasks[0].task_hash
    assert summary_path(tmp_path / "oracle.jsonl").exists()


def test_concurrent_runs_give_the_same_episodes_as_sequential_ones(task_set: TaskSet, tmp_path: Path) -> None:
    sequential = evaluate(task_set, config("random:seed=4", trials=3), tmp_path / "a.jsonl")
    concurrent = evaluate(task_set, config("random:seed=4", trials=3, concurrency=8), tmp_path / "b.jsonl")

    def outcome(records: list[EpisodeRecord]) -> list[tuple[Any, ...]]:
        return sorted((r.task_id, r.trial, r.reward, r.state_hash, r.steps) for r in records)

    assert outcome(sequential.records) == outcome(concurrent.records)
    assert len({r.state_hash for r in sequential.records}) > 1  # the random agent really did different things


def test_resume_skips_finished_pairs_and_drops_a_torn_line(task_set: TaskSet, tmp_path: Path) -> None:
    output = tmp_path / "run.jsonl"
    evaluate(task_set, config(trials=2), output)
    lines = output.read_bytes().splitlines(keepends=True)
    finished = [EpisodeRecord.model_validate_json(line) for line in lines[:3]]
    output.write_bytes(b"".join(lines[:3]) + lines[3][: len(lines[3]) // 2])  # killed while writing line 4
    played: list[tuple[str, int | None]] = []
    outcome = evaluate(task_set, config(trials=2), output, agent_factory=lambda: CountingOracle(played))
    expected = {(t.task.task_id, trial) for t in task_set.tasks for trial in (0, 1)}
    assert sorted(played) == sorted(expected - {(r.task_id, r.trial) for r in finished})
    assert outcome.skipped == 3 and outcome.summary.complete
    records, size = read_records(output)
    assert size == output.stat().st_size and sorted((r.task_id, r.trial) for r in records) == sorted(expected)


def test_a_killed_run_resumes_without_redoing_finished_episodes(tmp_path: Path) -> None:
    output = tmp_path / "killed.jsonl"
    script = tmp_path / "run.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import time
            from envfactory_gym.agents.baselines import OracleAgent
            from envfactory_gym.evaluation import EvalConfig, evaluate, select_tasks
            from tests.test_evaluation import bank_test_tasks

            class StuckOnThird(OracleAgent):
                def act(self, messages):
                    if self.task.task_id == "bank-t3":
                        time.sleep(600)  # never finishes: the test kills the process here
                    return super().act(messages)

            task_set = select_tasks(tasks=bank_test_tasks(), split="test")
            evaluate(task_set, EvalConfig(agent="oracle", progress=False), {str(output)!r}, agent_factory=StuckOnThird)
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, str(script)], cwd=REPO, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (output.exists() and output.read_bytes().count(b"\n") >= 2):
            assert process.poll() is None, "the evaluation subprocess exited early"
            assert time.monotonic() < deadline, "the evaluation subprocess wrote nothing"
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    played: list[tuple[str, int | None]] = []
    outcome = evaluate(
        select_tasks(tasks=bank_test_tasks(), split="test"),
        config(),
        output,
        agent_factory=lambda: CountingOracle(played),
    )
    assert played == [("bank-t3", 0)] and outcome.skipped == 2
    assert outcome.summary.complete and outcome.summary.metrics.overall.success_rate.value == 1.0


def test_results_of_another_agent_are_refused_and_left_alone(task_set: TaskSet, tmp_path: Path) -> None:
    output = tmp_path / "run.jsonl"
    evaluate(task_set, config(), output)
    before = output.read_bytes()
    with pytest.raises(EvaluationError, match="holds results of agent 'oracle'"):
        evaluate(task_set, config("noop"), output)
    changed = [bank_task("bank-t1", 51, split="test"), *bank_test_tasks()[1:]]
    with pytest.raises(EvaluationError, match="different version of task 'bank-t1'"):
        evaluate(select_tasks(tasks=changed, split="test"), config(), output)
    assert output.read_bytes() == before


def test_agent_failures_are_not_scored_and_a_rerun_retries_them(task_set: TaskSet, tmp_path: Path) -> None:
    class FailsOnSecond(OracleAgent):
        def act(self, messages: list[dict[str, Any]]) -> str | dict[str, Any]:
            assert self.task is not None
            if self.task.task_id == "bank-t2":
                raise ConnectionError("endpoint unreachable")
            return super().act(messages)

    output = tmp_path / "run.jsonl"
    first = evaluate(task_set, config(), output, agent_factory=FailsOnSecond)
    assert [(f.task_id, f.trial) for f in first.failures] == [("bank-t2", 0)]
    assert "endpoint unreachable" in first.failures[0].error
    assert not first.summary.complete and first.summary.episodes_completed == 2
    assert {r.task_id for r in read_records(output)[0]} == {"bank-t1", "bank-t3"}
    second = evaluate(task_set, config(), output)
    assert second.summary.complete and not second.failures and second.skipped == 2


def test_secrets_in_the_agent_spec_never_reach_results_files(task_set: TaskSet, tmp_path: Path) -> None:
    assert redact_spec("openai:model=m,api_key=sk-123,base_url=u") == "openai:model=m,api_key=***,base_url=u"

    class Named(OracleAgent):
        def __init__(self, **options: str) -> None:
            super().__init__()

    output = tmp_path / "run.jsonl"
    evaluate(task_set, config("oracle:api_key=sk-secret-1"), output, agent_factory=Named)
    assert "sk-secret-1" not in output.read_text() + summary_path(output).read_text()


def test_task_selection_limits_and_errors(tmp_path: Path) -> None:
    many = [bank_task(f"bank-{i}", 10 + i, split="test") for i in range(5)]
    assert [t.task.task_id for t in select_tasks(tasks=many, split="test", limit=2).tasks] == ["bank-0", "bank-1"]
    with pytest.raises(EvaluationError, match="No 'train' tasks"):
        select_tasks(tasks=many[:1], split="train")
    with pytest.raises(EvaluationError, match="appears twice"):
        select_tasks(tasks=[many[0], many[0]], split="test")
    with pytest.raises(EvaluationError, match="neither an environment nor a domain"):
        select_tasks(["no_such_env"])
    with pytest.raises(EvaluationError, match="--envs or --domain"):
        select_tasks(["airline"], "travel")


def test_eval_command_runs_a_task_file_and_rejects_bad_input(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.jsonl"
    write_tasks(tasks, bank_test_tasks())
    output = tmp_path / "out" / "oracle.jsonl"
    runner = CliRunner()
    arguments = ["eval", "--agent", "oracle", "--tasks", str(tasks), "--no-progress", "-k", "2", "-c", "2"]
    result = runner.invoke(app, [*arguments, "--output", str(output)])
    assert result.exit_code == 0, result.output
    summary = json.loads(summary_path(output).read_text())
    assert summary["episodes_completed"] == 6 and summary["metrics"]["overall"]["success_rate"]["value"] == 1.0
    assert summary["task_files"] == {"tasks.jsonl": summary["task_files"]["tasks.jsonl"]}
    bad = runner.invoke(app, [*arguments, "--output", str(tmp_path / "out.txt")])
    assert bad.exit_code == 2 and "must be a .jsonl file" in bad.output
    assert not (tmp_path / "out.txt").exists()
    fresh = tmp_path / "fresh.jsonl"
    unknown = runner.invoke(app, ["eval", "--agent", "no_such_agent", "--tasks", str(tasks), "-o", str(fresh)])
    assert unknown.exit_code == 2 and "Unknown agent kind" in unknown.output and not fresh.exists()


# -- metrics --------------------------------------------------------------------------------------------------


def record(
    task_id: str, trial: int, success: bool, reward: float | None = None, domain: str = "finance"
) -> EpisodeRecord:
    return EpisodeRecord(
        agent="x",
        task_id=task_id,
        trial=trial,
        seed=trial,
        split="test",
        domain=domain,
        env_ids=[f"{domain}_env"],
        task_hash="h",
        reward=(1.0 if success else 0.0) if reward is None else reward,
        success=success,
        terminated=True,
        truncated=False,
        steps=2,
        seconds_env=0.0,
        seconds_agent=0.0,
        messages=[],
        tools=[],
        finished_at="2025-01-01T00:00:00+00:00",
    )


def test_pass_hat_k_matches_hand_worked_tau2_examples() -> None:
    # Task A: 3 of 4 trials succeed. pass^1 = 3/4, pass^2 = C(3,2)/C(4,2) = 3/6, pass^3 = C(3,3)/C(4,3) = 1/4,
    # pass^4 = 0. Task B: 4 of 4. Task C: 1 of 4: pass^1 = 1/4, then 0. tau2-bench averages over tasks.
    outcomes = {"A": [True, True, False, True], "B": [True] * 4, "C": [False, False, True, False]}
    assert mean_pass_hat_k(outcomes, 1) == pytest.approx((3 / 4 + 1 + 1 / 4) / 3)
    assert mean_pass_hat_k(outcomes, 2) == pytest.approx((1 / 2 + 1 + 0) / 3)
    assert mean_pass_hat_k(outcomes, 3) == pytest.approx((1 / 4 + 1 + 0) / 3)
    assert mean_pass_hat_k(outcomes, 4) == pytest.approx((0 + 1 + 0) / 3)
    records = [record(task, trial, ok) for task, trials in outcomes.items() for trial, ok in enumerate(trials)]
    metrics = group_metrics(records)
    assert list(metrics.pass_hat_k) == ["1", "2", "3", "4"]
    assert metrics.pass_hat_k["2"].value == pytest.approx(0.5) and metrics.pass_hat_k["4"].value == pytest.approx(1 / 3)
    assert metrics.success_rate.value == pytest.approx(8 / 12) and metrics.tasks == 3 and metrics.episodes == 12


def test_pass_hat_k_stops_at_the_fewest_trials_of_any_task() -> None:
    records = [record("A", 0, True), record("A", 1, True), record("B", 0, False)]
    assert list(group_metrics(records).pass_hat_k) == ["1"]


def test_wilson_interval_matches_the_textbook_value() -> None:
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4) and high == pytest.approx(0.9433, abs=1e-4)
    assert wilson_interval(0, 10)[0] == pytest.approx(0.0) and wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert wilson_interval(0, 10)[1] == pytest.approx(0.2775, abs=1e-4)


def test_bootstrap_interval_is_seeded_and_brackets_the_mean() -> None:
    values = [0.0, 0.25, 0.5, 1.0, 1.0, 0.0, 0.75]
    first = bootstrap_interval(values, seed=3)
    assert first == bootstrap_interval(values, seed=3) and first != bootstrap_interval(values, seed=4)
    assert first[0] < sum(values) / len(values) < first[1]
    assert bootstrap_interval([0.5] * 5) == pytest.approx((0.5, 0.5))


def test_metrics_are_grouped_by_environment_and_domain() -> None:
    records = [record("A", 0, True), record("B", 0, False), record("C", 0, True, 0.95, domain="travel")]
    metrics = run_metrics(records)
    assert set(metrics.by_domain) == {"finance", "travel"} and set(metrics.by_environment) == {
        "finance_env",
        "travel_env",
    }
    assert metrics.by_domain["finance"].success_rate.value == 0.5
    assert metrics.by_domain["travel"].mean_reward.value == pytest.approx(0.95)
    assert metrics.overall.mean_reward.value == pytest.approx((1 + 0 + 0.95) / 3)


# -- hostile model output, unrecordable episodes, concurrent runs on one file ---------------------------------


def test_a_model_output_with_lone_surrogates_is_recorded_as_valid_utf8(task_set: TaskSet, tmp_path: Path) -> None:
    """An argument name holding a lone surrogate is echoed in the error observation; the record still serialises."""

    class SurrogateFirst(OracleAgent):
        def act(self, messages: list[dict[str, Any]]) -> str | dict[str, Any]:
            if len(messages) == 2:  # the first turn: a broken call, then the oracle's solution
                call = {"name": "get_account", "arguments": {"account_id\ud83d": "A0001"}}
                return {"role": "assistant", "content": "Let me look \udc00", "tool_calls": [{"function": call}]}
            return super().act(messages)

    output = tmp_path / "run.jsonl"
    outcome = evaluate(task_set, config(), output, agent_factory=SurrogateFirst)
    assert not outcome.failures and outcome.summary.complete
    records = [json.loads(line) for line in output.read_bytes().decode("utf-8", errors="strict").splitlines()]
    assert len(records) == 3 and all(r["reward"] == 0.95 for r in records)  # one malformed call: 5 % off
    first_observation = next(m for m in records[0]["messages"] if m["role"] == "tool")["content"]
    assert "Unknown argument(s)" in first_observation and "account_id\ufffd" in first_observation


def test_an_episode_that_fails_to_record_is_a_failure_and_the_run_goes_on(
    task_set: TaskSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serialise = EpisodeRecord.model_dump_json

    def failing_for_t2(record: EpisodeRecord, **kwargs: Any) -> str:
        if record.task_id == "bank-t2":
            raise ValueError("cannot serialise this record")
        return serialise(record, **kwargs)

    monkeypatch.setattr(EpisodeRecord, "model_dump_json", failing_for_t2)
    output = tmp_path / "run.jsonl"
    outcome = evaluate(task_set, config(), output)
    assert [(f.task_id, "cannot serialise" in f.error) for f in outcome.failures] == [("bank-t2", True)]
    assert outcome.summary.episodes_failed == 1 and not outcome.summary.complete
    assert sorted(r.task_id for r in read_records(output)[0]) == ["bank-t1", "bank-t3"]


def test_a_second_run_on_the_same_output_is_refused_while_the_first_runs(task_set: TaskSet, tmp_path: Path) -> None:
    import threading

    started, release = threading.Event(), threading.Event()

    class Paused(OracleAgent):
        def act(self, messages: list[dict[str, Any]]) -> str | dict[str, Any]:
            started.set()
            release.wait(timeout=300)  # bounded: released by the test as soon as the second run was refused
            return super().act(messages)

    output = tmp_path / "run.jsonl"
    outcomes: list[Any] = []
    first = threading.Thread(target=lambda: outcomes.append(evaluate(task_set, config(), output, Paused)))
    first.start()
    try:
        assert started.wait(timeout=300)
        with pytest.raises(EvaluationError, match=r"Another envfactory eval is writing .*run\.jsonl"):
            evaluate(task_set, config(), output)
    finally:
        release.set()
        first.join(timeout=300)
    assert outcomes and outcomes[0].summary.complete
    records = read_records(output)[0]
    assert sorted((r.task_id, r.trial) for r in records) == [("bank-t1", 0), ("bank-t2", 0), ("bank-t3", 0)]
    # The lock goes with the run: the next run on the file resumes it. The results folder holds only results.
    assert evaluate(task_set, config(), output).skipped == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.jsonl", "run.summary.json"]


def test_two_eval_processes_on_one_output_never_duplicate_records(tmp_path: Path) -> None:
    """Two ``envfactory eval`` processes on one file: whichever comes second is refused with a clear message."""
    task_path = tmp_path / "tasks.jsonl"
    write_tasks(task_path, bank_test_tasks())
    output = tmp_path / "run.jsonl"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, filelock
                from envfactory_gym.evaluation import lock_path
                from pathlib import Path
                lock = filelock.FileLock(lock_path(Path({str(output)!r})))
                lock.acquire(timeout=0)
                print("locked", flush=True)
                sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(REPO),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = CliRunner().invoke(
            app,
            ["eval", "--agent", "oracle", "--tasks", str(task_path), "--output", str(output), "--no-progress"],
        )
        assert result.exit_code == 2 and "Another envfactory eval is writing" in result.output
        assert not output.exists() or output.read_bytes() == b""
    finally:
        holder.communicate("", timeout=60)
