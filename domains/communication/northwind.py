"""Northwind Labs' people as the communication services' seeds know them: one roster, and what each service
derives from a name (a work address, a social handle).

The seeds share the roster without storing it. Each draws its people from its own Faker, seeded with the same
seed, one ``fake.first_name(), fake.last_name()`` pair after another, so the streams agree name for name:
Slack's 150 members are the stream's first 150 distinct names, the ticket system's staff its first 60, Zoom's
users its first ones, the messaging directory and the social network its first hundreds. A seed that has
already spent its Faker on other people (an email provider's customers) reads the roster here, from a fresh
Faker seeded the same way: the same names, in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from faker import Faker

DOMAIN = "northwindlabs.com"
# The service desk's shared mailbox: the sender of every email the desk sends about a ticket.
IT_DESK_ADDRESS = f"it-help@{DOMAIN}"
# Northwind's new Mailgun sending domains: a platform engineer says in #eng-platform they published each one's DNS
# records (Slack's seed); Mailgun's seed holds the domains, the second one's DKIM key still missing from DNS.
MAILGUN_DOMAINS = (f"updates.{DOMAIN}", f"mg.{DOMAIN}")
# Slack members (by their place in the roster) who moved to a new handle on the social network; their old
# account is still there, their Slack profile gives the new one.
MOVED_POSITIONS = range(5, 150, 12)
MOVED_SUFFIX = "_nwl"


def _stream(seed: int) -> Iterator[tuple[str, str]]:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    while True:
        yield fake.first_name(), fake.last_name()


def roster(seed: int, count: int) -> list[tuple[str, str]]:
    """The first ``count`` distinct names of the seed's stream, as Slack draws its members."""
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    for first, last in _stream(seed):
        if len(names) == count:
            break
        if f"{first} {last}" not in seen:
            seen.add(f"{first} {last}")
            names.append((first, last))
    return names


def work_address(first: str, last: str) -> str:
    """A colleague's Northwind address (their Zoom login): first.last@northwindlabs.com."""
    return f"{first}.{last}".lower().replace("'", "").replace(" ", "") + f"@{DOMAIN}"


def social_handle(first: str, last: str, position: int, taken: set[str]) -> str:
    """The handle the network's ``position``-th account gets: one of four styles of the name, made unique."""
    base = [f"{first}{last}", f"{first}_{last}", f"{first[0]}{last}", f"{first}.{last[0]}"][position % 4]
    handle = re.sub(r"[^a-z0-9_]", "", base.lower().replace(".", "_"))[:15]
    candidate, n = handle, 1
    while candidate in taken:
        n += 1
        candidate = f"{handle[:13]}{n}"
    taken.add(candidate)
    return candidate


def social_handles(seed: int, names: list[tuple[str, str]]) -> dict[str, str]:
    """Each of these people's handle on the network (their first account there), by full name."""
    wanted = {f"{first} {last}" for first, last in names}
    handles: dict[str, str] = {}
    taken: set[str] = set()
    for position, (first, last) in enumerate(_stream(seed)):
        handle = social_handle(first, last, position, taken)
        handles.setdefault(f"{first} {last}", handle)
        if wanted <= handles.keys():
            return {name: handles[name] for name in sorted(wanted)}
    raise AssertionError("unreachable: the stream is endless")


def moved_handles(seed: int) -> dict[str, str]:
    """The colleagues who moved to a new handle, by full name, and their new handle."""
    people = roster(seed, max(MOVED_POSITIONS) + 1)
    moved: dict[str, str] = {}
    for position in MOVED_POSITIONS:
        first, last = people[position]
        base = re.sub(r"[^a-z0-9]", "", (first[0] + last).lower())[: 15 - len(MOVED_SUFFIX) - 1]
        handle, n = base + MOVED_SUFFIX, 1
        while handle in moved.values():
            n += 1
            handle = f"{base}{n}{MOVED_SUFFIX}"
        moved[f"{first} {last}"] = handle
    return moved
