"""The tools an agent calls: Resend's Emails, Domains, API Keys, Audiences, Contacts and Broadcasts API.

Parameters are Resend's request fields; `from` is `from_address` (a Python keyword otherwise) and path ids keep
their resource's name (`email_id`, `domain_id`, `audience_id`...). Outputs keep Resend's values (last_event,
domain status, permission) under the same names.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from email.utils import formataddr, parseaddr
from typing import Any, Literal, NotRequired

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    DEFAULT_PAGE,
    EMAIL_EVENTS,
    MAX_ATTACHMENTS_BYTES,
    MAX_BATCH,
    MAX_PAGE,
    MAX_RECIPIENTS,
    MAX_SCHEDULE_DAYS,
    MAX_TAG_LENGTH,
    ONBOARDING_SENDER,
    Audience,
    Broadcast,
    Contact,
    Domain,
    Email,
)
from .rules import dns_records, mailbox, parse_time, stamp, valid_tag_part

HEX = "0123456789abcdef"
EmailEvent = Literal["queued", "scheduled", "sent", "delivered", "delivery_delayed", "bounced", "complained",
                     "opened", "clicked", "canceled"]  # fmt: skip


class Tag(TypedDict):
    name: str
    value: str


class Attachment(TypedDict):
    filename: str
    content: str  # Base64


class BatchEmail(TypedDict):
    from_address: str
    to: list[str]
    subject: str
    text: NotRequired[str]
    html: NotRequired[str]
    cc: NotRequired[list[str]]
    bcc: NotRequired[list[str]]
    reply_to: NotRequired[list[str]]
    tags: NotRequired[list[Tag]]


class SendResult(TypedDict):
    id: str


class BatchResult(TypedDict):
    data: list[SendResult]


class EmailView(TypedDict):
    id: str
    from_address: str
    to: list[str]
    cc: list[str]
    bcc: list[str]
    reply_to: list[str]
    subject: str
    text: str | None
    html: str | None
    tags: list[Tag]
    attachments: list[str]
    created_at: str
    scheduled_at: str | None
    last_event: str


class EmailSummary(TypedDict):
    id: str
    to: list[str]
    from_address: str
    subject: str
    created_at: str
    scheduled_at: str | None
    last_event: str


class EmailPage(TypedDict):
    data: list[EmailSummary]
    total: int
    has_more: bool


class UpdateResult(TypedDict):
    id: str
    scheduled_at: str


class CancelResult(TypedDict):
    id: str
    last_event: str


class DnsRecord(TypedDict):
    record: str
    type: str
    name: str
    value: str
    priority: str
    status: str


class DomainSummary(TypedDict):
    domain_id: str
    name: str
    status: str
    region: str
    created_at: str


class DomainView(DomainSummary):
    records: list[DnsRecord]


class DomainPage(TypedDict):
    data: list[DomainSummary]


class VerifyResult(TypedDict):
    domain_id: str
    name: str
    status: str


class ApiKeyView(TypedDict):
    api_key_id: str
    name: str
    permission: str
    domain: str | None
    created_at: str


class ApiKeyPage(TypedDict):
    data: list[ApiKeyView]


class AudienceView(TypedDict):
    audience_id: str
    name: str
    created_at: str
    contacts: int
    subscribed: int


class AudiencePage(TypedDict):
    data: list[AudienceView]


class ContactView(TypedDict):
    contact_id: str
    email: str
    first_name: str | None
    last_name: str | None
    unsubscribed: bool
    created_at: str


class ContactPage(TypedDict):
    data: list[ContactView]
    total: int
    has_more: bool


class RemoveResult(TypedDict):
    contact_id: str
    deleted: bool


class BroadcastView(TypedDict):
    broadcast_id: str
    audience_id: str
    name: str
    from_address: str
    subject: str
    status: str
    created_at: str
    scheduled_at: str | None
    sent_at: str | None
    recipient_count: int


class BroadcastPage(TypedDict):
    data: list[BroadcastView]


class UsageView(TypedDict):
    plan: str
    daily_quota: int
    sent_today: int
    monthly_quota: int
    sent_this_month: int


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _uuid(ctx: ToolContext) -> str:
    return "-".join(ctx.new_id(n, HEX) for n in (8, 4, 4, 4, 12))


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")


def _team(ctx: ToolContext) -> dict[str, Any]:
    return ctx.query("SELECT * FROM team ORDER BY team_id LIMIT 1")[0]


def _addresses(values: list[str] | str | None, field: str, required: bool = False) -> list[str]:
    if values is None:
        values = []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        raise DomainError(f"validation_error: `{field}` must be a list of email addresses.")
    if required and not values:
        raise DomainError(f"validation_error: Missing `{field}` field.")
    if len(values) > MAX_RECIPIENTS:
        raise DomainError(f"validation_error: `{field}` can have at most {MAX_RECIPIENTS} addresses.")
    found = []
    for value in values:
        bare = mailbox(value)
        if bare is None:
            raise DomainError(f"validation_error: Invalid `{field}` field: {value!r} is not a valid email address.")
        found.append(bare)
    return found


def _sender(ctx: ToolContext, from_address: str, recipients: list[str]) -> str:
    """The normalised 'Name <addr>' sender, after Resend's domain checks."""
    bare = mailbox(from_address)
    if bare is None:
        raise DomainError(
            "validation_error: Invalid `from` field. The email address needs to follow the `email@example.com` "
            "or `Name <email@example.com>` format."
        )
    name = parseaddr(from_address.strip())[0]
    normalised = formataddr((name, bare)) if name else bare
    if bare == ONBOARDING_SENDER:
        owner = _team(ctx)["owner_email"]
        others = [a for a in recipients if a != owner]
        if others:
            raise DomainError(
                f"validation_error: You can only send testing emails to your own email address ({owner}). To send "
                "emails to other recipients, please verify a domain at resend.com/domains and change the `from` "
                "address to an email using this domain."
            )
        return normalised
    domain = bare.split("@")[1]
    row = ctx.rows(Domain).find({"name": domain}, limit=1)
    if not row or row[0]["status"] != "verified":
        raise DomainError(
            f"validation_error: The {domain} domain is not verified. Please, add and verify your domain on "
            "https://resend.com/domains"
        )
    return normalised


def _tags(tags: list[Tag] | None) -> list[dict[str, str]]:
    if tags is None:
        return []
    if not isinstance(tags, list):
        raise DomainError("validation_error: `tags` must be a list of {name, value} objects.")
    found = []
    for tag in tags:
        if not isinstance(tag, dict) or set(tag) != {"name", "value"}:
            raise DomainError("validation_error: Each tag needs exactly a `name` and a `value`.")
        for part in ("name", "value"):
            if not valid_tag_part(tag[part], MAX_TAG_LENGTH):
                raise DomainError(
                    f"validation_error: Tag {part} {tag[part]!r} may only contain ASCII letters, numbers, "
                    f"underscores and dashes, up to {MAX_TAG_LENGTH} characters."
                )
        found.append({"name": tag["name"], "value": tag["value"]})
    return found


def _attachments(attachments: list[Attachment] | None) -> list[str]:
    if not attachments:
        return []
    if not isinstance(attachments, list):
        raise DomainError("validation_error: `attachments` must be a list of {filename, content} objects.")
    names, total = [], 0
    for item in attachments:
        if not isinstance(item, dict) or not isinstance(item.get("filename"), str) or not isinstance(
            item.get("content"), str
        ):
            raise DomainError("validation_error: Each attachment needs a `filename` and Base64 `content`.")
        filename = item["filename"].strip()
        if not filename or "/" in filename or "\\" in filename or len(filename) > 255:
            raise DomainError(f"validation_error: Invalid attachment filename {item['filename']!r}.")
        try:
            base64.b64decode(item["content"], validate=True)
        except (binascii.Error, ValueError):
            raise DomainError(f"validation_error: The content of {filename} is not valid Base64.") from None
        total += len(item["content"])
        names.append(filename)
    if total > MAX_ATTACHMENTS_BYTES:
        raise DomainError("validation_error: Attachments can be at most 40 MB per email, after Base64 encoding.")
    return names


def _schedule(ctx: ToolContext, scheduled_at: str) -> str:
    moment = parse_time(scheduled_at)
    if moment is None:
        raise DomainError(
            f"validation_error: scheduled_at {scheduled_at!r} is not an ISO 8601 date and time, such as "
            "'2026-11-20T09:00:00Z'."
        )
    if moment <= ctx.now:
        raise DomainError("validation_error: scheduled_at must be in the future.")
    if moment > ctx.now + dt.timedelta(days=MAX_SCHEDULE_DAYS):
        raise DomainError(f"validation_error: Emails can be scheduled at most {MAX_SCHEDULE_DAYS} days in advance.")
    return stamp(moment)


def _usage(ctx: ToolContext) -> UsageView:
    team = _team(ctx)
    today = ctx.now.date().isoformat()
    month = today[:7]
    # Recipients of a comma-separated column: one more than its commas, none when empty.
    counted = " + ".join(
        f"(LENGTH({c}) > 0) + (LENGTH({c}) - LENGTH(REPLACE({c}, ',', '')))" for c in ('"to"', "cc", "bcc")
    )
    row = ctx.query(
        f"SELECT COALESCE(SUM(CASE WHEN substr(created_at, 1, 10) = ? THEN {counted} END), 0) AS day, "
        f"COALESCE(SUM(CASE WHEN substr(created_at, 1, 7) = ? THEN {counted} END), 0) AS month FROM emails "
        "WHERE last_event != 'canceled'",
        [today, month],
    )[0]
    return {"plan": team["plan"], "daily_quota": team["daily_quota"], "sent_today": int(row["day"]),
            "monthly_quota": team["monthly_quota"], "sent_this_month": int(row["month"])}  # fmt: skip


def _check_quota(ctx: ToolContext, count: int) -> None:
    usage = _usage(ctx)
    if usage["sent_today"] + count > usage["daily_quota"]:
        raise DomainError(
            f"daily_quota_exceeded: You have reached your daily email sending quota ({usage['daily_quota']} emails "
            f"per day on the {usage['plan']} plan; {usage['sent_today']} sent today). Upgrade your plan or wait "
            "until tomorrow (UTC)."
        )
    if usage["sent_this_month"] + count > usage["monthly_quota"]:
        raise DomainError(
            f"monthly_quota_exceeded: You have reached your monthly email sending quota ({usage['monthly_quota']} "
            "emails)."
        )


def _prepare(
    ctx: ToolContext,
    from_address: str,
    to: list[str],
    subject: str,
    *,
    cc: list[str] | None,
    bcc: list[str] | None,
    reply_to: list[str] | None,
    text: str | None,
    html: str | None,
    tags: list[Tag] | None,
) -> dict[str, Any]:
    """An email's row after every check that needs no scheduling or attachments."""
    recipients = _addresses(to, "to", required=True)
    copies, blind = _addresses(cc, "cc"), _addresses(bcc, "bcc")
    replies = _addresses(reply_to, "reply_to")
    sender = _sender(ctx, from_address, [*recipients, *copies, *blind])
    if not isinstance(subject, str) or not subject.strip():
        raise DomainError("validation_error: Missing `subject` field.")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise DomainError("validation_error: An email needs a `text` or an `html` body.")
    return {
        "from_address": sender, "to": ",".join(recipients), "cc": ",".join(copies), "bcc": ",".join(blind),
        "reply_to": ",".join(replies), "subject": subject.strip(), "text": text, "html": html,
        "tags": json.dumps(_tags(tags)), "headers": "{}", "attachments": "", "created_at": stamp(ctx.now),
        "scheduled_at": None, "last_event": "queued", "_count": len(recipients) + len(copies) + len(blind),
    }  # fmt: skip


def _email(ctx: ToolContext, email_id: str) -> dict[str, Any]:
    row = ctx.rows(Email).get(email_id.strip().lower()) if isinstance(email_id, str) else None
    if row is None:
        raise DomainError(f"not_found: Email {email_id} not found.")
    return row


def _split(text: str) -> list[str]:
    return [part for part in text.split(",") if part]


def _summary(row: dict[str, Any]) -> EmailSummary:
    return {"id": row["email_id"], "to": _split(row["to"]), "from_address": row["from_address"],
            "subject": row["subject"], "created_at": row["created_at"], "scheduled_at": row["scheduled_at"],
            "last_event": row["last_event"]}  # fmt: skip


def _domain(ctx: ToolContext, domain_id: str) -> dict[str, Any]:
    """A domain by its id or, as people say it, by its name."""
    if isinstance(domain_id, str):
        key = domain_id.strip().lower()
        row = ctx.rows(Domain).get(key) or next(iter(ctx.rows(Domain).find({"name": key}, limit=1)), None)
        if row is not None:
            return row
    raise DomainError(f"not_found: Domain {domain_id} not found.")


def _audience(ctx: ToolContext, audience_id: str) -> dict[str, Any]:
    row = ctx.rows(Audience).get(audience_id.strip().lower()) if isinstance(audience_id, str) else None
    if row is None:
        raise DomainError(f"not_found: Audience {audience_id} not found.")
    return row


def _contact(ctx: ToolContext, audience_id: str, contact: str) -> dict[str, Any]:
    """A contact of the audience by its id or its email address."""
    audience = _audience(ctx, audience_id)
    if isinstance(contact, str):
        key = contact.strip().lower()
        field = "email" if "@" in key else "contact_id"
        found = ctx.rows(Contact).find({"audience_id": audience["audience_id"], field: key}, limit=1)
        if found:
            return found[0]
    raise DomainError(f"not_found: Contact {contact} not found in the {audience['name']} audience.")


def _contact_view(row: dict[str, Any]) -> ContactView:
    return {"contact_id": row["contact_id"], "email": row["email"], "first_name": row["first_name"],
            "last_name": row["last_name"], "unsubscribed": bool(row["unsubscribed"]),
            "created_at": row["created_at"]}  # fmt: skip


def _broadcast_view(row: dict[str, Any]) -> BroadcastView:
    return {key: row[key] for key in BroadcastView.__annotations__}  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------------
# Emails
# --------------------------------------------------------------------------------------------------


@env.write(intents=["email {to} about {subject}", "send {to} an email from {from_address}"])
def send_email(
    ctx: ToolContext,
    from_address: str,
    to: list[str],
    subject: str,
    text: str | None = None,
    html: str | None = None,
    cc: list[str] | None = None,
    bcc: list[str] | None = None,
    reply_to: list[str] | None = None,
    tags: list[Tag] | None = None,
    headers: dict[str, str] | None = None,
    scheduled_at: str | None = None,
    attachments: list[Attachment] | None = None,
) -> SendResult:
    """Send an email, now or at a scheduled time (Resend POST /emails); returns the new email's id.

    The sender must be on a verified domain (onboarding@resend.dev only to the team owner's address). Each
    recipient counts against the plan's daily and monthly quota.

    Args:
        from_address: Sender, 'Name <billing@ledgerly.io>' or a bare address on a verified domain.
        to: Recipient addresses (at most 50).
        subject: The subject line.
        text: Plain-text body (text or html is required).
        html: HTML body.
        cc: Cc addresses (at most 50).
        bcc: Bcc addresses (at most 50).
        reply_to: Reply-to addresses.
        tags: Name/value pairs (ASCII letters, numbers, underscores, dashes; at most 256 characters each).
        headers: Extra email headers, name to value.
        scheduled_at: When to send, ISO 8601 (UTC unless it has an offset), at most 30 days ahead; omit to send now.
        attachments: Files, each a filename and its Base64 content (40 MB in all).
    """
    row = _prepare(ctx, from_address, to, subject, cc=cc, bcc=bcc, reply_to=reply_to, text=text, html=html, tags=tags)
    if headers is not None:
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str) and "\n" not in v for k, v in headers.items()
        ):
            raise DomainError("validation_error: `headers` must map header names to single-line values.")
        row["headers"] = json.dumps(headers, sort_keys=True)
    row["attachments"] = ",".join(_attachments(attachments))
    if scheduled_at is not None:
        row["scheduled_at"] = _schedule(ctx, scheduled_at)
        row["last_event"] = "scheduled"
    _check_quota(ctx, row.pop("_count"))
    email_id = _uuid(ctx)
    ctx.rows(Email).add(email_id=email_id, **row)
    return {"id": email_id}


@env.write(intents=["send these {emails} in one batch"])
def send_batch_emails(ctx: ToolContext, emails: list[BatchEmail]) -> BatchResult:
    """Send up to 100 emails in one request (Resend POST /emails/batch); all are sent or none.

    Batch emails take no attachments and no scheduled_at; every email passes the same checks as send_email.

    Args:
        emails: The emails, each with from_address, to, subject, text or html, and optional cc, bcc, reply_to, tags.
    """
    if not isinstance(emails, list) or not emails:
        raise DomainError("validation_error: Give at least one email.")
    if len(emails) > MAX_BATCH:
        raise DomainError(f"validation_error: A batch can have at most {MAX_BATCH} emails.")
    prepared = []
    for index, item in enumerate(emails):
        if not isinstance(item, dict):
            raise DomainError(f"validation_error: Email {index} is not an object.")
        unknown = set(item) - set(BatchEmail.__annotations__)
        if unknown:
            raise DomainError(
                f"validation_error: Email {index}: unsupported field {sorted(unknown)[0]!r} (batch emails take no "
                "attachments or scheduled_at)."
            )
        if not all(key in item for key in ("from_address", "to", "subject")):
            raise DomainError(f"validation_error: Email {index} needs from_address, to and subject.")
        prepared.append(
            _prepare(ctx, item["from_address"], item["to"], item["subject"], cc=item.get("cc"), bcc=item.get("bcc"),
                     reply_to=item.get("reply_to"), text=item.get("text"), html=item.get("html"),
                     tags=item.get("tags"))
        )  # fmt: skip
    _check_quota(ctx, sum(row.pop("_count") for row in prepared))
    ids = []
    for row in prepared:
        email_id = _uuid(ctx)
        ctx.rows(Email).add(email_id=email_id, **row)
        ids.append({"id": email_id})
    return {"data": ids}


@env.read(intents=["what happened to email {email_id}", "did email {email_id} get delivered"])
def get_email(ctx: ToolContext, email_id: str) -> EmailView:
    """One email with its recipients, content and last event (Resend GET /emails/{id}).

    Args:
        email_id: The email's id (a UUID).
    """
    row = _email(ctx, email_id)
    return {"id": row["email_id"], "from_address": row["from_address"], "to": _split(row["to"]),
            "cc": _split(row["cc"]), "bcc": _split(row["bcc"]), "reply_to": _split(row["reply_to"]),
            "subject": row["subject"], "text": row["text"], "html": row["html"], "tags": json.loads(row["tags"]),
            "attachments": _split(row["attachments"]), "created_at": row["created_at"],
            "scheduled_at": row["scheduled_at"], "last_event": row["last_event"]}  # fmt: skip


@env.read(intents=["show the emails we sent to {to}", "list our {last_event} emails"])
def list_emails(
    ctx: ToolContext,
    to: str | None = None,
    last_event: EmailEvent | None = None,
    subject: str | None = None,
    limit: int = DEFAULT_PAGE,
    offset: int = 0,
) -> EmailPage:
    """The team's emails, newest first (Resend GET /emails), optionally filtered.

    Args:
        to: Only emails with this recipient address (in to).
        last_event: Only emails whose last event is this one (e.g. scheduled, bounced, delivered).
        subject: Only emails whose subject contains this text (case-insensitive).
        limit: Page size, 1 to 50.
        offset: Emails to skip.
    """
    _page(limit, offset)
    where, params = ["1 = 1"], []
    if to is not None:
        bare = mailbox(to)
        if bare is None:
            raise DomainError(f"validation_error: {to!r} is not a valid email address.")
        where.append("(',' || \"to\" || ',') LIKE ?")
        params.append(f"%,{bare},%")
    if last_event is not None:
        if last_event not in EMAIL_EVENTS:
            raise DomainError(f"validation_error: last_event must be one of {', '.join(EMAIL_EVENTS)}.")
        where.append("last_event = ?")
        params.append(last_event)
    if subject is not None:
        if not isinstance(subject, str) or not subject.strip():
            raise DomainError("validation_error: subject filter cannot be empty.")
        where.append("instr(lower(subject), ?) > 0")
        params.append(subject.strip().lower())
    clause = " AND ".join(where)
    total = int(ctx.query(f"SELECT COUNT(*) AS n FROM emails WHERE {clause}", params)[0]["n"])
    rows = ctx.query(
        f"SELECT * FROM emails WHERE {clause} ORDER BY created_at DESC, email_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return {"data": [_summary(r) for r in rows], "total": total, "has_more": offset + len(rows) < total}


@env.write(intents=["move the scheduled email {email_id} to {scheduled_at}", "reschedule {email_id}"])
def update_email(ctx: ToolContext, email_id: str, scheduled_at: str) -> UpdateResult:
    """Reschedule a scheduled email (Resend PATCH /emails/{id}); only emails not yet sent can be moved.

    Args:
        email_id: The scheduled email's id.
        scheduled_at: The new send time, ISO 8601 (UTC unless it has an offset), at most 30 days ahead.
    """
    row = _email(ctx, email_id)
    if row["last_event"] != "scheduled":
        raise DomainError(
            f"validation_error: Email {row['email_id']} is {row['last_event']}, not scheduled: only scheduled "
            "emails can be updated."
        )
    moment = _schedule(ctx, scheduled_at)
    ctx.rows(Email).update(row["email_id"], scheduled_at=moment)
    return {"id": row["email_id"], "scheduled_at": moment}


@env.write(intents=["cancel the scheduled email {email_id}", "don't send {email_id} after all"])
def cancel_email(ctx: ToolContext, email_id: str) -> CancelResult:
    """Cancel a scheduled email before it goes out (Resend POST /emails/{id}/cancel).

    Args:
        email_id: The scheduled email's id.
    """
    row = _email(ctx, email_id)
    if row["last_event"] != "scheduled":
        raise DomainError(
            f"validation_error: Email {row['email_id']} is {row['last_event']}, not scheduled: only scheduled "
            "emails can be cancelled."
        )
    ctx.rows(Email).update(row["email_id"], last_event="canceled")
    return {"id": row["email_id"], "last_event": "canceled"}


@env.read(intents=["how many emails can we still send today", "how much of our quota is left"])
def get_usage(ctx: ToolContext) -> UsageView:
    """The plan's sending quota and what has been sent today (UTC) and this calendar month."""
    return _usage(ctx)


# --------------------------------------------------------------------------------------------------
# Domains and API keys
# --------------------------------------------------------------------------------------------------


@env.read(intents=["which of our domains are verified", "list our sending domains"])
def list_domains(ctx: ToolContext) -> DomainPage:
    """Every domain of the team with its status and region (Resend GET /domains)."""
    rows = ctx.query("SELECT * FROM domains ORDER BY created_at DESC, name")
    return {"data": [{"domain_id": r["domain_id"], "name": r["name"], "status": r["status"], "region": r["region"],
                      "created_at": r["created_at"]} for r in rows]}  # fmt: skip


@env.read(intents=["what DNS records does {domain_id} need", "show the domain {domain_id}"])
def get_domain(ctx: ToolContext, domain_id: str) -> DomainView:
    """One domain with the DNS records to publish for it: SPF (MX and TXT) and DKIM (Resend GET /domains/{id}).

    Args:
        domain_id: The domain's id, or its name such as 'ledgerly.io'.
    """
    row = _domain(ctx, domain_id)
    return {"domain_id": row["domain_id"], "name": row["name"], "status": row["status"], "region": row["region"],
            "created_at": row["created_at"],
            "records": dns_records(row["name"], row["region"], row["dkim_key"], row["status"])}  # type: ignore[typeddict-item]


@env.write(intents=["verify the domain {domain_id}", "check {domain_id}'s DNS again"])
def verify_domain(ctx: ToolContext, domain_id: str) -> VerifyResult:
    """Ask Resend to check a domain's DNS records (Resend POST /domains/{id}/verify).

    A domain that is not_started, failed or in temporary_failure becomes pending while Resend looks for the
    records; a pending or verified domain stays as it is.

    Args:
        domain_id: The domain's id, or its name.
    """
    row = _domain(ctx, domain_id)
    status = row["status"]
    if status in ("not_started", "failed", "temporary_failure"):
        status = "pending"
        ctx.rows(Domain).update(row["domain_id"], status=status)
    return {"domain_id": row["domain_id"], "name": row["name"], "status": status}


@env.read(intents=["which API keys do we have", "list our API keys"])
def list_api_keys(ctx: ToolContext) -> ApiKeyPage:
    """The team's API keys with their permission and, for sending_access keys, the domain they are limited to."""
    rows = ctx.query(
        "SELECT k.*, d.name AS domain FROM api_keys k LEFT JOIN domains d ON d.domain_id = k.domain_id "
        "ORDER BY k.created_at DESC, k.name"
    )
    return {"data": [{"api_key_id": r["api_key_id"], "name": r["name"], "permission": r["permission"],
                      "domain": r["domain"], "created_at": r["created_at"]} for r in rows]}  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Audiences and contacts
# --------------------------------------------------------------------------------------------------


def _audience_view(ctx: ToolContext, row: dict[str, Any]) -> AudienceView:
    counts = ctx.query(
        "SELECT COUNT(*) AS n, COALESCE(SUM(unsubscribed = 0), 0) AS s FROM contacts WHERE audience_id = ?",
        [row["audience_id"]],
    )[0]
    return {"audience_id": row["audience_id"], "name": row["name"], "created_at": row["created_at"],
            "contacts": int(counts["n"]), "subscribed": int(counts["s"])}  # fmt: skip


@env.read(intents=["list our audiences", "how many contacts are in each audience"])
def list_audiences(ctx: ToolContext) -> AudiencePage:
    """The team's audiences with how many contacts each has and how many are still subscribed."""
    rows = ctx.query("SELECT * FROM audiences ORDER BY created_at DESC, name")
    return {"data": [_audience_view(ctx, r) for r in rows]}


@env.write(intents=["create an audience called {name}", "start a new list named {name}"])
def create_audience(ctx: ToolContext, name: str) -> AudienceView:
    """Create an empty audience (Resend POST /audiences).

    Args:
        name: The audience's name; it must differ from the team's other audiences.
    """
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 80:
        raise DomainError("validation_error: An audience needs a name of at most 80 characters.")
    clash = ctx.query("SELECT 1 FROM audiences WHERE lower(name) = ?", [name.strip().lower()])
    if clash:
        raise DomainError(f"validation_error: An audience named {name.strip()!r} already exists.")
    row = ctx.rows(Audience).insert(audience_id=_uuid(ctx), name=name.strip(), created_at=stamp(ctx.now))
    return _audience_view(ctx, row)


@env.read(intents=["who is in the audience {audience_id}", "list the unsubscribed contacts of {audience_id}"])
def list_contacts(
    ctx: ToolContext, audience_id: str, unsubscribed: bool | None = None, limit: int = DEFAULT_PAGE, offset: int = 0
) -> ContactPage:
    """An audience's contacts, by email (Resend GET /audiences/{audience_id}/contacts).

    Args:
        audience_id: The audience's id.
        unsubscribed: True for only unsubscribed contacts, False for only subscribed ones; omit for all.
        limit: Page size, 1 to 50.
        offset: Contacts to skip.
    """
    audience = _audience(ctx, audience_id)
    _page(limit, offset)
    where, params = "audience_id = ?", [audience["audience_id"]]
    if unsubscribed is not None:
        where += " AND unsubscribed = ?"
        params.append(int(bool(unsubscribed)))
    total = int(ctx.query(f"SELECT COUNT(*) AS n FROM contacts WHERE {where}", params)[0]["n"])
    rows = ctx.query(f"SELECT * FROM contacts WHERE {where} ORDER BY email LIMIT ? OFFSET ?", [*params, limit, offset])
    return {"data": [_contact_view(r) for r in rows], "total": total, "has_more": offset + len(rows) < total}


@env.write(intents=["add {email} to the audience {audience_id}", "sign {email} up for {audience_id}"])
def create_contact(
    ctx: ToolContext,
    audience_id: str,
    email: str,
    first_name: str | None = None,
    last_name: str | None = None,
    unsubscribed: bool = False,
) -> ContactView:
    """Add a contact to an audience (Resend POST /audiences/{audience_id}/contacts).

    Args:
        audience_id: The audience's id.
        email: The contact's address; an audience holds each address once.
        first_name: First name.
        last_name: Last name.
        unsubscribed: Whether they start unsubscribed (default false).
    """
    audience = _audience(ctx, audience_id)
    bare = mailbox(email)
    if bare is None:
        raise DomainError(f"validation_error: {email!r} is not a valid email address.")
    if ctx.rows(Contact).find({"audience_id": audience["audience_id"], "email": bare}, limit=1):
        raise DomainError(f"validation_error: {bare} is already a contact of the {audience['name']} audience.")
    row = ctx.rows(Contact).insert(
        contact_id=_uuid(ctx), audience_id=audience["audience_id"], email=bare,
        first_name=(first_name or "").strip() or None, last_name=(last_name or "").strip() or None,
        unsubscribed=int(bool(unsubscribed)), created_at=stamp(ctx.now),
    )  # fmt: skip
    return _contact_view(row)


@env.write(intents=["unsubscribe {contact} from {audience_id}", "resubscribe {contact}"])
def update_contact(
    ctx: ToolContext,
    audience_id: str,
    contact: str,
    unsubscribed: bool | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
) -> ContactView:
    """Change a contact's subscription or name (Resend PATCH /audiences/{audience_id}/contacts/{id|email}).

    Args:
        audience_id: The audience's id.
        contact: The contact's id or email address.
        unsubscribed: True to unsubscribe them, False to subscribe them again.
        first_name: New first name.
        last_name: New last name.
    """
    row = _contact(ctx, audience_id, contact)
    changes: dict[str, Any] = {}
    if unsubscribed is not None:
        changes["unsubscribed"] = int(bool(unsubscribed))
    if first_name is not None:
        changes["first_name"] = first_name.strip() or None
    if last_name is not None:
        changes["last_name"] = last_name.strip() or None
    if not changes:
        raise DomainError("validation_error: Give unsubscribed, first_name or last_name to change.")
    ctx.rows(Contact).update(row["contact_id"], **changes)
    return _contact_view({**row, **changes})


@env.write(intents=["remove {contact} from the audience {audience_id}", "delete the contact {contact}"])
def remove_contact(ctx: ToolContext, audience_id: str, contact: str) -> RemoveResult:
    """Delete a contact from an audience (Resend DELETE /audiences/{audience_id}/contacts/{id|email}).

    Args:
        audience_id: The audience's id.
        contact: The contact's id or email address.
    """
    row = _contact(ctx, audience_id, contact)
    ctx.rows(Contact).delete(row["contact_id"])
    return {"contact_id": row["contact_id"], "deleted": True}


# --------------------------------------------------------------------------------------------------
# Broadcasts
# --------------------------------------------------------------------------------------------------


@env.read(intents=["list our broadcasts", "which broadcasts went out"])
def list_broadcasts(ctx: ToolContext) -> BroadcastPage:
    """The team's broadcasts, newest first, with their status and how many contacts each went to."""
    rows = ctx.query("SELECT * FROM broadcasts ORDER BY created_at DESC, name")
    return {"data": [_broadcast_view(r) for r in rows]}


@env.write(intents=["draft a broadcast to {audience_id} about {subject}"])
def create_broadcast(
    ctx: ToolContext,
    audience_id: str,
    from_address: str,
    subject: str,
    name: str,
    text: str | None = None,
    html: str | None = None,
) -> BroadcastView:
    """Create a draft broadcast to an audience (Resend POST /broadcasts); send it with send_broadcast.

    Args:
        audience_id: The audience it goes to.
        from_address: Sender on a verified domain, 'Name <news@ledgerly.io>'.
        subject: The subject line.
        name: An internal name for the broadcast.
        text: Plain-text body (text or html is required).
        html: HTML body.
    """
    audience = _audience(ctx, audience_id)
    bare = mailbox(from_address)
    if bare == ONBOARDING_SENDER:
        raise DomainError("validation_error: Broadcasts must be sent from a verified domain of your own.")
    sender = _sender(ctx, from_address, [])
    if not isinstance(subject, str) or not subject.strip():
        raise DomainError("validation_error: Missing `subject` field.")
    if not isinstance(name, str) or not name.strip():
        raise DomainError("validation_error: Missing `name` field.")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise DomainError("validation_error: A broadcast needs a `text` or an `html` body.")
    row = ctx.rows(Broadcast).insert(
        broadcast_id=_uuid(ctx), audience_id=audience["audience_id"], name=name.strip(), from_address=sender,
        subject=subject.strip(), text=text, html=html, status="draft", created_at=stamp(ctx.now), scheduled_at=None,
        sent_at=None, recipient_count=0,
    )  # fmt: skip
    return _broadcast_view(row)


@env.write(intents=["send the broadcast {broadcast_id}", "schedule broadcast {broadcast_id} for {scheduled_at}"])
def send_broadcast(ctx: ToolContext, broadcast_id: str, scheduled_at: str | None = None) -> BroadcastView:
    """Send a draft broadcast to its audience's subscribed contacts, now or later (Resend POST /broadcasts/{id}/send).

    Unsubscribed contacts are skipped; recipient_count is how many subscribed contacts it goes to.

    Args:
        broadcast_id: The draft broadcast's id.
        scheduled_at: When to send, ISO 8601, at most 30 days ahead; omit to send now.
    """
    row = ctx.rows(Broadcast).get(broadcast_id.strip().lower()) if isinstance(broadcast_id, str) else None
    if row is None:
        raise DomainError(f"not_found: Broadcast {broadcast_id} not found.")
    if row["status"] != "draft":
        raise DomainError(f"validation_error: Broadcast {row['name']!r} is already {row['status']}.")
    audience = ctx.rows(Audience).get(row["audience_id"])
    if audience is None:
        raise DomainError("validation_error: The broadcast's audience no longer exists.")
    subscribed = _audience_view(ctx, audience)["subscribed"]
    if subscribed == 0:
        raise DomainError(f"validation_error: The {audience['name']} audience has no subscribed contacts.")
    if scheduled_at is None:
        changes = {"status": "sent", "sent_at": stamp(ctx.now), "recipient_count": subscribed}
    else:
        changes = {"status": "scheduled", "scheduled_at": _schedule(ctx, scheduled_at), "recipient_count": subscribed}
    ctx.rows(Broadcast).update(row["broadcast_id"], **changes)
    return _broadcast_view({**row, **changes})
