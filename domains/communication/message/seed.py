"""The seeded workspace: a company directory of a few hundred colleagues and the owner's sent-message log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from ...bfcl.stream import SeededStream
from .definition import env
from .models import MESSAGE_ID_RANGE, USER_ID_PREFIX, WORKSPACE_KEY, Message, User, Workspace

SEEDED_NOW = dt.datetime(2025, 3, 14, 17, 30)
DIRECTORY_SIZE = 320
LOG_SIZE = 420

TEAMS: dict[str, tuple[str, ...]] = {
    "Engineering": ("Software Engineer", "Senior Software Engineer", "Engineering Manager", "QA Analyst"),
    "Design": ("Product Designer", "UX Researcher", "Design Lead"),
    "Sales": ("Account Executive", "Sales Manager", "Sales Development Rep"),
    "Marketing": ("Marketing Manager", "Content Strategist", "Brand Designer"),
    "Finance": ("Financial Analyst", "Controller", "Accounts Payable Specialist"),
    "People": ("HR Business Partner", "Recruiter", "People Operations Lead"),
    "Operations": ("Operations Manager", "Office Coordinator", "IT Support Specialist"),
    "Customer Success": ("Customer Success Manager", "Support Specialist", "Onboarding Lead"),
}
_PROJECTS = ("Atlas", "Beacon", "Cobalt", "Delta launch", "Evergreen", "Falcon", "Harbor", "Juniper", "Orion")
_FILES = (
    "the Q1 budget sheet",
    "the onboarding deck",
    "the signed contract",
    "the release notes",
    "the board slides",
    "the travel receipts",
    "the design mockups",
    "the vendor invoice",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_TIMES = ("9 AM", "10:30 AM", "noon", "1 PM", "2:30 PM", "3 PM", "4 PM")
_TEMPLATES = (
    "Can we move our 1:1 to {day} at {time}?",
    "Could you upload {file} before {day}?",
    "Thanks for the help with {project} today!",
    "Reminder: {project} review on {day} at {time}.",
    "I've shared {file} in the team folder.",
    "Are you joining the {project} standup tomorrow?",
    "Lunch on {day}? I'm free around {time}.",
    "Please review {file} when you get a chance.",
    "The {project} demo went well, great job.",
    "Running 10 minutes late for the {time} meeting.",
    "Can you send me {file} again? The link expired.",
    "Quick question about the {project} timeline, got a minute?",
    "Happy birthday! Hope you have a great {day}.",
    "I'll be out of office on {day}, ping me on urgent things.",
    "Approved the {project} budget request.",
)


def _message_body(data: SeedData) -> str:
    rng = data.rng
    return rng.choice(_TEMPLATES).format(
        day=rng.choice(_DAYS), time=rng.choice(_TIMES), file=rng.choice(_FILES), project=rng.choice(_PROJECTS)
    )


@env.seed
def seed_workspace(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < DIRECTORY_SIZE:
        name = f"{fake.first_name()} {fake.last_name()}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    users = []
    for position, name in enumerate(names, start=1):
        team = rng.choice(list(TEAMS))
        users.append(
            {
                "user_id": f"{USER_ID_PREFIX}{position:03d}",
                "name": name,
                "position": position,
                "title": rng.choice(TEAMS[team]),
                "team": team,
            }
        )
    db.execute(insert(User), users)
    owner = rng.choice(users[:40])
    colleagues = [u for u in users if u is not owner]
    frequent = rng.sample(colleagues, 25)
    ids: set[int] = set()
    messages = []
    start = SEEDED_NOW - dt.timedelta(days=60)
    offsets = sorted(rng.uniform(0, 60 * 24 * 60) for _ in range(LOG_SIZE))
    for position, minutes in enumerate(offsets, start=1):
        receiver = rng.choice(frequent) if rng.random() < 0.7 else rng.choice(colleagues)
        message_id = rng.randint(*MESSAGE_ID_RANGE)
        while message_id in ids:
            message_id = rng.randint(*MESSAGE_ID_RANGE)
        ids.add(message_id)
        messages.append(
            {
                "position": position,
                "receiver_id": receiver["user_id"],
                "message": _message_body(data),
                "raw": None,
                "message_id": message_id,
                "sender_id": owner["user_id"],
                "sent_at": (start + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M"),
            }
        )
    db.execute(insert(Message), messages)
    db.execute(
        insert(Workspace),
        [
            {
                "workspace_key": WORKSPACE_KEY,
                "name": fake.company(),
                "owner_id": owner["user_id"],
                "user_count": DIRECTORY_SIZE,
                "message_count": LOG_SIZE,
                "current_user": owner["user_id"],
                "random_seed": rng.randint(100000, 999999),
                "random_words_used": 0,
                "generated_ids": sorted(ids),
            }
        ],
    )


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def workspace(ctx: ToolContext) -> dict[str, Any]:
    return ctx.rows(Workspace).require(WORKSPACE_KEY, missing="The messaging workspace is not set up.")


def require_login(ctx: ToolContext) -> dict[str, Any]:
    """The workspace row, when someone is logged in (BFCL's rule for every messaging operation)."""
    row = workspace(ctx)
    if not row["current_user"]:
        raise DomainError("No user is currently logged in.")
    return row


def user_ids(ctx: ToolContext) -> set[str]:
    return {row["user_id"] for row in ctx.query("SELECT user_id FROM users")}


def draw_message_id(ctx: ToolContext, row: dict[str, Any]) -> int:
    """The next id of BFCL's seeded stream not yet handed out; records it and the stream's new position."""
    stream = SeededStream(row["random_seed"], row["random_words_used"])
    taken = set(row["generated_ids"])
    new_id = stream.randint(*MESSAGE_ID_RANGE)
    while new_id in taken:
        new_id = stream.randint(*MESSAGE_ID_RANGE)
    ctx.rows(Workspace).update(
        WORKSPACE_KEY, random_words_used=stream.words_used, generated_ids=sorted(taken | {new_id})
    )
    return new_id


def log_entries(ctx: ToolContext) -> list[dict[str, Any]]:
    """The sent-message log in sending order, each entry as BFCL shows it (text, or its list of lines)."""
    return ctx.rows(Message).find(order_by="position")


def shown(entry: dict[str, Any]) -> Any:
    return entry["message"] if entry["raw"] is None else entry["raw"]
