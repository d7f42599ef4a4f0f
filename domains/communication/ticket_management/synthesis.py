"""Task-synthesis hints for ticket_management: samplers for writes whose arguments follow from the state."""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import PRIORITIES


@env.arguments("edit_ticket")
def sample_edit(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A new priority for a ticket still being worked on (a priority it does not have yet)."""
    rows = ctx.query("SELECT id, priority FROM tickets WHERE status IN ('Open', 'In Progress') AND id IS NOT NULL")
    if not rows:
        return None
    ticket = rng.choice(rows)
    choices = [p for p in PRIORITIES if p != ticket["priority"]]
    return {"ticket_id": ticket["id"], "updates": {"priority": rng.choice(choices)}}


@env.arguments("ticket_login")
def sample_login(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A member of staff not signed in now signs in (the system checks usernames, not passwords)."""
    rows = ctx.query(
        "SELECT username FROM staff WHERE username != COALESCE((SELECT current_user FROM ticket_system), '')"
    )
    if not rows:
        return None
    return {"username": rng.choice(rows)["username"], "password": f"Spring{rng.randint(10, 99)}!"}
