"""Best Buy: every tool, the stock, hold, protection, price-match, return-window and review rules, seeding, and a
gym episode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.shopping import bestbuy
from envfactory_gym.domains.shopping.bestbuy.models import NOW, protection_price, return_days
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

TODAY = NOW.date()
RECEIVED = "o.status IN ('DELIVERED', 'PICKED_UP')"
LINE = (
    "SELECT o.order_id, o.customer_id, o.received_at, o.placed_at, l.sku, l.quantity, l.unit_price, "
    "l.protection_term_years, l.returned_quantity, c.membership, p.condition, p.model_number, p.category_id "
    "FROM orders o JOIN order_lines l ON l.order_id = o.order_id JOIN customers c ON c.customer_id = o.customer_id "
    "JOIN products p ON p.sku = l.sku WHERE "
)


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(bestbuy.env)
    yield harness
    harness.close()


def one(h: EpisodeHarness, query: str, *params: Any) -> dict[str, Any]:
    rows = h.rows(query + " LIMIT 1", *params)
    assert rows, query
    return rows[0]


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def stocked(h: EpisodeHarness) -> dict[str, Any]:
    """A store's shelf with a new product on it, and a customer who lives in that store's metro."""
    return one(
        h,
        "SELECT k.store_id, k.sku, k.quantity, c.customer_id, c.postal_code FROM store_stock k JOIN stores s ON "
        "s.store_id = k.store_id JOIN postal_codes z ON z.city = s.city JOIN customers c ON c.postal_code = "
        "z.postal_code JOIN products p ON p.sku = k.sku WHERE k.quantity BETWEEN 1 AND 2 AND p.condition = 'new' "
        "AND NOT EXISTS (SELECT 1 FROM pickup_reservations r WHERE r.customer_id = c.customer_id AND r.sku = k.sku) "
        "AND NOT EXISTS (SELECT 1 FROM cart_items x WHERE x.customer_id = c.customer_id) ORDER BY k.store_id, k.sku",
    )


def shelf(h: EpisodeHarness, store_id: str, sku: str) -> int:
    rows = h.rows("SELECT quantity FROM store_stock WHERE store_id = ? AND sku = ?", store_id, sku)
    return rows[0]["quantity"] if rows else 0


def test_rules_helpers() -> None:
    assert return_days("My Best Buy", False) == 15
    assert return_days("My Best Buy Plus", False) == 60 and return_days("My Best Buy Total", False) == 60
    assert return_days("My Best Buy Total", True) == 14
    assert protection_price(100000, 2) == 11099 and protection_price(100000, 3) == 16099
    assert protection_price(1000, 2) == 999  # never under $9.99


def test_catalog_reads(h: EpisodeHarness) -> None:
    root = h.ok("get_categories")
    assert {c["name"] for c in root["subcategories"]} >= {"TV & Home Theater", "Appliances", "Cell Phones"}
    tv_dept = next(c for c in root["subcategories"] if c["name"] == "TV & Home Theater")
    dept = h.ok("get_categories", category_id=tv_dept["category_id"])
    tvs = next(c for c in dept["subcategories"] if c["name"] == "TVs")
    assert tvs["path"] == "Best Buy > TV & Home Theater > TVs" and tvs["product_count"] >= 100

    page = h.ok("search_products", query="TV", screen_size_in=65, on_sale=True, max_price=150000, sort="rating")
    assert page["products"] and all(p["on_sale"] and p["sale_price"] <= 150000 for p in page["products"])
    ratings = [p["customer_review_average"] or 0 for p in page["products"]]
    assert ratings == sorted(ratings, reverse=True)
    cheap = h.ok("search_products", category_id=tvs["category_id"], sort="price", page_size=5, page=2)
    prices = [p["sale_price"] for p in cheap["products"]]
    assert prices == sorted(prices) and cheap["page"] == 2 and cheap["total_pages"] == -(-cheap["total"] // 5)
    samsung = h.ok("search_products", manufacturer="samsung", min_rating=4.5)
    assert all(p["manufacturer"] == "Samsung" and p["customer_review_average"] >= 4.5 for p in samsung["products"])
    sku = page["products"][0]["sku"]
    assert h.ok("search_products", query=sku)["products"][0]["sku"] == sku

    details = h.ok("get_product_details", sku=sku)
    assert (
        details["category_path"].endswith("TVs") and details["protection_eligible"] and details["screen_size_in"] == 65
    )
    reviewed = one(h, "SELECT sku FROM reviews GROUP BY sku HAVING COUNT(DISTINCT rating) >= 2 ORDER BY sku")["sku"]
    low = h.ok("get_product_reviews", sku=reviewed, sort="lowest_rating")
    assert [r["rating"] for r in low["reviews"]] == sorted(r["rating"] for r in low["reviews"])
    assert low["total"] == len(low["reviews"]) >= 2

    place = stocked(h)
    near = h.ok("get_stores", postal_code=place["postal_code"], radius_miles=60)
    distances = [s["distance_miles"] for s in near]
    assert distances == sorted(distances) and all(d <= 60 for d in distances)
    with_stock = h.ok("get_stores", postal_code=place["postal_code"], radius_miles=250, sku=place["sku"])
    assert place["store_id"] in {s["store_id"] for s in with_stock}
    assert all(s["quantity_available"] > 0 for s in with_stock)
    city = one(h, "SELECT city FROM stores WHERE store_id = ?", place["store_id"])["city"]
    in_city = h.ok("get_stores", city=city)
    assert (
        in_city
        and all(s["city"] == city for s in in_city)
        and "Geek Squad" in {x for s in in_city for x in s["services"]}
    )


def test_catalog_refusals(h: EpisodeHarness) -> None:
    assert "no product" in h.error("get_product_details", sku="0000000")
    assert "page_size" in h.error("search_products", query="TV", page_size=500)
    assert "ZIP code or a city" in h.error("get_stores")
    assert "no Best Buy stores" in h.error("get_stores", city="Atlantis")
    accessory = one(h, "SELECT sku FROM products WHERE category_id = 'abcat0706000'")["sku"]
    assert "not offered" in h.error("get_protection_plans", sku=accessory)


def test_cart_and_checkout_for_shipping_and_pickup(h: EpisodeHarness) -> None:
    small = one(h, "SELECT * FROM products WHERE online_availability = 1 AND free_shipping = 0 AND sale_price < 1500")
    customer = one(
        h,
        "SELECT customer_id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM cart_items x WHERE "
        "x.customer_id = c.customer_id) ORDER BY customer_id",
    )["customer_id"]
    cart = h.ok("add_to_cart", customer_id=customer, sku=small["sku"], quantity=2)
    assert cart["subtotal"] == 2 * small["sale_price"]
    assert "at most 3" in h.error("add_to_cart", customer_id=customer, sku=small["sku"], quantity=2)
    order = h.ok("checkout", customer_id=customer)
    assert order["shipping_cost"] == 599 and order["total"] == 2 * small["sale_price"] + 599
    assert order["status"] == "PROCESSING" and order["lines"][0]["quantity"] == 2
    assert h.ok("get_account", customer_id=customer)["cart"]["items"] == []
    assert "empty" in h.error("checkout", customer_id=customer)

    place = stocked(h)
    h.ok("add_to_cart", customer_id=place["customer_id"], sku=place["sku"], quantity=place["quantity"])
    other = one(
        h,
        "SELECT store_id FROM stores WHERE store_id NOT IN (SELECT store_id FROM store_stock WHERE sku = ?)",
        place["sku"],
    )["store_id"]
    assert "not in stock" in h.error("checkout", customer_id=place["customer_id"], fulfillment="pickup", store_id=other)
    assert "Choose a store" in h.error("checkout", customer_id=place["customer_id"], fulfillment="pickup")
    pickup = h.ok("checkout", customer_id=place["customer_id"], fulfillment="pickup", store_id=place["store_id"])
    assert pickup["shipping_cost"] == 0 and shelf(h, place["store_id"], place["sku"]) == 0


def test_pickup_reservations_hold_and_release_stock(h: EpisodeHarness) -> None:
    place = stocked(h)
    args = {"customer_id": place["customer_id"], "sku": place["sku"], "store_id": place["store_id"]}
    assert "only" in h.error("reserve_for_pickup", **args, quantity=place["quantity"] + 1)
    held = h.ok("reserve_for_pickup", **args)
    assert held["status"] == "RESERVED" and held["hold_until"] == (NOW + dt.timedelta(hours=72)).isoformat()
    assert shelf(h, place["store_id"], place["sku"]) == place["quantity"] - 1
    assert "already have" in h.error("reserve_for_pickup", **args)
    account = h.ok("get_account", customer_id=place["customer_id"])
    assert held["reservation_id"] in {r["reservation_id"] for r in account["reservations"]}
    someone = one(h, "SELECT customer_id FROM customers WHERE customer_id != ?", place["customer_id"])["customer_id"]
    assert "another account" in h.error(
        "cancel_pickup_reservation", customer_id=someone, reservation_id=held["reservation_id"]
    )
    h.ok("cancel_pickup_reservation", customer_id=place["customer_id"], reservation_id=held["reservation_id"])
    assert shelf(h, place["store_id"], place["sku"]) == place["quantity"]
    assert "already cancelled" in h.error(
        "cancel_pickup_reservation", customer_id=place["customer_id"], reservation_id=held["reservation_id"]
    )
    empty = one(
        h,
        "SELECT s.store_id FROM stores s WHERE NOT EXISTS (SELECT 1 FROM store_stock k WHERE "
        "k.store_id = s.store_id AND k.sku = ? AND k.quantity > 0)",
        place["sku"],
    )["store_id"]
    assert "none in stock" in h.error("reserve_for_pickup", **{**args, "store_id": empty})
    for status in ("EXPIRED", "PICKED_UP"):
        past = one(h, "SELECT * FROM pickup_reservations WHERE status = ? ORDER BY reservation_id", status)
        assert f"already {status.lower().replace('_', ' ')}" in h.error(
            "cancel_pickup_reservation", customer_id=past["customer_id"], reservation_id=past["reservation_id"]
        )
        listed = h.ok("get_account", customer_id=past["customer_id"])["reservations"]
        assert past["reservation_id"] not in {r["reservation_id"] for r in listed}


def test_geek_squad_protection_rules(h: EpisodeHarness) -> None:
    line = one(
        h,
        LINE + "l.protection_term_years IS NULL AND l.returned_quantity = 0 AND o.placed_at >= ? AND "
        "p.category_id = 'abcat0901000'",
        days_ago(50),
    )
    plans = h.ok("get_protection_plans", sku=line["sku"])
    assert [p["term_years"] for p in plans] == [2, 3]
    order = h.ok(
        "add_protection_plan", customer_id=line["customer_id"], order_id=line["order_id"], sku=line["sku"], term_years=3
    )
    added = next(x for x in order["lines"] if x["sku"] == line["sku"])
    assert added["protection_price"] == protection_price(line["unit_price"], 3) * line["quantity"]
    assert "already has" in h.error(
        "add_protection_plan", customer_id=line["customer_id"], order_id=line["order_id"], sku=line["sku"], term_years=2
    )
    old = one(
        h,
        LINE + "l.protection_term_years IS NULL AND o.placed_at < ? AND p.category_id IN "
        "(SELECT category_id FROM categories WHERE protection_eligible = 1)",
        days_ago(61),
    )
    assert "within 60 days" in h.error(
        "add_protection_plan", customer_id=old["customer_id"], order_id=old["order_id"], sku=old["sku"], term_years=2
    )
    game = one(h, LINE + "p.category_id = 'abcat0706000'")
    assert "not offered" in h.error(
        "add_protection_plan", customer_id=game["customer_id"], order_id=game["order_id"], sku=game["sku"], term_years=2
    )


def test_price_match_rules(h: EpisodeHarness) -> None:
    line = one(
        h,
        LINE + f"{RECEIVED} AND l.returned_quantity = 0 AND p.condition = 'new' AND l.unit_price > 5000 "
        "AND date(o.received_at) >= ? AND NOT EXISTS (SELECT 1 FROM price_matches m WHERE m.order_id = "
        "o.order_id AND m.sku = l.sku)",
        days_ago(10),
    )
    base = {
        "customer_id": line["customer_id"],
        "order_id": line["order_id"],
        "sku": line["sku"],
        "competitor_model_number": line["model_number"],
    }
    lower = line["unit_price"] - 2000
    assert "not a retailer" in h.error("request_price_match", **base, competitor="eBay", competitor_price=lower)
    assert "identical" in h.error(
        "request_price_match",
        **{**base, "competitor_model_number": "XYZ-1"},
        competitor="Walmart.com",
        competitor_price=lower,
    )
    assert "in stock" in h.error(
        "request_price_match", **base, competitor="Target.com", competitor_price=lower, competitor_in_stock=False
    )
    assert "not lower" in h.error(
        "request_price_match", **base, competitor="Amazon.com", competitor_price=line["unit_price"]
    )
    match = h.ok("request_price_match", **base, competitor="Amazon.com", competitor_price=lower)
    assert match["refund_amount"] == 2000 * line["quantity"] and match["matched_price"] == lower
    assert "already price matched" in h.error(
        "request_price_match", **base, competitor="Amazon.com", competitor_price=lower - 100
    )
    clearance = one(h, LINE + f"{RECEIVED} AND p.condition = 'clearance'")
    assert "never price matched" in h.error(
        "request_price_match",
        customer_id=clearance["customer_id"],
        order_id=clearance["order_id"],
        sku=clearance["sku"],
        competitor="Amazon.com",
        competitor_price=100,
        competitor_model_number=clearance["model_number"],
    )


def test_return_windows_follow_the_membership_tier(h: EpisodeHarness) -> None:
    late = (
        f"{RECEIVED} AND l.returned_quantity = 0 AND p.activation_required = 0 AND date(o.received_at) BETWEEN ? AND ?"
    )
    free = one(h, LINE + late + " AND c.membership = 'My Best Buy'", days_ago(40), days_ago(16))
    assert "15-day return window" in h.error(
        "start_return",
        customer_id=free["customer_id"],
        order_id=free["order_id"],
        sku=free["sku"],
        reason="changed_mind",
    )
    plus = one(h, LINE + late + " AND c.membership != 'My Best Buy'", days_ago(40), days_ago(16))
    result = h.ok(
        "start_return",
        customer_id=plus["customer_id"],
        order_id=plus["order_id"],
        sku=plus["sku"],
        reason="changed_mind",
        quantity=plus["quantity"],
    )
    protection = h.rows(
        "SELECT protection_price FROM order_lines WHERE order_id = ? AND sku = ?", plus["order_id"], plus["sku"]
    )[0]["protection_price"]
    assert result["refund_amount"] == plus["unit_price"] * plus["quantity"] + protection
    assert "already returned" in h.error(
        "start_return",
        customer_id=plus["customer_id"],
        order_id=plus["order_id"],
        sku=plus["sku"],
        reason="changed_mind",
    )
    phone = one(
        h,
        LINE + f"{RECEIVED} AND p.activation_required = 1 AND l.returned_quantity = 0 AND "
        "c.membership != 'My Best Buy' AND date(o.received_at) BETWEEN ? AND ?",
        days_ago(40),
        days_ago(15),
    )
    assert "14-day return window" in h.error(
        "start_return",
        customer_id=phone["customer_id"],
        order_id=phone["order_id"],
        sku=phone["sku"],
        reason="defective",
    )
    pending = one(h, LINE + "o.status IN ('PROCESSING', 'SHIPPED')")
    assert "has not reached you" in h.error(
        "start_return",
        customer_id=pending["customer_id"],
        order_id=pending["order_id"],
        sku=pending["sku"],
        reason="defective",
    )


def test_reviews_only_from_buyers_once(h: EpisodeHarness) -> None:
    line = one(
        h,
        LINE + f"{RECEIVED} AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.sku = l.sku AND "
        "r.customer_id = o.customer_id)",
    )
    before = one(h, "SELECT customer_review_count FROM products WHERE sku = ?", line["sku"])["customer_review_count"]
    review = h.ok(
        "write_review",
        customer_id=line["customer_id"],
        sku=line["sku"],
        rating=4,
        title="Good buy",
        comment="Works well and was easy to set up.",
    )
    assert review["rating"] == 4 and review["submission_time"] == NOW.isoformat()
    after = one(h, "SELECT customer_review_count FROM products WHERE sku = ?", line["sku"])["customer_review_count"]
    assert after == before + 1
    assert "already reviewed" in h.error(
        "write_review",
        customer_id=line["customer_id"],
        sku=line["sku"],
        rating=5,
        title="Again",
        comment="Writing a second review here.",
    )
    never = one(h, "SELECT sku FROM products p WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.sku = p.sku)")
    assert "bought and received" in h.error(
        "write_review",
        customer_id=line["customer_id"],
        sku=never["sku"],
        rating=5,
        title="Nice",
        comment="Never owned it but sure.",
    )
    assert "1 to 5" in h.error(
        "write_review",
        customer_id=line["customer_id"],
        sku=line["sku"],
        rating=6,
        title="x",
        comment="Too many stars here.",
    )


def test_seeded_store_is_realistic() -> None:
    snapshot = get_snapshot(bestbuy.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["products"] >= 800 and counts["stores"] >= 140 and counts["store_stock"] >= 1500
    assert counts["reviews"] >= 1000 and counts["customers"] >= 290 and counts["orders"] >= 350
    assert counts["categories"] >= 25 and counts["pickup_reservations"] >= 50 and counts["price_matches"] >= 10
    assert snapshot.size_bytes < 1_500_000
    products = snapshot.rows("products")
    assert {p["condition"] for p in products} == {"new", "open_box", "clearance"}
    assert len({p["sku"] for p in products}) == len(products) and all(len(p["upc"]) == 12 for p in products)
    assert all(p["sale_price"] <= p["regular_price"] for p in products)
    assert {c["membership"] for c in snapshot.rows("customers")} == {
        "My Best Buy",
        "My Best Buy Plus",
        "My Best Buy Total",
    }
    assert len({s["city"] for s in snapshot.rows("stores")}) >= 30


def hold_task() -> Task:
    h = EpisodeHarness(bestbuy.env)
    place = stocked(h)
    h.close()
    calls = [
        GoldCall(
            env_id="bestbuy",
            tool="get_stores",
            arguments={"postal_code": place["postal_code"], "sku": place["sku"], "radius_miles": 250},
        ),
        GoldCall(
            env_id="bestbuy",
            tool="reserve_for_pickup",
            arguments={"customer_id": place["customer_id"], "sku": place["sku"], "store_id": place["store_id"]},
        ),
    ]
    task = Task(
        task_id="bestbuy-hold-e2e",
        domain="shopping",
        env_ids=["bestbuy"],
        goal="write",
        query=f"I'm member {place['customer_id']}; hold SKU {place['sku']} for me at store {place['store_id']}.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = hold_task()
    assert {(c.table, c.op) for c in task.gold_changes} >= {
        ("pickup_reservations", "insert"),
        ("store_stock", "update"),
    }
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
