"""Mailgun's rules as plain functions: address syntax, role addresses, did-you-mean, suppression, times."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

from envfactory_gym.errors import DomainError

ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
ROLE_LOCAL_PARTS = frozenset(
    {
        "admin",
        "info",
        "support",
        "sales",
        "contact",
        "help",
        "office",
        "billing",
        "noreply",
        "no-reply",
        "postmaster",
        "abuse",
        "webmaster",
        "marketing",
        "hr",
        "jobs",
        "team",
    }
)


def is_valid_syntax(address: str) -> bool:
    return bool(ADDRESS.match(address)) and ".." not in address and len(address) <= 254


def mailbox(value: str) -> str:
    """The bare address of 'Name <a@b.c>' or 'a@b.c', lower-cased; a malformed one is refused."""
    _name, address = parseaddr(value.strip())
    if not address or not is_valid_syntax(address):
        raise DomainError(f"'{value}' is not a valid email address.")
    return address.lower()


def is_role(address: str) -> bool:
    return address.split("@", 1)[0].lower() in ROLE_LOCAL_PARTS


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def suggestion(host: str, popular: list[str]) -> str | None:
    """The big provider a mistyped domain most likely meant ('gmial.com' -> 'gmail.com'), if one is close."""
    best = min(popular, key=lambda p: (edit_distance(host, p), p), default=None)
    if best is None or best == host or edit_distance(host, best) > 2:
        return None
    return best


def parse_time(value: str, what: str) -> dt.datetime:
    """A UTC time written YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] or as RFC 2822 ('Fri, 13 Mar 2026 09:00:00 +0000')."""
    text = value.strip()
    try:
        moment = dt.datetime.fromisoformat(text.replace(" ", "T") if text[:4].isdigit() else text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            raise DomainError(f"{what} '{value}' is not a time like 2026-03-12T09:00:00 (UTC).") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def suppression_reason(address: str, tags: list[str], lists: dict[str, Any]) -> str | None:
    """Why Mailgun drops a recipient: the bounce, complaint or (all-mail or tag) unsubscribe list, unless allowed."""
    host = address.split("@", 1)[1]
    if address in lists["allow"] or host in lists["allow"]:
        return None
    if address in lists["bounces"]:
        return "suppress-bounce"
    if address in lists["complaints"]:
        return "suppress-complaint"
    scope = lists["unsubscribes"].get(address)
    if scope is not None and ("*" in scope or set(scope) & set(tags)):
        return "suppress-unsubscribe"
    return None
