"""Task-synthesis hints for Resend: argument samplers for tools whose arguments must agree with the state (a sender
on a verified domain, a still-scheduled email); each returns arguments that succeed."""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env


@env.arguments("send_email")
def sample_send(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A plain email from a role address on a verified domain to one customer who has had mail before."""
    domains = ctx.query("SELECT name FROM domains WHERE status = 'verified' ORDER BY name")
    customers = ctx.query("SELECT DISTINCT \"to\" FROM emails WHERE last_event = 'delivered' ORDER BY \"to\" LIMIT 50")
    if not domains or not customers:
        return None
    return {
        "from_address": f"Ledgerly <hello@{rng.choice(domains)['name']}>",
        "to": [rng.choice(customers)["to"]],
        "subject": "A quick question about your account",
        "text": "Hi, could you reply with the best time for a short call this week?",
    }


@env.arguments("update_email")
def sample_reschedule(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT email_id, scheduled_at FROM emails WHERE last_event = 'scheduled' ORDER BY email_id")
    if not rows:
        return None
    row = rng.choice(rows)
    return {"email_id": row["email_id"], "scheduled_at": "2026-11-27T09:00:00Z"}
