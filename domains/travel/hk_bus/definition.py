"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "hk_bus",
    domain="travel",
    models=Base,
    modeled_on="HKBus",
    description=(
        "Hong Kong bus routes, stops and estimated arrival times (KMB and Citybus), plus each rider's favourite "
        "stops and arrival alerts. Routes have two directions: 'O' (outbound) and 'I' (inbound). Night routes "
        "(N-prefixed) run only after midnight. A rider keeps at most 10 favourite stops and 5 active alerts; an "
        "alert fires 1-30 minutes before a bus of a route that calls at the stop. Times are Hong Kong time."
    ),
)
