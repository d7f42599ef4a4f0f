"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "slack",
    domain="communication",
    models=Base,
    modeled_on="SlackServer",
    description=(
        "Slack's Web API for the Northwind Labs workspace, acting as the member whose username each call names "
        "(the token's user). Channels are named by id or by name (with or without '#'); a message is identified "
        "by its channel and its ts, and a thread by its parent's ts (thread_ts). Policy: public channels can be "
        "read by every member of the workspace, private channels and direct messages only by their members; "
        "posting, reacting and pinning need membership, and archived channels refuse new messages, reactions, "
        "pins, topic and purpose changes and invitations. Channel names are lowercase letters, digits, hyphens "
        "and underscores, no spaces, at most 80 characters, unique in the workspace. #general holds everyone: "
        "it cannot be left, archived or renamed, and nobody can be removed from it. Members can archive, set the "
        "topic and purpose of, and invite people to channels they are in; only the channel's creator or a "
        "workspace admin can rename a channel or remove (kick) someone. Deactivated accounts cannot be invited or "
        "messaged. You can edit or delete only your own messages unless you are a workspace admin; deleting a "
        "thread parent that has replies leaves 'This message was deleted.' in its place. Lists are paginated "
        "with limit and the next_cursor of the previous page. Times are UTC."
    ),
)
