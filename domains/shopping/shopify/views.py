"""What the tools return: the typed shapes of locations, products, customers, orders and discounts.

Money is returned in dollars (two decimals), as the Admin API's price strings read."""

from __future__ import annotations

from typing_extensions import TypedDict


class LocationView(TypedDict):
    location_id: int
    name: str
    address1: str
    city: str
    province_code: str
    zip: str
    active: bool
    fulfills_online_orders: bool
    is_primary: bool


class VariantSummary(TypedDict):
    variant_id: int
    title: str
    sku: str
    price: float
    inventory_quantity: int  # available across all locations


class ProductSummary(TypedDict):
    product_id: int
    title: str
    vendor: str
    product_type: str
    status: str
    tags: list[str]
    variants: list[VariantSummary]


class ProductsPage(TypedDict):
    products: list[ProductSummary]
    total: int


class InventoryLevelView(TypedDict):
    location_id: int
    available: int


class VariantView(TypedDict):
    variant_id: int
    title: str
    option1: str | None
    option2: str | None
    option3: str | None
    sku: str
    price: float
    compare_at_price: float | None
    inventory_policy: str
    inventory_item_id: int
    inventory_quantity: int
    inventory_levels: list[InventoryLevelView]


class ProductView(TypedDict):
    product_id: int
    title: str
    handle: str
    vendor: str
    product_type: str
    status: str
    tags: list[str]
    options: list[str]
    created_at: str
    variants: list[VariantView]


class VariantChange(TypedDict):
    variant_id: int
    product_id: int
    title: str
    sku: str
    price: float
    compare_at_price: float | None
    inventory_policy: str


class InventoryLevelChange(TypedDict):
    inventory_item_id: int
    location_id: int
    sku: str
    available: int
    updated_at: str


class CustomerView(TypedDict):
    customer_id: int
    email: str
    first_name: str
    last_name: str
    phone: str
    tags: list[str]
    accepts_marketing: bool
    orders_count: int
    total_spent: float
    city: str
    province_code: str


class CustomersPage(TypedDict):
    customers: list[CustomerView]
    total: int


class OrderSummary(TypedDict):
    order_id: int
    name: str
    email: str
    created_at: str
    financial_status: str
    fulfillment_status: str
    total_price: float
    item_count: int
    cancelled_at: str | None


class OrdersPage(TypedDict):
    orders: list[OrderSummary]
    total: int


class LineItemView(TypedDict):
    line_item_id: int
    variant_id: int
    title: str
    variant_title: str
    sku: str
    quantity: int
    price: float
    total_discount: float
    fulfillable_quantity: int  # ordered, not yet shipped, not refunded
    refundable_quantity: int


class FulfillmentView(TypedDict):
    fulfillment_id: int
    location_id: int
    status: str
    tracking_company: str | None
    tracking_number: str | None
    created_at: str
    line_items: list[dict[str, int]]


class RefundView(TypedDict):
    refund_id: int
    amount: float
    shipping: float  # the part of the amount that refunds the shipping charge
    note: str
    created_at: str
    line_items: list[dict[str, object]]


class OrderView(TypedDict):
    order_id: int
    name: str
    customer_id: int | None
    email: str
    created_at: str
    location_id: int
    financial_status: str
    fulfillment_status: str
    subtotal_price: float
    total_discounts: float
    shipping_price: float
    total_price: float
    total_refunded: float
    discount_code: str | None
    note: str
    source_name: str
    cancel_reason: str | None
    cancelled_at: str | None
    closed_at: str | None
    line_items: list[LineItemView]
    fulfillments: list[FulfillmentView]
    refunds: list[RefundView]


class DiscountView(TypedDict):
    discount_code_id: int
    code: str
    price_rule_id: int
    title: str
    value_type: str
    value: float  # percent off, or dollars off
    minimum_subtotal: float
    usage_limit: int | None
    usage_count: int
    once_per_customer: bool
    starts_at: str
    ends_at: str | None
    status: str  # active, scheduled or expired (a used-up code is expired)


class DraftLineView(TypedDict):
    variant_id: int
    title: str
    sku: str
    quantity: int
    price: float


class DraftOrderView(TypedDict):
    draft_order_id: int
    name: str
    customer_id: int
    email: str
    status: str
    note: str
    applied_discount_percent: int
    subtotal_price: float
    created_at: str
    line_items: list[DraftLineView]
    order_id: int | None
