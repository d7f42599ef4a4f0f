"""State: the WhatsApp account's tables (SQLAlchemy models) and the limits the service enforces."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2026, 3, 18, 17, 40, 0)
MAX_PAGE = 50
PUSH_NAME_MAX = 25
ABOUT_MAX = 139
GROUP_SUBJECT_MAX = 100
GROUP_DESCRIPTION_MAX = 2048
GROUP_MAX_PARTICIPANTS = 1024
TEXT_MAX = 4096
CAPTION_MAX = 1024
MAX_PINNED = 3
DELETE_FOR_EVERYONE_HOURS = 60  # "Delete for everyone" works for about two and a half days after sending
IMAGE_MAX_BYTES = 16 * 1024 * 1024
DOCUMENT_MAX_BYTES = 100 * 1024 * 1024
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
E164 = re.compile(r"\+[1-9]\d{7,14}")
USER_SUFFIX = "@s.whatsapp.net"
GROUP_SUFFIX = "@g.us"
MESSAGE_TYPES = ("text", "image", "document", "link", "location", "contact")
MessageType = Literal["text", "image", "document", "link", "location", "contact"]
ChatKind = Literal["all", "individual", "group"]
MuteDuration = Literal["8_hours", "1_week", "always", "off"]


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The phone's current time: one row, part of the seeded state."""


class Profile(Base):
    """The logged-in account: its number, push name (the name others see), about text and avatar."""

    __tablename__ = "profile"
    phone: Mapped[str] = mapped_column(String(16), primary_key=True, info={"user_known": True})
    push_name: Mapped[str] = mapped_column(String(25))
    about: Mapped[str] = mapped_column(String(139))
    avatar_file: Mapped[str | None] = mapped_column(String(80))
    avatar_updated_at: Mapped[str | None] = mapped_column(String(19))


class Account(Base):
    """A number registered on WhatsApp (anyone's, saved as a contact or not)."""

    __tablename__ = "accounts"
    phone: Mapped[str] = mapped_column(String(16), primary_key=True, info={"user_known": True})
    push_name: Mapped[str] = mapped_column(String(25))
    about: Mapped[str] = mapped_column(String(139))
    is_business: Mapped[int] = mapped_column(Integer)


class Contact(Base):
    """A number in the phone's address book, under the name the owner saved it as."""

    __tablename__ = "contacts"
    __label__ = "{name}"
    phone: Mapped[str] = mapped_column(String(16), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(60), index=True)


class Chat(Base):
    """A conversation: one-to-one (jid = number@s.whatsapp.net) or a group (jid ending @g.us)."""

    __tablename__ = "chats"
    __label__ = "the chat {name}"
    chat_jid: Mapped[str] = mapped_column(String(40), primary_key=True)
    is_group: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100), index=True)
    archived: Mapped[int] = mapped_column(Integer)
    pinned: Mapped[int] = mapped_column(Integer)
    muted_until: Mapped[str | None] = mapped_column(String(19))  # '9999-12-31T00:00:00' = always
    unread_count: Mapped[int] = mapped_column(Integer)
    last_message_at: Mapped[str | None] = mapped_column(String(19))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Group(Base):
    """A group's settings; its participants are in group_participants."""

    __tablename__ = "groups"
    chat_jid: Mapped[str] = mapped_column(ForeignKey("chats.chat_jid"), primary_key=True)
    description: Mapped[str] = mapped_column(String(2048))
    owner_phone: Mapped[str] = mapped_column(String(16))  # the creator, who cannot be removed
    info_admins_only: Mapped[int] = mapped_column(Integer)  # only admins edit subject and description
    add_admins_only: Mapped[int] = mapped_column(Integer)  # only admins add participants
    left: Mapped[int] = mapped_column(Integer)  # the owner left: the chat stays, read-only
    subject_updated_at: Mapped[str | None] = mapped_column(String(19), info={"generated": True})


class GroupParticipant(Base):
    __tablename__ = "group_participants"
    chat_jid: Mapped[str] = mapped_column(ForeignKey("chats.chat_jid"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), primary_key=True)
    role: Mapped[str] = mapped_column(String(10))  # superadmin (the creator) | admin | member
    joined_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Message(Base):
    """One message; media, link, location and contact-card fields are filled for their type only."""

    __tablename__ = "messages"
    message_id: Mapped[str] = mapped_column(String(20), primary_key=True, info={"generated": True})
    chat_jid: Mapped[str] = mapped_column(ForeignKey("chats.chat_jid"), index=True)
    sender_phone: Mapped[str] = mapped_column(String(16))
    from_me: Mapped[int] = mapped_column(Integer)
    timestamp: Mapped[str] = mapped_column(String(19), index=True, info={"generated": True})
    type: Mapped[str] = mapped_column(String(10))
    body: Mapped[str | None] = mapped_column(String(4096))  # text, caption, or the link message
    status: Mapped[str] = mapped_column(String(10))  # from me: sent | delivered | read; to me: unread | read
    file_name: Mapped[str | None] = mapped_column(String(120))
    file_size: Mapped[int | None] = mapped_column(Integer)
    mime_type: Mapped[str | None] = mapped_column(String(60))
    url: Mapped[str | None] = mapped_column(String(300))
    link_title: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    location_name: Mapped[str | None] = mapped_column(String(120))
    location_address: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(16))
    forwarded: Mapped[int] = mapped_column(Integer, default=0)
    reply_to: Mapped[str | None] = mapped_column(String(20))
    deleted: Mapped[str | None] = mapped_column(String(10))  # everyone | me


class DeviceFile(Base):
    """A photo or document on the phone that can be attached to a message or used as the avatar."""

    __tablename__ = "device_files"
    __label__ = "the file {file_name}"
    file_name: Mapped[str] = mapped_column(String(120), primary_key=True, info={"user_known": True})
    mime_type: Mapped[str] = mapped_column(String(60))
    file_size: Mapped[int] = mapped_column(Integer)
    folder: Mapped[str] = mapped_column(String(20))  # Camera | Screenshots | Downloads | Documents
    modified_at: Mapped[str] = mapped_column(String(19))


class Place(Base):
    """A place the location picker offers (name, address, coordinates)."""

    __tablename__ = "places"
    __label__ = "{name}"
    place_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    address: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(30))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)


class WebPage(Base):
    """A page whose link preview the service can fetch (its title)."""

    __tablename__ = "web_pages"
    url: Mapped[str] = mapped_column(String(300), primary_key=True, info={"user_known": True})
    title: Mapped[str] = mapped_column(String(200))
