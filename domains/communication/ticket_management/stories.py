"""Ticket stories: a member of staff and the company's ticket system, one storyline each.

What staff ask a helpdesk system (see envfactory_gym.synthesis.stories): report a problem (file a ticket
with the urgency they describe), ask where a ticket stands, which of two tickets is more urgent, how many
of their own tickets are in some state, escalate a ticket that is still being worked on (and not one
that is finished), mark a fixed issue resolved with what fixed it (unless it already is), close a ticket
once it is resolved (and only then), reopen one whose problem came back, correct a ticket's title, close
a duplicate, file a ticket from a colleague's laptop under their own account, and sign out at the end of
the day. Ticket numbers are what people quote: they get one when they file.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

ENV = "ticket_management"
_REPORTS = (
    ("Projector in room 4B is broken", "The projector in meeting room 4B shows no signal from any laptop."),
    ("Badge reader not working", "The badge reader at the north entrance doesn't open the door for me."),
    ("Outlook crashes on startup", "Outlook closes right after opening since yesterday's update."),
    ("Need access to the finance dashboard", "I need read access to the finance dashboard for the audit."),
    ("Leaking tap in 3rd floor kitchen", "The tap in the 3rd floor kitchen has been dripping all week."),
    ("Headset microphone not detected", "My headset microphone isn't detected on video calls."),
    ("Wrong cost center on my invoice", "My last invoice was booked to the wrong cost center."),
    ("Wi-Fi drops in the east wing", "The Wi-Fi in the east wing drops every few minutes."),
)
_URGENCY = {
    1: "no rush at all",
    2: "it's not urgent",
    3: "it's fairly important",
    4: "it's urgent",
    5: "it's blocking my whole team",
}
_FIXES = (
    "Reinstalled the driver and it works again.",
    "Replaced the network cable.",
    "Cleared the cache and restarted the app.",
    "Granted the missing permission.",
    "Swapped the faulty unit for a spare.",
)


def _me(s: StoryContext) -> dict[str, Any]:
    row = s.rows("SELECT st.* FROM staff st JOIN ticket_system t ON t.owner = st.username")[0]
    s.person(ENV, row["username"])
    return row


def _hello(s: StoryContext, me: dict[str, Any]) -> str:
    return speech.choose(s.rng, f"Hi, this is {me['full_name']}.", f"{me['full_name']} here.", "Hi.")


def _ask(s: StoryContext, me: dict[str, Any], *wordings: str) -> str:
    return speech.sentence(_hello(s, me), speech.choose(s.rng, *wordings))


def _ticket(s: StoryContext, where: str) -> dict[str, Any]:
    return s.pick(f"SELECT * FROM tickets WHERE id IS NOT NULL AND {where} ORDER BY id")


@story(ENV, implicit=True)
def report_a_problem(s: StoryContext) -> str:
    """A problem reported in the person's words: the ticket's title, description and urgency follow."""
    me = _me(s)
    title, description = s.rng.choice(_REPORTS)
    priority = s.rng.choice(list(_URGENCY))
    s.detail("how urgent", priority, _URGENCY[priority], vague="")
    created = s.call("create_ticket", title=s.say(title), description=s.say(description), priority=priority)
    s.fact(created["id"])
    return _ask(
        s,
        me,
        f'Could you log a ticket called "{title}"? Details: "{description}" {_URGENCY[priority].capitalize()}, '
        "so set the priority to match. What's the ticket number?",
        f'Please file "{title}" for me, with the description "{description}" Priority-wise, '
        f"{_URGENCY[priority]}. Tell me the number it gets.",
    )


@story(ENV, weight=2.0)
def where_does_it_stand(s: StoryContext) -> str:
    """The status of a ticket."""
    me = _me(s)
    ticket = _ticket(s, "1")
    view = s.call("get_ticket", ticket_id=s.say(ticket["id"]))
    s.fact(view["status"])
    return _ask(
        s,
        me,
        f"What's the status of ticket {ticket['id']}?",
        f"Any news on ticket {ticket['id']}? Tell me where it stands.",
    )


@story(ENV, weight=1.5)
def which_is_more_urgent(s: StoryContext) -> str:
    """Two tickets: which has the higher priority (ties are rejected)."""
    me = _me(s)
    first, second = s.sample("SELECT * FROM tickets WHERE id IS NOT NULL AND status != 'Closed' ORDER BY id", 2)
    if first["priority"] == second["priority"]:
        s.reject("same priority")
    a = s.call("get_ticket", ticket_id=s.say(first["id"]))
    b = s.call("get_ticket", ticket_id=s.say(second["id"]))
    winner = a if a["priority"] > b["priority"] else b
    s.fact(winner["title"])
    s.context(a["id"], b["id"])
    return _ask(
        s,
        me,
        f"Which should we handle first, ticket {first['id']} or ticket {second['id']}? Go by priority and tell me "
        "what the more urgent one is about.",
        f"Between tickets {first['id']} and {second['id']}, which has the higher priority, and what's its title?",
    )


@story(ENV)
def how_many_of_mine(s: StoryContext) -> str:
    """The person checks they are signed in, then counts their own tickets in one state."""
    me = _me(s)
    status = s.rng.choice(("Open", "In Progress", "Resolved", "Closed"))
    if not s.call("ticket_get_login_status")["login_status"]:
        s.reject("nobody signed in")
    mine = s.call("get_user_tickets", status=s.say(status, status.lower()))
    if not mine:
        s.reject("none in that state")
    s.fact(len(mine), derived=True)
    return _ask(
        s,
        me,
        f"Am I still signed in to the ticket system? If so, how many of my tickets are {status.lower()}?",
        f"Check I'm logged in to the helpdesk, then count the tickets I filed that are {status.lower()}.",
    )


@story(ENV, implicit=True)
def escalate_if_still_open(s: StoryContext) -> str:
    """Raise two tickets' priority, but only those still being worked on (each ticket decides)."""
    me = _me(s)
    first, second = s.sample("SELECT * FROM tickets WHERE id IS NOT NULL AND priority < 5 ORDER BY id", 2)
    for ticket in (first, second):
        view = s.call("get_ticket", ticket_id=s.say(ticket["id"]))
        if view["status"] in ("Open", "In Progress"):
            s.call("edit_ticket", ticket_id=ticket["id"], updates={"priority": s.imply(5)})
        else:
            s.fact(view["status"])
    return _ask(
        s,
        me,
        f"Tickets {first['id']} and {second['id']} are now holding up a release. Make whichever of them is still "
        "being worked on top priority, and tell me the status of any that isn't.",
        f"The issues in tickets {first['id']} and {second['id']} just got critical for us. Escalate each as far as "
        "it goes unless it's already finished; for those, tell me where they ended up.",
    )


@story(ENV)
def mark_it_resolved(s: StoryContext) -> str:
    """The person fixed an issue: resolve the ticket with their note and close it, unless it already is resolved."""
    me = _me(s)
    ticket = _ticket(s, "status IN ('Open', 'In Progress', 'Resolved')")
    fix = s.rng.choice(_FIXES)
    view = s.call("get_ticket", ticket_id=s.say(ticket["id"]))
    if view["status"] == "Resolved":
        if "resolution" not in view:
            s.reject("resolved without a note")
        s.fact(view["resolution"])
    else:
        s.call("resolve_ticket", ticket_id=ticket["id"], resolution=s.say(fix))
        s.call("close_ticket", ticket_id=ticket["id"])
    return _ask(
        s,
        me,
        f'I fixed the issue in ticket {ticket["id"]}: "{fix}" Mark it resolved with that note and close it, '
        "unless someone already resolved it; then leave it and tell me what they wrote.",
        f'Ticket {ticket["id"]} is sorted. Resolve it with "{fix}" and then close it. If it is already '
        "resolved, don't touch it and read me the existing resolution instead.",
    )


@story(ENV, implicit=True)
def close_once_resolved(s: StoryContext) -> str:
    """Close a ticket only when it has been resolved; otherwise say where it stands."""
    me = _me(s)
    ticket = _ticket(s, "status IN ('Open', 'In Progress', 'Resolved')")
    view = s.call("get_ticket", ticket_id=s.say(ticket["id"]))
    if view["status"] == "Resolved":
        s.call("close_ticket", ticket_id=ticket["id"])
    else:
        s.fact(view["status"])
    return _ask(
        s,
        me,
        f"Can we wrap up ticket {ticket['id']}? Only if it's been resolved, though; otherwise tell me its status.",
        f"If ticket {ticket['id']} has a resolution, it can be put away for good. If not, what's its status?",
    )


@story(ENV, implicit=True)
def it_came_back(s: StoryContext) -> str:
    """A resolved or closed problem is back: reopen the ticket with a higher priority."""
    me = _me(s)
    ticket = _ticket(s, "status IN ('Resolved', 'Closed') AND priority < 5")
    priority = s.rng.randint(ticket["priority"] + 1, 5)
    said = s.detail("new priority", priority, f"priority {priority}")
    s.call(
        "edit_ticket",
        ticket_id=s.say(ticket["id"]),
        updates={"status": s.imply("Open"), "priority": priority},
    )
    return _ask(
        s,
        me,
        f"The problem from ticket {ticket['id']} is back. Put it back in the queue as open, at {said}.",
        f"Ticket {ticket['id']} wasn't really fixed; it's happening again. Reopen it and make it {said}.",
    )


@story(ENV)
def correct_the_title(s: StoryContext) -> str:
    """A ticket's title is misleading: give it the person's wording."""
    me = _me(s)
    ticket = _ticket(s, "status IN ('Open', 'In Progress')")
    title, _ = s.rng.choice(_REPORTS)
    if title == ticket["title"]:
        s.reject("same title")
    s.call("edit_ticket", ticket_id=s.say(ticket["id"]), updates={"title": s.say(title)})
    return _ask(
        s,
        me,
        f'The title on ticket {ticket["id"]} is misleading. Please rename it to "{title}".',
        f'Change the title of ticket {ticket["id"]} to "{title}".',
    )


@story(ENV)
def close_a_duplicate(s: StoryContext) -> str:
    """Two tickets about the same thing: close the newer one."""
    me = _me(s)
    first, second = s.sample(
        "SELECT * FROM tickets WHERE id IS NOT NULL AND status IN ('Open', 'In Progress') ORDER BY id", 2
    )
    older, newer = sorted((first, second), key=lambda t: t["id"])
    a = s.call("get_ticket", ticket_id=s.say(older["id"]))
    s.call("get_ticket", ticket_id=s.say(newer["id"]))
    s.call("close_ticket", ticket_id=newer["id"])
    s.fact(a["title"])
    return _ask(
        s,
        me,
        f"Tickets {older['id']} and {newer['id']} look like the same issue. Close the newer one and remind me what "
        "the older one is called.",
        f"{newer['id']} duplicates {older['id']}: close whichever was filed later, and tell me the title of the "
        "one we keep.",
    )


@story(ENV)
def colleague_files_from_my_laptop(s: StoryContext) -> str:
    """A colleague on the owner's laptop signs in as themselves and files a ticket."""
    owner = s.rows("SELECT owner FROM ticket_system")[0]["owner"]
    guest = s.pick("SELECT * FROM staff WHERE username != ? ORDER BY username", (owner,))
    s.person(ENV, guest["username"])
    password = f"{s.rng.choice(('Maple', 'River', 'Orbit', 'Cedar'))}{s.rng.randint(10, 99)}!"
    s.call("ticket_login", username=s.say(guest["username"]), password=s.say(password))
    title, description = s.rng.choice(_REPORTS)
    created = s.call("create_ticket", title=s.say(title), description=s.say(description), priority=s.imply(3))
    s.fact(created["id"])
    mine = s.call("get_user_tickets", status=s.say("Open", "open"))
    s.fact(len(mine), derived=True)
    return speech.sentence(
        f"I'm {guest['full_name']}, on a colleague's laptop. Sign me in to the helpdesk as {guest['username']} "
        f'(password {password}) and file "{title}" with the description "{description}" at priority 3. '
        "What number did it get, and how many open tickets do I have now?"
    )


@story(ENV)
def close_and_sign_out(s: StoryContext) -> str:
    """End of the day: close a ticket if it has been resolved, then sign out either way."""
    me = _me(s)
    ticket = _ticket(s, "status IN ('Resolved', 'In Progress')")
    view = s.call("get_ticket", ticket_id=s.say(ticket["id"]))
    if view["status"] == "Resolved":
        s.call("close_ticket", ticket_id=ticket["id"])
    else:
        s.fact(view["status"])
    s.call("logout")
    return _ask(
        s,
        me,
        f"I'm heading home. If ticket {ticket['id']} has been resolved, close it (otherwise tell me its status), "
        "then sign me out of the ticket system.",
        f"Please close ticket {ticket['id']} if it's resolved, or tell me where it stands if not, and log me out "
        "of the helpdesk afterwards.",
    )
