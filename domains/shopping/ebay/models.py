"""State: the marketplace's tables (SQLAlchemy models) and the constants its rules share."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 3, 14, 12, 0, 0)
MAX_PAGE = 50
MAX_OFFERS_PER_ITEM = 3  # a buyer may make at most three best offers on one listing
FEEDBACK_WINDOW_DAYS = 60  # feedback can be left up to 60 days after the order
GUARANTEE_DAYS = 30  # the money-back guarantee: damaged or not-as-described items, 30 days after delivery
LISTING_DURATIONS = (1, 3, 5, 7, 10, 30)  # days; auctions run 1-10, fixed price up to 30
LATE_END_HOURS = 12  # an auction with bids cannot be ended in its last 12 hours

Condition = Literal[
    "NEW", "NEW_OTHER", "CERTIFIED_REFURBISHED", "SELLER_REFURBISHED", "USED", "FOR_PARTS_OR_NOT_WORKING"
]
CONDITIONS: tuple[str, ...] = (
    "NEW", "NEW_OTHER", "CERTIFIED_REFURBISHED", "SELLER_REFURBISHED", "USED", "FOR_PARTS_OR_NOT_WORKING",
)  # fmt: skip
BuyingFormat = Literal["FIXED_PRICE", "AUCTION"]
ListingStatus = Literal["ACTIVE", "ENDED"]
ItemSort = Literal["best_match", "price", "price_desc", "ending_soonest", "newly_listed"]
EndReason = Literal["NOT_AVAILABLE", "INCORRECT_PRICE", "LOST_OR_BROKEN", "OTHER_LISTING_ERROR"]
OrderRole = Literal["buyer", "seller"]
OfferAction = Literal["accept", "decline"]
Carrier = Literal["USPS", "UPS", "FedEx", "DHL"]
ReturnReason = Literal["ARRIVED_DAMAGED", "NOT_AS_DESCRIBED", "WRONG_ITEM", "NO_LONGER_NEEDED", "DOES_NOT_FIT"]
# Reasons covered by the money-back guarantee even when the listing takes no returns; the seller pays the
# return postage and refunds the original shipping too.
SELLER_FAULT_REASONS = frozenset({"ARRIVED_DAMAGED", "NOT_AS_DESCRIBED", "WRONG_ITEM"})
FeedbackRating = Literal["POSITIVE", "NEUTRAL", "NEGATIVE"]
FulfillmentStatus = Literal["NOT_STARTED", "SHIPPED", "DELIVERED"]

# eBay's bid increments: (price from, in cents; increment, in cents).
BID_INCREMENTS: tuple[tuple[int, int], ...] = (
    (0, 5), (100, 25), (500, 50), (2500, 100), (10000, 250), (25000, 500), (50000, 1000),
    (100000, 2500), (250000, 5000), (500000, 10000),
)  # fmt: skip


def bid_increment(price: int) -> int:
    """The step a new bid must clear above the current price (cents)."""
    step = BID_INCREMENTS[0][1]
    for floor, increment in BID_INCREMENTS:
        if price >= floor:
            step = increment
    return step


# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The marketplace's current time: one row, part of the seeded state."""


class Category(Base):
    __tablename__ = "categories"
    __label__ = "the {name} category"
    category_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("categories.category_id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    leaf: Mapped[bool] = mapped_column(Boolean)


class User(Base):
    """A member: every member can buy; sellers have listings. Feedback counts are kept per member."""

    __tablename__ = "users"
    __label__ = "{username}"
    username: Mapped[str] = mapped_column(String(40), primary_key=True)
    email: Mapped[str] = mapped_column(String(80), unique=True)
    first_name: Mapped[str] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(40))
    street: Mapped[str] = mapped_column(String(60))
    city: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(2))
    zip_code: Mapped[str] = mapped_column(String(10))
    member_since: Mapped[str] = mapped_column(String(10))
    top_rated_seller: Mapped[bool] = mapped_column(Boolean, default=False)
    positive_count: Mapped[int] = mapped_column(Integer, default=0)
    neutral_count: Mapped[int] = mapped_column(Integer, default=0)
    negative_count: Mapped[int] = mapped_column(Integer, default=0)


class Item(Base):
    """A listing. ``price`` is what a buyer pays now: the fixed price, or an auction's current bid."""

    __tablename__ = "items"
    __label__ = "the listing '{title}'"
    item_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"user_known": True})
    seller: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    title: Mapped[str] = mapped_column(String(80))
    category_id: Mapped[str] = mapped_column(ForeignKey("categories.category_id"), index=True)
    condition: Mapped[str] = mapped_column(String(26))
    buying_format: Mapped[str] = mapped_column(String(12))
    price: Mapped[int] = mapped_column(Integer)  # cents
    start_price: Mapped[int] = mapped_column(Integer)  # cents; the opening bid of an auction
    reserve_price: Mapped[int | None] = mapped_column(Integer)  # cents, never shown to buyers
    buy_it_now_price: Mapped[int | None] = mapped_column(Integer)  # cents; an auction's Buy It Now option
    bid_count: Mapped[int] = mapped_column(Integer, default=0)
    high_bidder: Mapped[str | None] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)  # still available
    quantity_sold: Mapped[int] = mapped_column(Integer, default=0)
    best_offer_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_accept_price: Mapped[int | None] = mapped_column(Integer)  # offers at or above are accepted at once
    minimum_offer_price: Mapped[int | None] = mapped_column(Integer)  # offers below are declined at once
    shipping_service: Mapped[str] = mapped_column(String(40))
    shipping_cost: Mapped[int] = mapped_column(Integer)  # cents, 0 for free shipping
    handling_days: Mapped[int] = mapped_column(Integer)
    returns_accepted: Mapped[bool] = mapped_column(Boolean)
    return_days: Mapped[int] = mapped_column(Integer)  # 0, 30 or 60
    return_shipping_paid_by: Mapped[str] = mapped_column(String(6))  # buyer | seller
    item_location: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(1000))
    listing_status: Mapped[str] = mapped_column(String(8))
    start_time: Mapped[str] = mapped_column(String(19))
    end_time: Mapped[str] = mapped_column(String(19))
    watch_count: Mapped[int] = mapped_column(Integer, default=0)


class Bid(Base):
    """A bid with the bidder's maximum: the service bids for them up to it (proxy bidding)."""

    __tablename__ = "bids"
    bid_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    item_id: Mapped[str] = mapped_column(ForeignKey("items.item_id"), index=True)
    bidder: Mapped[str] = mapped_column(ForeignKey("users.username"))
    max_amount: Mapped[int] = mapped_column(Integer)  # cents
    placed_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class BestOffer(Base):
    __tablename__ = "best_offers"
    offer_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    item_id: Mapped[str] = mapped_column(ForeignKey("items.item_id"), index=True)
    buyer: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    price: Mapped[int] = mapped_column(Integer)  # cents, per unit
    quantity: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(9))  # PENDING | ACCEPTED | DECLINED
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Watch(Base):
    __tablename__ = "watchlist"
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.item_id"), primary_key=True)
    added_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Order(Base):
    __tablename__ = "orders"
    order_id: Mapped[str] = mapped_column(String(14), primary_key=True, info={"generated": True, "user_known": True})
    buyer: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    seller: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    payment_status: Mapped[str] = mapped_column(String(14))  # PAID | PENDING | FULLY_REFUNDED
    fulfillment_status: Mapped[str] = mapped_column(String(11))  # NOT_STARTED | SHIPPED | DELIVERED
    total: Mapped[int] = mapped_column(Integer)  # cents: items plus shipping
    ship_to: Mapped[str] = mapped_column(String(120))
    carrier: Mapped[str | None] = mapped_column(String(8))
    tracking_number: Mapped[str | None] = mapped_column(String(30))
    shipped_at: Mapped[str | None] = mapped_column(String(19), info={"generated": True})
    delivered_at: Mapped[str | None] = mapped_column(String(19))


class LineItem(Base):
    __tablename__ = "line_items"
    line_item_id: Mapped[str] = mapped_column(String(14), primary_key=True, info={"generated": True})
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.item_id"), index=True)
    title: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)  # cents
    shipping_cost: Mapped[int] = mapped_column(Integer)  # cents


class ReturnRequest(Base):
    __tablename__ = "returns"
    return_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True, "user_known": True})
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.item_id"))
    buyer: Mapped[str] = mapped_column(ForeignKey("users.username"))
    reason: Mapped[str] = mapped_column(String(20))
    comments: Mapped[str] = mapped_column(String(500), default="")
    return_shipping_paid_by: Mapped[str] = mapped_column(String(6))
    refund_amount: Mapped[int] = mapped_column(Integer)  # cents, paid once the seller receives the item
    status: Mapped[str] = mapped_column(String(10))  # OPEN | CLOSED
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Feedback(Base):
    __tablename__ = "feedback"
    feedback_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), index=True)
    from_user: Mapped[str] = mapped_column(ForeignKey("users.username"))
    to_user: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    role: Mapped[str] = mapped_column(String(6))  # the author's side: buyer | seller
    rating: Mapped[str] = mapped_column(String(8))
    comment: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
