"""Task-synthesis hints for Mailgun: argument samplers for tools whose arguments must agree with the state
(an address that really is on a suppression list, a member really on a list, a domain that can send)."""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env


@env.arguments("delete_suppression")
def sample_unsuppress(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT domain, address FROM bounces ORDER BY domain, address")
    if not rows:
        return None
    row = rng.choice(rows)
    return {"domain": row["domain"], "suppression_type": "bounces", "address": row["address"]}


@env.arguments("update_list_member")
def sample_member_change(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT list_address, address, subscribed FROM list_members ORDER BY list_address, address")
    if not rows:
        return None
    row = rng.choice(rows)
    return {"list_address": row["list_address"], "address": row["address"], "subscribed": not row["subscribed"]}
