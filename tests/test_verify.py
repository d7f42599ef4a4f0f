"""The verification harness passes a sound environment and catches broken ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from envfactory_gym.synthesis.pipeline import SynthesisConfig, synthesis_record, synthesize
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.verify import check_fuzz, check_oracle, check_tasks, verify
from tests.fixtures import bank


@pytest.fixture
def sound_bank() -> Iterator[None]:
    """The fixture bank without its deliberately buggy read tool."""
    buggy = bank.env.tools.pop("buggy_lookup")
    try:
        yield
    finally:
        bank.env.tools["buggy_lookup"] = buggy


def _tasks() -> list[Task]:
    # Recorded as `envfactory synth` records them, so the determinism check remakes them.
    record = synthesis_record(0, 16)
    return [
        t.model_copy(update={"metadata": {**t.metadata, **record}})
        for t in synthesize("test_bank", SynthesisConfig(n=16, seed=0)).tasks
    ]


def test_a_sound_environment_passes_every_check(sound_bank: None) -> None:
    report = verify("test_bank", fuzz_actions=300, tasks=_tasks())
    checks = "schemas check_env determinism tasks oracle lint probes conversational fuzz isolation"
    assert [c.name for c in report.checks] == checks.split()
    failed = [c for c in report.checks if not c.passed]
    # On a three-tool toy bank, random calls with values from the request do solve some one-call tasks;
    # the 2 % bound is for realistic environments. Here only the probe report itself is checked.
    assert [c.name for c in failed] in ([], ["probes"]), failed
    probes = next(c for c in report.checks if c.name == "probes")
    assert probes.detail.startswith("noop 0.0%, random ") and ", dump " in probes.detail
    # The answer probes run too (a toy read returns so few values that a spray of them can be the answer);
    # restating the facts in other formats, or in helpful sentences, passes wherever the oracle does.
    assert ", spray " in probes.detail
    assert ", format 100.0%" in probes.detail and ", helpful 100.0%" in probes.detail


def test_a_buggy_tool_fails_fuzzing_and_task_coverage() -> None:
    report = verify("test_bank", fuzz_actions=300, tasks=_tasks())
    by_name = {c.name: c for c in report.checks}
    assert not report.passed
    assert not by_name["fuzz"].passed and "internal error" in by_name["fuzz"].detail
    assert not by_name["tasks"].passed and "buggy_lookup" in by_name["tasks"].detail


def test_oracle_check_catches_a_wrong_gold_solution(sound_bank: None) -> None:
    tasks = _tasks()
    wrong = [GoldCall(env_id="test_bank", tool="get_account", arguments={"account_id": "A0001"})]
    broken = tasks[0].model_copy(update={"gold_calls": wrong})
    passed, detail = check_oracle("test_bank", [broken, *tasks[1:]])
    assert not passed and tasks[0].task_id in detail


def test_check_tasks_requires_tasks() -> None:
    assert check_tasks(["test_bank"], []) == (False, "no tasks")


def test_fuzzing_a_sound_environment_passes(sound_bank: None) -> None:
    passed, detail = check_fuzz("test_bank", _tasks(), 300)
    assert passed, detail
    assert "300 actions" in detail


def test_determinism_check_catches_a_task_that_synthesis_would_not_make(sound_bank: None) -> None:
    from envfactory_gym.verify import check_determinism

    tasks = _tasks()
    passed, detail = check_determinism(["test_bank"], "test_bank", tasks)
    assert passed and "all 16 tasks reproduce" in detail
    tampered = [tasks[0].model_copy(update={"query": tasks[0].query + " Please hurry."}), *tasks[1:]]
    passed, detail = check_determinism(["test_bank"], "test_bank", tampered)
    assert not passed and tasks[0].task_id in detail


def test_conversational_check_needs_the_user_to_act_and_the_builders_tasks() -> None:
    from envfactory_gym.verify import check_conversational
    from tests.conftest import bank_task
    from tests.test_conversation import look_then_freeze_task

    dual = look_then_freeze_task()
    assert check_conversational("test_bank", []) == (True, "no conversational tasks packaged")
    passed, detail = check_conversational("test_bank", [dual])
    assert passed and "1 tasks (1 where the user acts): asking oracle 1/1, never asking 0/1" in detail, detail
    # A task the assistant can finish alone needs no user: the never-asking oracle solves it.
    passed, detail = check_conversational("test_bank", [dual, bank_task()])
    assert not passed and "never asking 1/2" in detail
    # A gold change set the user's call does not reach: the asking oracle fails it.
    wrong = dual.model_copy(update={"task_id": "wrong-gold", "gold_changes": []})
    passed, detail = check_conversational("test_bank", [dual, wrong])
    assert not passed and "the asking oracle failed wrong-gold" in detail
    # A builder registered on the environment makes a task the file lacks (or holds differently): stale.
    bank.env.conversational_builders.append(lambda: [dual])
    try:
        changed = dual.model_copy(update={"query": dual.query + " Quickly."})
        passed, detail = check_conversational("test_bank", [changed])
        assert not passed and "builders now make other tasks for bank-look-then-freeze" in detail
    finally:
        bank.env.conversational_builders.pop()
