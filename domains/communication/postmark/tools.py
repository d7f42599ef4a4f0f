"""The Postmark API as tools: servers and streams, senders, sending (single, template, batch), bounces,
outbound messages and their events, opens, stats and suppressions."""

from __future__ import annotations

import string
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    BOUNCE_CODES,
    INACTIVE_RECIPIENT,
    INVALID_EMAIL_REQUEST,
    MAX_BATCH,
    MAX_METADATA_KEYS,
    MAX_PAGE,
    MAX_RECIPIENTS,
    MAX_TAG_LENGTH,
    OK,
    SENDER_NOT_CONFIRMED,
    SENDER_NOT_FOUND,
    STREAM_MISMATCH,
    STREAM_NOT_FOUND,
    TEMPLATE_MODEL_MISSING,
    TEMPLATE_NOT_FOUND,
    Bounce,
    BounceType,
    Message,
    MessageEvent,
    MessageStatus,
    MessageStream,
    SenderSignature,
    SendingDomain,
    Server,
    Suppression,
    Template,
    TrackLinks,
)
from .rules import SendRefused, address_of, parse_day, render


class ServerView(TypedDict):
    server: str
    color: str
    track_opens: bool
    track_links: str
    message_streams: list[str]


class StreamView(TypedDict):
    stream_id: str
    name: str
    stream_type: str
    description: str
    archived: bool


class SignatureView(TypedDict):
    email_address: str
    name: str
    reply_to: str | None
    confirmed: bool
    created_at: str


class DomainView(TypedDict):
    name: str
    dkim_verified: bool
    return_path_verified: bool
    return_path_domain: str


class TemplateView(TypedDict):
    alias: str
    name: str
    subject: str
    stream_type: str
    model_fields: list[str]
    active: bool


class SendResult(TypedDict):
    to: str
    message_id: str | None
    submitted_at: str | None
    error_code: int
    message: str


class BatchMessage(TypedDict, total=False):
    sender: str
    to: list[str]
    cc: list[str]
    bcc: list[str]
    subject: str
    text_body: str
    html_body: str
    template_alias: str
    template_model: dict[str, str]
    tag: str
    metadata: dict[str, str]
    message_stream: str


class BounceView(TypedDict):
    bounce_id: int
    bounce_type: str
    type_code: int
    email: str
    message_id: str
    message_stream: str
    tag: str | None
    subject: str
    description: str
    details: str
    bounced_at: str
    inactive: bool
    can_activate: bool


class BouncePage(TypedDict):
    total_count: int
    bounces: list[BounceView]


class ActivationResult(TypedDict):
    message: str
    bounce: BounceView


class MessageSummary(TypedDict):
    message_id: str
    message_stream: str
    sender: str
    to: list[str]
    subject: str
    tag: str | None
    metadata: dict[str, str]
    status: str
    submitted_at: str


class MessagePage(TypedDict):
    total_count: int
    messages: list[MessageSummary]


class EventView(TypedDict):
    event_type: str
    recipient: str
    received_at: str
    details: dict[str, Any]


class MessageDetails(TypedDict):
    message_id: str
    message_stream: str
    sender: str
    to: list[str]
    cc: list[str]
    bcc: list[str]
    subject: str
    text_body: str | None
    tag: str | None
    metadata: dict[str, str]
    template_alias: str | None
    template_model: dict[str, str] | None
    track_opens: bool
    track_links: str
    status: str
    submitted_at: str
    message_events: list[EventView]


class OpenView(TypedDict):
    message_id: str
    recipient: str
    tag: str | None
    received_at: str
    client: str | None
    os: str | None
    platform: str | None
    country: str | None
    city: str | None


class OpenPage(TypedDict):
    total_count: int
    opens: list[OpenView]


class OutboundStats(TypedDict):
    sent: int
    bounced: int
    bounce_rate: float
    spam_complaints: int
    spam_complaints_rate: float
    tracked: int
    opens: int
    unique_opens: int
    total_clicks: int
    unique_links_clicked: int


class SuppressionView(TypedDict):
    email_address: str
    suppression_reason: str
    origin: str
    created_at: str


class SuppressionPage(TypedDict):
    message_stream: str
    suppressions: list[SuppressionView]


class SuppressionChange(TypedDict):
    email_address: str
    status: str
    message: str | None


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _page(count: int, offset: int, most: int = MAX_PAGE) -> None:
    if not 1 <= count <= most:
        raise DomainError(f"count must be between 1 and {most}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")


def _server(ctx: ToolContext, server: str) -> dict[str, Any]:
    row = ctx.rows(Server).first({"name": server.strip()})
    if row is None:
        names = ", ".join(r["name"] for r in ctx.rows(Server).find(order_by="name"))
        raise DomainError(f"No server named '{server}' on this account (servers: {names}).")
    return row


def _stream(ctx: ToolContext, server: dict[str, Any], stream_id: str) -> dict[str, Any]:
    row = ctx.rows(MessageStream).get(server["server_id"], stream_id.strip())
    if row is None:
        raise SendRefused(STREAM_NOT_FOUND, f"The message stream '{stream_id}' does not exist on '{server['name']}'.")
    return row


def _sender_check(ctx: ToolContext, sender: str) -> str:
    address = address_of(sender)
    signature = ctx.rows(SenderSignature).first({"email_address": address})
    if signature is not None and signature["confirmed"]:
        return address
    domain = ctx.rows(SendingDomain).first({"name": address.split("@", 1)[1]})
    if domain is not None and domain["dkim_verified"]:
        return address
    if signature is not None:
        raise SendRefused(
            SENDER_NOT_CONFIRMED,
            f"The sender signature {address} has not been confirmed yet: its owner must click the link Postmark "
            "emailed to it.",
        )
    raise SendRefused(
        SENDER_NOT_FOUND,
        f"The 'From' address {address} is not a confirmed Sender Signature and its domain is not verified on "
        "this account.",
    )


def _inactive(ctx: ToolContext, server_id: int, stream_id: str, addresses: list[str]) -> list[str]:
    return [a for a in addresses if ctx.rows(Suppression).get(server_id, stream_id, a) is not None]


def _bounce_view(row: dict[str, Any]) -> BounceView:
    return {
        "bounce_id": row["bounce_id"],
        "bounce_type": row["bounce_type"],
        "type_code": BOUNCE_CODES.get(row["bounce_type"], 0),
        "email": row["email"],
        "message_id": row["message_id"],
        "message_stream": row["stream_id"],
        "tag": row["tag"],
        "subject": row["subject"],
        "description": row["description"],
        "details": row["details"],
        "bounced_at": row["bounced_at"],
        "inactive": bool(row["inactive"]),
        "can_activate": bool(row["can_activate"]),
    }


def _template(ctx: ToolContext, server: dict[str, Any], alias: str) -> dict[str, Any]:
    row = ctx.rows(Template).first({"server_id": server["server_id"], "alias": alias.strip()})
    if row is None or not row["active"]:
        raise SendRefused(TEMPLATE_NOT_FOUND, f"The template '{alias}' was not found on '{server['name']}'.")
    return row


def _submit(ctx: ToolContext, server: dict[str, Any], spec: dict[str, Any]) -> SendResult:
    """Every rule a send shares, then the message row; a refusal raises SendRefused and writes nothing."""
    to = list(spec.get("to") or [])
    cc, bcc = list(spec.get("cc") or []), list(spec.get("bcc") or [])
    if not to:
        raise SendRefused(INVALID_EMAIL_REQUEST, "Zero recipients specified: give at least one To address.")
    recipients = [address_of(a) for a in [*to, *cc, *bcc]]
    if len(recipients) > MAX_RECIPIENTS:
        raise SendRefused(
            INVALID_EMAIL_REQUEST,
            f"Too many recipients: at most {MAX_RECIPIENTS} across To, Cc and Bcc ({len(recipients)} given).",
        )
    tag = spec.get("tag")
    if tag is not None and (not tag.strip() or len(tag) > MAX_TAG_LENGTH):
        raise SendRefused(INVALID_EMAIL_REQUEST, f"A Tag must be 1-{MAX_TAG_LENGTH} characters.")
    metadata = dict(sorted((spec.get("metadata") or {}).items()))  # stored in one canonical key order
    if len(metadata) > MAX_METADATA_KEYS:
        raise SendRefused(INVALID_EMAIL_REQUEST, f"Metadata may have at most {MAX_METADATA_KEYS} keys.")
    sender = spec.get("sender") or ""
    _sender_check(ctx, sender)
    stream = _stream(ctx, server, spec.get("message_stream") or "outbound")
    if stream["stream_type"] == "Inbound":
        raise SendRefused(STREAM_MISMATCH, f"'{stream['stream_id']}' is an inbound stream: it receives mail only.")
    if stream["archived"]:
        raise SendRefused(STREAM_NOT_FOUND, f"The message stream '{stream['stream_id']}' is archived.")
    subject, text_body, html_body = spec.get("subject"), spec.get("text_body"), spec.get("html_body")
    alias, model = spec.get("template_alias"), spec.get("template_model")
    if alias is not None:
        template = _template(ctx, server, alias)
        if template["stream_type"] != stream["stream_type"]:
            kind = "broadcast" if template["stream_type"] == "Broadcasts" else "transactional"
            raise SendRefused(
                STREAM_MISMATCH,
                f"The template '{template['alias']}' is {kind} mail and cannot go through the "
                f"{stream['stream_type'].lower()} stream '{stream['stream_id']}'; use a "
                f"{'broadcast' if kind == 'broadcast' else 'transactional'} stream.",
            )
        model = {str(k): str(v) for k, v in sorted((model or {}).items())}
        missing = [f for f in template["model_fields"] if not model.get(f)]
        if missing:
            raise SendRefused(TEMPLATE_MODEL_MISSING, f"The TemplateModel is missing {', '.join(missing)}.")
        subject, text_body = render(template["subject"], model), render(template["text_body"], model)
        alias = template["alias"]
    elif not subject or not (text_body or html_body):
        raise SendRefused(INVALID_EMAIL_REQUEST, "Provide a Subject and a TextBody or HtmlBody (or a template).")
    inactive = _inactive(ctx, server["server_id"], stream["stream_id"], recipients)
    if inactive:
        raise SendRefused(
            INACTIVE_RECIPIENT,
            f"You tried to send to recipient(s) marked as inactive on '{stream['stream_id']}': "
            f"{', '.join(inactive)}. Inactive recipients are ones that generated a hard bounce or a spam complaint.",
        )
    track_links = spec.get("track_links") or server["track_links"]
    track_opens = spec.get("track_opens")
    message_id = "-".join(ctx.new_id(n, string.digits + "abcdef") for n in (8, 4, 4, 4, 12))
    submitted = ctx.now.replace(microsecond=0).isoformat()
    ctx.rows(Message).add(
        message_id=message_id,
        server_id=server["server_id"],
        stream_id=stream["stream_id"],
        sender=sender.strip(),
        to=[a.strip() for a in to],
        cc=[a.strip() for a in cc],
        bcc=[a.strip() for a in bcc],
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        tag=tag,
        meta=metadata,
        template_alias=alias,
        template_model=model if alias else None,
        track_opens=int(server["track_opens"] if track_opens is None else track_opens),
        track_links=track_links,
        status="Sent",
        submitted_at=submitted,
    )
    return {
        "to": ", ".join(a.strip() for a in to),
        "message_id": message_id,
        "submitted_at": submitted,
        "error_code": OK,
        "message": "OK",
    }


def _refusal(error: SendRefused) -> DomainError:
    return DomainError(str(error))


# --------------------------------------------------------------------------------------------------
# Servers, streams, senders, templates
# --------------------------------------------------------------------------------------------------


@env.read(intents=["which Postmark servers do we have?", "list our servers"])
def list_servers(ctx: ToolContext) -> list[ServerView]:
    """List the account's servers (GET /servers) with their tracking defaults and message stream ids."""
    out: list[ServerView] = []
    for row in ctx.rows(Server).find(order_by="server_id"):
        streams = ctx.rows(MessageStream).find({"server_id": row["server_id"]}, order_by="stream_id")
        out.append(
            {
                "server": row["name"],
                "color": row["color"],
                "track_opens": bool(row["track_opens"]),
                "track_links": row["track_links"],
                "message_streams": [s["stream_id"] for s in streams],
            }
        )
    return out


@env.read(intents=["what message streams does {server} have?"])
def list_message_streams(ctx: ToolContext, server: str) -> list[StreamView]:
    """List a server's message streams (GET /message-streams): transactional, broadcast and inbound.

    Args:
        server: The server's name, such as 'Tallyfox Production'.
    """
    row = _server(ctx, server)
    return [
        {
            "stream_id": s["stream_id"],
            "name": s["name"],
            "stream_type": s["stream_type"],
            "description": s["description"],
            "archived": bool(s["archived"]),
        }
        for s in ctx.rows(MessageStream).find({"server_id": row["server_id"]}, order_by="stream_id")
    ]


def _signature_view(row: dict[str, Any]) -> SignatureView:
    return {
        "email_address": row["email_address"],
        "name": row["name"],
        "reply_to": row["reply_to"],
        "confirmed": bool(row["confirmed"]),
        "created_at": row["created_at"],
    }


@env.read(intents=["which sender signatures do we have?", "is {email_address} confirmed as a sender?"])
def list_sender_signatures(ctx: ToolContext, email_address: str | None = None) -> list[SignatureView]:
    """List the account's sender signatures (GET /senders): single From addresses, confirmed or not.

    Args:
        email_address: Only this address; all signatures when omitted.
    """
    where = {"email_address": email_address.strip().lower()} if email_address else None
    return [_signature_view(r) for r in ctx.rows(SenderSignature).find(where, order_by="email_address")]


@env.write(intents=["add {email_address} as a sender signature for {name}"])
def create_sender_signature(
    ctx: ToolContext, email_address: str, name: str, reply_to: str | None = None
) -> SignatureView:
    """Create a sender signature (POST /senders). Postmark emails a confirmation link to the address; it can
    send only once confirmed. An address on a DKIM-verified domain needs no signature.

    Args:
        email_address: The From address to add.
        name: The From name shown to recipients.
        reply_to: An optional Reply-To address.
    """
    try:
        address = address_of(email_address)
        reply = address_of(reply_to) if reply_to else None
    except SendRefused as error:
        raise _refusal(error) from None
    if not name.strip():
        raise DomainError("A sender signature needs a From name.")
    if ctx.rows(SenderSignature).first({"email_address": address}) is not None:
        raise DomainError(f"A sender signature for {address} already exists.")
    free = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com")
    if address.split("@", 1)[1] in free:
        raise DomainError(f"Postmark does not accept public mailbox domains as senders ({address}).")
    row = ctx.rows(SenderSignature).insert(
        email_address=address,
        name=name.strip(),
        reply_to=reply,
        confirmed=0,
        created_at=ctx.now.replace(microsecond=0).isoformat(),
    )
    return _signature_view(row)


@env.read(intents=["which of our domains are verified?"])
def list_domains(ctx: ToolContext) -> list[DomainView]:
    """List the account's domains (GET /domains) with their DKIM and Return-Path verification."""
    return [
        {
            "name": r["name"],
            "dkim_verified": bool(r["dkim_verified"]),
            "return_path_verified": bool(r["return_path_verified"]),
            "return_path_domain": r["return_path_domain"],
        }
        for r in ctx.rows(SendingDomain).find(order_by="name")
    ]


@env.read(intents=["which templates does {server} have?"])
def list_templates(ctx: ToolContext, server: str) -> list[TemplateView]:
    """List a server's templates (GET /templates): alias, subject, the stream type they are built for and the
    TemplateModel fields they need.

    Args:
        server: The server's name.
    """
    row = _server(ctx, server)
    return [
        {
            "alias": t["alias"],
            "name": t["name"],
            "subject": t["subject"],
            "stream_type": t["stream_type"],
            "model_fields": t["model_fields"],
            "active": bool(t["active"]),
        }
        for t in ctx.rows(Template).find({"server_id": row["server_id"]}, order_by="alias")
    ]


# --------------------------------------------------------------------------------------------------
# Sending
# --------------------------------------------------------------------------------------------------


@env.write(intents=["email {to} from {sender} about {subject}", "send {subject} to {to} through {server}"])
def send_email(
    ctx: ToolContext,
    server: str,
    sender: str,
    to: list[str],
    subject: str,
    text_body: str | None = None,
    html_body: str | None = None,
    cc: list[str] | None = None,
    bcc: list[str] | None = None,
    tag: str | None = None,
    metadata: dict[str, str] | None = None,
    track_opens: bool | None = None,
    track_links: TrackLinks | None = None,
    message_stream: str = "outbound",
) -> SendResult:
    """Send one email (POST /email). Refused with Postmark's ErrorCode (300 invalid request, 400/401 sender,
    406 inactive recipient, 1235/1236 stream) and nothing is sent.

    Args:
        server: The server's name (whose API token sends it).
        sender: The From address, 'Name <address>' or a bare address.
        to: Recipient addresses (at most 50 across To, Cc and Bcc).
        subject: The subject line.
        text_body: Plain-text body (a text or HTML body is required).
        html_body: HTML body.
        cc: Cc addresses.
        bcc: Bcc addresses.
        tag: One tag for stats and search (up to 1,000 characters).
        metadata: Up to 10 key/value strings stored with the message.
        track_opens: Track opens; the server's default when omitted.
        track_links: None, HtmlAndText, HtmlOnly or TextOnly; the server's default when omitted.
        message_stream: The stream id; 'outbound' (the default transactional stream) when omitted.
    """
    row = _server(ctx, server)
    spec = {
        "sender": sender,
        "to": to,
        "cc": cc,
        "bcc": bcc,
        "subject": subject,
        "text_body": text_body,
        "html_body": html_body,
        "tag": tag,
        "metadata": metadata,
        "track_opens": track_opens,
        "track_links": track_links,
        "message_stream": message_stream,
    }
    try:
        return _submit(ctx, row, spec)
    except SendRefused as error:
        raise _refusal(error) from None


@env.write(intents=["send the {template_alias} template to {to}"])
def send_email_with_template(
    ctx: ToolContext,
    server: str,
    sender: str,
    to: list[str],
    template_alias: str,
    template_model: dict[str, str],
    cc: list[str] | None = None,
    bcc: list[str] | None = None,
    tag: str | None = None,
    metadata: dict[str, str] | None = None,
    track_opens: bool | None = None,
    track_links: TrackLinks | None = None,
    message_stream: str = "outbound",
) -> SendResult:
    """Send one email from a template (POST /email/withTemplate): the subject and body are rendered from the
    template with the TemplateModel, which must fill every field the template needs. A template built for
    broadcasts goes only through a broadcast stream, a transactional one only through a transactional stream.

    Args:
        server: The server's name.
        sender: The From address.
        to: Recipient addresses.
        template_alias: The template's alias, such as 'receipt'.
        template_model: The values for the template's fields.
        cc: Cc addresses.
        bcc: Bcc addresses.
        tag: One tag.
        metadata: Up to 10 key/value strings.
        track_opens: Track opens; the server's default when omitted.
        track_links: None, HtmlAndText, HtmlOnly or TextOnly; the server's default when omitted.
        message_stream: The stream id; 'outbound' when omitted.
    """
    row = _server(ctx, server)
    spec = {
        "sender": sender,
        "to": to,
        "cc": cc,
        "bcc": bcc,
        "template_alias": template_alias,
        "template_model": template_model,
        "tag": tag,
        "metadata": metadata,
        "track_opens": track_opens,
        "track_links": track_links,
        "message_stream": message_stream,
    }
    try:
        return _submit(ctx, row, spec)
    except SendRefused as error:
        raise _refusal(error) from None


@env.write(intents=["send this batch of emails through {server}"])
def send_email_batch(ctx: ToolContext, server: str, messages: list[BatchMessage]) -> list[SendResult]:
    """Send up to 500 messages in one call (POST /email/batch). Each message has sender, to, and either
    subject with text_body/html_body or template_alias with template_model, plus optional cc, bcc, tag,
    metadata and message_stream ('outbound' when omitted). Each gets its own result: error_code 0 and a
    message_id when sent, else Postmark's error code and reason; a refused message does not stop the others.

    Args:
        server: The server's name.
        messages: The messages, 1 to 500.
    """
    row = _server(ctx, server)
    if not 1 <= len(messages) <= MAX_BATCH:
        raise DomainError(f"A batch holds 1 to {MAX_BATCH} messages ({len(messages)} given).")
    results: list[SendResult] = []
    for spec in messages:
        try:
            results.append(_submit(ctx, row, dict(spec)))
        except SendRefused as error:
            to = ", ".join(spec.get("to") or [])
            results.append(
                {"to": to, "message_id": None, "submitted_at": None, "error_code": error.code, "message": error.text}
            )
    return results


# --------------------------------------------------------------------------------------------------
# Bounces
# --------------------------------------------------------------------------------------------------


@env.read(intents=["which addresses hard-bounced on {server}?", "did {email_filter} bounce?"])
def get_bounces(
    ctx: ToolContext,
    server: str,
    bounce_type: BounceType | None = None,
    inactive: bool | None = None,
    email_filter: str | None = None,
    tag: str | None = None,
    message_stream: str | None = None,
    from_date: str | None = None,
    to_date: str | None = None,
    count: int = 50,
    offset: int = 0,
) -> BouncePage:
    """Search a server's bounces (GET /bounces), newest first.

    Args:
        server: The server's name.
        bounce_type: Only this type (HardBounce, SoftBounce, Transient, SpamComplaint, ...).
        inactive: Only bounces that deactivated their recipient (true) or did not (false).
        email_filter: Only addresses containing this text.
        tag: Only bounces of messages with this tag.
        message_stream: Only this stream.
        from_date: Bounced on or after (YYYY-MM-DD or a UTC time).
        to_date: Bounced on or before (a date means up to its end).
        count: How many to return (1-500).
        offset: How many to skip.
    """
    _page(count, offset)
    row = _server(ctx, server)
    sql = "SELECT * FROM bounces WHERE server_id = ?"
    params: list[Any] = [row["server_id"]]
    for column, value in (("bounce_type", bounce_type), ("tag", tag), ("stream_id", message_stream)):
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    if inactive is not None:
        sql += " AND inactive = ?"
        params.append(int(inactive))
    if email_filter:
        sql += " AND email LIKE ?"
        params.append(f"%{email_filter.strip().lower()}%")
    if from_date:
        sql += " AND bounced_at >= ?"
        params.append(parse_day(from_date, "from_date"))
    if to_date:
        sql += " AND bounced_at <= ?"
        params.append(parse_day(to_date, "to_date", end=True))
    rows = ctx.query(sql + " ORDER BY bounced_at DESC, bounce_id DESC", params)
    return {"total_count": len(rows), "bounces": [_bounce_view(r) for r in rows[offset : offset + count]]}


def _bounce(ctx: ToolContext, server: str, bounce_id: int) -> dict[str, Any]:
    row = _server(ctx, server)
    bounce = ctx.rows(Bounce).get(bounce_id)
    if bounce is None or bounce["server_id"] != row["server_id"]:
        raise DomainError(f"No bounce {bounce_id} on '{row['name']}'.")
    return bounce


@env.read(intents=["show bounce {bounce_id}"])
def get_bounce(ctx: ToolContext, server: str, bounce_id: int) -> BounceView:
    """One bounce (GET /bounces/{bounceid}).

    Args:
        server: The server's name.
        bounce_id: The bounce's id, from get_bounces.
    """
    return _bounce_view(_bounce(ctx, server, bounce_id))


@env.write(intents=["reactivate {bounce_id}"])
def activate_bounce(ctx: ToolContext, server: str, bounce_id: int) -> ActivationResult:
    """Reactivate a bounced recipient (PUT /bounces/{bounceid}/activate): it is taken off its stream's
    suppression list and can be sent to again. Only a bounce with can_activate can be; a spam complaint never.

    Args:
        server: The server's name.
        bounce_id: The bounce's id.
    """
    bounce = _bounce(ctx, server, bounce_id)
    if bounce["bounce_type"] == "SpamComplaint":
        raise DomainError(
            f"{bounce['email']} marked our mail as spam: a spam complaint cannot be reactivated through the API."
        )
    if not bounce["inactive"]:
        raise DomainError(f"{bounce['email']} is not inactive: bounce {bounce_id} does not need reactivating.")
    if not bounce["can_activate"]:
        raise DomainError(f"Bounce {bounce_id} cannot be activated.")
    ctx.rows(Bounce).update(bounce_id, inactive=0, can_activate=0)
    if ctx.rows(Suppression).get(bounce["server_id"], bounce["stream_id"], bounce["email"]) is not None:
        ctx.rows(Suppression).delete(bounce["server_id"], bounce["stream_id"], bounce["email"])
    updated = ctx.rows(Bounce).require(bounce_id, missing="Bounce vanished.")
    return {"message": "OK", "bounce": _bounce_view(updated)}


# --------------------------------------------------------------------------------------------------
# Outbound messages, opens, stats
# --------------------------------------------------------------------------------------------------


def _summary(row: dict[str, Any]) -> MessageSummary:
    return {
        "message_id": row["message_id"],
        "message_stream": row["stream_id"],
        "sender": row["sender"],
        "to": row["to"],
        "subject": row["subject"],
        "tag": row["tag"],
        "metadata": row["meta"],
        "status": row["status"],
        "submitted_at": row["submitted_at"],
    }


@env.read(intents=["find the emails we sent {recipient}", "show {tag} messages sent through {server}"])
def search_outbound_messages(
    ctx: ToolContext,
    server: str,
    recipient: str | None = None,
    tag: str | None = None,
    status: MessageStatus | None = None,
    message_stream: str | None = None,
    from_date: str | None = None,
    to_date: str | None = None,
    count: int = 50,
    offset: int = 0,
) -> MessagePage:
    """Search a server's sent messages (GET /messages/outbound), newest first.

    Args:
        server: The server's name.
        recipient: Only messages to this address (To, Cc or Bcc).
        tag: Only messages with this tag.
        status: Sent or Queued.
        message_stream: Only this stream.
        from_date: Submitted on or after (YYYY-MM-DD or a UTC time).
        to_date: Submitted on or before (a date means up to its end).
        count: How many to return (1-500).
        offset: How many to skip.
    """
    _page(count, offset)
    row = _server(ctx, server)
    sql = "SELECT m.* FROM messages m WHERE m.server_id = ?"
    params: list[Any] = [row["server_id"]]
    for column, value in (("tag", tag), ("status", status), ("stream_id", message_stream)):
        if value is not None:
            sql += f" AND m.{column} = ?"
            params.append(value)
    if recipient:
        # To, Cc and Bcc are JSON lists of 'Name <address>' or bare addresses
        sql += ' AND (instr(lower(m."to" || m.cc || m.bcc), ?) > 0 OR instr(lower(m."to" || m.cc || m.bcc), ?) > 0)'
        address = recipient.strip().lower()
        params.extend([f"<{address}>", f'"{address}"'])
    if from_date:
        sql += " AND m.submitted_at >= ?"
        params.append(parse_day(from_date, "from_date"))
    if to_date:
        sql += " AND m.submitted_at <= ?"
        params.append(parse_day(to_date, "to_date", end=True))
    rows = ctx.rows(Message)
    found = ctx.query(sql + " ORDER BY m.submitted_at DESC, m.message_id", params)
    page = [rows.require(r["message_id"], missing="gone") for r in found[offset : offset + count]]
    return {"total_count": len(found), "messages": [_summary(r) for r in page]}


def _event_view(row: dict[str, Any]) -> EventView:
    details: dict[str, Any] = {}
    if row["event_type"] == "Opened":
        details = {
            "client": row["client"],
            "os": row["os"],
            "platform": row["platform"],
            "geo": {"country": row["country"], "city": row["city"]},
        }
    elif row["event_type"] == "LinkClicked":
        details = {"original_link": row["url"], "client": row["client"]}
    elif row["details"]:
        details = {"summary": row["details"]}
    return {
        "event_type": row["event_type"],
        "recipient": row["recipient"],
        "received_at": row["received_at"],
        "details": details,
    }


def _message(ctx: ToolContext, server: str, message_id: str) -> dict[str, Any]:
    row = _server(ctx, server)
    message = ctx.rows(Message).get(message_id.strip())
    if message is None or message["server_id"] != row["server_id"]:
        raise DomainError(f"No outbound message {message_id} on '{row['name']}'.")
    return message


@env.read(intents=["what happened to message {message_id}?"])
def get_message_details(ctx: ToolContext, server: str, message_id: str) -> MessageDetails:
    """One sent message with its events (GET /messages/outbound/{messageid}/details): Delivered, Opened (client,
    OS, geo), LinkClicked, Bounced, SpamComplaint; also the template alias and TemplateModel it was sent with.

    Args:
        server: The server's name.
        message_id: The MessageID.
    """
    m = _message(ctx, server, message_id)
    events = ctx.rows(MessageEvent).find({"message_id": m["message_id"]}, order_by="received_at")
    return {
        **_summary(m),
        "cc": m["cc"],
        "bcc": m["bcc"],
        "text_body": m["text_body"],
        "template_alias": m["template_alias"],
        "template_model": m["template_model"],
        "track_opens": bool(m["track_opens"]),
        "track_links": m["track_links"],
        "message_events": [_event_view(e) for e in events],
    }  # type: ignore[typeddict-item]


@env.read(intents=["who opened message {message_id}?", "opens of the {tag} emails"])
def get_message_opens(
    ctx: ToolContext,
    server: str,
    message_id: str | None = None,
    recipient: str | None = None,
    tag: str | None = None,
    country: str | None = None,
    count: int = 50,
    offset: int = 0,
) -> OpenPage:
    """Open events (GET /messages/outbound/opens, or one message's opens), newest first, with the email
    client, OS, platform and location of each open.

    Args:
        server: The server's name.
        message_id: Only the opens of this message.
        recipient: Only opens by this address.
        tag: Only opens of messages with this tag.
        country: Only opens from this country.
        count: How many to return (1-500).
        offset: How many to skip.
    """
    _page(count, offset)
    row = _server(ctx, server)
    sql = (
        "SELECT e.*, m.tag FROM message_events e JOIN messages m ON m.message_id = e.message_id "
        "WHERE m.server_id = ? AND e.event_type = 'Opened'"
    )
    params: list[Any] = [row["server_id"]]
    if message_id:
        _message(ctx, server, message_id)
        sql += " AND e.message_id = ?"
        params.append(message_id.strip())
    for column, value in (
        ("e.recipient", recipient and recipient.strip().lower()),
        ("m.tag", tag),
        ("e.country", country),
    ):
        if value:
            sql += f" AND {column} = ?"
            params.append(value)
    rows = ctx.query(sql + " ORDER BY e.received_at DESC, e.event_id DESC", params)
    opens: list[OpenView] = [
        {
            "message_id": r["message_id"],
            "recipient": r["recipient"],
            "tag": r["tag"],
            "received_at": r["received_at"],
            "client": r["client"],
            "os": r["os"],
            "platform": r["platform"],
            "country": r["country"],
            "city": r["city"],
        }
        for r in rows[offset : offset + count]
    ]
    return {"total_count": len(rows), "opens": opens}


@env.read(intents=["how many unique opens did the {tag} emails get?", "outbound stats for {server}"])
def get_outbound_stats(
    ctx: ToolContext,
    server: str,
    tag: str | None = None,
    from_date: str | None = None,
    to_date: str | None = None,
    message_stream: str | None = None,
) -> OutboundStats:
    """Outbound overview (GET /stats/outbound) for messages submitted in the date range: sent, bounced, spam
    complaints and their rates, tracked messages, opens, unique opens (messages opened at least once),
    total clicks and unique links clicked.

    Args:
        server: The server's name.
        tag: Only messages with this tag.
        from_date: First day (YYYY-MM-DD), inclusive.
        to_date: Last day (YYYY-MM-DD), inclusive.
        message_stream: Only this stream.
    """
    row = _server(ctx, server)
    where = "m.server_id = ?"
    params: list[Any] = [row["server_id"]]
    for column, value in (("m.tag", tag), ("m.stream_id", message_stream)):
        if value is not None:
            where += f" AND {column} = ?"
            params.append(value)
    if from_date:
        where += " AND m.submitted_at >= ?"
        params.append(parse_day(from_date, "from_date"))
    if to_date:
        where += " AND m.submitted_at <= ?"
        params.append(parse_day(to_date, "to_date", end=True))
    totals = ctx.query(
        f"SELECT COUNT(*) AS sent, COALESCE(SUM(m.track_opens), 0) AS tracked FROM messages m WHERE {where}", params
    )[0]
    events = ctx.query(
        "SELECT e.event_type, COUNT(*) AS n, COUNT(DISTINCT e.message_id || '|' || e.recipient) AS uniq, "
        "COUNT(DISTINCT e.message_id || '|' || COALESCE(e.url, '')) AS links "
        f"FROM message_events e JOIN messages m ON m.message_id = e.message_id WHERE {where} GROUP BY e.event_type",
        params,
    )
    by_type = {e["event_type"]: e for e in events}

    def n(kind: str, key: str = "n") -> int:
        return int(by_type[kind][key]) if kind in by_type else 0

    sent = int(totals["sent"])
    bounced, spam = n("Bounced"), n("SpamComplaint")
    return {
        "sent": sent,
        "bounced": bounced,
        "bounce_rate": round(100 * bounced / sent, 2) if sent else 0.0,
        "spam_complaints": spam,
        "spam_complaints_rate": round(100 * spam / sent, 2) if sent else 0.0,
        "tracked": int(totals["tracked"]),
        "opens": n("Opened"),
        "unique_opens": n("Opened", "uniq"),
        "total_clicks": n("LinkClicked"),
        "unique_links_clicked": n("LinkClicked", "links"),
    }


# --------------------------------------------------------------------------------------------------
# Suppressions
# --------------------------------------------------------------------------------------------------


@env.read(intents=["who is suppressed on the {message_stream} stream of {server}?"])
def list_suppressions(
    ctx: ToolContext,
    server: str,
    message_stream: str,
    email_address: str | None = None,
    suppression_reason: str | None = None,
) -> SuppressionPage:
    """A stream's suppressions (GET /message-streams/{stream}/suppressions/dump): inactive recipients with
    the reason (HardBounce, SpamComplaint, ManualSuppression) and origin (Recipient, Customer, Admin).

    Args:
        server: The server's name.
        message_stream: The stream id.
        email_address: Only this address.
        suppression_reason: Only this reason.
    """
    row = _server(ctx, server)
    try:
        stream = _stream(ctx, row, message_stream)
    except SendRefused as error:
        raise _refusal(error) from None
    sql = "SELECT * FROM suppressions WHERE server_id = ? AND stream_id = ?"
    params: list[Any] = [row["server_id"], stream["stream_id"]]
    if email_address:
        sql += " AND email_address = ?"
        params.append(email_address.strip().lower())
    if suppression_reason:
        sql += " AND suppression_reason = ?"
        params.append(suppression_reason)
    rows = ctx.query(sql + " ORDER BY created_at DESC, email_address", params)
    return {
        "message_stream": stream["stream_id"],
        "suppressions": [
            {
                "email_address": r["email_address"],
                "suppression_reason": r["suppression_reason"],
                "origin": r["origin"],
                "created_at": r["created_at"],
            }
            for r in rows[:MAX_PAGE]
        ],
    }


@env.write(intents=["stop sending {message_stream} mail to {emails}"])
def create_suppressions(
    ctx: ToolContext, server: str, message_stream: str, emails: list[str]
) -> list[SuppressionChange]:
    """Suppress addresses on a stream (POST /message-streams/{stream}/suppressions): they become inactive
    there (reason ManualSuppression, origin Customer).

    Args:
        server: The server's name.
        message_stream: The stream id.
        emails: The addresses, 1 to 50.
    """
    row = _server(ctx, server)
    try:
        stream = _stream(ctx, row, message_stream)
        addresses = [address_of(e) for e in emails]
    except SendRefused as error:
        raise _refusal(error) from None
    if not 1 <= len(addresses) <= 50:
        raise DomainError("Give 1 to 50 addresses.")
    out: list[SuppressionChange] = []
    for address in dict.fromkeys(addresses):
        if ctx.rows(Suppression).get(row["server_id"], stream["stream_id"], address) is None:
            ctx.rows(Suppression).add(
                server_id=row["server_id"],
                stream_id=stream["stream_id"],
                email_address=address,
                suppression_reason="ManualSuppression",
                origin="Customer",
                created_at=ctx.now.replace(microsecond=0).isoformat(),
            )
        out.append({"email_address": address, "status": "Suppressed", "message": None})
    return out


@env.write(intents=["let {emails} receive {message_stream} mail again"])
def delete_suppressions(
    ctx: ToolContext, server: str, message_stream: str, emails: list[str]
) -> list[SuppressionChange]:
    """Remove addresses from a stream's suppression list (POST /message-streams/{stream}/suppressions/delete).
    Spam complaints cannot be deleted: those addresses come back with status Failed and stay suppressed.

    Args:
        server: The server's name.
        message_stream: The stream id.
        emails: The addresses, 1 to 50.
    """
    row = _server(ctx, server)
    try:
        stream = _stream(ctx, row, message_stream)
        addresses = [address_of(e) for e in emails]
    except SendRefused as error:
        raise _refusal(error) from None
    if not 1 <= len(addresses) <= 50:
        raise DomainError("Give 1 to 50 addresses.")
    out: list[SuppressionChange] = []
    for address in dict.fromkeys(addresses):
        entry = ctx.rows(Suppression).get(row["server_id"], stream["stream_id"], address)
        if entry is None:
            out.append({"email_address": address, "status": "Failed", "message": "The address is not suppressed."})
        elif entry["suppression_reason"] == "SpamComplaint":
            out.append(
                {
                    "email_address": address,
                    "status": "Failed",
                    "message": "Spam complaints cannot be removed from the suppression list.",
                }
            )
        else:
            ctx.rows(Suppression).delete(row["server_id"], stream["stream_id"], address)
            for bounce in ctx.rows(Bounce).find(
                {"server_id": row["server_id"], "stream_id": stream["stream_id"], "email": address, "inactive": 1}
            ):
                ctx.rows(Bounce).update(bounce["bounce_id"], inactive=0, can_activate=0)
            out.append({"email_address": address, "status": "Deleted", "message": None})
    return out
