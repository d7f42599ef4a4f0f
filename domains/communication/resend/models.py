"""State: one Resend team's domains, API keys, emails, audiences, contacts and broadcasts, and Resend's limits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2026, 11, 17, 15, 0, 0)  # a Tuesday afternoon, UTC (Resend's API speaks UTC)
ONBOARDING_SENDER = "onboarding@resend.dev"
MAX_RECIPIENTS = 50  # per field: to, cc and bcc each take at most 50 addresses
MAX_BATCH = 100
MAX_ATTACHMENTS_BYTES = 40 * 1024 * 1024  # after Base64 encoding, the whole email
MAX_SCHEDULE_DAYS = 30
MAX_TAG_LENGTH = 256
MAX_PAGE = 50  # a page of 50 emails stays inside one observation
DEFAULT_PAGE = 20

DOMAIN_STATUSES = ("not_started", "pending", "verified", "failed", "temporary_failure")
REGIONS = ("us-east-1", "eu-west-1", "sa-east-1", "ap-northeast-1")
PERMISSIONS = ("full_access", "sending_access")
EMAIL_EVENTS = ("queued", "scheduled", "sent", "delivered", "delivery_delayed", "bounced", "complained",
                "opened", "clicked", "canceled")  # fmt: skip
BROADCAST_STATUSES = ("draft", "scheduled", "sent")


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class Team(Base):
    """The Resend team (account) the API keys belong to: its owner and its plan's sending quota."""

    __tablename__ = "team"
    team_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    owner_email: Mapped[str] = mapped_column(String(120))
    plan: Mapped[str] = mapped_column(String(20))
    daily_quota: Mapped[int] = mapped_column(Integer)  # emails per UTC day
    monthly_quota: Mapped[int] = mapped_column(Integer)  # emails per calendar month


class Domain(Base):
    """A sending domain, in one region, with its verification status."""

    __tablename__ = "domains"
    __label__ = "the {name} domain"
    domain_id: Mapped[str] = mapped_column(String(36), primary_key=True, info={"generated": True})
    name: Mapped[str] = mapped_column(String(120), unique=True, info={"user_known": True})
    status: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(20))
    dkim_key: Mapped[str] = mapped_column(String(40), info={"generated": True})  # the DKIM TXT record's p= value
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class ApiKey(Base):
    """An API key: full_access, or sending_access limited to one domain (or to every domain when none)."""

    __tablename__ = "api_keys"
    __label__ = "the {name} API key"
    api_key_id: Mapped[str] = mapped_column(String(36), primary_key=True, info={"generated": True})
    name: Mapped[str] = mapped_column(String(50), info={"user_known": True})
    permission: Mapped[str] = mapped_column(String(20))
    domain_id: Mapped[str | None] = mapped_column(ForeignKey("domains.domain_id"))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Email(Base):
    """One email sent (or scheduled) through the API and the last event Resend recorded for it."""

    __tablename__ = "emails"
    __label__ = "the email '{subject}' to {to}"
    email_id: Mapped[str] = mapped_column(String(36), primary_key=True, info={"generated": True})
    from_address: Mapped[str] = mapped_column(String(160))
    to: Mapped[str] = mapped_column(Text, index=True)  # comma-separated
    cc: Mapped[str] = mapped_column(Text)
    bcc: Mapped[str] = mapped_column(Text)
    reply_to: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(Text)  # JSON list of {name, value}
    headers: Mapped[str] = mapped_column(Text)  # JSON object
    attachments: Mapped[str] = mapped_column(Text)  # comma-separated file names
    created_at: Mapped[str] = mapped_column(String(19), index=True, info={"generated": True})
    scheduled_at: Mapped[str | None] = mapped_column(String(19))
    last_event: Mapped[str] = mapped_column(String(20))


class Audience(Base):
    """A list of contacts that broadcasts are sent to."""

    __tablename__ = "audiences"
    __label__ = "the {name} audience"
    audience_id: Mapped[str] = mapped_column(String(36), primary_key=True, info={"generated": True})
    name: Mapped[str] = mapped_column(String(80), info={"user_known": True})
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Contact(Base):
    """A person in an audience; an unsubscribed contact stays listed but broadcasts skip them."""

    __tablename__ = "contacts"
    __label__ = "{email}"
    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True, info={"generated": True})
    audience_id: Mapped[str] = mapped_column(ForeignKey("audiences.audience_id"), index=True)
    email: Mapped[str] = mapped_column(String(120), info={"user_known": True})
    first_name: Mapped[str | None] = mapped_column(String(60))
    last_name: Mapped[str | None] = mapped_column(String(60))
    unsubscribed: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Broadcast(Base):
    """A marketing email to a whole audience: a draft until sent (now or at a scheduled time)."""

    __tablename__ = "broadcasts"
    __label__ = "the broadcast '{name}'"
    broadcast_id: Mapped[str] = mapped_column(String(36), primary_key=True, info={"generated": True})
    audience_id: Mapped[str] = mapped_column(ForeignKey("audiences.audience_id"))
    name: Mapped[str] = mapped_column(String(120), info={"user_known": True})
    from_address: Mapped[str] = mapped_column(String(160))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    scheduled_at: Mapped[str | None] = mapped_column(String(19))
    sent_at: Mapped[str | None] = mapped_column(String(19), info={"generated": True})
    recipient_count: Mapped[int] = mapped_column(Integer)  # subscribed contacts when it was sent
