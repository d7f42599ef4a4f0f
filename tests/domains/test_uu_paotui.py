"""The UU Paotui environment: every tool, fares, price tokens, the order state machine and its fees, seeding."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.shopping import uu_paotui
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

NOW = uu_paotui.models.NOW
rules = uu_paotui.rules
ZHENGZHOU = {"start_fen": 800, "start_km": 3.0, "per_km_fen": 200, "long_per_km_fen": 300, "per_extra_kg_fen": 200}


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(uu_paotui.env)
    yield harness
    harness.close()


def rich_user(h: EpisodeHarness, city: str = "Zhengzhou") -> dict[str, Any]:
    return h.rows(
        "SELECT * FROM users u WHERE city_name = ? AND balance_fen >= 20000 AND NOT EXISTS (SELECT 1 FROM orders o "
        "WHERE o.user_id = u.user_id AND o.state IN ('awaiting_pickup', 'runner_assigned', 'picked_up')) "
        "ORDER BY user_id",
        city,
    )[0]


def two_places(h: EpisodeHarness, city: str = "Zhengzhou") -> tuple[str, str]:
    """Two places of the city between 4 and 9 km apart."""
    places = h.rows("SELECT * FROM places WHERE city_name = ? ORDER BY place_id", city)
    for a in places:
        for b in places:
            if 4 < rules.riding_km(a, b) < 9:
                return a["name"], b["name"]
    raise AssertionError("no pair")


def estimate(h: EpisodeHarness, user: dict[str, Any], **extra: Any) -> dict[str, Any]:
    origin, destination = two_places(h, user["city_name"])
    arguments = {"user_id": user["user_id"], "city_name": user["city_name"], "from_address": origin,
                 "to_address": destination, **extra}  # fmt: skip
    return h.ok("estimate_price", **arguments)


def test_fares_start_per_km_long_distance_night_and_weight() -> None:
    assert rules.distance_fen(ZHENGZHOU, 2.4) == 800  # inside the start distance
    assert rules.distance_fen(ZHENGZHOU, 3.1) == 800 + 200  # each started km
    assert rules.distance_fen(ZHENGZHOU, 10.0) == 800 + 7 * 200
    assert rules.distance_fen(ZHENGZHOU, 12.5) == 800 + 7 * 200 + 3 * 300  # dearer beyond 10 km
    assert rules.weight_fen(ZHENGZHOU, 5.0) == 0 and rules.weight_fen(ZHENGZHOU, 7.2) == 3 * 200
    assert rules.is_night(dt.datetime(2025, 6, 20, 22, 0)) and rules.is_night(dt.datetime(2025, 6, 21, 5, 59))
    assert not rules.is_night(dt.datetime(2025, 6, 21, 6, 0)) and not rules.is_night(NOW)
    coupons = [
        {"coupon_id": "a", "discount_fen": 300, "min_fare_fen": 0, "expires_at": "2025-07-01"},
        {"coupon_id": "b", "discount_fen": 800, "min_fare_fen": 3500, "expires_at": "2025-06-25"},
    ]
    assert rules.best_coupon(coupons, 3000)["coupon_id"] == "a"  # type: ignore[index]
    assert rules.best_coupon(coupons, 4000)["coupon_id"] == "b"  # type: ignore[index]
    assert rules.coupon_discount(coupons[0], 250) == 150  # never below 1 yuan to pay
    assert rules.recharge_bonus(99) == 0 and rules.recharge_bonus(200) == 1500 and rules.recharge_bonus(600) == 5000


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(name: str, **arguments: Any) -> Any:
        called.add(name)
        return h.ok(name, **arguments)

    fares = {c["city_name"]: c for c in ok("get_city_list")}
    assert fares["Zhengzhou"]["start_fare"] == 8.0 and len(fares) == 8
    found = ok("search_addresses", city_name="Zhengzhou", keyword="Erqi Square")
    assert found["total"] > 0 and all("Erqi" in p["name"] + p["address"] for p in found["places"])

    user = rich_user(h)
    uid = user["user_id"]
    origin, destination = two_places(h)
    quote = ok("estimate_price", user_id=uid, city_name="Zhengzhou", from_address=origin, to_address=destination,
               goods_weight_kg=7)  # fmt: skip
    assert quote["weight_surcharge"] == 4.0 and quote["night_surcharge"] == 0.0
    assert quote["need_paymoney"] == round(quote["total_money"] - quote["coupon_discount"], 2)
    order = ok("create_order", price_token=quote["price_token"], receiver_name="Li Na", receiver_phone="13812345678",
               note="Cake, keep it level")  # fmt: skip
    assert order["state"] == "awaiting_pickup" and order["paid_money"] == quote["need_paymoney"]
    balance = h.rows("SELECT balance_fen FROM users WHERE user_id = ?", uid)[0]["balance_fen"]
    assert balance == user["balance_fen"] - round(quote["need_paymoney"] * 100)
    assert ok("query_order", order_code=order["order_code"])["order_code"] == order["order_code"]
    listed = ok("list_orders", user_id=uid, state="awaiting_pickup")
    assert [o["order_code"] for o in listed["orders"]] == [order["order_code"]]
    assert ok("add_tip", order_code=order["order_code"], tip=5)["tip"] == 5.0
    cancelled = ok("cancel_order", order_code=order["order_code"], reason="Plans changed")
    assert cancelled["cancel_fee"] == 0 and cancelled["refund"] == round(quote["need_paymoney"] + 5, 2)
    assert cancelled["balance"] * 100 == user["balance_fen"]  # everything came back

    account = ok("get_balance", user_id=uid)
    assert account["balance"] * 100 == user["balance_fen"]
    topped = ok("recharge", user_id=uid, amount=200)
    assert topped["bonus"] == 15.0 and topped["balance"] == account["balance"] + 215

    delivered = h.rows("SELECT order_code, runner_id FROM orders WHERE state = 'delivered' AND stars IS NULL")[0]
    before = h.rows("SELECT rating FROM runners WHERE runner_id = ?", delivered["runner_id"])[0]["rating"]
    assert ok("evaluate_order", order_code=delivered["order_code"], stars=1, comment="Late")["stars"] == 1
    assert h.rows("SELECT rating FROM runners WHERE runner_id = ?", delivered["runner_id"])[0]["rating"] < before

    saved = ok("add_address", user_id=uid, label="other", city_name="Zhengzhou", place_name=destination,
               detail="Building 2", contact_name="Li Na", contact_phone="13812345678")  # fmt: skip
    assert saved["name"] == destination
    assert saved["address_id"] in [a["address_id"] for a in ok("list_addresses", user_id=uid)]
    assert ok("delete_address", user_id=uid, address_id=saved["address_id"])["status"] == "deleted"
    assert called == set(uu_paotui.env.tools)


def test_coupons_are_applied_used_and_returned_on_free_cancellation(h: EpisodeHarness) -> None:
    coupon = h.rows(
        "SELECT c.* FROM coupons c JOIN users u ON u.user_id = c.user_id WHERE c.status = 'unused' AND "
        "c.expires_at >= ? AND c.min_fare_fen = 0 AND c.city_name IS NULL AND u.balance_fen >= 5000 ORDER BY "
        "c.coupon_id",
        NOW.isoformat(sep=" "),
    )[0]
    user = h.rows("SELECT * FROM users WHERE user_id = ?", coupon["user_id"])[0]
    with_coupon = estimate(h, user)
    without = estimate(h, user, use_coupon=False)
    assert with_coupon["coupon_discount"] > 0 and without["coupon_discount"] == 0
    assert with_coupon["total_money"] == without["total_money"]
    used = with_coupon["coupon_id"]
    order = h.ok("create_order", price_token=with_coupon["price_token"], receiver_name="Li Na",
                 receiver_phone="13812345678")  # fmt: skip
    assert h.rows("SELECT status FROM coupons WHERE coupon_id = ?", used)[0]["status"] == "used"
    assert "already used" in h.error("create_order", price_token=with_coupon["price_token"], receiver_name="Li Na",
                                     receiver_phone="13812345678")  # fmt: skip
    assert h.ok("cancel_order", order_code=order["order_code"])["coupon_returned"] is True
    assert h.rows("SELECT status FROM coupons WHERE coupon_id = ?", used)[0]["status"] == "unused"


def test_night_pickups_and_scheduling(h: EpisodeHarness) -> None:
    user = rich_user(h)
    later = estimate(h, user, pickup_time="2025-06-20 23:00", use_coupon=False)
    now = estimate(h, user, use_coupon=False)
    assert later["night_surcharge"] == 5.0 and later["total_money"] == now["total_money"] + 5.0
    assert "at least 30 minutes" in h.error("estimate_price", user_id=user["user_id"], city_name="Zhengzhou",
                                            from_address=now["from_address"], to_address=now["to_address"],
                                            pickup_time="2025-06-20 21:45")  # fmt: skip
    assert "at most 2 days" in h.error("estimate_price", user_id=user["user_id"], city_name="Zhengzhou",
                                       from_address=now["from_address"], to_address=now["to_address"],
                                       pickup_time="2025-06-23 10:00")  # fmt: skip


def test_bad_estimates_and_tokens_are_refused(h: EpisodeHarness) -> None:
    user = rich_user(h)
    origin, destination = two_places(h)
    base = {"user_id": user["user_id"], "city_name": "Zhengzhou", "from_address": origin, "to_address": destination}
    assert "does not serve" in h.error("estimate_price", **{**base, "city_name": "Lhasa"})
    assert "address directory" in h.error("estimate_price", **{**base, "to_address": "Nowhere Street 1"})
    beijing = h.rows("SELECT name FROM places WHERE city_name = 'Beijing' LIMIT 1")[0]["name"]
    assert "address directory" in h.error("estimate_price", **{**base, "to_address": beijing})
    assert "same place" in h.error("estimate_price", **{**base, "to_address": origin})
    assert "up to 30 kg" in h.error("estimate_price", **base, goods_weight_kg=31)
    quote = h.ok("estimate_price", **base)
    forged = quote["price_token"][:-1] + ("0" if quote["price_token"][-1] != "0" else "1")
    assert "not valid" in h.error("create_order", price_token=forged, receiver_name="Li Na",
                                  receiver_phone="13812345678")  # fmt: skip
    assert "11-digit" in h.error("create_order", price_token=quote["price_token"], receiver_name="Li Na",
                                 receiver_phone="12345")  # fmt: skip


def test_create_order_revalidates_what_a_token_claims(h: EpisodeHarness) -> None:
    user = rich_user(h)
    places = h.rows(
        "SELECT place_id, city_name FROM places WHERE city_name IN ('Zhengzhou', 'Beijing') ORDER BY place_id"
    )
    zz = [p["place_id"] for p in places if p["city_name"] == "Zhengzhou"]
    bj = next(p["place_id"] for p in places if p["city_name"] == "Beijing")
    claims = {"u": user["user_id"], "c": "Zhengzhou", "f": zz[0], "t": zz[20], "w": 1.0, "p": "", "k": True,
              "at": NOW.isoformat(sep=" ")}  # fmt: skip
    receiver = {"receiver_name": "Li Na", "receiver_phone": "13812345678"}

    def refused(**change: Any) -> str:
        return h.error("create_order", price_token=uu_paotui.tools._encode_token({**claims, **change}), **receiver)

    assert "up to 30 kg" in refused(w=50)
    assert "not valid" in refused(t=bj) and "not valid" in refused(w="heavy")
    assert "expired" in refused(at=(NOW - dt.timedelta(minutes=21)).isoformat(sep=" "))
    assert "at least 30 minutes" in refused(p=(NOW + dt.timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M"))


def test_balance_must_cover_the_order(h: EpisodeHarness) -> None:
    poor = h.rows("SELECT * FROM users WHERE city_name = 'Beijing' AND balance_fen = 0 ORDER BY user_id")[0]
    quote = estimate(h, poor)
    args = {"price_token": quote["price_token"], "receiver_name": "Li Na", "receiver_phone": "13812345678"}
    assert "recharge first" in h.error("create_order", **args)
    assert "10 to 5000" in h.error("recharge", user_id=poor["user_id"], amount=5)
    h.ok("recharge", user_id=poor["user_id"], amount=100)
    assert h.ok("create_order", **args)["state"] == "awaiting_pickup"


def test_cancellation_fees_follow_the_state(h: EpisodeHarness) -> None:
    assigned = h.rows("SELECT * FROM orders WHERE state = 'runner_assigned' ORDER BY order_code")[0]
    fee = h.rows("SELECT cancel_fee_fen FROM cities WHERE city_name = ?", assigned["city_name"])[0]["cancel_fee_fen"]
    result = h.ok("cancel_order", order_code=assigned["order_code"])
    assert result["cancel_fee"] * 100 == fee
    assert result["refund"] * 100 == assigned["paid_fen"] + assigned["tip_fen"] - fee
    picked = h.rows("SELECT order_code FROM orders WHERE state = 'picked_up'")[0]["order_code"]
    assert "already been picked up" in h.error("cancel_order", order_code=picked)
    assert "before pickup" in h.error("add_tip", order_code=picked, tip=5)
    done = h.rows("SELECT order_code FROM orders WHERE state = 'delivered' AND stars IS NOT NULL")[0]["order_code"]
    assert "already delivered" in h.error("cancel_order", order_code=done)
    assert "already rated" in h.error("evaluate_order", order_code=done, stars=5)
    waiting = h.rows("SELECT order_code FROM orders WHERE state = 'awaiting_pickup'")[0]["order_code"]
    assert "Only delivered" in h.error("evaluate_order", order_code=waiting, stars=5)
    assert "limited to ¥200" in h.error("add_tip", order_code=waiting, tip=201)
    unrated = h.rows("SELECT order_code FROM orders WHERE state = 'delivered' AND stars IS NULL")[0]["order_code"]
    assert "1 to 5" in h.error("evaluate_order", order_code=unrated, stars=0)


def test_address_rules(h: EpisodeHarness) -> None:
    home = h.rows("SELECT a.*, u.city_name FROM saved_addresses a JOIN users u ON u.user_id = a.user_id "
                  "WHERE label = 'home' ORDER BY address_id")[0]  # fmt: skip
    place = h.rows("SELECT name FROM places WHERE city_name = ? LIMIT 1", home["city_name"])[0]["name"]
    args = {"user_id": home["user_id"], "city_name": home["city_name"], "place_name": place, "detail": "Room 1",
            "contact_name": "Li Na", "contact_phone": "13812345678"}  # fmt: skip
    assert "already have a home address" in h.error("add_address", label="home", **args)
    assert "11-digit" in h.error("add_address", label="other", **{**args, "contact_phone": "555"})
    other = h.rows("SELECT user_id FROM users WHERE user_id != ? LIMIT 1", home["user_id"])[0]["user_id"]
    assert "no saved address" in h.error("delete_address", user_id=other, address_id=home["address_id"])


def test_seeded_sizes_are_realistic() -> None:
    first = get_snapshot(uu_paotui.env, 0)
    counts = {table: len(first.rows(table)) for table in first.tables}
    assert counts["places"] >= 400 and counts["orders"] >= 600 and counts["users"] >= 200
    assert counts["runners"] >= 150 and counts["coupons"] >= 150 and counts["saved_addresses"] >= 200
    orders = first.rows("orders")
    assert {o["state"] for o in orders} == set(uu_paotui.models.STATES)
    assert {o["city_name"] for o in orders} == set(uu_paotui.seed.FARES)
    assert all(o["runner_id"] for o in orders if o["state"] in ("runner_assigned", "picked_up", "delivered"))
    carrying = Counter(o["runner_id"] for o in orders if o["state"] in ("runner_assigned", "picked_up"))
    assert max(carrying.values()) <= 2  # a runner carries at most two errands at once


def order_task() -> Task:
    h = EpisodeHarness(uu_paotui.env)
    user = rich_user(h)
    origin, destination = two_places(h)
    quote = estimate(h, user)
    h.close()
    calls = [
        GoldCall(
            env_id="uu_paotui",
            tool="estimate_price",
            arguments={
                "user_id": user["user_id"],
                "city_name": "Zhengzhou",
                "from_address": origin,
                "to_address": destination,
            },
        ),
        GoldCall(
            env_id="uu_paotui",
            tool="create_order",
            arguments={"price_token": quote["price_token"], "receiver_name": "Li Na", "receiver_phone": "13812345678"},
        ),
    ]
    task = Task(
        task_id="uu-order-e2e",
        domain="shopping",
        env_ids=["uu_paotui"],
        goal="write",
        query=f"I'm {user['user_id']}. Send a parcel from {origin} to {destination} in Zhengzhou for Li Na, "
        "13812345678.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = order_task()
    assert {(c.table, c.op) for c in task.gold_changes} >= {("orders", "insert"), ("users", "update")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
