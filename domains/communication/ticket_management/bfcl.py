"""BFCL interchange: reads and writes BFCL TicketAPI's ``initial_config``.

BFCL's keys are ``ticket_queue`` (a list of ticket objects), ``ticket_counter`` and ``current_user``; a key
left out takes BFCL's default. BFCL's tickets are loose objects: some lack a title or priority, a few carry
fields of their own (``issue``, ``booking_id``) or a text id. A ticket keeps exactly the fields it was
given, so a dump gives back the same objects. What BFCL does not keep (the staff directory, the system's
name and owner) travels in ``initial_config["envfactory"]``, a key BFCL's loader
ignores.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from envfactory_gym.rows import Rows, bulk_insert, connection_of, fetch_rows

from ...bfcl.config import config_and_extension
from .models import BFCL_DEFAULT_STATE, EXTENSION_KEY, SYSTEM_KEY, TICKET_FIELDS, Staff, Ticket, TicketSystem

_SPLIT_FIELDS = (("id", "text_id"), ("priority", "text_priority"))


def ticket_row(record: dict[str, Any]) -> dict[str, Any]:
    """A BFCL ticket object as a row of ``tickets`` (without its position)."""
    if not isinstance(record, dict):
        raise TypeError(f"A ticket must be an object, got {record!r:.60}")
    row: dict[str, Any] = {field: record.get(field) for field in TICKET_FIELDS}
    # A number is stored as one, text beside it (a column holds one type).
    for field, text_field in _SPLIT_FIELDS:
        value = row.pop(field)
        if (value is not None and not isinstance(value, int | str)) or isinstance(value, bool):
            raise TypeError(f"A ticket's {field} must be a number or text, got {value!r:.40}")
        row[field], row[text_field] = (value, None) if not isinstance(value, str) else (None, value)
    for field in ("title", "description", "status", "created_by", "resolution"):
        if row[field] is not None and not isinstance(row[field], str):
            raise TypeError(f"A ticket's {field} must be text, got {row[field]!r:.40}")
    row["present"] = [field for field in TICKET_FIELDS if field in record]
    extra = {key: value for key, value in record.items() if key not in TICKET_FIELDS}
    row["extra"] = extra or None
    return row


def ticket_record(row: dict[str, Any]) -> dict[str, Any]:
    """A row of ``tickets`` as BFCL's ticket object: the fields it has, and only those."""
    record = {field: row.get(field) for field in row["present"]}
    for field, text_field in _SPLIT_FIELDS:
        if field in record and row.get(text_field) is not None:
            record[field] = row[text_field]
    record.update(row["extra"] or {})
    return record


class BfclTicketInterchange:
    """Loads and dumps BFCL TicketAPI ``initial_config`` dicts (plus the ``envfactory`` key)."""

    def load(self, conn: sqlite3.Connection, data: dict[str, Any]) -> None:
        config, extension = config_and_extension(data, BFCL_DEFAULT_STATE, EXTENSION_KEY)
        queue, counter, current = config["ticket_queue"], config["ticket_counter"], config["current_user"]
        if not isinstance(queue, list):
            raise TypeError("ticket_queue must be a list of tickets")
        if not isinstance(counter, int) or isinstance(counter, bool):
            raise TypeError(f"ticket_counter must be an integer, got {counter!r:.40}")
        if current is not None and not isinstance(current, str):
            raise TypeError("current_user must be a username or null")
        staff = extension.get("staff") or []
        if not isinstance(staff, list):
            raise TypeError("envfactory.staff must be a list")
        bulk_insert(
            conn,
            TicketSystem,
            [
                {
                    "system_key": SYSTEM_KEY,
                    "name": extension.get("system_name"),
                    "ticket_counter": counter,
                    "current_user": current,
                    "owner": extension.get("owner"),
                }
            ],
        )
        bulk_insert(conn, Staff, [dict(zip(("username", "full_name", "team"), s, strict=True)) for s in staff])
        bulk_insert(
            conn,
            Ticket,
            [{"position": n, **ticket_row(record)} for n, record in enumerate(queue, start=1)],
        )

    def dump(self, source: Any) -> dict[str, Any]:
        """The state as an ``initial_config`` (``source``: the state's connection, session or database)."""
        conn = connection_of(source)
        system = Rows(conn, TicketSystem).get(SYSTEM_KEY)
        if system is None:
            raise ValueError("The ticket state has no system row")
        tickets = sorted(fetch_rows(conn, Ticket), key=lambda t: t["position"])
        config: dict[str, Any] = {
            "ticket_queue": [ticket_record(t) for t in tickets],
            "ticket_counter": system["ticket_counter"],
            "current_user": system["current_user"],
        }
        extension: dict[str, Any] = {}
        for key, column in (("system_name", "name"), ("owner", "owner")):
            if system[column] is not None:
                extension[key] = system[column]
        staff = sorted(fetch_rows(conn, Staff), key=lambda s: s["username"])
        if staff:
            extension["staff"] = [[s["username"], s["full_name"], s["team"]] for s in staff]
        if extension:
            config[EXTENSION_KEY] = extension
        return config
