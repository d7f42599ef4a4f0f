"""National parks stories: one park visitor per task, one storyline each (see envfactory_gym.synthesis.stories).

They cover what visitors ask the park service: is anything closed or risky at a park before a trip, which
parks in a state offer an activity, a park's entrance fee, permits and visitor-center phone, and how many
sites of a kind are free at a named campground for some nights; and what they book: reserve the cheapest
fitting site, request a backcountry permit, cancel a stay or a permit when plans fall through, and move a
stay to the same site a week later.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

TODAY = dt.date(2024, 5, 15)  # the seeded service clock's date (national_parks.NOW)
STATES = {
    "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado", "FL": "Florida",
    "HI": "Hawaii", "ID": "Idaho", "IN": "Indiana", "KY": "Kentucky", "ME": "Maine", "MI": "Michigan",
    "MN": "Minnesota", "MO": "Missouri", "MT": "Montana", "NC": "North Carolina", "ND": "North Dakota",
    "NM": "New Mexico", "NV": "Nevada", "OH": "Ohio", "OR": "Oregon", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WY": "Wyoming",
}  # fmt: skip


def _short(park: dict[str, Any]) -> str:
    """How people name a park: 'Zion', 'Great Smoky Mountains', 'Sequoia & Kings Canyon'."""
    return str(park["fullName"]).split(" National")[0]


def _find_park(s: StoryContext, park: dict[str, Any]) -> str:
    """Gold finds the park's code by its short name, which the request's full name contains; returns the
    full name for the request."""
    found = s.call("findParks", q=s.say(_short(park)))
    if park["parkCode"] not in [p["parkCode"] for p in found["data"]]:
        s.reject("search does not list the park")
    return str(park["fullName"])


def _in_season(campground: dict[str, Any], day: dt.date) -> bool:
    return bool(campground["seasonStart"] <= day.strftime("%m-%d") <= campground["seasonEnd"])


def _stay(s: StoryContext, campground: dict[str, Any]) -> tuple[dt.date, dt.date]:
    for _ in range(12):
        start = TODAY + dt.timedelta(days=s.rng.randint(3, 50))
        end = start + dt.timedelta(days=s.rng.randint(1, 4))
        if _in_season(campground, start) and _in_season(campground, end - dt.timedelta(days=1)):
            return start, end
    s.reject("no stay inside the season")


def _say_stay(s: StoryContext, start: dt.date, end: dt.date) -> str:
    """'the nights of June 7 and 8, checking out June 9' style wording; marks both dates as stated."""
    first, last = speech.date(start), speech.date(end)
    s.detail("arrival date", start.isoformat(), first, vague="in a few weeks", synonyms=["start", "check-in"])
    s.detail("check-out date", end.isoformat(), last, vague="a few days later", synonyms=["end", "leave"])
    return speech.choose(s.rng, f"from {first} to {last}", f"arriving {first} and leaving {last}")


def _campground_lookup(s: StoryContext, campground: dict[str, Any], park: dict[str, Any]) -> str:
    name = _find_park(s, park)
    s.say(campground["name"])
    listed = s.call("getCampgrounds", parkCode=park["parkCode"])
    if campground["campgroundId"] not in [c["campgroundId"] for c in listed["data"]]:
        s.reject("campground not listed")
    return name


def _reservable_campground(s: StoryContext) -> tuple[dict[str, Any], dict[str, Any]]:
    campground = s.pick("SELECT * FROM campgrounds WHERE reservable = 1 ORDER BY campgroundId")
    park = s.rows("SELECT * FROM parks WHERE parkCode = ?", (campground["parkCode"],))[0]
    return campground, park


@story("national_parks", implicit=True)
def anything_to_know_before_going(s: StoryContext) -> str:
    """Before a visit: what the park's current alerts are (closures, dangers, cautions)."""
    park = s.pick("SELECT * FROM parks WHERE parkCode IN (SELECT parkCode FROM alerts) ORDER BY parkCode")
    name = _find_park(s, park)
    alerts = s.call("getAlerts", parkCode=park["parkCode"])
    for alert in alerts["data"]:
        s.fact(alert["title"])
    weekday = s.rng.choice(["Friday", "Saturday", "this weekend", "next week"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"We're driving up to {name} {'on ' if weekday.endswith('day') else ''}{weekday} with the kids.",
            f"I'm going hiking in {name} {'on ' if weekday.endswith('day') else ''}{weekday}.",
        ),
        speech.choose(
            s.rng,
            "Is anything closed there right now, or anything else we should know before we go?",
            "Are there any closures or warnings I should know about?",
        ),
    )


@story("national_parks")
def parks_for_an_activity(s: StoryContext) -> str:
    """Which national parks in a state offer an activity, and how many campgrounds each has."""
    everywhere = [
        {**p, "activities": json.loads(p["activities"])} for p in s.rows("SELECT * FROM parks ORDER BY parkCode")
    ]
    by_state = {code: [p for p in everywhere if code in p["states"].split(",")] for code in sorted(STATES)}
    state = s.rng.choice([code for code, parks in by_state.items() if len(parks) >= 2])
    parks = by_state[state]
    # An activity some but not all of the state's parks offer, so the answer is a real selection.
    activities = sorted(
        a for a in {a for p in parks for a in p["activities"]} if not all(a in p["activities"] for p in parks)
    )
    if not activities:
        s.reject("every park offers the same")
    activity = s.rng.choice(activities)
    s.say(state, STATES[state])
    s.say(activity, activity.lower())
    found = s.call("findParks", stateCode=state, activity=activity)
    if not found["data"]:
        s.reject("no park offers it")
    for park in found["data"]:
        details = s.call("getParkDetails", parkCode=park["parkCode"])
        s.fact(park["fullName"])
        s.fact(details["campgroundCount"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"We're doing a road trip through {STATES[state]} this summer.",
            f"I'm planning a vacation in {STATES[state]}.",
        ),
        f"Which national parks there offer {activity.lower()}, and how many campgrounds does each one have?",
    )


@story("national_parks")
def fee_permits_and_phone(s: StoryContext) -> str:
    """A park's entrance fee, whether it issues backcountry permits, and its main visitor center's phone."""
    park = s.pick("SELECT * FROM parks WHERE entranceFee > 0 ORDER BY parkCode")
    name = _find_park(s, park)
    details = s.call("getParkDetails", parkCode=park["parkCode"])
    centers = s.call("getVisitorCenters", parkCode=park["parkCode"])
    main = [c for c in centers if c["name"] == f"{_short(park)} Visitor Center"]
    if not main:
        s.reject("no main visitor center")
    s.fact(details["entranceFee"])
    s.fact("yes" if details["issuesBackcountryPermits"] else "no")
    s.fact(main[0]["phoneNumber"])
    return speech.sentence(
        speech.opening(s.rng),
        f"We're thinking about a trip to {name}.",
        "How much is the entrance fee for a car, and can we get a backcountry camping permit there?",
        f"Also, what's the phone number of the {_short(park)} Visitor Center?",
    )


@story("national_parks")
def campsite_availability(s: StoryContext) -> str:
    """How many sites of a type are free at a named campground for some nights, and the cheapest fee."""
    campground, park = _reservable_campground(s)
    start, end = _stay(s, campground)
    kind = s.rng.choice(["tent", "tent", "rv"])
    spoken_kind = "RV site" if kind == "rv" else "tent site"
    people = s.rng.randint(2, 5)
    name = _campground_lookup(s, campground, park)
    when = _say_stay(s, start, end)
    group = s.detail("party size", people, speech.number(people), vague="a few of us", synonyms=["people", "group"])
    free = s.call(
        "getCampsiteAvailability",
        campgroundId=campground["campgroundId"],
        startDate=start.isoformat(),
        endDate=end.isoformat(),
        siteType=s.say(kind, spoken_kind),
        numPeople=people,
    )
    if not free["availableCount"]:
        s.reject("nothing free")
    s.fact(free["availableCount"])
    s.fact(free["availableSites"][0]["nightlyFee"])
    return speech.sentence(
        speech.opening(s.rng),
        f"There are {group} of us hoping to camp at {campground['name']} in {name} {when}.",
        f"How many {spoken_kind}s are still open for those nights, and what's the cheapest nightly fee?",
    )


@story("national_parks")
def reserve_cheapest_site(s: StoryContext) -> str:
    """Booking the cheapest site of a type for the party at a named campground; the total fee."""
    campground, park = _reservable_campground(s)
    start, end = _stay(s, campground)
    user = s.pick("SELECT userId FROM visitors ORDER BY userId")["userId"]
    kind = s.rng.choice(["tent", "tent", "group"])
    people = s.rng.randint(2, 6) if kind == "tent" else s.rng.randint(8, 15)
    s.person("national_parks", user)
    s.say(user)
    name = _campground_lookup(s, campground, park)
    when = _say_stay(s, start, end)
    group = s.detail("party size", people, speech.number(people), vague="a group of us", synonyms=["people"])
    spoken_kind = f"{kind} site"
    free = s.call(
        "getCampsiteAvailability",
        campgroundId=campground["campgroundId"],
        startDate=start.isoformat(),
        endDate=end.isoformat(),
        siteType=s.say(kind, spoken_kind),
        numPeople=people,
    )
    sites = free["availableSites"]
    if not sites:
        s.reject("nothing free")
    cheapest = sites[0]
    booking = {
        "userId": user,
        "campgroundId": campground["campgroundId"],
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "numPeople": people,
    }
    done = s.call("reserveCampsite", siteName=cheapest["siteName"], **booking)
    # Any site as cheap as the first fits "the cheapest one" equally well.
    for other in sites[1:]:
        if other["nightlyFee"] == cheapest["nightlyFee"]:
            s.accept_also([("reserveCampsite", {**booking, "siteName": other["siteName"]})])
    s.fact(done["totalFee"])
    s.context(campground["name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Please book the cheapest {spoken_kind} at {campground['name']} in {name} {when}.",
        f"There are {group} of us.",
        f"What will the total come to? My account is {user}.",
    )


@story("national_parks", implicit=True)
def trip_is_off_cancel_stay(s: StoryContext) -> str:
    """The person's camping trip is off: the stay is cancelled; how much comes back."""
    row = s.pick(
        "SELECT r.*, c.name AS campground FROM reservations r JOIN campgrounds c ON c.campgroundId = r.campgroundId "
        "WHERE r.status = 'confirmed' AND r.startDate > ? AND (SELECT COUNT(*) FROM reservations x "
        "WHERE x.userId = r.userId AND x.campgroundId = r.campgroundId AND x.status = 'confirmed' "
        "AND x.endDate > ?) = 1 ORDER BY r.reservationId",
        (TODAY.isoformat(), TODAY.isoformat()),
    )
    user = row["userId"]
    s.person("national_parks", user)
    s.say(user)
    s.say(row["campground"])
    s.call("listMyReservations", userId=user)
    done = s.call("cancelCampsiteReservation", userId=user, reservationId=row["reservationId"])
    s.fact(done["refundAmount"])
    s.context(speech.date(row["startDate"]))
    reason = speech.choose(
        s.rng,
        "My daughter broke her leg, so our camping trip is off.",
        "Work won't give me the time off after all.",
        "Our car died and we can't make the drive.",
    )
    return speech.sentence(
        speech.opening(s.rng),
        f"{reason} We had a site at {row['campground']} from {speech.date(row['startDate'])}.",
        "What can you do for us, and how much will we get back?",
        f"My account is {user}.",
    )


@story("national_parks")
def backcountry_permit(s: StoryContext) -> str:
    """A backcountry permit for a group, a number of nights, from a day at a park."""
    park = s.pick("SELECT * FROM parks WHERE backcountryDailyQuota > 0 ORDER BY parkCode")
    user = s.pick("SELECT userId FROM visitors ORDER BY userId")["userId"]
    day = TODAY + dt.timedelta(days=s.rng.randint(3, 60))
    group, nights = s.rng.randint(1, 6), s.rng.randint(1, 4)
    taken = s.rows(
        "SELECT COALESCE(SUM(groupSize), 0) AS n FROM permits "
        "WHERE parkCode = ? AND tripDate = ? AND status = 'issued'",
        (park["parkCode"], day.isoformat()),
    )[0]["n"]
    if taken + group > park["backcountryDailyQuota"]:
        s.reject("quota full")
    s.person("national_parks", user)
    s.say(user)
    name = _find_park(s, park)
    when = s.detail("trip start", day.isoformat(), speech.date(day), vague="soon", synonyms=["date", "start"])
    people = s.detail("group size", group, speech.count(group, "person", "people"), vague="a small group")
    stay = s.detail("nights", nights, speech.count(nights, "night"), vague="a few nights")
    s.call(
        "requestPermit", userId=user, parkCode=park["parkCode"], tripDate=day.isoformat(), nights=nights,
        groupSize=group,
    )  # fmt: skip
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I'd like a backcountry permit for {name}: {people}, {stay}, starting {when}.",
            f"We're planning a backpacking trip in {name} starting {when}, {stay} for {people}. "
            "Can you get us the permit?",
        ),
        f"My account is {user}.",
    )


@story("national_parks", implicit=True)
def backpacking_trip_off(s: StoryContext) -> str:
    """The person can't make a backcountry trip: the permit is cancelled."""
    row = s.pick(
        "SELECT p.*, k.fullName FROM permits p JOIN parks k ON k.parkCode = p.parkCode WHERE p.status = 'issued' "
        "AND p.tripDate > ? AND (SELECT COUNT(*) FROM permits x WHERE x.userId = p.userId "
        "AND x.parkCode = p.parkCode AND x.status = 'issued') = 1 ORDER BY p.permitId",
        (TODAY.isoformat(),),
    )
    user = row["userId"]
    s.person("national_parks", user)
    s.say(user)
    name = s.say(_short(row))
    s.call("listMyReservations", userId=user)
    s.call("cancelPermit", userId=user, permitId=row["permitId"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Half our group dropped out, so the backpacking trip in {name} on {speech.date(row['tripDate'])} "
            "isn't happening.",
            f"I hurt my knee and can't do the {name} backcountry trip on {speech.date(row['tripDate'])}.",
        ),
        "I'd rather free up the spot for someone else.",
        f"My account is {user}.",
    )


@story("national_parks")
def same_site_a_week_later(s: StoryContext) -> str:
    """Moving a stay to the same site a week later: book the new nights, cancel the old stay; the refund."""
    candidates = s.rows(
        "SELECT r.*, c.name AS campground, c.seasonStart, c.seasonEnd FROM reservations r "
        "JOIN campgrounds c ON c.campgroundId = r.campgroundId WHERE r.status = 'confirmed' AND r.startDate > ? "
        "AND julianday(r.endDate) - julianday(r.startDate) <= 5 AND (SELECT COUNT(*) FROM reservations x "
        "WHERE x.userId = r.userId AND x.campgroundId = r.campgroundId AND x.status = 'confirmed' "
        "AND x.endDate > ?) = 1 ORDER BY r.reservationId",
        (TODAY.isoformat(), TODAY.isoformat()),
    )
    s.rng.shuffle(candidates)
    for row in candidates[:40]:
        start = dt.date.fromisoformat(row["startDate"]) + dt.timedelta(days=7)
        end = dt.date.fromisoformat(row["endDate"]) + dt.timedelta(days=7)
        if not (_in_season(row, start) and _in_season(row, end - dt.timedelta(days=1))):
            continue
        clash = s.rows(
            "SELECT 1 FROM reservations WHERE campgroundId = ? AND siteName = ? AND status = 'confirmed' "
            "AND startDate < ? AND endDate > ? AND reservationId != ?",
            (row["campgroundId"], row["siteName"], end.isoformat(), start.isoformat(), row["reservationId"]),
        )
        if not clash:
            break
    else:
        s.reject("no stay whose site is free a week later")
    user = row["userId"]
    s.person("national_parks", user)
    s.say(user)
    s.say(row["campground"])
    s.call("listMyReservations", userId=user)
    when = _say_stay(s, start, end)
    s.call(
        "getCampsiteAvailability", campgroundId=row["campgroundId"], startDate=start.isoformat(),
        endDate=end.isoformat(), numPeople=row["numPeople"],
    )  # fmt: skip
    s.call(
        "reserveCampsite", userId=user, campgroundId=row["campgroundId"], siteName=row["siteName"],
        startDate=start.isoformat(), endDate=end.isoformat(), numPeople=row["numPeople"],
    )  # fmt: skip
    old = s.call("cancelCampsiteReservation", userId=user, reservationId=row["reservationId"])
    s.fact(old["refundAmount"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Our stay at {row['campground']} starting {speech.date(row['startDate'])} needs to move back a week.",
        f"Could you book us the same site {when} instead and cancel the original?",
        f"How much of the old booking do we get back? My account is {user}.",
    )
