"""Task synthesis for the BFCL-compatible travel_booking and vehicle_control: argument samplers, marks, labels.

Samplers must return arguments that succeed and change the state (writes) on the state they are given, and
decline when the state allows nothing; the marks must make synthesized tasks describe cards instead of
quoting their ids, and let a correct solution reached by a detour still match the gold change set.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.agents import make_agent
from envfactory_gym.database import get_snapshot
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.gold import execute_gold, open_runtime
from envfactory_gym.rollout import play_episode
from envfactory_gym.rubric import compare_changes, generated_columns
from envfactory_gym.synthesis.pipeline import SynthesisConfig, synthesize
from envfactory_gym.tasks import GoldCall
from envfactory_gym.testing import EpisodeHarness

travel_booking = pytest.importorskip("envfactory_gym.domains.travel.travel_booking")
travel_synthesis = pytest.importorskip("envfactory_gym.domains.travel.travel_booking.synthesis")
vehicle_control = pytest.importorskip("envfactory_gym.domains.travel.vehicle_control")
vehicle_synthesis = pytest.importorskip("envfactory_gym.domains.travel.vehicle_control.synthesis")

TRAVEL = travel_booking.env
VEHICLE = vehicle_control.env
RNG_SEEDS = range(6)


@pytest.fixture
def travel() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(TRAVEL)
    yield harness
    harness.close()


@pytest.fixture
def car() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(VEHICLE)
    yield harness
    harness.close()


def sample(harness: EpisodeHarness, tool: str, seed: int = 0) -> dict[str, Any] | None:
    """What the registered sampler proposes for ``tool`` on the harness's live state."""
    definition = TRAVEL if tool in TRAVEL.tools else VEHICLE
    sampler = definition.argument_samplers[tool]
    return sampler(harness.runtime.bindings[tool].context, random.Random(seed))


def prerequisites(arguments: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(call["tool"], call.get("arguments", {})) for call in arguments.get("__prerequisites__", [])]


def goal_arguments(arguments: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in arguments.items() if name != "__prerequisites__"}


def assert_changes_state(harness: EpisodeHarness, tool: str, arguments: dict[str, Any]) -> Any:
    """Run the sampled call as synthesis does (its prerequisites first) and check the goal changed the state."""
    for prerequisite, prerequisite_arguments in prerequisites(arguments):
        harness.ok(prerequisite, **prerequisite_arguments)
    before = harness.database.state_hash()
    output = harness.ok(tool, **goal_arguments(arguments))
    assert harness.database.state_hash() != before, f"{tool}({arguments}) changed nothing"
    return output


# -- travel_booking ------------------------------------------------------------------------------------------
TRAVEL_WRITES = (
    "book_flight",
    "cancel_booking",
    "purchase_insurance",
    "set_budget_limit",
    "register_credit_card",
    "authenticate_travel",
)
TRAVEL_READS = (
    "get_credit_card_balance",
    "retrieve_invoice",
    "get_flight_cost",
    "compute_exchange_rate",
    "get_nearest_airport_by_city",
    "verify_traveler_information",
)


@pytest.mark.parametrize("tool", TRAVEL_WRITES)
@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_travel_write_samplers_succeed_and_change_the_seeded_state(tool: str, seed: int) -> None:
    harness = EpisodeHarness(TRAVEL)
    try:
        arguments = sample(harness, tool, seed)
        assert arguments is not None
        assert_changes_state(harness, tool, arguments)
    finally:
        harness.close()


@pytest.mark.parametrize("tool", TRAVEL_READS)
def test_travel_read_samplers_succeed(travel: EpisodeHarness, tool: str) -> None:
    for seed in RNG_SEEDS:
        arguments = sample(travel, tool, seed)
        assert arguments is not None
        travel.ok(tool, **goal_arguments(arguments))


@pytest.mark.parametrize("tool", ["book_flight", "purchase_insurance", "get_credit_card_balance"])
def test_calls_that_use_a_described_card_first_look_it_up_in_the_wallet(travel: EpisodeHarness, tool: str) -> None:
    # The traveller says "my Visa ending in 1158": only the wallet listing maps that to the card id used.
    wallet = travel.ok("get_all_credit_cards")["credit_card_list"]
    for seed in RNG_SEEDS:
        arguments = sample(travel, tool, seed)
        assert arguments is not None
        assert prerequisites(arguments) == [("get_all_credit_cards", {})]
        assert arguments["card_id"] in wallet


def test_uncheckable_tools_are_exempt_from_task_coverage_and_only_those() -> None:
    exempt = {
        f"{definition.env_id}.{spec.name}"
        for definition in (TRAVEL, VEHICLE)
        for spec in definition.tools.values()
        if not spec.coverage
    }
    assert exempt == {
        "travel_booking.contact_customer_support",
        "vehicle_control.get_outside_temperature_from_weather_com",
        "vehicle_control.display_log",
    }


def test_flight_bookings_are_future_and_respect_balance_and_budget(travel: EpisodeHarness) -> None:
    account = travel.database.raw.execute('SELECT budget_limit, "current_time" FROM travel_account').fetchone()
    for seed in RNG_SEEDS:
        arguments = sample(travel, "book_flight", seed)
        assert arguments is not None and arguments["travel_date"] > account[1][:10]
        balance = travel.database.raw.execute(
            "SELECT balance FROM credit_cards WHERE card_id = ?", (arguments["card_id"],)
        ).fetchone()[0]
        cost = travel.ok(
            "get_flight_cost", **{k: arguments[k] for k in ("travel_from", "travel_to", "travel_date", "travel_class")}
        )["travel_cost_list"][0]
        assert balance >= max(cost, account[0])


def test_traveller_check_asks_about_a_passport_the_service_rejects(travel: EpisodeHarness) -> None:
    arguments = sample(travel, "verify_traveler_information")
    assert arguments is not None and not arguments["passport_number"].startswith("US")
    result = travel.ok("verify_traveler_information", **arguments)
    assert result == {
        "verification_status": False,
        "verification_failure": "Passport must be issued by the United States.",
    }


def test_travel_samplers_decline_once_the_chain_has_signed_in_again(travel: EpisodeHarness) -> None:
    # The fresh token is an output the traveller could not quote: tasks keep the seeded session.
    sign_in = sample(travel, "authenticate_travel")
    assert sign_in is not None
    travel.ok("authenticate_travel", **sign_in)
    for tool in ("book_flight", "cancel_booking", "set_budget_limit", "get_credit_card_balance"):
        assert sample(travel, tool) is None, tool


def test_no_insurance_for_past_or_already_insured_bookings(travel: EpisodeHarness) -> None:
    today = travel.database.raw.execute('SELECT "current_time" FROM travel_account').fetchone()[0][:10]
    for seed in RNG_SEEDS:
        arguments = sample(travel, "purchase_insurance", seed)
        assert arguments is not None
        date = travel.database.raw.execute(
            "SELECT travel_date FROM bookings WHERE booking_id = ?", (arguments["booking_id"],)
        ).fetchone()[0]
        insured = travel.database.raw.execute(
            "SELECT COUNT(*) FROM insurance_policies WHERE booking_id = ?", (arguments["booking_id"],)
        ).fetchone()[0]
        assert date > today and insured == 0


def test_new_cards_have_a_valid_check_digit_and_are_not_in_the_wallet(travel: EpisodeHarness) -> None:
    def luhn_ok(number: str) -> bool:
        total = 0
        for position, digit in enumerate(int(d) for d in reversed(number)):
            doubled = digit * 2 if position % 2 else digit
            total += doubled - 9 if doubled > 9 else doubled
        return total % 10 == 0

    wallet = {row["card_number"] for row in travel.ok("get_all_credit_cards")["credit_card_list"].values()}
    for seed in RNG_SEEDS:
        arguments = sample(travel, "register_credit_card", seed)
        assert arguments is not None
        assert luhn_ok(arguments["card_number"]) and arguments["card_number"] not in wallet


def test_cards_are_described_by_network_and_last_digits() -> None:
    label = travel_booking.models._card_label
    row = {"card_number": "4593824219489241158", "extra": json.dumps({"card_type": "Visa"})}
    assert label(row) == "my Visa ending in 1158"
    assert label({"card_number": "30156593877842", "extra": {}}) == "my card ending in 7842"
    assert label({"card_number": None, "extra": "{}"}) is None


def test_a_detour_through_a_cancelled_booking_still_matches_the_gold_booking() -> None:
    # Booking, cancelling and rebooking advances BFCL's id stream further than the gold solution; the
    # counter is service-maintained (generated), so only the net booking and balances are compared.
    probe = EpisodeHarness(TRAVEL)
    try:
        booking = goal_arguments(sample(probe, "book_flight") or {})
        wrong = goal_arguments(sample(probe, "book_flight", seed=1) or {})
    finally:
        probe.close()
    assert booking and wrong and booking != wrong
    gold = execute_gold(["travel_booking"], [GoldCall(env_id="travel_booking", tool="book_flight", arguments=booking)])
    runtime = open_runtime(["travel_booking"], TRAVEL.default_seed, None, "detour", prefix=True)
    try:
        prefix = "travel_booking__"
        created = json.loads(runtime.call(prefix + "book_flight", wrong).content)
        cancel = {"access_token": wrong["access_token"], "booking_id": created["booking_id"]}
        assert runtime.call(prefix + "cancel_booking", cancel).ok
        assert runtime.call(prefix + "book_flight", booking).ok
        episode = runtime.change_sets()
    finally:
        runtime.close()
    generated = {"travel_booking": generated_columns(TRAVEL)}
    assert "random_words_used" in generated["travel_booking"]["travel_account"]
    assert compare_changes(episode, gold.changes, generated) == (0, 0)


# -- vehicle_control -----------------------------------------------------------------------------------------
VEHICLE_WRITES_ON_A_PARKED_CAR = (
    "fillFuelTank",
    "lockDoors",
    "adjustClimateControl",
    "setHeadlights",
    "activateParkingBrake",
    "pressBrakePedal",
    "set_navigation",
)
VEHICLE_READS = ("displayCarStatus", "liter_to_gallon", "gallon_to_liter", "estimate_drive_feasibility_by_mileage")


@pytest.mark.parametrize("tool", VEHICLE_WRITES_ON_A_PARKED_CAR)
@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_vehicle_write_samplers_succeed_and_change_the_parked_car(tool: str, seed: int) -> None:
    harness = EpisodeHarness(VEHICLE)
    try:
        arguments = sample(harness, tool, seed)
        if arguments is None:  # only the brake sampler may draw the position the pedal is already at
            assert tool == "pressBrakePedal"
            return
        assert_changes_state(harness, tool, arguments)
    finally:
        harness.close()


@pytest.mark.parametrize("tool", VEHICLE_READS)
def test_vehicle_read_samplers_succeed(car: EpisodeHarness, tool: str) -> None:
    for seed in RNG_SEEDS:
        arguments = sample(car, tool, seed)
        assert arguments is not None
        car.ok(tool, **arguments)


def test_status_questions_ask_for_readings_not_guessable_status_words(car: EpisodeHarness) -> None:
    options = {sample(car, "displayCarStatus", seed)["option"] for seed in range(30)}  # type: ignore[index]
    assert options and options <= {"fuel", "battery", "climate"}


def test_starting_a_parked_car_presses_the_brake_fully_first(car: EpisodeHarness) -> None:
    for seed in RNG_SEEDS:
        start = sample(car, "startEngine", seed)
        assert start is not None and goal_arguments(start) == {"ignitionMode": "START"}
        assert prerequisites(start) == [("pressBrakePedal", {"pedalPosition": 1.0})]
    car.ok("pressBrakePedal", pedalPosition=0.5)  # half pressed is not enough
    assert prerequisites(sample(car, "startEngine") or {}) == [("pressBrakePedal", {"pedalPosition": 1.0})]
    car.ok("pressBrakePedal", pedalPosition=1.0)
    assert sample(car, "startEngine") == {"ignitionMode": "START"}  # nothing left to do first
    assert_changes_state(car, "startEngine", {"ignitionMode": "START"})
    assert sample(car, "startEngine") is None  # already running: starting again changes nothing


def test_starting_with_unlocked_doors_locks_them_before_the_brake(car: EpisodeHarness) -> None:
    car.ok("lockDoors", unlock=True, door=["rear_right", "driver"])
    start = sample(car, "startEngine")
    assert start is not None
    assert prerequisites(start) == [
        ("lockDoors", {"unlock": False, "door": ["driver", "rear_right"]}),
        ("pressBrakePedal", {"pedalPosition": 1.0}),
    ]
    output = assert_changes_state(car, "startEngine", start)
    assert output["engineState"] == "running"


def test_cruise_control_on_a_parked_car_starts_it_first(car: EpisodeHarness) -> None:
    for seed in RNG_SEEDS:
        cruise = sample(car, "setCruiseControl", seed)
        assert cruise is not None and cruise["speed"] % 5 == 0 and 0 <= cruise["speed"] <= 120
        assert prerequisites(cruise) == [
            ("pressBrakePedal", {"pedalPosition": 1.0}),
            ("startEngine", {"ignitionMode": "START"}),
        ]
    cruise = sample(car, "setCruiseControl")
    assert cruise is not None
    assert assert_changes_state(car, "setCruiseControl", cruise)["cruiseStatus"] == "active"
    # Running now: another setting needs no preparation.
    again = sample(car, "setCruiseControl", seed=3)
    assert again is not None and prerequisites(again) == []


def test_the_brake_is_released_only_when_pressed(car: EpisodeHarness) -> None:
    # On a parked car the engine is started first (which presses the brake): the release then leaves a change.
    proposed = sample(car, "releaseBrakePedal")
    assert proposed is not None
    assert [tool for tool, _ in prerequisites(proposed)][-2:] == ["pressBrakePedal", "startEngine"]
    assert_changes_state(car, "releaseBrakePedal", proposed)


def test_a_pressed_brake_is_released_directly(car: EpisodeHarness) -> None:
    car.ok("pressBrakePedal", pedalPosition=0.3)
    assert sample(car, "releaseBrakePedal") == {}
    assert_changes_state(car, "releaseBrakePedal", {})


def test_an_empty_tank_declines_engine_and_cruise_commands() -> None:
    harness = EpisodeHarness(VEHICLE)
    try:
        harness.database.raw.execute("UPDATE vehicle SET fuelLevel = 0")
        assert sample(harness, "startEngine") is None
        assert sample(harness, "setCruiseControl") is None
    finally:
        harness.close()


def test_trip_lengths_give_both_answers_around_the_cars_range(car: EpisodeHarness) -> None:
    answers = set()
    for seed in range(40):
        arguments = sample(car, "estimate_drive_feasibility_by_mileage", seed)
        assert arguments is not None
        answers.add(car.ok("estimate_drive_feasibility_by_mileage", **arguments)["canDrive"])
    assert answers == {True, False}


def test_door_sampler_locks_what_is_unlocked(car: EpisodeHarness) -> None:
    car.ok("lockDoors", unlock=True, door=["rear_left", "driver"])
    proposals = [sample(car, "lockDoors", seed) for seed in range(20)]
    locking = [p for p in proposals if p is not None and p["unlock"] is False]
    assert locking and all(set(p["door"]) == {"driver", "rear_left"} for p in locking)


def test_refuelling_never_overfills(car: EpisodeHarness) -> None:
    car.ok("fillFuelTank", fuelAmount=50.0 - car.ok("displayCarStatus", option="fuel")["fuelLevel"] - 3.0)
    for seed in RNG_SEEDS:
        arguments = sample(car, "fillFuelTank", seed)
        assert arguments is not None and 0 < arguments["fuelAmount"] <= 3.0


# -- synthesized tasks (scenario-first: these environments have stories) -----------------------------------
@pytest.mark.parametrize("env_id", ["travel_booking", "vehicle_control"])
def test_synthesized_tasks_are_solved_by_the_oracle_and_not_by_doing_nothing(env_id: str) -> None:
    tasks = synthesize(env_id, SynthesisConfig(n=16, seed=5)).tasks
    assert len(tasks) == 16
    assert all(t.metadata["generator"].startswith("envfactory.stories") for t in tasks)
    env = ToolUseEnv([env_id], tasks=tasks)
    try:
        for task in tasks:
            assert play_episode(env, make_agent("oracle"), options={"task": task}).reward == 1.0, task.task_id
            assert play_episode(env, make_agent("noop"), options={"task": task}).reward == 0.0, task.task_id
    finally:
        env.close()


def test_travel_tasks_describe_cards_instead_of_quoting_their_ids() -> None:
    # The traveller names a card by network and last digits ("my Visa ending in 1158"), or as the card that
    # paid a booking they name ("the card I paid for the flight with"); never by its internal id.
    tasks = synthesize("travel_booking", SynthesisConfig(n=40, seed=2)).tasks
    snapshot = get_snapshot(TRAVEL, TRAVEL.default_seed)
    cards = {
        row["card_id"]: row["card_number"] for row in snapshot.query("SELECT card_id, card_number FROM credit_cards")
    }
    paid_with = {
        row["booking_id"]: row["card_id"] for row in snapshot.query("SELECT booking_id, card_id FROM bookings")
    }
    with_cards = [t for t in tasks if any(c.arguments.get("card_id") in cards for c in t.gold_calls)]
    named = [t for t in with_cards if " ending in " in t.query]
    assert named and len(named) < len(with_cards)
    for task in with_cards:
        assert not any(card_id in task.query for card_id in cards), task.query
        used = {c.arguments["card_id"] for c in task.gold_calls if c.arguments.get("card_id") in cards}
        bookings = {c.arguments["booking_id"] for c in task.gold_calls if c.arguments.get("booking_id") in paid_with}
        for card_id in used:
            assert f" ending in {cards[card_id][-4:]}" in task.query or card_id in {paid_with[b] for b in bookings}, (
                task.query
            )


def test_starting_the_car_presses_the_brake_first_and_releases_it_only_when_asked() -> None:
    # The service refuses to start without the brake fully pressed (its own error says so): that press is the
    # only setup a "start the car" request brings; releasing the brake again is gold only when asked for.
    tasks = synthesize("vehicle_control", SynthesisConfig(n=60, seed=3)).tasks
    starting = [t for t in tasks if any(c.tool == "startEngine" for c in t.gold_calls)]
    assert starting
    for task in starting:
        tools = [c.tool for c in task.gold_calls]
        start = tools.index("startEngine")
        assert start > 0 and task.gold_calls[start - 1].tool == "pressBrakePedal", tools
        assert task.gold_calls[start - 1].arguments == {"pedalPosition": 1.0}
        assert "start" in task.query.lower() or "engine" in task.query.lower(), task.query  # asked for
        if "releaseBrakePedal" in tools:
            assert "brake pedal" in task.query.lower(), task.query
        assert "lockDoors" not in tools[:start], tools  # the parked car is locked already: nothing to lock
