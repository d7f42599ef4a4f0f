"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .bfcl import BfclTicketInterchange
from .models import Base

env = EnvironmentDefinition(
    "ticket_management",
    domain="communication",
    models=Base,
    modeled_on="TicketManagementSystem",
    description=(
        "A company's internal support-ticket system (BFCL TicketAPI). Sign in with a username and password "
        "(where the system has a staff directory, only its usernames sign in) to create tickets or list your "
        "own. Tickets have a numeric id, a title, a description, a status (Open, In Progress, Resolved, "
        "Closed) and a priority from 1 to 5, 5 the most urgent; new tickets start Open with priority 1 unless "
        "given one. Tickets from the staff directory also show the team handling them, when they were filed and "
        "the reporter's email address. A resolved ticket keeps its resolution note; a ticket cannot be closed or "
        "resolved twice. Only the title, description, status and priority can be edited."
    ),
    scenario_io=BfclTicketInterchange(),
)
