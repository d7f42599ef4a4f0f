"""State: the workspace's directory, its sent-message log, and the app's session (SQLAlchemy models)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

WORKSPACE_KEY = 1
EXTENSION_KEY = "envfactory"
BFCL_DEFAULT_RANDOM_SEED = 200191
MESSAGE_ID_RANGE = (10000, 99999)  # BFCL draws five-digit message ids
MAX_MESSAGE_LENGTH = 2000
USER_ID_PREFIX = "USR"

# BFCL's default workspace, used for every initial_config key a config leaves out.
BFCL_DEFAULT_USERS: tuple[tuple[str, str], ...] = (
    ("Alice", "USR001"),
    ("Bob", "USR002"),
    ("Catherine", "USR003"),
    ("Daniel", "USR004"),
)
BFCL_DEFAULT_INBOX: tuple[tuple[str, str], ...] = (
    ("USR002", "My name is Alice. I want to connect."),
    ("USR003", "Could you upload the file?"),
    ("USR004", "Could you upload the file?"),
)
BFCL_DEFAULT_STATE: dict[str, Any] = {
    "generated_ids": [],
    "user_count": 4,
    "user_map": dict(BFCL_DEFAULT_USERS),
    "inbox": [{receiver: text} for receiver, text in BFCL_DEFAULT_INBOX],
    "message_count": 3,
    "current_user": None,
}


class Base(DeclarativeBase):
    pass


class Workspace(Base):
    """The workspace and the app's session on this device: one row."""

    __tablename__ = "workspace"
    workspace_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(80))
    owner_id: Mapped[str | None] = mapped_column(String(12))  # whose device this is (not in BFCL's state)
    user_count: Mapped[int] = mapped_column(Integer)  # the last USRnnn number handed out
    message_count: Mapped[int] = mapped_column(Integer)  # messages ever sent (deleting one keeps the count)
    current_user: Mapped[str | None] = mapped_column(String(12))  # the logged-in user id
    random_seed: Mapped[int] = mapped_column(Integer)
    random_words_used: Mapped[int] = mapped_column(Integer, default=0, info={"generated": True})
    generated_ids: Mapped[list[int]] = mapped_column(JSON, default=list, info={"generated": True})


class User(Base):
    """A member of the workspace directory, in the order the directory lists them."""

    __tablename__ = "users"
    __label__ = "{name}"
    user_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str | None] = mapped_column(String(80))
    team: Mapped[str | None] = mapped_column(String(60))


class Message(Base):
    """One entry of the sent-message log, in sending order (``position``)."""

    __tablename__ = "messages"
    position: Mapped[int] = mapped_column(Integer, primary_key=True, info={"generated": True})
    receiver_id: Mapped[str] = mapped_column(String(12), index=True)
    message: Mapped[str] = mapped_column(Text)
    # BFCL's logs may hold a non-text entry (a list of lines); it is kept as given, and ``message`` is its text.
    raw: Mapped[Any] = mapped_column(JSON, nullable=True)
    message_id: Mapped[int | None] = mapped_column(Integer, info={"generated": True})
    sender_id: Mapped[str | None] = mapped_column(String(12))
    sent_at: Mapped[str | None] = mapped_column(String(20), info={"generated": True})
