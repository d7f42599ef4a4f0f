"""Etsy, modeled on the Etsy Open API v3: the marketplace for handmade, vintage and craft-supply goods.

Sellers own shops (sections, shipping profiles with processing times and per-country rates, return
policies, vacation mode, a currency) and list items: title, description, tags, materials, who made it and
when (handmade by the seller, vintage of at least 20 years, or supplies), variations with their own price
and stock, personalization, and a state (draft, active, inactive, sold out, expired). Publishing and each
renewal cost a $0.20 listing fee and last four months. Buyers search, favorite, fill a cart, check out one
shop at a time into a receipt of transactions, follow shipments and review what they bought.

The seeded world: a few hundred shops in seven countries with thousands of listings of handmade and
vintage goods, their buyers' favorites, carts, orders in every state, shipments and reviews. Money is kept
in cents of the shop's currency; the simulated "now" is part of the seeded state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
