"""State: the signed-in account and its session, the platform's accounts, posts, replies, reposts and follows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

PLATFORM_KEY = 1
EXTENSION_KEY = "envfactory"
MAX_POST_LENGTH = 280  # characters, as on X
TWEET_FIELDS = ("id", "username", "content", "tags", "mentions")
# BFCL's default state, used for every initial_config key a config leaves out.
BFCL_DEFAULT_STATE: dict[str, Any] = {
    "username": "john",
    "password": "john123",
    "authenticated": False,
    "tweets": {},
    "comments": {},
    "retweets": {},
    "following_list": ["alice", "bob"],
    "tweet_counter": 0,
}


class Base(DeclarativeBase):
    pass


class Platform(Base):
    """The account this device uses and its session: one row (BFCL keeps one account's credentials)."""

    __tablename__ = "platform"
    platform_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(60))
    username: Mapped[str] = mapped_column(String(60))
    password: Mapped[str] = mapped_column(String(80))
    authenticated: Mapped[bool] = mapped_column(Boolean)
    tweet_counter: Mapped[int] = mapped_column(Integer)  # the id the next post gets


class Account(Base):
    """A member of the platform (BFCL's states have none: there any handle can be followed)."""

    __tablename__ = "accounts"
    __label__ = "{display_name} (@{username})"
    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    location: Mapped[str | None] = mapped_column(String(80))


class Tweet(Base):
    """One post, in the order the platform holds them (``position``); ``id`` is the post's number."""

    __tablename__ = "tweets"
    __label__ = '@{username}\'s post "{content}"'
    position: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    # A post's number is in its link (x.com/<user>/status/<number>), so people can quote it.
    id: Mapped[int] = mapped_column(Integer, unique=True, info={"generated": True, "user_known": True})
    username: Mapped[str] = mapped_column(String(60), index=True)
    content: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON)
    mentions: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)  # null: the post has no mention list
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # fields outside TWEET_FIELDS
    posted_at: Mapped[str | None] = mapped_column(String(20), info={"generated": True})


class Comment(Base):
    """One reply, in posting order; the replies to a post form its thread."""

    __tablename__ = "comments"
    position: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    tweet_id: Mapped[int] = mapped_column(Integer, index=True)
    username: Mapped[str | None] = mapped_column(String(60), index=True)
    content: Mapped[str | None] = mapped_column(Text)
    # A reply object of another shape (BFCL's data has {"user", "comment"} ones) is kept as given.
    record: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # BFCL keys a thread its tools start by number and one loaded from JSON by text (see bfcl.py).
    numeric_thread: Mapped[bool] = mapped_column(Boolean, default=True)


class Retweet(Base):
    """A repost of a post by an account, in reposting order."""

    __tablename__ = "retweets"
    position: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    username: Mapped[str] = mapped_column(String(60), index=True)
    tweet_id: Mapped[int] = mapped_column(Integer)


class Follow(Base):
    """An account the signed-in account follows, in the order they were followed."""

    __tablename__ = "following"
    position: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    username: Mapped[str] = mapped_column(String(60), index=True)
