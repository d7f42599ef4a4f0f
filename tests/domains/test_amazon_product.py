"""The Amazon store: every tool, the cart limits, deal pricing, Prime shipping, price alert, wish list and
cancellation rules, search filters, seeding, and a gym episode."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.shopping import amazon_product
from envfactory_gym.domains.shopping.amazon_product.models import (
    FREE_SHIPPING_THRESHOLD,
    NOW,
    STANDARD_SHIPPING_FEE,
    TWO_DAY_FEE,
)
from envfactory_gym.tasks import load_tasks
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

STAMP = NOW.isoformat()
DEAL_RUNNING = f"d.start_time <= '{STAMP}' AND d.end_time > '{STAMP}'"


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    with closing(EpisodeHarness(amazon_product.env)) as harness:
        yield harness


def one(h: EpisodeHarness, query: str, *params: Any) -> dict[str, Any]:
    rows = h.rows(query + " LIMIT 1", *params)
    assert rows, query
    return rows[0]


def shopper(h: EpisodeHarness, prime: bool) -> str:
    """A shopper of the given membership with an empty cart."""
    who = one(h, "SELECT customer_id FROM customers WHERE prime_member = ? ORDER BY customer_id", int(prime))
    for line in h.rows("SELECT asin FROM cart_items WHERE customer_id = ?", who["customer_id"]):
        h.ok("remove_from_cart", customer_id=who["customer_id"], asin=line["asin"])
    return str(who["customer_id"])


NO_DEAL = f"NOT EXISTS (SELECT 1 FROM deals d WHERE d.asin = items.asin AND {DEAL_RUNNING})"


def in_stock(h: EpisodeHarness, where: str = "1 = 1", *params: Any) -> dict[str, Any]:
    return one(
        h,
        f"SELECT * FROM items WHERE availability_type = 'Now' AND stock >= 10 AND max_order_quantity >= 5 "
        f"AND {NO_DEAL} AND {where} ORDER BY asin",
        *params,
    )


def test_catalog_tools(h: EpisodeHarness) -> None:
    roots = h.ok("get_browse_nodes")
    assert len(roots) == 8 and all(r["is_root"] and r["ancestor"] is None for r in roots)
    electronics = next(r for r in roots if r["display_name"] == "Electronics")
    children = h.ok("get_browse_nodes", browse_node_ids=[c["browse_node_id"] for c in electronics["children"]])
    assert all(c["ancestor"]["browse_node_id"] == electronics["browse_node_id"] and not c["children"] for c in children)
    assert electronics["item_count"] == sum(c["item_count"] for c in children) > 100

    page = h.ok("search_items", browse_node_id=electronics["browse_node_id"], prime_only=True, max_price=10_000,
                min_reviews_rating=4, sort_by="AvgCustomerReviews")  # fmt: skip
    assert page["total_result_count"] >= len(page["items"]) == 10
    ranks = [(i["star_rating"], i["review_count"]) for i in page["items"]]
    assert ranks == sorted(ranks, reverse=True)
    assert all(i["prime_eligible"] and i["price"] <= 10_000 and i["star_rating"] >= 4 for i in page["items"])
    child_nodes = {c["browse_node_id"] for c in electronics["children"]}
    found = h.ok("get_items", asins=[i["asin"] for i in page["items"][:3]])
    assert len(found) == 3 and all(f["browse_node_id"] in child_nodes for f in found)
    assert all(f["savings"] == max(0, (f["list_price"] or 0) - f["price"]) for f in found)

    cheap = h.ok("search_items", keywords="wireless", sort_by="Price:LowToHigh")["items"]
    assert [i["price"] for i in cheap] == sorted(i["price"] for i in cheap)
    assert all("wireless" in (i["title"] + i["brand"]).lower() for i in cheap)
    newest = h.ok("search_items", brand="Sony", sort_by="NewestArrivals", item_count=5)["items"]
    dates = [f["release_date"] for f in h.ok("get_items", asins=[i["asin"] for i in newest])]
    assert dates == sorted(dates, reverse=True) and all(i["brand"] == "Sony" for i in newest)
    second = h.ok("search_items", brand="Sony", sort_by="NewestArrivals", item_count=5, item_page=2)["items"]
    assert not {i["asin"] for i in second} & {i["asin"] for i in newest}


def test_search_refusals_and_availability(h: EpisodeHarness) -> None:
    assert "Give keywords" in h.error("search_items")
    assert "between 1 and 10" in h.error("search_items", keywords="mouse", item_count=11)
    assert "item_page" in h.error("search_items", keywords="mouse", item_page=11)
    assert "cannot be above" in h.error("search_items", keywords="mouse", min_price=500, max_price=100)
    assert "between 1 and 4" in h.error("search_items", keywords="mouse", min_reviews_rating=5)
    assert "no browse node" in h.error("search_items", browse_node_id="999")
    gone = one(h, "SELECT * FROM items WHERE availability_type = 'Unavailable' AND parent_asin IS NULL")
    name = gone["title"].split(", ")[0]
    assert gone["asin"] not in {i["asin"] for i in h.ok("search_items", keywords=name)["items"]}
    everything = h.ok("search_items", keywords=name, availability="IncludeOutOfStock")["items"]
    assert gone["asin"] in {i["asin"] for i in everything}
    assert "no item with ASIN" in h.error("get_items", asins=["B000000000"])
    assert "between 1 and 10" in h.error("get_items", asins=[])


def test_variations(h: EpisodeHarness) -> None:
    family = one(h, "SELECT * FROM variation_families WHERE dimensions = 'Size,Color'")
    by_parent = h.ok("get_variations", asin=family["parent_asin"])
    children = h.rows("SELECT * FROM items WHERE parent_asin = ?", family["parent_asin"])
    assert by_parent["variation_count"] == len(children) and by_parent["title"] == family["title"]
    assert [d["name"] for d in by_parent["variation_dimensions"]] == ["Size", "Color"]
    assert set(by_parent["variation_dimensions"][1]["values"]) == {c["color"] for c in children}
    assert by_parent["lowest_price"] == min(c["price"] for c in children)
    assert h.ok("get_variations", asin=children[0]["asin"]) == by_parent
    plain = one(h, "SELECT asin FROM items WHERE parent_asin IS NULL")
    assert "has no variations" in h.error("get_variations", asin=plain["asin"])
    who = shopper(h, prime=True)
    assert "variation parent" in h.error("add_to_cart", customer_id=who, asin=family["parent_asin"])


def test_cart_limits(h: EpisodeHarness) -> None:
    who = shopper(h, prime=True)
    item = in_stock(h)
    limit = item["max_order_quantity"]
    added = h.ok("add_to_cart", customer_id=who, asin=item["asin"], quantity=2)
    assert added["quantity"] == 2 and added["cart"]["items_subtotal"] == 2 * item["price"]
    again = h.ok("add_to_cart", customer_id=who, asin=item["asin"])  # adding again raises the quantity
    assert again["quantity"] == 3
    assert "limited to" in h.error("add_to_cart", customer_id=who, asin=item["asin"], quantity=limit)
    assert "limited to" in h.error("update_cart_item", customer_id=who, asin=item["asin"], quantity=limit + 1)
    assert h.ok("update_cart_item", customer_id=who, asin=item["asin"], quantity=1)["quantity"] == 1
    assert "already has 1" in h.error("update_cart_item", customer_id=who, asin=item["asin"], quantity=1)
    assert "at least 1" in h.error("update_cart_item", customer_id=who, asin=item["asin"], quantity=0)
    scarce = one(h, "SELECT * FROM items WHERE availability_type = 'Now' AND stock < max_order_quantity")
    assert "left in stock" in h.error("add_to_cart", customer_id=who, asin=scarce["asin"], quantity=scarce["stock"] + 1)
    gone = one(h, "SELECT * FROM items WHERE availability_type = 'Unavailable'")
    assert "currently unavailable" in h.error("add_to_cart", customer_id=who, asin=gone["asin"])
    backorder = one(h, "SELECT * FROM items WHERE availability_type = 'Backorder' AND max_order_quantity >= 2")
    assert h.ok("add_to_cart", customer_id=who, asin=backorder["asin"], quantity=2)["quantity"] == 2
    assert "at least 1" in h.error("add_to_cart", customer_id=who, asin=item["asin"], quantity=0)
    assert "no Amazon customer" in h.error("get_cart", customer_id="nobody_0000")
    cart = h.ok("remove_from_cart", customer_id=who, asin=item["asin"])
    assert [line["asin"] for line in cart["lines"]] == [backorder["asin"]]
    assert "not in your cart" in h.error("remove_from_cart", customer_id=who, asin=item["asin"])


def test_deals_price_the_cart(h: EpisodeHarness) -> None:
    feed = h.ok("get_deals", deal_type="LIGHTNING_DEAL", status="ACTIVE")
    assert feed["deals"] and all(d["status"] == "ACTIVE" and d["percent_claimed"] < 100 for d in feed["deals"])
    ends = [d["end_time"] for d in feed["deals"]]
    assert ends == sorted(ends)
    assert all(d["status"] == "ENDED" for d in h.ok("get_deals", status="ENDED")["deals"])
    assert not any(d["status"] == "ENDED" for d in h.ok("get_deals", item_count=10)["deals"])
    today = h.ok("get_deals", deal_type="DEAL_OF_THE_DAY", status="ACTIVE")
    assert today["total_result_count"] == 1

    def running(exclusive: bool) -> dict[str, Any]:
        return one(
            h,
            f"SELECT d.*, i.price FROM deals d JOIN items i ON i.asin = d.asin WHERE {DEAL_RUNNING} "
            "AND d.percent_claimed < 100 AND d.prime_exclusive = ? AND i.availability_type = 'Now' AND i.stock >= 1 "
            "AND (SELECT COUNT(*) FROM deals e WHERE e.asin = d.asin) = 1",
            int(exclusive),
        )

    open_deal, exclusive = running(False), running(True)
    member, other = shopper(h, prime=True), shopper(h, prime=False)
    for who in (member, other):
        for deal in (open_deal, exclusive):
            h.ok("add_to_cart", customer_id=who, asin=deal["asin"])
    units = {
        who: {li["asin"]: li["unit_price"] for li in h.ok("get_cart", customer_id=who)["lines"]}
        for who in (member, other)
    }
    assert units[member] == {open_deal["asin"]: open_deal["deal_price"], exclusive["asin"]: exclusive["deal_price"]}
    # A Prime-exclusive deal is not for shoppers without Prime.
    assert units[other] == {open_deal["asin"]: open_deal["deal_price"], exclusive["asin"]: exclusive["price"]}
    details = h.ok("get_items", asins=[open_deal["asin"]])[0]
    assert details["deal"]["deal_id"] == open_deal["deal_id"]
    claimed = one(
        h, f"SELECT d.*, i.price FROM deals d JOIN items i ON i.asin = d.asin WHERE {DEAL_RUNNING} "
        "AND d.percent_claimed = 100 AND (SELECT COUNT(*) FROM deals e WHERE e.asin = d.asin) = 1",
    )  # fmt: skip
    assert h.ok("get_items", asins=[claimed["asin"]])[0]["deal"] is None
    entry = h.ok("get_deals", asin=claimed["asin"])["deals"][0]
    assert entry["status"] == "FULLY_CLAIMED" and entry["percent_claimed"] == 100


def test_prime_shipping_rules(h: EpisodeHarness) -> None:
    member, other = shopper(h, prime=True), shopper(h, prime=False)
    small = in_stock(h, "prime_eligible = 1 AND price < ?", FREE_SHIPPING_THRESHOLD // 3)
    big = in_stock(h, "prime_eligible = 1 AND price >= ?", FREE_SHIPPING_THRESHOLD)
    not_prime = in_stock(h, "prime_eligible = 0 AND price < ?", FREE_SHIPPING_THRESHOLD // 3)

    def options(who: str) -> dict[str, dict[str, Any]]:
        return {o["shipping_speed"]: o for o in h.ok("get_cart", customer_id=who)["shipping_options"]}

    h.ok("add_to_cart", customer_id=member, asin=small["asin"])
    assert {k: o["cost"] for k, o in options(member).items()} == {"standard": 0, "two_day": 0}
    h.ok("add_to_cart", customer_id=other, asin=small["asin"])
    assert {k: o["cost"] for k, o in options(other).items()} == {
        "standard": STANDARD_SHIPPING_FEE,
        "two_day": TWO_DAY_FEE,
    }
    order = h.ok("place_order", customer_id=other, shipping_speed="two_day")
    assert order["shipping_cost"] == TWO_DAY_FEE and order["total"] == small["price"] + TWO_DAY_FEE
    assert order["estimated_delivery"] == "2025-07-11" and order["status"] == "Ordered"
    assert h.ok("get_cart", customer_id=other)["lines"] == []
    assert h.rows("SELECT stock FROM items WHERE asin = ?", small["asin"])[0]["stock"] == small["stock"] - 1
    assert "cart is empty" in h.error("place_order", customer_id=other)

    # A non-Prime item in the cart: Prime perks are gone, two-day is not offered, $35 of items ships free.
    h.ok("add_to_cart", customer_id=member, asin=not_prime["asin"])
    assert not options(member)["two_day"]["available"]
    assert options(member)["standard"]["cost"] == STANDARD_SHIPPING_FEE
    assert "Prime-eligible" in h.error("place_order", customer_id=member, shipping_speed="two_day")
    h.ok("add_to_cart", customer_id=member, asin=big["asin"])
    order = h.ok("place_order", customer_id=member)
    assert order["shipping_cost"] == 0 and order["total"] == small["price"] + not_prime["price"] + big["price"]
    assert order["order_id"] == h.ok("get_orders", customer_id=member)["orders"][0]["order_id"]


def test_orders_and_cancellation(h: EpisodeHarness) -> None:
    who = shopper(h, prime=True)
    item = in_stock(h)
    h.ok("add_to_cart", customer_id=who, asin=item["asin"], quantity=3)
    order = h.ok("place_order", customer_id=who)
    assert h.rows("SELECT stock FROM items WHERE asin = ?", item["asin"])[0]["stock"] == item["stock"] - 3
    cancelled = h.ok("cancel_order", customer_id=who, order_id=order["order_id"])
    assert cancelled["status"] == "Cancelled"
    assert h.rows("SELECT stock FROM items WHERE asin = ?", item["asin"])[0]["stock"] == item["stock"]
    assert "already cancelled" in h.error("cancel_order", customer_id=who, order_id=order["order_id"])
    shipped = one(h, "SELECT * FROM orders WHERE status = 'Shipped'")
    assert "can no longer be cancelled" in h.error(
        "cancel_order", customer_id=shipped["customer_id"], order_id=shipped["order_id"]
    )
    assert "no order" in h.error("cancel_order", customer_id=who, order_id=shipped["order_id"])
    history = h.ok("get_orders", customer_id=shipped["customer_id"])
    placed = [o["placed_at"] for o in history["orders"]]
    assert placed == sorted(placed, reverse=True) and history["total_result_count"] >= len(placed)


def test_price_alerts(h: EpisodeHarness) -> None:
    who = shopper(h, prime=False)
    item = one(
        h,
        "SELECT * FROM items WHERE price >= 5000 AND asin NOT IN (SELECT asin FROM price_alerts WHERE customer_id = ?)",
        who,
    )
    assert "lower target" in h.error(
        "create_price_alert", customer_id=who, asin=item["asin"], target_price=item["price"]
    )
    assert "above zero" in h.error("create_price_alert", customer_id=who, asin=item["asin"], target_price=0)
    alert = h.ok("create_price_alert", customer_id=who, asin=item["asin"], target_price=item["price"] - 1000)
    assert alert["current_price"] == item["price"] and not alert["reached"]
    assert "already have an alert" in h.error(
        "create_price_alert", customer_id=who, asin=item["asin"], target_price=item["price"] - 2000
    )
    assert item["asin"] in {a["asin"] for a in h.ok("get_price_alerts", customer_id=who)}
    left = h.ok("delete_price_alert", customer_id=who, asin=item["asin"])
    assert item["asin"] not in {a["asin"] for a in left}
    assert "no price alert" in h.error("delete_price_alert", customer_id=who, asin=item["asin"])
    reached = one(h, "SELECT p.* FROM price_alerts p JOIN items i ON i.asin = p.asin WHERE i.price <= p.target_price")
    alerts = h.ok("get_price_alerts", customer_id=reached["customer_id"])
    assert next(a for a in alerts if a["asin"] == reached["asin"])["reached"]


def test_wish_lists(h: EpisodeHarness) -> None:
    who = shopper(h, prime=True)
    item = in_stock(h)
    created = h.ok("create_wish_list", customer_id=who, name="  Camping   Weekend ")
    assert created == {"name": "Camping Weekend", "asin": None, "item_count": 0}
    assert "already have a wish list" in h.error("create_wish_list", customer_id=who, name="camping weekend")
    assert "1 to 50" in h.error("create_wish_list", customer_id=who, name=" ")
    assert h.ok("add_to_wish_list", customer_id=who, asin=item["asin"], list_name="Camping Weekend")["item_count"] == 1
    assert "already on" in h.error("add_to_wish_list", customer_id=who, asin=item["asin"], list_name="camping weekend")
    assert "no wish list named" in h.error("add_to_wish_list", customer_id=who, asin=item["asin"], list_name="Nope")
    lists = {w["name"]: w for w in h.ok("get_wish_lists", customer_id=who)}
    assert [i["asin"] for i in lists["Camping Weekend"]["items"]] == [item["asin"]]
    done = h.ok("remove_from_wish_list", customer_id=who, asin=item["asin"], list_name="Camping Weekend")
    assert done["item_count"] == 0
    assert "not on your" in h.error(
        "remove_from_wish_list", customer_id=who, asin=item["asin"], list_name="Camping Weekend"
    )
    if "Shopping List" in lists:
        assert h.ok("add_to_wish_list", customer_id=who, asin=item["asin"])["name"] == "Shopping List"


def test_seeded_store_is_realistic() -> None:
    snapshot = get_snapshot(amazon_product.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["items"] >= 2500 and counts["variation_families"] >= 100 and counts["browse_nodes"] >= 40
    assert counts["customers"] >= 300 and counts["orders"] >= 300 and counts["deals"] >= 90
    assert counts["cart_items"] >= 200 and counts["wish_list_items"] >= 1000 and counts["price_alerts"] >= 200
    assert snapshot.size_bytes < 1_500_000
    items = snapshot.rows("items")
    assert {i["availability_type"] for i in items} == {"Now", "Backorder", "Unavailable"}
    assert sum(i["parent_asin"] is not None for i in items) >= 800
    assert len({i["asin"] for i in items}) == len(items) and all(len(i["asin"]) == 10 for i in items)
    assert all(i["list_price"] is None or i["list_price"] >= i["price"] for i in items)
    orders = snapshot.rows("orders")
    assert {o["status"] for o in orders} == {"Ordered", "Shipped", "Delivered"}
    for order in orders:  # shipping follows the store's rules
        free = order["shipping_speed"] == "two_day" or order["items_subtotal"] >= FREE_SHIPPING_THRESHOLD
        assert order["shipping_cost"] == (0 if free else STANDARD_SHIPPING_FEE)
        assert order["total"] == order["items_subtotal"] + order["shipping_cost"]


def test_gym_episodes_of_packaged_tasks_oracle_succeeds_and_noop_fails() -> None:
    tasks = load_tasks("shopping", "amazon_product")
    checkout = next(t for t in tasks if any(c.tool == "place_order" for c in t.gold_calls))
    assert {(c.table, c.op) for c in checkout.gold_changes} >= {("orders", "insert"), ("cart_items", "delete")}
    assert oracle_and_noop_rewards(checkout) == (1.0, 0.0)
    variation = next(t for t in tasks if any(c.tool == "get_variations" for c in t.gold_calls) and t.gold_changes)
    assert oracle_and_noop_rewards(variation) == (1.0, 0.0)
