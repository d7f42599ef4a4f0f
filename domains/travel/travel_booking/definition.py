"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .bfcl import BfclTravelInterchange
from .models import Base

env = EnvironmentDefinition(
    "travel_booking",
    domain="travel",
    models=Base,
    modeled_on="TravelBooking",
    description=(
        "Corporate travel booking (BFCL TravelAPI): sign in, manage credit cards, price and book flights, buy "
        "insurance, get invoices, cancel bookings and set a budget. Most actions need the access token from "
        "authenticate_travel. Fares depend on route, class (business x2, first x5) and date. A booking needs "
        "enough balance on the card, and the card balance must not be below the budget limit."
    ),
    scenario_io=BfclTravelInterchange(),
)
