"""The seeded generator and its data tables: one company account's users, meetings, registrants, recordings."""

from __future__ import annotations

import datetime as dt
import random
import string

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import (
    ACCOUNT_DOMAIN,
    BASIC_DURATION_LIMIT_MINUTES,
    CLOUD_STORAGE_BYTES,
    NOW,
    RECURRING_FIXED_TIME,
    RECURRING_NO_FIXED_TIME,
    SCHEDULED,
    WEEKLY,
    Meeting,
    OccurrenceChange,
    Recording,
    RecordingFile,
    Registrant,
    ServiceClock,
    ZoomUser,
)
from .rules import STAMP, occurrence_id, series_starts, to_utc, zone

USER_COUNT = 120
# time zone -> weight: the company is mostly in the US, with offices in London, Berlin, Bangalore, Singapore, Sydney
ZONES = {
    "America/New_York": 34,
    "America/Chicago": 14,
    "America/Denver": 6,
    "America/Los_Angeles": 18,
    "Europe/London": 10,
    "Europe/Berlin": 7,
    "Asia/Kolkata": 6,
    "Asia/Singapore": 3,
    "Australia/Sydney": 2,
}
DEPARTMENTS = ("Engineering", "Sales", "Marketing", "Customer Success", "Product", "Design", "Finance", "People",
               "Legal", "Operations")  # fmt: skip
COMPANIES = ("Acme Logistics", "Bluefin Health", "Cobalt Retail", "Driftwood Media", "Evergreen Bank",
             "Foxglove Foods", "Granite Insurance", "Harbor Freight Co", "Ironclad Security", "Juniper Schools",
             "Kestrel Airlines", "Lumen Energy")  # fmt: skip
FEATURES = ("Checkout Redesign", "Mobile Onboarding", "Billing API", "Search Relevance", "Dark Mode",
            "Usage Dashboard", "SSO Rollout", "Data Export")  # fmt: skip
ROLES = ("Senior Backend Engineer", "Account Executive", "Product Designer", "Data Analyst", "Support Lead",
         "Marketing Manager")  # fmt: skip
ONE_OFF = ("{dept} Budget Review", "Customer Call: {company}", "Design Review: {feature}", "Interview: {role}",
           "Q4 Planning: {dept}", "Kickoff: {feature}", "Demo for {company}", "Contract Review: {company}",
           "Postmortem: {feature} Outage", "Onboarding: {person}", "Coffee Chat with {person}",
           "QBR with {company}", "Vendor Pitch: {company}", "Launch Prep: {feature}")  # fmt: skip
SERIES = (
    ("{dept} Weekly Sync", WEEKLY, 60, 2),
    ("{dept} Standup", 1, 15, 1),
    ("1:1 {host} / {person}", WEEKLY, 30, 1),
    ("Sprint Retro", WEEKLY, 45, 2),
    ("{dept} Monthly Review", 3, 60, 1),
    ("Book Club", WEEKLY, 60, 4),
    ("Office Hours: {dept}", WEEKLY, 30, 1),
)
WEBINARS = ("Customer Webinar: {feature}", "Product Demo: {feature}", "Partner Briefing: {feature}",
            "Open House: {dept} Careers")  # fmt: skip
AGENDAS = ("Review open items and blockers.", "Walk through the latest numbers.", "Decide next steps.",
           "Demo and Q&A.", "", "", "Please come with questions.", "Quarterly goals and owners.")  # fmt: skip
ALPHANUM = string.ascii_letters + string.digits


def _email(first: str, last: str, taken: set[str]) -> str:
    base = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    email, n = f"{base}@{ACCOUNT_DOMAIN}", 2
    while email in taken:
        email, n = f"{base}{n}@{ACCOUNT_DOMAIN}", n + 1
    taken.add(email)
    return email


def _passcode(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHANUM) for _ in range(rng.choice((6, 8, 10))))


def _local_slot(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.choice((0, 0, 30))))


def _weekday_near(rng: random.Random, center: dt.date, spread: int) -> dt.date:
    day = center + dt.timedelta(days=rng.randint(-spread, spread))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


class _Ids:
    """Unique numeric meeting ids and UUIDs drawn from the seed's rng."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.taken = rng, set[object]()

    def meeting(self) -> int:
        while True:
            value = self.rng.randint(81_000_000_000, 99_999_999_999)
            if value not in self.taken:
                self.taken.add(value)
                return value

    def text(self, length: int, suffix: str = "") -> str:
        while True:
            value = "".join(self.rng.choice(ALPHANUM) for _ in range(length)) + suffix
            if value not in self.taken:
                self.taken.add(value)
                return value


def _users(data: SeedData) -> list[dict[str, object]]:
    rng, fake = data.rng, data.fake
    taken: set[str] = set()
    users = []
    zones, weights = list(ZONES), list(ZONES.values())
    for index in range(USER_COUNT):
        first, last = fake.first_name(), fake.last_name()
        plan = "business" if index < 6 else rng.choices(("basic", "pro", "business"), (28, 44, 28))[0]
        users.append(
            {
                "user_id": _email(first, last, taken),
                "first_name": first,
                "last_name": last,
                "plan": plan,
                "timezone": rng.choices(zones, weights)[0],
                "dept": DEPARTMENTS[index % len(DEPARTMENTS)] if index >= 6 else "Operations",
                "pmi": rng.randint(2_000_000_000, 9_999_999_999),
                "cloud_storage_limit": CLOUD_STORAGE_BYTES[plan],
            }
        )
    return users


def _topic(rng: random.Random, template: str, host: dict[str, object], others: list[dict[str, object]]) -> str:
    person = rng.choice(others)
    return template.format(
        dept=host["dept"],
        company=rng.choice(COMPANIES),
        feature=rng.choice(FEATURES),
        role=rng.choice(ROLES),
        person=f"{person['first_name']} {person['last_name']}",
        host=host["first_name"],
    )


def _settings(rng: random.Random, host: dict[str, object], licensed: list[dict[str, object]]) -> dict[str, object]:
    paid = host["plan"] != "basic"
    colleagues = [u for u in licensed if u["dept"] == host["dept"] and u["user_id"] != host["user_id"]]
    alternates = ""
    if paid and colleagues and rng.random() < 0.18:
        alternates = ";".join(
            str(u["user_id"]) for u in rng.sample(colleagues, min(len(colleagues), rng.randint(1, 2)))
        )
    recording = rng.choices(("none", "local", "cloud"), (55, 15, 30) if paid else (80, 20, 0))[0]
    return {
        "passcode": _passcode(rng) if rng.random() < 0.7 else "",
        "agenda": rng.choice(AGENDAS),
        "waiting_room": int(rng.random() < 0.6),
        "join_before_host": int(rng.random() < 0.25),
        "mute_upon_entry": int(rng.random() < 0.35),
        "auto_recording": recording,
        "registration": 0,
        "alternative_hosts": alternates,
        "recurrence_type": None,
        "repeat_interval": None,
        "weekly_days": None,
        "monthly_day": None,
        "end_times": None,
        "end_date_time": None,
    }


def _duration(rng: random.Random, host: dict[str, object], wanted: int) -> int:
    return min(wanted, BASIC_DURATION_LIMIT_MINUTES) if host["plan"] == "basic" else wanted


def _local_now(zone_name: str) -> dt.datetime:
    return NOW.replace(tzinfo=dt.UTC).astimezone(zone(zone_name)).replace(tzinfo=None)


@env.seed
def seed(db: Session, data: SeedData) -> None:
    rng = data.rng
    ids = _Ids(rng)
    db.add(ServiceClock(id=1, now=NOW.isoformat()))
    users = _users(data)
    db.execute(insert(ZoomUser), users)
    licensed = [u for u in users if u["plan"] != "basic"]
    ceo = users[0]
    meetings: list[dict[str, object]] = []

    def add(host: dict[str, object], topic: str, kind: int, start: dt.datetime | None, duration: int,
            **overrides: object) -> dict[str, object]:  # fmt: skip
        values = _settings(rng, host, licensed)
        values.update(overrides)
        created = (start or NOW) - dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8))
        row = {
            "meeting_id": ids.meeting(),
            "host_id": host["user_id"],
            "topic": topic,
            "type": kind,
            "start_time": start.strftime(STAMP) if start else None,
            "duration": _duration(rng, host, duration),
            "timezone": host["timezone"],
            "status": "waiting",
            "created_at": min(created, NOW - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            **values,
        }
        if kind == SCHEDULED and start is not None:
            ended = to_utc(start, str(host["timezone"])) + dt.timedelta(minutes=int(row["duration"])) <= NOW
            row["status"] = "ended" if ended else "waiting"
        elif kind == RECURRING_FIXED_TIME:
            last = series_starts(row)[-1]
            row["status"] = "ended" if to_utc(last, str(host["timezone"])) <= NOW else "waiting"
        meetings.append(row)
        return row

    # Company-wide and department all-hands: weekly series on Fridays, recorded to the cloud.
    today = _local_now(str(ceo["timezone"])).date()
    friday = today - dt.timedelta(days=(today.weekday() - 4) % 7 + 7 * 9)
    add(ceo, "Company All-Hands", RECURRING_FIXED_TIME, dt.datetime.combine(friday, dt.time(11, 0)), 60,
        auto_recording="cloud", recurrence_type=WEEKLY, repeat_interval=2, weekly_days="6", end_times=12,
        passcode="AllHands1", waiting_room=0, mute_upon_entry=1)  # fmt: skip
    leads: dict[str, dict[str, object]] = {}
    for user in users:
        if user["plan"] != "basic" and user["dept"] not in leads and user["dept"] != "Operations":
            leads[str(user["dept"])] = user
    for dept, lead in sorted(leads.items()):
        day = today - dt.timedelta(days=(today.weekday() - rng.choice((0, 2, 3))) % 7 + 7 * rng.randint(6, 10))
        add(lead, f"{dept} All-Hands", RECURRING_FIXED_TIME, dt.datetime.combine(day, dt.time(15, 0)), 45,
            auto_recording="cloud", recurrence_type=WEEKLY, repeat_interval=1,
            weekly_days=str((day.isoweekday() % 7) + 1), end_times=rng.randint(12, 20), mute_upon_entry=1)  # fmt: skip

    for index, host in enumerate(users):
        others = [u for u in users if u is not host]
        local_today = _local_now(str(host["timezone"])).date()
        count = rng.randint(7, 15)
        for _ in range(count):
            ahead = rng.random() < 0.4
            center = local_today + dt.timedelta(days=rng.randint(1, 45) if ahead else -rng.randint(1, 110))
            day = _weekday_near(rng, center, 2)
            if ahead and day <= local_today:
                day = local_today + dt.timedelta(days=1)
            template = rng.choice(ONE_OFF)
            add(host, _topic(rng, template, host, others), SCHEDULED, _local_slot(rng, day),
                rng.choice((30, 30, 45, 60, 60, 90)))  # fmt: skip
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            template, kind, duration, interval = rng.choice(SERIES)
            first = _weekday_near(rng, local_today - dt.timedelta(days=rng.randint(-14, 90)), 0)
            rule: dict[str, object] = {"recurrence_type": kind, "repeat_interval": interval}
            if kind == WEEKLY:
                days = sorted(rng.sample((2, 3, 4, 5, 6), rng.choice((1, 1, 1, 2))))
                rule["weekly_days"] = ",".join(str(d) for d in days)
            elif kind == 3:
                rule["monthly_day"] = first.day
            if rng.random() < 0.75:
                rule["end_times"] = rng.randint(6, 30) if kind != 1 else rng.randint(10, 40)
            else:
                rule["end_date_time"] = (first + dt.timedelta(days=rng.randint(60, 150))).strftime("%Y-%m-%dT23:59:00")
            add(host, _topic(rng, template, host, others), RECURRING_FIXED_TIME, _local_slot(rng, first), duration,
                **rule)  # fmt: skip
        if index % 9 == 0:
            add(host, f"{host['first_name']}'s Drop-in Room", RECURRING_NO_FIXED_TIME, None, 60)
        if host["plan"] != "basic" and rng.random() < 0.22:
            day = _weekday_near(rng, local_today + dt.timedelta(days=rng.randint(3, 40)), 1)
            if day <= local_today:
                day = local_today + dt.timedelta(days=2)
            add(host, _topic(rng, rng.choice(WEBINARS), host, others), SCHEDULED, _local_slot(rng, day), 60,
                registration=1, waiting_room=0)  # fmt: skip
    db.execute(insert(Meeting), meetings)
    _occurrence_changes(db, rng, meetings)
    _registrants(db, data, ids, meetings)
    _recordings(db, rng, ids, meetings, {str(u["user_id"]): u for u in users})


def _occurrence_changes(db: Session, rng: random.Random, meetings: list[dict[str, object]]) -> None:
    changes = []
    for meeting in meetings:
        if meeting["type"] != RECURRING_FIXED_TIME or meeting["status"] != "waiting" or rng.random() > 0.2:
            continue
        starts = series_starts(meeting)
        pick = rng.choice(starts[1:]) if len(starts) > 1 else None
        if pick is None:
            continue
        moved = rng.random() < 0.6
        changes.append(
            {
                "meeting_id": meeting["meeting_id"],
                "occurrence_id": occurrence_id(pick, str(meeting["timezone"])),
                "start_time": (pick + dt.timedelta(hours=rng.choice((1, 2, -1)) if moved else 0)).strftime(STAMP),
                "duration": meeting["duration"],
                "status": "available" if moved else "deleted",
            }
        )
    if changes:
        db.execute(insert(OccurrenceChange), changes)


def _registrants(db: Session, data: SeedData, ids: _Ids, meetings: list[dict[str, object]]) -> None:
    rng, fake = data.rng, data.fake
    rows = []
    for meeting in meetings:
        if not meeting["registration"]:
            continue
        emails: set[str] = set()
        for _ in range(rng.randint(3, 14)):
            first, last = fake.first_name(), fake.last_name()
            email = f"{first[0]}{last}@{rng.choice(COMPANIES).split()[0].lower()}.com".lower()
            if email in emails:
                continue
            emails.add(email)
            created = NOW - dt.timedelta(days=rng.randint(0, 12), minutes=rng.randint(0, 900))
            rows.append(
                {
                    "registrant_id": ids.text(22),
                    "meeting_id": meeting["meeting_id"],
                    "email": email,
                    "first_name": first,
                    "last_name": last,
                    "status": "approved",
                    "create_time": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
            )
    db.execute(insert(Registrant), rows)


def _recordings(
    db: Session, rng: random.Random, ids: _Ids, meetings: list[dict[str, object]], users: dict[str, dict[str, object]]
) -> None:
    """Cloud recordings of past meeting instances of paid hosts: one-off meetings and series occurrences."""
    instances: list[tuple[dict[str, object], dt.datetime]] = []
    for meeting in meetings:
        host = users[str(meeting["host_id"])]
        if host["plan"] == "basic" or meeting["start_time"] is None:
            continue
        zone_name = str(meeting["timezone"])
        if meeting["type"] == SCHEDULED:
            start = dt.datetime.strptime(str(meeting["start_time"]), STAMP)
            wanted = 0.9 if meeting["auto_recording"] == "cloud" else 0.12
            if meeting["status"] == "ended" and rng.random() < wanted:
                instances.append((meeting, start))
        else:
            past = [s for s in series_starts(meeting) if to_utc(s, zone_name) + dt.timedelta(hours=2) < NOW]
            wanted = 1.0 if meeting["auto_recording"] == "cloud" else 0.06
            instances.extend((meeting, s) for s in past[-8:] if rng.random() < wanted)
    recordings, files = [], []
    for meeting, local in instances:
        utc = to_utc(local, str(meeting["timezone"]))
        planned = int(str(meeting["duration"]))
        duration = max(5, planned + rng.randint(-12, 8))
        uuid = ids.text(22, "==")
        trashed = rng.random() < 0.06
        recordings.append(
            {
                "meeting_uuid": uuid,
                "meeting_id": meeting["meeting_id"],
                "host_id": meeting["host_id"],
                "topic": meeting["topic"],
                "start_time": utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "duration": duration,
                "participants": rng.randint(2, 14)
                if "All-Hands" not in str(meeting["topic"])
                else rng.randint(40, 110),
                "status": "trashed" if trashed else "completed",
                "deleted_at": (NOW - dt.timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 20))).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                )
                if trashed
                else None,
            }
        )
        kinds = (
            ["MP4", "M4A"] + (["TRANSCRIPT"] if rng.random() < 0.6 else []) + (["CHAT"] if rng.random() < 0.5 else [])
        )
        for kind in kinds:
            per_minute = {"MP4": rng.randint(3_500_000, 9_000_000), "M4A": rng.randint(450_000, 520_000),
                          "TRANSCRIPT": rng.randint(6_000, 9_000), "CHAT": rng.randint(200, 900)}[kind]  # fmt: skip
            files.append(
                {"file_id": ids.text(12), "meeting_uuid": uuid, "file_type": kind, "file_size": per_minute * duration}
            )
    db.execute(insert(Recording), recordings)
    db.execute(insert(RecordingFile), files)
