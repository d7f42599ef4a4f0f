"""What the tools return: the typed shapes of users, shops, listings, carts and receipts."""

from __future__ import annotations

from typing_extensions import TypedDict


class OwnedShop(TypedDict):
    shop_id: int
    shop_name: str


class UserView(TypedDict):
    user_id: int
    login_name: str
    first_name: str
    last_name: str
    city: str
    country_iso: str
    shops: list[OwnedShop]


class DestinationView(TypedDict):
    destination_country_iso: str
    primary_cost: float
    secondary_cost: float
    min_delivery_days: int
    max_delivery_days: int


class ShippingProfileView(TypedDict):
    shipping_profile_id: int
    title: str
    min_processing_days: int
    max_processing_days: int
    origin_country_iso: str
    destinations: list[DestinationView]


class SectionView(TypedDict):
    shop_section_id: int
    title: str


class ShopView(TypedDict):
    shop_id: int
    shop_name: str
    title: str
    user_id: int  # the owner
    city: str
    country_iso: str
    currency_code: str
    is_vacation: bool
    vacation_message: str
    accepts_returns: bool
    return_window_days: int
    review_average: float
    review_count: int
    transaction_sold_count: int
    active_listing_count: int
    sections: list[SectionView]
    shipping_profiles: list[ShippingProfileView]


class ListingSummary(TypedDict):
    listing_id: int
    title: str
    shop_id: int
    shop_name: str
    state: str
    price: float
    currency_code: str
    price_usd: float
    quantity: int
    item_type: str
    is_personalizable: bool
    num_favorers: int


class SearchPage(TypedDict):
    count: int
    results: list[ListingSummary]


class ShopListingsPage(TypedDict):
    shop_id: int
    state: str
    count: int
    results: list[ListingSummary]


class VariationView(TypedDict):
    variation_id: int
    property_name: str
    value: str
    price: float
    quantity: int


class DeliveryEstimate(TypedDict):
    destination_country_iso: str
    ships: bool
    shipping_cost: float
    arrives_earliest: str
    arrives_latest: str


class ListingDetails(TypedDict):
    listing_id: int
    title: str
    description: str
    state: str
    shop_id: int
    shop_name: str
    shop_is_vacation: bool
    shop_review_average: float
    category: str
    price: float
    currency_code: str
    price_usd: float
    quantity: int
    tags: list[str]
    materials: list[str]
    who_made: str
    when_made: str
    is_supply: bool
    item_type: str
    shop_section: str
    variations: list[VariationView]
    is_personalizable: bool
    personalization_is_required: bool
    personalization_char_count_max: int
    personalization_instructions: str
    shipping_profile: ShippingProfileView | None
    num_favorers: int
    created_timestamp: str
    ending_timestamp: str | None
    delivery: DeliveryEstimate | None


class ListingChange(TypedDict):
    listing_id: int
    title: str
    state: str
    quantity: int
    price: float
    currency_code: str
    ending_timestamp: str | None
    fee_charged: float


class FavoriteView(TypedDict):
    listing_id: int
    title: str
    shop_name: str
    state: str
    price: float
    currency_code: str
    favorited_timestamp: str


class FavoritesPage(TypedDict):
    count: int
    favorites: list[FavoriteView]


class CartLine(TypedDict):
    cart_item_id: int
    listing_id: int
    title: str
    shop_id: int
    shop_name: str
    variation: str
    quantity: int
    price: float
    currency_code: str
    personalization: str


class CartShop(TypedDict):
    shop_id: int
    shop_name: str
    currency_code: str
    item_total: float
    shipping_cost: float
    total: float


class CartView(TypedDict):
    user_id: int
    items: list[CartLine]
    shops: list[CartShop]


class TransactionView(TypedDict):
    transaction_id: int
    listing_id: int
    title: str
    variation: str
    quantity: int
    price: float
    shipping_cost: float
    personalization: str
    reviewed: bool


class ShipmentView(TypedDict):
    carrier_name: str
    tracking_code: str
    shipped_timestamp: str


class ReceiptView(TypedDict):
    receipt_id: int
    shop_id: int
    shop_name: str
    buyer_user_id: int
    buyer_name: str
    status: str
    is_shipped: bool
    ship_to: str
    currency_code: str
    subtotal: float
    total_shipping_cost: float
    grandtotal: float
    message_from_buyer: str
    expected_ship_date: str
    created_timestamp: str
    transactions: list[TransactionView]
    shipments: list[ShipmentView]


class ReceiptsPage(TypedDict):
    count: int
    receipts: list[ReceiptView]


class ShopChange(TypedDict):
    shop_id: int
    shop_name: str
    title: str
    is_vacation: bool
    vacation_message: str


class ReviewView(TypedDict):
    transaction_id: int
    listing_id: int
    shop_name: str
    rating: int
    review: str
    shop_review_average: float
    shop_review_count: int
