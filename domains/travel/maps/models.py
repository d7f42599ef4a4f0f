"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The simulated current local time (one row)."""


class User(Base):
    __tablename__ = "users"
    user_id: Mapped[str] = mapped_column(String(40), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(120))
    home_city: Mapped[str] = mapped_column(String(40))


class Place(Base):
    __tablename__ = "places"
    __label__ = "{name} at {formatted_address}"
    # The lookups of _resolve, by lowered name and address forms: indexed so that none scans the table.
    __table_args__ = (
        Index("ix_places_lower_address", text("lower(formatted_address)")),
        Index("ix_places_lower_name", text("lower(name)")),
        Index("ix_places_lower_name_city", text("lower(name || ', ' || city)")),
        Index("ix_places_lower_name_address", text("lower(name || ', ' || formatted_address)")),
    )
    place_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    primary_type: Mapped[str] = mapped_column(String(30), index=True)
    types: Mapped[list[str]] = mapped_column(JSON)
    formatted_address: Mapped[str] = mapped_column(String(160), index=True)
    street_number: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(String(60))
    city: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str] = mapped_column(String(5))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    rating: Mapped[float] = mapped_column(Float)
    user_ratings_total: Mapped[int] = mapped_column(Integer)
    price_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    phone_number: Mapped[str] = mapped_column(String(20))
    website: Mapped[str] = mapped_column(String(120))
    # {"mon": ["09:00", "17:00"] | None, ...}; a closing time at or before the opening time runs past midnight.
    opening_hours: Mapped[dict[str, Any]] = mapped_column(JSON)


class ElevationSample(Base):
    """One point of a metro area's elevation grid (meters above sea level)."""

    __tablename__ = "elevation_samples"
    sample_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city: Mapped[str] = mapped_column(String(40), index=True)
    row: Mapped[int] = mapped_column(Integer)
    col: Mapped[int] = mapped_column(Integer)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    elevation: Mapped[float] = mapped_column(Float)


class SavedList(Base):
    __tablename__ = "saved_lists"
    __table_args__ = (UniqueConstraint("user_id", "list_name"),)
    __label__ = "the {list_name} list of {user_id}"
    list_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    list_name: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class SavedPlace(Base):
    __tablename__ = "saved_places"
    __table_args__ = (UniqueConstraint("list_id", "place_id"),)
    saved_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    list_id: Mapped[str] = mapped_column(ForeignKey("saved_lists.list_id"), index=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("places.place_id"))
    note: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("place_id", "user_id"),)
    review_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    place_id: Mapped[str] = mapped_column(ForeignKey("places.place_id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
