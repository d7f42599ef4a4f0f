"""SES's validation rules that several tools share: address and domain syntax, identity inheritance, templates."""

from __future__ import annotations

import re
from email.utils import parseaddr

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_PLACEHOLDER = re.compile(r"{{\s*([A-Za-z0-9_]+)\s*}}")
_TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TAG = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def valid_domain(domain: str) -> bool:
    return bool(_DOMAIN.match(domain))


def mailbox(address: str) -> str | None:
    """The bare address of 'a@b.com' or 'Name <a@b.com>', lower-cased in its domain; None when malformed."""
    if not isinstance(address, str) or "\n" in address or "\r" in address:
        return None
    _name, bare = parseaddr(address.strip())
    if bare.count("@") != 1:
        return None
    local, domain = bare.split("@")
    if not _LOCAL.match(local) or local.startswith(".") or ".." in local or not valid_domain(domain.lower()):
        return None
    return f"{local}@{domain.lower()}"


def parent_domains(address_or_domain: str) -> list[str]:
    """The domains an identity inherits verification from: the address's domain and each parent domain."""
    domain = address_or_domain.split("@")[-1]
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def placeholders(*parts: str | None) -> list[str]:
    """The {{placeholder}} names of a template's parts, in first-use order."""
    names: list[str] = []
    for part in parts:
        for name in _PLACEHOLDER.findall(part or ""):
            if name not in names:
                names.append(name)
    return names


def render(part: str | None, data: dict[str, str]) -> str | None:
    if part is None:
        return None
    return _PLACEHOLDER.sub(lambda m: str(data[m.group(1)]), part)


def valid_template_name(name: str) -> bool:
    return bool(_TEMPLATE_NAME.match(name))


def valid_tag(text: str) -> bool:
    return bool(_TAG.match(text))
