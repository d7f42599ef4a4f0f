"""A fruit nutrition service modeled on the Fruityvice API (fruityvice.com), with the per-user state of an
app built on it.

The seeded world: 75 real fruits, each with its botanical family, order and genus and its nutrition per
100 g (calories in kcal; fat, sugar, carbohydrates and protein in grams, rounded from published
food-composition figures for the raw fruit); 260 app users with saved fruits, optional daily calorie goals
and sugar limits, and two weeks of fruit logs in grams. Anyone may add a fruit (PUT /api/fruit) if its
taxonomy and nutrition are possible; portions are the per-100 g values scaled by grams / 100.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
