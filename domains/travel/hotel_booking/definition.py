"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "hotel_booking",
    domain="travel",
    models=Base,
    modeled_on="HotelBooking",
    description=(
        "Hotel search and booking. Customers search destinations, compare hotels and rooms for their dates, "
        "and book, change, cancel and review stays paid with a saved card or gift card. Policy: each hotel "
        "offers free cancellation until a number of days before check-in; after that, cancelling costs one "
        "night per room. Dates, room type and guest count can be changed only while cancellation is still free. "
        "Reviews are accepted once per completed stay. Prices are in cents."
    ),
)
