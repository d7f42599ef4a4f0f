"""Task-synthesis hints for Zoom: argument samplers for the write tools whose arguments must agree with the
seeded state (a meeting the acting user may edit, an occurrence still on the calendar, a registration meeting,
a recording of the user's own, one in the trash).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env


def _editable(ctx: ToolContext, rng: random.Random, where: str = "") -> dict[str, Any] | None:
    rows = ctx.query(
        f"SELECT meeting_id, host_id, type FROM meetings WHERE status = 'waiting' {where} ORDER BY meeting_id"
    )
    return rng.choice(rows) if rows else None


@env.arguments("create_meeting")
def sample_create(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    user = rng.choice(ctx.query("SELECT user_id FROM users WHERE plan != 'basic' ORDER BY user_id"))
    day = (ctx.now + dt.timedelta(days=rng.randint(1, 20))).date()
    return {
        "user_id": user["user_id"],
        "topic": rng.choice(("Roadmap Review", "Hiring Sync", "Customer Escalation")),
        "start_time": f"{day.isoformat()}T{rng.choice(('09:00', '10:30', '14:00'))}:00",
        "duration": rng.choice((30, 45, 60)),
    }


@env.arguments("update_meeting")
def sample_update(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    meeting = _editable(ctx, rng, "AND mute_upon_entry = 0")
    if meeting is None:
        return None
    return {"user_id": meeting["host_id"], "meeting_id": meeting["meeting_id"], "mute_upon_entry": True}


@env.arguments("delete_meeting")
def sample_delete(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    meeting = _editable(ctx, rng, "AND type = 2")
    return {"user_id": meeting["host_id"], "meeting_id": meeting["meeting_id"]} if meeting else None


@env.arguments("add_meeting_registrant")
def sample_registrant(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    meeting = _editable(ctx, rng, "AND registration = 1")
    if meeting is None:
        return None
    first = rng.choice(("Maya", "Tom", "Lena", "Omar"))
    return {"meeting_id": meeting["meeting_id"], "email": f"{first.lower()}@example.org", "first_name": first}


@env.arguments("delete_recording")
def sample_delete_recording(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT meeting_uuid, host_id FROM recordings WHERE status = 'completed' ORDER BY meeting_uuid")
    row = rng.choice(rows)
    return {"user_id": row["host_id"], "meeting_uuid": row["meeting_uuid"]}


@env.arguments("recover_recording")
def sample_recover(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT meeting_uuid, host_id FROM recordings WHERE status = 'trashed' ORDER BY meeting_uuid")
    if not rows:
        return None
    row = rng.choice(rows)
    return {"user_id": row["host_id"], "meeting_uuid": row["meeting_uuid"]}
