"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "didi",
    domain="travel",
    models=Base,
    modeled_on="Didi",
    description=(
        "DiDi ride hailing in Beijing with map helpers (places around a point, reverse geocoding, routes). "
        "Coordinates are given as longitude and latitude; map tools take 'lng,lat' strings. Products: express, "
        "premier, luxe, xl (6 seats) and taxi. A rider may have one active order at a time. Cancelling is free "
        "before a driver is assigned and within 2 minutes of the assignment; after that a fee applies (higher "
        "once the driver has arrived). Trips in progress, completed or cancelled cannot be cancelled. Completed "
        "trips can be rated once, 1-5 stars. Money is in fen."
    ),
)
