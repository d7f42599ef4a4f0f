"""Resend's validation rules that several tools share: addresses, tags, schedule times and DNS records."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parseaddr

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_TAG = re.compile(r"^[A-Za-z0-9_-]+$")


def mailbox(address: object) -> str | None:
    """The bare address of 'a@b.com' or 'Name <a@b.com>', lower-cased; None when malformed."""
    if not isinstance(address, str) or "\n" in address or "\r" in address:
        return None
    _name, bare = parseaddr(address.strip())
    if bare.count("@") != 1:
        return None
    local, domain = bare.lower().split("@")
    if not _LOCAL.match(local) or local.startswith(".") or ".." in local or not _DOMAIN.match(domain):
        return None
    return f"{local}@{domain}"


def valid_domain_name(name: str) -> bool:
    return bool(_DOMAIN.match(name))


def valid_tag_part(text: object, limit: int) -> bool:
    return isinstance(text, str) and 0 < len(text) <= limit and bool(_TAG.match(text))


def parse_time(value: object) -> dt.datetime | None:
    """An ISO 8601 time as naive UTC ('2026-11-20T09:00:00Z', '...+01:00', or naive meaning UTC); None if bad."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def dns_records(name: str, region: str, dkim_key: str, status: str) -> list[dict[str, str]]:
    """The records Resend asks for: an MX and an SPF TXT on the send. subdomain, and the DKIM TXT."""
    record_status = "verified" if status == "verified" else status
    return [
        {"record": "SPF", "type": "MX", "name": f"send.{name}", "value": f"feedback-smtp.{region}.amazonses.com",
         "priority": "10", "status": record_status},
        {"record": "SPF", "type": "TXT", "name": f"send.{name}", "value": "v=spf1 include:amazonses.com ~all",
         "priority": "", "status": record_status},
        {"record": "DKIM", "type": "TXT", "name": f"resend._domainkey.{name}", "value": f"p=MIGfMA0G{dkim_key}",
         "priority": "", "status": record_status},
    ]  # fmt: skip
