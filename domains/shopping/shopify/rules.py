"""The store's rules shared by its tools: who may change what, money, stock moves, discount terms, and the
order view with its refundable amounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .models import (
    FREE_SHIPPING_FROM,
    STANDARD_SHIPPING,
    Customer,
    DiscountCode,
    Fulfillment,
    FulfillmentLine,
    InventoryLevel,
    LineItem,
    Location,
    Order,
    PriceRule,
    Product,
    Refund,
    RefundLine,
    StaffMember,
    Variant,
)
from .views import DiscountView, OrderView

Row = dict[str, Any]
MAX_DOLLARS = 1_000_000


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def dollars(cents: int | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


def to_cents(amount: float, what: str) -> int:
    """Dollars as a person types them (29, 29.5, 29.99) in cents; anything else is refused."""
    if not isinstance(amount, int | float) or isinstance(amount, bool) or amount != amount:
        raise DomainError(f"The {what} must be a number of dollars, such as 29.99.")
    if amount < 0 or amount > MAX_DOLLARS:
        raise DomainError(f"The {what} must be between $0 and ${MAX_DOLLARS:,}.")
    cents = round(amount * 100)
    if abs(cents - amount * 100) > 1e-6:
        raise DomainError(f"The {what} can have at most two decimals (cents): {amount} has more.")
    return int(cents)


def new_id(ctx: ToolContext) -> int:
    # Seeded ids stay below 50 billion; ids the store hands out start with 9 and have eleven digits.
    return int("9" + ctx.new_id(10, "0123456789"))


def staff_with(ctx: ToolContext, staff_email: str, permission: str) -> Row:
    """The staff account acting, refused unless it holds ``permission`` (the account owner holds all)."""
    staff = ctx.rows(StaffMember).first({"email": staff_email.strip().lower()})
    if staff is None:
        raise DomainError(f"No staff account of this store uses the email {staff_email}.")
    if not staff["account_owner"] and permission not in staff["permissions"]:
        held = ", ".join(staff["permissions"]) or "none"
        raise DomainError(
            f"{staff['first_name']} {staff['last_name']}'s staff account doesn't have the {permission} permission "
            f"(it has: {held}). Ask the store owner to do this or to grant the permission."
        )
    return staff


def require_location(ctx: ToolContext, location_id: int) -> Row:
    location = ctx.rows(Location).require(location_id, missing=f"There is no location {location_id} in this store.")
    if not location["active"]:
        raise DomainError(f"The {location['name']} location is deactivated and holds no stock.")
    return location


def primary_location(ctx: ToolContext) -> Row:
    location = ctx.rows(Location).first({"is_primary": True})
    if location is None:  # a store always has one; a scenario without one is malformed
        raise DomainError("This store has no primary location to take online orders' stock from.")
    return location


def require_variant(ctx: ToolContext, variant_id: int) -> Row:
    return ctx.rows(Variant).require(variant_id, missing=f"There is no variant {variant_id} in this store.")


def require_order(ctx: ToolContext, order_id: int) -> Row:
    return ctx.rows(Order).require(order_id, missing=f"There is no order {order_id} in this store.")


def move_stock(ctx: ToolContext, variant: Row, location_id: int, change: int) -> int:
    """Add ``change`` units (negative: take them) at a location; returns the new available count.

    A location's count goes below zero only for a variant that keeps selling when out of stock."""
    levels = ctx.rows(InventoryLevel)
    level = levels.get(variant["inventory_item_id"], location_id)
    location = ctx.rows(Location).get(location_id)
    place = location["name"] if location else f"location {location_id}"
    if level is None:
        raise DomainError(f"SKU {variant['sku']} isn't stocked at {place}.")
    available = int(level["available"]) + change
    if available < 0 and variant["inventory_policy"] != "continue":
        product = ctx.rows(Product).get(variant["product_id"]) or {"title": "this product"}
        raise DomainError(
            f"Only {level['available']} of {product['title']} ({variant['title']}, SKU {variant['sku']}) "
            f"available at {place}; this variant doesn't sell past zero."
        )
    levels.update((variant["inventory_item_id"], location_id), available=available, updated_at=stamp(ctx.now))
    return available


def shipping_for(discounted_subtotal: int) -> int:
    return 0 if discounted_subtotal >= FREE_SHIPPING_FROM else STANDARD_SHIPPING


def allocate(total: int, amounts: list[int]) -> list[int]:
    """Split a discount over lines in proportion to their amounts; the last line takes the remainder."""
    whole = sum(amounts)
    if not whole or not total:
        return [0] * len(amounts)
    shares = [total * amount // whole for amount in amounts[:-1]]
    return [*shares, total - sum(shares)]


def discount_status(rule: Row, code: Row, now: dt.datetime) -> str:
    if rule["starts_at"] > stamp(now):
        return "scheduled"
    if rule["ends_at"] is not None and rule["ends_at"] < stamp(now):
        return "expired"
    if rule["usage_limit"] is not None and code["usage_count"] >= rule["usage_limit"]:
        return "expired"
    return "active"


def discount_view(rule: Row, code: Row, now: dt.datetime) -> DiscountView:
    percentage = rule["value_type"] == "percentage"
    return {
        "discount_code_id": code["discount_code_id"],
        "code": code["code"],
        "price_rule_id": rule["price_rule_id"],
        "title": rule["title"],
        "value_type": rule["value_type"],
        "value": float(rule["value"]) if percentage else dollars(rule["value"]) or 0.0,
        "minimum_subtotal": dollars(rule["prerequisite_subtotal"]) or 0.0,
        "usage_limit": rule["usage_limit"],
        "usage_count": code["usage_count"],
        "once_per_customer": bool(rule["once_per_customer"]),
        "starts_at": rule["starts_at"],
        "ends_at": rule["ends_at"],
        "status": discount_status(rule, code, now),
    }


def apply_discount_code(ctx: ToolContext, code_text: str, customer: Row, subtotal: int) -> tuple[Row, int]:
    """The code's row and the cents it takes off this subtotal, refused when its terms don't allow it."""
    rows = ctx.query("SELECT * FROM discount_codes WHERE lower(code) = lower(?)", [code_text.strip()])
    if not rows:
        raise DomainError(f"There is no discount code {code_text}.")
    code = rows[0]
    rule = ctx.rows(PriceRule).require(code["price_rule_id"], missing=f"The code {code['code']} has no terms.")
    now = stamp(ctx.now)
    if rule["starts_at"] > now:
        raise DomainError(f"The code {code['code']} isn't active yet: it starts {rule['starts_at'][:10]}.")
    if rule["ends_at"] is not None and rule["ends_at"] < now:
        raise DomainError(f"The code {code['code']} expired on {rule['ends_at'][:10]}.")
    if rule["usage_limit"] is not None and code["usage_count"] >= rule["usage_limit"]:
        raise DomainError(f"The code {code['code']} has reached its limit of {rule['usage_limit']} uses.")
    if subtotal < rule["prerequisite_subtotal"]:
        raise DomainError(
            f"The code {code['code']} needs a subtotal of at least ${rule['prerequisite_subtotal'] / 100:.2f}; "
            f"this order's is ${subtotal / 100:.2f}."
        )
    if rule["once_per_customer"]:
        used = ctx.query(
            "SELECT COUNT(*) AS n FROM orders WHERE customer_id = ? AND lower(discount_code) = lower(?) "
            "AND cancelled_at IS NULL",
            [customer["customer_id"], code["code"]],
        )[0]["n"]
        if used:
            raise DomainError(
                f"{customer['email']} has already used the code {code['code']}, which is once per customer."
            )
    if rule["value_type"] == "percentage":
        amount = subtotal * int(rule["value"]) // 100
    else:
        amount = min(int(rule["value"]), subtotal)
    return code, amount


def place_order(
    ctx: ToolContext,
    customer: Row,
    lines: list[tuple[Row, int]],
    *,
    code: str | None,
    percent_off: int,
    financial_status: str,
    source_name: str,
    note: str,
) -> Row:
    """Create an order for a customer: checks the products are on sale, takes the stock from the primary
    location, applies a discount code or a percentage, and adds shipping. Returns the order row."""
    location = primary_location(ctx)
    merged: dict[int, tuple[Row, int]] = {}
    for variant, quantity in lines:
        if not 1 <= quantity <= 999:
            raise DomainError("Each line's quantity must be between 1 and 999.")
        known = merged.get(variant["variant_id"])
        merged[variant["variant_id"]] = (variant, quantity + (known[1] if known else 0))
    products = ctx.rows(Product)
    subtotal = 0
    for variant, quantity in merged.values():
        product = products.get(variant["product_id"]) or {"title": "?", "status": "draft"}
        if product["status"] != "active":
            raise DomainError(f"{product['title']} is {product['status']}, not active: it can't be ordered.")
        subtotal += variant["price"] * quantity
    code_row = None
    discount = subtotal * percent_off // 100
    if code:
        code_row, discount = apply_discount_code(ctx, code, customer, subtotal)
    for variant, quantity in merged.values():
        move_stock(ctx, variant, location["location_id"], -quantity)
    shipping = shipping_for(subtotal - discount)
    total = subtotal - discount + shipping
    number = ctx.query("SELECT MAX(CAST(substr(name, 2) AS INTEGER)) AS n FROM orders")[0]["n"] or 1000
    order_id = new_id(ctx)
    order = ctx.rows(Order).insert(
        order_id=order_id,
        name=f"#{number + 1}",
        customer_id=customer["customer_id"],
        email=customer["email"],
        location_id=location["location_id"],
        financial_status=financial_status,
        fulfillment_status="unfulfilled",
        subtotal_price=subtotal,
        total_discounts=discount,
        shipping_price=shipping,
        total_price=total,
        discount_code=code_row["code"] if code_row else None,
        note=note,
        source_name=source_name,
        cancel_reason=None,
        cancelled_at=None,
        closed_at=None,
        created_at=stamp(ctx.now),
    )
    shares = allocate(discount, [v["price"] * q for v, q in merged.values()])
    for (variant, quantity), share in zip(merged.values(), shares, strict=True):
        product = products.get(variant["product_id"]) or {"title": "?"}
        ctx.rows(LineItem).add(
            line_item_id=new_id(ctx),
            order_id=order_id,
            variant_id=variant["variant_id"],
            product_id=variant["product_id"],
            title=product["title"],
            variant_title=variant["title"],
            sku=variant["sku"],
            quantity=quantity,
            price=variant["price"],
            total_discount=share,
            fulfilled_quantity=0,
            refunded_quantity=0,
            removed_quantity=0,
        )
    if code_row is not None:
        ctx.rows(DiscountCode).update(code_row["discount_code_id"], usage_count=code_row["usage_count"] + 1)
    spent = total if financial_status == "paid" else 0
    ctx.rows(Customer).update(
        customer["customer_id"],
        orders_count=customer["orders_count"] + 1,
        total_spent=customer["total_spent"] + spent,
    )
    return order


def refunded_total(ctx: ToolContext, order_id: int) -> int:
    return int(ctx.query("SELECT COALESCE(SUM(amount), 0) AS n FROM refunds WHERE order_id = ?", [order_id])[0]["n"])


def paid_total(order: Row) -> int:
    """What the customer has paid on an order (nothing while payment is pending or was voided)."""
    return 0 if order["financial_status"] in ("pending", "voided") else int(order["total_price"])


def fulfillable(line: Row) -> int:
    return int(line["quantity"]) - int(line["fulfilled_quantity"]) - int(line["removed_quantity"])


def shipped_refundable(line: Row) -> int:
    """Shipped units not yet refunded (a refund takes unshipped units into removed_quantity)."""
    return int(line["fulfilled_quantity"]) - (int(line["refunded_quantity"]) - int(line["removed_quantity"]))


def unit_refund(line: Row, units: int) -> int:
    """What ``units`` of a line refund: their price less their share of the order's discount."""
    return int(line["price"]) * units - int(line["total_discount"]) * units // int(line["quantity"])


def fulfillment_status_of(lines: list[Row]) -> str:
    shipped = sum(int(line["fulfilled_quantity"]) for line in lines)
    to_ship = sum(fulfillable(line) for line in lines)
    if shipped == 0:
        return "unfulfilled"
    return "fulfilled" if to_ship == 0 else "partial"


def order_view(ctx: ToolContext, order: Row) -> OrderView:
    lines = ctx.rows(LineItem).find({"order_id": order["order_id"]}, order_by="line_item_id")
    cancelled = order["cancelled_at"] is not None
    fulfillments = []
    for f in ctx.rows(Fulfillment).find({"order_id": order["order_id"]}, order_by="created_at"):
        shipped = ctx.rows(FulfillmentLine).find({"fulfillment_id": f["fulfillment_id"]}, order_by="line_item_id")
        fulfillments.append(
            {
                "fulfillment_id": f["fulfillment_id"],
                "location_id": f["location_id"],
                "status": f["status"],
                "tracking_company": f["tracking_company"],
                "tracking_number": f["tracking_number"],
                "created_at": f["created_at"],
                "line_items": [{"line_item_id": s["line_item_id"], "quantity": s["quantity"]} for s in shipped],
            }
        )
    refunds = []
    for r in ctx.rows(Refund).find({"order_id": order["order_id"]}, order_by="created_at"):
        parts = ctx.rows(RefundLine).find({"refund_id": r["refund_id"]}, order_by="line_item_id")
        refunds.append(
            {
                "refund_id": r["refund_id"],
                "amount": dollars(r["amount"]) or 0.0,
                "shipping": dollars(r["shipping"]) or 0.0,
                "note": r["note"],
                "created_at": r["created_at"],
                "line_items": [
                    {"line_item_id": p["line_item_id"], "quantity": p["quantity"], "restock_type": p["restock_type"]}
                    for p in parts
                ],
            }
        )
    return {
        "order_id": order["order_id"],
        "name": order["name"],
        "customer_id": order["customer_id"],
        "email": order["email"],
        "created_at": order["created_at"],
        "location_id": order["location_id"],
        "financial_status": order["financial_status"],
        "fulfillment_status": order["fulfillment_status"],
        "subtotal_price": dollars(order["subtotal_price"]) or 0.0,
        "total_discounts": dollars(order["total_discounts"]) or 0.0,
        "shipping_price": dollars(order["shipping_price"]) or 0.0,
        "total_price": dollars(order["total_price"]) or 0.0,
        "total_refunded": dollars(refunded_total(ctx, order["order_id"])) or 0.0,
        "discount_code": order["discount_code"],
        "note": order["note"],
        "source_name": order["source_name"],
        "cancel_reason": order["cancel_reason"],
        "cancelled_at": order["cancelled_at"],
        "closed_at": order["closed_at"],
        "line_items": [
            {
                "line_item_id": line["line_item_id"],
                "variant_id": line["variant_id"],
                "title": line["title"],
                "variant_title": line["variant_title"],
                "sku": line["sku"],
                "quantity": line["quantity"],
                "price": dollars(line["price"]) or 0.0,
                "total_discount": dollars(line["total_discount"]) or 0.0,
                "fulfillable_quantity": 0 if cancelled else fulfillable(line),
                "refundable_quantity": int(line["quantity"]) - int(line["refunded_quantity"]),
            }
            for line in lines
        ],
        "fulfillments": fulfillments,
        "refunds": refunds,
    }
