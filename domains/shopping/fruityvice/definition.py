"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "fruityvice",
    domain="shopping",
    models=Base,
    modeled_on="FruityviceServer",
    description=(
        "A fruit nutrition service modeled on the Fruityvice API: every fruit's botanical family, order and "
        "genus and its nutrition per 100 g (calories in kcal; fat, sugar, carbohydrates and protein in grams), "
        "searchable by name, taxonomy or a nutrient range; anyone may add a new fruit. App users also keep "
        "saved fruits, a daily fruit log in grams and daily goals. Policy: a new fruit needs a unique name, a "
        "family ending in -aceae and an order ending in -ales that agree with the fruits already in its genus, "
        "and nutrition that is possible per 100 g (no negatives, sugar within carbohydrates, fat, "
        "carbohydrates and protein together at most 100 g, at most 900 kcal). A log entry is 1-2000 g, "
        "dated today or in the last 30 days; at most 25 saved fruits. Amounts for other portions are the "
        "per-100 g values scaled by grams / 100."
    ),
)
