"""The seeded ticket system: a company's staff and a year of internal support tickets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from ..northwind import work_address
from .bfcl import ticket_record
from .definition import env
from .models import PRIORITIES, STATUSES, SYSTEM_KEY, TICKET_FIELDS, Staff, Ticket, TicketSystem

SEEDED_NOW = dt.datetime(2025, 3, 14, 17, 30)
STAFF_SIZE = 60
QUEUE_SIZE = 700
TEAMS = ("IT", "Facilities", "Finance", "HR", "Sales", "Engineering", "Customer Support", "Legal")

# (title, description) pairs of the kinds of tickets staff file; {thing} varies.
_ISSUES = (
    ("Laptop won't boot", "My {thing} laptop shows a black screen after the logo since this morning."),
    ("VPN keeps disconnecting", "The VPN drops every few minutes when I work from home."),
    ("Request: second monitor", "Could I get a second monitor for my desk on the {floor} floor?"),
    ("Printer jam on {floor} floor", "The printer by the kitchen on the {floor} floor jams on every job."),
    ("Expense report rejected", "My {month} expense report was rejected without a reason."),
    ("Access to shared drive", "I need write access to the {team} shared drive."),
    ("Password reset", "I'm locked out of my account after too many attempts."),
    ("Broken chair", "The chair at my desk on the {floor} floor has a broken wheel."),
    ("Payroll question", "My {month} payslip is missing the overtime I logged."),
    ("New hire setup", "A new {team} hire starts Monday and needs a laptop and accounts."),
    ("Conference room display", "The screen in the {floor} floor conference room won't connect."),
    ("Software license", "I need a license for {thing} for the {team} team."),
    ("Air conditioning too cold", "The {floor} floor open space is freezing all day."),
    ("Email not syncing", "My phone stopped syncing work email after the update."),
    ("Contract review", "Please review the vendor contract for the {team} team before Friday."),
)
_THINGS = ("Dell", "Lenovo", "MacBook", "Figma", "Tableau", "Adobe Acrobat", "Jira", "Salesforce")
_FLOORS = ("2nd", "3rd", "4th", "5th", "6th")
_MONTHS = ("January", "February", "March")
_RESOLUTIONS = (
    "Replaced the faulty part.",
    "Reset the account and confirmed access.",
    "Access granted.",
    "Installed the update and verified it works.",
    "Ordered and delivered.",
    "Explained the policy to the requester.",
)


# Which team handles a kind of ticket (by its title's first word or words).
_HANDLERS = {
    "Expense": "Finance Operations",
    "Payroll": "People Operations",
    "New hire": "People Operations",
    "Broken chair": "Workplace Facilities",
    "Printer": "Workplace Facilities",
    "Air conditioning": "Workplace Facilities",
    "Contract": "Legal Operations",
}


def handling_team(title: str) -> str:
    return next((team for prefix, team in _HANDLERS.items() if title.startswith(prefix)), "IT Service Desk")


def _username(full_name: str) -> str:
    first, last = full_name.lower().split()[0], full_name.lower().split()[-1]
    return f"{first[0]}{last}".replace("'", "")


@env.seed
def seed_tickets(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    staff: list[dict[str, Any]] = []
    usernames: set[str] = set()
    addresses: dict[str, str] = {}  # a username's Northwind address, which its tickets show
    while len(staff) < STAFF_SIZE:
        first, last = fake.first_name(), fake.last_name()
        full_name = f"{first} {last}"
        username = _username(full_name)
        if username in usernames:
            continue
        usernames.add(username)
        addresses[username] = work_address(first, last)
        staff.append({"username": username, "full_name": full_name, "team": rng.choice(TEAMS)})
    db.execute(insert(Staff), staff)
    owner = rng.choice(staff)
    start = SEEDED_NOW - dt.timedelta(days=365)
    offsets = sorted(rng.uniform(0, 365 * 24 * 60) for _ in range(QUEUE_SIZE))
    tickets = []
    for position, minutes in enumerate(offsets, start=1):
        title, description = rng.choice(_ISSUES)
        slots = {
            "thing": rng.choice(_THINGS),
            "floor": rng.choice(_FLOORS),
            "month": rng.choice(_MONTHS),
            "team": rng.choice(TEAMS),
        }
        age_days = (QUEUE_SIZE - position) * 365 / QUEUE_SIZE
        weights = (1, 1, 3, 6) if age_days > 30 else (5, 3, 1, 1)
        status = rng.choices(STATUSES, weights=weights)[0]
        creator = owner if rng.random() < 0.06 else rng.choice(staff)
        resolution = rng.choice(_RESOLUTIONS) if status in ("Resolved", "Closed") and rng.random() < 0.8 else None
        present = [f for f in TICKET_FIELDS if f != "resolution" or resolution is not None]
        tickets.append(
            {
                "position": position,
                "id": position,
                "text_id": None,
                "title": title.format(**slots),
                "description": description.format(**slots),
                "status": status,
                "priority": rng.choices(PRIORITIES, weights=(3, 4, 4, 2, 1))[0],
                "text_priority": None,
                "created_by": creator["username"],
                "resolution": resolution,
                "present": present,
                "extra": {
                    "team": handling_team(title),
                    "created_at": (start + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M"),
                    "reporter_email": addresses[creator["username"]],
                },
            }
        )
    db.execute(insert(Ticket), tickets)
    db.execute(
        insert(TicketSystem),
        [
            {
                "system_key": SYSTEM_KEY,
                "name": f"{fake.company()} Helpdesk",
                "ticket_counter": QUEUE_SIZE + 1,
                "current_user": owner["username"],
                "owner": owner["username"],
            }
        ],
    )


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def system(ctx: ToolContext) -> dict[str, Any]:
    return ctx.rows(TicketSystem).require(SYSTEM_KEY, missing="The ticket system is not set up.")


def find_ticket(ctx: ToolContext, ticket_id: int | str) -> dict[str, Any]:
    """The first ticket of the queue with this id (BFCL's lookup), or a refusal."""
    column = "text_id" if isinstance(ticket_id, str) else "id"
    for row in ctx.rows(Ticket).find({column: ticket_id}, order_by="position"):
        if "id" in row["present"]:
            return row
    raise DomainError(f"Ticket with ID {ticket_id} not found.")


def record(row: dict[str, Any]) -> dict[str, Any]:
    return ticket_record(row)


def set_fields(ctx: ToolContext, row: dict[str, Any], **values: Any) -> None:
    """Change fields of a ticket; a field it did not have yet becomes one of its fields."""
    present = list(row["present"])
    present += [f for f in TICKET_FIELDS if f in values and f not in present]
    if "priority" in values:
        values["text_priority"] = None
    ctx.rows(Ticket).update(row["position"], present=present, **values)
