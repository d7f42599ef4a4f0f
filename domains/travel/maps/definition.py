"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "maps",
    domain="travel",
    models=Base,
    modeled_on="Maps",
    description=(
        "A maps service in the style of Google Maps Platform: geocoding and reverse geocoding, place search "
        "and details (address, coordinates, rating, opening hours, reviews), distance matrices and directions "
        "by travel mode (driving, walking, bicycling, transit), elevation, and each user's saved-place lists "
        "and reviews. Policy: a user may keep at most 20 lists and 500 places per list, may not save a place "
        "twice in one list, and writes at most one review per place (1-5 stars). Transit only runs within one "
        "metro area; departure times may not be in the past."
    ),
)
