"""State: the fruit catalogue (nutrition per 100 g, as Fruityvice publishes it) and each app user's saved
fruits, daily log and goals, with the limits the tools enforce."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2024, 9, 18, 19, 15, 0)
MAX_PAGE = 50
DEFAULT_PAGE = 20
MAX_GRAMS = 2000  # one log entry: more than two kilos of fruit at once is a typo
LOG_DAYS = 30  # entries can be added or changed for today and the 30 days before
MAX_FAVORITES = 25
MAX_KCAL_PER_100G = 900  # pure fat has about 900 kcal per 100 g: nothing edible has more

Nutrient = Literal["calories", "fat", "sugar", "carbohydrates", "protein"]
NUTRIENTS: tuple[str, ...] = ("calories", "fat", "sugar", "carbohydrates", "protein")
FRUIT_FIELDS: tuple[str, ...] = ("name", "family", "order", "genus", *NUTRIENTS)  # a fruit as the API adds it
FruitSort = Literal["name", "id", "calories", "fat", "sugar", "carbohydrates", "protein"]
SortOrder = Literal["asc", "desc"]
Meal = Literal["breakfast", "lunch", "dinner", "snack"]


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The app's current time: one row, part of the seeded state."""


class Fruit(Base):
    """A fruit and its nutrition per 100 g: calories in kcal, the rest in grams."""

    __tablename__ = "fruits"
    __label__ = "{name}"
    fruit_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    name: Mapped[str] = mapped_column(String(40), unique=True)
    family: Mapped[str] = mapped_column(String(40), index=True)
    order: Mapped[str] = mapped_column(String(40), index=True)
    genus: Mapped[str] = mapped_column(String(40), index=True)
    calories: Mapped[float] = mapped_column(Float)
    fat: Mapped[float] = mapped_column(Float)
    sugar: Mapped[float] = mapped_column(Float)
    carbohydrates: Mapped[float] = mapped_column(Float)
    protein: Mapped[float] = mapped_column(Float)
    added_by: Mapped[str | None] = mapped_column(String(40))  # username of a fruit added through the API


class User(Base):
    __tablename__ = "users"
    __label__ = "{display_name}"
    username: Mapped[str] = mapped_column(String(40), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(60))
    daily_calorie_goal: Mapped[int | None] = mapped_column(Integer)  # kcal from fruit per day
    daily_sugar_limit: Mapped[float | None] = mapped_column(Float)  # grams of sugar from fruit per day


class Favorite(Base):
    __tablename__ = "favorites"
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), primary_key=True)
    fruit_id: Mapped[int] = mapped_column(ForeignKey("fruits.fruit_id"), primary_key=True)
    saved_on: Mapped[str] = mapped_column(String(10), info={"generated": True})


class LogEntry(Base):
    """Fruit a user ate: how many grams, on which day, at which meal."""

    __tablename__ = "log_entries"
    entry_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    fruit_id: Mapped[int] = mapped_column(ForeignKey("fruits.fruit_id"))
    date: Mapped[str] = mapped_column(String(10), index=True)
    meal: Mapped[str] = mapped_column(String(10))
    grams: Mapped[float] = mapped_column(Float)
