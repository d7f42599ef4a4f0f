"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .bfcl import BfclMessageInterchange
from .models import Base

env = EnvironmentDefinition(
    "message",
    domain="communication",
    models=Base,
    modeled_on="Message",
    description=(
        "A workspace messaging app (BFCL MessageAPI) on one device. Colleagues are found in the workspace "
        "directory by name, each with a user id (USR followed by three digits). Log in with your own user id "
        "before sending, viewing, searching or deleting messages. The app keeps the log of messages sent from "
        "this device; deleting removes the latest message sent to a colleague. Adding a contact gives the new "
        "name the next user id; names in the directory are unique."
    ),
    scenario_io=BfclMessageInterchange(),
)
