"""State: Best Buy's catalog (categories, products by SKU, stores and their stock, reviews) and the per-customer
records a Best Buy account keeps (cart, store pickup holds, orders with Geek Squad Protection, price matches,
returns), with the constants the rules share."""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 6, 12, 15, 0, 0)
MAX_PAGE_SIZE = 50  # the Products API's pageSize ceiling here
PICKUP_HOLD_HOURS = 72  # a store pickup hold is kept for three days, then the units go back on the shelf
MAX_UNITS_PER_SKU = 3  # per reservation, order line or cart line: Best Buy's common purchase limit
FREE_SHIPPING_MINIMUM = 3500  # cents: orders of $35 or more ship free
STANDARD_SHIPPING = 599  # cents: shipping for a smaller order whose items do not all ship free
PROTECTION_ADD_DAYS = 60  # Geek Squad Protection can be added up to 60 days after purchase
STANDARD_RETURN_DAYS = 15
MEMBER_RETURN_DAYS = 60  # My Best Buy Plus and Total members
ACTIVATABLE_RETURN_DAYS = 14  # phones and other devices that need carrier activation, for every tier

Membership = Literal["My Best Buy", "My Best Buy Plus", "My Best Buy Total"]
MEMBERSHIPS: tuple[str, ...] = ("My Best Buy", "My Best Buy Plus", "My Best Buy Total")
ProductSort = Literal["best_selling", "price", "price_desc", "rating", "review_count", "name"]
ReviewSort = Literal["newest", "oldest", "highest_rating", "lowest_rating"]
Fulfillment = Literal["shipping", "pickup"]
ProtectionTerm = Literal[2, 3]
ReturnReason = Literal["changed_mind", "defective", "damaged", "wrong_item", "better_price_elsewhere"]
Competitor = Literal[
    "Amazon.com", "Walmart.com", "Target.com", "Costco.com", "Apple.com", "Dell.com", "HP.com", "Lenovo.com",
    "Newegg.com", "B&H Photo", "Crutchfield", "Home Depot", "Lowe's", "eBay", "Temu", "AliExpress", "Facebook Marketplace",  # noqa: E501
]  # fmt: skip
# Best Buy matches these retailers' own prices (not their marketplace sellers'); the rest never qualify.
QUALIFYING_COMPETITORS = frozenset({
    "Amazon.com", "Walmart.com", "Target.com", "Costco.com", "Apple.com", "Dell.com", "HP.com", "Lenovo.com",
    "Newegg.com", "B&H Photo", "Crutchfield", "Home Depot", "Lowe's",
})  # fmt: skip
ProductCondition = Literal["new", "open_box", "clearance"]


def return_days(membership: str, activation_required: bool) -> int:
    """The return window for a purchase, in days after the customer received it."""
    if activation_required:
        return ACTIVATABLE_RETURN_DAYS
    return STANDARD_RETURN_DAYS if membership == "My Best Buy" else MEMBER_RETURN_DAYS


def miles_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in miles between two (latitude, longitude) points."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 3958.8 * 2 * math.asin(math.sqrt(h))


def protection_price(unit_price: int, term_years: int) -> int:
    """Geek Squad Protection's price for one unit (cents): a share of the price, ending in .99."""
    share = 0.11 if term_years == 2 else 0.16
    dollars = max(int(unit_price * share / 100), 9)
    return dollars * 100 + 99


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """Best Buy's current time: one row, part of the seeded state."""


class Category(Base):
    """A node of the category tree; ``path`` names it from the root ("TV & Home Theater > TVs")."""

    __tablename__ = "categories"
    __label__ = "the {name} category"
    category_id: Mapped[str] = mapped_column(String(14), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("categories.category_id"), index=True)
    path: Mapped[str] = mapped_column(String(120))
    protection_eligible: Mapped[bool] = mapped_column(Boolean)  # Geek Squad Protection offered


class Product(Base):
    __tablename__ = "products"
    __label__ = "the {name}"
    sku: Mapped[str] = mapped_column(String(7), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(120))
    manufacturer: Mapped[str] = mapped_column(String(30))
    model_number: Mapped[str] = mapped_column(String(24))
    upc: Mapped[str] = mapped_column(String(12))
    category_id: Mapped[str] = mapped_column(ForeignKey("categories.category_id"), index=True)
    regular_price: Mapped[int] = mapped_column(Integer)  # cents
    sale_price: Mapped[int] = mapped_column(Integer)  # cents; what the product sells for now
    condition: Mapped[str] = mapped_column(String(9))  # new | open_box | clearance
    screen_size_in: Mapped[int | None] = mapped_column(Integer)
    customer_review_average: Mapped[float | None] = mapped_column(Float)
    customer_review_count: Mapped[int] = mapped_column(Integer)
    best_selling_rank: Mapped[int] = mapped_column(Integer)
    online_availability: Mapped[bool] = mapped_column(Boolean)
    free_shipping: Mapped[bool] = mapped_column(Boolean)
    activation_required: Mapped[bool] = mapped_column(Boolean)


class PostalCode(Base):
    """A ZIP code's centre, for store distances."""

    __tablename__ = "postal_codes"
    postal_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    city: Mapped[str] = mapped_column(String(30))
    region: Mapped[str] = mapped_column(String(2))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)


class Store(Base):
    __tablename__ = "stores"
    __label__ = "the Best Buy {name} store"
    store_id: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(60))
    city: Mapped[str] = mapped_column(String(30), index=True)
    region: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str] = mapped_column(ForeignKey("postal_codes.postal_code"))
    phone: Mapped[str] = mapped_column(String(14))
    hours: Mapped[str] = mapped_column(String(60))
    services: Mapped[str] = mapped_column(String(120))  # comma-separated


class StoreStock(Base):
    __tablename__ = "store_stock"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.store_id"), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)


class Customer(Base):
    """A My Best Buy account; the membership tier sets the return window."""

    __tablename__ = "customers"
    __label__ = "{first_name} {last_name}"
    customer_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"user_known": True})
    first_name: Mapped[str] = mapped_column(String(30))
    last_name: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(60), unique=True)
    postal_code: Mapped[str] = mapped_column(ForeignKey("postal_codes.postal_code"))
    membership: Mapped[str] = mapped_column(String(18))


class Review(Base):
    __tablename__ = "reviews"
    review_id: Mapped[str] = mapped_column(String(9), primary_key=True, info={"generated": True})
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), index=True)
    reviewer: Mapped[str] = mapped_column(String(30))
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.customer_id"))
    rating: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    comment: Mapped[str] = mapped_column(String(1000))
    submission_time: Mapped[str] = mapped_column(String(19), info={"generated": True})


class CartItem(Base):
    __tablename__ = "cart_items"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)


class PickupReservation(Base):
    """A hold on units at one store: they leave the store's available stock until picked up, cancelled or
    the hold expires."""

    __tablename__ = "pickup_reservations"
    reservation_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.store_id"))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(9))  # RESERVED | CANCELLED | PICKED_UP | EXPIRED
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    hold_until: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Order(Base):
    __tablename__ = "orders"
    order_id: Mapped[str] = mapped_column(String(16), primary_key=True, info={"generated": True, "user_known": True})
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    placed_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    fulfillment: Mapped[str] = mapped_column(String(8))  # shipping | pickup
    store_id: Mapped[str | None] = mapped_column(ForeignKey("stores.store_id"))
    status: Mapped[str] = mapped_column(String(10))  # PROCESSING | SHIPPED | DELIVERED | PICKED_UP
    received_at: Mapped[str | None] = mapped_column(String(19))
    shipping_cost: Mapped[int] = mapped_column(Integer)  # cents
    total: Mapped[int] = mapped_column(Integer)  # cents: items, plans and shipping


class OrderLine(Base):
    __tablename__ = "order_lines"
    line_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), index=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)  # cents paid, less any price match
    protection_term_years: Mapped[int | None] = mapped_column(Integer)
    protection_price: Mapped[int] = mapped_column(Integer, default=0)  # cents for the whole line
    returned_quantity: Mapped[int] = mapped_column(Integer, default=0)


class PriceMatch(Base):
    __tablename__ = "price_matches"
    price_match_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"))
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    competitor: Mapped[str] = mapped_column(String(24))
    competitor_price: Mapped[int] = mapped_column(Integer)  # cents
    refund_amount: Mapped[int] = mapped_column(Integer)  # cents
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class ReturnRecord(Base):
    __tablename__ = "returns"
    return_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), index=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(22))
    refund_amount: Mapped[int] = mapped_column(Integer)  # cents
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
