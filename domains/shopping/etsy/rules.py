"""The marketplace's rules and views shared by the tools: ownership, the vintage rule, fees, stock, shipping."""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .models import (
    LISTING_FEE,
    LISTING_MONTHS,
    MAX_MATERIALS,
    MAX_PAGE,
    MAX_TAGS,
    USD_PER_UNIT,
    VINTAGE_MIN_YEARS,
    WHEN_MADE_LATEST_YEAR,
    LedgerEntry,
    Listing,
    ListingVariation,
    Shop,
    User,
)
from .views import ListingChange, ListingSummary, ShippingProfileView

Row = dict[str, Any]


def page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")
    return limit, offset


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def major(cents: int) -> float:
    return round(cents / 100, 2)


def to_cents(amount: float, what: str = "price") -> int:
    cents = round(amount * 100)
    if amount > 50_000:
        raise DomainError(f"The {what} cannot be above 50,000.")
    if amount <= 0 or abs(cents - amount * 100) > 1e-6:
        raise DomainError(f"The {what} must be a positive amount with at most two decimals, got {amount}.")
    return int(cents)


def usd(cents: int, currency_code: str) -> float:
    return round(cents * USD_PER_UNIT[currency_code] / 100, 2)


def item_type(listing: Row) -> str:
    if listing["is_supply"]:
        return "supplies"
    return "vintage" if listing["who_made"] == "someone_else" else "handmade"


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return moment.replace(year=year, month=month, day=min(moment.day, days[month - 1]))


def require_user(ctx: ToolContext, user_id: int) -> Row:
    return ctx.rows(User).require(user_id, missing=f"There is no Etsy user {user_id}.")


def require_shop(ctx: ToolContext, shop_id: int) -> Row:
    return ctx.rows(Shop).require(shop_id, missing=f"There is no shop {shop_id}.")


def require_listing(ctx: ToolContext, listing_id: int) -> Row:
    return ctx.rows(Listing).require(listing_id, missing=f"There is no listing {listing_id}.")


def owned_shop(ctx: ToolContext, user_id: int, shop_id: int) -> Row:
    """The shop, when ``user_id`` owns it: only owners manage a shop."""
    require_user(ctx, user_id)
    shop = require_shop(ctx, shop_id)
    if shop["user_id"] != user_id:
        raise DomainError(f"Only the owner of {shop['shop_name']} can do that; user {user_id} does not own it.")
    return shop


def owned_listing(ctx: ToolContext, user_id: int, listing_id: int) -> tuple[Row, Row]:
    listing = require_listing(ctx, listing_id)
    require_user(ctx, user_id)
    shop = require_shop(ctx, listing["shop_id"])
    if shop["user_id"] != user_id:
        raise DomainError(f"Only the owner of {shop['shop_name']} can change its listings.")
    return listing, shop


def check_maker(who_made: str, when_made: str, is_supply: bool, now: dt.datetime) -> None:
    """Etsy's item rules: handmade by the seller, vintage (20+ years old) if made by someone else, or a supply."""
    latest = WHEN_MADE_LATEST_YEAR.get(when_made)
    if latest is None:
        raise DomainError(f"Unknown when_made value {when_made!r}.")
    if who_made == "someone_else" and when_made == "made_to_order":
        raise DomainError("Only items you make yourself can be made to order.")
    if who_made == "someone_else" and not is_supply and now.year - latest < VINTAGE_MIN_YEARS:
        raise DomainError(
            f"Items made by someone else must be vintage, at least {VINTAGE_MIN_YEARS} years old; "
            f"'{when_made}' is too recent (newer items can only be sold as craft supplies)."
        )


def check_text_lists(tags: list[str], materials: list[str]) -> tuple[list[str], list[str]]:
    tags = [t.strip() for t in tags if t.strip()]
    materials = [m.strip() for m in materials if m.strip()]
    if len(tags) > MAX_TAGS or any(len(t) > 20 for t in tags):
        raise DomainError(f"A listing takes at most {MAX_TAGS} tags of up to 20 characters each.")
    if len(set(t.lower() for t in tags)) != len(tags):
        raise DomainError("Each tag can be used once per listing.")
    if len(materials) > MAX_MATERIALS or any(len(m) > 45 for m in materials):
        raise DomainError(f"A listing takes at most {MAX_MATERIALS} materials of up to 45 characters each.")
    return tags, materials


def charge_fee(ctx: ToolContext, shop: Row, listing_id: int, kind: str) -> int:
    """The $0.20 listing fee in the shop's currency, debited from its payment account."""
    fee = round(LISTING_FEE / USD_PER_UNIT[shop["currency_code"]])
    ctx.rows(LedgerEntry).add(
        entry_id=int(ctx.new_id(9, "123456789")),
        shop_id=shop["shop_id"],
        kind=kind,
        amount=-fee,
        listing_id=listing_id,
        receipt_id=None,
        created_timestamp=stamp(ctx.now),
    )
    return fee


def publish(ctx: ToolContext, listing: Row, shop: Row, kind: str) -> int:
    """Make a listing active for four months, charging the listing or renewal fee."""
    if listing["shipping_profile_id"] is None:
        raise DomainError(f"'{listing['title']}' needs a shipping profile before it can go live.")
    if listing["price"] <= 0:
        raise DomainError(f"'{listing['title']}' needs a price before it can go live.")
    if listing["quantity"] <= 0:
        raise DomainError(f"'{listing['title']}' has no stock; add quantity before it can go live.")
    fee = charge_fee(ctx, shop, listing["listing_id"], kind)
    ctx.rows(Listing).update(
        listing["listing_id"],
        state="active",
        last_renewed_timestamp=stamp(ctx.now),
        ending_timestamp=stamp(add_months(ctx.now, LISTING_MONTHS)),
    )
    return fee


def sync_quantity(ctx: ToolContext, listing_id: int) -> int:
    """A listing with variations holds the sum of its variations' stock; an active one at zero is sold out."""
    variations = ctx.rows(ListingVariation).find({"listing_id": listing_id})
    listing = require_listing(ctx, listing_id)
    total = sum(v["quantity"] for v in variations) if variations else listing["quantity"]
    changes: dict[str, Any] = {"quantity": total}
    if variations:
        changes["price"] = min(v["price"] for v in variations)
    if total == 0 and listing["state"] == "active":
        changes["state"] = "sold_out"
    ctx.rows(Listing).update(listing_id, **changes)
    return total


def listing_change(ctx: ToolContext, listing_id: int, fee: int) -> ListingChange:
    listing = require_listing(ctx, listing_id)
    return {
        "listing_id": listing["listing_id"],
        "title": listing["title"],
        "state": listing["state"],
        "quantity": listing["quantity"],
        "price": major(listing["price"]),
        "currency_code": listing["currency_code"],
        "ending_timestamp": listing["ending_timestamp"],
        "fee_charged": major(fee),
    }


def summary(listing: Row, shop_name: str) -> ListingSummary:
    return {
        "listing_id": listing["listing_id"],
        "title": listing["title"],
        "shop_id": listing["shop_id"],
        "shop_name": shop_name,
        "state": listing["state"],
        "price": major(listing["price"]),
        "currency_code": listing["currency_code"],
        "price_usd": usd(listing["price"], listing["currency_code"]),
        "quantity": listing["quantity"],
        "item_type": item_type(listing),
        "is_personalizable": bool(listing["is_personalizable"]),
        "num_favorers": listing["num_favorers"],
    }


def profile_view(ctx: ToolContext, shipping_profile_id: int) -> ShippingProfileView:
    profile = ctx.query("SELECT * FROM shipping_profiles WHERE shipping_profile_id = ?", [shipping_profile_id])[0]
    destinations = ctx.query(
        "SELECT * FROM shipping_profile_destinations WHERE shipping_profile_id = ? ORDER BY destination_country_iso",
        [shipping_profile_id],
    )
    return {
        "shipping_profile_id": profile["shipping_profile_id"],
        "title": profile["title"],
        "min_processing_days": profile["min_processing_days"],
        "max_processing_days": profile["max_processing_days"],
        "origin_country_iso": profile["origin_country_iso"],
        "destinations": [
            {
                "destination_country_iso": d["destination_country_iso"],
                "primary_cost": major(d["primary_cost"]),
                "secondary_cost": major(d["secondary_cost"]),
                "min_delivery_days": d["min_delivery_days"],
                "max_delivery_days": d["max_delivery_days"],
            }
            for d in destinations
        ],
    }


def destination(ctx: ToolContext, listing: Row, country_iso: str) -> Row | None:
    if listing["shipping_profile_id"] is None:
        return None
    rows = ctx.query(
        "SELECT d.*, p.min_processing_days, p.max_processing_days FROM shipping_profile_destinations d "
        "JOIN shipping_profiles p ON p.shipping_profile_id = d.shipping_profile_id "
        "WHERE d.shipping_profile_id = ? AND d.destination_country_iso = ?",
        [listing["shipping_profile_id"], country_iso],
    )
    return rows[0] if rows else None


def check_buyable(ctx: ToolContext, buyer: Row, listing: Row, shop: Row) -> Row:
    """Refuse what checkout refuses: inactive listings, shops on vacation, own shop, no shipping to the buyer."""
    if shop["is_vacation"]:
        note = f' Their message: "{shop["vacation_message"]}"' if shop["vacation_message"] else ""
        raise DomainError(f"{shop['shop_name']} is on vacation and is not taking orders right now.{note}")
    if listing["state"] != "active":
        raise DomainError(f"'{listing['title']}' is {listing['state'].replace('_', ' ')} and cannot be bought.")
    if shop["user_id"] == buyer["user_id"]:
        raise DomainError("You cannot buy from your own shop.")
    route = destination(ctx, listing, buyer["country_iso"])
    if route is None:
        raise DomainError(f"{shop['shop_name']} does not ship '{listing['title']}' to {buyer['country_iso']}.")
    return route


def check_personalization(listing: Row, personalization: str) -> str:
    text = personalization.strip()
    if text and not listing["is_personalizable"]:
        raise DomainError(f"'{listing['title']}' cannot be personalized.")
    if listing["personalization_is_required"] and not text:
        instructions = listing["personalization_instructions"]
        raise DomainError(f"'{listing['title']}' requires personalization: {instructions}")
    limit = listing["personalization_char_count_max"]
    if text and len(text) > limit:
        raise DomainError(f"Personalization for '{listing['title']}' is limited to {limit} characters.")
    return text


def shipping_cost(lines: list[tuple[Row, int]]) -> int:
    """Shipping for one order: the dearest first-item rate once, every other item at its additional-item rate.

    ``lines`` pairs each line's shipping destination row with its quantity.
    """
    if not lines:
        return 0
    first = max(range(len(lines)), key=lambda i: lines[i][0]["primary_cost"])
    total = 0
    for index, (route, quantity) in enumerate(lines):
        if index == first:
            total += route["primary_cost"] + route["secondary_cost"] * (quantity - 1)
        else:
            total += route["secondary_cost"] * quantity
    return total
