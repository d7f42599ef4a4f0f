"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 6, 2, 10, 0, 0)
CALENDAR_DAYS = 40  # nightly rates and availability are published this far ahead
MAX_NIGHTS = 30
MAX_ROOMS = 5
MAX_PAGE = 50

BookingStatus = Literal["confirmed", "cancelled", "completed"]
HotelSort = Literal["price", "star_rating", "review_score"]


# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class Destination(Base):
    __tablename__ = "destinations"
    __label__ = "{city}, {country}"
    destination_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    city: Mapped[str] = mapped_column(String(40), index=True)
    country: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(40))
    hotel_count: Mapped[int] = mapped_column(Integer)


class Hotel(Base):
    __tablename__ = "hotels"
    __label__ = "the {name} in {city}"
    hotel_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    destination_id: Mapped[str] = mapped_column(ForeignKey("destinations.destination_id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(120))
    star_rating: Mapped[int] = mapped_column(Integer)
    review_score: Mapped[float] = mapped_column(Float)  # 1-10, mean of guest reviews
    review_count: Mapped[int] = mapped_column(Integer)
    amenities: Mapped[list[str]] = mapped_column(JSON)
    check_in_time: Mapped[str] = mapped_column(String(5))
    check_out_time: Mapped[str] = mapped_column(String(5))
    free_cancellation_days: Mapped[int] = mapped_column(Integer)  # free until this many days before check-in


class RoomType(Base):
    __tablename__ = "room_types"
    __label__ = "the {name} at the {hotel_name}"
    room_type_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    hotel_id: Mapped[str] = mapped_column(ForeignKey("hotels.hotel_id"), index=True)
    hotel_name: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(40))
    bed_type: Mapped[str] = mapped_column(String(30))
    max_occupancy: Mapped[int] = mapped_column(Integer)
    size_sqm: Mapped[int] = mapped_column(Integer)


class RoomNight(Base):
    """A room type's price and unsold rooms for one night."""

    __tablename__ = "room_nights"
    room_type_id: Mapped[str] = mapped_column(ForeignKey("room_types.room_type_id"), primary_key=True)
    date: Mapped[str] = mapped_column(String(10), primary_key=True)
    nightly_rate: Mapped[int] = mapped_column(Integer)  # cents
    rooms_available: Mapped[int] = mapped_column(Integer)


class Customer(Base):
    __tablename__ = "customers"
    __label__ = "{first_name} {last_name}"
    customer_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"user_known": True})
    first_name: Mapped[str] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(80), unique=True)
    phone: Mapped[str] = mapped_column(String(30))
    country: Mapped[str] = mapped_column(String(40))


class PaymentMethod(Base):
    __tablename__ = "payment_methods"
    __label__ = "the {brand} {kind} ending in {last_four}"
    payment_method_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # credit_card | gift_card
    brand: Mapped[str] = mapped_column(String(20))
    last_four: Mapped[str] = mapped_column(String(4))
    balance: Mapped[int | None] = mapped_column(Integer)  # cents, gift cards only


class Booking(Base):
    __tablename__ = "bookings"
    booking_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True, "user_known": True})
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    hotel_id: Mapped[str] = mapped_column(ForeignKey("hotels.hotel_id"))
    room_type_id: Mapped[str] = mapped_column(ForeignKey("room_types.room_type_id"))
    check_in: Mapped[str] = mapped_column(String(10))
    check_out: Mapped[str] = mapped_column(String(10))
    rooms: Mapped[int] = mapped_column(Integer)
    guests: Mapped[int] = mapped_column(Integer)
    total_price: Mapped[int] = mapped_column(Integer)  # cents, what the stay costs now
    payment_method_id: Mapped[str] = mapped_column(ForeignKey("payment_methods.payment_method_id"))
    status: Mapped[str] = mapped_column(String(10))
    special_requests: Mapped[str] = mapped_column(String(300), default="")
    cancellation_fee: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Payment(Base):
    """Money moved for a booking: charges are positive, refunds negative."""

    __tablename__ = "payments"
    payment_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    booking_id: Mapped[str] = mapped_column(ForeignKey("bookings.booking_id"), index=True)
    payment_method_id: Mapped[str] = mapped_column(ForeignKey("payment_methods.payment_method_id"))
    amount: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # charge | refund
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Review(Base):
    __tablename__ = "reviews"
    booking_id: Mapped[str] = mapped_column(ForeignKey("bookings.booking_id"), primary_key=True)
    hotel_id: Mapped[str] = mapped_column(ForeignKey("hotels.hotel_id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
