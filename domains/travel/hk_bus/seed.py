"""The seeded generator and its data tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    MAX_PAGE,
    NOW,
    PEAKS,
    SERVICE_DAY_START,
    ArrivalAlert,
    FavouriteStop,
    Rider,
    Route,
    RouteStop,
    ServiceClock,
    Stop,
)

# --------------------------------------------------------------------------------------------------
# Seed data
# --------------------------------------------------------------------------------------------------

# district -> (centre latitude, centre longitude, stop names along the district's main roads)
DISTRICTS: dict[str, tuple[float, float, tuple[str, ...]]] = {
    "Central": (22.2819, 114.1581, ("Central (Exchange Square) Bus Terminus", "Pedder Street", "Central Ferry Pier",
                "Queen's Road Central", "Hong Kong Station", "Des Voeux Road Central", "Statue Square")),
    "Admiralty": (22.2788, 114.1651, ("Admiralty Station", "Pacific Place", "Queensway", "Hong Kong Park")),
    "Wan Chai": (22.2776, 114.1731, ("Wan Chai Ferry Pier", "Hennessy Road", "Southorn Playground",
                 "Convention Centre", "Fleming Road", "Wan Chai Station")),
    "Causeway Bay": (22.2802, 114.1849, ("Causeway Bay (Times Square)", "Yee Wo Street", "Victoria Park",
                     "Causeway Bay Station", "Tin Hau Station", "Leighton Road")),
    "North Point": (22.2911, 114.2005, ("North Point Ferry Pier", "King's Road (North Point)", "Fortress Hill",
                    "Quarry Bay (King's Road)", "Taikoo Shing", "Tai Koo Station")),
    "Chai Wan": (22.2646, 114.2371, ("Shau Kei Wan", "Heng Fa Chuen", "Chai Wan (East) Bus Terminus", "Siu Sai Wan")),
    "Aberdeen": (22.2480, 114.1540, ("Aberdeen Centre", "Wong Chuk Hang Station", "Ocean Park",
                 "Aberdeen Bus Terminus", "Ap Lei Chau Estate")),
    "Tsim Sha Tsui": (22.2976, 114.1722, ("Tsim Sha Tsui (Star Ferry) Bus Terminus", "Nathan Road (Kimberley Road)",
                      "Chatham Road South", "Canton Road", "Hong Kong Cultural Centre", "Tsim Sha Tsui Station",
                      "Harbour City")),
    "Yau Ma Tei": (22.3050, 114.1712, ("Jordan Station", "Yau Ma Tei Station", "Temple Street", "Kowloon Park",
                   "Waterloo Road (Yau Ma Tei)")),
    "Mong Kok": (22.3193, 114.1694, ("Mong Kok Station", "Argyle Street", "Sai Yeung Choi Street",
                 "Mong Kok East Station", "Prince Edward Station", "Langham Place", "Flower Market Road")),
    "Sham Shui Po": (22.3308, 114.1622, ("Sham Shui Po Station", "Cheung Sha Wan Road", "Lai Chi Kok Station",
                     "Dragon Centre", "Shek Kip Mei Estate")),
    "Kowloon Tong": (22.3370, 114.1760, ("Kowloon Tong Station", "Festival Walk", "Baptist University",
                     "City University", "Waterloo Road (Kent Road)")),
    "Kowloon City": (22.3170, 114.1890, ("Kowloon City Bus Terminus", "To Kwa Wan", "Kai Tak Cruise Terminal",
                     "Hung Hom Station", "Whampoa Garden", "Ho Man Tin Station")),
    "Wong Tai Sin": (22.3415, 114.1940, ("Wong Tai Sin Station", "Diamond Hill Station", "Lok Fu Station",
                     "Chuk Yuen Estate", "Tsz Wan Shan")),
    "Kwun Tong": (22.3123, 114.2260, ("Kwun Tong Station", "APM Millennium City", "Ngau Tau Kok Station",
                  "Lam Tin Station", "Kowloon Bay Station", "Telford Plaza", "Sau Mau Ping")),
    "Tseung Kwan O": (22.3075, 114.2600, ("Tseung Kwan O Station", "Hang Hau Station", "Po Lam Station",
                      "LOHAS Park Station", "Tiu Keng Leng Station")),
    "Sha Tin": (22.3817, 114.1880, ("Sha Tin Station", "New Town Plaza", "Sha Tin Central Bus Terminus",
                "Tai Wai Station", "Prince of Wales Hospital", "Ma On Shan Town Centre", "Chinese University")),
    "Tai Po": (22.4450, 114.1690, ("Tai Po Market Station", "Tai Po Central Bus Terminus", "Tai Wo Station",
               "Tai Po Hospital")),
    "North": (22.4960, 114.1280, ("Fanling Station", "Sheung Shui Station", "Landmark North", "Choi Yuen Estate")),
    "Yuen Long": (22.4450, 114.0220, ("Yuen Long Station", "Yuen Long (West) Bus Terminus", "Long Ping Station",
                  "Tin Shui Wai Station", "Kingswood Villas")),
    "Tuen Mun": (22.3910, 113.9770, ("Tuen Mun Station", "Tuen Mun Town Centre", "Tuen Mun Ferry Pier",
                 "Siu Hong Station", "Tuen Mun Hospital")),
    "Tsuen Wan": (22.3710, 114.1140, ("Tsuen Wan Station", "Tsuen Wan West Station", "Nina Tower",
                  "Riviera Gardens", "Discovery Park")),
    "Kwai Tsing": (22.3570, 114.1290, ("Kwai Fong Station", "Kwai Chung Estate", "Tsing Yi Station",
                   "Cheung Hang Estate", "Lai King Station")),
    "Islands": (22.2890, 113.9410, ("Tung Chung Station", "Airport (Ground Transportation Centre)",
                "AsiaWorld-Expo", "Tung Chung Town Centre", "Hong Kong-Zhuhai-Macao Bridge Port")),
}  # fmt: skip
ISLAND_DISTRICTS = ("Central", "Admiralty", "Wan Chai", "Causeway Bay", "North Point", "Chai Wan", "Aberdeen")
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "Central": ("Admiralty", "Aberdeen", "Tsim Sha Tsui"),
    "Admiralty": ("Central", "Wan Chai", "Kowloon City", "Tsim Sha Tsui"),
    "Wan Chai": ("Admiralty", "Causeway Bay", "Kowloon City"),
    "Causeway Bay": ("Wan Chai", "North Point", "Aberdeen", "Kowloon City"),
    "North Point": ("Causeway Bay", "Chai Wan", "Kwun Tong"),
    "Chai Wan": ("North Point", "Kwun Tong"),
    "Aberdeen": ("Central", "Causeway Bay"),
    "Tsim Sha Tsui": ("Central", "Admiralty", "Yau Ma Tei", "Kowloon City"),
    "Yau Ma Tei": ("Tsim Sha Tsui", "Mong Kok"),
    "Mong Kok": ("Yau Ma Tei", "Sham Shui Po", "Kowloon Tong"),
    "Sham Shui Po": ("Mong Kok", "Kowloon Tong", "Kwai Tsing"),
    "Kowloon Tong": ("Mong Kok", "Sham Shui Po", "Sha Tin", "Wong Tai Sin"),
    "Kowloon City": ("Tsim Sha Tsui", "Wan Chai", "Causeway Bay", "Wong Tai Sin", "Admiralty"),
    "Wong Tai Sin": ("Kowloon Tong", "Kowloon City", "Kwun Tong"),
    "Kwun Tong": ("Wong Tai Sin", "Tseung Kwan O", "North Point", "Chai Wan"),
    "Tseung Kwan O": ("Kwun Tong",),
    "Sha Tin": ("Kowloon Tong", "Tai Po", "Tsuen Wan"),
    "Tai Po": ("Sha Tin", "North"),
    "North": ("Tai Po", "Yuen Long"),
    "Yuen Long": ("North", "Tuen Mun"),
    "Tuen Mun": ("Yuen Long", "Tsuen Wan"),
    "Tsuen Wan": ("Tuen Mun", "Kwai Tsing", "Sha Tin"),
    "Kwai Tsing": ("Tsuen Wan", "Sham Shui Po", "Islands"),
    "Islands": ("Kwai Tsing",),
}
FIRST_NAMES = ("Chan", "Wong", "Lee", "Cheung", "Lau", "Ho", "Ng", "Leung", "Lam", "Tang", "Chow", "Yip", "Tsang")
GIVEN_NAMES = ("Ka Yan", "Wing Sze", "Chi Ming", "Hoi Lam", "Siu Fung", "Tsz Ching", "Man Kit", "Mei Ling",
               "Kwok Wai", "Sze Wan", "Ho Yin", "Pui Shan", "Cheuk Hei", "Wai Kei")  # fmt: skip
NICKNAMES = ("Home", "Office", "Gym", "School", "Mum's place", "Clinic", "Church", "Market", "Work", "Uni")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


@env.seed
def seed_buses(db: Session, data: SeedData) -> None:
    rng = data.rng
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    stops, stop_ids = [], {}
    for district, (lat, long, names) in DISTRICTS.items():
        for name in names:
            stop_id = "".join(rng.choice("0123456789ABCDEF") for _ in range(16))
            stop_ids[name] = stop_id
            stops.append(
                {"stop_id": stop_id, "stop_name": name, "district": district,
                 "lat": round(lat + rng.uniform(-0.008, 0.008), 6), "long": round(long + rng.uniform(-0.008, 0.008), 6)}
            )  # fmt: skip
    db.execute(insert(Stop), stops)

    districts = list(DISTRICTS)
    routes, route_stops, used_numbers = [], [], set()
    for index in range(120):
        night = index % 15 == 14
        path = [rng.choice(districts)]
        for _ in range(rng.randint(1, 4)):
            options = [d for d in NEIGHBOURS[path[-1]] if d not in path]
            if not options:
                break
            path.append(rng.choice(options))
        if len(path) < 2 and rng.random() < 0.7:
            continue
        island = [d in ISLAND_DISTRICTS for d in path]
        company = "CTB" if all(island) or path[0] == "Islands" else "KMB" if not any(island) else "KMB+CTB"
        while True:
            if night:
                number = f"N{rng.randint(1, 99)}"
            elif company == "KMB+CTB":
                number = f"{rng.choice((1, 6, 9))}{rng.randint(0, 9)}{rng.randint(0, 9)}"
            elif path[0] == "Islands" or path[-1] == "Islands":
                number = f"{rng.choice(('A', 'E'))}{rng.randint(10, 43)}"
            else:
                number = f"{rng.randint(1, 299)}{rng.choice(('', '', '', 'A', 'B', 'C', 'X', 'M'))}"
            if number not in used_numbers:
                used_numbers.add(number)
                break
        sequence: list[str] = []
        for district in path:
            names = DISTRICTS[district][2]
            picked = sorted(rng.sample(range(len(names)), min(len(names), rng.randint(2, 4))))
            sequence.extend(names[i] for i in picked)
        offsets, minutes = [], 0
        for position in range(len(sequence)):
            if position:
                same = DISTRICTS[_district_of(sequence[position])] is DISTRICTS[_district_of(sequence[position - 1])]
                minutes += rng.randint(2, 4) if same else rng.randint(6, 12)
            offsets.append(minutes)
        if night:
            first, last, peak, offpeak = 1440 + rng.choice((0, 15, 30)), 1440 + rng.choice((270, 300)), 20, 30
        else:
            first = rng.choice((330, 345, 360, 375, 390))
            last = rng.choice((1380, 1410, 1440, 1470))
            offpeak = rng.choice((8, 10, 12, 15, 20))
            peak = max(4, int(offpeak * 0.6))
        fare = (480 + 110 * len(path) + (700 if company == "KMB+CTB" else 0)) // 10 * 10
        for bound, stop_names, stop_offsets in (
            ("O", sequence, offsets),
            ("I", list(reversed(sequence)), [offsets[-1] - m for m in reversed(offsets)]),
        ):
            routes.append(
                {"route": number, "bound": bound, "company": company, "service_type": 1, "orig_en": stop_names[0],
                 "dest_en": stop_names[-1], "first_bus": first + (0 if bound == "O" else 10), "last_bus": last,
                 "peak_headway": peak, "offpeak_headway": offpeak, "fare": fare}
            )  # fmt: skip
            for seq, (name, offset) in enumerate(zip(stop_names, stop_offsets, strict=True), start=1):
                route_stops.append(
                    {"route": number, "bound": bound, "seq": seq, "stop_id": stop_ids[name],
                     "minutes_from_origin": offset}
                )  # fmt: skip
    db.execute(insert(Route), routes)
    db.execute(insert(RouteStop), route_stops)

    riders, favourites, alerts = [], [], []
    stops_of_route: dict[tuple[str, str], list[str]] = {}
    for row in route_stops:
        stops_of_route.setdefault((str(row["route"]), str(row["bound"])), []).append(str(row["stop_id"]))
    route_keys = list(stops_of_route)
    for r_index in range(200):
        surname, given = rng.choice(FIRST_NAMES), rng.choice(GIVEN_NAMES)
        user_id = f"{surname.lower()}{given.split()[0].lower()}{r_index:03d}"
        riders.append(
            {"user_id": user_id, "name": f"{surname} {given}",
             "email": f"{user_id}@{rng.choice(('gmail.com', 'yahoo.com.hk', 'netvigator.com'))}"}
        )  # fmt: skip
        for nickname, stop in zip(rng.sample(NICKNAMES, 3), rng.sample(stops, rng.randint(0, 3)), strict=False):
            favourites.append(
                {"user_id": user_id, "stop_id": stop["stop_id"], "nickname": nickname,
                 "created_at": (NOW - dt.timedelta(days=rng.randint(1, 400))).isoformat(timespec="seconds")}
            )  # fmt: skip
        for a_index in range(rng.choice((0, 0, 1, 2))):
            route, bound = rng.choice(route_keys)
            alerts.append(
                {"alert_id": f"AL{r_index:03d}{a_index}", "user_id": user_id, "route": route, "bound": bound,
                 "stop_id": rng.choice(stops_of_route[(route, bound)]), "minutes_before": rng.choice((3, 5, 10)),
                 "status": rng.choice(("active", "active", "cancelled")),
                 "created_at": (NOW - dt.timedelta(days=rng.randint(1, 60))).isoformat(timespec="seconds")}
            )  # fmt: skip
    db.execute(insert(Rider), riders)
    db.execute(insert(FavouriteStop), favourites)
    db.execute(insert(ArrivalAlert), alerts)


def _district_of(stop_name: str) -> str:
    for district, (_lat, _long, names) in DISTRICTS.items():
        if stop_name in names:
            return district
    raise KeyError(stop_name)


# --------------------------------------------------------------------------------------------------
# Timetable arithmetic
# --------------------------------------------------------------------------------------------------


def departures(route: dict[str, object]) -> list[int]:
    """A route direction's departures from its first stop, in minutes after midnight of the service day."""
    times, minute = [], int(route["first_bus"])  # type: ignore[call-overload]
    last = int(route["last_bus"])  # type: ignore[call-overload]
    while minute <= last:
        times.append(minute)
        in_peak = any(start <= minute % 1440 < end for start, end in PEAKS) and minute < 1440
        minute += int(route["peak_headway" if in_peak else "offpeak_headway"])  # type: ignore[call-overload]
    return times


def _service_minutes(now: dt.datetime) -> tuple[dt.date, int]:
    """The service day of ``now`` and the minutes since its midnight (past 1440 before 04:00)."""
    minutes = now.hour * 60 + now.minute + (1 if now.second else 0)
    if minutes < SERVICE_DAY_START:
        return now.date() - dt.timedelta(days=1), minutes + 1440
    return now.date(), minutes


def upcoming_arrivals(now: dt.datetime, route: dict[str, object], offset: int, count: int) -> list[dt.datetime]:
    """The next ``count`` arrivals at a stop ``offset`` minutes from the first stop, from ``now`` on."""
    day, minutes = _service_minutes(now)
    midnight = dt.datetime.combine(day, dt.time(0, 0))
    arrivals = []
    for service_day, shift in ((midnight, 0), (midnight + dt.timedelta(days=1), 1440)):
        for departure in departures(route):
            if departure + offset + shift >= minutes:
                arrivals.append(service_day + dt.timedelta(minutes=departure + offset))
                if len(arrivals) == count:
                    return arrivals
    return arrivals


# --------------------------------------------------------------------------------------------------
# Views and helpers
# --------------------------------------------------------------------------------------------------


class StopView(TypedDict):
    stop_id: str
    stop_name: str
    district: str
    lat: float
    long: float


class StopPage(TypedDict):
    total: int
    stops: list[StopView]


class RouteStopView(TypedDict):
    seq: int
    stop_id: str
    stop_name: str
    minutes_from_origin: int


class RouteInfo(TypedDict):
    route: str
    bound: str
    company: str
    orig_en: str
    dest_en: str
    first_bus: str
    last_bus: str
    peak_headway: int
    offpeak_headway: int
    fare: int
    stops: list[RouteStopView]


class RouteAtStop(TypedDict):
    route: str
    bound: str
    company: str
    dest_en: str
    seq: int


class EtaView(TypedDict):
    route: str
    bound: str
    dest_en: str
    stop_id: str
    eta_seq: int
    eta: str
    minutes_away: int


class EtaResult(TypedDict):
    route: str
    bound: str
    stop_id: str
    stop_name: str
    etas: list[EtaView]
    remark: str


class NextBus(TypedDict):
    route: str
    bound: str
    company: str
    dest_en: str
    eta: str | None
    minutes_away: int | None


class DirectRoute(TypedDict):
    route: str
    bound: str
    company: str
    dest_en: str
    from_stop_id: str
    to_stop_id: str
    to_stop_name: str
    stops_travelled: int
    ride_minutes: int
    next_eta: str | None


class FavouriteView(TypedDict):
    stop_id: str
    stop_name: str
    nickname: str
    created_at: str


class AlertView(TypedDict):
    alert_id: str
    user_id: str
    route: str
    bound: str
    stop_id: str
    stop_name: str
    minutes_before: int
    status: str
    next_alert_at: str | None


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")


def _stop(ctx: ToolContext, stop_id: str) -> dict[str, object]:
    return ctx.rows(Stop).require(stop_id, missing=f"There is no bus stop with id {stop_id!r}.")


def _route(ctx: ToolContext, route: str, bound: str) -> dict[str, object]:
    number = route.strip().upper()
    row = ctx.rows(Route).get(number, bound)
    if row is None:
        if ctx.rows(Route).count({"route": number}) == 0:
            raise DomainError(f"There is no bus route {route}.")
        raise DomainError(f"Route {number} has no direction {bound!r}; use 'O' or 'I'.")
    return row


def _call_at(ctx: ToolContext, route: dict[str, object], stop_id: str) -> dict[str, object]:
    call = ctx.rows(RouteStop).first({"route": route["route"], "bound": route["bound"], "stop_id": stop_id})
    if call is None:
        stop = _stop(ctx, stop_id)
        raise DomainError(f"Route {route['route']} towards {route['dest_en']} does not call at {stop['stop_name']}.")
    return call


def _alert_view(ctx: ToolContext, alert: dict[str, object]) -> AlertView:
    stop = ctx.rows(Stop).get(alert["stop_id"]) or {}
    next_at = None
    if alert["status"] == "active":
        route = ctx.rows(Route).get(alert["route"], alert["bound"])
        call = ctx.rows(RouteStop).first(
            {"route": alert["route"], "bound": alert["bound"], "stop_id": alert["stop_id"]}
        )
        if route and call:
            later = ctx.now + dt.timedelta(minutes=int(alert["minutes_before"]))  # type: ignore[call-overload]
            arrivals = upcoming_arrivals(later, route, call["minutes_from_origin"], 1)
            if arrivals:
                next_at = (arrivals[0] - dt.timedelta(minutes=int(alert["minutes_before"]))).isoformat()  # type: ignore[call-overload]
    return {
        "alert_id": str(alert["alert_id"]),
        "user_id": str(alert["user_id"]),
        "route": str(alert["route"]),
        "bound": str(alert["bound"]),
        "stop_id": str(alert["stop_id"]),
        "stop_name": str(stop.get("stop_name", "")),
        "minutes_before": int(alert["minutes_before"]),  # type: ignore[call-overload]
        "status": str(alert["status"]),
        "next_alert_at": next_at,
    }


def _rider(ctx: ToolContext, user_id: str) -> dict[str, object]:
    return ctx.rows(Rider).require(user_id, missing=f"There is no rider account {user_id!r}.")
