"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 5, 20, 8, 5, 0)
SERVICE_DAY_START = 4 * 60  # a service day runs from 04:00 to 04:00 the next morning
PEAKS = ((7 * 60, 9 * 60 + 30), (17 * 60, 19 * 60 + 30))
MAX_FAVOURITES = 10
MAX_ACTIVE_ALERTS = 5
MAX_PAGE = 50
ETA_COUNT = 3

Bound = Literal["O", "I"]


# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class Stop(Base):
    __tablename__ = "stops"
    __label__ = "the {stop_name} stop"
    stop_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    stop_name: Mapped[str] = mapped_column(String(80), index=True)
    district: Mapped[str] = mapped_column(String(30))
    lat: Mapped[float] = mapped_column(Float)
    long: Mapped[float] = mapped_column(Float)


class Route(Base):
    """One direction of a bus route, with the timetable its ETAs follow."""

    __tablename__ = "routes"
    route: Mapped[str] = mapped_column(String(6), primary_key=True)
    bound: Mapped[str] = mapped_column(String(1), primary_key=True)
    company: Mapped[str] = mapped_column(String(8))
    service_type: Mapped[int] = mapped_column(Integer)
    orig_en: Mapped[str] = mapped_column(String(80))
    dest_en: Mapped[str] = mapped_column(String(80))
    first_bus: Mapped[int] = mapped_column(Integer)  # minutes after midnight of the service day (may pass 1440)
    last_bus: Mapped[int] = mapped_column(Integer)
    peak_headway: Mapped[int] = mapped_column(Integer)
    offpeak_headway: Mapped[int] = mapped_column(Integer)
    fare: Mapped[int] = mapped_column(Integer)  # HK cents for the full journey


class RouteStop(Base):
    __tablename__ = "route_stops"
    route: Mapped[str] = mapped_column(String(6), primary_key=True)
    bound: Mapped[str] = mapped_column(String(1), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    stop_id: Mapped[str] = mapped_column(ForeignKey("stops.stop_id"), index=True)
    minutes_from_origin: Mapped[int] = mapped_column(Integer)


class Rider(Base):
    __tablename__ = "riders"
    __label__ = "{name}"
    user_id: Mapped[str] = mapped_column(String(20), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(60))
    email: Mapped[str] = mapped_column(String(80))


class FavouriteStop(Base):
    __tablename__ = "favourite_stops"
    user_id: Mapped[str] = mapped_column(ForeignKey("riders.user_id"), primary_key=True)
    stop_id: Mapped[str] = mapped_column(ForeignKey("stops.stop_id"), primary_key=True)
    nickname: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class ArrivalAlert(Base):
    __tablename__ = "arrival_alerts"
    __label__ = "my alert for bus {route} ({minutes_before} minutes before arrival)"
    alert_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("riders.user_id"), index=True)
    route: Mapped[str] = mapped_column(String(6))
    bound: Mapped[str] = mapped_column(String(1))
    stop_id: Mapped[str] = mapped_column(ForeignKey("stops.stop_id"))
    minutes_before: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # active | cancelled
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
