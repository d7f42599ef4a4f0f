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
    assert [c.name for c in report.checks] == [
        "schemas",
        "check_env",
        "determinism",
        "tasks",
        "oracle",
        "lint",
        "probes",
        "fuzz",
        "isolation",
    ]
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
