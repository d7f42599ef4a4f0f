"""Slack stories: one member of the Northwind Labs workspace, one storyline each.

They cover what people do in Slack: catching up on a decision made in a thread while they were away (and
acknowledging it), answering an open question in its thread, finding who asked about a deploy and replying to
them, setting up a private project channel with the people they name, pinning a runbook, celebrating an
announcement, fixing or deleting their own messages, taking back a reaction, unpinning, updating a channel's
header, renaming or archiving a channel, joining, leaving and inviting, removing someone (which only the
channel's creator or an admin may do), messaging a colleague directly, and looking people up. The state decides
refusals the request does not announce: archived channels take no posts, #general cannot be left, deactivated
accounts cannot be invited. People name channels with '#', colleagues by their real names, never ids or ts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

ENV = "slack"
EDITS = (
    ("Thursday", "Friday"),
    ("tonight", "tomorrow night"),
    ("Monday", "Tuesday"),
    ("next week", "this week"),
    ("10 min", "15 min"),
    ("after lunch", "before lunch"),
    ("3pm", "4pm"),
    ("tomorrow", "on Friday"),
)
ANSWERS = (
    "We're using the one in the design system v3 library, link is pinned in #design",
    "Going with what we shipped on web last month, I'll share the file",
    "Same as the marketing site for now, we'll revisit in Q2",
    "The new one from the brand refresh, Figma has it under Tokens",
)
DEPLOY_REPLIES = (
    "It's going out with the 2pm train today",
    "Shipping tomorrow morning after QA signs off",
    "It's on hold until the rollback is investigated, I'll post here when it moves",
    "Went out an hour ago, you should see it now",
)
CODENAMES = ("orion", "harbor", "lighthouse", "juniper", "sequoia", "falcon", "meridian", "tundra")
DM_TEXTS = (
    "Can you send me the latest numbers before the 3pm sync?",
    "Thanks for covering for me yesterday!",
    "Do you have 15 minutes tomorrow to go over the rollout plan?",
    "Could you review my doc when you get a chance?",
)
POSTS = (
    "Hi all, I'll be helping out here for the next few weeks",
    "Is there a recording of last week's demo?",
    "Happy to pair on this if anyone needs a hand",
    "Who's the best person to ask about access here?",
)
TOPICS = (
    "Standup moved to 10:30 PT",
    "Code freeze starts Thursday at noon",
    "Office hours Wednesdays 2-3pm",
    "Read the pinned onboarding doc first",
)
PURPOSES = (
    "Coordination for the spring release",
    "Questions and help for new joiners",
    "Weekly updates and decisions, nothing urgent",
)


def _me(s: StoryContext, user: dict[str, Any]) -> str:
    s.person(ENV, s.say(user["username"]))
    return speech.choose(
        s.rng,
        f"My Slack username is {user['username']}.",
        f"I'm @{user['username']} on Slack.",
        f"This is {user['username']} on Slack.",
    )


def _member(s: StoryContext, channel_name: str, extra: str = "") -> dict[str, Any]:
    """An active member of a named channel (with an optional extra condition on u)."""
    return s.pick(
        "SELECT u.* FROM users u JOIN channel_members m ON m.user_id = u.user_id JOIN channels c ON c.channel_id = "
        f"m.channel_id WHERE c.name = ? AND u.deleted = 0 {extra}",
        (channel_name,),
    )


def _channel(s: StoryContext, name: str) -> str:
    s.say(name, f"#{name}")
    return f"#{name}"


def _day(value: dt.date) -> str:
    return value.isoformat()


def _find(s: StoryContext, query: str, username: str, predicate: Any) -> dict[str, Any]:
    """The one search match the person means; rejected when the search is ambiguous."""
    found = s.call("conversations_search_messages", username=username, query=s.imply(query))
    chosen = [m for m in found["matches"] if predicate(m)]
    if len(chosen) != 1 or found["total"] > 20:
        s.reject("the search does not single the message out")
    return chosen[0]


def _user_id(s: StoryContext, username: str, real_name: str) -> str:
    listed = s.call("users_list", username=username, query=s.say(real_name))
    exact = [m for m in listed["members"] if m["real_name"] == real_name]
    if len(exact) != 1:
        s.reject("the name is ambiguous")
    return exact[0]["user_id"]


def _yesterdays_poll(s: StoryContext, username: str) -> tuple[dict[str, Any], dict[str, Any]]:
    yesterday = s.now().date() - dt.timedelta(days=1)
    page = s.call(
        "conversations_history",
        username=username,
        channel="design",
        oldest=s.imply(_day(yesterday)),
        latest=s.imply(_day(s.now().date())),
    )
    polls = [m for m in page["messages"] if m["text"].startswith("Quick poll") and m["reply_count"]]
    if len(polls) != 1 or page["has_more"]:
        s.reject("not exactly one poll yesterday")
    thread = s.call("conversations_replies", username=username, channel="design", ts=polls[0]["ts"])
    decision = next((m for m in thread["messages"] if m["text"].startswith("Decision:")), None)
    if decision is None:
        s.reject("no decision in the thread")
    return polls[0], decision


# --------------------------------------------------------------------------------------------------
# Catching up and answering
# --------------------------------------------------------------------------------------------------


@story(ENV, implicit=True, weight=1.3)
def what_design_decided_yesterday(s: StoryContext) -> str:
    """Away yesterday: what the poll thread in #design settled on, and who made the call."""
    me = _member(s, "design")
    line = _me(s, me)
    _channel(s, "design")
    _poll, decision = _yesterdays_poll(s, me["username"])
    choice = decision["text"].split("going with ", 1)[1].split(". ", 1)[0]
    s.fact(choice, derived=True)
    s.fact(decision["user_name"])
    profile = s.call("users_info", username=me["username"], user=decision["user"])
    s.fact(profile["title"])
    return speech.sentence(
        speech.opening(s.rng, s.now()),
        line,
        speech.choose(
            s.rng,
            "I was out yesterday and missed the poll thread in #design.",
            "I was off yesterday and there was a poll going in #design.",
        ),
        speech.choose(
            s.rng,
            "What did they end up deciding, and who made the call (and what do they do)?",
            "What was the decision, who decided it, and what's that person's role?",
        ),
    )


@story(ENV, implicit=True, weight=1.4)
def acknowledge_design_decision(s: StoryContext) -> str:
    """Catch up on yesterday's #design poll and mark the decision as seen with a check mark."""
    me = _member(s, "design")
    line = _me(s, me)
    _channel(s, "design")
    _poll, decision = _yesterdays_poll(s, me["username"])
    if any(r["name"] == "white_check_mark" and me["user_id"] in r["users"] for r in decision["reactions"]):
        s.reject("already acknowledged")
    s.call(
        "reactions_add",
        username=me["username"],
        channel="design",
        ts=decision["ts"],
        name=s.say("white_check_mark", "check mark"),
    )
    choice = decision["text"].split("going with ", 1)[1].split(". ", 1)[0]
    s.fact(choice, derived=True)
    return speech.sentence(
        line,
        "Yesterday's poll thread in #design got settled while I was out.",
        "Tell me what they decided, and put a check mark reaction on the decision so they know I've seen it.",
    )


@story(ENV)
def answer_open_design_question(s: StoryContext) -> str:
    """Someone asked in #design which asset to use; the person answers in that thread."""
    me = _member(s, "design")
    line = _me(s, me)
    question = s.pick(
        "SELECT m.* FROM messages m JOIN channels c ON c.channel_id = m.channel_id WHERE c.name = "
        "'design' AND m.text LIKE 'Which %' AND m.reply_count = 0 AND m.user_id != ?",
        (me["user_id"],),
    )
    thing = question["text"].removeprefix("Which ").split(" are we using")[0]
    s.say(thing)
    hit = _find(s, f"{thing} in:#design", me["username"], lambda m: m["ts"] == question["ts"])
    answer = s.rng.choice(ANSWERS)
    s.call(
        "conversations_add_message",
        username=me["username"],
        channel=_design_said(s),
        text=s.say(answer),
        thread_ts=hit["ts"],
    )
    return speech.sentence(
        line,
        f"Someone asked in #design which {thing} we're using.",
        f'Please answer them in their thread: "{answer}"',
    )


def _design_said(s: StoryContext) -> str:
    s.say("design", "#design")
    return "design"


@story(ENV, implicit=True, weight=1.3)
def reply_to_deploy_question(s: StoryContext) -> str:
    """Someone asked about a service's deploy: find who, reply in their thread, and say who it was."""
    question = s.pick(
        "SELECT m.*, c.name AS channel_name FROM messages m JOIN channels c ON c.channel_id = "
        "m.channel_id WHERE m.text LIKE '% deploy%' AND m.thread_ts IS NULL AND "
        "(m.text LIKE 'Does anyone%' OR m.text LIKE 'Is the%' OR m.text LIKE 'Any ETA%')"
    )
    service = question["text"].split(" deploy")[0].split()[-1]
    me = _member(s, question["channel_name"], "AND u.user_id != '" + question["user_id"] + "'")
    line = _me(s, me)
    s.say(service)
    hit = _find(s, f"{service} deploy", me["username"], lambda m: m["ts"] == question["ts"])
    thread = s.call("conversations_replies", username=me["username"], channel=hit["channel_id"], ts=hit["ts"])
    reply = s.rng.choice(DEPLOY_REPLIES)
    s.fact(hit["user_name"])
    if len(thread["messages"]) > 1:
        s.fact(thread["messages"][1]["user_name"])
        s.say(reply)
    else:
        s.call(
            "conversations_add_message",
            username=me["username"],
            channel=hit["channel_id"],
            text=s.say(reply),
            thread_ts=hit["ts"],
        )
    return speech.sentence(
        line,
        f"Somebody was asking about the {service} deploy.",
        f'Find who it was and, unless someone already answered them, reply in that thread: "{reply}". '
        "Tell me who asked, and who answered if somebody beat me to it.",
    )


@story(ENV, weight=1.3)
def who_asked_about_deploy(s: StoryContext) -> str:
    """Who asked about a deploy, in which channel, and what that person does."""
    question = s.pick(
        "SELECT m.*, c.name AS channel_name FROM messages m JOIN channels c ON c.channel_id = "
        "m.channel_id WHERE m.thread_ts IS NULL AND (m.text LIKE 'Does anyone know when the %' OR "
        "m.text LIKE 'Is the % deploy%' OR m.text LIKE 'Any ETA on the %')"
    )
    service = question["text"].split(" deploy")[0].split()[-1]
    me = _member(s, "engineering")
    line = _me(s, me)
    s.say(service)
    hit = _find(s, f"{service} deploy", me["username"], lambda m: m["ts"] == question["ts"])
    profile = s.call("users_info", username=me["username"], user=hit["user"])
    thread = s.call("conversations_replies", username=me["username"], channel=hit["channel_id"], ts=hit["ts"])
    s.fact(hit["user_name"])
    s.fact(hit["channel_name"])
    s.fact(profile["title"])
    s.fact("yes" if len(thread["messages"]) > 1 else "no", derived=True)
    return speech.sentence(
        line,
        f"Someone asked about the {service} deploy and I'd like to follow up.",
        "Who was it, which channel was it in, what's their role, and did anybody answer them?",
    )


# --------------------------------------------------------------------------------------------------
# Channels
# --------------------------------------------------------------------------------------------------


@story(ENV, weight=1.3)
def private_project_channel(s: StoryContext) -> str:
    """Kick off a project: a private channel with the two colleagues the person names."""
    me = s.pick("SELECT * FROM users WHERE deleted = 0 AND title LIKE '%Manager%'")
    line = _me(s, me)
    codename = s.rng.choice(CODENAMES)
    name = f"proj-{codename}"
    people = s.sample("SELECT * FROM users WHERE deleted = 0 AND user_id != ? ORDER BY user_id", 2, (me["user_id"],))
    s.call("conversations_create", username=me["username"], name=s.say(name), is_private=s.imply(True))
    ids = [_user_id(s, me["username"], person["real_name"]) for person in people]
    s.call("conversations_invite", username=me["username"], channel=name, users=ids)
    return speech.sentence(
        line,
        speech.choose(s.rng, f"We're starting project {codename.capitalize()}.", "I'm kicking off a new project."),
        f"Please set up a private channel called {name} and add "
        f"{people[0]['real_name']} and {people[1]['real_name']} to it.",
    )


@story(ENV)
def post_in_channel_unless_archived(s: StoryContext) -> str:
    """Post an update in a channel; an archived one refuses it, and the person hears why."""
    channel = s.pick("SELECT * FROM channels WHERE is_im = 0 AND is_private = 0 AND name != 'general'")
    me = _member(s, channel["name"])
    line = _me(s, me)
    label = _channel(s, channel["name"])
    text = s.rng.choice(POSTS)
    if channel["is_archived"]:
        info = s.call("conversations_info", username=me["username"], channel=channel["name"])
        s.fact("archived", derived=True)
        s.context(info["archived_by_name"])
    else:
        s.call("conversations_add_message", username=me["username"], channel=channel["name"], text=s.say(text))
    return speech.sentence(line, f'Please post this in {label} for me: "{text}"')


@story(ENV, weight=0.6)
def post_in_archived_channel(s: StoryContext) -> str:
    """An old project channel is archived: the post is refused, and the person learns who archived it."""
    channel = s.pick("SELECT * FROM channels WHERE is_archived = 1")
    me = _member(s, channel["name"])
    line = _me(s, me)
    label = _channel(s, channel["name"])
    text = s.say(s.rng.choice(POSTS))
    info = s.call("conversations_info", username=me["username"], channel=channel["name"])
    s.fact(info["archived_by_name"])
    return speech.sentence(
        line,
        f'Can you post "{text}" in {label}?',
        "If that doesn't work, tell me who I should talk to about it.",
    )


def _remove_member(s: StoryContext, creator: bool) -> str:
    """Remove someone who moved teams: done when the person created the channel or is an admin, else refused."""
    channel = s.pick("SELECT * FROM channels WHERE is_im = 0 AND is_archived = 0 AND name != 'general'")
    me = _member(s, channel["name"], f"AND u.user_id = '{channel['creator']}'" if creator else "")
    other = s.pick(
        "SELECT u.* FROM users u JOIN channel_members m ON m.user_id = u.user_id WHERE m.channel_id = ? "
        "AND u.user_id != ? AND u.deleted = 0",
        (channel["channel_id"], me["user_id"]),
    )
    line = _me(s, me)
    label = _channel(s, channel["name"])
    user_id = _user_id(s, me["username"], other["real_name"])
    info = s.call("conversations_info", username=me["username"], channel=channel["name"])
    if me["is_admin"] or channel["creator"] == me["user_id"]:
        s.call("conversations_kick", username=me["username"], channel=channel["name"], user=user_id)
    else:
        s.fact(info["creator_name"])
    return speech.sentence(
        line,
        f"{other['real_name']} moved to another team.",
        f"Please take them out of {label}.",
        "If I'm not allowed to, tell me who is.",
    )


@story(ENV, implicit=True)
def remove_member_if_allowed(s: StoryContext) -> str:
    """Someone asks to remove a member: refused unless they created the channel or are an admin."""
    return _remove_member(s, creator=False)


@story(ENV, implicit=True, weight=0.8)
def remove_member_from_my_channel(s: StoryContext) -> str:
    """The channel's creator removes a member who moved teams."""
    return _remove_member(s, creator=True)


@story(ENV, weight=0.8)
def rename_my_channel(s: StoryContext) -> str:
    """The creator renames a channel they made."""
    channel = s.pick(
        "SELECT c.*, u.username FROM channels c JOIN users u ON u.user_id = c.creator WHERE c.is_im = 0 "
        "AND c.is_archived = 0 AND c.name != 'general' AND u.deleted = 0"
    )
    me = s.rows("SELECT * FROM users WHERE user_id = ?", (channel["creator"],))[0]
    line = _me(s, me)
    label = _channel(s, channel["name"])
    new = f"{channel['name']}-2025"
    s.call("conversations_rename", username=me["username"], channel=channel["name"], name=s.say(new))
    return speech.sentence(line, f"I'd like to rename {label}, which I set up, to {new}.")


@story(ENV, implicit=True, weight=0.8)
def wrap_up_project_channel(s: StoryContext) -> str:
    """A project is over: its channel gets archived."""
    channel = s.pick("SELECT * FROM channels WHERE name LIKE 'proj-%' AND is_archived = 0")
    me = _member(s, channel["name"])
    line = _me(s, me)
    label = _channel(s, channel["name"])
    s.call("conversations_archive", username=me["username"], channel=channel["name"])
    return speech.sentence(
        line,
        f"The project behind {label} is wrapped up and nobody needs to post there anymore.",
        "Close it down but keep the history.",
    )


@story(ENV)
def update_channel_header(s: StoryContext) -> str:
    """New standing information goes in a channel's topic, or its description in the purpose."""
    channel = s.pick("SELECT * FROM channels WHERE is_im = 0 AND is_archived = 0 AND name != 'general'")
    me = _member(s, channel["name"])
    line = _me(s, me)
    label = _channel(s, channel["name"])
    if s.rng.random() < 0.6:
        topic = s.rng.choice(TOPICS)
        s.call("conversations_set_topic", username=me["username"], channel=channel["name"], topic=s.say(topic))
        ask = f'Put "{topic}" in the header of {label} so everyone sees it.'
    else:
        purpose = s.rng.choice(PURPOSES)
        s.call("conversations_set_purpose", username=me["username"], channel=channel["name"], purpose=s.say(purpose))
        ask = f'Change what {label} is for, its description, to "{purpose}".'
    return speech.sentence(line, ask)


@story(ENV, implicit=True)
def quiet_my_sidebar(s: StoryContext) -> str:
    """Leave two busy social channels; when one of them is #general it stays, and the person hears why."""
    me = s.pick(
        "SELECT u.* FROM users u WHERE u.deleted = 0 AND (SELECT COUNT(*) FROM channel_members m JOIN "
        "channels c ON c.channel_id = m.channel_id WHERE m.user_id = u.user_id AND c.name IN ('random', "
        "'watercooler', 'pets', 'books', 'running-club') AND c.is_archived = 0) >= 2"
    )
    line = _me(s, me)
    mine = s.rows(
        "SELECT c.name FROM channels c JOIN channel_members m ON m.channel_id = c.channel_id WHERE "
        "m.user_id = ? AND c.name IN ('random', 'watercooler', 'pets', 'books', 'running-club') ORDER BY "
        "c.name",
        (me["user_id"],),
    )
    chosen = [row["name"] for row in s.rng.sample(mine, 2)]
    if s.rng.random() < 0.35:
        chosen[1] = "general"
    labels = [_channel(s, name) for name in chosen]
    for name in chosen:
        if name != "general":
            s.call("conversations_leave", username=me["username"], channel=name)
    return speech.sentence(
        line,
        "Too many notifications lately.",
        f"Get me out of {speech.listing(labels)}, please.",
    )


@story(ENV)
def join_and_introduce(s: StoryContext) -> str:
    """Join a public channel and post a first message there."""
    channel = s.pick("SELECT * FROM channels WHERE is_im = 0 AND is_private = 0 AND is_archived = 0")
    me = s.pick(
        "SELECT * FROM users u WHERE deleted = 0 AND NOT EXISTS (SELECT 1 FROM channel_members m WHERE "
        "m.user_id = u.user_id AND m.channel_id = ?)",
        (channel["channel_id"],),
    )
    line = _me(s, me)
    label = _channel(s, channel["name"])
    text = s.rng.choice(POSTS)
    s.call("conversations_join", username=me["username"], channel=channel["name"])
    s.call("conversations_add_message", username=me["username"], channel=channel["name"], text=s.say(text))
    return speech.sentence(line, f'Join {label} for me and post "{text}" there.')


@story(ENV, implicit=True)
def add_colleague_to_channel(s: StoryContext) -> str:
    """Add a colleague to a channel the person is in; a deactivated account cannot be added."""
    channel = s.pick("SELECT * FROM channels WHERE is_im = 0 AND is_archived = 0 AND name != 'general'")
    me = _member(s, channel["name"])
    other = s.pick(
        "SELECT * FROM users u WHERE deleted = ? AND NOT EXISTS (SELECT 1 FROM channel_members m WHERE m.user_id = "
        "u.user_id AND m.channel_id = ?)",
        (int(s.rng.random() < 0.35), channel["channel_id"]),
    )
    line = _me(s, me)
    label = _channel(s, channel["name"])
    listed = s.call(
        "users_list", username=me["username"], query=s.say(other["real_name"]), include_deactivated=s.imply(True)
    )
    exact = [m for m in listed["members"] if m["real_name"] == other["real_name"]]
    if len(exact) != 1:
        s.reject("ambiguous name")
    if other["deleted"]:
        s.fact("deactivated", derived=True)
    else:
        s.call("conversations_invite", username=me["username"], channel=channel["name"], users=[exact[0]["user_id"]])
    return speech.sentence(line, f"{other['real_name']} should be in {label} from now on; can you get them in?")


# --------------------------------------------------------------------------------------------------
# Messages, reactions and pins
# --------------------------------------------------------------------------------------------------


def _own_message(s: StoryContext, extra: str = "") -> dict[str, Any]:
    return s.pick(
        "SELECT m.*, c.name AS channel_name FROM messages m JOIN channels c ON c.channel_id = m.channel_id JOIN users "
        "u ON u.user_id = m.user_id WHERE c.is_im = 0 AND c.is_archived = 0 AND m.thread_ts IS NULL AND u.deleted = 0 "
        "AND m.subtype IS NULL AND length(m.text) > 20 " + extra
    )


@story(ENV)
def fix_my_message(s: StoryContext) -> str:
    """Correct a detail in a message the person posted."""
    message = _own_message(s, "AND (" + " OR ".join(f"m.text LIKE '%{old}%'" for old, _ in EDITS) + ")")
    me = s.rows("SELECT * FROM users WHERE user_id = ?", (message["user_id"],))[0]
    line = _me(s, me)
    label = _channel(s, message["channel_name"])
    old, new = next((o, n) for o, n in EDITS if o in message["text"])
    fixed = message["text"].replace(old, new, 1)
    s.say(message["text"])
    hit = _find(s, f"{message['text']} from:@{me['username']}", me["username"], lambda m: m["ts"] == message["ts"])
    s.call("chat_update", username=me["username"], channel=message["channel_name"], ts=hit["ts"], text=s.say(fixed))
    return speech.sentence(
        line,
        f'I posted "{message["text"]}" in {label}, but that\'s wrong.',
        f'Please change it to "{fixed}".',
    )


@story(ENV, implicit=True)
def take_back_my_message(s: StoryContext) -> str:
    """A message posted in the wrong place is deleted."""
    message = _own_message(s, "AND m.reply_count = 0")
    me = s.rows("SELECT * FROM users WHERE user_id = ?", (message["user_id"],))[0]
    line = _me(s, me)
    label = _channel(s, message["channel_name"])
    s.say(message["text"])
    hit = _find(
        s,
        f"{message['text']} in:#{message['channel_name']}",
        me["username"],
        lambda m: m["ts"] == message["ts"] and m["user"] == me["user_id"],
    )
    s.call("chat_delete", username=me["username"], channel=message["channel_name"], ts=hit["ts"])
    return speech.sentence(line, f'I posted "{message["text"]}" in {label} by mistake. Make it disappear.')


@story(ENV, implicit=True)
def pin_the_runbook(s: StoryContext) -> str:
    """Make a service's failover runbook easy to find in its channel."""
    runbook = s.pick(
        "SELECT m.*, c.name AS channel_name FROM messages m JOIN channels c ON c.channel_id = "
        "m.channel_id WHERE m.text LIKE 'Runbook for %' AND NOT EXISTS (SELECT 1 FROM pins p WHERE "
        "p.channel_id = m.channel_id AND p.ts = m.ts)"
    )
    service = runbook["text"].split()[2]
    me = _member(s, runbook["channel_name"])
    line = _me(s, me)
    s.say(service)
    hit = _find(s, f"runbook {service}", me["username"], lambda m: m["ts"] == runbook["ts"])
    s.call("pins_add", username=me["username"], channel=hit["channel_id"], ts=hit["ts"])
    s.fact(hit["channel_name"])
    return speech.sentence(
        line,
        f"People keep asking where the {service} failover runbook is.",
        "Pin it in the channel where it was shared, and tell me which channel that was.",
    )


@story(ENV)
def celebrate_announcement(s: StoryContext) -> str:
    """React with a party popper to an announcement."""
    post = s.pick(
        "SELECT m.* FROM messages m JOIN channels c ON c.channel_id = m.channel_id WHERE c.name = "
        "'announcements' AND m.thread_ts IS NULL AND m.text NOT LIKE '%{%'"
    )
    me = _member(s, "announcements", f"AND u.user_id != '{post['user_id']}'")
    line = _me(s, me)
    _channel(s, "announcements")
    s.say(post["text"])
    hit = _find(s, f"{post['text']} in:#announcements", me["username"], lambda m: m["ts"] == post["ts"])
    mine = s.rows(
        "SELECT 1 FROM reactions WHERE channel_id = ? AND ts = ? AND name = 'tada' AND user_id = ?",
        (post["channel_id"], post["ts"], me["user_id"]),
    )
    if mine:
        s.reject("already reacted")
    s.call(
        "reactions_add",
        username=me["username"],
        channel="announcements",
        ts=hit["ts"],
        name=s.say("tada", "party popper"),
    )
    return speech.sentence(line, f'Add a party popper to the "{post["text"]}" post in #announcements.')


@story(ENV)
def undo_my_reaction(s: StoryContext) -> str:
    """Take back a reaction added by mistake."""
    reaction = s.pick(
        "SELECT r.*, m.text, c.name AS channel_name FROM reactions r JOIN messages m ON m.channel_id = r.channel_id "
        "AND m.ts = r.ts JOIN channels c ON c.channel_id = r.channel_id JOIN users u ON u.user_id = r.user_id JOIN "
        "channel_members cm ON cm.channel_id = r.channel_id AND cm.user_id = r.user_id WHERE u.deleted = 0 AND "
        "r.name IN ('joy', 'fire', 'eyes') AND c.is_archived = 0 AND m.thread_ts IS NULL AND length(m.text) > 20 "
        "AND m.text NOT LIKE '%{%'"
    )
    me = s.rows("SELECT * FROM users WHERE user_id = ?", (reaction["user_id"],))[0]
    line = _me(s, me)
    label = _channel(s, reaction["channel_name"])
    s.say(reaction["text"])
    hit = _find(
        s, f"{reaction['text']} in:#{reaction['channel_name']}", me["username"], lambda m: m["ts"] == reaction["ts"]
    )
    spoken = {"joy": "laughing", "fire": "fire", "eyes": "eyes"}[reaction["name"]]
    s.call(
        "reactions_remove",
        username=me["username"],
        channel=reaction["channel_name"],
        ts=hit["ts"],
        name=s.say(reaction["name"], spoken),
    )
    return speech.sentence(
        line,
        f'I put a {spoken} emoji on "{reaction["text"]}" in {label} by accident. Please remove it.',
    )


@story(ENV, implicit=True)
def clear_old_pin(s: StoryContext) -> str:
    """The oldest pin in a channel is stale and comes off."""
    channel = s.pick(
        "SELECT c.* FROM channels c WHERE c.is_archived = 0 AND (SELECT COUNT(*) FROM pins p WHERE "
        "p.channel_id = c.channel_id) >= 2"
    )
    me = _member(s, channel["name"])
    line = _me(s, me)
    label = _channel(s, channel["name"])
    pins = s.call("pins_list", username=me["username"], channel=channel["name"])
    oldest = pins[-1]
    if pins[-2]["pinned_at"] == oldest["pinned_at"]:
        s.reject("tie for the oldest pin")
    s.call("pins_remove", username=me["username"], channel=channel["name"], ts=oldest["ts"])
    s.fact(oldest["message"]["text"])
    return speech.sentence(
        line,
        f"The pins in {label} are getting stale.",
        "Unpin whichever one has been up the longest and tell me what it said.",
    )


@story(ENV, weight=1.3)
def message_a_colleague(s: StoryContext) -> str:
    """A direct message to a colleague found by name."""
    me, other = s.sample("SELECT * FROM users WHERE deleted = 0 ORDER BY user_id", 2)
    line = _me(s, me)
    text = s.rng.choice(DM_TEXTS)
    user_id = _user_id(s, me["username"], other["real_name"])
    dm = s.call("conversations_open", username=me["username"], users=user_id)
    s.call("conversations_add_message", username=me["username"], channel=dm["channel_id"], text=s.say(text))
    return speech.sentence(line, f'Send {other["real_name"]} a direct message saying "{text}"')


# --------------------------------------------------------------------------------------------------
# People and channels
# --------------------------------------------------------------------------------------------------


@story(ENV)
def colleague_profile(s: StoryContext) -> str:
    """A colleague's role and time zone before scheduling a call, found among several people of that first name."""
    other = s.pick(
        "SELECT * FROM users u WHERE deleted = 0 AND (SELECT COUNT(*) FROM users v WHERE v.deleted = 0 AND "
        "v.real_name LIKE substr(u.real_name, 1, instr(u.real_name, ' ')) || '%') >= 3"
    )
    me = s.pick("SELECT * FROM users WHERE deleted = 0 AND user_id != ?", (other["user_id"],))
    line = _me(s, me)
    first = other["real_name"].split()[0]
    listed = s.call("users_list", username=me["username"], query=s.say(first))
    exact = [m for m in listed["members"] if m["real_name"] == other["real_name"]]
    if len(exact) != 1 or len(listed["members"]) < 3:
        s.reject("ambiguous name")
    s.fact(exact[0]["title"])
    s.fact(exact[0]["tz"])
    return speech.sentence(
        line, f"I want to set up a call with {other['real_name']}.", "What's their job title and time zone?"
    )


@story(ENV)
def who_in_channel_is_in_london(s: StoryContext) -> str:
    """Which members of a small private channel work on London time."""
    channel = s.pick(
        "SELECT c.* FROM channels c WHERE c.is_private = 1 AND c.is_im = 0 AND (SELECT COUNT(*) FROM "
        "channel_members m WHERE m.channel_id = c.channel_id) BETWEEN 5 AND 20"
    )
    me = _member(s, channel["name"])
    line = _me(s, me)
    label = _channel(s, channel["name"])
    members = s.call("conversations_members", username=me["username"], channel=channel["name"])["members"]
    london = [m["real_name"] for m in members if m["tz"] == "Europe/London" and not m["deleted"]]
    if not london or len(london) > 4 or len(london) == len(members):
        s.reject("not a telling share")
    for name in london:
        s.fact(name)
    return speech.sentence(
        line,
        f"I'm planning a meetup for {label}.",
        "Which of its members are on London time?",
    )


@story(ENV, implicit=True)
def my_private_channels(s: StoryContext) -> str:
    """Which private channels the person belongs to."""
    me = s.pick(
        "SELECT u.* FROM users u WHERE deleted = 0 AND (SELECT COUNT(*) FROM channel_members m JOIN channels "
        "c ON c.channel_id = m.channel_id WHERE m.user_id = u.user_id AND c.is_private = 1 AND c.is_im = 0) "
        "BETWEEN 1 AND 3"
    )
    line = _me(s, me)
    listed = s.call("channels_list", username=me["username"], types=s.imply("private_channel"))
    for channel in listed["channels"]:
        s.fact(channel["name"])
    return speech.sentence(
        line,
        "I'm cleaning up my sidebar and lost track of the invite-only channels I've been added to.",
        "Which are they?",
    )
