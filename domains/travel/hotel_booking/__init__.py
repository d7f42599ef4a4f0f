"""Hotel search and booking, modeled on online hotel booking services (destinations, hotels, rooms, stays).

A traveller searches a destination, compares hotels by the price of their stay, books a room type for a
range of nights with a saved payment method, and later changes, cancels or reviews the stay. The service
enforces what such sites enforce: nightly availability per room type, room occupancy, a free-cancellation
window that ends a number of days before check-in (after it, one night per room is charged), changes only
while cancellation is still free, gift-card balances, and reviews only after a completed stay.

Money is kept in cents; dates are ISO strings; the simulated "now" is part of the seeded state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
