"""Hong Kong bus stories: one rider of the KMB/Citybus app, one storyline each.

They cover what commuters ask and do: when the next bus of a route reaches their stop (by the stop's name or
their saved "Home" stop), which bus comes first, which bus gets them somewhere and how long the ride is,
whether a direct bus links two stops, a route's last bus and fare; saving a favourite stop, replacing the
"Home" stop after a move, setting an alert because they keep missing a bus, cancelling alerts for a route
they no longer take, and replacing an alert that fires too late. Times are said as a person says them; the
app's stop ids and direction codes come from the tools, never from the rider.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

MINUTE_CHOICES = (3, 5, 8, 10, 12, 15)


def _account_line(s: StoryContext, user_id: str) -> str:
    return speech.choose(
        s.rng,
        f"My account is {user_id}.",
        f"I'm {user_id} in the app.",
        f"(account {user_id})",
        f"My username is {user_id}.",
    )


def _boarding(s: StoryContext, extra: str = "", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    """A daytime route direction at a stop it calls at before its last stop, with a unique stop name."""
    return s.pick(
        "SELECT rs.route, rs.bound, rs.stop_id, s.stop_name, r.dest_en, r.orig_en FROM route_stops rs "
        "JOIN routes r ON r.route = rs.route AND r.bound = rs.bound JOIN stops s ON s.stop_id = rs.stop_id "
        "WHERE r.route NOT LIKE 'N%' AND rs.seq < (SELECT MAX(seq) FROM route_stops x WHERE x.route = rs.route "
        "AND x.bound = rs.bound) AND (SELECT COUNT(*) FROM stops y WHERE y.stop_name LIKE '%' || "
        "s.stop_name || '%') = 1" + extra,
        params,
    )


def _find_stop(s: StoryContext, name: str) -> str:
    found = s.call("find_stop_by_name", stop_name=s.say(name))
    return str(next(x["stop_id"] for x in found["stops"] if x["stop_name"] == name))


# --------------------------------------------------------------------------------------------------
# Reading: arrivals, routes, timetables
# --------------------------------------------------------------------------------------------------


@story("hk_bus")
def next_bus_of_route(s: StoryContext) -> str:
    """A commuter asks when the next bus of a route comes to a stop (by name or their saved stop)."""
    favourite = s.rng.random() < 0.4
    if favourite:
        row = _boarding(
            s,
            " AND EXISTS (SELECT 1 FROM favourite_stops f WHERE f.stop_id = rs.stop_id AND (SELECT COUNT(*) "
            "FROM favourite_stops g WHERE g.user_id = f.user_id AND g.nickname = f.nickname) = 1)",
        )
        fav = s.pick("SELECT * FROM favourite_stops WHERE stop_id = ?", (row["stop_id"],))
        s.person("hk_bus", fav["user_id"])
        saved = s.call("list_favourite_stops", user_id=s.say(fav["user_id"]))
        stop_id = next(x["stop_id"] for x in saved if x["nickname"] == fav["nickname"])
        s.say(fav["nickname"])
        where = f"my '{fav['nickname']}' stop"
    else:
        row = _boarding(s)
        stop_id = _find_stop(s, row["stop_name"])
        where = row["stop_name"]
    routes = s.call("get_all_routes_at_stop", stop_id=stop_id)
    if sum(1 for r in routes if r["route"] == row["route"] and r["dest_en"] == row["dest_en"]) != 1:
        s.reject("the route reaches the stop twice towards that destination")
    bound = next(r["bound"] for r in routes if r["route"] == row["route"] and r["dest_en"] == row["dest_en"])
    eta = s.call("get_bus_eta", route=s.say(row["route"]), stop_id=stop_id, bound=bound)
    # "Due now" (0-1 minutes) is answered in words, not as a number of minutes.
    if len(eta["etas"]) < 2 or not 2 <= eta["etas"][0]["minutes_away"] <= 60:
        s.reject("the route is not running soon")
    s.fact(eta["etas"][0]["minutes_away"])
    s.fact(speech.clock(eta["etas"][1]["eta"]), derived=True)
    s.context(row["stop_name"], row["dest_en"])
    s.say(row["dest_en"])
    lines = [speech.opening(s.rng)]
    if favourite:
        lines.append(_account_line(s, fav["user_id"]))
    lines.append(
        speech.choose(
            s.rng,
            f"When is the next {row['route']} towards {row['dest_en']} coming to {where}?",
            f"How long until the next {row['route']} to {row['dest_en']} reaches {where}?",
            f"I'm heading out to catch the {row['route']} towards {row['dest_en']} at {where} — how many minutes "
            "until it comes?",
        )
    )
    lines.append(speech.choose(s.rng, "And when is the one after that?", "If I miss it, when's the following one?"))
    return speech.sentence(*lines)


@story("hk_bus")
def which_bus_comes_first(s: StoryContext) -> str:
    """A rider at a stop wants whichever bus comes first, where it is going and how soon."""
    stop = s.pick(
        "SELECT s.stop_id, s.stop_name FROM stops s WHERE (SELECT COUNT(*) FROM route_stops rs WHERE "
        "rs.stop_id = s.stop_id) >= 3 AND (SELECT COUNT(*) FROM stops y WHERE y.stop_name LIKE '%' "
        "|| s.stop_name || '%') = 1"
    )
    stop_id = _find_stop(s, stop["stop_name"])
    buses = s.call("get_next_bus", stop_id=stop_id)
    walk = s.rng.choice((3, 4, 5, 6, 8))
    # A bus due within the rider's walk to the stop cannot be caught: the first one after it is the answer.
    running = [b for b in buses if b["minutes_away"] is not None and b["minutes_away"] >= walk]
    if len(running) < 2 or running[0]["minutes_away"] == running[1]["minutes_away"]:
        s.reject("a tie for the first bus")
    first = running[0]
    s.fact(first["route"])
    s.fact(first["dest_en"])
    s.fact(first["minutes_away"])
    s.context(stop["stop_name"])
    walking = speech.count(walk, "minute")
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'm {walking} away from the {stop['stop_name']} stop and I'll take whatever bus I can catch first.",
            f"It takes me {walking} to walk to {stop['stop_name']}; any bus from there is fine.",
        ),
        speech.choose(
            s.rng,
            "Which is the first bus I can still make, where is it going and how many minutes until it arrives?",
            "Which bus will be the first one I can catch, what's its destination, and how soon does it come?",
        ),
    )


@story("hk_bus")
def bus_to_destination(s: StoryContext) -> str:
    """A rider asks which bus from their stop gets them to a place quickest and how long the ride is."""
    trip = s.pick(
        "SELECT a.stop_id, sa.stop_name AS from_name, sb.stop_name AS to_name FROM route_stops a "
        "JOIN route_stops b ON a.route = b.route AND a.bound = b.bound AND b.seq > a.seq "
        "JOIN stops sa ON sa.stop_id = a.stop_id JOIN stops sb ON sb.stop_id = b.stop_id "
        "WHERE sa.district <> sb.district AND a.route NOT LIKE 'N%' "
        "AND (SELECT COUNT(*) FROM stops y WHERE y.stop_name LIKE '%' || sa.stop_name || '%') = 1 "
        "AND (SELECT COUNT(*) FROM stops y WHERE y.stop_name LIKE '%' || sb.stop_name || '%') = 1"
    )
    stop_id = _find_stop(s, trip["from_name"])
    options = s.call("find_buses_to_destination", stop_id=stop_id, destination=s.say(trip["to_name"]))
    if not options or (len(options) > 1 and options[0]["ride_minutes"] == options[1]["ride_minutes"]):
        s.reject("no single quickest bus")
    best = options[0]
    s.fact(best["route"])
    s.fact(best["ride_minutes"])
    s.context(trip["from_name"], trip["to_name"], best["dest_en"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I need to get from {trip['from_name']} to {trip['to_name']} by bus.",
            f"I'm at {trip['from_name']} and want to go to {trip['to_name']}.",
        ),
        speech.choose(
            s.rng,
            "Which bus gets me there fastest, and how many minutes is the ride?",
            "Which route is the quickest ride, and how long does it take?",
        ),
    )


@story("hk_bus")
def direct_bus_between_stops(s: StoryContext) -> str:
    """A rider asks whether a direct bus links two stops and when the next one leaves."""
    trip = s.pick(
        "SELECT sa.stop_name AS from_name, sb.stop_name AS to_name FROM route_stops a "
        "JOIN route_stops b ON a.route = b.route AND a.bound = b.bound AND b.seq > a.seq "
        "JOIN stops sa ON sa.stop_id = a.stop_id JOIN stops sb ON sb.stop_id = b.stop_id "
        "WHERE a.route NOT LIKE 'N%' "
        "AND (SELECT COUNT(*) FROM stops y WHERE y.stop_name LIKE '%' || sa.stop_name || '%') = 1 "
        "AND (SELECT COUNT(*) FROM stops y WHERE y.stop_name LIKE '%' || sb.stop_name || '%') = 1"
    )
    origin = _find_stop(s, trip["from_name"])
    destination = _find_stop(s, trip["to_name"])
    options = s.call("search_route_by_stops", from_stop_id=origin, to_stop_id=destination)
    if not options or options[0]["next_eta"] is None:
        s.reject("no running direct bus")
    if len(options) > 1 and options[0]["ride_minutes"] == options[1]["ride_minutes"]:
        s.reject("a tie for the quickest")
    best = options[0]
    s.fact(best["route"])
    s.fact(speech.clock(best["next_eta"]), derived=True)
    s.context(trip["from_name"], trip["to_name"], best["dest_en"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Is there a direct bus from {trip['from_name']} to {trip['to_name']}?",
            f"Can I get from {trip['from_name']} to {trip['to_name']} without changing buses?",
        ),
        speech.choose(
            s.rng,
            "If there are several, I want the quickest ride — which route is it and when does the next one come?",
            "Tell me the route with the shortest ride and what time its next bus gets to my stop.",
        ),
    )


@story("hk_bus")
def last_bus_and_fare(s: StoryContext) -> str:
    """A rider planning a late evening asks a route's last departure and its fare."""
    row = s.pick("SELECT * FROM routes WHERE route NOT LIKE 'N%'")
    info = s.call("get_route_stops_info", route=s.say(row["route"]))
    if info["dest_en"] != row["dest_en"]:
        # The rider named the other direction: the outbound answer shows it, so the inbound one is asked for.
        info = s.call("get_route_stops_info", route=row["route"], bound=s.imply("I"))
    s.fact(info["last_bus"])
    s.fact(speech.from_cents(info["fare"]), derived=True)
    s.say(row["orig_en"])
    s.say(row["dest_en"])
    s.context(row["orig_en"], row["dest_en"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'll be out late tonight. What time does the last {row['route']} leave {row['orig_en']} for "
            f"{row['dest_en']}, and how much is the fare?",
            f"When is the last {row['route']} from {row['orig_en']} to {row['dest_en']}? And what does the ride cost?",
        ),
    )


# --------------------------------------------------------------------------------------------------
# Favourites and alerts
# --------------------------------------------------------------------------------------------------


@story("hk_bus", implicit=True)
def keeps_missing_the_bus(s: StoryContext) -> str:
    """A commuter keeps missing their bus at a saved stop: an arrival alert is set with the warning they ask."""
    row = _boarding(
        s,
        " AND EXISTS (SELECT 1 FROM favourite_stops f WHERE f.stop_id = rs.stop_id AND (SELECT COUNT(*) "
        "FROM favourite_stops g WHERE g.user_id = f.user_id AND g.nickname = f.nickname) = 1 "
        "AND (SELECT COUNT(*) FROM arrival_alerts a WHERE a.user_id = f.user_id AND a.status = 'active') < 5 "
        "AND NOT EXISTS (SELECT 1 FROM arrival_alerts a WHERE a.user_id = f.user_id AND a.route = rs.route "
        "AND a.stop_id = rs.stop_id AND a.status = 'active'))",
    )
    fav = s.pick(
        "SELECT * FROM favourite_stops f WHERE stop_id = ? AND (SELECT COUNT(*) FROM arrival_alerts a "
        "WHERE a.user_id = f.user_id AND a.status = 'active') < 5 AND NOT EXISTS (SELECT 1 FROM arrival_alerts a "
        "WHERE a.user_id = f.user_id AND a.route = ? AND a.stop_id = f.stop_id AND a.status = 'active')",
        (row["stop_id"], row["route"]),
    )
    s.person("hk_bus", fav["user_id"])
    minutes = s.rng.choice(MINUTE_CHOICES)
    saved = s.call("list_favourite_stops", user_id=s.say(fav["user_id"]))
    stop_id = next(x["stop_id"] for x in saved if x["nickname"] == s.say(fav["nickname"]))
    routes = s.call("get_all_routes_at_stop", stop_id=stop_id)
    matching = [r for r in routes if r["route"] == row["route"] and r["dest_en"] == row["dest_en"]]
    if len(matching) != 1:
        s.reject("ambiguous direction")
    warning = speech.count(minutes, "minute")
    alert = s.call(
        "create_arrival_alert",
        user_id=fav["user_id"],
        route=s.say(row["route"]),
        stop_id=stop_id,
        minutes_before=s.say(minutes, warning),
        bound=matching[0]["bound"],
    )
    s.detail("warning time", minutes, warning, vague="a bit", synonyms=["minutes", "how early", "warning"])
    if alert["next_alert_at"] is None:
        s.reject("no bus left today")
    s.fact(speech.clock(alert["next_alert_at"]), derived=True)
    s.say(row["dest_en"])
    s.context(row["route"], fav["nickname"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I keep missing the {row['route']} towards {row['dest_en']} at my '{fav['nickname']}' stop.",
            f"The {row['route']} to {row['dest_en']} always leaves my '{fav['nickname']}' stop just as I get there.",
        ),
        f"Can you warn me {warning} before it arrives?",
        _account_line(s, fav["user_id"]),
        speech.choose(s.rng, "When will the first warning come?", "What time will I first be notified?"),
    )


@story("hk_bus")
def save_favourite_stop(s: StoryContext) -> str:
    """A rider saves a stop to their favourites under a nickname."""
    nickname = s.rng.choice(("Gym", "Office", "Mum's place", "School", "Clinic", "Market", "Work", "Uni", "Church"))
    rider = s.pick(
        "SELECT r.user_id FROM riders r WHERE (SELECT COUNT(*) FROM favourite_stops f WHERE "
        "f.user_id = r.user_id) < 10 "
        "AND NOT EXISTS (SELECT 1 FROM favourite_stops f WHERE f.user_id = r.user_id AND f.nickname = ?)",
        (nickname,),
    )
    stop = s.pick(
        "SELECT s.* FROM stops s WHERE NOT EXISTS (SELECT 1 FROM favourite_stops f WHERE f.user_id = ? "
        "AND f.stop_id = s.stop_id) AND (SELECT COUNT(*) FROM stops y WHERE y.stop_name LIKE '%' || "
        "s.stop_name || '%') = 1",
        (rider["user_id"],),
    )
    s.person("hk_bus", rider["user_id"])
    stop_id = _find_stop(s, stop["stop_name"])
    s.call("add_favourite_stop", user_id=s.say(rider["user_id"]), stop_id=stop_id, nickname=s.say(nickname))
    s.detail("stop", stop["stop_name"], stop["stop_name"], vague="a stop I use a lot")
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Please save {stop['stop_name']} to my favourite stops as '{nickname}'.",
            f"I use the {stop['stop_name']} stop all the time now; add it to my favourites and call it '{nickname}'.",
        ),
        _account_line(s, rider["user_id"]),
    )


@story("hk_bus", implicit=True)
def moved_house(s: StoryContext) -> str:
    """A rider has moved: their 'Home' favourite is replaced by the stop near the new flat."""
    fav = s.pick(
        "SELECT f.*, s.stop_name FROM favourite_stops f JOIN stops s ON s.stop_id = f.stop_id WHERE f.nickname = 'Home'"
    )
    stop = s.pick(
        "SELECT s.* FROM stops s WHERE NOT EXISTS (SELECT 1 FROM favourite_stops f WHERE f.user_id = ? "
        "AND f.stop_id = s.stop_id) AND (SELECT COUNT(*) FROM stops y WHERE y.stop_name LIKE '%' || "
        "s.stop_name || '%') = 1",
        (fav["user_id"],),
    )
    s.person("hk_bus", fav["user_id"])
    saved = s.call("list_favourite_stops", user_id=s.say(fav["user_id"]))
    old = next(x["stop_id"] for x in saved if x["nickname"] == "Home")
    s.call("remove_favourite_stop", user_id=fav["user_id"], stop_id=old)
    new = _find_stop(s, stop["stop_name"])
    s.call("add_favourite_stop", user_id=fav["user_id"], stop_id=new, nickname=s.say("Home"))
    s.detail("new home stop", stop["stop_name"], stop["stop_name"], vague="the stop near my new flat")
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I've just moved, so {fav['stop_name']} isn't my 'Home' stop any more — it's {stop['stop_name']} now.",
            f"We moved flats last week. My nearest stop is now {stop['stop_name']}, not {fav['stop_name']}, and "
            "I want my 'Home' stop to reflect that.",
        ),
        _account_line(s, fav["user_id"]),
    )


@story("hk_bus", implicit=True)
def stopped_taking_route(s: StoryContext) -> str:
    """A rider no longer takes a route: every active alert they have for it is cancelled."""
    alert = s.pick("SELECT * FROM arrival_alerts WHERE status = 'active'")
    s.person("hk_bus", alert["user_id"])
    alerts = s.call("list_arrival_alerts", user_id=s.say(alert["user_id"]))
    for item in alerts:
        if item["route"] == alert["route"]:
            s.call("cancel_arrival_alert", user_id=alert["user_id"], alert_id=item["alert_id"])
    s.say(alert["route"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I've stopped taking the {alert['route']} since I changed jobs, so I don't need its alerts any more.",
            f"I drive to work now and never ride the {alert['route']}; the notifications for it are just noise.",
            f"No more {alert['route']} for me — I take the MTR these days. Please stop the alerts for that bus.",
        ),
        _account_line(s, alert["user_id"]),
    )


@story("hk_bus")
def alert_at_named_stop(s: StoryContext) -> str:
    """A rider sets an alert for a route at a stop they name, a set number of minutes ahead."""
    row = _boarding(s)
    rider = s.pick(
        "SELECT r.user_id FROM riders r WHERE (SELECT COUNT(*) FROM arrival_alerts a WHERE a.user_id = r.user_id "
        "AND a.status = 'active') < 5 AND NOT EXISTS (SELECT 1 FROM arrival_alerts a WHERE a.user_id = r.user_id "
        "AND a.route = ? AND a.stop_id = ? AND a.status = 'active')",
        (row["route"], row["stop_id"]),
    )
    s.person("hk_bus", rider["user_id"])
    minutes = s.rng.choice(MINUTE_CHOICES)
    stop_id = _find_stop(s, row["stop_name"])
    routes = s.call("get_all_routes_at_stop", stop_id=stop_id)
    matching = [r for r in routes if r["route"] == row["route"] and r["dest_en"] == row["dest_en"]]
    if len(matching) != 1:
        s.reject("ambiguous direction")
    warning = speech.count(minutes, "minute")
    s.call(
        "create_arrival_alert",
        user_id=s.say(rider["user_id"]),
        route=s.say(row["route"]),
        stop_id=stop_id,
        minutes_before=s.say(minutes, warning),
        bound=matching[0]["bound"],
    )
    s.detail("warning time", minutes, warning, vague="a little", synonyms=["minutes", "how early"])
    s.say(row["dest_en"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Set an alert {warning} before the {row['route']} towards {row['dest_en']} reaches {row['stop_name']}.",
            f"Could you notify me {warning} ahead of each {row['route']} to {row['dest_en']} arriving at "
            f"{row['stop_name']}?",
        ),
        _account_line(s, rider["user_id"]),
    )


@story("hk_bus", implicit=True)
def alert_fires_too_late(s: StoryContext) -> str:
    """An alert fires too late: it is cancelled and set again with the longer warning (one alert per stop)."""
    alert = s.pick(
        "SELECT a.*, s.stop_name, r.dest_en FROM arrival_alerts a JOIN stops s ON s.stop_id = a.stop_id "
        "JOIN routes r ON r.route = a.route AND r.bound = a.bound WHERE a.status = 'active' AND a.minutes_before < 10 "
        "AND (SELECT COUNT(*) FROM arrival_alerts b WHERE b.user_id = a.user_id AND b.route = a.route "
        "AND b.status = 'active') = 1"
    )
    s.person("hk_bus", alert["user_id"])
    minutes = s.rng.choice([m for m in MINUTE_CHOICES if m > alert["minutes_before"]])
    alerts = s.call("list_arrival_alerts", user_id=s.say(alert["user_id"]))
    mine = next(a for a in alerts if a["alert_id"] == alert["alert_id"])
    s.call("cancel_arrival_alert", user_id=alert["user_id"], alert_id=mine["alert_id"])
    warning = speech.count(minutes, "minute")
    s.call(
        "create_arrival_alert",
        user_id=alert["user_id"],
        route=mine["route"],
        stop_id=mine["stop_id"],
        minutes_before=s.say(minutes, warning),
        bound=mine["bound"],
    )
    s.detail("warning time", minutes, warning, vague="more warning", synonyms=["minutes", "how early"])
    s.say(alert["route"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"My alert for the {alert['route']} only gives me {speech.count(alert['minutes_before'], 'minute')}, "
            f"which isn't enough to get down to {alert['stop_name']}.",
            f"The {alert['route']} alert goes off too late for me to reach {alert['stop_name']}.",
        ),
        f"I need {warning} of warning instead.",
        _account_line(s, alert["user_id"]),
    )
