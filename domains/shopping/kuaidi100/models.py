"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 6, 12, 10, 0, 0)
MAX_PAGE = 50
MAX_SAVED_PARCELS = 30
PICKUP_DAYS_AHEAD = 3  # a pickup can be booked for today and the next 3 days
PICKUP_SLOTS = ("09:00-11:00", "11:00-13:00", "13:00-15:00", "15:00-17:00", "17:00-19:00")

# Kuaidi100's numeric state codes (the "state" field of a trace), with the words the app shows.
STATES: dict[str, tuple[str, str]] = {
    "collected": ("1", "Collected"),
    "in_transit": ("0", "In transit"),
    "out_for_delivery": ("5", "Out for delivery"),
    "signed": ("3", "Signed for"),
    "problem": ("2", "Problem"),
    "returning": ("6", "Being returned"),
    "returned": ("4", "Returned to sender"),
}
FINAL_STATES = ("signed", "returned")
ParcelState = Literal["collected", "in_transit", "out_for_delivery", "signed", "problem", "returning", "returned"]
PickupStatus = Literal["awaiting_pickup", "collected", "cancelled"]

# Zones a route falls in, from the two cities: same city, same province, neighbouring region, far, remote.
ZONES = ("same_city", "same_province", "regional", "national", "remote")
ZoneName = Literal["same_city", "same_province", "regional", "national", "remote"]


# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class Courier(Base):
    __tablename__ = "couriers"
    __label__ = "{name}"
    # Kuaidi100's courier company code ("shunfeng", "zhongtong"), which every tracking call takes.
    com: Mapped[str] = mapped_column(String(20), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(40), unique=True)
    number_format: Mapped[str] = mapped_column(String(80))  # a regular expression over the tracking number
    format_hint: Mapped[str] = mapped_column(String(80))
    phone_required: Mapped[int] = mapped_column(Integer)  # 1: traces need the phone's last 4 digits
    max_weight_kg: Mapped[float] = mapped_column(Float)
    hotline: Mapped[str] = mapped_column(String(20))


class Tariff(Base):
    """A courier's price and speed for one zone; a missing row means the courier does not serve that zone."""

    __tablename__ = "tariffs"
    com: Mapped[str] = mapped_column(ForeignKey("couriers.com"), primary_key=True)
    zone: Mapped[str] = mapped_column(String(16), primary_key=True)
    first_weight_kg: Mapped[float] = mapped_column(Float)
    first_weight_fen: Mapped[int] = mapped_column(Integer)
    additional_fen_per_kg: Mapped[int] = mapped_column(Integer)
    transit_hours: Mapped[int] = mapped_column(Integer)


class City(Base):
    __tablename__ = "cities"
    __label__ = "{city}"
    city: Mapped[str] = mapped_column(String(30), primary_key=True, info={"user_known": True})
    province: Mapped[str] = mapped_column(String(30))
    region: Mapped[str] = mapped_column(String(20))
    remote: Mapped[int] = mapped_column(Integer)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)


class KdUser(Base):
    __tablename__ = "users"
    user_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(11))
    city: Mapped[str] = mapped_column(ForeignKey("cities.city"))
    address: Mapped[str] = mapped_column(String(120))


class Parcel(Base):
    __tablename__ = "parcels"
    __label__ = "the {com} parcel {num}"
    num: Mapped[str] = mapped_column(String(20), primary_key=True, info={"user_known": True})
    com: Mapped[str] = mapped_column(ForeignKey("couriers.com"), index=True)
    from_city: Mapped[str] = mapped_column(ForeignKey("cities.city"))
    to_city: Mapped[str] = mapped_column(ForeignKey("cities.city"))
    sender_name: Mapped[str] = mapped_column(String(40))
    sender_phone: Mapped[str] = mapped_column(String(11))
    receiver_name: Mapped[str] = mapped_column(String(40))
    receiver_phone: Mapped[str] = mapped_column(String(11))
    weight_kg: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(20), index=True)
    shipped_at: Mapped[str] = mapped_column(String(19))
    signed_at: Mapped[str | None] = mapped_column(String(19))


class TraceEvent(Base):
    __tablename__ = "trace_events"
    event_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    num: Mapped[str] = mapped_column(ForeignKey("parcels.num"), index=True)
    time: Mapped[str] = mapped_column(String(19))
    location: Mapped[str] = mapped_column(String(40))
    context: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20))


class SavedParcel(Base):
    """A parcel on a user's "My parcels" list, with their own note."""

    __tablename__ = "saved_parcels"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), primary_key=True)
    num: Mapped[str] = mapped_column(ForeignKey("parcels.num"), primary_key=True)
    note: Mapped[str] = mapped_column(String(100))
    saved_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Subscription(Base):
    """A tracking push subscription: the service posts each new trace event to the callback URL."""

    __tablename__ = "subscriptions"
    subscription_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    num: Mapped[str] = mapped_column(ForeignKey("parcels.num"), index=True)
    com: Mapped[str] = mapped_column(ForeignKey("couriers.com"))
    callback_url: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))  # active | cancelled | finished
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class PickupOrder(Base):
    """A courier pickup booked through the service (Kuaidi100's "send a parcel")."""

    __tablename__ = "pickup_orders"
    __label__ = "my {com} pickup to {receiver_name} in {to_city} on {pickup_date}"
    order_id: Mapped[str] = mapped_column(String(16), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    com: Mapped[str] = mapped_column(ForeignKey("couriers.com"))
    sender_address: Mapped[str] = mapped_column(String(120))
    from_city: Mapped[str] = mapped_column(ForeignKey("cities.city"))
    receiver_name: Mapped[str] = mapped_column(String(40))
    receiver_phone: Mapped[str] = mapped_column(String(11))
    receiver_address: Mapped[str] = mapped_column(String(120))
    to_city: Mapped[str] = mapped_column(ForeignKey("cities.city"))
    item: Mapped[str] = mapped_column(String(40))
    weight_kg: Mapped[float] = mapped_column(Float)
    pickup_date: Mapped[str] = mapped_column(String(10))
    pickup_slot: Mapped[str] = mapped_column(String(11))
    estimated_fen: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    tracking_num: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    cancel_reason: Mapped[str | None] = mapped_column(String(100))
