"""Car prices: brands, models and trims with new and used price estimates, plus a shopper's watchlist,
price alerts and quote requests to dealers.

Modeled on car-pricing services (Kelley Blue Book / Edmunds style): list brands, browse vehicles by body
type, and estimate what a given model year is worth at a given mileage in a given region. Estimates are
computed from the trim's MSRP, the brand's yearly value retention, a per-model-year market adjustment,
the mileage against an average of 12,000 miles a year, and a regional price index, so every answer is
reproducible from the state. A signed-in shopper keeps a watchlist, sets price alerts and asks dealers
for quotes on new vehicles.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
