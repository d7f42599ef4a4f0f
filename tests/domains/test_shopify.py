"""The Shopify store admin: every tool, the permission, stock, order, fulfillment, cancellation, refund,
discount and draft-order rules, seeding, and a gym episode."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.shopping import shopify
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

OWNER = "maya@juniperandpine.com"
ORDERS_ONLY = "devon@juniperandpine.com"  # orders and customers
MERCH = "rosa@juniperandpine.com"  # products and inventory
MARKETING = "theo@juniperandpine.com"  # discounts and customers
STOCKROOM = "sam@juniperandpine.com"  # inventory only
WAREHOUSE, DENVER, POPUP = 61001, 61002, 61003


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(shopify.env)
    yield harness
    harness.close()


def one(h: EpisodeHarness, query: str, *params: Any) -> dict[str, Any]:
    rows = h.rows(query + " LIMIT 1", *params)
    assert rows, query
    return rows[0]


def stock(h: EpisodeHarness, variant: dict[str, Any], location_id: int = WAREHOUSE) -> int:
    return one(
        h,
        "SELECT available FROM inventory_levels WHERE inventory_item_id = ? AND location_id = ?",
        variant["inventory_item_id"],
        location_id,
    )["available"]


def sellable(h: EpisodeHarness, policy: str = "deny", at_least: int = 3) -> dict[str, Any]:
    return one(
        h,
        "SELECT v.* FROM variants v JOIN products p ON p.product_id = v.product_id JOIN inventory_levels l ON "
        "l.inventory_item_id = v.inventory_item_id AND l.location_id = ? WHERE p.status = 'active' AND "
        "v.inventory_policy = ? AND l.available >= ? AND v.price BETWEEN 3000 AND 9000 ORDER BY v.variant_id",
        WAREHOUSE,
        policy,
        at_least,
    )


def customer(h: EpisodeHarness) -> dict[str, Any]:
    return one(h, "SELECT * FROM customers WHERE orders_count = 0 OR 1 ORDER BY customer_id")


def place(h: EpisodeHarness, variant: dict[str, Any], quantity: int = 1, **extra: Any) -> dict[str, Any]:
    return h.ok(
        "create_order",
        staff_email=ORDERS_ONLY,
        email=customer(h)["email"],
        line_items=[{"variant_id": variant["variant_id"], "quantity": quantity}],
        **extra,
    )


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    locations = h.ok("get_locations")
    assert [loc["name"] for loc in locations] == ["Portland Warehouse", "Denver Flagship", "Austin Pop-up"]
    assert [loc["is_primary"] for loc in locations] == [True, False, False]
    page = h.ok("get_products", product_type="Jackets", status="active", limit=15)
    assert page["total"] > 5 and all(
        p["product_type"] == "Jackets" and p["status"] == "active" for p in page["products"]
    )
    product = h.ok("get_product", product_id=page["products"][0]["product_id"])
    variant = product["variants"][0]
    assert variant["inventory_quantity"] == sum(lv["available"] for lv in variant["inventory_levels"])
    by_sku = h.ok("get_products", sku=variant["sku"].lower())
    assert [p["product_id"] for p in by_sku["products"]] == [product["product_id"]]

    level = h.ok(
        "adjust_inventory_level",
        staff_email=STOCKROOM,
        inventory_item_id=variant["inventory_item_id"],
        location_id=WAREHOUSE,
        available_adjustment=12,
    )
    before = next(lv["available"] for lv in variant["inventory_levels"] if lv["location_id"] == WAREHOUSE)
    assert level["available"] == before + 12 == stock(h, variant)
    h.ok(
        "set_inventory_level",
        staff_email=STOCKROOM,
        inventory_item_id=variant["inventory_item_id"],
        location_id=WAREHOUSE,
        available=5,
    )
    assert stock(h, variant) == 5

    changed = h.ok(
        "update_variant",
        staff_email=MERCH,
        variant_id=variant["variant_id"],
        price=19.5,
        compare_at_price=variant["price"],
    )
    assert changed["price"] == 19.5 and changed["compare_at_price"] == variant["price"]
    assert one(h, "SELECT price FROM variants WHERE variant_id = ?", variant["variant_id"])["price"] == 1950
    archived = h.ok("update_product", staff_email=MERCH, product_id=product["product_id"], status="archived")
    assert archived["status"] == "archived"

    created = h.ok(
        "create_product",
        staff_email=MERCH,
        title="Larch Wool Mittens",
        product_type="Hats",
        vendor="Northfork",
        options=["Size"],
        status="draft",
        variants=[
            {"option1": "S/M", "price": 38, "sku": "MIT-LAR-SM"},
            {"option1": "L/XL", "price": 38, "sku": "MIT-LAR-LXL"},
        ],
    )
    assert created["status"] == "draft" and [v["title"] for v in created["variants"]] == ["S/M", "L/XL"]
    assert all(lv["available"] == 0 for v in created["variants"] for lv in v["inventory_levels"])
    assert {lv["location_id"] for lv in created["variants"][0]["inventory_levels"]} == {WAREHOUSE, DENVER}

    vip = h.ok("get_customers", tag="vip", order="total_spent desc", limit=5)["customers"]
    assert all("VIP" in c["tags"] for c in vip)
    assert [c["total_spent"] for c in vip] == sorted((c["total_spent"] for c in vip), reverse=True)
    plain = one(h, "SELECT * FROM customers WHERE tags NOT LIKE '%holiday-card%' ORDER BY customer_id")
    tagged = h.ok("tag_customer", staff_email=MARKETING, customer_id=plain["customer_id"], tags=["holiday-card"])
    assert tagged["tags"][-1] == "holiday-card"

    waiting = h.ok("get_orders", financial_status="paid", fulfillment_status="unfulfilled", order="created_at asc")
    oldest = waiting["orders"][0]
    assert [o["created_at"] for o in waiting["orders"]] == sorted(o["created_at"] for o in waiting["orders"])
    shipped = h.ok(
        "fulfill_order",
        staff_email=ORDERS_ONLY,
        order_id=oldest["order_id"],
        tracking_number="1Z999AA10123456784",
        tracking_company="UPS",
    )
    assert shipped["fulfillment_status"] == "fulfilled"
    assert shipped["fulfillments"][-1]["tracking_number"] == "1Z999AA10123456784"
    assert h.ok("get_order", order_id=oldest["order_id"])["fulfillments"][-1]["tracking_company"] == "UPS"

    codes = h.ok("get_discount_codes", status="active")
    assert codes and all(c["status"] == "active" for c in codes)
    made = h.ok(
        "create_discount_code",
        staff_email=MARKETING,
        code="HOLIDAY20",
        value_type="percentage",
        value=20,
        starts_at="2025-12-01",
        ends_at="2025-12-24",
        minimum_subtotal=50,
        usage_limit=500,
    )
    assert made["status"] == "scheduled" and made["ends_at"] == "2025-12-24T23:59:59"
    assert h.ok("get_discount_codes", code="holiday20")[0]["minimum_subtotal"] == 50

    pending = one(h, "SELECT * FROM orders WHERE financial_status = 'pending' AND cancelled_at IS NULL")
    assert (
        h.ok("mark_order_as_paid", staff_email=ORDERS_ONLY, order_id=pending["order_id"])["financial_status"] == "paid"
    )

    drafts = h.ok("get_draft_orders", status="open")
    assert drafts and all(d["status"] == "open" for d in drafts)


def test_staff_permissions_are_enforced(h: EpisodeHarness) -> None:
    variant = sellable(h)
    order = one(h, "SELECT * FROM orders WHERE financial_status = 'paid' AND fulfillment_status = 'fulfilled'")
    line = one(h, "SELECT * FROM line_items WHERE order_id = ?", order["order_id"])
    assert "doesn't have the orders permission" in h.error(
        "create_refund",
        staff_email=MERCH,
        order_id=order["order_id"],
        refund_line_items=[{"line_item_id": line["line_item_id"], "quantity": 1}],
    )
    assert "inventory permission" in h.error(
        "adjust_inventory_level",
        staff_email=ORDERS_ONLY,
        inventory_item_id=variant["inventory_item_id"],
        location_id=WAREHOUSE,
        available_adjustment=3,
    )
    assert "products permission" in h.error(
        "update_variant", staff_email=STOCKROOM, variant_id=variant["variant_id"], price=10
    )
    assert "discounts permission" in h.error(
        "create_discount_code", staff_email=ORDERS_ONLY, code="SNEAKY50", value_type="percentage", value=50
    )
    assert "No staff account" in h.error(
        "cancel_order", staff_email="someone@gmail.com", order_id=order["order_id"], reason="customer"
    )
    # The owner holds every permission.
    h.ok(
        "adjust_inventory_level",
        staff_email=OWNER,
        inventory_item_id=variant["inventory_item_id"],
        location_id=WAREHOUSE,
        available_adjustment=3,
    )


def test_stock_never_goes_negative_unless_the_variant_oversells(h: EpisodeHarness) -> None:
    strict = sellable(h)
    available = stock(h, strict)
    assert "doesn't sell past zero" in h.error(
        "adjust_inventory_level",
        staff_email=STOCKROOM,
        inventory_item_id=strict["inventory_item_id"],
        location_id=WAREHOUSE,
        available_adjustment=-(available + 1),
    )
    loose = sellable(h, policy="continue", at_least=0)
    level = h.ok(
        "adjust_inventory_level",
        staff_email=STOCKROOM,
        inventory_item_id=loose["inventory_item_id"],
        location_id=WAREHOUSE,
        available_adjustment=-(stock(h, loose) + 2),
    )
    assert level["available"] == -2
    missing = one(
        h,
        "SELECT v.* FROM variants v WHERE NOT EXISTS (SELECT 1 FROM inventory_levels l WHERE "
        "l.inventory_item_id = v.inventory_item_id AND l.location_id = ?)",
        POPUP,
    )
    assert "isn't stocked at Austin Pop-up" in h.error(
        "adjust_inventory_level",
        staff_email=STOCKROOM,
        inventory_item_id=missing["inventory_item_id"],
        location_id=POPUP,
        available_adjustment=4,
    )
    assert "non-zero" in h.error(
        "adjust_inventory_level",
        staff_email=STOCKROOM,
        inventory_item_id=strict["inventory_item_id"],
        location_id=WAREHOUSE,
        available_adjustment=0,
    )
    # An order larger than the warehouse holds is refused for a variant that stops at zero.
    assert "available at Portland Warehouse" in h.error(
        "create_order",
        staff_email=ORDERS_ONLY,
        email=customer(h)["email"],
        line_items=[{"variant_id": strict["variant_id"], "quantity": available + 1}],
    )


def test_orders_take_stock_apply_shipping_and_count_for_the_customer(h: EpisodeHarness) -> None:
    variant = sellable(h)
    buyer = customer(h)
    before = stock(h, variant)
    order = place(h, variant, 2)
    assert stock(h, variant) == before - 2
    subtotal = variant["price"] * 2
    shipping = 0 if subtotal >= 7500 else 800
    assert round(order["total_price"] * 100) == subtotal + shipping and order["name"] == "#2001"
    assert order["financial_status"] == "paid" and order["fulfillment_status"] == "unfulfilled"
    after = one(h, "SELECT * FROM customers WHERE customer_id = ?", buyer["customer_id"])
    assert after["orders_count"] == buyer["orders_count"] + 1
    assert after["total_spent"] == buyer["total_spent"] + subtotal + shipping
    draft = one(h, "SELECT v.* FROM variants v JOIN products p ON p.product_id = v.product_id WHERE p.status = 'draft'")
    assert "draft, not active: it can't be ordered" in h.error(
        "create_order",
        staff_email=ORDERS_ONLY,
        email=buyer["email"],
        line_items=[{"variant_id": draft["variant_id"], "quantity": 1}],
    )
    assert "No customer" in h.error(
        "create_order",
        staff_email=ORDERS_ONLY,
        email="nobody@example.com",
        line_items=[{"variant_id": variant["variant_id"], "quantity": 1}],
    )


def test_discount_codes_respect_their_terms(h: EpisodeHarness) -> None:
    variant = sellable(h)
    buyer = customer(h)

    def refused(code: str, quantity: int = 1) -> str:
        return h.error(
            "create_order",
            staff_email=ORDERS_ONLY,
            email=buyer["email"],
            discount_code=code,
            line_items=[{"variant_id": variant["variant_id"], "quantity": quantity}],
        )

    assert "expired on" in refused("SUMMERSALE25")
    assert "isn't active yet" in refused("BFCM30")
    assert "reached its limit of 50 uses" in refused("FREESOCKS")
    assert "needs a subtotal of at least $150.00" in refused("SAVE20OVER150")
    assert "no discount code" in refused("NOPE")
    first = place(h, variant, 1, discount_code="welcome10")
    assert first["discount_code"] == "WELCOME10"
    assert round(first["total_discounts"] * 100) == variant["price"] // 10
    assert "once per customer" in refused("WELCOME10")
    uses = one(h, "SELECT usage_count FROM discount_codes WHERE code = 'WELCOME10'")["usage_count"]
    assert uses == h.rows("SELECT COUNT(*) AS n FROM orders WHERE discount_code = 'WELCOME10'")[0]["n"]


def test_create_discount_code_rules(h: EpisodeHarness) -> None:
    base = {"staff_email": MARKETING, "value_type": "percentage", "value": 20}
    assert "already exists" in h.error("create_discount_code", code="welcome10", **base)
    assert "without spaces" in h.error("create_discount_code", code="HOLIDAY 20", **base)
    assert "end after it starts" in h.error(
        "create_discount_code", code="BACKWARDS", starts_at="2025-12-10", ends_at="2025-12-01", **base
    )
    assert "1 to 100" in h.error(
        "create_discount_code", staff_email=MARKETING, code="TOOMUCH", value_type="percentage", value=120
    )
    fixed = h.ok(
        "create_discount_code",
        staff_email=MARKETING,
        code="SNOWDAY10",
        value_type="fixed_amount",
        value=10,
        once_per_customer=True,
    )
    assert fixed["status"] == "active" and fixed["value"] == 10 and fixed["once_per_customer"]


def test_fulfillment_rules(h: EpisodeHarness) -> None:
    pending = one(h, "SELECT * FROM orders WHERE financial_status = 'pending' AND cancelled_at IS NULL")
    assert "hasn't been paid yet" in h.error("fulfill_order", staff_email=ORDERS_ONLY, order_id=pending["order_id"])
    cancelled = one(h, "SELECT * FROM orders WHERE cancelled_at IS NOT NULL")
    assert "was cancelled" in h.error("fulfill_order", staff_email=ORDERS_ONLY, order_id=cancelled["order_id"])
    done = one(h, "SELECT * FROM orders WHERE fulfillment_status = 'fulfilled' AND cancelled_at IS NULL")
    assert "nothing left to ship" in h.error("fulfill_order", staff_email=ORDERS_ONLY, order_id=done["order_id"])
    order = place(h, sellable(h), 3)
    line = order["line_items"][0]
    assert "carrier" in h.error(
        "fulfill_order", staff_email=ORDERS_ONLY, order_id=order["order_id"], tracking_number="940011122233344455"
    )
    part = h.ok(
        "fulfill_order",
        staff_email=ORDERS_ONLY,
        order_id=order["order_id"],
        line_items=[{"line_item_id": line["line_item_id"], "quantity": 2}],
    )
    assert part["fulfillment_status"] == "partial" and part["line_items"][0]["fulfillable_quantity"] == 1
    assert "Only 1" in h.error(
        "fulfill_order",
        staff_email=ORDERS_ONLY,
        order_id=order["order_id"],
        line_items=[{"line_item_id": line["line_item_id"], "quantity": 2}],
    )
    rest = h.ok(
        "fulfill_order",
        staff_email=ORDERS_ONLY,
        order_id=order["order_id"],
        tracking_company="USPS",
        tracking_number="9400111222333444555666",
    )
    assert rest["fulfillment_status"] == "fulfilled" and len(rest["fulfillments"]) == 2


def test_cancelling_refunds_and_restocks_but_not_after_shipping(h: EpisodeHarness) -> None:
    variant = sellable(h)
    before = stock(h, variant)
    order = place(h, variant, 2)
    cancelled = h.ok("cancel_order", staff_email=ORDERS_ONLY, order_id=order["order_id"], reason="customer")
    assert cancelled["financial_status"] == "refunded" and cancelled["cancel_reason"] == "customer"
    assert cancelled["total_refunded"] == order["total_price"] and stock(h, variant) == before
    assert "already cancelled" in h.error(
        "cancel_order", staff_email=ORDERS_ONLY, order_id=order["order_id"], reason="customer"
    )
    shipped = one(h, "SELECT * FROM orders WHERE fulfillment_status = 'fulfilled' AND cancelled_at IS NULL")
    assert "can't be cancelled; refund the items instead" in h.error(
        "cancel_order", staff_email=ORDERS_ONLY, order_id=shipped["order_id"], reason="customer"
    )
    partial = place(h, variant, 2)
    h.ok(
        "fulfill_order",
        staff_email=ORDERS_ONLY,
        order_id=partial["order_id"],
        line_items=[{"line_item_id": partial["line_items"][0]["line_item_id"], "quantity": 1}],
    )
    assert "already been fulfilled (partial)" in h.error(
        "cancel_order", staff_email=ORDERS_ONLY, order_id=partial["order_id"], reason="customer"
    )
    unpaid = place(h, variant, 1, financial_status="pending")
    voided = h.ok(
        "cancel_order", staff_email=ORDERS_ONLY, order_id=unpaid["order_id"], reason="declined", restock=False
    )
    assert voided["financial_status"] == "voided" and voided["total_refunded"] == 0


def test_refund_rules(h: EpisodeHarness) -> None:
    order = one(
        h,
        "SELECT o.* FROM orders o WHERE o.financial_status = 'paid' AND o.fulfillment_status = 'fulfilled' AND "
        "(SELECT COUNT(*) FROM line_items l WHERE l.order_id = o.order_id) >= 2 ORDER BY o.order_id",
    )
    view = h.ok("get_order", order_id=order["order_id"])
    first, second = view["line_items"][:2]
    buyer = one(h, "SELECT * FROM customers WHERE customer_id = ?", order["customer_id"])
    assert "are still unshipped" in h.error(
        "create_refund",
        staff_email=ORDERS_ONLY,
        order_id=order["order_id"],
        refund_line_items=[{"line_item_id": first["line_item_id"], "quantity": 1, "restock_type": "cancel"}],
    )
    assert "can't exceed what was paid" in h.error(
        "create_refund", staff_email=ORDERS_ONLY, order_id=order["order_id"], amount=view["total_price"] + 0.01
    )
    variant = one(h, "SELECT * FROM variants WHERE variant_id = ?", first["variant_id"])
    level = stock(h, variant, view["location_id"])
    refunded = h.ok(
        "create_refund",
        staff_email=ORDERS_ONLY,
        order_id=order["order_id"],
        note="Arrived unused",
        refund_line_items=[{"line_item_id": first["line_item_id"], "quantity": 1, "restock_type": "return"}],
    )
    expected = first["price"] - round(first["total_discount"] / first["quantity"], 2)
    assert refunded["financial_status"] == "partially_refunded"
    assert abs(refunded["refunds"][-1]["amount"] - expected) <= 0.01
    assert stock(h, variant, view["location_id"]) == level + 1
    # One unit of the line is refunded already: the whole line no longer can be.
    assert "can still be refunded" in h.error(
        "create_refund",
        staff_email=ORDERS_ONLY,
        order_id=order["order_id"],
        refund_line_items=[{"line_item_id": first["line_item_id"], "quantity": first["quantity"]}],
    )
    left = round((view["total_price"] - refunded["total_refunded"]) * 100) / 100
    everything = h.ok("create_refund", staff_email=ORDERS_ONLY, order_id=order["order_id"], amount=left)
    assert everything["financial_status"] == "refunded" and everything["total_refunded"] == view["total_price"]
    assert "refunded in full" in h.error(
        "create_refund",
        staff_email=ORDERS_ONLY,
        order_id=order["order_id"],
        refund_line_items=[{"line_item_id": second["line_item_id"], "quantity": 1}],
    )
    after = one(h, "SELECT total_spent FROM customers WHERE customer_id = ?", buyer["customer_id"])
    assert after["total_spent"] == buyer["total_spent"] - round(view["total_price"] * 100)
    pending = one(h, "SELECT * FROM orders WHERE financial_status = 'pending' AND cancelled_at IS NULL")
    assert "Nothing has been paid" in h.error(
        "create_refund", staff_email=ORDERS_ONLY, order_id=pending["order_id"], amount=5
    )


def test_unshipped_units_are_cancelled_back_into_stock(h: EpisodeHarness) -> None:
    variant = sellable(h)
    before = stock(h, variant)
    order = place(h, variant, 3)
    line = order["line_items"][0]
    assert "have shipped and can come back" in h.error(
        "create_refund",
        staff_email=ORDERS_ONLY,
        order_id=order["order_id"],
        refund_line_items=[{"line_item_id": line["line_item_id"], "quantity": 1, "restock_type": "return"}],
    )
    after = h.ok(
        "create_refund",
        staff_email=ORDERS_ONLY,
        order_id=order["order_id"],
        refund_line_items=[{"line_item_id": line["line_item_id"], "quantity": 1, "restock_type": "cancel"}],
    )
    assert after["line_items"][0]["fulfillable_quantity"] == 2 and stock(h, variant) == before - 2
    shipped = h.ok("fulfill_order", staff_email=ORDERS_ONLY, order_id=order["order_id"])
    assert shipped["fulfillment_status"] == "fulfilled" and shipped["line_items"][0]["fulfillable_quantity"] == 0


def test_catalog_rules(h: EpisodeHarness) -> None:
    variant = sellable(h)
    assert "must be higher than the price" in h.error(
        "update_variant", staff_email=MERCH, variant_id=variant["variant_id"], compare_at_price=1
    )
    assert "at most two decimals" in h.error(
        "update_variant", staff_email=MERCH, variant_id=variant["variant_id"], price=10.001
    )
    assert "nothing to change" in h.error(
        "update_variant", staff_email=MERCH, variant_id=variant["variant_id"], price=variant["price"] / 100
    )
    base = {"staff_email": MERCH, "title": "Test Pack", "product_type": "Backpacks", "vendor": "Northfork"}
    assert "listed twice" in h.error(
        "create_product",
        options=["Size"],
        variants=[{"option1": "M", "price": 10, "sku": "A"}, {"option1": "m", "price": 10, "sku": "B"}],
        **base,
    )
    assert "one value for each option" in h.error(
        "create_product", options=["Size", "Color"], variants=[{"option1": "M", "price": 10, "sku": "A"}], **base
    )
    assert "Give options" in h.error(
        "create_product", variants=[{"price": 10, "sku": "A"}, {"price": 12, "sku": "B"}], **base
    )
    product = one(h, "SELECT * FROM products WHERE status = 'active'")
    assert "nothing to change" in h.error(
        "update_product", staff_email=MERCH, product_id=product["product_id"], status="active"
    )


def test_draft_orders_become_orders(h: EpisodeHarness) -> None:
    draft = one(
        h,
        "SELECT d.* FROM draft_orders d WHERE d.applied_discount_percent > 0 AND NOT EXISTS (SELECT 1 FROM "
        "draft_order_line_items x JOIN variants v ON v.variant_id = x.variant_id JOIN products p ON "
        "p.product_id = v.product_id JOIN inventory_levels l ON l.inventory_item_id = v.inventory_item_id AND "
        "l.location_id = 61001 WHERE x.draft_order_id = d.draft_order_id AND (p.status != 'active' OR "
        "l.available < x.quantity))",
    )
    view = h.ok("get_draft_orders", name=draft["name"])[0]
    order = h.ok(
        "complete_draft_order", staff_email=ORDERS_ONLY, draft_order_id=draft["draft_order_id"], payment_pending=True
    )
    assert order["financial_status"] == "pending" and order["source_name"] == "shopify_draft_order"
    assert round((order["subtotal_price"] - order["total_discounts"]) * 100) == round(view["subtotal_price"] * 100)
    assert h.ok("get_draft_orders", name=draft["name"])[0]["order_id"] == order["order_id"]
    assert "already completed" in h.error(
        "complete_draft_order", staff_email=ORDERS_ONLY, draft_order_id=draft["draft_order_id"]
    )


def test_seeded_store_is_realistic() -> None:
    snapshot = get_snapshot(shopify.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["products"] >= 200 and counts["variants"] >= 1000 and counts["inventory_levels"] >= 2500
    assert counts["customers"] >= 400 and counts["orders"] == 1000 and counts["line_items"] >= 1500
    assert counts["fulfillments"] >= 500 and counts["refunds"] >= 50 and counts["draft_orders"] >= 20
    assert counts["discount_codes"] >= 10 and counts["staff_members"] >= 5 and counts["locations"] == 3
    orders = snapshot.rows("orders")
    assert {o["financial_status"] for o in orders} == {"pending", "paid", "partially_refunded", "refunded", "voided"}
    assert {o["fulfillment_status"] for o in orders} == {"unfulfilled", "partial", "fulfilled"}
    assert {p["status"] for p in snapshot.rows("products")} == {"active", "draft", "archived"}
    assert {v["inventory_policy"] for v in snapshot.rows("variants")} == {"deny", "continue"}
    # Customers' totals follow from their orders: paid, less refunds.
    refunds: dict[int, int] = {}
    for refund in snapshot.rows("refunds"):
        refunds[refund["order_id"]] = refunds.get(refund["order_id"], 0) + refund["amount"]
    spent: dict[int, int] = {}
    for order in orders:
        paid = 0 if order["financial_status"] in ("pending", "voided") else order["total_price"]
        spent[order["customer_id"]] = spent.get(order["customer_id"], 0) + paid - refunds.get(order["order_id"], 0)
    assert all(c["total_spent"] == spent.get(c["customer_id"], 0) for c in snapshot.rows("customers"))


def restock_task() -> Task:
    h = EpisodeHarness(shopify.env)
    variant = sellable(h)
    title = one(h, "SELECT title FROM products WHERE product_id = ?", variant["product_id"])["title"]
    h.close()
    calls = [
        GoldCall(env_id="shopify", tool="get_product", arguments={"product_id": variant["product_id"]}),
        GoldCall(
            env_id="shopify",
            tool="adjust_inventory_level",
            arguments={
                "staff_email": STOCKROOM,
                "inventory_item_id": variant["inventory_item_id"],
                "location_id": WAREHOUSE,
                "available_adjustment": 24,
            },
        ),
    ]
    task = Task(
        task_id="shopify-restock-e2e",
        domain="shopping",
        env_ids=["shopify"],
        goal="write",
        query=f"I'm Sam ({STOCKROOM}). 24 more {title} {variant['title']} arrived at the Portland Warehouse.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = restock_task()
    assert {(c.table, c.op) for c in task.gold_changes} == {("inventory_levels", "update")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)


def test_shipping_is_refunded_once(h: EpisodeHarness) -> None:
    small = one(
        h,
        "SELECT v.* FROM variants v JOIN products p ON p.product_id = v.product_id JOIN inventory_levels l ON "
        "l.inventory_item_id = v.inventory_item_id AND l.location_id = ? WHERE p.status = 'active' AND "
        "l.available >= 1 AND v.price < 7500 ORDER BY v.variant_id",
        WAREHOUSE,
    )
    order = place(h, small, 1)
    refund = h.ok("create_refund", staff_email=ORDERS_ONLY, order_id=order["order_id"], refund_shipping=True)
    assert refund["refunds"][-1]["amount"] == refund["refunds"][-1]["shipping"] == 8.0
    assert refund["financial_status"] == "partially_refunded"
    assert "no shipping charge left" in h.error(
        "create_refund", staff_email=ORDERS_ONLY, order_id=order["order_id"], refund_shipping=True
    )
    # Cancelling refunds the rest: the items, not the shipping twice.
    cancelled = h.ok("cancel_order", staff_email=ORDERS_ONLY, order_id=order["order_id"], reason="customer")
    assert cancelled["total_refunded"] == order["total_price"]
    assert cancelled["refunds"][-1]["shipping"] == 0


def test_a_voided_order_records_no_refund_but_is_restocked(h: EpisodeHarness) -> None:
    variant = sellable(h)
    before = stock(h, variant)
    order = place(h, variant, 2, financial_status="pending")
    voided = h.ok("cancel_order", staff_email=ORDERS_ONLY, order_id=order["order_id"], reason="declined")
    assert voided["financial_status"] == "voided" and voided["refunds"] == [] and stock(h, variant) == before
