"""The eBay marketplace: every tool, the bidding, offer, listing, shipping, return and feedback rules,
seeding, and a gym episode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.shopping import ebay
from envfactory_gym.domains.shopping.ebay.auction import minimum_bid, standing
from envfactory_gym.domains.shopping.ebay.models import NOW, bid_increment
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

STAMP = NOW.isoformat()
LIVE = f"listing_status = 'ACTIVE' AND end_time > '{STAMP}'"


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(ebay.env)
    yield harness
    harness.close()


def one(h: EpisodeHarness, query: str, *params: Any) -> dict[str, Any]:
    rows = h.rows(query + " LIMIT 1", *params)
    assert rows, query
    return rows[0]


def stranger(h: EpisodeHarness, *excluded: str | None) -> str:
    names = [e for e in excluded if e]
    marks = ",".join("?" for _ in names) or "''"
    return one(h, f"SELECT username FROM users WHERE username NOT IN ({marks}) ORDER BY username", *names)["username"]


def live_auction(h: EpisodeHarness, bids: bool) -> dict[str, Any]:
    return one(
        h,
        f"SELECT * FROM items WHERE buying_format = 'AUCTION' AND {LIVE} AND bid_count {'>' if bids else '='} 0 "
        "AND reserve_price IS NULL AND end_time > ? ORDER BY item_id",
        (NOW + dt.timedelta(hours=13)).isoformat(),
    )


def test_proxy_bidding_rules() -> None:
    assert bid_increment(99) == 5 and bid_increment(2500) == 100 and bid_increment(100000) == 2500
    assert standing([], 500, None) == (500, None)
    assert standing([("ann", 2000)], 500, None) == (500, "ann")
    # The runner-up's maximum plus one increment, never above the leader's maximum.
    assert standing([("ann", 2000), ("bob", 1200)], 500, None) == (1250, "ann")
    assert standing([("ann", 2000), ("bob", 1990)], 500, None) == (2000, "ann")
    # A tie goes to the earlier bid; a met reserve lifts the price to it.
    assert standing([("ann", 1500), ("bob", 1500)], 500, None) == (1500, "ann")
    assert standing([("ann", 3000)], 500, 2500) == (2500, "ann")
    assert standing([("ann", 2000)], 500, 2500) == (500, "ann")
    assert minimum_bid(500, 0) == 500 and minimum_bid(500, 1) == 550


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(name: str, **arguments: Any) -> Any:
        called.add(name)
        return h.ok(name, **arguments)

    roots = ok("get_categories")
    assert {c["name"] for c in roots} >= {"Cameras & Photo", "Collectibles"} and not any(c["leaf"] for c in roots)
    cameras = ok("get_categories", parent_id="625")
    assert all(c["leaf"] and c["parent_id"] == "625" for c in cameras)
    assert next(c for c in roots if c["category_id"] == "625")["active_listings"] == sum(
        c["active_listings"] for c in cameras
    )
    page = ok("search_items", category_id="625", condition="USED", sort="price", limit=20)
    assert page["total"] >= len(page["items"]) > 3
    totals = [i["price"] + i["shipping_cost"] for i in page["items"]]
    assert totals == sorted(totals) and all(i["condition"] == "USED" for i in page["items"])
    details = ok("get_item_details", item_id=page["items"][0]["item_id"])
    assert details["category_id"] in {c["category_id"] for c in cameras}
    profile = ok("get_user_profile", username=details["seller"])
    assert (
        profile["feedback_score"]
        == details["seller_feedback_score"]
        == (profile["positive_count"] - profile["negative_count"])
    )

    auction = live_auction(h, bids=True)
    bidder = stranger(h, auction["seller"], auction["high_bidder"])
    least = minimum_bid(auction["price"], auction["bid_count"])
    bid = ok("place_bid", username=bidder, item_id=auction["item_id"], max_amount=least + 50_000)
    assert bid["high_bidder"] and bid["bid_count"] == auction["bid_count"] + 1
    assert any(
        a["item_id"] == auction["item_id"] and a["high_bidder"] for a in ok("get_bidding", username=bidder)["auctions"]
    )

    fixed = one(
        h,
        f"SELECT * FROM items WHERE buying_format = 'FIXED_PRICE' AND {LIVE} AND quantity >= 2 AND seller != ? "
        "ORDER BY item_id",
        bidder,
    )
    order = ok("buy_it_now", username=bidder, item_id=fixed["item_id"])
    assert order["payment_status"] == "PAID" and order["total"] == fixed["price"] + fixed["shipping_cost"]
    assert (
        h.rows("SELECT quantity FROM items WHERE item_id = ?", fixed["item_id"])[0]["quantity"] == fixed["quantity"] - 1
    )
    assert order["order_id"] in {o["order_id"] for o in ok("get_orders", username=bidder)["orders"]}
    shipped = ok(
        "mark_order_shipped", username=fixed["seller"], order_id=order["order_id"], carrier="UPS",
        tracking_number="1Z999AA10123456784",
    )  # fmt: skip
    assert shipped["fulfillment_status"] == "SHIPPED" and shipped["tracking_number"] == "1Z999AA10123456784"
    assert ok("get_order_details", username=bidder, order_id=order["order_id"])["carrier"] == "UPS"

    offered = one(
        h,
        f"SELECT * FROM items WHERE best_offer_enabled = 1 AND {LIVE} AND minimum_offer_price IS NULL "
        "AND auto_accept_price IS NULL AND seller != ? AND item_id NOT IN "
        "(SELECT item_id FROM best_offers WHERE buyer = ?) ORDER BY item_id",
        bidder,
        bidder,
    )
    offer = ok("make_best_offer", username=bidder, item_id=offered["item_id"], price=offered["price"] - 100)
    assert offer["status"] == "PENDING"
    assert offer["offer_id"] in {o["offer_id"] for o in ok("get_offers", username=bidder, role="buyer")}
    answered = ok("respond_to_offer", username=offered["seller"], offer_id=offer["offer_id"], action="accept")
    assert answered["status"] == "ACCEPTED" and answered["order_id"]

    watch = ok("watch_item", username=bidder, item_id=auction["item_id"])
    assert watch["watch_count"] == auction["watch_count"] + 1
    assert auction["item_id"] in {i["item_id"] for i in ok("get_watchlist", username=bidder)["items"]}
    assert not ok("unwatch_item", username=bidder, item_id=auction["item_id"])["watching"]

    seller = fixed["seller"]
    listing = ok(
        "create_listing", username=seller, title="Nikon D750 Body", category_id="31388", condition="USED",
        price=45000, shipping_cost=1299, return_days=30,
    )  # fmt: skip
    assert listing["listing_status"] == "ACTIVE" and listing["end_time"] == (NOW + dt.timedelta(days=30)).isoformat()
    revised = ok("revise_listing", username=seller, item_id=listing["item_id"], price=42000, shipping_cost=0)
    assert (revised["price"], revised["shipping_cost"]) == (42000, 0)
    assert listing["item_id"] in {i["item_id"] for i in ok("get_my_listings", username=seller, limit=50)["listings"]}
    assert (
        ok("end_listing", username=seller, item_id=listing["item_id"], reason="NOT_AVAILABLE")["listing_status"]
        == "ENDED"
    )

    delivered = one(
        h,
        "SELECT o.*, l.item_id, l.unit_price, l.shipping_cost AS line_shipping FROM orders o "
        "JOIN line_items l ON l.order_id = o.order_id WHERE o.fulfillment_status = 'DELIVERED' AND o.delivered_at > ? "
        "AND NOT EXISTS (SELECT 1 FROM returns r WHERE r.order_id = o.order_id) "
        "AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.order_id = o.order_id) ORDER BY o.order_id",
        (NOW - dt.timedelta(days=20)).isoformat(),
    )
    opened = ok(
        "request_return", username=delivered["buyer"], order_id=delivered["order_id"], item_id=delivered["item_id"],
        reason="ARRIVED_DAMAGED", comments="The screen is cracked.",
    )  # fmt: skip
    assert opened["return_shipping_paid_by"] == "seller"
    assert opened["refund_amount"] == delivered["unit_price"] + delivered["line_shipping"]
    before = h.rows("SELECT positive_count FROM users WHERE username = ?", delivered["seller"])[0]["positive_count"]
    result = ok("leave_feedback", username=delivered["buyer"], order_id=delivered["order_id"], rating="POSITIVE",
                comment="Great seller, quick to sort out the return.")  # fmt: skip
    after = h.rows("SELECT positive_count FROM users WHERE username = ?", delivered["seller"])[0]["positive_count"]
    assert after == before + 1 and result["to_user"] == delivered["seller"]
    assert called == set(ebay.env.tools)


def test_bidding_rules_are_refused_without_changes(h: EpisodeHarness) -> None:
    auction = live_auction(h, bids=True)
    bidder = stranger(h, auction["seller"], auction["high_bidder"])
    least = minimum_bid(auction["price"], auction["bid_count"])
    assert "own listing" in h.error(
        "place_bid", username=auction["seller"], item_id=auction["item_id"], max_amount=least
    )
    assert "at least" in h.error("place_bid", username=bidder, item_id=auction["item_id"], max_amount=least - 1)
    ended = one(h, "SELECT * FROM items WHERE buying_format = 'AUCTION' AND listing_status = 'ENDED' ORDER BY item_id")
    other = stranger(h, ended["seller"])
    assert "ended" in h.error("place_bid", username=other, item_id=ended["item_id"], max_amount=10**6)
    fixed = one(h, f"SELECT * FROM items WHERE buying_format = 'FIXED_PRICE' AND {LIVE} ORDER BY item_id")
    assert "not an auction" in h.error("place_bid", username=stranger(h, fixed["seller"]), item_id=fixed["item_id"],
                                       max_amount=fixed["price"])  # fmt: skip
    leader = auction["high_bidder"]
    own_max = h.rows(
        "SELECT MAX(max_amount) AS m FROM bids WHERE item_id = ? AND bidder = ?", auction["item_id"], leader
    )
    assert "already the high bidder" in h.error(
        "place_bid", username=leader, item_id=auction["item_id"], max_amount=own_max[0]["m"]
    )


def test_a_lower_maximum_is_outbid_and_buy_it_now_disappears(h: EpisodeHarness) -> None:
    auction = one(
        h,
        f"SELECT * FROM items WHERE buying_format = 'AUCTION' AND {LIVE} AND bid_count = 0 "
        "AND buy_it_now_price IS NOT NULL AND reserve_price IS NULL ORDER BY item_id",
    )
    first = stranger(h, auction["seller"])
    second = stranger(h, auction["seller"], first)
    start = auction["start_price"]
    opening = h.ok("place_bid", username=first, item_id=auction["item_id"], max_amount=start + 2000)
    assert opening["high_bidder"] and opening["current_price"] == start
    # The first bid removes the Buy It Now option.
    assert "disappeared with the first bid" in h.error("buy_it_now", username=second, item_id=auction["item_id"])
    outbid = h.ok("place_bid", username=second, item_id=auction["item_id"], max_amount=start + 1000)
    assert not outbid["high_bidder"]
    assert outbid["current_price"] == start + 1000 + bid_increment(start + 1000)
    row = h.rows("SELECT high_bidder, bid_count FROM items WHERE item_id = ?", auction["item_id"])[0]
    assert row == {"high_bidder": first, "bid_count": 2}


def test_only_the_seller_revises_or_ends_and_bids_lock_an_auction(h: EpisodeHarness) -> None:
    auction = live_auction(h, bids=True)
    outsider = stranger(h, auction["seller"])
    assert "Only the seller" in h.error("revise_listing", username=outsider, item_id=auction["item_id"], price=5000)
    assert "Only the seller" in h.error(
        "end_listing", username=outsider, item_id=auction["item_id"], reason="OTHER_LISTING_ERROR"
    )
    assert "only its description" in h.error(
        "revise_listing", username=auction["seller"], item_id=auction["item_id"], price=auction["start_price"] + 100
    )
    h.ok("revise_listing", username=auction["seller"], item_id=auction["item_id"], description="Now with the box.")
    closing = one(
        h,
        f"SELECT * FROM items WHERE buying_format = 'AUCTION' AND {LIVE} AND bid_count > 0 AND end_time < ? "
        "ORDER BY item_id",
        (NOW + dt.timedelta(hours=12)).isoformat(),
    )
    assert "can no longer be ended early" in h.error(
        "end_listing", username=closing["seller"], item_id=closing["item_id"], reason="NOT_AVAILABLE"
    )
    quiet = live_auction(h, bids=False)
    ended = h.ok("end_listing", username=quiet["seller"], item_id=quiet["item_id"], reason="NOT_AVAILABLE")
    assert ended["listing_status"] == "ENDED"
    assert "ended" in h.error("revise_listing", username=quiet["seller"], item_id=quiet["item_id"], price=5000)
    # Ending an auction with bids well before its end cancels the bids.
    early = live_auction(h, bids=True)
    h.ok("end_listing", username=early["seller"], item_id=early["item_id"], reason="LOST_OR_BROKEN")
    assert h.rows("SELECT COUNT(*) AS n FROM bids WHERE item_id = ?", early["item_id"])[0]["n"] == 0


def test_create_listing_rules(h: EpisodeHarness) -> None:
    seller = one(h, "SELECT username FROM users ORDER BY username")["username"]
    base = {"username": seller, "title": "Pentax K1000", "category_id": "15230", "condition": "USED", "price": 9900}
    assert "leaf category" in h.error("create_listing", **{**base, "category_id": "625"})
    assert "exactly one item" in h.error("create_listing", **{**base, "buying_format": "AUCTION", "quantity": 2})
    assert "30% above" in h.error("create_listing", **{**base, "buying_format": "AUCTION", "buy_it_now_price": 12000})
    assert "reserve price must be above" in h.error(
        "create_listing", **{**base, "buying_format": "AUCTION", "reserve_price": 9000}
    )
    assert "1, 3, 5, 7 or 10" in h.error("create_listing", **{**base, "buying_format": "AUCTION", "duration_days": 4})
    assert "Good 'Til Cancelled" in h.error("create_listing", **{**base, "duration_days": 7})
    assert "Best offers are only" in h.error(
        "create_listing", **{**base, "buying_format": "AUCTION", "best_offer_enabled": True}
    )
    assert "30 or 60 days" in h.error("create_listing", **{**base, "return_days": 14})
    assert "at least $0.99" in h.error("create_listing", **{**base, "price": 50})
    auction = h.ok("create_listing", **{**base, "buying_format": "AUCTION", "duration_days": 3, "reserve_price": 15000})
    assert auction["end_time"] == (NOW + dt.timedelta(days=3)).isoformat()
    details = h.ok("get_item_details", item_id=auction["item_id"])
    assert details["reserve_met"] is False and details["minimum_bid"] == 9900 and "reserve_price" not in details


def test_best_offer_rules(h: EpisodeHarness) -> None:
    closed = one(h, f"SELECT * FROM items WHERE buying_format = 'FIXED_PRICE' AND best_offer_enabled = 0 AND {LIVE}")
    buyer = stranger(h, closed["seller"])
    assert "does not accept offers" in h.error("make_best_offer", username=buyer, item_id=closed["item_id"], price=100)
    item = one(
        h,
        f"SELECT * FROM items WHERE best_offer_enabled = 1 AND {LIVE} AND minimum_offer_price IS NOT NULL "
        "AND auto_accept_price IS NOT NULL AND quantity >= 2 ORDER BY item_id",
    )
    buyer = stranger(
        h,
        item["seller"],
        *[o["buyer"] for o in h.rows("SELECT buyer FROM best_offers WHERE item_id = ?", item["item_id"])],
    )
    assert "own listing" in h.error("make_best_offer", username=item["seller"], item_id=item["item_id"], price=100)
    assert "below the Buy It Now" in h.error(
        "make_best_offer", username=buyer, item_id=item["item_id"], price=item["price"]
    )
    low = h.ok("make_best_offer", username=buyer, item_id=item["item_id"], price=item["minimum_offer_price"] - 100)
    assert low["status"] == "DECLINED"
    pending = h.ok("make_best_offer", username=buyer, item_id=item["item_id"], price=item["minimum_offer_price"])
    assert pending["status"] == "PENDING"
    assert "waiting for the seller" in h.error(
        "make_best_offer", username=buyer, item_id=item["item_id"], price=item["minimum_offer_price"]
    )
    assert "Only the listing's seller" in h.error(
        "respond_to_offer", username=buyer, offer_id=pending["offer_id"], action="accept"
    )
    h.ok("respond_to_offer", username=item["seller"], offer_id=pending["offer_id"], action="decline")
    assert "already declined" in h.error(
        "respond_to_offer", username=item["seller"], offer_id=pending["offer_id"], action="accept"
    )
    accepted = h.ok("make_best_offer", username=buyer, item_id=item["item_id"], price=item["auto_accept_price"])
    assert accepted["status"] == "ACCEPTED" and accepted["order_id"]
    assert "3 offers" in h.error(
        "make_best_offer", username=buyer, item_id=item["item_id"], price=item["minimum_offer_price"]
    )


def test_watchlist_and_shipping_rules(h: EpisodeHarness) -> None:
    watch = one(
        h,
        "SELECT w.* FROM watchlist w JOIN items i ON i.item_id = w.item_id WHERE "
        + LIVE.replace("listing", "i.listing"),
    )
    assert "already on your watchlist" in h.error("watch_item", username=watch["username"], item_id=watch["item_id"])
    ended = one(h, "SELECT item_id FROM items WHERE listing_status = 'ENDED'")["item_id"]
    assert "ended" in h.error("watch_item", username=watch["username"], item_id=ended)
    unwatched = one(
        h,
        "SELECT item_id FROM items WHERE item_id NOT IN (SELECT item_id FROM watchlist WHERE username = ?)",
        watch["username"],
    )
    assert "not on your watchlist" in h.error("unwatch_item", username=watch["username"], item_id=unwatched["item_id"])
    unpaid = one(h, "SELECT * FROM orders WHERE payment_status = 'PENDING'")
    assert "not been paid" in h.error("mark_order_shipped", username=unpaid["seller"], order_id=unpaid["order_id"],
                                      carrier="USPS", tracking_number="94001118992233")  # fmt: skip
    shipped = one(h, "SELECT * FROM orders WHERE fulfillment_status = 'SHIPPED'")
    assert "already shipped" in h.error("mark_order_shipped", username=shipped["seller"], order_id=shipped["order_id"],
                                        carrier="USPS", tracking_number="94001118992233")  # fmt: skip
    waiting = one(h, "SELECT * FROM orders WHERE fulfillment_status = 'NOT_STARTED' AND payment_status = 'PAID'")
    assert "Only the seller" in h.error("mark_order_shipped", username=waiting["buyer"], order_id=waiting["order_id"],
                                        carrier="USPS", tracking_number="94001118992233")  # fmt: skip
    assert "8 to 30" in h.error("mark_order_shipped", username=waiting["seller"], order_id=waiting["order_id"],
                                carrier="USPS", tracking_number="123")  # fmt: skip
    assert "not one of your orders" in h.error(
        "get_order_details", username=stranger(h, waiting["buyer"], waiting["seller"]), order_id=waiting["order_id"]
    )


def delivered(h: EpisodeHarness, where: str, *params: Any) -> dict[str, Any]:
    return one(
        h,
        "SELECT o.*, l.item_id, i.return_days, i.returns_accepted, "
        "julianday(?) - julianday(date(o.delivered_at)) AS age "
        "FROM orders o JOIN line_items l ON l.order_id = o.order_id JOIN items i ON i.item_id = l.item_id "
        "WHERE o.fulfillment_status = 'DELIVERED' "
        "AND NOT EXISTS (SELECT 1 FROM returns r WHERE r.order_id = o.order_id) "
        f"AND {where} ORDER BY o.order_id",
        NOW.date().isoformat(),
        *params,
    )


def test_return_windows_and_the_money_back_guarantee(h: EpisodeHarness) -> None:
    no_returns = delivered(h, "i.returns_accepted = 0 AND age <= 25")
    args = {"username": no_returns["buyer"], "order_id": no_returns["order_id"], "item_id": no_returns["item_id"]}
    assert "does not accept returns" in h.error("request_return", **args, reason="NO_LONGER_NEEDED")
    covered = h.ok("request_return", **args, reason="NOT_AS_DESCRIBED")
    assert covered["return_shipping_paid_by"] == "seller"
    assert "already open" in h.error("request_return", **args, reason="ARRIVED_DAMAGED")
    stale = delivered(h, "i.returns_accepted = 1 AND i.return_days = 30 AND age > 33")
    stale_args = {"username": stale["buyer"], "order_id": stale["order_id"], "item_id": stale["item_id"]}
    assert "closed on" in h.error("request_return", **stale_args, reason="ARRIVED_DAMAGED")
    assert "Only the buyer" in h.error(
        "request_return", **{**stale_args, "username": stale["seller"]}, reason="DOES_NOT_FIT"
    )
    long_window = delivered(h, "i.return_days = 60 AND age BETWEEN 32 AND 58")
    opened = h.ok("request_return", username=long_window["buyer"], order_id=long_window["order_id"],
                  item_id=long_window["item_id"], reason="DOES_NOT_FIT")  # fmt: skip
    assert opened["status"] == "OPEN"
    in_transit = one(
        h,
        "SELECT o.*, l.item_id FROM orders o JOIN line_items l ON l.order_id = o.order_id "
        "WHERE o.fulfillment_status = 'SHIPPED'",
    )
    in_transit_args = {"order_id": in_transit["order_id"], "item_id": in_transit["item_id"]}
    assert "not been delivered" in h.error(
        "request_return", username=in_transit["buyer"], **in_transit_args, reason="ARRIVED_DAMAGED"
    )


def test_feedback_rules(h: EpisodeHarness) -> None:
    order = one(
        h,
        "SELECT * FROM orders o WHERE fulfillment_status = 'DELIVERED' AND created_at > ? "
        "AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.order_id = o.order_id) ORDER BY order_id",
        (NOW - dt.timedelta(days=50)).isoformat(),
    )
    assert "only leave positive" in h.error("leave_feedback", username=order["seller"], order_id=order["order_id"],
                                            rating="NEGATIVE", comment="Slow to pay.")  # fmt: skip
    h.ok(
        "leave_feedback", username=order["seller"], order_id=order["order_id"], rating="POSITIVE", comment="Great buyer"
    )
    assert "already left feedback" in h.error("leave_feedback", username=order["seller"], order_id=order["order_id"],
                                              rating="POSITIVE", comment="Again")  # fmt: skip
    outsider = stranger(h, order["buyer"], order["seller"])
    assert "not one of your orders" in h.error("leave_feedback", username=outsider, order_id=order["order_id"],
                                               rating="POSITIVE", comment="Hi")  # fmt: skip
    old = one(
        h,
        "SELECT * FROM orders WHERE created_at < ? AND payment_status = 'PAID'",
        (NOW - dt.timedelta(days=61)).isoformat(),
    )
    assert "within 60 days" in h.error("leave_feedback", username=old["buyer"], order_id=old["order_id"],
                                       rating="POSITIVE", comment="Late but fine")  # fmt: skip


def test_seeded_marketplace_is_realistic() -> None:
    snapshot = get_snapshot(ebay.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["items"] >= 1500 and counts["users"] >= 400 and counts["categories"] >= 40
    assert counts["bids"] >= 1000 and counts["orders"] >= 400 and counts["watchlist"] >= 800
    assert counts["best_offers"] >= 200 and counts["feedback"] >= 200 and counts["returns"] >= 1
    items = snapshot.rows("items")
    formats = {i["buying_format"] for i in items}
    statuses = {i["listing_status"] for i in items}
    assert formats == {"AUCTION", "FIXED_PRICE"} and statuses == {"ACTIVE", "ENDED"}
    assert len({i["condition"] for i in items}) == 6
    orders = snapshot.rows("orders")
    assert {o["fulfillment_status"] for o in orders} == {"NOT_STARTED", "SHIPPED", "DELIVERED"}
    assert {o["payment_status"] for o in orders} >= {"PAID", "PENDING"}
    # Every auction's current price and leader follow from its bids under proxy bidding.
    bids_of: dict[str, list[tuple[str, int]]] = {}
    for bid in sorted(snapshot.rows("bids"), key=lambda b: (b["placed_at"], b["bid_id"])):
        bids_of.setdefault(bid["item_id"], []).append((bid["bidder"], bid["max_amount"]))
    for item in items:
        if item["item_id"] in bids_of:
            assert standing(bids_of[item["item_id"]], item["start_price"], item["reserve_price"]) == (
                item["price"], item["high_bidder"],
            )  # fmt: skip


def bid_task() -> Task:
    h = EpisodeHarness(ebay.env)
    auction = live_auction(h, bids=True)
    bidder = stranger(h, auction["seller"], auction["high_bidder"])
    amount = minimum_bid(auction["price"], auction["bid_count"]) + 10_000
    h.close()
    calls = [
        GoldCall(env_id="ebay", tool="get_item_details", arguments={"item_id": auction["item_id"]}),
        GoldCall(
            env_id="ebay",
            tool="place_bid",
            arguments={"username": bidder, "item_id": auction["item_id"], "max_amount": amount},
        ),
    ]
    task = Task(
        task_id="ebay-bid-e2e",
        domain="shopping",
        env_ids=["ebay"],
        goal="write",
        query=f"I'm {bidder}; put a maximum bid of ${amount / 100:.2f} on item {auction['item_id']}.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = bid_task()
    assert {(c.table, c.op) for c in task.gold_changes} >= {("bids", "insert"), ("items", "update")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)


def test_search_filters_and_listing_views(h: EpisodeHarness) -> None:
    tomorrow = (NOW.date() + dt.timedelta(days=1)).isoformat()
    page = h.ok(
        "search_items", buying_format="AUCTION", ends_by=tomorrow, free_shipping=True, returns_accepted=True,
        min_price=500, max_price=50_000, sort="ending_soonest", limit=50,
    )  # fmt: skip
    expected = h.rows(
        f"SELECT COUNT(*) AS n FROM items WHERE {LIVE} AND buying_format = 'AUCTION' AND end_time < ? "
        "AND shipping_cost = 0 AND returns_accepted = 1 AND price BETWEEN 500 AND 50000",
        (NOW.date() + dt.timedelta(days=2)).isoformat(),
    )[0]["n"]
    assert page["total"] == expected > 0
    ends = [i["end_time"] for i in page["items"]]
    assert ends == sorted(ends) and all(e[:10] <= tomorrow for e in ends)
    assert all(i["shipping_cost"] == 0 and 500 <= i["price"] <= 50_000 for i in page["items"])
    words = h.ok("search_items", q="canon lens", limit=50)["items"]
    assert words and all("canon" in i["title"].lower() and "lens" in i["title"].lower() for i in words)
    seller = page["items"][0]["seller"]
    own = h.ok("search_items", seller=seller, limit=50)
    mine = h.ok("get_my_listings", username=seller, limit=50)
    assert own["total"] == mine["total"] and {i["item_id"] for i in own["items"]} == {
        i["item_id"] for i in mine["listings"]
    }
    ended = h.ok("get_my_listings", username=seller, listing_status="ENDED", limit=50)
    assert all(i["listing_status"] == "ENDED" or i["end_time"] <= STAMP for i in ended["listings"])
    assert "ends_by must be a date" in h.error("search_items", ends_by="tomorrow")
    assert "cannot be above" in h.error("search_items", min_price=500, max_price=100)
    assert "between 1 and 50" in h.error("search_items", limit=51)
    assert "no category" in h.error("get_categories", parent_id="999999")


def test_a_new_price_drops_offer_thresholds_above_it(h: EpisodeHarness) -> None:
    item = one(
        h,
        f"SELECT * FROM items WHERE best_offer_enabled = 1 AND {LIVE} AND auto_accept_price IS NOT NULL "
        "AND minimum_offer_price IS NOT NULL ORDER BY item_id",
    )
    price = item["minimum_offer_price"] + 100
    assert price < item["auto_accept_price"]
    h.ok("revise_listing", username=item["seller"], item_id=item["item_id"], price=price)
    row = h.rows("SELECT price, auto_accept_price, minimum_offer_price FROM items WHERE item_id = ?", item["item_id"])[
        0
    ]
    assert row == {"price": price, "auto_accept_price": None, "minimum_offer_price": item["minimum_offer_price"]}
    assert "Nothing to change" in h.error(
        "revise_listing", username=item["seller"], item_id=item["item_id"], price=price
    )
