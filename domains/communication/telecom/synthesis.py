"""Task-synthesis hints for telecom: a refuel of at most 2 GB on an Active line that has run out of data."""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env


@env.arguments("refuel_data")
def sample_refuel(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT l.customer_id, l.line_id FROM lines l JOIN plans p ON p.plan_id = l.plan_id "
        "WHERE l.status = 'Active' AND l.data_used_gb >= p.data_limit_gb ORDER BY l.line_id"
    )
    if not rows:
        return None
    row = rng.choice(rows)
    return {"customer_id": row["customer_id"], "line_id": row["line_id"], "gb_amount": rng.choice((1.0, 2.0))}
