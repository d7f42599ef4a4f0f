"""The tools an agent calls (the API reference a model sees), with their typed views and helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    CANCELLATION_FEE,
    MAX_PERMIT_GROUP,
    MAX_PERMIT_NIGHTS,
    PERMIT_WINDOW_DAYS,
    Campground,
    Campsite,
    Park,
    ParkAlert,
    Permit,
    Reservation,
    VisitorCenter,
)
from .seed import (
    AlertsPage,
    Availability,
    CampgroundsPage,
    CampgroundView,
    MyBookings,
    ParkDetails,
    ParksPage,
    ParkSummary,
    PermitView,
    ReservationView,
    VisitorCenterView,
    _in_season,
    _page_args,
    _parse_date,
    _require_campground,
    _require_park,
    _require_visitor,
    _reservation_view,
    _site_is_free,
    _stay,
)

# -- tools -----------------------------------------------------------------------------------------------------


@env.read(
    intents=[
        "find national parks in {stateCode}",
        "which national parks offer {activity}?",
        "search national parks for {q}",
    ]
)
def findParks(
    ctx: ToolContext,
    stateCode: str | None = None,
    q: str | None = None,
    activity: str | None = None,
    limit: int = 10,
    start: int = 0,
) -> ParksPage:
    """Search national parks by state, by words in the name or description, and by activity, A to Z.

    Args:
        stateCode: Two-letter state code, such as 'UT' (parks spanning several states match each of them).
        q: Words to find in the park's name or description, such as 'volcano' or 'Yosemite'.
        activity: Only parks offering this activity, such as 'Stargazing' or 'Kayaking'.
        limit: Maximum number of parks to return (1-50).
        start: Number of parks to skip, for paging.
    """
    _page_args(limit, start)
    sql = "SELECT parkCode FROM parks WHERE 1 = 1"
    params: list[Any] = []
    if stateCode:
        sql += " AND (',' || states || ',') LIKE ?"
        params.append(f"%,{stateCode.strip().upper()},%")
    for word in (q or "").lower().split():
        sql += " AND (lower(fullName) LIKE ? OR lower(description) LIKE ? OR parkCode = ?)"
        params += [f"%{word}%", f"%{word}%", word]
    if activity:
        sql += " AND EXISTS (SELECT 1 FROM json_each(parks.activities) WHERE lower(json_each.value) = ?)"
        params.append(activity.strip().lower())
    codes = [r["parkCode"] for r in ctx.query(sql + " ORDER BY fullName", params)]
    parks = ctx.rows(Park)
    data: list[ParkSummary] = []
    for code in codes[start : start + limit]:
        park = parks.get(code)
        assert park is not None
        data.append({k: park[k] for k in ParkSummary.__annotations__})  # type: ignore[misc]
    return {"total": len(codes), "limit": limit, "start": start, "data": data}


@env.read(
    intents=["tell me about {parkCode}", "how much is the entrance fee at {parkCode}?", "what can I do at {parkCode}?"]
)
def getParkDetails(ctx: ToolContext, parkCode: str) -> ParkDetails:
    """Full details of a park: description, states, coordinates, activities, vehicle entrance fee, whether it
    issues backcountry permits, and how many campgrounds, visitor centers and alerts it has.

    Args:
        parkCode: The park's four-letter code, such as 'yose' for Yosemite.
    """
    park = _require_park(ctx, parkCode)
    code = park["parkCode"]
    return {
        "parkCode": code,
        "fullName": park["fullName"],
        "designation": park["designation"],
        "states": park["states"],
        "latitude": park["latitude"],
        "longitude": park["longitude"],
        "description": park["description"],
        "activities": park["activities"],
        "entranceFee": park["entranceFee"],
        "url": park["url"],
        "issuesBackcountryPermits": park["backcountryDailyQuota"] > 0,
        "campgroundCount": ctx.rows(Campground).count({"parkCode": code}),
        "visitorCenterCount": ctx.rows(VisitorCenter).count({"parkCode": code}),
        "activeAlertCount": ctx.rows(ParkAlert).count({"parkCode": code}),
    }


@env.read(intents=["are there any closures or alerts at {parkCode}?", "show me {category} alerts in {parkCode}"])
def getAlerts(
    ctx: ToolContext,
    parkCode: str | None = None,
    category: str | None = None,
    q: str | None = None,
    limit: int = 10,
    start: int = 0,
) -> AlertsPage:
    """Current alerts (closures, dangers, cautions, information), newest first, for one park or all parks.

    Args:
        parkCode: Only this park's alerts, such as 'zion'.
        category: Only this category: 'Park Closure', 'Danger', 'Caution' or 'Information'.
        q: Words to find in the alert's title or description.
        limit: Maximum number of alerts to return (1-50).
        start: Number of alerts to skip, for paging.
    """
    _page_args(limit, start)
    sql = "SELECT * FROM alerts WHERE 1 = 1"
    params: list[Any] = []
    if parkCode:
        sql += " AND parkCode = ?"
        params.append(_require_park(ctx, parkCode)["parkCode"])
    if category:
        sql += " AND lower(category) = ?"
        params.append(category.strip().lower())
    for word in (q or "").lower().split():
        sql += " AND (lower(title) LIKE ? OR lower(description) LIKE ?)"
        params += [f"%{word}%", f"%{word}%"]
    rows = ctx.query(sql + " ORDER BY lastIndexedDate DESC, alertId", params)
    return {"total": len(rows), "limit": limit, "start": start, "data": rows[start : start + limit]}  # type: ignore[typeddict-item]


@env.read(intents=["where can I camp in {parkCode}?", "list the campgrounds at {parkCode}"])
def getCampgrounds(ctx: ToolContext, parkCode: str, limit: int = 10, start: int = 0) -> CampgroundsPage:
    """A park's campgrounds with season dates, whether they are open now and reservable, site types and fees.

    Args:
        parkCode: The park's four-letter code.
        limit: Maximum number of campgrounds to return (1-50).
        start: Number of campgrounds to skip, for paging.
    """
    _page_args(limit, start)
    code = _require_park(ctx, parkCode)["parkCode"]
    rows = ctx.query(
        "SELECT c.*, COUNT(s.siteName) AS totalSites, group_concat(DISTINCT s.siteType) AS types, "
        "MIN(s.nightlyFee) AS minFee, MAX(s.nightlyFee) AS maxFee FROM campgrounds c "
        "JOIN campsites s ON s.campgroundId = c.campgroundId WHERE c.parkCode = ? "
        "GROUP BY c.campgroundId ORDER BY c.name",
        (code,),
    )
    data: list[CampgroundView] = [
        {
            "campgroundId": r["campgroundId"],
            "parkCode": r["parkCode"],
            "name": r["name"],
            "description": r["description"],
            "reservable": bool(r["reservable"]),
            "seasonStart": r["seasonStart"],
            "seasonEnd": r["seasonEnd"],
            "openNow": _in_season(r, ctx.now.date()),
            "totalSites": r["totalSites"],
            "siteTypes": sorted(r["types"].split(",")),
            "minNightlyFee": r["minFee"],
            "maxNightlyFee": r["maxFee"],
        }
        for r in rows
    ]
    return {"total": len(data), "limit": limit, "start": start, "data": data[start : start + limit]}


@env.read(intents=["where are the visitor centers in {parkCode} and when are they open?"])
def getVisitorCenters(ctx: ToolContext, parkCode: str) -> list[VisitorCenterView]:
    """A park's visitor centers with location, opening hours and phone number.

    Args:
        parkCode: The park's four-letter code.
    """
    code = _require_park(ctx, parkCode)["parkCode"]
    return ctx.rows(VisitorCenter).find({"parkCode": code}, order_by="visitorCenterId")  # type: ignore[return-value]


@env.read(
    intents=[
        "is there a free campsite at {campgroundId} from {startDate} to {endDate}?",
        "find a {siteType} site at {campgroundId} for {numPeople} people from {startDate} to {endDate}",
    ]
)
def getCampsiteAvailability(
    ctx: ToolContext,
    campgroundId: str,
    startDate: str,
    endDate: str,
    siteType: Literal["tent", "rv", "group"] | None = None,
    numPeople: int = 1,
) -> Availability:
    """Sites of a campground that are free for every night of a stay and hold the party, cheapest first.

    Args:
        campgroundId: The campground id from getCampgrounds, such as 'CG0042'.
        startDate: First night, as YYYY-MM-DD.
        endDate: Check-out day, as YYYY-MM-DD (the last night is the day before).
        siteType: Only sites of this type: tent, rv or group.
        numPeople: Size of the party; only sites holding at least this many people are listed.
    """
    campground = _require_campground(ctx, campgroundId)
    if not campground["reservable"]:
        raise DomainError(f"{campground['name']} is first-come, first-served only; its sites cannot be reserved.")
    start, end = _stay(ctx, campground, startDate, endDate)
    if numPeople < 1:
        raise DomainError("numPeople must be at least 1.")
    sql = (
        "SELECT s.siteName, s.siteType, s.maxPeople, s.nightlyFee, s.accessible FROM campsites s "
        "WHERE s.campgroundId = ? AND s.maxPeople >= ? AND NOT EXISTS (SELECT 1 FROM reservations r "
        "WHERE r.campgroundId = s.campgroundId AND r.siteName = s.siteName AND r.status = 'confirmed' "
        "AND r.startDate < ? AND r.endDate > ?)"
    )
    params: list[Any] = [campgroundId, numPeople, endDate, startDate]
    if siteType:
        sql += " AND s.siteType = ?"
        params.append(siteType)
    rows = ctx.query(sql + " ORDER BY s.nightlyFee, s.siteName", params)
    for row in rows:
        row["accessible"] = bool(row["accessible"])
    return {
        "campgroundId": campgroundId,
        "name": campground["name"],
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "nights": (end - start).days,
        "availableCount": len(rows),
        "availableSites": rows[:20],  # type: ignore[typeddict-item]
    }


@env.write(
    intents=[
        "book site {siteName} at {campgroundId} from {startDate} to {endDate} for {numPeople} people; I'm {userId}",
        "reserve campsite {siteName} in {campgroundId} for the nights {startDate} to {endDate} (user {userId})",
    ]
)
def reserveCampsite(
    ctx: ToolContext, userId: str, campgroundId: str, siteName: str, startDate: str, endDate: str, numPeople: int
) -> ReservationView:
    """Reserve one campsite for a stay; the fee is the site's nightly fee times the number of nights.

    Args:
        userId: The visitor's account id, such as 'jsmith42'.
        campgroundId: The campground id.
        siteName: The site, such as 'A012' (see getCampsiteAvailability).
        startDate: First night, as YYYY-MM-DD (tomorrow at the earliest).
        endDate: Check-out day, as YYYY-MM-DD.
        numPeople: Number of people staying (at most the site's capacity).
    """
    _require_visitor(ctx, userId)
    campground = _require_campground(ctx, campgroundId)
    site = ctx.rows(Campsite).require(
        campgroundId, siteName.strip().upper(), missing=f"{campground['name']} has no site '{siteName}'."
    )
    if not campground["reservable"]:
        raise DomainError(f"{campground['name']} is first-come, first-served only; its sites cannot be reserved.")
    start, end = _stay(ctx, campground, startDate, endDate)
    if not 1 <= numPeople <= site["maxPeople"]:
        raise DomainError(f"Site {site['siteName']} holds 1 to {site['maxPeople']} people; {numPeople} were asked for.")
    if not _site_is_free(ctx, campgroundId, site["siteName"], start.isoformat(), end.isoformat()):
        raise DomainError(
            f"Site {site['siteName']} at {campground['name']} is already reserved for some of the nights "
            f"{start} to {end}; check getCampsiteAvailability for free sites."
        )
    nights = (end - start).days
    row = ctx.rows(Reservation).insert(
        reservationId=ctx.new_id(8),
        userId=userId,
        campgroundId=campgroundId,
        siteName=site["siteName"],
        startDate=start.isoformat(),
        endDate=end.isoformat(),
        numPeople=numPeople,
        totalFee=site["nightlyFee"] * nights,
        status="confirmed",
        refundAmount=None,
        createdAt=ctx.now.isoformat(),
    )
    return _reservation_view(ctx, row)


@env.write(
    intents=[
        "please cancel this campsite booking: {reservationId}; my id is {userId}",
        "our plans changed, so cancel the campsite reservation ({reservationId}) for visitor {userId}",
    ]
)
def cancelCampsiteReservation(ctx: ToolContext, userId: str, reservationId: str) -> ReservationView:
    """Cancel a campsite reservation before the arrival day and refund it: the full fee minus a 10 USD
    cancellation fee, or minus the first night's fee when cancelling the day before arrival.

    Args:
        userId: The visitor's account id (must own the reservation).
        reservationId: The reservation code.
    """
    _require_visitor(ctx, userId)
    reservation = ctx.rows(Reservation).require(reservationId, missing=f"Reservation {reservationId} was not found.")
    if reservation["userId"] != userId:
        raise DomainError(f"Reservation {reservationId} does not belong to {userId}.")
    if reservation["status"] == "cancelled":
        raise DomainError(f"Reservation {reservationId} is already cancelled.")
    start = dt.date.fromisoformat(reservation["startDate"])
    days_ahead = (start - ctx.now.date()).days
    if days_ahead < 1:
        raise DomainError(
            f"Reservation {reservationId} starts {reservation['startDate']}; it can no longer be cancelled online "
            "on or after the arrival day. Contact the campground."
        )
    nights = (dt.date.fromisoformat(reservation["endDate"]) - start).days
    withheld = CANCELLATION_FEE if days_ahead >= 2 else reservation["totalFee"] / nights
    refund = round(max(0.0, reservation["totalFee"] - withheld), 2)
    ctx.rows(Reservation).update(reservationId, status="cancelled", refundAmount=refund)
    return _reservation_view(ctx, {**reservation, "status": "cancelled", "refundAmount": refund})


@env.read(intents=["show me my campsite reservations and permits; my id is {userId}"])
def listMyReservations(
    ctx: ToolContext, userId: str, status: Literal["upcoming", "past", "cancelled", "all"] = "upcoming"
) -> MyBookings:
    """The visitor's campsite reservations and backcountry permits, soonest first.

    Args:
        userId: The visitor's account id.
        status: upcoming (confirmed, not yet over), past, cancelled, or all.
    """
    _require_visitor(ctx, userId)
    today = ctx.now.date().isoformat()
    reservations = ctx.rows(Reservation).find({"userId": userId}, order_by=["startDate", "reservationId"])
    permits = ctx.rows(Permit).find({"userId": userId}, order_by=["tripDate", "permitId"])

    def keep(state: str, end: str) -> bool:
        if status == "all":
            return True
        if status == "cancelled":
            return state == "cancelled"
        if state == "cancelled":
            return False
        return (end > today) if status == "upcoming" else (end <= today)

    def permit_end(p: dict[str, Any]) -> str:
        return (dt.date.fromisoformat(p["tripDate"]) + dt.timedelta(days=p["nights"])).isoformat()

    return {
        "userId": userId,
        "reservations": [_reservation_view(ctx, r) for r in reservations if keep(r["status"], r["endDate"])][:20],
        "permits": [p for p in permits if keep("cancelled" if p["status"] == "cancelled" else "ok", permit_end(p))][
            :20
        ],  # type: ignore[misc]
    }


@env.write(
    intents=[
        "get a backcountry permit at {parkCode} for {groupSize} people, {nights} nights from {tripDate}; I'm {userId}",
    ]
)
def requestPermit(
    ctx: ToolContext, userId: str, parkCode: str, tripDate: str, nights: int, groupSize: int
) -> PermitView:
    """Request a backcountry (wilderness) camping permit for a trip starting on a given day. Permits are
    issued while the park's daily quota of people starting that day is not exceeded.

    Args:
        userId: The visitor's account id.
        parkCode: The park's four-letter code.
        tripDate: The day the trip starts, as YYYY-MM-DD.
        nights: Nights in the backcountry, 1 to 7.
        groupSize: People in the group, 1 to 12.
    """
    _require_visitor(ctx, userId)
    park = _require_park(ctx, parkCode)
    quota = park["backcountryDailyQuota"]
    if quota == 0:
        raise DomainError(f"{park['fullName']} does not issue backcountry camping permits.")
    day = _parse_date(tripDate, "tripDate")
    today = ctx.now.date()
    if day <= today:
        raise DomainError(f"Permits are for trips starting tomorrow or later (today is {today}).")
    if (day - today).days > PERMIT_WINDOW_DAYS:
        raise DomainError(f"Permits open {PERMIT_WINDOW_DAYS} days ahead; {tripDate} is too far out.")
    if not 1 <= nights <= MAX_PERMIT_NIGHTS:
        raise DomainError(f"A backcountry trip is 1 to {MAX_PERMIT_NIGHTS} nights.")
    if not 1 <= groupSize <= MAX_PERMIT_GROUP:
        raise DomainError(f"A permit group is 1 to {MAX_PERMIT_GROUP} people.")
    taken = ctx.query(
        "SELECT COALESCE(SUM(groupSize), 0) AS n FROM permits "
        "WHERE parkCode = ? AND tripDate = ? AND status = 'issued'",
        (park["parkCode"], day.isoformat()),
    )[0]["n"]
    if taken + groupSize > quota:
        raise DomainError(
            f"{park['fullName']} has {max(0, quota - taken)} backcountry places left for trips starting {tripDate}; "
            f"your group has {groupSize}."
        )
    return ctx.rows(Permit).insert(  # type: ignore[return-value]
        permitId=ctx.new_id(8),
        userId=userId,
        parkCode=park["parkCode"],
        tripDate=day.isoformat(),
        nights=nights,
        groupSize=groupSize,
        status="issued",
        createdAt=ctx.now.isoformat(),
    )


@env.write(
    intents=[
        "please cancel this backcountry permit: {permitId}; my id is {userId}",
        "we can't make the trip, so cancel the permit ({permitId}) for visitor {userId}",
    ]
)
def cancelPermit(ctx: ToolContext, userId: str, permitId: str) -> PermitView:
    """Cancel a backcountry permit before the trip starts, freeing its places in the quota.

    Args:
        userId: The visitor's account id (must hold the permit).
        permitId: The permit number.
    """
    _require_visitor(ctx, userId)
    permit = ctx.rows(Permit).require(permitId, missing=f"Permit {permitId} was not found.")
    if permit["userId"] != userId:
        raise DomainError(f"Permit {permitId} does not belong to {userId}.")
    if permit["status"] == "cancelled":
        raise DomainError(f"Permit {permitId} is already cancelled.")
    if permit["tripDate"] <= ctx.now.date().isoformat():
        raise DomainError(f"The trip of permit {permitId} has already started ({permit['tripDate']}).")
    ctx.rows(Permit).update(permitId, status="cancelled")
    return {**permit, "status": "cancelled"}  # type: ignore[typeddict-item]
