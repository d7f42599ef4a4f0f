"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The simulated current time, in UTC (one row)."""


class Location(Base):
    __tablename__ = "locations"
    __label__ = "{name}, {region}, {country}"
    location_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    region: Mapped[str] = mapped_column(String(60))
    country: Mapped[str] = mapped_column(String(60))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(40))
    utc_offset: Mapped[float] = mapped_column(Float)
    elevation_m: Mapped[int] = mapped_column(Integer)


class CurrentConditions(Base):
    __tablename__ = "current_conditions"
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.location_id"), primary_key=True)
    observed_at: Mapped[str] = mapped_column(String(16))  # local time
    temp_c: Mapped[float] = mapped_column(Float)
    feels_like_c: Mapped[float] = mapped_column(Float)
    condition: Mapped[str] = mapped_column(String(30))
    humidity: Mapped[int] = mapped_column(Integer)
    wind_kph: Mapped[float] = mapped_column(Float)
    wind_dir: Mapped[str] = mapped_column(String(3))
    pressure_mb: Mapped[int] = mapped_column(Integer)
    precip_mm: Mapped[float] = mapped_column(Float)
    uv_index: Mapped[int] = mapped_column(Integer)
    visibility_km: Mapped[float] = mapped_column(Float)


class DailyWeather(Base):
    """One local day at one location: observed for past days, forecast for today and later."""

    __tablename__ = "daily_weather"
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.location_id"), primary_key=True)
    date: Mapped[str] = mapped_column(String(10), primary_key=True)
    max_c: Mapped[float] = mapped_column(Float)
    min_c: Mapped[float] = mapped_column(Float)
    condition: Mapped[str] = mapped_column(String(30))
    precip_mm: Mapped[float] = mapped_column(Float)
    chance_of_rain: Mapped[int] = mapped_column(Integer)
    humidity: Mapped[int] = mapped_column(Integer)
    max_wind_kph: Mapped[float] = mapped_column(Float)
    uv_index: Mapped[int] = mapped_column(Integer)
    sunrise: Mapped[str] = mapped_column(String(5))
    sunset: Mapped[str] = mapped_column(String(5))


class Alert(Base):
    __tablename__ = "alerts"
    alert_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.location_id"), index=True)
    event: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    headline: Mapped[str] = mapped_column(String(200))
    instruction: Mapped[str] = mapped_column(String(300))
    effective: Mapped[str] = mapped_column(String(19))  # UTC
    expires: Mapped[str] = mapped_column(String(19))  # UTC


class User(Base):
    __tablename__ = "users"
    user_id: Mapped[str] = mapped_column(String(40), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(120))
    plan: Mapped[str] = mapped_column(String(10))  # free | premium
    units: Mapped[str] = mapped_column(String(8))  # metric | imperial


class SavedLocation(Base):
    __tablename__ = "saved_locations"
    __table_args__ = (UniqueConstraint("user_id", "location_id"), UniqueConstraint("user_id", "nickname"))
    saved_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.location_id"))
    nickname: Mapped[str] = mapped_column(String(40))
    alerts_enabled: Mapped[bool] = mapped_column(Boolean)
    saved_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


PLAN_LIMITS = {"free": 5, "premium": 15}
MAX_FORECAST_DAYS = 10
HISTORY_DAYS = 30
