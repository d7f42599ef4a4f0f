"""Importing tau2-bench tasks (tasks.json + db.json) and grading them by their own checks.

Runs on the tau2-shaped fixtures written for the tests (tests/domains/fixtures/airline_tau2_*.json and
retail_tau2_*.json); airline and retail are the environments with a tau2 fidelity mode.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import DeclarativeBase
from typer.testing import CliRunner

from envfactory_gym import registry
from envfactory_gym.authoring import EnvironmentDefinition, ToolContext
from envfactory_gym.checks import action_matches, communicated, trajectory_calls
from envfactory_gym.cli import app
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.tasks import RequiredAction, Task, read_tasks, write_tasks
from envfactory_gym.tau2_tasks import Tau2ImportError, import_tau2_files, import_tau2_tasks

FIXTURES = Path(__file__).parent / "domains" / "fixtures"
TASKS_PATH, DB_PATH = FIXTURES / "airline_tau2_tasks.json", FIXTURES / "airline_tau2_fidelity_db.json"
TAU2_TASKS: list[dict[str, Any]] = json.loads(TASKS_PATH.read_text())
DB: dict[str, Any] = json.loads(DB_PATH.read_text())
runner = CliRunner()


def _by_id(tau2_id: str) -> dict[str, Any]:
    return copy.deepcopy(next(t for t in TAU2_TASKS if t["id"] == tau2_id))


def _imported(raw: dict[str, Any]) -> Task:
    (task,) = import_tau2_tasks("airline", [raw], DB)
    return task


def _message(content: str, calls: Sequence[tuple[str, dict[str, Any]]] = ()) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = [
            {"id": f"c{i}", "type": "function", "function": {"name": n, "arguments": json.dumps(a)}}
            for i, (n, a) in enumerate(calls)
        ]
    return message


def _episode(task: Task, turns: list[dict[str, Any]]) -> dict[str, Any]:
    env = ToolUseEnv("airline", tasks=[task], fidelity="tau2", split=task.split)
    try:
        env.reset(options={"task_id": task.task_id})
        for turn in turns:
            _, _, terminated, truncated, info = env.step(turn)
            if terminated or truncated:
                return info["reward_breakdown"]
        raise AssertionError("the episode did not end")
    finally:
        env.close()


# -- importing -------------------------------------------------------------------------------------------
def test_import_maps_tau2s_criteria_to_checks() -> None:
    tasks = {t.metadata["tau2"]["id"]: t for t in import_tau2_tasks("airline", TAU2_TASKS, DB)}
    assert len(tasks) == 6
    change = tasks["change_outbound_flight"]
    assert change.task_id == "tau2_airline_change_outbound_flight" and change.split == "test"
    assert change.checks is not None and change.checks.basis == ["state", "communicate"]
    assert change.checks.communicate == ["60"] and change.checks.fidelity == "tau2"
    assert change.scenario == {"airline": DB} and change.goal == "write" and len(change.gold_calls) == 3
    assert "Mara Lindqvist" in change.query and "May 17" in change.query
    passengers = tasks["correct_passenger_birth_date"].checks
    assert passengers is not None and passengers.basis == ["state", "actions"]
    assert passengers.actions[1].compare_args == ["reservation_id", "passengers"]
    (note,) = passengers.not_evaluated
    assert note.startswith("NL_ASSERTION is part of this task's tau2 reward basis") and "NOT evaluated" in note
    refusal = tasks["refuse_basic_economy_cancellation"]
    assert refusal.goal == "read" and refusal.gold_changes == []


def test_a_failing_gold_action_is_skipped_and_recorded_as_tau2_does() -> None:
    raw = _by_id("add_checked_bags")
    raw["evaluation_criteria"]["actions"].insert(
        0, {"action_id": "x", "name": "cancel_reservation", "arguments": {"reservation_id": "NOSUCH"}}
    )
    task = _imported(raw)
    (failure,) = task.metadata["tau2"]["gold_failures"]
    assert failure["action_id"] == "x" and "NOSUCH" in failure["error"]
    assert [c.tool for c in task.gold_calls] == [
        "get_user_details",
        "get_reservation_details",
        "update_reservation_baggages",
    ]
    assert task.checks is not None and len(task.checks.actions) == 4  # the action check still lists it


def test_imported_tasks_round_trip_and_other_tasks_are_written_as_before(tmp_path: Path) -> None:
    tasks = import_tau2_files("airline", TASKS_PATH, DB_PATH, tmp_path / "tau2.jsonl")
    assert read_tasks(tmp_path / "tau2.jsonl") == tasks
    assert tasks == [
        t.model_copy(update={"scenario": tasks[0].scenario}) for t in import_tau2_tasks("airline", TAU2_TASKS, DB)
    ]
    plain = tasks[0].model_copy(update={"checks": None})
    write_tasks(tmp_path / "plain.jsonl", [plain])
    assert '"checks"' not in (tmp_path / "plain.jsonl").read_text()


def test_the_database_is_written_once_beside_the_tasks_and_checked_by_its_hash(tmp_path: Path) -> None:
    output = tmp_path / "out" / "tau2.jsonl"
    import_tau2_files("airline", TASKS_PATH, DB_PATH, output)
    database = tmp_path / "out" / "tau2.db.json"
    assert database.read_bytes() == DB_PATH.read_bytes()
    text = output.read_text()
    assert (
        "mara.lindqvist7310@example.com" not in text and text.count('"path": "tau2.db.json"') == 6
    )  # a relative reference each
    moved = tmp_path / "moved"
    (tmp_path / "out").rename(moved)
    (task,) = [t for t in read_tasks(moved / "tau2.jsonl") if t.metadata["tau2"]["id"] == "add_checked_bags"]
    update = (task.gold_calls[-1].tool, task.gold_calls[-1].arguments)
    assert _episode(task, [_message("", [update]), _message("Done.")])["reward"] == 1.0
    edited = tmp_path / "edited"  # another folder: a state not built (and cached) before
    edited.mkdir()
    (edited / "tau2.jsonl").write_bytes((moved / "tau2.jsonl").read_bytes())
    (edited / "tau2.db.json").write_text(json.dumps({**DB, "users": {}}))
    changed = read_tasks(edited / "tau2.jsonl")[0]
    with pytest.raises(ValueError, match="has changed since the tasks were written"):
        _episode(changed, [_message("Done.")])


def _malformed(mutate: Any) -> list[dict[str, Any]]:
    tasks = copy.deepcopy(TAU2_TASKS)
    mutate(tasks)
    return tasks


MALFORMED = [
    (
        lambda t: t[2].pop("user_scenario"),
        r"task #2 \(id 'change_outbound_flight'\): field 'user_scenario': Field required",
    ),
    (
        lambda t: t[1]["evaluation_criteria"]["actions"][2].update(name="cancel_everything"),
        r"task #1 .*field 'evaluation_criteria.actions\[2\].name': 'cancel_everything' is no tool of 'airline'",
    ),
    (
        lambda t: t[0]["evaluation_criteria"].update(reward_basis=["DB", "VIBES"]),
        r"task #0 .*field 'evaluation_criteria.reward_basis\[1\]'",
    ),
    (lambda t: t[4].update(evaluation_criteria=None), r"task #4 .*field 'evaluation_criteria' is missing or null"),
    (lambda t: t[3].update(id=t[0]["id"]), r"task #3 \(id 'book_with_certificate'\): field 'id': the id is used"),
    (lambda t: t[5].pop("id"), r"task #5: field 'id': Field required"),
    (
        lambda t: t[2]["evaluation_criteria"].update(env_assertions=[{"env_type": "assistant"}]),
        r"task #2 .*'evaluation_criteria.env_assertions' is not supported",
    ),
    (
        lambda t: t[0].update(initial_state={"initialization_actions": [{"func_name": "x"}]}),
        r"task #0 .*'initial_state' is not supported",
    ),
    (
        lambda t: t[5]["evaluation_criteria"]["actions"][1].update(compare_args=["reservation", "passengers"]),
        r"task #5 .*actions\[1\].compare_args': \['reservation'\] are no arguments",
    ),
    (lambda t: t.append("not a task"), r"task #6: a task must be a JSON object"),
    (lambda t: t.clear(), r"tasks.json must be a non-empty JSON list"),
]


@pytest.mark.parametrize(("mutate", "message"), MALFORMED)
def test_a_malformed_task_is_named_with_its_field_and_nothing_is_written(
    tmp_path: Path, mutate: Any, message: str
) -> None:
    tasks_path, output = tmp_path / "tasks.json", tmp_path / "out.jsonl"
    tasks_path.write_text(json.dumps(_malformed(mutate)))
    with pytest.raises(Tau2ImportError, match=message):
        import_tau2_files("airline", tasks_path, DB_PATH, output)
    assert not output.exists()


def test_bad_files_and_environments_are_clear_errors(tmp_path: Path) -> None:
    broken = tmp_path / "db.json"
    broken.write_text("{not json")
    with pytest.raises(Tau2ImportError, match=r"database file .* is not valid JSON"):
        import_tau2_files("airline", TASKS_PATH, broken, tmp_path / "out.jsonl")
    with pytest.raises(Tau2ImportError, match="does not exist"):
        import_tau2_files("airline", tmp_path / "missing.json", DB_PATH, tmp_path / "out.jsonl")
    with pytest.raises(Tau2ImportError, match=r"db.json: .*does not fit 'airline'"):
        import_tau2_tasks("airline", TAU2_TASKS, {"flights": {}, "users": [], "reservations": {}})
    with pytest.raises(Tau2ImportError, match="'weather' cannot play tau2 tasks"):
        import_tau2_tasks("weather", TAU2_TASKS, DB)
    with pytest.raises(Tau2ImportError, match="Unknown split 'dev'"):
        import_tau2_tasks("airline", TAU2_TASKS, DB, split="dev")
    assert not (tmp_path / "out.jsonl").exists()


def test_cli_imports_and_reports_errors_without_writing(tmp_path: Path) -> None:
    output = tmp_path / "tau2.jsonl"
    args = [
        "tau2",
        "import",
        "--domain",
        "airline",
        "--tasks",
        str(TASKS_PATH),
        "--db",
        str(DB_PATH),
        "-o",
        str(output),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Wrote 6 tasks" in result.output and "2 task(s) have criteria that are not evaluated" in result.output
    assert len(read_tasks(output)) == 6
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_malformed(lambda t: t[1].pop("user_scenario"))))
    failed = runner.invoke(app, [*args[:5], str(bad), *args[6:8], "-o", str(tmp_path / "never.jsonl")])
    assert failed.exit_code == 2 and "field 'user_scenario'" in failed.output
    assert not (tmp_path / "never.jsonl").exists()


# -- the checks -------------------------------------------------------------------------------------------
def test_communicate_info_must_be_said_by_the_agent() -> None:
    task = _imported(_by_id("change_outbound_flight"))
    calls = [(c.tool, c.arguments) for c in task.gold_calls]
    said = _episode(task, [_message("", calls), _message("You get $60 back on your card.")])
    assert said["reward"] == 1.0 and said["checks"]["communicated"] == ["60"]
    unsaid = _episode(task, [_message("", calls), _message("Your flight is changed.")])
    assert unsaid["reward"] == 0.0 and unsaid["checks"]["state"] is True
    assert unsaid["checks"]["communicate"] is False and unsaid["checks"]["not_communicated"] == ["60"]


def test_required_actions_must_be_in_the_trajectory() -> None:
    task = _imported(_by_id("correct_passenger_birth_date"))
    update = (task.gold_calls[-1].tool, task.gold_calls[-1].arguments)
    # The lookup's compare_args is []: any get_reservation_details call matches it.
    lookup = ("get_reservation_details", {"reservation_id": "F3LN8D"})
    done = _episode(task, [_message("", [lookup, update]), _message("Corrected.")])
    assert done["reward"] == 1.0 and done["checks"]["actions"] is True and done["checks"]["actions_missing"] == []
    without_lookup = _episode(task, [_message("", [update]), _message("Corrected.")])
    assert without_lookup["checks"]["state"] is True and without_lookup["checks"]["actions"] is False
    assert without_lookup["reward"] == 0.0 and without_lookup["checks"]["actions_missing"] == [
        "get_reservation_details({})"
    ]
    wrong_date = {
        **update[1],
        "passengers": [update[1]["passengers"][0], {**update[1]["passengers"][1], "dob": "2011-03-18"}],
    }
    wrong = _episode(task, [_message("", [lookup, ("update_reservation_passengers", wrong_date)]), _message("Done.")])
    assert wrong["reward"] == 0.0 and wrong["checks"]["state"] is False and wrong["checks"]["actions"] is False


def test_action_matching_follows_tau2s_compared_arguments() -> None:
    definitions = {"airline": registry.load_definition("airline")}
    action = RequiredAction(env_id="airline", tool="cancel_reservation", arguments={"reservation_id": "Z0PK4M"})
    transcript = [
        _message("", [("cancel_reservation", {"reservation_id": "Z0PK4M", "reason": "health"})]),
        _message("", [("airline__cancel_reservation", {"reservation_id": "Z0PK4M"})]),
    ]
    with_reason, prefixed = trajectory_calls(transcript, definitions)  # type: ignore[arg-type]
    assert prefixed.env_id == "airline" and prefixed.tool == "cancel_reservation"
    assert not action_matches(action, with_reason)  # all of the call's arguments are compared by default
    assert action_matches(action, prefixed)
    only_id = action.model_copy(update={"compare_args": ["reservation_id"]})
    assert action_matches(only_id, with_reason)
    assert action_matches(action.model_copy(update={"compare_args": []}), with_reason)
    other = action.model_copy(update={"arguments": {"reservation_id": "F3LN8D"}, "compare_args": ["reservation_id"]})
    assert not action_matches(other, with_reason)
    assert communicated("refund of $1628", [_message("A refund of $1,628 is on its way.")])
    assert not communicated("1628", [{"role": "user", "content": "1628"}])


# -- the authoring API ------------------------------------------------------------------------------------
class _Base(DeclarativeBase):
    pass


def test_fidelity_declarations_are_checked() -> None:
    definition = EnvironmentDefinition("fid", domain="d", models=_Base, description="")

    @definition.write
    def reset_counter(ctx: ToolContext, counter: str) -> str:
        """Reset a counter.

        Args:
            counter: The counter's name.
        """
        return counter

    def other(ctx: ToolContext, name: str) -> str:
        return name

    with pytest.raises(ValueError, match="Declare fidelity mode 'bench'"):
        definition.fidelity_tool("bench", "reset_counter")(other)
    with pytest.raises(ValueError, match="needs the policy text"):
        definition.fidelity("bench", policy="  ")
    definition.fidelity("bench", policy="Reset only with permission.")
    with pytest.raises(ValueError, match="declared twice"):
        definition.fidelity("bench", policy="again")
    with pytest.raises(ValueError, match="must take the tool's parameters"):
        definition.fidelity_tool("bench", "reset_counter")(other)
    with pytest.raises(ValueError, match="no tool of 'fid'"):
        definition.fidelity_tool("bench", "missing")(other)

    def permissive(ctx: ToolContext, **call: Any) -> str:
        """Reset any counter at all."""
        return "reset " + call["counter"]

    definition.fidelity_tool("bench", "reset_counter")(permissive)
    spec = definition.tool_specs("bench")["reset_counter"]
    assert spec.func is permissive and spec.description == "Reset any counter at all."
    assert spec.parameters == definition.tools["reset_counter"].parameters
    assert definition.tool_specs() is definition.tools
    with pytest.raises(ValueError, match="Unknown fidelity 'Bench' for environment 'fid'; its modes are: 'bench'"):
        definition.tool_specs("Bench")


# -- retail: the second environment with a tau2 fidelity mode ------------------------------------------------
RETAIL_TASKS_PATH, RETAIL_DB_PATH = FIXTURES / "retail_tau2_tasks.json", FIXTURES / "retail_tau2_fidelity_db.json"
RETAIL_TASKS: list[dict[str, Any]] = json.loads(RETAIL_TASKS_PATH.read_text())
RETAIL_DB: dict[str, Any] = json.loads(RETAIL_DB_PATH.read_text())


def test_retail_import_maps_tau2s_criteria_and_replays_in_the_fidelity_mode(tmp_path: Path) -> None:
    tasks = {
        t.metadata["tau2"]["id"]: t
        for t in import_tau2_files("retail", RETAIL_TASKS_PATH, RETAIL_DB_PATH, tmp_path / "r.jsonl")
    }
    assert len(tasks) == 6 and all(t.checks and t.checks.fidelity == "tau2" for t in tasks.values())
    assert all(t.metadata["tau2"]["gold_failures"] == [] for t in tasks.values())
    modify = tasks["modify_two_shirts"]
    assert modify.task_id == "tau2_retail_modify_two_shirts" and modify.env_ids == ["retail"]
    assert modify.checks is not None and modify.checks.basis == ["state", "communicate"]
    assert modify.checks.communicate == ["3.02"] and "two red T-shirts" in modify.query
    # The expected change is tau2's: both lines take the last new item's options.
    lines = [c.after for c in modify.gold_changes if c.table == "order_items"]
    assert [line["options"] for line in lines if line] == ['{"color":"blue","size":"L"}'] * 2
    address = tasks["update_default_address"].checks
    assert address is not None and address.basis == ["state", "actions"]
    assert address.actions[1].compare_args == ["user_id", "address1", "zip"]
    refusal = tasks["refuse_exchange_for_the_same_item"]
    assert refusal.goal == "read" and refusal.gold_changes == [] and refusal.checks is not None
    (note,) = refusal.checks.not_evaluated
    assert note.startswith("nl_assertions (not in this task's tau2 reward basis")
    assert (tmp_path / "r.db.json").read_bytes() == RETAIL_DB_PATH.read_bytes()


def test_retail_actions_check_follows_compare_args(tmp_path: Path) -> None:
    (task,) = [
        t
        for t in import_tau2_files("retail", RETAIL_TASKS_PATH, RETAIL_DB_PATH, tmp_path / "r.jsonl")
        if t.metadata["tau2"]["id"] == "update_default_address"
    ]
    lookup, update = ((c.tool, c.arguments) for c in task.gold_calls)
    env = ToolUseEnv("retail", tasks=[task], fidelity="tau2", split=task.split)
    try:
        breakdowns = []
        # Another apartment is not among the compared arguments, but the database check sees it.
        for calls in ([lookup, update], [update], [lookup, (update[0], {**update[1], "address2": "Unit 6"})]):
            env.reset(options={"task_id": task.task_id})
            env.step(_message("", calls))
            breakdowns.append(env.step(_message("Updated."))[4]["reward_breakdown"])
    finally:
        env.close()
    assert [b["reward"] for b in breakdowns] == [1.0, 0.0, 0.0]
    assert breakdowns[1]["checks"]["actions_missing"] == ["find_user_id_by_name_zip({})"]
    assert breakdowns[2]["checks"]["actions"] is True and breakdowns[2]["checks"]["state"] is False


RETAIL_MALFORMED = [
    (
        lambda t: t[0]["evaluation_criteria"]["actions"][2].update(name="cancel_reservation"),
        r"task #0 \(id 'cancel_after_payment_change'\): field 'evaluation_criteria.actions\[2\].name': "
        r"'cancel_reservation' is no tool of 'retail'",
    ),
    (
        lambda t: t[5]["evaluation_criteria"]["actions"][1].update(compare_args=["user_id", "street"]),
        r"task #5 .*actions\[1\].compare_args': \['street'\] are no arguments of 'modify_user_address'",
    ),
    (
        lambda t: t[1]["evaluation_criteria"]["actions"][3].update(requestor="user"),
        r"task #1 .*actions\[3\].requestor': 'modify_pending_order_items' is a tool of the assistant, not of the user",
    ),
    (lambda t: t[3]["user_scenario"].update(instructions=7), r"task #3 .*field 'user_scenario.instructions"),
]


@pytest.mark.parametrize(("mutate", "message"), RETAIL_MALFORMED)
def test_a_malformed_retail_task_is_a_clear_error_and_nothing_is_written(
    tmp_path: Path, mutate: Any, message: str
) -> None:
    tasks = copy.deepcopy(RETAIL_TASKS)
    mutate(tasks)
    tasks_path, output = tmp_path / "tasks.json", tmp_path / "out.jsonl"
    tasks_path.write_text(json.dumps(tasks))
    with pytest.raises(Tau2ImportError, match=message):
        import_tau2_files("retail", tasks_path, RETAIL_DB_PATH, output)
    assert not output.exists() and not (tmp_path / "out.db.json").exists()


def test_a_database_of_another_domain_is_refused_for_retail() -> None:
    with pytest.raises(Tau2ImportError, match=r"db.json: .*'retail'"):
        import_tau2_tasks("retail", RETAIL_TASKS, DB)  # airline's database
    broken = copy.deepcopy(RETAIL_DB)
    broken["orders"]["#W1000001"]["status"] = "shipped"
    with pytest.raises(Tau2ImportError, match=r"db.json: .*unknown status 'shipped'"):
        import_tau2_tasks("retail", RETAIL_TASKS, broken)


def test_cli_imports_retail_tasks(tmp_path: Path) -> None:
    output = tmp_path / "tau2_retail.jsonl"
    args = ["tau2", "import", "--domain", "retail", "--tasks", str(RETAIL_TASKS_PATH), "--db", str(RETAIL_DB_PATH)]
    result = runner.invoke(app, [*args, "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "Wrote 6 tasks" in result.output and "1 task(s) have criteria that are not evaluated" in result.output
    assert {t.metadata["tau2"]["id"] for t in read_tasks(output)} == {t["id"] for t in RETAIL_TASKS}
