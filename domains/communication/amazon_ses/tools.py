"""The tools an agent calls: Amazon SES's identity, template, sending, quota, statistics and suppression API.

Parameters are SES's request fields in snake_case (Source -> source, Destination.ToAddresses -> to_addresses,
TemplateData -> template_data, given as an object of placeholder values rather than a JSON string); outputs keep
SES's values (verification statuses, suppression reasons) under snake_case names.
"""

from __future__ import annotations

import datetime as dt
import json
from email import message_from_string
from email.message import Message
from email.utils import formataddr, getaddresses, parseaddr
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    BUCKET_MINUTES,
    DEFAULT_REGION,
    MAX_PAGE,
    MAX_RAW_BYTES,
    MAX_RECIPIENTS,
    MAX_TEMPLATES,
    REGIONS,
    STATISTICS_DAYS,
    ConfigurationSet,
    Identity,
    IdentityType,
    RegionAccount,
    SentMessage,
    SuppressedDestination,
    SuppressionReason,
    Template,
)
from .rules import mailbox, parent_domains, placeholders, render, valid_domain, valid_tag, valid_template_name

HEX = "0123456789abcdef"
TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
MAX_IDENTITIES_PER_CALL = 100
MAX_TAGS = 50


class VerificationAttributes(TypedDict):
    verification_status: str
    verification_token: str | None


class VerificationResult(TypedDict):
    verification_attributes: dict[str, VerificationAttributes]


class DkimAttributes(TypedDict):
    dkim_enabled: bool
    dkim_verification_status: str
    dkim_tokens: list[str]


class DkimResult(TypedDict):
    dkim_attributes: dict[str, DkimAttributes]


class IdentityPage(TypedDict):
    identities: list[str]
    total: int


class EmailIdentityResult(TypedDict):
    identity: str
    verification_status: str


class DomainIdentityResult(TypedDict):
    identity: str
    verification_status: str
    verification_token: str


class TemplateView(TypedDict):
    template_name: str
    subject_part: str
    text_part: str | None
    html_part: str | None
    placeholders: list[str]
    created_timestamp: str


class TemplateMetadata(TypedDict):
    template_name: str
    created_timestamp: str


class TemplatePage(TypedDict):
    templates_metadata: list[TemplateMetadata]
    total: int


class SendResult(TypedDict):
    message_id: str


class SendQuota(TypedDict):
    region: str
    max_24_hour_send: int
    max_send_rate: int
    sent_last_24_hours: int
    production_access_enabled: bool


class SendDataPoint(TypedDict):
    timestamp: str
    delivery_attempts: int
    bounces: int
    complaints: int
    rejects: int


class StatisticsTotals(TypedDict):
    delivery_attempts: int
    bounces: int
    complaints: int
    rejects: int


class SendStatistics(TypedDict):
    region: str
    days: int
    totals: StatisticsTotals
    data_point_count: int
    send_data_points: list[SendDataPoint]


class SendingEnabled(TypedDict):
    region: str
    enabled: bool


class SuppressedView(TypedDict):
    email_address: str
    reason: str
    last_update_time: str


class SuppressedPage(TypedDict):
    suppressed_destination_summaries: list[SuppressedView]
    total: int


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _account(ctx: ToolContext, region: str) -> dict[str, Any]:
    found = ctx.rows(RegionAccount).get(region.strip().lower()) if isinstance(region, str) else None
    if found is None:
        raise DomainError(f"Unknown region {region!r}. This account uses SES in: {', '.join(REGIONS)}.")
    return found


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"The page size must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("The offset cannot be negative.")


def _stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _address(value: str, what: str) -> str:
    bare = mailbox(value)
    if bare is None:
        raise DomainError(f"InvalidParameterValue: {value!r} is not a valid email address ({what}).")
    return bare


def _identity_name(value: str) -> str:
    """An email address or a domain, normalised; a malformed one is refused."""
    text = value.strip() if isinstance(value, str) else ""
    if "@" in text:
        return _address(text, "identity")
    if not valid_domain(text.lower()):
        raise DomainError(f"InvalidParameterValue: {value!r} is neither a valid email address nor a valid domain.")
    return text.lower()


def _identity(ctx: ToolContext, region: str, name: str) -> dict[str, Any] | None:
    return ctx.rows(Identity).get(region, name)


def _is_verified(ctx: ToolContext, region: str, address: str) -> bool:
    """Verified itself, or under a verified domain (subdomains inherit their parent's verification)."""
    for name in [address, *parent_domains(address)]:
        row = _identity(ctx, region, name)
        if row is not None and row["verification_status"] == "Success":
            return True
    return False


def _identities(values: list[str]) -> list[str]:
    if not values:
        raise DomainError("Give at least one identity (an email address or a domain).")
    if len(values) > MAX_IDENTITIES_PER_CALL:
        raise DomainError(f"At most {MAX_IDENTITIES_PER_CALL} identities per call.")
    return list(dict.fromkeys(_identity_name(v) for v in values))


def _template(ctx: ToolContext, region: str, name: str) -> dict[str, Any]:
    row = ctx.rows(Template).get(region, name.strip()) if isinstance(name, str) else None
    if row is None:
        raise DomainError(f"TemplateDoesNotExist: Template {name} does not exist in {region}.")
    return row


def _template_view(row: dict[str, Any]) -> TemplateView:
    return {
        "template_name": row["template_name"],
        "subject_part": row["subject_part"],
        "text_part": row["text_part"],
        "html_part": row["html_part"],
        "placeholders": placeholders(row["subject_part"], row["text_part"], row["html_part"]),
        "created_timestamp": row["created_timestamp"],
    }


def _sent_last_24_hours(ctx: ToolContext, region: str) -> int:
    since = _stamp(ctx.now - dt.timedelta(hours=24))
    found = ctx.query(
        "SELECT COALESCE(SUM(recipient_count), 0) AS n FROM sent_messages WHERE region = ? AND sent_at > ?",
        [region, since],
    )
    return int(found[0]["n"])


def _message_id(ctx: ToolContext) -> str:
    """SES's message id: '0100', 12 hex digits, a UUID, then '-000000'."""
    return "0100" + "-".join(ctx.new_id(n, HEX) for n in (12, 8, 4, 4, 4, 12)) + "-000000"


def _deliver(
    ctx: ToolContext,
    region: str,
    source: str,
    recipients: tuple[list[str], list[str], list[str]],
    reply_to: list[str] | None,
    content: tuple[str, str | None, str | None],
    template_name: str | None,
    configuration_set_name: str | None,
    tags: dict[str, str] | None,
) -> SendResult:
    """SES's checks for every send, in its order; then the message is accepted and recorded."""
    account = _account(ctx, region)
    region = account["region"]
    if not account["sending_enabled"]:
        raise DomainError(
            f"AccountSendingPausedException: Email sending is paused for this account in {region}. "
            "Sending must be re-enabled before any message can be sent."
        )
    if configuration_set_name is not None and ctx.rows(ConfigurationSet).get(region, configuration_set_name) is None:
        raise DomainError(
            f"ConfigurationSetDoesNotExist: Configuration set {configuration_set_name} does not exist in {region}."
        )
    sender = _address(source, "source")
    if not _is_verified(ctx, region, sender):
        raise DomainError(
            "MessageRejected: Email address is not verified. The following identities failed the check in region "
            f"{region.upper()}: {sender}"
        )
    to, cc, bcc = (
        [_address(a, kind) for a in group] for group, kind in zip(recipients, ("To", "Cc", "Bcc"), strict=True)
    )
    everyone = list(dict.fromkeys([*to, *cc, *bcc]))
    if not everyone:
        raise DomainError("InvalidParameterValue: The message needs at least one recipient.")
    if len([*to, *cc, *bcc]) > MAX_RECIPIENTS:
        raise DomainError(f"InvalidParameterValue: A message can have at most {MAX_RECIPIENTS} recipients.")
    replies = [_address(a, "reply-to") for a in reply_to or []]
    subject, text, html = content
    if not subject.strip():
        raise DomainError("InvalidParameterValue: The message subject cannot be empty.")
    if not (text or "").strip() and not (html or "").strip():
        raise DomainError("InvalidParameterValue: The message needs a text or an HTML body.")
    if tags is not None:
        if len(tags) > MAX_TAGS:
            raise DomainError(f"InvalidParameterValue: At most {MAX_TAGS} message tags.")
        bad = [f"{k}={v}" for k, v in tags.items() if not (valid_tag(str(k)) and valid_tag(str(v)))]
        if bad:
            raise DomainError(
                f"InvalidParameterValue: Tag names and values may use only letters, digits, _ and -: {bad[0]}"
            )
    if not account["production_access_enabled"]:
        unverified = [a for a in everyone if not _is_verified(ctx, region, a)]
        if unverified:
            raise DomainError(
                "MessageRejected: Email address is not verified. The following identities failed the check in "
                f"region {region.upper()}: {', '.join(unverified)} (this region is in the sandbox: it can send "
                "only to verified identities)."
            )
    if _sent_last_24_hours(ctx, region) + len(everyone) > account["max_24_hour_send"]:
        raise DomainError(
            f"Throttling: Daily message quota exceeded. {region} can send {account['max_24_hour_send']} messages "
            "per 24 hours."
        )
    # Suppressed addresses are accepted but never delivered; SES counts each as a bounce.
    suppressed = sum(1 for a in everyone if ctx.rows(SuppressedDestination).get(region, a) is not None)
    message_id = _message_id(ctx)
    ctx.rows(SentMessage).add(
        message_id=message_id,
        region=region,
        source=formataddr(parseaddr(source.strip())),
        to_addresses=",".join(to),
        cc_addresses=",".join(cc),
        bcc_addresses=",".join(bcc),
        reply_to_addresses=",".join(replies),
        subject=subject,
        body_text=text,
        body_html=html,
        template_name=template_name,
        configuration_set_name=configuration_set_name,
        tags=json.dumps(tags or {}, sort_keys=True),
        sent_at=_stamp(ctx.now),
        recipient_count=len(everyone),
        bounces=suppressed,
        complaints=0,
        rejects=0,
        outcome="Suppressed" if suppressed == len(everyone) else "Sent",
    )
    return {"message_id": message_id}


# --------------------------------------------------------------------------------------------------
# Identities
# --------------------------------------------------------------------------------------------------


@env.write(intents=["verify the address {email_address}", "start verifying {email_address} so we can send from it"])
def verify_email_identity(ctx: ToolContext, email_address: str, region: str = DEFAULT_REGION) -> EmailIdentityResult:
    """Add an email address to the region's identities and send it a verification link (SES VerifyEmailIdentity).

    The address stays Pending until someone clicks the link. Asking again for a Pending, Failed or
    TemporaryFailure address sends a new link and sets it back to Pending; an address already verified
    (Success) is left as it is.

    Args:
        email_address: The address to verify, such as 'support@brightcrate.com'.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    address = _address(email_address, "identity")
    existing = _identity(ctx, region, address)
    if existing is not None and existing["verification_status"] == "Success":
        return {"identity": address, "verification_status": "Success"}
    if existing is not None:
        ctx.rows(Identity).update((region, address), verification_status="Pending")
    else:
        ctx.rows(Identity).add(
            region=region,
            identity=address,
            identity_type="EmailAddress",
            verification_status="Pending",
            verification_token=None,
            dkim_enabled=0,
            dkim_verification_status="NotStarted",
            dkim_tokens=None,
            created_at=_stamp(ctx.now),
        )
    return {"identity": address, "verification_status": "Pending"}


@env.write(intents=["start verifying our domain {domain}", "add the domain {domain} to SES"])
def verify_domain_identity(ctx: ToolContext, domain: str, region: str = DEFAULT_REGION) -> DomainIdentityResult:
    """Add a domain to the region's identities (SES VerifyDomainIdentity) and return the TXT record's token.

    Publish the token as a TXT record at _amazonses.<domain>; the domain stays Pending until SES finds it.
    Asking again for a domain already added returns its existing token, and a domain whose verification
    Failed (or hit a TemporaryFailure) goes back to Pending while SES looks for the record again.

    Args:
        domain: The domain, such as 'brightcrate.com' (no address, no scheme).
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    name = _identity_name(domain)
    if "@" in name:
        raise DomainError(f"InvalidParameterValue: {domain!r} is an email address; use verify_email_identity.")
    existing = _identity(ctx, region, name)
    if existing is not None:
        status = existing["verification_status"]
        if status in ("Failed", "TemporaryFailure"):
            status = "Pending"  # SES looks for the TXT record again
            ctx.rows(Identity).update((region, name), verification_status=status)
        return {"identity": name, "verification_status": status,
                "verification_token": existing["verification_token"] or ""}  # fmt: skip
    token = ctx.new_id(44, TOKEN_ALPHABET)
    ctx.rows(Identity).add(
        region=region,
        identity=name,
        identity_type="Domain",
        verification_status="Pending",
        verification_token=token,
        dkim_enabled=0,
        dkim_verification_status="NotStarted",
        dkim_tokens=None,
        created_at=_stamp(ctx.now),
    )
    return {"identity": name, "verification_status": "Pending", "verification_token": token}


@env.read(intents=["is {identities} verified", "check the verification status of {identities}"])
def get_identity_verification_attributes(
    ctx: ToolContext, identities: list[str], region: str = DEFAULT_REGION
) -> VerificationResult:
    """The verification status of identities (SES GetIdentityVerificationAttributes); unknown ones are left out.

    An address that is not listed may still be usable as a sender when its domain is verified.

    Args:
        identities: Email addresses and/or domains (up to 100).
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    found: dict[str, VerificationAttributes] = {}
    for name in _identities(identities):
        row = _identity(ctx, region, name)
        if row is not None:
            found[name] = {"verification_status": row["verification_status"],
                           "verification_token": row["verification_token"]}  # fmt: skip
    return {"verification_attributes": found}


@env.read(intents=["is DKIM set up for {identities}", "check DKIM signing for {identities}"])
def get_identity_dkim_attributes(ctx: ToolContext, identities: list[str], region: str = DEFAULT_REGION) -> DkimResult:
    """Whether DKIM signing is on for identities and the state of its CNAME records (SES GetIdentityDkimAttributes).

    Args:
        identities: Email addresses and/or domains (up to 100); unknown ones are left out.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    found: dict[str, DkimAttributes] = {}
    for name in _identities(identities):
        row = _identity(ctx, region, name)
        if row is not None:
            found[name] = {
                "dkim_enabled": bool(row["dkim_enabled"]),
                "dkim_verification_status": row["dkim_verification_status"],
                "dkim_tokens": row["dkim_tokens"].split(",") if row["dkim_tokens"] else [],
            }
    return {"dkim_attributes": found}


@env.read(intents=["list our verified identities", "which addresses and domains have we added"])
def list_identities(
    ctx: ToolContext,
    region: str = DEFAULT_REGION,
    identity_type: IdentityType | None = None,
    max_items: int = 20,
    offset: int = 0,
) -> IdentityPage:
    """The region's identities, whatever their verification status, alphabetically (SES ListIdentities).

    Args:
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
        identity_type: 'EmailAddress' or 'Domain' to list only that kind; all by default.
        max_items: Page size (1-100).
        offset: How many identities to skip, for paging.
    """
    region = _account(ctx, region)["region"]
    _page(max_items, offset)
    where: dict[str, Any] = {"region": region}
    if identity_type is not None:
        where["identity_type"] = identity_type
    rows = ctx.rows(Identity).find(where, order_by=["identity"], limit=max_items, offset=offset)
    return {"identities": [r["identity"] for r in rows], "total": ctx.rows(Identity).count(where)}


@env.write(intents=["remove the identity {identity}", "we no longer send from {identity}, delete it"])
def delete_identity(ctx: ToolContext, identity: str, region: str = DEFAULT_REGION) -> EmailIdentityResult:
    """Delete an email address or domain from the region's identities (SES DeleteIdentity).

    Args:
        identity: The email address or domain to delete.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    name = _identity_name(identity)
    row = _identity(ctx, region, name)
    if row is None:
        raise DomainError(f"{name} is not an identity in {region}.")
    ctx.rows(Identity).delete(region, name)
    return {"identity": name, "verification_status": "Deleted"}


# --------------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------------


def _checked_parts(subject: str, text: str | None, html: str | None) -> None:
    if not subject.strip():
        raise DomainError("InvalidParameterValue: A template needs a subject part.")
    if not (text or "").strip() and not (html or "").strip():
        raise DomainError("InvalidParameterValue: A template needs a text part or an HTML part.")
    for part in (subject, text or "", html or ""):
        if part.count("{{") != part.count("}}"):
            raise DomainError("InvalidTemplate: A placeholder is not closed: write {{name}}.")


@env.write(intents=["create a template called {template_name}", "add the {template_name} email template"])
def create_template(
    ctx: ToolContext,
    template_name: str,
    subject_part: str,
    text_part: str | None = None,
    html_part: str | None = None,
    region: str = DEFAULT_REGION,
) -> TemplateView:
    """Create an email template (SES CreateTemplate); parts may use {{placeholders}} filled in at send time.

    Args:
        template_name: Letters, digits, '_' and '-' only, up to 64 characters; unique in the region.
        subject_part: The subject line.
        text_part: The plain-text body (a text or an HTML part is required).
        html_part: The HTML body.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    if not valid_template_name(template_name):
        raise DomainError(
            f"InvalidParameterValue: Template name {template_name!r} may use only letters, digits, _ and -, up to 64."
        )
    if ctx.rows(Template).get(region, template_name) is not None:
        raise DomainError(f"AlreadyExists: Template {template_name} already exists in {region}.")
    if ctx.rows(Template).count({"region": region}) >= MAX_TEMPLATES:
        raise DomainError(f"LimitExceeded: A region can hold at most {MAX_TEMPLATES} templates.")
    _checked_parts(subject_part, text_part, html_part)
    row = ctx.rows(Template).insert(
        region=region,
        template_name=template_name,
        subject_part=subject_part,
        text_part=text_part,
        html_part=html_part,
        created_timestamp=_stamp(ctx.now),
    )
    return _template_view(row)


@env.read(intents=["show me the {template_name} template", "what does the {template_name} template say"])
def get_template(ctx: ToolContext, template_name: str, region: str = DEFAULT_REGION) -> TemplateView:
    """A template's parts and the placeholders its template data must supply (SES GetTemplate).

    Args:
        template_name: The template's name, such as 'OrderConfirmation'.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    return _template_view(_template(ctx, region, template_name))


@env.read(intents=["which email templates do we have", "list our templates"])
def list_templates(
    ctx: ToolContext, region: str = DEFAULT_REGION, max_items: int = 20, offset: int = 0
) -> TemplatePage:
    """The region's templates by name, alphabetically (SES ListTemplates).

    Args:
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
        max_items: Page size (1-100).
        offset: How many templates to skip, for paging.
    """
    region = _account(ctx, region)["region"]
    _page(max_items, offset)
    rows = ctx.rows(Template).find({"region": region}, order_by=["template_name"], limit=max_items, offset=offset)
    return {
        "templates_metadata": [
            {"template_name": r["template_name"], "created_timestamp": r["created_timestamp"]} for r in rows
        ],
        "total": ctx.rows(Template).count({"region": region}),
    }


@env.write(intents=["change the subject of the {template_name} template to {subject_part}"])
def update_template(
    ctx: ToolContext,
    template_name: str,
    subject_part: str | None = None,
    text_part: str | None = None,
    html_part: str | None = None,
    region: str = DEFAULT_REGION,
) -> TemplateView:
    """Change a template's parts (SES UpdateTemplate); the parts not given are kept as they are.

    Args:
        template_name: The template to change.
        subject_part: The new subject line.
        text_part: The new plain-text body.
        html_part: The new HTML body.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    row = _template(ctx, region, template_name)
    if subject_part is None and text_part is None and html_part is None:
        raise DomainError("Give at least one part to change (subject, text or HTML).")
    changes = {k: v for k, v in (("subject_part", subject_part), ("text_part", text_part),
                                 ("html_part", html_part)) if v is not None}  # fmt: skip
    merged = {**row, **changes}
    _checked_parts(merged["subject_part"], merged["text_part"], merged["html_part"])
    ctx.rows(Template).update((region, row["template_name"]), **changes)
    return _template_view(merged)


@env.write(intents=["delete the {template_name} template", "we don't use {template_name} any more, remove it"])
def delete_template(ctx: ToolContext, template_name: str, region: str = DEFAULT_REGION) -> TemplateMetadata:
    """Delete a template (SES DeleteTemplate).

    Args:
        template_name: The template to delete.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    row = _template(ctx, region, template_name)
    ctx.rows(Template).delete(region, row["template_name"])
    return {"template_name": row["template_name"], "created_timestamp": row["created_timestamp"]}


# --------------------------------------------------------------------------------------------------
# Sending
# --------------------------------------------------------------------------------------------------


@env.write(intents=["email {to_addresses} from {source} with the subject {subject}"])
def send_email(
    ctx: ToolContext,
    source: str,
    to_addresses: list[str],
    subject: str,
    text_body: str | None = None,
    html_body: str | None = None,
    cc_addresses: list[str] | None = None,
    bcc_addresses: list[str] | None = None,
    reply_to_addresses: list[str] | None = None,
    tags: dict[str, str] | None = None,
    configuration_set_name: str | None = None,
    region: str = DEFAULT_REGION,
) -> SendResult:
    """Send a formatted email (SES SendEmail) and return its message id.

    Args:
        source: The sender, a verified address or one under a verified domain ('orders@x.com' or 'Name <orders@x.com>').
        to_addresses: The To recipients (To, Cc and Bcc together: at most 50).
        subject: The subject line.
        text_body: The plain-text body (a text or an HTML body is required).
        html_body: The HTML body.
        cc_addresses: The Cc recipients.
        bcc_addresses: The Bcc recipients.
        reply_to_addresses: Where replies should go.
        tags: Message tags, name to value (letters, digits, '_' and '-').
        configuration_set_name: A configuration set of the region to publish the message's events through.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    recipients = (to_addresses, cc_addresses or [], bcc_addresses or [])
    content = (subject, text_body, html_body)
    return _deliver(ctx, region, source, recipients, reply_to_addresses, content, None, configuration_set_name, tags)


def _payload(part: Message) -> str:
    """A MIME part's text, its transfer encoding undone (quoted-printable, base64) and decoded from its charset."""
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        return str(part.get_payload()).strip()
    return raw.decode(part.get_content_charset() or "utf-8", "replace").strip()


@env.write(intents=["send this raw MIME message: {raw_message}"])
def send_raw_email(
    ctx: ToolContext,
    raw_message: str,
    source: str | None = None,
    destinations: list[str] | None = None,
    configuration_set_name: str | None = None,
    region: str = DEFAULT_REGION,
) -> SendResult:
    """Send a message given as raw MIME text, headers included (SES SendRawEmail).

    The sender is the source, or else the message's From header; the recipients are the destinations, or else
    the To, Cc and Bcc headers. The message must have a Subject header and a body, and be under 10 MB.

    Args:
        raw_message: The whole message: headers, a blank line, then the body.
        source: The sender, when it should not be taken from the From header.
        destinations: The recipients, when they should not be taken from the headers.
        configuration_set_name: A configuration set of the region to publish the message's events through.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    if len(raw_message.encode("utf-8", "replace")) > MAX_RAW_BYTES:
        raise DomainError("InvalidParameterValue: The raw message is larger than 10 MB.")
    if "\n\n" not in raw_message.replace("\r\n", "\n"):
        raise DomainError("InvalidParameterValue: The raw message needs headers, a blank line and a body.")
    parsed = message_from_string(raw_message)
    sender = source or parsed.get("From")
    if not sender:
        raise DomainError("InvalidParameterValue: The message has no From header and no source was given.")
    subject = str(parsed.get("Subject") or "")
    if destinations is not None:
        groups: tuple[list[str], list[str], list[str]] = (destinations, [], [])
    else:
        groups = tuple(  # type: ignore[assignment]
            [a for _n, a in getaddresses(parsed.get_all(h, []))] for h in ("To", "Cc", "Bcc")
        )
    parts = [p for p in parsed.walk() if not p.is_multipart()]
    text = next((_payload(p) for p in parts if p.get_content_type() == "text/plain"), None)
    html = next((_payload(p) for p in parts if p.get_content_type() == "text/html"), None)
    reply_to = [a for _n, a in getaddresses(parsed.get_all("Reply-To", []))]
    return _deliver(ctx, region, str(sender), groups, reply_to, (subject, text, html), None, configuration_set_name,
                    None)  # fmt: skip


@env.write(intents=["send the {template_name} template to {to_addresses} from {source}"])
def send_templated_email(
    ctx: ToolContext,
    source: str,
    to_addresses: list[str],
    template_name: str,
    template_data: dict[str, str],
    cc_addresses: list[str] | None = None,
    bcc_addresses: list[str] | None = None,
    reply_to_addresses: list[str] | None = None,
    tags: dict[str, str] | None = None,
    configuration_set_name: str | None = None,
    region: str = DEFAULT_REGION,
) -> SendResult:
    """Send an email from a template (SES SendTemplatedEmail), filling its {{placeholders}} from template data.

    Args:
        source: The sender, a verified address or one under a verified domain.
        to_addresses: The To recipients (To, Cc and Bcc together: at most 50).
        template_name: The template to use; it must exist in the region.
        template_data: A value for every placeholder of the template, such as {"name": "Ana"}.
        cc_addresses: The Cc recipients.
        bcc_addresses: The Bcc recipients.
        reply_to_addresses: Where replies should go.
        tags: Message tags, name to value (letters, digits, '_' and '-').
        configuration_set_name: A configuration set of the region to publish the message's events through.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    account = _account(ctx, region)
    template = _template(ctx, account["region"], template_name)
    data = {str(k): str(v) for k, v in template_data.items()}
    needed = placeholders(template["subject_part"], template["text_part"], template["html_part"])
    missing = [name for name in needed if name not in data]
    if missing:
        raise DomainError(
            f"InvalidParameterValue: Template data for {template['template_name']} has no value for: "
            f"{', '.join(missing)}."
        )
    content = (render(template["subject_part"], data) or "", render(template["text_part"], data),
               render(template["html_part"], data))  # fmt: skip
    return _deliver(ctx, account["region"], source, (to_addresses, cc_addresses or [], bcc_addresses or []),
                    reply_to_addresses, content, template["template_name"], configuration_set_name, tags)  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Account, quota and statistics
# --------------------------------------------------------------------------------------------------


@env.read(intents=["how many more emails can we send today", "what is our sending quota"])
def get_send_quota(ctx: ToolContext, region: str = DEFAULT_REGION) -> SendQuota:
    """The region's sending limits and use (SES GetSendQuota), with whether it has left the sandbox.

    Each recipient of a message counts as one against the 24-hour quota.

    Args:
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    account = _account(ctx, region)
    return {
        "region": account["region"],
        "max_24_hour_send": account["max_24_hour_send"],
        "max_send_rate": account["max_send_rate"],
        "sent_last_24_hours": _sent_last_24_hours(ctx, account["region"]),
        "production_access_enabled": bool(account["production_access_enabled"]),
    }


@env.read(intents=["is sending enabled for our account", "has SES paused our sending"])
def get_account_sending_enabled(ctx: ToolContext, region: str = DEFAULT_REGION) -> SendingEnabled:
    """Whether the account may send email in the region (SES GetAccountSendingEnabled).

    Args:
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    account = _account(ctx, region)
    return {"region": account["region"], "enabled": bool(account["sending_enabled"])}


@env.read(intents=["what was our bounce rate over the last {days} days", "show our sending statistics"])
def get_send_statistics(
    ctx: ToolContext, region: str = DEFAULT_REGION, days: int = STATISTICS_DAYS, max_data_points: int = 20
) -> SendStatistics:
    """Sending activity in 15-minute data points (SES GetSendStatistics), with totals over the period.

    Args:
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
        days: How many days back to cover, counted from now (1-14; SES keeps two weeks).
        max_data_points: How many of the most recent data points to return (0-100); the totals cover them all.
    """
    account = _account(ctx, region)
    if not 1 <= days <= STATISTICS_DAYS:
        raise DomainError(f"SES keeps send statistics for the last {STATISTICS_DAYS} days: days must be 1-14.")
    if not 0 <= max_data_points <= MAX_PAGE:
        raise DomainError(f"max_data_points must be between 0 and {MAX_PAGE}.")
    since = _stamp(ctx.now - dt.timedelta(days=days))
    points = ctx.query(
        "SELECT substr(sent_at, 1, 14) || printf('%02d', (CAST(substr(sent_at, 15, 2) AS INTEGER) / ?) * ?) "
        "|| ':00' AS timestamp, "
        "SUM(CASE WHEN rejects = 0 THEN recipient_count ELSE 0 END) AS delivery_attempts, SUM(bounces) AS bounces, "
        "SUM(complaints) AS complaints, SUM(rejects) AS rejects "
        "FROM sent_messages WHERE region = ? AND sent_at > ? GROUP BY 1 ORDER BY 1 DESC",
        [BUCKET_MINUTES, BUCKET_MINUTES, account["region"], since],
    )
    keys = ("delivery_attempts", "bounces", "complaints", "rejects")
    totals: StatisticsTotals = {k: sum(int(p[k]) for p in points) for k in keys}  # type: ignore[misc]
    return {
        "region": account["region"],
        "days": days,
        "totals": totals,
        "data_point_count": len(points),
        "send_data_points": [{"timestamp": p["timestamp"], **{k: int(p[k]) for k in keys}}  # type: ignore[typeddict-item]
                             for p in points[:max_data_points]],
    }  # fmt: skip


# --------------------------------------------------------------------------------------------------
# The account-level suppression list
# --------------------------------------------------------------------------------------------------


@env.write(intents=["stop sending to {email_address}", "add {email_address} to our suppression list"])
def put_suppressed_destination(
    ctx: ToolContext, email_address: str, reason: SuppressionReason, region: str = DEFAULT_REGION
) -> SuppressedView:
    """Add an address to the region's suppression list, or change its reason (SES PutSuppressedDestination).

    Args:
        email_address: The address SES should stop delivering to.
        reason: 'BOUNCE' (the mailbox does not accept mail) or 'COMPLAINT' (the person marked mail as spam or
            asked not to be emailed).
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    address = _address(email_address, "suppressed destination")
    if reason not in ("BOUNCE", "COMPLAINT"):
        raise DomainError("The reason must be BOUNCE or COMPLAINT.")
    row = {"email_address": address, "reason": reason, "last_update_time": _stamp(ctx.now)}
    if ctx.rows(SuppressedDestination).get(region, address) is None:
        ctx.rows(SuppressedDestination).add(region=region, **row)
    else:
        ctx.rows(SuppressedDestination).update((region, address), reason=reason, last_update_time=_stamp(ctx.now))
    return row  # type: ignore[return-value]


@env.read(intents=["is {email_address} on our suppression list", "why aren't emails reaching {email_address}"])
def get_suppressed_destination(ctx: ToolContext, email_address: str, region: str = DEFAULT_REGION) -> SuppressedView:
    """An address's entry on the region's suppression list (SES GetSuppressedDestination).

    Args:
        email_address: The address to look up.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    address = _address(email_address, "suppressed destination")
    row = ctx.rows(SuppressedDestination).get(region, address)
    if row is None:
        raise DomainError(f"NotFoundException: {address} is not on the suppression list in {region}.")
    return {"email_address": row["email_address"], "reason": row["reason"], "last_update_time": row["last_update_time"]}


@env.write(intents=["take {email_address} off the suppression list", "we can email {email_address} again"])
def delete_suppressed_destination(ctx: ToolContext, email_address: str, region: str = DEFAULT_REGION) -> SuppressedView:
    """Remove an address from the region's suppression list so SES delivers to it again
    (SES DeleteSuppressedDestination).

    Args:
        email_address: The address to remove.
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
    """
    region = _account(ctx, region)["region"]
    address = _address(email_address, "suppressed destination")
    row = ctx.rows(SuppressedDestination).get(region, address)
    if row is None:
        raise DomainError(f"NotFoundException: {address} is not on the suppression list in {region}.")
    ctx.rows(SuppressedDestination).delete(region, address)
    return {"email_address": row["email_address"], "reason": row["reason"], "last_update_time": row["last_update_time"]}


@env.read(intents=["who is on our suppression list", "which addresses were suppressed for {reason}"])
def list_suppressed_destinations(
    ctx: ToolContext,
    region: str = DEFAULT_REGION,
    reason: SuppressionReason | None = None,
    page_size: int = 20,
    offset: int = 0,
) -> SuppressedPage:
    """The region's suppression list, most recently added first (SES ListSuppressedDestinations).

    Args:
        region: AWS region, one of us-east-1, eu-west-1, ap-southeast-2.
        reason: 'BOUNCE' or 'COMPLAINT' to list only that reason; both by default.
        page_size: Page size (1-100).
        offset: How many entries to skip, for paging.
    """
    region = _account(ctx, region)["region"]
    _page(page_size, offset)
    where: dict[str, Any] = {"region": region}
    if reason is not None:
        where["reason"] = reason
    rows = ctx.rows(SuppressedDestination).find(
        where, order_by=["-last_update_time", "email_address"], limit=page_size, offset=offset
    )
    return {
        "suppressed_destination_summaries": [
            {"email_address": r["email_address"], "reason": r["reason"], "last_update_time": r["last_update_time"]}
            for r in rows
        ],
        "total": ctx.rows(SuppressedDestination).count(where),
    }
