"""The tools an agent calls (the API reference a model sees): BFCL MessageAPI's surface."""

from __future__ import annotations

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import MAX_MESSAGE_LENGTH, USER_ID_PREFIX, WORKSPACE_KEY, Message, User, Workspace
from .seed import draw_message_id, log_entries, require_login, shown, user_ids, workspace


class UserList(TypedDict):
    user_list: list[str]


@env.read(intents=["list everyone in the workspace", "who is in the workspace directory"])
def list_users(ctx: ToolContext) -> UserList:
    """List the names of all users in the workspace, in directory order."""
    return {"user_list": [row["name"] for row in ctx.rows(User).find(order_by="position")]}


class UserId(TypedDict):
    user_id: str


@env.read(intents=["find the user id of {user}", "look up {user} in the directory"])
def get_user_id(ctx: ToolContext, user: str) -> UserId:
    """Get the user id of a workspace member from their user name.

    Args:
        user: The user's name exactly as the directory lists it.
    """
    row = ctx.rows(User).first({"name": user})
    if row is None:
        raise DomainError(f"User '{user}' not found in the workspace.")
    return {"user_id": row["user_id"]}


class LoginResult(TypedDict):
    login_status: bool
    message: str


@env.write(intents=["log in to the messaging app as {user_id}", "sign in as user {user_id}"])
def message_login(ctx: ToolContext, user_id: str) -> LoginResult:
    """Log in to the messaging app as the user with this id; whoever was logged in is logged out.

    Args:
        user_id: The user id to log in as (USR followed by digits).
    """
    if user_id not in user_ids(ctx):
        raise DomainError(f"User ID '{user_id}' not found.")
    ctx.rows(Workspace).update(WORKSPACE_KEY, current_user=user_id)
    return {"login_status": True, "message": f"User '{user_id}' logged in successfully."}


class LoginStatus(TypedDict):
    login_status: bool


@env.read(intents=["check whether someone is logged in to the messaging app"])
def message_get_login_status(ctx: ToolContext) -> LoginStatus:
    """Tell whether a user is logged in to the messaging app."""
    return {"login_status": bool(workspace(ctx)["current_user"])}


class NewId(TypedDict):
    new_id: int


class SendResult(TypedDict):
    sent_status: bool
    message_id: NewId
    message: str


@env.write(intents=["send {receiver_id} the message: {message}", "message {receiver_id}: {message}"])
def send_message(ctx: ToolContext, receiver_id: str, message: str) -> SendResult:
    """Send a message to a workspace member. Needs a logged-in user.

    Args:
        receiver_id: The user id of the recipient.
        message: The text to send.
    """
    row = require_login(ctx)
    if receiver_id not in user_ids(ctx):
        raise DomainError(f"Receiver ID '{receiver_id}' not found.")
    if not message.strip():
        raise DomainError("The message is empty.")
    if len(message) > MAX_MESSAGE_LENGTH:
        raise DomainError(f"The message is longer than {MAX_MESSAGE_LENGTH} characters.")
    new_id = draw_message_id(ctx, row)
    ctx.rows(Message).add(
        receiver_id=receiver_id, message=message, raw=None, message_id=new_id, sender_id=row["current_user"]
    )
    ctx.rows(Workspace).update(WORKSPACE_KEY, message_count=row["message_count"] + 1)
    return {
        "sent_status": True,
        "message_id": {"new_id": new_id},
        "message": f"Message sent to '{receiver_id}' successfully.",
    }


class DeleteResult(TypedDict):
    deleted_status: bool
    receiver_id: str
    message: str


@env.write(intents=["delete the last message sent to {receiver_id}", "unsend my latest message to {receiver_id}"])
def delete_message(ctx: ToolContext, receiver_id: str) -> DeleteResult:
    """Delete the latest message sent to a user. Needs a logged-in user.

    Args:
        receiver_id: The user id of the recipient whose latest message is deleted.
    """
    require_login(ctx)
    latest = ctx.rows(Message).first({"receiver_id": receiver_id}, order_by="-position")
    if latest is None:
        raise DomainError(f"Receiver ID {receiver_id} not found.")
    ctx.rows(Message).delete(latest["position"])
    return {
        "deleted_status": True,
        "receiver_id": receiver_id,
        "message": f"Receiver {receiver_id}'s latest message deleted successfully.",
    }


class SentMessages(TypedDict):
    messages: dict[str, list[str]]


@env.read(intents=["show the messages I have sent", "view my sent messages"])
def view_messages_sent(ctx: ToolContext) -> SentMessages:
    """View every message in the sent-message log, grouped by recipient id in sending order.

    Needs a logged-in user. Example: {"USR001": ["Hello"], "USR002": ["World"]}.
    """
    require_login(ctx)
    grouped: dict[str, list[str]] = {}
    for entry in log_entries(ctx):
        grouped.setdefault(entry["receiver_id"], []).append(shown(entry))
    return {"messages": grouped}


class AddResult(TypedDict):
    added_status: bool
    user_id: str
    message: str


@env.write(intents=["add {user_name} as a contact", "put {user_name} in the workspace directory"])
def add_contact(ctx: ToolContext, user_name: str) -> AddResult:
    """Add a contact to the workspace directory; it gets the next user id.

    Args:
        user_name: The new contact's name (names in the directory are unique).
    """
    if not user_name.strip():
        raise DomainError("The contact's name is empty.")
    if ctx.rows(User).first({"name": user_name}) is not None:
        raise DomainError(f"User name '{user_name}' already exists.")
    row = workspace(ctx)
    count = row["user_count"] + 1
    user_id = f"{USER_ID_PREFIX}{count:03d}"
    if user_id in user_ids(ctx):
        raise DomainError(f"User ID '{user_id}' already exists.")
    position = ctx.query("SELECT COALESCE(MAX(position), 0) + 1 AS next FROM users")[0]["next"]
    ctx.rows(User).add(user_id=user_id, name=user_name, position=position, title=None, team=None)
    ctx.rows(Workspace).update(WORKSPACE_KEY, user_count=count)
    return {"added_status": True, "user_id": user_id, "message": f"Contact '{user_name}' added successfully."}


class SearchHit(TypedDict):
    receiver_id: str
    message: str


class SearchResults(TypedDict):
    results: list[SearchHit]


@env.read(intents=["search my messages for '{keyword}'", "find the messages that mention {keyword}"])
def search_messages(ctx: ToolContext, keyword: str) -> SearchResults:
    """Search the sent-message log for messages containing a keyword (case-insensitive). Needs a logged-in user.

    Args:
        keyword: The word or phrase to look for.
    """
    require_login(ctx)
    if not keyword.strip():
        raise DomainError("The search keyword is empty.")
    needle = keyword.lower()
    return {
        "results": [
            {"receiver_id": e["receiver_id"], "message": shown(e)}
            for e in log_entries(ctx)
            if needle in e["message"].lower()
        ]
    }


class Stats(TypedDict):
    received_count: int
    total_contacts: int


class MessageStats(TypedDict):
    stats: Stats


@env.read(intents=["how many messages are in my log and to how many people", "show my messaging statistics"])
def get_message_stats(ctx: ToolContext) -> MessageStats:
    """Messaging statistics: how many messages the log holds and how many distinct recipients they went to.

    Needs a logged-in user.
    """
    require_login(ctx)
    row = ctx.query("SELECT COUNT(*) AS n, COUNT(DISTINCT receiver_id) AS people FROM messages")[0]
    return {"stats": {"received_count": row["n"], "total_contacts": row["people"]}}
