"""Task-synthesis hints for the price tracker: argument samplers for the tools whose arguments must agree with
the seeded state (a target below a listing's current price, an alert the user owns, a free product set for a
comparison, a seen price that differs from the tracked one).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed; the synthesis
pipeline executes them and keeps only chains that do.
"""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import ALERT_LIMITS
from .pricing import nice_price

NAMES = ("Shortlist", "Gift ideas", "Kitchen upgrade", "New phone", "Pantry restock", "Skincare")


def _below(rng: random.Random, price_fen: int) -> float:
    return nice_price(price_fen / 100 * rng.uniform(0.8, 0.95))


@env.arguments("create_price_alert")
def sample_alert(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A user with room for another alert, on a listing they do not watch yet, at a target below today's price."""
    users = [
        u
        for u in ctx.query(
            "SELECT u.user_id, u.plan, (SELECT COUNT(*) FROM price_alerts a WHERE a.user_id = u.user_id AND "
            "a.status = 'active') AS active FROM users u ORDER BY u.user_id"
        )
        if u["active"] < ALERT_LIMITS[u["plan"]]
    ]
    if not users:
        return None
    user = rng.choice(users)["user_id"]
    listings = ctx.query(
        "SELECT pos_id, price_fen FROM listings l WHERE price_fen >= 200 AND NOT EXISTS (SELECT 1 FROM price_alerts a "
        "WHERE a.user_id = ? AND a.pos_id = l.pos_id) ORDER BY pos_id",
        [user],
    )
    listing = rng.choice(listings)
    return {"user_id": user, "pos_id": listing["pos_id"], "target_price": _below(rng, listing["price_fen"])}


@env.arguments("update_price_alert")
def sample_update(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT a.user_id, a.alert_id, a.target_price_fen, l.price_fen FROM price_alerts a JOIN listings l ON "
        "l.pos_id = a.pos_id WHERE a.status = 'active' AND l.price_fen >= 200 ORDER BY a.alert_id"
    )
    if not rows:
        return None
    row = rng.choice(rows)
    target = _below(rng, row["price_fen"])
    if round(target * 100) == row["target_price_fen"]:
        return None
    return {"user_id": row["user_id"], "alert_id": row["alert_id"], "target_price": target}


@env.arguments("delete_price_alert")
def sample_delete(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT user_id, alert_id FROM price_alerts ORDER BY alert_id")
    return dict(rng.choice(rows)) if rows else None


@env.arguments("save_comparison")
def sample_comparison(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Two or three products of one kind, under a name the user has not used."""
    users = ctx.query(
        "SELECT user_id FROM users u WHERE (SELECT COUNT(*) FROM comparisons c WHERE c.user_id = u.user_id) < 10 "
        "ORDER BY user_id"
    )
    user = rng.choice(users)["user_id"]
    taken = {r["name"] for r in ctx.query("SELECT name FROM comparisons WHERE user_id = ?", [user])}
    group = rng.choice(ctx.query("SELECT DISTINCT subcategory FROM products ORDER BY subcategory"))["subcategory"]
    pids = [r["pid"] for r in ctx.query("SELECT pid FROM products WHERE subcategory = ? ORDER BY pid", [group])]
    if len(pids) < 2:
        return None
    name = rng.choice([n for n in NAMES if n not in taken] or ["My comparison"])
    return {"user_id": user, "name": name, "pids": rng.sample(pids, min(len(pids), rng.choice((2, 3))))}


@env.arguments("delete_comparison")
def sample_delete_comparison(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT user_id, comparison_id FROM comparisons ORDER BY comparison_id")
    return dict(rng.choice(rows)) if rows else None


@env.arguments("report_wrong_price")
def sample_report(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    user = rng.choice(ctx.query("SELECT user_id FROM users ORDER BY user_id"))["user_id"]
    listings = ctx.query(
        "SELECT pos_id, price_fen FROM listings l WHERE NOT EXISTS (SELECT 1 FROM price_reports r WHERE r.user_id = ? "
        "AND r.pos_id = l.pos_id AND r.status = 'pending') ORDER BY pos_id",
        [user],
    )
    listing = rng.choice(listings)
    seen = nice_price(listing["price_fen"] / 100 * rng.choice((0.9, 1.08)))
    if round(seen * 100) == listing["price_fen"]:
        return None
    return {"user_id": user, "pos_id": listing["pos_id"], "seen_price": seen}
