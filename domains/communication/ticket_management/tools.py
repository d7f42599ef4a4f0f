"""The tools an agent calls (the API reference a model sees): BFCL TicketAPI's surface."""

from __future__ import annotations

from typing import Annotated, Any, NotRequired

from pydantic import Field
from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import EDITABLE_FIELDS, PRIORITIES, SYSTEM_KEY, Ticket, TicketSystem
from .seed import find_ticket, record, set_fields, system

# Ticket ids are numbers; a few tickets imported from BFCL's data carry text ids such as "ticket_001".
TicketId = int | Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z_-]*[0-9]+$")]


class TicketView(TypedDict):
    id: int
    title: str
    description: str
    status: str
    priority: int
    created_by: str
    resolution: NotRequired[str]
    team: NotRequired[str]  # the team handling it (tickets filed before this API version)
    created_at: NotRequired[str]
    reporter_email: NotRequired[str]  # where the reporter reads email (on the tickets the directory knows)


def _signed_in(ctx: ToolContext, refusal: str) -> dict[str, Any]:
    row = system(ctx)
    if not row["current_user"]:
        raise DomainError(refusal)
    return row


def _check_priority(priority: Any) -> None:
    if not isinstance(priority, int) or isinstance(priority, bool) or priority not in PRIORITIES:
        raise DomainError("Invalid priority. Priority must be between 1 and 5.")


@env.write(intents=["open a ticket titled '{title}' with priority {priority}: {description}", "file a ticket: {title}"])
def create_ticket(ctx: ToolContext, title: str, description: str = "", priority: int = 1) -> TicketView:
    """Create a ticket and queue it; it starts Open and is filed by the signed-in user.

    Args:
        title: The ticket's title.
        description: What the ticket is about. Defaults to empty.
        priority: 1 to 5, 5 the most urgent. Defaults to 1.
    """
    row = _signed_in(ctx, "User not authenticated. Please log in to create a ticket.")
    _check_priority(priority)
    if not title.strip():
        raise DomainError("A ticket needs a title.")
    ticket = {
        "id": row["ticket_counter"],
        "title": title,
        "description": description,
        "status": "Open",
        "priority": priority,
        "created_by": row["current_user"],
    }
    ctx.rows(Ticket).add(**ticket, text_id=None, text_priority=None, resolution=None, present=list(ticket), extra=None)
    ctx.rows(TicketSystem).update(SYSTEM_KEY, ticket_counter=row["ticket_counter"] + 1)
    return ticket  # type: ignore[return-value]


@env.read(intents=["show ticket {ticket_id}", "look up ticket number {ticket_id}"])
def get_ticket(ctx: ToolContext, ticket_id: TicketId) -> TicketView:
    """Get a ticket by its id.

    Args:
        ticket_id: The ticket's id.
    """
    return record(find_ticket(ctx, ticket_id))  # type: ignore[return-value]


class StatusMessage(TypedDict):
    status: str


@env.write(intents=["close ticket {ticket_id}", "mark ticket {ticket_id} as closed"])
def close_ticket(ctx: ToolContext, ticket_id: TicketId) -> StatusMessage:
    """Close a ticket.

    Args:
        ticket_id: The id of the ticket to close.
    """
    row = find_ticket(ctx, ticket_id)
    if row["status"] == "Closed":
        raise DomainError(f"Ticket with ID {ticket_id} is already closed.")
    set_fields(ctx, row, status="Closed")
    return {"status": f"Ticket {ticket_id} has been closed successfully."}


@env.write(intents=["resolve ticket {ticket_id} with the note: {resolution}"])
def resolve_ticket(ctx: ToolContext, ticket_id: TicketId, resolution: str) -> StatusMessage:
    """Resolve a ticket, recording how it was resolved.

    Args:
        ticket_id: The id of the ticket to resolve.
        resolution: How the issue was resolved.
    """
    row = find_ticket(ctx, ticket_id)
    if row["status"] == "Resolved":
        raise DomainError(f"Ticket with ID {ticket_id} is already resolved.")
    set_fields(ctx, row, status="Resolved", resolution=resolution)
    return {"status": f"Ticket {ticket_id} has been resolved successfully."}


class TicketUpdates(TypedDict, total=False):
    title: str | None
    description: str | None
    status: str | None
    priority: int | None


@env.write(intents=["update ticket {ticket_id}: {updates}", "change ticket {ticket_id} ({updates})"])
def edit_ticket(ctx: ToolContext, ticket_id: TicketId, updates: TicketUpdates) -> StatusMessage:
    """Change a ticket's title, description, status or priority (fields given as null stay as they are).

    Args:
        ticket_id: The id of the ticket to change.
        updates: The new values: any of title, description, status and priority (1 to 5).
    """
    row = find_ticket(ctx, ticket_id)
    unknown = [key for key in updates if key not in EDITABLE_FIELDS]
    if unknown:
        raise DomainError(f"Invalid fields for update: {', '.join(unknown)}")
    changes = {key: value for key, value in updates.items() if value is not None}
    if not changes:
        raise DomainError("Nothing to update: give a new title, description, status or priority.")
    if "priority" in changes:
        _check_priority(changes["priority"])
    for key in ("title", "status"):
        if key in changes and not str(changes[key]).strip():
            raise DomainError(f"A ticket's {key} cannot be empty.")
    set_fields(ctx, row, **changes)
    return {"status": f"Ticket {ticket_id} has been updated successfully."}


class Success(TypedDict):
    success: bool


@env.write(intents=["sign in to the ticket system as {username}"])
def ticket_login(ctx: ToolContext, username: str, password: str) -> Success:
    """Sign in to the ticket system; whoever was signed in is signed out.

    Args:
        username: The username.
        password: The password.
    """
    if not username or not password:
        raise DomainError("A username and a password are needed to sign in.")
    staff = ctx.query("SELECT COUNT(*) AS n, SUM(username = ?) AS known FROM staff", (username,))[0]
    if staff["n"] and not staff["known"]:
        raise DomainError(f"No staff account '{username}' in this ticket system.")
    ctx.rows(TicketSystem).update(SYSTEM_KEY, current_user=username)
    return {"success": True}


class LoginStatus(TypedDict):
    login_status: bool


@env.read(intents=["check whether I'm signed in to the ticket system"])
def ticket_get_login_status(ctx: ToolContext) -> LoginStatus:
    """Tell whether someone is signed in to the ticket system."""
    return {"login_status": bool(system(ctx)["current_user"])}


@env.write(intents=["sign out of the ticket system"])
def logout(ctx: ToolContext) -> Success:
    """Sign out of the ticket system."""
    _signed_in(ctx, "No user is signed in.")
    ctx.rows(TicketSystem).update(SYSTEM_KEY, current_user=None)
    return {"success": True}


@env.read(intents=["list my tickets", "show my {status} tickets"])
def get_user_tickets(ctx: ToolContext, status: str | None = None) -> list[TicketView]:
    """The tickets the signed-in user filed, in queue order, optionally only those with a status.

    Args:
        status: Only tickets with this status (any letter case), e.g. Open or Resolved. Defaults to all.
    """
    row = _signed_in(ctx, "User not authenticated. Please log in to view tickets.")
    mine = [
        t
        for t in ctx.rows(Ticket).find({"created_by": row["current_user"]}, order_by="position")
        if "created_by" in t["present"]
    ]
    if status:
        mine = [t for t in mine if isinstance(t["status"], str) and t["status"].lower() == status.lower()]
    return [record(t) for t in mine]  # type: ignore[misc]
