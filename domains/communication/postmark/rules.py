"""Postmark's rules as plain functions: address syntax, times, template rendering and the send error."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parseaddr

from envfactory_gym.errors import DomainError

ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class SendRefused(DomainError):
    """A send Postmark answers with a non-zero ErrorCode; the batch reports it per message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"ErrorCode {code}: {message}")
        self.code = code
        self.text = message


def address_of(value: str, code: int = 300) -> str:
    """The bare address of 'Name <a@b.c>' or 'a@b.c', lower-cased; a malformed one is refused."""
    _name, address = parseaddr(value.strip())
    if not address or not ADDRESS.match(address) or ".." in address or len(address) > 254:
        raise SendRefused(code, f"Invalid email address '{value}'.")
    return address.lower()


def parse_day(value: str, what: str, *, end: bool = False) -> str:
    """A UTC bound written YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], as a sortable stamp (a whole day for an end)."""
    text = value.strip()
    try:
        moment = dt.datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        raise DomainError(f"{what} '{value}' is not a date like 2026-04-06 or 2026-04-06T09:00:00 (UTC).") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    if end and len(text) == 10:
        moment += dt.timedelta(days=1, seconds=-1)
    return moment.replace(microsecond=0).isoformat()


def render(text: str, model: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: str(model.get(m.group(1), "")), text)
