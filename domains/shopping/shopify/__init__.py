"""Shopify, modeled on the Shopify Admin API (REST and GraphQL): one merchant's store as its owner and
staff run it.

Resources: staff accounts with permissions, locations, products (vendor, product type, tags, status active,
draft or archived) with variants (options such as Size and Color, SKU, price, compare-at price, an
inventory policy and an inventory item), inventory levels per location, customers (tags, marketing
consent, orders count, total spent, default address), orders (line items, financial status pending, paid,
partially refunded, refunded or voided; fulfillment status unfulfilled, partial or fulfilled; cancel
reasons), fulfillments with tracking, refunds with restocking, price rules with their discount codes, and
draft orders that are completed into orders.

The seeded world: Juniper & Pine Outfitters, an outdoor apparel and gear store with six staff accounts,
three locations (a Portland warehouse that ships online orders, a Denver flagship, an Austin pop-up), a few
hundred products with about 1,500 variants, four hundred customers, a thousand orders over six months in
every state, a dozen discount codes (running, scheduled, expired, used up) and two dozen draft orders.
Money is kept in cents; the simulated "now" is part of the seeded state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
