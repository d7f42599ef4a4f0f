"""State: the store's tables (SQLAlchemy models) and the limits the tools enforce.

Ids are integers as in the Fake Store API. Prices are kept in whole cents (``price_cents``) and shown to
clients in dollars and cents (``price``, 109.95), as the API returns them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2024, 6, 14, 11, 30, 0)
MAX_PAGE = 50
DEFAULT_PAGE = 20
MAX_QUANTITY = 20  # units of one product per cart line
MAX_CART_LINES = 15  # different products in one cart
MAX_PRICE_CENTS = 1_000_000  # $10,000.00
PLACEHOLDER_IMAGE = "https://fakestoreapi.com/img/placeholder.png"
# Login tokens are signed, not stored (the API returns a JWT): a token names its user and carries a digest of
# this key, the user id and the password, so only a login with the right password yields one.
TOKEN_KEY = "fakestore-signing-key-2024"

SortOrder = Literal["asc", "desc"]
ProductSort = Literal["id", "price", "rating"]
Role = Literal["customer", "admin"]


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The store's current time: one row, part of the seeded state."""


class Category(Base):
    __tablename__ = "categories"
    category: Mapped[str] = mapped_column(String(40), primary_key=True)


class Product(Base):
    __tablename__ = "products"
    __label__ = "the {title}"
    product_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    title: Mapped[str] = mapped_column(String(120), index=True)
    price_cents: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(600))
    category: Mapped[str] = mapped_column(ForeignKey("categories.category"), index=True)
    image: Mapped[str] = mapped_column(String(160))
    rating_rate: Mapped[float] = mapped_column(Float)  # mean of customer ratings, 0-5
    rating_count: Mapped[int] = mapped_column(Integer)


class User(Base):
    __tablename__ = "users"
    __label__ = "{firstname} {lastname}"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(80), unique=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password: Mapped[str] = mapped_column(String(40))
    firstname: Mapped[str] = mapped_column(String(40))
    lastname: Mapped[str] = mapped_column(String(40))
    city: Mapped[str] = mapped_column(String(60))
    street: Mapped[str] = mapped_column(String(80))
    number: Mapped[int] = mapped_column(Integer)  # house number
    zipcode: Mapped[str] = mapped_column(String(10))
    lat: Mapped[float] = mapped_column(Float)
    long: Mapped[float] = mapped_column(Float)
    phone: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(10))  # customer | admin (store staff)


class Cart(Base):
    __tablename__ = "carts"
    cart_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"), index=True)
    date: Mapped[str] = mapped_column(String(10), index=True)


class CartItem(Base):
    __tablename__ = "cart_items"
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.cart_id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.product_id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
