"""Zoom stories: one person of the company account and their meetings or recordings, one storyline each.

They cover what people do in Zoom: set up a weekly sync with a passcode, move or cancel one session of a
series (never the whole series by accident), end a series, let a colleague start their meeting as an
alternative host (only a licensed colleague can be one), turn on recording (cloud only on a paid plan),
schedule a long workshop on a plan that caps meetings at 40 minutes, tighten a meeting's settings, register an
outside guest and hear who registered, find last week's all-hands recording with its length and download link,
find their longest recording of a month, free cloud storage by deleting old recordings for good (month by
month, as the recordings list allows), restore a recording deleted by mistake, and ask to change a colleague's
meeting they do not host. People sign in with their work email and speak of meetings by topic and day.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .rules import STAMP, zone

ENV = "zoom"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
GUESTS = (
    ("Maya", "Okafor", "brightpath.io"),
    ("Tomas", "Reyes", "tidewater.org"),
    ("Lena", "Fischer", "alderco.com"),
    ("Omar", "Haddad", "brightpath.io"),
    ("Grace", "Liu", "northstarhealth.com"),
    ("Noah", "Bennett", "alderco.com"),
)
PASSCODE_WORDS = ("sync", "team", "weekly", "plan", "north", "focus", "huddle")


def _account(s: StoryContext, email: str) -> str:
    s.person(ENV, email)
    s.say(email)
    return speech.choose(
        s.rng, f"My Zoom login is {email}.", f"I'm {email} on Zoom.", f"This is {email}.", f"My account is {email}."
    )


def _local_now(s: StoryContext, timezone: str) -> dt.datetime:
    return s.now().replace(tzinfo=dt.UTC).astimezone(zone(timezone)).replace(tzinfo=None)


def _when(stamp: str, *, weekday: bool = True) -> str:
    moment = dt.datetime.strptime(stamp, STAMP)
    return f"{speech.date(moment, weekday=weekday)} at {speech.time(moment)}"


def _listed_meeting(s: StoryContext, user_id: str, meeting: dict[str, Any], **arguments: Any) -> dict[str, Any]:
    """The meeting the person names by topic, read from the first page of their meeting list."""
    page = s.call("list_meetings", user_id=user_id, **arguments)
    found = [m for m in page["meetings"] if m["meeting_id"] == meeting["meeting_id"]]
    same_topic = [m for m in page["meetings"] if m["topic"] == meeting["topic"]]
    if not found or len(same_topic) != 1:
        s.reject("the meeting is not on the first page, or its topic is not unique")
    s.say(meeting["topic"])
    return found[0]


def _unique_topic_sql(extra: str = "") -> str:
    return (
        "SELECT m.* FROM meetings m WHERE m.status = 'waiting' AND (SELECT COUNT(*) FROM meetings x WHERE "
        f"x.host_id = m.host_id AND x.topic = m.topic AND x.status = 'waiting') = 1 {extra}"
    )


# --------------------------------------------------------------------------------------------------
# Scheduling
# --------------------------------------------------------------------------------------------------


@story(ENV, weight=1.3)
def weekly_team_sync(s: StoryContext) -> str:
    """A manager sets up a weekly sync on one weekday at a set hour for a number of weeks, with a passcode."""
    user = s.pick("SELECT * FROM users WHERE plan != 'basic'")
    local = _local_now(s, user["timezone"])
    weekday = s.rng.choice((0, 1, 1, 1, 2, 3))  # mostly Tuesdays
    hour = s.rng.choice((9, 10, 10, 11, 14))
    first = local.date() + dt.timedelta(days=(weekday - local.weekday()) % 7 or 7)
    weeks = s.rng.choice((6, 8, 8, 10, 12))
    length = s.rng.choice((30, 45, 60))
    topic = s.rng.choice((f"{user['dept']} Team Sync", "Weekly Team Sync", f"{user['dept']} Weekly Check-in"))
    passcode = s.rng.choice(PASSCODE_WORDS) + "".join(s.rng.choice(string.digits) for _ in range(4))
    start = dt.datetime.combine(first, dt.time(hour)).strftime(STAMP)
    day_name = WEEKDAYS[weekday]
    meeting = s.call(
        "create_meeting",
        user_id=s.say(user["user_id"]),
        topic=s.say(topic),
        type=s.imply(8),
        start_time=s.say(start, f"starting {speech.date(first, weekday=True)}"),
        duration=s.say(length, "an hour" if length == 60 else f"{length} minutes"),
        passcode=s.say(passcode),
        recurrence_type=s.imply(2),
        weekly_days=s.imply(str((first.isoweekday() % 7) + 1)),
        end_times=s.say(weeks, f"{speech.number(weeks)} weeks"),
    )
    s.fact(meeting["meeting_id"])
    s.fact(speech.date(meeting["occurrences"][-1]["start_time"][:10]), derived=True)
    s.context(topic, passcode)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        _account(s, user["user_id"]),
        f'Please set up a recurring meeting called "{topic}" on {day_name}s at {speech.time(start)}, starting '
        f"{speech.date(first, weekday=True)}, for {speech.number(weeks)} weeks.",
        f"Each one runs {'an hour' if length == 60 else f'{length} minutes'} and the passcode should be {passcode}.",
        "What's the meeting ID, and on what date is the last session?",
    )


@story(ENV, implicit=True)
def long_workshop_on_basic(s: StoryContext) -> str:
    """A long workshop: a Basic user gets the 40 minutes the plan allows, a paid user the full length."""
    user = s.pick("SELECT * FROM users WHERE plan = 'basic'" if s.rng.random() < 0.6 else "SELECT * FROM users")
    local = _local_now(s, user["timezone"])
    day = local.date() + dt.timedelta(days=s.rng.randint(2, 12))
    if day.weekday() >= 5:
        day += dt.timedelta(days=7 - day.weekday())
    start = dt.datetime.combine(day, dt.time(s.rng.choice((9, 13, 15)), 0)).strftime(STAMP)
    wanted = s.rng.choice((90, 120))
    topic = s.rng.choice(("Onboarding Workshop", "Roadmap Brainstorm", "Hiring Panel Training", "Quarterly Planning"))
    profile = s.call("get_user", user_id=s.say(user["user_id"]))
    duration = s.imply(40) if profile["plan"] == "Basic" else s.say(wanted, f"{wanted}-minute")
    meeting = s.call("create_meeting", user_id=user["user_id"], topic=s.say(topic),
                     start_time=s.say(start, _when(start)), duration=duration)  # fmt: skip
    s.say(wanted, f"{wanted}-minute")
    s.fact(meeting["meeting_id"])
    s.fact(meeting["duration"])
    s.context(topic, wanted)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        _account(s, user["user_id"]),
        f'Book a {wanted}-minute meeting called "{topic}" for {_when(start)}.',
        "If my Zoom plan can't do meetings that long, book it for as long as the plan allows instead.",
        "Tell me the meeting ID and how long it's booked for.",
    )


# --------------------------------------------------------------------------------------------------
# Series and occurrences
# --------------------------------------------------------------------------------------------------


def _weekly_series(s: StoryContext) -> tuple[dict[str, Any], list[dict[str, Any]], dt.datetime]:
    meeting = s.pick(_unique_topic_sql("AND m.type = 8 AND m.recurrence_type = 2 AND m.weekly_days NOT LIKE '%,%'"))
    local = _local_now(s, meeting["timezone"])
    upcoming = [
        o
        for o in s.peek("list_meeting_occurrences", meeting_id=meeting["meeting_id"])
        if dt.datetime.strptime(o["start_time"], STAMP) > local + dt.timedelta(days=1)
    ]
    if len(upcoming) < 3:
        s.reject("too few sessions ahead")
    return meeting, upcoming, local


@story(ENV, weight=1.3)
def move_one_session(s: StoryContext) -> str:
    """One session of a weekly series moves to another day that week; the rest of the series stays."""
    meeting, upcoming, _ = _weekly_series(s)
    occurrence = s.rng.choice(upcoming[:4])
    old = dt.datetime.strptime(occurrence["start_time"], STAMP)
    shift = s.rng.choice([d for d in (-2, -1, 1, 2) if (old + dt.timedelta(days=d)).weekday() < 5])
    new = (old + dt.timedelta(days=shift)).strftime(STAMP)
    user = meeting["host_id"]
    intro = _account(s, user)
    listed = _listed_meeting(s, user, meeting)
    sessions = s.call("list_meeting_occurrences", meeting_id=listed["meeting_id"])
    mine = next(o for o in sessions if o["occurrence_id"] == occurrence["occurrence_id"])
    s.say(mine["start_time"], speech.date(old, weekday=True))
    s.call("update_meeting", user_id=user, meeting_id=listed["meeting_id"], occurrence_id=mine["occurrence_id"],
           start_time=s.say(new, f"{speech.date(new, weekday=True)}"))  # fmt: skip
    s.context(meeting["topic"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        f'The "{meeting["topic"]}" session on {speech.date(old, weekday=True)} has to move to '
        f"{speech.date(new, weekday=True)}, same time.",
        speech.choose(s.rng, "Only that one — leave every other week as it is.", "Just that week; the rest stay put."),
    )


@story(ENV)
def skip_one_session(s: StoryContext) -> str:
    """The host is away one week: that session is cancelled and the series carries on."""
    meeting, upcoming, _ = _weekly_series(s)
    occurrence = s.rng.choice(upcoming[:5])
    day = speech.date(occurrence["start_time"][:10], weekday=True)
    user = meeting["host_id"]
    intro = _account(s, user)
    listed = _listed_meeting(s, user, meeting, type=s.imply("upcoming"))
    sessions = s.call("list_meeting_occurrences", meeting_id=listed["meeting_id"])
    mine = next(o for o in sessions if o["occurrence_id"] == occurrence["occurrence_id"])
    s.say(mine["start_time"], day)
    s.call("delete_meeting", user_id=user, meeting_id=listed["meeting_id"], occurrence_id=mine["occurrence_id"])
    s.context(meeting["topic"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        speech.choose(s.rng, f"I'm out of the office on {day}.", f"I'm on leave on {day}."),
        f'Please cancel the "{meeting["topic"]}" meeting that day only; the other weeks still go ahead.',
    )


@story(ENV, implicit=True, weight=0.8)
def end_a_series(s: StoryContext) -> str:
    """A recurring meeting is no longer needed: the whole series is deleted."""
    meeting = s.pick(_unique_topic_sql("AND m.type = 8"))
    user = meeting["host_id"]
    intro = _account(s, user)
    listed = _listed_meeting(s, user, meeting)
    s.call("delete_meeting", user_id=user, meeting_id=listed["meeting_id"])
    s.context(meeting["topic"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        speech.choose(
            s.rng,
            f"We've wrapped up the project, so the recurring \"{meeting['topic']}\" meetings aren't needed any more.",
            f'The team decided to stop the "{meeting["topic"]}" meetings for good.',
        ),
        "Take them off everyone's calendar, all of them.",
    )


# --------------------------------------------------------------------------------------------------
# Hosts and settings
# --------------------------------------------------------------------------------------------------


@story(ENV, implicit=True, weight=1.2)
def colleague_as_alternative_host(s: StoryContext) -> str:
    """A colleague should be able to start the meeting: made an alternative host, unless on the Basic plan."""
    meeting = s.pick(_unique_topic_sql("AND m.alternative_hosts = '' AND m.type IN (2, 8)"))
    host = s.rows("SELECT * FROM users WHERE user_id = ?", (meeting["host_id"],))[0]
    if host["plan"] == "basic":
        s.reject("a Basic host")
    colleague = s.pick(
        "SELECT * FROM users u WHERE u.user_id != ? AND (SELECT COUNT(*) FROM users x WHERE x.first_name = "
        "u.first_name AND x.last_name = u.last_name) = 1",
        (host["user_id"],),
    )
    name = f"{colleague['first_name']} {colleague['last_name']}"
    intro = _account(s, host["user_id"])
    listed = _listed_meeting(s, host["user_id"], meeting)
    found = s.call("list_users", search=s.say(name))
    match = [u for u in found["users"] if u["email"] == colleague["user_id"]]
    if len(match) != 1 or found["total_records"] != 1:
        s.reject("the colleague's name is not unique")
    if match[0]["plan"] == "Basic":
        s.fact(match[0]["plan"])
    else:
        s.call("update_meeting", user_id=host["user_id"], meeting_id=listed["meeting_id"],
               alternative_hosts=match[0]["email"])  # fmt: skip
    s.context(meeting["topic"], name)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        speech.choose(
            s.rng,
            f'I might be late to my "{meeting["topic"]}" meeting, so {name} should be able to start and run it '
            "without me.",
            f'{name} is taking over my "{meeting["topic"]}" meeting whenever I can\'t make it; make sure they can '
            "start it themselves.",
        ),
        "If that isn't possible, tell me why.",
    )


@story(ENV, implicit=True)
def record_to_cloud_or_local(s: StoryContext) -> str:
    """Automatic recording for a meeting: to the cloud on a paid plan, else on the host's computer."""
    meeting = s.pick(_unique_topic_sql("AND m.auto_recording = 'none' AND m.type IN (2, 8)"))
    user = meeting["host_id"]
    intro = _account(s, user)
    profile = s.call("get_user", user_id=user)
    listed = _listed_meeting(s, user, meeting)
    target = "cloud" if profile["plan"] != "Basic" else "local"
    s.call("update_meeting", user_id=user, meeting_id=listed["meeting_id"], auto_recording=s.imply(target))
    if target == "local":
        s.fact(profile["plan"])
    s.context(meeting["topic"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        f'I want my "{meeting["topic"]}" meeting to record itself automatically, ideally to the cloud so I can '
        "share the link afterwards.",
        "If my plan doesn't include that, have it record on my computer instead, and tell me why.",
    )


@story(ENV)
def tighten_settings(s: StoryContext) -> str:
    """Before a sensitive meeting: waiting room on, everyone muted on entry, a new passcode."""
    meeting = s.pick(_unique_topic_sql("AND m.type = 2 AND (m.waiting_room = 0 OR m.mute_upon_entry = 0)"))
    user = meeting["host_id"]
    intro = _account(s, user)
    listed = _listed_meeting(s, user, meeting)
    passcode = s.rng.choice(("Q4-review", "Conf*2025", "Vault-88", "Board@1")) + s.rng.choice(string.digits)
    s.call("update_meeting", user_id=user, meeting_id=listed["meeting_id"], waiting_room=True,
           mute_upon_entry=True, passcode=s.say(passcode))  # fmt: skip
    s.context(meeting["topic"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        f'People we didn\'t invite keep turning up, so for my "{meeting["topic"]}" meeting put everyone in a '
        f"waiting room until I let them in, mute them when they join, and change the passcode to {passcode}.",
    )


@story(ENV, implicit=True, weight=1.3)
def change_someone_elses_meeting(s: StoryContext) -> str:
    """A meeting-id from an invite and a request to move it: done for an alternative host, refused otherwise."""
    meeting = s.pick("SELECT * FROM meetings WHERE status = 'waiting' AND type = 2 AND alternative_hosts != ''")
    hosts = meeting["alternative_hosts"].split(";")
    if s.rng.random() < 0.45:
        person = s.rng.choice(hosts)
    else:
        person = s.pick("SELECT user_id FROM users WHERE user_id != ?", (meeting["host_id"],))["user_id"]
        if person in hosts:
            s.reject("an alternative host after all")
    start = dt.datetime.strptime(meeting["start_time"], STAMP)
    later = (start + dt.timedelta(hours=1)).strftime(STAMP)
    intro = _account(s, person)
    details = s.call("get_meeting", meeting_id=s.say(meeting["meeting_id"]))
    if person in hosts:
        s.call("update_meeting", user_id=person, meeting_id=meeting["meeting_id"],
               start_time=s.say(later, f"an hour later, at {speech.time(later)}"))  # fmt: skip
    else:
        s.say(later, f"an hour later, at {speech.time(later)}")
        s.fact(details["host_id"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        f"Could you push meeting {meeting['meeting_id']} an hour later, at {speech.time(later)} the same day?",
        "If I'm not allowed to change it, tell me who can.",
    )


# --------------------------------------------------------------------------------------------------
# Registrants and the calendar
# --------------------------------------------------------------------------------------------------


@story(ENV)
def register_a_guest(s: StoryContext) -> str:
    """A host registers an outside guest for a registration-only meeting and passes on the personal link."""
    meeting = s.pick(_unique_topic_sql("AND m.registration = 1"))
    user = meeting["host_id"]
    intro = _account(s, user)
    listed = _listed_meeting(s, user, meeting)
    guests = s.rng.sample(GUESTS, 2 if s.rng.random() < 0.6 else 1)
    spoken = []
    for first, last, company in guests:
        email = f"{first[0].lower()}{last.lower()}@{company}"
        registrant = s.call("add_meeting_registrant", meeting_id=listed["meeting_id"], email=s.say(email),
                            first_name=s.say(first), last_name=s.say(last))  # fmt: skip
        s.fact(registrant["join_url"])
        s.context(email)
        spoken.append(f"{first} {last} ({email})")
    s.context(meeting["topic"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        f'Please register {speech.listing(spoken)} for my "{meeting["topic"]}" session.',
        "Send me the personal join link" + (" each of them will use." if len(guests) > 1 else " they'll use."),
    )


@story(ENV, weight=1.3)
def who_registered(s: StoryContext) -> str:
    """A host checks how many people registered for their session and who signed up last."""
    meeting = s.pick(_unique_topic_sql("AND m.registration = 1"))
    user = meeting["host_id"]
    intro = _account(s, user)
    listed = _listed_meeting(s, user, meeting)
    page = s.call("list_meeting_registrants", user_id=user, meeting_id=listed["meeting_id"])
    if page["total_records"] < 2 or page["total_records"] > 30:
        s.reject("too few registrants")
    latest = page["registrants"][-1]
    s.fact(page["total_records"])
    s.fact(f"{latest['first_name']} {latest['last_name']}", derived=True)
    s.context(meeting["topic"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        f'How many people have registered for my "{meeting["topic"]}" so far, and who was the most recent to sign up?',
    )


@story(ENV, weight=1.3)
def next_meeting_passcode(s: StoryContext) -> str:
    """Someone rushing between calls asks what their next meeting is and its passcode."""
    user = s.pick("SELECT * FROM users")
    intro = _account(s, user["user_id"])
    page = s.call("list_meetings", user_id=user["user_id"], type=s.imply("upcoming"))
    timed = [m for m in page["meetings"] if m["start_time"]]
    local = _local_now(s, user["timezone"]).strftime(STAMP)
    ahead = [m for m in timed if m["start_time"] > local]
    if len(ahead) < 2 or ahead[0]["start_time"] == ahead[1]["start_time"]:
        s.reject("no single next meeting")
    details = s.call("get_meeting", meeting_id=ahead[0]["meeting_id"])
    if not details["passcode"]:
        s.reject("no passcode")
    s.fact(details["topic"])
    s.fact(details["passcode"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        speech.choose(
            s.rng,
            "What's the next meeting on my Zoom calendar that hasn't started yet, and what's its passcode?",
            "I'm running between calls: which meeting of mine is coming up next, and what passcode do people need?",
        ),
    )


# --------------------------------------------------------------------------------------------------
# Recordings
# --------------------------------------------------------------------------------------------------


@story(ENV, weight=1.3)
def last_weeks_all_hands(s: StoryContext) -> str:
    """Last week's all-hands recording: how long it ran and where to download the video."""
    today = s.now().date()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    sunday = monday + dt.timedelta(days=6)
    row = s.pick(
        "SELECT * FROM recordings r WHERE status = 'completed' AND topic LIKE '%All-Hands' AND substr(start_time, 1, "
        "10) BETWEEN ? AND ?",
        (monday.isoformat(), sunday.isoformat()),
    )
    intro = _account(s, row["host_id"])
    page = s.call("list_recordings", user_id=row["host_id"], from_date=s.say(monday.isoformat(), "last week"),
                  to_date=s.say(sunday.isoformat(), "last week"))  # fmt: skip
    hands = [m for m in page["meetings"] if "All-Hands" in m["topic"]]
    if len(hands) != 1:
        s.reject("several all-hands last week")
    recording = s.call("get_recording", meeting_uuid=hands[0]["meeting_uuid"])
    video = next(f for f in recording["recording_files"] if f["file_type"] == "MP4")
    s.fact(recording["duration"])
    s.fact(video["download_url"])
    s.context(row["topic"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        speech.choose(
            s.rng,
            "Can you find the recording of last week's all-hands?",
            "I missed last week's all-hands and want to catch up on the recording.",
        ),
        "How long did it run, and what's the download link for the video?",
    )


def _month_range(day: dt.date) -> tuple[str, str]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first.isoformat(), (following - dt.timedelta(days=1)).isoformat()


@story(ENV, weight=1.3)
def longest_recording_of_month(s: StoryContext) -> str:
    """A user asks which of last month's recordings ran longest, and how long."""
    first_of_this = s.now().date().replace(day=1)
    low, high = _month_range(first_of_this - dt.timedelta(days=1))
    host = s.pick(
        "SELECT host_id FROM recordings WHERE status = 'completed' AND substr(start_time, 1, 10) BETWEEN ? AND ? "
        "GROUP BY host_id HAVING COUNT(*) BETWEEN 3 AND 12",
        (low, high),
    )["host_id"]
    intro = _account(s, host)
    month = dt.date.fromisoformat(low).strftime("%B")
    page = s.call("list_recordings", user_id=host, from_date=s.say(low, month), to_date=s.say(high, month))
    durations = sorted((m["duration"] for m in page["meetings"]), reverse=True)
    if len(durations) < 2 or durations[0] == durations[1]:
        s.reject("a tie for the longest")
    longest = next(m for m in page["meetings"] if m["duration"] == durations[0])
    s.fact(longest["topic"])
    s.fact(longest["duration"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        f"Of the meetings I recorded to the cloud in {month}, which one ran the longest, and for how many minutes?",
    )


@story(ENV, implicit=True, weight=1.4)
def free_storage_old_recordings(s: StoryContext) -> str:
    """Cloud storage is filling up: every recording from two old months is deleted for good (trash still counts)."""
    first_of_this = s.now().date().replace(day=1)
    june = first_of_this - dt.timedelta(days=80)
    months = [_month_range(june), _month_range(dt.date.fromisoformat(_month_range(june)[1]) + dt.timedelta(days=1))]
    host = s.pick(
        "SELECT host_id FROM recordings WHERE substr(start_time, 1, 10) BETWEEN ? AND ? GROUP BY host_id "
        "HAVING COUNT(*) BETWEEN 2 AND 7 AND SUM(status != 'completed') = 0",
        (months[0][0], months[1][1]),
    )["host_id"]
    intro = _account(s, host)
    names = [dt.date.fromisoformat(low).strftime("%B") for low, _ in months]
    doomed: list[dict[str, Any]] = []
    for (low, high), name in zip(months, names, strict=True):
        page = s.call("list_recordings", user_id=host, from_date=s.say(low, name), to_date=s.say(high, name))
        doomed.extend(page["meetings"])
    for recording in doomed:
        s.call("delete_recording", user_id=host, meeting_uuid=recording["meeting_uuid"], action=s.imply("delete"))
    s.fact(len(doomed), derived=True)
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        "Zoom keeps warning me that my cloud recording storage is nearly full.",
        f"I don't need anything I recorded in {names[0]} or {names[1]} any more: get rid of those recordings so the "
        "space is actually freed up, and tell me how many you removed.",
    )


@story(ENV, implicit=True)
def restore_deleted_recording(s: StoryContext) -> str:
    """A recording deleted by mistake: found in the trash by its meeting's day and restored."""
    row = s.pick(
        "SELECT r.*, u.timezone FROM recordings r JOIN users u ON u.user_id = r.host_id WHERE r.status = 'trashed' "
        "AND (SELECT COUNT(*) FROM recordings x WHERE x.host_id = r.host_id AND x.status = 'trashed') <= 3"
    )
    utc = dt.datetime.strptime(row["start_time"], "%Y-%m-%dT%H:%M:%SZ")
    local = utc.replace(tzinfo=dt.UTC).astimezone(zone(row["timezone"]))
    if local.date() != utc.date():
        s.reject("the local day differs from the UTC day")
    day = utc.date().isoformat()
    intro = _account(s, row["host_id"])
    spoken = speech.date(day)
    page = s.call("list_recordings", user_id=row["host_id"], from_date=s.say(day, spoken), to_date=day,
                  trash=s.imply(True))  # fmt: skip
    mine = [m for m in page["meetings"] if m["topic"] == row["topic"]]
    if len(mine) != 1:
        s.reject("not one recording of that topic that day")
    s.say(row["topic"])
    restored = s.call("recover_recording", user_id=row["host_id"], meeting_uuid=mine[0]["meeting_uuid"])
    s.fact(restored["duration"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        intro,
        f'I deleted the cloud recording of our "{row["topic"]}" meeting from {spoken} by accident.',
        "Can you get it back? And remind me how long that recording is.",
    )
