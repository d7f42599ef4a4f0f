"""An online marketplace modeled on eBay's public APIs (Browse, Sell Inventory and Listing, Fulfillment,
Offer and Taxonomy).

Members list items in a category tree with a condition (new, open box, refurbished, used, for parts), sell
them at a fixed price (Buy It Now, with or without best offers) or by auction (proxy bids, bid increments,
hidden reserves, an optional Buy It Now before the first bid, an end time), ship them with a stated service
and cost, and state a returns policy (30 or 60 days, or none). Buyers search, watch, bid, buy, make offers,
track orders, open returns within the window (or under the money-back guarantee), and both sides leave
feedback that moves a member's score. Only a listing's seller revises or ends it, answers its offers and
ships its orders; a seller cannot bid on or buy their own item.

The seeded world: about forty leaf categories under twelve top-level ones, 420 members (130 sellers with
feedback in the thousands), 2,000 listings with active and ended auctions and their bid histories, best
offers, watchlists, and several hundred orders that are awaiting payment, paid, shipped or delivered, with
feedback and open returns. Money is kept in cents; the simulated "now" is part of the seeded state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
