"""Task-synthesis hints for Slack: argument samplers for the write tools whose arguments must agree with the
seeded state (a member posting where they belong, a channel name nobody has, a colleague not yet in the
channel, a message the member may react to, pin or edit).

Each sampler reads the state through ``ctx`` and returns arguments that succeed; the synthesis pipeline runs
them and keeps only the chains that do.
"""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env

TEXTS = ("Thanks, that helps!", "I'll take a look this afternoon", "Can we move this to Thursday?", "Done")
OPEN_MEMBERSHIP = (
    "SELECT u.username, c.channel_id, c.name FROM channel_members m JOIN users u ON u.user_id = m.user_id JOIN "
    "channels c ON c.channel_id = m.channel_id WHERE u.deleted = 0 AND c.is_archived = 0 AND c.is_im = 0 "
    "ORDER BY c.channel_id, u.user_id"
)
JOINABLE = (
    "SELECT u.username, c.name FROM users u JOIN channels c WHERE u.deleted = 0 AND c.is_private = 0 AND c.is_im = 0 "
    "AND c.is_archived = 0 AND NOT EXISTS (SELECT 1 FROM channel_members m WHERE m.channel_id = c.channel_id AND "
    "m.user_id = u.user_id) ORDER BY c.name, u.user_id LIMIT 500"
)


def _membership(ctx: ToolContext, rng: random.Random) -> dict[str, Any]:
    return rng.choice(ctx.query(OPEN_MEMBERSHIP))


def _message_for(ctx: ToolContext, rng: random.Random, own: bool) -> dict[str, Any] | None:
    row = _membership(ctx, rng)
    messages = ctx.query(
        "SELECT m.ts FROM messages m JOIN users u ON u.user_id = m.user_id WHERE m.channel_id = ? AND m.subtype IS "
        "NULL AND (? = 0 OR u.username = ?) ORDER BY m.ts",
        [row["channel_id"], int(own), row["username"]],
    )
    if not messages:
        return None
    return {"username": row["username"], "channel": row["name"], "ts": rng.choice(messages)["ts"]}


@env.arguments("conversations_add_message")
def sample_post(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    row = _membership(ctx, rng)
    return {"username": row["username"], "channel": row["name"], "text": rng.choice(TEXTS)}


@env.arguments("conversations_create")
def sample_create(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    row = _membership(ctx, rng)
    name = f"proj-{rng.choice(('orion', 'harbor', 'sequoia', 'tundra'))}-{rng.randint(1, 99)}"
    if ctx.query("SELECT 1 FROM channels WHERE name = ?", [name]):
        return None
    return {"username": row["username"], "name": name, "is_private": rng.random() < 0.5}


@env.arguments("conversations_invite")
def sample_invite(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    row = _membership(ctx, rng)
    outside = ctx.query(
        "SELECT user_id FROM users u WHERE deleted = 0 AND NOT EXISTS (SELECT 1 FROM channel_members m WHERE "
        "m.channel_id = ? AND m.user_id = u.user_id) ORDER BY user_id",
        [row["channel_id"]],
    )
    if not outside:
        return None
    return {"username": row["username"], "channel": row["name"], "users": [rng.choice(outside)["user_id"]]}


@env.arguments("conversations_join")
def sample_join(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A member outside a public, open channel."""
    outside = ctx.query(JOINABLE)
    return {"username": (row := rng.choice(outside))["username"], "channel": row["name"]} if outside else None


@env.arguments("reactions_add")
def sample_reaction(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    found = _message_for(ctx, rng, own=False)
    return {**found, "name": rng.choice(("eyes", "white_check_mark", "pray"))} if found else None


@env.arguments("pins_add")
def sample_pin(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    found = _message_for(ctx, rng, own=False)
    if found is None or ctx.query(
        "SELECT 1 FROM pins p JOIN channels c ON c.channel_id = p.channel_id WHERE c.name = ? AND p.ts = ?",
        [found["channel"], found["ts"]],
    ):
        return None
    return found


@env.arguments("chat_update")
def sample_edit(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    found = _message_for(ctx, rng, own=True)
    return {**found, "text": rng.choice(TEXTS) + " (edited)"} if found else None


@env.arguments("conversations_open")
def sample_open(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    pair = rng.sample(ctx.query("SELECT username FROM users WHERE deleted = 0 ORDER BY user_id"), 2)
    return {"username": pair[0]["username"], "users": pair[1]["username"]}
