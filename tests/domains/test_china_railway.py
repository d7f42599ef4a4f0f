"""The 12306-style railway environment: every tool, fares and refund tiers, ticket rules, seeding, a gym episode."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.travel import china_railway
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

NOW = china_railway.models.NOW


def day(offset: int) -> str:
    return (NOW.date() + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(china_railway.env)
    yield harness
    harness.close()


def account_with_two_adults(h: EpisodeHarness) -> tuple[str, list[str]]:
    row = h.rows(
        "SELECT user_id, group_concat(passenger_id) AS ids FROM passengers WHERE passenger_type = 'adult' "
        "GROUP BY user_id HAVING COUNT(*) >= 2 ORDER BY user_id LIMIT 1",
    )[0]
    return row["user_id"], row["ids"].split(",")[:2]


def g_train(h: EpisodeHarness, date: str, origin: str = "VNP", destination: str = "AOH") -> dict[str, Any]:
    trains = h.ok("get_tickets", date=date, from_station_code=origin, to_station_code=destination)["trains"]
    return next(
        t
        for t in trains
        if t["train_type"] == "G"
        and t["from_station_code"] == origin
        and t["to_station_code"] == destination
        and next(s for s in t["seats"] if s["seat_type"] == "second_class")["remaining"] >= 2
    )


def valid_id(first17: str) -> str:
    return first17 + china_railway.seed.id_check_digit(first17)


def test_refund_fee_tiers_follow_12306() -> None:
    depart = NOW + dt.timedelta(days=9)
    assert china_railway.seed.refund_fee(60650, depart, NOW) == 0
    assert china_railway.seed.refund_fee(100000, NOW + dt.timedelta(days=3), NOW) == 5000  # 5%
    assert china_railway.seed.refund_fee(60650, NOW + dt.timedelta(hours=30), NOW) == 6050  # 10%, 60.65 → 60.5 yuan
    assert china_railway.seed.refund_fee(5000, NOW + dt.timedelta(hours=1), NOW) == 1000  # 20%
    assert china_railway.seed.refund_fee(1000, NOW + dt.timedelta(hours=10), NOW) == 200  # at least 2 yuan
    assert china_railway.seed.fare("G", "second_class", 1318, "adult") == 60650
    assert china_railway.seed.fare("G", "second_class", 1318, "child") == 30350  # half, rounded to 0.5 yuan
    student = china_railway.seed.fare("G", "first_class", 1318, "student")
    assert student == china_railway.seed.fare("G", "first_class", 1318, "")


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(name: str, **arguments: Any) -> Any:
        called.add(name)
        return h.ok(name, **arguments)

    beijing = ok("get_stations_code_in_city", city="北京")
    assert {"VNP", "BXP", "BJP"} <= {s["station_code"] for s in beijing}
    assert ok("get_stations_code_in_city", city="shanghai") == ok("get_stations_code_in_city", city="上海")
    assert ok("get_station_code_by_name", station_name="北京南站")["station_code"] == "VNP"
    assert ok("get_station_by_code", station_code="aoh")["station_name"] == "上海虹桥"

    search = ok("get_tickets", date=day(3), from_station_code="BJP", to_station_code="SHH", sort_flag="duration")
    durations = [t["duration_minutes"] for t in search["trains"]]
    assert durations == sorted(durations) and {t["train_type"] for t in search["trains"]} >= {"G", "K"}
    only_k = ok("get_tickets", date=day(3), from_station_code="VNP", to_station_code="AOH", train_filter_flags="K")
    assert only_k["total"] > 0 and {t["train_type"] for t in only_k["trains"]} == {"K"}

    train = g_train(h, day(3))
    route = ok("get_train_route_stations", train_code=train["train_code"])["stops"]
    assert route[0]["station_code"] == "VNP" and route[-1]["station_code"] == "AOH"
    assert [s["distance_km"] for s in route] == sorted(s["distance_km"] for s in route)

    user_id, adults = account_with_two_adults(h)
    passengers = ok("get_passengers", user_id=user_id)
    assert set(adults) <= {p["passenger_id"] for p in passengers}
    child = ok(
        "add_passenger",
        user_id=user_id,
        passenger_name="王小明",
        id_number=valid_id("11010120150601123"),
        passenger_type="child",
    )
    assert child["passenger_type"] == "child"

    second = next(s for s in train["seats"] if s["seat_type"] == "second_class")
    order = ok(
        "buy_tickets",
        user_id=user_id,
        train_code=train["train_code"],
        date=day(3),
        from_station_code="VNP",
        to_station_code="AOH",
        seat_type="second_class",
        passenger_ids=[adults[0], child["passenger_id"]],
    )
    prices = sorted(t["price"] for t in order["tickets"])
    assert prices == [china_railway.seed.fare("G", "second_class", train["distance_km"], "child"), second["price"]]
    assert order["total_paid"] == sum(prices)
    assert {t["seat_number"] for t in order["tickets"]} and len({t["seat_number"] for t in order["tickets"]}) == 2
    left = next(
        s
        for t in h.ok("get_tickets", date=day(3), from_station_code="VNP", to_station_code="AOH")["trains"]
        if t["train_code"] == train["train_code"]
        for s in t["seats"]
        if s["seat_type"] == "second_class"
    )
    assert left["remaining"] == second["remaining"] - 2

    assert order["order_id"] in {
        o["order_id"] for o in ok("query_orders", user_id=user_id, upcoming_only=True)["orders"]
    }
    assert ok("get_order_details", order_id=order["order_id"])["tickets"] == order["tickets"]

    adult_ticket = next(t for t in order["tickets"] if t["passenger_id"] == adults[0])
    later = next(
        t
        for t in h.ok("get_tickets", date=day(4), from_station_code="VNP", to_station_code="AOH")["trains"]
        if t["train_type"] == "G" and t["from_station_code"] == "VNP" and t["to_station_code"] == "AOH"
    )
    changed = ok(
        "change_ticket",
        ticket_id=adult_ticket["ticket_id"],
        train_code=later["train_code"],
        new_date=day(4),
        seat_type="first_class",
    )
    assert changed["ticket"]["changed_from"] == adult_ticket["ticket_id"] and changed["price_difference"] > 0
    assert (
        ok("get_order_details", order_id=order["order_id"])["total_paid"]
        == order["total_paid"] + changed["price_difference"]
    )

    refund = ok("refund_ticket", ticket_id=changed["ticket"]["ticket_id"])
    expected_fee = china_railway.seed.refund_fee(
        changed["ticket"]["price"], dt.datetime.strptime(changed["ticket"]["depart_time"], "%Y-%m-%d %H:%M"), NOW
    )
    assert refund["refund_fee"] == expected_fee > 0 and refund["refund_amount"] == refund["price"] - expected_fee

    spare = h.rows(
        "SELECT p.passenger_id FROM passengers p WHERE p.user_id = ? AND NOT p.is_account_holder "
        "AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.passenger_id = p.passenger_id AND t.status = 'paid')",
        user_id,
    )[0]["passenger_id"]
    ok("remove_passenger", user_id=user_id, passenger_id=spare)
    assert spare not in {p["passenger_id"] for p in h.ok("get_passengers", user_id=user_id)}
    assert called == set(china_railway.env.tools)


def test_purchase_rules_are_refused_without_changes(h: EpisodeHarness) -> None:
    user_id, adults = account_with_two_adults(h)
    train = g_train(h, day(2))
    base = {
        "user_id": user_id,
        "train_code": train["train_code"],
        "date": day(2),
        "from_station_code": "VNP",
        "to_station_code": "AOH",
        "seat_type": "second_class",
        "passenger_ids": adults,
    }
    assert "on sale from" in h.error("buy_tickets", **{**base, "date": day(15)})
    assert "on sale from" in h.error("buy_tickets", **{**base, "date": day(-1)})
    assert "has no hard_sleeper" in h.error("buy_tickets", **{**base, "seat_type": "hard_sleeper"})
    assert "does not run from" in h.error(
        "buy_tickets", **{**base, "from_station_code": "AOH", "to_station_code": "VNP"}
    )
    assert "1 to 5 passengers" in h.error("buy_tickets", **{**base, "passenger_ids": []})
    assert "listed twice" in h.error("buy_tickets", **{**base, "passenger_ids": [adults[0], adults[0]]})
    stranger = h.rows("SELECT passenger_id FROM passengers WHERE user_id != ? LIMIT 1", user_id)[0]["passenger_id"]
    assert "is not saved on account" in h.error("buy_tickets", **{**base, "passenger_ids": [stranger]})
    child = h.ok(
        "add_passenger",
        user_id=user_id,
        passenger_name="李小红",
        id_number=valid_id("31010420160304222"),
        passenger_type="child",
    )
    assert "together with an adult" in h.error("buy_tickets", **{**base, "passenger_ids": [child["passenger_id"]]})
    h.ok("buy_tickets", **base)
    assert "already has a ticket" in h.error("buy_tickets", **base)
    sold_out = h.rows(
        "SELECT i.train_code, i.service_date, i.seat_type FROM seat_inventory i JOIN trains t "
        "ON t.train_code = i.train_code WHERE i.remaining = 0 AND i.service_date > ? ORDER BY i.service_date LIMIT 1",
        day(1),
    )[0]
    stops = h.ok("get_train_route_stations", train_code=sold_out["train_code"])["stops"]
    assert "left on" in h.error(
        "buy_tickets",
        **{
            **base,
            "train_code": sold_out["train_code"],
            "date": sold_out["service_date"],
            "from_station_code": stops[0]["station_code"],
            "to_station_code": stops[-1]["station_code"],
            "seat_type": sold_out["seat_type"],
            "passenger_ids": [adults[0]],
        },
    )


def test_passenger_rules(h: EpisodeHarness) -> None:
    user_id, adults = account_with_two_adults(h)
    existing = h.rows("SELECT id_number FROM passengers WHERE passenger_id = ?", adults[0])[0]["id_number"]
    bad_check = existing[:17] + ("0" if existing[17] != "0" else "1")
    assert "check digit" in h.error(
        "add_passenger", user_id=user_id, passenger_name="张三", id_number=bad_check, passenger_type="adult"
    )
    assert "already on this account" in h.error(
        "add_passenger", user_id=user_id, passenger_name="张三", id_number=existing, passenger_type="adult"
    )
    holder = h.rows(
        "SELECT p.user_id, p.passenger_id FROM passengers p JOIN tickets t ON t.passenger_id = p.passenger_id "
        "WHERE t.status = 'paid' LIMIT 1",
    )[0]
    assert "unused ticket" in h.error(
        "remove_passenger", user_id=holder["user_id"], passenger_id=holder["passenger_id"]
    )
    assert "is not saved" in h.error("remove_passenger", user_id="nobody", passenger_id=adults[0])


def test_refund_and_change_rules(h: EpisodeHarness) -> None:
    used = h.rows("SELECT ticket_id FROM tickets WHERE status = 'used' LIMIT 1")[0]["ticket_id"]
    assert "is used" in h.error("refund_ticket", ticket_id=used)
    refunded = h.rows("SELECT ticket_id FROM tickets WHERE status = 'refunded' LIMIT 1")[0]["ticket_id"]
    assert "is refunded" in h.error("refund_ticket", ticket_id=refunded)

    user_id, adults = account_with_two_adults(h)
    soon = g_train(h, day(1))
    order = h.ok(
        "buy_tickets",
        user_id=user_id,
        train_code=soon["train_code"],
        date=day(1),
        from_station_code="VNP",
        to_station_code="AOH",
        seat_type="second_class",
        passenger_ids=adults[:1],
    )
    ticket_id = order["tickets"][0]["ticket_id"]
    two_days_on = g_train(h, day(3))
    assert (
        "within 48 hours"
        in h.error(
            "change_ticket",
            ticket_id=ticket_id,
            train_code=two_days_on["train_code"],
            new_date=day(3),
            seat_type="second_class",
        ).lower()
    )
    assert "same train" in h.error(
        "change_ticket",
        ticket_id=ticket_id,
        train_code=soon["train_code"],
        new_date=day(1),
        seat_type="second_class",
    )
    wrong_city = next(
        t
        for t in h.ok("get_tickets", date=day(1), from_station_code="BXP", to_station_code="IZQ")["trains"]
        if t["train_type"] == "G"
    )
    assert "does not run from" in h.error(
        "change_ticket",
        ticket_id=ticket_id,
        train_code=wrong_city["train_code"],
        new_date=day(1),
        seat_type="second_class",
    )
    same_day = h.ok(
        "change_ticket",
        ticket_id=ticket_id,
        train_code=soon["train_code"],
        new_date=day(1),
        seat_type="first_class",
    )
    assert "already been changed once" in h.error(
        "change_ticket",
        ticket_id=same_day["ticket"]["ticket_id"],
        train_code=soon["train_code"],
        new_date=day(1),
        seat_type="second_class",
    )


def test_seeded_sizes_are_realistic() -> None:
    first = get_snapshot(china_railway.env, 0)
    counts = {table: len(first.rows(table)) for table in first.tables}
    assert counts["stations"] >= 70 and counts["trains"] >= 100 and counts["train_stops"] >= 400
    assert counts["seat_inventory"] >= 4000 and counts["passengers"] >= 500 and counts["tickets"] >= 700


def purchase_task() -> Task:
    h = EpisodeHarness(china_railway.env)
    user_id, adults = account_with_two_adults(h)
    train = g_train(h, day(5))
    h.close()
    calls = [
        GoldCall(env_id="china_railway", tool="get_passengers", arguments={"user_id": user_id}),
        GoldCall(
            env_id="china_railway",
            tool="buy_tickets",
            arguments={
                "user_id": user_id,
                "train_code": train["train_code"],
                "date": day(5),
                "from_station_code": "VNP",
                "to_station_code": "AOH",
                "seat_type": "second_class",
                "passenger_ids": adults,
            },
        ),
    ]
    task = Task(
        task_id="railway-buy-e2e",
        domain="travel",
        env_ids=["china_railway"],
        goal="write",
        query=f"Buy two second-class tickets on {train['train_code']} from 北京南 to 上海虹桥 on {day(5)}.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = purchase_task()
    assert sum(1 for c in task.gold_changes if c.table == "tickets") == 2
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)


@pytest.fixture(scope="module")
def synthesized() -> list[Task]:
    """The packaged task file (envfactory verify proves it is exactly what synthesis makes)."""
    from envfactory_gym.tasks import load_tasks

    return load_tasks("travel", "china_railway")


def test_synthesized_requests_read_like_a_traveller(synthesized: list[Task]) -> None:
    """Seat classes as words ("second class", not "second_class"); a purchase names its account and each
    fellow passenger by name (the account holder is "me"), without a leftover "passenger id" reference."""
    snapshot = get_snapshot(china_railway.env, china_railway.env.default_seed)
    purchases = 0
    for task in synthesized:
        assert not re.search(r"(first|second)_class|hard_s|soft_s|no_seat", task.query), task.query
        # A passenger saved earlier in the same task is named in the request that saves them.
        added = [c.arguments["passenger_name"] for c in task.gold_calls if c.tool == "add_passenger"]
        for call in task.gold_calls:
            if call.tool != "buy_tickets":
                continue
            purchases += 1
            assert call.arguments["user_id"] in task.query
            assert "passenger id" not in task.query, task.query
            for passenger_id in call.arguments["passenger_ids"]:
                rows = snapshot.query(
                    "SELECT passenger_name, is_account_holder FROM passengers WHERE passenger_id = ?", [passenger_id]
                )
                if rows and rows[0]["is_account_holder"]:
                    assert re.search(r"\b(me|myself|us)\b", task.query), task.query
                    continue
                names = [rows[0]["passenger_name"]] if rows else added
                assert any(name in task.query for name in names), task.query
    assert purchases >= 5
