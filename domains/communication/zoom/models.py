"""State: the Zoom account's tables (SQLAlchemy models) and the constants of its rules."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 9, 17, 13, 0, 0)  # UTC: a Wednesday, 9 am in New York
MAX_PAGE = 50
ACCOUNT_DOMAIN = "northwindlabs.com"

# Zoom's meeting types.
INSTANT, SCHEDULED, RECURRING_NO_FIXED_TIME, RECURRING_FIXED_TIME = 1, 2, 3, 8
MEETING_TYPES = (INSTANT, SCHEDULED, RECURRING_NO_FIXED_TIME, RECURRING_FIXED_TIME)
# Recurrence types and their longest repeat interval (Zoom: 90 days, 12 weeks, 3 months).
DAILY, WEEKLY, MONTHLY = 1, 2, 3
MAX_REPEAT_INTERVAL = {DAILY: 90, WEEKLY: 12, MONTHLY: 3}
MAX_OCCURRENCES = 50
# Zoom numbers weekdays from Sunday = 1 to Saturday = 7.
WEEKDAY_NUMBERS = {"Sunday": 1, "Monday": 2, "Tuesday": 3, "Wednesday": 4, "Thursday": 5, "Friday": 6, "Saturday": 7}

PLANS = ("basic", "pro", "business")
PLAN_NAMES = {"basic": "Basic", "pro": "Pro", "business": "Business"}
BASIC_DURATION_LIMIT_MINUTES = 40
MAX_DURATION_MINUTES = 30 * 60  # paid plans: 30 hours
CLOUD_STORAGE_BYTES = {"basic": 0, "pro": 5 * 1024**3, "business": 10 * 1024**3}
PASSCODE_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@-_*")
PASSCODE_LENGTH = (6, 10)
AUTO_RECORDING = ("none", "local", "cloud")
RECORDING_FILE_TYPES = ("MP4", "M4A", "TRANSCRIPT", "CHAT")
TRASH_DAYS = 30
MAX_RECORDING_RANGE_DAYS = 31  # Zoom lists recordings over at most one month per query
TIMEZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
)


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time (UTC): one row, part of the seeded state."""


class ZoomUser(Base):
    """A user of the account; Zoom accepts the email address as the userId of every user route."""

    __tablename__ = "users"
    __label__ = "{first_name} {last_name}"
    user_id: Mapped[str] = mapped_column(String(60), primary_key=True, info={"user_known": True})
    first_name: Mapped[str] = mapped_column(String(30))
    last_name: Mapped[str] = mapped_column(String(30))
    plan: Mapped[str] = mapped_column(String(10))  # basic | pro | business
    timezone: Mapped[str] = mapped_column(String(40))
    dept: Mapped[str] = mapped_column(String(40))
    pmi: Mapped[int] = mapped_column(Integer)  # personal meeting id
    cloud_storage_limit: Mapped[int] = mapped_column(Integer)  # bytes


class Meeting(Base):
    """A meeting; a recurring one keeps its rule here and its per-occurrence changes in occurrence_changes."""

    __tablename__ = "meetings"
    __label__ = "the meeting {topic}"
    meeting_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"user_known": True, "generated": True})
    host_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    topic: Mapped[str] = mapped_column(String(200))
    type: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[str | None] = mapped_column(String(19))  # local wall time in `timezone`
    duration: Mapped[int] = mapped_column(Integer)  # minutes
    timezone: Mapped[str] = mapped_column(String(40))
    passcode: Mapped[str] = mapped_column(String(10))
    agenda: Mapped[str] = mapped_column(String(300))
    waiting_room: Mapped[int] = mapped_column(Integer)
    join_before_host: Mapped[int] = mapped_column(Integer)
    mute_upon_entry: Mapped[int] = mapped_column(Integer)
    auto_recording: Mapped[str] = mapped_column(String(8))
    registration: Mapped[int] = mapped_column(Integer)  # 1: attendees register (approval automatic)
    alternative_hosts: Mapped[str] = mapped_column(String(400))  # ';'-separated emails, as Zoom returns them
    recurrence_type: Mapped[int | None] = mapped_column(Integer)
    repeat_interval: Mapped[int | None] = mapped_column(Integer)
    weekly_days: Mapped[str | None] = mapped_column(String(20))  # '3' or '2,4' (Sunday = 1)
    monthly_day: Mapped[int | None] = mapped_column(Integer)
    end_times: Mapped[int | None] = mapped_column(Integer)
    end_date_time: Mapped[str | None] = mapped_column(String(19))
    status: Mapped[str] = mapped_column(String(10))  # waiting | ended
    created_at: Mapped[str] = mapped_column(String(20), info={"generated": True})


class OccurrenceChange(Base):
    """One occurrence of a recurring meeting moved, resized or deleted on its own."""

    __tablename__ = "occurrence_changes"
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.meeting_id"), primary_key=True)
    occurrence_id: Mapped[str] = mapped_column(String(16), primary_key=True)  # the original start, epoch ms
    start_time: Mapped[str] = mapped_column(String(19))
    duration: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # available | deleted


class Registrant(Base):
    __tablename__ = "registrants"
    __label__ = "{first_name} {last_name}"
    registrant_id: Mapped[str] = mapped_column(String(22), primary_key=True, info={"generated": True})
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.meeting_id"), index=True)
    email: Mapped[str] = mapped_column(String(80))
    first_name: Mapped[str] = mapped_column(String(30))
    last_name: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10))  # approved
    create_time: Mapped[str] = mapped_column(String(20), info={"generated": True})


class Recording(Base):
    """The cloud recording of one meeting instance (Zoom's meeting UUID)."""

    __tablename__ = "recordings"
    __label__ = "the recording of {topic}"
    meeting_uuid: Mapped[str] = mapped_column(String(24), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(Integer, index=True)
    host_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    topic: Mapped[str] = mapped_column(String(200))
    start_time: Mapped[str] = mapped_column(String(20))  # UTC, 'Z'
    duration: Mapped[int] = mapped_column(Integer)  # minutes
    participants: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # completed | trashed | deleted
    deleted_at: Mapped[str | None] = mapped_column(String(20))


class RecordingFile(Base):
    __tablename__ = "recording_files"
    file_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    meeting_uuid: Mapped[str] = mapped_column(ForeignKey("recordings.meeting_uuid"), index=True)
    file_type: Mapped[str] = mapped_column(String(12))
    file_size: Mapped[int] = mapped_column(Integer)  # bytes
