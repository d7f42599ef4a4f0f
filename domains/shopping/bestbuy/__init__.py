"""A Best Buy shopping client modeled on Best Buy's public developer APIs (Products, Categories, Stores,
Reviews, and store availability for buy online, pick up in store), with the per-customer state a My Best Buy
account keeps: a cart, store pickup reservations, online and pickup orders with Geek Squad Protection
plans, price-match requests, returns inside the membership tier's window, and reviews of purchased products.

The seeded world: a category tree of nine departments and 27 leaf categories (TVs, laptops, phones,
headphones, appliances, smart home, wearables, games and accessories); about 1,700 products by SKU with
manufacturer, model number, UPC, regular and sale prices, open-box grades and clearance items, ratings and
best-selling ranks; about 150 stores in 35 metro areas with hours, services (Geek Squad, Apple Shop,
Magnolia...) and per-store stock; about 1,500 reviews; and 300 customers across the three membership tiers
with carts, current and past pickup holds, orders, price matches and returns.
Money is kept in cents; the simulated "now" is part of the seeded state.
"""

from __future__ import annotations

from . import seed, synthesis, tools
from .definition import env

__all__ = ["env", "seed", "synthesis", "tools"]
