"""BFCL interchange: reads and writes BFCL TwitterAPI's ``initial_config``.

BFCL's keys are ``username``, ``password``, ``authenticated``, ``tweets`` (post number -> post object, the
numbers written as text in JSON), ``comments`` (post number -> its replies), ``retweets`` (username -> the
post numbers they reposted), ``following_list`` and ``tweet_counter``; a key left out takes BFCL's default.

BFCL's loader turns the post numbers of ``tweets`` into integers but keeps those of ``comments`` as given,
while its tools key the threads they start by integer. A dump writes every key as text, as a JSON config
has them, and lists the threads BFCL would key by number in ``envfactory.numeric_comment_threads``. What
BFCL does not keep (the platform's accounts and name, when posts were made) travels in
``initial_config["envfactory"]``, a key BFCL's loader ignores.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from envfactory_gym.rows import Rows, bulk_insert, connection_of, fetch_rows

from ...bfcl.config import config_and_extension
from .models import (
    BFCL_DEFAULT_STATE,
    EXTENSION_KEY,
    PLATFORM_KEY,
    TWEET_FIELDS,
    Account,
    Comment,
    Follow,
    Platform,
    Retweet,
    Tweet,
)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _post_number(key: Any, what: str) -> int:
    if _is_integer(key):
        return key
    if isinstance(key, str) and key.strip().lstrip("-").isdigit():
        return int(key)
    raise TypeError(f"{what} must be keyed by post number, got {key!r:.40}")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def tweet_row(number: int, record: Any) -> dict[str, Any]:
    """A BFCL post object as a row of ``tweets`` (without its position)."""
    if not isinstance(record, dict):
        raise TypeError(f"Post {number} must be an object, got {record!r:.60}")
    if record.get("id", number) != number:
        raise ValueError(f"Post {number} carries another id ({record['id']!r:.20})")
    if not isinstance(record.get("username"), str) or not isinstance(record.get("content"), str):
        raise TypeError(f"Post {number} needs a text username and content")
    if not _strings(record.get("tags")):
        raise TypeError(f"Post {number}'s tags must be a list of text")
    mentions = record.get("mentions")
    if mentions is not None and not _strings(mentions):
        raise TypeError(f"Post {number}'s mentions must be a list of text")
    extra = {key: value for key, value in record.items() if key not in TWEET_FIELDS}
    return {
        "id": number,
        "username": record["username"],
        "content": record["content"],
        "tags": list(record["tags"]),
        "mentions": None if mentions is None else list(mentions),
        "extra": extra or None,
    }


def tweet_record(row: dict[str, Any]) -> dict[str, Any]:
    """A row of ``tweets`` as BFCL's post object."""
    record: dict[str, Any] = {
        "id": row["id"],
        "username": row["username"],
        "content": row["content"],
        "tags": row["tags"],
    }
    if row["mentions"] is not None:
        record["mentions"] = row["mentions"]
    record.update(row["extra"] or {})
    return record


def comment_record(row: dict[str, Any]) -> dict[str, Any]:
    """A row of ``comments`` as BFCL's reply object."""
    if row["record"] is not None:
        return dict(row["record"])
    return {"username": row["username"], "content": row["content"]}


def _comment_row(number: int, record: Any, numeric: bool) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise TypeError(f"A reply to post {number} must be an object, got {record!r:.60}")
    username = record.get("username", record.get("user"))
    content = record.get("content", record.get("comment"))
    standard = set(record) == {"username", "content"} and isinstance(username, str) and isinstance(content, str)
    return {
        "tweet_id": number,
        "username": username if isinstance(username, str) else None,
        "content": content if isinstance(content, str) else None,
        "record": None if standard else record,
        "numeric_thread": numeric,
    }


class BfclPostingInterchange:
    """Loads and dumps BFCL TwitterAPI ``initial_config`` dicts (plus the ``envfactory`` key)."""

    def load(self, conn: sqlite3.Connection, data: dict[str, Any]) -> None:
        config, extension = config_and_extension(data, BFCL_DEFAULT_STATE, EXTENSION_KEY)
        for key in ("username", "password"):
            if not isinstance(config[key], str):
                raise TypeError(f"{key} must be text, got {config[key]!r:.40}")
        if not isinstance(config["authenticated"], bool):
            raise TypeError("authenticated must be true or false")
        if not _is_integer(config["tweet_counter"]):
            raise TypeError(f"tweet_counter must be an integer, got {config['tweet_counter']!r:.40}")
        tweets, comments, retweets = config["tweets"], config["comments"], config["retweets"]
        if not isinstance(tweets, dict) or not isinstance(comments, dict) or not isinstance(retweets, dict):
            raise TypeError("tweets, comments and retweets must be objects keyed by post number or username")
        if not _strings(config["following_list"]):
            raise TypeError("following_list must be a list of usernames")
        posted_at = extension.get("posted_at") or []
        accounts = extension.get("accounts") or []
        numeric_threads = extension.get("numeric_comment_threads") or []
        if not isinstance(posted_at, list) or not isinstance(accounts, list) or not isinstance(numeric_threads, list):
            raise TypeError("envfactory.posted_at, accounts and numeric_comment_threads must be lists")
        bulk_insert(
            conn,
            Platform,
            [
                {
                    "platform_key": PLATFORM_KEY,
                    "name": extension.get("platform_name"),
                    "username": config["username"],
                    "password": config["password"],
                    "authenticated": config["authenticated"],
                    "tweet_counter": config["tweet_counter"],
                }
            ],
        )
        bulk_insert(
            conn, Account, [dict(zip(("username", "display_name", "location"), a, strict=True)) for a in accounts]
        )
        tweet_rows = []
        seen: set[int] = set()
        for position, (key, record) in enumerate(tweets.items(), start=1):
            number = _post_number(key, "tweets")
            if number in seen:
                raise ValueError(f"Post {number} is given twice")
            seen.add(number)
            stamp = posted_at[position - 1] if position <= len(posted_at) else None
            tweet_rows.append({"position": position, **tweet_row(number, record), "posted_at": stamp})
        bulk_insert(conn, Tweet, tweet_rows)
        comment_rows = []
        threads: set[int] = set()
        for key, replies in comments.items():
            number = _post_number(key, "comments")
            if number in threads:
                raise ValueError(f"The replies to post {number} are given twice")
            threads.add(number)
            if not isinstance(replies, list):
                raise TypeError(f"The replies to post {number} must be a list")
            numeric = not isinstance(key, str) or number in numeric_threads
            comment_rows.extend(_comment_row(number, reply, numeric) for reply in replies)
        bulk_insert(conn, Comment, [{"position": n, **row} for n, row in enumerate(comment_rows, start=1)])
        retweet_rows = []
        for username, numbers in retweets.items():
            if not isinstance(numbers, list) or not all(_is_integer(n) for n in numbers):
                raise TypeError(f"The reposts of {username!r:.40} must be a list of post numbers")
            retweet_rows.extend({"username": username, "tweet_id": n} for n in numbers)
        bulk_insert(conn, Retweet, [{"position": n, **row} for n, row in enumerate(retweet_rows, start=1)])
        bulk_insert(
            conn,
            Follow,
            [{"position": n, "username": name} for n, name in enumerate(config["following_list"], start=1)],
        )

    def dump(self, source: Any) -> dict[str, Any]:
        """The state as an ``initial_config`` (``source``: the state's connection, session or database)."""
        conn = connection_of(source)
        platform = Rows(conn, Platform).get(PLATFORM_KEY)
        if platform is None:
            raise ValueError("The posting state has no platform row")
        tweets = sorted(fetch_rows(conn, Tweet), key=lambda t: t["position"])
        comments: dict[str, list[dict[str, Any]]] = {}
        numeric: set[int] = set()
        for row in sorted(fetch_rows(conn, Comment), key=lambda c: c["position"]):
            comments.setdefault(str(row["tweet_id"]), []).append(comment_record(row))
            if row["numeric_thread"]:
                numeric.add(row["tweet_id"])
        retweets: dict[str, list[int]] = {}
        for row in sorted(fetch_rows(conn, Retweet), key=lambda r: r["position"]):
            retweets.setdefault(row["username"], []).append(row["tweet_id"])
        following = [row["username"] for row in sorted(fetch_rows(conn, Follow), key=lambda f: f["position"])]
        config: dict[str, Any] = {
            "username": platform["username"],
            "password": platform["password"],
            "authenticated": bool(platform["authenticated"]),
            "tweets": {str(t["id"]): tweet_record(t) for t in tweets},
            "comments": comments,
            "retweets": retweets,
            "following_list": following,
            "tweet_counter": platform["tweet_counter"],
        }
        extension: dict[str, Any] = {}
        if platform["name"] is not None:
            extension["platform_name"] = platform["name"]
        accounts = sorted(fetch_rows(conn, Account), key=lambda a: a["username"])
        if accounts:
            extension["accounts"] = [[a["username"], a["display_name"], a["location"]] for a in accounts]
        if any(t["posted_at"] is not None for t in tweets):
            extension["posted_at"] = [t["posted_at"] for t in tweets]
        if numeric:
            extension["numeric_comment_threads"] = sorted(numeric)
        if extension:
            config[EXTENSION_KEY] = extension
        return config
