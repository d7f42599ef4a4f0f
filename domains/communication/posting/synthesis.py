"""Task-synthesis hints for posting: samplers for the write tools whose arguments follow from the state."""

from __future__ import annotations

import random
from typing import Any

from envfactory_gym.authoring import ToolContext

from .definition import env

_UPDATES = (
    "Finally tried the new bakery on Mission Street. Worth every calorie.",
    "Spring cleaning done. The closet has never looked this good.",
    "Three days into the new job and I already love the team.",
    "Sunday plans: long run, longer brunch.",
)
_REPLIES = ("Love this!", "Congrats!!", "So true.", "Keep us posted!")


def _session(ctx: ToolContext) -> dict[str, Any] | None:
    rows = ctx.query("SELECT username, password, authenticated FROM platform")
    return rows[0] if rows else None


def _signed_in(ctx: ToolContext, arguments: dict[str, Any]) -> dict[str, Any] | None:
    """The arguments, signing the account in first when it is signed out."""
    session = _session(ctx)
    if session is None:
        return None
    if not session["authenticated"]:
        credentials = {"username": session["username"], "password": session["password"]}
        arguments["__prerequisites__"] = [{"tool": "authenticate_twitter", "arguments": credentials}]
    return arguments


@env.arguments("authenticate_twitter")
def sample_authenticate(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """The account owner signs in with their own credentials."""
    session = _session(ctx)
    return None if session is None else {"username": session["username"], "password": session["password"]}


@env.arguments("post_tweet")
def sample_post(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """A short update from the account."""
    return _signed_in(ctx, {"content": rng.choice(_UPDATES)})


@env.arguments("retweet")
def sample_retweet(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Repost someone else's post the account has not reposted."""
    rows = ctx.query(
        "SELECT id FROM tweets WHERE username != (SELECT username FROM platform) AND id NOT IN "
        "(SELECT tweet_id FROM retweets WHERE username = (SELECT username FROM platform)) ORDER BY position"
    )
    return _signed_in(ctx, {"tweet_id": rng.choice(rows)["id"]}) if rows else None


@env.arguments("comment")
def sample_comment(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Reply to a post."""
    rows = ctx.query("SELECT id FROM tweets ORDER BY position")
    if not rows:
        return None
    return _signed_in(ctx, {"tweet_id": rng.choice(rows)["id"], "comment_content": rng.choice(_REPLIES)})


@env.arguments("mention")
def sample_mention(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Mention a followed account in one of the account's own posts."""
    own = ctx.query("SELECT id FROM tweets WHERE username = (SELECT username FROM platform) ORDER BY position")
    followed = ctx.query("SELECT username FROM following ORDER BY position")
    if not own or not followed:
        return None
    mentioned = [f"@{rng.choice(followed)['username']}"]
    return _signed_in(ctx, {"tweet_id": rng.choice(own)["id"], "mentioned_usernames": mentioned})


@env.arguments("follow_user")
def sample_follow(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Follow a member the account does not follow yet."""
    rows = ctx.query(
        "SELECT username FROM accounts WHERE username != (SELECT username FROM platform) "
        "AND username NOT IN (SELECT username FROM following) ORDER BY username"
    )
    return _signed_in(ctx, {"username_to_follow": rng.choice(rows)["username"]}) if rows else None


@env.arguments("unfollow_user")
def sample_unfollow(ctx: ToolContext, rng: random.Random) -> dict[str, Any] | None:
    """Unfollow an account the account follows."""
    rows = ctx.query("SELECT username FROM following ORDER BY position")
    return _signed_in(ctx, {"username_to_unfollow": rng.choice(rows)["username"]}) if rows else None
