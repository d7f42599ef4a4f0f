"""The tools an agent calls: Slack's conversations.*, chat.*, reactions.*, pins.*, users.* and search API.

Every call acts as the member named by ``username`` (the user the token belongs to). Channels are given by id
(C…, G…, D…) or by name, with or without the leading '#'.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    DEFAULT_LIMIT,
    GENERAL,
    MAX_LIMIT,
    MAX_NAME,
    MAX_PURPOSE,
    MAX_TEXT,
    MAX_TOPIC,
    Channel,
    ChannelMember,
    Message,
    Pin,
    Reaction,
    SlackUser,
)
from .timestamps import readable, ts_of

CHANNEL_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
EMOJI_NAME = re.compile(r"[a-z0-9_+\-']{1,40}")
TS = re.compile(r"\d{9,10}\.\d{6}")
MAX_PINS = 100
MAX_INVITES = 30
TOMBSTONE = "This message was deleted."
CHANNEL_TYPES = ("public_channel", "private_channel", "im")


# --------------------------------------------------------------------------------------------------
# Output shapes
# --------------------------------------------------------------------------------------------------


class ReactionView(TypedDict):
    name: str
    count: int
    users: list[str]


class MessageView(TypedDict):
    ts: str
    time: str
    user: str
    user_name: str
    text: str
    thread_ts: str | None
    reply_count: int
    edited: bool
    reactions: list[ReactionView]
    pinned: bool


class HistoryPage(TypedDict):
    channel_id: str
    channel_name: str | None
    messages: list[MessageView]
    has_more: bool
    next_cursor: str


class ChannelView(TypedDict):
    channel_id: str
    name: str | None
    is_private: bool
    is_im: bool
    is_archived: bool
    is_member: bool
    topic: str
    purpose: str
    num_members: int
    creator: str
    creator_name: str
    created: str
    archived_by_name: str | None
    user: str | None


class ChannelPage(TypedDict):
    channels: list[ChannelView]
    next_cursor: str


class SearchMatch(TypedDict):
    channel_id: str
    channel_name: str | None
    ts: str
    time: str
    user: str
    user_name: str
    text: str
    thread_ts: str | None
    reply_count: int


class SearchPage(TypedDict):
    total: int
    matches: list[SearchMatch]
    next_cursor: str


class UserView(TypedDict):
    user_id: str
    username: str
    real_name: str
    display_name: str
    title: str
    tz: str
    is_admin: bool
    deleted: bool
    posting_handle: str | None


class UserPage(TypedDict):
    members: list[UserView]
    next_cursor: str


class MemberPage(TypedDict):
    channel_id: str
    members: list[UserView]
    next_cursor: str


class PostedMessage(TypedDict):
    channel_id: str
    ts: str
    thread_ts: str | None
    text: str


class ChannelChange(TypedDict):
    ok: bool
    channel: ChannelView


class Confirmation(TypedDict):
    ok: bool
    channel_id: str
    detail: str


class PinView(TypedDict):
    channel_id: str
    ts: str
    pinned_by: str
    pinned_at: str
    message: MessageView


# --------------------------------------------------------------------------------------------------
# Helpers: who is acting, which conversation, paging
# --------------------------------------------------------------------------------------------------


def _actor(ctx: ToolContext, username: str) -> dict[str, Any]:
    handle = username.strip().lstrip("@").lower()
    found = ctx.rows(SlackUser).first({"username": handle})
    if found is None:
        raise DomainError(f"No member of the workspace has the username {username!r}.")
    if found["deleted"]:
        raise DomainError(f"The account {found['username']} is deactivated and cannot make requests.")
    return found


def _user(ctx: ToolContext, reference: str) -> dict[str, Any]:
    """A member by user id (U…) or username (with or without '@')."""
    wanted = reference.strip().lstrip("@")
    found = ctx.rows(SlackUser).get(wanted.upper()) or ctx.rows(SlackUser).first({"username": wanted.lower()})
    if found is None:
        raise DomainError(f"user_not_found: no member with the id or username {reference!r}.")
    return found


def _channel(ctx: ToolContext, reference: str) -> dict[str, Any]:
    wanted = reference.strip()
    found = ctx.rows(Channel).get(wanted.upper()) if wanted[:1].upper() in "CGD" else None
    if found is None:
        found = ctx.rows(Channel).first({"name": wanted.lstrip("#").lower()})
    if found is None:
        raise DomainError(f"channel_not_found: there is no channel {reference!r} in the workspace.")
    return found


def _is_member(ctx: ToolContext, channel: dict[str, Any], user_id: str) -> bool:
    return ctx.rows(ChannelMember).get(channel["channel_id"], user_id) is not None


def _label(channel: dict[str, Any]) -> str:
    return f"#{channel['name']}" if channel["name"] else "this direct message"


def _readable(ctx: ToolContext, channel: dict[str, Any], actor: dict[str, Any]) -> None:
    if (channel["is_private"] or channel["is_im"]) and not _is_member(ctx, channel, actor["user_id"]):
        raise DomainError(
            f"channel_not_found: {_label(channel) if not channel['is_im'] else 'that conversation'} is private and "
            f"{actor['username']} is not a member of it."
        )


def _membership(ctx: ToolContext, channel: dict[str, Any], actor: dict[str, Any], doing: str) -> None:
    _readable(ctx, channel, actor)
    if not _is_member(ctx, channel, actor["user_id"]):
        raise DomainError(f"not_in_channel: join {_label(channel)} before you {doing} there.")


def _open(channel: dict[str, Any], doing: str) -> None:
    if channel["is_archived"]:
        raise DomainError(f"is_archived: {_label(channel)} is archived, so you cannot {doing}.")


def _named_channel(channel: dict[str, Any], doing: str) -> None:
    if channel["is_im"]:
        raise DomainError(f"method_not_supported_for_channel_type: you cannot {doing} a direct message.")


def _limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainError(f"invalid_limit: limit must be between 1 and {MAX_LIMIT}.")


def _offset(cursor: str | None) -> int:
    if cursor is None or cursor == "":
        return 0
    try:
        decoded = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    if not re.fullmatch(r"next:\d{1,7}", decoded):
        raise DomainError("invalid_cursor: pass the next_cursor of the previous page, or nothing for the first.")
    return int(decoded.split(":")[1])


def _next_cursor(offset: int, shown: int, total: int) -> str:
    end = offset + shown
    return base64.b64encode(f"next:{end}".encode()).decode() if end < total else ""


def _text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise DomainError("no_text: a message needs some text.")
    if len(cleaned) > MAX_TEXT:
        raise DomainError(f"msg_too_long: messages are limited to {MAX_TEXT} characters.")
    return cleaned


def _ts(ts: str) -> str:
    cleaned = ts.strip()
    if not TS.fullmatch(cleaned):
        raise DomainError(f"invalid_ts: {ts!r} is not a message timestamp such as '1741700000.000100'.")
    return cleaned


def _message(ctx: ToolContext, channel: dict[str, Any], ts: str) -> dict[str, Any]:
    found = ctx.rows(Message).get(channel["channel_id"], _ts(ts))
    if found is None:
        raise DomainError(f"message_not_found: {_label(channel)} has no message with ts {ts.strip()}.")
    return found


def _new_ts(ctx: ToolContext) -> str:
    second = ts_of(ctx.now, 0).split(".")[0]
    used = ctx.query(
        "SELECT COUNT(*) AS n FROM messages WHERE ts LIKE ? OR edited_ts LIKE ?", [second + ".%", second + ".%"]
    )[0]["n"]
    return ts_of(ctx.now, used + 1)


def _stamp(ctx: ToolContext) -> str:
    return ctx.now.strftime("%Y-%m-%d %H:%M:%S")


def _names(ctx: ToolContext) -> dict[str, str]:
    return {row["user_id"]: row["real_name"] for row in ctx.query("SELECT user_id, real_name FROM users")}


def _message_views(ctx: ToolContext, channel_id: str, rows: list[dict[str, Any]]) -> list[MessageView]:
    if not rows:
        return []
    names = _names(ctx)
    marks = ",".join("?" * len(rows))
    stamps = [row["ts"] for row in rows]
    reactions: dict[str, list[ReactionView]] = {}
    for row in ctx.query(
        f"SELECT ts, name, user_id FROM reactions WHERE channel_id = ? AND ts IN ({marks}) ORDER BY ts, name, user_id",
        [channel_id, *stamps],
    ):
        views = reactions.setdefault(row["ts"], [])
        if not views or views[-1]["name"] != row["name"]:
            views.append({"name": row["name"], "count": 0, "users": []})
        views[-1]["count"] += 1
        views[-1]["users"].append(row["user_id"])
    pinned = {
        row["ts"]
        for row in ctx.query(f"SELECT ts FROM pins WHERE channel_id = ? AND ts IN ({marks})", [channel_id, *stamps])
    }
    return [
        {
            "ts": row["ts"],
            "time": readable(row["ts"]),
            "user": row["user_id"],
            "user_name": names.get(row["user_id"], row["user_id"]),
            "text": row["text"],
            "thread_ts": row["thread_ts"],
            "reply_count": row["reply_count"],
            "edited": row["edited_ts"] is not None,
            "reactions": reactions.get(row["ts"], []),
            "pinned": row["ts"] in pinned,
        }
        for row in rows
    ]


def _channel_view(ctx: ToolContext, channel: dict[str, Any], actor: dict[str, Any]) -> ChannelView:
    names = _names(ctx)
    members = [r["user_id"] for r in ctx.rows(ChannelMember).find({"channel_id": channel["channel_id"]})]
    other = next((m for m in members if m != actor["user_id"]), actor["user_id"]) if channel["is_im"] else None
    return {
        "channel_id": channel["channel_id"],
        "name": channel["name"],
        "is_private": bool(channel["is_private"]),
        "is_im": bool(channel["is_im"]),
        "is_archived": bool(channel["is_archived"]),
        "is_member": actor["user_id"] in members,
        "topic": channel["topic"],
        "purpose": channel["purpose"],
        "num_members": len(members),
        "creator": channel["creator"],
        "creator_name": names.get(channel["creator"], channel["creator"]),
        "created": channel["created"],
        "archived_by_name": names.get(channel["archived_by"]) if channel["archived_by"] else None,
        "user": other,
    }


def _user_view(user: dict[str, Any]) -> UserView:
    return {
        "user_id": user["user_id"],
        "username": user["username"],
        "real_name": user["real_name"],
        "display_name": user["display_name"],
        "title": user["title"],
        "tz": user["tz"],
        "is_admin": bool(user["is_admin"]),
        "deleted": bool(user["deleted"]),
        "posting_handle": user.get("posting_handle"),
    }


def _bound(value: str | None, what: str) -> str | None:
    """An oldest/latest bound: a message ts, or a UTC date or date-time, turned into a ts for comparing."""
    if value is None or value.strip() == "":
        return None
    cleaned = value.strip()
    if TS.fullmatch(cleaned):
        return cleaned
    try:
        moment = dt.datetime.fromisoformat(cleaned.replace(" ", "T"))
    except ValueError:
        raise DomainError(
            f"invalid_{what}: {value!r} is neither a ts nor a date such as '2025-03-11' or '2025-03-11T09:00'."
        ) from None
    return ts_of(moment.replace(tzinfo=None), 0)


# --------------------------------------------------------------------------------------------------
# Reading: channels, history, threads, search
# --------------------------------------------------------------------------------------------------


@env.read(intents=["which channels are there about {query}", "list the channels I can see"])
def channels_list(
    ctx: ToolContext,
    username: str,
    types: str = "public_channel,private_channel",
    exclude_archived: bool = False,
    query: str | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> ChannelPage:
    """List the workspace's channels the user can see, by name: every public channel, and the private channels
    and direct messages the user belongs to.

    Args:
        username: Your Slack username (the account making the request), such as 'mchen'.
        types: Comma-separated conversation types to include: public_channel, private_channel, im.
        exclude_archived: Leave archived channels out.
        query: Only channels whose name, topic or purpose contains this text.
        limit: Page size (1-60).
        cursor: next_cursor from the previous page; omit for the first page.
    """
    actor = _actor(ctx, username)
    wanted = {t.strip() for t in types.split(",") if t.strip()}
    unknown = sorted(wanted - set(CHANNEL_TYPES))
    if unknown or not wanted:
        raise DomainError(f"invalid_types: {', '.join(unknown) or 'nothing'}; use {', '.join(CHANNEL_TYPES)}.")
    _limit(limit)
    offset = _offset(cursor)
    rows = ctx.query(
        "SELECT c.* FROM channels c WHERE (c.is_private = 0 AND c.is_im = 0) OR EXISTS (SELECT 1 FROM "
        "channel_members m WHERE m.channel_id = c.channel_id AND m.user_id = ?) ORDER BY c.is_im, c.name, c.channel_id",
        [actor["user_id"]],
    )
    needle = (query or "").strip().lower()
    chosen = [
        row
        for row in rows
        if ("im" if row["is_im"] else "private_channel" if row["is_private"] else "public_channel") in wanted
        and not (exclude_archived and row["is_archived"])
        and (not needle or needle in f"{row['name'] or ''} {row['topic']} {row['purpose']}".lower())
    ]
    page = chosen[offset : offset + limit]
    return {
        "channels": [_channel_view(ctx, row, actor) for row in page],
        "next_cursor": _next_cursor(offset, len(page), len(chosen)),
    }


@env.read(intents=["tell me about {channel}"])
def conversations_info(ctx: ToolContext, username: str, channel: str) -> ChannelView:
    """A conversation's details: topic, purpose, creator, whether it is private or archived, member count.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name, such as 'design' or '#design'.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _readable(ctx, found, actor)
    return _channel_view(ctx, found, actor)


@env.read(intents=["what has been said in {channel} lately", "catch me up on {channel}"])
def conversations_history(
    ctx: ToolContext,
    username: str,
    channel: str,
    oldest: str | None = None,
    latest: str | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> HistoryPage:
    """A channel's messages, newest first; thread replies are not included (a parent shows its reply_count:
    read them with conversations_replies).

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name, such as 'design' or '#design', or a direct message's id.
        oldest: Only messages at or after this point: a ts, or a UTC date or date-time ('2025-03-11').
        latest: Only messages before this point: a ts, or a UTC date or date-time.
        limit: Page size (1-60).
        cursor: next_cursor from the previous page; omit for the first page.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _readable(ctx, found, actor)
    _limit(limit)
    offset = _offset(cursor)
    low, high = _bound(oldest, "oldest"), _bound(latest, "latest")
    rows = ctx.query(
        "SELECT * FROM messages WHERE channel_id = ? AND thread_ts IS NULL AND CAST(ts AS REAL) >= ? "
        "AND CAST(ts AS REAL) < ? ORDER BY CAST(ts AS REAL) DESC",
        [found["channel_id"], float(low) if low else 0.0, float(high) if high else 1e12],
    )
    page = rows[offset : offset + limit]
    cursor_out = _next_cursor(offset, len(page), len(rows))
    return {
        "channel_id": found["channel_id"],
        "channel_name": found["name"],
        "messages": _message_views(ctx, found["channel_id"], page),
        "has_more": bool(cursor_out),
        "next_cursor": cursor_out,
    }


@env.read(intents=["show me the thread in {channel} started at {ts}"])
def conversations_replies(
    ctx: ToolContext, username: str, channel: str, ts: str, limit: int = 50, cursor: str | None = None
) -> HistoryPage:
    """A thread: its parent message first, then the replies oldest first.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name where the thread is.
        ts: The ts of the thread's parent message (its thread_ts).
        limit: Page size (1-60).
        cursor: next_cursor from the previous page; omit for the first page.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _readable(ctx, found, actor)
    _limit(limit)
    offset = _offset(cursor)
    parent = _message(ctx, found, ts)
    if parent["thread_ts"] is not None:
        parent = _message(ctx, found, parent["thread_ts"])
    replies = ctx.query(
        "SELECT * FROM messages WHERE channel_id = ? AND thread_ts = ? ORDER BY CAST(ts AS REAL)",
        [found["channel_id"], parent["ts"]],
    )
    rows = [parent, *replies]
    page = rows[offset : offset + limit]
    cursor_out = _next_cursor(offset, len(page), len(rows))
    return {
        "channel_id": found["channel_id"],
        "channel_name": found["name"],
        "messages": _message_views(ctx, found["channel_id"], page),
        "has_more": bool(cursor_out),
        "next_cursor": cursor_out,
    }


SEARCH_MODIFIER = re.compile(r"(in|from|after|before|on):(\S+)")


@env.read(intents=["find messages about {query}", "who talked about {query}"])
def conversations_search_messages(
    ctx: ToolContext, username: str, query: str, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> SearchPage:
    """Search the messages the user can read (public channels, and the private channels and direct messages
    they belong to), newest first. Every word must appear in the message. Slack's modifiers narrow it:
    in:#channel, from:@username, after:YYYY-MM-DD, before:YYYY-MM-DD, on:YYYY-MM-DD.

    Args:
        username: Your Slack username (the account making the request).
        query: Words to find, with optional modifiers, such as 'deploy in:#deploys after:2025-03-01'.
        limit: Page size (1-60).
        cursor: next_cursor from the previous page; omit for the first page.
    """
    actor = _actor(ctx, username)
    _limit(limit)
    offset = _offset(cursor)
    clauses = [
        "(c.is_private = 0 AND c.is_im = 0 OR EXISTS (SELECT 1 FROM channel_members cm WHERE "
        "cm.channel_id = c.channel_id AND cm.user_id = ?))",
        "m.subtype IS NULL",
    ]
    params: list[Any] = [actor["user_id"]]
    for kind, value in SEARCH_MODIFIER.findall(query):
        if kind == "in":
            target = _channel(ctx, value)
            _readable(ctx, target, actor)
            clauses.append("m.channel_id = ?")
            params.append(target["channel_id"])
        elif kind == "from":
            clauses.append("m.user_id = ?")
            params.append(_user(ctx, value)["user_id"])
        else:
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                raise DomainError(f"invalid_query: {kind}: takes a date such as 2025-03-11, not {value!r}.") from None
            start = float(ts_of(dt.datetime.combine(day, dt.time()), 0))
            if kind == "after":
                clauses.append("CAST(m.ts AS REAL) >= ?")
                params.append(start + 86400)
            elif kind == "before":
                clauses.append("CAST(m.ts AS REAL) < ?")
                params.append(start)
            else:
                clauses.append("CAST(m.ts AS REAL) >= ? AND CAST(m.ts AS REAL) < ?")
                params.extend([start, start + 86400])
    words = [w.lower() for w in SEARCH_MODIFIER.sub(" ", query).split()]
    if not words and len(params) == 1:
        raise DomainError("invalid_query: give at least one word or modifier to search for.")
    for word in words:
        clauses.append("instr(lower(m.text), ?) > 0")
        params.append(word)
    rows = ctx.query(
        "SELECT m.*, c.name AS channel_name FROM messages m JOIN channels c ON c.channel_id = m.channel_id WHERE "
        + " AND ".join(clauses)
        + " ORDER BY CAST(m.ts AS REAL) DESC",
        params,
    )
    names = _names(ctx)
    page = rows[offset : offset + limit]
    return {
        "total": len(rows),
        "matches": [
            {
                "channel_id": row["channel_id"],
                "channel_name": row["channel_name"],
                "ts": row["ts"],
                "time": readable(row["ts"]),
                "user": row["user_id"],
                "user_name": names.get(row["user_id"], row["user_id"]),
                "text": row["text"],
                "thread_ts": row["thread_ts"],
                "reply_count": row["reply_count"],
            }
            for row in page
        ],
        "next_cursor": _next_cursor(offset, len(page), len(rows)),
    }


@env.read(intents=["who is in {channel}"])
def conversations_members(
    ctx: ToolContext, username: str, channel: str, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> MemberPage:
    """The members of a conversation, by real name.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name.
        limit: Page size (1-60).
        cursor: next_cursor from the previous page; omit for the first page.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _readable(ctx, found, actor)
    _limit(limit)
    offset = _offset(cursor)
    rows = ctx.query(
        "SELECT u.* FROM users u JOIN channel_members m ON m.user_id = u.user_id WHERE m.channel_id = ? "
        "ORDER BY u.real_name, u.user_id",
        [found["channel_id"]],
    )
    page = rows[offset : offset + limit]
    return {
        "channel_id": found["channel_id"],
        "members": [_user_view(row) for row in page],
        "next_cursor": _next_cursor(offset, len(page), len(rows)),
    }


@env.read(intents=["what's pinned in {channel}"])
def pins_list(ctx: ToolContext, username: str, channel: str) -> list[PinView]:
    """The messages pinned in a channel, most recently pinned first.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _readable(ctx, found, actor)
    pins = ctx.query(
        "SELECT p.*, m.user_id, m.text, m.thread_ts, m.reply_count, m.edited_ts FROM pins p JOIN messages m ON "
        "m.channel_id = p.channel_id AND m.ts = p.ts WHERE p.channel_id = ? ORDER BY p.pinned_at DESC, p.ts DESC",
        [found["channel_id"]],
    )
    views = _message_views(ctx, found["channel_id"], pins)
    return [
        {
            "channel_id": pin["channel_id"],
            "ts": pin["ts"],
            "pinned_by": pin["pinned_by"],
            "pinned_at": pin["pinned_at"],
            "message": view,
        }
        for pin, view in zip(pins, views, strict=True)
    ]


@env.read(intents=["find {query} in the directory", "who works as {query}"])
def users_list(
    ctx: ToolContext,
    username: str,
    query: str | None = None,
    include_deactivated: bool = False,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> UserPage:
    """The workspace's members by real name, optionally those whose name, username or title contains a text.

    Args:
        username: Your Slack username (the account making the request).
        query: Text to find in the real name, display name, username or title.
        include_deactivated: Also list deactivated accounts.
        limit: Page size (1-60).
        cursor: next_cursor from the previous page; omit for the first page.
    """
    _actor(ctx, username)
    _limit(limit)
    offset = _offset(cursor)
    needle = (query or "").strip().lower()
    rows = [
        row
        for row in ctx.query("SELECT * FROM users ORDER BY real_name, user_id")
        if (include_deactivated or not row["deleted"])
        and (
            not needle or needle in f"{row['real_name']} {row['display_name']} {row['username']} {row['title']}".lower()
        )
    ]
    page = rows[offset : offset + limit]
    return {"members": [_user_view(row) for row in page], "next_cursor": _next_cursor(offset, len(page), len(rows))}


@env.read(intents=["what's {user}'s title and time zone"])
def users_info(ctx: ToolContext, username: str, user: str) -> UserView:
    """One member's profile: real and display name, title, time zone, admin and deactivated flags, and the
    profile's Posting field (their handle on the Posting social network, when they filled it in).

    Args:
        username: Your Slack username (the account making the request).
        user: The member's user id (U…) or username.
    """
    _actor(ctx, username)
    return _user_view(_user(ctx, user))


# --------------------------------------------------------------------------------------------------
# Writing: messages, threads, edits
# --------------------------------------------------------------------------------------------------


@env.write(intents=["post {text} in {channel}", "reply in the thread {thread_ts} in {channel}: {text}"])
def conversations_add_message(
    ctx: ToolContext, username: str, channel: str, text: str, thread_ts: str | None = None
) -> PostedMessage:
    """Post a message to a channel or direct message, or reply in a thread when thread_ts is given.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name, or a direct message's id (from conversations_open).
        text: The message text (Slack mrkdwn; mention people as <@U…>).
        thread_ts: The parent message's ts to reply in its thread; omit to post in the channel.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _membership(ctx, found, actor, "post")
    _open(found, "post in it")
    body = _text(text)
    parent = None
    if thread_ts is not None:
        parent = _message(ctx, found, thread_ts)
        if parent["thread_ts"] is not None:
            raise DomainError("thread_ts must be the ts of the thread's parent message, not of a reply.")
    if found["is_im"]:
        members = ctx.rows(ChannelMember).find({"channel_id": found["channel_id"]})
        people = [ctx.rows(SlackUser).get(row["user_id"]) for row in members]
        if any(person is not None and person["deleted"] for person in people):
            raise DomainError("user_disabled: that member's account is deactivated, so it cannot be messaged.")
    ts = _new_ts(ctx)
    ctx.rows(Message).add(
        channel_id=found["channel_id"],
        ts=ts,
        user_id=actor["user_id"],
        text=body,
        thread_ts=parent["ts"] if parent else None,
        reply_count=0,
        edited_ts=None,
        subtype=None,
    )
    if parent is not None:
        ctx.rows(Message).update((found["channel_id"], parent["ts"]), reply_count=parent["reply_count"] + 1)
    return {"channel_id": found["channel_id"], "ts": ts, "thread_ts": parent["ts"] if parent else None, "text": body}


def _own_or_admin(message: dict[str, Any], actor: dict[str, Any], doing: str) -> None:
    if message["user_id"] != actor["user_id"] and not actor["is_admin"]:
        raise DomainError(f"cant_{doing}_message: you can only {doing} your own messages.")


@env.write(intents=["change my message {ts} in {channel} to {text}"])
def chat_update(ctx: ToolContext, username: str, channel: str, ts: str, text: str) -> PostedMessage:
    """Edit a message's text. Only your own messages, unless you are a workspace admin.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name of the message.
        ts: The message's ts.
        text: The new text.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _readable(ctx, found, actor)
    _open(found, "edit its messages")
    message = _message(ctx, found, ts)
    _own_or_admin(message, actor, "update")
    if message["subtype"] == "tombstone":
        raise DomainError("cant_update_message: that message was deleted.")
    body = _text(text)
    if body == message["text"]:
        raise DomainError("edit_unchanged: the message already says exactly that.")
    ctx.rows(Message).update((found["channel_id"], message["ts"]), text=body, edited_ts=_new_ts(ctx))
    return {"channel_id": found["channel_id"], "ts": message["ts"], "thread_ts": message["thread_ts"], "text": body}


@env.write(intents=["delete my message {ts} in {channel}"])
def chat_delete(ctx: ToolContext, username: str, channel: str, ts: str) -> Confirmation:
    """Delete a message. Only your own, unless you are a workspace admin; a thread parent with replies is
    replaced by 'This message was deleted.' so the thread stays readable.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name of the message.
        ts: The message's ts.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _readable(ctx, found, actor)
    _open(found, "delete its messages")
    message = _message(ctx, found, ts)
    _own_or_admin(message, actor, "delete")
    if message["subtype"] == "tombstone":
        raise DomainError("message_not_found: that message was already deleted.")
    key = (found["channel_id"], message["ts"])
    for reaction in ctx.rows(Reaction).find({"channel_id": key[0], "ts": key[1]}):
        ctx.rows(Reaction).delete(key[0], key[1], reaction["name"], reaction["user_id"])
    if ctx.rows(Pin).get(*key):
        ctx.rows(Pin).delete(*key)
    if message["reply_count"] > 0:
        ctx.rows(Message).update(key, text=TOMBSTONE, subtype="tombstone")
    else:
        ctx.rows(Message).delete(*key)
        if message["thread_ts"] is not None:
            parent = ctx.rows(Message).get(key[0], message["thread_ts"])
            if parent is not None:
                ctx.rows(Message).update((key[0], parent["ts"]), reply_count=max(parent["reply_count"] - 1, 0))
    return {"ok": True, "channel_id": found["channel_id"], "detail": f"Deleted the message {message['ts']}."}


# --------------------------------------------------------------------------------------------------
# Writing: reactions and pins
# --------------------------------------------------------------------------------------------------


def _emoji(name: str) -> str:
    cleaned = name.strip().strip(":").lower()
    if not EMOJI_NAME.fullmatch(cleaned):
        raise DomainError(f"invalid_name: {name!r} is not an emoji name such as 'thumbsup' or 'tada'.")
    return cleaned


@env.write(intents=["react with {name} to the message {ts} in {channel}"])
def reactions_add(ctx: ToolContext, username: str, channel: str, ts: str, name: str) -> Confirmation:
    """Add an emoji reaction to a message.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name of the message.
        ts: The message's ts.
        name: Emoji name without colons, such as 'thumbsup', 'eyes' or 'white_check_mark'.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _membership(ctx, found, actor, "react")
    _open(found, "react in it")
    message = _message(ctx, found, ts)
    emoji = _emoji(name)
    if ctx.rows(Reaction).get(found["channel_id"], message["ts"], emoji, actor["user_id"]):
        raise DomainError(f"already_reacted: you already reacted with :{emoji}: to that message.")
    ctx.rows(Reaction).add(channel_id=found["channel_id"], ts=message["ts"], name=emoji, user_id=actor["user_id"])
    return {"ok": True, "channel_id": found["channel_id"], "detail": f"Added :{emoji}: to {message['ts']}."}


@env.write(intents=["take my {name} reaction off the message {ts} in {channel}"])
def reactions_remove(ctx: ToolContext, username: str, channel: str, ts: str, name: str) -> Confirmation:
    """Remove your own emoji reaction from a message.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name of the message.
        ts: The message's ts.
        name: Emoji name without colons.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _readable(ctx, found, actor)
    message = _message(ctx, found, ts)
    emoji = _emoji(name)
    if not ctx.rows(Reaction).get(found["channel_id"], message["ts"], emoji, actor["user_id"]):
        raise DomainError(f"no_reaction: you have not reacted with :{emoji}: to that message.")
    ctx.rows(Reaction).delete(found["channel_id"], message["ts"], emoji, actor["user_id"])
    return {"ok": True, "channel_id": found["channel_id"], "detail": f"Removed :{emoji}: from {message['ts']}."}


@env.write(intents=["pin the message {ts} in {channel}"])
def pins_add(ctx: ToolContext, username: str, channel: str, ts: str) -> Confirmation:
    """Pin a message to its channel (at most 100 pins a channel).

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name of the message.
        ts: The message's ts.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _membership(ctx, found, actor, "pin messages")
    _open(found, "pin messages in it")
    message = _message(ctx, found, ts)
    if message["subtype"] == "tombstone":
        raise DomainError("message_not_found: that message was deleted.")
    if ctx.rows(Pin).get(found["channel_id"], message["ts"]):
        raise DomainError("already_pinned: that message is already pinned.")
    if ctx.rows(Pin).count({"channel_id": found["channel_id"]}) >= MAX_PINS:
        raise DomainError(f"too_many_pins: {_label(found)} already has {MAX_PINS} pins; unpin one first.")
    ctx.rows(Pin).add(
        channel_id=found["channel_id"], ts=message["ts"], pinned_by=actor["user_id"], pinned_at=_stamp(ctx)
    )
    return {"ok": True, "channel_id": found["channel_id"], "detail": f"Pinned {message['ts']}."}


@env.write(intents=["unpin the message {ts} in {channel}"])
def pins_remove(ctx: ToolContext, username: str, channel: str, ts: str) -> Confirmation:
    """Unpin a message.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name of the message.
        ts: The pinned message's ts.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _membership(ctx, found, actor, "unpin messages")
    _open(found, "unpin messages in it")
    message = _message(ctx, found, ts)
    if not ctx.rows(Pin).get(found["channel_id"], message["ts"]):
        raise DomainError("no_pin: that message is not pinned.")
    ctx.rows(Pin).delete(found["channel_id"], message["ts"])
    return {"ok": True, "channel_id": found["channel_id"], "detail": f"Unpinned {message['ts']}."}


# --------------------------------------------------------------------------------------------------
# Writing: channels and membership
# --------------------------------------------------------------------------------------------------


def _valid_name(ctx: ToolContext, name: str) -> str:
    cleaned = name.strip().lstrip("#")
    if not cleaned or len(cleaned) > MAX_NAME:
        raise DomainError(f"invalid_name_maxlength: channel names have 1 to {MAX_NAME} characters.")
    if cleaned != cleaned.lower() or " " in cleaned or not CHANNEL_NAME.fullmatch(cleaned):
        raise DomainError(
            f"invalid_name_specials: {name!r} is not a valid channel name: use lowercase letters, digits, hyphens "
            "and underscores, no spaces."
        )
    if ctx.rows(Channel).first({"name": cleaned}) is not None:
        raise DomainError(f"name_taken: a channel named #{cleaned} already exists (archived channels keep theirs).")
    return cleaned


@env.write(intents=["create a channel called {name}", "make a private channel {name}"])
def conversations_create(ctx: ToolContext, username: str, name: str, is_private: bool = False) -> ChannelChange:
    """Create a channel; you become its creator and first member.

    Args:
        username: Your Slack username (the account making the request).
        name: The channel name: lowercase letters, digits, hyphens and underscores, no spaces, at most 80.
        is_private: Create a private channel (only invited members can see it).
    """
    actor = _actor(ctx, username)
    cleaned = _valid_name(ctx, name)
    channel_id = ("G" if is_private else "C") + ctx.new_id(8)
    row = ctx.rows(Channel).insert(
        channel_id=channel_id,
        name=cleaned,
        is_private=int(is_private),
        is_im=0,
        topic="",
        purpose="",
        creator=actor["user_id"],
        created=_stamp(ctx),
        is_archived=0,
        archived_by=None,
    )
    ctx.rows(ChannelMember).add(channel_id=channel_id, user_id=actor["user_id"])
    return {"ok": True, "channel": _channel_view(ctx, row, actor)}


def _update_channel(ctx: ToolContext, found: dict[str, Any], **values: Any) -> dict[str, Any]:
    """Set ``values`` on a channel already found, and return its row as it now is."""
    ctx.rows(Channel).update(found["channel_id"], **values)
    return ctx.rows(Channel).require(found["channel_id"], missing="channel_not_found")


@env.write(intents=["archive {channel}"])
def conversations_archive(ctx: ToolContext, username: str, channel: str) -> ChannelChange:
    """Archive a channel you are in: it stays readable and searchable but takes no new messages.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _named_channel(found, "archive")
    if found["name"] == GENERAL:
        raise DomainError("cant_archive_general: #general is the workspace-wide channel and cannot be archived.")
    if not actor["is_admin"]:
        _membership(ctx, found, actor, "archive it")
    if found["is_archived"]:
        raise DomainError(f"already_archived: #{found['name']} is already archived.")
    row = _update_channel(ctx, found, is_archived=1, archived_by=actor["user_id"])
    return {"ok": True, "channel": _channel_view(ctx, row, actor)}


@env.write(intents=["rename {channel} to {name}"])
def conversations_rename(ctx: ToolContext, username: str, channel: str, name: str) -> ChannelChange:
    """Rename a channel. Only its creator or a workspace admin can; #general keeps its name.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name.
        name: The new name: lowercase letters, digits, hyphens and underscores, no spaces, at most 80.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _named_channel(found, "rename")
    _readable(ctx, found, actor)
    if found["name"] == GENERAL:
        raise DomainError("cant_rename_general: #general cannot be renamed.")
    if found["creator"] != actor["user_id"] and not actor["is_admin"]:
        raise DomainError(
            f"not_authorized: only the channel's creator or a workspace admin can rename #{found['name']}."
        )
    _open(found, "rename it")
    cleaned = _valid_name(ctx, name)
    row = _update_channel(ctx, found, name=cleaned)
    return {"ok": True, "channel": _channel_view(ctx, row, actor)}


@env.write(intents=["join {channel}"])
def conversations_join(ctx: ToolContext, username: str, channel: str) -> ChannelChange:
    """Join a public channel (private channels need an invitation).

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _named_channel(found, "join")
    _readable(ctx, found, actor)
    _open(found, "join it")
    if _is_member(ctx, found, actor["user_id"]):
        raise DomainError(f"already_in_channel: {actor['username']} is already in #{found['name']}.")
    ctx.rows(ChannelMember).add(channel_id=found["channel_id"], user_id=actor["user_id"])
    return {"ok": True, "channel": _channel_view(ctx, found, actor)}


@env.write(intents=["leave {channel}"])
def conversations_leave(ctx: ToolContext, username: str, channel: str) -> Confirmation:
    """Leave a channel you are in. Nobody can leave #general.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _named_channel(found, "leave")
    if found["name"] == GENERAL:
        raise DomainError("cant_leave_general: everyone stays in #general.")
    _membership(ctx, found, actor, "leave")
    _open(found, "leave it")
    ctx.rows(ChannelMember).delete(found["channel_id"], actor["user_id"])
    return {"ok": True, "channel_id": found["channel_id"], "detail": f"{actor['username']} left #{found['name']}."}


@env.write(intents=["add {users} to {channel}", "invite {users} to {channel}"])
def conversations_invite(ctx: ToolContext, username: str, channel: str, users: list[str]) -> ChannelChange:
    """Invite members to a channel you are in (up to 30 at once).

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name.
        users: The members to add, by user id (U…) or username.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _named_channel(found, "invite people to")
    _membership(ctx, found, actor, "invite people")
    _open(found, "invite people to it")
    if not users or len(users) > MAX_INVITES:
        raise DomainError(f"no_user / too_many_users: invite between 1 and {MAX_INVITES} members at a time.")
    people = [_user(ctx, reference) for reference in users]
    ids = [p["user_id"] for p in people]
    if len(set(ids)) != len(ids):
        raise DomainError("invalid_users: the same member is listed twice.")
    for person in people:
        if person["deleted"]:
            raise DomainError(f"user_is_deactivated: {person['real_name']}'s account is deactivated.")
        if person["user_id"] == actor["user_id"]:
            raise DomainError("cant_invite_self: you are already in the channel.")
        if _is_member(ctx, found, person["user_id"]):
            raise DomainError(f"already_in_channel: {person['real_name']} is already in #{found['name']}.")
    for person in people:
        ctx.rows(ChannelMember).add(channel_id=found["channel_id"], user_id=person["user_id"])
    return {"ok": True, "channel": _channel_view(ctx, found, actor)}


@env.write(intents=["remove {user} from {channel}"])
def conversations_kick(ctx: ToolContext, username: str, channel: str, user: str) -> Confirmation:
    """Remove a member from a channel. Only the channel's creator or a workspace admin can; nobody is removed
    from #general.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name.
        user: The member to remove, by user id (U…) or username.
    """
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _named_channel(found, "remove people from")
    _readable(ctx, found, actor)
    if found["name"] == GENERAL:
        raise DomainError("cant_kick_from_general: nobody can be removed from #general.")
    if found["creator"] != actor["user_id"] and not actor["is_admin"]:
        raise DomainError(
            f"restricted_action: only the channel's creator or a workspace admin can remove people from "
            f"#{found['name']}."
        )
    _open(found, "remove people from it")
    person = _user(ctx, user)
    if person["user_id"] == actor["user_id"]:
        raise DomainError("cant_kick_self: use conversations_leave to leave a channel yourself.")
    if not _is_member(ctx, found, person["user_id"]):
        raise DomainError(f"not_in_channel: {person['real_name']} is not in #{found['name']}.")
    ctx.rows(ChannelMember).delete(found["channel_id"], person["user_id"])
    return {
        "ok": True,
        "channel_id": found["channel_id"],
        "detail": f"Removed {person['real_name']} from #{found['name']}.",
    }


def _set_text(ctx: ToolContext, username: str, channel: str, field: str, value: str, limit: int) -> ChannelChange:
    actor = _actor(ctx, username)
    found = _channel(ctx, channel)
    _named_channel(found, f"set the {field} of")
    _membership(ctx, found, actor, f"set its {field}")
    _open(found, f"change its {field}")
    cleaned = value.strip()
    if len(cleaned) > limit:
        raise DomainError(f"too_long: a channel {field} has at most {limit} characters.")
    if cleaned == found[field]:
        raise DomainError(f"The {field} of #{found['name']} already says that.")
    row = _update_channel(ctx, found, **{field: cleaned})
    return {"ok": True, "channel": _channel_view(ctx, row, actor)}


@env.write(intents=["set the topic of {channel} to {topic}"])
def conversations_set_topic(ctx: ToolContext, username: str, channel: str, topic: str) -> ChannelChange:
    """Set a channel's topic (shown in its header), at most 250 characters; an empty topic clears it.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name.
        topic: The new topic.
    """
    return _set_text(ctx, username, channel, "topic", topic, MAX_TOPIC)


@env.write(intents=["set the purpose of {channel} to {purpose}"])
def conversations_set_purpose(ctx: ToolContext, username: str, channel: str, purpose: str) -> ChannelChange:
    """Set a channel's purpose (its description), at most 250 characters.

    Args:
        username: Your Slack username (the account making the request).
        channel: Channel id or name.
        purpose: The new purpose.
    """
    return _set_text(ctx, username, channel, "purpose", purpose, MAX_PURPOSE)


@env.write(intents=["open a direct message with {users}"])
def conversations_open(ctx: ToolContext, username: str, users: str) -> ChannelView:
    """Open (or find) the direct message between you and another member; returns its channel_id for posting.

    Args:
        username: Your Slack username (the account making the request).
        users: The other member's user id (U…) or username.
    """
    actor = _actor(ctx, username)
    person = _user(ctx, users)
    if person["user_id"] == actor["user_id"]:
        raise DomainError("cannot_dm_self: choose another member to message.")
    if person["deleted"]:
        raise DomainError(f"user_disabled: {person['real_name']}'s account is deactivated.")
    existing = ctx.query(
        "SELECT c.* FROM channels c WHERE c.is_im = 1 AND EXISTS (SELECT 1 FROM channel_members a WHERE "
        "a.channel_id = c.channel_id AND a.user_id = ?) AND EXISTS (SELECT 1 FROM channel_members b WHERE "
        "b.channel_id = c.channel_id AND b.user_id = ?)",
        [actor["user_id"], person["user_id"]],
    )
    if existing:
        return _channel_view(ctx, existing[0], actor)
    channel_id = "D" + ctx.new_id(8)
    row = ctx.rows(Channel).insert(
        channel_id=channel_id,
        name=None,
        is_private=1,
        is_im=1,
        topic="",
        purpose="",
        creator=actor["user_id"],
        created=_stamp(ctx),
        is_archived=0,
        archived_by=None,
    )
    ctx.rows(ChannelMember).add(channel_id=channel_id, user_id=actor["user_id"])
    ctx.rows(ChannelMember).add(channel_id=channel_id, user_id=person["user_id"])
    return _channel_view(ctx, row, actor)
