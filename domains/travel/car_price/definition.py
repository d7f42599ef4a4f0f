"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import CURRENT_MODEL_YEAR, OLDEST_YEAR, Base

env = EnvironmentDefinition(
    "car_price",
    domain="travel",
    models=Base,
    modeled_on="CarPrice",
    description=(
        "Car prices: brands, models and trims by vehicle type with MSRPs, and estimated used prices by model "
        f"year ({OLDEST_YEAR}-{CURRENT_MODEL_YEAR}), mileage and region; shoppers keep a watchlist, set price "
        "alerts and request quotes from dealers. Policy: a watchlist holds 25 vehicles without duplicates; "
        "at most 10 active price alerts, each with a target below the current estimate; quotes are for new "
        "vehicles from dealers that sell the brand, at most 5 pending per shopper and one pending per dealer "
        "and trim; only pending quotes can be cancelled."
    ),
)
