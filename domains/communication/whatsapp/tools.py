"""The tools an agent calls: the WhatsApp client API (messages, chats, groups, contacts and profile)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, NotRequired

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    ABOUT_MAX,
    CAPTION_MAX,
    DELETE_FOR_EVERYONE_HOURS,
    DOCUMENT_MAX_BYTES,
    E164,
    GROUP_DESCRIPTION_MAX,
    GROUP_MAX_PARTICIPANTS,
    GROUP_SUBJECT_MAX,
    GROUP_SUFFIX,
    IMAGE_MAX_BYTES,
    IMAGE_TYPES,
    MAX_PAGE,
    MAX_PINNED,
    PUSH_NAME_MAX,
    TEXT_MAX,
    USER_SUFFIX,
    Account,
    Chat,
    ChatKind,
    Contact,
    DeviceFile,
    Group,
    GroupParticipant,
    Message,
    MessageType,
    MuteDuration,
    Profile,
    WebPage,
)

ALWAYS = "9999-12-31T00:00:00"
MAX_CHECK = 20


class ChatView(TypedDict):
    chat_jid: str
    name: str
    is_group: bool
    archived: bool
    pinned: bool
    muted: bool
    unread_count: int
    last_message_at: str | None
    last_message: str


class ChatPage(TypedDict):
    total: int
    chats: list[ChatView]


class MessageView(TypedDict):
    message_id: str
    chat_jid: str
    from_me: bool
    sender_phone: str
    sender_name: str
    timestamp: str
    type: str
    text: NotRequired[str]
    status: str
    file_name: NotRequired[str]
    file_size: NotRequired[int]
    url: NotRequired[str]
    link_title: NotRequired[str]
    latitude: NotRequired[float]
    longitude: NotRequired[float]
    location_name: NotRequired[str]
    location_address: NotRequired[str]
    contact_name: NotRequired[str]
    contact_phone: NotRequired[str]
    forwarded: NotRequired[bool]


class MessagePage(TypedDict):
    chat_jid: str
    name: str
    total: int
    messages: list[MessageView]


class PhoneCheck(TypedDict):
    phone: str
    valid: bool
    on_whatsapp: bool
    jid: str | None
    saved_as: str | None


class ParticipantView(TypedDict):
    phone: str
    name: str
    role: str


class GroupInfo(TypedDict):
    chat_jid: str
    subject: str
    description: str
    owner_phone: str
    created_at: str
    info_admins_only: bool
    add_admins_only: bool
    my_role: str | None
    participant_count: int
    participants: list[ParticipantView]


class ParticipantChange(TypedDict):
    chat_jid: str
    changed: list[str]
    participant_count: int


class ProfileView(TypedDict):
    phone: str
    jid: str
    push_name: str
    about: str
    avatar_file: str | None


class ContactView(TypedDict):
    name: str
    phone: str
    on_whatsapp: bool
    about: str | None


class ContactPage(TypedDict):
    total: int
    contacts: list[ContactView]


class PlaceView(TypedDict):
    name: str
    address: str
    category: str
    latitude: float
    longitude: float


class FileView(TypedDict):
    file_name: str
    mime_type: str
    file_size: int
    folder: str
    modified_at: str


class ReadResult(TypedDict):
    chat_jid: str
    marked_read: int
    unread_count: int


class DeleteResult(TypedDict):
    message_id: str
    deleted_for: str


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")


def _owner(ctx: ToolContext) -> dict[str, Any]:
    return ctx.query("SELECT * FROM profile LIMIT 1")[0]


def _valid_phone(phone: str) -> str:
    if not isinstance(phone, str) or E164.fullmatch(phone) is None:
        raise DomainError(
            f"{phone!r} is not a valid phone number: use E.164, a + and the country code with no spaces, "
            "such as +14155550123."
        )
    return phone


def _registered(ctx: ToolContext, phone: str) -> str:
    _valid_phone(phone)
    if ctx.rows(Account).get(phone) is None and phone != _owner(ctx)["phone"]:
        raise DomainError(f"{phone} is not on WhatsApp.")
    return phone


def _name_of(ctx: ToolContext, phone: str) -> str:
    contact = ctx.rows(Contact).get(phone)
    if contact is not None:
        return str(contact["name"])
    if phone == _owner(ctx)["phone"]:
        return "You"
    return phone


def _chat(ctx: ToolContext, chat_jid: str) -> dict[str, Any]:
    return ctx.rows(Chat).require(chat_jid, missing=f"There is no chat {chat_jid!r}; list chats to find its jid.")


def _group(ctx: ToolContext, chat_jid: str) -> tuple[dict[str, Any], dict[str, Any]]:
    chat = _chat(ctx, chat_jid)
    if not chat["is_group"]:
        raise DomainError(f"{chat['name']} is a one-to-one chat, not a group.")
    return chat, ctx.rows(Group).require(chat_jid, missing="That group no longer exists.")


def _my_role(ctx: ToolContext, chat_jid: str) -> str | None:
    row = ctx.rows(GroupParticipant).get(chat_jid, _owner(ctx)["phone"])
    return None if row is None else str(row["role"])


def _member_group(ctx: ToolContext, chat_jid: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    chat, group = _group(ctx, chat_jid)
    role = _my_role(ctx, chat_jid)
    if role is None:
        raise DomainError(f"You are no longer a participant of {chat['name']}.")
    return chat, group, role


def _target(ctx: ToolContext, recipient: str) -> dict[str, Any]:
    """The chat a message to ``recipient`` (an E.164 number or a chat jid) goes to, opened if new."""
    if not isinstance(recipient, str) or not recipient.strip():
        raise DomainError("Give the recipient as a phone number in E.164 format or a chat jid.")
    recipient = recipient.strip()
    if recipient.endswith(GROUP_SUFFIX):
        chat, _, _ = _member_group(ctx, recipient)
        return chat
    phone = "+" + recipient[: -len(USER_SUFFIX)] if recipient.endswith(USER_SUFFIX) else recipient
    _registered(ctx, phone)
    jid = phone.lstrip("+") + USER_SUFFIX
    chat = ctx.rows(Chat).get(jid)
    if chat is None:
        chat = ctx.rows(Chat).insert(
            chat_jid=jid,
            is_group=0,
            name=_name_of(ctx, phone),
            archived=0,
            pinned=0,
            muted_until=None,
            unread_count=0,
            last_message_at=None,
            created_at=_stamp(ctx.now),
        )
    return chat


def _text(value: str, limit: int, what: str) -> str:
    if not isinstance(value, str):
        raise DomainError(f"The {what} must be text.")
    if len(value) > limit:
        raise DomainError(f"The {what} is {len(value)} characters; WhatsApp allows at most {limit}.")
    return value


def _send(ctx: ToolContext, recipient: str, kind: str, **fields: Any) -> MessageView:
    chat = _target(ctx, recipient)
    now = _stamp(ctx.now)
    row = {
        "message_id": "3EB0" + ctx.new_id(16, "0123456789ABCDEF"),
        "chat_jid": chat["chat_jid"],
        "sender_phone": _owner(ctx)["phone"],
        "from_me": 1,
        "timestamp": now,
        "type": kind,
        "status": "sent",
        "forwarded": 0,
        **fields,
    }
    ctx.rows(Message).add(**row)
    ctx.rows(Chat).update(chat["chat_jid"], last_message_at=now)
    return _message_view(ctx, ctx.rows(Message).require(row["message_id"], missing="lost"))


def _send_attachment(ctx: ToolContext, recipient: str, kind: str, file_name: str, caption: str) -> MessageView:
    """A photo (JPEG, PNG or WebP up to 16 MB) or a document (up to 100 MB) from the phone's files."""
    file = _device_file(ctx, file_name)
    _text(caption, CAPTION_MAX, "caption")
    if kind == "image" and file["mime_type"] not in IMAGE_TYPES:
        raise DomainError(f"{file_name} is not a photo ({file['mime_type']}); send it as a file.")
    if kind == "image" and file["file_size"] > IMAGE_MAX_BYTES:
        raise DomainError(f"{file_name} is {_mb(file['file_size'])}; photos are limited to 16 MB. Send it as a file.")
    if file["file_size"] > DOCUMENT_MAX_BYTES:
        raise DomainError(f"{file_name} is {_mb(file['file_size'])}; documents are limited to 100 MB.")
    fields = {k: file[k] for k in ("file_name", "file_size", "mime_type")}
    return _send(ctx, recipient, kind, body=caption.strip() or None, **fields)


def _message_view(ctx: ToolContext, row: dict[str, Any]) -> MessageView:
    view: dict[str, Any] = {
        "message_id": row["message_id"],
        "chat_jid": row["chat_jid"],
        "from_me": bool(row["from_me"]),
        "sender_phone": row["sender_phone"],
        "sender_name": _name_of(ctx, row["sender_phone"]),
        "timestamp": row["timestamp"],
        "type": row["type"],
        "status": row["status"],
    }
    if row["deleted"] == "everyone":
        view.update(type="revoked", text="This message was deleted")
        return view  # type: ignore[return-value]
    if row["body"]:
        view["text"] = row["body"]
    for name in (
        "file_name",
        "file_size",
        "url",
        "link_title",
        "latitude",
        "longitude",
        "location_name",
        "location_address",
        "contact_name",
        "contact_phone",
    ):
        if row[name] is not None:
            view[name] = row[name]
    if row["forwarded"]:
        view["forwarded"] = True
    return view  # type: ignore[return-value]


def _preview(row: dict[str, Any] | None) -> str:
    if row is None:
        return ""
    if row["deleted"] == "everyone":
        return "This message was deleted"
    labels = {"image": "Photo", "document": "Document", "location": "Location", "contact": "Contact card"}
    text = row["body"] or row["file_name"] or row["location_name"] or row["contact_name"] or ""
    label = labels.get(row["type"])
    return (f"{label}: {text}" if text else label) if label else str(text)[:80]


def _chat_view(ctx: ToolContext, chat: dict[str, Any]) -> ChatView:
    last = ctx.query(
        "SELECT * FROM messages WHERE chat_jid = ? AND (deleted IS NULL OR deleted = 'everyone') "
        "ORDER BY timestamp DESC, message_id DESC LIMIT 1",
        [chat["chat_jid"]],
    )
    muted = chat["muted_until"] is not None and chat["muted_until"] > _stamp(ctx.now)
    return {
        "chat_jid": chat["chat_jid"],
        "name": chat["name"],
        "is_group": bool(chat["is_group"]),
        "archived": bool(chat["archived"]),
        "pinned": bool(chat["pinned"]),
        "muted": muted,
        "unread_count": int(chat["unread_count"]),
        "last_message_at": chat["last_message_at"],
        "last_message": _preview(last[0] if last else None),
    }


def _switched(ctx: ToolContext, chat_jid: str, flag: str, wanted: bool) -> dict[str, Any]:
    """The chat whose ``flag`` (archived, pinned) is to be switched to ``wanted``; refused if it already is."""
    chat = _chat(ctx, chat_jid)
    if bool(chat[flag]) == bool(wanted):
        raise DomainError(f"{chat['name']} is {'already' if wanted else 'not'} {flag}.")
    return chat


def _device_file(ctx: ToolContext, file_name: str) -> dict[str, Any]:
    return ctx.rows(DeviceFile).require(
        file_name, missing=f"There is no file named {file_name!r} on the phone; list the files to see their names."
    )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _phones(values: list[str], what: str) -> list[str]:
    if not isinstance(values, list) or not values:
        raise DomainError(f"Give at least one {what} phone number.")
    if len(set(values)) != len(values):
        raise DomainError("A phone number appears twice in the list.")
    return values


def _group_info(ctx: ToolContext, chat_jid: str) -> GroupInfo:
    chat, group = _group(ctx, chat_jid)
    members = ctx.query(
        "SELECT phone, role FROM group_participants WHERE chat_jid = ? ORDER BY CASE role WHEN 'superadmin' THEN 0 "
        "WHEN 'admin' THEN 1 ELSE 2 END, joined_at, phone",
        [chat_jid],
    )
    return {
        "chat_jid": chat_jid,
        "subject": chat["name"],
        "description": group["description"],
        "owner_phone": group["owner_phone"],
        "created_at": chat["created_at"],
        "info_admins_only": bool(group["info_admins_only"]),
        "add_admins_only": bool(group["add_admins_only"]),
        "my_role": _my_role(ctx, chat_jid),
        "participant_count": len(members),
        "participants": [{"phone": m["phone"], "name": _name_of(ctx, m["phone"]), "role": m["role"]} for m in members],
    }


def _can_edit_info(ctx: ToolContext, chat_jid: str) -> None:
    chat, group, role = _member_group(ctx, chat_jid)
    if group["info_admins_only"] and role == "member":
        raise DomainError(f"Only admins can edit the group info of {chat['name']}.")


def _recount_unread(ctx: ToolContext, chat_jid: str) -> int:
    unread = ctx.rows(Message).count({"chat_jid": chat_jid, "status": "unread", "from_me": 0})
    ctx.rows(Chat).update(chat_jid, unread_count=unread)
    return unread


# --------------------------------------------------------------------------------------------------
# Sending
# --------------------------------------------------------------------------------------------------


@env.write(intents=["text {recipient}: {text}", "send {recipient} a message saying {text}"])
def whatsapp_send_text_message(
    ctx: ToolContext, recipient: str, text: str, reply_to_message_id: str = ""
) -> MessageView:
    """Send a text message to a person (phone number in E.164, who must be on WhatsApp) or a group (its jid).

    Args:
        recipient: A phone number in E.164 format such as '+14155550123', or a chat jid ('...@g.us' for a group).
        text: The message, 1 to 4096 characters.
        reply_to_message_id: Optionally, the id of a message in the same chat this message quotes and replies to.
    """
    body = _text(text, TEXT_MAX, "message").strip()
    if not body:
        raise DomainError("The message is empty.")
    chat = _target(ctx, recipient)
    if reply_to_message_id:
        quoted = ctx.rows(Message).get(reply_to_message_id)
        if quoted is None or quoted["chat_jid"] != chat["chat_jid"] or quoted["deleted"]:
            raise DomainError(f"There is no message {reply_to_message_id!r} in that chat to reply to.")
    return _send(ctx, chat["chat_jid"], "text", body=body, reply_to=reply_to_message_id or None)


@env.write(intents=["send {recipient} the photo {file_name}"])
def whatsapp_send_image(ctx: ToolContext, recipient: str, file_name: str, caption: str = "") -> MessageView:
    """Send a photo from the phone's files, optionally with a caption. Images must be JPEG, PNG or WebP, up to 16 MB
    (send a larger one as a file instead).

    Args:
        recipient: A phone number in E.164 format, or a chat jid.
        file_name: The photo's file name on the phone, such as 'IMG_20260301_101500.jpg'.
        caption: Text shown under the photo, up to 1024 characters.
    """
    return _send_attachment(ctx, recipient, "image", file_name, caption)


@env.write(intents=["send {file_name} to {recipient}", "share the document {file_name} with {recipient}"])
def whatsapp_send_file(ctx: ToolContext, recipient: str, file_name: str, caption: str = "") -> MessageView:
    """Send a file from the phone as a document (its name and size travel with it), up to 100 MB.

    Args:
        recipient: A phone number in E.164 format, or a chat jid.
        file_name: The file's name on the phone, such as 'Lease_Agreement_2026.pdf'.
        caption: Optional text sent with the document, up to 1024 characters.
    """
    return _send_attachment(ctx, recipient, "document", file_name, caption)


@env.write(intents=["send {recipient} the link {url}"])
def whatsapp_send_link(ctx: ToolContext, recipient: str, url: str, text: str = "") -> MessageView:
    """Send a link; WhatsApp attaches a preview with the page's title when it can fetch one.

    Args:
        recipient: A phone number in E.164 format, or a chat jid.
        url: The address, starting with http:// or https://.
        text: Optional words sent with the link.
    """
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or " " in url.strip() or len(url) > 300:
        raise DomainError("A link must start with http:// or https:// and contain no spaces.")
    _text(text, TEXT_MAX - 301, "message")
    page = ctx.rows(WebPage).get(url.strip())
    body = url.strip() if not text.strip() else f"{text.strip()} {url.strip()}"
    return _send(ctx, recipient, "link", body=body, url=url.strip(), link_title=page["title"] if page else None)


@env.write(intents=["share the location {name} with {recipient}"])
def whatsapp_send_location(
    ctx: ToolContext, recipient: str, latitude: float, longitude: float, name: str = "", address: str = ""
) -> MessageView:
    """Send a location pin, optionally named (a place from the location picker has a name and address).

    Args:
        recipient: A phone number in E.164 format, or a chat jid.
        latitude: Degrees north, -90 to 90.
        longitude: Degrees east, -180 to 180.
        name: The place's name, such as 'Blue Bottle Coffee'.
        address: The place's street address.
    """
    if not isinstance(latitude, int | float) or not -90 <= latitude <= 90:
        raise DomainError("latitude must be between -90 and 90.")
    if not isinstance(longitude, int | float) or not -180 <= longitude <= 180:
        raise DomainError("longitude must be between -180 and 180.")
    _text(name, 120, "place name")
    _text(address, 200, "address")
    return _send(
        ctx,
        recipient,
        "location",
        latitude=float(latitude),
        longitude=float(longitude),
        location_name=name.strip() or None,
        location_address=address.strip() or None,
    )


@env.write(intents=["send {recipient} the contact card of {contact_phone}"])
def whatsapp_send_contact(ctx: ToolContext, recipient: str, contact_phone: str) -> MessageView:
    """Share one of your saved contacts as a contact card.

    Args:
        recipient: A phone number in E.164 format, or a chat jid.
        contact_phone: The saved contact's phone number in E.164 format.
    """
    _valid_phone(contact_phone)
    contact = ctx.rows(Contact).require(contact_phone, missing=f"{contact_phone} is not in your contacts.")
    return _send(ctx, recipient, "contact", contact_name=contact["name"], contact_phone=contact["phone"])


@env.write(intents=["forward message {message_id} to {recipient}"])
def whatsapp_forward_message(ctx: ToolContext, message_id: str, recipient: str) -> MessageView:
    """Forward a message (text, photo, document, link, location or contact card) to another chat.

    Args:
        message_id: The id of the message to forward.
        recipient: A phone number in E.164 format, or a chat jid.
    """
    row = ctx.rows(Message).require(message_id, missing=f"There is no message {message_id!r}.")
    if row["deleted"]:
        raise DomainError("That message was deleted and cannot be forwarded.")
    keep = (
        "body",
        "file_name",
        "file_size",
        "mime_type",
        "url",
        "link_title",
        "latitude",
        "longitude",
        "location_name",
        "location_address",
        "contact_name",
        "contact_phone",
    )
    return _send(ctx, recipient, row["type"], forwarded=1, **{k: row[k] for k in keep})


# --------------------------------------------------------------------------------------------------
# Numbers and contacts
# --------------------------------------------------------------------------------------------------


@env.read(intents=["is {phones} on WhatsApp?"])
def whatsapp_check_phone(ctx: ToolContext, phones: list[str]) -> list[PhoneCheck]:
    """Check whether phone numbers are valid E.164 numbers registered on WhatsApp (up to 20 at once).

    Args:
        phones: Phone numbers in E.164 format, such as ['+14155550123'].
    """
    if not isinstance(phones, list) or not 1 <= len(phones) <= MAX_CHECK:
        raise DomainError(f"Check between 1 and {MAX_CHECK} numbers at a time.")
    results: list[PhoneCheck] = []
    for phone in phones:
        valid = isinstance(phone, str) and E164.fullmatch(phone) is not None
        registered = valid and ctx.rows(Account).get(phone) is not None
        contact = ctx.rows(Contact).get(phone) if valid else None
        results.append(
            {
                "phone": str(phone),
                "valid": valid,
                "on_whatsapp": registered,
                "jid": phone.lstrip("+") + USER_SUFFIX if registered else None,
                "saved_as": contact["name"] if contact else None,
            }
        )
    return results


@env.read(intents=["find {query} in my contacts", "what's {query}'s number?"])
def whatsapp_get_contacts(
    ctx: ToolContext, query: str = "", on_whatsapp: bool | None = None, limit: int = 20, offset: int = 0
) -> ContactPage:
    """Search the phone's address book by name or number, alphabetically.

    Args:
        query: Part of a name or number; empty lists everyone.
        on_whatsapp: true for contacts on WhatsApp only, false for those who are not; null for all.
        limit: Maximum number of contacts to return (1-50).
        offset: Number of contacts to skip, for paging.
    """
    _page(limit, offset)
    where, params = "(c.name LIKE ? OR c.phone LIKE ?)", [f"%{query.strip()}%", f"%{query.strip()}%"]
    if on_whatsapp is not None:
        where += " AND (a.phone IS NOT NULL) = ?"
        params.append(int(on_whatsapp))
    base = f"FROM contacts c LEFT JOIN accounts a ON a.phone = c.phone WHERE {where}"
    total = ctx.query(f"SELECT COUNT(*) AS n {base}", params)[0]["n"]
    rows = ctx.query(
        f"SELECT c.name, c.phone, a.phone AS wa, a.about {base} ORDER BY c.name, c.phone LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return {
        "total": total,
        "contacts": [
            {"name": r["name"], "phone": r["phone"], "on_whatsapp": r["wa"] is not None, "about": r["about"]}
            for r in rows
        ],
    }


# --------------------------------------------------------------------------------------------------
# Chats and messages
# --------------------------------------------------------------------------------------------------


@env.read(intents=["show my chats", "which chats have unread messages?", "find my chat with {query}"])
def whatsapp_list_chats(
    ctx: ToolContext,
    query: str = "",
    kind: ChatKind = "all",
    archived: bool | None = False,
    unread_only: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> ChatPage:
    """List chats as the chat list shows them: pinned first, then the most recent activity first.

    Args:
        query: Part of the chat's name (a contact's name, a number, or a group subject); empty for all.
        kind: 'individual' for one-to-one chats, 'group' for groups, 'all' for both.
        archived: false (default) for the main list, true for archived chats only, null for both.
        unread_only: Only chats with unread messages.
        limit: Maximum number of chats to return (1-50).
        offset: Number of chats to skip, for paging.
    """
    _page(limit, offset)
    if kind not in ("all", "individual", "group"):
        raise DomainError("kind must be 'all', 'individual' or 'group'.")
    where, params = ["(name LIKE ? OR chat_jid LIKE ?)"], [f"%{query.strip()}%", f"%{query.strip().lstrip('+')}%"]
    if kind != "all":
        where.append("is_group = ?")
        params.append(int(kind == "group"))
    if archived is not None:
        where.append("archived = ?")
        params.append(int(archived))
    if unread_only:
        where.append("unread_count > 0")
    clause = " AND ".join(where)
    total = ctx.query(f"SELECT COUNT(*) AS n FROM chats WHERE {clause}", params)[0]["n"]
    rows = ctx.query(
        f"SELECT * FROM chats WHERE {clause} "
        "ORDER BY pinned DESC, COALESCE(last_message_at, created_at) DESC, chat_jid LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return {"total": total, "chats": [_chat_view(ctx, r) for r in rows]}


@env.read(intents=["show my messages with {chat_jid}", "what did they send me in {chat_jid}?"])
def whatsapp_get_chat_messages(
    ctx: ToolContext,
    chat_jid: str,
    query: str = "",
    type: MessageType | None = None,
    from_me: bool | None = None,
    since: str = "",
    limit: int = 20,
    offset: int = 0,
) -> MessagePage:
    """Read a chat's messages, newest first (messages deleted for me are hidden).

    Args:
        chat_jid: The chat's jid, from list_chats.
        query: Words to find in a message's text, caption, file name, link title, place or contact card.
        type: Only messages of this type: text, image, document, link, location or contact.
        from_me: true for messages you sent, false for those you received; null for both.
        since: Only messages at or after this time, 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM:SS'.
        limit: Maximum number of messages to return (1-50).
        offset: Number of messages to skip, for paging.
    """
    _page(limit, offset)
    chat = _chat(ctx, chat_jid)
    where, params = ["chat_jid = ?", "(deleted IS NULL OR deleted = 'everyone')"], [chat_jid]
    if query.strip():
        where.append(
            "deleted IS NULL AND (COALESCE(body, '') || ' ' || COALESCE(file_name, '') || ' ' || "
            "COALESCE(link_title, '') || ' ' || COALESCE(location_name, '') || ' ' || "
            "COALESCE(location_address, '') || ' ' || COALESCE(contact_name, '')) LIKE ?"
        )
        params.append(f"%{query.strip()}%")
    if type is not None:
        if type not in ("text", "image", "document", "link", "location", "contact"):
            raise DomainError("type must be text, image, document, link, location or contact.")
        where.append("type = ? AND deleted IS NULL")
        params.append(type)
    if from_me is not None:
        where.append("from_me = ?")
        params.append(int(from_me))
    if since:
        try:
            start = dt.datetime.fromisoformat(since)
        except (TypeError, ValueError):
            raise DomainError("since must be a date 'YYYY-MM-DD' or a time 'YYYY-MM-DDTHH:MM:SS'.") from None
        where.append("timestamp >= ?")
        params.append(_stamp(start))
    clause = " AND ".join(where)
    total = ctx.query(f"SELECT COUNT(*) AS n FROM messages WHERE {clause}", params)[0]["n"]
    rows = ctx.query(
        f"SELECT * FROM messages WHERE {clause} ORDER BY timestamp DESC, message_id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return {
        "chat_jid": chat_jid,
        "name": chat["name"],
        "total": total,
        "messages": [_message_view(ctx, r) for r in rows],
    }


@env.write(intents=["archive my chat {chat_jid}", "move {chat_jid} out of the archive"])
def whatsapp_archive_chat(ctx: ToolContext, chat_jid: str, archived: bool = True) -> ChatView:
    """Archive a chat (it leaves the main list and is unpinned) or bring it back with archived=false.

    Args:
        chat_jid: The chat's jid, from list_chats.
        archived: true to archive, false to unarchive.
    """
    chat = _switched(ctx, chat_jid, "archived", archived)
    ctx.rows(Chat).update(chat_jid, archived=int(archived), pinned=0 if archived else chat["pinned"])
    return _chat_view(ctx, _chat(ctx, chat_jid))


@env.write(intents=["pin {chat_jid} to the top", "unpin {chat_jid}"])
def whatsapp_pin_chat(ctx: ToolContext, chat_jid: str, pinned: bool = True) -> ChatView:
    """Pin a chat to the top of the chat list (at most 3 pinned chats) or unpin it with pinned=false.

    Args:
        chat_jid: The chat's jid, from list_chats.
        pinned: true to pin, false to unpin.
    """
    chat = _switched(ctx, chat_jid, "pinned", pinned)
    if pinned and chat["archived"]:
        raise DomainError(f"{chat['name']} is archived; archived chats cannot be pinned.")
    if pinned and ctx.rows(Chat).count({"pinned": 1}) >= MAX_PINNED:
        raise DomainError(f"You can pin only {MAX_PINNED} chats; unpin one first.")
    ctx.rows(Chat).update(chat_jid, pinned=int(pinned))
    return _chat_view(ctx, _chat(ctx, chat_jid))


@env.write(intents=["mute {chat_jid} for {duration}", "unmute {chat_jid}"])
def whatsapp_mute_chat(ctx: ToolContext, chat_jid: str, duration: MuteDuration) -> ChatView:
    """Mute a chat's notifications for 8 hours, 1 week or always, or unmute it with 'off'.

    Args:
        chat_jid: The chat's jid, from list_chats.
        duration: '8_hours', '1_week', 'always' or 'off'.
    """
    chat = _chat(ctx, chat_jid)
    until = {
        "8_hours": _stamp(ctx.now + dt.timedelta(hours=8)),
        "1_week": _stamp(ctx.now + dt.timedelta(days=7)),
        "always": ALWAYS,
        "off": None,
    }
    if duration not in until:
        raise DomainError("duration must be '8_hours', '1_week', 'always' or 'off'.")
    muted = chat["muted_until"] is not None and chat["muted_until"] > _stamp(ctx.now)
    if duration == "off" and not muted:
        raise DomainError(f"{chat['name']} is not muted.")
    ctx.rows(Chat).update(chat_jid, muted_until=until[duration])
    return _chat_view(ctx, _chat(ctx, chat_jid))


@env.write(intents=["mark message {message_id} as read"])
def whatsapp_mark_message_read(ctx: ToolContext, message_id: str) -> ReadResult:
    """Send a read receipt for a received message; every earlier unread message in that chat is read too.

    Args:
        message_id: The id of a message you received.
    """
    row = ctx.rows(Message).require(message_id, missing=f"There is no message {message_id!r}.")
    if row["from_me"]:
        raise DomainError("You sent that message; read receipts are sent for messages you received.")
    if row["status"] != "unread":
        raise DomainError("That message is already read.")
    unread = ctx.query(
        "SELECT message_id FROM messages WHERE chat_jid = ? AND from_me = 0 AND status = 'unread' AND timestamp <= ? "
        "ORDER BY timestamp, message_id",
        [row["chat_jid"], row["timestamp"]],
    )
    for item in unread:
        ctx.rows(Message).update(item["message_id"], status="read")
    return {
        "chat_jid": row["chat_jid"],
        "marked_read": len(unread),
        "unread_count": _recount_unread(ctx, row["chat_jid"]),
    }


@env.write(intents=["delete message {message_id} for everyone", "delete {message_id} for me"])
def whatsapp_delete_message(ctx: ToolContext, message_id: str, for_everyone: bool = False) -> DeleteResult:
    """Delete a message: for me only (it disappears from this phone), or for everyone, which only its sender can
    do within 60 hours of sending; everyone then sees 'This message was deleted'.

    Args:
        message_id: The id of the message.
        for_everyone: true to delete it for everyone in the chat; false (default) to delete it only for me.
    """
    row = ctx.rows(Message).require(message_id, missing=f"There is no message {message_id!r}.")
    if row["deleted"]:
        raise DomainError("That message is already deleted.")
    if for_everyone:
        if not row["from_me"]:
            raise DomainError("You can delete other people's messages only for yourself.")
        sent = dt.datetime.fromisoformat(row["timestamp"])
        if ctx.now - sent > dt.timedelta(hours=DELETE_FOR_EVERYONE_HOURS):
            raise DomainError(
                f"That message was sent on {sent:%B %d at %H:%M}, more than {DELETE_FOR_EVERYONE_HOURS} hours ago; "
                "it can no longer be deleted for everyone, only for you."
            )
    ctx.rows(Message).update(message_id, deleted="everyone" if for_everyone else "me")
    if not row["from_me"] and row["status"] == "unread":
        ctx.rows(Message).update(message_id, status="read")
        _recount_unread(ctx, row["chat_jid"])
    return {"message_id": message_id, "deleted_for": "everyone" if for_everyone else "me"}


# --------------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------------


@env.write(intents=["create a group called {subject} with {participants}"])
def whatsapp_create_group(ctx: ToolContext, subject: str, participants: list[str], description: str = "") -> GroupInfo:
    """Create a group with you as its creator and admin. By default everyone in it can add people and edit the info.

    Args:
        subject: The group's name, 1 to 100 characters.
        participants: Phone numbers (E.164) of the people to add; each must be on WhatsApp.
        description: Optional group description, up to 2048 characters.
    """
    name = _text(subject, GROUP_SUBJECT_MAX, "group subject").strip()
    if not name:
        raise DomainError("A group needs a subject.")
    _text(description, GROUP_DESCRIPTION_MAX, "group description")
    owner = _owner(ctx)["phone"]
    for phone in _phones(participants, "participant's"):
        _registered(ctx, phone)
        if phone == owner:
            raise DomainError("You are added to your own group automatically; list the other people only.")
    if len(participants) + 1 > GROUP_MAX_PARTICIPANTS:
        raise DomainError(f"A group holds at most {GROUP_MAX_PARTICIPANTS} participants.")
    jid = "1203634" + ctx.new_id(11, "0123456789") + GROUP_SUFFIX
    now = _stamp(ctx.now)
    ctx.rows(Chat).add(
        chat_jid=jid,
        is_group=1,
        name=name,
        archived=0,
        pinned=0,
        muted_until=None,
        unread_count=0,
        last_message_at=None,
        created_at=now,
    )
    ctx.rows(Group).add(
        chat_jid=jid,
        description=description.strip(),
        owner_phone=owner,
        info_admins_only=0,
        add_admins_only=0,
        left=0,
        subject_updated_at=now,
    )
    for phone in [owner, *participants]:
        ctx.rows(GroupParticipant).add(
            chat_jid=jid, phone=phone, role="superadmin" if phone == owner else "member", joined_at=now
        )
    return _group_info(ctx, jid)


@env.read(intents=["who is in the group {chat_jid}?", "who are the admins of {chat_jid}?"])
def whatsapp_get_group_info(ctx: ToolContext, chat_jid: str) -> GroupInfo:
    """A group's subject, description, creator, settings, your role and its participants with their roles.

    Args:
        chat_jid: The group's jid (ending @g.us), from list_chats.
    """
    return _group_info(ctx, chat_jid)


@env.write(intents=["add {participants} to the group {chat_jid}"])
def whatsapp_add_group_participants(ctx: ToolContext, chat_jid: str, participants: list[str]) -> ParticipantChange:
    """Add people to a group. When the group allows only admins to add participants, you must be an admin.

    Args:
        chat_jid: The group's jid.
        participants: Phone numbers (E.164) to add; each must be on WhatsApp and not in the group yet.
    """
    chat, group, role = _member_group(ctx, chat_jid)
    if group["add_admins_only"] and role == "member":
        raise DomainError(f"Only admins can add participants to {chat['name']}.")
    for phone in _phones(participants, "new participant's"):
        _registered(ctx, phone)
        if ctx.rows(GroupParticipant).get(chat_jid, phone) is not None:
            raise DomainError(f"{_name_of(ctx, phone)} ({phone}) is already in {chat['name']}.")
    count = ctx.rows(GroupParticipant).count({"chat_jid": chat_jid})
    if count + len(participants) > GROUP_MAX_PARTICIPANTS:
        raise DomainError(f"A group holds at most {GROUP_MAX_PARTICIPANTS} participants.")
    for phone in participants:
        ctx.rows(GroupParticipant).add(chat_jid=chat_jid, phone=phone, role="member", joined_at=_stamp(ctx.now))
    return {"chat_jid": chat_jid, "changed": list(participants), "participant_count": count + len(participants)}


@env.write(intents=["remove {participants} from the group {chat_jid}"])
def whatsapp_remove_group_participants(ctx: ToolContext, chat_jid: str, participants: list[str]) -> ParticipantChange:
    """Remove people from a group. Only admins can remove participants, and nobody can remove the group's creator.

    Args:
        chat_jid: The group's jid.
        participants: Phone numbers (E.164) of participants to remove (to leave yourself, use leave_group).
    """
    chat, group, role = _member_group(ctx, chat_jid)
    if role == "member":
        raise DomainError(f"Only admins can remove participants from {chat['name']}, and you are not an admin there.")
    owner = _owner(ctx)["phone"]
    for phone in _phones(participants, "participant's"):
        _valid_phone(phone)
        if phone == owner:
            raise DomainError("To take yourself out of a group, leave it.")
        if ctx.rows(GroupParticipant).get(chat_jid, phone) is None:
            raise DomainError(f"{_name_of(ctx, phone)} ({phone}) is not in {chat['name']}.")
        if phone == group["owner_phone"]:
            raise DomainError(f"{_name_of(ctx, phone)} created {chat['name']} and cannot be removed.")
    for phone in participants:
        ctx.rows(GroupParticipant).delete(chat_jid, phone)
    return {
        "chat_jid": chat_jid,
        "changed": list(participants),
        "participant_count": ctx.rows(GroupParticipant).count({"chat_jid": chat_jid}),
    }


@env.write(intents=["rename the group {chat_jid} to {subject}"])
def whatsapp_update_group_name(ctx: ToolContext, chat_jid: str, subject: str) -> GroupInfo:
    """Change a group's subject (its name), 1 to 100 characters. Admin-only when the group's info is locked.

    Args:
        chat_jid: The group's jid.
        subject: The new subject.
    """
    name = _text(subject, GROUP_SUBJECT_MAX, "group subject").strip()
    if not name:
        raise DomainError("A group needs a subject.")
    _can_edit_info(ctx, chat_jid)
    if name == _chat(ctx, chat_jid)["name"]:
        raise DomainError(f"The group is already called {name}.")
    ctx.rows(Chat).update(chat_jid, name=name)
    ctx.rows(Group).update(chat_jid, subject_updated_at=_stamp(ctx.now))
    return _group_info(ctx, chat_jid)


@env.write(intents=["set the description of {chat_jid} to {description}"])
def whatsapp_update_group_description(ctx: ToolContext, chat_jid: str, description: str) -> GroupInfo:
    """Change a group's description (up to 2048 characters; empty clears it). Admin-only when the info is locked.

    Args:
        chat_jid: The group's jid.
        description: The new description.
    """
    text = _text(description, GROUP_DESCRIPTION_MAX, "group description").strip()
    _can_edit_info(ctx, chat_jid)
    _, group = _group(ctx, chat_jid)
    if text == group["description"]:
        raise DomainError("The group already has that description.")
    ctx.rows(Group).update(chat_jid, description=text)
    return _group_info(ctx, chat_jid)


@env.write(intents=["only let admins edit the info of {chat_jid}"])
def whatsapp_update_group_settings(
    ctx: ToolContext, chat_jid: str, info_admins_only: bool | None = None, add_admins_only: bool | None = None
) -> GroupInfo:
    """Change who may edit a group's info and who may add participants. Only admins change group settings.

    Args:
        chat_jid: The group's jid.
        info_admins_only: true: only admins edit the subject and description; false: every participant can.
        add_admins_only: true: only admins add participants; false: every participant can.
    """
    chat, group, role = _member_group(ctx, chat_jid)
    if role == "member":
        raise DomainError(f"Only admins can change the settings of {chat['name']}.")
    changes = {
        k: int(v)
        for k, v in (("info_admins_only", info_admins_only), ("add_admins_only", add_admins_only))
        if v is not None and int(v) != group[k]
    }
    if not changes:
        raise DomainError("Those are already the group's settings.")
    ctx.rows(Group).update(chat_jid, **changes)
    return _group_info(ctx, chat_jid)


@env.write(intents=["leave the group {chat_jid}", "get me out of {chat_jid}"])
def whatsapp_leave_group(ctx: ToolContext, chat_jid: str) -> GroupInfo:
    """Leave a group. The chat stays in your list, read-only. If you were its only admin, the longest-standing
    participant becomes admin.

    Args:
        chat_jid: The group's jid.
    """
    _, _, role = _member_group(ctx, chat_jid)
    ctx.rows(GroupParticipant).delete(chat_jid, _owner(ctx)["phone"])
    rest = ctx.query(
        "SELECT phone, role FROM group_participants WHERE chat_jid = ? ORDER BY joined_at, phone", [chat_jid]
    )
    if role != "member" and rest and all(r["role"] == "member" for r in rest):
        ctx.rows(GroupParticipant).update((chat_jid, rest[0]["phone"]), role="admin")
    ctx.rows(Group).update(chat_jid, left=1)
    return _group_info(ctx, chat_jid)


# --------------------------------------------------------------------------------------------------
# Profile, places and files
# --------------------------------------------------------------------------------------------------


def _profile_view(ctx: ToolContext) -> ProfileView:
    owner = _owner(ctx)
    return {
        "phone": owner["phone"],
        "jid": owner["phone"].lstrip("+") + USER_SUFFIX,
        "push_name": owner["push_name"],
        "about": owner["about"],
        "avatar_file": owner["avatar_file"],
    }


@env.read(intents=["what's my WhatsApp name and about?", "show my profile"])
def whatsapp_get_profile_info(ctx: ToolContext) -> ProfileView:
    """Your own account: number, push name (the name people see), about text and profile photo."""
    return _profile_view(ctx)


@env.write(intents=["change my WhatsApp name to {push_name}"])
def whatsapp_change_push_name(ctx: ToolContext, push_name: str) -> ProfileView:
    """Change your push name, the name people who have not saved your number see (1 to 25 characters).

    Args:
        push_name: The new name.
    """
    name = _text(push_name, 200, "name").strip()
    if not name:
        raise DomainError("Your name cannot be empty.")
    if len(name) > PUSH_NAME_MAX:
        raise DomainError(f"A name is limited to {PUSH_NAME_MAX} characters; {name!r} has {len(name)}.")
    if name == _owner(ctx)["push_name"]:
        raise DomainError(f"Your name is already {name}.")
    ctx.rows(Profile).update(_owner(ctx)["phone"], push_name=name)
    return _profile_view(ctx)


@env.write(intents=["set my about to {about}"])
def whatsapp_update_about(ctx: ToolContext, about: str) -> ProfileView:
    """Change your about text (up to 139 characters).

    Args:
        about: The new about text, such as 'At the gym'.
    """
    text = _text(about, ABOUT_MAX, "about text").strip()
    if not text:
        raise DomainError("The about text cannot be empty.")
    if text == _owner(ctx)["about"]:
        raise DomainError("That is already your about text.")
    ctx.rows(Profile).update(_owner(ctx)["phone"], about=text)
    return _profile_view(ctx)


@env.write(intents=["make {file_name} my profile picture"])
def whatsapp_change_avatar(ctx: ToolContext, file_name: str) -> ProfileView:
    """Set your profile photo from a photo on the phone (JPEG, PNG or WebP up to 16 MB).

    Args:
        file_name: The photo's file name on the phone.
    """
    file = _device_file(ctx, file_name)
    if file["mime_type"] not in IMAGE_TYPES:
        raise DomainError(f"{file_name} is not a photo.")
    if file["file_size"] > IMAGE_MAX_BYTES:
        raise DomainError(f"{file_name} is {_mb(file['file_size'])}; a profile photo is limited to 16 MB.")
    if _owner(ctx)["avatar_file"] == file_name:
        raise DomainError("That photo is already your profile photo.")
    ctx.rows(Profile).update(_owner(ctx)["phone"], avatar_file=file_name, avatar_updated_at=_stamp(ctx.now))
    return _profile_view(ctx)


@env.read(intents=["find {query} in the location picker"])
def whatsapp_search_places(ctx: ToolContext, query: str, limit: int = 10) -> list[PlaceView]:
    """Search the location picker's places by name, street or category (cafe, park, transit...).

    Args:
        query: Part of the place's name or address, or a category.
        limit: Maximum number of places to return (1-50).
    """
    _page(limit, 0)
    if not query.strip():
        raise DomainError("Type part of a place's name or address.")
    like = f"%{query.strip()}%"
    rows = ctx.query(
        "SELECT name, address, category, latitude, longitude FROM places WHERE name LIKE ? OR address LIKE ? OR "
        "category LIKE ? ORDER BY name LIMIT ?",
        [like, like, like, limit],
    )
    return [dict(r) for r in rows]  # type: ignore[misc]


@env.read(intents=["which photos are on my phone?", "find the file {query}"])
def whatsapp_list_device_files(
    ctx: ToolContext,
    query: str = "",
    kind: Literal["all", "image", "document"] = "all",
    limit: int = 20,
    offset: int = 0,
) -> list[FileView]:
    """The photos and documents on the phone that can be attached, newest first.

    Args:
        query: Part of the file name; empty for all.
        kind: 'image' for photos, 'document' for everything else, 'all' for both.
        limit: Maximum number of files to return (1-50).
        offset: Number of files to skip, for paging.
    """
    _page(limit, offset)
    where, params = "file_name LIKE ?", [f"%{query.strip()}%"]
    if kind == "image":
        where += " AND mime_type LIKE 'image/%'"
    elif kind == "document":
        where += " AND mime_type NOT LIKE 'image/%'"
    elif kind != "all":
        raise DomainError("kind must be 'all', 'image' or 'document'.")
    rows = ctx.query(
        f"SELECT * FROM device_files WHERE {where} ORDER BY modified_at DESC, file_name LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [dict(r) for r in rows]  # type: ignore[misc]
