"""The tools an agent calls (the API reference a model sees), with their typed views and helpers."""

from __future__ import annotations

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import ETA_COUNT, MAX_ACTIVE_ALERTS, MAX_FAVOURITES, ArrivalAlert, Bound, FavouriteStop
from .seed import (
    AlertView,
    DirectRoute,
    EtaResult,
    EtaView,
    FavouriteView,
    NextBus,
    RouteAtStop,
    RouteInfo,
    StopPage,
    _alert_view,
    _call_at,
    _hhmm,
    _page,
    _rider,
    _route,
    _stop,
    upcoming_arrivals,
)

# --------------------------------------------------------------------------------------------------
# Tools: routes, stops and arrivals
# --------------------------------------------------------------------------------------------------


@env.read(intents=["which bus stops have '{stop_name}' in their name", "find the bus stops called {stop_name}"])
def find_stop_by_name(ctx: ToolContext, stop_name: str, limit: int = 10, offset: int = 0) -> StopPage:
    """Find bus stops whose English name contains the given text; returns their stop ids.

    Args:
        stop_name: Part of the stop's English name, such as 'Mong Kok Station' or 'Ferry Pier'.
        limit: Maximum number of stops to return (1-50).
        offset: Number of stops to skip, for paging.
    """
    _page(limit, offset)
    text = stop_name.strip()
    if len(text) < 2:
        raise DomainError("Please give at least two characters of the stop's name.")
    pattern = f"%{text}%"
    total = ctx.query("SELECT COUNT(*) AS n FROM stops WHERE stop_name LIKE ?", [pattern])[0]["n"]
    rows = ctx.query(
        "SELECT stop_id, stop_name, district, lat, long FROM stops WHERE stop_name LIKE ? "
        "ORDER BY stop_name LIMIT ? OFFSET ?",
        [pattern, limit, offset],
    )
    return {"total": total, "stops": rows}  # type: ignore[typeddict-item]


@env.read(intents=["what stops does route {route} make", "list the stops of bus {route} going {bound}"])
def get_route_stops_info(ctx: ToolContext, route: str, bound: Bound = "O") -> RouteInfo:
    """Get one direction of a bus route: company, termini, timetable, fare and its stops in order.

    Args:
        route: The route number, such as '1A' or 'N21'.
        bound: 'O' for outbound or 'I' for inbound.
    """
    info = _route(ctx, route, bound)
    rows = ctx.query(
        "SELECT rs.seq, rs.stop_id, s.stop_name, rs.minutes_from_origin FROM route_stops rs "
        "JOIN stops s ON s.stop_id = rs.stop_id WHERE rs.route = ? AND rs.bound = ? ORDER BY rs.seq",
        [info["route"], bound],
    )
    return {
        "route": str(info["route"]),
        "bound": bound,
        "company": str(info["company"]),
        "orig_en": str(info["orig_en"]),
        "dest_en": str(info["dest_en"]),
        "first_bus": _hhmm(int(info["first_bus"])),  # type: ignore[call-overload]
        "last_bus": _hhmm(int(info["last_bus"])),  # type: ignore[call-overload]
        "peak_headway": int(info["peak_headway"]),  # type: ignore[call-overload]
        "offpeak_headway": int(info["offpeak_headway"]),  # type: ignore[call-overload]
        "fare": int(info["fare"]),  # type: ignore[call-overload]
        "stops": rows,  # type: ignore[typeddict-item]
    }


@env.read(intents=["which buses stop at {stop_id}"])
def get_all_routes_at_stop(ctx: ToolContext, stop_id: str) -> list[RouteAtStop]:
    """List every route direction that calls at a stop, with its destination and the stop's position.

    Args:
        stop_id: The stop id, from find_stop_by_name.
    """
    _stop(ctx, stop_id)
    return ctx.query(  # type: ignore[return-value]
        "SELECT r.route, r.bound, r.company, r.dest_en, rs.seq FROM route_stops rs "
        "JOIN routes r ON r.route = rs.route AND r.bound = rs.bound WHERE rs.stop_id = ? ORDER BY r.route, r.bound",
        [stop_id],
    )


@env.read(intents=["when is the next {route} at {stop_id}", "how long until bus {route} reaches {stop_id}"])
def get_bus_eta(ctx: ToolContext, route: str, stop_id: str, bound: Bound = "O") -> EtaResult:
    """Get the next three estimated arrival times of one route direction at a stop.

    Args:
        route: The route number, such as '1A'.
        stop_id: The stop id.
        bound: 'O' for outbound or 'I' for inbound.
    """
    info = _route(ctx, route, bound)
    stop = _stop(ctx, stop_id)
    call = _call_at(ctx, info, stop_id)
    arrivals = upcoming_arrivals(ctx.now, info, int(call["minutes_from_origin"]), ETA_COUNT)  # type: ignore[call-overload]
    etas: list[EtaView] = [
        {
            "route": str(info["route"]),
            "bound": bound,
            "dest_en": str(info["dest_en"]),
            "stop_id": stop_id,
            "eta_seq": index,
            "eta": arrival.isoformat(),
            "minutes_away": int((arrival - ctx.now).total_seconds() // 60),
        }
        for index, arrival in enumerate(arrivals, start=1)
    ]
    remark = "" if etas and etas[0]["minutes_away"] <= 60 else "No scheduled departure within the next hour."
    return {
        "route": str(info["route"]),
        "bound": bound,
        "stop_id": stop_id,
        "stop_name": str(stop["stop_name"]),
        "etas": etas,
        "remark": remark,
    }


@env.read(intents=["what's the next bus from {stop_id}", "which bus comes first at {stop_id}"])
def get_next_bus(ctx: ToolContext, stop_id: str) -> list[NextBus]:
    """For every route direction at a stop, the next arrival, soonest first (routes not running come last).

    Args:
        stop_id: The stop id.
    """
    _stop(ctx, stop_id)
    results: list[NextBus] = []
    for row in ctx.query(
        "SELECT r.*, rs.minutes_from_origin FROM route_stops rs JOIN routes r ON r.route = rs.route "
        "AND r.bound = rs.bound WHERE rs.stop_id = ? ORDER BY r.route, r.bound",
        [stop_id],
    ):
        arrivals = upcoming_arrivals(ctx.now, row, row["minutes_from_origin"], 1)
        eta = arrivals[0] if arrivals else None
        results.append(
            {
                "route": row["route"],
                "bound": row["bound"],
                "company": row["company"],
                "dest_en": row["dest_en"],
                "eta": eta.isoformat() if eta else None,
                "minutes_away": int((eta - ctx.now).total_seconds() // 60) if eta else None,
            }
        )
    results.sort(key=lambda r: (r["minutes_away"] is None, r["minutes_away"] or 0, r["route"]))
    return results


def _direct_routes(
    ctx: ToolContext, from_stop_id: str, destination_clause: str, params: list[object]
) -> list[DirectRoute]:
    rows = ctx.query(
        "SELECT r.*, a.stop_id AS from_stop_id, b.stop_id AS to_stop_id, s.stop_name AS to_stop_name, "
        "b.seq - a.seq AS stops_travelled, b.minutes_from_origin - a.minutes_from_origin AS ride_minutes, "
        "a.minutes_from_origin AS board_offset FROM route_stops a "
        "JOIN route_stops b ON a.route = b.route AND a.bound = b.bound AND b.seq > a.seq "
        "JOIN routes r ON r.route = a.route AND r.bound = a.bound JOIN stops s ON s.stop_id = b.stop_id "
        f"WHERE a.stop_id = ? AND {destination_clause} ORDER BY ride_minutes, r.route",
        [from_stop_id, *params],
    )
    found: dict[tuple[str, str], DirectRoute] = {}
    for row in rows:
        key = (row["route"], row["bound"])
        if key in found:
            continue
        arrivals = upcoming_arrivals(ctx.now, row, row["board_offset"], 1)
        found[key] = {
            "route": row["route"],
            "bound": row["bound"],
            "company": row["company"],
            "dest_en": row["dest_en"],
            "from_stop_id": row["from_stop_id"],
            "to_stop_id": row["to_stop_id"],
            "to_stop_name": row["to_stop_name"],
            "stops_travelled": row["stops_travelled"],
            "ride_minutes": row["ride_minutes"],
            "next_eta": arrivals[0].isoformat() if arrivals else None,
        }
    return list(found.values())


@env.read(intents=["which bus takes me from {stop_id} to somewhere called {destination}"])
def find_buses_to_destination(ctx: ToolContext, stop_id: str, destination: str) -> list[DirectRoute]:
    """Find routes from a stop that later call at a stop whose name or district matches the destination.

    Args:
        stop_id: The stop where the rider boards.
        destination: Part of a stop name or a district, such as 'Airport', 'Sha Tin' or 'Ocean Park'.
    """
    _stop(ctx, stop_id)
    text = destination.strip()
    if len(text) < 2:
        raise DomainError("Please give at least two characters of the destination.")
    pattern = f"%{text}%"
    return _direct_routes(ctx, stop_id, "(s.stop_name LIKE ? OR s.district LIKE ?)", [pattern, pattern])


@env.read(intents=["is there a direct bus from {from_stop_id} to {to_stop_id}"])
def search_route_by_stops(ctx: ToolContext, from_stop_id: str, to_stop_id: str) -> list[DirectRoute]:
    """Find direct routes that call at one stop and later at another, quickest ride first.

    Args:
        from_stop_id: The stop where the rider boards.
        to_stop_id: The stop where the rider gets off.
    """
    _stop(ctx, from_stop_id)
    _stop(ctx, to_stop_id)
    if from_stop_id == to_stop_id:
        raise DomainError("The boarding and alighting stops are the same.")
    return _direct_routes(ctx, from_stop_id, "b.stop_id = ?", [to_stop_id])


# --------------------------------------------------------------------------------------------------
# Tools: favourites and alerts
# --------------------------------------------------------------------------------------------------


@env.read(intents=["show my favourite stops ({user_id})"])
def list_favourite_stops(ctx: ToolContext, user_id: str) -> list[FavouriteView]:
    """List a rider's favourite stops with their nicknames.

    Args:
        user_id: The rider's account name.
    """
    _rider(ctx, user_id)
    return ctx.query(  # type: ignore[return-value]
        "SELECT f.stop_id, s.stop_name, f.nickname, f.created_at FROM favourite_stops f "
        "JOIN stops s ON s.stop_id = f.stop_id WHERE f.user_id = ? ORDER BY f.created_at, f.stop_id",
        [user_id],
    )


@env.write(
    intents=[
        "save {stop_id} as my '{nickname}' stop on my account {user_id}",
        "add {stop_id} to the favourites of {user_id} as {nickname}",
    ]
)
def add_favourite_stop(ctx: ToolContext, user_id: str, stop_id: str, nickname: str) -> FavouriteView:
    """Save a stop to a rider's favourites under a nickname (at most 10 favourites).

    Args:
        user_id: The rider's account name.
        stop_id: The stop id.
        nickname: A short name for the stop, such as 'Home' (1-30 characters).
    """
    _rider(ctx, user_id)
    stop = _stop(ctx, stop_id)
    name = nickname.strip()
    if not 1 <= len(name) <= 30:
        raise DomainError("The nickname must be 1 to 30 characters.")
    favourites = ctx.rows(FavouriteStop)
    if favourites.get(user_id, stop_id) is not None:
        raise DomainError(f"{stop['stop_name']} is already one of your favourite stops.")
    if favourites.count({"user_id": user_id}) >= MAX_FAVOURITES:
        raise DomainError(f"You already have {MAX_FAVOURITES} favourite stops; remove one first.")
    row = favourites.insert(
        user_id=user_id, stop_id=stop_id, nickname=name, created_at=ctx.now.isoformat(timespec="seconds")
    )
    return {"stop_id": stop_id, "stop_name": str(stop["stop_name"]), "nickname": name, "created_at": row["created_at"]}


@env.write(intents=["remove {stop_id} from the favourite stops of my account {user_id}"])
def remove_favourite_stop(ctx: ToolContext, user_id: str, stop_id: str) -> str:
    """Remove a stop from a rider's favourites.

    Args:
        user_id: The rider's account name.
        stop_id: The stop id.
    """
    _rider(ctx, user_id)
    favourites = ctx.rows(FavouriteStop)
    if favourites.get(user_id, stop_id) is None:
        raise DomainError(f"Stop {stop_id} is not one of your favourite stops.")
    favourites.delete(user_id, stop_id)
    return f"Stop {stop_id} was removed from your favourites."


@env.write(
    intents=[
        "on my account {user_id}, alert me {minutes_before} minutes before route {route} reaches {stop_id}",
        "as {user_id}, remind me when bus {route} is about to arrive at {stop_id}",
    ]
)
def create_arrival_alert(
    ctx: ToolContext, user_id: str, route: str, stop_id: str, minutes_before: int, bound: Bound = "O"
) -> AlertView:
    """Set an alert that notifies a rider a number of minutes before each bus of a route reaches a stop.

    Args:
        user_id: The rider's account name.
        route: The route number.
        stop_id: The stop the bus must call at.
        minutes_before: How many minutes before arrival to notify (1-30).
        bound: 'O' for outbound or 'I' for inbound.
    """
    _rider(ctx, user_id)
    info = _route(ctx, route, bound)
    _call_at(ctx, info, stop_id)
    if not 1 <= minutes_before <= 30:
        raise DomainError("Alerts can be set 1 to 30 minutes before arrival.")
    alerts = ctx.rows(ArrivalAlert)
    if alerts.first(
        {"user_id": user_id, "route": info["route"], "bound": bound, "stop_id": stop_id, "status": "active"}
    ):
        raise DomainError(f"You already have an active alert for route {info['route']} at this stop.")
    if alerts.count({"user_id": user_id, "status": "active"}) >= MAX_ACTIVE_ALERTS:
        raise DomainError(f"You already have {MAX_ACTIVE_ALERTS} active alerts; cancel one first.")
    alert = alerts.insert(
        alert_id=f"AL{ctx.new_id(6)}",
        user_id=user_id,
        route=info["route"],
        bound=bound,
        stop_id=stop_id,
        minutes_before=minutes_before,
        status="active",
        created_at=ctx.now.isoformat(timespec="seconds"),
    )
    return _alert_view(ctx, alert)


@env.read(intents=["what bus alerts do I have ({user_id})"])
def list_arrival_alerts(ctx: ToolContext, user_id: str, include_cancelled: bool = False) -> list[AlertView]:
    """List a rider's arrival alerts with the time each will next fire.

    Args:
        user_id: The rider's account name.
        include_cancelled: Also list alerts that were cancelled.
    """
    _rider(ctx, user_id)
    where: dict[str, object] = {"user_id": user_id}
    if not include_cancelled:
        where["status"] = "active"
    return [_alert_view(ctx, a) for a in ctx.rows(ArrivalAlert).find(where, order_by="alert_id")]


@env.write(
    intents=[
        "cancel {alert_id} on my account {user_id}",
        "please drop {alert_id} from my account {user_id}, I no longer need it",
    ]
)
def cancel_arrival_alert(ctx: ToolContext, user_id: str, alert_id: str) -> AlertView:
    """Cancel one of a rider's active arrival alerts.

    Args:
        user_id: The rider's account name.
        alert_id: The alert id, from list_arrival_alerts.
    """
    _rider(ctx, user_id)
    alert = ctx.rows(ArrivalAlert).get(alert_id)
    if alert is None or alert["user_id"] != user_id:
        raise DomainError(f"You have no alert {alert_id}.")
    if alert["status"] != "active":
        raise DomainError(f"Alert {alert_id} is already cancelled.")
    ctx.rows(ArrivalAlert).update(alert_id, status="cancelled")
    return _alert_view(ctx, {**alert, "status": "cancelled"})
