"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base
from .tau2 import Tau2Interchange

env = EnvironmentDefinition(
    "airline",
    domain="travel",
    models=Base,
    description=(
        "An airline's customer-service desk: look up members and reservations, search flights, book, "
        "change and cancel trips, add checked bags, update passengers and issue travel certificates, "
        "under the airline's fare, baggage and refund rules (tau2-bench airline compatible)."
    ),
    modeled_on="Airline",
    scenario_io=Tau2Interchange(),
)
