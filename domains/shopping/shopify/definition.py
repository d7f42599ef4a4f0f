"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "shopify",
    domain="shopping",
    models=Base,
    modeled_on="ShopifyEcommerce",
    description=(
        "The Shopify admin of one store, Juniper & Pine Outfitters (outdoor apparel and gear, prices in US "
        "dollars), used by its owner and staff: products with variants (options such as Size and Color, SKU, "
        "price, compare-at price, an inventory item), inventory at each location, customers, orders with "
        "their fulfillments and refunds, discount codes and draft orders. Policy: any staff account may look "
        "things up; a change needs the staff member's email and the matching permission (products, "
        "inventory, orders, customers or discounts; the account owner holds all). Only active products can "
        "be ordered. Online orders take stock from the primary location; a location's available count never "
        "goes below zero unless the variant keeps selling when out of stock (inventory policy continue). "
        "Orders of $75 or more after discounts ship free, others pay $8. A discount code works only between "
        "its start and end dates, below its usage limit, once per customer if so set, and when the order "
        "subtotal reaches its minimum. Orders are fulfilled once paid, from the location holding their "
        "stock. An order with any fulfilled item can no longer be cancelled (refund it instead); cancelling "
        "refunds what was paid and can put the stock back. Refunds never exceed what was paid less earlier "
        "refunds; returned units can be restocked, units never shipped can be cancelled back into stock."
    ),
)
