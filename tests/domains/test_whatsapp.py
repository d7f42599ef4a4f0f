"""The WhatsApp environment: every tool, the E.164 and on-WhatsApp rules, media limits, the delete-for-everyone
window, read receipts, chat-list rules, group permissions and the profile limits, plus seeding and one episode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.communication import whatsapp
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards, random_calls_stay_contained

NOW = whatsapp.models.NOW
OWNER = whatsapp.seed.OWNER_PHONE


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(whatsapp.env)
    yield harness
    harness.close()


def one(h: EpisodeHarness, sql: str, *params: Any) -> dict[str, Any]:
    rows = h.rows(sql, *params)
    assert rows, sql
    return rows[0]


def on_whatsapp(h: EpisodeHarness) -> dict[str, Any]:
    return one(h, "SELECT c.* FROM contacts c JOIN accounts a ON a.phone = c.phone ORDER BY c.phone LIMIT 1")


def not_on_whatsapp(h: EpisodeHarness) -> str:
    row = one(h, "SELECT phone FROM contacts WHERE phone NOT IN (SELECT phone FROM accounts) ORDER BY phone LIMIT 1")
    return str(row["phone"])


def group_where(h: EpisodeHarness, where: str) -> dict[str, Any]:
    return one(
        h,
        "SELECT g.*, p.role AS my_role FROM groups g JOIN group_participants p ON p.chat_jid = g.chat_jid AND "
        f"p.phone = ? WHERE {where} ORDER BY g.chat_jid LIMIT 1",
        OWNER,
    )


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat()


# --------------------------------------------------------------------------------------------------
# Numbers and sending
# --------------------------------------------------------------------------------------------------


def test_check_phone_tells_valid_registered_and_saved(h: EpisodeHarness) -> None:
    friend = on_whatsapp(h)
    absent = not_on_whatsapp(h)
    result = h.ok("whatsapp_check_phone", phones=[friend["phone"], absent, "+1 415 555 0100", "4155550100"])
    assert result[0] == {
        "phone": friend["phone"],
        "valid": True,
        "on_whatsapp": True,
        "jid": friend["phone"][1:] + "@s.whatsapp.net",
        "saved_as": friend["name"],
    }
    assert result[1]["valid"] and not result[1]["on_whatsapp"] and result[1]["jid"] is None
    assert not result[2]["valid"] and not result[3]["valid"]
    h.error("whatsapp_check_phone", phones=[])
    h.error("whatsapp_check_phone", phones=["+14155550100"] * 21)


def test_text_goes_only_to_valid_numbers_on_whatsapp(h: EpisodeHarness) -> None:
    assert "E.164" in h.error("whatsapp_send_text_message", recipient="415-555-0100", text="Hi")
    assert "not on WhatsApp" in h.error("whatsapp_send_text_message", recipient=not_on_whatsapp(h), text="Hi")
    friend = on_whatsapp(h)
    h.error("whatsapp_send_text_message", recipient=friend["phone"], text="   ")
    h.error("whatsapp_send_text_message", recipient=friend["phone"], text="x" * 4097)
    sent = h.ok("whatsapp_send_text_message", recipient=friend["phone"], text="See you at 7")
    assert sent["from_me"] and sent["status"] == "sent" and sent["text"] == "See you at 7"
    assert sent["chat_jid"] == friend["phone"][1:] + "@s.whatsapp.net"
    chat = one(h, "SELECT * FROM chats WHERE chat_jid = ?", sent["chat_jid"])
    assert chat["last_message_at"] == stamp(NOW)


def test_first_message_to_a_new_number_opens_a_chat(h: EpisodeHarness) -> None:
    stranger = one(
        h,
        "SELECT phone FROM accounts WHERE phone NOT IN (SELECT phone FROM contacts) AND phone || '' NOT IN "
        "(SELECT '+' || substr(chat_jid, 1, instr(chat_jid, '@') - 1) FROM chats) ORDER BY phone LIMIT 1",
    )["phone"]
    jid = stranger[1:] + "@s.whatsapp.net"
    assert not h.rows("SELECT 1 FROM chats WHERE chat_jid = ?", jid)
    h.ok("whatsapp_send_text_message", recipient=stranger, text="Hi, is the bike still for sale?")
    assert one(h, "SELECT name, is_group FROM chats WHERE chat_jid = ?", jid) == {"name": stranger, "is_group": 0}


def test_reply_must_quote_a_message_of_the_same_chat(h: EpisodeHarness) -> None:
    message = one(
        h,
        "SELECT m.* FROM messages m JOIN chats c ON c.chat_jid = m.chat_jid WHERE c.is_group = 0 "
        "AND m.deleted IS NULL ORDER BY m.message_id LIMIT 1",
    )
    other = one(
        h, "SELECT message_id FROM messages WHERE chat_jid != ? ORDER BY message_id LIMIT 1", message["chat_jid"]
    )
    h.error(
        "whatsapp_send_text_message",
        recipient=message["chat_jid"],
        text="Yes!",
        reply_to_message_id=other["message_id"],
    )
    h.ok(
        "whatsapp_send_text_message",
        recipient=message["chat_jid"],
        text="Yes!",
        reply_to_message_id=message["message_id"],
    )
    assert h.rows("SELECT 1 FROM messages WHERE reply_to = ?", message["message_id"])


def test_photos_are_limited_to_16_mb_and_documents_to_100_mb(h: EpisodeHarness) -> None:
    friend = on_whatsapp(h)["phone"]
    assert "16 MB" in h.error("whatsapp_send_image", recipient=friend, file_name="Panorama_Yosemite.jpg")
    assert "not a photo" in h.error("whatsapp_send_image", recipient=friend, file_name="Recipe_Lasagna.pdf")
    assert "100 MB" in h.error("whatsapp_send_file", recipient=friend, file_name="Wedding_Video_Raw.mov")
    h.error("whatsapp_send_file", recipient=friend, file_name="no_such_file.pdf")
    doc = h.ok("whatsapp_send_file", recipient=friend, file_name="Panorama_Yosemite.jpg")
    assert doc["type"] == "document" and doc["file_size"] == 23_400_000
    photo = one(
        h,
        "SELECT * FROM device_files WHERE mime_type = 'image/jpeg' AND file_size < 16000000 ORDER BY file_name LIMIT 1",
    )
    h.error("whatsapp_send_image", recipient=friend, file_name=photo["file_name"], caption="x" * 1025)
    sent = h.ok("whatsapp_send_image", recipient=friend, file_name=photo["file_name"], caption="From today")
    assert sent["type"] == "image" and sent["text"] == "From today" and sent["file_size"] == photo["file_size"]


def test_links_get_a_preview_title_when_the_page_is_known(h: EpisodeHarness) -> None:
    friend = on_whatsapp(h)["phone"]
    page = one(h, "SELECT * FROM web_pages ORDER BY url LIMIT 1")
    h.error("whatsapp_send_link", recipient=friend, url="www.example.com")
    sent = h.ok("whatsapp_send_link", recipient=friend, url=page["url"], text="Look")
    assert sent["link_title"] == page["title"] and sent["text"] == f"Look {page['url']}"
    unknown = h.ok("whatsapp_send_link", recipient=friend, url="https://example.org/x")
    assert "link_title" not in unknown


def test_location_from_the_picker_and_coordinate_ranges(h: EpisodeHarness) -> None:
    friend = on_whatsapp(h)["phone"]
    place = h.ok("whatsapp_search_places", query="Dolores Park")[0]
    h.error("whatsapp_search_places", query=" ")
    h.error("whatsapp_send_location", recipient=friend, latitude=91, longitude=0)
    h.error("whatsapp_send_location", recipient=friend, latitude=0, longitude=-181)
    sent = h.ok(
        "whatsapp_send_location",
        recipient=friend,
        latitude=place["latitude"],
        longitude=place["longitude"],
        name=place["name"],
        address=place["address"],
    )
    assert sent["location_name"] == "Dolores Park" and sent["location_address"] == place["address"]


def test_contact_cards_come_from_the_address_book(h: EpisodeHarness) -> None:
    friend = on_whatsapp(h)
    h.error("whatsapp_send_contact", recipient=friend["phone"], contact_phone="+19995550000")
    card = h.ok("whatsapp_send_contact", recipient=friend["phone"], contact_phone=not_on_whatsapp(h))
    assert card["type"] == "contact" and card["contact_phone"] == not_on_whatsapp(h)


def test_forward_copies_the_content_and_marks_it_forwarded(h: EpisodeHarness) -> None:
    pin = one(h, "SELECT * FROM messages WHERE type = 'location' AND deleted IS NULL ORDER BY message_id LIMIT 1")
    friend = on_whatsapp(h)["phone"]
    sent = h.ok("whatsapp_forward_message", message_id=pin["message_id"], recipient=friend)
    assert sent["forwarded"] and sent["location_name"] == pin["location_name"] and sent["latitude"] == pin["latitude"]
    h.ok("whatsapp_delete_message", message_id=pin["message_id"])
    assert "deleted" in h.error("whatsapp_forward_message", message_id=pin["message_id"], recipient=friend)


# --------------------------------------------------------------------------------------------------
# Chats, reading and deleting
# --------------------------------------------------------------------------------------------------


def test_chat_list_pinned_first_then_recent_and_filters(h: EpisodeHarness) -> None:
    page = h.ok("whatsapp_list_chats", limit=50)
    chats = page["chats"]
    pinned = [c for c in chats if c["pinned"]]
    assert pinned and chats[: len(pinned)] == pinned and not any(c["archived"] for c in chats)
    rest = [c["last_message_at"] for c in chats[len(pinned) :]]
    assert rest == sorted(rest, reverse=True)
    archived = h.ok("whatsapp_list_chats", archived=True, limit=50)
    assert archived["total"] > 0 and all(c["archived"] for c in archived["chats"])
    groups = h.ok("whatsapp_list_chats", kind="group", archived=None, limit=50)
    assert groups["total"] == 25 and all(c["is_group"] for c in groups["chats"])
    unread = h.ok("whatsapp_list_chats", unread_only=True, archived=None, limit=50)
    assert unread["total"] > 0 and all(c["unread_count"] > 0 for c in unread["chats"])
    assert h.ok("whatsapp_list_chats", query="Collins Family")["chats"][0]["name"] == "Collins Family"
    h.error("whatsapp_list_chats", limit=0)


def test_chat_messages_newest_first_with_filters(h: EpisodeHarness) -> None:
    family = h.ok("whatsapp_list_chats", query="Collins Family")["chats"][0]["chat_jid"]
    page = h.ok("whatsapp_get_chat_messages", chat_jid=family, limit=50)
    stamps = [m["timestamp"] for m in page["messages"]]
    assert page["total"] >= 40 and stamps == sorted(stamps, reverse=True)
    mine = h.ok("whatsapp_get_chat_messages", chat_jid=family, from_me=True)
    assert mine["messages"] and all(m["from_me"] for m in mine["messages"])
    since = h.ok("whatsapp_get_chat_messages", chat_jid=family, since="2026-03-15")
    assert all(m["timestamp"] >= "2026-03-15" for m in since["messages"])
    h.error("whatsapp_get_chat_messages", chat_jid=family, since="last week")
    h.error("whatsapp_get_chat_messages", chat_jid="nobody@s.whatsapp.net")


def test_archiving_unpins_and_pinning_is_limited_to_three(h: EpisodeHarness) -> None:
    pinned = one(h, "SELECT chat_jid FROM chats WHERE pinned = 1 ORDER BY chat_jid LIMIT 1")["chat_jid"]
    view = h.ok("whatsapp_archive_chat", chat_jid=pinned)
    assert view["archived"] and not view["pinned"]
    h.error("whatsapp_archive_chat", chat_jid=pinned)
    assert "archived" in h.error("whatsapp_pin_chat", chat_jid=pinned)
    h.ok("whatsapp_archive_chat", chat_jid=pinned, archived=False)
    free = [
        r["chat_jid"]
        for r in h.rows("SELECT chat_jid FROM chats WHERE pinned = 0 AND archived = 0 ORDER BY chat_jid LIMIT 3")
    ]
    for jid in free[:2]:
        h.ok("whatsapp_pin_chat", chat_jid=jid)
    assert one(h, "SELECT COUNT(*) AS n FROM chats WHERE pinned = 1")["n"] == 3
    assert "only 3" in h.error("whatsapp_pin_chat", chat_jid=free[2])
    h.ok("whatsapp_pin_chat", chat_jid=free[0], pinned=False)


def test_mute_for_a_week_and_unmute(h: EpisodeHarness) -> None:
    jid = one(h, "SELECT chat_jid FROM chats WHERE muted_until IS NULL ORDER BY chat_jid LIMIT 1")["chat_jid"]
    h.error("whatsapp_mute_chat", chat_jid=jid, duration="off")
    assert h.ok("whatsapp_mute_chat", chat_jid=jid, duration="1_week")["muted"]
    assert one(h, "SELECT muted_until FROM chats WHERE chat_jid = ?", jid)["muted_until"] == stamp(
        NOW + dt.timedelta(days=7)
    )
    assert not h.ok("whatsapp_mute_chat", chat_jid=jid, duration="off")["muted"]


def test_reading_a_message_reads_every_earlier_one(h: EpisodeHarness) -> None:
    chat = one(h, "SELECT * FROM chats WHERE unread_count >= 2 ORDER BY chat_jid LIMIT 1")
    unread = h.rows(
        "SELECT * FROM messages WHERE chat_jid = ? AND status = 'unread' ORDER BY timestamp, message_id",
        chat["chat_jid"],
    )
    assert len(unread) == chat["unread_count"]
    result = h.ok("whatsapp_mark_message_read", message_id=unread[-2]["message_id"])
    assert result == {"chat_jid": chat["chat_jid"], "marked_read": len(unread) - 1, "unread_count": 1}
    assert h.error("whatsapp_mark_message_read", message_id=unread[0]["message_id"]).endswith("already read.")
    mine = one(h, "SELECT message_id FROM messages WHERE from_me = 1 ORDER BY message_id LIMIT 1")
    h.error("whatsapp_mark_message_read", message_id=mine["message_id"])


def test_delete_for_everyone_only_own_messages_within_60_hours(h: EpisodeHarness) -> None:
    limit = stamp(NOW - dt.timedelta(hours=60))
    young = one(h, "SELECT * FROM messages WHERE from_me = 1 AND timestamp > ? ORDER BY timestamp DESC LIMIT 1", limit)
    old = one(h, "SELECT * FROM messages WHERE from_me = 1 AND timestamp < ? ORDER BY message_id LIMIT 1", limit)
    theirs = one(h, "SELECT * FROM messages WHERE from_me = 0 ORDER BY message_id LIMIT 1")
    assert "60 hours" in h.error("whatsapp_delete_message", message_id=old["message_id"], for_everyone=True)
    assert "only for yourself" in h.error("whatsapp_delete_message", message_id=theirs["message_id"], for_everyone=True)
    assert (
        h.ok("whatsapp_delete_message", message_id=young["message_id"], for_everyone=True)["deleted_for"] == "everyone"
    )
    h.error("whatsapp_delete_message", message_id=young["message_id"])
    h.ok("whatsapp_delete_message", message_id=old["message_id"])
    page = h.ok("whatsapp_get_chat_messages", chat_jid=young["chat_jid"], limit=50, since=young["timestamp"])
    revoked = [m for m in page["messages"] if m["message_id"] == young["message_id"]]
    assert revoked and revoked[0]["type"] == "revoked" and revoked[0]["text"] == "This message was deleted"
    everything = h.ok("whatsapp_get_chat_messages", chat_jid=old["chat_jid"], limit=50, since=old["timestamp"])
    assert old["message_id"] not in {m["message_id"] for m in everything["messages"]}


# --------------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------------


def test_create_group_rules_and_result(h: EpisodeHarness) -> None:
    friends = [
        r["phone"]
        for r in h.rows("SELECT c.phone FROM contacts c JOIN accounts a ON a.phone = c.phone ORDER BY c.phone LIMIT 3")
    ]
    h.error("whatsapp_create_group", subject="x" * 101, participants=friends)
    h.error("whatsapp_create_group", subject=" ", participants=friends)
    h.error("whatsapp_create_group", subject="Tahoe", participants=[*friends, not_on_whatsapp(h)])
    h.error("whatsapp_create_group", subject="Tahoe", participants=[*friends, OWNER])
    h.error("whatsapp_create_group", subject="Tahoe", participants=[friends[0], friends[0]])
    info = h.ok("whatsapp_create_group", subject="Tahoe Ski Weekend", participants=friends, description="Feb 6-8")
    assert info["chat_jid"].endswith("@g.us") and info["my_role"] == "superadmin" and info["owner_phone"] == OWNER
    assert info["participant_count"] == 4 and info["description"] == "Feb 6-8"
    assert {p["phone"] for p in info["participants"] if p["role"] == "member"} == set(friends)
    assert h.ok("whatsapp_get_group_info", chat_jid=info["chat_jid"])["subject"] == "Tahoe Ski Weekend"


def test_only_admins_add_when_the_group_says_so(h: EpisodeHarness) -> None:
    locked = group_where(h, "g.add_admins_only = 1 AND p.role = 'member'")
    newcomer = one(
        h,
        "SELECT c.phone FROM contacts c JOIN accounts a ON a.phone = c.phone WHERE c.phone NOT IN "
        "(SELECT phone FROM group_participants WHERE chat_jid = ?) ORDER BY c.phone LIMIT 1",
        locked["chat_jid"],
    )["phone"]
    assert "Only admins" in h.error(
        "whatsapp_add_group_participants", chat_jid=locked["chat_jid"], participants=[newcomer]
    )
    admin = group_where(h, "p.role != 'member'")
    member = one(
        h,
        "SELECT phone FROM group_participants WHERE chat_jid = ? AND phone != ? ORDER BY phone LIMIT 1",
        admin["chat_jid"],
        OWNER,
    )["phone"]
    h.error("whatsapp_add_group_participants", chat_jid=admin["chat_jid"], participants=[member])
    h.error("whatsapp_add_group_participants", chat_jid=admin["chat_jid"], participants=[not_on_whatsapp(h)])
    outsider = one(
        h,
        "SELECT c.phone FROM contacts c JOIN accounts a ON a.phone = c.phone WHERE c.phone NOT IN "
        "(SELECT phone FROM group_participants WHERE chat_jid = ?) ORDER BY c.phone LIMIT 1",
        admin["chat_jid"],
    )["phone"]
    before = h.ok("whatsapp_get_group_info", chat_jid=admin["chat_jid"])["participant_count"]
    added = h.ok("whatsapp_add_group_participants", chat_jid=admin["chat_jid"], participants=[outsider])
    assert added["participant_count"] == before + 1


def test_removing_needs_an_admin_and_never_removes_the_creator(h: EpisodeHarness) -> None:
    plain = group_where(h, "p.role = 'member'")
    someone = one(
        h,
        "SELECT phone FROM group_participants WHERE chat_jid = ? AND phone != ? ORDER BY phone LIMIT 1",
        plain["chat_jid"],
        OWNER,
    )["phone"]
    assert "not an admin" in h.error(
        "whatsapp_remove_group_participants", chat_jid=plain["chat_jid"], participants=[someone]
    )
    run = group_where(h, "p.role = 'admin' AND g.owner_phone != p.phone")
    assert "cannot be removed" in h.error(
        "whatsapp_remove_group_participants", chat_jid=run["chat_jid"], participants=[run["owner_phone"]]
    )
    h.error("whatsapp_remove_group_participants", chat_jid=run["chat_jid"], participants=[OWNER])
    member = one(
        h,
        "SELECT phone FROM group_participants WHERE chat_jid = ? AND role = 'member' ORDER BY phone LIMIT 1",
        run["chat_jid"],
    )["phone"]
    h.ok("whatsapp_remove_group_participants", chat_jid=run["chat_jid"], participants=[member])
    assert not h.rows("SELECT 1 FROM group_participants WHERE chat_jid = ? AND phone = ?", run["chat_jid"], member)
    h.error("whatsapp_remove_group_participants", chat_jid=run["chat_jid"], participants=[member])


def test_group_info_edits_respect_the_admin_only_setting(h: EpisodeHarness) -> None:
    locked = group_where(h, "g.info_admins_only = 1 AND p.role = 'member'")
    assert "Only admins" in h.error("whatsapp_update_group_name", chat_jid=locked["chat_jid"], subject="New name")
    h.error("whatsapp_update_group_description", chat_jid=locked["chat_jid"], description="New")
    h.error("whatsapp_update_group_settings", chat_jid=locked["chat_jid"], info_admins_only=False)
    open_group = group_where(h, "g.info_admins_only = 0 AND p.role = 'member'")
    h.error("whatsapp_update_group_name", chat_jid=open_group["chat_jid"], subject="y" * 101)
    assert h.ok("whatsapp_update_group_name", chat_jid=open_group["chat_jid"], subject="Lunch Club")["subject"] == (
        "Lunch Club"
    )
    assert one(h, "SELECT name FROM chats WHERE chat_jid = ?", open_group["chat_jid"])["name"] == "Lunch Club"
    info = h.ok("whatsapp_update_group_description", chat_jid=open_group["chat_jid"], description="Fridays at noon")
    assert info["description"] == "Fridays at noon"
    mine = group_where(h, "p.role = 'superadmin' AND g.info_admins_only = 0")
    assert h.ok("whatsapp_update_group_settings", chat_jid=mine["chat_jid"], info_admins_only=True)["info_admins_only"]
    h.error("whatsapp_update_group_settings", chat_jid=mine["chat_jid"], info_admins_only=True)


def test_last_admin_leaving_hands_admin_over_and_the_chat_goes_read_only(h: EpisodeHarness) -> None:
    friends = [
        r["phone"]
        for r in h.rows("SELECT c.phone FROM contacts c JOIN accounts a ON a.phone = c.phone ORDER BY c.phone LIMIT 3")
    ]
    mine = h.ok("whatsapp_create_group", subject="Brunch", participants=friends)["chat_jid"]
    first = min(friends)
    info = h.ok("whatsapp_leave_group", chat_jid=mine)
    assert (
        info["my_role"] is None
        and {"phone": first, "role": "admin"}.items()
        <= {**next(p for p in info["participants"] if p["phone"] == first)}.items()
    )
    assert "no longer a participant" in h.error("whatsapp_send_text_message", recipient=mine, text="Hello?")
    h.error("whatsapp_leave_group", chat_jid=mine)
    assert h.rows("SELECT 1 FROM chats WHERE chat_jid = ?", mine)


def test_group_tools_refuse_one_to_one_chats(h: EpisodeHarness) -> None:
    jid = one(h, "SELECT chat_jid FROM chats WHERE is_group = 0 ORDER BY chat_jid LIMIT 1")["chat_jid"]
    assert "not a group" in h.error("whatsapp_get_group_info", chat_jid=jid)


# --------------------------------------------------------------------------------------------------
# Profile, contacts, files
# --------------------------------------------------------------------------------------------------


def test_profile_name_about_and_avatar_limits(h: EpisodeHarness) -> None:
    profile = h.ok("whatsapp_get_profile_info")
    assert profile["phone"] == OWNER and profile["push_name"] == "Maya"
    assert "25 characters" in h.error("whatsapp_change_push_name", push_name="Maya Collins from San Francisco")
    h.error("whatsapp_change_push_name", push_name="Maya")
    h.error("whatsapp_change_push_name", push_name="  ")
    assert h.ok("whatsapp_change_push_name", push_name="Maya C.")["push_name"] == "Maya C."
    h.error("whatsapp_update_about", about="x" * 140)
    assert h.ok("whatsapp_update_about", about="At work")["about"] == "At work"
    h.error("whatsapp_change_avatar", file_name="Recipe_Lasagna.pdf")
    h.error("whatsapp_change_avatar", file_name="Panorama_Yosemite.jpg")
    photo = h.ok("whatsapp_list_device_files", kind="image")[0]["file_name"]
    assert h.ok("whatsapp_change_avatar", file_name=photo)["avatar_file"] == photo
    h.error("whatsapp_change_avatar", file_name=photo)


def test_contacts_search_and_on_whatsapp_filter(h: EpisodeHarness) -> None:
    mom = h.ok("whatsapp_get_contacts", query="Mom")["contacts"]
    assert any(c["name"] == "Mom" and c["on_whatsapp"] for c in mom)
    absent = h.ok("whatsapp_get_contacts", on_whatsapp=False, limit=50)
    assert absent["total"] > 0 and not any(c["on_whatsapp"] for c in absent["contacts"])
    names = [c["name"] for c in h.ok("whatsapp_get_contacts", limit=50)["contacts"]]
    assert names == sorted(names)


def test_device_files_newest_first_by_kind(h: EpisodeHarness) -> None:
    files = h.ok("whatsapp_list_device_files", kind="document", limit=50)
    assert files and all(not f["mime_type"].startswith("image/") for f in files)
    stamps = [f["modified_at"] for f in files]
    assert stamps == sorted(stamps, reverse=True)
    assert h.ok("whatsapp_list_device_files", query="Panorama")[0]["file_size"] == 23_400_000


# --------------------------------------------------------------------------------------------------
# Seeding, fuzzing, one episode
# --------------------------------------------------------------------------------------------------


def test_seeded_world_is_realistic_and_consistent() -> None:
    snapshot = get_snapshot(whatsapp.env, 0)
    counts = {table: len(snapshot.rows(table)) for table in snapshot.tables}
    assert counts["contacts"] == 300 and counts["chats"] >= 115 and counts["groups"] == 25
    assert counts["messages"] >= 2500 and counts["accounts"] >= 250 and counts["places"] >= 40
    chats = snapshot.rows("chats")
    messages = snapshot.rows("messages")
    unread: dict[str, int] = {}
    for message in messages:
        if message["status"] == "unread":
            unread[message["chat_jid"]] = unread.get(message["chat_jid"], 0) + 1
    assert all(c["unread_count"] == unread.get(c["chat_jid"], 0) for c in chats)
    assert {m["type"] for m in messages} == set(whatsapp.models.MESSAGE_TYPES)
    assert all(whatsapp.models.E164.fullmatch(c["phone"]) for c in snapshot.rows("contacts"))
    assert all(m["timestamp"] < stamp(NOW) for m in messages)
    assert sum(c["pinned"] for c in chats) <= whatsapp.models.MAX_PINNED
    assert get_snapshot(whatsapp.env, 0).rows("messages") == messages


def test_random_calls_stay_contained(h: EpisodeHarness) -> None:
    random_calls_stay_contained(h, calls=300)


def late_task() -> Task:
    h = EpisodeHarness(whatsapp.env)
    family = one(h, "SELECT chat_jid FROM chats WHERE name = 'Collins Family'")["chat_jid"]
    place = one(h, "SELECT * FROM places WHERE name = 'Dolores Park'")
    h.close()
    calls = [
        GoldCall(env_id="whatsapp", tool="whatsapp_list_chats", arguments={"query": "Collins Family"}),
        GoldCall(
            env_id="whatsapp",
            tool="whatsapp_send_text_message",
            arguments={"recipient": family, "text": "Running late, start without me"},
        ),
        GoldCall(
            env_id="whatsapp",
            tool="whatsapp_send_location",
            arguments={
                "recipient": family,
                "latitude": place["latitude"],
                "longitude": place["longitude"],
                "name": "Dolores Park",
                "address": place["address"],
            },
        ),
    ]
    task = Task(
        task_id="whatsapp-late-e2e",
        domain="communication",
        env_ids=["whatsapp"],
        goal="write",
        query='Tell the Collins Family group "Running late, start without me" and drop a pin at Dolores Park.',
        gold_calls=calls,
    )
    return with_gold_changes(task)


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    task = late_task()
    assert {(c.table, c.op) for c in task.gold_changes} >= {("messages", "insert")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
