"""The seeded generator and its data tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    BOOKING_WINDOW_DAYS,
    CANCELLATION_FEE,
    MAX_NIGHTS,
    PARKS,
    Campground,
    Campsite,
    Park,
    ParkAlert,
    Permit,
    Reservation,
    ServiceClock,
    Visitor,
    VisitorCenter,
)

# -- seed data ---------------------------------------------------------------------------------------------------

NOW = dt.datetime(2024, 5, 15, 10, 0, 0)

ACTIVITIES = [
    "Hiking",
    "Camping",
    "Backcountry Camping",
    "Stargazing",
    "Wildlife Watching",
    "Birdwatching",
    "Fishing",
    "Boating",
    "Kayaking",
    "Horseback Riding",
    "Rock Climbing",
    "Biking",
    "Scenic Driving",
    "Swimming",
    "Snowshoeing",
    "Cross-Country Skiing",
    "Guided Tours",
    "Junior Ranger Program",
    "Caving",
    "Snorkeling",
]
ALERT_KINDS = [
    ("Park Closure", "{place} Road closed", "The road to {place} is closed for repairs until further notice."),
    ("Park Closure", "{place} Trail closed", "The {place} Trail is closed due to rockfall. Use alternate routes."),
    ("Danger", "Extreme heat", "Temperatures exceed 40°C at low elevations. Carry plenty of water and hike early."),
    ("Danger", "Flash flood risk", "Slot canyons and washes may flood without warning during storms."),
    ("Caution", "Bear activity near {place}", "Store all food in bear boxes and keep a safe distance from wildlife."),
    ("Caution", "Icy conditions on {place} Trail", "Traction devices are recommended on shaded sections."),
    ("Caution", "Construction delays", "Expect delays of up to 30 minutes on the main park road."),
    ("Information", "Timed entry reservations", "A timed-entry reservation is required between 9 AM and 2 PM."),
    (
        "Information",
        "{place} Campground opening",
        "{place} Campground opens for the season soon; sites are reservable.",
    ),
    ("Information", "Shuttle service resumes", "Park shuttles run every 15 minutes from the visitor center."),
]
PLACE_WORDS = [
    "Cedar",
    "Aspen",
    "Juniper",
    "Willow",
    "Eagle",
    "Bear",
    "Elk",
    "Falcon",
    "Lost",
    "Hidden",
    "Sunset",
    "Sunrise",
    "Echo",
    "Crystal",
    "Bighorn",
    "Granite",
    "Pine",
    "Raven",
    "Spruce",
    "Coyote",
    "Canyon",
    "Meadow",
    "Lakeshore",
    "Ridge",
    "Mesa",
    "Cottonwood",
]
# Remote parks without developed, bookable campgrounds.
NO_CAMPGROUNDS = frozenset({"gaar", "kova", "lacl", "wrst", "npsa", "jeff", "hosp", "cuva"})
SEASONS = [("01-01", "12-31"), ("04-01", "10-31"), ("05-15", "09-30"), ("06-15", "09-15"), ("03-01", "11-30")]


def _in_season(campground: dict[str, Any], day: dt.date) -> bool:
    return campground["seasonStart"] <= day.strftime("%m-%d") <= campground["seasonEnd"]


@env.seed
def seed_parks(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    parks, alerts, centers, campgrounds, sites = [], [], [], [], []
    used_campground_names: set[str] = set()
    for code, full_name, states, lat, lng, fee, feature, quota in PARKS:
        activities = ["Hiking", "Wildlife Watching", "Junior Ranger Program", *rng.sample(ACTIVITIES[2:16], 5)]
        if quota:
            activities.append("Backcountry Camping")
        parks.append(
            {
                "parkCode": code,
                "fullName": full_name,
                "designation": "National Park" + (" & Preserve" if "Preserve" in full_name else ""),
                "states": states,
                "latitude": lat,
                "longitude": lng,
                "description": f"{full_name} protects {feature}.",
                "activities": sorted(set(activities)),
                "entranceFee": float(fee),
                "url": f"https://www.nps.gov/{code}/index.htm",
                "backcountryDailyQuota": quota,
            }
        )
        short = full_name.split(" National")[0]
        for index in range(rng.randint(1, 3)):
            name = (
                f"{short} Visitor Center"
                if index == 0
                else f"{rng.choice(PLACE_WORDS)} {rng.choice(['Point', 'Springs', 'Junction'])} Visitor Center"
            )
            centers.append(
                {
                    "visitorCenterId": f"VC{len(centers) + 1:04d}",
                    "parkCode": code,
                    "name": name,
                    "description": f"Exhibits, park maps, ranger programs and permits for {short}.",
                    "latitude": round(lat + rng.uniform(-0.2, 0.2), 4),
                    "longitude": round(lng + rng.uniform(-0.2, 0.2), 4),
                    "operatingHours": rng.choice(
                        ["8:00 AM - 5:00 PM daily", "9:00 AM - 4:30 PM daily", "8:00 AM - 6:00 PM, May to October"]
                    ),
                    "phoneNumber": f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
                }
            )
        for _ in range(rng.choices([0, 1, 2, 3], [1, 3, 3, 1])[0]):
            category, title, text = rng.choice(ALERT_KINDS)
            place = rng.choice(PLACE_WORDS)
            alerts.append(
                {
                    "alertId": f"AL{len(alerts) + 1:04d}",
                    "parkCode": code,
                    "title": title.format(place=place),
                    "category": category,
                    "description": text.format(place=place),
                    "lastIndexedDate": (
                        NOW - dt.timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23))
                    ).isoformat(),
                }
            )
        campground_count = 0 if code in NO_CAMPGROUNDS else rng.choices([1, 2, 3, 4], [2, 3, 3, 1])[0]
        for _ in range(campground_count):
            for _attempt in range(20):
                landform = rng.choice(["Flat", "Creek", "Lake", "Point", "Springs", "Valley", "Grove"])
                name = f"{rng.choice(PLACE_WORDS)} {landform} Campground"
                if name not in used_campground_names:
                    break
            used_campground_names.add(name)
            campground_id = f"CG{len(campgrounds) + 1:04d}"
            season = rng.choice(SEASONS) if lat < 60 else ("06-01", "09-15")
            campgrounds.append(
                {
                    "campgroundId": campground_id,
                    "parkCode": code,
                    "name": name,
                    "description": f"A campground in {short} with restrooms, drinking water and fire rings.",
                    "reservable": rng.random() < 0.8,
                    "seasonStart": season[0],
                    "seasonEnd": season[1],
                    "latitude": round(lat + rng.uniform(-0.25, 0.25), 4),
                    "longitude": round(lng + rng.uniform(-0.25, 0.25), 4),
                }
            )
            loop = "ABC"[rng.randint(0, 2)]
            for number in range(1, rng.randint(8, 24) + 1):
                site_type = rng.choices(["tent", "rv", "group"], [6, 3, 1])[0]
                sites.append(
                    {
                        "campgroundId": campground_id,
                        "siteName": f"{loop}{number:03d}",
                        "siteType": site_type,
                        "maxPeople": {"tent": 6, "rv": 8, "group": rng.choice([15, 20, 30])}[site_type],
                        "nightlyFee": {
                            "tent": rng.choice([20.0, 25.0, 30.0]),
                            "rv": rng.choice([30.0, 35.0, 40.0]),
                            "group": rng.choice([60.0, 80.0]),
                        }[site_type],
                        "accessible": rng.random() < 0.1,
                    }
                )
    db.execute(insert(Park), parks)
    db.execute(insert(ParkAlert), alerts)
    db.execute(insert(VisitorCenter), centers)
    db.execute(insert(Campground), campgrounds)
    db.execute(insert(Campsite), sites)

    visitors = []
    seen: set[str] = set()
    while len(visitors) < 400:
        first, last = fake.first_name(), fake.last_name()
        user_id = f"{first[0].lower()}{last.lower()}{rng.randint(1, 99)}"
        if user_id in seen:
            continue
        seen.add(user_id)
        visitors.append(
            {"userId": user_id, "name": f"{first} {last}", "email": f"{user_id}@{fake.free_email_domain()}"}
        )
    db.execute(insert(Visitor), visitors)

    # Existing bookings: sequences of stays per site over the next two months, plus some past and cancelled ones.
    campground_by_id = {c["campgroundId"]: c for c in campgrounds}
    reservations = []
    today = NOW.date()
    for site in rng.sample(sites, len(sites) // 3):
        campground = campground_by_id[site["campgroundId"]]
        if not campground["reservable"]:
            continue
        day = today + dt.timedelta(days=rng.randint(-10, 10))
        while day < today + dt.timedelta(days=45):
            nights = rng.randint(1, 5)
            end = day + dt.timedelta(days=nights)
            if _in_season(campground, day) and _in_season(campground, end - dt.timedelta(days=1)):
                cancelled = rng.random() < 0.08
                total = site["nightlyFee"] * nights
                reservations.append(
                    {
                        "reservationId": f"R{len(reservations) + 1:06d}",
                        "userId": rng.choice(visitors)["userId"],
                        "campgroundId": site["campgroundId"],
                        "siteName": site["siteName"],
                        "startDate": day.isoformat(),
                        "endDate": end.isoformat(),
                        "numPeople": rng.randint(1, site["maxPeople"]),
                        "totalFee": total,
                        "status": "cancelled" if cancelled else "confirmed",
                        "refundAmount": total - CANCELLATION_FEE if cancelled else None,
                        "createdAt": (NOW - dt.timedelta(days=rng.randint(1, 150))).isoformat(),
                    }
                )
            day = end + dt.timedelta(days=rng.randint(0, 9))
    db.execute(insert(Reservation), reservations)

    permits = []
    for park in parks:
        if not park["backcountryDailyQuota"]:
            continue
        for _ in range(rng.randint(2, 10)):
            permits.append(
                {
                    "permitId": f"P{len(permits) + 1:06d}",
                    "userId": rng.choice(visitors)["userId"],
                    "parkCode": park["parkCode"],
                    "tripDate": (today + dt.timedelta(days=rng.randint(1, 30))).isoformat(),
                    "nights": rng.randint(1, 4),
                    "groupSize": rng.randint(1, 8),
                    "status": "issued",
                    "createdAt": (NOW - dt.timedelta(days=rng.randint(1, 60))).isoformat(),
                }
            )
    db.execute(insert(Permit), permits)


# -- helpers and output shapes -----------------------------------------------------------------------------------------


def _page_args(limit: int, start: int) -> None:
    if not 1 <= limit <= 50:
        raise DomainError("limit must be between 1 and 50.")
    if start < 0:
        raise DomainError("start cannot be negative.")


def _require_park(ctx: ToolContext, parkCode: str) -> dict[str, Any]:
    return ctx.rows(Park).require(
        parkCode.strip().lower(), missing=f"No park has the park code '{parkCode}'; use findParks to look it up."
    )


def _require_visitor(ctx: ToolContext, userId: str) -> dict[str, Any]:
    return ctx.rows(Visitor).require(userId, missing=f"There is no visitor account '{userId}'.")


def _require_campground(ctx: ToolContext, campgroundId: str) -> dict[str, Any]:
    return ctx.rows(Campground).require(
        campgroundId,
        missing=f"Campground '{campgroundId}' was not found; use getCampgrounds to list a park's campgrounds.",
    )


def _parse_date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError(f"{field} '{value}' is not a date in the form YYYY-MM-DD.") from None


def _stay(ctx: ToolContext, campground: dict[str, Any], startDate: str, endDate: str) -> tuple[dt.date, dt.date]:
    """Check a requested stay against the booking rules; return its first night and check-out day."""
    start, end = _parse_date(startDate, "startDate"), _parse_date(endDate, "endDate")
    today = ctx.now.date()
    nights = (end - start).days
    if nights < 1:
        raise DomainError("endDate (the check-out day) must be after startDate.")
    if nights > MAX_NIGHTS:
        raise DomainError(f"A stay can be at most {MAX_NIGHTS} nights; {nights} were asked for.")
    if start <= today:
        raise DomainError(f"Reservations must start tomorrow or later (today is {today}).")
    if (start - today).days > BOOKING_WINDOW_DAYS:
        last_day = today + dt.timedelta(days=BOOKING_WINDOW_DAYS)
        raise DomainError(f"Sites can be reserved at most {BOOKING_WINDOW_DAYS} days ahead (until {last_day}).")
    if (
        not (_in_season(campground, start) and _in_season(campground, end - dt.timedelta(days=1)))
        or start.year != (end - dt.timedelta(days=1)).year
    ):
        raise DomainError(
            f"{campground['name']} is open from {campground['seasonStart']} to {campground['seasonEnd']} (MM-DD); "
            f"the stay {startDate} to {endDate} falls outside the season."
        )
    return start, end


def _site_is_free(ctx: ToolContext, campgroundId: str, siteName: str, startDate: str, endDate: str) -> bool:
    clash = ctx.query(
        "SELECT 1 FROM reservations WHERE campgroundId = ? AND siteName = ? AND status = 'confirmed' "
        "AND startDate < ? AND endDate > ? LIMIT 1",
        (campgroundId, siteName, endDate, startDate),
    )
    return not clash


class ParkSummary(TypedDict):
    parkCode: str
    fullName: str
    states: str
    designation: str
    entranceFee: float
    url: str


class ParksPage(TypedDict):
    total: int
    limit: int
    start: int
    data: list[ParkSummary]


class ParkDetails(TypedDict):
    parkCode: str
    fullName: str
    designation: str
    states: str
    latitude: float
    longitude: float
    description: str
    activities: list[str]
    entranceFee: float
    url: str
    issuesBackcountryPermits: bool
    campgroundCount: int
    visitorCenterCount: int
    activeAlertCount: int


class AlertView(TypedDict):
    alertId: str
    parkCode: str
    title: str
    category: str
    description: str
    lastIndexedDate: str


class AlertsPage(TypedDict):
    total: int
    limit: int
    start: int
    data: list[AlertView]


class CampgroundView(TypedDict):
    campgroundId: str
    parkCode: str
    name: str
    description: str
    reservable: bool
    seasonStart: str
    seasonEnd: str
    openNow: bool
    totalSites: int
    siteTypes: list[str]
    minNightlyFee: float
    maxNightlyFee: float


class CampgroundsPage(TypedDict):
    total: int
    limit: int
    start: int
    data: list[CampgroundView]


class VisitorCenterView(TypedDict):
    visitorCenterId: str
    parkCode: str
    name: str
    description: str
    latitude: float
    longitude: float
    operatingHours: str
    phoneNumber: str


class SiteView(TypedDict):
    siteName: str
    siteType: str
    maxPeople: int
    nightlyFee: float
    accessible: bool


class Availability(TypedDict):
    campgroundId: str
    name: str
    startDate: str
    endDate: str
    nights: int
    availableCount: int
    availableSites: list[SiteView]


class ReservationView(TypedDict):
    reservationId: str
    userId: str
    campgroundId: str
    campgroundName: str
    parkCode: str
    siteName: str
    startDate: str
    endDate: str
    numPeople: int
    totalFee: float
    status: str
    refundAmount: float | None
    createdAt: str


class PermitView(TypedDict):
    permitId: str
    userId: str
    parkCode: str
    tripDate: str
    nights: int
    groupSize: int
    status: str
    createdAt: str


class MyBookings(TypedDict):
    userId: str
    reservations: list[ReservationView]
    permits: list[PermitView]


def _reservation_view(ctx: ToolContext, row: dict[str, Any]) -> ReservationView:
    campground = ctx.rows(Campground).get(row["campgroundId"])
    assert campground is not None
    return {**row, "campgroundName": campground["name"], "parkCode": campground["parkCode"]}  # type: ignore[typeddict-item]
