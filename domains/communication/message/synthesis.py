"""Task-synthesis hints for message: samplers for the write tools whose arguments follow from the state."""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env

_NOTES = (
    "Can we push our sync to tomorrow morning?",
    "I've put the updated slides in the shared folder.",
    "Thanks, that fixed it!",
    "Are you around for a quick call at 3?",
    "Please send me the invoice when you have it.",
)


def _owner(ctx: ToolContext) -> str | None:
    rows = ctx.query("SELECT owner_id FROM workspace")
    return rows[0]["owner_id"] if rows else None


@env.arguments("message_login")
def sample_login(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Someone not signed in now signs in on the device (the owner, or a colleague borrowing it)."""
    current = ctx.query("SELECT current_user FROM workspace")
    signed_in = current[0]["current_user"] if current else None
    rows = ctx.query("SELECT user_id FROM users WHERE user_id != ? ORDER BY position", (signed_in or "",))
    return {"user_id": rng.choice(rows)["user_id"]} if rows else None


@env.arguments("send_message")
def sample_send(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A short note to a colleague, after logging in as the owner when nobody is logged in."""
    owner = _owner(ctx)
    rows = ctx.query("SELECT user_id FROM users WHERE user_id != ? ORDER BY position", (owner or "",))
    if not rows or owner is None:
        return None
    arguments: dict[str, Any] = {"receiver_id": rng.choice(rows)["user_id"], "message": rng.choice(_NOTES)}
    if not ctx.query("SELECT current_user FROM workspace")[0]["current_user"]:
        arguments["__prerequisites__"] = [{"tool": "message_login", "arguments": {"user_id": owner}}]
    return arguments


@env.arguments("delete_message")
def sample_delete(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Unsend the latest message to someone the log has messages for."""
    owner = _owner(ctx)
    rows = ctx.query("SELECT DISTINCT receiver_id FROM messages ORDER BY receiver_id")
    if not rows or owner is None:
        return None
    arguments: dict[str, Any] = {"receiver_id": rng.choice(rows)["receiver_id"]}
    if not ctx.query("SELECT current_user FROM workspace")[0]["current_user"]:
        arguments["__prerequisites__"] = [{"tool": "message_login", "arguments": {"user_id": owner}}]
    return arguments
