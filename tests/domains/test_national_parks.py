"""The national_parks environment: every tool, the reservation and permit rules, seeding, and a gym episode."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.travel import national_parks
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

ENV = national_parks.env

TODAY = "2024-05-15"


@pytest.fixture
def h() -> EpisodeHarness:
    harness = EpisodeHarness(national_parks.env)
    yield harness  # type: ignore[misc]
    harness.close()


def visitor(h: EpisodeHarness, index: int = 0) -> str:
    return h.database.rows("visitors")[index]["userId"]


def year_round_campground(h: EpisodeHarness) -> dict[str, Any]:
    return next(
        c
        for c in h.database.rows("campgrounds")
        if c["reservable"] and (c["seasonStart"], c["seasonEnd"]) == ("01-01", "12-31")
    )


def free_site(h: EpisodeHarness, campground_id: str, start: str, end: str, people: int = 1) -> dict[str, Any]:
    availability = h.ok(
        "getCampsiteAvailability", campgroundId=campground_id, startDate=start, endDate=end, numPeople=people
    )
    return availability["availableSites"][0]


def test_every_tool_succeeds(h: EpisodeHarness) -> None:
    called: set[str] = set()

    def ok(name: str, **arguments: Any) -> Any:
        called.add(name)
        return h.ok(name, **arguments)

    utah = ok("findParks", stateCode="ut")
    assert {p["parkCode"] for p in utah["data"]} == {"arch", "brca", "cany", "care", "zion"}
    assert "yell" in {p["parkCode"] for p in ok("findParks", stateCode="MT")["data"]}  # spans WY, MT, ID
    assert ok("findParks", q="volcanoes", limit=50)["total"] >= 2
    yose = ok("getParkDetails", parkCode="YOSE")
    assert yose["fullName"] == "Yosemite National Park" and yose["entranceFee"] == 35.0
    assert ok("getAlerts", limit=50)["total"] >= 50
    campgrounds = ok("getCampgrounds", parkCode="yose")["data"]
    assert campgrounds and all(c["parkCode"] == "yose" and c["totalSites"] > 0 for c in campgrounds)
    assert ok("getVisitorCenters", parkCode="yose")[0]["name"] == "Yosemite Visitor Center"
    campground = year_round_campground(h)
    availability = ok(
        "getCampsiteAvailability", campgroundId=campground["campgroundId"], startDate="2024-06-01", endDate="2024-06-04"
    )
    site = availability["availableSites"][0]
    user = visitor(h)
    reservation = ok(
        "reserveCampsite",
        userId=user,
        campgroundId=campground["campgroundId"],
        siteName=site["siteName"],
        startDate="2024-06-01",
        endDate="2024-06-04",
        numPeople=2,
    )
    assert reservation["totalFee"] == site["nightlyFee"] * 3 and reservation["status"] == "confirmed"
    again = ok(
        "getCampsiteAvailability", campgroundId=campground["campgroundId"], startDate="2024-06-03", endDate="2024-06-05"
    )
    assert site["siteName"] not in {s["siteName"] for s in again["availableSites"]}
    cancelled = ok("cancelCampsiteReservation", userId=user, reservationId=reservation["reservationId"])
    assert cancelled["refundAmount"] == reservation["totalFee"] - 10
    permit = ok("requestPermit", userId=user, parkCode="yose", tripDate="2024-06-10", nights=3, groupSize=4)
    mine = ok("listMyReservations", userId=user, status="all")
    assert reservation["reservationId"] in {r["reservationId"] for r in mine["reservations"]}
    assert permit["permitId"] in {p["permitId"] for p in mine["permits"]}
    assert ok("cancelPermit", userId=user, permitId=permit["permitId"])["status"] == "cancelled"
    assert called == set(national_parks.env.tools)


def test_reservation_rules_are_refused_without_state_change(h: EpisodeHarness) -> None:
    campground = year_round_campground(h)
    cg = campground["campgroundId"]
    user, other = visitor(h, 0), visitor(h, 1)
    site = free_site(h, cg, "2024-06-01", "2024-06-03")
    name = site["siteName"]

    def reserve(**changes: Any) -> str:
        args = {
            "userId": user,
            "campgroundId": cg,
            "siteName": name,
            "startDate": "2024-06-01",
            "endDate": "2024-06-03",
            "numPeople": 1,
        }
        return h.error("reserveCampsite", **{**args, **changes})

    assert "tomorrow or later" in reserve(startDate=TODAY, endDate="2024-05-17")
    assert "at most 14 nights" in reserve(endDate="2024-06-20")
    assert "must be after" in reserve(endDate="2024-06-01")
    assert "180 days ahead" in reserve(startDate="2025-01-05", endDate="2025-01-07")
    assert f"holds 1 to {site['maxPeople']}" in reserve(numPeople=site["maxPeople"] + 1)
    assert "has no site" in reserve(siteName="Z999")
    assert "YYYY-MM-DD" in reserve(startDate="June 1st")
    assert "no visitor account" in reserve(userId="nobody")
    booked = h.ok(
        "reserveCampsite",
        userId=user,
        campgroundId=cg,
        siteName=name,
        startDate="2024-06-01",
        endDate="2024-06-03",
        numPeople=1,
    )
    assert "already reserved" in reserve(userId=other, startDate="2024-06-02", endDate="2024-06-05")
    seasonal = next(c for c in h.database.rows("campgrounds") if c["reservable"] and c["seasonStart"] == "06-15")
    seasonal_site = next(s for s in h.database.rows("campsites") if s["campgroundId"] == seasonal["campgroundId"])
    assert "outside the season" in reserve(campgroundId=seasonal["campgroundId"], siteName=seasonal_site["siteName"])
    walk_up = next(c for c in h.database.rows("campgrounds") if not c["reservable"])
    walk_up_site = next(s for s in h.database.rows("campsites") if s["campgroundId"] == walk_up["campgroundId"])
    assert "first-come" in reserve(campgroundId=walk_up["campgroundId"], siteName=walk_up_site["siteName"])
    assert "does not belong" in h.error(
        "cancelCampsiteReservation", userId=other, reservationId=booked["reservationId"]
    )
    h.ok("cancelCampsiteReservation", userId=user, reservationId=booked["reservationId"])
    assert "already cancelled" in h.error(
        "cancelCampsiteReservation", userId=user, reservationId=booked["reservationId"]
    )
    started = next(r for r in h.database.rows("reservations") if r["status"] == "confirmed" and r["startDate"] <= TODAY)
    assert "no longer be cancelled" in h.error(
        "cancelCampsiteReservation", userId=started["userId"], reservationId=started["reservationId"]
    )


def test_cancelling_the_day_before_arrival_keeps_the_first_night(h: EpisodeHarness) -> None:
    cg = year_round_campground(h)["campgroundId"]
    site = free_site(h, cg, "2024-05-16", "2024-05-19")
    booked = h.ok(
        "reserveCampsite",
        userId=visitor(h),
        campgroundId=cg,
        siteName=site["siteName"],
        startDate="2024-05-16",
        endDate="2024-05-19",
        numPeople=1,
    )
    refund = h.ok("cancelCampsiteReservation", userId=visitor(h), reservationId=booked["reservationId"])["refundAmount"]
    assert refund == booked["totalFee"] - site["nightlyFee"]


def test_permit_rules_are_refused_without_state_change(h: EpisodeHarness) -> None:
    user = visitor(h)
    assert "does not issue" in h.error(
        "requestPermit", userId=user, parkCode="acad", tripDate="2024-06-01", nights=1, groupSize=2
    )
    assert "tomorrow or later" in h.error(
        "requestPermit", userId=user, parkCode="yose", tripDate=TODAY, nights=1, groupSize=2
    )
    assert "too far out" in h.error(
        "requestPermit", userId=user, parkCode="yose", tripDate="2024-12-01", nights=1, groupSize=2
    )
    assert "1 to 12 people" in h.error(
        "requestPermit", userId=user, parkCode="yose", tripDate="2024-06-01", nights=1, groupSize=13
    )
    assert "1 to 7 nights" in h.error(
        "requestPermit", userId=user, parkCode="yose", tripDate="2024-06-01", nights=8, groupSize=2
    )
    assert "No park" in h.error(
        "requestPermit", userId=user, parkCode="xxxx", tripDate="2024-06-01", nights=1, groupSize=2
    )
    # Black Canyon's quota is 24 people a day: two groups of 12 fill a day that has no permits yet.
    taken = {p["tripDate"] for p in h.database.rows("permits") if p["parkCode"] == "blca"}
    day = next(f"2024-07-{d:02d}" for d in range(1, 31) if f"2024-07-{d:02d}" not in taken)
    h.ok("requestPermit", userId=user, parkCode="blca", tripDate=day, nights=2, groupSize=12)
    permit = h.ok("requestPermit", userId=visitor(h, 1), parkCode="blca", tripDate=day, nights=2, groupSize=12)
    assert "0 backcountry places left" in h.error(
        "requestPermit", userId=visitor(h, 2), parkCode="blca", tripDate=day, nights=1, groupSize=1
    )
    assert "does not belong" in h.error("cancelPermit", userId=user, permitId=permit["permitId"])
    h.ok("cancelPermit", userId=visitor(h, 1), permitId=permit["permitId"])
    assert "already cancelled" in h.error("cancelPermit", userId=visitor(h, 1), permitId=permit["permitId"])
    h.ok("requestPermit", userId=visitor(h, 2), parkCode="blca", tripDate=day, nights=1, groupSize=1)  # freed places


def test_seeded_sizes_are_realistic() -> None:
    snapshot = get_snapshot(national_parks.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["parks"] == 62 and counts["campgrounds"] >= 100 and counts["campsites"] >= 1500
    assert counts["reservations"] >= 1000 and counts["alerts"] >= 50 and counts["visitor_centers"] >= 62
    # Seeded reservations never double-book a site.
    confirmed = [r for r in snapshot.rows("reservations") if r["status"] == "confirmed"]
    by_site: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in confirmed:
        by_site.setdefault((r["campgroundId"], r["siteName"]), []).append((r["startDate"], r["endDate"]))
    for stays in by_site.values():
        stays.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(stays))


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    h = EpisodeHarness(national_parks.env)
    cg = year_round_campground(h)["campgroundId"]
    site = free_site(h, cg, "2024-07-10", "2024-07-12", people=3)
    user = visitor(h, 5)
    h.close()
    task = with_gold_changes(
        Task(
            task_id="parks-reserve",
            domain="travel",
            env_ids=["national_parks"],
            goal="write",
            query=f"I'm {user}. Book site {site['siteName']} for 3 of us, nights of July 10 and 11.",
            gold_calls=[
                GoldCall(
                    env_id="national_parks",
                    tool="getCampsiteAvailability",
                    arguments={"campgroundId": cg, "startDate": "2024-07-10", "endDate": "2024-07-12", "numPeople": 3},
                ),
                GoldCall(
                    env_id="national_parks",
                    tool="reserveCampsite",
                    arguments={
                        "userId": user,
                        "campgroundId": cg,
                        "siteName": site["siteName"],
                        "startDate": "2024-07-10",
                        "endDate": "2024-07-12",
                        "numPeople": 3,
                    },
                ),
            ],
        )
    )
    assert [(c.table, c.op) for c in task.gold_changes] == [("reservations", "insert")]
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)


def test_permits_are_described_by_park_and_date(h: EpisodeHarness) -> None:
    permit = h.database.rows("permits")[0]
    park = next(p for p in h.database.rows("parks") if p["parkCode"] == permit["parkCode"])
    label = national_parks.models.Permit.__label__(permit)
    assert park["fullName"] in label and permit["tripDate"] in label and permit["permitId"] not in label
