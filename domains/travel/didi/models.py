"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 3, 14, 18, 20, 0)
SERVICE_AREA = (39.40, 40.60, 115.70, 117.40)  # south, north, west, east
ROAD_FACTOR = 1.35
DISPATCH_RADIUS_M = 5_000
FREE_CANCEL_MINUTES = 2
MAX_PAGE = 50
ACTIVE_STATUSES = ("requested", "driver_assigned", "arrived", "in_progress")

ProductType = Literal["express", "premier", "luxe", "xl", "taxi"]
TravelMode = Literal["driving", "walking"]
OrderStatus = Literal["requested", "driver_assigned", "arrived", "in_progress", "completed", "cancelled"]
PlaceLabel = Literal["home", "work"]

# name, start fee (covers the first km), fen per km, fen per minute, minimum fare, included km, seats
PRODUCTS: dict[str, tuple[str, int, int, int, int, float, int]] = {
    "express": ("DiDi Express", 1000, 180, 50, 1300, 0.0, 4),
    "premier": ("DiDi Premier", 1400, 290, 80, 2000, 0.0, 4),
    "luxe": ("DiDi Luxe", 3000, 500, 150, 5000, 0.0, 4),
    "xl": ("DiDi XL", 1300, 230, 60, 1800, 0.0, 6),
    "taxi": ("Taxi", 1300, 230, 0, 1300, 3.0, 4),
}
CANCEL_FEES = {"driver_assigned": 500, "arrived": 1000}  # express-level fees; premium products double them


# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class Place(Base):
    __tablename__ = "places"
    __label__ = "{name}"
    place_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    category: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(120))
    district: Mapped[str] = mapped_column(String(30))
    lng: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)


class Rider(Base):
    __tablename__ = "riders"
    rider_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(11))
    current_lng: Mapped[float] = mapped_column(Float)
    current_lat: Mapped[float] = mapped_column(Float)
    home_place_id: Mapped[str | None] = mapped_column(ForeignKey("places.place_id"))
    work_place_id: Mapped[str | None] = mapped_column(ForeignKey("places.place_id"))


class Driver(Base):
    __tablename__ = "drivers"
    __label__ = "the driver {name} in a {car_color} {car_model}"
    driver_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    product_type: Mapped[str] = mapped_column(String(10), index=True)
    car_model: Mapped[str] = mapped_column(String(40))
    car_color: Mapped[str] = mapped_column(String(20))
    plate: Mapped[str] = mapped_column(String(12))
    rating: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10))  # available | on_trip | offline


class TaxiOrder(Base):
    __tablename__ = "taxi_orders"
    # Riders do not quote 18-digit order numbers; they describe the ride, and the app looks it up.
    __label__ = "my {product_type} ride from {from_name} to {to_name} booked at {created_at}"
    order_id: Mapped[str] = mapped_column(String(20), primary_key=True, info={"generated": True, "user_known": False})
    rider_id: Mapped[str] = mapped_column(ForeignKey("riders.rider_id"), index=True)
    product_type: Mapped[str] = mapped_column(String(10))
    from_lng: Mapped[float] = mapped_column(Float)
    from_lat: Mapped[float] = mapped_column(Float)
    from_name: Mapped[str] = mapped_column(String(80))
    to_lng: Mapped[float] = mapped_column(Float)
    to_lat: Mapped[float] = mapped_column(Float)
    to_name: Mapped[str] = mapped_column(String(80))
    distance_m: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[int] = mapped_column(Integer)
    estimated_price: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    driver_id: Mapped[str | None] = mapped_column(ForeignKey("drivers.driver_id"))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    driver_assigned_at: Mapped[str | None] = mapped_column(String(19), info={"generated": True})
    cancelled_at: Mapped[str | None] = mapped_column(String(19))
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    cancellation_fee: Mapped[int] = mapped_column(Integer)
    final_price: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(300))
