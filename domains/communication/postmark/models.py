"""State: the Postmark account's servers, streams, senders, templates, messages, events, bounces and
suppressions (SQLAlchemy models), and the limits Postmark's API enforces."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2026, 4, 16, 15, 30, 0)  # a Thursday; Postmark reports times in UTC here
MAX_RECIPIENTS = 50  # To + Cc + Bcc of one message
MAX_BATCH = 500  # messages in one batch call
MAX_TAG_LENGTH = 1000
MAX_METADATA_KEYS = 10
MAX_PAGE = 500  # Postmark's "count" ceiling for search endpoints

# Postmark's API error codes used here
OK = 0
INVALID_EMAIL_REQUEST = 300
SENDER_NOT_FOUND = 400
SENDER_NOT_CONFIRMED = 401
INACTIVE_RECIPIENT = 406
STREAM_NOT_FOUND = 1235
STREAM_MISMATCH = 1236
TEMPLATE_NOT_FOUND = 1101
TEMPLATE_MODEL_MISSING = 1109

TrackLinks = Literal["None", "HtmlAndText", "HtmlOnly", "TextOnly"]
BounceType = Literal[
    "HardBounce", "SoftBounce", "Transient", "SpamComplaint", "DnsError", "AutoResponder", "Blocked", "Unsubscribe"
]
StreamType = Literal["Transactional", "Broadcasts", "Inbound"]
MessageStatus = Literal["Sent", "Queued"]
SuppressionReason = Literal["HardBounce", "SpamComplaint", "ManualSuppression"]
BOUNCE_CODES = {
    "HardBounce": 1,
    "Transient": 2,
    "Unsubscribe": 16,
    "AutoResponder": 32,
    "DnsError": 256,
    "SpamComplaint": 512,
    "SoftBounce": 4096,
    "Blocked": 100000,
}


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class Server(Base):
    """A Postmark server: its own API token, its own streams, templates, messages and bounces."""

    __tablename__ = "servers"
    server_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True, info={"user_known": True})
    color: Mapped[str] = mapped_column(String(12))
    track_opens: Mapped[int] = mapped_column(Integer)
    track_links: Mapped[str] = mapped_column(String(12))


class MessageStream(Base):
    __tablename__ = "message_streams"
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.server_id"), primary_key=True)
    stream_id: Mapped[str] = mapped_column(String(40), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(80))
    stream_type: Mapped[str] = mapped_column(String(14))  # Transactional | Broadcasts | Inbound
    description: Mapped[str] = mapped_column(String(200))
    archived: Mapped[int] = mapped_column(Integer, default=0)


class SenderSignature(Base):
    """A single From address the account may send from once its owner clicked the confirmation link."""

    __tablename__ = "sender_signatures"
    signature_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    email_address: Mapped[str] = mapped_column(String(120), unique=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(80))
    reply_to: Mapped[str | None] = mapped_column(String(120))
    confirmed: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class SendingDomain(Base):
    """A domain: once its DKIM record is verified, any address on it may send."""

    __tablename__ = "domains"
    domain_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True, info={"user_known": True})
    dkim_verified: Mapped[int] = mapped_column(Integer)
    return_path_verified: Mapped[int] = mapped_column(Integer)
    return_path_domain: Mapped[str] = mapped_column(String(100))


class Template(Base):
    __tablename__ = "templates"
    template_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.server_id"), index=True)
    alias: Mapped[str] = mapped_column(String(60), info={"user_known": True})
    name: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(String(1000))
    stream_type: Mapped[str] = mapped_column(String(14))  # the kind of stream the account built it for
    model_fields: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[int] = mapped_column(Integer)


class Message(Base):
    __tablename__ = "messages"
    message_id: Mapped[str] = mapped_column(String(36), primary_key=True, info={"generated": True})
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.server_id"), index=True)
    stream_id: Mapped[str] = mapped_column(String(40))
    sender: Mapped[str] = mapped_column(String(160))
    to: Mapped[list[str]] = mapped_column(JSON)
    cc: Mapped[list[str]] = mapped_column(JSON)
    bcc: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str | None] = mapped_column(String(2000))
    html_body: Mapped[str | None] = mapped_column(String(4000))
    tag: Mapped[str | None] = mapped_column(String(1000))
    meta: Mapped[dict[str, str]] = mapped_column(JSON)
    template_alias: Mapped[str | None] = mapped_column(String(60))
    template_model: Mapped[dict[str, str] | None] = mapped_column(JSON)
    track_opens: Mapped[int] = mapped_column(Integer)
    track_links: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(8))
    submitted_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class MessageEvent(Base):
    """What happened to a message for one recipient: Delivered, Opened, LinkClicked, Bounced, SpamComplaint."""

    __tablename__ = "message_events"
    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.message_id"), index=True)
    recipient: Mapped[str] = mapped_column(String(120))
    event_type: Mapped[str] = mapped_column(String(14))
    received_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    client: Mapped[str | None] = mapped_column(String(40))
    os: Mapped[str | None] = mapped_column(String(40))
    platform: Mapped[str | None] = mapped_column(String(12))
    country: Mapped[str | None] = mapped_column(String(40))
    city: Mapped[str | None] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[str | None] = mapped_column(String(200))


class Bounce(Base):
    __tablename__ = "bounces"
    bounce_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.server_id"), index=True)
    stream_id: Mapped[str] = mapped_column(String(40))
    bounce_type: Mapped[str] = mapped_column(String(14))
    email: Mapped[str] = mapped_column(String(120))
    message_id: Mapped[str] = mapped_column(String(36))
    tag: Mapped[str | None] = mapped_column(String(1000))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(String(200))
    bounced_at: Mapped[str] = mapped_column(String(19))
    inactive: Mapped[int] = mapped_column(Integer)
    can_activate: Mapped[int] = mapped_column(Integer)


class Suppression(Base):
    """An inactive recipient of one stream: Postmark refuses to send to it there (error 406)."""

    __tablename__ = "suppressions"
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.server_id"), primary_key=True)
    stream_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    email_address: Mapped[str] = mapped_column(String(120), primary_key=True)
    suppression_reason: Mapped[str] = mapped_column(String(18))
    origin: Mapped[str] = mapped_column(String(10))  # Recipient | Customer | Admin
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
