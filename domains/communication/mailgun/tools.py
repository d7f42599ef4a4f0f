"""The Mailgun API v3 as tools: domains, sending, events, stats, suppressions, templates, lists, validation."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from email import message_from_string
from email.message import Message as EmailMessage
from email.utils import getaddresses
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    EVENT_TYPES,
    MAX_EVENT_PAGE,
    MAX_PAGE,
    MAX_RECIPIENTS,
    MAX_SCHEDULE_DAYS,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    TEMPLATE_VERSION_LIMIT,
    AllowlistEntry,
    AuthorizedRecipient,
    Bounce,
    Complaint,
    DnsRecord,
    Domain,
    DomainState,
    Event,
    EventType,
    ListMember,
    MailingList,
    Message,
    Resolution,
    Severity,
    SuppressionType,
    Template,
    TemplateVersion,
    Unsubscribe,
)
from .rules import is_role, is_valid_syntax, mailbox, parse_time, suggestion, suppression_reason

SUPPRESSION_MESSAGES = {
    "suppress-bounce": "Not delivering to previously bounced address",
    "suppress-unsubscribe": "Not delivering to unsubscribed address",
    "suppress-complaint": "Not delivering to a user who marked your messages as spam",
}
TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class DomainSummary(TypedDict):
    name: str
    state: str
    type: str
    region: str
    created_at: str


class DomainList(TypedDict):
    total_count: int
    items: list[DomainSummary]


class DnsRecordView(TypedDict):
    kind: str
    record_type: str
    name: str
    value: str
    valid: str


class DomainDetails(TypedDict):
    name: str
    state: str
    type: str
    region: str
    created_at: str
    last_checked_at: str | None
    sending_dns_records: list[DnsRecordView]
    receiving_dns_records: list[DnsRecordView]
    authorized_recipients: list[dict[str, Any]]


class SendResult(TypedDict):
    id: str
    message: str


class EventView(TypedDict):
    event_id: str
    timestamp: str
    event: str
    recipient: str
    message_id: str
    subject: str
    sender: str
    tags: list[str]
    template: str | None
    user_variables: dict[str, str]
    severity: str | None
    reason: str | None
    delivery_status: dict[str, Any] | None
    url: str | None


class EventPage(TypedDict):
    items: list[EventView]
    total: int
    next_offset: int | None


class StatsView(TypedDict):
    start: str
    end: str
    resolution: str
    tag: str | None
    stats: list[dict[str, Any]]
    totals: dict[str, Any]


class ValidationView(TypedDict):
    address: str
    is_valid: bool
    mx_found: bool
    is_disposable_address: bool
    is_role_address: bool
    result: str
    risk: str
    reason: list[str]
    did_you_mean: str | None


class SuppressionPage(TypedDict):
    type: str
    domain: str
    items: list[dict[str, Any]]
    total: int


class TemplateView(TypedDict):
    name: str
    description: str
    created_at: str
    versions: list[dict[str, Any]]


class ListView(TypedDict):
    address: str
    name: str
    description: str
    access_level: str
    members_count: int
    members: list[dict[str, Any]]
    total_members: int


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _page(limit: int, offset: int, most: int = MAX_PAGE) -> tuple[int, int]:
    if not 1 <= limit <= most:
        raise DomainError(f"limit must be between 1 and {most}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")
    return limit, offset


def _domain(ctx: ToolContext, name: str) -> dict[str, Any]:
    return ctx.rows(Domain).require(name.strip().lower(), missing=f"Domain not found: {name}.")


def _stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _records(ctx: ToolContext, name: str, purposes: tuple[str, ...]) -> list[DnsRecordView]:
    rows = ctx.rows(DnsRecord).find({"domain": name}, order_by="record_id")
    return [
        {
            "kind": r["kind"],
            "record_type": r["record_type"],
            "name": r["host"],
            "value": r["value"],
            "valid": "valid" if r["valid"] else "unknown",
        }
        for r in rows
        if r["purpose"] in purposes
    ]


def _details(ctx: ToolContext, row: dict[str, Any]) -> DomainDetails:
    recipients = (
        [
            {"address": r["address"], "activated": bool(r["activated"])}
            for r in ctx.query("SELECT * FROM authorized_recipients WHERE domain = ? ORDER BY address", [row["name"]])
        ]
        if row["is_sandbox"]
        else []
    )
    return {
        "name": row["name"],
        "state": row["state"],
        "type": "sandbox" if row["is_sandbox"] else "custom",
        "region": row["region"],
        "created_at": row["created_at"],
        "last_checked_at": row["last_checked_at"],
        "sending_dns_records": _records(ctx, row["name"], ("sending",)),
        "receiving_dns_records": _records(ctx, row["name"], ("receiving", "tracking")),
        "authorized_recipients": recipients,
    }


def _check_tags(tags: list[str]) -> list[str]:
    if len(tags) > MAX_TAGS:
        raise DomainError(f"A message can carry at most {MAX_TAGS} tags (o:tag); {len(tags)} were given.")
    for tag in tags:
        if not tag.strip() or len(tag) > MAX_TAG_LENGTH or not tag.isascii():
            raise DomainError(f"Tag '{tag}' must be 1-{MAX_TAG_LENGTH} ASCII characters.")
    if len(set(tags)) != len(tags):
        raise DomainError("The same tag was given twice.")
    return tags


def _delivery_time(ctx: ToolContext, deliverytime: str | None) -> str | None:
    if deliverytime is None:
        return None
    moment = parse_time(deliverytime, "o:deliverytime")
    if moment <= ctx.now:
        raise DomainError(f"o:deliverytime {_stamp(moment)} is in the past (it is now {_stamp(ctx.now)} UTC).")
    if moment > ctx.now + dt.timedelta(days=MAX_SCHEDULE_DAYS):
        raise DomainError(
            f"Messages can be scheduled at most {MAX_SCHEDULE_DAYS} days in advance "
            f"(until {_stamp(ctx.now + dt.timedelta(days=MAX_SCHEDULE_DAYS))} UTC)."
        )
    return _stamp(moment)


def _expand(ctx: ToolContext, addresses: list[str]) -> list[str]:
    """Recipients as delivered: a mailing list address stands for its subscribed members."""
    out: list[str] = []
    for address in addresses:
        if ctx.rows(MailingList).get(address):
            members = ctx.query(
                "SELECT address FROM list_members WHERE list_address = ? AND subscribed = 1 ORDER BY address", [address]
            )
            out.extend(m["address"] for m in members)
        else:
            out.append(address)
    return list(dict.fromkeys(out))


def _suppression_lists(ctx: ToolContext, domain: str) -> dict[str, Any]:
    return {
        "allow": {r["value"] for r in ctx.rows(AllowlistEntry).find({"domain": domain})},
        "bounces": {r["address"] for r in ctx.rows(Bounce).find({"domain": domain})},
        "complaints": {r["address"] for r in ctx.rows(Complaint).find({"domain": domain})},
        "unsubscribes": {r["address"]: r["tags"] for r in ctx.rows(Unsubscribe).find({"domain": domain})},
    }


def _queue(
    ctx: ToolContext,
    domain: str,
    sender: str,
    to: list[str],
    cc: list[str],
    bcc: list[str],
    subject: str,
    tags: list[str],
    variables: dict[str, str],
    testmode: bool,
    deliverytime: str | None,
    content: dict[str, Any],
) -> SendResult:
    """The rules every send shares, then the message row and its accepted (or failed) events."""
    row = _domain(ctx, domain)
    mailbox(sender)
    if not to:
        raise DomainError("'to' parameter is missing: give at least one recipient.")
    named = [mailbox(a) for a in [*to, *cc, *bcc]]
    if len(named) > MAX_RECIPIENTS:
        raise DomainError(
            f"Too many recipients: at most {MAX_RECIPIENTS:,} recipients across to, cc and bcc ({len(named):,} given)."
        )
    _check_tags(tags)
    if any(not isinstance(v, str) for v in variables.values()):
        raise DomainError("Custom variables (v:) must be strings.")
    deliver_at = _delivery_time(ctx, deliverytime)
    if row["state"] != "active":
        raise DomainError(
            f"Domain {row['name']} is not verified: publish its SPF and DKIM records and verify it before sending."
        )
    recipients = _expand(ctx, named)
    if row["is_sandbox"]:
        authorized = ctx.rows(AuthorizedRecipient).find({"domain": row["name"], "activated": 1})
        allowed = {r["address"] for r in authorized}
        blocked = [a for a in recipients if a not in allowed]
        if blocked:
            raise DomainError(
                f"Sandbox domains send only to authorized recipients; {blocked[0]} is not one. "
                "Add it as an authorized recipient (and have it accept) or send from your own domain."
            )
    if not recipients:
        raise DomainError("The mailing list has no subscribed members to send to.")
    if not testmode:
        account = ctx.query("SELECT daily_limit FROM accounts ORDER BY account_id LIMIT 1")[0]
        sent = ctx.query(
            "SELECT COUNT(*) AS n FROM events e JOIN messages m ON m.message_id = e.message_id "
            "WHERE e.event = 'accepted' AND m.testmode = 0 AND e.timestamp >= ?",
            [_stamp(ctx.now.replace(hour=0, minute=0, second=0))],
        )[0]["n"]
        if sent + len(recipients) > account["daily_limit"]:
            raise DomainError(
                f"Your plan's daily sending limit of {account['daily_limit']:,} recipients would be "
                f"exceeded ({sent} sent today, {len(recipients)} more requested)."
            )
    message_id = f"<{ctx.now:%Y%m%d%H%M%S}.{ctx.new_id(12, string.digits + 'abcdef')}@{row['name']}>"
    ctx.rows(Message).add(
        message_id=message_id,
        domain=row["name"],
        sender=sender.strip(),
        recipients=[a.strip() for a in to],
        cc=[a.strip() for a in cc],
        bcc=[a.strip() for a in bcc],
        subject=subject,
        tags=tags,
        variables=variables,
        testmode=int(testmode),
        deliver_at=deliver_at,
        created_at=_stamp(ctx.now),
        **content,
    )
    lists = _suppression_lists(ctx, row["name"])
    events = ctx.rows(Event)
    for address in recipients:
        events.add(
            event_id=ctx.new_id(20),
            timestamp=_stamp(ctx.now),
            event="accepted",
            domain=row["name"],
            message_id=message_id,
            recipient=address,
        )
        reason = suppression_reason(address, tags, lists)
        if reason:
            events.add(
                event_id=ctx.new_id(20),
                timestamp=_stamp(ctx.now),
                event="failed",
                domain=row["name"],
                message_id=message_id,
                recipient=address,
                severity="permanent",
                reason=reason,
                delivery_code=605,
                delivery_message=SUPPRESSION_MESSAGES[reason],
            )
    queued = f"Queued. Scheduled for delivery at {deliver_at} UTC." if deliver_at else "Queued. Thank you."
    return {"id": message_id, "message": queued}


def _event_view(row: dict[str, Any]) -> EventView:
    delivery = None
    if row["delivery_code"] is not None:
        delivery = {"code": row["delivery_code"], "message": row["delivery_message"]}
    return {
        "event_id": row["event_id"],
        "timestamp": row["timestamp"],
        "event": row["event"],
        "recipient": row["recipient"],
        "message_id": row["message_id"],
        "subject": row["subject"],
        "sender": row["sender"],
        "tags": json.loads(row["tags"] or "[]"),
        "template": row["template"],
        "user_variables": json.loads(row["variables"] or "{}"),
        "severity": row["severity"],
        "reason": row["reason"],
        "delivery_status": delivery,
        "url": row["url"],
    }


def _range_bound(value: str | None, what: str, *, end: bool) -> dt.datetime | None:
    if value is None:
        return None
    moment = parse_time(value, what)
    if end and len(value.strip()) == 10:  # a whole day: up to its last second
        moment += dt.timedelta(days=1, seconds=-1)
    return moment


def _template_version(ctx: ToolContext, domain: str, name: str, tag: str | None) -> dict[str, Any]:
    ctx.rows(Template).require(domain, name, missing=f"Template '{name}' not found on {domain}.")
    if tag is None:
        active = ctx.rows(TemplateVersion).find({"domain": domain, "template_name": name, "active": 1})
        if not active:
            raise DomainError(f"Template '{name}' has no active version.")
        return active[0]
    return ctx.rows(TemplateVersion).require(domain, name, tag, missing=f"Template '{name}' has no version '{tag}'.")


def _mime_bodies(parsed: EmailMessage | Any) -> tuple[str | None, str | None]:
    """The plain-text and HTML bodies of a parsed MIME message (the first of each)."""
    text = html = None
    for part in parsed.walk() if parsed.is_multipart() else [parsed]:
        if part.is_multipart():
            continue
        payload = part.get_payload()
        body = payload.strip() if isinstance(payload, str) else ""
        if part.get_content_type() == "text/html":
            html = html or body or None
        else:
            text = text or body or None
    return text, html


def _render(text: str, variables: dict[str, str]) -> str:
    return VARIABLE.sub(lambda m: variables.get(m.group(1), ""), text)


# --------------------------------------------------------------------------------------------------
# Domains
# --------------------------------------------------------------------------------------------------


@env.read(intents=["which sending domains do we have?", "list our {state} domains"])
def list_domains(ctx: ToolContext, state: DomainState | None = None, limit: int = 20, skip: int = 0) -> DomainList:
    """List the account's domains (GET /v3/domains) with their state: active or unverified.

    Args:
        state: Only domains in this state ('active' or 'unverified'); all when omitted.
        limit: Maximum number of domains to return (1-100).
        skip: Number of domains to skip, for paging.
    """
    limit, skip = _page(limit, skip)
    where = {"state": state} if state else None
    rows = ctx.rows(Domain).find(where, order_by="name")
    items: list[DomainSummary] = [
        {
            "name": r["name"],
            "state": r["state"],
            "type": "sandbox" if r["is_sandbox"] else "custom",
            "region": r["region"],
            "created_at": r["created_at"],
        }
        for r in rows[skip : skip + limit]
    ]
    return {"total_count": len(rows), "items": items}


@env.read(intents=["is {domain} verified?", "show me the DNS records for {domain}"])
def get_domain(ctx: ToolContext, domain: str) -> DomainDetails:
    """A domain's state and the DNS records Mailgun needs (GET /v3/domains/{domain}): sending records (SPF and
    DKIM TXT records, both needed to send), receiving (MX) and tracking (CNAME) records, each valid or unknown;
    for a sandbox domain also its authorized recipients.

    Args:
        domain: The domain name, such as 'mg.example.com'.
    """
    return _details(ctx, _domain(ctx, domain))


@env.write(intents=["check the DNS of {domain} again", "verify {domain}"])
def verify_domain(ctx: ToolContext, domain: str) -> DomainDetails:
    """Re-check the domain's DNS records now (PUT /v3/domains/{domain}/verify). Records the owner has published
    become valid; the domain turns active once its SPF and DKIM records are valid and stays unverified otherwise.

    Args:
        domain: The domain name to verify.
    """
    row = _domain(ctx, domain)
    records = ctx.rows(DnsRecord).find({"domain": row["name"]}, order_by="record_id")
    for record in records:
        ctx.rows(DnsRecord).update(record["record_id"], valid=record["published"])
    sending_ok = all(r["published"] for r in records if r["purpose"] == "sending")
    state = "active" if sending_ok else "unverified"
    ctx.rows(Domain).update(row["name"], state=state, last_checked_at=_stamp(ctx.now))
    return _details(ctx, ctx.rows(Domain).require(row["name"], missing="Domain vanished."))


# --------------------------------------------------------------------------------------------------
# Sending
# --------------------------------------------------------------------------------------------------


@env.write(
    intents=[
        "send an email from {sender} to {to} about {subject}",
        "email {to} with the subject {subject} through {domain}",
    ]
)
def send_email(
    ctx: ToolContext,
    domain: str,
    sender: str,
    to: list[str],
    subject: str | None = None,
    text: str | None = None,
    html: str | None = None,
    cc: list[str] | None = None,
    bcc: list[str] | None = None,
    template: str | None = None,
    template_version: str | None = None,
    tags: list[str] | None = None,
    variables: dict[str, str] | None = None,
    testmode: bool = False,
    deliverytime: str | None = None,
) -> SendResult:
    """Send a message through a domain (POST /v3/{domain}/messages). It is queued for every recipient; one on
    the domain's suppression lists is dropped with a failed event. Returns the message id.

    Args:
        domain: The sending domain, such as 'mg.example.com'; it must be active.
        sender: The From address, 'Name <address>' or a bare address.
        to: Recipient addresses; a mailing list address reaches its subscribed members.
        subject: The subject line (a template's version subject is used when omitted).
        text: Plain-text body.
        html: HTML body.
        cc: Carbon-copy addresses.
        bcc: Blind-copy addresses.
        template: Name of a stored template of the domain to render as the body (instead of text/html).
        template_version: Tag of the template version to use; the active version when omitted.
        tags: Up to 3 tags (o:tag) for stats and event filtering.
        variables: Custom variables (v:name) attached to the message and its events and filled into the template.
        testmode: True to accept the message without delivering it (o:testmode); it does not count to the limit.
        deliverytime: Schedule delivery at this UTC time, YYYY-MM-DDTHH:MM:SS or RFC 2822, at most 3 days
            ahead (o:deliverytime).
    """
    row = _domain(ctx, domain)
    variables = dict(sorted((variables or {}).items()))
    content: dict[str, Any] = {"text": text, "html": html, "from_mime": 0, "template": None, "template_version": None}
    if template is not None:
        version = _template_version(ctx, row["name"], template, template_version)
        content |= {
            "template": template,
            "template_version": version["tag"],
            "html": _render(version["template"], variables),
        }
        subject = subject or _render(version["subject"], variables)
    elif template_version is not None:
        raise DomainError("template_version needs a template.")
    if not (text or html or template):
        raise DomainError("Need at least one of 'text', 'html' or 'template' parameters specified.")
    if not subject or not subject.strip():
        raise DomainError("'subject' parameter is missing.")
    return _queue(
        ctx,
        row["name"],
        sender,
        to,
        cc or [],
        bcc or [],
        subject.strip(),
        tags or [],
        variables,
        testmode,
        deliverytime,
        content,
    )


@env.write(intents=["send this raw MIME message to {to} through {domain}"])
def send_mime_email(
    ctx: ToolContext,
    domain: str,
    to: list[str],
    message: str,
    tags: list[str] | None = None,
    variables: dict[str, str] | None = None,
    testmode: bool = False,
    deliverytime: str | None = None,
) -> SendResult:
    """Send a message already built in MIME format (POST /v3/{domain}/messages.mime). The From and Subject
    headers come from the MIME text; delivery goes to the addresses in 'to'.

    Args:
        domain: The sending domain; it must be active.
        to: Recipient addresses (the MIME To header is not used for delivery).
        message: The full MIME message: headers (at least From and Subject), a blank line, then the body.
        tags: Up to 3 tags (o:tag).
        variables: Custom variables (v:name) attached to the message and its events.
        testmode: True to accept the message without delivering it.
        deliverytime: Schedule delivery at this UTC time, YYYY-MM-DDTHH:MM:SS, at most 3 days ahead.
    """
    row = _domain(ctx, domain)
    if len(message) > 8000:
        raise DomainError("The MIME message is larger than this account allows (8,000 characters).")
    parsed = message_from_string(message)
    sender, subject = parsed.get("From"), parsed.get("Subject")
    if not sender or not subject:
        raise DomainError("The MIME message needs From and Subject headers.")
    text, html = _mime_bodies(parsed)
    if not (text or html):
        raise DomainError("The MIME message has no body.")
    cc = [a for _n, a in getaddresses(parsed.get_all("Cc", [])) if a]
    content = {"text": text, "html": html, "from_mime": 1, "template": None, "template_version": None}
    return _queue(
        ctx,
        row["name"],
        str(sender),
        to,
        cc,
        [],
        str(subject).strip(),
        tags or [],
        dict(sorted((variables or {}).items())),
        testmode,
        deliverytime,
        content,
    )


# --------------------------------------------------------------------------------------------------
# Events and stats
# --------------------------------------------------------------------------------------------------


@env.read(
    intents=[
        "what happened to the email to {recipient}?",
        "show the {event} events on {domain}",
        "why did mail to {recipient} fail?",
    ]
)
def get_events(
    ctx: ToolContext,
    domain: str,
    begin: str | None = None,
    end: str | None = None,
    event: EventType | None = None,
    recipient: str | None = None,
    tags: str | None = None,
    severity: Severity | None = None,
    message_id: str | None = None,
    ascending: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> EventPage:
    """Search the domain's event log (GET /v3/{domain}/events): what happened to each message and recipient.

    Args:
        domain: The sending domain.
        begin: Earliest time, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS UTC.
        end: Latest time (a bare date includes that whole day).
        event: Only one type: accepted, delivered, failed, opened, clicked, unsubscribed, complained, stored.
        recipient: Only events for this recipient address.
        tags: Only events of messages carrying this tag.
        severity: For failed events: 'permanent' (bounced or dropped) or 'temporary' (deferred, retried).
        message_id: Only events of this message (the id send_email returned).
        ascending: Oldest first when true; newest first by default.
        limit: Events per page (1-300).
        offset: Number of events to skip, for paging.
    """
    row = _domain(ctx, domain)
    limit, offset = _page(limit, offset, MAX_EVENT_PAGE)
    clauses, params = ["e.domain = ?"], [row["name"]]
    first, last = _range_bound(begin, "begin", end=False), _range_bound(end, "end", end=True)
    if first and last and first > last:
        raise DomainError("begin must be before end.")
    for clause, value in (
        ("e.timestamp >= ?", first and _stamp(first)),
        ("e.timestamp <= ?", last and _stamp(last)),
        ("e.event = ?", event),
        ("e.recipient = ?", recipient and recipient.strip().lower()),
        ("e.severity = ?", severity),
        ("e.message_id = ?", message_id and message_id.strip()),
        ("EXISTS (SELECT 1 FROM json_each(m.tags) WHERE json_each.value = ?)", tags),
    ):
        if value:
            clauses.append(clause)
            params.append(value)
    if event is not None and event not in EVENT_TYPES:
        raise DomainError(f"Unknown event type '{event}'.")
    sql = " FROM events e JOIN messages m ON m.message_id = e.message_id WHERE " + " AND ".join(clauses)
    total = ctx.query("SELECT COUNT(*) AS n" + sql, params)[0]["n"]
    order = "ASC" if ascending else "DESC"
    rows = ctx.query(
        "SELECT e.*, m.subject, m.sender, m.tags, m.template, m.variables"
        + sql
        + f" ORDER BY e.timestamp {order}, e.event_id {order} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    following = offset + limit if offset + limit < total else None
    return {"items": [_event_view(r) for r in rows], "total": total, "next_offset": following}


@env.read(
    intents=[
        "how many {event} emails did {domain} have?",
        "show stats for the {tag} tag",
    ]
)
def get_stats(
    ctx: ToolContext,
    domain: str,
    event: list[EventType],
    start: str | None = None,
    end: str | None = None,
    resolution: Resolution = "day",
    tag: str | None = None,
) -> StatsView:
    """Counts of events per time bucket and in total (GET /v3/{domain}/stats/total, or /tags/{tag}/stats).
    Failed counts are split into permanent and temporary.

    Args:
        domain: The sending domain.
        event: Event types to count, such as ['delivered', 'opened'].
        start: First day or time, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS UTC; 7 days before end when omitted.
        end: Last day or time (a bare date includes that whole day); now when omitted.
        resolution: Bucket size: 'hour', 'day' or 'month'.
        tag: Only messages carrying this tag.
    """
    row = _domain(ctx, domain)
    if not event:
        raise DomainError("Give at least one event type to count.")
    unknown = [e for e in event if e not in EVENT_TYPES]
    if unknown:
        raise DomainError(f"Unknown event type '{unknown[0]}'.")
    if resolution not in ("hour", "day", "month"):
        raise DomainError("resolution must be 'hour', 'day' or 'month'.")
    last = _range_bound(end, "end", end=True) or ctx.now
    first = _range_bound(start, "start", end=False) or (last - dt.timedelta(days=7))
    if first > last:
        raise DomainError("start must be before end.")
    width = {"hour": 13, "day": 10, "month": 7}[resolution]
    if resolution == "hour" and last - first > dt.timedelta(days=7):
        raise DomainError("Hourly stats cover at most 7 days.")
    params: list[Any] = [row["name"], _stamp(first), _stamp(last)]
    tag_clause = ""
    if tag is not None:
        if not ctx.query(
            "SELECT 1 FROM messages, json_each(messages.tags) WHERE domain = ? AND json_each.value = ? LIMIT 1",
            [row["name"], tag],
        ):
            raise DomainError(f"Tag '{tag}' not found on {row['name']}.")
        tag_clause = " AND EXISTS (SELECT 1 FROM json_each(m.tags) WHERE json_each.value = ?)"
        params.append(tag)
    counted = ctx.query(
        f"SELECT substr(e.timestamp, 1, {width}) AS bucket, e.event, e.severity, COUNT(*) AS n "
        "FROM events e JOIN messages m ON m.message_id = e.message_id "
        f"WHERE e.domain = ? AND e.timestamp >= ? AND e.timestamp <= ?{tag_clause} "
        "GROUP BY bucket, e.event, e.severity ORDER BY bucket",
        params,
    )

    def empty() -> dict[str, Any]:
        return {e: ({"permanent": 0, "temporary": 0, "total": 0} if e == "failed" else 0) for e in event}

    buckets: dict[str, dict[str, Any]] = {}
    totals = empty()
    for item in counted:
        if item["event"] not in event:
            continue
        bucket = buckets.setdefault(item["bucket"], empty())
        for target in (bucket, totals):
            if item["event"] == "failed":
                target["failed"][item["severity"] or "permanent"] += item["n"]
                target["failed"]["total"] += item["n"]
            else:
                target[item["event"]] += item["n"]
    stats = [{"time": key, **values} for key, values in sorted(buckets.items())]
    return {
        "start": _stamp(first),
        "end": _stamp(last),
        "resolution": resolution,
        "tag": tag,
        "stats": stats,
        "totals": totals,
    }


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------


@env.read(intents=["is {address} a real email address?", "check the signup address {address}"])
def validate_email(ctx: ToolContext, address: str) -> ValidationView:
    """Validate one address (GET /v4/address/validate): syntax, whether its domain has MX records, disposable
    and role addresses (info@, support@), a risk level (low, medium, high, unknown) and a did-you-mean
    suggestion for a mistyped provider.

    Args:
        address: The email address to check.
    """
    text = address.strip()
    if not text or len(text) > 320:
        raise DomainError("Give one email address to validate.")
    popular = [r["domain"] for r in ctx.query("SELECT domain FROM email_domains WHERE popular = 1 ORDER BY domain")]
    if not is_valid_syntax(text):
        host = text.rsplit("@", 1)[-1].lower() if "@" in text else ""
        guess = suggestion(host, popular) if host else None
        return {
            "address": text,
            "is_valid": False,
            "mx_found": False,
            "is_disposable_address": False,
            "is_role_address": False,
            "result": "undeliverable",
            "risk": "high",
            "reason": ["malformed_address"],
            "did_you_mean": f"{text.rsplit('@', 1)[0]}@{guess}" if guess else None,
        }
    local, host = text.rsplit("@", 1)
    host = host.lower()
    info = ctx.query("SELECT * FROM email_domains WHERE domain = ?", [host])
    mx = bool(info and info[0]["has_mx"])
    disposable = bool(info and info[0]["disposable"])
    role = is_role(text)
    guess = None if (info and info[0]["popular"]) else suggestion(host, popular)
    reasons: list[str] = []
    if not mx:
        reasons.append("no_mx_records")
    if disposable:
        reasons.append("disposable_address")
    if role:
        reasons.append("role_address")
    if not mx:
        result, risk = "undeliverable", "high"
    elif disposable:
        result, risk = "do_not_send", "high"
    elif role:
        result, risk = "deliverable", "medium"
    elif guess:
        result, risk = "unknown", "unknown"
    else:
        result, risk = "deliverable", "low"
    return {
        "address": text,
        "is_valid": mx and not disposable,
        "mx_found": mx,
        "is_disposable_address": disposable,
        "is_role_address": role,
        "result": result,
        "risk": risk,
        "reason": reasons,
        "did_you_mean": f"{local}@{guess}" if guess else None,
    }


# --------------------------------------------------------------------------------------------------
# Suppressions
# --------------------------------------------------------------------------------------------------

SUPPRESSION_MODELS: dict[str, Any] = {
    "bounces": Bounce,
    "unsubscribes": Unsubscribe,
    "complaints": Complaint,
    "allowlists": AllowlistEntry,
}


def _suppression_model(suppression_type: str) -> Any:
    model = SUPPRESSION_MODELS.get(suppression_type)
    if model is None:
        raise DomainError("suppression_type must be one of bounces, unsubscribes, complaints, allowlists.")
    return model


def _suppression_view(suppression_type: str, row: dict[str, Any]) -> dict[str, Any]:
    view = {k: v for k, v in row.items() if k != "domain"}
    if suppression_type == "allowlists":
        view = {"value": row["value"], "type": row["kind"], "reason": row["reason"], "created_at": row["created_at"]}
    return view


@env.read(
    intents=[
        "is {address} on the {suppression_type} list of {domain}?",
        "show the {suppression_type} of {domain}",
    ]
)
def list_suppressions(
    ctx: ToolContext,
    domain: str,
    suppression_type: SuppressionType,
    address: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SuppressionPage:
    """List a domain's suppressions of one type, newest first (GET /v3/{domain}/bounces, /unsubscribes,
    /complaints, /allowlists), or look up one address. Bounces carry the SMTP code and error; unsubscribes the
    tags they apply to ('*' for all mail).

    Args:
        domain: The sending domain.
        suppression_type: 'bounces', 'unsubscribes', 'complaints' or 'allowlists'.
        address: Only this address (or, for allowlists, this address or domain).
        limit: Maximum number of entries to return (1-100).
        offset: Number of entries to skip, for paging.
    """
    row = _domain(ctx, domain)
    model = _suppression_model(suppression_type)
    limit, offset = _page(limit, offset)
    key = "value" if suppression_type == "allowlists" else "address"
    where: dict[str, Any] = {"domain": row["name"]}
    if address is not None:
        where[key] = address.strip().lower()
    rows = ctx.rows(model).find(where, order_by=["-created_at", key])
    return {
        "type": suppression_type,
        "domain": row["name"],
        "total": len(rows),
        "items": [_suppression_view(suppression_type, r) for r in rows[offset : offset + limit]],
    }


@env.write(
    intents=[
        "stop sending to {address} from {domain}",
        "add {address} to the {suppression_type} list of {domain}",
    ]
)
def add_suppression(
    ctx: ToolContext,
    domain: str,
    suppression_type: SuppressionType,
    address: str,
    tag: str | None = None,
    code: str = "550",
    error: str = "Added manually",
    reason: str = "",
) -> dict[str, Any]:
    """Add an address to one of the domain's suppression lists (POST /v3/{domain}/{type}). An unsubscribe
    applies to all mail, or only to messages with `tag`; adding a tag to an existing unsubscribe extends it. An
    allowlist entry may be an address or a whole domain.

    Args:
        domain: The sending domain.
        suppression_type: 'bounces', 'unsubscribes', 'complaints' or 'allowlists'.
        address: The address (or, for allowlists, an address or a domain such as 'example.com').
        tag: For unsubscribes only: the tag to unsubscribe from; all mail when omitted.
        code: For bounces: the SMTP code to record.
        error: For bounces: the error text to record.
        reason: For allowlists: why the address is allowed.
    """
    row = _domain(ctx, domain)
    model = _suppression_model(suppression_type)
    if tag is not None and suppression_type != "unsubscribes":
        raise DomainError("Only unsubscribes can be limited to a tag.")
    stamp = _stamp(ctx.now)
    if suppression_type == "allowlists":
        value = address.strip().lower()
        kind = "address" if "@" in value else "domain"
        if kind == "address":
            value = mailbox(value)
        elif not re.match(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", value):
            raise DomainError(f"'{address}' is neither an email address nor a domain.")
        if ctx.rows(model).get(row["name"], value):
            raise DomainError(f"{value} is already on the allowlist of {row['name']}.")
        ctx.rows(model).add(domain=row["name"], value=value, kind=kind, reason=reason, created_at=stamp)
        return {"message": "Address/Domain has been added to the allowlists table", "value": value}
    clean = mailbox(address)
    existing = ctx.rows(model).get(row["name"], clean)
    if suppression_type == "unsubscribes":
        if tag is not None:
            _check_tags([tag])
        scope = [tag] if tag else ["*"]
        if existing:
            merged = ["*"] if "*" in existing["tags"] or scope == ["*"] else sorted({*existing["tags"], *scope})
            if merged == existing["tags"]:
                raise DomainError(f"{clean} is already unsubscribed from that on {row['name']}.")
            ctx.rows(model).update((row["name"], clean), tags=merged, created_at=stamp)
        else:
            ctx.rows(model).add(domain=row["name"], address=clean, tags=scope, created_at=stamp)
        return {"message": "Address has been added to the unsubscribes table", "address": clean}
    if existing:
        raise DomainError(f"{clean} is already on the {suppression_type} list of {row['name']}.")
    if suppression_type == "bounces":
        if not re.fullmatch(r"[45]\d\d", code):
            raise DomainError("A bounce code is a 4xx or 5xx SMTP code, such as '550'.")
        ctx.rows(model).add(domain=row["name"], address=clean, code=code, error=error, created_at=stamp)
    else:
        ctx.rows(model).add(domain=row["name"], address=clean, created_at=stamp)
    return {"message": f"Address has been added to the {suppression_type} table", "address": clean}


@env.write(
    intents=[
        "take {address} off the {suppression_type} list of {domain}",
        "let {domain} send to {address} again",
    ]
)
def delete_suppression(
    ctx: ToolContext, domain: str, suppression_type: SuppressionType, address: str, tag: str | None = None
) -> dict[str, Any]:
    """Remove an address from one of the domain's suppression lists (DELETE /v3/{domain}/{type}/{address}), so
    mail to it is sent again. For unsubscribes, `tag` removes only that tag's unsubscribe.

    Args:
        domain: The sending domain.
        suppression_type: 'bounces', 'unsubscribes', 'complaints' or 'allowlists'.
        address: The address (or allowlisted domain) to remove.
        tag: For unsubscribes only: remove only the unsubscribe from this tag.
    """
    row = _domain(ctx, domain)
    model = _suppression_model(suppression_type)
    value = address.strip().lower()
    existing = ctx.rows(model).get(row["name"], value)
    if existing is None:
        raise DomainError(f"{value} is not on the {suppression_type} list of {row['name']}.")
    if tag is not None:
        if suppression_type != "unsubscribes":
            raise DomainError("Only unsubscribes can be removed per tag.")
        if tag not in existing["tags"]:
            raise DomainError(
                f"{value} is not unsubscribed from the tag '{tag}' (it is: {', '.join(existing['tags'])})."
            )
        rest = [t for t in existing["tags"] if t != tag]
        if rest:
            ctx.rows(model).update((row["name"], value), tags=rest)
            return {"message": f"Unsubscribe from tag '{tag}' has been removed", "address": value}
    ctx.rows(model).delete(row["name"], value)
    return {"message": f"{value} has been removed from {suppression_type}", "address": value}


# --------------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------------


def _template_view(ctx: ToolContext, row: dict[str, Any]) -> TemplateView:
    versions = ctx.rows(TemplateVersion).find(
        {"domain": row["domain"], "template_name": row["name"]}, order_by="created_at"
    )
    return {
        "name": row["name"],
        "description": row["description"],
        "created_at": row["created_at"],
        "versions": [
            {
                "tag": v["tag"],
                "subject": v["subject"],
                "template": v["template"],
                "engine": v["engine"],
                "comment": v["comment"],
                "active": bool(v["active"]),
                "created_at": v["created_at"],
            }
            for v in versions
        ],
    }


@env.read(intents=["which templates does {domain} have?"])
def list_templates(ctx: ToolContext, domain: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """List a domain's stored templates (GET /v3/{domain}/templates) with their active version's tag.

    Args:
        domain: The sending domain.
        limit: Maximum number of templates to return (1-100).
        offset: Number of templates to skip, for paging.
    """
    row = _domain(ctx, domain)
    limit, offset = _page(limit, offset)
    return ctx.query(
        "SELECT t.name, t.description, t.created_at, v.tag AS active_version FROM templates t "
        "LEFT JOIN template_versions v ON v.domain = t.domain AND v.template_name = t.name AND v.active = 1 "
        "WHERE t.domain = ? ORDER BY t.name LIMIT ? OFFSET ?",
        [row["name"], limit, offset],
    )


@env.read(intents=["show me the {name} template on {domain}", "what versions does the {name} template have?"])
def get_template(ctx: ToolContext, domain: str, name: str) -> TemplateView:
    """A stored template with all its versions (GET /v3/{domain}/templates/{name}?active=yes): each version's
    tag, subject, content, comment and whether it is the active one.

    Args:
        domain: The sending domain.
        name: The template name, such as 'password-reset'.
    """
    row = _domain(ctx, domain)
    template = ctx.rows(Template).require(
        row["name"], name.strip(), missing=f"Template '{name}' not found on {row['name']}."
    )
    return _template_view(ctx, template)


def _check_content(template: str, tag: str) -> None:
    if not template.strip():
        raise DomainError("The template content is empty.")
    if len(template) > 4000:
        raise DomainError("Template content is limited to 4,000 characters here.")
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,40}", tag):
        raise DomainError("A version tag is 1-40 letters, digits, dots, dashes or underscores.")


@env.write(intents=["create a template called {name} on {domain}"])
def create_template(
    ctx: ToolContext,
    domain: str,
    name: str,
    template: str,
    subject: str,
    description: str = "",
    tag: str = "initial",
    comment: str = "",
) -> TemplateView:
    """Store a new template with its first version, which becomes active (POST /v3/{domain}/templates).
    Content uses Handlebars variables: {{first_name}}.

    Args:
        domain: The sending domain.
        name: Template name: lower-case letters, digits, dots, dashes, underscores.
        template: The HTML content of the first version.
        subject: The subject line used when a message with this template gives none.
        description: What the template is for.
        tag: Tag of the first version.
        comment: A note on the first version.
    """
    row = _domain(ctx, domain)
    name = name.strip()
    if not TEMPLATE_NAME.match(name):
        raise DomainError("A template name is lower-case letters, digits, dots, dashes or underscores (max 80).")
    if ctx.rows(Template).get(row["name"], name):
        raise DomainError(f"A template named '{name}' already exists on {row['name']}.")
    _check_content(template, tag)
    if not subject.strip():
        raise DomainError("Give the template a subject.")
    stamp = _stamp(ctx.now)
    ctx.rows(Template).add(domain=row["name"], name=name, description=description, created_at=stamp)
    ctx.rows(TemplateVersion).add(
        domain=row["name"],
        template_name=name,
        tag=tag,
        subject=subject.strip(),
        template=template,
        engine="handlebars",
        comment=comment,
        active=1,
        created_at=stamp,
    )
    return _template_view(ctx, ctx.rows(Template).require(row["name"], name, missing="Template vanished."))


@env.write(intents=["add a new version {tag} to the {name} template"])
def create_template_version(
    ctx: ToolContext,
    domain: str,
    name: str,
    tag: str,
    template: str,
    subject: str | None = None,
    comment: str = "",
    active: bool = True,
) -> TemplateView:
    """Add a version to a stored template (POST /v3/{domain}/templates/{name}/versions); an active new version
    replaces the previous active one. A template keeps at most 40 versions.

    Args:
        domain: The sending domain.
        name: The template name.
        tag: Tag of the new version, such as 'v3'.
        template: The HTML content.
        subject: Its subject line; the active version's subject when omitted.
        comment: A note on the version.
        active: Make it the version messages use.
    """
    row = _domain(ctx, domain)
    current = _template_version(ctx, row["name"], name.strip(), None)
    name = current["template_name"]
    _check_content(template, tag)
    versions = ctx.rows(TemplateVersion).find({"domain": row["name"], "template_name": name})
    if any(v["tag"] == tag for v in versions):
        raise DomainError(f"Template '{name}' already has a version '{tag}'.")
    if len(versions) >= TEMPLATE_VERSION_LIMIT:
        raise DomainError(f"Template '{name}' already has {TEMPLATE_VERSION_LIMIT} versions; delete one first.")
    if active:
        for version in versions:
            if version["active"]:
                ctx.rows(TemplateVersion).update((row["name"], name, version["tag"]), active=0)
    ctx.rows(TemplateVersion).add(
        domain=row["name"],
        template_name=name,
        tag=tag,
        subject=(subject or current["subject"]).strip(),
        template=template,
        engine="handlebars",
        comment=comment,
        active=int(active),
        created_at=_stamp(ctx.now),
    )
    return _template_view(ctx, ctx.rows(Template).require(row["name"], name, missing="Template vanished."))


# --------------------------------------------------------------------------------------------------
# Mailing lists
# --------------------------------------------------------------------------------------------------


def _list(ctx: ToolContext, address: str) -> dict[str, Any]:
    return ctx.rows(MailingList).require(address.strip().lower(), missing=f"Mailing list {address} not found.")


@env.read(intents=["which mailing lists do we have?"])
def list_mailing_lists(ctx: ToolContext) -> list[dict[str, Any]]:
    """All mailing lists of the account (GET /v3/lists/pages) with their member counts."""
    return ctx.query(
        "SELECT l.address, l.name, l.description, l.access_level, "
        "(SELECT COUNT(*) FROM list_members m WHERE m.list_address = l.address) AS members_count "
        "FROM mailing_lists l ORDER BY l.address"
    )


@env.read(intents=["who is on the {list_address} list?", "is {address} subscribed to {list_address}?"])
def get_mailing_list(
    ctx: ToolContext,
    list_address: str,
    address: str | None = None,
    subscribed: bool | None = None,
    limit: int = 20,
    offset: int = 0,
) -> ListView:
    """A mailing list and its members (GET /v3/lists/{list}/members/pages), or one member by address.

    Args:
        list_address: The list's address, such as 'newsletter@mg.example.com'.
        address: Only this member.
        subscribed: Only subscribed (true) or unsubscribed (false) members.
        limit: Maximum number of members to return (1-100).
        offset: Number of members to skip, for paging.
    """
    mailing = _list(ctx, list_address)
    limit, offset = _page(limit, offset)
    where: dict[str, Any] = {"list_address": mailing["address"]}
    if address is not None:
        where["address"] = address.strip().lower()
    if subscribed is not None:
        where["subscribed"] = int(subscribed)
    members = ctx.rows(ListMember).find(where, order_by="address")
    count = ctx.rows(ListMember).count({"list_address": mailing["address"]})
    return {
        "address": mailing["address"],
        "name": mailing["name"],
        "description": mailing["description"],
        "access_level": mailing["access_level"],
        "members_count": count,
        "total_members": len(members),
        "members": [
            {"address": m["address"], "name": m["name"], "subscribed": bool(m["subscribed"]), "vars": m["vars"]}
            for m in members[offset : offset + limit]
        ],
    }


@env.write(intents=["add {address} to the {list_address} list", "subscribe {name} to {list_address}"])
def add_list_member(
    ctx: ToolContext,
    list_address: str,
    address: str,
    name: str = "",
    vars: dict[str, str] | None = None,
    subscribed: bool = True,
    upsert: bool = False,
) -> dict[str, Any]:
    """Add a member to a mailing list (POST /v3/lists/{list}/members); with upsert an existing member is updated.

    Args:
        list_address: The list's address.
        address: The member's email address.
        name: The member's name.
        vars: Custom member variables, such as {"first_name": "Ana"}.
        subscribed: Whether the member receives list mail.
        upsert: Update the member if already on the list instead of refusing.
    """
    mailing = _list(ctx, list_address)
    clean = mailbox(address)
    existing = ctx.rows(ListMember).get(mailing["address"], clean)
    values = {"name": name.strip(), "subscribed": int(subscribed), "vars": dict(sorted((vars or {}).items()))}
    if existing and not upsert:
        raise DomainError(f"Address already exists: {clean} is already a member of {mailing['address']}.")
    if existing:
        ctx.rows(ListMember).update((mailing["address"], clean), **values)
    else:
        ctx.rows(ListMember).add(list_address=mailing["address"], address=clean, **values)
    return {
        "message": "Mailing list member has been created" if not existing else "Mailing list member updated",
        "member": {"address": clean, **values, "subscribed": subscribed},
    }


@env.write(intents=["unsubscribe {address} from {list_address}", "resubscribe {address} to {list_address}"])
def update_list_member(
    ctx: ToolContext,
    list_address: str,
    address: str,
    subscribed: bool | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """Change a list member (PUT /v3/lists/{list}/members/{address}): subscribe or unsubscribe them, or rename.

    Args:
        list_address: The list's address.
        address: The member's address.
        subscribed: True to receive list mail again, false to stop.
        name: A new name for the member.
    """
    mailing = _list(ctx, list_address)
    clean = address.strip().lower()
    member = ctx.rows(ListMember).require(
        mailing["address"], clean, missing=f"{clean} is not a member of {mailing['address']}."
    )
    changes: dict[str, Any] = {}
    if subscribed is not None and int(subscribed) != member["subscribed"]:
        changes["subscribed"] = int(subscribed)
    if name is not None and name.strip() != member["name"]:
        changes["name"] = name.strip()
    if not changes:
        raise DomainError(f"Nothing to change for {clean}: it is already like that.")
    ctx.rows(ListMember).update((mailing["address"], clean), **changes)
    updated = ctx.rows(ListMember).require(mailing["address"], clean, missing="Member vanished.")
    return {
        "message": "Mailing list member has been updated",
        "member": {"address": clean, "name": updated["name"], "subscribed": bool(updated["subscribed"])},
    }


@env.write(intents=["remove {address} from the {list_address} list"])
def delete_list_member(ctx: ToolContext, list_address: str, address: str) -> dict[str, Any]:
    """Remove a member from a mailing list (DELETE /v3/lists/{list}/members/{address}).

    Args:
        list_address: The list's address.
        address: The member's address.
    """
    mailing = _list(ctx, list_address)
    clean = address.strip().lower()
    ctx.rows(ListMember).require(mailing["address"], clean, missing=f"{clean} is not a member of {mailing['address']}.")
    ctx.rows(ListMember).delete(mailing["address"], clean)
    return {"message": "Mailing list member has been deleted", "member": {"address": clean}}
