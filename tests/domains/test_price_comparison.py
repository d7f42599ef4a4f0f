"""The price tracker: every tool, the coupon and effective-price rules, history statistics, alerts, comparisons,
wrong-price reports and the seeded world."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.shopping import price_comparison
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

pricing = price_comparison.pricing
TODAY = price_comparison.models.NOW.date()


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(price_comparison.env)
    yield harness
    harness.close()


def one(h: EpisodeHarness, sql: str, *params: Any) -> dict[str, Any]:
    rows = h.rows(sql + " LIMIT 1", *params)
    assert rows, sql
    return rows[0]


def free_user(h: EpisodeHarness, active: int) -> dict[str, Any]:
    return one(
        h,
        "SELECT u.* FROM users u WHERE plan = 'free' AND email IS NULL AND wechat_bound = 0 AND (SELECT COUNT(*) "
        "FROM price_alerts a WHERE a.user_id = u.user_id AND a.status = 'active') = ? ORDER BY user_id",
        active,
    )


def unwatched(h: EpisodeHarness, user_id: str) -> dict[str, Any]:
    return one(
        h,
        "SELECT * FROM listings l WHERE price_fen >= 10000 AND pos_id NOT IN (SELECT pos_id FROM price_alerts WHERE "
        "user_id = ?) ORDER BY pos_id",
        user_id,
    )


# --------------------------------------------------------------------------------------------------
# Rules as functions
# --------------------------------------------------------------------------------------------------


def test_prices_are_shop_style_and_never_rounded_up() -> None:
    assert pricing.nice_price(2361) == 2359 and pricing.nice_price(2500) == 2499
    assert pricing.nice_price(269.3) == 269 and pricing.nice_price(49.93) == 49.9 and pricing.nice_price(15.2) == 14.9
    for amount in (105.0, 999.5, 3399.15, 12.34):
        assert pricing.nice_price(amount) <= amount


def test_trend_needs_more_than_three_percent() -> None:
    assert pricing.trend(10000, 10300) == ("stable", 3.0)
    assert pricing.trend(10000, 10301)[0] == "rising"
    assert pricing.trend(10000, 9699)[0] == "falling" and pricing.trend(10000, 9700)[0] == "stable"


def test_best_coupon_needs_its_dates_and_threshold_and_only_one_counts() -> None:
    def coupon(cid: str, threshold: int, discount: int, start: int, end: int) -> dict[str, Any]:
        return {"coupon_id": cid, "threshold_fen": threshold, "discount_fen": discount,
                "starts_on": (TODAY + dt.timedelta(days=start)).isoformat(),
                "ends_on": (TODAY + dt.timedelta(days=end)).isoformat()}  # fmt: skip

    small = coupon("A", 29900, 3000, -3, 3)
    big_unreached = coupon("B", 49900, 8000, -3, 3)
    expired = coupon("C", 9900, 9000, -9, -1)
    upcoming = coupon("D", 9900, 9500, 1, 9)
    last_day = coupon("E", 29900, 4000, -5, 0)
    coupons = [small, big_unreached, expired, upcoming]
    assert pricing.coupon_state(expired, TODAY) == "expired" and pricing.coupon_state(upcoming, TODAY) == "upcoming"
    assert pricing.best_coupon(coupons, 39900, TODAY) == small
    assert pricing.best_coupon(coupons, 29899, TODAY) is None  # just under the threshold
    assert pricing.best_coupon([*coupons, last_day], 39900, TODAY) == last_day  # the end date is included
    assert pricing.effective_fen(39900, 600, small) == 39900 + 600 - 3000


def test_daily_series_and_runs() -> None:
    points = [{"day": "2025-11-01", "price_fen": 100}, {"day": "2025-11-04", "price_fen": 80}]
    series = pricing.daily_prices(points, dt.date(2025, 11, 2), dt.date(2025, 11, 5))
    assert series == [(dt.date(2025, 11, d), p) for d, p in ((2, 100), (3, 100), (4, 80), (5, 80))]
    assert pricing.segments(series) == [
        (dt.date(2025, 11, 2), dt.date(2025, 11, 3), 100),
        (dt.date(2025, 11, 4), dt.date(2025, 11, 5), 80),
    ]


# --------------------------------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------------------------------


def test_search_and_listing_details(h: EpisodeHarness) -> None:
    page = h.ok("search_products", keyword="air fryer", category="appliances")
    assert page["total"] >= 10 and all("Air Fryer" in p["name"] for p in page["products"])
    narrow = h.ok("search_products", keyword="xiaomi 14 512gb")
    assert narrow["products"] and all("Xiaomi 14 16GB+512GB" in p["name"] for p in narrow["products"])
    product = narrow["products"][0]
    details = h.ok("get_pid_pos_details", pid=product["pid"])
    listings = h.rows("SELECT * FROM listings WHERE pid = ?", product["pid"])
    assert {p["pos_id"] for p in details["positions"]} == {x["pos_id"] for x in listings}
    assert product["lowest_price"] == min(x["price_fen"] for x in listings) / 100
    assert sorted(product["platforms"]) == sorted(p["platform"] for p in details["positions"])
    assert "no product" in h.error("get_pid_pos_details", pid="123")
    assert "keyword" in h.error("search_products", keyword="  ")


def test_compare_price_counts_shipping_and_the_best_coupon(h: EpisodeHarness) -> None:
    pid = one(
        h,
        "SELECT l.pid FROM listings l JOIN coupons c ON c.pos_id = l.pos_id WHERE c.starts_on <= ? AND c.ends_on >= ? "
        "AND l.price_fen >= c.threshold_fen AND l.in_stock = 1 AND l.member_price_fen IS NULL ORDER BY l.pid",
        TODAY.isoformat(),
        TODAY.isoformat(),
    )["pid"]
    comparison = h.ok("compare_price", pid=pid)
    for offer in comparison["offers"]:
        listing = h.rows("SELECT * FROM listings WHERE pos_id = ?", offer["pos_id"])[0]
        info = h.ok("get_discount_info", pos_id=offer["pos_id"])
        usable = [c["discount"] for c in info["coupons"] if c["applies_now"]]
        assert offer["coupon_discount"] == max(usable, default=0.0)
        expected = (listing["price_fen"] + listing["shipping_fen"]) / 100 - offer["coupon_discount"]
        assert offer["effective_price"] == pytest.approx(expected) == info["effective_price"]
    in_stock = [o for o in comparison["offers"] if o["in_stock"]]
    assert [o["effective_price"] for o in in_stock] == sorted(o["effective_price"] for o in in_stock)
    assert comparison["cheapest_pos_id"] == in_stock[0]["pos_id"]
    assert any(o["coupon_discount"] > 0 for o in comparison["offers"])
    one_platform = h.ok("compare_price", pid=pid, platform=comparison["offers"][0]["platform"])
    assert len(one_platform["offers"]) == 1


def test_member_prices_only_for_members(h: EpisodeHarness) -> None:
    listing = one(h, "SELECT * FROM listings WHERE member_price_fen IS NOT NULL ORDER BY pos_id")
    plain = h.ok("compare_price", pid=listing["pid"], platform=listing["platform"])["offers"][0]
    member = h.ok("compare_price", pid=listing["pid"], platform=listing["platform"], member=True)["offers"][0]
    assert plain["price"] == listing["price_fen"] / 100 and member["price"] == listing["member_price_fen"] / 100
    info = h.ok("get_discount_info", pos_id=listing["pos_id"])
    assert info["member_program"] in ("JD PLUS", "88VIP")


def test_out_of_stock_listing_is_never_the_cheapest(h: EpisodeHarness) -> None:
    pid = one(h, "SELECT pid FROM listings WHERE in_stock = 0 ORDER BY pid")["pid"]
    comparison = h.ok("compare_price", pid=pid)
    flags = [o["in_stock"] for o in comparison["offers"]]
    assert flags == sorted(flags, reverse=True)  # out of stock last
    cheapest = comparison["cheapest_pos_id"]
    assert cheapest is None or next(o for o in comparison["offers"] if o["pos_id"] == cheapest)["in_stock"]


def test_history_statistics_follow_the_price_points(h: EpisodeHarness) -> None:
    listing = one(h, "SELECT * FROM listings ORDER BY pos_id")
    history = h.ok("get_price_history", pos_id=listing["pos_id"], days=90)
    assert history["to_date"] == TODAY.isoformat()
    assert history["from_date"] == (TODAY - dt.timedelta(days=89)).isoformat()
    assert history["current_price"] == listing["price_fen"] / 100 == history["changes"][-1]["price"]
    prices = [c["price"] for c in history["changes"]]
    assert history["lowest_price"] == min(prices) and history["highest_price"] == max(prices)
    assert all(p["price"] == history["lowest_price"] for p in history["lowest_periods"])
    days = sum((dt.date.fromisoformat(c["to_date"]) - dt.date.fromisoformat(c["from_date"])).days + 1
               for c in history["changes"])  # fmt: skip
    assert days == 90
    weighted = sum(
        c["price"] * ((dt.date.fromisoformat(c["to_date"]) - dt.date.fromisoformat(c["from_date"])).days + 1)
        for c in history["changes"]
    )
    assert history["average_price"] == pytest.approx(weighted / 90, abs=0.01)
    full = h.ok("get_price_history", pos_id=listing["pos_id"], days=180)
    assert full["from_date"] == (TODAY - dt.timedelta(days=179)).isoformat()
    assert "180 days" in h.error("get_price_history", pos_id=listing["pos_id"], days=181)
    assert "180 days" in h.error("price_trend", pos_id=listing["pos_id"], days=365)
    assert "no listing" in h.error("get_price_history", pos_id="jd-1")


def test_trend_and_buy_advice(h: EpisodeHarness) -> None:
    listing = one(h, "SELECT * FROM listings ORDER BY pos_id")
    trend = h.ok("price_trend", pos_id=listing["pos_id"], days=14)
    history = h.ok("get_price_history", pos_id=listing["pos_id"], days=14)
    assert trend["start_price"] == history["changes"][0]["price"]
    assert trend["trend"] == pricing.trend(round(trend["start_price"] * 100), listing["price_fen"])[0]
    assert "at least 2 days" in h.error("price_trend", pos_id=listing["pos_id"], days=1)
    verdicts = set()
    for row in h.rows("SELECT pos_id FROM listings ORDER BY pos_id LIMIT 120"):
        advice = h.ok("get_buy_advice", pos_id=row["pos_id"])
        low, current, average = advice["low_90_days"], advice["current_price"], advice["average_90_days"]
        if current <= low * 1.03:
            assert advice["verdict"] == "good_time"
        elif current > average:
            assert advice["verdict"] == "wait"
        else:
            assert advice["verdict"] == "fair"
        verdicts.add(advice["verdict"])
    assert verdicts == {"good_time", "fair", "wait"}


# --------------------------------------------------------------------------------------------------
# Alerts
# --------------------------------------------------------------------------------------------------


def test_alert_lifecycle(h: EpisodeHarness) -> None:
    user = free_user(h, 0)
    listing = unwatched(h, user["user_id"])
    price = listing["price_fen"] / 100
    alert = h.ok("create_price_alert", user_id=user["user_id"], pos_id=listing["pos_id"], target_price=price - 10,
                 channel="sms")  # fmt: skip
    assert alert["status"] == "active" and alert["target_price"] == price - 10 and alert["current_price"] == price
    assert [a["alert_id"] for a in h.ok("list_price_alerts", user_id=user["user_id"])] == [alert["alert_id"]]
    changed = h.ok("update_price_alert", user_id=user["user_id"], alert_id=alert["alert_id"], target_price=price - 20)
    assert changed["target_price"] == price - 20 and changed["channel"] == "sms"
    stored = h.rows("SELECT * FROM price_alerts WHERE alert_id = ?", alert["alert_id"])[0]
    assert stored["target_price_fen"] == listing["price_fen"] - 2000
    assert "already has those settings" in h.error("update_price_alert", user_id=user["user_id"],
                                                   alert_id=alert["alert_id"], channel="sms")  # fmt: skip
    assert "new target price or a new channel" in h.error(
        "update_price_alert", user_id=user["user_id"], alert_id=alert["alert_id"]
    )
    h.ok("delete_price_alert", user_id=user["user_id"], alert_id=alert["alert_id"])
    assert not h.rows("SELECT 1 FROM price_alerts WHERE alert_id = ?", alert["alert_id"])


def test_alert_target_must_be_below_todays_price(h: EpisodeHarness) -> None:
    user = free_user(h, 0)
    listing = unwatched(h, user["user_id"])
    price = listing["price_fen"] / 100
    message = h.error("create_price_alert", user_id=user["user_id"], pos_id=listing["pos_id"], target_price=price)
    assert "below today's price" in message and f"¥{price:,g}" in message
    assert "below today's price" in h.error(
        "create_price_alert", user_id=user["user_id"], pos_id=listing["pos_id"], target_price=price + 50
    )
    assert "positive amount" in h.error(
        "create_price_alert", user_id=user["user_id"], pos_id=listing["pos_id"], target_price=-5
    )
    assert "two decimals" in h.error(
        "create_price_alert", user_id=user["user_id"], pos_id=listing["pos_id"], target_price=12.345
    )


def test_free_plan_allows_five_active_alerts(h: EpisodeHarness) -> None:
    user = free_user(h, 5)
    listing = unwatched(h, user["user_id"])
    assert "allows 5 active price alerts" in h.error(
        "create_price_alert", user_id=user["user_id"], pos_id=listing["pos_id"], target_price=1
    )
    triggered = one(h, "SELECT a.*, l.price_fen FROM price_alerts a JOIN users u ON u.user_id = a.user_id JOIN "
                       "listings l ON l.pos_id = a.pos_id WHERE a.status = 'triggered' AND u.plan = 'free' AND "
                       "(SELECT COUNT(*) FROM price_alerts b WHERE b.user_id = a.user_id AND b.status = 'active') < 5 "
                       "ORDER BY a.alert_id")  # fmt: skip
    rearmed = h.ok("update_price_alert", user_id=triggered["user_id"], alert_id=triggered["alert_id"],
                   target_price=triggered["price_fen"] / 100 - 1)  # fmt: skip
    assert rearmed["status"] == "active" and rearmed["triggered_at"] is None


def test_alert_channels_need_what_they_deliver_to(h: EpisodeHarness) -> None:
    user = free_user(h, 0)  # no email, no WeChat
    listing = unwatched(h, user["user_id"])
    arguments = {"user_id": user["user_id"], "pos_id": listing["pos_id"], "target_price": 1}
    assert "no email address" in h.error("create_price_alert", **arguments, channel="email")
    assert "no WeChat bound" in h.error("create_price_alert", **arguments, channel="wechat")
    assert "Input should be" in h.error("create_price_alert", **arguments, channel="pigeon")


def test_one_alert_per_listing_and_only_your_own(h: EpisodeHarness) -> None:
    alert = one(h, "SELECT a.*, l.price_fen FROM price_alerts a JOIN listings l ON l.pos_id = a.pos_id "
                   "WHERE a.status = 'active' ORDER BY a.alert_id")  # fmt: skip
    assert "update it instead" in h.error(
        "create_price_alert", user_id=alert["user_id"], pos_id=alert["pos_id"], target_price=1
    )
    stranger = one(h, "SELECT user_id FROM users WHERE user_id != ? ORDER BY user_id", alert["user_id"])["user_id"]
    assert "no price alert" in h.error("delete_price_alert", user_id=stranger, alert_id=alert["alert_id"])
    assert "no price alert" in h.error("update_price_alert", user_id=stranger, alert_id=alert["alert_id"],
                                       target_price=1)  # fmt: skip
    fired = one(h, "SELECT * FROM price_alerts WHERE status = 'triggered' ORDER BY alert_id")
    assert "give it a new target" in h.error(
        "update_price_alert", user_id=fired["user_id"], alert_id=fired["alert_id"], channel="sms"
    )


# --------------------------------------------------------------------------------------------------
# Comparisons and reports
# --------------------------------------------------------------------------------------------------


def test_comparisons(h: EpisodeHarness) -> None:
    user = one(h, "SELECT * FROM users u WHERE NOT EXISTS (SELECT 1 FROM comparisons c WHERE c.user_id = u.user_id) "
                  "ORDER BY user_id")  # fmt: skip
    pids = [r["pid"] for r in h.rows("SELECT pid FROM products WHERE subcategory = 'phone' ORDER BY pid LIMIT 7")]
    saved = h.ok("save_comparison", user_id=user["user_id"], name="New phone", pids=pids[:2])
    assert [p["pid"] for p in saved["products"]] == pids[:2]
    assert [c["name"] for c in h.ok("list_comparisons", user_id=user["user_id"])] == ["New phone"]
    uid = user["user_id"]
    assert "already have a comparison" in h.error("save_comparison", user_id=uid, name="new phone", pids=pids[2:4])
    assert "2 to 6 products" in h.error("save_comparison", user_id=uid, name="Solo", pids=pids[:1])
    assert "2 to 6 products" in h.error("save_comparison", user_id=uid, name="Many", pids=pids[:7])
    assert "appears twice" in h.error("save_comparison", user_id=uid, name="Twice", pids=[pids[0], pids[0]])
    assert "no product" in h.error("save_comparison", user_id=uid, name="Ghost", pids=[pids[0], "1"])
    for index in range(9):
        h.ok("save_comparison", user_id=uid, name=f"List {index}", pids=pids[:2])
    assert "keep 10 comparisons" in h.error("save_comparison", user_id=uid, name="Eleventh", pids=pids[:2])
    stranger = one(h, "SELECT user_id FROM users WHERE user_id != ? ORDER BY user_id", uid)["user_id"]
    assert "no saved comparison" in h.error("delete_comparison", user_id=stranger, comparison_id=saved["comparison_id"])
    h.ok("delete_comparison", user_id=uid, comparison_id=saved["comparison_id"])
    assert not h.rows("SELECT 1 FROM comparison_items WHERE comparison_id = ?", saved["comparison_id"])


def test_wrong_price_reports(h: EpisodeHarness) -> None:
    user = one(h, "SELECT * FROM users ORDER BY user_id")
    listing = one(h, "SELECT * FROM listings WHERE pos_id NOT IN (SELECT pos_id FROM price_reports) ORDER BY pos_id")
    price = listing["price_fen"] / 100
    arguments = {"user_id": user["user_id"], "pos_id": listing["pos_id"]}
    assert "nothing to correct" in h.error("report_wrong_price", **arguments, seen_price=price)
    report = h.ok("report_wrong_price", **arguments, seen_price=price - 1, note="Shown lower in the app")
    assert report["status"] == "pending" and report["tracked_price"] == price and report["seen_price"] == price - 1
    assert "still being checked" in h.error("report_wrong_price", **arguments, seen_price=price - 2)


def test_unknown_account_is_refused(h: EpisodeHarness) -> None:
    assert "no tracker account" in h.error("list_price_alerts", user_id="MM0000000")
    assert "no tracker account" in h.error("list_comparisons", user_id="nobody")


# --------------------------------------------------------------------------------------------------
# The seeded world and a gym episode
# --------------------------------------------------------------------------------------------------


def test_seeded_world_is_realistic() -> None:
    snapshot = get_snapshot(price_comparison.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["products"] >= 200 and counts["listings"] >= 600 and counts["price_points"] >= 8000
    assert counts["coupons"] >= 250 and counts["users"] >= 150 and counts["price_alerts"] >= 300
    assert counts["comparisons"] >= 80 and counts["price_reports"] >= 20
    products = snapshot.rows("products")
    assert {p["category"] for p in products} == {"electronics", "appliances", "beauty", "groceries"}
    listings = snapshot.rows("listings")
    assert {x["platform"] for x in listings} == set(price_comparison.models.PLATFORMS)
    first_day = (TODAY - dt.timedelta(days=179)).isoformat()
    points: dict[str, list[dict[str, Any]]] = {}
    for point in snapshot.rows("price_points"):
        points.setdefault(point["pos_id"], []).append(point)
    for listing in listings:
        mine = sorted(points[listing["pos_id"]], key=lambda p: p["day"])
        assert mine[0]["day"] == first_day and mine[-1]["day"] <= TODAY.isoformat()
        assert mine[-1]["price_fen"] == listing["price_fen"]  # today's price ends the history
    # The big promotions show: most prices were lower on Double 11 than in early October.
    lower = 0
    for listing in listings:
        series = dict(pricing.daily_prices(sorted(points[listing["pos_id"]], key=lambda p: p["day"]),
                                           dt.date(2025, 10, 5), dt.date(2025, 11, 11)))  # fmt: skip
        lower += series[dt.date(2025, 11, 11)] < series[dt.date(2025, 10, 5)]
    assert lower > 0.7 * len(listings)
    again = get_snapshot(price_comparison.env, 1)
    assert again.rows("listings") != listings


def alert_task() -> Task:
    h = EpisodeHarness(price_comparison.env)
    user = free_user(h, 0)
    listing = unwatched(h, user["user_id"])
    h.close()
    target = listing["price_fen"] / 100 - 30
    calls = [
        GoldCall(env_id="price_comparison", tool="get_pid_pos_details", arguments={"pid": listing["pid"]}),
        GoldCall(
            env_id="price_comparison",
            tool="create_price_alert",
            arguments={"user_id": user["user_id"], "pos_id": listing["pos_id"], "target_price": target},
        ),
    ]
    task = Task(
        task_id="price-comparison-alert-e2e",
        domain="shopping",
        env_ids=["price_comparison"],
        goal="write",
        query=f"I'm {user['user_id']}. Alert me when that listing drops to ¥{target:,g}.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = alert_task()
    assert {(c.table, c.op) for c in task.gold_changes} == {("price_alerts", "insert")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
