"""The retail environment: tau2-bench compatibility, the store's rules, bookkeeping, seed and interchange.

Rule tests run on a small hand-written tau2-shaped database (fixtures/retail_tau2_small.json) where every
case is known; the seeded database is checked for size, determinism and consistency; the interchange is
checked by loading the fixture, running tool calls and comparing the dumped document with the expected one.
"""

from __future__ import annotations

import copy
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from envfactory_gym.database import build_snapshot, get_snapshot
from envfactory_gym.domains.shopping import retail
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.scenario import ScenarioError, load_scenario
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

SMALL: dict[str, Any] = json.loads((Path(__file__).parent / "fixtures" / "retail_tau2_small.json").read_text())
MARA, TOMAS, PRIYA = "mara_lindqvist_4821", "tomas_okafor_1907", "priya_raman_5530"
MARA_VISA, MARA_GIFT, MARA_PAYPAL = "credit_card_4410021", "gift_card_7730014", "paypal_3318842"
TOMAS_CARD, TOMAS_GIFT = "credit_card_9012345", "gift_card_3345678"
PRIYA_PAYPAL = "paypal_5530112"
BLUE_M, BLUE_L, RED_M, RED_L = "2000000001", "2000000002", "2000000003", "2000000004"
BOOTS_9, BOOTS_10, BOOTS_10_DRY, BOOTS_11 = "2000000011", "2000000012", "2000000013", "2000000014"
KETTLE_1L, KETTLE_17 = "2000000021", "2000000022"
LAMP_BLACK, LAMP_BRASS = "2000000031", "2000000032"
NEW_ADDRESS = {
    "address1": "9 Elm Court",
    "address2": "Unit 4",
    "city": "Boulder",
    "state": "CO",
    "country": "USA",
    "zip": "80302",
}

TAU2_TOOLS = {
    # name: (kind, parameters) as in tau2-bench's RetailTools (GENERIC tools are reads here).
    "calculate": ("read", ["expression"]),
    "cancel_pending_order": ("write", ["order_id", "reason"]),
    "exchange_delivered_order_items": ("write", ["order_id", "item_ids", "new_item_ids", "payment_method_id"]),
    "find_user_id_by_name_zip": ("read", ["first_name", "last_name", "zip"]),
    "find_user_id_by_email": ("read", ["email"]),
    "get_order_details": ("read", ["order_id"]),
    "get_product_details": ("read", ["product_id"]),
    "get_item_details": ("read", ["item_id"]),
    "get_user_details": ("read", ["user_id"]),
    "list_all_product_types": ("read", []),
    "modify_pending_order_address": (
        "write",
        ["order_id", "address1", "address2", "city", "state", "country", "zip"],
    ),
    "modify_pending_order_items": ("write", ["order_id", "item_ids", "new_item_ids", "payment_method_id"]),
    "modify_pending_order_payment": ("write", ["order_id", "payment_method_id"]),
    "modify_user_address": ("write", ["user_id", "address1", "address2", "city", "state", "country", "zip"]),
    "return_delivered_order_items": ("write", ["order_id", "item_ids", "payment_method_id"]),
    "transfer_to_human_agents": ("write", ["summary"]),
}
ORDER_FIELDS = [
    "order_id",
    "user_id",
    "address",
    "items",
    "status",
    "fulfillments",
    "payment_history",
    "cancel_reason",
    "exchange_items",
    "exchange_new_items",
    "exchange_payment_method_id",
    "exchange_price_difference",
    "return_items",
    "return_payment_method_id",
]


def small() -> EpisodeHarness:
    return EpisodeHarness(retail.env, scenario=SMALL)


def text(h: EpisodeHarness, name: str, **arguments: Any) -> str:
    """The raw result of a tool that returns a string."""
    result = h.call(name, **arguments)
    assert result.ok, result.content
    return result.content


def dump(h: EpisodeHarness) -> dict[str, Any]:
    return retail.env.scenario_io.dump(h.database.session)


def balance(h: EpisodeHarness, user_id: str, payment_method_id: str) -> float:
    return float(h.ok("get_user_details", user_id=user_id)["payment_methods"][payment_method_id]["balance"])


def tau2_order(order_id: str) -> dict[str, Any]:
    """The fixture's order as tau2's get_order_details answers it (unset optional fields as null)."""
    order = SMALL["orders"][order_id]
    return {name: copy.deepcopy(order.get(name)) for name in ORDER_FIELDS}


# --------------------------------------------------------------------------------------------------
# Catalog and schema compatibility with tau2-bench
# --------------------------------------------------------------------------------------------------


def test_tools_match_tau2_names_kinds_and_parameters() -> None:
    assert set(retail.env.tools) == set(TAU2_TOOLS)
    catalog = json.loads((Path(retail.__file__).parents[3] / "envfactory_gym" / "catalog.json").read_text())
    entry = next(e for e in catalog["environments"] if e["id"] == "retail")
    assert set(entry["reference_tools"]) == set(TAU2_TOOLS)
    for name, (kind, parameters) in TAU2_TOOLS.items():
        spec = retail.env.tools[name]
        assert spec.kind == kind, name
        assert list(spec.parameters["properties"]) == parameters, name
        assert spec.parameters.get("required", []) == parameters, name
        assert spec.description and all(spec.parameters["properties"][p].get("description") for p in parameters)
    assert retail.env.tools["transfer_to_human_agents"].terminal
    assert [n for n, s in retail.env.tools.items() if s.terminal] == ["transfer_to_human_agents"]
    assert retail.env.tools["exchange_delivered_order_items"].parameters["properties"]["item_ids"]["type"] == "array"


def test_description_states_the_policy() -> None:
    policy = retail.env.description.lower()
    for rule in ("email", "zip code", "one customer", "explicit yes", "'pending'", "no longer needed", "gift card"):
        assert rule in policy, rule
    assert "same product" in policy and "human agent" in policy and "once" in policy


def test_outputs_have_tau2_shapes() -> None:
    h = small()
    user = h.ok("get_user_details", user_id=MARA)
    assert user == SMALL["users"][MARA]
    assert list(user) == ["user_id", "name", "address", "email", "payment_methods", "orders"]
    assert list(user["payment_methods"][MARA_GIFT]) == ["source", "id", "balance"]
    assert user["payment_methods"][MARA_PAYPAL] == {"source": "paypal", "id": MARA_PAYPAL}
    order = h.ok("get_order_details", order_id="#W1000002")
    assert list(order) == ORDER_FIELDS
    assert order == tau2_order("#W1000002")
    assert h.ok("get_order_details", order_id="#W1000009") == tau2_order("#W1000009")
    assert h.ok("get_product_details", product_id="1000000002") == SMALL["products"]["1000000002"]
    assert h.ok("get_item_details", item_id=BOOTS_10_DRY) == SMALL["products"]["1000000002"]["variants"][BOOTS_10_DRY]
    listing = text(h, "list_all_product_types")
    assert listing == json.dumps(
        {
            "Desk Lamp": "1000000004",
            "Electric Kettle": "1000000003",
            "Hiking Boots": "1000000002",
            "T-Shirt": "1000000001",
        }
    )
    assert set(retail.env.tools["get_order_details"].output_schema["properties"]) == set(ORDER_FIELDS)


def test_missing_records_are_refused() -> None:
    h = small()
    assert "#" in h.error("get_order_details", order_id="W1000001")
    assert "no customer" in h.error("get_user_details", user_id="ghost_0000").lower()
    assert "no product" in h.error("get_product_details", product_id=BLUE_M).lower()
    assert "no item" in h.error("get_item_details", item_id="1000000001").lower()


# --------------------------------------------------------------------------------------------------
# Finding the customer
# --------------------------------------------------------------------------------------------------


def test_user_lookup_by_email_and_by_name_and_zip() -> None:
    h = small()
    assert text(h, "find_user_id_by_email", email="Mara.Lindqvist4821@EXAMPLE.com") == MARA
    assert text(h, "find_user_id_by_name_zip", first_name="tomas", last_name="OKAFOR", zip="60614") == TOMAS
    assert "no customer" in h.error("find_user_id_by_email", email="mara@example.com").lower()
    # The zip must be the customer's own.
    assert "60614" in h.error("find_user_id_by_name_zip", first_name="Mara", last_name="Lindqvist", zip="60614")


# --------------------------------------------------------------------------------------------------
# Cancelling
# --------------------------------------------------------------------------------------------------


def test_cancel_refunds_a_gift_card_at_once() -> None:
    h = small()
    order = h.ok("cancel_pending_order", order_id="#W1000004", reason="no longer needed")
    assert order["status"] == "cancelled" and order["cancel_reason"] == "no longer needed"
    assert order["payment_history"][-1] == {
        "transaction_type": "refund",
        "amount": 53.0,
        "payment_method_id": TOMAS_GIFT,
    }
    assert balance(h, TOMAS, TOMAS_GIFT) == 68.0


def test_cancel_to_a_card_records_the_refund_only() -> None:
    h = small()
    order = h.ok("cancel_pending_order", order_id="#W1000001", reason="ordered by mistake")
    assert [p["transaction_type"] for p in order["payment_history"]] == ["payment", "refund"]
    assert balance(h, MARA, MARA_GIFT) == 120.5


def test_cancel_refusals_change_nothing() -> None:
    h = small()
    assert "reason" in h.error("cancel_pending_order", order_id="#W1000001", reason="found it cheaper")
    for order_id, status in (("#W1000003", "processed"), ("#W1000002", "delivered"), ("#W1000006", "cancelled")):
        assert status in h.error("cancel_pending_order", order_id=order_id, reason="no longer needed")
    assert "modified" in h.error("cancel_pending_order", order_id="#W1000007", reason="no longer needed")


def test_cancel_after_a_payment_change_refunds_what_each_method_holds() -> None:
    h = small()
    h.ok("modify_pending_order_payment", order_id="#W1000001", payment_method_id=MARA_GIFT)
    assert balance(h, MARA, MARA_GIFT) == 55.52
    order = h.ok("cancel_pending_order", order_id="#W1000001", reason="no longer needed")
    # The visa was already refunded by the payment change; the gift card gets its 64.98 back.
    assert order["payment_history"][-1] == {
        "transaction_type": "refund",
        "amount": 64.98,
        "payment_method_id": MARA_GIFT,
    }
    assert len(order["payment_history"]) == 4
    assert balance(h, MARA, MARA_GIFT) == 120.5


# --------------------------------------------------------------------------------------------------
# Pending orders: address, payment, items
# --------------------------------------------------------------------------------------------------


def test_modify_pending_order_address() -> None:
    h = small()
    order = h.ok("modify_pending_order_address", order_id="#W1000001", **NEW_ADDRESS)
    assert order["address"] == {k: NEW_ADDRESS[k] for k in ("address1", "address2", "city", "country", "state", "zip")}
    assert h.ok("get_user_details", user_id=MARA)["address"] == SMALL["users"][MARA]["address"]
    # An order whose items were modified is still pending: its address can change.
    assert h.ok("modify_pending_order_address", order_id="#W1000007", **NEW_ADDRESS)["address"]["city"] == "Boulder"
    assert "processed" in h.error("modify_pending_order_address", order_id="#W1000003", **NEW_ADDRESS)
    assert "zip" in h.error("modify_pending_order_address", order_id="#W1000001", **{**NEW_ADDRESS, "zip": " "})


def test_modify_user_address() -> None:
    h = small()
    user = h.ok("modify_user_address", user_id=TOMAS, **NEW_ADDRESS)
    assert user["address"]["address1"] == "9 Elm Court"
    assert h.ok("get_order_details", order_id="#W1000004")["address"]["address1"] == "77 Clark Avenue"
    assert "no customer" in h.error("modify_user_address", user_id="ghost_0000", **NEW_ADDRESS).lower()


def test_modify_payment_moves_the_charge() -> None:
    h = small()
    order = h.ok("modify_pending_order_payment", order_id="#W1000004", payment_method_id=TOMAS_CARD)
    assert order["payment_history"] == [
        {"transaction_type": "payment", "amount": 53.0, "payment_method_id": TOMAS_GIFT},
        {"transaction_type": "payment", "amount": 53.0, "payment_method_id": TOMAS_CARD},
        {"transaction_type": "refund", "amount": 53.0, "payment_method_id": TOMAS_GIFT},
    ]
    assert order["status"] == "pending"
    assert balance(h, TOMAS, TOMAS_GIFT) == 68.0
    # Only while the order has its single original payment.
    assert "exactly one payment" in h.error(
        "modify_pending_order_payment", order_id="#W1000004", payment_method_id=TOMAS_GIFT
    )


def test_modify_payment_refusals_change_nothing() -> None:
    h = small()
    assert "already paid" in h.error("modify_pending_order_payment", order_id="#W1000001", payment_method_id=MARA_VISA)
    # Another customer's card is not in this customer's profile.
    assert "no payment method" in h.error(
        "modify_pending_order_payment", order_id="#W1000001", payment_method_id=TOMAS_CARD
    )
    assert "delivered" in h.error("modify_pending_order_payment", order_id="#W1000002", payment_method_id=MARA_GIFT)
    # The item change left two transactions on Priya's order.
    assert "transactions" in h.error(
        "modify_pending_order_payment", order_id="#W1000007", payment_method_id=PRIYA_PAYPAL
    )


def test_modify_items_charges_the_difference_once() -> None:
    h = small()
    order = h.ok(
        "modify_pending_order_items",
        order_id="#W1000001",
        item_ids=[BLUE_M, KETTLE_1L],
        new_item_ids=[RED_M, KETTLE_17],
        payment_method_id=MARA_GIFT,
    )
    assert order["status"] == "pending (item modified)"
    assert [(i["item_id"], i["price"], i["options"]) for i in order["items"]] == [
        (RED_M, 26.5, {"color": "red", "size": "M"}),
        (KETTLE_17, 54.25, {"capacity": "1.7L", "color": "black"}),
    ]
    assert order["payment_history"][-1] == {
        "transaction_type": "payment",
        "amount": 15.77,
        "payment_method_id": MARA_GIFT,
    }
    assert balance(h, MARA, MARA_GIFT) == 104.73
    again = {"order_id": "#W1000001", "item_ids": [RED_M], "new_item_ids": [BLUE_M], "payment_method_id": MARA_VISA}
    assert "already been modified" in h.error("modify_pending_order_items", **again)
    assert "modified" in h.error("cancel_pending_order", order_id="#W1000001", reason="no longer needed")


def test_modify_items_refund_goes_to_the_named_method() -> None:
    h = small()
    order = h.ok(
        "modify_pending_order_items",
        order_id="#W1000004",
        item_ids=[RED_M, RED_M],
        new_item_ids=[BLUE_M, BLUE_L],
        payment_method_id=TOMAS_GIFT,
    )
    assert [i["item_id"] for i in order["items"]] == [BLUE_M, BLUE_L]
    assert order["payment_history"][-1] == {
        "transaction_type": "refund",
        "amount": 3.02,
        "payment_method_id": TOMAS_GIFT,
    }
    assert balance(h, TOMAS, TOMAS_GIFT) == 18.02


def test_modify_items_refusals_change_nothing() -> None:
    h = small()
    base = {"order_id": "#W1000001", "payment_method_id": MARA_VISA}
    assert "another option of the same product" in h.error(
        "modify_pending_order_items", **base, item_ids=[BLUE_M], new_item_ids=[LAMP_BRASS]
    )
    assert "out of stock" in h.error("modify_pending_order_items", **base, item_ids=[BLUE_M], new_item_ids=[RED_L])
    assert "by itself" in h.error("modify_pending_order_items", **base, item_ids=[BLUE_M], new_item_ids=[BLUE_M])
    assert "not part of" in h.error("modify_pending_order_items", **base, item_ids=[BLUE_L], new_item_ids=[RED_M])
    assert "fewer than" in h.error(
        "modify_pending_order_items", **base, item_ids=[BLUE_M, BLUE_M], new_item_ids=[RED_M, RED_M]
    )
    assert "one new item per item" in h.error(
        "modify_pending_order_items", **base, item_ids=[BLUE_M], new_item_ids=[RED_M, BLUE_L]
    )
    assert "at least one" in h.error("modify_pending_order_items", **base, item_ids=[], new_item_ids=[])
    assert "processed" in h.error(
        "modify_pending_order_items",
        order_id="#W1000003",
        item_ids=[KETTLE_17],
        new_item_ids=[KETTLE_1L],
        payment_method_id=MARA_VISA,
    )


def test_gift_card_must_cover_a_higher_price() -> None:
    poor = copy.deepcopy(SMALL)
    poor["users"][MARA]["payment_methods"][MARA_GIFT]["balance"] = 10.0
    h = EpisodeHarness(retail.env, scenario=poor)
    message = h.error(
        "modify_pending_order_items",
        order_id="#W1000001",
        item_ids=[KETTLE_1L],
        new_item_ids=[KETTLE_17],
        payment_method_id=MARA_GIFT,
    )
    assert "not enough" in message and "$10.00" in message
    assert "not enough" in h.error("modify_pending_order_payment", order_id="#W1000001", payment_method_id=MARA_GIFT)
    # An equal price needs no balance; as in tau2 the zero difference is recorded as a refund.
    order = h.ok(
        "modify_pending_order_items",
        order_id="#W1000001",
        item_ids=[BLUE_M],
        new_item_ids=[BLUE_L],
        payment_method_id=MARA_GIFT,
    )
    assert order["payment_history"][-1] == {"transaction_type": "refund", "amount": 0.0, "payment_method_id": MARA_GIFT}
    assert balance(h, MARA, MARA_GIFT) == 10.0


# --------------------------------------------------------------------------------------------------
# Delivered orders: returns and exchanges
# --------------------------------------------------------------------------------------------------


def test_return_to_a_gift_card_or_the_original_method() -> None:
    h = small()
    order = h.ok(
        "return_delivered_order_items",
        order_id="#W1000002",
        item_ids=[LAMP_BLACK, BOOTS_9],
        payment_method_id=MARA_GIFT,
    )
    assert order["status"] == "return requested"
    assert order["return_items"] == sorted([LAMP_BLACK, BOOTS_9])
    assert order["return_payment_method_id"] == MARA_GIFT
    # The refund is only requested: no balance moves until the items come back.
    assert balance(h, MARA, MARA_GIFT) == 120.5
    assert "delivered" in h.error(
        "return_delivered_order_items", order_id="#W1000002", item_ids=[BOOTS_9], payment_method_id=MARA_GIFT
    )
    h2 = small()
    assert (
        h2.ok("return_delivered_order_items", order_id="#W1000005", item_ids=[BOOTS_10], payment_method_id=TOMAS_CARD)[
            "return_payment_method_id"
        ]
        == TOMAS_CARD
    )


def test_return_refusals_change_nothing() -> None:
    h = small()
    assert "original payment method" in h.error(
        "return_delivered_order_items", order_id="#W1000002", item_ids=[BOOTS_9], payment_method_id=MARA_PAYPAL
    )
    assert "not part of" in h.error(
        "return_delivered_order_items", order_id="#W1000002", item_ids=[BLUE_M], payment_method_id=MARA_VISA
    )
    assert "pending" in h.error(
        "return_delivered_order_items", order_id="#W1000001", item_ids=[BLUE_M], payment_method_id=MARA_VISA
    )
    assert "return requested" in h.error(
        "return_delivered_order_items", order_id="#W1000008", item_ids=[BLUE_L], payment_method_id=PRIYA_PAYPAL
    )
    assert "no payment method" in h.error(
        "return_delivered_order_items", order_id="#W1000002", item_ids=[BOOTS_9], payment_method_id=TOMAS_GIFT
    )


def test_exchange_records_the_request_and_the_difference() -> None:
    h = small()
    order = h.ok(
        "exchange_delivered_order_items",
        order_id="#W1000005",
        item_ids=[BOOTS_10],
        new_item_ids=[BOOTS_10_DRY],
        payment_method_id=TOMAS_GIFT,
    )
    assert order["status"] == "exchange requested"
    assert order["exchange_items"] == [BOOTS_10] and order["exchange_new_items"] == [BOOTS_10_DRY]
    assert order["exchange_payment_method_id"] == TOMAS_GIFT
    assert order["exchange_price_difference"] == -29.05
    # Items and payments stay as delivered until the exchange is carried out.
    assert order["items"] == tau2_order("#W1000005")["items"]
    assert order["payment_history"] == tau2_order("#W1000005")["payment_history"]
    assert balance(h, TOMAS, TOMAS_GIFT) == 15.0


def test_exchange_refusals_change_nothing() -> None:
    h = small()
    base = {"order_id": "#W1000002", "payment_method_id": MARA_VISA}
    assert "out of stock" in h.error(
        "exchange_delivered_order_items", **base, item_ids=[BOOTS_9], new_item_ids=[BOOTS_11]
    )
    assert "same product" in h.error(
        "exchange_delivered_order_items", **base, item_ids=[BOOTS_9], new_item_ids=[KETTLE_1L]
    )
    assert "by itself" in h.error("exchange_delivered_order_items", **base, item_ids=[BOOTS_9], new_item_ids=[BOOTS_9])
    assert "pending" in h.error(
        "exchange_delivered_order_items",
        order_id="#W1000001",
        item_ids=[BLUE_M],
        new_item_ids=[RED_M],
        payment_method_id=MARA_VISA,
    )
    assert "exchange requested" in h.error(
        "exchange_delivered_order_items",
        order_id="#W1000009",
        item_ids=[LAMP_BLACK],
        new_item_ids=[LAMP_BRASS],
        payment_method_id=MARA_VISA,
    )
    poor = copy.deepcopy(SMALL)
    poor["users"][MARA]["payment_methods"][MARA_GIFT]["balance"] = 5.0
    h2 = EpisodeHarness(retail.env, scenario=poor)
    assert "not enough" in h2.error(
        "exchange_delivered_order_items",
        order_id="#W1000002",
        item_ids=[LAMP_BLACK],
        new_item_ids=[LAMP_BRASS],
        payment_method_id=MARA_GIFT,
    )


# --------------------------------------------------------------------------------------------------
# Generic tools
# --------------------------------------------------------------------------------------------------


def test_calculate_and_transfer() -> None:
    h = small()
    assert text(h, "calculate", expression="149 + 32.005") == "181.0"
    assert text(h, "calculate", expression="(26.5 - 24.99) * 2") == "3.02"
    assert "only contain" in h.error("calculate", expression="__import__('os')")
    assert "divides by zero" in h.error("calculate", expression="1 / 0")
    assert text(h, "transfer_to_human_agents", summary="Wants to swap boots for a jacket.") == "Transfer successful"
    assert [r["summary"] for r in h.database.rows("handoffs")] == ["Wants to swap boots for a jacket."]
    assert "summary" in small().error("transfer_to_human_agents", summary="  ")


# --------------------------------------------------------------------------------------------------
# Seed
# --------------------------------------------------------------------------------------------------


def test_seed_size_build_time_and_clock() -> None:
    started = time.perf_counter()
    snapshot = build_snapshot(retail.env, 7)
    assert time.perf_counter() - started < 3.0
    assert len(snapshot.rows("users")) >= 300
    assert 45 <= len(snapshot.rows("products")) <= 55
    assert len(snapshot.rows("variants")) >= 400
    assert len(snapshot.rows("orders")) >= 600
    assert snapshot.size_bytes < 1_500_000
    assert snapshot.now.isoformat() == "2024-05-15T15:00:00"


def test_seeded_data_is_consistent() -> None:
    raw = EpisodeHarness(retail.env).database.raw
    statuses = dict(raw.execute("SELECT status, COUNT(*) FROM orders GROUP BY status"))
    assert set(statuses) == set(retail.models.ORDER_STATUSES)
    assert statuses["pending"] >= 150 and statuses["delivered"] >= 150 and statuses["processed"] >= 50
    # Each order's payments less refunds equal the price of its items, or zero once cancelled.
    rows = raw.execute(
        "SELECT o.order_id, o.status, (SELECT SUM(price_cents) FROM order_items i WHERE i.order_id = o.order_id), "
        "(SELECT SUM(CASE transaction_type WHEN 'payment' THEN amount_cents ELSE -amount_cents END) "
        " FROM order_payments p WHERE p.order_id = o.order_id), "
        "(SELECT COUNT(*) FROM fulfillments f WHERE f.order_id = o.order_id) FROM orders o"
    ).fetchall()
    for _order_id, status, price, paid, shipments in rows:
        assert paid == (0 if status == "cancelled" else price)
        assert (shipments > 0) == (status in ("processed", "delivered", "return requested", "exchange requested"))
    negative = raw.execute("SELECT COUNT(*) FROM payment_methods WHERE balance_cents < 0").fetchone()[0]
    assert negative == 0
    sources = dict(raw.execute("SELECT source, COUNT(*) FROM payment_methods GROUP BY source"))
    assert min(sources[s] for s in ("credit_card", "paypal", "gift_card")) >= 100
    # The payment of every order is one of its owner's methods.
    orphans = raw.execute(
        "SELECT COUNT(*) FROM order_payments p JOIN orders o USING (order_id) LEFT JOIN payment_methods m "
        "ON m.user_id = o.user_id AND m.payment_method_id = p.payment_method_id WHERE m.user_id IS NULL"
    ).fetchone()[0]
    assert orphans == 0
    # People can be told apart by email, and by name and zip.
    assert raw.execute("SELECT COUNT(DISTINCT lower(email)) FROM users").fetchone()[0] == 360
    assert (
        raw.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT lower(first_name), lower(last_name), zip FROM users)"
        ).fetchone()[0]
        >= 355
    )


def test_every_tool_runs_on_the_seeded_state() -> None:
    h = EpisodeHarness(retail.env)
    raw = h.database.raw
    user_id, email, first, last, zip_code = raw.execute(
        "SELECT user_id, email, first_name, last_name, zip FROM users ORDER BY rowid"
    ).fetchone()
    assert text(h, "find_user_id_by_email", email=email) == user_id
    assert text(h, "find_user_id_by_name_zip", first_name=first, last_name=last, zip=zip_code) == user_id
    names = h.ok("list_all_product_types")
    assert len(names) == len(retail.seed.CATALOG)
    product = h.ok("get_product_details", product_id=names["Hiking Boots"])
    item_id = next(iter(product["variants"]))
    assert h.ok("get_item_details", item_id=item_id) == product["variants"][item_id]
    delivered = raw.execute("SELECT order_id FROM orders WHERE status = 'delivered' ORDER BY order_id").fetchone()[0]
    order = h.ok("get_order_details", order_id=delivered)
    first_payment = order["payment_history"][0]["payment_method_id"]
    returned = h.ok(
        "return_delivered_order_items",
        order_id=delivered,
        item_ids=[order["items"][0]["item_id"]],
        payment_method_id=first_payment,
    )
    assert returned["status"] == "return requested"


# --------------------------------------------------------------------------------------------------
# tau2 interchange
# --------------------------------------------------------------------------------------------------


def test_tau2_fixture_round_trips() -> None:
    assert dump(small()) == SMALL


def test_seeded_state_round_trips_through_tau2_format() -> None:
    h = EpisodeHarness(retail.env)
    dumped = dump(h)
    assert len(dumped["users"]) == 360 and len(dumped["products"]) == len(retail.seed.CATALOG)
    loaded = EpisodeHarness(retail.env, scenario=dumped)
    for table, info in get_snapshot(retail.env).tables.items():
        by_key = lambda db: sorted(db.rows(table), key=lambda r: [r[c] for c in info.primary_key])  # noqa: E731,B023
        assert by_key(loaded.database) == by_key(h.database), table
    assert dump(loaded) == dumped


def test_tau2_action_sequence_dumps_the_expected_database() -> None:
    # The shape of tau2 task actions, with tau2's argument names; the expected document is the fixture with
    # each action's effect written out by hand.
    h = small()
    assert text(h, "find_user_id_by_email", email="mara.lindqvist4821@example.com") == MARA
    h.ok("get_order_details", order_id="#W1000001")
    h.ok("modify_pending_order_payment", order_id="#W1000001", payment_method_id=MARA_GIFT)
    h.ok(
        "modify_pending_order_items",
        order_id="#W1000001",
        item_ids=[BLUE_M],
        new_item_ids=[RED_M],
        payment_method_id=MARA_GIFT,
    )
    h.ok("return_delivered_order_items", order_id="#W1000002", item_ids=[BOOTS_9], payment_method_id=MARA_GIFT)
    h.ok("modify_user_address", user_id=MARA, **NEW_ADDRESS)
    assert text(h, "find_user_id_by_name_zip", first_name="Tomas", last_name="Okafor", zip="60614") == TOMAS
    h.ok("cancel_pending_order", order_id="#W1000004", reason="ordered by mistake")
    h.ok(
        "exchange_delivered_order_items",
        order_id="#W1000005",
        item_ids=[BOOTS_10],
        new_item_ids=[BOOTS_10_DRY],
        payment_method_id=TOMAS_CARD,
    )

    expected = copy.deepcopy(SMALL)
    mara = expected["users"][MARA]
    mara["address"] = {k: NEW_ADDRESS[k] for k in ("address1", "address2", "city", "country", "state", "zip")}
    mara["payment_methods"][MARA_GIFT]["balance"] = 54.01  # 120.50 - 64.98 - 1.51
    first = expected["orders"]["#W1000001"]
    first["status"] = "pending (item modified)"
    first["items"][0].update(item_id=RED_M, price=26.5, options={"color": "red", "size": "M"})
    first["payment_history"] += [
        {"transaction_type": "payment", "amount": 64.98, "payment_method_id": MARA_GIFT},
        {"transaction_type": "refund", "amount": 64.98, "payment_method_id": MARA_VISA},
        {"transaction_type": "payment", "amount": 1.51, "payment_method_id": MARA_GIFT},
    ]
    second = expected["orders"]["#W1000002"]
    second.update(status="return requested", return_items=[BOOTS_9], return_payment_method_id=MARA_GIFT)
    expected["users"][TOMAS]["payment_methods"][TOMAS_GIFT]["balance"] = 68.0
    fourth = expected["orders"]["#W1000004"]
    fourth.update(status="cancelled", cancel_reason="ordered by mistake")
    fourth["payment_history"].append({"transaction_type": "refund", "amount": 53.0, "payment_method_id": TOMAS_GIFT})
    fifth = expected["orders"]["#W1000005"]
    fifth.update(
        status="exchange requested",
        exchange_items=[BOOTS_10],
        exchange_new_items=[BOOTS_10_DRY],
        exchange_payment_method_id=TOMAS_CARD,
        exchange_price_difference=-29.05,
    )
    assert dump(h) == expected
    # The dumped state loads again as an initial state and dumps back unchanged.
    assert dump(EpisodeHarness(retail.env, scenario=expected)) == expected


@pytest.mark.skipif(not os.environ.get("TAU2_RETAIL_DB"), reason="set TAU2_RETAIL_DB to tau2's retail db.json")
def test_tau2s_own_database_round_trips() -> None:
    """tau2-bench's own retail db.json (not shipped here) loads and dumps back unchanged."""
    data = json.loads(Path(os.environ["TAU2_RETAIL_DB"]).read_text())
    assert dump(EpisodeHarness(retail.env, scenario=data)) == data


def test_malformed_tau2_data_is_refused() -> None:
    bad_status = copy.deepcopy(SMALL)
    bad_status["orders"]["#W1000001"]["status"] = "shipped"
    missing_order = copy.deepcopy(SMALL)
    del missing_order["orders"]["#W1000003"]
    bad_source = copy.deepcopy(SMALL)
    bad_source["users"][PRIYA]["payment_methods"][PRIYA_PAYPAL]["source"] = "bitcoin"
    bad_amount = copy.deepcopy(SMALL)
    bad_amount["orders"]["#W1000001"]["payment_history"][0]["amount"] = "64.98"
    for data in (bad_status, missing_order, bad_source, bad_amount, {"products": {}, "users": [], "orders": {}}):
        h = EpisodeHarness(retail.env)
        with pytest.raises(ScenarioError):
            load_scenario(retail.env, h.database.session, data)


# --------------------------------------------------------------------------------------------------
# A gym episode
# --------------------------------------------------------------------------------------------------


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    raw = EpisodeHarness(retail.env).database.raw
    order_id, user_id, email = raw.execute(
        "SELECT o.order_id, o.user_id, u.email FROM orders o JOIN users u USING (user_id) "
        "WHERE o.status = 'pending' ORDER BY o.order_id"
    ).fetchone()
    task = with_gold_changes(
        Task(
            task_id="retail-cancel-e2e",
            domain="shopping",
            env_ids=["retail"],
            goal="write",
            query=f"Hi, I'm {email}. Please cancel my order {order_id}, I ordered it by mistake.",
            gold_calls=[
                GoldCall(env_id="retail", tool="find_user_id_by_email", arguments={"email": email}),
                GoldCall(env_id="retail", tool="get_order_details", arguments={"order_id": order_id}),
                GoldCall(
                    env_id="retail",
                    tool="cancel_pending_order",
                    arguments={"order_id": order_id, "reason": "ordered by mistake"},
                ),
            ],
        )
    )
    assert user_id
    assert {(c.table, c.op) for c in task.gold_changes} >= {("orders", "update"), ("order_payments", "insert")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
