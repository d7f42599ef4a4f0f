"""State: the tracker's tables (SQLAlchemy models) and the constants its rules share."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 11, 20, 10, 0, 0)
HISTORY_DAYS = 180  # the tracker keeps half a year of daily prices
LOW_WINDOW_DAYS = 90  # "good time to buy" compares today's price with the 90-day low
MAX_PAGE = 50
ALERT_LIMITS = {"free": 5, "premium": 30}  # active price alerts per plan
MAX_COMPARISONS = 10
COMPARISON_SIZE = (2, 6)

PLATFORMS: dict[str, str] = {
    "jd": "JD.com",
    "tmall": "Tmall",
    "taobao": "Taobao",
    "pdd": "Pinduoduo",
    "suning": "Suning",
}
PlatformCode = Literal["jd", "tmall", "taobao", "pdd", "suning"]
CATEGORIES = ("electronics", "appliances", "beauty", "groceries")
Category = Literal["electronics", "appliances", "beauty", "groceries"]
CHANNELS = ("app_push", "wechat", "sms", "email")
Channel = Literal["app_push", "wechat", "sms", "email"]
AlertStatus = Literal["active", "triggered"]
Trend = Literal["rising", "falling", "stable"]


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The tracker's current time: one row, part of the seeded state."""


class Product(Base):
    """One product as the tracker knows it across platforms (the same model and variant everywhere)."""

    __tablename__ = "products"
    __label__ = "the {name}"
    pid: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    brand: Mapped[str] = mapped_column(String(30), index=True)
    category: Mapped[str] = mapped_column(String(16), index=True)
    subcategory: Mapped[str] = mapped_column(String(30))


class Listing(Base):
    """A "pos": the product on sale on one platform, by one seller, at today's price."""

    __tablename__ = "listings"
    __label__ = "the {platform} listing by {seller}"
    pos_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    pid: Mapped[str] = mapped_column(ForeignKey("products.pid"), index=True)
    platform: Mapped[str] = mapped_column(String(8))
    seller: Mapped[str] = mapped_column(String(60))
    official_store: Mapped[int] = mapped_column(Integer)  # 1: the brand's flagship / self-operated store
    price_fen: Mapped[int] = mapped_column(Integer)  # today's price, the last point of its history
    member_price_fen: Mapped[int | None] = mapped_column(Integer)  # PLUS / 88VIP / Super member price
    shipping_fen: Mapped[int] = mapped_column(Integer)
    in_stock: Mapped[int] = mapped_column(Integer)
    monthly_sales: Mapped[int] = mapped_column(Integer)


class PricePoint(Base):
    """A price change: the listing sold at ``price_fen`` from ``day`` until the next point (or today)."""

    __tablename__ = "price_points"
    pos_id: Mapped[str] = mapped_column(ForeignKey("listings.pos_id"), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    price_fen: Mapped[int] = mapped_column(Integer)


class Coupon(Base):
    """A threshold coupon ("¥30 off over ¥299"): for one listing, or platform-wide for a category or everything."""

    __tablename__ = "coupons"
    coupon_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    platform: Mapped[str] = mapped_column(String(8), index=True)
    pos_id: Mapped[str | None] = mapped_column(ForeignKey("listings.pos_id"), index=True)
    category: Mapped[str | None] = mapped_column(String(16))  # platform-wide coupons: None = every category
    title: Mapped[str] = mapped_column(String(80))
    threshold_fen: Mapped[int] = mapped_column(Integer)
    discount_fen: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[str] = mapped_column(String(10))
    ends_on: Mapped[str] = mapped_column(String(10))


class TrackerUser(Base):
    __tablename__ = "users"
    user_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(11))
    email: Mapped[str | None] = mapped_column(String(60))
    wechat_bound: Mapped[int] = mapped_column(Integer)
    plan: Mapped[str] = mapped_column(String(8))  # free | premium


class PriceAlert(Base):
    """A watched listing: notify the user on a channel once its price falls to the target or below."""

    __tablename__ = "price_alerts"
    alert_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    pos_id: Mapped[str] = mapped_column(ForeignKey("listings.pos_id"))
    target_price_fen: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))  # active | triggered
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    triggered_at: Mapped[str | None] = mapped_column(String(19))


class Comparison(Base):
    """A saved side-by-side comparison of products, under a name the user chose."""

    __tablename__ = "comparisons"
    __label__ = "my comparison {name}"
    comparison_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class ComparisonItem(Base):
    __tablename__ = "comparison_items"
    comparison_id: Mapped[str] = mapped_column(ForeignKey("comparisons.comparison_id"), primary_key=True)
    pid: Mapped[str] = mapped_column(ForeignKey("products.pid"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class PriceReport(Base):
    """A user's report that a listing's tracked price is wrong, for the data team to check."""

    __tablename__ = "price_reports"
    report_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    pos_id: Mapped[str] = mapped_column(ForeignKey("listings.pos_id"), index=True)
    tracked_price_fen: Mapped[int] = mapped_column(Integer)
    seen_price_fen: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))  # pending | fixed | rejected
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
