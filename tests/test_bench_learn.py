"""The learning benchmark end to end at toy size (suite tasks, tiny model, a few steps), so that it cannot rot."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def bench_learn() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_learn", ROOT / "benchmarks" / "bench_learn.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_sft_then_grpo_on_travel_tasks_at_toy_size(tmp_path: Path) -> None:
    bench = bench_learn()
    options = bench.parse_options(
        [
            "--envs=weather",
            "--seeds=0",
            "--train-limit=2",
            "--extra-train=2",
            "--test-limit=1",
            "--train-eval-limit=1",
            "--hidden-size=32",
            "--vocab-size=2000",
            "--sft-steps=4",
            "--sft-batch-size=2",
            "--grpo-steps=1",
            "--grpo-prompts-per-step=1",
            "--grpo-generations=2",
            "--grpo-completion-tokens=48",
            "--eval-every=1",
            "--max-turns=2",
            "--max-new-tokens=16",
            f"--output={tmp_path}",
        ]
    )
    results = bench.run(options)

    assert results["tasks"]["train"] == 2 + 2 and results["tasks"]["test"] == 1  # two packaged, two synthesized
    (seed,) = results["seeds"]
    for stage in ("test_before", "test_after_sft", "train_after_sft"):
        assert seed[stage]["weather"]["episodes"] == 1  # every episode was played and scored by the rubric
    losses = seed["sft_loss"]
    assert len(losses) == 4 and losses[-1] < losses[0]  # SFT trained on the oracle trajectories

    grpo = results["grpo"]
    (step,) = grpo["steps"]
    assert step["step"] == 1 and step["diagnostics/episodes"] == 2  # one prompt, two generations, all scored
    assert 0.0 <= step["reward"] <= 1.0 and "diagnostics/malformed_call_rate" in step
    assert [h["step"] for h in grpo["held_out"]] == [0, 1]

    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["grpo"]["steps"] == grpo["steps"]
    assert (tmp_path / "learning_curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = bench.table(results)
    assert "| weather | 4 / 1 |" in table and "held-out success" in table


def test_options_are_checked() -> None:
    bench = bench_learn()
    with pytest.raises(SystemExit):
        bench.parse_options(["--sft-stepz=3"])
    with pytest.raises(SystemExit):
        bench.parse_options(["--seeds="])
    with pytest.raises(SystemExit, match="Unknown or unimplemented environment"):
        bench.suite_tasks(["no_such_env"], "train", None)


def test_extra_train_tasks_are_new_and_never_a_test_task() -> None:
    bench = bench_learn()
    test = bench.suite_tasks(["weather"], "test", None)
    packaged = {t.task_id for t in bench.suite_tasks(["weather"], "train", None)} | {t.task_id for t in test}
    extra = bench.extra_train_tasks(["weather"], 6, test)

    assert len(extra) == 6 and {t.split for t in extra} == {"train"}
    assert not {t.task_id for t in extra} & packaged and len({t.task_id for t in extra}) == 6
    test_queries = {t.query for t in test}
    test_calls = [[c.model_dump() for c in t.gold_calls] for t in test]
    for task in extra:
        assert task.query not in test_queries
        assert [c.model_dump() for c in task.gold_calls] not in test_calls
    assert len({t.query for t in extra}) == 6  # no duplicates among the extra tasks either
    assert bench.extra_train_tasks(["weather"], 0, test) == []


def test_call_match_scores_the_steps_towards_success() -> None:
    bench = bench_learn()
    (task,) = bench.suite_tasks(["weather"], "test", 1)
    first, second = task.gold_calls[0], task.gold_calls[1]

    def assistant(*calls: tuple[str, str]) -> dict[str, object]:
        return {
            "role": "assistant",
            "content": "",
            "tool_calls": [{"function": {"name": name, "arguments": arguments}} for name, arguments in calls],
        }

    right = json.dumps(first.arguments)
    assert bench.call_match(task, []) == (False, 0.0)
    assert bench.call_match(task, [assistant((first.tool, "{}"))]) == (True, 0.0)  # right tool, wrong values
    made, share = bench.call_match(task, [assistant((first.tool, right)), assistant((second.tool, "not json"))])
    assert made and share == 1 / len(task.gold_calls)
    assert bench.call_match(task, [assistant(("get_forecast_typo", right))]) == (False, 0.0)
