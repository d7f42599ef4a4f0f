"""Task-synthesis hints for the Fake Store: argument samplers for the browsing tools, whose arguments must
match the catalog (words of a real title, an existing category, a date range that holds carts, a user
with carts). Changes need a login token, which only a login in the same episode yields, so they have no
samplers: the stories act them out."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env


@env.arguments("search_products")
def sample_search(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    title = rng.choice(ctx.query("SELECT title FROM products ORDER BY product_id"))["title"]
    words = title.split()
    return {"title": " ".join(words[: rng.randint(1, len(words))])}


@env.arguments("get_products_by_category")
def sample_category(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    category = rng.choice(ctx.query("SELECT category FROM categories ORDER BY category"))["category"]
    arguments: dict[str, Any] = {"category": category}
    if rng.random() < 0.5:
        arguments |= {"sort_by": rng.choice(("price", "rating")), "sort": rng.choice(("asc", "desc"))}
    return arguments


@env.arguments("get_all_carts")
def sample_cart_range(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    end = ctx.now.date() - dt.timedelta(days=rng.randint(0, 60))
    start = end - dt.timedelta(days=rng.choice((0, 6, 13)))
    return {"start_date": start.isoformat(), "end_date": end.isoformat()}


@env.arguments("get_user_cart")
def sample_user_cart(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query("SELECT DISTINCT user_id FROM carts ORDER BY user_id")
    return {"user_id": rng.choice(rows)["user_id"]} if rows else None
