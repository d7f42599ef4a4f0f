"""Communication stories across services: one person, one storyline, two or three of the domain's services.

The services meet where the seeded states share people:
- Northwind Labs' staff are the same people everywhere they work: every ticket-system user is a Slack member
  under the same username (a ticket's ``created_by`` is its reporter's Slack username), every Zoom user is a
  Slack member whose login is ``first.last@northwindlabs.com``, and every Slack member is in the messaging
  app's directory under their real name (the app's signed-in owner, Mark Harrell, is ``mharrell`` on Slack);
- six Slack members have phone lines with the telecom operator under the same name (three of them are also
  ticket-system users): their number is what they quote, their Slack username what they post as;
- the WhatsApp owner is Maya, the Ledgerly founder who runs the Resend team: her WhatsApp groups are where she
  tells people that Ledgerly's email went out.
The transactional-email accounts (Mailgun, Postmark, Amazon SES) belong to companies whose support and
platform people coordinate in Slack: a story reads the email service and posts what it found, word for word,
in the team's channel. Nothing in a Slack post is a value the request does not say: what decides the story is
the state (a ticket already resolved, a reporter whose account is deactivated, a colleague without Zoom, a
bounce that cannot be reactivated, a domain whose records are still missing).
The services' clocks differ (Slack and the tickets in March 2025, Zoom in September 2025), so no story joins
two services on a date: a meeting's day is said for Zoom alone.

With posting (one person's social account beside their work tools):
- an IT person's ticket decides what they post: a fixed outage is announced on their account (once: they
  check they have not posted about it already), an unfixed one is only reported back;
- a friend's post is passed on to a colleague over workspace messaging (its text, word for word) and
  reposted;
- a colleague who moved to a new handle is unfollowed at the old one, followed and tagged at the new one,
  and told so over workspace messaging;
- a post drawing complaints becomes a support ticket, and the person answers on the post.
The seeded worlds share no names or dates (the network's people are not the workspace's), so no story
joins two services on a value: the person states what crosses over.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .posting.stories import credentials, followed_author, owner, post_about, sign_in

SLACK = "slack"
POSTING = "posting"
ZOOM = "zoom"
TICKETS = "ticket_management"
MESSAGES = "message"
TELECOM = "telecom"
POSTMARK = "postmark"
MAILGUN = "mailgun"
SES = "amazon_ses"
RESEND = "resend"
WHATSAPP = "whatsapp"

ZOOM_DOMAIN = "northwindlabs.com"
# What the service desk writes when a ticket is fixed, and the DM that tells its reporter.
FIXES = (
    ("Replaced the docking station and it works again.", "Your ticket is fixed: the docking station was swapped."),
    ("Reset the account and sent a new temporary password.", "Your account is reset, check your inbox for the temp "
     "password."),
    ("Reinstalled the client and cleared the cache.", "Reinstalled the app on your laptop, it should behave now."),
    ("Granted the access that was missing.", "You've got access now, give it a try."),
)  # fmt: skip
ESCALATION_POSTS = (
    "Bumped a ticket to top priority, can someone from IT pick it up today?",
    "Heads up: I escalated a ticket to P5, it needs an owner this afternoon.",
)
WALKTHROUGH_TOPICS = ("Ticket walkthrough", "Quick fix session", "Screen share: your ticket")
KICKOFF_TOPICS = ("Project kickoff", "Planning sync", "Monthly check-in", "Retro and next steps")
KICKOFF_POSTS = (
    "Zoom registrations are out, check your email for your personal link.",
    "I've registered everyone who's on Zoom for the call, links are in your inbox.",
)
# Channels where a team shares a meeting's recording (not the company-wide or social ones).
WORK_CHANNELS = (
    "engineering", "design", "product", "frontend", "backend", "mobile", "data", "eng-platform", "security", "qa",
    "release-planning", "marketing", "sales", "support", "customer-success", "finance", "recruiting", "proj-atlas",
    "proj-nimbus", "leadership", "hiring-committee",
)  # fmt: skip
RECORDING_POSTS = (
    "The recording of our last session is in Zoom, grab it there if you missed the meeting.",
    "Recording is up in the Zoom cloud for anyone who missed the call.",
)
DMS = (
    "Can you send me the latest numbers before the sync?",
    "Thanks for covering for me yesterday!",
    "Could you review my doc when you get a chance?",
)
LINE_POSTS = (
    "My work phone line is suspended, is anyone from IT around to help?",
    "Heads up, my phone line got suspended, so call me on Slack for now.",
)
LINE_TICKETS = (
    ("Work phone line suspended", "My mobile line is suspended and I can't take customer calls."),
    ("Phone line not working", "My work phone line isn't working and customers can't reach me."),
)
BOUNCE_POSTS = (
    "Reactivated a customer address in Postmark after a hard bounce, emails to them go out again.",
    "Fixed a hard bounce in Postmark: the customer is reactivated and will get our emails again.",
)
DOMAIN_POSTS = (
    "The new sending domain is verified in Mailgun, we can send from it now.",
    "Mailgun verified the domain, it's ready to send.",
)
SUPPRESSION_POSTS = (
    "Took a customer off the SES suppression list after their mailbox was fixed.",
    "Removed a bounced address from the SES suppression list, receipts will reach them again.",
)
COMPLAINT_POSTS = (
    "A customer asking about missing receipts once marked us as spam, so SES keeps them suppressed.",
    "Left a customer on the SES suppression list: they complained about our mail before.",
)
WHATSAPP_GROUPS = ("Product Team", "Startup Founders SF")
LAUNCH_NOTES = (
    "The beta email just went out, fingers crossed!",
    "Our beta announcement is out, tell me if you hear anything.",
)
BROADCASTS = (
    ("Beta: bulk invoice export", "Bulk invoice export is ready for beta testers",
     "You can now export every invoice of a month as one ZIP file. Tell us what breaks."),
    ("Beta: client portal", "Try the new client portal",
     "Your clients can now pay and download invoices from their own portal. We would love your feedback."),
)  # fmt: skip


def _slack_me(s: StoryContext, username: str) -> str:
    s.person(SLACK, username)
    said = speech.choose(s.rng, f"My Slack username is {username}.", f"I'm @{username} on Slack.")
    return _held(s, "Slack username", username, said, synonyms=("username", "Slack handle", "Slack account"))


def _held(s: StoryContext, name: str, value: Any, phrase: str, vague: str = "", synonyms: tuple[str, ...] = ()) -> str:
    """A detail the person holds and states in ``phrase`` (left out, as ``vague``, in the conversational variant)."""
    return s.detail(name, value, str(value), phrase=phrase, vague=vague, synonyms=synonyms)


def _ticket_number(s: StoryContext, ticket_id: int) -> int:
    _held(s, "ticket number", ticket_id, f"ticket {ticket_id}", "a ticket", ("ticket", "ticket id", "number"))
    return ticket_id


def _zoom_me(s: StoryContext, login: str) -> str:
    s.person(ZOOM, login)
    said = speech.choose(s.rng, f"My Zoom login is {login}.", f"I'm {login} on Zoom.")
    return _held(s, "Zoom login", login, said, synonyms=("Zoom email", "Zoom account", "email"))


def _customer_address(s: StoryContext, address: str) -> str:
    _held(s, "customer's email", address, f" at {address}", synonyms=("email", "email address", "address"))
    return address


def _channel(s: StoryContext, name: str) -> str:
    s.say(name, f"#{name}")
    return f"#{name}"


def _member_of(s: StoryContext, user_id: str, channel: str) -> bool:
    return bool(
        s.rows(
            "SELECT 1 FROM channel_members m JOIN channels c ON c.channel_id = m.channel_id WHERE c.name = ? AND "
            "m.user_id = ?",
            (channel, user_id),
            env=SLACK,
        )
    )


def _post(s: StoryContext, username: str, user_id: str, channel: str, text: str) -> None:
    """Post in a channel, joining it first when the person is not in it (a public channel takes anyone)."""
    if not _member_of(s, user_id, channel):
        s.call("slack.conversations_join", username=username, channel=channel)
    s.call("slack.conversations_add_message", username=username, channel=channel, text=s.say(text))


def _desk(s: StoryContext) -> dict[str, Any]:
    """The ticket system's signed-in owner (the service desk), who is the same username on Slack."""
    row = s.rows("SELECT st.* FROM staff st JOIN ticket_system t ON t.owner = st.username", env=TICKETS)[0]
    s.person(TICKETS, row["username"])
    return row


def _ticket(s: StoryContext, where: str) -> dict[str, Any]:
    return s.pick(f"SELECT * FROM tickets WHERE id IS NOT NULL AND {where} ORDER BY id", env=TICKETS)


def _slack_user(s: StoryContext, username: str) -> dict[str, Any]:
    return s.rows("SELECT * FROM users WHERE username = ?", (username,), env=SLACK)[0]


def _zoom_login(first: str, last: str) -> str:
    return f"{first.lower()}.{last.lower()}@{ZOOM_DOMAIN}"


def _zoom_account(s: StoryContext, real_name: str) -> dict[str, Any] | None:
    """The colleague's Zoom user found by their real name (None when they have no Zoom account)."""
    page = s.call("zoom.list_users", search=real_name)
    found = [u for u in page["users"] if f"{u['first_name']} {u['last_name']}" == real_name]
    if len(found) > 1:
        s.reject("two Zoom users share the name")
    return found[0] if found else None


def _zoom_slot(s: StoryContext, host: dict[str, Any]) -> tuple[str, str]:
    """A weekday slot in the coming week on the host's clock, as stored and as said."""
    local = s.now(ZOOM).replace(tzinfo=dt.UTC).astimezone(_zone(host["timezone"])).replace(tzinfo=None)
    day = local.date() + dt.timedelta(days=s.rng.randint(1, 6))
    if day.weekday() >= 5:
        day += dt.timedelta(days=7 - day.weekday())
    start = dt.datetime.combine(day, dt.time(s.rng.choice((9, 10, 11, 14, 15)), s.rng.choice((0, 0, 30))))
    return start.strftime("%Y-%m-%dT%H:%M:%S"), f"{speech.date(start, weekday=True)} at {speech.time(start)}"


def _zone(name: str) -> dt.tzinfo:
    from envfactory_gym.domains.communication.zoom.rules import zone

    return zone(name)


# --------------------------------------------------------------------------------------------------
# The service desk and its colleagues (tickets + Slack + Zoom)
# --------------------------------------------------------------------------------------------------


@story(TICKETS, SLACK, weight=1.3)
def fixed_so_tell_the_reporter(s: StoryContext) -> str:
    """The desk fixed a reported problem: the ticket is resolved with the fix and its reporter hears it on Slack;
    a ticket already finished is left alone, and a reporter whose Slack account is gone is not messaged."""
    desk = _desk(s)
    me_line = _slack_me(s, desk["username"])
    finished = (
        "IN ('Resolved', 'Closed') AND resolution IS NOT NULL" if s.rng.random() < 0.3 else "IN ('Open', 'In Progress')"
    )
    ticket = _ticket(s, f"status {finished} AND created_by != (SELECT owner FROM ticket_system)")
    fix, dm = s.rng.choice(FIXES)
    view = s.call("ticket_management.get_ticket", ticket_id=_ticket_number(s, ticket["id"]))
    reporter = s.call("slack.users_info", username=desk["username"], user=view["created_by"])
    s.say(fix)
    s.say(dm)
    if view["status"] in ("Resolved", "Closed"):
        s.fact(view["resolution"])
    else:
        s.call("ticket_management.resolve_ticket", ticket_id=ticket["id"], resolution=fix)
        if reporter["deleted"]:
            s.fact(reporter["real_name"])
        else:
            opened = s.call("slack.conversations_open", username=desk["username"], users=reporter["user_id"])
            s.call("slack.conversations_add_message", username=desk["username"], channel=opened["channel_id"],
                   text=dm)  # fmt: skip
    s.context(reporter["real_name"], view["title"])
    return speech.sentence(
        speech.opening(s.rng),
        f"{desk['full_name']} from the service desk here.",
        me_line,
        f'We\'ve fixed the problem in ticket {ticket["id"]}: mark it resolved with "{fix}" and send whoever '
        f'reported it a Slack DM saying "{dm}"',
        "If the ticket is already resolved or closed, don't touch it and just tell me what its resolution says.",
        "And if the reporter's Slack account has been deactivated, resolve it anyway but tell me who they are "
        "instead of messaging them.",
    )


@story(TICKETS, SLACK)
def escalate_and_flag_in_it_help(s: StoryContext) -> str:
    """A ticket that is still being worked on goes to top priority and the desk asks for an owner in #it-help;
    a finished one changes nothing."""
    desk = _desk(s)
    me_line = _slack_me(s, desk["username"])
    ticket = _ticket(s, "priority < 5 AND (status IN ('Open', 'In Progress') OR resolution IS NOT NULL)")
    text = s.rng.choice(ESCALATION_POSTS)
    view = s.call("ticket_management.get_ticket", ticket_id=_ticket_number(s, ticket["id"]))
    me = _slack_user(s, desk["username"])
    label = _channel(s, "it-help")
    if view["status"] in ("Open", "In Progress"):
        s.call("ticket_management.edit_ticket", ticket_id=ticket["id"], updates={"priority": s.imply(5)})
        _post(s, desk["username"], me["user_id"], "it-help", text)
        s.fact("yes", derived=True)
    else:
        s.say(text)
        s.fact("no", derived=True)
        s.fact(view["resolution"])
    s.context(view["title"], view["status"])
    return speech.sentence(
        me_line,
        f"I've got ticket {ticket['id']} that can't wait any longer.",
        f'If it\'s still open or in progress, raise it to the highest priority and post "{text}" in {label}.',
        "If it's already resolved or closed, leave everything as it is and tell me how it was resolved.",
        "Did you escalate it?",
    )


@story(TICKETS, SLACK, ZOOM)
def walk_the_reporter_through_on_zoom(s: StoryContext) -> str:
    """An open ticket easier fixed on a call: the desk books a registration-only Zoom, registers the reporter
    (found on Zoom by the real name Slack gives) and tells them on Slack; a reporter without Zoom gets a DM
    asking them to come by instead."""
    desk = _desk(s)
    me_line = _slack_me(s, desk["username"])
    ticket = _ticket(s, "status IN ('Open', 'In Progress') AND created_by != (SELECT owner FROM ticket_system)")
    host = s.rows("SELECT * FROM users WHERE user_id = ?", (_zoom_login(*desk["full_name"].split()),), env=ZOOM)
    if not host:
        s.reject("the desk has no Zoom account")
    zoom_line = _zoom_me(s, host[0]["user_id"])
    topic = s.say(s.rng.choice(WALKTHROUGH_TOPICS))
    start, spoken = _zoom_slot(s, host[0])
    invite, come_by = "Sent you a Zoom registration for your ticket, see you then.", "Can you stop by my desk today?"
    view = s.call("ticket_management.get_ticket", ticket_id=_ticket_number(s, ticket["id"]))
    reporter = s.call("slack.users_info", username=desk["username"], user=view["created_by"])
    if reporter["deleted"]:
        s.reject("the reporter has left")
    account = _zoom_account(s, reporter["real_name"])
    s.say(start, spoken)
    s.say(30, "30-minute")
    s.say(invite)
    s.say(come_by)
    if account is not None:
        meeting = s.call("zoom.create_meeting", user_id=host[0]["user_id"], topic=topic, start_time=start,
                         duration=30, registration=s.imply(True))  # fmt: skip
        s.call("zoom.add_meeting_registrant", meeting_id=meeting["meeting_id"], email=account["user_id"],
               first_name=account["first_name"], last_name=account["last_name"])  # fmt: skip
        text = invite
        s.fact(meeting["meeting_id"])
    else:
        text = come_by
        s.fact("no", derived=True)
    opened = s.call("slack.conversations_open", username=desk["username"], users=reporter["user_id"])
    s.call("slack.conversations_add_message", username=desk["username"], channel=opened["channel_id"], text=text)
    s.context(reporter["real_name"], view["title"])
    return speech.sentence(
        speech.opening(s.rng),
        me_line,
        zoom_line,
        f"The problem in ticket {ticket['id']} will be quicker to sort out on a call with whoever filed it.",
        f'Book a 30-minute Zoom called "{topic}" for {spoken}, with registration, and register the reporter '
        "with their Zoom account.",
        f'Then DM them on Slack: "{invite}"',
        f"If they don't have a Zoom account, don't book anything and DM them \"{come_by}\" instead.",
        "What's the meeting ID, if you booked one?",
    )


# --------------------------------------------------------------------------------------------------
# A channel's people on Zoom (Slack + Zoom)
# --------------------------------------------------------------------------------------------------


@story(SLACK, ZOOM)
def kickoff_call_for_the_channel(s: StoryContext) -> str:
    """A member of a small private channel books a registration-only Zoom for it, registers every other member
    who has a Zoom account and says so in the channel; who has no Zoom account is the answer."""
    channel = s.pick(
        "SELECT c.* FROM channels c WHERE c.is_private = 1 AND c.is_im = 0 AND c.is_archived = 0 AND (SELECT "
        "COUNT(*) FROM channel_members m WHERE m.channel_id = c.channel_id) BETWEEN 4 AND 9 ORDER BY c.name",
        env=SLACK,
    )
    paid = {r["user_id"] for r in s.rows("SELECT user_id FROM users WHERE plan != 'basic'", env=ZOOM)}
    members = s.rows(
        "SELECT u.* FROM users u JOIN channel_members m ON m.user_id = u.user_id WHERE m.channel_id = ? AND "
        "u.deleted = 0 ORDER BY u.username",
        (channel["channel_id"],),
        env=SLACK,
    )
    hosts = [m for m in members if _zoom_login(*m["real_name"].split(" ", 1)) in paid]
    if not hosts:
        s.reject("nobody in the channel has a paid Zoom account")
    me = s.rng.choice(hosts)
    me_line = _slack_me(s, me["username"])
    first, last = me["real_name"].split(" ", 1)
    host = s.rows("SELECT * FROM users WHERE user_id = ? AND plan != 'basic'", (_zoom_login(first, last),), env=ZOOM)
    if not host:
        s.reject("the person has no Zoom account")
    zoom_line = _zoom_me(s, host[0]["user_id"])
    label = _channel(s, channel["name"])
    topic = s.say(s.rng.choice(KICKOFF_TOPICS))
    text = s.rng.choice(KICKOFF_POSTS)
    start, spoken = _zoom_slot(s, host[0])
    length = s.rng.choice((30, 45, 60))
    members = s.call("slack.conversations_members", username=me["username"], channel=channel["name"])["members"]
    others = [m for m in members if m["username"] != me["username"] and not m["deleted"]]
    accounts = {m["real_name"]: _zoom_account(s, m["real_name"]) for m in others}
    meeting = s.call("zoom.create_meeting", user_id=host[0]["user_id"], topic=topic,
                     start_time=s.say(start, spoken), duration=s.say(length, f"{length}-minute"),
                     registration=s.imply(True))  # fmt: skip
    for account in accounts.values():
        if account is not None:
            s.call("zoom.add_meeting_registrant", meeting_id=meeting["meeting_id"], email=account["user_id"],
                   first_name=account["first_name"], last_name=account["last_name"])  # fmt: skip
    missing = sorted(name for name, account in accounts.items() if account is None)
    if not any(accounts.values()):
        s.reject("nobody else is on Zoom")
    s.call("slack.conversations_add_message", username=me["username"], channel=channel["name"], text=s.say(text))
    for name in missing:
        s.fact(name)
    if not missing:
        s.fact("nobody", derived=True)
    s.context(topic, *accounts)
    return speech.sentence(
        speech.opening(s.rng),
        me_line,
        zoom_line,
        f'Set up a {length}-minute Zoom called "{topic}" for {spoken}, with registration, and register everyone else '
        f"in {label} who has a Zoom account.",
        f'Then post "{text}" in {label}.',
        "Who in the channel doesn't have Zoom, if anyone?",
    )


@story(ZOOM, SLACK, implicit=True)
def recording_back_for_the_team(s: StoryContext) -> str:
    """A host tells a channel a meeting's recording is available; one deleted by mistake is first recovered
    from the trash (and one that is still there is left as it is)."""
    status = "trashed" if s.rng.random() < 0.6 else "completed"
    row = s.pick(
        "SELECT r.*, u.first_name, u.last_name FROM recordings r JOIN users u ON u.user_id = r.host_id WHERE "
        "r.status = ? AND r.start_time < ? AND (SELECT COUNT(*) FROM recordings x WHERE x.host_id = r.host_id AND "
        "x.topic = r.topic) = 1 ORDER BY r.meeting_uuid",
        (status, s.now(ZOOM).strftime("%Y-%m-%dT%H:%M:%SZ")),
        env=ZOOM,
    )
    member = s.rows("SELECT * FROM users WHERE real_name = ? AND deleted = 0",
                    (f"{row['first_name']} {row['last_name']}",), env=SLACK)  # fmt: skip
    if len(member) != 1:
        s.reject("the host is not one Slack member")
    me_line = _slack_me(s, member[0]["username"])
    work = ", ".join("?" for _ in WORK_CHANNELS)
    channel = s.pick(
        "SELECT c.name FROM channels c JOIN channel_members m ON m.channel_id = c.channel_id WHERE m.user_id = ? "
        f"AND c.is_im = 0 AND c.is_archived = 0 AND c.name IN ({work}) ORDER BY c.name",
        (member[0]["user_id"], *WORK_CHANNELS),
        env=SLACK,
    )
    zoom_line = _zoom_me(s, row["host_id"])
    s.say(row["topic"])
    day = row["start_time"][:10]
    spoken = speech.date(day)
    text = s.rng.choice(RECORDING_POSTS)
    label = _channel(s, channel["name"])
    trash = s.call("zoom.list_recordings", user_id=row["host_id"], from_date=s.say(day, spoken), to_date=day,
                   trash=s.imply(True))  # fmt: skip
    trashed = [m for m in trash["meetings"] if m["topic"] == row["topic"]]
    if trashed:
        s.call("zoom.recover_recording", user_id=row["host_id"], meeting_uuid=trashed[0]["meeting_uuid"])
        s.fact("yes", derived=True)
    else:
        s.fact("no", derived=True)
    s.call("slack.conversations_add_message", username=member[0]["username"], channel=channel["name"],
           text=s.say(text))  # fmt: skip
    return speech.sentence(
        speech.opening(s.rng),
        zoom_line,
        me_line,
        f'People in {label} keep asking for the recording of our "{row["topic"]}" meeting on {spoken}.',
        "I may have deleted it by accident: if it's in my Zoom trash, restore it.",
        f'Either way, post "{text}" in {label}.',
        "Was it in the trash?",
    )


# --------------------------------------------------------------------------------------------------
# Reaching a colleague whose Slack is gone (Slack + the messaging app)
# --------------------------------------------------------------------------------------------------


@story(SLACK, MESSAGES)
def colleague_off_slack_gets_a_message(s: StoryContext) -> str:
    """The messaging app's owner DMs a colleague on Slack; a colleague whose Slack account is deactivated is
    messaged in the messaging app instead."""
    owner = s.rows("SELECT u.* FROM users u JOIN workspace w ON w.owner_id = u.user_id", env=MESSAGES)[0]
    s.person(MESSAGES, owner["user_id"])
    me = s.rows("SELECT * FROM users WHERE real_name = ?", (owner["name"],), env=SLACK)[0]
    me_line = _slack_me(s, me["username"])
    deactivated = s.rng.random() < 0.5
    other = s.pick(
        "SELECT * FROM users WHERE deleted = ? AND user_id != ? ORDER BY user_id",
        (int(deactivated), me["user_id"]),
        env=SLACK,
    )
    directory = s.rows("SELECT * FROM users WHERE name = ?", (other["real_name"],), env=MESSAGES)
    if len(directory) != 1:
        s.reject("the colleague is not one person in the directory")
    text = s.say(s.rng.choice(DMS))
    _held(s, "colleague's name", other["real_name"], f"DM {other['real_name']}", "DM a colleague", ("name", "colleague",
          "who"))  # fmt: skip
    listed = s.call("slack.users_list", username=me["username"], query=other["real_name"],
                    include_deactivated=s.imply(True))  # fmt: skip
    exact = [m for m in listed["members"] if m["real_name"] == other["real_name"]]
    if len(exact) != 1:
        s.reject("the name is ambiguous on Slack")
    if exact[0]["deleted"]:
        receiver = s.call("message.get_user_id", user=other["real_name"])
        s.call("message.send_message", receiver_id=receiver["user_id"], message=text)
        s.fact("yes", derived=True)
    else:
        opened = s.call("slack.conversations_open", username=me["username"], users=exact[0]["user_id"])
        s.call("slack.conversations_add_message", username=me["username"], channel=opened["channel_id"], text=text)
        s.fact("no", derived=True)
    return speech.sentence(
        f"Hi, {owner['name']} here.",
        me_line,
        f'Please DM {other["real_name"]} on Slack: "{text}"',
        "I think their Slack account may have been switched off; if it has, send the same words to them in our "
        "messaging app instead (I'm signed in there).",
        "Was their Slack account deactivated?",
    )


# --------------------------------------------------------------------------------------------------
# A work phone line (telecom + Slack / tickets)
# --------------------------------------------------------------------------------------------------


def _colleague_on_the_network(s: StoryContext, extra: str = "") -> tuple[dict[str, Any], dict[str, Any]]:
    """A Slack member who has a line with the operator under the same name, and one of their lines."""
    names = [r["real_name"] for r in s.rows("SELECT real_name FROM users WHERE deleted = 0", env=SLACK)]
    placeholders = ", ".join("?" for _ in names)
    line = s.pick(
        f"SELECT l.*, c.full_name FROM lines l JOIN customers c ON c.customer_id = l.customer_id WHERE c.full_name IN "
        f"({placeholders}) {extra} ORDER BY l.line_id",
        names,
        env=TELECOM,
    )
    member = s.rows("SELECT * FROM users WHERE real_name = ?", (line["full_name"],), env=SLACK)[0]
    s.person(TELECOM, line["customer_id"])
    return line, member


@story(TELECOM, SLACK, implicit=True)
def phone_line_down_tell_the_team(s: StoryContext) -> str:
    """A colleague whose phone went quiet: a suspended line is reported in #it-help; a working one gets its
    data use this cycle instead."""
    line, member = _colleague_on_the_network(s, "AND l.status = 'Suspended'" if s.rng.random() < 0.4 else "")
    me_line = _slack_me(s, member["username"])
    text = s.rng.choice(LINE_POSTS)
    label = _channel(s, "it-help")
    number = _held(s, "phone number", line["phone_number"], f", {line['phone_number']},", synonyms=("number",
                   "phone", "line"))  # fmt: skip
    customer = s.call("telecom.get_customer_by_phone", phone_number=line["phone_number"])
    view = s.call("telecom.get_details_by_id", id=line["line_id"])
    if customer["customer_id"] != line["customer_id"]:
        s.reject("the number belongs to someone else")
    if view["status"] == "Suspended":
        _post(s, member["username"], member["user_id"], "it-help", text)
        s.fact("yes", derived=True)
    else:
        s.say(text)
        usage = s.call("telecom.get_data_usage", customer_id=customer["customer_id"], line_id=line["line_id"])
        s.fact(usage["data_used_gb"])
    return speech.sentence(
        speech.opening(s.rng),
        f"My work phone{number} has been oddly quiet today.",
        f'Check the line: if it\'s been suspended, post "{text}" in {label} for me.',
        me_line,
        "If it's working fine, just tell me how much data I've used this cycle.",
        "Was it suspended?",
    )


@story(TELECOM, TICKETS)
def suspended_line_logged_as_a_ticket(s: StoryContext) -> str:
    """A staff member whose line is not active files a ticket from their own login at the desk; an active line
    needs no ticket."""
    staff = [r["full_name"] for r in s.rows("SELECT full_name FROM staff", env=TICKETS)]
    placeholders = ", ".join("?" for _ in staff)
    line = s.pick(
        f"SELECT l.*, c.full_name FROM lines l JOIN customers c ON c.customer_id = l.customer_id WHERE c.full_name IN "
        f"({placeholders}) {'AND l.status != ' + repr('Active') if s.rng.random() < 0.4 else ''} ORDER BY l.line_id",
        staff,
        env=TELECOM,
    )
    account = s.rows("SELECT * FROM staff WHERE full_name = ?", (line["full_name"],), env=TICKETS)[0]
    s.person(TELECOM, line["customer_id"])
    s.person(TICKETS, account["username"])
    title, description = s.rng.choice(LINE_TICKETS)
    password = f"{s.rng.choice(('Maple', 'River', 'Orbit', 'Cedar'))}{s.rng.randint(10, 99)}!"
    number = _held(s, "phone number", line["phone_number"], f", {line['phone_number']},", synonyms=("number",
                   "phone", "line"))  # fmt: skip
    customer = s.call("telecom.get_customer_by_phone", phone_number=line["phone_number"])
    view = s.call("telecom.get_details_by_id", id=line["line_id"])
    if customer["customer_id"] != line["customer_id"]:
        s.reject("the number belongs to someone else")
    s.say(account["username"])
    s.say(password)
    s.say(title)
    s.say(description)
    if view["status"] != "Active":
        s.call("ticket_management.ticket_login", username=account["username"], password=password)
        created = s.call("ticket_management.create_ticket", title=title, description=description,
                         priority=s.imply(4))  # fmt: skip
        s.fact(created["id"])
    else:
        usage = s.call("telecom.get_data_usage", customer_id=customer["customer_id"], line_id=line["line_id"])
        s.fact("no", derived=True)
        s.fact(usage["data_used_gb"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm {line['full_name']}; calls to my work phone{number} aren't coming through.",
        "Look the line up with the carrier.",
        f"If it isn't active (suspended, or still waiting to be activated), sign in to the helpdesk as me "
        f'({account["username"]}, password {password}) and file "{title}" with the description "{description}" as '
        "urgent.",
        "If the line is active, don't file anything; tell me how much data I've used on it this cycle instead.",
        "Did you file a ticket, and what number did it get?",
    )


# --------------------------------------------------------------------------------------------------
# Email deliverability followed up in Slack (Postmark / Mailgun / SES + Slack)
# --------------------------------------------------------------------------------------------------


def _support_member(s: StoryContext, channel: str) -> dict[str, Any]:
    return s.pick(
        "SELECT u.* FROM users u JOIN channel_members m ON m.user_id = u.user_id JOIN channels c ON c.channel_id = "
        "m.channel_id WHERE c.name = ? AND u.deleted = 0 ORDER BY u.username",
        (channel,),
        env=SLACK,
    )


@story(POSTMARK, SLACK, implicit=True, weight=1.2)
def customer_stopped_getting_our_email(s: StoryContext) -> str:
    """A customer's address bounced on the production server: a hard bounce is reactivated and the support
    channel hears of it; a spam complaint or a temporary bounce is only reported."""
    from envfactory_gym.domains.communication.postmark.stories import OWNER as POSTMARK_OWNER

    s.person(POSTMARK, POSTMARK_OWNER)
    bounce = s.pick(
        "SELECT b.* FROM bounces b WHERE b.server_id = 1 AND (SELECT COUNT(*) FROM bounces o WHERE o.email = b.email) "
        "= 1 ORDER BY b.bounce_id",
        env=POSTMARK,
    )
    member = _support_member(s, "support")
    me_line = _slack_me(s, member["username"])
    text = s.rng.choice(BOUNCE_POSTS)
    label = _channel(s, "support")
    servers = s.call("postmark.list_servers")
    production = next(x["server"] for x in servers if x["server"].endswith("Production"))
    page = s.call("postmark.get_bounces", server=production, email_filter=_customer_address(s, bounce["email"]))
    found = [b for b in page["bounces"] if b["email"] == bounce["email"]]
    if len(found) != 1:
        s.reject("not one bounce of the address")
    if found[0]["can_activate"]:
        s.call("postmark.activate_bounce", server=production, bounce_id=found[0]["bounce_id"])
        _post(s, member["username"], member["user_id"], "support", text)
    else:
        s.say(text)
    s.fact(found[0]["bounce_type"])
    s.fact(speech.date(found[0]["bounced_at"][:10]), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        me_line,
        f"The customer at {bounce['email']} says our emails stopped reaching them.",
        "Find out on our production server in Postmark why their address bounced.",
        f'If Postmark lets you reactivate it, do that and post "{text}" in {label}; if it can\'t be reactivated, '
        "leave it and don't post anything.",
        "What kind of bounce was it, and on what day?",
    )


@story(MAILGUN, SLACK)
def new_domain_verified_tell_platform(s: StoryContext) -> str:
    """The platform team published DNS records for a new Mailgun domain: once Mailgun verifies it, #eng-platform
    hears it is ready; a domain still missing a record is the answer instead."""
    from envfactory_gym.domains.communication.mailgun.seed import EU, SUPPORT
    from envfactory_gym.domains.communication.mailgun.stories import OWNER as MAILGUN_OWNER

    s.person(MAILGUN, MAILGUN_OWNER)
    domain = s.rng.choice((EU, SUPPORT))
    member = _support_member(s, "eng-platform")
    me_line = _slack_me(s, member["username"])
    text = s.rng.choice(DOMAIN_POSTS)
    label = _channel(s, "eng-platform")
    _held(s, "domain", domain, f" for {domain}", " for our new domain", ("domain name", "sending domain"))
    checked = s.call("mailgun.verify_domain", domain=domain)
    if checked["state"] == "active":
        s.call("slack.conversations_add_message", username=member["username"], channel="eng-platform",
               text=s.say(text))  # fmt: skip
        s.fact("yes", derived=True)
    else:
        s.say(text)
        s.fact("no", derived=True)
        for record in checked["sending_dns_records"]:
            if record["valid"] != "valid":
                s.fact(record["kind"])
    return speech.sentence(
        speech.opening(s.rng),
        me_line,
        f"The DNS records for {domain} should be published by now.",
        f'Ask Mailgun to check the domain again; if it\'s verified, post "{text}" in {label}.',
        "If it still isn't, don't post; tell me which of its sending records aren't valid yet.",
        "Is it verified now?",
    )


@story(SES, SLACK, implicit=True)
def receipts_bouncing_off_suppression(s: StoryContext) -> str:
    """A customer fixed their mailbox: an address suppressed for bouncing comes off SES's suppression list and
    the support channel hears of it; one suppressed for a complaint stays there, and the channel hears why."""
    reason = "COMPLAINT" if s.rng.random() < 0.35 else "BOUNCE"
    row = s.pick(
        "SELECT * FROM suppressed_destinations WHERE region = 'us-east-1' AND reason = ? ORDER BY email_address",
        (reason,),
        env=SES,
    )
    member = _support_member(s, "support")
    me_line = _slack_me(s, member["username"])
    text = s.rng.choice(SUPPRESSION_POSTS)
    kept = s.rng.choice(COMPLAINT_POSTS)
    label = _channel(s, "support")
    entry = s.call("amazon_ses.get_suppressed_destination", email_address=_customer_address(s, row["email_address"]))
    if entry["reason"] == "BOUNCE":
        s.call("amazon_ses.delete_suppressed_destination", email_address=row["email_address"])
        _post(s, member["username"], member["user_id"], "support", text)
        s.say(kept)
    else:
        _post(s, member["username"], member["user_id"], "support", kept)
        s.say(text)
    s.fact(entry["reason"])
    s.fact(speech.date(entry["last_update_time"][:10]), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        me_line,
        f"The customer at {row['email_address']} says they fixed their mailbox but our SES receipts still never "
        "arrive.",
        f'If they\'re on our suppression list because of bounces, take them off and post "{text}" in {label}.',
        f'If they\'re on it because they complained about our mail, leave them there and post "{kept}" instead.',
        "Why were they suppressed, and since when?",
    )


# --------------------------------------------------------------------------------------------------
# Ledgerly's founder on her phone (Resend + WhatsApp)
# --------------------------------------------------------------------------------------------------


@story(RESEND, WHATSAPP)
def beta_email_out_tell_the_group(s: StoryContext) -> str:
    """Maya sends a beta announcement to her Resend audience and tells one of her WhatsApp groups it is out."""
    from envfactory_gym.domains.communication.resend.stories import NEWS
    from envfactory_gym.domains.communication.resend.stories import OWNER as RESEND_OWNER

    s.person(RESEND, RESEND_OWNER)
    name, subject, text = s.rng.choice(BROADCASTS)
    group = s.rng.choice(WHATSAPP_GROUPS)
    note = s.rng.choice(LAUNCH_NOTES)
    audiences = s.call("resend.list_audiences")
    beta = next((a for a in audiences["data"] if a["name"] == s.say("Beta testers")), None)
    if beta is None:
        s.reject("no beta audience")
    draft = s.call("resend.create_broadcast", audience_id=beta["audience_id"], from_address=s.say(NEWS),
                   subject=s.say(subject), name=s.say(name), text=s.say(text))  # fmt: skip
    sent = s.call("resend.send_broadcast", broadcast_id=draft["broadcast_id"])
    _held(s, "WhatsApp group", group, f"my {group} group", "my group", ("group", "group name", "chat"))
    page = s.call("whatsapp.whatsapp_list_chats", query=group)
    chat = [c for c in page["chats"] if c["name"] == group]
    if len(chat) != 1:
        s.reject("the group is not one chat")
    s.call("whatsapp.whatsapp_send_text_message", recipient=chat[0]["chat_jid"], text=s.say(note))
    s.fact(str(sent["recipient_count"]))
    return speech.sentence(
        speech.opening(s.rng),
        f'Send a broadcast called "{name}" to our Beta testers audience in Resend now, from {NEWS}, with the '
        f'subject "{subject}" and the text "{text}"',
        f'Once it\'s gone, tell my {group} group on WhatsApp: "{note}"',
        "How many people did the email go to?",
    )


# Outage tickets an IT person announces once fixed: the ticket title's words, what is searched, the post.
POSTING_OUTAGES: dict[str, tuple[str, str]] = {
    "VPN keeps disconnecting": ("VPN", "The VPN is stable again. Thanks for bearing with us!"),
    "Email not syncing": ("email", "Work email is syncing on phones again. Thanks for your patience!"),
    "Conference room display": ("display", "Conference room displays are connecting again. Happy presenting!"),
}
POSTING_COMPLAINT_REPLIES = (
    "Sorry about this! We've opened a ticket and will follow up.",
    "Thanks for flagging it. Our team is on it.",
)


def posting_ticket_owner(s: StoryContext) -> dict[str, Any]:
    row = s.rows("SELECT st.* FROM staff st JOIN ticket_system t ON t.owner = st.username", env=TICKETS)[0]
    s.person(TICKETS, row["username"])
    return row


def posting_workspace_owner(s: StoryContext) -> dict[str, Any]:
    row = s.rows("SELECT u.* FROM users u JOIN workspace w ON w.owner_id = u.user_id", env=MESSAGES)[0]
    s.person(MESSAGES, row["user_id"])
    return row


def posting_colleague(s: StoryContext) -> str:
    """A workspace colleague's name, as the person says it."""
    row = s.pick(
        "SELECT u.name FROM users u JOIN workspace w ON u.user_id != w.owner_id ORDER BY u.position", env=MESSAGES
    )
    return str(s.say(row["name"]))


def posting_message(s: StoryContext, name: str, text: str) -> None:
    """Send a workspace colleague a message (the owner is signed in on their device)."""
    receiver = s.call("get_user_id", user=name)["user_id"]
    s.call("send_message", receiver_id=receiver, message=text)


@story(TICKETS, POSTING)
def posting_announce_fixed_outage(s: StoryContext) -> str:
    """Announce a fixed outage from its ticket, unless already announced; an unfixed one is only reported."""
    titles = tuple(POSTING_OUTAGES)
    ticket = s.pick(
        # A closed ticket is long settled: the question is about one still open or just resolved.
        f"SELECT * FROM tickets WHERE status != 'Closed' AND title IN ({', '.join('?' * len(titles))}) ORDER BY id",
        titles,
        env=TICKETS,
    )
    posting_ticket_owner(s)
    keyword, text = POSTING_OUTAGES[ticket["title"]]
    number = s.say(ticket["id"])
    status = s.call("get_ticket", ticket_id=number)["status"]
    with s.within(POSTING):
        account = owner(s)
        if s.call("search_tweets", keyword=s.say(keyword)):
            s.reject("already posted about it")
        if status == "Resolved":
            intro = ""
            if not s.call("posting_get_login_status")["login_status"]:
                intro = sign_in(s, account)
            s.call("post_tweet", content=s.say(text), tags=[s.say("#ITStatus")])
        else:
            s.fact(status)
            intro = credentials(s, account)
    ask = speech.choose(
        s.rng,
        f"Ticket {number} is the {keyword} one. If it's resolved and I haven't posted about the {keyword} yet, "
        f'post "{text}" with #ITStatus on my account. If it isn\'t resolved, just tell me its status.',
        f'Check ticket {number} for me. Once it shows resolved, announce it: post "{text}" tagged #ITStatus, '
        f"unless there's already a post about the {keyword}. Otherwise let me know where it stands.",
    )
    return speech.sentence(intro, ask)


@story(POSTING, MESSAGES)
def posting_forward_friends_post(s: StoryContext) -> str:
    """Send a colleague the text of a friend's post, repost it, and say how much the friend posts."""
    with s.within(POSTING):
        account = owner(s)
        friend = s.say(followed_author(s))
        post, hook = post_about(s, s.call("get_user_tweets", username=friend))
        s.say(hook)
    posting_workspace_owner(s)
    colleague = posting_colleague(s)
    posting_message(s, colleague, post["content"])
    with s.within(POSTING):
        intro = sign_in(s, account)
        s.call("retweet", tweet_id=post["id"])
        s.fact(s.call("get_user_stats", username=friend)["tweet_count"])
    ask = speech.choose(
        s.rng,
        f"@{friend}'s latest post about the {hook} is perfect for {colleague}. Message {colleague} its text "
        f"word for word at work, repost it on my account, and tell me how many posts @{friend} has made.",
        f"Send {colleague} the text of @{friend}'s most recent post about the {hook} over workspace chat, then "
        f"share the post with my followers. Also, how many posts does @{friend} have in all?",
    )
    return speech.sentence(intro, ask)


@story(POSTING, MESSAGES)
def posting_colleague_moved_handles(s: StoryContext) -> str:
    """A colleague moved to a new handle: unfollow the old, follow and tag the new, and tell them."""
    with s.within(POSTING):
        account = owner(s)
        old = s.say(s.pick("SELECT username FROM following ORDER BY position")["username"])
        new = s.say(
            s.pick(
                "SELECT username FROM accounts WHERE username != (SELECT username FROM platform) "
                "AND username NOT IN (SELECT username FROM following) ORDER BY username"
            )["username"]
        )
        intro = sign_in(s, account)
        s.call("unfollow_user", username_to_unfollow=old)
        s.call("follow_user", username_to_follow=new)
        latest = s.call("get_user_tweets", username=account["username"])[-1]
        s.call("mention", tweet_id=latest["id"], mentioned_usernames=[s.say(f"@{new}")])
    posting_workspace_owner(s)
    colleague = posting_colleague(s)
    note = s.say(s.rng.choice(("Followed your new account!", "Done, I follow your new handle now.")))
    posting_message(s, colleague, note)
    ask = speech.choose(
        s.rng,
        f"My colleague {colleague} moved from @{old} to @{new}. Stop following the old account, follow the new "
        f'one, tag @{new} in my latest post, and message {colleague} at work: "{note}"',
        f"{colleague} has a new handle, @{new} (the old one was @{old}). Swap which one I follow, tag the new "
        f'one in my most recent post, then send {colleague} a workspace message saying "{note}"',
    )
    return speech.sentence(intro, ask)


@story(POSTING, TICKETS)
def posting_complaints_become_a_ticket(s: StoryContext) -> str:
    """A post drawing complaints: who wrote it and its replies so far, a ticket, and an answer on the post."""
    with s.within(POSTING):
        account = owner(s)
        number = s.say(s.pick("SELECT DISTINCT tweet_id AS id FROM comments ORDER BY tweet_id")["id"])
        author = s.call("get_tweet", tweet_id=number)["username"]
        if author == account["username"]:
            s.reject("the person's own post")
        replies = s.call("get_tweet_comments", tweet_id=number)
        s.fact(author)
        s.fact(len(replies), derived=True)
        intro = sign_in(s, account)
        following = s.call("list_all_following")["following_list"]
        s.fact("yes" if author in following else "no", derived=True)
    posting_ticket_owner(s)
    title = s.say(f"Complaints on post {number}")
    priority = s.say(s.rng.choice((3, 4)))
    s.call("create_ticket", title=title, priority=priority)
    answer = s.say(s.rng.choice(POSTING_COMPLAINT_REPLIES))
    with s.within(POSTING):
        s.call("comment", tweet_id=number, comment_content=answer)
    ask = speech.choose(
        s.rng,
        f'People are complaining under post number {number}. Open a ticket called "{title}" with priority '
        f'{priority}, reply "{answer}" on the post, and tell me who wrote it, how many replies it had before '
        "mine and whether I follow them.",
        f'Please file a priority {priority} ticket titled "{title}", then answer on post {number} with '
        f'"{answer}" Also: whose post is it, do I follow them, and how many replies were there already?',
    )
    return speech.sentence(intro, ask)
