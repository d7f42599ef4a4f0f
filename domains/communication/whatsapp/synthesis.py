"""Task-synthesis hints for WhatsApp: argument samplers for tools whose arguments must agree with the state
(a message of mine still young enough to delete for everyone, an unread message, a group where I am admin)."""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env


@env.arguments("whatsapp_mark_message_read")
def sample_read(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT message_id FROM messages WHERE status = 'unread' AND from_me = 0 ORDER BY message_id")
    return {"message_id": rng.choice(rows)["message_id"]} if rows else None


@env.arguments("whatsapp_remove_group_participants")
def sample_removal(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT p.chat_jid, p.phone FROM group_participants p JOIN groups g ON g.chat_jid = p.chat_jid "
        "JOIN profile o WHERE p.phone != o.phone AND p.phone != g.owner_phone AND EXISTS (SELECT 1 FROM "
        "group_participants m WHERE m.chat_jid = p.chat_jid AND m.phone = o.phone AND m.role != 'member') "
        "ORDER BY p.chat_jid, p.phone"
    )
    row = rng.choice(rows) if rows else None
    return {"chat_jid": row["chat_jid"], "participants": [row["phone"]]} if row else None
