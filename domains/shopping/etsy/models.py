"""State: Etsy's resources as tables (users, shops, listings, carts, receipts, reviews) and their constants."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 11, 14, 10, 0, 0)
LISTING_FEE = 20  # cents, charged when a listing is published and at every renewal
LISTING_MONTHS = 4  # a published or renewed listing stays up this long, then expires
TRANSACTION_FEE_PERCENT = 6.5  # of each sale's item total and shipping, kept by the marketplace
VINTAGE_MIN_YEARS = 20
REVIEW_WINDOW_DAYS = 100  # buyers can review an order for this long after it ships
MAX_PAGE = 50
MAX_TAGS = 13
MAX_MATERIALS = 13
MAX_TITLE = 140
MAX_QUANTITY = 999
MAX_PERSONALIZATION = 1024

ListingState = Literal["draft", "active", "inactive", "sold_out", "expired"]
WhoMade = Literal["i_did", "collective", "someone_else"]
ReceiptStatus = Literal["paid", "completed", "canceled"]
ItemType = Literal["handmade", "vintage", "supplies"]
SortOn = Literal["score", "price", "created"]
SortOrder = Literal["asc", "desc"]

# Etsy's when_made values and the latest year each covers (made_to_order: made after the order is placed).
WHEN_MADE_LATEST_YEAR: dict[str, int] = {
    "made_to_order": NOW.year,
    "2020_2025": 2025,
    "2010_2019": 2019,
    "2006_2009": 2009,
    "before_2006": 2005,
    "2000_2005": 2005,
    "1990s": 1999,
    "1980s": 1989,
    "1970s": 1979,
    "1960s": 1969,
    "1950s": 1959,
    "1940s": 1949,
    "1930s": 1939,
    "1920s": 1929,
    "1910s": 1919,
    "1900s": 1909,
    "1800s": 1899,
    "1700s": 1799,
    "before_1700": 1699,
}
WhenMade = Literal[
    "made_to_order",
    "2020_2025",
    "2010_2019",
    "2006_2009",
    "before_2006",
    "2000_2005",
    "1990s",
    "1980s",
    "1970s",
    "1960s",
    "1950s",
    "1940s",
    "1930s",
    "1920s",
    "1910s",
    "1900s",
    "1800s",
    "1700s",
    "before_1700",
]
# What a buyer's money is worth in US dollars: search budgets and totals are compared in dollars.
USD_PER_UNIT: dict[str, float] = {"USD": 1.0, "GBP": 1.27, "EUR": 1.08, "CAD": 0.72, "AUD": 0.65}
CARRIERS = ("usps", "ups", "fedex", "dhl", "royal-mail", "canada-post", "australia-post", "deutsche-post", "la-poste")
COUNTRY_NAMES: dict[str, str] = {
    "US": "United States",
    "GB": "United Kingdom",
    "CA": "Canada",
    "DE": "Germany",
    "FR": "France",
    "AU": "Australia",
    "NL": "Netherlands",
}


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The marketplace's current time: one row, part of the seeded state."""


class User(Base):
    __tablename__ = "users"
    __label__ = "{first_name} {last_name}"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login_name: Mapped[str] = mapped_column(String(40), unique=True)
    email: Mapped[str] = mapped_column(String(80), unique=True)
    first_name: Mapped[str] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(40))
    city: Mapped[str] = mapped_column(String(60))
    country_iso: Mapped[str] = mapped_column(String(2))  # where their orders are shipped
    created_timestamp: Mapped[str] = mapped_column(String(19))


class Shop(Base):
    __tablename__ = "shops"
    __label__ = "the shop {shop_name}"
    shop_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_name: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"), index=True)  # the owner
    title: Mapped[str] = mapped_column(String(120))  # the shop's headline
    city: Mapped[str] = mapped_column(String(60))
    country_iso: Mapped[str] = mapped_column(String(2))
    currency_code: Mapped[str] = mapped_column(String(3))
    is_vacation: Mapped[bool] = mapped_column(Boolean, default=False)
    vacation_message: Mapped[str] = mapped_column(String(300), default="")
    accepts_returns: Mapped[bool] = mapped_column(Boolean)
    return_window_days: Mapped[int] = mapped_column(Integer)  # 0 when returns are not accepted
    review_average: Mapped[float] = mapped_column(Float)  # 1-5 stars
    review_count: Mapped[int] = mapped_column(Integer)
    transaction_sold_count: Mapped[int] = mapped_column(Integer)
    created_timestamp: Mapped[str] = mapped_column(String(19))


class ShopSection(Base):
    __tablename__ = "shop_sections"
    __label__ = "the {title} section"
    shop_section_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.shop_id"))
    title: Mapped[str] = mapped_column(String(40))


class ShippingProfile(Base):
    __tablename__ = "shipping_profiles"
    __label__ = "the {title} shipping profile"
    shipping_profile_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.shop_id"))
    title: Mapped[str] = mapped_column(String(60))
    min_processing_days: Mapped[int] = mapped_column(Integer)
    max_processing_days: Mapped[int] = mapped_column(Integer)
    origin_country_iso: Mapped[str] = mapped_column(String(2))


class ShippingDestination(Base):
    """What shipping one order to a country costs under a profile, and how long the carrier takes."""

    __tablename__ = "shipping_profile_destinations"
    shipping_profile_id: Mapped[int] = mapped_column(
        ForeignKey("shipping_profiles.shipping_profile_id"), primary_key=True
    )
    destination_country_iso: Mapped[str] = mapped_column(String(2), primary_key=True)
    primary_cost: Mapped[int] = mapped_column(Integer)  # cents, the first item
    secondary_cost: Mapped[int] = mapped_column(Integer)  # cents, each further item
    min_delivery_days: Mapped[int] = mapped_column(Integer)
    max_delivery_days: Mapped[int] = mapped_column(Integer)


class Listing(Base):
    __tablename__ = "listings"
    __label__ = "the {title} listing"
    listing_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.shop_id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"))  # the shop owner
    shop_section_id: Mapped[int | None] = mapped_column(ForeignKey("shop_sections.shop_section_id"))
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(String(2000))
    state: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    price: Mapped[int] = mapped_column(Integer)  # cents of the shop's currency
    currency_code: Mapped[str] = mapped_column(String(3))
    tags: Mapped[list[str]] = mapped_column(JSON)
    materials: Mapped[list[str]] = mapped_column(JSON)
    who_made: Mapped[str] = mapped_column(String(12))
    when_made: Mapped[str] = mapped_column(String(14))
    is_supply: Mapped[bool] = mapped_column(Boolean)
    shipping_profile_id: Mapped[int | None] = mapped_column(ForeignKey("shipping_profiles.shipping_profile_id"))
    is_personalizable: Mapped[bool] = mapped_column(Boolean, default=False)
    personalization_is_required: Mapped[bool] = mapped_column(Boolean, default=False)
    personalization_char_count_max: Mapped[int] = mapped_column(Integer, default=0)
    personalization_instructions: Mapped[str] = mapped_column(String(256), default="")
    num_favorers: Mapped[int] = mapped_column(Integer, default=0)
    created_timestamp: Mapped[str] = mapped_column(String(19), info={"generated": True})
    # Set when the listing is published or renewed; it expires at ending_timestamp.
    last_renewed_timestamp: Mapped[str | None] = mapped_column(String(19))
    ending_timestamp: Mapped[str | None] = mapped_column(String(19))


class ListingVariation(Base):
    """One choice of a listing's variation (a size, a colour) with its own price and stock."""

    __tablename__ = "listing_variations"
    __label__ = "the {property_name} {value} option"
    variation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.listing_id"), index=True)
    property_name: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(40))
    price: Mapped[int] = mapped_column(Integer)  # cents
    quantity: Mapped[int] = mapped_column(Integer)


class Favorite(Base):
    __tablename__ = "favorite_listings"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"), primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.listing_id"), primary_key=True)
    created_timestamp: Mapped[str] = mapped_column(String(19), info={"generated": True})


class CartItem(Base):
    __tablename__ = "cart_items"
    cart_item_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.listing_id"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.shop_id"))
    variation_id: Mapped[int | None] = mapped_column(ForeignKey("listing_variations.variation_id"))
    quantity: Mapped[int] = mapped_column(Integer)
    personalization: Mapped[str] = mapped_column(String(1024), default="")
    added_timestamp: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Receipt(Base):
    """An order: what one buyer bought from one shop at checkout."""

    __tablename__ = "receipts"
    receipt_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True, "user_known": True})
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.shop_id"), index=True)
    seller_user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"))
    buyer_user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    is_shipped: Mapped[bool] = mapped_column(Boolean)
    ship_to_country_iso: Mapped[str] = mapped_column(String(2))
    ship_to_city: Mapped[str] = mapped_column(String(60))
    currency_code: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int] = mapped_column(Integer)  # cents, items
    total_shipping_cost: Mapped[int] = mapped_column(Integer)
    grandtotal: Mapped[int] = mapped_column(Integer)
    message_from_buyer: Mapped[str] = mapped_column(String(500), default="")
    expected_ship_date: Mapped[str] = mapped_column(String(10))
    created_timestamp: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Transaction(Base):
    """One line of a receipt: a listing (and variation) bought, with its personalization."""

    __tablename__ = "transactions"
    transaction_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.receipt_id"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.listing_id"))
    title: Mapped[str] = mapped_column(String(140))
    variation_id: Mapped[int | None] = mapped_column(ForeignKey("listing_variations.variation_id"))
    variation: Mapped[str] = mapped_column(String(80), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    price: Mapped[int] = mapped_column(Integer)  # cents per item
    shipping_cost: Mapped[int] = mapped_column(Integer)
    personalization: Mapped[str] = mapped_column(String(1024), default="")


class Shipment(Base):
    __tablename__ = "receipt_shipments"
    receipt_shipment_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.receipt_id"))
    carrier_name: Mapped[str] = mapped_column(String(20))
    tracking_code: Mapped[str] = mapped_column(String(40))
    shipped_timestamp: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Review(Base):
    __tablename__ = "reviews"
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.transaction_id"), primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.receipt_id"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.listing_id"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.shop_id"))
    buyer_user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"))
    rating: Mapped[int] = mapped_column(Integer)  # 1-5 stars
    review: Mapped[str] = mapped_column(String(1000))
    created_timestamp: Mapped[str] = mapped_column(String(19), info={"generated": True})


class LedgerEntry(Base):
    """The shop's payment account: sales credited, fees debited (cents of the shop's currency)."""

    __tablename__ = "ledger_entries"
    entry_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.shop_id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # sale | transaction_fee | listing_fee | renewal_fee
    amount: Mapped[int] = mapped_column(Integer)
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.listing_id"))
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("receipts.receipt_id"))
    created_timestamp: Mapped[str] = mapped_column(String(19), info={"generated": True})
