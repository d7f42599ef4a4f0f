"""The marketplace's API as an agent sees it: browsing, listing, bidding, buying, offers, watching,
fulfillment, returns and feedback. Every call acts as the member named by ``username``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .auction import minimum_bid, standing
from .definition import env
from .models import (
    CONDITIONS,
    FEEDBACK_WINDOW_DAYS,
    GUARANTEE_DAYS,
    LATE_END_HOURS,
    MAX_OFFERS_PER_ITEM,
    SELLER_FAULT_REASONS,
    BestOffer,
    Bid,
    BuyingFormat,
    Carrier,
    Category,
    Condition,
    EndReason,
    Feedback,
    FeedbackRating,
    FulfillmentStatus,
    Item,
    ItemSort,
    LineItem,
    ListingStatus,
    OfferAction,
    Order,
    OrderRole,
    ReturnReason,
    ReturnRequest,
    User,
    Watch,
)
from .views import (
    BiddingEntry,
    BidResult,
    CategoryView,
    FeedbackResult,
    ItemDetails,
    ListingResult,
    OfferView,
    OrderPage,
    OrderView,
    ReturnView,
    SearchPage,
    UserProfile,
    WatchEntry,
    WatchResult,
    buy_it_now_price,
    details,
    feedback_score,
    is_live,
    listing_result,
    page,
    positive_percent,
    require_item,
    require_live,
    require_member,
    require_order,
    require_own_listing,
    reserve_met,
    stamp,
    summary,
)

WATCHLIST_LIMIT = 300
MIN_PRICE = 99  # cents: the lowest price or starting bid a listing may have
SORTS = {
    "best_match": "watch_count DESC, item_id",
    "price": "(price + shipping_cost), item_id",
    "price_desc": "(price + shipping_cost) DESC, item_id",
    "ending_soonest": "end_time, item_id",
    "newly_listed": "start_time DESC, item_id",
}


def _delivered_day(order: dict[str, Any]) -> dt.date | None:
    return dt.date.fromisoformat(order["delivered_at"][:10]) if order["delivered_at"] else None


def _return_deadline(order: dict[str, Any], item: dict[str, Any]) -> str | None:
    """The last day the listing's own returns policy allows a return (None without one or before delivery)."""
    delivered = _delivered_day(order)
    if delivered is None or not item["returns_accepted"]:
        return None
    return (delivered + dt.timedelta(days=int(item["return_days"]))).isoformat()


def _create_order(
    ctx: ToolContext, buyer: dict[str, Any], item: dict[str, Any], quantity: int, unit_price: int
) -> dict[str, Any]:
    """A paid order for one listing; takes the quantity off the listing and ends it when none is left."""
    order_id = f"{ctx.new_id(2, '123456789')}-{ctx.new_id(5, '0123456789')}-{ctx.new_id(5, '0123456789')}"
    total = unit_price * quantity + int(item["shipping_cost"])
    ship_to = (
        f"{buyer['first_name']} {buyer['last_name']}, {buyer['street']}, {buyer['city']}, {buyer['state']} "
        f"{buyer['zip_code']}"
    )
    order = ctx.rows(Order).insert(
        order_id=order_id,
        buyer=buyer["username"],
        seller=item["seller"],
        created_at=stamp(ctx.now),
        payment_status="PAID",
        fulfillment_status="NOT_STARTED",
        total=total,
        ship_to=ship_to,
        carrier=None,
        tracking_number=None,
        shipped_at=None,
        delivered_at=None,
    )
    ctx.rows(LineItem).add(
        line_item_id=f"{order_id[:2]}{ctx.new_id(8, '0123456789')}",
        order_id=order_id,
        item_id=item["item_id"],
        title=item["title"],
        quantity=quantity,
        unit_price=unit_price,
        shipping_cost=item["shipping_cost"],
    )
    left = int(item["quantity"]) - quantity
    ctx.rows(Item).update(
        item["item_id"],
        quantity=left,
        quantity_sold=int(item["quantity_sold"]) + quantity,
        listing_status="ACTIVE" if left > 0 else "ENDED",
        end_time=item["end_time"] if left > 0 else stamp(ctx.now),
    )
    return order


def _order_view(ctx: ToolContext, order: dict[str, Any]) -> OrderView:
    lines = ctx.rows(LineItem).find({"order_id": order["order_id"]}, order_by="line_item_id")
    items = {line["item_id"]: ctx.rows(Item).get(line["item_id"]) or {} for line in lines}
    returns = ctx.rows(ReturnRequest).find({"order_id": order["order_id"]}, order_by="created_at")
    left = {f["role"] for f in ctx.rows(Feedback).find({"order_id": order["order_id"]})}
    return {
        "order_id": order["order_id"],
        "buyer": order["buyer"],
        "seller": order["seller"],
        "created_at": order["created_at"],
        "payment_status": order["payment_status"],
        "fulfillment_status": order["fulfillment_status"],
        "total": order["total"],
        "ship_to": order["ship_to"],
        "carrier": order["carrier"],
        "tracking_number": order["tracking_number"],
        "shipped_at": order["shipped_at"],
        "delivered_at": order["delivered_at"],
        "line_items": [
            {
                "line_item_id": line["line_item_id"],
                "item_id": line["item_id"],
                "title": line["title"],
                "quantity": line["quantity"],
                "unit_price": line["unit_price"],
                "shipping_cost": line["shipping_cost"],
                "return_deadline": _return_deadline(order, items[line["item_id"]]) if items[line["item_id"]] else None,
            }
            for line in lines
        ],
        "returns": [
            {k: r[k] for k in ("return_id", "item_id", "reason", "status", "refund_amount", "created_at")}
            for r in returns
        ],
        "feedback_left_by_buyer": "buyer" in left,
        "feedback_left_by_seller": "seller" in left,
    }


def _offer_view(ctx: ToolContext, offer: dict[str, Any], order_id: str | None = None) -> OfferView:
    item = ctx.rows(Item).get(offer["item_id"]) or {"title": ""}
    view: OfferView = {
        "offer_id": offer["offer_id"],
        "item_id": offer["item_id"],
        "title": item["title"],
        "buyer": offer["buyer"],
        "price": offer["price"],
        "quantity": offer["quantity"],
        "message": offer["message"],
        "status": offer["status"],
        "created_at": offer["created_at"],
    }
    if order_id:
        view["order_id"] = order_id
    return view


def _descendants(ctx: ToolContext, category_id: str) -> list[str]:
    rows = ctx.query(
        "WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT c.category_id FROM categories c "
        "JOIN tree ON c.parent_id = tree.id) SELECT id FROM tree",
        [category_id],
    )
    return [r["id"] for r in rows]


def _money(cents: int) -> str:
    return f"${cents / 100:,.2f}"


# --------------------------------------------------------------------------------------------------
# Browse and taxonomy
# --------------------------------------------------------------------------------------------------


@env.read(intents=["what categories are there?", "show me the subcategories of {parent_id}"])
def get_categories(ctx: ToolContext, parent_id: str = "0") -> list[CategoryView]:
    """List the categories directly under a category, with how many active listings each holds.

    Args:
        parent_id: The category whose children to list; '0' (the default) is the root, giving the
            top-level categories. Listings can only be created in leaf categories.
    """
    parent = ctx.rows(Category).require(parent_id.strip(), missing=f"There is no category {parent_id}.")
    children = ctx.rows(Category).find({"parent_id": parent["category_id"]}, order_by="name")
    views: list[CategoryView] = []
    for child in children:
        ids = _descendants(ctx, child["category_id"])
        count = ctx.query(
            f"SELECT COUNT(*) AS n FROM items WHERE listing_status = 'ACTIVE' AND end_time > ? "
            f"AND category_id IN ({','.join('?' for _ in ids)})",
            [stamp(ctx.now), *ids],
        )[0]["n"]
        views.append(
            {
                "category_id": child["category_id"],
                "name": child["name"],
                "parent_id": child["parent_id"],
                "leaf": bool(child["leaf"]),
                "active_listings": int(count),
            }
        )
    return views


@env.read(
    intents=[
        "search for {q}",
        "find {condition} {q} listings under {max_price}",
        "show me auctions for {q} ending soonest",
    ]
)
def search_items(
    ctx: ToolContext,
    q: str = "",
    category_id: str | None = None,
    condition: Condition | None = None,
    buying_format: BuyingFormat | None = None,
    min_price: int | None = None,
    max_price: int | None = None,
    free_shipping: bool = False,
    returns_accepted: bool = False,
    ends_by: str | None = None,
    seller: str | None = None,
    sort: ItemSort = "best_match",
    limit: int = 10,
    offset: int = 0,
) -> SearchPage:
    """Search active listings by keywords and filters.

    Args:
        q: Keywords; every word must appear in the title (case-insensitive). Empty matches everything.
        category_id: Only listings in this category or any category below it.
        condition: 'NEW', 'NEW_OTHER' (open box), 'CERTIFIED_REFURBISHED', 'SELLER_REFURBISHED', 'USED'
            or 'FOR_PARTS_OR_NOT_WORKING'.
        buying_format: 'FIXED_PRICE' (Buy It Now) or 'AUCTION'.
        min_price: Lowest current price, in cents.
        max_price: Highest current price, in cents.
        free_shipping: Only listings that ship free.
        returns_accepted: Only listings that accept returns.
        ends_by: Only listings ending on or before this day, YYYY-MM-DD.
        seller: Only listings of this seller (username).
        sort: 'best_match' (most watched first), 'price' (price plus shipping, lowest first), 'price_desc',
            'ending_soonest' or 'newly_listed'.
        limit: Maximum number of listings to return (1-50).
        offset: Number of listings to skip, for paging.
    """
    limit, offset = page(limit, offset)
    where = ["listing_status = 'ACTIVE'", "end_time > ?"]
    params: list[Any] = [stamp(ctx.now)]
    words = q.split()
    if len(words) > 12:
        raise DomainError("Use at most 12 keywords.")
    for word in words:
        where.append("title LIKE ?")
        params.append(f"%{word}%")
    if category_id is not None:
        ctx.rows(Category).require(category_id.strip(), missing=f"There is no category {category_id}.")
        ids = _descendants(ctx, category_id.strip())
        where.append(f"category_id IN ({','.join('?' for _ in ids)})")
        params.extend(ids)
    if condition is not None:
        where.append("condition = ?")
        params.append(condition)
    if buying_format is not None:
        where.append("buying_format = ?")
        params.append(buying_format)
    if min_price is not None and max_price is not None and min_price > max_price:
        raise DomainError("min_price cannot be above max_price.")
    if min_price is not None:
        where.append("price >= ?")
        params.append(min_price)
    if max_price is not None:
        where.append("price <= ?")
        params.append(max_price)
    if free_shipping:
        where.append("shipping_cost = 0")
    if returns_accepted:
        where.append("returns_accepted = 1")
    if ends_by is not None:
        try:
            last_day = dt.date.fromisoformat(ends_by.strip())
        except ValueError:
            raise DomainError(f"ends_by must be a date as YYYY-MM-DD, not {ends_by!r}.") from None
        where.append("end_time < ?")
        params.append((last_day + dt.timedelta(days=1)).isoformat())
    if seller is not None:
        where.append("seller = ?")
        params.append(seller.strip())
    clause = " AND ".join(where)
    total = ctx.query(f"SELECT COUNT(*) AS n FROM items WHERE {clause}", params)[0]["n"]
    rows = ctx.query(
        f"SELECT * FROM items WHERE {clause} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?", [*params, limit, offset]
    )
    return {"total": int(total), "items": [summary(r) for r in rows]}


@env.read(intents=["tell me about item {item_id}", "what's the current bid and shipping on {item_id}?"])
def get_item_details(ctx: ToolContext, item_id: str) -> ItemDetails:
    """Get a listing: condition, description, price or current bid, the next minimum bid, whether the
    reserve is met, Buy It Now, quantity, shipping, returns policy, end time and the seller's feedback.

    Args:
        item_id: The listing's item number, such as '354100812345'.
    """
    return details(ctx, require_item(ctx, item_id))


@env.read(intents=["what's the feedback of seller {username}?", "is {username} a trustworthy seller?"])
def get_user_profile(ctx: ToolContext, username: str) -> UserProfile:
    """A member's public profile: feedback score and counts, positive percentage, member since, location,
    Top Rated Seller status, active listings and the latest feedback received.

    Args:
        username: The member's username.
    """
    user = require_member(ctx, username)
    active = ctx.query(
        "SELECT COUNT(*) AS n FROM items WHERE seller = ? AND listing_status = 'ACTIVE' AND end_time > ?",
        [user["username"], stamp(ctx.now)],
    )[0]["n"]
    recent = ctx.rows(Feedback).find({"to_user": user["username"]}, order_by=["-created_at", "feedback_id"], limit=5)
    return {
        "username": user["username"],
        "feedback_score": feedback_score(user),
        "positive_percent": positive_percent(user),
        "positive_count": user["positive_count"],
        "neutral_count": user["neutral_count"],
        "negative_count": user["negative_count"],
        "member_since": user["member_since"],
        "location": f"{user['city']}, {user['state']}",
        "top_rated_seller": bool(user["top_rated_seller"]),
        "active_listings": int(active),
        "recent_feedback": [
            {"from_user": f["from_user"], "rating": f["rating"], "comment": f["comment"], "created_at": f["created_at"]}
            for f in recent
        ],
    }


# --------------------------------------------------------------------------------------------------
# Selling: listings
# --------------------------------------------------------------------------------------------------


@env.write(
    intents=[
        "list my {title} for {price} as {condition}",
        "sell my {title} at auction starting at {price}",
    ]
)
def create_listing(
    ctx: ToolContext,
    username: str,
    title: str,
    category_id: str,
    condition: Condition,
    price: int,
    buying_format: BuyingFormat = "FIXED_PRICE",
    quantity: int = 1,
    duration_days: int | None = None,
    shipping_cost: int = 0,
    shipping_service: str = "USPS Ground Advantage",
    handling_days: int = 1,
    return_days: int = 0,
    return_shipping_paid_by: str = "buyer",
    best_offer_enabled: bool = False,
    minimum_offer_price: int | None = None,
    auto_accept_price: int | None = None,
    reserve_price: int | None = None,
    buy_it_now_price: int | None = None,
    description: str = "",
) -> ListingResult:
    """Create a listing and publish it at once.

    Args:
        username: The seller.
        title: The listing title (1-80 characters).
        category_id: A leaf category (one with no subcategories), from get_categories.
        condition: 'NEW', 'NEW_OTHER', 'CERTIFIED_REFURBISHED', 'SELLER_REFURBISHED', 'USED' or
            'FOR_PARTS_OR_NOT_WORKING'.
        price: The Buy It Now price, or an auction's starting bid, in cents (at least 99).
        buying_format: 'FIXED_PRICE' (the default) or 'AUCTION'.
        quantity: Units for sale; auctions sell exactly 1.
        duration_days: An auction's length: 1, 3, 5, 7 (the default) or 10 days. Fixed-price listings are
            Good 'Til Cancelled (renewed every 30 days); leave this empty for them.
        shipping_cost: What the buyer pays for shipping, in cents; 0 (the default) for free shipping.
        shipping_service: The shipping service, such as 'USPS Ground Advantage' (the default) or 'UPS Ground'.
        handling_days: Business days to ship after payment (1-10).
        return_days: 0 (the default) for no returns, or 30 or 60 days after delivery.
        return_shipping_paid_by: Who pays return postage when returns are accepted: 'buyer' (the default)
            or 'seller'.
        best_offer_enabled: Let buyers make offers (fixed price only).
        minimum_offer_price: Offers below this are declined automatically, in cents.
        auto_accept_price: Offers at or above this are accepted automatically, in cents.
        reserve_price: An auction's hidden minimum selling price, in cents (above the starting bid).
        buy_it_now_price: An auction's Buy It Now option, in cents (at least 30% above the starting bid).
        description: The item description (up to 1000 characters).
    """
    seller = require_member(ctx, username)
    title = " ".join(title.split())
    if not 1 <= len(title) <= 80:
        raise DomainError("A title must be 1 to 80 characters long.")
    category = ctx.rows(Category).require(category_id.strip(), missing=f"There is no category {category_id}.")
    if not category["leaf"]:
        raise DomainError(f"{category['name']} has subcategories; list the item in one of them (a leaf category).")
    if condition not in CONDITIONS:
        raise DomainError(f"Unknown condition {condition!r}.")
    if price < MIN_PRICE:
        raise DomainError("The price or starting bid must be at least $0.99.")
    if shipping_cost < 0 or shipping_cost > 100_000:
        raise DomainError("Shipping must cost between $0 and $1,000.")
    if not shipping_service.strip() or len(shipping_service) > 40:
        raise DomainError("Name a shipping service of up to 40 characters.")
    if not 1 <= handling_days <= 10:
        raise DomainError("Handling time must be 1 to 10 business days.")
    if return_days not in (0, 30, 60):
        raise DomainError("Returns are accepted for 30 or 60 days, or not at all (0).")
    if return_shipping_paid_by not in ("buyer", "seller"):
        raise DomainError("Return postage is paid by 'buyer' or 'seller'.")
    if len(description) > 1000:
        raise DomainError("The description is limited to 1000 characters.")
    auction = buying_format == "AUCTION"
    if auction:
        days = 7 if duration_days is None else duration_days
        if days not in (1, 3, 5, 7, 10):
            raise DomainError("An auction runs 1, 3, 5, 7 or 10 days.")
        if quantity != 1:
            raise DomainError("An auction sells exactly one item; use a fixed-price listing for more.")
        if best_offer_enabled or minimum_offer_price is not None or auto_accept_price is not None:
            raise DomainError("Best offers are only available on fixed-price listings.")
        if reserve_price is not None and reserve_price <= price:
            raise DomainError("The reserve price must be above the starting bid.")
        if buy_it_now_price is not None and buy_it_now_price * 10 < price * 13:
            raise DomainError(f"Buy It Now must be at least 30% above the starting bid ({_money(price * 13 // 10)}).")
    else:
        if duration_days is not None and duration_days != 30:
            raise DomainError("Fixed-price listings are Good 'Til Cancelled; leave the duration empty.")
        days = 30
        if reserve_price is not None or buy_it_now_price is not None:
            raise DomainError("A reserve or a separate Buy It Now price only applies to auctions.")
        if not 1 <= quantity <= 999:
            raise DomainError("Quantity must be 1 to 999.")
        if (minimum_offer_price is not None or auto_accept_price is not None) and not best_offer_enabled:
            raise DomainError("Offer thresholds need best offers turned on.")
        for name, threshold in (("minimum offer", minimum_offer_price), ("auto-accept", auto_accept_price)):
            if threshold is not None and not 0 < threshold < price:
                raise DomainError(f"The {name} price must be below the listing price.")
        if (
            minimum_offer_price is not None
            and auto_accept_price is not None
            and minimum_offer_price >= auto_accept_price
        ):
            raise DomainError("The minimum offer price must be below the auto-accept price.")
    item_id = "35" + ctx.new_id(10, "0123456789")
    item = ctx.rows(Item).insert(
        item_id=item_id,
        seller=seller["username"],
        title=title,
        category_id=category["category_id"],
        condition=condition,
        buying_format=buying_format,
        price=price,
        start_price=price,
        reserve_price=reserve_price,
        buy_it_now_price=buy_it_now_price,
        bid_count=0,
        high_bidder=None,
        quantity=quantity,
        quantity_sold=0,
        best_offer_enabled=best_offer_enabled,
        auto_accept_price=auto_accept_price,
        minimum_offer_price=minimum_offer_price,
        shipping_service=shipping_service.strip(),
        shipping_cost=shipping_cost,
        handling_days=handling_days,
        returns_accepted=return_days > 0,
        return_days=return_days,
        return_shipping_paid_by=return_shipping_paid_by,
        item_location=f"{seller['city']}, {seller['state']}",
        description=description.strip(),
        listing_status="ACTIVE",
        start_time=stamp(ctx.now),
        end_time=stamp(ctx.now + dt.timedelta(days=days)),
        watch_count=0,
    )
    return listing_result(item)


@env.write(
    intents=[
        "lower the price of my listing {item_id} to {price}",
        "change the shipping on {item_id} to {shipping_cost}",
    ]
)
def revise_listing(
    ctx: ToolContext,
    username: str,
    item_id: str,
    price: int | None = None,
    quantity: int | None = None,
    shipping_cost: int | None = None,
    return_days: int | None = None,
    best_offer_enabled: bool | None = None,
    title: str | None = None,
    description: str | None = None,
) -> ListingResult:
    """Revise an active listing you sell. Once an auction has bids only its description can change.

    Args:
        username: The seller.
        item_id: The listing's item number.
        price: New Buy It Now price or starting bid, in cents (omit to keep).
        quantity: New available quantity for a fixed-price listing (omit to keep).
        shipping_cost: New shipping cost in cents, 0 for free (omit to keep).
        return_days: 0, 30 or 60 (omit to keep).
        best_offer_enabled: Turn best offers on or off (fixed price; omit to keep).
        title: New title (omit to keep).
        description: New description (omit to keep).
    """
    item = require_own_listing(ctx, username, item_id)
    require_live(ctx, item)
    changes: dict[str, Any] = {}
    auction = item["buying_format"] == "AUCTION"
    if item["bid_count"] and any(v is not None for v in (price, quantity, shipping_cost, return_days,
                                                         best_offer_enabled, title)):  # fmt: skip
        raise DomainError(f"Listing {item_id} has bids: only its description can be changed now.")
    if price is not None:
        if price < MIN_PRICE:
            raise DomainError("The price or starting bid must be at least $0.99.")
        if auction and item["reserve_price"] is not None and price >= item["reserve_price"]:
            raise DomainError("The starting bid must stay below the reserve price.")
        changes.update(price=price, start_price=price)
        if not auction:
            for name in ("auto_accept_price", "minimum_offer_price"):
                if item[name] is not None and item[name] >= price:
                    changes[name] = None  # an offer threshold above the new price would make no sense
    if quantity is not None:
        if auction:
            raise DomainError("An auction sells exactly one item.")
        if not 1 <= quantity <= 999:
            raise DomainError("Quantity must be 1 to 999; end the listing to stop selling.")
        changes["quantity"] = quantity
    if shipping_cost is not None:
        if not 0 <= shipping_cost <= 100_000:
            raise DomainError("Shipping must cost between $0 and $1,000.")
        changes["shipping_cost"] = shipping_cost
    if return_days is not None:
        if return_days not in (0, 30, 60):
            raise DomainError("Returns are accepted for 30 or 60 days, or not at all (0).")
        changes.update(return_days=return_days, returns_accepted=return_days > 0)
    if best_offer_enabled is not None:
        if auction and best_offer_enabled:
            raise DomainError("Best offers are only available on fixed-price listings.")
        changes["best_offer_enabled"] = best_offer_enabled
    if title is not None:
        text = " ".join(title.split())
        if not 1 <= len(text) <= 80:
            raise DomainError("A title must be 1 to 80 characters long.")
        changes["title"] = text
    if description is not None:
        if len(description) > 1000:
            raise DomainError("The description is limited to 1000 characters.")
        changes["description"] = description.strip()
    changes = {k: v for k, v in changes.items() if item[k] != v}
    if not changes:
        raise DomainError("Nothing to change: the listing already has these values.")
    ctx.rows(Item).update(item["item_id"], **changes)
    return listing_result(require_item(ctx, item_id))


@env.write(intents=["end my listing {item_id}", "take down {item_id}, it's no longer available"])
def end_listing(ctx: ToolContext, username: str, item_id: str, reason: EndReason) -> ListingResult:
    """End one of your active listings early. An auction with bids cannot be ended in its last 12 hours;
    before that, ending it cancels its bids and nothing is sold.

    Args:
        username: The seller.
        item_id: The listing's item number.
        reason: 'NOT_AVAILABLE' (no longer for sale), 'INCORRECT_PRICE', 'LOST_OR_BROKEN' or
            'OTHER_LISTING_ERROR'.
    """
    item = require_own_listing(ctx, username, item_id)
    require_live(ctx, item)
    if item["bid_count"]:
        left = dt.datetime.fromisoformat(item["end_time"]) - ctx.now
        if left < dt.timedelta(hours=LATE_END_HOURS):
            raise DomainError(
                f"Listing {item_id} has bids and ends in under {LATE_END_HOURS} hours, so it can no longer be "
                "ended early."
            )
        for bid in ctx.rows(Bid).find({"item_id": item["item_id"]}):
            ctx.rows(Bid).delete(bid["bid_id"])
    ctx.rows(Item).update(
        item["item_id"],
        listing_status="ENDED",
        end_time=stamp(ctx.now),
        bid_count=0,
        high_bidder=None,
        price=item["start_price"] if item["buying_format"] == "AUCTION" else item["price"],
    )
    for offer in ctx.rows(BestOffer).find({"item_id": item["item_id"], "status": "PENDING"}):
        ctx.rows(BestOffer).update(offer["offer_id"], status="DECLINED")
    return listing_result(require_item(ctx, item_id))


@env.read(intents=["show my active listings, I'm {username}", "which of my listings have ended?"])
def get_my_listings(
    ctx: ToolContext, username: str, listing_status: ListingStatus = "ACTIVE", limit: int = 20, offset: int = 0
) -> dict[str, Any]:
    """The listings a seller has, active or ended, newest first, with bids, quantity sold and watchers.

    Args:
        username: The seller.
        listing_status: 'ACTIVE' (the default) or 'ENDED'.
        limit: Maximum number of listings to return (1-50).
        offset: Number of listings to skip, for paging.
    """
    limit, offset = page(limit, offset)
    user = require_member(ctx, username)
    live = (
        "listing_status = 'ACTIVE' AND end_time > ?"
        if listing_status == "ACTIVE"
        else ("(listing_status = 'ENDED' OR end_time <= ?)")
    )
    params = [user["username"], stamp(ctx.now)]
    total = ctx.query(f"SELECT COUNT(*) AS n FROM items WHERE seller = ? AND {live}", params)[0]["n"]
    rows = ctx.query(
        f"SELECT * FROM items WHERE seller = ? AND {live} ORDER BY start_time DESC, item_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return {
        "total": int(total),
        "listings": [
            {
                **listing_result(r),
                "bid_count": r["bid_count"],
                "quantity_sold": r["quantity_sold"],
                "watch_count": r["watch_count"],
            }
            for r in rows
        ],
    }


# --------------------------------------------------------------------------------------------------
# Buying: bids, Buy It Now, best offers
# --------------------------------------------------------------------------------------------------


@env.write(intents=["bid {max_amount} on {item_id}", "put a maximum bid of {max_amount} on item {item_id}"])
def place_bid(ctx: ToolContext, username: str, item_id: str, max_amount: int) -> BidResult:
    """Place a maximum bid on an auction; the service bids for you only as far as needed to lead.

    The first bid must be at least the starting price; later bids at least the current price plus the bid
    increment. The high bidder may raise their own maximum. A bid below another bidder's higher maximum is
    accepted but leaves you outbid.

    Args:
        username: The bidder.
        item_id: The auction's item number.
        max_amount: The most you are willing to pay, in cents.
    """
    bidder = require_member(ctx, username)
    item = require_item(ctx, item_id)
    if item["buying_format"] != "AUCTION":
        raise DomainError(f"Listing {item_id} is not an auction; buy it now or make an offer instead.")
    require_live(ctx, item)
    if item["seller"] == bidder["username"]:
        raise DomainError("You cannot bid on your own listing.")
    history = ctx.query(
        "SELECT bidder, max_amount FROM bids WHERE item_id = ? ORDER BY placed_at, rowid", [item["item_id"]]
    )
    if item["high_bidder"] == bidder["username"]:
        own = max(b["max_amount"] for b in history if b["bidder"] == bidder["username"])
        if max_amount <= own:
            raise DomainError(f"You are already the high bidder with a maximum of {_money(own)}; bid more to raise it.")
    else:
        least = minimum_bid(int(item["price"]), int(item["bid_count"]))
        if max_amount < least:
            raise DomainError(f"Your bid must be at least {_money(least)}.")
    if max_amount > 100_000_000:
        raise DomainError("That bid is above the marketplace's limit.")
    ctx.rows(Bid).add(
        bid_id=f"B{ctx.new_id(9, '0123456789')}",
        item_id=item["item_id"],
        bidder=bidder["username"],
        max_amount=max_amount,
        placed_at=stamp(ctx.now),
    )
    bids = [(b["bidder"], int(b["max_amount"])) for b in history] + [(bidder["username"], max_amount)]
    price, leader = standing(bids, int(item["start_price"]), item["reserve_price"])
    ctx.rows(Item).update(item["item_id"], price=price, high_bidder=leader, bid_count=int(item["bid_count"]) + 1)
    updated = require_item(ctx, item_id)
    return {
        "item_id": item["item_id"],
        "your_max_bid": max_amount,
        "current_price": price,
        "high_bidder": leader == bidder["username"],
        "bid_count": updated["bid_count"],
        "reserve_met": reserve_met(updated),
        "minimum_bid": minimum_bid(price, int(updated["bid_count"])),
        "end_time": item["end_time"],
    }


@env.read(intents=["what am I bidding on? I'm {username}", "am I still winning my auctions?"])
def get_bidding(ctx: ToolContext, username: str, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """The auctions a member has bid on, ending soonest first: their maximum, the current price, whether
    they are the high bidder, and whether the auction has ended.

    Args:
        username: The bidder.
        limit: Maximum number of auctions to return (1-50).
        offset: Number of auctions to skip, for paging.
    """
    limit, offset = page(limit, offset)
    user = require_member(ctx, username)
    rows = ctx.query(
        "SELECT i.*, MAX(b.max_amount) AS mine FROM bids b JOIN items i ON i.item_id = b.item_id "
        "WHERE b.bidder = ? GROUP BY i.item_id ORDER BY i.end_time, i.item_id",
        [user["username"]],
    )
    entries: list[BiddingEntry] = [
        {
            "item_id": r["item_id"],
            "title": r["title"],
            "your_max_bid": r["mine"],
            "current_price": r["price"],
            "high_bidder": r["high_bidder"] == user["username"],
            "listing_status": "ACTIVE" if is_live(ctx, r) else "ENDED",
            "end_time": r["end_time"],
        }
        for r in rows
    ]
    return {"total": len(entries), "auctions": entries[offset : offset + limit]}


@env.write(intents=["buy {item_id} now", "I'll take {quantity} of {item_id} at the Buy It Now price"])
def buy_it_now(ctx: ToolContext, username: str, item_id: str, quantity: int = 1) -> OrderView:
    """Buy a listing at its Buy It Now price and pay at once; creates a paid order.

    Args:
        username: The buyer.
        item_id: The listing's item number (fixed price, or an auction whose Buy It Now is still offered).
        quantity: Units to buy (fixed price; auctions sell 1).
    """
    buyer = require_member(ctx, username)
    item = require_item(ctx, item_id)
    require_live(ctx, item)
    if item["seller"] == buyer["username"]:
        raise DomainError("You cannot buy your own listing.")
    unit = buy_it_now_price(item)
    if unit is None:
        raise DomainError(
            f"Listing {item_id} has no Buy It Now price"
            + (" any more: it disappeared with the first bid." if item["bid_count"] else ".")
        )
    if quantity < 1:
        raise DomainError("Buy at least one.")
    if quantity > item["quantity"]:
        raise DomainError(f"Only {item['quantity']} available.")
    order = _create_order(ctx, buyer, item, quantity, int(unit))
    if item["buying_format"] == "AUCTION":
        ctx.rows(Item).update(item["item_id"], price=unit)
    return _order_view(ctx, order)


@env.write(intents=["offer {price} for {item_id}", "would the seller of {item_id} take {price}? make an offer"])
def make_best_offer(
    ctx: ToolContext, username: str, item_id: str, price: int, quantity: int = 1, message: str = ""
) -> OfferView:
    """Make a best offer on a fixed-price listing that accepts offers (at most three per listing).

    The seller answers later, unless the listing's thresholds decide at once: below the seller's minimum the
    offer is declined, at or above the auto-accept price it is accepted and a paid order is created.

    Args:
        username: The buyer.
        item_id: The listing's item number.
        price: The offered price per unit, in cents (below the Buy It Now price).
        quantity: Units the offer is for.
        message: An optional note to the seller (up to 300 characters).
    """
    buyer = require_member(ctx, username)
    item = require_item(ctx, item_id)
    require_live(ctx, item)
    if item["seller"] == buyer["username"]:
        raise DomainError("You cannot make an offer on your own listing.")
    if item["buying_format"] != "FIXED_PRICE" or not item["best_offer_enabled"]:
        raise DomainError(f"The seller of listing {item_id} does not accept offers.")
    if not 0 < price < item["price"]:
        raise DomainError(f"An offer must be below the Buy It Now price of {_money(item['price'])}.")
    if not 1 <= quantity <= item["quantity"]:
        raise DomainError(f"Offer for 1 to {item['quantity']} units.")
    if len(message) > 300:
        raise DomainError("The message is limited to 300 characters.")
    mine = ctx.rows(BestOffer).find({"item_id": item["item_id"], "buyer": buyer["username"]})
    if any(o["status"] == "PENDING" for o in mine):
        raise DomainError("You already have an offer waiting for the seller's answer on this listing.")
    if len(mine) >= MAX_OFFERS_PER_ITEM:
        raise DomainError(f"You have already made {MAX_OFFERS_PER_ITEM} offers on this listing, the most allowed.")
    status = "PENDING"
    if item["minimum_offer_price"] is not None and price < item["minimum_offer_price"]:
        status = "DECLINED"
    elif item["auto_accept_price"] is not None and price >= item["auto_accept_price"]:
        status = "ACCEPTED"
    offer = ctx.rows(BestOffer).insert(
        offer_id=f"OF{ctx.new_id(8, '0123456789')}",
        item_id=item["item_id"],
        buyer=buyer["username"],
        price=price,
        quantity=quantity,
        message=message.strip(),
        status=status,
        created_at=stamp(ctx.now),
    )
    order_id = None
    if status == "ACCEPTED":
        order_id = _create_order(ctx, buyer, item, quantity, price)["order_id"]
    return _offer_view(ctx, offer, order_id)


@env.read(intents=["show the offers on my listings, I'm {username}", "what offers have I made?"])
def get_offers(
    ctx: ToolContext,
    username: str,
    role: OrderRole = "seller",
    item_id: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[OfferView]:
    """Best offers: as 'seller', those received on your listings; as 'buyer', those you made. Newest first.

    Args:
        username: The member.
        role: 'seller' (the default) or 'buyer'.
        item_id: Only offers on this listing.
        limit: Maximum number of offers to return (1-50).
        offset: Number of offers to skip, for paging.
    """
    limit, offset = page(limit, offset)
    user = require_member(ctx, username)
    sql = "SELECT o.* FROM best_offers o JOIN items i ON i.item_id = o.item_id WHERE " + (
        "i.seller = ?" if role == "seller" else "o.buyer = ?"
    )
    params: list[Any] = [user["username"]]
    if item_id is not None:
        sql += " AND o.item_id = ?"
        params.append(item_id.strip())
    rows = ctx.query(sql + " ORDER BY o.created_at DESC, o.offer_id LIMIT ? OFFSET ?", [*params, limit, offset])
    return [_offer_view(ctx, r) for r in rows]


@env.write(intents=["accept the offer {offer_id}", "decline offer {offer_id}"])
def respond_to_offer(ctx: ToolContext, username: str, offer_id: str, action: OfferAction) -> OfferView:
    """Accept or decline a pending best offer on one of your listings. Accepting creates a paid order at
    the offered price.

    Args:
        username: The seller.
        offer_id: The offer's id, from get_offers.
        action: 'accept' or 'decline'.
    """
    seller = require_member(ctx, username)
    offer = ctx.rows(BestOffer).require(offer_id.strip(), missing=f"There is no offer {offer_id}.")
    item = require_item(ctx, offer["item_id"])
    if item["seller"] != seller["username"]:
        raise DomainError("Only the listing's seller can answer this offer.")
    if offer["status"] != "PENDING":
        raise DomainError(f"Offer {offer_id} was already {offer['status'].lower()}.")
    order_id = None
    if action == "accept":
        require_live(ctx, item)
        if offer["quantity"] > item["quantity"]:
            raise DomainError(f"Only {item['quantity']} left, fewer than the offer asks for.")
        buyer = require_member(ctx, offer["buyer"])
        ctx.rows(BestOffer).update(offer["offer_id"], status="ACCEPTED")
        order_id = _create_order(ctx, buyer, item, int(offer["quantity"]), int(offer["price"]))["order_id"]
    else:
        ctx.rows(BestOffer).update(offer["offer_id"], status="DECLINED")
    return _offer_view(ctx, ctx.rows(BestOffer).require(offer["offer_id"], missing="The offer vanished."), order_id)


# --------------------------------------------------------------------------------------------------
# Watchlist
# --------------------------------------------------------------------------------------------------


@env.read(intents=["what's on my watchlist? I'm {username}", "show the items I'm watching"])
def get_watchlist(ctx: ToolContext, username: str, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """The listings a member watches, ending soonest first, with their price, bids and status.

    Args:
        username: The member.
        limit: Maximum number of listings to return (1-50).
        offset: Number of listings to skip, for paging.
    """
    limit, offset = page(limit, offset)
    user = require_member(ctx, username)
    rows = ctx.query(
        "SELECT i.* FROM watchlist w JOIN items i ON i.item_id = w.item_id WHERE w.username = ? "
        "ORDER BY i.end_time, i.item_id",
        [user["username"]],
    )
    entries: list[WatchEntry] = [
        {
            "item_id": r["item_id"],
            "title": r["title"],
            "price": r["price"],
            "shipping_cost": r["shipping_cost"],
            "buying_format": r["buying_format"],
            "bid_count": r["bid_count"],
            "listing_status": "ACTIVE" if is_live(ctx, r) else "ENDED",
            "end_time": r["end_time"],
        }
        for r in rows
    ]
    return {"total": len(entries), "items": entries[offset : offset + limit]}


@env.write(intents=["watch item {item_id}", "add {item_id} to my watchlist"])
def watch_item(ctx: ToolContext, username: str, item_id: str) -> WatchResult:
    """Add an active listing to your watchlist (up to 300 listings).

    Args:
        username: The member.
        item_id: The listing's item number.
    """
    user = require_member(ctx, username)
    item = require_item(ctx, item_id)
    require_live(ctx, item)
    watches = ctx.rows(Watch)
    if watches.get(user["username"], item["item_id"]) is not None:
        raise DomainError(f"Listing {item_id} is already on your watchlist.")
    size = watches.count({"username": user["username"]})
    if size >= WATCHLIST_LIMIT:
        raise DomainError(f"Your watchlist is full ({WATCHLIST_LIMIT} listings); remove one first.")
    watches.add(username=user["username"], item_id=item["item_id"], added_at=stamp(ctx.now))
    ctx.rows(Item).update(item["item_id"], watch_count=int(item["watch_count"]) + 1)
    return {"item_id": item["item_id"], "watching": True, "watch_count": int(item["watch_count"]) + 1,
            "watchlist_size": size + 1}  # fmt: skip


@env.write(intents=["stop watching {item_id}", "remove {item_id} from my watchlist"])
def unwatch_item(ctx: ToolContext, username: str, item_id: str) -> WatchResult:
    """Remove a listing from your watchlist.

    Args:
        username: The member.
        item_id: The listing's item number.
    """
    user = require_member(ctx, username)
    item = require_item(ctx, item_id)
    watches = ctx.rows(Watch)
    if watches.get(user["username"], item["item_id"]) is None:
        raise DomainError(f"Listing {item_id} is not on your watchlist.")
    watches.delete(user["username"], item["item_id"])
    count = max(0, int(item["watch_count"]) - 1)
    ctx.rows(Item).update(item["item_id"], watch_count=count)
    return {"item_id": item["item_id"], "watching": False, "watch_count": count,
            "watchlist_size": watches.count({"username": user["username"]})}  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Orders and fulfillment
# --------------------------------------------------------------------------------------------------


@env.read(intents=["show me order {order_id}", "where is my order {order_id}? has it shipped?"])
def get_order_details(ctx: ToolContext, username: str, order_id: str) -> OrderView:
    """An order you bought or sold: line items, total, payment and shipping status, tracking, delivery,
    each item's return deadline under the listing's policy, returns and feedback.

    Args:
        username: The buyer or the seller of the order.
        order_id: The order number, such as '12-34567-89012'.
    """
    user = require_member(ctx, username)
    order = require_order(ctx, order_id)
    if user["username"] not in (order["buyer"], order["seller"]):
        raise DomainError(f"Order {order_id} is not one of your orders.")
    return _order_view(ctx, order)


@env.read(intents=["list my purchases, I'm {username}", "which of my sold orders still need shipping?"])
def get_orders(
    ctx: ToolContext,
    username: str,
    role: OrderRole = "buyer",
    fulfillment_status: FulfillmentStatus | None = None,
    limit: int = 20,
    offset: int = 0,
) -> OrderPage:
    """Your orders, newest first: as 'buyer' your purchases, as 'seller' what you sold.

    Args:
        username: The member.
        role: 'buyer' (the default) or 'seller'.
        fulfillment_status: Only orders that are 'NOT_STARTED' (not shipped yet), 'SHIPPED' or 'DELIVERED'.
        limit: Maximum number of orders to return (1-50).
        offset: Number of orders to skip, for paging.
    """
    limit, offset = page(limit, offset)
    user = require_member(ctx, username)
    where: dict[str, Any] = {role: user["username"]}
    if fulfillment_status is not None:
        where["fulfillment_status"] = fulfillment_status
    table = ctx.rows(Order)
    rows = table.find(where, order_by=["-created_at", "order_id"], limit=limit, offset=offset)
    return {
        "total": table.count(where),
        "orders": [
            {
                "order_id": o["order_id"],
                "created_at": o["created_at"],
                "buyer": o["buyer"],
                "seller": o["seller"],
                "titles": [line["title"] for line in ctx.rows(LineItem).find({"order_id": o["order_id"]})],
                "total": o["total"],
                "payment_status": o["payment_status"],
                "fulfillment_status": o["fulfillment_status"],
            }
            for o in rows
        ],
    }


@env.write(intents=["mark order {order_id} shipped with {carrier} tracking {tracking_number}"])
def mark_order_shipped(
    ctx: ToolContext, username: str, order_id: str, carrier: Carrier, tracking_number: str
) -> OrderView:
    """Mark a paid order you sold as shipped and add its tracking number.

    Args:
        username: The seller.
        order_id: The order number.
        carrier: 'USPS', 'UPS', 'FedEx' or 'DHL'.
        tracking_number: The carrier's tracking number (8-30 letters and digits).
    """
    user = require_member(ctx, username)
    order = require_order(ctx, order_id)
    if order["seller"] != user["username"]:
        raise DomainError(f"Only the seller can ship order {order_id}.")
    if order["payment_status"] != "PAID":
        raise DomainError(f"Order {order_id} has not been paid yet; wait for payment before shipping.")
    if order["fulfillment_status"] != "NOT_STARTED":
        raise DomainError(f"Order {order_id} is already {order['fulfillment_status'].lower()}.")
    number = tracking_number.strip().replace(" ", "").upper()
    if not (8 <= len(number) <= 30 and number.isalnum()):
        raise DomainError("A tracking number is 8 to 30 letters and digits.")
    ctx.rows(Order).update(
        order["order_id"], fulfillment_status="SHIPPED", carrier=carrier, tracking_number=number,
        shipped_at=stamp(ctx.now),
    )  # fmt: skip
    return _order_view(ctx, require_order(ctx, order_id))


# --------------------------------------------------------------------------------------------------
# Returns and feedback
# --------------------------------------------------------------------------------------------------


@env.write(
    intents=["return {item_id} from order {order_id}, reason {reason}", "it arrived broken, I want to return it"]
)
def request_return(
    ctx: ToolContext, username: str, order_id: str, item_id: str, reason: ReturnReason, comments: str = ""
) -> ReturnView:
    """Open a return for an item of a delivered order you bought.

    If the listing accepts returns, any reason is allowed within its return window after delivery. Items
    that arrived damaged, not as described or wrong are covered for 30 days after delivery whatever the
    listing says; the seller then pays return postage and the refund includes the original shipping.

    Args:
        username: The buyer.
        order_id: The order number.
        item_id: The item to return (one of the order's line items).
        reason: 'ARRIVED_DAMAGED', 'NOT_AS_DESCRIBED', 'WRONG_ITEM', 'NO_LONGER_NEEDED' or 'DOES_NOT_FIT'.
        comments: Optional details for the seller (up to 500 characters).
    """
    user = require_member(ctx, username)
    order = require_order(ctx, order_id)
    if order["buyer"] != user["username"]:
        raise DomainError(f"Only the buyer can return items from order {order_id}.")
    line = ctx.rows(LineItem).first({"order_id": order["order_id"], "item_id": item_id.strip()})
    if line is None:
        raise DomainError(f"Item {item_id} is not part of order {order_id}.")
    delivered = _delivered_day(order)
    if order["fulfillment_status"] != "DELIVERED" or delivered is None:
        raise DomainError(f"Order {order_id} has not been delivered yet; a return can be opened after delivery.")
    if ctx.rows(ReturnRequest).first({"order_id": order["order_id"], "item_id": line["item_id"]}) is not None:
        raise DomainError(f"A return is already open for item {item_id} of order {order_id}.")
    if len(comments) > 500:
        raise DomainError("Comments are limited to 500 characters.")
    item = require_item(ctx, line["item_id"])
    fault = reason in SELLER_FAULT_REASONS
    window = int(item["return_days"]) if item["returns_accepted"] else 0
    if fault:
        window = max(window, GUARANTEE_DAYS)
    if window == 0:
        raise DomainError("The seller does not accept returns for this item, and the money-back guarantee only "
                          "covers items that arrived damaged, not as described or wrong.")  # fmt: skip
    deadline = delivered + dt.timedelta(days=window)
    if ctx.now.date() > deadline:
        raise DomainError(f"The return window for this item closed on {deadline.isoformat()} "
                          f"({window} days after delivery).")  # fmt: skip
    refund = int(line["unit_price"]) * int(line["quantity"]) + (int(line["shipping_cost"]) if fault else 0)
    paid_by = "seller" if fault else item["return_shipping_paid_by"]
    ret = ctx.rows(ReturnRequest).insert(
        return_id=f"5{ctx.new_id(10, '0123456789')}",
        order_id=order["order_id"],
        item_id=line["item_id"],
        buyer=user["username"],
        reason=reason,
        comments=comments.strip(),
        return_shipping_paid_by=paid_by,
        refund_amount=refund,
        status="OPEN",
        created_at=stamp(ctx.now),
    )
    return {
        "return_id": ret["return_id"],
        "order_id": order["order_id"],
        "item_id": line["item_id"],
        "reason": reason,
        "status": "OPEN",
        "refund_amount": refund,
        "return_shipping_paid_by": paid_by,
        "return_deadline": deadline.isoformat(),
    }


@env.write(intents=["leave {rating} feedback on order {order_id}: {comment}", "rate the seller of {order_id}"])
def leave_feedback(
    ctx: ToolContext, username: str, order_id: str, rating: FeedbackRating, comment: str
) -> FeedbackResult:
    """Leave feedback for the other side of an order, once, within 60 days of the order. Sellers can only
    leave positive feedback for buyers.

    Args:
        username: The buyer or the seller of the order.
        order_id: The order number.
        rating: 'POSITIVE', 'NEUTRAL' or 'NEGATIVE'.
        comment: A short comment (1-80 characters).
    """
    user = require_member(ctx, username)
    order = require_order(ctx, order_id)
    if user["username"] == order["buyer"]:
        role, other = "buyer", order["seller"]
    elif user["username"] == order["seller"]:
        role, other = "seller", order["buyer"]
    else:
        raise DomainError(f"Order {order_id} is not one of your orders.")
    if role == "seller" and rating != "POSITIVE":
        raise DomainError("Sellers can only leave positive feedback for buyers.")
    if order["payment_status"] == "PENDING":
        raise DomainError(f"Order {order_id} has not been paid yet.")
    created = dt.datetime.fromisoformat(order["created_at"])
    if ctx.now - created > dt.timedelta(days=FEEDBACK_WINDOW_DAYS):
        raise DomainError(f"Feedback can only be left within {FEEDBACK_WINDOW_DAYS} days of the order; "
                          f"order {order_id} was placed on {order['created_at'][:10]}.")  # fmt: skip
    if ctx.rows(Feedback).first({"order_id": order["order_id"], "role": role}) is not None:
        raise DomainError(f"You have already left feedback for order {order_id}.")
    text = " ".join(comment.split())
    if not 1 <= len(text) <= 80:
        raise DomainError("Feedback comments are 1 to 80 characters.")
    ctx.rows(Feedback).add(
        feedback_id=f"FB{ctx.new_id(8, '0123456789')}",
        order_id=order["order_id"],
        from_user=user["username"],
        to_user=other,
        role=role,
        rating=rating,
        comment=text,
        created_at=stamp(ctx.now),
    )
    target = require_member(ctx, other)
    column = f"{rating.lower()}_count"
    ctx.rows(User).update(other, **{column: int(target[column]) + 1})
    updated = require_member(ctx, other)
    return {"order_id": order["order_id"], "to_user": other, "rating": rating, "comment": text,
            "their_feedback_score": feedback_score(updated)}  # fmt: skip
