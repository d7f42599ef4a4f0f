"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "china_railway",
    domain="travel",
    models=Base,
    modeled_on="ChinaRailway",
    description=(
        "China Railway 12306: stations and telecodes, train timetables, tickets and orders. Searching from a "
        "station covers every station of its city. Tickets are sold for the next 15 days, until 30 minutes "
        "before departure, at most 5 passengers per order; a child ticket is half price and needs an adult in "
        "the same order; students get 25% off second class, hard seat and hard sleeper. A ticket can be changed "
        "once before departure (within 48 hours of departure only to trains leaving by the end of the ticket's "
        "day). Refund fees: free 8+ days before departure, 5% from 48 hours, 10% from 24 hours, 20% within 24 "
        "hours (rounded to 0.5 yuan, at least 2 yuan). Prices are in fen."
    ),
)
