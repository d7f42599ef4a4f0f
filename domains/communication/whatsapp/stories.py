"""WhatsApp stories: Maya Collins, the phone's owner, asking for help with her chats, one storyline each.

They cover what people use WhatsApp for: telling the family group she is late and dropping a pin at a named
place, finding the address a friend sent last week and forwarding it, creating a trip group with three friends
and a description, removing someone from a group she runs (or learning she is not an admin there and who is),
deleting a message sent by mistake (for everyone while the window is open, otherwise only for her), checking a
new number before messaging it, catching up on unread messages and marking them read, finding a document a
friend sent, sharing photos (a panorama too large to go as a photo goes as a file), links and contact cards,
tidying the chat list (archive, pin, mute), managing groups (add, rename, lock the info, leave) and her profile
(name, about, photo). People name contacts, groups and places, and dictate message texts word for word.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

ENV = "whatsapp"
OWNER = "+14155550142"


def _stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _open(s: StoryContext) -> str:
    return speech.opening(s.rng, s.now())


def _chat(s: StoryContext, name: str, **arguments: Any) -> dict[str, Any]:
    """The chat the person names, found in the chat list."""
    page = s.call("whatsapp_list_chats", query=s.say(name), **arguments)
    found = [c for c in page["chats"] if c["name"] == name]
    if len(found) != 1:
        s.reject("chat name not unique")
    return found[0]


def _contact(s: StoryContext, name: str) -> dict[str, Any]:
    page = s.call("whatsapp_get_contacts", query=s.say(name))
    found = [c for c in page["contacts"] if c["name"] == name]
    if len(found) != 1:
        s.reject("contact name not unique")
    return found[0]


def _unique_contact_names(s: StoryContext, where: str, k: int) -> list[dict[str, Any]]:
    return s.sample(
        "SELECT c.name, c.phone FROM contacts c JOIN accounts a ON a.phone = c.phone WHERE c.name NOT LIKE '% %' "
        "IS FALSE AND (SELECT COUNT(*) FROM contacts d WHERE d.name LIKE '%' || c.name || '%') = 1 AND " + where,
        k,
    )


def _group_row(s: StoryContext, where: str) -> dict[str, Any]:
    return s.pick(
        "SELECT c.chat_jid, c.name, g.*, p.role AS my_role FROM chats c JOIN groups g ON g.chat_jid = c.chat_jid "
        "LEFT JOIN group_participants p ON p.chat_jid = c.chat_jid AND p.phone = ? WHERE c.archived = 0 AND "
        "g.left = 0 AND " + where,
        [OWNER],
    )


def _newest_message(s: StoryContext, where: str, among: str) -> dict[str, Any]:
    """A message in a one-to-one chat with a saved full name, the newest of the chat's messages matching ``among``."""
    return s.pick(
        "SELECT m.*, c.name AS friend FROM messages m JOIN chats c ON c.chat_jid = m.chat_jid WHERE c.is_group = 0 AND "
        f"c.archived = 0 AND {where} AND c.name LIKE '% %' AND m.timestamp = (SELECT MAX(timestamp) FROM messages n "
        f"WHERE n.chat_jid = m.chat_jid AND {among})"
    )


# --------------------------------------------------------------------------------------------------
# Sending
# --------------------------------------------------------------------------------------------------

LATE_TEXTS = (
    "Running late, I'll be there in about 20 minutes",
    "Sorry everyone, stuck in traffic. Start without me!",
    "I'm going to be late, save me a seat",
    "Running behind, be there by 8",
)


@story(ENV, implicit=True)
def late_for_family_dinner(s: StoryContext) -> str:
    """Running late: a note to the family group, then a pin at the place she is stuck at, from the picker."""
    place = s.pick(
        "SELECT * FROM places p WHERE (SELECT COUNT(*) FROM places q WHERE q.name LIKE '%' || p.name || '%') = 1"
    )
    text = s.rng.choice(LATE_TEXTS)
    chat = _chat(s, "Collins Family")
    s.call("whatsapp_send_text_message", recipient=chat["chat_jid"], text=s.say(text, f'"{text}"'))
    found = s.call("whatsapp_search_places", query=s.say(place["name"]))
    pin = next((p for p in found if p["name"] == place["name"]), None)
    if pin is None:
        s.reject("place not found")
    s.call(
        "whatsapp_send_location",
        recipient=chat["chat_jid"],
        latitude=pin["latitude"],
        longitude=pin["longitude"],
        name=pin["name"],
        address=pin["address"],
    )
    return speech.sentence(
        _open(s),
        f'Tell the Collins Family group "{text}"',
        speech.choose(
            s.rng,
            f"and then drop them a pin at {place['name']} so they know where I am.",
            f"and share my location at {place['name']} with them, that's where I am right now.",
        ),
    )


@story(ENV, implicit=True)
def forward_friends_address(s: StoryContext) -> str:
    """The address a friend pinned last week, found in their chat and forwarded to someone else."""
    now = s.now()
    message = s.pick(
        "SELECT m.*, c.name AS friend FROM messages m JOIN chats c ON c.chat_jid = m.chat_jid JOIN contacts k ON "
        "k.name = c.name WHERE c.is_group = 0 AND c.archived = 0 AND m.type = 'location' AND m.from_me = 0 AND "
        "m.deleted IS NULL AND m.timestamp BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM messages n WHERE "
        "n.chat_jid = m.chat_jid AND n.type = 'location' AND n.timestamp > m.timestamp) AND c.name LIKE '% %'",
        [_stamp(now - dt.timedelta(days=11)), _stamp(now - dt.timedelta(days=4))],
    )
    friend = str(message["friend"])
    receiver = _unique_contact_names(s, f"c.name != '{friend.replace(chr(39), '')}'", 1)[0]
    chat = _chat(s, friend)
    s.imply("location")
    found = s.call("whatsapp_get_chat_messages", chat_jid=chat["chat_jid"], type="location")
    if not found["messages"] or found["messages"][0]["message_id"] != message["message_id"]:
        s.reject("not the newest pin")
    target = _contact(s, receiver["name"])
    s.call("whatsapp_forward_message", message_id=message["message_id"], recipient=target["phone"])
    s.accept_also(
        [
            ("whatsapp_list_chats", {"query": friend}),
            (
                "whatsapp_send_location",
                {
                    "recipient": target["phone"],
                    "latitude": message["latitude"],
                    "longitude": message["longitude"],
                    "name": message["location_name"],
                    "address": message["location_address"],
                },
            ),
        ]
    )
    return speech.sentence(
        _open(s),
        f"{friend} sent me the location of a place last week.",
        speech.choose(
            s.rng,
            f"{receiver['name']} needs it too, can you forward it to them?",
            f"Please pass it on to {receiver['name']}, they're meeting us there.",
        ),
    )


@story(ENV)
def dictated_message_to_contact(s: StoryContext) -> str:
    """A dictated text to a saved contact, found by name in the address book."""
    person = _unique_contact_names(s, "1", 1)[0]
    text = s.rng.choice(
        (
            "Can you call me when you get a sec?",
            "Happy birthday! Hope you have a great day",
            "Are we still on for Thursday?",
            "Thanks again for dinner last night",
        )
    )
    contact = _contact(s, person["name"])
    s.call("whatsapp_send_text_message", recipient=contact["phone"], text=s.say(text, f'"{text}"'))
    return speech.sentence(_open(s), f'Message {person["name"]} on WhatsApp: "{text}"')


@story(ENV, implicit=True)
def new_number_check_first(s: StoryContext) -> str:
    """A number someone gave her: checked first; messaged only if it is on WhatsApp."""
    registered = s.rng.random() < 0.55
    if registered:
        row = s.pick(
            "SELECT phone FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.phone = "
            "a.phone) AND phone LIKE '+1%'"
        )
    else:
        row = s.pick(
            "SELECT phone FROM contacts c WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.phone = "
            "c.phone) AND phone LIKE '+1%'"
        )
    phone = str(row["phone"])
    spoken = f"+1 {phone[2:5]}-{phone[5:8]}-{phone[8:]}"
    who = s.rng.choice(("the new babysitter", "my landlord", "the guy selling the bike", "our new neighbor"))
    text = s.rng.choice(
        (
            "Hi, it's Maya from WhatsApp, is this a good number to reach you?",
            "Hi! This is Maya, nice to meet you today",
            "Hi, Maya here. Is the bike still available?",
        )
    )
    checked = s.call("whatsapp_check_phone", phones=[s.say(phone, spoken)])
    if checked[0]["on_whatsapp"]:
        s.call("whatsapp_send_text_message", recipient=phone, text=s.say(text, f'"{text}"'))
    else:
        s.fact(False)
    return speech.sentence(
        _open(s),
        f"I just got the number of {who}: {spoken}.",
        f'If they\'re on WhatsApp, send them "{text}"',
        "If not, just tell me.",
    )


@story(ENV, implicit=True)
def panorama_too_big_for_photo(s: StoryContext) -> str:
    """A photo over the 16 MB photo limit: sent as a document instead, as the person allows."""
    person = _unique_contact_names(s, "1", 1)[0]
    contact = _contact(s, person["name"])
    files = s.call("whatsapp_list_device_files", query=s.say("Panorama", "panorama"))
    if not files:
        s.reject("no panorama")
    s.call("whatsapp_send_file", recipient=contact["phone"], file_name=files[0]["file_name"])
    return speech.sentence(
        _open(s),
        f"Send {person['name']} my Yosemite panorama photo.",
        "If it's too big to go as a photo, send it as a file instead.",
    )


@story(ENV)
def photo_with_caption(s: StoryContext) -> str:
    """The latest photo from the camera, with a dictated caption, to a group."""
    group = _group_row(s, "p.role IS NOT NULL")
    caption = s.rng.choice(("From today!", "Look what I found", "Best day ever", "Thought you'd like this one"))
    chat = _chat(s, str(group["name"]))
    s.imply("image")
    files = s.call("whatsapp_list_device_files", kind="image")
    latest = files[0]
    s.call(
        "whatsapp_send_image",
        recipient=chat["chat_jid"],
        file_name=latest["file_name"],
        caption=s.say(caption, f'"{caption}"'),
    )
    return speech.sentence(
        _open(s),
        f"Post the last photo I took to the {group['name']} group",
        f'with the caption "{caption}"',
    )


@story(ENV)
def share_link_with_group(s: StoryContext) -> str:
    """A link pasted into a group, with a few words; WhatsApp adds the preview."""
    page = s.pick("SELECT * FROM web_pages")
    group = _group_row(s, "p.role IS NOT NULL")
    chat = _chat(s, str(group["name"]))
    words = s.rng.choice(("What do you think about this?", "Found it!", "For Saturday"))
    s.call("whatsapp_send_link", recipient=chat["chat_jid"], url=s.say(page["url"]), text=s.say(words, f'"{words}"'))
    return speech.sentence(_open(s), f'Share {page["url"]} in the {group["name"]} group and say "{words}"')


@story(ENV)
def share_contact_card(s: StoryContext) -> str:
    """A saved contact's card sent to someone who needs their number."""
    pair = _unique_contact_names(s, "1", 2)
    receiver, shared = pair[0], pair[1]
    to = _contact(s, receiver["name"])
    card = _contact(s, shared["name"])
    s.call("whatsapp_send_contact", recipient=to["phone"], contact_phone=card["phone"])
    return speech.sentence(
        _open(s),
        f"{receiver['name']} asked for {shared['name']}'s number.",
        "Send them the contact card on WhatsApp.",
    )


# --------------------------------------------------------------------------------------------------
# Reading and deleting
# --------------------------------------------------------------------------------------------------


@story(ENV, implicit=True)
def delete_sent_by_mistake(s: StoryContext) -> str:
    """The last message she sent a contact was a mistake: deleted for everyone if the window is open."""
    row = _newest_message(s, "m.from_me = 1 AND m.type = 'text' AND m.deleted IS NULL", "n.from_me = 1")
    chat = _chat(s, str(row["friend"]))
    text = str(row["body"])
    found = s.call(
        "whatsapp_get_chat_messages", chat_jid=chat["chat_jid"], query=s.say(text, f'"{text}"'), from_me=True
    )
    if found["messages"][0]["message_id"] != row["message_id"]:
        s.reject("not the newest")
    young = s.now() - dt.datetime.fromisoformat(row["timestamp"]) <= dt.timedelta(hours=60)
    s.call("whatsapp_delete_message", message_id=row["message_id"], for_everyone=young)
    return speech.sentence(
        _open(s),
        f'I sent "{text}" to {row["friend"]} by mistake, it was meant for someone else.',
        "Delete it for everyone if that's still possible; otherwise at least get it off my phone.",
    )


@story(ENV, implicit=True)
def catch_up_on_unread(s: StoryContext) -> str:
    """What a contact said in the messages she has not read yet, then read receipts for them."""
    chat_row = s.pick(
        "SELECT * FROM chats WHERE is_group = 0 AND archived = 0 AND unread_count BETWEEN 1 AND 4 "
        "AND name IN (SELECT name FROM contacts) AND name LIKE '% %'"
    )
    chat = _chat(s, str(chat_row["name"]))
    page = s.call("whatsapp_get_chat_messages", chat_jid=chat["chat_jid"], from_me=False, limit=chat["unread_count"])
    unread = [m for m in page["messages"] if m["status"] == "unread"]
    if len(unread) != chat["unread_count"] or any("text" not in m for m in unread):
        s.reject("unread mix")
    for message in unread:
        s.fact(message["text"])
    s.call("whatsapp_mark_message_read", message_id=unread[0]["message_id"])
    return speech.sentence(
        _open(s),
        f"I haven't had time to open my chat with {chat_row['name']}.",
        "What did they write that I haven't read yet? Mark it as read once you've told me.",
    )


@story(ENV)
def which_document_did_they_send(s: StoryContext) -> str:
    """The name of the last document a contact sent in their chat, and its size."""
    row = _newest_message(s, "m.type = 'document' AND m.from_me = 0 AND m.deleted IS NULL", "n.type = 'document'")
    chat = _chat(s, str(row["friend"]))
    s.imply("document")
    found = s.call("whatsapp_get_chat_messages", chat_jid=chat["chat_jid"], type="document", from_me=False)
    s.fact(found["messages"][0]["file_name"])
    s.context(speech.date(row["timestamp"][:10]))
    return speech.sentence(
        _open(s),
        f"{row['friend']} sent me a document on WhatsApp a while ago and I can't remember what it was.",
        "What's the file called?",
    )


@story(ENV)
def who_runs_the_group(s: StoryContext) -> str:
    """The admins of a group she is in (the creator among them), by name."""
    group = _group_row(
        s, "p.role IS NOT NULL AND (SELECT COUNT(*) FROM group_participants q WHERE q.chat_jid = c.chat_jid) >= 6"
    )
    chat = _chat(s, str(group["name"]))
    info = s.call("whatsapp_get_group_info", chat_jid=chat["chat_jid"])
    admins = [p for p in info["participants"] if p["role"] != "member" and p["phone"] != OWNER]
    if not admins or any(p["name"].startswith("+") for p in admins):
        s.reject("unnamed admin")
    for person in admins:
        s.fact(person["name"])
    besides = ", apart from me" if info["my_role"] != "member" else ""
    return speech.sentence(_open(s), f"Who are the admins of the {group['name']} group{besides}?")


# --------------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------------

TRIPS = (
    ("Tahoe Ski Weekend", "Cabin in South Lake Tahoe, Feb 6-8. Split costs in the sheet."),
    ("Big Sur Road Trip", "Leaving Friday morning, back Sunday night. Bring snacks."),
    ("Yosemite Camping", "Upper Pines, site 42. Bear boxes, no food in tents."),
    ("Portland Weekend", "Flights on Friday evening, food carts all Saturday."),
    ("Napa Birthday Trip", "Wine tasting, then dinner in Yountville. Designated driver rotates."),
)


@story(ENV)
def trip_group_with_friends(s: StoryContext) -> str:
    """A new group for a trip with three named friends, and its description."""
    friends = _unique_contact_names(s, "c.name LIKE '% %'", 3)
    subject, description = s.rng.choice(TRIPS)
    phones = [_contact(s, f["name"])["phone"] for f in friends]
    info = s.call("whatsapp_create_group", subject=s.say(subject, f'"{subject}"'), participants=phones)
    s.call(
        "whatsapp_update_group_description",
        chat_jid=info["chat_jid"],
        description=s.say(description, f'"{description}"'),
    )
    s.accept_also([("whatsapp_create_group", {"subject": subject, "participants": phones, "description": description})])
    return speech.sentence(
        _open(s),
        f'Make a WhatsApp group called "{subject}" with {speech.listing([f["name"] for f in friends])},',
        f'and set its description to "{description}"',
    )


@story(ENV, implicit=True)
def remove_from_group(s: StoryContext) -> str:
    """Someone taken out of a group: done when she is an admin; otherwise the admins she must ask."""
    group = _group_row(s, "p.role IS NOT NULL")
    member = s.pick(
        "SELECT p.phone, k.name FROM group_participants p JOIN contacts k ON k.phone = p.phone WHERE p.chat_jid = ? "
        "AND p.role = 'member' AND k.name LIKE '% %'",
        [group["chat_jid"]],
    )
    chat = _chat(s, str(group["name"]))
    info = s.call("whatsapp_get_group_info", chat_jid=chat["chat_jid"])
    target = next(p for p in info["participants"] if p["name"] == member["name"])
    s.say(member["name"])
    if info["my_role"] != "member":
        s.call("whatsapp_remove_group_participants", chat_jid=chat["chat_jid"], participants=[target["phone"]])
    else:
        admins = [p["name"] for p in info["participants"] if p["role"] != "member"]
        if any(a.startswith("+") for a in admins) or len(admins) > 2:
            s.reject("unnamed admin")
        for name in admins:
            s.fact(name)
    return speech.sentence(
        _open(s),
        f"{member['name']} shouldn't be in the {group['name']} group any more.",
        speech.choose(s.rng, "Can you take them out?", "Please remove them."),
        "If I can't do it myself, tell me who can.",
    )


@story(ENV)
def add_friend_to_group(s: StoryContext) -> str:
    """A friend added to a group, unless only admins may add and she is not one (then who to ask)."""
    group = _group_row(s, "p.role IS NOT NULL")
    friend = _unique_contact_names(
        s,
        f"NOT EXISTS (SELECT 1 FROM group_participants g WHERE g.chat_jid = "
        f"'{group['chat_jid']}' AND g.phone = c.phone) AND c.name LIKE '% %'",
        1,
    )[0]
    chat = _chat(s, str(group["name"]))
    contact = _contact(s, friend["name"])
    info = s.call("whatsapp_get_group_info", chat_jid=chat["chat_jid"])
    if info["add_admins_only"] and info["my_role"] == "member":
        admins = [p["name"] for p in info["participants"] if p["role"] != "member"]
        if any(a.startswith("+") for a in admins) or len(admins) > 2:
            s.reject("unnamed admin")
        for name in admins:
            s.fact(name)
    else:
        s.call("whatsapp_add_group_participants", chat_jid=chat["chat_jid"], participants=[contact["phone"]])
    return speech.sentence(
        _open(s),
        f"Add {friend['name']} to the {group['name']} group.",
        "If the group doesn't let me, tell me which admin to ask.",
    )


RENAMES = ("Guerrero Block Party 2026", "Sunday Crew", "Friday Games", "Trail Runners", "The Usual Suspects")


@story(ENV)
def rename_and_lock_group(s: StoryContext) -> str:
    """A group she runs renamed, with its info locked to admins."""
    group = _group_row(s, "p.role IN ('admin', 'superadmin') AND g.info_admins_only = 0")
    subject = s.rng.choice(RENAMES)
    chat = _chat(s, str(group["name"]))
    s.call("whatsapp_update_group_name", chat_jid=chat["chat_jid"], subject=s.say(subject, f'"{subject}"'))
    s.call("whatsapp_update_group_settings", chat_jid=chat["chat_jid"], info_admins_only=True)
    return speech.sentence(
        _open(s),
        f'Rename the {group["name"]} group to "{subject}",',
        "and after that make it so only admins can change the group's name and description.",
    )


@story(ENV, implicit=True)
def done_with_group(s: StoryContext) -> str:
    """Leaving a group she no longer wants to be in."""
    group = _group_row(s, "p.role IS NOT NULL AND c.name NOT IN ('Collins Family', 'Cousins')")
    chat = _chat(s, str(group["name"]))
    s.call("whatsapp_leave_group", chat_jid=chat["chat_jid"])
    return speech.sentence(
        _open(s),
        speech.choose(
            s.rng, f"I'm done with the {group['name']} group.", f"I don't want to be in {group['name']} any more."
        ),
        "Get me out of it, please.",
    )


# --------------------------------------------------------------------------------------------------
# The chat list and the profile
# --------------------------------------------------------------------------------------------------


@story(ENV, implicit=True)
def declutter_chat_list(s: StoryContext) -> str:
    """A chat moved out of the main list without leaving or deleting anything."""
    row = s.pick(
        "SELECT * FROM chats WHERE archived = 0 AND pinned = 0 AND name NOT LIKE '+%' AND "
        "(SELECT COUNT(*) FROM chats d WHERE d.name LIKE '%' || chats.name || '%') = 1"
    )
    chat = _chat(s, str(row["name"]))
    s.call("whatsapp_archive_chat", chat_jid=chat["chat_jid"])
    return speech.sentence(
        _open(s),
        f"I don't want my chat with {row['name']} in my main list any more, but don't delete anything.",
    )


@story(ENV)
def pin_and_mute(s: StoryContext) -> str:
    """One chat pinned to the top and a noisy group muted for a week."""
    person = s.pick(
        "SELECT * FROM chats WHERE is_group = 0 AND archived = 0 AND pinned = 0 AND name LIKE '% %' AND "
        "(SELECT COUNT(*) FROM chats d WHERE d.name LIKE '%' || chats.name || '%') = 1"
    )
    noisy = _group_row(s, "p.role IS NOT NULL AND (c.muted_until IS NULL OR c.muted_until < '2026-03-19')")
    first = _chat(s, str(person["name"]))
    s.call("whatsapp_pin_chat", chat_jid=first["chat_jid"])
    second = _chat(s, str(noisy["name"]))
    s.imply("1_week")
    s.call("whatsapp_mute_chat", chat_jid=second["chat_jid"], duration="1_week")
    return speech.sentence(
        _open(s),
        f"Pin my chat with {person['name']} to the top,",
        f"and silence the {noisy['name']} group for a week, it's way too noisy.",
    )


NAMES = ("Maya C.", "Maya Collins", "Maya 🌿", "M. Collins")
ABOUTS = ("At work, reply later", "Out hiking, no signal", "On vacation until Monday", "Busy, text don't call")


@story(ENV)
def new_name_and_about(s: StoryContext) -> str:
    """The name people see and the about text, changed to what she dictates."""
    name, about = s.rng.choice(NAMES), s.rng.choice(ABOUTS)
    profile = s.call("whatsapp_get_profile_info")
    s.call("whatsapp_change_push_name", push_name=s.say(name, f'"{name}"'))
    s.call("whatsapp_update_about", about=s.say(about, f'"{about}"'))
    s.context(profile["push_name"])
    return speech.sentence(_open(s), f'Change the name people see on my WhatsApp to "{name}" and my about to "{about}"')


@story(ENV, implicit=True)
def photo_as_avatar(s: StoryContext) -> str:
    """The only photo taken on a given day becomes the profile photo."""
    photo = s.pick(
        "SELECT * FROM device_files f WHERE file_name LIKE 'IMG_%' AND (SELECT COUNT(*) FROM device_files "
        "g WHERE substr(g.file_name, 5, 8) = substr(f.file_name, 5, 8)) = 1"
    )
    day = str(photo["file_name"])[4:12]
    spoken = speech.date(f"{day[:4]}-{day[4:6]}-{day[6:]}")
    s.imply("image")
    files = s.call("whatsapp_list_device_files", query=s.imply("IMG_" + day), kind="image")
    s.call("whatsapp_change_avatar", file_name=files[0]["file_name"])
    return speech.sentence(
        _open(s),
        speech.choose(
            s.rng, f"I love the photo I took on {spoken}.", f"The picture I took on {spoken} came out great."
        ),
        "Make it my WhatsApp profile picture.",
    )


@story(ENV, weight=1.5)
def where_was_that_place(s: StoryContext) -> str:
    """The name and street address of the last place a friend pinned in their chat."""
    row = _newest_message(s, "m.type = 'location' AND m.from_me = 0 AND m.deleted IS NULL", "n.type = 'location'")
    chat = _chat(s, str(row["friend"]))
    s.imply("location")
    found = s.call("whatsapp_get_chat_messages", chat_jid=chat["chat_jid"], type="location")
    pin = found["messages"][0]
    s.fact(pin["location_name"])
    s.fact(pin["location_address"])
    return speech.sentence(
        _open(s),
        f"{row['friend']} dropped me a pin on WhatsApp for where we're meeting.",
        "What's the place called and what's the street address?",
    )


@story(ENV, weight=1.5)
def did_they_read_it(s: StoryContext) -> str:
    """Whether a contact has read the last thing she sent them (the ticks on her last message)."""
    row = _newest_message(
        s, "m.from_me = 1 AND m.type = 'text' AND m.deleted IS NULL AND m.status != 'read'", "n.deleted IS NULL"
    )
    chat = _chat(s, str(row["friend"]))
    found = s.call("whatsapp_get_chat_messages", chat_jid=chat["chat_jid"], limit=1)
    status = found["messages"][0]["status"]
    s.fact(status)
    s.context(row["body"])
    return speech.sentence(
        _open(s),
        f"{row['friend']} still hasn't answered my last message.",
        "Has it even reached their phone, or did they already read it?",
    )


@story(ENV, implicit=True)
def which_numbers_are_on_whatsapp(s: StoryContext) -> str:
    """Two numbers from a flyer checked at once; the one on WhatsApp gets the dictated message."""
    yes = s.pick(
        "SELECT phone FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.phone = a.phone) "
        "AND phone LIKE '+1%'"
    )
    no = s.pick(
        "SELECT phone FROM contacts c WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.phone = c.phone) "
        "AND phone LIKE '+1%'"
    )
    pair = [yes["phone"], no["phone"]]
    s.rng.shuffle(pair)
    spoken = [f"+1 ({p[2:5]}) {p[5:8]}-{p[8:]}" for p in pair]
    result = s.call("whatsapp_check_phone", phones=[s.say(p, w) for p, w in zip(pair, spoken, strict=True)])
    text = s.rng.choice(
        ("Hi! Do you have any openings for dog walks next week?", "Hello, I saw your flyer. Are you taking new dogs?")
    )
    s.call(
        "whatsapp_send_text_message",
        recipient=next(r["phone"] for r in result if r["on_whatsapp"]),
        text=s.say(text, f'"{text}"'),
    )
    return speech.sentence(
        _open(s),
        f"The dog walker flyer lists two numbers, {spoken[0]} and {spoken[1]}.",
        f'Whichever of them is on WhatsApp, send them "{text}"',
    )


@story(ENV, weight=1.5)
def how_big_is_the_group(s: StoryContext) -> str:
    """How many people a group has and who created it."""
    group = _group_row(
        s, f"p.role IS NOT NULL AND g.owner_phone != '{OWNER}' AND g.owner_phone IN (SELECT phone FROM contacts)"
    )
    chat = _chat(s, str(group["name"]))
    info = s.call("whatsapp_get_group_info", chat_jid=chat["chat_jid"])
    s.fact(info["participant_count"])
    s.fact(next(p["name"] for p in info["participants"] if p["role"] == "superadmin"))
    return speech.sentence(_open(s), f"How many people are in the {group['name']} group, and who started it?")


@story(ENV, weight=1.2)
def unread_groups(s: StoryContext) -> str:
    """Which groups have unread messages, when there are only a few."""
    page = s.call("whatsapp_list_chats", kind=s.imply("group"), unread_only=True)
    if not 1 <= page["total"] <= 5:
        s.reject("too many")
    for chat in page["chats"]:
        s.fact(chat["name"])
    return speech.sentence(_open(s), "Which of my WhatsApp groups have messages I haven't read yet?")


@story(ENV, weight=1.5)
def who_shared_the_file(s: StoryContext) -> str:
    """Who posted a named document in a group, and on what day."""
    row = s.pick(
        "SELECT m.*, c.name AS group_name FROM messages m JOIN chats c ON c.chat_jid = m.chat_jid JOIN contacts k ON "
        "k.phone = m.sender_phone WHERE c.is_group = 1 AND c.archived = 0 AND m.type = 'document' AND m.from_me = 0 "
        "AND m.deleted IS NULL AND (SELECT COUNT(*) FROM messages n WHERE n.chat_jid = m.chat_jid AND n.file_name = "
        "m.file_name) = 1"
    )
    chat = _chat(s, str(row["group_name"]))
    found = s.call("whatsapp_get_chat_messages", chat_jid=chat["chat_jid"], query=s.say(row["file_name"]))
    message = found["messages"][0]
    s.fact(message["sender_name"])
    s.fact(speech.date(message["timestamp"][:10]), derived=True)
    return speech.sentence(
        _open(s),
        f"Somebody posted {row['file_name']} in the {row['group_name']} group.",
        "Who was it, and on what day?",
    )


@story(ENV, weight=1.5)
def last_word_from_friend(s: StoryContext) -> str:
    """The last thing a contact wrote, and when."""
    chat_row = s.pick(
        "SELECT c.* FROM chats c WHERE c.is_group = 0 AND c.archived = 0 AND c.name LIKE '% %' AND c.name IN "
        "(SELECT name FROM contacts) AND (SELECT m.type FROM messages m WHERE m.chat_jid = c.chat_jid AND "
        "m.from_me = 0 AND m.deleted IS NULL ORDER BY m.timestamp DESC LIMIT 1) = 'text'"
    )
    chat = _chat(s, str(chat_row["name"]))
    found = s.call("whatsapp_get_chat_messages", chat_jid=chat["chat_jid"], from_me=False)
    latest = found["messages"][0]
    s.fact(latest["text"])
    s.fact(speech.date(latest["timestamp"][:10]), derived=True)
    return speech.sentence(
        _open(s),
        f"What was the last thing {chat_row['name']} wrote to me on WhatsApp, and what day was that?",
    )
