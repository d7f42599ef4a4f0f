"""What the tools return (typed views) and the helpers that build them: offers, deals in effect, carts
and their shipping options."""

from __future__ import annotations

import datetime as dt
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .models import (
    BACKORDER_DAYS,
    FREE_SHIPPING_THRESHOLD,
    STANDARD_DAYS,
    STANDARD_SHIPPING_FEE,
    TWO_DAY_DAYS,
    TWO_DAY_FEE,
    BrowseNode,
    Customer,
    Item,
    VariationFamily,
)

AVAILABILITY_MESSAGES = {
    "Now": "In Stock",
    "Backorder": "Temporarily out of stock. Order now and we'll deliver when available.",
    "Unavailable": "Currently unavailable.",
}


class DealView(TypedDict):
    deal_id: str
    deal_type: str
    deal_price: int
    percent_claimed: int
    start_time: str
    end_time: str
    prime_exclusive: bool


class ItemSummary(TypedDict):
    asin: str
    title: str
    brand: str
    parent_asin: str | None
    size: str | None
    color: str | None
    price: int
    list_price: int | None
    savings_percent: int
    prime_eligible: bool
    availability: str
    star_rating: float
    review_count: int
    deal_price: int | None


class SearchResult(TypedDict):
    total_result_count: int
    item_page: int
    items: list[ItemSummary]


class ItemDetails(TypedDict):
    asin: str
    title: str
    brand: str
    browse_node_id: str
    browse_node_name: str
    parent_asin: str | None
    size: str | None
    color: str | None
    condition: str
    merchant: str
    price: int
    list_price: int | None
    savings: int
    savings_percent: int
    prime_eligible: bool
    availability: str
    availability_message: str
    max_order_quantity: int
    star_rating: float
    review_count: int
    sales_rank: int
    release_date: str
    deal: DealView | None


class ShippingOption(TypedDict):
    shipping_speed: str
    available: bool
    cost: int
    estimated_delivery: str | None


class CartLine(TypedDict):
    asin: str
    title: str
    size: str | None
    color: str | None
    quantity: int
    unit_price: int
    regular_price: int
    deal_applied: bool
    prime_eligible: bool
    availability: str
    line_total: int


class CartView(TypedDict):
    customer_id: str
    prime_member: bool
    lines: list[CartLine]
    item_count: int
    items_subtotal: int
    shipping_options: list[ShippingOption]


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def money(cents: int) -> str:
    return f"${cents / 100:,.2f}"


def require_customer(ctx: ToolContext, customer_id: str) -> dict[str, Any]:
    return ctx.rows(Customer).require(customer_id.strip(), missing=f"There is no Amazon customer {customer_id}.")


def require_item(ctx: ToolContext, asin: str) -> dict[str, Any]:
    """A buyable ASIN; a parent ASIN is refused with a pointer to its variations."""
    key = asin.strip().upper()
    item = ctx.rows(Item).get(key)
    if item is not None:
        return item
    if ctx.rows(VariationFamily).get(key) is not None:
        raise DomainError(f"{key} is a variation parent; pick one of its sizes or colours (see get_variations).")
    raise DomainError(f"There is no item with ASIN {asin}.")


def node_name(ctx: ToolContext, browse_node_id: str) -> str:
    node = ctx.rows(BrowseNode).get(browse_node_id)
    return node["display_name"] if node else ""


def savings(item: dict[str, Any]) -> tuple[int, int]:
    """Savings against the list price, in cents and whole percent (0 without a higher list price)."""
    basis = item["list_price"]
    if not basis or basis <= item["price"]:
        return 0, 0
    return basis - item["price"], round(100 * (basis - item["price"]) / basis)


def deal_status(ctx: ToolContext, deal: dict[str, Any]) -> str:
    now = stamp(ctx.now)
    if now < deal["start_time"]:
        return "UPCOMING"
    if now >= deal["end_time"]:
        return "ENDED"
    return "FULLY_CLAIMED" if deal["percent_claimed"] >= 100 else "ACTIVE"


def running_deal(ctx: ToolContext, asin: str, prime_member: bool | None) -> dict[str, Any] | None:
    """The active deal that prices this ASIN now for this shopper (None: nobody in particular, so a
    Prime-exclusive deal does not count), the lowest deal price first."""
    rows = ctx.query(
        "SELECT * FROM deals WHERE asin = ? AND start_time <= ? AND end_time > ? AND percent_claimed < 100 "
        "ORDER BY deal_price, deal_id",
        [asin, stamp(ctx.now), stamp(ctx.now)],
    )
    for deal in rows:
        if not deal["prime_exclusive"] or prime_member:
            return deal
    return None


def deal_view(deal: dict[str, Any]) -> DealView:
    return {
        "deal_id": deal["deal_id"],
        "deal_type": deal["deal_type"],
        "deal_price": deal["deal_price"],
        "percent_claimed": deal["percent_claimed"],
        "start_time": deal["start_time"],
        "end_time": deal["end_time"],
        "prime_exclusive": bool(deal["prime_exclusive"]),
    }


def current_price(ctx: ToolContext, item: dict[str, Any], prime_member: bool | None = None) -> int:
    deal = running_deal(ctx, item["asin"], prime_member)
    return int(deal["deal_price"]) if deal else int(item["price"])


def summary(ctx: ToolContext, item: dict[str, Any]) -> ItemSummary:
    deal = running_deal(ctx, item["asin"], True)
    return {
        "asin": item["asin"],
        "title": item["title"],
        "brand": item["brand"],
        "parent_asin": item["parent_asin"],
        "size": item["size"],
        "color": item["color"],
        "price": item["price"],
        "list_price": item["list_price"],
        "savings_percent": savings(item)[1],
        "prime_eligible": bool(item["prime_eligible"]),
        "availability": item["availability_type"],
        "star_rating": item["star_rating"],
        "review_count": item["review_count"],
        "deal_price": deal["deal_price"] if deal else None,
    }


def details(ctx: ToolContext, item: dict[str, Any]) -> ItemDetails:
    saved, percent = savings(item)
    deal = running_deal(ctx, item["asin"], True)
    message = AVAILABILITY_MESSAGES[item["availability_type"]]
    if item["availability_type"] == "Now" and item["stock"] <= 5:
        message = f"Only {item['stock']} left in stock - order soon."
    return {
        "asin": item["asin"],
        "title": item["title"],
        "brand": item["brand"],
        "browse_node_id": item["browse_node_id"],
        "browse_node_name": node_name(ctx, item["browse_node_id"]),
        "parent_asin": item["parent_asin"],
        "size": item["size"],
        "color": item["color"],
        "condition": item["condition"],
        "merchant": item["merchant"],
        "price": item["price"],
        "list_price": item["list_price"],
        "savings": saved,
        "savings_percent": percent,
        "prime_eligible": bool(item["prime_eligible"]),
        "availability": item["availability_type"],
        "availability_message": message,
        "max_order_quantity": item["max_order_quantity"],
        "star_rating": item["star_rating"],
        "review_count": item["review_count"],
        "sales_rank": item["sales_rank"],
        "release_date": item["release_date"],
        "deal": deal_view(deal) if deal else None,
    }


def cart_lines(ctx: ToolContext, customer: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any], int]]:
    """(cart row, item, unit price at checkout) for each line, oldest first."""
    rows = ctx.query(
        "SELECT c.quantity, c.asin, c.added_at, i.* FROM cart_items c JOIN items i ON i.asin = c.asin "
        "WHERE c.customer_id = ? ORDER BY c.added_at, c.asin",
        [customer["customer_id"]],
    )
    return [(row, row, current_price(ctx, row, bool(customer["prime_member"]))) for row in rows]


def shipping_options(
    ctx: ToolContext, customer: dict[str, Any], lines: list[tuple[dict[str, Any], dict[str, Any], int]]
) -> list[ShippingOption]:
    """What each shipping speed costs for these lines and when they would arrive."""
    if not lines:
        return []
    subtotal = sum(unit * int(row["quantity"]) for row, _, unit in lines)
    all_prime = all(item["prime_eligible"] for _, item, _ in lines)
    prime = bool(customer["prime_member"]) and all_prime
    backorder = any(item["availability_type"] == "Backorder" for _, item, _ in lines)
    extra = BACKORDER_DAYS if backorder else 0
    today = ctx.now.date()
    standard_cost = 0 if prime or subtotal >= FREE_SHIPPING_THRESHOLD else STANDARD_SHIPPING_FEE
    return [
        {
            "shipping_speed": "standard",
            "available": True,
            "cost": standard_cost,
            "estimated_delivery": (today + dt.timedelta(days=STANDARD_DAYS + extra)).isoformat(),
        },
        {
            "shipping_speed": "two_day",
            "available": all_prime,
            "cost": (0 if prime else TWO_DAY_FEE) if all_prime else 0,
            "estimated_delivery": (today + dt.timedelta(days=TWO_DAY_DAYS + extra)).isoformat() if all_prime else None,
        },
    ]


def cart_view(ctx: ToolContext, customer: dict[str, Any]) -> CartView:
    lines = cart_lines(ctx, customer)
    return {
        "customer_id": customer["customer_id"],
        "prime_member": bool(customer["prime_member"]),
        "lines": [
            {
                "asin": item["asin"],
                "title": item["title"],
                "size": item["size"],
                "color": item["color"],
                "quantity": row["quantity"],
                "unit_price": unit,
                "regular_price": item["price"],
                "deal_applied": unit != item["price"],
                "prime_eligible": bool(item["prime_eligible"]),
                "availability": item["availability_type"],
                "line_total": unit * int(row["quantity"]),
            }
            for row, item, unit in lines
        ],
        "item_count": sum(int(row["quantity"]) for row, _, _ in lines),
        "items_subtotal": sum(unit * int(row["quantity"]) for row, _, unit in lines),
        "shipping_options": shipping_options(ctx, customer, lines),
    }
