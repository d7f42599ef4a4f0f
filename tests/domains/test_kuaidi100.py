"""The Kuaidi100 environment: every tool, number formats, the SF phone rule, tariffs, times, pickups, seeding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.shopping import kuaidi100
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

NOW = kuaidi100.models.NOW
rules = kuaidi100.rules


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(kuaidi100.env)
    yield harness
    harness.close()


def parcel(h: EpisodeHarness, where: str, *params: Any) -> dict[str, Any]:
    return h.rows(f"SELECT * FROM parcels WHERE {where} ORDER BY num LIMIT 1", *params)[0]


def test_tariff_prices_first_weight_then_each_extra_kilogram() -> None:
    sf_national = {"first_weight_kg": 1.0, "first_weight_fen": 2300, "additional_fen_per_kg": 1300}
    assert rules.price_fen(sf_national, 0.4) == 2300  # under the first weight
    assert rules.price_fen(sf_national, 1.0) == 2300
    assert rules.price_fen(sf_national, 1.1) == 2300 + 1300  # rounded up to 2 kg
    assert rules.price_fen(sf_national, 4.6) == 2300 + 4 * 1300
    deppon = {"first_weight_kg": 3.0, "first_weight_fen": 3000, "additional_fen_per_kg": 500}
    assert rules.price_fen(deppon, 2.5) == 3000 and rules.price_fen(deppon, 5.2) == 3000 + 3 * 500


def test_zones_and_arrival_times() -> None:
    hz = {"city": "Hangzhou", "province": "Zhejiang", "region": "East", "remote": 0}
    nb = {"city": "Ningbo", "province": "Zhejiang", "region": "East", "remote": 0}
    sh = {"city": "Shanghai", "province": "Shanghai", "region": "East", "remote": 0}
    cd = {"city": "Chengdu", "province": "Sichuan", "region": "Southwest", "remote": 0}
    lhasa = {"city": "Lhasa", "province": "Tibet", "region": "Southwest", "remote": 1}
    assert rules.zone_between(hz, hz) == "same_city"
    assert rules.zone_between(hz, nb) == "same_province"
    assert rules.zone_between(hz, sh) == "regional"
    assert rules.zone_between(hz, cd) == "national"
    assert rules.zone_between(cd, lhasa) == "remote"
    evening = dt.datetime(2025, 6, 12, 19, 30)
    assert rules.departure(evening) == dt.datetime(2025, 6, 13, 8, 0)  # after the 18:00 cutoff
    assert rules.arrival(dt.datetime(2025, 6, 12, 10, 0), 48) == dt.datetime(2025, 6, 14, 10, 0)
    assert rules.arrival(dt.datetime(2025, 6, 12, 15, 0), 24 + 6) == dt.datetime(
        2025, 6, 14, 10, 0
    )  # 21:00 -> next day


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(name: str, **arguments: Any) -> Any:
        called.add(name)
        return h.ok(name, **arguments)

    couriers = ok("list_couriers")
    assert {c["com"] for c in couriers} >= {"shunfeng", "zhongtong", "yuantong", "shentong", "yunda", "jd", "ems"}
    zto = parcel(h, "com = 'zhongtong' AND state = 'in_transit'")
    assert ok("auto_detect_courier", num=zto["num"]) == [{"com": "zhongtong", "name": "ZTO Express"}]
    trace = ok("query_trace", com="zhongtong", num=zto["num"])
    times = [e["time"] for e in trace["events"]]
    assert trace["state"] == "in_transit" and trace["state_code"] == "0" and times == sorted(times, reverse=True)
    assert "collected" in trace["events"][-1]["context"]

    estimate = ok("estimate_time", com="shunfeng", from_city="Hangzhou", to_city="Chengdu")
    assert estimate["zone"] == "national" and estimate["estimated_arrival"] == "2025-06-14 10:00:00"
    quotes = ok("estimate_price", from_city="Hangzhou", to_city="Chengdu", weight_kg=2.3)
    prices = [q["price_fen"] for q in quotes]
    assert prices == sorted(prices) and len(quotes) == len(couriers)
    sf = next(q for q in quotes if q["com"] == "shunfeng")
    assert sf["price_fen"] == 2300 + 2 * 1300 and sf["billable_weight_kg"] == 3.0
    assert ok("estimate_price", from_city="Hangzhou", to_city="Chengdu", weight_kg=2.3, com="shunfeng") == [sf]

    user = h.rows("SELECT * FROM users ORDER BY user_id LIMIT 1")[0]
    uid = user["user_id"]
    fresh = parcel(h, "com = 'yunda' AND state = 'in_transit' AND num NOT IN (SELECT num FROM saved_parcels)")
    saved = ok("save_parcel", user_id=uid, com="yunda", num=fresh["num"], note="Textbooks")
    assert saved["note"] == "Textbooks" and saved["state"] == "in_transit"
    listed = ok("list_saved_parcels", user_id=uid, state="in_transit")
    assert fresh["num"] in [p["num"] for p in listed["parcels"]]
    assert ok("update_parcel_note", user_id=uid, num=fresh["num"], note="Course books")["note"] == "Course books"
    sub = ok("subscribe_tracking", user_id=uid, com="yunda", num=fresh["num"], callback_url="https://hooks.shop.cn/kd")
    assert sub["status"] == "active"
    assert sub["subscription_id"] in [s["subscription_id"] for s in ok("list_subscriptions", user_id=uid)]
    assert ok("unsubscribe_tracking", subscription_id=sub["subscription_id"])["status"] == "cancelled"
    assert ok("remove_saved_parcel", user_id=uid, num=fresh["num"])["status"] == "removed"
    assert not h.rows("SELECT 1 FROM saved_parcels WHERE user_id = ? AND num = ?", uid, fresh["num"])

    tomorrow = (NOW.date() + dt.timedelta(days=1)).isoformat()
    order = ok(
        "create_pickup_order",
        user_id=uid,
        com="zhongtong",
        receiver_name="Li Na",
        receiver_phone="13812345678",
        receiver_address="Room 502, Building 3, 18 Renmin Road, Wuhou District",
        to_city="Chengdu",
        item="books",
        weight_kg=2.3,
        pickup_date=tomorrow,
        pickup_slot="15:00-17:00",
    )
    origin = h.rows("SELECT * FROM cities WHERE city = ?", user["city"])[0]
    zone = rules.zone_between(origin, h.rows("SELECT * FROM cities WHERE city = 'Chengdu'")[0])
    tariff = h.rows("SELECT * FROM tariffs WHERE com = 'zhongtong' AND zone = ?", zone)[0]
    assert order["status"] == "awaiting_pickup" and order["estimated_fen"] == rules.price_fen(tariff, 2.3)
    assert order["sender_address"] == user["address"] and order["from_city"] == user["city"]
    pickups = ok("list_pickup_orders", user_id=uid, status="awaiting_pickup")
    assert order["order_id"] in [o["order_id"] for o in pickups["orders"]]
    assert ok("cancel_pickup_order", order_id=order["order_id"], reason="Sent it another way")["status"] == "cancelled"
    assert called == set(kuaidi100.env.tools)


def test_tracking_numbers_must_match_the_courier_format(h: EpisodeHarness) -> None:
    zto = parcel(h, "com = 'zhongtong'")
    assert "not a valid YTO Express tracking number" in h.error("query_trace", com="yuantong", num=zto["num"])
    assert "Unknown courier code" in h.error("query_trace", com="fedex", num=zto["num"])
    assert "6 to 20" in h.error("auto_detect_courier", num="AB12")
    assert h.ok("auto_detect_courier", num="XX123456789") == []
    unknown = "75" + "0" * 12
    assert "no trace" in h.error("query_trace", com="zhongtong", num=unknown)


def test_sf_express_needs_the_phone_digits(h: EpisodeHarness) -> None:
    sf = parcel(h, "com = 'shunfeng'")
    assert "last 4 digits" in h.error("query_trace", com="shunfeng", num=sf["num"])
    wrong = "0000" if sf["receiver_phone"][-4:] != "0000" and sf["sender_phone"][-4:] != "0000" else "1111"
    assert "do not match" in h.error("query_trace", com="shunfeng", num=sf["num"], phone=wrong)
    assert "exactly the last 4" in h.error("query_trace", com="shunfeng", num=sf["num"], phone="12")
    for digits in (sf["receiver_phone"][-4:], sf["sender_phone"][-4:]):
        assert h.ok("query_trace", com="shunfeng", num=sf["num"], phone=digits)["num"] == sf["num"]
    other = parcel(h, "com = 'yuantong'")
    assert h.ok("query_trace", com="yuantong", num=other["num"])["num"] == other["num"]  # no phone needed


def test_price_and_time_limits(h: EpisodeHarness) -> None:
    assert "0.1 kg up to 30 kg" in h.error("estimate_price", from_city="Beijing", to_city="Tianjin", weight_kg=35,
                                           com="jtexpress")  # fmt: skip
    heavy = h.ok("estimate_price", from_city="Beijing", to_city="Tianjin", weight_kg=80)
    assert [q["com"] for q in heavy] == ["debangwuliu"]
    assert "No courier takes" in h.error("estimate_price", from_city="Beijing", to_city="Tianjin", weight_kg=150)
    assert "does not deliver on remote" in h.error("estimate_price", from_city="Beijing", to_city="Lhasa",
                                                   weight_kg=1, com="yunda")  # fmt: skip
    remote = {q["com"] for q in h.ok("estimate_price", from_city="Beijing", to_city="Lhasa", weight_kg=1)}
    assert "yunda" not in remote and "ems" in remote
    assert "not a city" in h.error("estimate_price", from_city="Atlantis", to_city="Beijing", weight_kg=1)
    assert "positive" in h.error("estimate_price", from_city="Beijing", to_city="Tianjin", weight_kg=0)
    assert "in the past" in h.error("estimate_time", com="ems", from_city="Beijing", to_city="Tianjin",
                                    send_time="2025-06-01 10:00")  # fmt: skip
    late = h.ok("estimate_time", com="ems", from_city="Beijing", to_city="Tianjin", send_time="2025-06-12 19:00")
    assert late["departs_at"] == "2025-06-13 08:00:00"


def test_subscription_rules(h: EpisodeHarness) -> None:
    uid = h.rows("SELECT user_id FROM users ORDER BY user_id LIMIT 1")[0]["user_id"]
    signed = parcel(h, "com = 'zhongtong' AND state = 'signed'")
    url = "https://hooks.shop.cn/kd"
    assert "tracking has ended" in h.error("subscribe_tracking", user_id=uid, com="zhongtong", num=signed["num"],
                                           callback_url=url)  # fmt: skip
    moving = parcel(h, "com = 'shunfeng' AND state = 'in_transit'")
    assert "last 4 digits" in h.error("subscribe_tracking", user_id=uid, com="shunfeng", num=moving["num"],
                                      callback_url=url)  # fmt: skip
    args = {"user_id": uid, "com": "shunfeng", "num": moving["num"], "phone": moving["receiver_phone"][-4:]}
    assert "not an http(s) URL" in h.error("subscribe_tracking", **args, callback_url="ftp://example")
    h.ok("subscribe_tracking", **args, callback_url=url)
    assert "already subscribed" in h.error("subscribe_tracking", **args, callback_url=url)
    ended = h.rows("SELECT subscription_id FROM subscriptions WHERE status = 'finished'")[0]["subscription_id"]
    assert "already finished" in h.error("unsubscribe_tracking", subscription_id=ended)


def test_saved_parcel_rules(h: EpisodeHarness) -> None:
    row = h.rows("SELECT s.*, p.com FROM saved_parcels s JOIN parcels p ON p.num = s.num LIMIT 1")[0]
    assert "already on your parcel list" in h.error("save_parcel", user_id=row["user_id"], com=row["com"],
                                                    num=row["num"])  # fmt: skip
    assert "already" in h.error("update_parcel_note", user_id=row["user_id"], num=row["num"], note=row["note"])
    assert "100 characters" in h.error("update_parcel_note", user_id=row["user_id"], num=row["num"], note="x" * 101)
    other = h.rows("SELECT user_id FROM users WHERE user_id != ? LIMIT 1", row["user_id"])[0]["user_id"]
    if not h.rows("SELECT 1 FROM saved_parcels WHERE user_id = ? AND num = ?", other, row["num"]):
        assert "not on your parcel list" in h.error("remove_saved_parcel", user_id=other, num=row["num"])
    assert "no Kuaidi100 account" in h.error("list_saved_parcels", user_id="U000000")


def test_pickup_rules(h: EpisodeHarness) -> None:
    user = h.rows("SELECT * FROM users WHERE city = 'Beijing' ORDER BY user_id LIMIT 1")[0]
    base = {
        "user_id": user["user_id"],
        "com": "zhongtong",
        "receiver_name": "Li Na",
        "receiver_phone": "13812345678",
        "receiver_address": "18 Renmin Road, Wuhou District",
        "to_city": "Chengdu",
        "item": "books",
        "weight_kg": 2.0,
        "pickup_date": NOW.date().isoformat(),
        "pickup_slot": "15:00-17:00",
    }
    assert "already started" in h.error("create_pickup_order", **{**base, "pickup_slot": "09:00-11:00"})
    too_far = (NOW.date() + dt.timedelta(days=4)).isoformat()
    assert "can be booked from" in h.error("create_pickup_order", **{**base, "pickup_date": too_far})
    assert "must be one of" in h.error("create_pickup_order", **{**base, "pickup_slot": "10:00-12:00"})
    assert "11-digit mobile" in h.error("create_pickup_order", **{**base, "receiver_phone": "12345"})
    assert "up to 40 kg" in h.error("create_pickup_order", **{**base, "weight_kg": 45})
    assert "does not deliver on remote" in h.error("create_pickup_order", **{**base, "com": "shentong",
                                                                            "to_city": "Urumqi"})  # fmt: skip
    collected = h.rows("SELECT order_id FROM pickup_orders WHERE status = 'collected'")[0]["order_id"]
    assert "already collected" in h.error("cancel_pickup_order", order_id=collected)
    cancelled = h.rows("SELECT order_id FROM pickup_orders WHERE status = 'cancelled'")[0]["order_id"]
    assert "already cancelled" in h.error("cancel_pickup_order", order_id=cancelled)
    waiting = h.rows("SELECT COUNT(*) AS n FROM pickup_orders WHERE user_id = ? AND status = 'awaiting_pickup'",
                  user["user_id"])[0]["n"]  # fmt: skip
    for index in range(kuaidi100.tools.MAX_ACTIVE_PICKUPS - waiting):
        h.ok("create_pickup_order", **{**base, "pickup_date": (NOW.date() + dt.timedelta(days=1)).isoformat(),
                                       "receiver_name": f"Li Na {index}"})  # fmt: skip
    assert "already have 5 pickups waiting" in h.error("create_pickup_order", **base)


def test_seeded_sizes_are_realistic() -> None:
    first = get_snapshot(kuaidi100.env, 0)
    counts = {table: len(first.rows(table)) for table in first.tables}
    by_num = {p["num"]: p for p in first.rows("parcels")}
    users = {u["user_id"]: u for u in first.rows("users")}
    collected = [o for o in first.rows("pickup_orders") if o["status"] == "collected"]
    assert collected and all(o["tracking_num"] in by_num for o in collected)  # a collected pickup has a trace
    assert all(by_num[o["tracking_num"]]["sender_phone"] == users[o["user_id"]]["phone"] for o in collected)
    assert counts["parcels"] >= 450 and counts["trace_events"] >= 3000 and counts["users"] >= 150
    assert counts["pickup_orders"] >= 150 and counts["saved_parcels"] >= 100 and counts["cities"] >= 40
    parcels = first.rows("parcels")
    assert {p["state"] for p in parcels} == set(kuaidi100.models.STATES)
    couriers = {c["com"]: c for c in first.rows("couriers")}
    assert all(rules.matches_format(couriers[p["com"]], p["num"]) for p in parcels)


def track_task() -> Task:
    h = EpisodeHarness(kuaidi100.env)
    uid = h.rows("SELECT user_id FROM users ORDER BY user_id LIMIT 1")[0]["user_id"]
    moving = parcel(h, "com = 'yuantong' AND state = 'in_transit' AND num NOT IN (SELECT num FROM saved_parcels)")
    h.close()
    calls = [
        GoldCall(env_id="kuaidi100", tool="auto_detect_courier", arguments={"num": moving["num"]}),
        GoldCall(
            env_id="kuaidi100",
            tool="save_parcel",
            arguments={"user_id": uid, "com": "yuantong", "num": moving["num"], "note": "Camping gear"},
        ),
    ]
    task = Task(
        task_id="kuaidi100-save-e2e",
        domain="shopping",
        env_ids=["kuaidi100"],
        goal="write",
        query=f"I'm {uid}. Add {moving['num']} to my parcels with the note 'Camping gear'.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = track_task()
    assert {(c.table, c.op) for c in task.gold_changes} == {("saved_parcels", "insert")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
