"""The tau2 fidelity mode of airline: tau2's permissive tools, ids and accounting, and imported tau2 tasks.

The fixtures are tau2-shaped files written for these tests: ``airline_tau2_fidelity_db.json`` (the small
airline database plus a basic economy reservation booked days ago without insurance) and
``airline_tau2_tasks.json`` (six tasks in tau2's format, one of them a policy refusal).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import gymnasium as gym
import pytest

from envfactory_gym.env import ToolUseEnv
from envfactory_gym.tasks import Task
from tests.fixtures.tau2_episodes import assert_gold_reaches, gold, module_fixtures, play, state_matches, tool_call

FIXTURES = Path(__file__).parent / "fixtures"
DB: dict[str, Any] = json.loads((FIXTURES / "airline_tau2_fidelity_db.json").read_text())
TAU2_TASKS: list[dict[str, Any]] = json.loads((FIXTURES / "airline_tau2_tasks.json").read_text())
MARA, TOMAS, PRIYA = "mara_lindqvist_4821", "tomas_okafor_1907", "priya_raman_5530"


tasks, fidelity_env, enforcing_env = module_fixtures("airline", TAU2_TASKS, DB)


# -- the option ------------------------------------------------------------------------------------------
def test_fidelity_is_an_environment_option_and_a_typo_is_an_error() -> None:
    env = gym.make("envfactory/airline-v0", fidelity="tau2")
    try:
        assert env.unwrapped.fidelity == "tau2"  # type: ignore[attr-defined]
    finally:
        env.close()
    with pytest.raises(ValueError, match="Unknown fidelity 'tau3' for environment 'airline'; its modes are: 'tau2'"):
        ToolUseEnv("airline", fidelity="tau3")
    with pytest.raises(ValueError, match="Unknown fidelity"):
        ToolUseEnv("weather", fidelity="tau2")  # an environment without the mode


def test_the_policy_is_in_the_system_prompt_only_in_fidelity_mode(fidelity_env: ToolUseEnv) -> None:
    _, info = fidelity_env.reset()
    prompt = info["messages"][0]["content"]
    assert "## airline policy" in prompt and "booked within the last 24 hours" in prompt
    default_env = ToolUseEnv("airline")
    _, default_info = default_env.reset()
    assert "## airline policy" not in default_info["messages"][0]["content"]
    default_env.close()
    # The replaced tools describe what they do, not refusals they no longer make.
    described = {t["function"]["name"]: t["function"]["description"] for t in info["tools"]}
    assert "Refused" not in described["cancel_reservation"]
    assert (
        described["get_user_details"]
        == {t["function"]["name"]: t["function"]["description"] for t in default_info["tools"]}["get_user_details"]
    )


# -- replaying the gold actions gives tau2's final database exactly ------------------------------------------
def _expected_book(db: dict[str, Any]) -> None:
    db["reservations"]["HATHAT"] = {
        "reservation_id": "HATHAT",
        "user_id": MARA,
        "origin": "BOS",
        "destination": "ORD",
        "flight_type": "one_way",
        "cabin": "economy",
        "flights": [
            {"flight_number": "HAT101", "origin": "BOS", "destination": "ORD", "date": "2024-05-16", "price": 140}
        ],
        "passengers": [{"first_name": "Mara", "last_name": "Lindqvist", "dob": "1979-06-21"}],
        "payment_history": [{"payment_id": "certificate_5521907", "amount": 140}],
        "created_at": "2024-05-15T15:00:00",
        "total_baggages": 0,
        "nonfree_baggages": 0,
        "insurance": "no",
    }
    db["users"][MARA]["reservations"].append("HATHAT")
    del db["users"][MARA]["payment_methods"]["certificate_5521907"]  # used up, remainder forfeited
    db["flights"]["HAT101"]["dates"]["2024-05-16"]["available_seats"]["economy"] -= 1  # a booking takes its seat


def _expected_cancel(db: dict[str, Any]) -> None:
    reservation = db["reservations"]["Z0PK4M"]
    reservation["payment_history"] += [
        {"payment_id": "certificate_3301776", "amount": -100},
        {"payment_id": "credit_card_4410021", "amount": -60},
    ]
    reservation["status"] = "cancelled"
    db["users"][MARA]["payment_methods"]["certificate_3221322"] = {
        "source": "certificate",
        "id": "certificate_3221322",
        "amount": 100.0,
    }


def _expected_change(db: dict[str, Any]) -> None:
    reservation = db["reservations"]["QX7D2L"]
    reservation["flights"][0] = {
        "flight_number": "HAT105",
        "origin": "BOS",
        "destination": "SEA",
        "date": "2024-05-17",
        "price": 150,
    }
    reservation["payment_history"].append({"payment_id": "credit_card_4410021", "amount": -60})
    # No seats move: neither the old flight gets its seats back nor the new one loses any.


def _expected_bags(db: dict[str, Any]) -> None:
    reservation = db["reservations"]["J6YQ1R"]
    reservation["total_baggages"], reservation["nonfree_baggages"] = 2, 1
    reservation["payment_history"].append({"payment_id": "credit_card_9012345", "amount": 50})


def _expected_passengers(db: dict[str, Any]) -> None:
    db["reservations"]["QX7D2L"]["passengers"][1]["dob"] = "2011-03-19"


EXPECTED = {
    "book_with_certificate": _expected_book,
    "cancel_airline_cancelled_with_compensation": _expected_cancel,
    "change_outbound_flight": _expected_change,
    "add_checked_bags": _expected_bags,
    "refuse_basic_economy_cancellation": lambda db: None,
    "correct_passenger_birth_date": _expected_passengers,
}


@pytest.mark.parametrize("tau2_id", list(EXPECTED))
def test_gold_replay_in_fidelity_mode_reaches_tau2s_database_exactly(
    tasks: dict[str, Task], fidelity_env: ToolUseEnv, tau2_id: str
) -> None:
    task = tasks[tau2_id]
    expected = copy.deepcopy(DB)
    EXPECTED[tau2_id](expected)
    answer = "Your refund is $60." if tau2_id == "change_outbound_flight" else "Done."
    assert_gold_reaches(fidelity_env, task, expected, answer)


def test_new_ids_follow_tau2s_sequences(tasks: dict[str, Task], fidelity_env: ToolUseEnv) -> None:
    book = tasks["book_with_certificate"].gold_calls[-1].arguments
    second = {**book, "payment_methods": [{"payment_id": "credit_card_4410021", "amount": 140}]}
    certificate = {"user_id": MARA, "amount": 50}
    final, _, results = play(
        fidelity_env,
        tasks["book_with_certificate"],
        [("book_reservation", book), ("book_reservation", second), ("send_certificate", certificate)] * 1
        + [("send_certificate", certificate), ("send_certificate", certificate), ("send_certificate", certificate)],
    )
    assert [r["ok"] for r in results] == [True, True, True, True, True, False]  # three certificates at most
    assert {"HATHAT", "HATHAU"} <= set(final["reservations"]) and "HATHAV" not in final["reservations"]
    wallet = final["users"][MARA]["payment_methods"]
    assert [p for p in wallet if p.startswith("certificate_322")] == [
        "certificate_3221322",
        "certificate_3221323",
        "certificate_3221324",
    ]
    assert final["flights"]["HAT101"]["dates"]["2024-05-16"]["available_seats"]["economy"] == 9 - 2


# -- policy following is the training signal ------------------------------------------------------------------
def test_a_policy_violation_lowers_the_reward_in_fidelity_mode(
    tasks: dict[str, Task], fidelity_env: ToolUseEnv
) -> None:
    task = tasks["refuse_basic_economy_cancellation"]
    _, refused, _ = play(fidelity_env, task, gold(task), "I'm sorry, this reservation cannot be refunded.")
    assert refused["reward"] == 1.0
    violation = [*gold(task), ("cancel_reservation", {"reservation_id": "M4BE7K", "reason": "change_of_plan"})]
    final, cancelled, results = play(fidelity_env, task, violation, "Your reservation is cancelled.")
    assert results[-1]["ok"]  # tau2's tool does what it is asked: the policy is the agent's to follow
    assert final["reservations"]["M4BE7K"]["status"] == "cancelled"
    assert final["flights"]["HAT104"] == DB["flights"]["HAT104"]  # tau2 gives no seats back
    assert cancelled["reward"] == 0.0 and cancelled["checks"]["state"] is False
    assert cancelled["checks"]["states_mismatched"] == ["airline"] and cancelled["extra_changes"] > 0
    assert cancelled["checks"]["not_evaluated"]  # the judge-only assertion is reported, not passed


def test_the_enforcing_mode_keeps_the_services_refusal(tasks: dict[str, Task], enforcing_env: ToolUseEnv) -> None:
    task = tasks["refuse_basic_economy_cancellation"]
    violation = [*gold(task), ("cancel_reservation", {"reservation_id": "M4BE7K", "reason": "change_of_plan"})]
    final, breakdown, results = play(enforcing_env, task, violation)
    assert results[-1]["error"] == "domain_error" and "cannot be cancelled" in results[-1]["content"]
    assert "status" not in final["reservations"]["M4BE7K"]
    assert breakdown["reward"] == 1.0  # the service refused, so the state is the expected one


def test_fidelity_tools_are_permissive_where_tau2s_are(tasks: dict[str, Task], fidelity_env: ToolUseEnv) -> None:
    task = tasks["refuse_basic_economy_cancellation"]
    calls = [
        # Basic economy flights changed, which the policy forbids (tau2's tool allows it).
        (
            "update_reservation_flights",
            {
                "reservation_id": "M4BE7K",
                "cabin": "basic_economy",
                "flights": [{"flight_number": "HAT104", "date": "2024-05-16"}],
                "payment_id": "gift_card_6600418",
            },
        ),
        # Bags beyond the allowance declared free; the same passengers again (no error in tau2).
        (
            "update_reservation_baggages",
            {"reservation_id": "P2HZ6W", "total_baggages": 9, "nonfree_baggages": 0, "payment_id": "gift_card_6600417"},
        ),
        (
            "update_reservation_passengers",
            {
                "reservation_id": "P2HZ6W",
                "passengers": [{"first_name": "Priya", "last_name": "Raman", "dob": "1985-11-02"}],
            },
        ),
        ("transfer_to_human_agents", {"summary": "Customer wants a refund."}),
    ]
    final, _, results = play(fidelity_env, task, calls[:3])
    assert [r["ok"] for r in results] == [True, True, True]
    assert final["reservations"]["M4BE7K"]["flights"][0]["date"] == "2024-05-16"
    assert final["reservations"]["P2HZ6W"]["total_baggages"] == 9
    # Still refused, as in tau2: a certificate paying for a change, an unknown payment method, a full flight.
    refused = [
        (
            "update_reservation_baggages",
            {
                "reservation_id": "P2HZ6W",
                "total_baggages": 3,
                "nonfree_baggages": 1,
                "payment_id": "certificate_1190233",
            },
        ),
        (
            "update_reservation_baggages",
            {"reservation_id": "P2HZ6W", "total_baggages": 3, "nonfree_baggages": 1, "payment_id": "credit_card_1"},
        ),
        (
            "update_reservation_flights",
            {
                "reservation_id": "QX7D2L",  # two passengers, one business seat left
                "cabin": "business",
                "flights": [{"flight_number": "HAT103", "date": "2024-05-17"}],
                "payment_id": "credit_card_4410021",
            },
        ),
    ]
    _, _, results = play(fidelity_env, task, refused)
    assert [r["ok"] for r in results] == [False, False, False]
    assert "Not enough seats" in results[2]["content"]
    # A transfer leaves no trace in tau2's database and ends the episode.
    fidelity_env.reset(options={"task": task})
    _, _, terminated, _, _ = fidelity_env.step(tool_call(*calls[3]))
    assert terminated and fidelity_env.change_sets() == {"airline": []}


def test_the_default_mode_is_unchanged(tasks: dict[str, Task], enforcing_env: ToolUseEnv) -> None:
    task = tasks["book_with_certificate"]
    final, _, results = play(enforcing_env, task, gold(task))
    assert all(r["ok"] for r in results)
    new = set(final["reservations"]) - set(DB["reservations"])
    assert len(new) == 1 and new != {"HATHAT"}  # the service's own random ids


# -- the measured number -----------------------------------------------------------------------------------
def test_final_database_matches_in_fidelity_mode_not_always_in_enforcing_mode(
    tasks: dict[str, Task], fidelity_env: ToolUseEnv, enforcing_env: ToolUseEnv
) -> None:
    """Gold replayed by the agent in each mode, graded by the imported state check."""
    matched = state_matches(tasks, {"tau2": fidelity_env, "enforcing": enforcing_env}, "Your refund is $60.")
    assert len(matched["tau2"]) == len(tasks) == 6
    # Random reservation and certificate ids (booking, compensation) and exact seat inventory (a change of
    # flights) make the enforcing service's database differ from tau2's.
    assert sorted(matched["enforcing"]) == [
        "add_checked_bags",
        "correct_passenger_birth_date",
        "refuse_basic_economy_cancellation",
    ]


def test_tau2s_accounting_edge_cases(tasks: dict[str, Task], fidelity_env: ToolUseEnv) -> None:
    """Cross-checked against tau2-bench's own airline tools on the same database (see the report)."""
    task = tasks["refuse_basic_economy_cancellation"]
    same = {
        "reservation_id": "P2HZ6W",
        "cabin": "business",
        "flights": [{"flight_number": "HAT104", "date": "2024-05-17"}],
        "payment_id": "certificate_1190233",
    }
    calls = [
        ("cancel_reservation", {"reservation_id": "M4BE7K"}),
        ("cancel_reservation", {"reservation_id": "M4BE7K"}),  # tau2 refunds the whole history again
        ("update_reservation_flights", same),  # a certificate is refused even for a zero difference
        ("update_reservation_flights", {**same, "payment_id": "gift_card_6600419"}),  # zero: no payment entry
        ("update_reservation_flights", {**same, "cabin": "economy", "payment_id": "gift_card_6600419"}),
    ]
    final, _, results = play(fidelity_env, task, calls)
    assert [r["ok"] for r in results] == [True, True, False, True, True]
    assert [p["amount"] for p in final["reservations"]["M4BE7K"]["payment_history"]] == [80, -80, -80, 80]
    downgraded = final["reservations"]["P2HZ6W"]
    assert downgraded["cabin"] == "economy" and downgraded["flights"][0]["price"] == 170
    assert downgraded["payment_history"][-1] == {"payment_id": "gift_card_6600419", "amount": -520}
    assert final["users"][PRIYA]["payment_methods"]["gift_card_6600419"]["amount"] == 25.0 + 520
    assert final["flights"] == DB["flights"]  # neither a cancellation nor a change moves seats
