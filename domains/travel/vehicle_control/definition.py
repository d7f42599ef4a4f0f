"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .bfcl import BfclVehicleInterchange
from .models import Base

env = EnvironmentDefinition(
    "vehicle_control",
    domain="travel",
    models=Base,
    modeled_on="VehicleControl",
    description=(
        "In-car vehicle control (BFCL VehicleControlAPI) for one car. To start the engine, lock all doors and "
        "press the brake pedal fully first. The tank holds 50 gallons; the car does 20 miles per gallon. Cruise "
        "control needs the engine running and a speed from 0 to 120 in steps of 5. Distances are looked up "
        "between zipcodes."
    ),
    scenario_io=BfclVehicleInterchange(),
)
