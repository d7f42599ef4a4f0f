"""Message stories: the device owner asking their assistant to handle workspace messages, one storyline each.

What people ask a workspace messenger (see envfactory_gym.synthesis.stories): send a colleague a note, unsend
the wrong message, correct one (unsend, resend), message several people, welcome a new hire (add them,
then message them), make sure someone is in the directory before writing, check whether they already told
someone something before sending it again, and questions about their own log (what they sent someone last,
how many messages mention a project, their messaging statistics, who in the directory has a first name).
Every operation needs a login, and the owner knows only their name, so stories log in through the
directory (the service's own rule).
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

ENV = "message"
_NOTES = (
    "Can we push our sync to tomorrow morning?",
    "I've put the updated slides in the shared folder.",
    "Thanks for covering the client call today!",
    "Are you around for a quick call at 3 PM?",
    "Please send me the vendor invoice when you have it.",
    "The offsite is confirmed for next Thursday.",
    "Could you review my pull request before lunch?",
    "Heads up: the parking garage is closed on Friday.",
)
_NEW_HIRES_FIRST = ("Amara", "Tobias", "Leilani", "Mateo", "Ingrid", "Ravi", "Sofia", "Kenji", "Noor", "Elias")
_NEW_HIRES_LAST = ("Okafor", "Lindqvist", "Kahale", "Ferreira", "Novak", "Raman", "Castellano", "Watanabe")
_KEYWORDS = ("Atlas", "Beacon", "Cobalt", "Evergreen", "Falcon", "Harbor", "Juniper", "Orion", "invoice", "budget")


def _owner(s: StoryContext) -> dict[str, Any]:
    return s.rows("SELECT u.* FROM users u JOIN workspace w ON w.owner_id = u.user_id")[0]


def _login(s: StoryContext) -> dict[str, Any]:
    """The owner, signed in on their own device (the seeded session)."""
    owner = _owner(s)
    s.person(ENV, owner["user_id"])
    return owner


def _me(s: StoryContext, owner: dict[str, Any]) -> str:
    return speech.choose(s.rng, f"This is {owner['name']}.", f"Hi, {owner['name']} here.", f"I'm {owner['name']}.")


def _ask(s: StoryContext, owner: dict[str, Any], *wordings: str) -> str:
    """The owner introduces themselves, then asks in one of the wordings."""
    return speech.sentence(_me(s, owner), speech.choose(s.rng, *wordings))


def _colleague(s: StoryContext, where: str = "") -> dict[str, Any]:
    return s.pick(
        "SELECT u.* FROM users u JOIN workspace w ON u.user_id != w.owner_id " + where + " ORDER BY u.position"
    )


def _id_of(s: StoryContext, name: str) -> str:
    return str(s.call("get_user_id", user=s.say(name))["user_id"])


def _note(s: StoryContext) -> str:
    return s.say(s.rng.choice(_NOTES))


@story(ENV)
def send_a_note(s: StoryContext) -> str:
    """Send one colleague a note, word for word."""
    other = _colleague(s)
    owner = _login(s)
    note = _note(s)
    s.call("send_message", receiver_id=_id_of(s, other["name"]), message=note)
    return _ask(
        s,
        owner,
        f'Please message {other["name"]}: "{note}"',
        f'Can you send {other["name"]} this: "{note}"',
        f'Send a message to {other["name"]} saying "{note}"',
    )


@story(ENV)
def message_two_people(s: StoryContext) -> str:
    """The same note to two colleagues."""
    first, second = s.sample(
        "SELECT u.* FROM users u JOIN workspace w ON u.user_id != w.owner_id ORDER BY u.position", 2
    )
    owner = _login(s)
    note = _note(s)
    for person in (first, second):
        s.call("send_message", receiver_id=_id_of(s, person["name"]), message=note)
    return _ask(
        s,
        owner,
        f'Send "{note}" to both {first["name"]} and {second["name"]}.',
        f'I need {first["name"]} and {second["name"]} to each get this message: "{note}"',
    )


_HAS_MESSAGES = "AND u.user_id IN (SELECT receiver_id FROM messages)"


@story(ENV, implicit=True)
def unsend_the_wrong_one(s: StoryContext) -> str:
    """The owner sent someone the wrong thing: unsend their latest message."""
    other = _colleague(s, _HAS_MESSAGES)
    owner = _login(s)
    s.call("delete_message", receiver_id=_id_of(s, other["name"]))
    return _ask(
        s,
        owner,
        f"Oops, my last message to {other['name']} went to the wrong person. Can you take it back?",
        f"I shouldn't have sent that last message to {other['name']}. Please get rid of it.",
    )


@story(ENV, implicit=True)
def correct_a_message(s: StoryContext) -> str:
    """Replace the latest message to a colleague with a corrected one."""
    other = _colleague(s, _HAS_MESSAGES)
    owner = _login(s)
    receiver = _id_of(s, other["name"])
    s.call("delete_message", receiver_id=receiver)
    note = _note(s)
    s.call("send_message", receiver_id=receiver, message=note)
    return _ask(
        s,
        owner,
        f'My last message to {other["name"]} came out wrong. What I meant to say was: "{note}"',
        f'I messed up my last message to {other["name"]}; it should have said "{note}" and the old one '
        "shouldn't stay there.",
    )


def _new_name(s: StoryContext) -> str:
    taken = {row["name"] for row in s.rows("SELECT name FROM users")}
    for _ in range(20):
        name = f"{s.rng.choice(_NEW_HIRES_FIRST)} {s.rng.choice(_NEW_HIRES_LAST)}"
        if name not in taken:
            return name
    return s.reject("no fresh name")


@story(ENV, implicit=True)
def welcome_a_new_hire(s: StoryContext) -> str:
    """A new colleague starts: they go in the directory, then get a welcome note."""
    name = s.say(_new_name(s))
    owner = _login(s)
    added = s.call("add_contact", user_name=name)
    welcome = s.say(f"Welcome to the team, {name.split()[0]}!")
    s.call("send_message", receiver_id=added["user_id"], message=welcome)
    return _ask(
        s,
        owner,
        f'{name} starts with us today but isn\'t in the workspace yet. Sort that out and send them "{welcome}"',
        f'We just hired {name}. Get them into our directory and message them "{welcome}"',
    )


@story(ENV, implicit=True)
def make_sure_they_are_listed(s: StoryContext) -> str:
    """Message someone who may or may not be in the directory yet (the directory decides: add them or not)."""
    existing = s.rng.random() < 0.5
    name = _colleague(s)["name"] if existing else _new_name(s)
    owner = _login(s)
    s.call("list_users")
    receiver = _id_of(s, name) if existing else s.call("add_contact", user_name=s.say(name))["user_id"]
    s.say(name)
    note = _note(s)
    s.call("send_message", receiver_id=receiver, message=note)
    return _ask(
        s,
        owner,
        f'I need to reach {name}; if they aren\'t in our directory yet, add them. Then send "{note}"',
        f'Check that {name} is in the workspace (add them if not) and message them: "{note}"',
    )


@story(ENV, implicit=True)
def did_i_already_tell_them(s: StoryContext) -> str:
    """Only send a reminder about a project if the colleague has not had a message about it yet."""
    keyword = s.say(s.rng.choice(_KEYWORDS[:8]))
    other = _colleague(s)
    owner = _login(s)
    receiver = _id_of(s, other["name"])
    hits = s.call("search_messages", keyword=keyword)["results"]
    already = [h for h in hits if h["receiver_id"] == receiver]
    note = s.say(f"Don't forget the {keyword} review this week.")
    if already:
        s.fact(already[-1]["message"])
    else:
        s.call("send_message", receiver_id=receiver, message=note)
    return _ask(
        s,
        owner,
        f"Have I messaged {other['name']} about {keyword} before? If so tell me what I said; if not, send them "
        f'"{note}"',
        f'If I never wrote to {other["name"]} about {keyword}, send "{note}". Otherwise just show me what I sent.',
    )


@story(ENV)
def last_thing_i_sent(s: StoryContext) -> str:
    """What the owner last sent a colleague."""
    other = _colleague(s, _HAS_MESSAGES)
    owner = _login(s)
    receiver = _id_of(s, other["name"])
    sent = s.call("view_messages_sent")["messages"]
    s.fact(sent[receiver][-1])
    return _ask(
        s,
        owner,
        f"What was the last message I sent {other['name']}?",
        f"Remind me what I last wrote to {other['name']}.",
    )


@story(ENV)
def everything_i_sent_someone(s: StoryContext) -> str:
    """All messages to one colleague (one to three of them)."""
    other = _colleague(s, "AND (SELECT COUNT(*) FROM messages m WHERE m.receiver_id = u.user_id) BETWEEN 2 AND 3")
    owner = _login(s)
    receiver = _id_of(s, other["name"])
    for text in s.call("view_messages_sent")["messages"][receiver]:
        s.fact(text)
    return _ask(
        s,
        owner,
        f"Can you pull up every message I've sent to {other['name']}?",
        f"List all the messages I sent {other['name']}, please.",
    )


@story(ENV)
def how_often_a_topic(s: StoryContext) -> str:
    """How many sent messages mention a project or topic."""
    keyword = s.say(s.rng.choice(_KEYWORDS))
    owner = _login(s)
    hits = s.call("search_messages", keyword=keyword)["results"]
    if not hits:
        s.reject("no message mentions the keyword")
    s.fact(len(hits), derived=True)
    s.fact(len({h["receiver_id"] for h in hits}), derived=True)
    return _ask(
        s,
        owner,
        f"How many of my messages mention {keyword}, and to how many different people did they go?",
        f"Count the messages where I wrote about {keyword}, and how many people got them.",
    )


@story(ENV)
def my_messaging_stats(s: StoryContext) -> str:
    """The size of the sent log and how many people it reached, and the last note to one colleague."""
    other = _colleague(s, _HAS_MESSAGES)
    owner = _login(s)
    stats = s.call("get_message_stats")["stats"]
    s.fact(stats["received_count"])
    s.fact(stats["total_contacts"])
    receiver = _id_of(s, other["name"])
    s.fact(s.call("view_messages_sent")["messages"][receiver][-1])
    return _ask(
        s,
        owner,
        "How many messages have I sent from here in total, and to how many different people? Also, what was "
        f"the last one I sent {other['name']}?",
        "Give me my messaging numbers: total messages sent and how many colleagues I've written to. And "
        f"remind me what I last told {other['name']}.",
    )


@story(ENV)
def who_has_that_first_name(s: StoryContext) -> str:
    """Which colleagues share a first name (the owner half-remembers someone), with their user ids."""
    rows = s.rows("SELECT name FROM users ORDER BY position")
    firsts: dict[str, list[str]] = {}
    for row in rows:
        firsts.setdefault(row["name"].split()[0], []).append(row["name"])
    candidates = sorted(first for first, names in firsts.items() if 2 <= len(names) <= 3)
    if not candidates:
        s.reject("no shared first names")
    first = s.say(s.rng.choice(candidates))
    for name in s.call("list_users")["user_list"]:
        if name.split()[0] == first:
            s.fact(name)
            s.fact(s.call("get_user_id", user=name)["user_id"])
    ask = speech.choose(
        s.rng,
        f"There's a {first} in our workspace I need to write to, but I forget the last name. Who are the "
        f"people called {first} in the directory, and what are their user ids?",
        f"Which people named {first} are in our workspace? Give me each one's user id too.",
    )
    return speech.sentence(ask)


@story(ENV)
def signed_in_and_topic(s: StoryContext) -> str:
    """The owner checks the app is still signed in, then how many of their messages mention a topic."""
    keyword = s.say(s.rng.choice(_KEYWORDS))
    owner = _login(s)
    if not s.call("message_get_login_status")["login_status"]:
        s.reject("nobody is signed in")
    hits = s.call("search_messages", keyword=keyword)["results"]
    if not hits:
        s.reject("no message mentions the keyword")
    s.fact(len(hits), derived=True)
    return _ask(
        s,
        owner,
        f"Am I still signed in to messaging on this laptop? If so, how many of my messages mention {keyword}?",
        f"Check that the messaging app is still logged in, then count my messages about {keyword}.",
    )


@story(ENV)
def colleague_borrows_the_device(s: StoryContext) -> str:
    """A colleague uses the owner's laptop: sign them in as themselves and send their note."""
    owner = _owner(s)
    guest, other = s.sample(
        "SELECT u.* FROM users u JOIN workspace w ON u.user_id != w.owner_id ORDER BY u.position", 2
    )
    s.person(ENV, guest["user_id"])
    guest_id = _id_of(s, guest["name"])
    s.call("message_login", user_id=guest_id)
    note = _note(s)
    s.call("send_message", receiver_id=_id_of(s, other["name"]), message=note)
    ask = speech.choose(
        s.rng,
        f"I'm {guest['name']}, borrowing {owner['name']}'s laptop. Sign me in to messaging as myself and send "
        f'{other["name"]} this: "{note}"',
        f"This is {guest['name']} on a colleague's computer. Log me in under my own account, then message "
        f'{other["name"]}: "{note}"',
    )
    return speech.sentence(ask)
