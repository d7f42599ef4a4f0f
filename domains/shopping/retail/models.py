"""State: the store's tables (SQLAlchemy models) and the constants they share.

The tables follow tau2-bench retail's data model relationally: a user's payment methods, a product's
variants ("items"), an order's items, fulfillments and payment history each get their own table, ordered
by ``position`` so that the tau2 document's lists and mappings come back in their order. Money is kept in
integer cents (tau2 keeps dollars as floats; two decimals convert exactly both ways).
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

# --------------------------------------------------------------------------------------------------
# Business constants (the store's policy, as tau2-bench retail's)
# --------------------------------------------------------------------------------------------------

NOW = "2024-05-15T15:00:00"
ORDER_STATUSES: tuple[str, ...] = (
    "pending",
    "processed",
    "delivered",
    "cancelled",
    "pending (item modified)",
    "return requested",
    "exchange requested",
)
CANCEL_REASONS: tuple[str, ...] = ("no longer needed", "ordered by mistake")
PAYMENT_SOURCES: tuple[str, ...] = ("credit_card", "paypal", "gift_card")
TRANSACTION_TYPES: tuple[str, ...] = ("payment", "refund")

CancelReason = Literal["no longer needed", "ordered by mistake"]


# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The store's current time: a single row, part of the seeded state."""


class User(Base):
    __tablename__ = "users"
    __label__ = "{first_name} {last_name}"
    user_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(80), index=True)
    # The default shipping address.
    address1: Mapped[str] = mapped_column(String(80))
    address2: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(40))
    zip: Mapped[str] = mapped_column(String(10))


def _payment_label(row: dict[str, Any]) -> str:
    if row["source"] == "credit_card":
        return f"my {row['brand']} card ending in {row['last_four']}"
    if row["source"] == "paypal":
        return "my PayPal account"
    return f"my gift card with ${(row['balance_cents'] or 0) // 100} on it"


class PaymentMethod(Base):
    """A payment method in a user's profile: a credit card, a PayPal account or a gift card (with a balance)."""

    __tablename__ = "payment_methods"
    __label__ = staticmethod(lambda row: _payment_label(row))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), primary_key=True)
    payment_method_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the profile
    source: Mapped[str] = mapped_column(String(12))  # credit_card | paypal | gift_card
    brand: Mapped[str | None] = mapped_column(String(20))
    last_four: Mapped[str | None] = mapped_column(String(4))
    balance_cents: Mapped[int | None] = mapped_column(Integer)


class Product(Base):
    """A product type (a T-shirt, a laptop); what is bought is one of its variants."""

    __tablename__ = "products"
    __label__ = "the {name}"
    product_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), index=True)


class Variant(Base):
    """One variant ("item") of a product: its options (colour, size...), whether it is in stock, its price."""

    __tablename__ = "variants"
    item_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.product_id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the product's variants
    options: Mapped[dict[str, str]] = mapped_column(JSON)  # option name -> value, in the product's order
    available: Mapped[bool] = mapped_column(Boolean)
    price_cents: Mapped[int] = mapped_column(Integer)


def _order_label(row: dict[str, Any]) -> str:
    return f"my order {row['order_id']}"


class Order(Base):
    """An order: where it ships, its status and what has been requested on it since it was placed.

    ``status`` moves pending -> processed -> delivered as the warehouse works; the agent's actions move a
    pending order to 'cancelled' or 'pending (item modified)', a delivered one to 'return requested' or
    'exchange requested'. The exchange and return columns are set by those requests only.
    """

    __tablename__ = "orders"
    __label__ = staticmethod(lambda row: _order_label(row))
    # Customers have the order number from their confirmation email.
    order_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"user_known": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    # Position in the owner's list of orders (tau2 keeps that list on the user).
    user_position: Mapped[int | None] = mapped_column(Integer)
    address1: Mapped[str] = mapped_column(String(80))
    address2: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(40))
    zip: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(24), index=True)
    cancel_reason: Mapped[str | None] = mapped_column(String(20))
    exchange_items: Mapped[list[str] | None] = mapped_column(JSON)
    exchange_new_items: Mapped[list[str] | None] = mapped_column(JSON)
    exchange_payment_method_id: Mapped[str | None] = mapped_column(String(32))
    exchange_price_difference_cents: Mapped[int | None] = mapped_column(Integer)
    return_items: Mapped[list[str] | None] = mapped_column(JSON)
    return_payment_method_id: Mapped[str | None] = mapped_column(String(32))


class OrderItem(Base):
    """A line of an order: the variant bought, with the product's name, options and price at purchase."""

    __tablename__ = "order_items"
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[str] = mapped_column(String(12), index=True)
    product_id: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(60))
    price_cents: Mapped[int] = mapped_column(Integer)
    options: Mapped[dict[str, str]] = mapped_column(JSON)


class Fulfillment(Base):
    """A shipment of some of an order's items, with its carrier tracking numbers."""

    __tablename__ = "fulfillments"
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_id: Mapped[list[str]] = mapped_column(JSON)
    item_ids: Mapped[list[str]] = mapped_column(JSON)


class OrderPayment(Base):
    """An order's payment history: payments and refunds, each on one of the user's payment methods."""

    __tablename__ = "order_payments"
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_type: Mapped[str] = mapped_column(String(8))  # payment | refund
    amount_cents: Mapped[int] = mapped_column(Integer)
    payment_method_id: Mapped[str] = mapped_column(String(32))


class Handoff(Base):
    """A conversation handed over to a human agent (tau2 only ends the conversation; the record lets a task
    whose right outcome is a transfer be checked from the state)."""

    __tablename__ = "handoffs"
    handoff_id: Mapped[str] = mapped_column(String(8), primary_key=True, info={"generated": True})
    summary: Mapped[str] = mapped_column(String(2000), info={"generated": True})
    created_at: Mapped[str] = mapped_column(String(19))


# The tables in the order a whole state is written (parents before children).
STATE_TABLES: tuple[type[Base], ...] = (
    ServiceClock,
    Product,
    Variant,
    User,
    PaymentMethod,
    Order,
    OrderItem,
    Fulfillment,
    OrderPayment,
)
