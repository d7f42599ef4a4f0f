"""State: the Mailgun account's tables (SQLAlchemy models) and the limits its API enforces."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2026, 3, 12, 14, 0, 0)  # a Thursday; times are UTC, as Mailgun reports them
MAX_RECIPIENTS = 1000  # to + cc + bcc of one message
MAX_TAGS = 3  # o:tag values per message
MAX_TAG_LENGTH = 128
MAX_SCHEDULE_DAYS = 3  # o:deliverytime may be at most this far ahead
MAX_EVENT_PAGE = 300
MAX_PAGE = 100
TEMPLATE_VERSION_LIMIT = 40

EventType = Literal["accepted", "delivered", "failed", "opened", "clicked", "unsubscribed", "complained", "stored"]
Severity = Literal["permanent", "temporary"]
SuppressionType = Literal["bounces", "unsubscribes", "complaints", "allowlists"]
Resolution = Literal["hour", "day", "month"]
DomainState = Literal["active", "unverified"]
EVENT_TYPES: tuple[str, ...] = (
    "accepted",
    "delivered",
    "failed",
    "opened",
    "clicked",
    "unsubscribed",
    "complained",
    "stored",
)


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class Account(Base):
    """The Mailgun account and its plan: the plan caps how many recipients can be sent to per UTC day."""

    __tablename__ = "accounts"
    account_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    company: Mapped[str] = mapped_column(String(80))
    owner_email: Mapped[str] = mapped_column(String(80))
    plan: Mapped[str] = mapped_column(String(20))
    daily_limit: Mapped[int] = mapped_column(Integer)


class Domain(Base):
    __tablename__ = "domains"
    name: Mapped[str] = mapped_column(String(80), primary_key=True, info={"user_known": True})
    state: Mapped[str] = mapped_column(String(12))  # active | unverified
    is_sandbox: Mapped[int] = mapped_column(Integer, default=0)
    region: Mapped[str] = mapped_column(String(4))  # us | eu
    spam_action: Mapped[str] = mapped_column(String(10))  # disabled | tag | block
    created_at: Mapped[str] = mapped_column(String(19))
    last_checked_at: Mapped[str | None] = mapped_column(String(19), info={"generated": True})


class DnsRecord(Base):
    """A DNS record Mailgun asks the domain owner to publish; `published` is what the owner's DNS really has,
    `valid` is what Mailgun found at its last check."""

    __tablename__ = "dns_records"
    record_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(ForeignKey("domains.name"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))  # sending | receiving | tracking
    kind: Mapped[str] = mapped_column(String(6))  # SPF | DKIM | MX | CNAME
    record_type: Mapped[str] = mapped_column(String(6))  # TXT | MX | CNAME
    host: Mapped[str] = mapped_column(String(120))
    value: Mapped[str] = mapped_column(String(300))
    published: Mapped[int] = mapped_column(Integer)
    valid: Mapped[int] = mapped_column(Integer)


class AuthorizedRecipient(Base):
    """Addresses a sandbox domain may send to (each must have accepted the invitation)."""

    __tablename__ = "authorized_recipients"
    domain: Mapped[str] = mapped_column(ForeignKey("domains.name"), primary_key=True)
    address: Mapped[str] = mapped_column(String(120), primary_key=True)
    activated: Mapped[int] = mapped_column(Integer)


class Message(Base):
    __tablename__ = "messages"
    message_id: Mapped[str] = mapped_column(String(80), primary_key=True, info={"generated": True})
    domain: Mapped[str] = mapped_column(ForeignKey("domains.name"), index=True)
    sender: Mapped[str] = mapped_column(String(160))
    recipients: Mapped[list[str]] = mapped_column(JSON)  # to
    cc: Mapped[list[str]] = mapped_column(JSON)
    bcc: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(String(2000))
    html: Mapped[str | None] = mapped_column(String(4000))
    from_mime: Mapped[int] = mapped_column(Integer, default=0)  # sent as MIME: headers and body parsed from it
    template: Mapped[str | None] = mapped_column(String(80))
    template_version: Mapped[str | None] = mapped_column(String(40))
    tags: Mapped[list[str]] = mapped_column(JSON)
    variables: Mapped[dict[str, str]] = mapped_column(JSON)
    testmode: Mapped[int] = mapped_column(Integer, default=0)
    deliver_at: Mapped[str | None] = mapped_column(String(19))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Event(Base):
    __tablename__ = "events"
    event_id: Mapped[str] = mapped_column(String(24), primary_key=True, info={"generated": True})
    timestamp: Mapped[str] = mapped_column(String(19), info={"generated": True})
    event: Mapped[str] = mapped_column(String(14))
    domain: Mapped[str] = mapped_column(ForeignKey("domains.name"))
    message_id: Mapped[str] = mapped_column(String(80), index=True, info={"generated": True})
    recipient: Mapped[str] = mapped_column(String(120))
    severity: Mapped[str | None] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(30))
    delivery_code: Mapped[int | None] = mapped_column(Integer)
    delivery_message: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(200))


class Bounce(Base):
    __tablename__ = "bounces"
    domain: Mapped[str] = mapped_column(ForeignKey("domains.name"), primary_key=True)
    address: Mapped[str] = mapped_column(String(120), primary_key=True)
    code: Mapped[str] = mapped_column(String(5))
    error: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Unsubscribe(Base):
    __tablename__ = "unsubscribes"
    domain: Mapped[str] = mapped_column(ForeignKey("domains.name"), primary_key=True)
    address: Mapped[str] = mapped_column(String(120), primary_key=True)
    tags: Mapped[list[str]] = mapped_column(JSON)  # ["*"]: from everything sent by the domain
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Complaint(Base):
    __tablename__ = "complaints"
    domain: Mapped[str] = mapped_column(ForeignKey("domains.name"), primary_key=True)
    address: Mapped[str] = mapped_column(String(120), primary_key=True)
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class AllowlistEntry(Base):
    """An address or a whole domain that is never added to the bounce list."""

    __tablename__ = "allowlists"
    domain: Mapped[str] = mapped_column(ForeignKey("domains.name"), primary_key=True)
    value: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # address | domain
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class MailingList(Base):
    __tablename__ = "mailing_lists"
    address: Mapped[str] = mapped_column(String(120), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(200))
    access_level: Mapped[str] = mapped_column(String(10))  # readonly | members | everyone
    created_at: Mapped[str] = mapped_column(String(19))


class ListMember(Base):
    __tablename__ = "list_members"
    list_address: Mapped[str] = mapped_column(ForeignKey("mailing_lists.address"), primary_key=True)
    address: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    subscribed: Mapped[int] = mapped_column(Integer)
    vars: Mapped[dict[str, str]] = mapped_column(JSON)


class Template(Base):
    __tablename__ = "templates"
    domain: Mapped[str] = mapped_column(ForeignKey("domains.name"), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), primary_key=True, info={"user_known": True})
    description: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class TemplateVersion(Base):
    __tablename__ = "template_versions"
    domain: Mapped[str] = mapped_column(String(80), primary_key=True)
    template_name: Mapped[str] = mapped_column(String(80), primary_key=True)
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, info={"user_known": True})
    subject: Mapped[str] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(4000))
    engine: Mapped[str] = mapped_column(String(12))
    comment: Mapped[str] = mapped_column(String(200))
    active: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class EmailDomainInfo(Base):
    """What the validation service knows about a mailbox provider's domain (its MX, whether it is throwaway)."""

    __tablename__ = "email_domains"
    domain: Mapped[str] = mapped_column(String(80), primary_key=True)
    has_mx: Mapped[int] = mapped_column(Integer)
    disposable: Mapped[int] = mapped_column(Integer)
    popular: Mapped[int] = mapped_column(Integer)  # a big provider: the target of did-you-mean suggestions
