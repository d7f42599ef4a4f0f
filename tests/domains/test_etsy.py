"""The Etsy environment: every tool, the marketplace's rules (ownership, vintage, publishing, stock, vacation
mode, personalization, shipping, reviews), seeding, and a gym episode solved by its gold calls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.shopping import etsy
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

NOT_OWNER = "SELECT user_id FROM users WHERE user_id NOT IN (SELECT user_id FROM shops) ORDER BY user_id LIMIT 1"


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(etsy.env)
    yield harness
    harness.close()


def one(h: EpisodeHarness, query: str, *params: Any) -> dict[str, Any]:
    rows = h.rows(query, *params)
    assert rows, query
    return rows[0]


def buyable(h: EpisodeHarness, where: str = "1") -> tuple[dict[str, Any], dict[str, Any]]:
    """An active listing without variations in an open shop, and a buyer in a country it ships to."""
    listing = one(
        h,
        "SELECT l.*, d.destination_country_iso AS country FROM listings l JOIN shops s ON s.shop_id = l.shop_id "
        "JOIN shipping_profile_destinations d ON d.shipping_profile_id = l.shipping_profile_id "
        "WHERE l.state = 'active' AND s.is_vacation = 0 AND l.quantity >= 2 AND NOT EXISTS "
        f"(SELECT 1 FROM listing_variations v WHERE v.listing_id = l.listing_id) AND {where} ORDER BY l.listing_id",
    )
    buyer = one(
        h,
        "SELECT * FROM users WHERE country_iso = ? AND user_id NOT IN (SELECT user_id FROM shops) "
        "AND user_id NOT IN (SELECT user_id FROM cart_items) ORDER BY user_id",
        listing["country"],
    )
    return listing, buyer


def owner_of(h: EpisodeHarness, shop_id: int) -> int:
    return one(h, "SELECT user_id FROM shops WHERE shop_id = ?", shop_id)["user_id"]


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(name: str, **arguments: Any) -> Any:
        called.add(name)
        return h.ok(name, **arguments)

    listing, buyer = buyable(h, "l.is_personalizable = 1")
    me = ok("get_user", email=buyer["email"].upper())
    assert me["user_id"] == buyer["user_id"] and me["shops"] == []
    found = ok("search_listings", keywords=listing["title"].split(",")[0], ships_to=listing["country"].lower())
    assert listing["listing_id"] in {r["listing_id"] for r in found["results"]}
    details = ok("get_listing_details", listing_id=listing["listing_id"], destination_country_iso=listing["country"])
    assert (
        details["delivery"]["ships"]
        and details["delivery"]["arrives_earliest"] <= details["delivery"]["arrives_latest"]
    )
    shop = ok("get_shop", shop_name=details["shop_name"].lower())
    assert shop["shop_id"] == listing["shop_id"] and shop["shipping_profiles"]
    page = ok("get_shop_listings", shop_id=shop["shop_id"])
    assert page["count"] == shop["active_listing_count"] and all(r["state"] == "active" for r in page["results"])

    favorites = ok("favorite_listing", user_id=buyer["user_id"], listing_id=listing["listing_id"])
    assert listing["listing_id"] in {f["listing_id"] for f in favorites["favorites"]}
    assert ok("get_favorites", user_id=buyer["user_id"])["count"] == favorites["count"]
    assert ok("unfavorite_listing", user_id=buyer["user_id"], listing_id=listing["listing_id"])["count"] == (
        favorites["count"] - 1
    )

    cart = ok("add_to_cart", user_id=buyer["user_id"], listing_id=listing["listing_id"], personalization="Ava")
    assert [i["personalization"] for i in cart["items"]] == ["Ava"]
    assert ok("get_cart", user_id=buyer["user_id"]) == cart
    assert ok("remove_from_cart", user_id=buyer["user_id"], listing_id=listing["listing_id"])["items"] == []
    cart = h.ok(
        "add_to_cart", user_id=buyer["user_id"], listing_id=listing["listing_id"], quantity=2, personalization="Ava"
    )
    expected = cart["shops"][0]["total"]
    receipt = ok("checkout_cart", user_id=buyer["user_id"], shop_id=listing["shop_id"], message_to_seller="Thanks!")
    assert receipt["status"] == "paid" and receipt["grandtotal"] == expected
    assert receipt["transactions"][0]["quantity"] == 2 and receipt["message_from_buyer"] == "Thanks!"
    assert one(h, "SELECT quantity FROM listings WHERE listing_id = ?", listing["listing_id"])["quantity"] == (
        listing["quantity"] - 2
    )
    assert h.ok("get_cart", user_id=buyer["user_id"])["items"] == []
    fees = h.rows("SELECT kind, amount FROM ledger_entries WHERE receipt_id = ? ORDER BY kind", receipt["receipt_id"])
    total = round(receipt["grandtotal"] * 100)
    assert fees == [{"kind": "sale", "amount": total}, {"kind": "transaction_fee", "amount": -round(total * 0.065)}]

    owner = shop["user_id"]
    orders = ok("get_receipts", user_id=owner, shop_id=shop["shop_id"], was_shipped=False)
    assert receipt["receipt_id"] in {r["receipt_id"] for r in orders["receipts"]}
    shipped = ok(
        "create_receipt_shipment",
        user_id=owner,
        receipt_id=receipt["receipt_id"],
        carrier_name="Royal Mail",
        tracking_code="rm 1234 5678 9gb",
    )
    assert shipped["status"] == "completed" and shipped["shipments"][0]["tracking_code"] == "RM123456789GB"
    assert ok("get_receipt", user_id=buyer["user_id"], receipt_id=receipt["receipt_id"])["is_shipped"]
    assert h.ok("get_receipts", user_id=buyer["user_id"])["receipts"][0]["receipt_id"] == receipt["receipt_id"]
    before = one(h, "SELECT review_count FROM shops WHERE shop_id = ?", shop["shop_id"])["review_count"]
    review = ok(
        "create_review",
        user_id=buyer["user_id"],
        transaction_id=shipped["transactions"][0]["transaction_id"],
        rating=5,
        review="Gorgeous.",
    )
    assert review["shop_review_count"] == before + 1

    profile = shop["shipping_profiles"][0]["shipping_profile_id"]
    draft = ok(
        "create_listing",
        user_id=owner,
        shop_id=shop["shop_id"],
        title="Hand Thrown Bowl",
        description="Bowl.",
        price=32.5,
        quantity=4,
        who_made="i_did",
        when_made="made_to_order",
        category="Home & Living",
        tags=["bowl", "pottery"],
        materials=["stoneware"],
    )
    assert draft["state"] == "draft" and draft["fee_charged"] == 0
    live = ok(
        "update_listing", user_id=owner, listing_id=draft["listing_id"], shipping_profile_id=profile, state="active"
    )
    assert live["state"] == "active" and live["fee_charged"] > 0 and live["ending_timestamp"] == "2026-03-14T10:00:00"
    assert ok("update_listing_inventory", user_id=owner, listing_id=draft["listing_id"], quantity=9)["quantity"] == 9
    assert ok("renew_listing", user_id=owner, listing_id=draft["listing_id"])["fee_charged"] > 0
    vacation = ok("update_shop", user_id=owner, shop_id=shop["shop_id"], is_vacation=True, vacation_message="Away")
    assert vacation["is_vacation"] and vacation["vacation_message"] == "Away"
    assert called == set(etsy.env.tools)


def test_only_the_owner_manages_a_shop(h: EpisodeHarness) -> None:
    listing, buyer = buyable(h)
    shop_id, stranger = listing["shop_id"], buyer["user_id"]
    assert "Only the owner" in h.error("update_listing", user_id=stranger, listing_id=listing["listing_id"], price=9.0)
    assert "Only the owner" in h.error(
        "update_listing_inventory", user_id=stranger, listing_id=listing["listing_id"], quantity=3
    )
    assert "Only the owner" in h.error("renew_listing", user_id=stranger, listing_id=listing["listing_id"])
    assert "Only the owner" in h.error("update_shop", user_id=stranger, shop_id=shop_id, is_vacation=True)
    assert "Only the owner" in h.error("get_receipts", user_id=stranger, shop_id=shop_id)
    assert "owner" in h.error("get_shop_listings", shop_id=shop_id, state="expired")
    assert "Only the owner" in h.error("get_shop_listings", shop_id=shop_id, state="draft", user_id=stranger)
    assert "Only the owner" in h.error(
        "create_listing",
        user_id=stranger,
        shop_id=shop_id,
        title="Mug",
        description="A mug.",
        price=20.0,
        quantity=1,
        who_made="i_did",
        when_made="2020_2025",
        category="Home & Living",
    )
    paid = one(h, "SELECT receipt_id FROM receipts WHERE status = 'paid' AND seller_user_id != ? LIMIT 1", stranger)
    assert "Only the owner" in h.error(
        "create_receipt_shipment",
        user_id=stranger,
        receipt_id=paid["receipt_id"],
        carrier_name="usps",
        tracking_code="940011112222333344",
    )
    assert "another account" in h.error("get_receipt", user_id=stranger, receipt_id=paid["receipt_id"])


def test_vintage_needs_twenty_years_and_supplies_are_exempt(h: EpisodeHarness) -> None:
    shop = one(h, "SELECT shop_id, user_id FROM shops ORDER BY shop_id LIMIT 1")
    base = {
        "user_id": shop["user_id"],
        "shop_id": shop["shop_id"],
        "title": "Enamel Teapot",
        "description": "Old.",
        "price": 40.0,
        "quantity": 1,
        "who_made": "someone_else",
        "category": "Home & Living",
    }
    assert "at least 20 years" in h.error("create_listing", **base, when_made="2006_2009")
    assert "at least 20 years" in h.error("create_listing", **base, when_made="2020_2025")
    assert "made to order" in h.error("create_listing", **base, when_made="made_to_order")
    assert h.ok("create_listing", **base, when_made="2000_2005")["state"] == "draft"
    supply = {**base, "title": "Glass Beads", "is_supply": True, "category": "Craft Supplies & Tools"}
    assert h.ok("create_listing", **supply, when_made="2020_2025")["state"] == "draft"


def test_listing_rules_for_drafts_fees_stock_and_renewal(h: EpisodeHarness) -> None:
    shop = one(h, "SELECT shop_id, user_id FROM shops ORDER BY shop_id LIMIT 1")
    owner = shop["user_id"]
    base = {
        "user_id": owner,
        "shop_id": shop["shop_id"],
        "description": "Made by hand.",
        "quantity": 2,
        "who_made": "i_did",
        "when_made": "2020_2025",
        "category": "Jewelry",
    }
    assert "shipping profile" in h.error("create_listing", **base, title="Ring", price=30.0, state="active")
    assert "positive amount" in h.error("create_listing", **base, title="Ring", price=0.0)
    assert "positive amount" in h.error("create_listing", **base, title="Ring", price=1.005)
    assert "13 tags" in h.error("create_listing", **base, title="Ring", price=30.0, tags=[f"t{i}" for i in range(14)])
    assert "character limit" in h.error("create_listing", **base, title="Ring", price=30.0, is_personalizable=True)
    draft = h.ok("create_listing", **base, title="Ring", price=30.0)
    assert "already has a listing" in h.error("create_listing", **base, title="Ring", price=30.0)
    assert "never published" in h.error(
        "update_listing", user_id=owner, listing_id=draft["listing_id"], state="inactive"
    )
    assert "publish it instead" in h.error("renew_listing", user_id=owner, listing_id=draft["listing_id"])
    assert "Nothing to change" in h.error("update_listing", user_id=owner, listing_id=draft["listing_id"], price=30.0)

    active = one(
        h,
        "SELECT l.* FROM listings l WHERE state = 'active' AND quantity > 0 AND NOT EXISTS "
        "(SELECT 1 FROM listing_variations v WHERE v.listing_id = l.listing_id) ORDER BY listing_id",
    )
    owner = active["user_id"]
    out = h.ok("update_listing_inventory", user_id=owner, listing_id=active["listing_id"], quantity=0)
    assert out["state"] == "sold_out" and out["fee_charged"] == 0
    assert "restock" in h.error("update_listing", user_id=owner, listing_id=active["listing_id"], state="active")
    assert "no stock" in h.error("renew_listing", user_id=owner, listing_id=active["listing_id"])
    back = h.ok("update_listing_inventory", user_id=owner, listing_id=active["listing_id"], quantity=6)
    assert back["state"] == "active" and back["fee_charged"] > 0 and back["ending_timestamp"] == "2026-03-14T10:00:00"
    off = h.ok("update_listing", user_id=owner, listing_id=active["listing_id"], state="inactive")
    assert off["state"] == "inactive"
    assert "deactivated" in h.error("renew_listing", user_id=owner, listing_id=active["listing_id"])
    assert h.ok("update_listing", user_id=owner, listing_id=active["listing_id"], state="active")["fee_charged"] == 0

    expired = one(h, "SELECT listing_id, user_id FROM listings WHERE state = 'expired' AND quantity > 0 LIMIT 1")
    assert "renew it" in h.error("update_listing", **expired, state="active")
    renewed = h.ok("renew_listing", **expired)
    assert renewed["state"] == "active" and renewed["ending_timestamp"] == "2026-03-14T10:00:00"

    variant = one(
        h, "SELECT l.listing_id, l.user_id FROM listings l JOIN listing_variations v USING (listing_id) LIMIT 1"
    )
    assert "has variations" in h.error("update_listing_inventory", **variant, quantity=3)
    assert "priced per variation" in h.error("update_listing", **variant, price=10.0)


def test_buying_refusals_change_nothing(h: EpisodeHarness) -> None:
    listing, buyer = buyable(h, "l.personalization_is_required = 1")
    user = buyer["user_id"]
    assert "requires personalization" in h.error("add_to_cart", user_id=user, listing_id=listing["listing_id"])
    too_long = "x" * (listing["personalization_char_count_max"] + 1)
    assert "limited to" in h.error(
        "add_to_cart", user_id=user, listing_id=listing["listing_id"], personalization=too_long
    )
    assert "only" in h.error(
        "add_to_cart",
        user_id=user,
        listing_id=listing["listing_id"],
        personalization="Al",
        quantity=listing["quantity"] + 1,
    )
    plain, plain_buyer = buyable(h, "l.is_personalizable = 0")
    assert "cannot be personalized" in h.error(
        "add_to_cart", user_id=plain_buyer["user_id"], listing_id=plain["listing_id"], personalization="Al"
    )
    own = one(
        h,
        "SELECT l.listing_id, l.user_id FROM listings l JOIN shops s USING (shop_id) "
        "WHERE l.state = 'active' AND s.is_vacation = 0 LIMIT 1",
    )
    assert "own shop" in h.error("add_to_cart", user_id=own["user_id"], listing_id=own["listing_id"])
    away = one(
        h,
        "SELECT l.listing_id FROM listings l JOIN shops s USING (shop_id) "
        "WHERE l.state = 'active' AND s.is_vacation = 1 LIMIT 1",
    )
    assert "on vacation" in h.error("add_to_cart", user_id=user, listing_id=away["listing_id"])
    sold = one(h, "SELECT listing_id FROM listings WHERE state = 'sold_out' LIMIT 1")
    assert "sold out" in h.error("add_to_cart", user_id=user, listing_id=sold["listing_id"])
    variant = one(
        h,
        "SELECT l.listing_id FROM listings l JOIN shops s USING (shop_id) JOIN shipping_profile_destinations d "
        "ON d.shipping_profile_id = l.shipping_profile_id AND d.destination_country_iso = ? "
        "WHERE l.state = 'active' AND s.is_vacation = 0 AND l.is_personalizable = 0 "
        "AND EXISTS (SELECT 1 FROM listing_variations v WHERE v.listing_id = l.listing_id) LIMIT 1",
        buyer["country_iso"],
    )
    assert "Choose one of" in h.error("add_to_cart", user_id=user, listing_id=variant["listing_id"])
    far = one(
        h,
        "SELECT l.listing_id FROM listings l JOIN shops s USING (shop_id) WHERE l.state = 'active' "
        "AND s.is_vacation = 0 AND NOT EXISTS (SELECT 1 FROM shipping_profile_destinations d "
        "WHERE d.shipping_profile_id = l.shipping_profile_id AND d.destination_country_iso = ?) LIMIT 1",
        buyer["country_iso"],
    )
    assert "does not ship" in h.error("add_to_cart", user_id=user, listing_id=far["listing_id"])
    assert "nothing from" in h.error("checkout_cart", user_id=user, shop_id=listing["shop_id"])


def test_vacation_mode_stops_purchases_and_hides_listings(h: EpisodeHarness) -> None:
    listing, buyer = buyable(h, "l.personalization_is_required = 0")
    h.ok("add_to_cart", user_id=buyer["user_id"], listing_id=listing["listing_id"])
    owner = owner_of(h, listing["shop_id"])
    h.ok("update_shop", user_id=owner, shop_id=listing["shop_id"], is_vacation=True, vacation_message="Back soon")
    assert "Back soon" in h.error("checkout_cart", user_id=buyer["user_id"], shop_id=listing["shop_id"])
    keywords = listing["title"].split(",")[0]
    assert listing["listing_id"] not in {r["listing_id"] for r in h.ok("search_listings", keywords=keywords)["results"]}
    assert "already on vacation" in h.error("update_shop", user_id=owner, shop_id=listing["shop_id"], is_vacation=True)
    h.ok("update_shop", user_id=owner, shop_id=listing["shop_id"], is_vacation=False)
    assert h.ok("checkout_cart", user_id=buyer["user_id"], shop_id=listing["shop_id"])["status"] == "paid"


def test_buying_the_last_one_sells_the_listing_out(h: EpisodeHarness) -> None:
    listing, buyer = buyable(h, "l.personalization_is_required = 0")
    h.ok("add_to_cart", user_id=buyer["user_id"], listing_id=listing["listing_id"], quantity=listing["quantity"])
    h.ok("checkout_cart", user_id=buyer["user_id"], shop_id=listing["shop_id"])
    after = one(h, "SELECT state, quantity FROM listings WHERE listing_id = ?", listing["listing_id"])
    assert after == {"state": "sold_out", "quantity": 0}


def test_search_filters_by_dollar_budget_type_and_destination(h: EpisodeHarness) -> None:
    page = h.ok(
        "search_listings",
        keywords="vintage",
        item_type="vintage",
        max_price=50,
        sort_on="price",
        sort_order="asc",
        ships_to="GB",
        limit=50,
    )
    prices = [r["price_usd"] for r in page["results"]]
    assert page["count"] > 10 and prices == sorted(prices) and max(prices) <= 50
    assert {r["item_type"] for r in page["results"]} == {"vintage"}
    converted = [r for r in page["results"] if r["currency_code"] != "USD"]
    assert converted and all(r["price_usd"] != r["price"] for r in converted)
    assert "at least one keyword" in h.error("search_listings", keywords="  ")
    assert "between 1 and 50" in h.error("search_listings", keywords="ring", limit=51)


def test_review_rules(h: EpisodeHarness) -> None:
    paid = one(
        h,
        "SELECT t.transaction_id, r.buyer_user_id FROM transactions t JOIN receipts r USING (receipt_id) "
        "WHERE r.status = 'paid' LIMIT 1",
    )
    assert "has shipped" in h.error(
        "create_review", user_id=paid["buyer_user_id"], transaction_id=paid["transaction_id"], rating=5
    )
    reviewed = one(
        h,
        "SELECT transaction_id, buyer_user_id FROM reviews r WHERE EXISTS (SELECT 1 FROM "
        "receipt_shipments x WHERE x.receipt_id = r.receipt_id AND x.shipped_timestamp > '2025-08-20') "
        "LIMIT 1",
    )
    assert "already reviewed" in h.error(
        "create_review", user_id=reviewed["buyer_user_id"], transaction_id=reviewed["transaction_id"], rating=4
    )
    old = one(
        h,
        "SELECT t.transaction_id, r.buyer_user_id FROM transactions t JOIN receipts r USING (receipt_id) "
        "JOIN receipt_shipments x USING (receipt_id) WHERE x.shipped_timestamp < '2025-08-01' "
        "AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.transaction_id = t.transaction_id) LIMIT 1",
    )
    assert "100 days" in h.error(
        "create_review", user_id=old["buyer_user_id"], transaction_id=old["transaction_id"], rating=3
    )
    stranger = one(h, NOT_OWNER + " OFFSET 3")["user_id"]
    assert "Only the buyer" in h.error(
        "create_review", user_id=stranger, transaction_id=old["transaction_id"], rating=3
    )
    assert "1 to 5" in h.error(
        "create_review", user_id=old["buyer_user_id"], transaction_id=old["transaction_id"], rating=6
    )


def test_shipment_rules(h: EpisodeHarness) -> None:
    paid = one(h, "SELECT receipt_id, seller_user_id FROM receipts WHERE status = 'paid' LIMIT 1")
    args = {"user_id": paid["seller_user_id"], "receipt_id": paid["receipt_id"]}
    assert "Unknown carrier" in h.error(
        "create_receipt_shipment", **args, carrier_name="pigeon", tracking_code="12345678"
    )
    assert "not a tracking code" in h.error("create_receipt_shipment", **args, carrier_name="usps", tracking_code="12")
    done = one(h, "SELECT receipt_id, seller_user_id AS user_id FROM receipts WHERE is_shipped = 1 LIMIT 1")
    assert "already marked" in h.error(
        "create_receipt_shipment", **done, carrier_name="usps", tracking_code="940011112222333344"
    )
    canceled = one(h, "SELECT receipt_id, seller_user_id AS user_id FROM receipts WHERE status = 'canceled' LIMIT 1")
    assert "canceled" in h.error(
        "create_receipt_shipment", **canceled, carrier_name="usps", tracking_code="940011112222333344"
    )


def test_favorites_rules(h: EpisodeHarness) -> None:
    fav = one(
        h,
        "SELECT f.user_id, f.listing_id FROM favorite_listings f JOIN listings l USING (listing_id) "
        "WHERE l.state = 'active' LIMIT 1",
    )
    assert "already in your favorites" in h.error("favorite_listing", **fav)
    expired = one(h, "SELECT listing_id FROM listings WHERE state = 'expired' LIMIT 1")
    assert "not active" in h.error("favorite_listing", user_id=fav["user_id"], listing_id=expired["listing_id"])
    assert "not in your favorites" in h.error(
        "unfavorite_listing", user_id=fav["user_id"], listing_id=expired["listing_id"]
    )


def test_seeded_world_is_realistic() -> None:
    snapshot = get_snapshot(etsy.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["shops"] >= 200 and counts["listings"] >= 1400 and counts["users"] >= 500
    assert counts["receipts"] >= 600 and counts["favorite_listings"] >= 1000 and counts["reviews"] >= 100
    listings = snapshot.rows("listings")
    states = {row["state"] for row in listings}
    assert states == {"draft", "active", "inactive", "sold_out", "expired"}
    vintage = [row for row in listings if row["who_made"] == "someone_else" and not row["is_supply"]]
    assert vintage and all(row["when_made"] not in ("2020_2025", "2010_2019", "2006_2009") for row in vintage)
    assert sum(row["is_personalizable"] for row in listings) > 200
    assert len({row["shop_name"] for row in snapshot.rows("shops")}) == counts["shops"]


def purchase_task() -> Task:
    h = EpisodeHarness(etsy.env)
    listing, buyer = buyable(h, "l.personalization_is_required = 1")
    h.close()
    user, lid = buyer["user_id"], listing["listing_id"]
    calls = [
        GoldCall(env_id="etsy", tool="get_user", arguments={"email": buyer["email"]}),
        GoldCall(
            env_id="etsy", tool="add_to_cart", arguments={"user_id": user, "listing_id": lid, "personalization": "Ava"}
        ),
        GoldCall(env_id="etsy", tool="checkout_cart", arguments={"user_id": user, "shop_id": listing["shop_id"]}),
    ]
    task = Task(
        task_id="etsy-buy-e2e",
        domain="shopping",
        env_ids=["etsy"],
        goal="write",
        query=f"I'm {buyer['email']}; buy the {listing['title']} with the name Ava on it.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = purchase_task()
    assert {(c.table, c.op) for c in task.gold_changes} >= {("receipts", "insert"), ("transactions", "insert")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
