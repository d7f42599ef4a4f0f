"""The DiDi ride-hailing environment: every tool, fares, the order lifecycle rules, seeding, a gym episode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.travel import didi
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

NOW = didi.models.NOW


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(didi.env)
    yield harness
    harness.close()


def idle_rider_in(h: EpisodeHarness, district: str = "Chaoyang") -> dict[str, Any]:
    """A rider without an active order standing near a place of the district."""
    riders = h.rows(
        "SELECT r.* FROM riders r WHERE NOT EXISTS (SELECT 1 FROM taxi_orders o WHERE o.rider_id = r.rider_id "
        "AND o.status IN ('requested', 'driver_assigned', 'arrived', 'in_progress')) ORDER BY r.rider_id",
    )
    places = h.rows("SELECT lat, lng FROM places WHERE district = ?", district)
    return next(
        r
        for r in riders
        if any(didi.seed.haversine_m(r["current_lng"], r["current_lat"], p["lng"], p["lat"]) < 200 for p in places)
    )


def place(h: EpisodeHarness, name: str) -> dict[str, Any]:
    return h.rows("SELECT * FROM places WHERE name = ?", name)[0]


def test_fares_follow_distance_time_and_product() -> None:
    assert didi.seed.estimate_price("express", 1000, 60) == 1300  # the minimum fare
    assert didi.seed.estimate_price("express", 10_000, 1800) == 1000 + 1800 + 1500
    assert didi.seed.estimate_price("taxi", 2_500, 600) == 1300  # the first 3 km are in the start fee
    assert didi.seed.estimate_price("taxi", 13_000, 1800) == 1300 + 2300
    distance, seconds = didi.seed.route_metrics(116.4540, 39.9335, 116.4605, 39.9087)
    walking_distance, walking_seconds = didi.seed.route_metrics(116.4540, 39.9335, 116.4605, 39.9087, "walking")
    assert distance == walking_distance and walking_seconds > seconds
    assert 2_800 < distance / didi.models.ROAD_FACTOR < 2_900  # Sanlitun to Guomao is about 2.8 km as the crow flies


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(name: str, **arguments: Any) -> Any:
        called.add(name)
        return h.ok(name, **arguments)

    rider = idle_rider_in(h)
    here = ok("get_current_location", rider_id=rider["rider_id"])
    assert (here["lng"], here["lat"]) == (rider["current_lng"], rider["current_lat"])
    location = f"{here['lng']},{here['lat']}"
    assert ok("maps_regeocode", location=location)["nearest_place_id"] == here["nearest_place_id"]
    around = ok("maps_place_around", location=location, radius=3000)
    distances = [p["distance_m"] for p in around["places"]]
    assert distances == sorted(distances) and all(d <= 3000 for d in distances)
    airport = place(h, "Beijing Capital International Airport T3")
    assert (
        ok("maps_place_around", location=f"{airport['lng']},{airport['lat']}", keywords="Airport T3", radius=100)[
            "places"
        ][0]["place_id"]
        == airport["place_id"]
    )
    route = ok("maps_direction", origin=location, destination=f"{airport['lng']},{airport['lat']}")
    assert route["distance_m"] > 10_000

    trip = {"from_lng": here["lng"], "from_lat": here["lat"], "to_lng": airport["lng"], "to_lat": airport["lat"]}
    estimates = ok("taxi_estimate", **trip)
    assert {e["product_type"] for e in estimates} == set(didi.models.PRODUCTS)
    prices = {e["product_type"]: e["estimated_price"] for e in estimates}
    assert prices["express"] < prices["premier"] < prices["luxe"]
    link = ok("taxi_generate_ride_app_link", **trip, product_type="premier")
    assert link["url"].startswith("https://") and "product=premier" in link["url"]

    order = ok(
        "taxi_create_order",
        rider_id=rider["rider_id"],
        product_type="express",
        from_name=here["nearest_place_name"],
        to_name=airport["name"],
        **trip,
    )
    assert order["status"] == "driver_assigned" and order["estimated_price"] == prices["express"]
    assert order["created_at"] == NOW.isoformat()
    assert h.rows("SELECT status FROM drivers WHERE driver_id = ?", order["driver"]["driver_id"])[0]["status"] == (
        "on_trip"
    )
    assert ok("taxi_query_order", order_id=order["order_id"])["driver"] == order["driver"]
    position = ok("taxi_get_driver_location", order_id=order["order_id"])
    assert position["distance_to_pickup_m"] <= didi.models.DISPATCH_RADIUS_M * didi.models.ROAD_FACTOR
    mine = ok("list_my_orders", rider_id=rider["rider_id"], status="driver_assigned")
    assert [o["order_id"] for o in mine["orders"]] == [order["order_id"]]
    cancelled = ok("taxi_cancel_order", order_id=order["order_id"], reason="Plans changed")
    assert cancelled["cancellation_fee"] == 0  # within two minutes of the assignment
    assert h.rows("SELECT status FROM drivers WHERE driver_id = ?", order["driver"]["driver_id"])[0]["status"] == (
        "available"
    )

    unrated = h.rows("SELECT order_id, driver_id FROM taxi_orders WHERE status = 'completed' AND rating IS NULL")[0]
    before = h.rows("SELECT rating FROM drivers WHERE driver_id = ?", unrated["driver_id"])[0]["rating"]
    rated = ok("taxi_rate_trip", order_id=unrated["order_id"], rating=1, comment="Drove too fast.")
    assert rated["rating"] == 1
    assert h.rows("SELECT rating FROM drivers WHERE driver_id = ?", unrated["driver_id"])[0]["rating"] < before

    saved = ok("save_favorite_place", rider_id=rider["rider_id"], label="work", place_id=airport["place_id"])
    assert saved["name"] == airport["name"]
    assert (
        h.rows("SELECT work_place_id FROM riders WHERE rider_id = ?", rider["rider_id"])[0]["work_place_id"]
        == (airport["place_id"])
    )
    assert called == set(didi.env.tools)


def test_order_lifecycle_rules_are_refused_without_changes(h: EpisodeHarness) -> None:
    busy = h.rows("SELECT * FROM taxi_orders WHERE status = 'in_progress' LIMIT 1")[0]
    assert "already under way" in h.error("taxi_cancel_order", order_id=busy["order_id"])
    trip = {
        "rider_id": busy["rider_id"],
        "product_type": "express",
        "from_lng": busy["to_lng"],
        "from_lat": busy["to_lat"],
        "from_name": busy["to_name"],
        "to_lng": busy["from_lng"],
        "to_lat": busy["from_lat"],
        "to_name": busy["from_name"],
    }
    assert "already have an active ride" in h.error("taxi_create_order", **trip)
    completed = h.rows("SELECT order_id FROM taxi_orders WHERE status = 'completed' AND rating IS NOT NULL")[0]
    assert "already completed" in h.error("taxi_cancel_order", order_id=completed["order_id"])
    assert "already rated" in h.error("taxi_rate_trip", order_id=completed["order_id"], rating=5)
    assert "only shown during a ride" in h.error("taxi_get_driver_location", order_id=completed["order_id"])
    cancelled = h.rows("SELECT order_id FROM taxi_orders WHERE status = 'cancelled'")[0]["order_id"]
    assert "already cancelled" in h.error("taxi_cancel_order", order_id=cancelled)
    assert "Only completed rides" in h.error("taxi_rate_trip", order_id=cancelled, rating=4)
    waiting = h.rows("SELECT order_id FROM taxi_orders WHERE status = 'requested'")[0]["order_id"]
    assert "No driver has accepted" in h.error("taxi_get_driver_location", order_id=waiting)
    unrated = h.rows("SELECT order_id FROM taxi_orders WHERE status = 'completed' AND rating IS NULL")[0]["order_id"]
    assert "1 to 5 stars" in h.error("taxi_rate_trip", order_id=unrated, rating=6)

    rider = idle_rider_in(h)
    outside = {**trip, "rider_id": rider["rider_id"], "to_lng": 121.47, "to_lat": 31.23}  # Shanghai
    assert "outside the Beijing service area" in h.error("taxi_create_order", **outside)
    too_close = {**outside, "to_lng": trip["from_lng"], "to_lat": trip["from_lat"] + 0.0005}
    assert "less than 300 m" in h.error("taxi_create_order", **too_close)
    assert "longitude,latitude" in h.error("maps_regeocode", location="Sanlitun")
    assert "radius" in h.error("maps_place_around", location="116.45,39.93", radius=10)
    home = h.rows("SELECT rider_id, home_place_id FROM riders WHERE home_place_id IS NOT NULL")[0]
    assert "already saved" in h.error(
        "save_favorite_place", label="home", place_id=home["home_place_id"], rider_id=home["rider_id"]
    )


def test_cancellation_fees_after_the_grace_period(h: EpisodeHarness) -> None:
    now = NOW.isoformat()
    late = h.rows(
        "SELECT * FROM taxi_orders WHERE status = 'driver_assigned' AND product_type IN ('express', 'xl', 'taxi') "
        "AND driver_assigned_at < ? ORDER BY order_id",
        (NOW - dt.timedelta(minutes=didi.models.FREE_CANCEL_MINUTES)).isoformat(),
    )[0]
    assert h.ok("taxi_cancel_order", order_id=late["order_id"])["cancellation_fee"] == 500
    arrived = h.rows("SELECT * FROM taxi_orders WHERE status = 'arrived' ORDER BY order_id")[0]
    expected = 2000 if arrived["product_type"] in ("premier", "luxe") else 1000
    assert h.ok("taxi_cancel_order", order_id=arrived["order_id"])["cancellation_fee"] == expected
    waiting = h.rows("SELECT order_id FROM taxi_orders WHERE status = 'requested' AND created_at < ?", now)[0]
    assert h.ok("taxi_cancel_order", order_id=waiting["order_id"])["cancellation_fee"] == 0


def test_no_driver_nearby_leaves_the_order_waiting(h: EpisodeHarness) -> None:
    rider = idle_rider_in(h)
    daxing = place(h, "Beijing Daxing International Airport")  # far from every seeded driver
    order = h.ok(
        "taxi_create_order",
        rider_id=rider["rider_id"],
        product_type="luxe",
        from_lng=daxing["lng"],
        from_lat=daxing["lat"],
        from_name=daxing["name"],
        to_lng=rider["current_lng"],
        to_lat=rider["current_lat"],
        to_name="Home",
    )
    assert order["status"] == "requested" and order["driver"] is None


def test_seeded_sizes_are_realistic() -> None:
    first = get_snapshot(didi.env, 0)
    counts = {table: len(first.rows(table)) for table in first.tables}
    assert counts["places"] >= 400 and counts["drivers"] >= 400 and counts["riders"] >= 300
    assert counts["taxi_orders"] >= 1000
    statuses = {row["status"] for row in first.rows("taxi_orders")}
    assert statuses == {"requested", "driver_assigned", "arrived", "in_progress", "completed", "cancelled"}


def ride_task() -> Task:
    h = EpisodeHarness(didi.env)
    rider = idle_rider_in(h)
    station = place(h, "Beijing South Railway Station")
    h.close()
    calls = [
        GoldCall(env_id="didi", tool="get_current_location", arguments={"rider_id": rider["rider_id"]}),
        GoldCall(
            env_id="didi",
            tool="taxi_create_order",
            arguments={
                "rider_id": rider["rider_id"],
                "product_type": "express",
                "from_lng": rider["current_lng"],
                "from_lat": rider["current_lat"],
                "from_name": "Current location",
                "to_lng": station["lng"],
                "to_lat": station["lat"],
                "to_name": station["name"],
            },
        ),
    ]
    task = Task(
        task_id="didi-ride-e2e",
        domain="travel",
        env_ids=["didi"],
        goal="write",
        query=f"I'm rider {rider['rider_id']}; get me an Express to Beijing South Railway Station from here.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = ride_task()
    assert {(c.table, c.op) for c in task.gold_changes} == {("taxi_orders", "insert"), ("drivers", "update")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
