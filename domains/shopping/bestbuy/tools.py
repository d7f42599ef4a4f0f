"""Best Buy's API as an agent sees it: the Products, Categories, Stores and Reviews catalog, and a My Best Buy
customer's cart, store pickup reservations, orders, Geek Squad Protection, price matches, returns and reviews.
Account calls act as the customer named by ``customer_id``."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    FREE_SHIPPING_MINIMUM,
    MAX_PAGE_SIZE,
    MAX_UNITS_PER_SKU,
    PICKUP_HOLD_HOURS,
    PROTECTION_ADD_DAYS,
    QUALIFYING_COMPETITORS,
    STANDARD_SHIPPING,
    CartItem,
    Category,
    Competitor,
    Fulfillment,
    Order,
    OrderLine,
    PickupReservation,
    PostalCode,
    PriceMatch,
    Product,
    ProductCondition,
    ProductSort,
    ProtectionTerm,
    ReturnReason,
    ReturnRecord,
    Review,
    ReviewSort,
    Store,
    StoreStock,
    miles_between,
    protection_price,
    return_days,
)
from .views import (
    AccountView,
    CartView,
    CategoryView,
    OrderPage,
    OrderView,
    PriceMatchView,
    ProductDetails,
    ProductPage,
    ProtectionPlanView,
    ReservationView,
    ReturnView,
    ReviewPage,
    ReviewView,
    StoreView,
    category_of,
    order_view,
    require_customer,
    require_line,
    require_own_order,
    require_product,
    return_deadline,
    summary,
)

ROOT_CATEGORY = "cat00000"
PRODUCT_SORTS = {
    "best_selling": "best_selling_rank",
    "price": "sale_price, best_selling_rank",
    "price_desc": "sale_price DESC, best_selling_rank",
    "rating": "COALESCE(customer_review_average, 0) DESC, customer_review_count DESC, best_selling_rank",
    "review_count": "customer_review_count DESC, best_selling_rank",
    "name": "name, sku",
}
REVIEW_SORTS = {
    "newest": "submission_time DESC, review_id",
    "oldest": "submission_time, review_id",
    "highest_rating": "rating DESC, submission_time DESC, review_id",
    "lowest_rating": "rating, submission_time DESC, review_id",
}


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _money(cents: int) -> str:
    return f"${cents / 100:,.2f}"


def _page_size(page_size: int) -> int:
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise DomainError(f"page_size must be between 1 and {MAX_PAGE_SIZE}.")
    return page_size


def _units(quantity: int) -> int:
    if not 1 <= quantity <= MAX_UNITS_PER_SKU:
        raise DomainError(f"Quantity must be between 1 and {MAX_UNITS_PER_SKU} (Best Buy's limit per item).")
    return quantity


def _descendants(ctx: ToolContext, category_id: str) -> list[str]:
    rows = ctx.query(
        "WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT c.category_id FROM categories c "
        "JOIN tree ON c.parent_id = tree.id) SELECT id FROM tree",
        [category_id],
    )
    return [r["id"] for r in rows]


def _store_view(store: dict[str, Any]) -> StoreView:
    return {
        "store_id": store["store_id"],
        "name": store["name"],
        "address": store["address"],
        "city": store["city"],
        "region": store["region"],
        "postal_code": store["postal_code"],
        "phone": store["phone"],
        "hours": store["hours"],
        "services": [s.strip() for s in store["services"].split(",") if s.strip()],
    }


def _stock(ctx: ToolContext, store_id: str, sku: str) -> int:
    row = ctx.rows(StoreStock).get(store_id, sku)
    return int(row["quantity"]) if row else 0


def _cart_view(ctx: ToolContext, customer_id: str) -> CartView:
    lines = []
    for item in ctx.rows(CartItem).find({"customer_id": customer_id}, order_by="sku"):
        product = ctx.rows(Product).get(item["sku"]) or {"name": "", "sale_price": 0}
        lines.append(
            {
                "sku": item["sku"],
                "name": product["name"],
                "quantity": item["quantity"],
                "unit_price": product["sale_price"],
            }
        )
    return {
        "customer_id": customer_id,
        "items": lines,
        "subtotal": sum(line["unit_price"] * line["quantity"] for line in lines),
    }


def _reservation_view(ctx: ToolContext, row: dict[str, Any]) -> ReservationView:
    product = ctx.rows(Product).get(row["sku"]) or {"name": ""}
    store = ctx.rows(Store).get(row["store_id"]) or {"name": ""}
    return {
        "reservation_id": row["reservation_id"],
        "sku": row["sku"],
        "name": product["name"],
        "store_id": row["store_id"],
        "store_name": store["name"],
        "quantity": row["quantity"],
        "status": row["status"],
        "created_at": row["created_at"],
        "hold_until": row["hold_until"],
    }


# --------------------------------------------------------------------------------------------------
# Products, categories, reviews, stores
# --------------------------------------------------------------------------------------------------


@env.read(
    intents=[
        "search Best Buy for {query}",
        "find {manufacturer} products under {max_price}",
        "show the best-rated products in {category_id} on sale",
    ]
)
def search_products(
    ctx: ToolContext,
    query: str | None = None,
    category_id: str | None = None,
    manufacturer: str | None = None,
    min_price: int | None = None,
    max_price: int | None = None,
    on_sale: bool | None = None,
    min_rating: float | None = None,
    screen_size_in: int | None = None,
    condition: ProductCondition | None = None,
    sort: ProductSort = "best_selling",
    page_size: int = 10,
    page: int = 1,
) -> ProductPage:
    """Search the Products API. Every word of the query must appear in the product's name, or the query
    may be a SKU or model number; the other filters narrow the results.

    Args:
        query: Words to look for in product names, a SKU or a model number.
        category_id: A category from get_categories; its subcategories are included.
        manufacturer: Brand, such as 'Samsung' (exact, case-insensitive).
        min_price: Lowest current price, in cents.
        max_price: Highest current price, in cents.
        on_sale: True for products selling below their regular price only; False for full-price only.
        min_rating: Lowest customer review average (1-5).
        screen_size_in: Screen size in inches, for TVs.
        condition: 'new', 'open_box' or 'clearance'.
        sort: 'best_selling' (default), 'price' (lowest first), 'price_desc', 'rating' (highest average
            first), 'review_count' or 'name'.
        page_size: Products per page (1-50, default 10).
        page: Page number, from 1.
    """
    size = _page_size(page_size)
    if page < 1:
        raise DomainError("page starts at 1.")
    if min_rating is not None and not 1 <= min_rating <= 5:
        raise DomainError("min_rating must be between 1 and 5.")
    clauses: list[str] = []
    params: list[Any] = []
    if query and query.strip():
        words = query.lower().split()
        text = " AND ".join("lower(name) LIKE ?" for _ in words)
        clauses.append(f"(({text}) OR sku = ? OR lower(model_number) = ?)")
        params += [f"%{w}%" for w in words] + [query.strip(), query.strip().lower()]
    if category_id is not None:
        ctx.rows(Category).require(category_id.strip(), missing=f"There is no category {category_id}.")
        ids = _descendants(ctx, category_id.strip())
        clauses.append(f"category_id IN ({','.join('?' for _ in ids)})")
        params += ids
    if manufacturer:
        clauses.append("lower(manufacturer) = ?")
        params.append(manufacturer.strip().lower())
    if min_price is not None:
        clauses.append("sale_price >= ?")
        params.append(min_price)
    if max_price is not None:
        clauses.append("sale_price <= ?")
        params.append(max_price)
    if on_sale is not None:
        clauses.append("sale_price < regular_price" if on_sale else "sale_price >= regular_price")
    if min_rating is not None:
        clauses.append("customer_review_average >= ?")
        params.append(min_rating)
    if screen_size_in is not None:
        clauses.append("screen_size_in = ?")
        params.append(screen_size_in)
    if condition is not None:
        clauses.append("condition = ?")
        params.append(condition)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    total = int(ctx.query(f"SELECT COUNT(*) AS n FROM products{where}", params)[0]["n"])
    rows = ctx.query(
        f"SELECT * FROM products{where} ORDER BY {PRODUCT_SORTS[sort]} LIMIT ? OFFSET ?",
        [*params, size, (page - 1) * size],
    )
    return {
        "total": total,
        "page": page,
        "total_pages": max(1, math.ceil(total / size)),
        "products": [summary(r) for r in rows],
    }


@env.read(intents=["tell me about SKU {sku}", "what does {sku} cost?"])
def get_product_details(ctx: ToolContext, sku: str) -> ProductDetails:
    """A product's full record: prices, ratings, category path, availability and whether Geek Squad
    Protection is offered for it.

    Args:
        sku: The product's Best Buy SKU (7 digits).
    """
    product = require_product(ctx, sku)
    category = category_of(ctx, product)
    stocked = ctx.query("SELECT COUNT(*) AS n FROM store_stock WHERE sku = ? AND quantity > 0", [product["sku"]])
    return {
        **summary(product),
        "upc": product["upc"],
        "category_id": product["category_id"],
        "category_path": category["path"],
        "screen_size_in": product["screen_size_in"],
        "protection_eligible": bool(category["protection_eligible"]),
        "activation_required": bool(product["activation_required"]),
        "stores_with_stock": int(stocked[0]["n"]),
    }


@env.read(intents=["what do reviewers say about {sku}?", "show the lowest-rated reviews of {sku}"])
def get_product_reviews(
    ctx: ToolContext, sku: str, sort: ReviewSort = "newest", page_size: int = 10, page: int = 1
) -> ReviewPage:
    """Customer reviews of a product, with its review average and count.

    Args:
        sku: The product's SKU.
        sort: 'newest' (default), 'oldest', 'highest_rating' or 'lowest_rating'.
        page_size: Reviews per page (1-50, default 10).
        page: Page number, from 1.
    """
    product = require_product(ctx, sku)
    size = _page_size(page_size)
    if page < 1:
        raise DomainError("page starts at 1.")
    ordered = ctx.query(
        f"SELECT * FROM reviews WHERE sku = ? ORDER BY {REVIEW_SORTS[sort]} LIMIT ? OFFSET ?",
        [product["sku"], size, (page - 1) * size],
    )
    reviews: list[ReviewView] = [
        {k: r[k] for k in ("review_id", "rating", "title", "comment", "reviewer", "submission_time")}  # type: ignore[misc]
        for r in ordered
    ]
    return {
        "sku": product["sku"],
        "name": product["name"],
        "customer_review_average": product["customer_review_average"],
        "customer_review_count": product["customer_review_count"],
        "total": ctx.rows(Review).count({"sku": product["sku"]}),
        "reviews": reviews,
    }


@env.read(intents=["what kinds of products are under {category_id}?", "list Best Buy's departments"])
def get_categories(ctx: ToolContext, category_id: str = ROOT_CATEGORY) -> CategoryView:
    """A category with its path and its direct subcategories, each with how many products it holds.

    Args:
        category_id: The category to open; 'cat00000' (the default) is the root, listing the departments.
    """
    category = ctx.rows(Category).require(category_id.strip(), missing=f"There is no category {category_id}.")
    children = ctx.rows(Category).find({"parent_id": category["category_id"]}, order_by="name")
    subcategories = []
    for child in children:
        ids = _descendants(ctx, child["category_id"])
        count = ctx.query(
            f"SELECT COUNT(*) AS n FROM products WHERE category_id IN ({','.join('?' for _ in ids)})", ids
        )[0]["n"]
        subcategories.append(
            {
                "category_id": child["category_id"],
                "name": child["name"],
                "path": child["path"],
                "product_count": int(count),
            }
        )
    return {
        "category_id": category["category_id"],
        "name": category["name"],
        "path": category["path"],
        "protection_eligible": bool(category["protection_eligible"]),
        "subcategories": subcategories,
    }


@env.read(
    intents=[
        "which Best Buy stores are near {postal_code}?",
        "find stores in {city}",
        "which stores near {postal_code} have {sku} in stock?",
    ]
)
def get_stores(
    ctx: ToolContext,
    postal_code: str | None = None,
    radius_miles: int = 25,
    city: str | None = None,
    sku: str | None = None,
    page_size: int = 10,
) -> list[StoreView]:
    """Find stores near a ZIP code (nearest first, with the distance) or in a city (by name). With a SKU,
    only stores that have it in stock today are listed, with the quantity available for pickup.

    Args:
        postal_code: A 5-digit US ZIP code to measure distance from.
        radius_miles: How far from the ZIP code to look (1-250, default 25).
        city: A city name, such as 'Denver'; used when no ZIP code is given.
        sku: A product SKU: list only the stores that have it in stock.
        page_size: Stores to return (1-50, default 10).
    """
    size = _page_size(page_size)
    if not postal_code and not city:
        raise DomainError("Give a ZIP code or a city to find stores.")
    if not 1 <= radius_miles <= 250:
        raise DomainError("radius_miles must be between 1 and 250.")
    product = require_product(ctx, sku) if sku else None
    stores = ctx.query("SELECT * FROM stores ORDER BY store_id")
    if postal_code:
        origin = ctx.rows(PostalCode).require(postal_code.strip(), missing=f"ZIP code {postal_code} is not known.")
        zips = {z["postal_code"]: (z["lat"], z["lng"]) for z in ctx.query("SELECT * FROM postal_codes")}
        measured = [
            (round(miles_between((origin["lat"], origin["lng"]), zips[s["postal_code"]]), 1), s) for s in stores
        ]
        chosen = sorted(((d, s) for d, s in measured if d <= radius_miles), key=lambda x: (x[0], x[1]["store_id"]))
    else:
        wanted = (city or "").strip().lower()
        chosen = [(None, s) for s in sorted(stores, key=lambda s: s["name"]) if s["city"].lower() == wanted]
        if not chosen:
            raise DomainError(f"There are no Best Buy stores in {city}.")
    views: list[StoreView] = []
    for distance, store in chosen:
        view = _store_view(store)
        if distance is not None:
            view["distance_miles"] = distance
        if product is not None:
            available = _stock(ctx, store["store_id"], product["sku"])
            if available <= 0:
                continue
            view["sku"] = product["sku"]
            view["quantity_available"] = available
        views.append(view)
        if len(views) == size:
            break
    return views


# --------------------------------------------------------------------------------------------------
# Account, cart and orders
# --------------------------------------------------------------------------------------------------


@env.read(intents=["what's in my cart? I'm {customer_id}", "what membership do I have? ({customer_id})"])
def get_account(ctx: ToolContext, customer_id: str) -> AccountView:
    """A My Best Buy account: membership tier and its return window, home ZIP code, cart and open store
    pickup reservations.

    Args:
        customer_id: The My Best Buy member id, such as 'MBB4102345'.
    """
    customer = require_customer(ctx, customer_id)
    held = ctx.rows(PickupReservation).find(
        {"customer_id": customer["customer_id"], "status": "RESERVED"}, order_by="created_at"
    )
    return {
        "customer_id": customer["customer_id"],
        "first_name": customer["first_name"],
        "last_name": customer["last_name"],
        "email": customer["email"],
        "postal_code": customer["postal_code"],
        "membership": customer["membership"],
        "return_window_days": return_days(customer["membership"], False),
        "cart": _cart_view(ctx, customer["customer_id"]),
        "reservations": [_reservation_view(ctx, r) for r in held],
    }


@env.read(intents=["show my orders, I'm {customer_id}", "what's the status of my orders ({customer_id})?"])
def get_orders(ctx: ToolContext, customer_id: str, page_size: int = 10, page: int = 1) -> OrderPage:
    """A customer's orders, newest first, with each line's price paid, protection plan, returns, and the
    last day it can be returned.

    Args:
        customer_id: The My Best Buy member id.
        page_size: Orders per page (1-50, default 10).
        page: Page number, from 1.
    """
    customer = require_customer(ctx, customer_id)
    size = _page_size(page_size)
    if page < 1:
        raise DomainError("page starts at 1.")
    where = {"customer_id": customer["customer_id"]}
    orders = ctx.rows(Order).find(where, order_by="-placed_at", limit=size, offset=(page - 1) * size)
    return {
        "customer_id": customer["customer_id"],
        "total": ctx.rows(Order).count(where),
        "orders": [order_view(ctx, customer, o) for o in orders],
    }


@env.write(intents=["add {quantity} of {sku} to my cart ({customer_id})", "put {sku} in my cart"])
def add_to_cart(ctx: ToolContext, customer_id: str, sku: str, quantity: int = 1) -> CartView:
    """Add units of a product to the customer's cart (adding to any already there).

    Args:
        customer_id: The My Best Buy member id.
        sku: The product's SKU.
        quantity: Units to add (the line may hold at most 3).
    """
    customer = require_customer(ctx, customer_id)
    product = require_product(ctx, sku)
    _units(quantity)
    existing = ctx.rows(CartItem).get(customer["customer_id"], product["sku"])
    total = quantity + (int(existing["quantity"]) if existing else 0)
    if total > MAX_UNITS_PER_SKU:
        raise DomainError(f"A cart can hold at most {MAX_UNITS_PER_SKU} of {product['name']}.")
    if existing:
        ctx.rows(CartItem).update((customer["customer_id"], product["sku"]), quantity=total)
    else:
        ctx.rows(CartItem).add(customer_id=customer["customer_id"], sku=product["sku"], quantity=total)
    return _cart_view(ctx, customer["customer_id"])


@env.write(intents=["check out my cart for {fulfillment}", "order what's in my cart for pickup at {store_id}"])
def checkout(
    ctx: ToolContext, customer_id: str, fulfillment: Fulfillment = "shipping", store_id: str | None = None
) -> OrderView:
    """Place an order for everything in the cart, shipped to the customer or for pickup at a store.

    Args:
        customer_id: The My Best Buy member id.
        fulfillment: 'shipping' (default) or 'pickup'.
        store_id: The pickup store, required for pickup; every item must be in stock there.
    """
    customer = require_customer(ctx, customer_id)
    cart = ctx.rows(CartItem).find({"customer_id": customer["customer_id"]}, order_by="sku")
    if not cart:
        raise DomainError("The cart is empty.")
    store = None
    if fulfillment == "pickup":
        if not store_id:
            raise DomainError("Choose a store for pickup.")
        store = ctx.rows(Store).require(store_id.strip(), missing=f"There is no store {store_id}.")
    elif store_id:
        raise DomainError("A store is only chosen for pickup orders.")
    products = [require_product(ctx, item["sku"]) for item in cart]
    for item, product in zip(cart, products, strict=True):
        if store is not None and _stock(ctx, store["store_id"], product["sku"]) < item["quantity"]:
            raise DomainError(f"{product['name']} is not in stock at the {store['name']} store.")
        if store is None and not product["online_availability"]:
            raise DomainError(f"{product['name']} is not available to ship; it can only be picked up in store.")
    subtotal = sum(p["sale_price"] * i["quantity"] for i, p in zip(cart, products, strict=True))
    free = store is not None or subtotal >= FREE_SHIPPING_MINIMUM or all(p["free_shipping"] for p in products)
    shipping = 0 if free else STANDARD_SHIPPING
    order_id = f"BBY01-{ctx.new_id(10, '0123456789')}"
    order = ctx.rows(Order).insert(
        order_id=order_id,
        customer_id=customer["customer_id"],
        placed_at=stamp(ctx.now),
        fulfillment=fulfillment,
        store_id=store["store_id"] if store else None,
        status="PROCESSING",
        received_at=None,
        shipping_cost=shipping,
        total=subtotal + shipping,
    )
    for item, product in zip(cart, products, strict=True):
        ctx.rows(OrderLine).add(
            line_id=f"L{ctx.new_id(9, '0123456789')}",
            order_id=order_id,
            sku=product["sku"],
            name=product["name"],
            quantity=item["quantity"],
            unit_price=product["sale_price"],
            protection_term_years=None,
            protection_price=0,
            returned_quantity=0,
        )
        if store is not None:
            left = _stock(ctx, store["store_id"], product["sku"]) - int(item["quantity"])
            ctx.rows(StoreStock).update((store["store_id"], product["sku"]), quantity=left)
        ctx.rows(CartItem).delete(customer["customer_id"], product["sku"])
    return order_view(ctx, customer, order)


# --------------------------------------------------------------------------------------------------
# Store pickup reservations
# --------------------------------------------------------------------------------------------------


@env.write(intents=["hold {sku} for me at store {store_id}", "reserve {quantity} of {sku} for pickup at {store_id}"])
def reserve_for_pickup(
    ctx: ToolContext, customer_id: str, sku: str, store_id: str, quantity: int = 1
) -> ReservationView:
    """Reserve units of a product at a store that has them in stock; the store holds them for 72 hours.

    Args:
        customer_id: The My Best Buy member id.
        sku: The product's SKU.
        store_id: The store, from get_stores.
        quantity: Units to hold (1-3, default 1).
    """
    customer = require_customer(ctx, customer_id)
    product = require_product(ctx, sku)
    store = ctx.rows(Store).require(store_id.strip(), missing=f"There is no store {store_id}.")
    _units(quantity)
    if ctx.rows(PickupReservation).first(
        {"customer_id": customer["customer_id"], "sku": product["sku"], "status": "RESERVED"}
    ):
        raise DomainError(f"You already have {product['name']} on hold; cancel that hold to reserve it elsewhere.")
    available = _stock(ctx, store["store_id"], product["sku"])
    if available < quantity:
        have = f"only {available} available" if available else "none in stock"
        raise DomainError(f"The {store['name']} store has {have} of {product['name']} today.")
    ctx.rows(StoreStock).update((store["store_id"], product["sku"]), quantity=available - quantity)
    row = ctx.rows(PickupReservation).insert(
        reservation_id=f"RS{ctx.new_id(8, '0123456789')}",
        customer_id=customer["customer_id"],
        sku=product["sku"],
        store_id=store["store_id"],
        quantity=quantity,
        status="RESERVED",
        created_at=stamp(ctx.now),
        hold_until=stamp(ctx.now + dt.timedelta(hours=PICKUP_HOLD_HOURS)),
    )
    return _reservation_view(ctx, row)


@env.write(intents=["cancel my pickup hold {reservation_id}"])
def cancel_pickup_reservation(ctx: ToolContext, customer_id: str, reservation_id: str) -> ReservationView:
    """Cancel an open store pickup reservation; its units go back on the store's shelf.

    Args:
        customer_id: The My Best Buy member id.
        reservation_id: The reservation, from get_account.
    """
    customer = require_customer(ctx, customer_id)
    row = ctx.rows(PickupReservation).require(
        reservation_id.strip(), missing=f"There is no reservation {reservation_id}."
    )
    if row["customer_id"] != customer["customer_id"]:
        raise DomainError(f"Reservation {reservation_id} belongs to another account.")
    if row["status"] != "RESERVED":
        raise DomainError(f"Reservation {reservation_id} is already {row['status'].lower().replace('_', ' ')}.")
    ctx.rows(PickupReservation).update(row["reservation_id"], status="CANCELLED")
    shelf = _stock(ctx, row["store_id"], row["sku"])
    if ctx.rows(StoreStock).get(row["store_id"], row["sku"]):
        ctx.rows(StoreStock).update((row["store_id"], row["sku"]), quantity=shelf + int(row["quantity"]))
    else:
        ctx.rows(StoreStock).add(store_id=row["store_id"], sku=row["sku"], quantity=int(row["quantity"]))
    return _reservation_view(ctx, {**row, "status": "CANCELLED"})


# --------------------------------------------------------------------------------------------------
# Geek Squad Protection, price match, returns, reviews
# --------------------------------------------------------------------------------------------------


@env.read(intents=["what Geek Squad Protection is there for {sku}?"])
def get_protection_plans(ctx: ToolContext, sku: str) -> list[ProtectionPlanView]:
    """The Geek Squad Protection plans sold for a product, with the price per unit at its current price.

    Args:
        sku: The product's SKU.
    """
    product = require_product(ctx, sku)
    if not category_of(ctx, product)["protection_eligible"]:
        raise DomainError(f"Geek Squad Protection is not offered for {product['name']}.")
    return [
        {
            "term_years": years,
            "price": protection_price(product["sale_price"], years),
            "covers": "mechanical and electrical failures, normal wear and tear"
            + (", accidental damage" if years == 3 else ""),
        }
        for years in (2, 3)
    ]


@env.write(intents=["add {term_years}-year Geek Squad Protection to {sku} on order {order_id}"])
def add_protection_plan(
    ctx: ToolContext, customer_id: str, order_id: str, sku: str, term_years: ProtectionTerm
) -> OrderView:
    """Add Geek Squad Protection to an item of an order, for every unit of the line still kept, up to 60
    days after the purchase; the plan is priced on what was paid.

    Args:
        customer_id: The My Best Buy member id.
        order_id: The order, such as 'BBY01-1234567890'.
        sku: The item's SKU on that order.
        term_years: 2 or 3 years (the 3-year plan adds accidental damage).
    """
    customer = require_customer(ctx, customer_id)
    order = require_own_order(ctx, customer, order_id)
    line = require_line(ctx, order, sku)
    product = require_product(ctx, line["sku"])
    if term_years not in (2, 3):
        raise DomainError("Geek Squad Protection is sold for 2 or 3 years.")
    if not category_of(ctx, product)["protection_eligible"]:
        raise DomainError(f"Geek Squad Protection is not offered for {product['name']}.")
    if line["protection_term_years"]:
        raise DomainError(f"{line['name']} on order {order['order_id']} already has a protection plan.")
    placed = dt.datetime.fromisoformat(order["placed_at"])
    if ctx.now - placed > dt.timedelta(days=PROTECTION_ADD_DAYS):
        raise DomainError(f"Protection can only be added within {PROTECTION_ADD_DAYS} days of purchase.")
    kept = int(line["quantity"]) - int(line["returned_quantity"])
    if kept <= 0:
        raise DomainError(f"{line['name']} on order {order['order_id']} was returned.")
    price = protection_price(int(line["unit_price"]), term_years) * kept
    ctx.rows(OrderLine).update(line["line_id"], protection_term_years=term_years, protection_price=price)
    ctx.rows(Order).update(order["order_id"], total=int(order["total"]) + price)
    return order_view(ctx, customer, ctx.rows(Order).require(order["order_id"], missing=""))


@env.write(
    intents=[
        "{competitor} has {sku} for {competitor_price}; match it on order {order_id}",
        "price match my {sku} to {competitor}",
    ]
)
def request_price_match(
    ctx: ToolContext,
    customer_id: str,
    order_id: str,
    sku: str,
    competitor: Competitor,
    competitor_price: int,
    competitor_model_number: str,
    competitor_in_stock: bool = True,
) -> PriceMatchView:
    """Ask Best Buy to match a competitor's lower price on an item already bought: if it qualifies, the
    difference is refunded for every unit kept and the line's price drops to the matched price.

    Args:
        customer_id: The My Best Buy member id.
        order_id: The order with the item.
        sku: The item's SKU on that order.
        competitor: The retailer with the lower price, such as 'Amazon.com' or 'Walmart.com'.
        competitor_price: The competitor's current price, in cents.
        competitor_model_number: The model number on the competitor's listing (it must be the same item).
        competitor_in_stock: Whether the competitor has it in stock now (default true).
    """
    customer = require_customer(ctx, customer_id)
    order = require_own_order(ctx, customer, order_id)
    line = require_line(ctx, order, sku)
    product = require_product(ctx, line["sku"])
    if product["condition"] != "new":
        raise DomainError(
            f"{product['name']} is a {product['condition'].replace('_', '-')} item; those are never price matched."
        )
    if competitor not in QUALIFYING_COMPETITORS:
        raise DomainError(f"{competitor} is not a retailer Best Buy price matches.")
    if competitor_model_number.strip().upper() != product["model_number"].upper():
        raise DomainError(f"Only the identical item is matched: this one is model {product['model_number']}.")
    if not competitor_in_stock:
        raise DomainError("Best Buy only matches prices for items the competitor has in stock.")
    if competitor_price <= 0:
        raise DomainError("The competitor price must be a positive amount in cents.")
    if competitor_price >= int(line["unit_price"]):
        raise DomainError(
            f"{competitor}'s {_money(competitor_price)} is not lower than the {_money(int(line['unit_price']))} you paid."  # noqa: E501
        )
    deadline = return_deadline(ctx, customer, order, line["sku"])
    if order["received_at"] and deadline is not None and ctx.now.date() > deadline:
        raise DomainError(f"Price matches are made within the return window; it ended on {deadline.isoformat()}.")
    if ctx.rows(PriceMatch).first({"order_id": order["order_id"], "sku": line["sku"]}):
        raise DomainError(f"{line['name']} on order {order['order_id']} was already price matched.")
    kept = int(line["quantity"]) - int(line["returned_quantity"])
    if kept <= 0:
        raise DomainError(f"{line['name']} on order {order['order_id']} was returned.")
    refund = (int(line["unit_price"]) - competitor_price) * kept
    row = ctx.rows(PriceMatch).insert(
        price_match_id=f"PM{ctx.new_id(8, '0123456789')}",
        customer_id=customer["customer_id"],
        order_id=order["order_id"],
        sku=line["sku"],
        competitor=competitor,
        competitor_price=competitor_price,
        refund_amount=refund,
        created_at=stamp(ctx.now),
    )
    ctx.rows(OrderLine).update(line["line_id"], unit_price=competitor_price)
    ctx.rows(Order).update(order["order_id"], total=int(order["total"]) - refund)
    return {
        "price_match_id": row["price_match_id"],
        "order_id": order["order_id"],
        "sku": line["sku"],
        "competitor": competitor,
        "matched_price": competitor_price,
        "refund_amount": refund,
    }


@env.write(intents=["return {quantity} of {sku} from order {order_id}", "I want to send back {sku}, it's {reason}"])
def start_return(
    ctx: ToolContext, customer_id: str, order_id: str, sku: str, reason: ReturnReason, quantity: int = 1
) -> ReturnView:
    """Return units of an item the customer has received, inside the return window (15 days; 60 for My
    Best Buy Plus and Total; 14 for activatable devices). Refunds what was paid, plus the protection plan
    when the last unit of the line comes back.

    Args:
        customer_id: The My Best Buy member id.
        order_id: The order with the item.
        sku: The item's SKU.
        reason: 'changed_mind', 'defective', 'damaged', 'wrong_item' or 'better_price_elsewhere'.
        quantity: Units to return (default 1).
    """
    customer = require_customer(ctx, customer_id)
    order = require_own_order(ctx, customer, order_id)
    line = require_line(ctx, order, sku)
    if order["status"] not in ("DELIVERED", "PICKED_UP"):
        raise DomainError(f"Order {order['order_id']} has not reached you yet; it is {order['status'].lower()}.")
    kept = int(line["quantity"]) - int(line["returned_quantity"])
    if quantity < 1 or quantity > kept:
        raise DomainError(
            f"You can return between 1 and {kept} of {line['name']}."
            if kept
            else f"{line['name']} was already returned."
        )
    deadline = return_deadline(ctx, customer, order, line["sku"])
    if deadline is not None and ctx.now.date() > deadline:
        product = require_product(ctx, line["sku"])
        days = return_days(customer["membership"], bool(product["activation_required"]))
        raise DomainError(
            f"The {days}-day return window for {line['name']} ({customer['membership']}) ended on "
            f"{deadline.isoformat()}."
        )
    refund = int(line["unit_price"]) * quantity + (int(line["protection_price"]) if quantity == kept else 0)
    ctx.rows(OrderLine).update(line["line_id"], returned_quantity=int(line["returned_quantity"]) + quantity)
    row = ctx.rows(ReturnRecord).insert(
        return_id=f"R{ctx.new_id(9, '0123456789')}",
        order_id=order["order_id"],
        sku=line["sku"],
        quantity=quantity,
        reason=reason,
        refund_amount=refund,
        created_at=stamp(ctx.now),
    )
    return {
        "return_id": row["return_id"],
        "order_id": order["order_id"],
        "sku": line["sku"],
        "quantity": quantity,
        "refund_amount": refund,
        "return_by": deadline.isoformat() if deadline else None,
    }


@env.write(intents=["post a {rating}-star review of {sku}: {title}"])
def write_review(ctx: ToolContext, customer_id: str, sku: str, rating: int, title: str, comment: str) -> ReviewView:
    """Post a review of a product the customer has received; one review per product.

    Args:
        customer_id: The My Best Buy member id.
        sku: The product's SKU.
        rating: Stars, 1 to 5.
        title: A headline (up to 100 characters).
        comment: The review text (10 to 1,000 characters).
    """
    customer = require_customer(ctx, customer_id)
    product = require_product(ctx, sku)
    if not 1 <= rating <= 5:
        raise DomainError("The rating must be 1 to 5 stars.")
    if not title.strip() or len(title) > 100:
        raise DomainError("The title must be 1 to 100 characters.")
    if not 10 <= len(comment.strip()) <= 1000:
        raise DomainError("The review must be 10 to 1,000 characters.")
    received = ctx.query(
        "SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.order_id WHERE o.customer_id = ? AND "
        "l.sku = ? AND o.status IN ('DELIVERED', 'PICKED_UP') LIMIT 1",
        [customer["customer_id"], product["sku"]],
    )
    if not received:
        raise DomainError(f"Only customers who bought and received {product['name']} can review it.")
    if ctx.rows(Review).first({"sku": product["sku"], "customer_id": customer["customer_id"]}):
        raise DomainError(f"You have already reviewed {product['name']}.")
    count = int(product["customer_review_count"])
    average = product["customer_review_average"] or 0.0
    ctx.rows(Product).update(
        product["sku"],
        customer_review_count=count + 1,
        customer_review_average=round((average * count + rating) / (count + 1), 1),
    )
    row = ctx.rows(Review).insert(
        review_id=ctx.new_id(8, "0123456789"),
        sku=product["sku"],
        reviewer=f"{customer['first_name']}{customer['last_name'][:1]}",
        customer_id=customer["customer_id"],
        rating=rating,
        title=title.strip(),
        comment=comment.strip(),
        submission_time=stamp(ctx.now),
    )
    return {k: row[k] for k in ("review_id", "rating", "title", "comment", "reviewer", "submission_time")}  # type: ignore[return-value]
