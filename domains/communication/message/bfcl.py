"""BFCL interchange: reads and writes BFCL MessageAPI's ``initial_config``.

BFCL's keys are ``user_map`` (name -> user id, in directory order), ``inbox`` (the sent-message log: a list
of one-entry ``{receiver_id: message}`` objects), ``user_count``, ``message_count``, ``current_user``,
``random_seed`` and ``generated_ids``; a key left out takes BFCL's default. JSON has no sets, so
``generated_ids`` is written as a sorted list. What BFCL does not keep (the stream position, message ids,
senders and times, titles and teams, the workspace name) travels in ``initial_config["envfactory"]``, a
key BFCL's loader ignores.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from envfactory_gym.rows import Rows, bulk_insert, connection_of, fetch_rows

from ...bfcl.config import config_and_extension
from .models import (
    BFCL_DEFAULT_RANDOM_SEED,
    BFCL_DEFAULT_STATE,
    EXTENSION_KEY,
    WORKSPACE_KEY,
    Message,
    User,
    Workspace,
)

_MESSAGE_EXTRAS = ("message_id", "sender_id", "sent_at")
_USER_EXTRAS = ("title", "team")


def message_text(value: Any) -> str:
    """The searchable text of a log entry (BFCL's entries are strings, sometimes lists of lines)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "\n".join(value)
    raise TypeError(f"A message must be text or a list of lines, got {value!r:.60}")


def _integer(config: dict[str, Any], key: str) -> int:
    value = config[key]
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{key} must be an integer, got {value!r:.40}")
    return value


class BfclMessageInterchange:
    """Loads and dumps BFCL MessageAPI ``initial_config`` dicts (plus the ``envfactory`` key)."""

    def load(self, conn: sqlite3.Connection, data: dict[str, Any]) -> None:
        defaults = {"random_seed": BFCL_DEFAULT_RANDOM_SEED, **BFCL_DEFAULT_STATE}
        config, extension = config_and_extension(data, defaults, EXTENSION_KEY)
        user_map, inbox = config["user_map"], config["inbox"]
        if not isinstance(user_map, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in user_map.items()
        ):
            raise TypeError("user_map must map user names to user ids")
        if len(set(user_map.values())) != len(user_map):
            raise ValueError("user_map gives one user id to several names")
        if not isinstance(inbox, list) or not all(isinstance(e, dict) and len(e) == 1 for e in inbox):
            raise TypeError("inbox must be a list of one-entry {receiver_id: message} objects")
        current = config["current_user"]
        if current is not None and not isinstance(current, str):
            raise TypeError("current_user must be a user id or null")
        generated = config["generated_ids"]
        if not isinstance(generated, list | set | tuple) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in generated
        ):
            raise TypeError("generated_ids must be a list of integers")
        profiles = extension.get("profiles") or {}
        message_extras = extension.get("messages") or []
        if not isinstance(profiles, dict) or not isinstance(message_extras, list):
            raise TypeError("envfactory.profiles must be an object and envfactory.messages a list")
        bulk_insert(
            conn,
            Workspace,
            [
                {
                    "workspace_key": WORKSPACE_KEY,
                    "name": extension.get("workspace_name"),
                    "owner_id": extension.get("owner_id"),
                    "user_count": _integer(config, "user_count"),
                    "message_count": _integer(config, "message_count"),
                    "current_user": current,
                    "random_seed": _integer(config, "random_seed"),
                    "random_words_used": int(extension.get("random_words_used", 0)),
                    "generated_ids": sorted(generated),
                }
            ],
        )
        bulk_insert(
            conn,
            User,
            [
                {
                    "user_id": user_id,
                    "name": name,
                    "position": position,
                    **{key: (profiles.get(user_id) or {}).get(key) for key in _USER_EXTRAS},
                }
                for position, (name, user_id) in enumerate(user_map.items(), start=1)
            ],
        )
        rows = []
        for position, entry in enumerate(inbox, start=1):
            ((receiver, value),) = entry.items()
            extras = message_extras[position - 1] if position <= len(message_extras) else None
            extras = extras or {}
            rows.append(
                {
                    "position": position,
                    "receiver_id": str(receiver),
                    "message": message_text(value),
                    "raw": None if isinstance(value, str) else value,
                    **{key: extras.get(key) for key in _MESSAGE_EXTRAS},
                }
            )
        bulk_insert(conn, Message, rows)

    def dump(self, source: Any) -> dict[str, Any]:
        """The state as an ``initial_config`` (``source``: the state's connection, session or database)."""
        conn = connection_of(source)
        workspace = Rows(conn, Workspace).get(WORKSPACE_KEY)
        if workspace is None:
            raise ValueError("The message state has no workspace row")
        users = sorted(fetch_rows(conn, User), key=lambda u: u["position"])
        messages = sorted(fetch_rows(conn, Message), key=lambda m: m["position"])
        config: dict[str, Any] = {
            "random_seed": workspace["random_seed"],
            "generated_ids": sorted(workspace["generated_ids"]),
            "user_count": workspace["user_count"],
            "user_map": {user["name"]: user["user_id"] for user in users},
            "inbox": [{m["receiver_id"]: m["message"] if m["raw"] is None else m["raw"]} for m in messages],
            "message_count": workspace["message_count"],
            "current_user": workspace["current_user"],
        }
        extension: dict[str, Any] = {"random_words_used": workspace["random_words_used"]}
        if workspace["name"] is not None:
            extension["workspace_name"] = workspace["name"]
        if workspace["owner_id"] is not None:
            extension["owner_id"] = workspace["owner_id"]
        profiles = {
            u["user_id"]: {k: u[k] for k in _USER_EXTRAS if u[k] is not None}
            for u in users
            if any(u[k] is not None for k in _USER_EXTRAS)
        }
        if profiles:
            extension["profiles"] = profiles
        extras = [{k: m[k] for k in _MESSAGE_EXTRAS if m[k] is not None} or None for m in messages]
        if any(extras):
            extension["messages"] = extras
        config[EXTENSION_KEY] = extension
        return config
