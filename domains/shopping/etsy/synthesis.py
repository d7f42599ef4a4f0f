"""Task-synthesis hints for Etsy: argument samplers for the writes whose arguments must agree with each other
and with the seeded state (a buyer the listing ships to, the variation and personalization it asks for, an
order of the seller's own shop still to ship, a shipped purchase not yet reviewed, a listing of one's own).

Each sampler reads the seeded state through ``ctx`` and returns arguments that succeed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env
from .models import REVIEW_WINDOW_DAYS

NAMES = ("Emma", "Noah", "Ava", "Leo", "Maya", "June")
REVIEW_TEXTS = ("Lovely, thank you!", "Arrived quickly and well packed.", "Smaller than I expected.")


def _buyable(ctx: ToolContext, rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """An active listing of an open shop and a buyer (not its owner) in a country it ships to."""
    rows = ctx.query(
        "SELECT l.listing_id, l.shop_id, l.quantity, l.is_personalizable, l.personalization_is_required, "
        "l.personalization_char_count_max, d.destination_country_iso AS country, sh.user_id AS owner "
        "FROM listings l JOIN shops sh ON sh.shop_id = l.shop_id JOIN shipping_profile_destinations d "
        "ON d.shipping_profile_id = l.shipping_profile_id WHERE l.state = 'active' AND sh.is_vacation = 0 "
        "AND l.quantity > 0 ORDER BY l.listing_id, d.destination_country_iso"
    )
    for _ in range(20):
        listing = rng.choice(rows)
        buyers = ctx.query(
            "SELECT user_id FROM users WHERE country_iso = ? AND user_id != ? ORDER BY user_id",
            [listing["country"], listing["owner"]],
        )
        if buyers:
            return listing, rng.choice(buyers)
    return None


@env.arguments("add_to_cart")
def sample_add_to_cart(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    found = _buyable(ctx, rng)
    if found is None:
        return None
    listing, user = found
    in_cart = ctx.query(
        "SELECT COALESCE(SUM(quantity), 0) AS n FROM cart_items WHERE user_id = ? AND listing_id = ?",
        [user["user_id"], listing["listing_id"]],
    )[0]["n"]
    arguments: dict[str, Any] = {"user_id": user["user_id"], "listing_id": listing["listing_id"]}
    options = ctx.query(
        "SELECT variation_id, quantity FROM listing_variations WHERE listing_id = ? AND quantity > ? "
        "ORDER BY variation_id",
        [listing["listing_id"], in_cart],
    )
    variations = ctx.query("SELECT 1 FROM listing_variations WHERE listing_id = ?", [listing["listing_id"]])
    if variations:
        if not options:
            return None
        arguments["variation_id"] = rng.choice(options)["variation_id"]
    elif listing["quantity"] <= in_cart:
        return None
    if listing["is_personalizable"] and (listing["personalization_is_required"] or rng.random() < 0.5):
        arguments["personalization"] = rng.choice(NAMES)[: listing["personalization_char_count_max"]]
    return arguments


@env.arguments("checkout_cart")
def sample_checkout(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A cart's shop whose every line can still be bought: active, in stock, shipped to the buyer."""
    rows = ctx.query(
        "SELECT c.user_id, c.shop_id FROM cart_items c JOIN listings l ON l.listing_id = c.listing_id "
        "JOIN shops sh ON sh.shop_id = c.shop_id JOIN users u ON u.user_id = c.user_id "
        "LEFT JOIN listing_variations v ON v.variation_id = c.variation_id "
        "GROUP BY c.user_id, c.shop_id HAVING MIN(l.state = 'active' AND sh.is_vacation = 0 "
        "AND COALESCE(v.quantity, l.quantity) >= c.quantity "
        "AND (l.personalization_is_required = 0 OR c.personalization != '') "
        "AND EXISTS (SELECT 1 FROM shipping_profile_destinations d WHERE d.shipping_profile_id = l.shipping_profile_id "
        "AND d.destination_country_iso = u.country_iso)) = 1 ORDER BY c.user_id, c.shop_id"
    )
    return dict(rng.choice(rows)) if rows else None


@env.arguments("create_receipt_shipment")
def sample_shipment(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT receipt_id, seller_user_id FROM receipts WHERE status = 'paid' AND is_shipped = 0 ORDER BY receipt_id"
    )
    if not rows:
        return None
    receipt = rng.choice(rows)
    return {
        "user_id": receipt["seller_user_id"],
        "receipt_id": receipt["receipt_id"],
        "carrier_name": rng.choice(("usps", "ups", "fedex", "royal-mail")),
        "tracking_code": "".join(rng.choice("0123456789") for _ in range(22)),
    }


@env.arguments("create_review")
def sample_review(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    since = (ctx.now - dt.timedelta(days=REVIEW_WINDOW_DAYS - 1)).isoformat(timespec="seconds")
    rows = ctx.query(
        "SELECT t.transaction_id, r.buyer_user_id FROM transactions t JOIN receipts r ON r.receipt_id = t.receipt_id "
        "WHERE r.is_shipped = 1 AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.transaction_id = t.transaction_id) "
        "AND (SELECT MIN(x.shipped_timestamp) FROM receipt_shipments x WHERE x.receipt_id = r.receipt_id) >= ? "
        "ORDER BY t.transaction_id",
        [since],
    )
    if not rows:
        return None
    row = rng.choice(rows)
    return {
        "user_id": row["buyer_user_id"],
        "transaction_id": row["transaction_id"],
        "rating": rng.randint(1, 5),
        "review": rng.choice(REVIEW_TEXTS),
    }


@env.arguments("update_listing_inventory")
def sample_restock(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT l.listing_id, l.user_id, l.quantity, l.state, l.shipping_profile_id FROM listings l "
        "WHERE NOT EXISTS (SELECT 1 FROM listing_variations v WHERE v.listing_id = l.listing_id) "
        "AND l.state IN ('active', 'sold_out', 'inactive') ORDER BY l.listing_id"
    )
    listing = rng.choice(rows)
    quantity = rng.choice([q for q in (1, 5, 10, 20) if q != listing["quantity"]])
    return {"user_id": listing["user_id"], "listing_id": listing["listing_id"], "quantity": quantity}


@env.arguments("renew_listing")
def sample_renewal(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    rows = ctx.query(
        "SELECT listing_id, user_id FROM listings WHERE state IN ('expired', 'active') AND quantity > 0 "
        "AND shipping_profile_id IS NOT NULL ORDER BY listing_id"
    )
    return dict(rng.choice(rows)) if rows else None


@env.arguments("create_listing")
def sample_new_listing(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    profiles = ctx.query(
        "SELECT p.shipping_profile_id, s.shop_id, s.user_id FROM shipping_profiles p "
        "JOIN shops s ON s.shop_id = p.shop_id ORDER BY p.shipping_profile_id"
    )
    profile = rng.choice(profiles)
    vintage = rng.random() < 0.3
    arguments: dict[str, Any] = {
        "user_id": profile["user_id"],
        "shop_id": profile["shop_id"],
        "title": rng.choice(("Vintage Enamel Teapot", "Retro Glass Vase")) if vintage else "Hand Thrown Stoneware Bowl",
        "description": "Listed from the synthesis sampler.",
        "price": rng.choice((12.0, 24.5, 60.0)),
        "quantity": rng.randint(1, 10),
        "who_made": "someone_else" if vintage else "i_did",
        "when_made": rng.choice(("1970s", "1980s")) if vintage else "made_to_order",
        "category": "Home & Living",
        "tags": ["stoneware", "bowl"] if not vintage else ["vintage", "retro"],
    }
    if rng.random() < 0.5:
        arguments |= {"shipping_profile_id": profile["shipping_profile_id"], "state": "active"}
    return arguments
