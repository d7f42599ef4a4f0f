"""State: Amazon SES's per-region resources (SQLAlchemy models) and the limits they share."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2026, 3, 18, 16, 0, 0)
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
DEFAULT_REGION = "us-east-1"
MAX_RECIPIENTS = 50  # To + Cc + Bcc of one message
MAX_PAGE = 100
STATISTICS_DAYS = 14  # GetSendStatistics covers the last two weeks ...
BUCKET_MINUTES = 15  # ... in 15-minute data points
SANDBOX_QUOTA = 200  # messages per 24 hours while the region is in the sandbox
SANDBOX_RATE = 1  # messages per second in the sandbox
MAX_TEMPLATES = 10_000
MAX_RAW_BYTES = 10 * 1024 * 1024

VERIFICATION_STATUSES = ("Pending", "Success", "Failed", "TemporaryFailure", "NotStarted")
DKIM_STATUSES = ("Pending", "Success", "Failed", "TemporaryFailure", "NotStarted")
IdentityType = Literal["EmailAddress", "Domain"]
SuppressionReason = Literal["BOUNCE", "COMPLAINT"]
# What became of a seeded message (one outcome per message); messages sent in an episode are "Sent".
OUTCOMES = ("Delivered", "Bounced", "Complained", "Rejected", "Suppressed", "Sent")


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class RegionAccount(Base):
    """The account's sending settings in one AWS region (SES is a regional service)."""

    __tablename__ = "region_accounts"
    __label__ = "our {region} region"
    region: Mapped[str] = mapped_column(String(20), primary_key=True, info={"user_known": True})
    production_access_enabled: Mapped[int] = mapped_column(Integer)  # 0: still in the sandbox
    sending_enabled: Mapped[int] = mapped_column(Integer)
    max_24_hour_send: Mapped[int] = mapped_column(Integer)
    max_send_rate: Mapped[int] = mapped_column(Integer)


class Identity(Base):
    """A verified (or verifying) email address or domain, in one region."""

    __tablename__ = "identities"
    __label__ = "{identity}"
    region: Mapped[str] = mapped_column(ForeignKey("region_accounts.region"), primary_key=True)
    identity: Mapped[str] = mapped_column(String(120), primary_key=True, info={"user_known": True})
    identity_type: Mapped[str] = mapped_column(String(12))
    verification_status: Mapped[str] = mapped_column(String(20))
    verification_token: Mapped[str | None] = mapped_column(String(60), info={"generated": True})
    dkim_enabled: Mapped[int] = mapped_column(Integer)
    dkim_verification_status: Mapped[str] = mapped_column(String(20))
    dkim_tokens: Mapped[str | None] = mapped_column(String(120), info={"generated": True})  # comma-separated
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Template(Base):
    """An email template: subject, text and HTML parts with {{placeholders}}."""

    __tablename__ = "templates"
    __label__ = "the {template_name} template"
    region: Mapped[str] = mapped_column(ForeignKey("region_accounts.region"), primary_key=True)
    template_name: Mapped[str] = mapped_column(String(64), primary_key=True, info={"user_known": True})
    subject_part: Mapped[str] = mapped_column(String(200))
    text_part: Mapped[str | None] = mapped_column(Text)
    html_part: Mapped[str | None] = mapped_column(Text)
    created_timestamp: Mapped[str] = mapped_column(String(19), info={"generated": True})


class ConfigurationSet(Base):
    __tablename__ = "configuration_sets"
    __label__ = "the {configuration_set_name} configuration set"
    region: Mapped[str] = mapped_column(ForeignKey("region_accounts.region"), primary_key=True)
    configuration_set_name: Mapped[str] = mapped_column(String(64), primary_key=True, info={"user_known": True})
    event_destination: Mapped[str] = mapped_column(String(40))  # where its events are published


class SuppressedDestination(Base):
    """An address on the region's account-level suppression list: SES does not deliver to it."""

    __tablename__ = "suppressed_destinations"
    __label__ = "{email_address}"
    region: Mapped[str] = mapped_column(ForeignKey("region_accounts.region"), primary_key=True)
    email_address: Mapped[str] = mapped_column(String(120), primary_key=True, info={"user_known": True})
    reason: Mapped[str] = mapped_column(String(10))
    last_update_time: Mapped[str] = mapped_column(String(19), info={"generated": True})


class SentMessage(Base):
    """One accepted message and what became of it; the send statistics are counted from these rows."""

    __tablename__ = "sent_messages"
    message_id: Mapped[str] = mapped_column(String(60), primary_key=True, info={"generated": True})
    region: Mapped[str] = mapped_column(ForeignKey("region_accounts.region"), index=True)
    source: Mapped[str] = mapped_column(String(160))
    to_addresses: Mapped[str] = mapped_column(Text)  # comma-separated
    cc_addresses: Mapped[str] = mapped_column(Text)
    bcc_addresses: Mapped[str] = mapped_column(Text)
    reply_to_addresses: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    template_name: Mapped[str | None] = mapped_column(String(64))
    configuration_set_name: Mapped[str | None] = mapped_column(String(64))
    tags: Mapped[str] = mapped_column(String(200))  # JSON object of message tags
    sent_at: Mapped[str] = mapped_column(String(19), index=True, info={"generated": True})
    recipient_count: Mapped[int] = mapped_column(Integer)
    bounces: Mapped[int] = mapped_column(Integer)
    complaints: Mapped[int] = mapped_column(Integer)
    rejects: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(12))
