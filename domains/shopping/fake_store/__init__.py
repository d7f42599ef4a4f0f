"""An online store modeled on the Fake Store API (fakestoreapi.com): products, categories, carts, users, login.

The seeded world: 238 products in eight categories (the API's electronics, jewelery, men's and women's
clothing, plus home & kitchen, sports & outdoors, beauty, and toys & games), each with a title, a price in
dollars and cents, a description, an image address and a customer rating (average rate and count); 320
customers with addresses, geolocation and phone numbers, four staff accounts, and 450 carts dated over the
last twelve weeks. Browsing is open; changes need a login token: customers change their own carts and
account, staff change the catalog. Cart lines hold 1-20 units of an existing product.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
