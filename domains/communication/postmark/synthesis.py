"""Task-synthesis hints for Postmark: argument samplers for tools whose arguments must agree with the state
(a bounce that really can be activated, an address really suppressed on a stream)."""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env


@env.arguments("activate_bounce")
def sample_activation(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT s.name AS server, b.bounce_id FROM bounces b JOIN servers s ON s.server_id = b.server_id "
        "WHERE b.inactive = 1 AND b.can_activate = 1 ORDER BY b.bounce_id"
    )
    return dict(rng.choice(rows)) if rows else None


@env.arguments("delete_suppressions")
def sample_unsuppress(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT s.name AS server, p.stream_id, p.email_address FROM suppressions p "
        "JOIN servers s ON s.server_id = p.server_id WHERE p.suppression_reason != 'SpamComplaint' "
        "ORDER BY p.server_id, p.stream_id, p.email_address"
    )
    if not rows:
        return None
    row = rng.choice(rows)
    return {"server": row["server"], "message_stream": row["stream_id"], "emails": [row["email_address"]]}
