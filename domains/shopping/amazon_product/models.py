"""State: the catalog (browse nodes, items and their buy-box offers, variation families, deals) and the
per-customer state a shopping client keeps around it (cart, wish lists, price alerts, orders), with the
constants the rules share."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 7, 9, 14, 0, 0)
ITEM_PAGE = 10  # PA-API pages: ItemCount is 1-10 per request, ItemPage 1-10
MAX_ITEM_PAGE = 10
MAX_GET_ITEMS = 10  # GetItems takes at most ten ASINs per request
FREE_SHIPPING_THRESHOLD = 3500  # cents: standard shipping is free from $35 of eligible items
STANDARD_SHIPPING_FEE = 599  # cents, per order under the threshold
TWO_DAY_FEE = 1299  # cents: two-day shipping for customers without Prime
CART_LINE_LIMIT = 50  # distinct items a cart may hold
WISH_LIST_LIMIT = 25  # lists per customer
DEFAULT_WISH_LIST = "Shopping List"

SortBy = Literal["Relevance", "Price:LowToHigh", "Price:HighToLow", "AvgCustomerReviews", "NewestArrivals"]
AvailabilityType = Literal["Now", "Backorder", "Unavailable"]
DealType = Literal["LIGHTNING_DEAL", "DEAL_OF_THE_DAY"]
ShippingSpeed = Literal["standard", "two_day"]
Condition = Literal["New", "Renewed", "Used"]
STANDARD_DAYS = 5  # business days are not modeled: calendar days from the order
TWO_DAY_DAYS = 2
BACKORDER_DAYS = 14


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The store's current time: one row, part of the seeded state."""


class BrowseNode(Base):
    """A node of the category tree; roots have no parent and items sit in leaf nodes."""

    __tablename__ = "browse_nodes"
    __label__ = "the {display_name} category"
    browse_node_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(60))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("browse_nodes.browse_node_id"), index=True)


class VariationFamily(Base):
    """A parent ASIN: not buyable itself, it groups child ASINs that differ in size and/or colour."""

    __tablename__ = "variation_families"
    __label__ = "the {title}"
    parent_asin: Mapped[str] = mapped_column(String(10), primary_key=True, info={"user_known": True})
    title: Mapped[str] = mapped_column(String(100))
    brand: Mapped[str] = mapped_column(String(30))
    dimensions: Mapped[str] = mapped_column(String(20))  # 'Size', 'Color' or 'Size,Color'


class Item(Base):
    """A buyable ASIN with its buy-box offer. ``price`` and ``list_price`` are cents; a child of a
    variation family carries its dimension values."""

    __tablename__ = "items"
    __label__ = "the {title}"
    asin: Mapped[str] = mapped_column(String(10), primary_key=True, info={"user_known": True})
    title: Mapped[str] = mapped_column(String(120))
    brand: Mapped[str] = mapped_column(String(30))
    browse_node_id: Mapped[str] = mapped_column(ForeignKey("browse_nodes.browse_node_id"), index=True)
    parent_asin: Mapped[str | None] = mapped_column(ForeignKey("variation_families.parent_asin"), index=True)
    size: Mapped[str | None] = mapped_column(String(12))
    color: Mapped[str | None] = mapped_column(String(20))
    price: Mapped[int] = mapped_column(Integer)
    list_price: Mapped[int | None] = mapped_column(Integer)  # the "List Price" savings are measured against
    condition: Mapped[str] = mapped_column(String(8))
    merchant: Mapped[str] = mapped_column(String(30))
    prime_eligible: Mapped[bool] = mapped_column(Boolean)
    availability_type: Mapped[str] = mapped_column(String(11))
    stock: Mapped[int] = mapped_column(Integer)  # units left; 0 when unavailable or on backorder
    max_order_quantity: Mapped[int] = mapped_column(Integer)
    star_rating: Mapped[float] = mapped_column(Float)
    review_count: Mapped[int] = mapped_column(Integer)
    sales_rank: Mapped[int] = mapped_column(Integer)
    release_date: Mapped[str] = mapped_column(String(10))


class Deal(Base):
    """A time-boxed price: a lightning deal (a share of its units claimed, ends when all are claimed or at
    its end time) or the deal of the day. ``prime_exclusive`` deals price only for Prime members."""

    __tablename__ = "deals"
    deal_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    asin: Mapped[str] = mapped_column(ForeignKey("items.asin"), index=True)
    deal_type: Mapped[str] = mapped_column(String(16))
    deal_price: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[str] = mapped_column(String(19))
    end_time: Mapped[str] = mapped_column(String(19))
    percent_claimed: Mapped[int] = mapped_column(Integer)
    prime_exclusive: Mapped[bool] = mapped_column(Boolean)


class Customer(Base):
    __tablename__ = "customers"
    __label__ = "{customer_id}"
    customer_id: Mapped[str] = mapped_column(String(40), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(60))
    email: Mapped[str] = mapped_column(String(80), unique=True)
    prime_member: Mapped[bool] = mapped_column(Boolean)
    city: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(2))
    zip_code: Mapped[str] = mapped_column(String(10))


class CartItem(Base):
    __tablename__ = "cart_items"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), primary_key=True)
    asin: Mapped[str] = mapped_column(ForeignKey("items.asin"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class WishList(Base):
    __tablename__ = "wish_lists"
    __label__ = "the wish list '{name}'"
    list_id: Mapped[str] = mapped_column(String(14), primary_key=True, info={"generated": True})
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class WishListItem(Base):
    __tablename__ = "wish_list_items"
    list_id: Mapped[str] = mapped_column(ForeignKey("wish_lists.list_id"), primary_key=True)
    asin: Mapped[str] = mapped_column(ForeignKey("items.asin"), primary_key=True)
    added_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class PriceAlert(Base):
    """A price-drop alert: the customer hears when the ASIN's price falls to ``target_price`` or below."""

    __tablename__ = "price_alerts"
    alert_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    asin: Mapped[str] = mapped_column(ForeignKey("items.asin"), index=True)
    target_price: Mapped[int] = mapped_column(Integer)
    price_when_set: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Order(Base):
    __tablename__ = "orders"
    order_id: Mapped[str] = mapped_column(String(19), primary_key=True, info={"generated": True, "user_known": True})
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    placed_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    status: Mapped[str] = mapped_column(String(10))  # Ordered | Shipped | Delivered
    shipping_speed: Mapped[str] = mapped_column(String(8))
    items_subtotal: Mapped[int] = mapped_column(Integer)
    shipping_cost: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    estimated_delivery: Mapped[str] = mapped_column(String(10))
    ship_to: Mapped[str] = mapped_column(String(80))


class OrderItem(Base):
    __tablename__ = "order_items"
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), primary_key=True)
    asin: Mapped[str] = mapped_column(ForeignKey("items.asin"), primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
