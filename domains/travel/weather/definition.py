"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "weather",
    domain="travel",
    models=Base,
    modeled_on="Weather",
    description=(
        "A weather service: search locations, current conditions, daily forecasts (1-10 days), observed "
        "weather for any of the last 30 days, and active weather alerts; users keep saved locations with "
        "nicknames. Policy: a free plan saves at most 5 locations and a premium plan 15; a location can be "
        "saved only once per user and nicknames are unique per user; dates are local to the location."
    ),
)
