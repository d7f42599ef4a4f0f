"""BFCL multi-turn ground truth replays on travel_booking, vehicle_control, message, ticket_management and posting.

Two sources of tasks:

* a committed fixture of hand-written tasks in BFCL's format (our own data: travel, vehicle, one
  MessageAPI + TicketAPI and one TwitterAPI + TicketAPI task), with the final state worked out by hand —
  runs everywhere. Its posts name their mention list: BFCL's ``post_tweet`` shares one default list between
  calls, so a ``mention`` on a post made without one would change every later post in the process;
* every multi-turn task of the installed ``bfcl-eval`` package whose classes are all among TravelAPI,
  VehicleControlAPI, MessageAPI, TicketAPI and TwitterAPI (categories base, miss_param, miss_func and
  long_context; the last loads both sides in BFCL's long-context mode, ours with the padding read from the
  installed package: see ``bfcl.long_context``) — skipped when bfcl-eval is not installed.

For both, when bfcl-eval is installed, BFCL's own classes run the same calls from the same initial_config:
every call must succeed in both, return the same JSON, and leave the same final state (compared on every
public attribute, and with BFCL's ``__eq__`` where a class has one, after loading our dumped state into a
fresh BFCL object; plus what BFCL's ``__eq__`` skips: the brake forces and the position of the seeded id
stream).
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import math
from pathlib import Path
from typing import Any

import pytest

from envfactory_gym.domains.bfcl.calls import CallSyntaxError, bind_arguments, parse_call
from envfactory_gym.domains.bfcl.stream import SeededStream
from envfactory_gym.domains.bfcl.tasks import (
    REPLAYABLE_CATEGORIES,
    BfclTask,
    installed_tasks,
    read_task_file,
    replay,
)

FIXTURE = Path(__file__).parent / "fixtures" / "bfcl_multi_turn_tasks.json"
BFCL_INSTALLED = importlib.util.find_spec("bfcl_eval") is not None
NOT_INSTALLED = "bfcl-eval is not installed (pip install --no-deps bfcl-eval)"

FIXTURE_TASKS = read_task_file(FIXTURE)
BFCL_TASKS = installed_tasks()


def _task_params(tasks: list[BfclTask]) -> list[Any]:
    if not tasks:
        return [pytest.param(None, marks=pytest.mark.skip(reason=NOT_INSTALLED))]
    return [pytest.param(task, id=task.task_id) for task in tasks]


def _bfcl_class(name: str) -> type:
    module = {
        "TravelAPI": "bfcl_eval.eval_checker.multi_turn_eval.func_source_code.travel_booking",
        "VehicleControlAPI": "bfcl_eval.eval_checker.multi_turn_eval.func_source_code.vehicle_control",
        "MessageAPI": "bfcl_eval.eval_checker.multi_turn_eval.func_source_code.message_api",
        "TicketAPI": "bfcl_eval.eval_checker.multi_turn_eval.func_source_code.ticket_api",
        "TwitterAPI": "bfcl_eval.eval_checker.multi_turn_eval.func_source_code.posting_api",
    }[name]
    return getattr(importlib.import_module(module), name)


def _same(ours: Any, theirs: Any) -> bool:
    """JSON values equal, floats to 1e-9 relative (BFCL's ints and our floats compare equal)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(_same(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(_same(a, b) for a, b in zip(ours, theirs, strict=True))
    if isinstance(ours, int | float) and isinstance(theirs, int | float) and not isinstance(ours, bool):
        return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-9)
    return ours == theirs


def _run_bfcl(task: BfclTask) -> tuple[dict[str, Any], list[Any]]:
    """BFCL's own classes on the task: the objects after the calls, and each call's return value."""
    objects = {}
    for name in task.involved_classes:
        instance = _bfcl_class(name)()
        instance._load_scenario(copy.deepcopy(task.initial_config.get(name, {})), long_context=task.long_context)
        objects[name] = instance
    outputs = []
    for text in task.calls:
        call = parse_call(text)
        (owner,) = [o for o in objects.values() if hasattr(o, call.name)]
        try:
            outputs.append(json.loads(json.dumps(getattr(owner, call.name)(*call.args, **call.kwargs))))
        except (KeyError, TypeError, ValueError) as exc:  # BFCL raises for some refusals; its executor reports them
            outputs.append({"error": repr(exc)})
    return objects, outputs


def _as_bfcl_config(name: str, config: dict[str, Any]) -> dict[str, Any]:
    """Our dumped initial_config as BFCL's object holds it: JSON has no sets (MessageAPI's ids are one) and
    only text keys (TwitterAPI's tools key the reply threads they start by number)."""
    config = copy.deepcopy(config)
    if name == "MessageAPI":
        config["generated_ids"] = set(config["generated_ids"])
    if name == "TwitterAPI":
        numeric = set(config.get("envfactory", {}).get("numeric_comment_threads", []))
        config["comments"] = {int(k) if int(k) in numeric else k: v for k, v in config["comments"].items()}
    return config


def _check_against_bfcl(task: BfclTask) -> None:
    result = replay(task)
    objects, bfcl_outputs = _run_bfcl(task)
    for step, theirs in zip(result.steps, bfcl_outputs, strict=True):
        bfcl_failed = isinstance(theirs, dict) and "error" in theirs
        assert step.result.ok, f"{task.task_id}: {step.call} was refused here: {step.result.content}"
        assert not bfcl_failed, f"{task.task_id}: {step.call} fails in BFCL: {theirs}"
        assert _same(step.output, theirs), f"{task.task_id}: {step.call}\n ours: {step.output}\n BFCL: {theirs}"
    for name, expected in objects.items():
        ours = _bfcl_class(name)()
        ours._load_scenario(_as_bfcl_config(name, result.final_config[name]), long_context=task.long_context)
        differing = {
            k: (getattr(ours, k), getattr(expected, k))
            for k in vars(expected)
            if not k.startswith("_") and getattr(ours, k) != getattr(expected, k)
        }
        assert not differing, f"{task.task_id}: final {name} state differs (ours, BFCL): {differing}"
        assert vars(ours).keys() == vars(expected).keys(), f"{task.task_id}: {name} attributes differ"
        if type(expected).__eq__ is not object.__eq__:  # TicketAPI has no __eq__: the attributes decide
            assert ours == expected, f"{task.task_id}: final {name} state differs by BFCL's __eq__"
        if name == "VehicleControlAPI":
            for private in ("_parkingBrakeForce", "_slopeAngle", "_brakePedalForce"):
                assert getattr(ours, private) == getattr(expected, private), f"{task.task_id}: {private} differs"
        if name in ("TravelAPI", "MessageAPI"):
            config = result.final_config[name]
            stream = SeededStream(config["random_seed"], config["envfactory"]["random_words_used"])
            assert stream.state() == expected._random.getstate(), f"{task.task_id}: id stream out of step"


# -- the committed fixture: runs without bfcl-eval -----------------------------------------------------


@pytest.mark.parametrize("task", FIXTURE_TASKS, ids=[t.task_id for t in FIXTURE_TASKS])
def test_fixture_ground_truth_reaches_the_expected_state(task: BfclTask) -> None:
    result = replay(task)
    refused = [(s.call, s.result.content) for s in result.steps if not s.result.ok]
    assert not refused, refused
    assert task.expected_final_config, "fixture tasks state their expected final state"
    for name, expected in task.expected_final_config.items():
        final = result.final_config[name]
        for key, value in expected.items():
            if key == "envfactory":
                for extension_key, extension_value in value.items():
                    assert final["envfactory"][extension_key] == extension_value, (task.task_id, extension_key)
            else:
                assert _same(final[key], value), f"{task.task_id}: {key} is {final[key]!r}, expected {value!r}"


def test_fixture_replay_reports_refusals_instead_of_raising() -> None:
    task = FIXTURE_TASKS[0]
    broken = BfclTask(
        task_id="broken",
        involved_classes=task.involved_classes,
        initial_config=task.initial_config,
        ground_truth=(("cancel_booking(access_token='wrong', booking_id='5511203')",),),
    )
    (step,) = replay(broken).steps
    assert not step.result.ok and "Invalid access token" in step.result.content


@pytest.mark.skipif(not BFCL_INSTALLED, reason=NOT_INSTALLED)
@pytest.mark.parametrize("task", FIXTURE_TASKS, ids=[t.task_id for t in FIXTURE_TASKS])
def test_fixture_matches_bfcl_classes(task: BfclTask) -> None:
    _check_against_bfcl(task)


# -- BFCL's own multi-turn tasks --------------------------------------------------------------------------


@pytest.mark.parametrize("task", _task_params(BFCL_TASKS))
def test_bfcl_ground_truth_replays_like_bfcl(task: BfclTask) -> None:
    _check_against_bfcl(task)


@pytest.mark.skipif(not BFCL_INSTALLED, reason=NOT_INSTALLED)
def test_installed_bfcl_has_tasks_for_both_classes() -> None:
    classes = {name for task in BFCL_TASKS for name in task.involved_classes}
    assert classes == {"TravelAPI", "VehicleControlAPI", "MessageAPI", "TicketAPI", "TwitterAPI"}
    assert len(BFCL_TASKS) >= 250


@pytest.mark.skipif(not BFCL_INSTALLED, reason=NOT_INSTALLED)
def test_replayed_tasks_per_category(capsys: pytest.CaptureFixture[str]) -> None:
    """How many installed tasks the replay covers per category (printed), and that mixed tasks are among them."""
    counts = {
        category: sum(t.task_id.startswith(f"multi_turn_{category}_") for t in BFCL_TASKS)
        for category in ("base", "miss_param", "miss_func", "long_context")
    }
    with capsys.disabled():
        print(f"\nBFCL multi-turn tasks replayed per category: {counts}")
    assert all(counts[c] > 0 for c in REPLAYABLE_CATEGORIES)
    # BFCL's long_context category is its base tasks in long-context mode: none of them may be left out.
    assert counts["long_context"] == counts["base"]
    assert any(t.long_context and "TravelAPI" in t.involved_classes for t in BFCL_TASKS)
    for name in ("MessageAPI", "TwitterAPI"):
        mixed = [t for t in BFCL_TASKS if name in t.involved_classes and len(t.involved_classes) > 1]
        assert mixed, f"tasks mixing {name} with the travel classes are replayed"


# -- parsing ground-truth call strings ----------------------------------------------------------------------


def test_parse_call_reads_positional_and_keyword_literals() -> None:
    call = parse_call("lockDoors(False, door=['driver', 'rear_left'])")
    assert call.name == "lockDoors" and call.args == (False,) and call.kwargs == {"door": ["driver", "rear_left"]}
    assert bind_arguments(call, ("unlock", "door")) == {"unlock": False, "door": ["driver", "rear_left"]}


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('true')", "f(x=open('/etc/passwd'))", "a.b(1)", "f(**{'x': 1})", "f(", "1 + 2"],
)
def test_parse_call_refuses_anything_but_a_literal_call(text: str) -> None:
    with pytest.raises(CallSyntaxError):
        parse_call(text)


def test_bind_arguments_refuses_duplicates_and_extra_positionals() -> None:
    with pytest.raises(CallSyntaxError):
        bind_arguments(parse_call("f(1, x=2)"), ("x",))
    with pytest.raises(CallSyntaxError):
        bind_arguments(parse_call("f(1, 2)"), ("x",))
