"""State: the ticketing system's session, its staff directory and its ticket queue (SQLAlchemy models)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SYSTEM_KEY = 1
EXTENSION_KEY = "envfactory"
PRIORITIES = (1, 2, 3, 4, 5)  # 5 is the most urgent
STATUSES = ("Open", "In Progress", "Resolved", "Closed")
EDITABLE_FIELDS = ("title", "description", "status", "priority")
# The fields BFCL's tickets carry; a ticket keeps exactly the ones it was given (see Ticket.present).
TICKET_FIELDS = ("id", "title", "description", "status", "priority", "created_by", "resolution")
BFCL_DEFAULT_STATE: dict[str, Any] = {"ticket_queue": [], "ticket_counter": 1, "current_user": None}


class Base(DeclarativeBase):
    pass


class TicketSystem(Base):
    """The ticketing system and the session on this device: one row."""

    __tablename__ = "ticket_system"
    system_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(80))
    ticket_counter: Mapped[int] = mapped_column(Integer)  # the id the next ticket gets
    current_user: Mapped[str | None] = mapped_column(String(60))  # the signed-in username
    owner: Mapped[str | None] = mapped_column(String(60))  # whose device this is (not in BFCL's state)


class Staff(Base):
    """A member of staff who may sign in (BFCL's system has none: anyone with a password signs in)."""

    __tablename__ = "staff"
    __label__ = "{full_name}"
    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(80))
    team: Mapped[str] = mapped_column(String(60))


class Ticket(Base):
    """One ticket of the queue, in queue order (``position``)."""

    __tablename__ = "tickets"
    position: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    id: Mapped[int | None] = mapped_column(Integer, index=True)
    text_id: Mapped[str | None] = mapped_column(String(60))  # BFCL's data has a few text ids
    title: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(30), index=True)
    priority: Mapped[int | None] = mapped_column(Integer)  # 1-5, 5 the most urgent
    text_priority: Mapped[str | None] = mapped_column(String(30))  # BFCL's data has a few words ("high")
    created_by: Mapped[str | None] = mapped_column(String(60), index=True)
    resolution: Mapped[str | None] = mapped_column(Text)
    present: Mapped[list[str]] = mapped_column(JSON)  # which of TICKET_FIELDS the ticket has
    # Fields outside TICKET_FIELDS: BFCL's own (issue, booking_id...) and the seeded world's team and created_at.
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
