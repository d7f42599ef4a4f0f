"""The JSON shapes the store answers with: tau2-bench retail's models as its tools serialize them.

Tools and the ``db.json`` interchange build users, products, variants and orders from table rows with the
same functions, so an answer and a dumped document always agree field for field and in field order.
Amounts are dollars (floats) outside, cents inside.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from typing_extensions import TypedDict

from .models import CancelReason

ADDRESS_FIELDS: tuple[str, ...] = ("address1", "address2", "city", "country", "state", "zip")
# The order fields tau2 leaves unset until a cancellation, exchange or return sets them, in model order.
OPTIONAL_ORDER_FIELDS: tuple[str, ...] = (
    "cancel_reason",
    "exchange_items",
    "exchange_new_items",
    "exchange_payment_method_id",
    "exchange_price_difference",
    "return_items",
    "return_payment_method_id",
)


class Name(TypedDict):
    first_name: str
    last_name: str


class Address(TypedDict):
    address1: str
    address2: str
    city: str
    country: str
    state: str
    zip: str


class CreditCardView(TypedDict):
    source: Literal["credit_card"]
    id: str
    brand: str
    last_four: str


class PaypalView(TypedDict):
    source: Literal["paypal"]
    id: str


class GiftCardView(TypedDict):
    source: Literal["gift_card"]
    id: str
    balance: float


PaymentMethodView = CreditCardView | PaypalView | GiftCardView


class UserView(TypedDict):
    user_id: str
    name: Name
    address: Address
    email: str
    payment_methods: dict[str, PaymentMethodView]
    orders: list[str]


class VariantView(TypedDict):
    item_id: str
    options: dict[str, str]
    available: bool
    price: float


class ProductView(TypedDict):
    name: str
    product_id: str
    variants: dict[str, VariantView]


class OrderItemView(TypedDict):
    name: str
    product_id: str
    item_id: str
    price: float
    options: dict[str, str]


class FulfillmentView(TypedDict):
    tracking_id: list[str]
    item_ids: list[str]


class PaymentView(TypedDict):
    transaction_type: Literal["payment", "refund"]
    amount: float
    payment_method_id: str


class OrderView(TypedDict):
    order_id: str
    user_id: str
    address: Address
    items: list[OrderItemView]
    status: str
    fulfillments: list[FulfillmentView]
    payment_history: list[PaymentView]
    cancel_reason: CancelReason | None
    exchange_items: list[str] | None
    exchange_new_items: list[str] | None
    exchange_payment_method_id: str | None
    exchange_price_difference: float | None
    return_items: list[str] | None
    return_payment_method_id: str | None


def dollars(cents: int) -> float:
    return cents / 100


def to_cents(amount: Any) -> int:
    """Dollars (a JSON number) as whole cents."""
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        raise ValueError(f"{amount!r} is not an amount of money.")
    return round(amount * 100)


def address_of(row: Mapping[str, Any]) -> Address:
    return {name: row[name] for name in ADDRESS_FIELDS}  # type: ignore[return-value]


def payment_method_view(row: Mapping[str, Any]) -> PaymentMethodView:
    if row["source"] == "credit_card":
        return {
            "source": "credit_card",
            "id": row["payment_method_id"],
            "brand": row["brand"],
            "last_four": row["last_four"],
        }
    if row["source"] == "paypal":
        return {"source": "paypal", "id": row["payment_method_id"]}
    return {"source": "gift_card", "id": row["payment_method_id"], "balance": dollars(row["balance_cents"] or 0)}


def user_view(user: Mapping[str, Any], methods: Iterable[Mapping[str, Any]], order_ids: Iterable[str]) -> UserView:
    return {
        "user_id": user["user_id"],
        "name": {"first_name": user["first_name"], "last_name": user["last_name"]},
        "address": address_of(user),
        "email": user["email"],
        "payment_methods": {m["payment_method_id"]: payment_method_view(m) for m in methods},
        "orders": list(order_ids),
    }


def variant_view(row: Mapping[str, Any]) -> VariantView:
    return {
        "item_id": row["item_id"],
        "options": dict(row["options"]),
        "available": bool(row["available"]),
        "price": dollars(row["price_cents"]),
    }


def product_view(product: Mapping[str, Any], variants: Iterable[Mapping[str, Any]]) -> ProductView:
    return {
        "name": product["name"],
        "product_id": product["product_id"],
        "variants": {v["item_id"]: variant_view(v) for v in variants},
    }


def order_view(
    order: Mapping[str, Any],
    items: Iterable[Mapping[str, Any]],
    fulfillments: Iterable[Mapping[str, Any]],
    payments: Iterable[Mapping[str, Any]],
) -> OrderView:
    """An order as tau2's tools return it: every field, the unset optional ones as null."""
    difference = order["exchange_price_difference_cents"]
    return {
        "order_id": order["order_id"],
        "user_id": order["user_id"],
        "address": address_of(order),
        "items": [
            {
                "name": i["name"],
                "product_id": i["product_id"],
                "item_id": i["item_id"],
                "price": dollars(i["price_cents"]),
                "options": dict(i["options"]),
            }
            for i in items
        ],
        "status": order["status"],
        "fulfillments": [
            {"tracking_id": list(f["tracking_id"]), "item_ids": list(f["item_ids"])} for f in fulfillments
        ],
        "payment_history": [
            {
                "transaction_type": p["transaction_type"],
                "amount": dollars(p["amount_cents"]),
                "payment_method_id": p["payment_method_id"],
            }
            for p in payments
        ],
        "cancel_reason": order["cancel_reason"],
        "exchange_items": order["exchange_items"],
        "exchange_new_items": order["exchange_new_items"],
        "exchange_payment_method_id": order["exchange_payment_method_id"],
        "exchange_price_difference": None if difference is None else dollars(difference),
        "return_items": order["return_items"],
        "return_payment_method_id": order["return_payment_method_id"],
    }
