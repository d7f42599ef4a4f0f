"""The tau2 fidelity mode of retail: tau2's permissive tools and accounting, and imported tau2 tasks.

The fixtures are tau2-shaped files written for these tests: ``retail_tau2_fidelity_db.json`` (the small
retail database plus a pending order whose payment was moved from PayPal to a gift card) and
``retail_tau2_tasks.json`` (six tasks in tau2's format, one of them a policy refusal).
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
DB: dict[str, Any] = json.loads((FIXTURES / "retail_tau2_fidelity_db.json").read_text())
TAU2_TASKS: list[dict[str, Any]] = json.loads((FIXTURES / "retail_tau2_tasks.json").read_text())
MARA, TOMAS, PRIYA = "mara_lindqvist_4821", "tomas_okafor_1907", "priya_raman_5530"
BLUE_M, BLUE_L, RED_M = "2000000001", "2000000002", "2000000003"
BLANK_ADDRESS = dict.fromkeys(("address1", "address2", "city", "state", "country", "zip"), "")


tasks, fidelity_env, enforcing_env = module_fixtures("retail", TAU2_TASKS, DB)


# -- the option ------------------------------------------------------------------------------------------
def test_fidelity_is_an_environment_option_and_a_typo_is_an_error() -> None:
    with gym.make("envfactory/retail-v0", fidelity="tau2") as env:
        assert env.unwrapped.fidelity == "tau2"  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="Unknown fidelity 'tau-2' for environment 'retail'; its modes are: 'tau2'"):
        ToolUseEnv("retail", fidelity="tau-2")


def test_the_policy_is_in_the_system_prompt_only_in_fidelity_mode(fidelity_env: ToolUseEnv) -> None:
    _, info = fidelity_env.reset()
    prompt = info["messages"][0]["content"]
    assert "## retail policy" in prompt and "'no longer needed' or 'ordered by mistake'" in prompt
    assert "decline anything about another person's account" in prompt
    default_env = ToolUseEnv("retail")
    _, default_info = default_env.reset()
    assert "## retail policy" not in default_info["messages"][0]["content"]
    default_env.close()
    # Same tools and schemas; the replaced ones describe what they do, not refusals they no longer make.
    fidelity_tools = {t["function"]["name"]: t["function"] for t in info["tools"]}
    default_tools = {t["function"]["name"]: t["function"] for t in default_info["tools"]}
    assert fidelity_tools.keys() == default_tools.keys()
    assert all(fidelity_tools[n]["parameters"] == default_tools[n]["parameters"] for n in default_tools)
    assert "each payment of its history is refunded" in fidelity_tools["cancel_pending_order"]["description"]
    assert fidelity_tools["get_order_details"] == default_tools["get_order_details"]


# -- replaying the gold actions gives tau2's final database exactly ------------------------------------------
def _expected_cancel(db: dict[str, Any]) -> None:
    order = db["orders"]["#W1000010"]
    # tau2 refunds every entry of the history, the earlier refund included: PayPal gets 44 back twice.
    order["payment_history"] += [
        {"transaction_type": "refund", "amount": 44.0, "payment_method_id": "paypal_3318842"},
        {"transaction_type": "refund", "amount": 44.0, "payment_method_id": "gift_card_7730014"},
        {"transaction_type": "refund", "amount": 44.0, "payment_method_id": "paypal_3318842"},
    ]
    order["status"], order["cancel_reason"] = "cancelled", "ordered by mistake"
    db["users"][MARA]["payment_methods"]["gift_card_7730014"]["balance"] = 164.5


def _expected_modify(db: dict[str, Any]) -> None:
    order = db["orders"]["#W1000004"]
    # Both lines get their new item ids, but the last new item's options (blue L) and price: tau2's copy.
    for line, item_id in zip(order["items"], (BLUE_M, BLUE_L), strict=True):
        line.update(item_id=item_id, price=24.99, options={"color": "blue", "size": "L"})
    order["payment_history"].append(
        {"transaction_type": "refund", "amount": 3.02, "payment_method_id": "gift_card_3345678"}
    )  # tau2's float is 3.020000000000003; amounts here are cents
    order["status"] = "pending (item modified)"
    db["users"][TOMAS]["payment_methods"]["gift_card_3345678"]["balance"] = 18.02


def _expected_return(db: dict[str, Any]) -> None:
    order = db["orders"]["#W1000002"]
    order.update(status="return requested", return_items=["2000000031"], return_payment_method_id="gift_card_7730014")


def _expected_exchange(db: dict[str, Any]) -> None:
    db["orders"]["#W1000005"].update(
        status="exchange requested",
        exchange_items=["2000000012"],
        exchange_new_items=["2000000013"],
        exchange_payment_method_id="credit_card_9012345",
        exchange_price_difference=-29.05,
    )


def _expected_address(db: dict[str, Any]) -> None:
    db["users"][PRIYA]["address"] = {
        "address1": "77 Valencia Street",
        "address2": "Unit 5",
        "city": "San Francisco",
        "country": "USA",
        "state": "CA",
        "zip": "94103",
    }


@pytest.mark.parametrize(
    ("tau2_id", "edit", "answer"),
    [
        ("cancel_after_payment_change", _expected_cancel, "Cancelled."),
        ("modify_two_shirts", _expected_modify, "You get $3.02 back on your gift card."),
        ("return_lamp_to_gift_card", _expected_return, "Return requested."),
        ("exchange_boots_non_waterproof", _expected_exchange, "Exchange requested."),
        ("refuse_exchange_for_the_same_item", lambda db: None, "Those are the boots you have."),
        ("update_default_address", _expected_address, "Address updated."),
    ],
)
def test_gold_replay_in_fidelity_mode_reaches_tau2s_database_exactly(
    tasks: dict[str, Task], fidelity_env: ToolUseEnv, tau2_id: str, edit: Any, answer: str
) -> None:
    expected = copy.deepcopy(DB)
    edit(expected)
    assert_gold_reaches(fidelity_env, tasks[tau2_id], expected, answer)


def test_the_refund_must_be_communicated(tasks: dict[str, Task], fidelity_env: ToolUseEnv) -> None:
    task = tasks["modify_two_shirts"]
    _, breakdown, _ = play(fidelity_env, task, gold(task), "Your T-shirts are changed.")
    assert breakdown["checks"]["state"] is True and breakdown["checks"]["not_communicated"] == ["3.02"]
    assert breakdown["reward"] == 0.0


# -- policy following is the training signal ------------------------------------------------------------------
SAME_ITEM_EXCHANGE = (
    "exchange_delivered_order_items",
    {
        "order_id": "#W1000002",
        "item_ids": ["2000000011"],
        "new_item_ids": ["2000000011"],
        "payment_method_id": "credit_card_4410021",
    },
)


def test_a_policy_violation_lowers_the_reward_in_fidelity_mode(
    tasks: dict[str, Task], fidelity_env: ToolUseEnv
) -> None:
    task = tasks["refuse_exchange_for_the_same_item"]
    _, refused, _ = play(fidelity_env, task, gold(task), "Your boots already are the size 9 waterproof pair.")
    assert refused["reward"] == 1.0
    final, exchanged, results = play(fidelity_env, task, [*gold(task), SAME_ITEM_EXCHANGE], "Exchange requested.")
    assert results[-1]["ok"]  # tau2's tool exchanges an item for itself: the policy is the agent's to follow
    assert final["orders"]["#W1000002"]["status"] == "exchange requested"
    assert exchanged["reward"] == 0.0 and exchanged["checks"]["state"] is False
    assert exchanged["checks"]["states_mismatched"] == ["retail"] and exchanged["extra_changes"] > 0
    assert exchanged["checks"]["not_evaluated"]  # the judge-only assertion is reported, not passed


def test_the_enforcing_mode_keeps_the_services_refusal(tasks: dict[str, Task], enforcing_env: ToolUseEnv) -> None:
    task = tasks["refuse_exchange_for_the_same_item"]
    final, breakdown, results = play(enforcing_env, task, [*gold(task), SAME_ITEM_EXCHANGE])
    assert results[-1]["error"] == "domain_error" and "replaced by itself" in results[-1]["content"]
    assert final["orders"]["#W1000002"]["status"] == "delivered"
    assert breakdown["reward"] == 1.0  # the service refused, so the state is the expected one


@pytest.mark.parametrize(
    "violation",
    [
        # Another customer's order: Mara is the caller, the order is Tomas's (the tools take no user id).
        ("cancel_pending_order", {"order_id": "#W1000004", "reason": "no longer needed"}),
        # An order whose items were modified may no longer be changed, but tau2's address tool accepts it.
        ("modify_pending_order_address", {"order_id": "#W1000007", **BLANK_ADDRESS, "address1": "1 Elm St"}),
    ],
    ids=["another_customers_order", "address_of_a_modified_order"],
)
def test_other_policy_violations_tau2s_tools_allow_lower_the_reward(
    tasks: dict[str, Task], fidelity_env: ToolUseEnv, violation: tuple[str, dict[str, Any]]
) -> None:
    task = tasks["refuse_exchange_for_the_same_item"]
    _, breakdown, results = play(fidelity_env, task, [*gold(task), violation])
    assert results[-1]["ok"] and breakdown["reward"] == 0.0 and breakdown["checks"]["state"] is False


# -- tau2's behaviour where it differs from the enforcing store ---------------------------------------------
def test_tau2_copies_the_last_new_items_price_and_options_onto_every_swapped_line(
    tasks: dict[str, Task], fidelity_env: ToolUseEnv, enforcing_env: ToolUseEnv
) -> None:
    swap = {
        "order_id": "#W1000001",
        "item_ids": [BLUE_M, "2000000021"],  # a T-shirt and a kettle
        "new_item_ids": [RED_M, "2000000022"],
        "payment_method_id": "gift_card_7730014",
    }
    task = tasks["update_default_address"]
    final, _, results = play(fidelity_env, task, [("modify_pending_order_items", swap)])
    assert results[0]["ok"]
    shirt, kettle = final["orders"]["#W1000001"]["items"]
    assert shirt["item_id"] == RED_M and shirt["name"] == "T-Shirt"
    assert shirt["price"] == kettle["price"] == 54.25 and shirt["options"] == {"capacity": "1.7L", "color": "black"}
    # The charge is still the true difference: (26.50 - 24.99) + (54.25 - 39.99).
    assert final["orders"]["#W1000001"]["payment_history"][-1]["amount"] == 15.77
    assert final["users"][MARA]["payment_methods"]["gift_card_7730014"]["balance"] == 120.5 - 15.77
    enforced, _, _ = play(enforcing_env, task, [("modify_pending_order_items", swap)])
    shirt, _ = enforced["orders"]["#W1000001"]["items"]
    assert shirt["price"] == 26.5 and shirt["options"] == {"color": "red", "size": "M"}


def test_fidelity_tools_are_permissive_where_tau2s_are(
    tasks: dict[str, Task], fidelity_env: ToolUseEnv, enforcing_env: ToolUseEnv
) -> None:
    task = tasks["update_default_address"]
    calls = [
        ("modify_pending_order_items", {**_swap("#W1000001"), "item_ids": [], "new_item_ids": []}),
        (
            "return_delivered_order_items",
            {"order_id": "#W1000005", "item_ids": [], "payment_method_id": "gift_card_3345678"},
        ),
        ("modify_user_address", {"user_id": MARA, **BLANK_ADDRESS}),
        ("find_user_id_by_email", {"email": "MARA.Lindqvist4821@example.com"}),
        ("transfer_to_human_agents", {"summary": ""}),
    ]
    final, _, results = play(fidelity_env, task, calls[:4])
    assert [r["ok"] for r in results] == [True, True, True, True]
    modified = final["orders"]["#W1000001"]
    assert modified["status"] == "pending (item modified)"  # nothing swapped, a zero refund recorded
    assert modified["payment_history"][-1] == {
        "transaction_type": "refund",
        "amount": 0.0,
        "payment_method_id": "paypal_3318842",
    }
    assert final["orders"]["#W1000005"]["return_items"] == []
    assert final["users"][MARA]["address"] == BLANK_ADDRESS
    _, _, enforced = play(enforcing_env, task, calls[:3])
    assert [r["ok"] for r in enforced] == [False, False, False]
    # tau2 compares the email as given: a stray space finds nobody (the enforcing store trims it).
    padded = ("find_user_id_by_email", {"email": " mara.lindqvist4821@example.com"})
    assert [r["ok"] for r in play(fidelity_env, task, [padded])[2]] == [False]
    assert [r["ok"] for r in play(enforcing_env, task, [padded])[2]] == [True]
    # A transfer, even without a summary, leaves no trace in tau2's database and ends the episode.
    fidelity_env.reset(options={"task": task})
    _, _, terminated, _, _ = fidelity_env.step(tool_call(*calls[4]))
    assert terminated and fidelity_env.change_sets() == {"retail": []}


def _swap(order_id: str) -> dict[str, Any]:
    return {"order_id": order_id, "item_ids": [RED_M], "new_item_ids": [BLUE_M], "payment_method_id": "paypal_3318842"}


def test_what_tau2s_tools_refuse_is_still_refused(tasks: dict[str, Task], fidelity_env: ToolUseEnv) -> None:
    task = tasks["update_default_address"]
    refused = [
        ("modify_pending_order_items", {**_swap("#W1000001"), "item_ids": [BLUE_M], "new_item_ids": [BLUE_M]}),
        ("modify_pending_order_items", _swap("#W1000007")),  # already modified once
        ("modify_pending_order_items", {**_swap("#W1000004"), "new_item_ids": ["2000000004"]}),  # out of stock
        ("modify_pending_order_items", {**_swap("#W1000004"), "item_ids": [RED_M, RED_M, RED_M]}),  # two on the order
        (
            "exchange_delivered_order_items",
            {**_swap("#W1000005"), "item_ids": ["2000000012"], "new_item_ids": ["2000000031"]},
        ),
        (
            "return_delivered_order_items",
            {"order_id": "#W1000002", "item_ids": ["2000000011"], "payment_method_id": "paypal_3318842"},
        ),
        ("cancel_pending_order", {"order_id": "#W1000001", "reason": "too slow"}),
        ("cancel_pending_order", {"order_id": "#W1000007", "reason": "no longer needed"}),  # items modified
        ("modify_pending_order_payment", {"order_id": "#W1000007", "payment_method_id": "paypal_5530112"}),
        ("modify_pending_order_items", {**_swap("#W1000004"), "payment_method_id": "gift_card_7730014"}),  # Mara's
    ]
    final, _, results = play(fidelity_env, task, refused)
    assert [r["ok"] for r in results] == [False] * len(refused)
    assert "is not a variant of the Hiking Boots" in results[4]["content"]
    assert final == DB


def test_cancelling_again_and_after_a_payment_change_as_tau2_does(
    tasks: dict[str, Task], fidelity_env: ToolUseEnv
) -> None:
    """Cross-checked against tau2-bench's own retail tools on the same database (see the report)."""
    task = tasks["update_default_address"]
    calls = [
        ("modify_pending_order_payment", {"order_id": "#W1000004", "payment_method_id": "credit_card_9012345"}),
        ("cancel_pending_order", {"order_id": "#W1000004", "reason": "no longer needed"}),
        ("cancel_pending_order", {"order_id": "#W1000004", "reason": "no longer needed"}),
    ]
    final, _, results = play(fidelity_env, task, calls)
    assert [r["ok"] for r in results] == [True, True, False]  # a cancelled order is no longer pending
    history = final["orders"]["#W1000004"]["payment_history"]
    assert [(p["transaction_type"], p["payment_method_id"][:9]) for p in history] == [
        ("payment", "gift_card"),
        ("payment", "credit_ca"),
        ("refund", "gift_card"),
        ("refund", "gift_card"),
        ("refund", "credit_ca"),
        ("refund", "gift_card"),
    ]
    # The gift card got the order total back on the payment change and twice more on the cancellation.
    assert final["users"][TOMAS]["payment_methods"]["gift_card_3345678"]["balance"] == 15.0 + 3 * 53.0


def test_the_default_mode_is_unchanged(tasks: dict[str, Task], enforcing_env: ToolUseEnv) -> None:
    task = tasks["cancel_after_payment_change"]
    final, breakdown, results = play(enforcing_env, task, gold(task))
    assert all(r["ok"] for r in results)
    # The store refunds what each method still holds: the gift card's 44, nothing to PayPal.
    assert final["orders"]["#W1000010"]["payment_history"][3:] == [
        {"transaction_type": "refund", "amount": 44.0, "payment_method_id": "gift_card_7730014"}
    ]
    assert breakdown["checks"]["state"] is False


# -- the measured number -----------------------------------------------------------------------------------
def test_final_database_matches_in_fidelity_mode_not_always_in_enforcing_mode(
    tasks: dict[str, Task], fidelity_env: ToolUseEnv, enforcing_env: ToolUseEnv
) -> None:
    """Gold replayed by the agent in each mode, graded by the imported state check."""
    matched = state_matches(tasks, {"tau2": fidelity_env, "enforcing": enforcing_env}, "You get $3.02 back.")
    assert len(matched["tau2"]) == len(tasks) == 6
    # tau2 refunds every history entry on a cancellation and copies the last new item onto every swapped
    # line; the enforcing store does neither.
    assert sorted(matched["enforcing"]) == [
        "exchange_boots_non_waterproof",
        "refuse_exchange_for_the_same_item",
        "return_lamp_to_gift_card",
        "update_default_address",
    ]
