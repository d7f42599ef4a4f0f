"""The Hong Kong bus environment: every tool, timetable ETAs, favourite and alert rules, seeding, a gym episode."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.travel import hk_bus
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

NOW = hk_bus.models.NOW


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(hk_bus.env)
    yield harness
    harness.close()


def day_route(h: EpisodeHarness) -> dict[str, Any]:
    """An outbound day route with at least four stops."""
    return h.rows(
        "SELECT r.* FROM routes r WHERE r.bound = 'O' AND r.route NOT LIKE 'N%' AND "
        "(SELECT COUNT(*) FROM route_stops s WHERE s.route = r.route AND s.bound = 'O') >= 4 ORDER BY r.route LIMIT 1",
    )[0]


def rider_with_room(h: EpisodeHarness) -> str:
    """A rider with no active alerts and fewer than three favourites."""
    return h.rows(
        "SELECT u.user_id FROM riders u WHERE NOT EXISTS (SELECT 1 FROM arrival_alerts a WHERE a.user_id = u.user_id "
        "AND a.status = 'active') AND (SELECT COUNT(*) FROM favourite_stops f WHERE f.user_id = u.user_id) < 3 "
        "ORDER BY u.user_id LIMIT 1",
    )[0]["user_id"]


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(name: str, **arguments: Any) -> Any:
        called.add(name)
        return h.ok(name, **arguments)

    ferry = ok("find_stop_by_name", stop_name="ferry pier")
    assert ferry["total"] >= 3 and all("Ferry Pier" in s["stop_name"] for s in ferry["stops"])
    route = day_route(h)
    info = ok("get_route_stops_info", route=route["route"].lower(), bound="O")
    stops = info["stops"]
    assert [s["seq"] for s in stops] == list(range(1, len(stops) + 1))
    assert stops[0]["stop_name"] == info["orig_en"] and stops[-1]["stop_name"] == info["dest_en"]
    inbound = h.ok("get_route_stops_info", route=route["route"], bound="I")["stops"]
    assert [s["stop_id"] for s in inbound] == [s["stop_id"] for s in reversed(stops)]

    board, alight = stops[1], stops[-1]
    at_stop = ok("get_all_routes_at_stop", stop_id=board["stop_id"])
    assert (route["route"], "O") in {(r["route"], r["bound"]) for r in at_stop}

    eta = ok("get_bus_eta", route=route["route"], stop_id=board["stop_id"], bound="O")
    times = [dt.datetime.fromisoformat(e["eta"]) for e in eta["etas"]]
    assert len(times) == 3 and times == sorted(times) and times[0] >= NOW.replace(second=0)
    # 08:05 is in the morning peak: buses leave the first stop every peak_headway minutes.
    assert {int((b - a).total_seconds() // 60) for a, b in itertools.pairwise(times)} == {route["peak_headway"]}
    departures = hk_bus.seed.departures(route)
    assert all(
        (t - dt.datetime.combine(NOW.date(), dt.time())).total_seconds() // 60 - board["minutes_from_origin"]
        in departures
        for t in times
    )

    next_buses = ok("get_next_bus", stop_id=board["stop_id"])
    waits = [b["minutes_away"] for b in next_buses if b["minutes_away"] is not None]
    assert waits == sorted(waits)
    ours = next(b for b in next_buses if (b["route"], b["bound"]) == (route["route"], "O"))
    assert ours["eta"] == eta["etas"][0]["eta"]

    direct = ok("search_route_by_stops", from_stop_id=board["stop_id"], to_stop_id=alight["stop_id"])
    ride = next(d for d in direct if (d["route"], d["bound"]) == (route["route"], "O"))
    assert ride["ride_minutes"] == alight["minutes_from_origin"] - board["minutes_from_origin"]
    assert ride["stops_travelled"] == alight["seq"] - board["seq"]
    district = h.rows("SELECT district FROM stops WHERE stop_id = ?", alight["stop_id"])[0]["district"]
    towards = ok("find_buses_to_destination", stop_id=board["stop_id"], destination=district)
    assert (route["route"], "O") in {(d["route"], d["bound"]) for d in towards}

    user_id = rider_with_room(h)
    saved = ok("add_favourite_stop", user_id=user_id, stop_id=board["stop_id"], nickname="Office")
    assert saved["created_at"] == NOW.isoformat()
    assert board["stop_id"] in {f["stop_id"] for f in ok("list_favourite_stops", user_id=user_id)}
    ok("remove_favourite_stop", user_id=user_id, stop_id=board["stop_id"])
    assert board["stop_id"] not in {f["stop_id"] for f in h.ok("list_favourite_stops", user_id=user_id)}

    alert = ok(
        "create_arrival_alert",
        user_id=user_id,
        route=route["route"],
        stop_id=board["stop_id"],
        minutes_before=5,
        bound="O",
    )
    assert alert["status"] == "active" and alert["next_alert_at"] is not None
    assert dt.datetime.fromisoformat(alert["next_alert_at"]) >= NOW.replace(second=0)
    assert [a["alert_id"] for a in ok("list_arrival_alerts", user_id=user_id)] == [alert["alert_id"]]
    cancelled = ok("cancel_arrival_alert", user_id=user_id, alert_id=alert["alert_id"])
    assert cancelled["status"] == "cancelled" and h.ok("list_arrival_alerts", user_id=user_id) == []
    assert called == set(hk_bus.env.tools)


def test_night_routes_run_after_midnight_only(h: EpisodeHarness) -> None:
    night = h.rows("SELECT * FROM routes WHERE route LIKE 'N%' AND bound = 'O' ORDER BY route LIMIT 1")[0]
    first_stop = h.rows("SELECT stop_id FROM route_stops WHERE route = ? AND bound = 'O' AND seq = 1", night["route"])[
        0
    ]
    eta = h.ok("get_bus_eta", route=night["route"], stop_id=first_stop["stop_id"])
    first = dt.datetime.fromisoformat(eta["etas"][0]["eta"])
    assert first.date() == NOW.date() + dt.timedelta(days=1) and first.hour < 6
    assert eta["remark"]


def test_favourite_and_alert_rules_are_refused_without_changes(h: EpisodeHarness) -> None:
    user_id = rider_with_room(h)
    route = day_route(h)
    on_route = h.rows("SELECT stop_id FROM route_stops WHERE route = ? AND bound = 'O' ORDER BY seq", route["route"])
    off_route = h.rows(
        "SELECT stop_id FROM stops WHERE stop_id NOT IN (SELECT stop_id FROM route_stops WHERE route = ?) LIMIT 1",
        route["route"],
    )[0]["stop_id"]
    assert "no bus route" in h.error("get_route_stops_info", route="ZZ9")
    assert "does not call at" in h.error(
        "create_arrival_alert", user_id=user_id, route=route["route"], stop_id=off_route, minutes_before=5
    )
    assert "1 to 30 minutes" in h.error(
        "create_arrival_alert", user_id=user_id, route=route["route"], stop_id=on_route[0]["stop_id"], minutes_before=45
    )
    h.ok(
        "create_arrival_alert", user_id=user_id, route=route["route"], stop_id=on_route[0]["stop_id"], minutes_before=5
    )
    assert "already have an active alert" in h.error(
        "create_arrival_alert", user_id=user_id, route=route["route"], stop_id=on_route[0]["stop_id"], minutes_before=9
    )
    for stop in on_route[1:5]:
        h.ok("create_arrival_alert", user_id=user_id, route=route["route"], stop_id=stop["stop_id"], minutes_before=3)
    sixth = on_route[5]["stop_id"] if len(on_route) > 5 else on_route[0]["stop_id"]
    assert "5 active alerts" in h.error(
        "create_arrival_alert", user_id=user_id, route=route["route"], stop_id=sixth, minutes_before=3, bound="I"
    )
    cancelled = h.rows("SELECT alert_id, user_id FROM arrival_alerts WHERE status = 'cancelled' LIMIT 1")[0]
    assert "already cancelled" in h.error("cancel_arrival_alert", **cancelled)
    someone_else = h.rows("SELECT alert_id FROM arrival_alerts WHERE user_id != ? LIMIT 1", user_id)[0]["alert_id"]
    assert "no alert" in h.error("cancel_arrival_alert", user_id=user_id, alert_id=someone_else)

    stops = [s["stop_id"] for s in h.rows("SELECT stop_id FROM stops ORDER BY stop_id")]
    current = {f["stop_id"] for f in h.ok("list_favourite_stops", user_id=user_id)}
    free_stops = [s for s in stops if s not in current]
    for stop_id in free_stops[: 10 - len(current)]:
        h.ok("add_favourite_stop", user_id=user_id, stop_id=stop_id, nickname="Spot")
    assert "10 favourite stops" in h.error("add_favourite_stop", user_id=user_id, stop_id=free_stops[-1], nickname="x")
    assert "already one of your favourite" in h.error(
        "add_favourite_stop", user_id=user_id, stop_id=free_stops[0], nickname="Again"
    )
    assert "not one of your favourite" in h.error("remove_favourite_stop", user_id=user_id, stop_id=free_stops[-1])
    assert "1 to 30 characters" in h.error("add_favourite_stop", user_id=user_id, stop_id=free_stops[-1], nickname=" ")
    assert "no rider account" in h.error("add_favourite_stop", user_id="nobody", stop_id=stops[0], nickname="Home")
    assert "at least two characters" in h.error("find_stop_by_name", stop_name="a")


def test_seeded_sizes_are_realistic() -> None:
    first = get_snapshot(hk_bus.env, 0)
    counts = {table: len(first.rows(table)) for table in first.tables}
    assert counts["stops"] >= 120 and counts["routes"] >= 150 and counts["route_stops"] >= 1500
    assert counts["riders"] >= 200 and counts["favourite_stops"] >= 150 and counts["arrival_alerts"] >= 50


def alert_task() -> Task:
    h = EpisodeHarness(hk_bus.env)
    user_id = rider_with_room(h)
    route = day_route(h)
    stop = h.rows("SELECT stop_id FROM route_stops WHERE route = ? AND bound = 'O' AND seq = 2", route["route"])[0]
    stop_name = h.rows("SELECT stop_name FROM stops WHERE stop_id = ?", stop["stop_id"])[0]["stop_name"]
    h.close()
    calls = [
        GoldCall(env_id="hk_bus", tool="find_stop_by_name", arguments={"stop_name": stop_name}),
        GoldCall(
            env_id="hk_bus",
            tool="create_arrival_alert",
            arguments={
                "user_id": user_id,
                "route": route["route"],
                "stop_id": stop["stop_id"],
                "minutes_before": 7,
                "bound": "O",
            },
        ),
    ]
    task = Task(
        task_id="hkbus-alert-e2e",
        domain="travel",
        env_ids=["hk_bus"],
        goal="write",
        query=f"I'm {user_id}. Alert me 7 minutes before route {route['route']} reaches {stop_name}.",
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = alert_task()
    assert [(c.table, c.op) for c in task.gold_changes] == [("arrival_alerts", "insert")]
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)


@pytest.fixture(scope="module")
def synthesized() -> list[Task]:
    """The packaged task file (envfactory verify proves it is exactly what synthesis makes)."""
    from envfactory_gym.tasks import load_tasks

    return load_tasks("travel", "hk_bus")


def test_each_request_names_the_account_it_changes(synthesized: list[Task]) -> None:
    """A request with goals for several riders says which account each change is for, in its own sentence."""
    writes = [c for t in synthesized for c in t.gold_calls if hk_bus.env.tools[c.tool].is_write]
    assert writes
    for task in synthesized:
        for call in task.gold_calls:
            if hk_bus.env.tools[call.tool].is_write:
                assert call.arguments["user_id"] in task.query, task.query
                assert "user id:" not in task.query, task.query


def test_stop_name_search_goal_matches_a_handful_of_stops(h: EpisodeHarness) -> None:
    """As a goal, a stop search uses a word a few stops share, so its count is neither 1 nor cut by paging."""
    from envfactory_gym.synthesis.pipeline import load_synthesis_hints

    load_synthesis_hints("hk_bus")  # the samplers live beside the environment, imported on demand
    sampler = hk_bus.env.argument_samplers["find_stop_by_name"]
    words = set()
    for seed in range(8):
        arguments = sampler(h.runtime.bindings["find_stop_by_name"].context, random.Random(seed))
        assert arguments is not None
        found = h.ok("find_stop_by_name", **arguments)
        assert 3 <= found["total"] <= 10
        assert len(found["stops"]) == found["total"]
        words.add(arguments["stop_name"])
    assert len(words) > 1
