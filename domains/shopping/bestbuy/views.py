"""What the tools return (typed views) and the helpers that build them and look rows up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .models import Category, Customer, Order, OrderLine, PriceMatch, Product, ReturnRecord, return_days


class ProductSummary(TypedDict):
    sku: str
    name: str
    manufacturer: str
    model_number: str
    regular_price: int
    sale_price: int
    on_sale: bool
    condition: str
    customer_review_average: float | None
    customer_review_count: int
    best_selling_rank: int
    online_availability: bool
    free_shipping: bool


class ProductPage(TypedDict):
    total: int
    page: int
    total_pages: int
    products: list[ProductSummary]


class ProductDetails(ProductSummary):
    upc: str
    category_id: str
    category_path: str
    screen_size_in: int | None
    protection_eligible: bool
    activation_required: bool
    stores_with_stock: int


class ReviewView(TypedDict):
    review_id: str
    rating: int
    title: str
    comment: str
    reviewer: str
    submission_time: str


class ReviewPage(TypedDict):
    sku: str
    name: str
    customer_review_average: float | None
    customer_review_count: int
    total: int
    reviews: list[ReviewView]


class SubcategoryView(TypedDict):
    category_id: str
    name: str
    path: str
    product_count: int


class CategoryView(TypedDict):
    category_id: str
    name: str
    path: str
    protection_eligible: bool
    subcategories: list[SubcategoryView]


class StoreView(TypedDict, total=False):
    store_id: str
    name: str
    address: str
    city: str
    region: str
    postal_code: str
    phone: str
    hours: str
    services: list[str]
    distance_miles: float
    sku: str
    quantity_available: int


class CartLine(TypedDict):
    sku: str
    name: str
    quantity: int
    unit_price: int


class CartView(TypedDict):
    customer_id: str
    items: list[CartLine]
    subtotal: int


class ReservationView(TypedDict):
    reservation_id: str
    sku: str
    name: str
    store_id: str
    store_name: str
    quantity: int
    status: str
    created_at: str
    hold_until: str


class AccountView(TypedDict):
    customer_id: str
    first_name: str
    last_name: str
    email: str
    postal_code: str
    membership: str
    return_window_days: int
    cart: CartView
    reservations: list[ReservationView]


class OrderLineView(TypedDict):
    sku: str
    name: str
    quantity: int
    unit_price: int
    protection_term_years: int | None
    protection_price: int
    returned_quantity: int
    return_by: str | None
    price_matched: bool


class OrderView(TypedDict):
    order_id: str
    placed_at: str
    fulfillment: str
    store_id: str | None
    status: str
    received_at: str | None
    shipping_cost: int
    total: int
    lines: list[OrderLineView]


class OrderPage(TypedDict):
    customer_id: str
    total: int
    orders: list[OrderView]


class ProtectionPlanView(TypedDict):
    term_years: int
    price: int
    covers: str


class PriceMatchView(TypedDict):
    price_match_id: str
    order_id: str
    sku: str
    competitor: str
    matched_price: int
    refund_amount: int


class ReturnView(TypedDict):
    return_id: str
    order_id: str
    sku: str
    quantity: int
    refund_amount: int
    return_by: str | None


def require_customer(ctx: ToolContext, customer_id: str) -> dict[str, Any]:
    return ctx.rows(Customer).require(customer_id.strip(), missing=f"There is no My Best Buy account {customer_id}.")


def require_product(ctx: ToolContext, sku: str) -> dict[str, Any]:
    return ctx.rows(Product).require(str(sku).strip(), missing=f"There is no product with SKU {sku}.")


def require_own_order(ctx: ToolContext, customer: dict[str, Any], order_id: str) -> dict[str, Any]:
    order = ctx.rows(Order).require(order_id.strip(), missing=f"There is no order {order_id}.")
    if order["customer_id"] != customer["customer_id"]:
        raise DomainError(f"Order {order_id} belongs to another account.")
    return order


def require_line(ctx: ToolContext, order: dict[str, Any], sku: str) -> dict[str, Any]:
    line = ctx.rows(OrderLine).first({"order_id": order["order_id"], "sku": str(sku).strip()})
    if line is None:
        raise DomainError(f"Order {order['order_id']} has no item with SKU {sku}.")
    return line


def summary(product: dict[str, Any]) -> ProductSummary:
    return {
        "sku": product["sku"],
        "name": product["name"],
        "manufacturer": product["manufacturer"],
        "model_number": product["model_number"],
        "regular_price": product["regular_price"],
        "sale_price": product["sale_price"],
        "on_sale": product["sale_price"] < product["regular_price"],
        "condition": product["condition"],
        "customer_review_average": product["customer_review_average"],
        "customer_review_count": product["customer_review_count"],
        "best_selling_rank": product["best_selling_rank"],
        "online_availability": bool(product["online_availability"]),
        "free_shipping": bool(product["free_shipping"]),
    }


def category_of(ctx: ToolContext, product: dict[str, Any]) -> dict[str, Any]:
    return ctx.rows(Category).require(product["category_id"], missing="Unknown category.")


def return_deadline(ctx: ToolContext, customer: dict[str, Any], order: dict[str, Any], sku: str) -> dt.date | None:
    """The last day a line can be returned (None until the customer has received it)."""
    if not order["received_at"]:
        return None
    product = ctx.rows(Product).require(sku, missing=f"There is no product with SKU {sku}.")
    days = return_days(customer["membership"], bool(product["activation_required"]))
    return dt.date.fromisoformat(order["received_at"][:10]) + dt.timedelta(days=days)


def order_view(ctx: ToolContext, customer: dict[str, Any], order: dict[str, Any]) -> OrderView:
    lines = ctx.rows(OrderLine).find({"order_id": order["order_id"]}, order_by="line_id")
    matched = {m["sku"] for m in ctx.rows(PriceMatch).find({"order_id": order["order_id"]})}
    views: list[OrderLineView] = []
    for line in lines:
        deadline = return_deadline(ctx, customer, order, line["sku"])
        views.append(
            {
                "sku": line["sku"],
                "name": line["name"],
                "quantity": line["quantity"],
                "unit_price": line["unit_price"],
                "protection_term_years": line["protection_term_years"],
                "protection_price": line["protection_price"],
                "returned_quantity": line["returned_quantity"],
                "return_by": deadline.isoformat() if deadline else None,
                "price_matched": line["sku"] in matched,
            }
        )
    return {
        "order_id": order["order_id"],
        "placed_at": order["placed_at"],
        "fulfillment": order["fulfillment"],
        "store_id": order["store_id"],
        "status": order["status"],
        "received_at": order["received_at"],
        "shipping_cost": order["shipping_cost"],
        "total": order["total"],
        "lines": views,
    }


def returned_units(ctx: ToolContext, order_id: str, sku: str) -> int:
    rows = ctx.rows(ReturnRecord).find({"order_id": order_id, "sku": sku})
    return sum(int(r["quantity"]) for r in rows)
