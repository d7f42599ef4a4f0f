"""Price comparison: a Manmanbuy / Keepa-style tracker of product prices across Chinese shopping platforms.

Modeled on price-tracking services for JD.com, Tmall, Taobao, Pinduoduo and Suning: a product id (pid) names
one model and variant, its listings ("pos") on each platform carry the seller, whether it is the official or
self-operated store, today's price, a member price, shipping and a daily price history; the service derives
the lowest, highest and average price over a period, the trend, and whether now is a good time to buy, and
knows the coupons (listing and platform-wide threshold coupons with their dates). The seeded world has about
210 products (phones, laptops, headphones, air fryers, robot vacuums, serums, milk, nuts, baijiu...) with two
to five listings each, 180 days of prices with the 618 and Double 11 dips, a few hundred coupons, and 150
users with price alerts, saved comparisons and wrong-price reports. Money is stored in fen and spoken in
yuan; the simulated "now" (November 20, 2025) is part of the state.
"""

from __future__ import annotations

from . import seed, synthesis, tools
from .definition import env

__all__ = ["env", "seed", "synthesis", "tools"]
