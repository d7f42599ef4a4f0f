"""Task-synthesis hints for Kuaidi100: argument samplers for the tools whose arguments must agree with the
seeded state (the phone digits of an SF Express parcel, a parcel still being tracked, a pickup not yet
collected, an active subscription, a parcel on the user's list, a pickup slot that has not started).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed; the synthesis
pipeline executes them and keeps only chains that do.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import PICKUP_SLOTS

NOTES = ("Gift for Dad", "Textbooks", "Phone case", "Office chair parts", "")


def _trace_arguments(parcel: dict[str, Any]) -> dict[str, Any]:
    arguments: dict[str, Any] = {"com": parcel["com"], "num": parcel["num"]}
    if parcel["com"] == "shunfeng":
        arguments["phone"] = parcel["receiver_phone"][-4:]
    return arguments


@env.arguments("query_trace")
def sample_trace(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    parcels = ctx.query("SELECT num, com, receiver_phone FROM parcels ORDER BY num")
    return _trace_arguments(rng.choice(parcels)) if parcels else None


@env.arguments("subscribe_tracking")
def sample_subscription(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A parcel still moving that the user is not subscribed to yet."""
    user = rng.choice(ctx.query("SELECT user_id FROM users ORDER BY user_id"))["user_id"]
    parcels = ctx.query(
        "SELECT num, com, receiver_phone FROM parcels p WHERE state NOT IN ('signed', 'returned') AND NOT EXISTS "
        "(SELECT 1 FROM subscriptions s WHERE s.num = p.num AND s.user_id = ? AND s.status = 'active') ORDER BY num",
        [user],
    )
    if not parcels:
        return None
    url = rng.choice(("https://hooks.myshop.cn/kuaidi", "https://notify.deskapp.cn/track"))
    return {"user_id": user, **_trace_arguments(rng.choice(parcels)), "callback_url": url}


@env.arguments("save_parcel")
def sample_save(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    user = rng.choice(ctx.query("SELECT user_id FROM users ORDER BY user_id"))["user_id"]
    parcels = ctx.query(
        "SELECT num, com FROM parcels p WHERE NOT EXISTS (SELECT 1 FROM saved_parcels s WHERE s.num = p.num AND "
        "s.user_id = ?) ORDER BY num",
        [user],
    )
    parcel = rng.choice(parcels)
    return {"user_id": user, "com": parcel["com"], "num": parcel["num"], "note": rng.choice(NOTES)}


@env.arguments("update_parcel_note")
def sample_note(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT user_id, num, note FROM saved_parcels ORDER BY user_id, num")
    row = rng.choice(rows)
    note = rng.choice([n for n in NOTES if n != row["note"]])
    return {"user_id": row["user_id"], "num": row["num"], "note": note}


@env.arguments("remove_saved_parcel")
def sample_removal(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    row = rng.choice(ctx.query("SELECT user_id, num FROM saved_parcels ORDER BY user_id, num"))
    return {"user_id": row["user_id"], "num": row["num"]}


@env.arguments("unsubscribe_tracking")
def sample_unsubscribe(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT subscription_id FROM subscriptions WHERE status = 'active' ORDER BY subscription_id")
    return {"subscription_id": rng.choice(rows)["subscription_id"]} if rows else None


@env.arguments("cancel_pickup_order")
def sample_cancel_pickup(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT order_id FROM pickup_orders WHERE status = 'awaiting_pickup' ORDER BY order_id")
    return {"order_id": rng.choice(rows)["order_id"]} if rows else None


@env.arguments("create_pickup_order")
def sample_pickup(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A pickup tomorrow from a user with fewer than five waiting, to a city every courier serves from there."""
    user = rng.choice(
        ctx.query(
            "SELECT u.user_id, u.city FROM users u WHERE (SELECT COUNT(*) FROM pickup_orders o WHERE o.user_id = "
            "u.user_id AND o.status = 'awaiting_pickup') < 5 ORDER BY u.user_id"
        )
    )
    receiver = rng.choice(ctx.query("SELECT * FROM pickup_orders ORDER BY order_id"))
    return {
        "user_id": user["user_id"],
        "com": rng.choice(("zhongtong", "yuantong", "shunfeng", "jd")),
        "receiver_name": receiver["receiver_name"],
        "receiver_phone": receiver["receiver_phone"],
        "receiver_address": receiver["receiver_address"],
        "to_city": receiver["to_city"],
        "item": receiver["item"],
        "weight_kg": round(rng.uniform(0.5, 10), 1),
        "pickup_date": (ctx.now.date() + dt.timedelta(days=1)).isoformat(),
        "pickup_slot": rng.choice(PICKUP_SLOTS),
    }
