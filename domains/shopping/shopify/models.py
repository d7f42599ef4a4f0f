"""State: one Shopify store's admin resources as tables (staff, locations, products and variants, inventory,
customers, orders, fulfillments, refunds, price rules and discount codes, draft orders) and their constants."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 11, 20, 9, 30, 0)
SHOP_NAME = "Juniper & Pine Outfitters"
CURRENCY = "USD"
FREE_SHIPPING_FROM = 7500  # cents: orders whose discounted subtotal reaches this ship free
STANDARD_SHIPPING = 800  # cents, charged below that
MAX_PAGE = 50
MAX_VARIANTS = 100
MAX_OPTIONS = 3
MAX_TAGS = 250

ProductStatus = Literal["active", "draft", "archived"]
InventoryPolicy = Literal["deny", "continue"]
FinancialStatus = Literal["pending", "paid", "partially_refunded", "refunded", "voided"]
FulfillmentStatus = Literal["unfulfilled", "partial", "fulfilled"]
OrderStatus = Literal["open", "closed", "cancelled", "any"]
CancelReason = Literal["customer", "inventory", "fraud", "declined", "other"]
RestockType = Literal["no_restock", "return", "cancel"]
ValueType = Literal["percentage", "fixed_amount"]
DiscountStatus = Literal["active", "scheduled", "expired"]
DraftStatus = Literal["open", "invoice_sent", "completed"]
Permission = Literal["products", "inventory", "orders", "customers", "discounts"]
PERMISSIONS: tuple[str, ...] = ("products", "inventory", "orders", "customers", "discounts")
TRACKING_COMPANIES = ("UPS", "USPS", "FedEx", "DHL Express")


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The store's current time: one row, part of the seeded state."""


class StaffMember(Base):
    """A staff account of the store; the owner holds every permission."""

    __tablename__ = "staff_members"
    __label__ = "{first_name} {last_name}"
    staff_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(80), unique=True)
    first_name: Mapped[str] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(40))
    account_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    permissions: Mapped[list[str]] = mapped_column(JSON)


class Location(Base):
    __tablename__ = "locations"
    __label__ = "the {name} location"
    location_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    address1: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(40))
    province_code: Mapped[str] = mapped_column(String(2))
    zip: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    fulfills_online_orders: Mapped[bool] = mapped_column(Boolean, default=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)  # where online orders take stock from


class Product(Base):
    __tablename__ = "products"
    __label__ = "the {title}"
    product_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    title: Mapped[str] = mapped_column(String(120), index=True)
    handle: Mapped[str] = mapped_column(String(140), unique=True, info={"generated": True})
    vendor: Mapped[str] = mapped_column(String(60))
    product_type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))
    tags: Mapped[list[str]] = mapped_column(JSON)
    options: Mapped[list[str]] = mapped_column(JSON)  # option names in order, such as ["Size", "Color"]
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    updated_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Variant(Base):
    """One purchasable combination of a product's options, with its own SKU, price and inventory item."""

    __tablename__ = "variants"
    __label__ = "the {title} variant"
    variant_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    product_id: Mapped[int] = mapped_column(ForeignKey("products.product_id"), index=True)
    title: Mapped[str] = mapped_column(String(80))  # the option values joined by " / "
    option1: Mapped[str | None] = mapped_column(String(40))
    option2: Mapped[str | None] = mapped_column(String(40))
    option3: Mapped[str | None] = mapped_column(String(40))
    sku: Mapped[str] = mapped_column(String(40), index=True)
    price: Mapped[int] = mapped_column(Integer)  # cents
    compare_at_price: Mapped[int | None] = mapped_column(Integer)  # cents; the crossed-out "was" price
    inventory_policy: Mapped[str] = mapped_column(String(8))  # deny: stop selling at zero; continue: oversell
    inventory_item_id: Mapped[int] = mapped_column(Integer, unique=True, info={"generated": True})
    position: Mapped[int] = mapped_column(Integer)


class InventoryLevel(Base):
    """How many units of an inventory item are available at a location."""

    __tablename__ = "inventory_levels"
    inventory_item_id: Mapped[int] = mapped_column(ForeignKey("variants.inventory_item_id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.location_id"), primary_key=True)
    available: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Customer(Base):
    __tablename__ = "customers"
    __label__ = "{first_name} {last_name}"
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    email: Mapped[str] = mapped_column(String(80), unique=True)
    first_name: Mapped[str] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20))
    tags: Mapped[list[str]] = mapped_column(JSON)
    accepts_marketing: Mapped[bool] = mapped_column(Boolean)
    orders_count: Mapped[int] = mapped_column(Integer)
    total_spent: Mapped[int] = mapped_column(Integer)  # cents paid, less refunds
    address1: Mapped[str] = mapped_column(String(80))  # the default address
    city: Mapped[str] = mapped_column(String(40))
    province_code: Mapped[str] = mapped_column(String(2))
    zip: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Order(Base):
    __tablename__ = "orders"
    __label__ = "order {name}"
    order_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    name: Mapped[str] = mapped_column(String(10), unique=True, info={"generated": True})  # "#1042"
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    email: Mapped[str] = mapped_column(String(80))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.location_id"))  # where its stock is held
    financial_status: Mapped[str] = mapped_column(String(20))
    fulfillment_status: Mapped[str] = mapped_column(String(12))
    subtotal_price: Mapped[int] = mapped_column(Integer)  # cents, line items before discounts
    total_discounts: Mapped[int] = mapped_column(Integer)
    shipping_price: Mapped[int] = mapped_column(Integer)
    total_price: Mapped[int] = mapped_column(Integer)  # what the customer pays
    discount_code: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(500), default="")
    source_name: Mapped[str] = mapped_column(String(20))  # web, pos, shopify_draft_order, admin
    cancel_reason: Mapped[str | None] = mapped_column(String(12))
    cancelled_at: Mapped[str | None] = mapped_column(String(19), info={"generated": True})
    closed_at: Mapped[str | None] = mapped_column(String(19), info={"generated": True})
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class LineItem(Base):
    __tablename__ = "line_items"
    __label__ = "the {title} ({variant_title})"
    line_item_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.order_id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.variant_id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.product_id"))
    title: Mapped[str] = mapped_column(String(120))
    variant_title: Mapped[str] = mapped_column(String(80))
    sku: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    price: Mapped[int] = mapped_column(Integer)  # cents per unit
    total_discount: Mapped[int] = mapped_column(Integer)  # cents of the order's discount allocated to this line
    fulfilled_quantity: Mapped[int] = mapped_column(Integer, default=0)
    refunded_quantity: Mapped[int] = mapped_column(Integer, default=0)
    removed_quantity: Mapped[int] = mapped_column(Integer, default=0)  # refunded before shipping: never ships


class Fulfillment(Base):
    __tablename__ = "fulfillments"
    fulfillment_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.order_id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.location_id"))
    status: Mapped[str] = mapped_column(String(10))  # success
    tracking_company: Mapped[str | None] = mapped_column(String(20))
    tracking_number: Mapped[str | None] = mapped_column(String(40))
    notify_customer: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class FulfillmentLine(Base):
    __tablename__ = "fulfillment_line_items"
    fulfillment_id: Mapped[int] = mapped_column(ForeignKey("fulfillments.fulfillment_id"), primary_key=True)
    line_item_id: Mapped[int] = mapped_column(ForeignKey("line_items.line_item_id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)


class Refund(Base):
    __tablename__ = "refunds"
    refund_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.order_id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)  # cents returned to the customer
    shipping: Mapped[int] = mapped_column(Integer, default=0)  # cents of that which refund the shipping charge
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class RefundLine(Base):
    __tablename__ = "refund_line_items"
    refund_id: Mapped[int] = mapped_column(ForeignKey("refunds.refund_id"), primary_key=True)
    line_item_id: Mapped[int] = mapped_column(ForeignKey("line_items.line_item_id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
    restock_type: Mapped[str] = mapped_column(String(10))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.location_id"))
    subtotal: Mapped[int] = mapped_column(Integer)  # cents refunded for these units


class PriceRule(Base):
    """The terms of a discount: its value, the minimum subtotal, how often it may be used and when."""

    __tablename__ = "price_rules"
    __label__ = "the {title} discount"
    price_rule_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    title: Mapped[str] = mapped_column(String(80))
    value_type: Mapped[str] = mapped_column(String(14))
    value: Mapped[int] = mapped_column(Integer)  # percent (1-100) or cents off
    prerequisite_subtotal: Mapped[int] = mapped_column(Integer, default=0)  # cents, 0 = no minimum
    usage_limit: Mapped[int | None] = mapped_column(Integer)  # total uses across all customers
    once_per_customer: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[str] = mapped_column(String(19))
    ends_at: Mapped[str | None] = mapped_column(String(19))
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class DiscountCode(Base):
    __tablename__ = "discount_codes"
    discount_code_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    price_rule_id: Mapped[int] = mapped_column(ForeignKey("price_rules.price_rule_id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    usage_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})


class DraftOrder(Base):
    """A quote or phone order the staff builds; completing it turns it into an order."""

    __tablename__ = "draft_orders"
    __label__ = "draft order {name}"
    draft_order_id: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    name: Mapped[str] = mapped_column(String(10), unique=True)  # "#D12"
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(300), default="")
    applied_discount_percent: Mapped[int] = mapped_column(Integer, default=0)  # a wholesale or goodwill discount
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.order_id"))  # once completed
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    completed_at: Mapped[str | None] = mapped_column(String(19), info={"generated": True})


class DraftOrderLine(Base):
    __tablename__ = "draft_order_line_items"
    draft_order_id: Mapped[int] = mapped_column(ForeignKey("draft_orders.draft_order_id"), primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.variant_id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
