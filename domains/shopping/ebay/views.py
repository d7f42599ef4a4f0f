"""What the tools return (typed views) and the helpers that build them and check who may act."""

from __future__ import annotations

import datetime as dt
from typing import Any, NotRequired

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .auction import minimum_bid
from .models import MAX_PAGE, Category, Item, Order, User


class CategoryView(TypedDict):
    category_id: str
    name: str
    parent_id: str | None
    leaf: bool
    active_listings: int


class ItemSummary(TypedDict):
    item_id: str
    title: str
    price: int
    shipping_cost: int
    condition: str
    buying_format: str
    bid_count: int
    buy_it_now_price: int | None
    best_offer_enabled: bool
    end_time: str
    seller: str
    item_location: str


class SearchPage(TypedDict):
    total: int
    items: list[ItemSummary]


class ReturnPolicy(TypedDict):
    returns_accepted: bool
    return_days: int
    return_shipping_paid_by: str


class ItemDetails(TypedDict):
    item_id: str
    title: str
    category_id: str
    category_name: str
    condition: str
    description: str
    buying_format: str
    listing_status: str
    price: int
    start_price: int
    bid_count: int
    minimum_bid: int | None
    reserve_met: bool | None
    buy_it_now_price: int | None
    best_offer_enabled: bool
    quantity: int
    quantity_sold: int
    shipping_service: str
    shipping_cost: int
    handling_days: int
    return_policy: ReturnPolicy
    item_location: str
    start_time: str
    end_time: str
    watch_count: int
    seller: str
    seller_feedback_score: int
    seller_positive_percent: float
    seller_top_rated: bool


class UserProfile(TypedDict):
    username: str
    feedback_score: int
    positive_percent: float
    positive_count: int
    neutral_count: int
    negative_count: int
    member_since: str
    location: str
    top_rated_seller: bool
    active_listings: int
    recent_feedback: list[dict[str, str]]


class LineItemView(TypedDict):
    line_item_id: str
    item_id: str
    title: str
    quantity: int
    unit_price: int
    shipping_cost: int
    return_deadline: str | None


class OrderView(TypedDict):
    order_id: str
    buyer: str
    seller: str
    created_at: str
    payment_status: str
    fulfillment_status: str
    total: int
    ship_to: str
    carrier: str | None
    tracking_number: str | None
    shipped_at: str | None
    delivered_at: str | None
    line_items: list[LineItemView]
    returns: list[dict[str, Any]]
    feedback_left_by_buyer: bool
    feedback_left_by_seller: bool


class OrderSummary(TypedDict):
    order_id: str
    created_at: str
    buyer: str
    seller: str
    titles: list[str]
    total: int
    payment_status: str
    fulfillment_status: str


class OrderPage(TypedDict):
    total: int
    orders: list[OrderSummary]


class BidResult(TypedDict):
    item_id: str
    your_max_bid: int
    current_price: int
    high_bidder: bool
    bid_count: int
    reserve_met: bool | None
    minimum_bid: int
    end_time: str


class BiddingEntry(TypedDict):
    item_id: str
    title: str
    your_max_bid: int
    current_price: int
    high_bidder: bool
    listing_status: str
    end_time: str


class OfferView(TypedDict):
    offer_id: str
    item_id: str
    title: str
    buyer: str
    price: int
    quantity: int
    message: str
    status: str
    created_at: str
    order_id: NotRequired[str]


class WatchEntry(TypedDict):
    item_id: str
    title: str
    price: int
    shipping_cost: int
    buying_format: str
    bid_count: int
    listing_status: str
    end_time: str


class WatchResult(TypedDict):
    item_id: str
    watching: bool
    watch_count: int
    watchlist_size: int


class ListingResult(TypedDict):
    item_id: str
    title: str
    listing_status: str
    buying_format: str
    price: int
    quantity: int
    shipping_cost: int
    return_days: int
    best_offer_enabled: bool
    start_time: str
    end_time: str


class ReturnView(TypedDict):
    return_id: str
    order_id: str
    item_id: str
    reason: str
    status: str
    refund_amount: int
    return_shipping_paid_by: str
    return_deadline: str


class FeedbackResult(TypedDict):
    order_id: str
    to_user: str
    rating: str
    comment: str
    their_feedback_score: int


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def page(limit: int, offset: int, cap: int = MAX_PAGE) -> tuple[int, int]:
    if not 1 <= limit <= cap:
        raise DomainError(f"limit must be between 1 and {cap}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")
    return limit, offset


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def require_member(ctx: ToolContext, username: str) -> dict[str, Any]:
    return ctx.rows(User).require(username.strip(), missing=f"There is no eBay member {username}.")


def require_item(ctx: ToolContext, item_id: str) -> dict[str, Any]:
    return ctx.rows(Item).require(item_id.strip(), missing=f"There is no listing with item number {item_id}.")


def require_order(ctx: ToolContext, order_id: str) -> dict[str, Any]:
    return ctx.rows(Order).require(order_id.strip(), missing=f"There is no order {order_id}.")


def require_own_listing(ctx: ToolContext, username: str, item_id: str) -> dict[str, Any]:
    require_member(ctx, username)
    item = require_item(ctx, item_id)
    if item["seller"] != username:
        raise DomainError(f"Only the seller ({item['seller']}) can change listing {item_id}.")
    return item


def is_live(ctx: ToolContext, item: dict[str, Any]) -> bool:
    return item["listing_status"] == "ACTIVE" and dt.datetime.fromisoformat(item["end_time"]) > ctx.now


def require_live(ctx: ToolContext, item: dict[str, Any]) -> None:
    if not is_live(ctx, item):
        raise DomainError(f"Listing {item['item_id']} ended on {item['end_time'][:16].replace('T', ' ')}.")


def feedback_score(user: dict[str, Any]) -> int:
    return int(user["positive_count"]) - int(user["negative_count"])


def positive_percent(user: dict[str, Any]) -> float:
    rated = int(user["positive_count"]) + int(user["negative_count"])
    return round(100.0 * int(user["positive_count"]) / rated, 1) if rated else 100.0


def reserve_met(item: dict[str, Any]) -> bool | None:
    if item["buying_format"] != "AUCTION" or item["reserve_price"] is None:
        return None
    return bool(item["bid_count"]) and item["price"] >= item["reserve_price"]


def buy_it_now_price(item: dict[str, Any]) -> int | None:
    """What a buyer can pay to end the listing now: a fixed price, or an auction's option before any bid."""
    if item["buying_format"] == "FIXED_PRICE":
        return int(item["price"])
    return None if item["bid_count"] else item["buy_it_now_price"]


def summary(row: dict[str, Any]) -> ItemSummary:
    return {
        "item_id": row["item_id"],
        "title": row["title"],
        "price": row["price"],
        "shipping_cost": row["shipping_cost"],
        "condition": row["condition"],
        "buying_format": row["buying_format"],
        "bid_count": row["bid_count"],
        "buy_it_now_price": buy_it_now_price(row),
        "best_offer_enabled": bool(row["best_offer_enabled"]),
        "end_time": row["end_time"],
        "seller": row["seller"],
        "item_location": row["item_location"],
    }


def details(ctx: ToolContext, item: dict[str, Any]) -> ItemDetails:
    seller = ctx.rows(User).require(item["seller"], missing="The seller's account no longer exists.")
    category = ctx.rows(Category).require(item["category_id"], missing="The listing's category no longer exists.")
    auction = item["buying_format"] == "AUCTION"
    return {
        "item_id": item["item_id"],
        "title": item["title"],
        "category_id": item["category_id"],
        "category_name": category["name"],
        "condition": item["condition"],
        "description": item["description"],
        "buying_format": item["buying_format"],
        "listing_status": item["listing_status"],
        "price": item["price"],
        "start_price": item["start_price"],
        "bid_count": item["bid_count"],
        "minimum_bid": minimum_bid(item["price"], item["bid_count"]) if auction and is_live(ctx, item) else None,
        "reserve_met": reserve_met(item),
        "buy_it_now_price": buy_it_now_price(item),
        "best_offer_enabled": bool(item["best_offer_enabled"]),
        "quantity": item["quantity"],
        "quantity_sold": item["quantity_sold"],
        "shipping_service": item["shipping_service"],
        "shipping_cost": item["shipping_cost"],
        "handling_days": item["handling_days"],
        "return_policy": {
            "returns_accepted": bool(item["returns_accepted"]),
            "return_days": item["return_days"],
            "return_shipping_paid_by": item["return_shipping_paid_by"],
        },
        "item_location": item["item_location"],
        "start_time": item["start_time"],
        "end_time": item["end_time"],
        "watch_count": item["watch_count"],
        "seller": seller["username"],
        "seller_feedback_score": feedback_score(seller),
        "seller_positive_percent": positive_percent(seller),
        "seller_top_rated": bool(seller["top_rated_seller"]),
    }


def listing_result(item: dict[str, Any]) -> ListingResult:
    return {
        "item_id": item["item_id"],
        "title": item["title"],
        "listing_status": item["listing_status"],
        "buying_format": item["buying_format"],
        "price": item["price"],
        "quantity": item["quantity"],
        "shipping_cost": item["shipping_cost"],
        "return_days": item["return_days"],
        "best_offer_enabled": bool(item["best_offer_enabled"]),
        "start_time": item["start_time"],
        "end_time": item["end_time"],
    }
