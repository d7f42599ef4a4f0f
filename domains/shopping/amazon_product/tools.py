"""The store's API as an agent sees it: the Product Advertising API's catalog operations (search_items,
get_items, get_variations, get_browse_nodes) and the deals feed, then the shopper's cart, wish lists,
price-drop alerts and orders. Calls that act for a shopper take their ``customer_id``."""

from __future__ import annotations

from typing import Any, Literal

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    CART_LINE_LIMIT,
    DEFAULT_WISH_LIST,
    ITEM_PAGE,
    MAX_GET_ITEMS,
    MAX_ITEM_PAGE,
    WISH_LIST_LIMIT,
    BrowseNode,
    CartItem,
    DealType,
    Item,
    Order,
    OrderItem,
    PriceAlert,
    ShippingSpeed,
    SortBy,
    VariationFamily,
    WishList,
    WishListItem,
)
from .views import (
    CartView,
    ItemDetails,
    SearchResult,
    cart_lines,
    cart_view,
    deal_status,
    details,
    money,
    require_customer,
    require_item,
    shipping_options,
    stamp,
    summary,
)

DealStatus = Literal["ACTIVE", "FULLY_CLAIMED", "UPCOMING", "ENDED"]
Availability = Literal["Available", "IncludeOutOfStock"]
SORTS = {
    "Relevance": "sales_rank, asin",
    "Price:LowToHigh": "price, asin",
    "Price:HighToLow": "price DESC, asin",
    "AvgCustomerReviews": "star_rating DESC, review_count DESC, asin",
    "NewestArrivals": "release_date DESC, asin",
}
MAX_VARIATIONS = 30


class NodeRef(TypedDict):
    browse_node_id: str
    display_name: str


class BrowseNodeView(TypedDict):
    browse_node_id: str
    display_name: str
    is_root: bool
    ancestor: NodeRef | None
    children: list[NodeRef]
    item_count: int


class VariationItem(TypedDict):
    asin: str
    size: str | None
    color: str | None
    price: int
    prime_eligible: bool
    availability: str
    max_order_quantity: int


class VariationDimension(TypedDict):
    name: str
    values: list[str]


class VariationsResult(TypedDict):
    parent_asin: str
    title: str
    brand: str
    variation_dimensions: list[VariationDimension]
    variation_count: int
    lowest_price: int
    highest_price: int
    items: list[VariationItem]


class DealEntry(TypedDict):
    deal_id: str
    deal_type: str
    asin: str
    title: str
    status: str
    deal_price: int
    regular_price: int
    percent_off: int
    percent_claimed: int
    start_time: str
    end_time: str
    prime_exclusive: bool


class DealsResult(TypedDict):
    total_result_count: int
    deals: list[DealEntry]


class CartChange(TypedDict):
    asin: str
    quantity: int
    cart: CartView


class WishListEntry(TypedDict):
    asin: str
    title: str
    price: int
    availability: str
    added_at: str


class WishListView(TypedDict):
    name: str
    created_at: str
    items: list[WishListEntry]


class WishListChange(TypedDict):
    name: str
    asin: str | None
    item_count: int


class AlertView(TypedDict):
    asin: str
    title: str
    target_price: int
    price_when_set: int
    current_price: int
    reached: bool
    created_at: str


class OrderLine(TypedDict):
    asin: str
    title: str
    quantity: int
    unit_price: int


class OrderView(TypedDict):
    order_id: str
    placed_at: str
    status: str
    shipping_speed: str
    items_subtotal: int
    shipping_cost: int
    total: int
    estimated_delivery: str
    ship_to: str
    items: list[OrderLine]


class OrdersResult(TypedDict):
    total_result_count: int
    orders: list[OrderView]


def _page(count: int, page: int, most: int = ITEM_PAGE) -> int:
    if not 1 <= count <= most:
        raise DomainError(f"item_count must be between 1 and {most}.")
    if not 1 <= page <= MAX_ITEM_PAGE:
        raise DomainError(f"item_page must be between 1 and {MAX_ITEM_PAGE}.")
    return (page - 1) * count


def _require_node(ctx: ToolContext, browse_node_id: str) -> dict[str, Any]:
    return ctx.rows(BrowseNode).require(browse_node_id.strip(), missing=f"There is no browse node {browse_node_id}.")


def _node_ids(ctx: ToolContext, browse_node_id: str) -> list[str]:
    """A node and every node below it."""
    rows = ctx.query(
        "WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT b.browse_node_id FROM browse_nodes b "
        "JOIN tree ON b.parent_id = tree.id) SELECT id FROM tree",
        [browse_node_id],
    )
    return [r["id"] for r in rows]


def _quantity(quantity: int) -> None:
    if quantity < 1:
        raise DomainError("Quantity must be at least 1.")


def _check_orderable(item: dict[str, Any], quantity: int) -> None:
    """The cart's limits: availability, the maximum order quantity and the units left."""
    if item["availability_type"] == "Unavailable":
        raise DomainError(f"{item['title']} ({item['asin']}) is currently unavailable and cannot be added to the cart.")
    if quantity > item["max_order_quantity"]:
        raise DomainError(
            f"{item['title']} ({item['asin']}) is limited to {item['max_order_quantity']} per customer; "
            f"{quantity} is too many."
        )
    if item["availability_type"] == "Now" and quantity > item["stock"]:
        raise DomainError(f"Only {item['stock']} of {item['title']} ({item['asin']}) are left in stock.")


def _cart_row(ctx: ToolContext, customer_id: str, asin: str) -> dict[str, Any]:
    row = ctx.rows(CartItem).get(customer_id, asin)
    if row is None:
        raise DomainError(f"{asin} is not in your cart.")
    return row


def _wish_list(ctx: ToolContext, customer_id: str, list_name: str) -> dict[str, Any]:
    wanted = list_name.strip().lower()
    for row in ctx.rows(WishList).find({"customer_id": customer_id}, order_by="created_at"):
        if row["name"].lower() == wanted:
            return row
    raise DomainError(f"You have no wish list named '{list_name}'.")


def _order_view(ctx: ToolContext, order: dict[str, Any]) -> OrderView:
    lines = ctx.rows(OrderItem).find({"order_id": order["order_id"]}, order_by="asin")
    return {
        "order_id": order["order_id"],
        "placed_at": order["placed_at"],
        "status": order["status"],
        "shipping_speed": order["shipping_speed"],
        "items_subtotal": order["items_subtotal"],
        "shipping_cost": order["shipping_cost"],
        "total": order["total"],
        "estimated_delivery": order["estimated_delivery"],
        "ship_to": order["ship_to"],
        "items": [
            {"asin": li["asin"], "title": li["title"], "quantity": li["quantity"], "unit_price": li["unit_price"]}
            for li in lines
        ],
    }


# --------------------------------------------------------------------------------------------------
# Catalog (Product Advertising API)
# --------------------------------------------------------------------------------------------------


@env.read(
    intents=[
        "search for {keywords}",
        "find {keywords} under {max_price} with Prime",
        "show me the best rated items in browse node {browse_node_id}",
    ]
)
def search_items(
    ctx: ToolContext,
    keywords: str = "",
    browse_node_id: str | None = None,
    brand: str | None = None,
    min_price: int | None = None,
    max_price: int | None = None,
    min_reviews_rating: int | None = None,
    prime_only: bool = False,
    availability: Availability = "Available",
    sort_by: SortBy = "Relevance",
    item_count: int = ITEM_PAGE,
    item_page: int = 1,
) -> SearchResult:
    """Search the catalog like PA-API SearchItems. Give at least keywords, a browse node or a brand.

    Args:
        keywords: Words that must all appear in the title or brand (case-insensitive).
        browse_node_id: Only items in this browse node or any node below it.
        brand: Only items of this brand (exact name, case-insensitive).
        min_price: Lowest offer price, in cents (deal prices aside).
        max_price: Highest offer price, in cents (deal prices aside).
        min_reviews_rating: Only items rated at least this many stars on average (1-4).
        prime_only: Only Prime-eligible items.
        availability: 'Available' (the default: in stock or on backorder) or 'IncludeOutOfStock'.
        sort_by: 'Relevance' (best sellers first), 'Price:LowToHigh', 'Price:HighToLow',
            'AvgCustomerReviews' (highest average rating first, then most reviews) or 'NewestArrivals'.
        item_count: Items per page (1-10).
        item_page: Which page of results (1-10).
    """
    offset = _page(item_count, item_page)
    words = keywords.split()
    if not words and browse_node_id is None and brand is None:
        raise DomainError("Give keywords, a browse node or a brand to search.")
    if len(words) > 12:
        raise DomainError("Use at most 12 keywords.")
    where: list[str] = []
    params: list[Any] = []
    for word in words:
        where.append("(title LIKE ? OR brand LIKE ?)")
        params.extend((f"%{word}%", f"%{word}%"))
    if browse_node_id is not None:
        ids = _node_ids(ctx, _require_node(ctx, browse_node_id)["browse_node_id"])
        where.append(f"browse_node_id IN ({','.join('?' for _ in ids)})")
        params.extend(ids)
    if brand is not None:
        where.append("lower(brand) = ?")
        params.append(brand.strip().lower())
    if min_price is not None and max_price is not None and min_price > max_price:
        raise DomainError("min_price cannot be above max_price.")
    if min_price is not None:
        where.append("price >= ?")
        params.append(min_price)
    if max_price is not None:
        where.append("price <= ?")
        params.append(max_price)
    if min_reviews_rating is not None:
        if not 1 <= min_reviews_rating <= 4:
            raise DomainError("min_reviews_rating must be between 1 and 4.")
        where.append("star_rating >= ?")
        params.append(min_reviews_rating)
    if prime_only:
        where.append("prime_eligible = 1")
    if availability == "Available":
        where.append("availability_type != 'Unavailable'")
    clause = " AND ".join(where)
    total = ctx.query(f"SELECT COUNT(*) AS n FROM items WHERE {clause}", params)[0]["n"]
    rows = ctx.query(
        f"SELECT * FROM items WHERE {clause} ORDER BY {SORTS[sort_by]} LIMIT ? OFFSET ?",
        [*params, item_count, offset],
    )
    return {"total_result_count": int(total), "item_page": item_page, "items": [summary(ctx, r) for r in rows]}


@env.read(intents=["tell me about {asins}", "what does {asins} cost and how is it rated?"])
def get_items(ctx: ToolContext, asins: list[str]) -> list[ItemDetails]:
    """Get items by ASIN like PA-API GetItems: offer (price, list price, savings, condition, merchant, Prime,
    availability and maximum order quantity), browse node, rating and reviews, sales rank, release date
    and any deal running now.

    Args:
        asins: One to ten ASINs, such as ['B07XJ8C8F5'].
    """
    if not 1 <= len(asins) <= MAX_GET_ITEMS:
        raise DomainError(f"Give between 1 and {MAX_GET_ITEMS} ASINs.")
    return [details(ctx, require_item(ctx, asin)) for asin in dict.fromkeys(a.strip().upper() for a in asins)]


@env.read(intents=["what sizes and colours does {asin} come in?"])
def get_variations(ctx: ToolContext, asin: str) -> VariationsResult:
    """List a variation family like PA-API GetVariations: its dimensions (size, colour) and every child
    ASIN with its price, availability and Prime eligibility.

    Args:
        asin: The parent ASIN or any child ASIN of the family.
    """
    key = asin.strip().upper()
    family = ctx.rows(VariationFamily).get(key)
    if family is None:
        item = ctx.rows(Item).get(key)
        if item is None:
            raise DomainError(f"There is no item with ASIN {asin}.")
        if item["parent_asin"] is None:
            raise DomainError(f"{key} ({item['title']}) has no variations.")
        family = ctx.rows(VariationFamily).require(item["parent_asin"], missing="The family no longer exists.")
    children = ctx.rows(Item).find(
        {"parent_asin": family["parent_asin"]}, order_by=["color", "sales_rank", "asin"], limit=MAX_VARIATIONS
    )
    dimensions: list[dict[str, Any]] = []
    for name, column in (("Size", "size"), ("Color", "color")):
        if name in family["dimensions"].split(","):
            values = list(dict.fromkeys(str(c[column]) for c in children if c[column] is not None))
            dimensions.append({"name": name, "values": values})
    prices = [int(c["price"]) for c in children]
    return {
        "parent_asin": family["parent_asin"],
        "title": family["title"],
        "brand": family["brand"],
        "variation_dimensions": dimensions,  # type: ignore[typeddict-item]
        "variation_count": len(children),
        "lowest_price": min(prices),
        "highest_price": max(prices),
        "items": [
            {
                "asin": c["asin"],
                "size": c["size"],
                "color": c["color"],
                "price": c["price"],
                "prime_eligible": bool(c["prime_eligible"]),
                "availability": c["availability_type"],
                "max_order_quantity": c["max_order_quantity"],
            }
            for c in children
        ],
    }


@env.read(intents=["what departments are there?", "what categories are under {browse_node_ids}?"])
def get_browse_nodes(ctx: ToolContext, browse_node_ids: list[str] | None = None) -> list[BrowseNodeView]:
    """Get browse nodes like PA-API GetBrowseNodes: each node's name, its ancestor and its children, with
    how many items it holds. Without ids, the root nodes (departments).

    Args:
        browse_node_ids: Up to ten browse node ids; leave empty for the departments.
    """
    if browse_node_ids:
        if len(browse_node_ids) > 10:
            raise DomainError("Give at most ten browse node ids.")
        nodes = [_require_node(ctx, node_id) for node_id in dict.fromkeys(browse_node_ids)]
    else:
        nodes = ctx.query("SELECT * FROM browse_nodes WHERE parent_id IS NULL ORDER BY display_name")
    views: list[BrowseNodeView] = []
    for node in nodes:
        parent = ctx.rows(BrowseNode).get(node["parent_id"]) if node["parent_id"] else None
        children = ctx.rows(BrowseNode).find({"parent_id": node["browse_node_id"]}, order_by="display_name")
        ids = _node_ids(ctx, node["browse_node_id"])
        count = ctx.query(
            f"SELECT COUNT(*) AS n FROM items WHERE browse_node_id IN ({','.join('?' for _ in ids)})", ids
        )[0]["n"]
        views.append(
            {
                "browse_node_id": node["browse_node_id"],
                "display_name": node["display_name"],
                "is_root": parent is None,
                "ancestor": {"browse_node_id": parent["browse_node_id"], "display_name": parent["display_name"]}
                if parent
                else None,
                "children": [
                    {"browse_node_id": c["browse_node_id"], "display_name": c["display_name"]} for c in children
                ],
                "item_count": int(count),
            }
        )
    return views


@env.read(
    intents=["what lightning deals are on right now?", "is there a deal on {asin}?", "what's today's deal of the day?"]
)
def get_deals(
    ctx: ToolContext,
    deal_type: DealType | None = None,
    asin: str | None = None,
    browse_node_id: str | None = None,
    status: DealStatus | None = None,
    item_count: int = ITEM_PAGE,
    item_page: int = 1,
) -> DealsResult:
    """The deals feed: lightning deals (a limited number of units at the deal price until all are claimed
    or the deal ends) and the deal of the day, soonest ending first.

    Args:
        deal_type: 'LIGHTNING_DEAL' or 'DEAL_OF_THE_DAY'; both when omitted.
        asin: Only deals on this ASIN.
        browse_node_id: Only deals on items in this browse node or below it.
        status: 'ACTIVE' (running with units left), 'FULLY_CLAIMED' (running, all units claimed),
            'UPCOMING' or 'ENDED'; when omitted, every deal that has not ended.
        item_count: Deals per page (1-10).
        item_page: Which page (1-10).
    """
    offset = _page(item_count, item_page)
    where = ["1 = 1"]
    params: list[Any] = []
    if deal_type is not None:
        where.append("d.deal_type = ?")
        params.append(deal_type)
    if asin is not None:
        where.append("d.asin = ?")
        params.append(require_item(ctx, asin)["asin"])
    if browse_node_id is not None:
        ids = _node_ids(ctx, _require_node(ctx, browse_node_id)["browse_node_id"])
        where.append(f"i.browse_node_id IN ({','.join('?' for _ in ids)})")
        params.extend(ids)
    rows = ctx.query(
        "SELECT d.*, i.title, i.price FROM deals d JOIN items i ON i.asin = d.asin WHERE "
        + " AND ".join(where)
        + " ORDER BY d.end_time, d.deal_id",
        params,
    )
    wanted = [r for r in rows if (deal_status(ctx, r) == status if status else deal_status(ctx, r) != "ENDED")]
    return {
        "total_result_count": len(wanted),
        "deals": [
            {
                "deal_id": r["deal_id"],
                "deal_type": r["deal_type"],
                "asin": r["asin"],
                "title": r["title"],
                "status": deal_status(ctx, r),
                "deal_price": r["deal_price"],
                "regular_price": r["price"],
                "percent_off": round(100 * (r["price"] - r["deal_price"]) / r["price"]) if r["price"] else 0,
                "percent_claimed": r["percent_claimed"],
                "start_time": r["start_time"],
                "end_time": r["end_time"],
                "prime_exclusive": bool(r["prime_exclusive"]),
            }
            for r in wanted[offset : offset + item_count]
        ],
    }


# --------------------------------------------------------------------------------------------------
# The cart
# --------------------------------------------------------------------------------------------------


@env.read(intents=["what's in my cart?", "what would shipping cost on my cart?"])
def get_cart(ctx: ToolContext, customer_id: str) -> CartView:
    """The shopper's cart: each line at the price it would be ordered at now (deal prices applied), the
    subtotal, and what standard and two-day shipping would cost.

    Args:
        customer_id: The shopper's customer id.
    """
    return cart_view(ctx, require_customer(ctx, customer_id))


@env.write(intents=["add {quantity} of {asin} to my cart", "put {asin} in my cart"])
def add_to_cart(ctx: ToolContext, customer_id: str, asin: str, quantity: int = 1) -> CartChange:
    """Add an item to the cart; adding one that is already there raises its quantity. The item must be
    available and the line stays within its maximum order quantity and the units in stock.

    Args:
        customer_id: The shopper's customer id.
        asin: The item's ASIN (a child ASIN for an item with sizes or colours).
        quantity: How many to add (default 1).
    """
    customer = require_customer(ctx, customer_id)
    _quantity(quantity)
    item = require_item(ctx, asin)
    existing = ctx.rows(CartItem).get(customer["customer_id"], item["asin"])
    total = quantity + (int(existing["quantity"]) if existing else 0)
    _check_orderable(item, total)
    if existing:
        ctx.rows(CartItem).update((customer["customer_id"], item["asin"]), quantity=total)
    else:
        if ctx.rows(CartItem).count({"customer_id": customer["customer_id"]}) >= CART_LINE_LIMIT:
            raise DomainError(f"A cart holds at most {CART_LINE_LIMIT} different items.")
        ctx.rows(CartItem).add(customer_id=customer["customer_id"], asin=item["asin"], quantity=total,
                               added_at=stamp(ctx.now))  # fmt: skip
    return {"asin": item["asin"], "quantity": total, "cart": cart_view(ctx, customer)}


@env.write(intents=["change the quantity of {asin} in my cart to {quantity}"])
def update_cart_item(ctx: ToolContext, customer_id: str, asin: str, quantity: int) -> CartChange:
    """Set how many of a cart item to buy (within its maximum order quantity and stock).

    Args:
        customer_id: The shopper's customer id.
        asin: The ASIN of an item in the cart.
        quantity: The new quantity, at least 1 (use remove_from_cart to take it out).
    """
    customer = require_customer(ctx, customer_id)
    _quantity(quantity)
    item = require_item(ctx, asin)
    row = _cart_row(ctx, customer["customer_id"], item["asin"])
    if int(row["quantity"]) == quantity:
        raise DomainError(f"The cart already has {quantity} of {item['title']}.")
    _check_orderable(item, quantity)
    ctx.rows(CartItem).update((customer["customer_id"], item["asin"]), quantity=quantity)
    return {"asin": item["asin"], "quantity": quantity, "cart": cart_view(ctx, customer)}


@env.write(intents=["take {asin} out of my cart"])
def remove_from_cart(ctx: ToolContext, customer_id: str, asin: str) -> CartView:
    """Remove an item from the cart.

    Args:
        customer_id: The shopper's customer id.
        asin: The ASIN of an item in the cart.
    """
    customer = require_customer(ctx, customer_id)
    key = asin.strip().upper()
    _cart_row(ctx, customer["customer_id"], key)
    ctx.rows(CartItem).delete(customer["customer_id"], key)
    return cart_view(ctx, customer)


# --------------------------------------------------------------------------------------------------
# Wish lists
# --------------------------------------------------------------------------------------------------


@env.read(intents=["what's on my wish lists?"])
def get_wish_lists(ctx: ToolContext, customer_id: str) -> list[WishListView]:
    """The shopper's wish lists (oldest first) with their items and today's prices.

    Args:
        customer_id: The shopper's customer id.
    """
    customer = require_customer(ctx, customer_id)
    views: list[WishListView] = []
    for wish_list in ctx.rows(WishList).find({"customer_id": customer["customer_id"]}, order_by="created_at"):
        rows = ctx.query(
            "SELECT w.added_at, i.asin, i.title, i.price, i.availability_type FROM wish_list_items w "
            "JOIN items i ON i.asin = w.asin WHERE w.list_id = ? ORDER BY w.added_at, i.asin",
            [wish_list["list_id"]],
        )
        views.append(
            {
                "name": wish_list["name"],
                "created_at": wish_list["created_at"],
                "items": [
                    {
                        "asin": r["asin"],
                        "title": r["title"],
                        "price": r["price"],
                        "availability": r["availability_type"],
                        "added_at": r["added_at"],
                    }
                    for r in rows
                ],
            }
        )
    return views


@env.write(intents=["start a wish list called {name}"])
def create_wish_list(ctx: ToolContext, customer_id: str, name: str) -> WishListChange:
    """Create a new, empty wish list.

    Args:
        customer_id: The shopper's customer id.
        name: The list's name (1-50 characters, unique among the shopper's lists).
    """
    customer = require_customer(ctx, customer_id)
    title = " ".join(name.split())
    if not 1 <= len(title) <= 50:
        raise DomainError("A wish list name must be 1 to 50 characters.")
    lists = ctx.rows(WishList).find({"customer_id": customer["customer_id"]})
    if any(w["name"].lower() == title.lower() for w in lists):
        raise DomainError(f"You already have a wish list named '{title}'.")
    if len(lists) >= WISH_LIST_LIMIT:
        raise DomainError(f"You can keep at most {WISH_LIST_LIMIT} wish lists.")
    ctx.rows(WishList).add(list_id=ctx.new_id(12, "0123456789ABCDEF"), customer_id=customer["customer_id"],
                           name=title, created_at=stamp(ctx.now))  # fmt: skip
    return {"name": title, "asin": None, "item_count": 0}


@env.write(intents=["save {asin} to my {list_name} list", "add {asin} to my wish list"])
def add_to_wish_list(
    ctx: ToolContext, customer_id: str, asin: str, list_name: str = DEFAULT_WISH_LIST
) -> WishListChange:
    """Save an item to one of the shopper's wish lists.

    Args:
        customer_id: The shopper's customer id.
        asin: The item's ASIN (a child ASIN for an item with sizes or colours).
        list_name: The wish list's name; 'Shopping List' (the default list) when omitted.
    """
    customer = require_customer(ctx, customer_id)
    wish_list = _wish_list(ctx, customer["customer_id"], list_name)
    item = require_item(ctx, asin)
    if ctx.rows(WishListItem).get(wish_list["list_id"], item["asin"]) is not None:
        raise DomainError(f"{item['title']} is already on your '{wish_list['name']}' list.")
    ctx.rows(WishListItem).add(list_id=wish_list["list_id"], asin=item["asin"], added_at=stamp(ctx.now))
    count = ctx.rows(WishListItem).count({"list_id": wish_list["list_id"]})
    return {"name": wish_list["name"], "asin": item["asin"], "item_count": count}


@env.write(intents=["take {asin} off my {list_name} list"])
def remove_from_wish_list(
    ctx: ToolContext, customer_id: str, asin: str, list_name: str = DEFAULT_WISH_LIST
) -> WishListChange:
    """Remove an item from one of the shopper's wish lists.

    Args:
        customer_id: The shopper's customer id.
        asin: The ASIN on the list.
        list_name: The wish list's name; 'Shopping List' when omitted.
    """
    customer = require_customer(ctx, customer_id)
    wish_list = _wish_list(ctx, customer["customer_id"], list_name)
    key = asin.strip().upper()
    if ctx.rows(WishListItem).get(wish_list["list_id"], key) is None:
        raise DomainError(f"{key} is not on your '{wish_list['name']}' list.")
    ctx.rows(WishListItem).delete(wish_list["list_id"], key)
    count = ctx.rows(WishListItem).count({"list_id": wish_list["list_id"]})
    return {"name": wish_list["name"], "asin": key, "item_count": count}


# --------------------------------------------------------------------------------------------------
# Price-drop alerts
# --------------------------------------------------------------------------------------------------


def _alert_view(ctx: ToolContext, alert: dict[str, Any]) -> AlertView:
    item = ctx.rows(Item).get(alert["asin"]) or {"title": "", "price": alert["price_when_set"]}
    return {
        "asin": alert["asin"],
        "title": item["title"],
        "target_price": alert["target_price"],
        "price_when_set": alert["price_when_set"],
        "current_price": item["price"],
        "reached": int(item["price"]) <= int(alert["target_price"]),
        "created_at": alert["created_at"],
    }


@env.read(intents=["which price alerts do I have?", "has anything I'm watching dropped to my price?"])
def get_price_alerts(ctx: ToolContext, customer_id: str) -> list[AlertView]:
    """The shopper's price-drop alerts with each item's price now and whether the target is reached.

    Args:
        customer_id: The shopper's customer id.
    """
    customer = require_customer(ctx, customer_id)
    alerts = ctx.rows(PriceAlert).find({"customer_id": customer["customer_id"]}, order_by="created_at")
    return [_alert_view(ctx, a) for a in alerts]


@env.write(intents=["tell me when {asin} drops to {target_price}"])
def create_price_alert(ctx: ToolContext, customer_id: str, asin: str, target_price: int) -> AlertView:
    """Watch an item's price: the shopper is told when it falls to the target or below. The target must be
    under the item's regular price today; one alert per item.

    Args:
        customer_id: The shopper's customer id.
        asin: The item's ASIN.
        target_price: The price to be told about, in cents.
    """
    customer = require_customer(ctx, customer_id)
    item = require_item(ctx, asin)
    if target_price <= 0:
        raise DomainError("The target price must be above zero.")
    if target_price >= item["price"]:
        raise DomainError(
            f"{item['title']} already costs {money(item['price'])}, at or below {money(target_price)}; "
            "an alert needs a lower target."
        )
    existing = ctx.rows(PriceAlert).first({"customer_id": customer["customer_id"], "asin": item["asin"]})
    if existing is not None:
        raise DomainError(
            f"You already have an alert on {item['title']} at {money(existing['target_price'])}; delete it first "
            "to set a new target."
        )
    alert = ctx.rows(PriceAlert).insert(
        alert_id=f"PA{ctx.new_id(8, '0123456789')}",
        customer_id=customer["customer_id"],
        asin=item["asin"],
        target_price=target_price,
        price_when_set=item["price"],
        created_at=stamp(ctx.now),
    )
    return _alert_view(ctx, alert)


@env.write(intents=["stop the price alert on {asin}"])
def delete_price_alert(ctx: ToolContext, customer_id: str, asin: str) -> list[AlertView]:
    """Delete the shopper's price-drop alert on an item; returns the alerts left.

    Args:
        customer_id: The shopper's customer id.
        asin: The ASIN the alert watches.
    """
    customer = require_customer(ctx, customer_id)
    key = asin.strip().upper()
    alert = ctx.rows(PriceAlert).first({"customer_id": customer["customer_id"], "asin": key})
    if alert is None:
        raise DomainError(f"You have no price alert on {key}.")
    ctx.rows(PriceAlert).delete(alert["alert_id"])
    alerts = ctx.rows(PriceAlert).find({"customer_id": customer["customer_id"]}, order_by="created_at")
    return [_alert_view(ctx, a) for a in alerts]


# --------------------------------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------------------------------


@env.read(intents=["show me my recent orders", "when does my order arrive?"])
def get_orders(ctx: ToolContext, customer_id: str, item_count: int = ITEM_PAGE, item_page: int = 1) -> OrdersResult:
    """The shopper's orders, newest first, with their items, shipping, totals, status and delivery date.

    Args:
        customer_id: The shopper's customer id.
        item_count: Orders per page (1-10).
        item_page: Which page (1-10).
    """
    customer = require_customer(ctx, customer_id)
    offset = _page(item_count, item_page)
    where = {"customer_id": customer["customer_id"]}
    rows = ctx.rows(Order).find(where, order_by=["-placed_at", "order_id"], limit=item_count, offset=offset)
    return {"total_result_count": ctx.rows(Order).count(where), "orders": [_order_view(ctx, o) for o in rows]}


@env.write(intents=["order everything in my cart", "check out my cart with {shipping_speed} shipping"])
def place_order(ctx: ToolContext, customer_id: str, shipping_speed: ShippingSpeed = "standard") -> OrderView:
    """Buy everything in the cart at today's prices (deals applied) and empty the cart.

    Shipping: free standard and two-day shipping for Prime members when every item is Prime-eligible;
    otherwise standard shipping is free from $35.00 of items and $5.99 below, and two-day shipping (only
    when every item is Prime-eligible) costs $12.99 without Prime.

    Args:
        customer_id: The shopper's customer id.
        shipping_speed: 'standard' (the default) or 'two_day'.
    """
    customer = require_customer(ctx, customer_id)
    lines = cart_lines(ctx, customer)
    if not lines:
        raise DomainError("Your cart is empty.")
    for row, item, _ in lines:
        _check_orderable(item, int(row["quantity"]))
    option = next(o for o in shipping_options(ctx, customer, lines) if o["shipping_speed"] == shipping_speed)
    if not option["available"]:
        others = [item["title"] for _, item, _ in lines if not item["prime_eligible"]]
        raise DomainError(f"Two-day shipping needs every item to be Prime-eligible; {others[0]} is not.")
    subtotal = sum(unit * int(row["quantity"]) for row, _, unit in lines)
    order_id = f"11{ctx.new_id(1, '1234')}-{ctx.new_id(7, '0123456789')}-{ctx.new_id(7, '0123456789')}"
    order = ctx.rows(Order).insert(
        order_id=order_id,
        customer_id=customer["customer_id"],
        placed_at=stamp(ctx.now),
        status="Ordered",
        shipping_speed=shipping_speed,
        items_subtotal=subtotal,
        shipping_cost=option["cost"],
        total=subtotal + option["cost"],
        estimated_delivery=option["estimated_delivery"],
        ship_to=f"{customer['name']}, {customer['city']}, {customer['state']} {customer['zip_code']}",
    )
    for row, item, unit in lines:
        ctx.rows(OrderItem).add(order_id=order_id, asin=item["asin"], title=item["title"],
                                quantity=row["quantity"], unit_price=unit)  # fmt: skip
        if item["availability_type"] == "Now":
            ctx.rows(Item).update(item["asin"], stock=int(item["stock"]) - int(row["quantity"]))
        ctx.rows(CartItem).delete(customer["customer_id"], item["asin"])
    return _order_view(ctx, order)


@env.write(intents=["cancel my order {order_id}"])
def cancel_order(ctx: ToolContext, customer_id: str, order_id: str) -> OrderView:
    """Cancel an order that has not shipped yet; in-stock units go back to the shelf.

    Args:
        customer_id: The shopper's customer id.
        order_id: The order number, such as '112-1234567-1234567'.
    """
    customer = require_customer(ctx, customer_id)
    order = ctx.rows(Order).get(order_id.strip())
    if order is None or order["customer_id"] != customer["customer_id"]:
        raise DomainError(f"You have no order {order_id}.")
    if order["status"] == "Cancelled":
        raise DomainError(f"Order {order_id} is already cancelled.")
    if order["status"] != "Ordered":
        raise DomainError(f"Order {order_id} has already {order['status'].lower()} and can no longer be cancelled.")
    for line in ctx.rows(OrderItem).find({"order_id": order["order_id"]}):
        item = ctx.rows(Item).get(line["asin"])
        if item is not None and item["availability_type"] == "Now":
            ctx.rows(Item).update(item["asin"], stock=int(item["stock"]) + int(line["quantity"]))
    ctx.rows(Order).update(order["order_id"], status="Cancelled")
    return _order_view(ctx, {**order, "status": "Cancelled"})
