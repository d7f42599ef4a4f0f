"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import (
    BOOKING_WINDOW_DAYS,
    CANCELLATION_FEE,
    MAX_NIGHTS,
    MAX_PERMIT_GROUP,
    MAX_PERMIT_NIGHTS,
    PERMIT_WINDOW_DAYS,
    Base,
)

env = EnvironmentDefinition(
    "national_parks",
    domain="travel",
    models=Base,
    modeled_on="NationalParks",
    description=(
        "US National Park Service data (parks, alerts, campgrounds, visitor centers) with campsite "
        "reservations and backcountry permits. Policy: campsites are reserved by the night, from tomorrow up "
        f"to {BOOKING_WINDOW_DAYS} days ahead, for 1-{MAX_NIGHTS} nights inside the campground's season, for "
        "no more people than the site holds, and never overlapping another reservation of the site; "
        "first-come, first-served campgrounds cannot be reserved. A reservation can be cancelled until the "
        f"day before arrival: {CANCELLATION_FEE:.0f} USD is kept, or the first night's fee when cancelling the "
        f"day before. Backcountry permits: groups of 1-{MAX_PERMIT_GROUP}, 1-{MAX_PERMIT_NIGHTS} nights, trips "
        f"from tomorrow to {PERMIT_WINDOW_DAYS} days ahead, within the park's daily quota of people."
    ),
)
