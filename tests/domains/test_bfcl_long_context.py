"""BFCL's long-context mode on travel_booking and vehicle_control: padding read from bfcl-eval at run time.

The replay of BFCL's own long_context tasks against BFCL's classes is in ``test_bfcl_replay.py``. Here:
the padding comes from whatever module is installed under bfcl-eval's name (a stand-in with invented
values, so these run without bfcl-eval), the normal mode keeps its outputs, a long-context state dumps and
reloads in the same mode, bad extensions are refused, a missing bfcl-eval is a clear error, and none of
bfcl-eval's padding is committed here.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from envfactory_gym import registry
from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.bfcl.long_context import (
    BFCL_EVAL_INSTALL_HINT,
    BFCL_LONG_CONTEXT_MODULE,
    BfclEvalMissingError,
    long_context_config,
    vehicle_padding,
)
from envfactory_gym.domains.bfcl.tasks import BfclTask, read_task_file, replay
from envfactory_gym.scenario import ScenarioError

FIXTURE = Path(__file__).parent / "fixtures" / "bfcl_multi_turn_tasks.json"
FIXTURE_TASKS = {task.task_id: task for task in read_task_file(FIXTURE)}
REPOSITORY = Path(__file__).resolve().parents[2]

# Invented padding, in the shapes of bfcl-eval's constants.
STAND_IN_CARD = {
    "card_number": "4000000000000002",
    "expiration_date": "01/30",
    "cardholder_name": "Pad Holder",
    "card_verification_number": 999,
    "balance": 90000.0,
}
STAND_IN_BOOKING = {
    "card_id": "pad_card",
    "travel_date": "2030-01-01",
    "travel_from": "SFO",
    "travel_to": "LAX",
    "travel_class": "economy",
    "travel_cost": 1.0,
    "transaction_id": "pad_tx",
}


@pytest.fixture
def stand_in_bfcl(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = types.ModuleType(BFCL_LONG_CONTEXT_MODULE)
    module.CREDIT_CARD_EXTENSION = {"pad_card": STAND_IN_CARD, "corp_visa": {**STAND_IN_CARD, "balance": 1.0}}  # type: ignore[attr-defined]
    module.BOOKING_RECORD_EXTENSION = {"pad_booking": STAND_IN_BOOKING}  # type: ignore[attr-defined]
    module.CAR_STATUS_METADATA_EXTENSION = "Stand-in car description"  # type: ignore[attr-defined]
    module.PARKING_BRAKE_INSTRUCTION = "Stand-in brake manual"  # type: ignore[attr-defined]
    module.INTERMEDIARY_CITIES = ["Stand-in Town", "Other Town"]  # type: ignore[attr-defined]
    # BFCL's weather constant may hold the last reading; it is not padding.
    module.LONG_WEATHER_EXTENSION = {"-1_day": {"windSpeed": 1.0}, "outsideTemperature": -99.0}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, BFCL_LONG_CONTEXT_MODULE, module)
    return module


def _task(task_id: str, calls: list[str], *, long_context: bool) -> BfclTask:
    base = FIXTURE_TASKS[task_id]
    return BfclTask(
        task_id=f"{task_id}-{long_context}",
        involved_classes=base.involved_classes,
        initial_config=base.initial_config,
        ground_truth=(tuple(calls),),
        long_context=long_context,
    )


def _outputs(task: BfclTask) -> list[Any]:
    result = replay(task)
    assert all(step.result.ok for step in result.steps), [s.result.content for s in result.steps]
    return [step.output for step in result.steps]


TRAVEL_CALLS = [
    "get_flight_cost(travel_from='SFO', travel_to='BOS', travel_date='2025-10-14', travel_class='business')",
    "authenticate_travel(client_id='ops_portal', client_secret='s3cr3t', refresh_token='r1', grant_type='read_write',"
    " user_first_name='Ada', user_last_name='Byrne')",
    "book_flight(access_token='592925', card_id='pad_card', travel_date='2025-10-14', travel_from='SFO',"
    " travel_to='BOS', travel_class='business')",
]
VEHICLE_CALLS = [
    "displayCarStatus(option='fuel')",
    "activateParkingBrake(mode='engage')",
    "estimate_distance(cityA='56108', cityB='62947')",
    "check_tire_pressure()",
    "get_outside_temperature_from_google()",
]


def test_long_context_travel_state_and_outputs_come_from_the_installed_module(stand_in_bfcl: types.ModuleType) -> None:
    task = _task("envfactory_travel_0", TRAVEL_CALLS, long_context=True)
    cost, _, booking = _outputs(task)
    # Every route's fare for the asked class and date, the asked one among them.
    assert len(cost["travel_cost_list"]) > 100 and 900.0 in cost["travel_cost_list"]
    assert set(booking["booking_history"]) == {"5511203", "pad_booking", booking["booking_id"]}
    assert list(booking["booking_history"])[-1] == booking["booking_id"]
    final = replay(task).final_config["TravelAPI"]
    assert final["credit_card_list"]["pad_card"]["balance"] == STAND_IN_CARD["balance"] - 900.0
    # The config's own card wins over a padded one with the same id.
    assert final["credit_card_list"]["corp_visa"]["balance"] == 4200.0
    assert final["booking_record"]["pad_booking"] == STAND_IN_BOOKING
    assert final["envfactory"]["long_context"] is True
    # BFCL's objects are left as they are (its classes change theirs; ours are copies).
    assert stand_in_bfcl.CREDIT_CARD_EXTENSION["pad_card"]["balance"] == STAND_IN_CARD["balance"]


def test_long_context_vehicle_outputs_come_from_the_installed_module(stand_in_bfcl: types.ModuleType) -> None:
    status, brake, distance, tires, weather = _outputs(_task("envfactory_vehicle_0", VEHICLE_CALLS, long_context=True))
    assert status == {"metadata": "Stand-in car description", "fuelLevel": 12.0}
    assert brake["parkingBrakeInstruction"] == "Stand-in brake manual" and brake["parkingBrakeStatus"] == "engaged"
    assert distance == {"distance": 320.0, "intermediaryCities": ["Stand-in Town", "Other Town"]}
    assert tires["car_info"] == "Stand-in car description"
    assert weather.keys() == {"-1_day", "outsideTemperature"} and weather["outsideTemperature"] != -99.0
    stand_in_bfcl.PARKING_BRAKE_INSTRUCTION = "A newer manual"
    (brake,) = _outputs(_task("envfactory_vehicle_0", ["activateParkingBrake(mode='release')"], long_context=True))
    assert brake["parkingBrakeInstruction"] == "A newer manual"


def test_normal_mode_is_unchanged_and_reads_nothing_from_bfcl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, BFCL_LONG_CONTEXT_MODULE, None)  # importing it would fail
    cost, _, _ = _outputs(_travel_normal())
    assert cost == {"travel_cost_list": [900.0]}
    status, brake, distance, tires, weather = _outputs(_task("envfactory_vehicle_0", VEHICLE_CALLS, long_context=False))
    assert status == {"fuelLevel": 12.0}
    assert brake == {"parkingBrakeStatus": "engaged", "_parkingBrakeForce": 500.0, "_slopeAngle": 10.0}
    assert distance == {"distance": 320.0}
    assert isinstance(tires["car_info"], dict) and set(weather) == {"outsideTemperature"}
    final = replay(_task("envfactory_vehicle_0", [], long_context=False)).final_config["VehicleControlAPI"]
    assert "long_context" not in final.get("envfactory", {})


def _travel_normal() -> BfclTask:
    calls = [*TRAVEL_CALLS[:2], TRAVEL_CALLS[2].replace("pad_card", "corp_visa")]
    return _task("envfactory_travel_0", calls, long_context=False)


def test_normal_mode_booking_returns_no_history() -> None:
    _, _, booking = _outputs(_travel_normal())
    assert booking["booking_history"] == {}
    final = replay(_travel_normal()).final_config["TravelAPI"]
    assert "long_context" not in final["envfactory"] and set(final["credit_card_list"]) == {"corp_visa"}


@pytest.mark.parametrize(
    ("task_id", "bfcl_class"), [("envfactory_travel_0", "TravelAPI"), ("envfactory_vehicle_0", "VehicleControlAPI")]
)
def test_long_context_state_dumps_and_reloads_in_the_same_mode(
    stand_in_bfcl: types.ModuleType, task_id: str, bfcl_class: str
) -> None:
    dumped = replay(_task(task_id, [], long_context=True)).final_config[bfcl_class]
    reloaded = BfclTask("again", (bfcl_class,), {bfcl_class: dumped}, ())
    assert replay(reloaded).final_config[bfcl_class] == dumped


@pytest.mark.parametrize(
    ("environment", "config"),
    [
        ("vehicle_control", {"envfactory": {"long_context": {"car_status_metadata": "x"}}}),
        ("vehicle_control", {"envfactory": {"long_context": "yes"}}),
        ("travel_booking", {"envfactory": {"long_context": "yes"}}),
    ],
)
def test_malformed_long_context_extension_is_refused(environment: str, config: dict[str, Any]) -> None:
    with pytest.raises(ScenarioError, match="long_context"):
        get_snapshot(registry.load_definition(environment), scenario=config)


def test_missing_bfcl_eval_is_a_clear_error_naming_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, BFCL_LONG_CONTEXT_MODULE, None)
    with pytest.raises(BfclEvalMissingError, match="pip install --no-deps 'bfcl-eval"):
        long_context_config("VehicleControlAPI", {})
    with pytest.raises(BfclEvalMissingError, match="bfcl-eval"):
        replay(_task("envfactory_travel_0", TRAVEL_CALLS[:1], long_context=True))
    # Classes that ignore the mode need nothing from bfcl-eval.
    assert long_context_config("MessageAPI", {"user_count": 4}) == {"user_count": 4}


def test_install_hint_names_the_pinned_bfcl_eval() -> None:
    """No extra of the package holds bfcl-eval (its dependencies conflict): the hint names `make setup`'s pin."""
    (pin,) = re.findall(r"^BFCL_EVAL_PIN \?= (\S+)$", REPOSITORY.joinpath("Makefile").read_text("utf-8"), re.M)
    assert f"'{pin}'" in BFCL_EVAL_INSTALL_HINT
    pyproject = REPOSITORY.joinpath("pyproject.toml").read_text("utf-8")
    assert "bfcl-eval" not in pyproject, "an extra holds bfcl-eval now: name it in BFCL_EVAL_INSTALL_HINT"


@pytest.mark.skipif(importlib.util.find_spec("bfcl_eval") is None, reason="bfcl-eval is not installed")
def test_no_bfcl_padding_is_committed_here() -> None:
    padding = vehicle_padding()
    samples = [padding["parking_brake_instruction"][:80], padding["car_status_metadata"][:80]]
    assert all(len(sample) == 80 for sample in samples)
    for folder in ("domains", "envfactory_gym", "tests", "docs", "benchmarks"):
        for path in REPOSITORY.joinpath(folder).rglob("*"):
            if path.suffix in (".py", ".json", ".jsonl", ".md") and path.is_file():
                text = path.read_text("utf-8", errors="replace")
                assert not any(sample in text for sample in samples), f"{path} holds bfcl-eval's padding"
