"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 6, 20, 21, 30, 0)
MAX_PAGE = 50
ROAD_FACTOR = 1.3
PRICE_TOKEN_MINUTES = 20  # a price token is valid for 20 minutes, as on UU's open platform
SCHEDULE_DAYS = 2  # a pickup can be scheduled up to 2 days ahead ...
SCHEDULE_MIN_MINUTES = 30  # ... and at least 30 minutes from now
FREE_WEIGHT_KG = 5
MAX_WEIGHT_KG = 30
MAX_TIP_YUAN = 200
MAX_SAVED_ADDRESSES = 10
RECHARGE_LIMITS = (10, 5000)  # whole yuan per recharge
RECHARGE_BONUS = ((500, 5000), (200, 1500), (100, 500))  # (recharge of at least N yuan, bonus in fen)
ACTIVE_STATES = ("awaiting_pickup", "runner_assigned", "picked_up")

# UU's numeric order states ("state" in getorderdetail) and the words the app shows.
STATES: dict[str, tuple[int, str]] = {
    "awaiting_pickup": (1, "Waiting for a runner"),
    "runner_assigned": (3, "Runner on the way to pick up"),
    "picked_up": (5, "Picked up, on the way"),
    "delivered": (10, "Delivered"),
    "cancelled": (-1, "Cancelled"),
}
OrderState = Literal["awaiting_pickup", "runner_assigned", "picked_up", "delivered", "cancelled"]
AddressLabel = Literal["home", "office", "shop", "school", "other"]


# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class City(Base):
    """A city UU serves, with its fare rules (fen)."""

    __tablename__ = "cities"
    __label__ = "{city_name}"
    city_name: Mapped[str] = mapped_column(String(20), primary_key=True, info={"user_known": True})
    start_fen: Mapped[int] = mapped_column(Integer)  # covers the first start_km
    start_km: Mapped[float] = mapped_column(Float)
    per_km_fen: Mapped[int] = mapped_column(Integer)  # from start_km to 10 km
    long_per_km_fen: Mapped[int] = mapped_column(Integer)  # beyond 10 km
    max_km: Mapped[float] = mapped_column(Float)
    night_fen: Mapped[int] = mapped_column(Integer)  # pickups from 22:00 to 06:00
    per_extra_kg_fen: Mapped[int] = mapped_column(Integer)  # each kg over FREE_WEIGHT_KG
    cancel_fee_fen: Mapped[int] = mapped_column(Integer)  # once a runner has accepted


class Place(Base):
    """The city's address directory: the places a sender or receiver address resolves to."""

    __tablename__ = "places"
    __label__ = "{name}"
    place_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    city_name: Mapped[str] = mapped_column(ForeignKey("cities.city_name"), index=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(120))
    district: Mapped[str] = mapped_column(String(30))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)


class UuUser(Base):
    __tablename__ = "users"
    user_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(11))
    city_name: Mapped[str] = mapped_column(ForeignKey("cities.city_name"))
    balance_fen: Mapped[int] = mapped_column(Integer)


class SavedAddress(Base):
    __tablename__ = "saved_addresses"
    __label__ = "my {label} address"
    address_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    label: Mapped[str] = mapped_column(String(10))
    place_id: Mapped[str] = mapped_column(ForeignKey("places.place_id"))
    detail: Mapped[str] = mapped_column(String(60))  # building, floor, room
    contact_name: Mapped[str] = mapped_column(String(40))
    contact_phone: Mapped[str] = mapped_column(String(11))


class Coupon(Base):
    __tablename__ = "coupons"
    __label__ = "my {title} coupon"
    coupon_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    title: Mapped[str] = mapped_column(String(40))
    discount_fen: Mapped[int] = mapped_column(Integer)
    min_fare_fen: Mapped[int] = mapped_column(Integer)
    city_name: Mapped[str | None] = mapped_column(ForeignKey("cities.city_name"))  # None: every city
    expires_at: Mapped[str] = mapped_column(String(19))
    status: Mapped[str] = mapped_column(String(10))  # unused | used


class Runner(Base):
    __tablename__ = "runners"
    __label__ = "the runner {name}"
    runner_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    city_name: Mapped[str] = mapped_column(ForeignKey("cities.city_name"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(11))
    job_number: Mapped[str] = mapped_column(String(10))
    rating: Mapped[float] = mapped_column(Float)


class Order(Base):
    __tablename__ = "orders"
    # Senders describe the errand; 16-digit order codes are looked up in the app.
    __label__ = "my delivery from {from_name} to {to_name} on {created_at}"
    order_code: Mapped[str] = mapped_column(String(20), primary_key=True, info={"generated": True})
    price_token: Mapped[str | None] = mapped_column(String(200), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    city_name: Mapped[str] = mapped_column(ForeignKey("cities.city_name"))
    from_place_id: Mapped[str] = mapped_column(ForeignKey("places.place_id"))
    from_name: Mapped[str] = mapped_column(String(80))
    to_place_id: Mapped[str] = mapped_column(ForeignKey("places.place_id"))
    to_name: Mapped[str] = mapped_column(String(80))
    receiver_name: Mapped[str] = mapped_column(String(40))
    receiver_phone: Mapped[str] = mapped_column(String(11))
    note: Mapped[str] = mapped_column(String(100))
    distance_km: Mapped[float] = mapped_column(Float)
    goods_weight_kg: Mapped[float] = mapped_column(Float)
    pickup_time: Mapped[str | None] = mapped_column(String(16))
    total_fen: Mapped[int] = mapped_column(Integer)
    discount_fen: Mapped[int] = mapped_column(Integer)
    coupon_id: Mapped[str | None] = mapped_column(ForeignKey("coupons.coupon_id"))
    paid_fen: Mapped[int] = mapped_column(Integer)
    tip_fen: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), index=True)
    runner_id: Mapped[str | None] = mapped_column(ForeignKey("runners.runner_id"))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    accepted_at: Mapped[str | None] = mapped_column(String(19))
    finished_at: Mapped[str | None] = mapped_column(String(19))
    cancel_fee_fen: Mapped[int] = mapped_column(Integer)
    refund_fen: Mapped[int] = mapped_column(Integer)
    cancel_reason: Mapped[str | None] = mapped_column(String(100))
    stars: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(200))


class BalanceRecord(Base):
    """The account's money movements: recharges (with bonus), payments, tips, refunds."""

    __tablename__ = "balance_records"
    record_id: Mapped[str] = mapped_column(String(14), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # recharge | bonus | payment | tip | refund
    amount_fen: Mapped[int] = mapped_column(Integer)  # positive in, negative out
    order_code: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
