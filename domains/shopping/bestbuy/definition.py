"""The environment definition: id, description (Best Buy's policies) and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "bestbuy",
    domain="shopping",
    models=Base,
    modeled_on="BestBuyServer",
    description=(
        "Best Buy: the Products, Categories, Stores and Reviews APIs (products by SKU with regular and sale "
        "prices, ratings, category paths, online and per-store availability; stores with hours, services and "
        "distance to a ZIP code) plus a My Best Buy customer's account, named by customer_id. Policy: a cart or "
        "order line holds at most 3 units of a SKU; orders of $35 or more, or whose items all ship free, ship "
        "free, otherwise shipping is $5.99; a pickup order or a store reservation needs the units in stock at "
        "that store. A reservation holds up to 3 units of one SKU at one store for 72 hours and takes them off "
        "the shelf until it is picked up or cancelled; one open reservation per SKU per customer. Geek Squad "
        "Protection (2 or 3 years, about 11% or 16% of the price) is sold only for products in eligible "
        "categories and can be added to an order line up to 60 days after purchase, once per line, not to "
        "returned units. Price match: Best Buy matches a lower current price for the identical item (same "
        "model number) in stock at a qualifying retailer (Amazon.com, Walmart.com, Target.com, Costco.com, "
        "Apple.com, Dell.com, HP.com, Lenovo.com, Newegg.com, B&H Photo, Crutchfield, Home Depot, Lowe's; not "
        "marketplace sites such as eBay, Temu, AliExpress or Facebook Marketplace), refunding the difference on "
        "a purchase that is still inside its return window, once per order line; open-box and clearance items "
        "are never matched. Returns: within 15 days of receiving the item, 60 days for My Best Buy Plus and "
        "My Best Buy Total members, and 14 days for every tier on activatable devices such as phones; the "
        "refund is what was paid for the units, plus the line's protection plan when every unit comes back. "
        "Only customers who received a product may review it, once. Prices are in cents; times are the "
        "service's local time."
    ),
)
