"""A shopping client around Amazon's Product Advertising API 5.0 (SearchItems, GetItems, GetVariations,
GetBrowseNodes) and its deals feed.

The catalog is read-only as in PA-API: ASINs with a title, brand, browse node, a buy-box offer (price, list
price and savings, condition, merchant, Prime eligibility, availability type, units left and maximum order
quantity), a customer review star rating and count, a sales rank and a release date; variation families
group child ASINs under a parent ASIN by size and/or colour; lightning deals (a share claimed, an end time,
some Prime-exclusive) and a deal of the day change what an item costs while they run. Around it sits the
per-shopper state a real client keeps: a cart bounded by availability and maximum order quantities, wish
lists, price-drop alerts with a target price, and orders placed from the cart with Prime shipping rules
(free two-day for Prime members on Prime-eligible carts, free standard shipping from $35 otherwise).

The seeded world: eight departments with 36 leaf browse nodes, about 2,700 ASINs of which a third are
children of some 130 size/colour families, about a hundred deals, and 300 shoppers (six in ten with Prime)
with carts, wish lists, price alerts and several hundred past orders. Money is kept in cents; the simulated
"now" is part of the seeded state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
