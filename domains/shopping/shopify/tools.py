"""The tools an agent calls: the Shopify Admin API as a store's owner and staff use it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, NotRequired

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    MAX_OPTIONS,
    MAX_PAGE,
    MAX_TAGS,
    MAX_VARIANTS,
    CancelReason,
    Customer,
    DiscountCode,
    DiscountStatus,
    DraftOrder,
    DraftOrderLine,
    DraftStatus,
    FinancialStatus,
    Fulfillment,
    FulfillmentLine,
    FulfillmentStatus,
    InventoryLevel,
    InventoryPolicy,
    LineItem,
    Location,
    Order,
    OrderStatus,
    PriceRule,
    Product,
    ProductStatus,
    Refund,
    RefundLine,
    RestockType,
    ValueType,
    Variant,
)
from .rules import (
    Row,
    discount_status,
    discount_view,
    dollars,
    fulfillable,
    fulfillment_status_of,
    move_stock,
    new_id,
    order_view,
    paid_total,
    place_order,
    primary_location,
    refunded_total,
    require_location,
    require_order,
    require_variant,
    shipped_refundable,
    staff_with,
    stamp,
    to_cents,
    unit_refund,
)
from .views import (
    CustomersPage,
    CustomerView,
    DiscountView,
    DraftOrderView,
    InventoryLevelChange,
    LocationView,
    OrdersPage,
    OrderView,
    ProductsPage,
    ProductView,
    VariantChange,
)

_CODE = re.compile(r"^[A-Za-z0-9_-]{3,40}$")
_TRACKING = re.compile(r"^[A-Za-z0-9]{6,40}$")
MAX_PRODUCT_PAGE = 15  # a page of products carries every variant: this keeps it well inside one observation
TrackingCompany = Literal["UPS", "USPS", "FedEx", "DHL Express"]
OrdersSort = Literal["created_at desc", "created_at asc", "total_price desc"]
CustomersSort = Literal["total_spent desc", "orders_count desc", "created_at desc", "last_name asc"]


class NewVariant(TypedDict):
    price: float
    sku: str
    option1: NotRequired[str]
    option2: NotRequired[str]
    option3: NotRequired[str]
    compare_at_price: NotRequired[float]
    inventory_policy: NotRequired[InventoryPolicy]


class OrderLine(TypedDict):
    variant_id: int
    quantity: int


class FulfillLine(TypedDict):
    line_item_id: int
    quantity: int


class RefundLineInput(TypedDict):
    line_item_id: int
    quantity: int
    restock_type: NotRequired[RestockType]


def _page(limit: int, offset: int, most: int = MAX_PAGE) -> tuple[int, int]:
    if not 1 <= limit <= most:
        raise DomainError(f"limit must be between 1 and {most}.")
    if offset < 0:
        raise DomainError("offset can't be negative.")
    return limit, offset


def _customer_view(row: Row) -> CustomerView:
    return {
        "customer_id": row["customer_id"],
        "email": row["email"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "phone": row["phone"],
        "tags": row["tags"],
        "accepts_marketing": bool(row["accepts_marketing"]),
        "orders_count": row["orders_count"],
        "total_spent": dollars(row["total_spent"]) or 0.0,
        "city": row["city"],
        "province_code": row["province_code"],
    }


def _product_view(ctx: ToolContext, product: Row) -> ProductView:
    variants = ctx.rows(Variant).find({"product_id": product["product_id"]}, order_by="position")
    out = []
    for v in variants:
        levels = ctx.rows(InventoryLevel).find({"inventory_item_id": v["inventory_item_id"]}, order_by="location_id")
        out.append(
            {
                "variant_id": v["variant_id"],
                "title": v["title"],
                "option1": v["option1"],
                "option2": v["option2"],
                "option3": v["option3"],
                "sku": v["sku"],
                "price": dollars(v["price"]) or 0.0,
                "compare_at_price": dollars(v["compare_at_price"]),
                "inventory_policy": v["inventory_policy"],
                "inventory_item_id": v["inventory_item_id"],
                "inventory_quantity": sum(int(level["available"]) for level in levels),
                "inventory_levels": [{"location_id": lv["location_id"], "available": lv["available"]} for lv in levels],
            }
        )
    return {
        "product_id": product["product_id"],
        "title": product["title"],
        "handle": product["handle"],
        "vendor": product["vendor"],
        "product_type": product["product_type"],
        "status": product["status"],
        "tags": product["tags"],
        "options": product["options"],
        "created_at": product["created_at"],
        "variants": out,
    }


def _tags(tags: list[str]) -> list[str]:
    clean: list[str] = []
    for tag in tags:
        tag = tag.strip()
        if not tag or len(tag) > 40 or "," in tag:
            raise DomainError(f"Tag {tag!r} is not valid: tags are 1-40 characters without commas.")
        if tag.lower() not in {t.lower() for t in clean}:
            clean.append(tag)
    if len(clean) > MAX_TAGS:
        raise DomainError(f"A record takes at most {MAX_TAGS} tags.")
    return clean


def _customer_by_email(ctx: ToolContext, email: str) -> Row:
    rows = ctx.query("SELECT customer_id FROM customers WHERE lower(email) = lower(?)", [email.strip()])
    if not rows:
        raise DomainError(f"No customer of this store has the email {email}.")
    return ctx.rows(Customer).get(rows[0]["customer_id"]) or {}


def _moment(value: str, what: str, end_of_day: bool = False) -> str:
    """A date ('2025-12-01') or date and time ('2025-12-01T08:00:00') as a stored timestamp."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            clock = dt.time(23, 59, 59) if end_of_day else dt.time(0, 0, 0)
            return stamp(dt.datetime.combine(day, clock))
        return stamp(dt.datetime.fromisoformat(text).replace(tzinfo=None))
    except ValueError:
        example = "a date like 2025-12-01 or a date and time like 2025-12-01T08:00:00"
        raise DomainError(f"{what} must be {example}.") from None


# -- the store -------------------------------------------------------------------------------------------


@env.read(intents=["which locations does the store have?", "where do we keep stock?"])
def get_locations(ctx: ToolContext) -> list[LocationView]:
    """List the store's locations (warehouse, shops, pop-ups): address, whether it is active, whether it
    fulfils online orders, and which one is primary (online orders take their stock from it)."""
    rows = ctx.rows(Location).find(order_by="location_id")
    return [
        {
            "location_id": r["location_id"],
            "name": r["name"],
            "address1": r["address1"],
            "city": r["city"],
            "province_code": r["province_code"],
            "zip": r["zip"],
            "active": bool(r["active"]),
            "fulfills_online_orders": bool(r["fulfills_online_orders"]),
            "is_primary": bool(r["is_primary"]),
        }
        for r in rows
    ]


# -- products and inventory --------------------------------------------------------------------------------


@env.read(intents=["show me our {product_type}", "find the product called {title}", "which products are in {status}?"])
def get_products(
    ctx: ToolContext,
    title: str | None = None,
    vendor: str | None = None,
    product_type: str | None = None,
    status: ProductStatus | None = None,
    tag: str | None = None,
    sku: str | None = None,
    limit: int = 10,
    offset: int = 0,
) -> ProductsPage:
    """Search the store's products, alphabetical by title, with each variant's SKU, price and stock across
    locations. Filters combine.

    Args:
        title: Words the product title contains, such as 'merino tee' (any letter case).
        vendor: The vendor (brand) exactly, such as 'Northfork'.
        product_type: The product type exactly, such as 'Jackets'.
        status: Only products in this status: active (on sale), draft (not yet published) or archived.
        tag: Only products carrying this tag.
        sku: Only the product that has a variant with this SKU.
        limit: Maximum number of products to return (1-15; each comes with all its variants).
        offset: Number of products to skip, for paging.
    """
    limit, offset = _page(limit, offset, MAX_PRODUCT_PAGE)
    clauses, params = [], []
    if title:
        for word in title.split():
            clauses.append("lower(p.title) LIKE ?")
            params.append(f"%{word.lower()}%")
    if vendor:
        clauses.append("lower(p.vendor) = lower(?)")
        params.append(vendor.strip())
    if product_type:
        clauses.append("lower(p.product_type) = lower(?)")
        params.append(product_type.strip())
    if status:
        clauses.append("p.status = ?")
        params.append(status)
    if tag:
        clauses.append("EXISTS (SELECT 1 FROM json_each(p.tags) t WHERE lower(t.value) = lower(?))")
        params.append(tag.strip())
    if sku:
        clauses.append(
            "EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.product_id AND upper(v.sku) = upper(?))"
        )
        params.append(sku.strip())
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    total = ctx.query(f"SELECT COUNT(*) AS n FROM products p{where}", params)[0]["n"]
    rows = ctx.query(
        f"SELECT p.product_id FROM products p{where} ORDER BY p.title, p.product_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    products = []
    for row in rows:
        product = ctx.rows(Product).get(row["product_id"]) or {}
        stock = ctx.query(
            "SELECT v.variant_id, v.title, v.sku, v.price, COALESCE(SUM(l.available), 0) AS qty FROM variants v "
            "LEFT JOIN inventory_levels l ON l.inventory_item_id = v.inventory_item_id WHERE v.product_id = ? "
            "GROUP BY v.variant_id ORDER BY v.position",
            [row["product_id"]],
        )
        products.append(
            {
                "product_id": product["product_id"],
                "title": product["title"],
                "vendor": product["vendor"],
                "product_type": product["product_type"],
                "status": product["status"],
                "tags": product["tags"],
                "variants": [
                    {
                        "variant_id": s["variant_id"],
                        "title": s["title"],
                        "sku": s["sku"],
                        "price": dollars(s["price"]) or 0.0,
                        "inventory_quantity": int(s["qty"]),
                    }
                    for s in stock
                ],
            }
        )
    return {"products": products, "total": total}


@env.read(intents=["show me everything about product {product_id}", "how much stock of {product_id} is where?"])
def get_product(ctx: ToolContext, product_id: int) -> ProductView:
    """Get one product with all its variants: options, SKU, price, compare-at price, inventory policy, its
    inventory item and the units available at each location.

    Args:
        product_id: The product's id.
    """
    product = ctx.rows(Product).require(product_id, missing=f"There is no product {product_id} in this store.")
    return _product_view(ctx, product)


@env.write(intents=["add a new product called {title}", "create a {product_type} product named {title}"])
def create_product(
    ctx: ToolContext,
    staff_email: str,
    title: str,
    product_type: str,
    vendor: str,
    variants: list[NewVariant],
    options: list[str] | None = None,
    status: ProductStatus = "active",
    tags: list[str] | None = None,
) -> ProductView:
    """Create a product with its variants (products permission). Each variant gives one value per option,
    in the options' order (option1 for the first); a product without options has one variant. New variants
    start with 0 units at every location that fulfils online orders, and stop selling at zero unless their
    inventory_policy is continue.

    Args:
        staff_email: The email of the staff account making the change.
        title: The product's title, up to 120 characters.
        product_type: The product type, such as 'Jackets' or 'Camp Kitchen'.
        vendor: The vendor (brand), such as 'Juniper & Pine'.
        variants: The variants: price in dollars, SKU, option values (option1-option3), optionally a
            compare_at_price (the higher "was" price) and an inventory_policy (deny or continue).
        options: Option names in order, such as ['Size', 'Color'] (at most 3; omit for a single variant).
        status: active (on sale now), draft (hidden until published) or archived.
        tags: Tags for the product, such as ['gear', 'new arrival'].
    """
    staff_with(ctx, staff_email, "products")
    title = title.strip()
    if not 1 <= len(title) <= 120:
        raise DomainError("A product title is 1-120 characters.")
    if not product_type.strip() or not vendor.strip():
        raise DomainError("A product needs a product type and a vendor.")
    names = [o.strip() for o in (options or [])]
    if len(names) > MAX_OPTIONS or any(not n for n in names) or len({n.lower() for n in names}) != len(names):
        raise DomainError(f"A product has up to {MAX_OPTIONS} distinct, named options.")
    if not variants:
        raise DomainError("A product needs at least one variant (its price and SKU).")
    if len(variants) > MAX_VARIANTS or (not names and len(variants) > 1):
        raise DomainError(f"Give options for several variants; a product has at most {MAX_VARIANTS} variants.")
    rows, seen = [], set()
    for index, variant in enumerate(variants, start=1):
        values = [variant.get(f"option{i}") for i in (1, 2, 3)]  # type: ignore[misc]
        given = [v.strip() for v in values if v is not None and v.strip()]
        if len(given) != len(names) or any(v is None or not v.strip() for v in values[: len(names)]):
            wanted = ", ".join(names) or "none"
            raise DomainError(f"Variant {index} must give exactly one value for each option ({wanted}).")
        combo = " / ".join(given) if given else "Default Title"
        if combo.lower() in seen:
            raise DomainError(f"The variant '{combo}' is listed twice.")
        seen.add(combo.lower())
        price = to_cents(variant["price"], "price")
        compare = variant.get("compare_at_price")
        compare_cents = to_cents(compare, "compare-at price") if compare else None
        if compare_cents is not None and compare_cents <= price:
            raise DomainError(f"Variant '{combo}': the compare-at price must be higher than its price.")
        sku = variant["sku"].strip()
        if not 1 <= len(sku) <= 40:
            raise DomainError(f"Variant '{combo}' needs a SKU of 1-40 characters.")
        rows.append((combo, given, price, compare_cents, sku, variant.get("inventory_policy", "deny")))
    product_id = new_id(ctx)
    handle = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "product"
    if ctx.rows(Product).count({"handle": handle}):
        handle = f"{handle}-{str(product_id)[-4:]}"
    product = ctx.rows(Product).insert(
        product_id=product_id,
        title=title,
        handle=handle,
        vendor=vendor.strip(),
        product_type=product_type.strip(),
        status=status,
        tags=_tags(tags or []),
        options=names or ["Title"],
        created_at=stamp(ctx.now),
        updated_at=stamp(ctx.now),
    )
    stocked = ctx.rows(Location).find({"active": True, "fulfills_online_orders": True}, order_by="location_id")
    for position, (combo, given, price, compare_cents, sku, policy) in enumerate(rows, start=1):
        item = new_id(ctx)
        ctx.rows(Variant).add(
            variant_id=new_id(ctx),
            product_id=product_id,
            title=combo,
            option1=given[0] if given else "Default Title",
            option2=given[1] if len(given) > 1 else None,
            option3=given[2] if len(given) > 2 else None,
            sku=sku,
            price=price,
            compare_at_price=compare_cents,
            inventory_policy=policy,
            inventory_item_id=item,
            position=position,
        )
        for location in stocked:
            ctx.rows(InventoryLevel).add(
                inventory_item_id=item, location_id=location["location_id"], available=0, updated_at=stamp(ctx.now)
            )
    return _product_view(ctx, product)


@env.write(intents=["archive the product {product_id}", "publish product {product_id}", "set {product_id} to {status}"])
def update_product(
    ctx: ToolContext,
    staff_email: str,
    product_id: int,
    status: ProductStatus | None = None,
    title: str | None = None,
    tags: list[str] | None = None,
    vendor: str | None = None,
    product_type: str | None = None,
) -> ProductView:
    """Change a product (products permission): publish it (active), hide it (draft), archive it when it is
    discontinued (its order history stays), rename it, or replace its tags, vendor or product type.

    Args:
        staff_email: The email of the staff account making the change.
        product_id: The product's id.
        status: active, draft or archived (omit to keep).
        title: A new title (omit to keep).
        tags: The complete new list of tags (omit to keep).
        vendor: A new vendor (omit to keep).
        product_type: A new product type (omit to keep).
    """
    staff_with(ctx, staff_email, "products")
    product = ctx.rows(Product).require(product_id, missing=f"There is no product {product_id} in this store.")
    changes: dict[str, Any] = {}
    if status is not None and status != product["status"]:
        changes["status"] = status
    if title is not None and title.strip() != product["title"]:
        if not 1 <= len(title.strip()) <= 120:
            raise DomainError("A product title is 1-120 characters.")
        changes["title"] = title.strip()
    if tags is not None and _tags(tags) != product["tags"]:
        changes["tags"] = _tags(tags)
    if vendor is not None and vendor.strip() and vendor.strip() != product["vendor"]:
        changes["vendor"] = vendor.strip()
    if product_type is not None and product_type.strip() and product_type.strip() != product["product_type"]:
        changes["product_type"] = product_type.strip()
    if not changes:
        raise DomainError(f"{product['title']} already has these values; nothing to change.")
    changes["updated_at"] = stamp(ctx.now)
    ctx.rows(Product).update(product_id, **changes)
    return _product_view(ctx, {**product, **changes})


@env.write(intents=["change the price of variant {variant_id} to {price}", "put variant {variant_id} on sale"])
def update_variant(
    ctx: ToolContext,
    staff_email: str,
    variant_id: int,
    price: float | None = None,
    compare_at_price: float | None = None,
    inventory_policy: InventoryPolicy | None = None,
    sku: str | None = None,
) -> VariantChange:
    """Change a variant (products permission): its price, its compare-at price (the higher "was" price shown
    crossed out; it must stay above the price, and 0 removes it), whether it keeps selling when out of
    stock (inventory_policy continue) or stops at zero (deny), or its SKU.

    Args:
        staff_email: The email of the staff account making the change.
        variant_id: The variant's id.
        price: The new price in dollars (omit to keep).
        compare_at_price: The new compare-at price in dollars, or 0 to remove it (omit to keep).
        inventory_policy: deny or continue (omit to keep).
        sku: A new SKU (omit to keep).
    """
    staff_with(ctx, staff_email, "products")
    variant = require_variant(ctx, variant_id)
    changes: dict[str, Any] = {}
    if price is not None:
        changes["price"] = to_cents(price, "price")
    if compare_at_price is not None:
        changes["compare_at_price"] = to_cents(compare_at_price, "compare-at price") or None
    if inventory_policy is not None:
        changes["inventory_policy"] = inventory_policy
    if sku is not None:
        if not 1 <= len(sku.strip()) <= 40:
            raise DomainError("A SKU is 1-40 characters.")
        changes["sku"] = sku.strip()
    after = {**variant, **changes}
    if after["compare_at_price"] is not None and after["compare_at_price"] <= after["price"]:
        raise DomainError(
            f"The compare-at price (${after['compare_at_price'] / 100:.2f}) must be higher than the price "
            f"(${after['price'] / 100:.2f}); set compare_at_price to 0 to remove it."
        )
    changes = {k: v for k, v in changes.items() if variant[k] != v}
    if not changes:
        raise DomainError(f"Variant {variant['sku']} already has these values; nothing to change.")
    ctx.rows(Variant).update(variant_id, **changes)
    ctx.rows(Product).update(variant["product_id"], updated_at=stamp(ctx.now))
    return {
        "variant_id": variant_id,
        "product_id": variant["product_id"],
        "title": after["title"],
        "sku": after["sku"],
        "price": dollars(after["price"]) or 0.0,
        "compare_at_price": dollars(after["compare_at_price"]),
        "inventory_policy": after["inventory_policy"],
    }


def _level_change(ctx: ToolContext, variant: Row, location_id: int, available: int) -> InventoryLevelChange:
    return {
        "inventory_item_id": variant["inventory_item_id"],
        "location_id": location_id,
        "sku": variant["sku"],
        "available": available,
        "updated_at": stamp(ctx.now),
    }


def _variant_of_item(ctx: ToolContext, inventory_item_id: int) -> Row:
    variant = ctx.rows(Variant).first({"inventory_item_id": inventory_item_id})
    if variant is None:
        raise DomainError(f"There is no inventory item {inventory_item_id} in this store.")
    return variant


@env.write(intents=["we received {available_adjustment} more of {inventory_item_id} at {location_id}"])
def adjust_inventory_level(
    ctx: ToolContext, staff_email: str, inventory_item_id: int, location_id: int, available_adjustment: int
) -> InventoryLevelChange:
    """Add units to (a delivery came in) or take units from (damaged, lost) an inventory item's available
    count at one location (inventory permission). The count can't go below zero unless the variant keeps
    selling when out of stock.

    Args:
        staff_email: The email of the staff account making the change.
        inventory_item_id: The variant's inventory item id.
        location_id: The location whose count changes.
        available_adjustment: Units to add (positive) or remove (negative), not 0.
    """
    staff_with(ctx, staff_email, "inventory")
    if available_adjustment == 0 or abs(available_adjustment) > 100_000:
        raise DomainError("The adjustment must be a non-zero number of units (at most 100,000).")
    variant = _variant_of_item(ctx, inventory_item_id)
    require_location(ctx, location_id)
    available = move_stock(ctx, variant, location_id, available_adjustment)
    return _level_change(ctx, variant, location_id, available)


@env.write(intents=["we counted {available} of {inventory_item_id} at {location_id}; set it"])
def set_inventory_level(
    ctx: ToolContext, staff_email: str, inventory_item_id: int, location_id: int, available: int
) -> InventoryLevelChange:
    """Set an inventory item's available count at one location to what a stock count found (inventory
    permission).

    Args:
        staff_email: The email of the staff account making the change.
        inventory_item_id: The variant's inventory item id.
        location_id: The location that was counted.
        available: The units counted, 0 or more.
    """
    staff_with(ctx, staff_email, "inventory")
    if not 0 <= available <= 100_000:
        raise DomainError("A counted quantity is between 0 and 100,000 units.")
    variant = _variant_of_item(ctx, inventory_item_id)
    require_location(ctx, location_id)
    level = ctx.rows(InventoryLevel).get(inventory_item_id, location_id)
    if level is None:
        raise DomainError(f"SKU {variant['sku']} isn't stocked at location {location_id}.")
    if level["available"] == available:
        raise DomainError(f"SKU {variant['sku']} already shows {available} available there.")
    move_stock(ctx, variant, location_id, available - int(level["available"]))
    return _level_change(ctx, variant, location_id, available)


# -- customers ---------------------------------------------------------------------------------------------


@env.read(intents=["find the customer {query}", "who are our customers tagged {tag}?", "who spends the most?"])
def get_customers(
    ctx: ToolContext,
    query: str | None = None,
    tag: str | None = None,
    accepts_marketing: bool | None = None,
    order: CustomersSort = "last_name asc",
    limit: int = 20,
    offset: int = 0,
) -> CustomersPage:
    """Search the store's customers, with their tags, marketing consent, orders count and total spent.

    Args:
        query: Part of a name or email, such as 'maria' or 'gmail.com' (any letter case).
        tag: Only customers with this tag, such as 'VIP' or 'wholesale'.
        accepts_marketing: True for customers who accept email marketing, False for those who don't.
        order: 'total_spent desc', 'orders_count desc', 'created_at desc' or 'last_name asc'.
        limit: Maximum number of customers to return (1-50).
        offset: Number of customers to skip, for paging.
    """
    limit, offset = _page(limit, offset)
    clauses, params = [], []
    if query:
        for word in query.split():
            clauses.append("(lower(first_name || ' ' || last_name) LIKE ? OR lower(email) LIKE ?)")
            params += [f"%{word.lower()}%", f"%{word.lower()}%"]
    if tag:
        clauses.append("EXISTS (SELECT 1 FROM json_each(tags) t WHERE lower(t.value) = lower(?))")
        params.append(tag.strip())
    if accepts_marketing is not None:
        clauses.append("accepts_marketing = ?")
        params.append(1 if accepts_marketing else 0)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sort = {
        "total_spent desc": "total_spent DESC",
        "orders_count desc": "orders_count DESC",
        "created_at desc": "created_at DESC",
        "last_name asc": "last_name, first_name",
    }[order]
    total = ctx.query(f"SELECT COUNT(*) AS n FROM customers{where}", params)[0]["n"]
    ids = ctx.query(
        f"SELECT customer_id FROM customers{where} ORDER BY {sort}, customer_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    customers = [_customer_view(ctx.rows(Customer).get(r["customer_id"]) or {}) for r in ids]
    return {"customers": customers, "total": total}


@env.write(intents=["tag customer {customer_id} as {tags}", "add the tags {tags} to customer {customer_id}"])
def tag_customer(ctx: ToolContext, staff_email: str, customer_id: int, tags: list[str]) -> CustomerView:
    """Add tags to a customer (customers permission), such as 'VIP' for a segment or discount; tags the
    customer already has are kept once.

    Args:
        staff_email: The email of the staff account making the change.
        customer_id: The customer's id.
        tags: The tags to add.
    """
    staff_with(ctx, staff_email, "customers")
    customer = ctx.rows(Customer).require(customer_id, missing=f"There is no customer {customer_id} in this store.")
    new = _tags([*customer["tags"], *tags])
    if len(new) == len(customer["tags"]):
        raise DomainError(f"{customer['first_name']} {customer['last_name']} already has the tags {', '.join(tags)}.")
    ctx.rows(Customer).update(customer_id, tags=new)
    return _customer_view({**customer, "tags": new})


# -- orders ------------------------------------------------------------------------------------------------


@env.read(
    intents=[
        "show me order {name}",
        "which orders are {financial_status} and {fulfillment_status}?",
        "what has {email} ordered?",
    ]
)
def get_orders(
    ctx: ToolContext,
    status: OrderStatus = "open",
    name: str | None = None,
    email: str | None = None,
    financial_status: FinancialStatus | None = None,
    fulfillment_status: FulfillmentStatus | None = None,
    created_at_min: str | None = None,
    created_at_max: str | None = None,
    order: OrdersSort = "created_at desc",
    limit: int = 20,
    offset: int = 0,
) -> OrdersPage:
    """List orders, newest first unless sorted otherwise. Filters combine.

    Args:
        status: open (not cancelled, not archived: the default), closed (archived after completion),
            cancelled, or any.
        name: The order number as customers see it, such as '#1042' (the '#' may be left out).
        email: The customer's email.
        financial_status: pending, paid, partially_refunded, refunded or voided.
        fulfillment_status: unfulfilled, partial or fulfilled.
        created_at_min: Only orders placed on or after this date (2025-11-01) or date and time.
        created_at_max: Only orders placed on or before this date or date and time.
        order: 'created_at desc' (newest first), 'created_at asc' (oldest first) or 'total_price desc'.
        limit: Maximum number of orders to return (1-50).
        offset: Number of orders to skip, for paging.
    """
    limit, offset = _page(limit, offset)
    clauses, params = [], []
    if status == "open":
        clauses.append("o.cancelled_at IS NULL AND o.closed_at IS NULL")
    elif status == "closed":
        clauses.append("o.closed_at IS NOT NULL AND o.cancelled_at IS NULL")
    elif status == "cancelled":
        clauses.append("o.cancelled_at IS NOT NULL")
    if name:
        clauses.append("o.name = ?")
        params.append("#" + name.strip().lstrip("#"))
    if email:
        clauses.append("lower(o.email) = lower(?)")
        params.append(email.strip())
    if financial_status:
        clauses.append("o.financial_status = ?")
        params.append(financial_status)
    if fulfillment_status:
        clauses.append("o.fulfillment_status = ?")
        params.append(fulfillment_status)
    if created_at_min:
        clauses.append("o.created_at >= ?")
        params.append(_moment(created_at_min, "created_at_min"))
    if created_at_max:
        clauses.append("o.created_at <= ?")
        params.append(_moment(created_at_max, "created_at_max", end_of_day=True))
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sort = {
        "created_at desc": "o.created_at DESC",
        "created_at asc": "o.created_at ASC",
        "total_price desc": "o.total_price DESC",
    }[order]
    total = ctx.query(f"SELECT COUNT(*) AS n FROM orders o{where}", params)[0]["n"]
    rows = ctx.query(
        f"SELECT o.*, (SELECT SUM(quantity) FROM line_items l WHERE l.order_id = o.order_id) AS items "
        f"FROM orders o{where} ORDER BY {sort}, o.order_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return {
        "orders": [
            {
                "order_id": r["order_id"],
                "name": r["name"],
                "email": r["email"],
                "created_at": r["created_at"],
                "financial_status": r["financial_status"],
                "fulfillment_status": r["fulfillment_status"],
                "total_price": dollars(r["total_price"]) or 0.0,
                "item_count": int(r["items"] or 0),
                "cancelled_at": r["cancelled_at"],
            }
            for r in rows
        ],
        "total": total,
    }


@env.read(intents=["show me the details of order {order_id}", "has order {order_id} shipped?"])
def get_order(ctx: ToolContext, order_id: int) -> OrderView:
    """Get one order: its line items (with what is left to ship and to refund), totals, discount code,
    financial and fulfillment status, fulfillments with tracking, refunds and any cancellation.

    Args:
        order_id: The order's id (get_orders finds it from the order number).
    """
    return order_view(ctx, require_order(ctx, order_id))


@env.write(intents=["place an order for {email}", "put through a phone order for {email}"])
def create_order(
    ctx: ToolContext,
    staff_email: str,
    email: str,
    line_items: list[OrderLine],
    discount_code: str | None = None,
    financial_status: Literal["paid", "pending"] = "paid",
    note: str = "",
) -> OrderView:
    """Create an order for an existing customer (orders permission), such as a phone order. The products
    must be active; the stock is taken from the primary location and refused where a variant that stops at
    zero hasn't enough. A discount code must be running, under its usage limit, unused by this customer if
    it is once per customer, and the subtotal must reach its minimum. Orders of $75 or more after discounts
    ship free, others pay $8.

    Args:
        staff_email: The email of the staff account making the change.
        email: The customer's email.
        line_items: What they are buying: each a variant_id and a quantity.
        discount_code: A discount code to apply (omit for none).
        financial_status: paid (taken now, the default) or pending (the customer pays later, such as by
            bank transfer).
        note: A note on the order (omit for none).
    """
    staff_with(ctx, staff_email, "orders")
    customer = _customer_by_email(ctx, email)
    if not line_items:
        raise DomainError("An order needs at least one line item.")
    if len(note) > 500:
        raise DomainError("An order note is at most 500 characters.")
    lines = [(require_variant(ctx, line["variant_id"]), line["quantity"]) for line in line_items]
    order = place_order(
        ctx,
        customer,
        lines,
        code=discount_code,
        percent_off=0,
        financial_status=financial_status,
        source_name="admin",
        note=note,
    )
    return order_view(ctx, order)


@env.write(intents=["order {order_id} has been paid", "mark {order_id} as paid"])
def mark_order_as_paid(ctx: ToolContext, staff_email: str, order_id: int) -> OrderView:
    """Record that a pending order has been paid outside the checkout (bank transfer, cash, cheque)
    (orders permission).

    Args:
        staff_email: The email of the staff account making the change.
        order_id: The order's id.
    """
    staff_with(ctx, staff_email, "orders")
    order = require_order(ctx, order_id)
    if order["cancelled_at"] is not None:
        raise DomainError(f"Order {order['name']} was cancelled on {order['cancelled_at'][:10]}.")
    if order["financial_status"] != "pending":
        raise DomainError(f"Order {order['name']} isn't awaiting payment: it is {order['financial_status']}.")
    ctx.rows(Order).update(order_id, financial_status="paid")
    customer = ctx.rows(Customer).get(order["customer_id"]) if order["customer_id"] else None
    if customer is not None:
        ctx.rows(Customer).update(customer["customer_id"], total_spent=customer["total_spent"] + order["total_price"])
    return order_view(ctx, {**order, "financial_status": "paid"})


@env.write(intents=["ship order {order_id} with tracking {tracking_number}", "fulfil order {order_id}"])
def fulfill_order(
    ctx: ToolContext,
    staff_email: str,
    order_id: int,
    tracking_number: str | None = None,
    tracking_company: TrackingCompany | None = None,
    line_items: list[FulfillLine] | None = None,
    notify_customer: bool = True,
) -> OrderView:
    """Mark an order's items shipped from the location holding its stock (orders permission), with the
    carrier's tracking number. Only paid orders are fulfilled; a cancelled order can't be.

    Args:
        staff_email: The email of the staff account making the change.
        order_id: The order's id.
        tracking_number: The carrier's tracking number (omit if there is none).
        tracking_company: UPS, USPS, FedEx or DHL Express.
        line_items: Only these lines and quantities (line_item_id, quantity); omit to ship everything left.
        notify_customer: Email the customer the shipping confirmation (default True).
    """
    staff_with(ctx, staff_email, "orders")
    order = require_order(ctx, order_id)
    if order["cancelled_at"] is not None:
        raise DomainError(
            f"Order {order['name']} was cancelled on {order['cancelled_at'][:10]}; it can't be fulfilled."
        )
    if order["financial_status"] == "pending":
        raise DomainError(f"Order {order['name']} hasn't been paid yet (payment pending); fulfil it once it is paid.")
    if tracking_number is not None and not _TRACKING.match(tracking_number.strip()):
        raise DomainError("A tracking number is 6-40 letters and digits.")
    if tracking_number and tracking_company is None:
        raise DomainError("Say which carrier the tracking number belongs to (UPS, USPS, FedEx or DHL Express).")
    lines = {line["line_item_id"]: line for line in ctx.rows(LineItem).find({"order_id": order_id})}
    wanted: dict[int, int] = {}
    if line_items:
        for item in line_items:
            line = lines.get(item["line_item_id"])
            if line is None:
                raise DomainError(f"Order {order['name']} has no line item {item['line_item_id']}.")
            quantity = item["quantity"] + wanted.get(line["line_item_id"], 0)
            if not 1 <= quantity <= fulfillable(line):
                what = f"{line['title']} ({line['variant_title']})"
                raise DomainError(f"Only {fulfillable(line)} of {what} left to ship.")
            wanted[line["line_item_id"]] = quantity
    else:
        wanted = {lid: fulfillable(line) for lid, line in lines.items() if fulfillable(line) > 0}
    if not wanted:
        raise DomainError(f"Order {order['name']} has nothing left to ship.")
    fulfillment_id = new_id(ctx)
    ctx.rows(Fulfillment).add(
        fulfillment_id=fulfillment_id,
        order_id=order_id,
        location_id=order["location_id"],
        status="success",
        tracking_company=tracking_company,
        tracking_number=tracking_number.strip() if tracking_number else None,
        notify_customer=bool(notify_customer),
        created_at=stamp(ctx.now),
    )
    for line_item_id, quantity in wanted.items():
        ctx.rows(FulfillmentLine).add(fulfillment_id=fulfillment_id, line_item_id=line_item_id, quantity=quantity)
        line = lines[line_item_id]
        line["fulfilled_quantity"] = int(line["fulfilled_quantity"]) + quantity
        ctx.rows(LineItem).update(line_item_id, fulfilled_quantity=line["fulfilled_quantity"])
    status = fulfillment_status_of(list(lines.values()))
    ctx.rows(Order).update(order_id, fulfillment_status=status)
    return order_view(ctx, {**order, "fulfillment_status": status})


@env.write(intents=["cancel order {order_id}, the customer changed their mind", "cancel {order_id} as {reason}"])
def cancel_order(
    ctx: ToolContext,
    staff_email: str,
    order_id: int,
    reason: CancelReason,
    restock: bool = True,
    note: str = "",
) -> OrderView:
    """Cancel an order that hasn't shipped (orders permission): what was paid is refunded (a pending
    payment is voided) and, with restock, its units go back to the location they were taken from. An
    order with any fulfilled item can't be cancelled; refund it instead.

    Args:
        staff_email: The email of the staff account making the change.
        order_id: The order's id.
        reason: customer (changed their mind), inventory (out of stock), fraud, declined (payment
            declined) or other.
        restock: Put the units back in stock (default True).
        note: A note kept with the refund (omit for none).
    """
    staff_with(ctx, staff_email, "orders")
    order = require_order(ctx, order_id)
    if order["cancelled_at"] is not None:
        raise DomainError(f"Order {order['name']} was already cancelled on {order['cancelled_at'][:10]}.")
    lines = ctx.rows(LineItem).find({"order_id": order_id}, order_by="line_item_id")
    if any(int(line["fulfilled_quantity"]) > 0 for line in lines):
        raise DomainError(
            f"Order {order['name']} has already been fulfilled ({order['fulfillment_status']}), so it can't be "
            "cancelled; refund the items instead."
        )
    if len(note) > 300:
        raise DomainError("A note is at most 300 characters.")
    refundable = paid_total(order) - refunded_total(ctx, order_id)
    # A voided payment leaves nothing to refund: the cancellation then records no refund.
    refund_id = new_id(ctx) if refundable > 0 else None
    if refund_id is not None:
        shipping_left = int(order["shipping_price"]) - int(
            ctx.query("SELECT COALESCE(SUM(shipping), 0) AS n FROM refunds WHERE order_id = ?", [order_id])[0]["n"]
        )
        ctx.rows(Refund).add(
            refund_id=refund_id,
            order_id=order_id,
            amount=refundable,
            shipping=max(0, min(shipping_left, refundable)),
            note=note or "Order cancelled",
            created_at=stamp(ctx.now),
        )
    for line in lines:
        units = fulfillable(line)
        if units <= 0:
            continue
        if restock:
            variant = ctx.rows(Variant).get(line["variant_id"])
            if variant is not None and ctx.rows(InventoryLevel).get(variant["inventory_item_id"], order["location_id"]):
                move_stock(ctx, variant, order["location_id"], units)
        if refund_id is not None:
            ctx.rows(RefundLine).add(
                refund_id=refund_id,
                line_item_id=line["line_item_id"],
                quantity=units,
                restock_type="cancel" if restock else "no_restock",
                location_id=order["location_id"],
                subtotal=unit_refund(line, units),
            )
        ctx.rows(LineItem).update(
            line["line_item_id"],
            refunded_quantity=int(line["refunded_quantity"]) + units,
            removed_quantity=int(line["removed_quantity"]) + units,
        )
    financial = "voided" if order["financial_status"] == "pending" else "refunded"
    changes = {
        "cancelled_at": stamp(ctx.now),
        "closed_at": stamp(ctx.now),
        "cancel_reason": reason,
        "financial_status": financial,
    }
    ctx.rows(Order).update(order_id, **changes)
    customer = ctx.rows(Customer).get(order["customer_id"]) if order["customer_id"] else None
    if customer is not None and refundable > 0:
        ctx.rows(Customer).update(customer["customer_id"], total_spent=customer["total_spent"] - refundable)
    return order_view(ctx, {**order, **changes})


@env.write(
    intents=[
        "refund {refund_line_items} from order {order_id}",
        "give the customer {amount} back on order {order_id}",
    ]
)
def create_refund(
    ctx: ToolContext,
    staff_email: str,
    order_id: int,
    refund_line_items: list[RefundLineInput] | None = None,
    amount: float | None = None,
    refund_shipping: bool = False,
    location_id: int | None = None,
    note: str = "",
) -> OrderView:
    """Refund an order, in full or in part (orders permission): line items, with what happens to their
    units (restock_type return: shipped units came back and go into stock; cancel: units not yet shipped
    are taken off the order and back into stock; no_restock, the default: damaged or kept), optionally its
    shipping, or a custom amount (such as a goodwill credit). A refund never exceeds what was paid less
    earlier refunds.

    Args:
        staff_email: The email of the staff account making the change.
        order_id: The order's id.
        refund_line_items: Lines to refund: line_item_id, quantity and optionally restock_type.
        amount: Dollars to refund instead of the items' calculated amount (omit to refund exactly that).
        refund_shipping: Also refund the shipping charge (default False).
        location_id: Where returned units are restocked (default: the location the order shipped from).
        note: The reason, kept with the refund.
    """
    staff_with(ctx, staff_email, "orders")
    order = require_order(ctx, order_id)
    if order["financial_status"] in ("pending", "voided"):
        raise DomainError(
            f"Nothing has been paid on order {order['name']} ({order['financial_status']}), so "
            "there is nothing to refund."
        )
    remaining = paid_total(order) - refunded_total(ctx, order_id)
    if remaining <= 0:
        raise DomainError(f"Order {order['name']} has already been refunded in full.")
    if len(note) > 300:
        raise DomainError("A note is at most 300 characters.")
    restock_at = order["location_id"] if location_id is None else require_location(ctx, location_id)["location_id"]
    lines = {line["line_item_id"]: line for line in ctx.rows(LineItem).find({"order_id": order_id})}
    parts: list[tuple[Row, int, str, int, int]] = []  # line, units, restock type, unshipped units, cents
    for item in refund_line_items or []:
        line = lines.get(item["line_item_id"])
        if line is None:
            raise DomainError(f"Order {order['name']} has no line item {item['line_item_id']}.")
        units = item["quantity"]
        kind = item.get("restock_type", "no_restock")
        left = int(line["quantity"]) - int(line["refunded_quantity"])
        if not 1 <= units <= left:
            raise DomainError(f"Only {left} of {line['title']} ({line['variant_title']}) can still be refunded.")
        if kind == "return" and units > shipped_refundable(line):
            raise DomainError(
                f"Only {shipped_refundable(line)} of {line['title']} ({line['variant_title']}) have shipped and can "
                "come back as a return; refund unshipped units with restock_type cancel."
            )
        if kind == "cancel" and units > fulfillable(line):
            raise DomainError(
                f"Only {fulfillable(line)} of {line['title']} ({line['variant_title']}) are still unshipped; "
                "shipped units come back with restock_type return."
            )
        unshipped = {"cancel": units, "no_restock": max(0, units - shipped_refundable(line))}.get(kind, 0)
        parts.append((line, units, kind, unshipped, unit_refund(line, units)))
        line["refunded_quantity"] = int(line["refunded_quantity"]) + units
        line["removed_quantity"] = int(line["removed_quantity"]) + unshipped
    calculated = sum(p[4] for p in parts)
    shipping = 0
    if refund_shipping:
        shipping = int(order["shipping_price"]) - int(
            ctx.query("SELECT COALESCE(SUM(shipping), 0) AS n FROM refunds WHERE order_id = ?", [order_id])[0]["n"]
        )
        if shipping <= 0:
            raise DomainError(f"Order {order['name']} has no shipping charge left to refund.")
        calculated += shipping
    total = calculated if amount is None else to_cents(amount, "refund amount")
    if total <= 0:
        raise DomainError("Say what to refund: line items, the shipping, or an amount above $0.")
    if total > remaining:
        raise DomainError(
            f"Refunds can't exceed what was paid: ${remaining / 100:.2f} of order {order['name']} is left to "
            f"refund, and this refund would be ${total / 100:.2f}."
        )
    refund_id = new_id(ctx)
    ctx.rows(Refund).add(
        refund_id=refund_id,
        order_id=order_id,
        amount=total,
        shipping=min(shipping, total),
        note=note.strip(),
        created_at=stamp(ctx.now),
    )
    for line, units, kind, _unshipped, cents in parts:
        ctx.rows(RefundLine).add(
            refund_id=refund_id,
            line_item_id=line["line_item_id"],
            quantity=units,
            restock_type=kind,
            location_id=restock_at if kind != "no_restock" else None,
            subtotal=cents,
        )
        ctx.rows(LineItem).update(
            line["line_item_id"], refunded_quantity=line["refunded_quantity"], removed_quantity=line["removed_quantity"]
        )
        if kind != "no_restock":
            variant = ctx.rows(Variant).get(line["variant_id"])
            target = order["location_id"] if kind == "cancel" else restock_at
            if variant is not None:
                move_stock(ctx, variant, target, units)
    financial = "refunded" if total == remaining else "partially_refunded"
    changes = {"financial_status": financial, "fulfillment_status": fulfillment_status_of(list(lines.values()))}
    ctx.rows(Order).update(order_id, **changes)
    customer = ctx.rows(Customer).get(order["customer_id"]) if order["customer_id"] else None
    if customer is not None:
        ctx.rows(Customer).update(customer["customer_id"], total_spent=customer["total_spent"] - total)
    return order_view(ctx, {**order, **changes})


# -- discounts ---------------------------------------------------------------------------------------------


@env.read(intents=["what are the terms of the code {code}?", "which discount codes are {status}?"])
def get_discount_codes(
    ctx: ToolContext, code: str | None = None, status: DiscountStatus | None = None, limit: int = 20, offset: int = 0
) -> list[DiscountView]:
    """Look up discount codes and their price rules: value, minimum subtotal, usage limit and uses so far,
    once per customer, start and end dates, and whether the code is active, scheduled or expired now.

    Args:
        code: One code, such as 'WELCOME10' (any letter case; omit to list all).
        status: Only codes that are active, scheduled (not started yet) or expired (ended or used up).
        limit: Maximum number of codes to return (1-50).
        offset: Number of codes to skip, for paging.
    """
    limit, offset = _page(limit, offset)
    codes = ctx.rows(DiscountCode).find(order_by="code")
    if code is not None:
        codes = [c for c in codes if c["code"].lower() == code.strip().lower()]
        if not codes:
            raise DomainError(f"There is no discount code {code}.")
    views = []
    for row in codes:
        rule = ctx.rows(PriceRule).get(row["price_rule_id"])
        if rule is None:
            continue
        if status is None or discount_status(rule, row, ctx.now) == status:
            views.append(discount_view(rule, row, ctx.now))
    return views[offset : offset + limit]


@env.write(intents=["create the discount code {code} for {value} off", "set up a {value_type} code {code}"])
def create_discount_code(
    ctx: ToolContext,
    staff_email: str,
    code: str,
    value_type: ValueType,
    value: float,
    starts_at: str | None = None,
    ends_at: str | None = None,
    minimum_subtotal: float = 0,
    usage_limit: int | None = None,
    once_per_customer: bool = False,
    title: str | None = None,
) -> DiscountView:
    """Create a discount code with its price rule (discounts permission): a percentage or a fixed amount off
    the order, from a start to an optional end, with an optional minimum subtotal, a total usage limit and
    a once-per-customer limit. Codes are unique in any letter case.

    Args:
        staff_email: The email of the staff account making the change.
        code: The code customers type at checkout: 3-40 letters, digits, '-' or '_'.
        value_type: percentage or fixed_amount.
        value: The percent off (1-100) or the dollars off.
        starts_at: When it starts: a date (2025-12-01, from midnight) or date and time (default: now).
        ends_at: When it ends: a date (through the end of that day) or date and time (omit for no end).
        minimum_subtotal: The order subtotal in dollars it needs (default 0, no minimum).
        usage_limit: How many times it can be used in total (omit for no limit).
        once_per_customer: Each customer may use it only once (default False).
        title: The discount's name in the admin (default: the code).
    """
    staff_with(ctx, staff_email, "discounts")
    code = code.strip()
    if not _CODE.match(code):
        raise DomainError("A discount code is 3-40 letters, digits, '-' or '_', without spaces.")
    if ctx.query("SELECT 1 FROM discount_codes WHERE lower(code) = lower(?)", [code]):
        raise DomainError(f"The discount code {code} already exists.")
    if value_type == "percentage":
        if not isinstance(value, int | float) or not 1 <= value <= 100 or value != int(value):
            raise DomainError("A percentage discount is a whole number of percent from 1 to 100.")
        stored = int(value)
    else:
        stored = to_cents(value, "discount amount")
        if stored <= 0:
            raise DomainError("A fixed discount must take more than $0 off.")
    start = _moment(starts_at, "starts_at") if starts_at else stamp(ctx.now)
    end = _moment(ends_at, "ends_at", end_of_day=True) if ends_at else None
    if end is not None and end <= start:
        raise DomainError("A discount must end after it starts.")
    if end is not None and end <= stamp(ctx.now):
        raise DomainError(f"That end date ({end[:10]}) has already passed.")
    minimum = to_cents(minimum_subtotal, "minimum subtotal")
    if usage_limit is not None and not 1 <= usage_limit <= 1_000_000:
        raise DomainError("A usage limit is between 1 and 1,000,000 uses.")
    name = (title or code).strip()
    if not 1 <= len(name) <= 80:
        raise DomainError("A discount title is 1-80 characters.")
    rule = ctx.rows(PriceRule).insert(
        price_rule_id=new_id(ctx),
        title=name,
        value_type=value_type,
        value=stored,
        prerequisite_subtotal=minimum,
        usage_limit=usage_limit,
        once_per_customer=bool(once_per_customer),
        starts_at=start,
        ends_at=end,
        created_at=stamp(ctx.now),
    )
    row = ctx.rows(DiscountCode).insert(
        discount_code_id=new_id(ctx),
        price_rule_id=rule["price_rule_id"],
        code=code,
        usage_count=0,
        created_at=stamp(ctx.now),
    )
    return discount_view(rule, row, ctx.now)


# -- draft orders ------------------------------------------------------------------------------------------


def _draft_view(ctx: ToolContext, draft: Row) -> DraftOrderView:
    customer = ctx.rows(Customer).get(draft["customer_id"]) or {"email": ""}
    lines = []
    subtotal = 0
    for item in ctx.rows(DraftOrderLine).find({"draft_order_id": draft["draft_order_id"]}, order_by="variant_id"):
        variant = ctx.rows(Variant).get(item["variant_id"]) or {"title": "?", "sku": "", "price": 0, "product_id": 0}
        product = ctx.rows(Product).get(variant["product_id"]) or {"title": "?"}
        subtotal += int(variant["price"]) * int(item["quantity"])
        lines.append(
            {
                "variant_id": item["variant_id"],
                "title": f"{product['title']} - {variant['title']}",
                "sku": variant["sku"],
                "quantity": item["quantity"],
                "price": dollars(variant["price"]) or 0.0,
            }
        )
    return {
        "draft_order_id": draft["draft_order_id"],
        "name": draft["name"],
        "customer_id": draft["customer_id"],
        "email": customer["email"],
        "status": draft["status"],
        "note": draft["note"],
        "applied_discount_percent": draft["applied_discount_percent"],
        "subtotal_price": dollars(subtotal - subtotal * int(draft["applied_discount_percent"]) // 100) or 0.0,
        "created_at": draft["created_at"],
        "line_items": lines,
        "order_id": draft["order_id"],
    }


@env.read(intents=["show me the draft orders for {email}", "which drafts are still {status}?"])
def get_draft_orders(
    ctx: ToolContext, status: DraftStatus | None = None, email: str | None = None, name: str | None = None
) -> list[DraftOrderView]:
    """List draft orders (quotes and phone orders not yet placed), newest first, with their lines and
    discount.

    Args:
        status: open, invoice_sent (the customer was emailed an invoice) or completed.
        email: Only the drafts of the customer with this email.
        name: One draft by its name, such as '#D104'.
    """
    where: dict[str, Any] = {}
    if status:
        where["status"] = status
    if name:
        where["name"] = "#" + name.strip().lstrip("#")
    if email:
        where["customer_id"] = _customer_by_email(ctx, email)["customer_id"]
    drafts = ctx.rows(DraftOrder).find(where, order_by=["-created_at", "draft_order_id"], limit=MAX_PAGE)
    return [_draft_view(ctx, d) for d in drafts]


@env.write(intents=["turn draft {draft_order_id} into an order", "complete the draft order {draft_order_id}"])
def complete_draft_order(
    ctx: ToolContext, staff_email: str, draft_order_id: int, payment_pending: bool = False
) -> OrderView:
    """Turn a draft order into an order (orders permission), with its discount; the same rules as a new
    order apply (active products, stock at the primary location).

    Args:
        staff_email: The email of the staff account making the change.
        draft_order_id: The draft order's id.
        payment_pending: True when the customer will pay later (the order stays pending); default False
            (paid now).
    """
    staff_with(ctx, staff_email, "orders")
    draft = ctx.rows(DraftOrder).require(draft_order_id, missing=f"There is no draft order {draft_order_id}.")
    if draft["status"] == "completed":
        raise DomainError(f"Draft order {draft['name']} was already completed.")
    customer = ctx.rows(Customer).require(draft["customer_id"], missing="The draft's customer no longer exists.")
    items = ctx.rows(DraftOrderLine).find({"draft_order_id": draft_order_id}, order_by="variant_id")
    lines = [(require_variant(ctx, i["variant_id"]), int(i["quantity"])) for i in items]
    order = place_order(
        ctx,
        customer,
        lines,
        code=None,
        percent_off=int(draft["applied_discount_percent"]),
        financial_status="pending" if payment_pending else "paid",
        source_name="shopify_draft_order",
        note=draft["note"],
    )
    ctx.rows(DraftOrder).update(
        draft_order_id, status="completed", order_id=order["order_id"], completed_at=stamp(ctx.now)
    )
    return order_view(ctx, order)


__all__ = [
    "adjust_inventory_level",
    "cancel_order",
    "complete_draft_order",
    "create_discount_code",
    "create_order",
    "create_product",
    "create_refund",
    "fulfill_order",
    "get_customers",
    "get_discount_codes",
    "get_draft_orders",
    "get_locations",
    "get_order",
    "get_orders",
    "get_product",
    "get_products",
    "mark_order_as_paid",
    "primary_location",
    "set_inventory_level",
    "tag_customer",
    "update_product",
    "update_variant",
]
