"""UU Paotui same-city errand delivery: price tokens, orders, runners, balance, coupons and saved addresses.

Modeled on UU Paotui's open platform (getorderprice → addorder with the price token, getorderdetail,
cancelorder, tips, balance and recharge, order evaluation). The seeded world has eight cities (Zhengzhou,
where UU started, Beijing, Shanghai, Guangzhou, Shenzhen, Hangzhou, Chengdu, Wuhan), each with its own fare
table (start fare, per-km rates, night and weight surcharges, cancellation fee), an address directory of
about 500 shops, offices and residential compounds, 190 runners, 220 users with balances, coupons and saved
addresses, and about 700 orders (most delivered, some cancelled, a few under way). Money is in yuan at the
interface and in fen in the state; the simulated "now" is part of the state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
