"""State: the workspace's tables (SQLAlchemy models) and the constants of Slack's rules."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 3, 12, 16, 0, 0)  # a Wednesday afternoon, UTC
WORKSPACE = "Northwind Labs"
GENERAL = "general"  # the workspace-wide channel: everyone is in it, it cannot be left or archived
MAX_NAME = 80
MAX_TOPIC = 250
MAX_PURPOSE = 250
MAX_TEXT = 4000
MAX_LIMIT = 60  # a page stays well under the engine's output cap
DEFAULT_LIMIT = 20


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The workspace's current time: one row, part of the seeded state."""


class SlackUser(Base):
    """A member of the workspace; a deactivated one keeps their messages but can no longer be added anywhere."""

    __tablename__ = "users"
    __label__ = "{real_name}"
    user_id: Mapped[str] = mapped_column(String(11), primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True, info={"user_known": True})
    real_name: Mapped[str] = mapped_column(String(60), index=True)
    display_name: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(60))
    tz: Mapped[str] = mapped_column(String(40))
    is_admin: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[int] = mapped_column(Integer)  # Slack's name for a deactivated account
    # A custom profile field: the member's handle on the Posting social network (None when left empty).
    posting_handle: Mapped[str | None] = mapped_column(String(40), nullable=True, default=None)


class Channel(Base):
    """A public or private channel, or a direct message (is_im) between two members."""

    __tablename__ = "channels"
    __label__ = "#{name}"
    channel_id: Mapped[str] = mapped_column(String(11), primary_key=True, info={"generated": True})
    name: Mapped[str | None] = mapped_column(String(80), unique=True)
    is_private: Mapped[int] = mapped_column(Integer)
    is_im: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(250))
    purpose: Mapped[str] = mapped_column(String(250))
    creator: Mapped[str] = mapped_column(ForeignKey("users.user_id"))
    created: Mapped[str] = mapped_column(String(19), info={"generated": True})
    is_archived: Mapped[int] = mapped_column(Integer)
    archived_by: Mapped[str | None] = mapped_column(ForeignKey("users.user_id"))


class ChannelMember(Base):
    __tablename__ = "channel_members"
    channel_id: Mapped[str] = mapped_column(ForeignKey("channels.channel_id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), primary_key=True, index=True)


class Message(Base):
    """A message, identified like Slack's by its channel and its ts; replies carry their parent's thread_ts."""

    __tablename__ = "messages"
    channel_id: Mapped[str] = mapped_column(ForeignKey("channels.channel_id"), primary_key=True)
    ts: Mapped[str] = mapped_column(String(17), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    text: Mapped[str] = mapped_column(String(4000))
    thread_ts: Mapped[str | None] = mapped_column(String(17), index=True)
    reply_count: Mapped[int] = mapped_column(Integer)
    edited_ts: Mapped[str | None] = mapped_column(String(17), info={"generated": True})
    subtype: Mapped[str | None] = mapped_column(String(20))  # "tombstone" for a deleted thread parent


class Reaction(Base):
    __tablename__ = "reactions"
    channel_id: Mapped[str] = mapped_column(String(11), primary_key=True)
    ts: Mapped[str] = mapped_column(String(17), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), primary_key=True)


class Pin(Base):
    __tablename__ = "pins"
    channel_id: Mapped[str] = mapped_column(String(11), primary_key=True)
    ts: Mapped[str] = mapped_column(String(17), primary_key=True)
    pinned_by: Mapped[str] = mapped_column(ForeignKey("users.user_id"))
    pinned_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
