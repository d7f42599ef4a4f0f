"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "uu_paotui",
    domain="shopping",
    models=Base,
    modeled_on="UUPaoTui",
    description=(
        "UU Paotui same-city errand delivery in eight Chinese cities. Addresses are places from the city's "
        "address directory (search_addresses) or the user's saved addresses. Ordering takes two steps: "
        "estimate_price returns a price token valid for 20 minutes, and create_order redeems it once and pays "
        "from the account balance (recharge first if it is short; recharges of 100, 200 and 500 yuan or more earn "
        "a bonus). The fare is the city's start fare for the first 3 km, then a rate per started km (higher "
        "beyond 10 km), plus a night surcharge for pickups from 22:00 to 06:00 and a surcharge per kg over 5 kg "
        "(30 kg at most); the best usable coupon is applied unless declined. A pickup can be now or scheduled 30 "
        "minutes to 2 days ahead. Order states: awaiting_pickup (no runner yet), runner_assigned, picked_up, "
        "delivered, cancelled. Cancelling is free, with the coupon returned, until a runner accepts; after that "
        "the city's cancellation fee is kept and the rest refunded; a picked-up or finished order cannot be "
        "cancelled. Tips (whole yuan, at most 200 per order) can be added before pickup. Delivered orders can be "
        "rated once, 1-5 stars. Money is in yuan."
    ),
)
