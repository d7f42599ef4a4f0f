"""The tools an agent calls: Zoom's users, meetings, occurrences, registrants and cloud recordings API."""

from __future__ import annotations

import calendar
import datetime as dt
import string
from typing import Any, Literal

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    AUTO_RECORDING,
    BASIC_DURATION_LIMIT_MINUTES,
    MAX_DURATION_MINUTES,
    MAX_OCCURRENCES,
    MAX_PAGE,
    MAX_RECORDING_RANGE_DAYS,
    MAX_REPEAT_INTERVAL,
    PLAN_NAMES,
    RECURRING_FIXED_TIME,
    RECURRING_NO_FIXED_TIME,
    SCHEDULED,
    TRASH_DAYS,
    Meeting,
    OccurrenceChange,
    Recording,
    RecordingFile,
    Registrant,
    ZoomUser,
)
from .rules import STAMP, check_passcode, occurrence_id, parse_local, parse_weekdays, series_starts, to_utc, zone

MeetingListType = Literal["scheduled", "upcoming", "previous_meetings"]
AutoRecording = Literal["none", "local", "cloud"]


class UserView(TypedDict):
    user_id: str
    email: str
    first_name: str
    last_name: str
    type: int
    plan: str
    timezone: str
    dept: str
    pmi: int
    cloud_storage_limit_bytes: int
    cloud_storage_used_bytes: int


class UserPage(TypedDict):
    total_records: int
    users: list[UserView]


class OccurrenceView(TypedDict):
    occurrence_id: str
    start_time: str
    duration: int
    status: str


class RecurrenceView(TypedDict):
    recurrence_type: int
    repeat_interval: int
    weekly_days: str | None
    monthly_day: int | None
    end_times: int | None
    end_date_time: str | None


class SettingsView(TypedDict):
    waiting_room: bool
    join_before_host: bool
    mute_upon_entry: bool
    auto_recording: str
    registration: bool
    alternative_hosts: str


class MeetingView(TypedDict):
    meeting_id: int
    host_id: str
    topic: str
    type: int
    status: str
    start_time: str | None
    duration: int
    timezone: str
    agenda: str
    passcode: str
    join_url: str
    created_at: str
    settings: SettingsView
    recurrence: RecurrenceView | None
    occurrences: list[OccurrenceView]


class MeetingSummary(TypedDict):
    meeting_id: int
    host_id: str
    topic: str
    type: int
    start_time: str | None
    duration: int
    timezone: str
    join_url: str


class MeetingPage(TypedDict):
    total_records: int
    meetings: list[MeetingSummary]


class RegistrantView(TypedDict):
    registrant_id: str
    email: str
    first_name: str
    last_name: str
    status: str
    create_time: str
    join_url: str


class RegistrantPage(TypedDict):
    total_records: int
    registrants: list[RegistrantView]


class RecordingFileView(TypedDict):
    file_id: str
    file_type: str
    file_size: int
    recording_start: str
    recording_end: str
    play_url: str
    download_url: str


class RecordingSummary(TypedDict):
    meeting_uuid: str
    meeting_id: int
    topic: str
    start_time: str
    duration: int
    total_size: int
    recording_count: int


class RecordingPage(TypedDict):
    from_date: str
    to_date: str
    total_records: int
    meetings: list[RecordingSummary]


class RecordingView(TypedDict):
    meeting_uuid: str
    meeting_id: int
    host_id: str
    topic: str
    start_time: str
    duration: int
    participants: int
    status: str
    total_size: int
    recording_files: list[RecordingFileView]


class DeletedRecording(TypedDict):
    meeting_uuid: str
    status: str
    recoverable_until: str | None


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")


def _user(ctx: ToolContext, user_id: str) -> dict[str, Any]:
    wanted = user_id.strip().lower()
    found = ctx.rows(ZoomUser).get(wanted)
    if found is None:
        raise DomainError(f"User {user_id!r} does not exist in this account (use the user's email address).")
    return found


def _meeting(ctx: ToolContext, meeting_id: int) -> dict[str, Any]:
    return ctx.rows(Meeting).require(meeting_id, missing=f"Meeting {meeting_id} is not found or has expired.")


def _hosts(meeting: dict[str, Any]) -> list[str]:
    return [e for e in meeting["alternative_hosts"].split(";") if e]


def _editable(ctx: ToolContext, user_id: str, meeting_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The meeting, when the acting user may change it: its host or one of its alternative hosts."""
    user = _user(ctx, user_id)
    meeting = _meeting(ctx, meeting_id)
    if user["user_id"] != meeting["host_id"] and user["user_id"] not in _hosts(meeting):
        raise DomainError(
            f"Only the host ({meeting['host_id']}) or an alternative host can change meeting {meeting_id}."
        )
    if meeting["status"] == "ended":
        raise DomainError(f"Meeting {meeting_id} has already ended and can no longer be changed.")
    return user, meeting


def _join_url(meeting_id: int) -> str:
    return f"https://zoom.us/j/{meeting_id}"


def _now(ctx: ToolContext) -> dt.datetime:
    return ctx.now.replace(microsecond=0)


def _occurrences(ctx: ToolContext, meeting: dict[str, Any], *, with_deleted: bool = False) -> list[OccurrenceView]:
    if meeting["type"] != RECURRING_FIXED_TIME:
        return []
    changes = {c["occurrence_id"]: c for c in ctx.rows(OccurrenceChange).find({"meeting_id": meeting["meeting_id"]})}
    views: list[OccurrenceView] = []
    for start in series_starts(meeting):
        key = occurrence_id(start, meeting["timezone"])
        change = changes.get(key)
        view: OccurrenceView = {
            "occurrence_id": key,
            "start_time": change["start_time"] if change else start.strftime(STAMP),
            "duration": change["duration"] if change else meeting["duration"],
            "status": change["status"] if change else "available",
        }
        if with_deleted or view["status"] == "available":
            views.append(view)
    return sorted(views, key=lambda v: v["start_time"])


def _upcoming_start(ctx: ToolContext, meeting: dict[str, Any]) -> str | None:
    """The next start of a meeting: its own, or its next available occurrence's."""
    if meeting["type"] == RECURRING_FIXED_TIME:
        now = _now(ctx)
        for view in _occurrences(ctx, meeting):
            local = dt.datetime.strptime(view["start_time"], STAMP)
            if to_utc(local, meeting["timezone"]) + dt.timedelta(minutes=view["duration"]) > now:
                return view["start_time"]
        return None
    return meeting["start_time"]


def _summary(ctx: ToolContext, meeting: dict[str, Any]) -> MeetingSummary:
    start = _upcoming_start(ctx, meeting) if meeting["status"] == "waiting" else meeting["start_time"]
    return {
        "meeting_id": meeting["meeting_id"],
        "host_id": meeting["host_id"],
        "topic": meeting["topic"],
        "type": meeting["type"],
        "start_time": start,
        "duration": meeting["duration"],
        "timezone": meeting["timezone"],
        "join_url": _join_url(meeting["meeting_id"]),
    }


def _view(ctx: ToolContext, meeting: dict[str, Any]) -> MeetingView:
    recurrence: RecurrenceView | None = None
    if meeting["recurrence_type"]:
        recurrence = {
            "recurrence_type": meeting["recurrence_type"],
            "repeat_interval": meeting["repeat_interval"] or 1,
            "weekly_days": meeting["weekly_days"],
            "monthly_day": meeting["monthly_day"],
            "end_times": meeting["end_times"],
            "end_date_time": meeting["end_date_time"],
        }
    return {
        "meeting_id": meeting["meeting_id"],
        "host_id": meeting["host_id"],
        "topic": meeting["topic"],
        "type": meeting["type"],
        "status": meeting["status"],
        "start_time": meeting["start_time"],
        "duration": meeting["duration"],
        "timezone": meeting["timezone"],
        "agenda": meeting["agenda"],
        "passcode": meeting["passcode"],
        "join_url": _join_url(meeting["meeting_id"]),
        "created_at": meeting["created_at"],
        "settings": {
            "waiting_room": bool(meeting["waiting_room"]),
            "join_before_host": bool(meeting["join_before_host"]),
            "mute_upon_entry": bool(meeting["mute_upon_entry"]),
            "auto_recording": meeting["auto_recording"],
            "registration": bool(meeting["registration"]),
            "alternative_hosts": meeting["alternative_hosts"],
        },
        "recurrence": recurrence,
        "occurrences": _occurrences(ctx, meeting),
    }


def _user_view(ctx: ToolContext, user: dict[str, Any]) -> UserView:
    used = ctx.query(
        "SELECT COALESCE(SUM(f.file_size), 0) AS used FROM recording_files f JOIN recordings r ON "
        "r.meeting_uuid = f.meeting_uuid WHERE r.host_id = ? AND r.status != 'deleted'",
        [user["user_id"]],
    )[0]["used"]
    return {
        "user_id": user["user_id"],
        "email": user["user_id"],
        "first_name": user["first_name"],
        "last_name": user["last_name"],
        "type": 1 if user["plan"] == "basic" else 2,
        "plan": PLAN_NAMES[user["plan"]],
        "timezone": user["timezone"],
        "dept": user["dept"],
        "pmi": user["pmi"],
        "cloud_storage_limit_bytes": user["cloud_storage_limit"],
        "cloud_storage_used_bytes": int(used),
    }


def _check_duration(host: dict[str, Any], duration: int) -> None:
    if not 1 <= duration <= MAX_DURATION_MINUTES:
        raise DomainError(f"duration must be between 1 and {MAX_DURATION_MINUTES} minutes.")
    if host["plan"] == "basic" and duration > BASIC_DURATION_LIMIT_MINUTES:
        raise DomainError(
            f"{host['user_id']} is on the Basic plan, whose meetings are limited to "
            f"{BASIC_DURATION_LIMIT_MINUTES} minutes; upgrade to Pro or Business for longer meetings."
        )


def _check_recording(host: dict[str, Any], auto_recording: str) -> None:
    if auto_recording not in AUTO_RECORDING:
        raise DomainError(f"auto_recording must be one of {', '.join(AUTO_RECORDING)}.")
    if auto_recording == "cloud" and host["plan"] == "basic":
        raise DomainError(
            f"Cloud recording needs a paid (Pro or Business) license; {host['user_id']} is on the Basic plan. "
            "Local recording is available."
        )


def _check_alternative_hosts(ctx: ToolContext, host: dict[str, Any], emails: str) -> str:
    """Zoom's rule: alternative hosts are licensed users of the same account, never the host."""
    cleaned: list[str] = []
    for raw in emails.replace(",", ";").split(";"):
        email = raw.strip().lower()
        if not email or email in cleaned:
            continue
        other = ctx.rows(ZoomUser).get(email)
        if other is None:
            raise DomainError(f"{email} is not a user in this account; alternative hosts must be in the same account.")
        if other["plan"] == "basic":
            raise DomainError(
                f"{email} is a Basic user; an alternative host must be a licensed (Pro or Business) user."
            )
        if email == host["user_id"]:
            raise DomainError("The host cannot also be an alternative host of the same meeting.")
        cleaned.append(email)
    return ";".join(cleaned)


def _check_future(ctx: ToolContext, local: dt.datetime, timezone: str) -> None:
    if to_utc(local, timezone) <= _now(ctx):
        raise DomainError(f"The start time {local.strftime(STAMP)} ({timezone}) is in the past; pick a future time.")


def _recurrence(
    meeting_type: int,
    recurrence_type: int | None,
    repeat_interval: int,
    weekly_days: str | None,
    monthly_day: int | None,
    end_times: int | None,
    end_date_time: str | None,
    timezone: str,
) -> dict[str, Any]:
    empty = {k: None for k in ("recurrence_type", "repeat_interval", "weekly_days", "monthly_day", "end_times",
                               "end_date_time")}  # fmt: skip
    if meeting_type == SCHEDULED or meeting_type == 1:
        if recurrence_type is not None:
            raise DomainError("Only recurring meetings (type 3 or 8) take a recurrence.")
        return empty
    if meeting_type == RECURRING_NO_FIXED_TIME and recurrence_type is None:
        return empty
    if recurrence_type not in MAX_REPEAT_INTERVAL:
        raise DomainError(
            "A recurring meeting with a fixed time needs recurrence_type 1 (daily), 2 (weekly) or 3 (monthly)."
        )
    most = MAX_REPEAT_INTERVAL[recurrence_type]
    if not 1 <= repeat_interval <= most:
        unit = {1: "days", 2: "weeks", 3: "months"}[recurrence_type]
        raise DomainError(f"repeat_interval for this recurrence must be 1 to {most} {unit}.")
    if (end_times is None) == (end_date_time is None):
        raise DomainError("Give either end_times (number of occurrences) or end_date_time, not both and not neither.")
    if end_times is not None and not 1 <= end_times <= MAX_OCCURRENCES:
        raise DomainError(f"A recurring meeting can have at most {MAX_OCCURRENCES} occurrences (end_times 1-50).")
    end = None
    if end_date_time is not None:
        end = parse_local(end_date_time, timezone).strftime(STAMP)
    days = None
    if recurrence_type == 2:
        if not weekly_days:
            raise DomainError("A weekly recurrence needs weekly_days (1 = Sunday ... 7 = Saturday).")
        days = ",".join(str(d) for d in parse_weekdays(weekly_days))
    elif weekly_days:
        raise DomainError("weekly_days only applies to a weekly recurrence (recurrence_type 2).")
    if recurrence_type == 3:
        if monthly_day is None or not 1 <= monthly_day <= 31:
            raise DomainError("A monthly recurrence needs monthly_day between 1 and 31.")
    elif monthly_day is not None:
        raise DomainError("monthly_day only applies to a monthly recurrence (recurrence_type 3).")
    return {
        "recurrence_type": recurrence_type,
        "repeat_interval": repeat_interval,
        "weekly_days": days,
        "monthly_day": monthly_day,
        "end_times": end_times,
        "end_date_time": end,
    }


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DomainError(f"{name} {text!r} is not a date like 2025-09-01.") from None


def _one_month_after(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _recording(ctx: ToolContext, meeting_uuid: str) -> dict[str, Any]:
    found = ctx.rows(Recording).get(meeting_uuid.strip())
    if found is None or found["status"] == "deleted":
        raise DomainError(f"There is no recording for meeting {meeting_uuid!r}.")
    return found


def _files(ctx: ToolContext, recording: dict[str, Any]) -> list[RecordingFileView]:
    start = dt.datetime.strptime(recording["start_time"], "%Y-%m-%dT%H:%M:%SZ")
    end = start + dt.timedelta(minutes=recording["duration"])
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    return [
        {
            "file_id": f["file_id"],
            "file_type": f["file_type"],
            "file_size": f["file_size"],
            "recording_start": start.strftime(stamp),
            "recording_end": end.strftime(stamp),
            "play_url": f"https://zoom.us/rec/play/{f['file_id']}",
            "download_url": f"https://zoom.us/rec/download/{f['file_id']}",
        }
        for f in ctx.rows(RecordingFile).find({"meeting_uuid": recording["meeting_uuid"]}, order_by=["file_id"])
    ]


# --------------------------------------------------------------------------------------------------
# Users
# --------------------------------------------------------------------------------------------------


@env.read(intents=["what plan am I on? I'm {user_id}", "how much cloud storage do I have left, {user_id}"])
def get_user(ctx: ToolContext, user_id: str) -> UserView:
    """Get a user of the account: name, plan (Basic, Pro or Business; type 1 Basic, 2 Licensed), time zone,
    department, personal meeting id and cloud recording storage (limit and used, in bytes).

    Args:
        user_id: The user's email address.
    """
    return _user_view(ctx, _user(ctx, user_id))


@env.read(intents=["find {search} in our Zoom account", "look up my colleague {search}"])
def list_users(ctx: ToolContext, search: str = "", limit: int = 20, offset: int = 0) -> UserPage:
    """List the account's users, by last name, optionally those whose name, email or department contains a text.

    Args:
        search: Part of a name, email or department ('Priya', 'Sales'); empty lists everyone.
        limit: Users per page (1-50).
        offset: Users to skip, for paging.
    """
    _page(limit, offset)
    pattern = f"%{search.strip().lower()}%"
    where = (
        "FROM users WHERE lower(first_name || ' ' || last_name) LIKE ? OR lower(user_id) LIKE ? OR lower(dept) LIKE ?"
    )
    total = ctx.query(f"SELECT COUNT(*) AS n {where}", [pattern] * 3)[0]["n"]
    rows = ctx.query(
        f"SELECT * {where} ORDER BY last_name, first_name LIMIT ? OFFSET ?", [pattern] * 3 + [limit, offset]
    )
    return {"total_records": total, "users": [_user_view(ctx, r) for r in rows]}


# --------------------------------------------------------------------------------------------------
# Meetings
# --------------------------------------------------------------------------------------------------


@env.write(intents=["schedule a meeting called {topic} at {start_time} for {user_id}"])
def create_meeting(
    ctx: ToolContext,
    user_id: str,
    topic: str,
    type: int = 2,
    start_time: str | None = None,
    duration: int = 60,
    timezone: str | None = None,
    passcode: str | None = None,
    agenda: str = "",
    waiting_room: bool = True,
    join_before_host: bool = False,
    mute_upon_entry: bool = False,
    auto_recording: AutoRecording = "none",
    registration: bool = False,
    alternative_hosts: str = "",
    recurrence_type: int | None = None,
    repeat_interval: int = 1,
    weekly_days: str | None = None,
    monthly_day: int | None = None,
    end_times: int | None = None,
    end_date_time: str | None = None,
) -> MeetingView:
    """Create a meeting hosted by a user (POST /users/{userId}/meetings).

    A scheduled (2) or recurring fixed-time (8) meeting needs a start_time in the future; an instant meeting (1)
    starts now; a recurring meeting with no fixed time (3) has no start time. A recurring fixed-time meeting
    needs a recurrence: recurrence_type 1 daily (every 1-90 days), 2 weekly (every 1-12 weeks, on weekly_days)
    or 3 monthly (every 1-3 months, on monthly_day), ending after end_times occurrences (at most 50) or on
    end_date_time. Basic users' meetings are limited to 40 minutes and cannot record to the cloud.

    Args:
        user_id: The host's email address.
        topic: The meeting's topic (title), up to 200 characters.
        type: 1 instant, 2 scheduled, 3 recurring with no fixed time, 8 recurring with a fixed time.
        start_time: Local start 'yyyy-MM-ddTHH:mm:ss' in `timezone` (or UTC ending in 'Z').
        duration: Planned length in minutes.
        timezone: IANA time zone such as 'America/New_York'; defaults to the host's time zone.
        passcode: 6-10 letters, digits or @ - _ *; none when omitted.
        agenda: The meeting's description.
        waiting_room: Hold participants in a waiting room until admitted.
        join_before_host: Let participants join before the host.
        mute_upon_entry: Mute participants when they join.
        auto_recording: Record automatically: 'none', 'local' (on the host's computer) or 'cloud' (paid plans).
        registration: Attendees must register (approval is automatic).
        alternative_hosts: Emails of licensed users of the account who may start and edit the meeting, ';'-separated.
        recurrence_type: 1 daily, 2 weekly, 3 monthly (recurring meetings only).
        repeat_interval: Repeat every this many days, weeks or months.
        weekly_days: Weekly recurrence days, 1 = Sunday ... 7 = Saturday, comma-separated ('3' is Tuesday).
        monthly_day: Day of the month of a monthly recurrence (1-31).
        end_times: Number of occurrences (1-50).
        end_date_time: Last day of the recurrence ('yyyy-MM-ddTHH:mm:ss'), instead of end_times.
    """
    host = _user(ctx, user_id)
    topic = topic.strip()
    if not 1 <= len(topic) <= 200:
        raise DomainError("A meeting needs a topic of 1 to 200 characters.")
    if type not in (1, SCHEDULED, RECURRING_NO_FIXED_TIME, RECURRING_FIXED_TIME):
        raise DomainError("type must be 1 (instant), 2 (scheduled), 3 (recurring, no fixed time) or 8 (recurring).")
    zone_name = timezone.strip() if timezone else host["timezone"]
    zone(zone_name)
    _check_duration(host, duration)
    _check_recording(host, auto_recording)
    if len(agenda) > 2000:
        raise DomainError("The agenda can be at most 2,000 characters.")
    code = check_passcode(passcode) if passcode else ""
    alternates = _check_alternative_hosts(ctx, host, alternative_hosts)
    recurrence = _recurrence(type, recurrence_type, repeat_interval, weekly_days, monthly_day, end_times,
                             end_date_time, zone_name)  # fmt: skip
    start: str | None
    if type == 1:
        start = ctx.now.replace(tzinfo=dt.UTC).astimezone(zone(zone_name)).strftime(STAMP)
    elif type == RECURRING_NO_FIXED_TIME:
        start = None
    else:
        if not start_time:
            raise DomainError("A scheduled or recurring fixed-time meeting needs a start_time.")
        local = parse_local(start_time, zone_name)
        _check_future(ctx, local, zone_name)
        start = local.strftime(STAMP)
    if type == RECURRING_FIXED_TIME and not series_starts({"start_time": start, **recurrence}):
        raise DomainError("That recurrence has no occurrence on or after the start time.")
    meeting_id = int("8" + ctx.new_id(10, string.digits))
    while ctx.rows(Meeting).get(meeting_id) is not None:
        meeting_id = int("8" + ctx.new_id(10, string.digits))
    row = ctx.rows(Meeting).insert(
        meeting_id=meeting_id,
        host_id=host["user_id"],
        topic=topic,
        type=type,
        start_time=start,
        duration=duration,
        timezone=zone_name,
        passcode=code,
        agenda=agenda,
        waiting_room=int(waiting_room),
        join_before_host=int(join_before_host),
        mute_upon_entry=int(mute_upon_entry),
        auto_recording=auto_recording,
        registration=int(registration),
        alternative_hosts=alternates,
        status="waiting",
        created_at=_now(ctx).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **recurrence,
    )
    return _view(ctx, row)


@env.read(intents=["show me meeting {meeting_id}", "what's the passcode for meeting {meeting_id}"])
def get_meeting(ctx: ToolContext, meeting_id: int, occurrence_id: str | None = None) -> MeetingView:
    """Get a meeting's details, settings, recurrence and upcoming occurrences (GET /meetings/{meetingId}).

    Args:
        meeting_id: The meeting's numeric id.
        occurrence_id: One occurrence of a recurring meeting: its start_time and duration are returned.
    """
    meeting = _meeting(ctx, meeting_id)
    view = _view(ctx, meeting)
    if occurrence_id is not None:
        match = [o for o in _occurrences(ctx, meeting, with_deleted=True) if o["occurrence_id"] == occurrence_id]
        if not match:
            raise DomainError(f"Meeting {meeting_id} has no occurrence {occurrence_id}.")
        view["start_time"], view["duration"] = match[0]["start_time"], match[0]["duration"]
        view["occurrences"] = match
    return view


@env.read(intents=["what meetings do I have coming up? I'm {user_id}", "list my past meetings, {user_id}"])
def list_meetings(
    ctx: ToolContext,
    user_id: str,
    type: MeetingListType = "scheduled",
    from_date: str | None = None,
    to_date: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> MeetingPage:
    """List meetings a user hosts (GET /users/{userId}/meetings), by next start time.

    type 'scheduled' lists every meeting that has not ended (recurring ones included), 'upcoming' those with a
    start still ahead (a recurring meeting shows its next occurrence's start), 'previous_meetings' those that
    ended, latest first. from_date and to_date (yyyy-mm-dd, in the meeting's time zone) keep the meetings
    whose shown start falls in that range.

    Args:
        user_id: The host's email address.
        type: 'scheduled', 'upcoming' or 'previous_meetings'.
        from_date: Earliest start date to include.
        to_date: Latest start date to include.
        limit: Meetings per page (1-50).
        offset: Meetings to skip, for paging.
    """
    _page(limit, offset)
    host = _user(ctx, user_id)
    low = _date(from_date, "from_date") if from_date else None
    high = _date(to_date, "to_date") if to_date else None
    status = "ended" if type == "previous_meetings" else "waiting"
    rows = ctx.rows(Meeting).find({"host_id": host["user_id"], "status": status}, order_by=["meeting_id"])
    summaries = [_summary(ctx, r) for r in rows]
    if type == "upcoming":
        summaries = [s for s in summaries if s["start_time"] is not None or s["type"] == RECURRING_NO_FIXED_TIME]
    if low or high:
        summaries = [
            s
            for s in summaries
            if s["start_time"] is not None
            and (low is None or s["start_time"][:10] >= low.isoformat())
            and (high is None or s["start_time"][:10] <= high.isoformat())
        ]
    summaries.sort(key=lambda s: s["start_time"] or "9999", reverse=type == "previous_meetings")
    return {"total_records": len(summaries), "meetings": summaries[offset : offset + limit]}


@env.read(intents=["when are the sessions of meeting {meeting_id}?"])
def list_meeting_occurrences(ctx: ToolContext, meeting_id: int, show_deleted: bool = False) -> list[OccurrenceView]:
    """List the occurrences of a recurring meeting with a fixed time, in order (each has an occurrence_id).

    Args:
        meeting_id: The recurring meeting's numeric id.
        show_deleted: Include occurrences deleted on their own.
    """
    meeting = _meeting(ctx, meeting_id)
    if meeting["type"] != RECURRING_FIXED_TIME:
        raise DomainError(f"Meeting {meeting_id} is not a recurring meeting with a fixed time; it has no occurrences.")
    return _occurrences(ctx, meeting, with_deleted=show_deleted)


@env.write(intents=["move meeting {meeting_id} to {start_time}", "rename meeting {meeting_id} to {topic}"])
def update_meeting(
    ctx: ToolContext,
    user_id: str,
    meeting_id: int,
    occurrence_id: str | None = None,
    topic: str | None = None,
    start_time: str | None = None,
    duration: int | None = None,
    timezone: str | None = None,
    passcode: str | None = None,
    agenda: str | None = None,
    waiting_room: bool | None = None,
    join_before_host: bool | None = None,
    mute_upon_entry: bool | None = None,
    auto_recording: AutoRecording | None = None,
    registration: bool | None = None,
    alternative_hosts: str | None = None,
    end_times: int | None = None,
) -> MeetingView:
    """Update a meeting, or one occurrence of a recurring meeting (PATCH /meetings/{meetingId}).

    Only the host or an alternative host may update a meeting, and not once it has ended. Fields left out stay
    as they are. With occurrence_id only that occurrence changes, and only its start_time and duration;
    without it the whole series changes. alternative_hosts replaces the list ('' clears it); the same plan
    rules as create_meeting apply (Basic: 40 minutes, no cloud recording; future start times only).

    Args:
        user_id: Email of the user making the change (the host or an alternative host).
        meeting_id: The meeting's numeric id.
        occurrence_id: Change only this occurrence of a recurring meeting.
        topic: New topic.
        start_time: New local start 'yyyy-MM-ddTHH:mm:ss' in the meeting's time zone.
        duration: New length in minutes.
        timezone: New IANA time zone (the local start time is kept).
        passcode: New passcode (6-10 letters, digits or @ - _ *); '' removes it.
        agenda: New description.
        waiting_room: Hold participants in a waiting room.
        join_before_host: Let participants join before the host.
        mute_upon_entry: Mute participants when they join.
        auto_recording: 'none', 'local' or 'cloud'.
        registration: Require registration.
        alternative_hosts: The full new list of alternative hosts' emails, ';'-separated.
        end_times: New number of occurrences of a recurring series (1-50).
    """
    _, meeting = _editable(ctx, user_id, meeting_id)
    host = _user(ctx, meeting["host_id"])
    zone_name = timezone.strip() if timezone else meeting["timezone"]
    zone(zone_name)
    if duration is not None:
        _check_duration(host, duration)
    if occurrence_id is not None:
        others = (topic, timezone, passcode, agenda, waiting_room, join_before_host, mute_upon_entry, auto_recording,
                  registration, alternative_hosts, end_times)  # fmt: skip
        if any(v is not None for v in others):
            raise DomainError("An occurrence on its own can only change its start_time and duration; "
                              "leave out occurrence_id to change the whole series.")  # fmt: skip
        occurrence = [o for o in _occurrences(ctx, meeting, with_deleted=True) if o["occurrence_id"] == occurrence_id]
        if not occurrence:
            raise DomainError(f"Meeting {meeting_id} has no occurrence {occurrence_id}.")
        if occurrence[0]["status"] == "deleted":
            raise DomainError(f"Occurrence {occurrence_id} of meeting {meeting_id} was deleted.")
        if start_time is None and duration is None:
            raise DomainError("Give the occurrence a new start_time or duration.")
        new_start = occurrence[0]["start_time"]
        if start_time is not None:
            local = parse_local(start_time, zone_name)
            _check_future(ctx, local, zone_name)
            new_start = local.strftime(STAMP)
        values = {"start_time": new_start, "duration": duration or occurrence[0]["duration"], "status": "available"}
        changes = ctx.rows(OccurrenceChange)
        if changes.get(meeting_id, occurrence_id) is None:
            changes.add(meeting_id=meeting_id, occurrence_id=occurrence_id, **values)
        else:
            changes.update((meeting_id, occurrence_id), **values)
        return get_meeting(ctx, meeting_id, occurrence_id)
    values: dict[str, Any] = {}
    if topic is not None:
        if not 1 <= len(topic.strip()) <= 200:
            raise DomainError("A meeting needs a topic of 1 to 200 characters.")
        values["topic"] = topic.strip()
    if start_time is not None:
        if meeting["type"] == RECURRING_NO_FIXED_TIME:
            raise DomainError("A recurring meeting with no fixed time has no start time.")
        local = parse_local(start_time, zone_name)
        _check_future(ctx, local, zone_name)
        values["start_time"] = local.strftime(STAMP)
    if timezone is not None:
        values["timezone"] = zone_name
    if duration is not None:
        values["duration"] = duration
    if passcode is not None:
        values["passcode"] = check_passcode(passcode) if passcode else ""
    if agenda is not None:
        values["agenda"] = agenda
    for name, flag in (("waiting_room", waiting_room), ("join_before_host", join_before_host),
                       ("mute_upon_entry", mute_upon_entry), ("registration", registration)):  # fmt: skip
        if flag is not None:
            values[name] = int(flag)
    if auto_recording is not None:
        _check_recording(host, auto_recording)
        values["auto_recording"] = auto_recording
    if alternative_hosts is not None:
        values["alternative_hosts"] = _check_alternative_hosts(ctx, host, alternative_hosts)
    if end_times is not None:
        if meeting["type"] != RECURRING_FIXED_TIME:
            raise DomainError("end_times applies to recurring meetings with a fixed time only.")
        if not 1 <= end_times <= MAX_OCCURRENCES:
            raise DomainError(f"A recurring meeting can have at most {MAX_OCCURRENCES} occurrences (end_times 1-50).")
        values["end_times"], values["end_date_time"] = end_times, None
    if not values:
        raise DomainError("Nothing to update: give at least one field to change.")
    ctx.rows(Meeting).update(meeting_id, **values)
    return _view(ctx, _meeting(ctx, meeting_id))


@env.write(intents=["cancel meeting {meeting_id}", "cancel just one session of meeting {meeting_id}"])
def delete_meeting(ctx: ToolContext, user_id: str, meeting_id: int, occurrence_id: str | None = None) -> str:
    """Delete a meeting, or only one occurrence of a recurring meeting (DELETE /meetings/{meetingId}).

    Only the host or an alternative host may delete, and not a meeting that has ended. Deleting a recurring
    meeting without occurrence_id deletes the whole series.

    Args:
        user_id: Email of the user deleting (the host or an alternative host).
        meeting_id: The meeting's numeric id.
        occurrence_id: Delete only this occurrence of a recurring meeting.
    """
    _, meeting = _editable(ctx, user_id, meeting_id)
    if occurrence_id is None:
        for change in ctx.rows(OccurrenceChange).find({"meeting_id": meeting_id}):
            ctx.rows(OccurrenceChange).delete(meeting_id, change["occurrence_id"])
        for registrant in ctx.rows(Registrant).find({"meeting_id": meeting_id}):
            ctx.rows(Registrant).delete(registrant["registrant_id"])
        ctx.rows(Meeting).delete(meeting_id)
        return f"Meeting {meeting_id} ({meeting['topic']}) was deleted."
    occurrence = [o for o in _occurrences(ctx, meeting, with_deleted=True) if o["occurrence_id"] == occurrence_id]
    if not occurrence:
        raise DomainError(f"Meeting {meeting_id} has no occurrence {occurrence_id}.")
    if occurrence[0]["status"] == "deleted":
        raise DomainError(f"Occurrence {occurrence_id} of meeting {meeting_id} is already deleted.")
    if len(_occurrences(ctx, meeting)) == 1:
        raise DomainError("That is the series' only remaining occurrence; delete the meeting itself instead.")
    changes = ctx.rows(OccurrenceChange)
    if changes.get(meeting_id, occurrence_id) is None:
        changes.add(meeting_id=meeting_id, occurrence_id=occurrence_id, start_time=occurrence[0]["start_time"],
                    duration=occurrence[0]["duration"], status="deleted")  # fmt: skip
    else:
        changes.update((meeting_id, occurrence_id), status="deleted")
    return f"The {occurrence[0]['start_time']} occurrence of meeting {meeting_id} was deleted; the series continues."


# --------------------------------------------------------------------------------------------------
# Registrants
# --------------------------------------------------------------------------------------------------


def _registrant_view(row: dict[str, Any]) -> RegistrantView:
    return {
        "registrant_id": row["registrant_id"],
        "email": row["email"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "status": row["status"],
        "create_time": row["create_time"],
        "join_url": f"https://zoom.us/w/{row['meeting_id']}?tk={row['registrant_id']}",
    }


@env.write(intents=["register {first_name} {last_name} ({email}) for meeting {meeting_id}"])
def add_meeting_registrant(
    ctx: ToolContext, meeting_id: int, email: str, first_name: str, last_name: str = ""
) -> RegistrantView:
    """Register someone for a meeting that requires registration; they get their own join link.

    Args:
        meeting_id: The meeting's numeric id.
        email: The registrant's email address.
        first_name: The registrant's first name.
        last_name: The registrant's last name.
    """
    meeting = _meeting(ctx, meeting_id)
    if not meeting["registration"]:
        raise DomainError(f"Meeting {meeting_id} does not use registration; share its join link instead.")
    if meeting["status"] == "ended":
        raise DomainError(f"Meeting {meeting_id} has ended; registration is closed.")
    address = email.strip().lower()
    local, _, domain = address.partition("@")
    if not local or "." not in domain or " " in address:
        raise DomainError(f"{email!r} is not a valid email address.")
    if not first_name.strip():
        raise DomainError("A registrant needs a first name.")
    if ctx.rows(Registrant).first({"meeting_id": meeting_id, "email": address}) is not None:
        raise DomainError(f"{address} is already registered for meeting {meeting_id}.")
    row = ctx.rows(Registrant).insert(
        registrant_id=ctx.new_id(22, string.ascii_letters + string.digits),
        meeting_id=meeting_id,
        email=address,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        status="approved",
        create_time=_now(ctx).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return _registrant_view(row)


@env.read(intents=["who has registered for meeting {meeting_id}?"])
def list_meeting_registrants(
    ctx: ToolContext, user_id: str, meeting_id: int, limit: int = 30, offset: int = 0
) -> RegistrantPage:
    """List a meeting's registrants, in the order they registered (the host or an alternative host only).

    Args:
        user_id: Email of the host or an alternative host.
        meeting_id: The meeting's numeric id.
        limit: Registrants per page (1-50).
        offset: Registrants to skip, for paging.
    """
    _page(limit, offset)
    user = _user(ctx, user_id)
    meeting = _meeting(ctx, meeting_id)
    if user["user_id"] != meeting["host_id"] and user["user_id"] not in _hosts(meeting):
        raise DomainError(f"Only the host or an alternative host can see who registered for meeting {meeting_id}.")
    if not meeting["registration"]:
        raise DomainError(f"Meeting {meeting_id} does not use registration.")
    rows = ctx.rows(Registrant).find({"meeting_id": meeting_id}, order_by=["create_time", "registrant_id"])
    return {"total_records": len(rows), "registrants": [_registrant_view(r) for r in rows[offset : offset + limit]]}


# --------------------------------------------------------------------------------------------------
# Cloud recordings
# --------------------------------------------------------------------------------------------------


@env.read(intents=["what cloud recordings did {user_id} make between {from_date} and {to_date}?"])
def list_recordings(
    ctx: ToolContext, user_id: str, from_date: str, to_date: str, trash: bool = False, limit: int = 30, offset: int = 0
) -> RecordingPage:
    """List a user's cloud recordings of meetings that started in a date range (GET /users/{userId}/recordings).

    The range (UTC dates, inclusive) can span at most one month; query month by month for longer periods.
    With trash=True the recordings in the trash are listed instead (recoverable for 30 days after deletion).

    Args:
        user_id: The host's email address.
        from_date: First day, 'yyyy-mm-dd'.
        to_date: Last day, 'yyyy-mm-dd', at most one month after from_date.
        trash: List the recordings in the trash instead.
        limit: Recordings per page (1-50).
        offset: Recordings to skip, for paging.
    """
    _page(limit, offset)
    host = _user(ctx, user_id)
    low, high = _date(from_date, "from_date"), _date(to_date, "to_date")
    if high < low:
        raise DomainError("to_date is before from_date.")
    if high > _one_month_after(low) or (high - low).days > MAX_RECORDING_RANGE_DAYS:
        raise DomainError("The date range can be at most one month; query month by month for longer periods.")
    status = "trashed" if trash else "completed"
    rows = ctx.query(
        "SELECT r.*, (SELECT COALESCE(SUM(file_size), 0) FROM recording_files f WHERE f.meeting_uuid = "
        "r.meeting_uuid) AS total_size, (SELECT COUNT(*) FROM recording_files f WHERE f.meeting_uuid = "
        "r.meeting_uuid) AS recording_count FROM recordings r WHERE host_id = ? AND status = ? AND "
        "substr(start_time, 1, 10) BETWEEN ? AND ? ORDER BY start_time DESC",
        [host["user_id"], status, low.isoformat(), high.isoformat()],
    )
    meetings: list[RecordingSummary] = [
        {
            "meeting_uuid": r["meeting_uuid"],
            "meeting_id": r["meeting_id"],
            "topic": r["topic"],
            "start_time": r["start_time"],
            "duration": r["duration"],
            "total_size": r["total_size"],
            "recording_count": r["recording_count"],
        }
        for r in rows
    ]
    return {
        "from_date": low.isoformat(),
        "to_date": high.isoformat(),
        "total_records": len(meetings),
        "meetings": meetings[offset : offset + limit],
    }


@env.read(intents=["get the recording of meeting {meeting_uuid}"])
def get_recording(ctx: ToolContext, meeting_uuid: str) -> RecordingView:
    """Get one meeting instance's cloud recording and its files (MP4 video, M4A audio, TRANSCRIPT, CHAT), each
    with its size in bytes and its play and download URLs.

    Args:
        meeting_uuid: The meeting instance's UUID, from list_recordings.
    """
    recording = _recording(ctx, meeting_uuid)
    files = _files(ctx, recording)
    return {
        "meeting_uuid": recording["meeting_uuid"],
        "meeting_id": recording["meeting_id"],
        "host_id": recording["host_id"],
        "topic": recording["topic"],
        "start_time": recording["start_time"],
        "duration": recording["duration"],
        "participants": recording["participants"],
        "status": recording["status"],
        "total_size": sum(f["file_size"] for f in files),
        "recording_files": files,
    }


def _own_recording(ctx: ToolContext, user_id: str, meeting_uuid: str) -> dict[str, Any]:
    user = _user(ctx, user_id)
    recording = _recording(ctx, meeting_uuid)
    if recording["host_id"] != user["user_id"]:
        raise DomainError(f"Only the meeting's host ({recording['host_id']}) can delete or recover its recording.")
    return recording


@env.write(intents=["delete the recording {meeting_uuid}", "move recording {meeting_uuid} to the trash"])
def delete_recording(
    ctx: ToolContext, user_id: str, meeting_uuid: str, action: Literal["trash", "delete"] = "trash"
) -> DeletedRecording:
    """Delete a meeting's cloud recording (DELETE /meetings/{meetingId}/recordings).

    'trash' moves it to the trash, where it can be recovered for 30 days (it still counts against storage until
    then); 'delete' removes it permanently and frees its storage at once. Only the host may delete.

    Args:
        user_id: The host's email address.
        meeting_uuid: The meeting instance's UUID, from list_recordings.
        action: 'trash' (recoverable for 30 days) or 'delete' (permanent).
    """
    recording = _own_recording(ctx, user_id, meeting_uuid)
    if action not in ("trash", "delete"):
        raise DomainError("action must be 'trash' or 'delete'.")
    stamp = _now(ctx).strftime("%Y-%m-%dT%H:%M:%SZ")
    if action == "trash":
        if recording["status"] == "trashed":
            raise DomainError("That recording is already in the trash; use action 'delete' to remove it for good.")
        ctx.rows(Recording).update(recording["meeting_uuid"], status="trashed", deleted_at=stamp)
        until = (_now(ctx) + dt.timedelta(days=TRASH_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"meeting_uuid": recording["meeting_uuid"], "status": "trashed", "recoverable_until": until}
    ctx.rows(Recording).update(recording["meeting_uuid"], status="deleted", deleted_at=stamp)
    return {"meeting_uuid": recording["meeting_uuid"], "status": "deleted", "recoverable_until": None}


@env.write(intents=["restore the recording {meeting_uuid} from the trash"])
def recover_recording(ctx: ToolContext, user_id: str, meeting_uuid: str) -> RecordingView:
    """Recover a recording from the trash (PUT /meetings/{meetingId}/recordings/status, action 'recover'),
    within 30 days of its deletion. Only the host may recover.

    Args:
        user_id: The host's email address.
        meeting_uuid: The meeting instance's UUID, from list_recordings with trash=True.
    """
    recording = _own_recording(ctx, user_id, meeting_uuid)
    if recording["status"] != "trashed":
        raise DomainError("That recording is not in the trash.")
    deleted = dt.datetime.strptime(recording["deleted_at"], "%Y-%m-%dT%H:%M:%SZ")
    if _now(ctx) - deleted > dt.timedelta(days=TRASH_DAYS):
        raise DomainError(f"Recordings can only be recovered within {TRASH_DAYS} days of deletion.")
    ctx.rows(Recording).update(recording["meeting_uuid"], status="completed", deleted_at=None)
    return get_recording(ctx, meeting_uuid)
