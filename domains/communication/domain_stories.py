"""Communication stories across services: one person, one storyline, two or three of the domain's services.

The services meet where the seeded states share people (``northwind`` derives them from one roster):
- Northwind Labs' staff are the same people everywhere they work: every ticket-system user is a Slack member
  under the same username (a ticket's ``created_by`` is its reporter's Slack username), every Zoom user is a
  Slack member whose login is ``first.last@northwindlabs.com``, and every Slack member is in the messaging
  app's directory under their real name (the app's signed-in owner, Mark Harrell, is ``mharrell`` on Slack);
- every Slack member has an account on the social network (posting), at the handle their Slack profile's
  Posting field gives; colleagues who moved to a new handle keep their old account, and their profile gives
  the new one. The network's signed-out owner, Megan Chang, is ``mchang`` on Slack and at the helpdesk;
- a seeded ticket shows its reporter's Northwind address, and the service desk sends mail through SES
  (us-east-1) from it-help@northwindlabs.com, whose domain is verified there; some staff mailboxes bounced in a
  migration and SES suppresses them;
- Northwind's product mail goes out from its own Postmark server ("Northwind Product Mail"), whose bounces are
  staff addresses, the ones their tickets show; its two new Mailgun domains are each named in the #eng-platform
  post of the engineer who published their DNS records;
- six Slack members have phone lines with the telecom operator under the same name (three of them are also
  ticket-system users): their number is what they quote, their Slack username what they post as;
- the WhatsApp owner is Maya, the Ledgerly founder who runs the Resend team: her WhatsApp groups are where she
  tells people that Ledgerly's email went out.
So a story reads a value in one service and uses it in another: a ticket's reporter is DMed on Slack, emailed
at the address the ticket shows (or looked up by it among Postmark's bounces), registered on Zoom under the
name Slack gives; the Mailgun domain re-checked is the one a Slack post names; a colleague's handle comes from
their Slack profile, to follow, tag or repost them; a new ticket's number goes into a reply on a post.
SES's customer-facing side (Brightcrate's receipts) is run by support people who coordinate in Slack: a story
reads the email service and posts what it found, word for word, in the team's channel.
What decides a story is the state (a ticket already resolved, a reporter whose account is deactivated, a
colleague without Zoom, a bounce that cannot be reactivated, a domain whose records are still missing, a
suppressed mailbox, an old handle no longer followed), never the request.
The services' clocks differ (Slack and the tickets in March 2025, Zoom in September 2025), so no story joins
two services on a date: a meeting's day is said for Zoom alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from . import northwind
from .posting.stories import credentials, owner, post_about, sign_in

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
    "Escalated a ticket to top priority, can IT pick it up today?",
    "Heads up: a P5 ticket needs an owner this afternoon.",
)
WALKTHROUGH_TOPICS = ("Ticket walkthrough", "Quick fix session", "Screen share: your ticket")
KICKOFF_TOPICS = ("Project kickoff", "Planning sync", "Monthly check-in", "Retro and next steps")
KICKOFF_POSTS = (
    "Zoom registrations are out, check your inbox.",
    "Registered everyone on Zoom, your links are in your email.",
)
# Channels where a team shares a meeting's recording (not the company-wide or social ones).
WORK_CHANNELS = (
    "engineering", "design", "product", "frontend", "backend", "mobile", "data", "eng-platform", "security", "qa",
    "release-planning", "marketing", "sales", "support", "customer-success", "finance", "recruiting", "proj-atlas",
    "proj-nimbus", "leadership", "hiring-committee",
)  # fmt: skip
RECORDING_POSTS = (
    "The recording is in Zoom if you missed the meeting.",
    "Recording's up in the Zoom cloud.",
)
DMS = (
    "Can you send me the latest numbers before the sync?",
    "Thanks for covering for me yesterday!",
    "Could you review my doc when you get a chance?",
)
LINE_POSTS = (
    "My work line is suspended, can someone from IT help?",
    "Heads up, my phone line is suspended, call me on Slack.",
)
LINE_TICKETS = (
    ("Work phone line suspended", "My mobile line is suspended, I can't take calls."),
    ("Phone line not working", "Customers can't reach my work phone."),
)
REACTIVATED_DMS = (
    "Your address is unblocked, our product emails will reach you again.",
    "Fixed: our product emails reach your inbox again.",
)
DOMAIN_POSTS = (
    "The new sending domain is verified in Mailgun, we can send from it now.",
    "Mailgun verified the domain, it's ready to send.",
)
SUPPRESSION_POSTS = (
    "Took a customer off the SES suppression list, receipts reach them again.",
    "Removed a bounced address from SES suppression.",
)
COMPLAINT_POSTS = (
    "Kept a customer on SES suppression: they once marked us as spam.",
    "Left a past complainer on the SES suppression list.",
)
WHATSAPP_GROUPS = ("Product Team", "Startup Founders SF")
LAUNCH_NOTES = (
    "The beta email just went out, fingers crossed!",
    "Beta announcement is out!",
)
BROADCASTS = (
    ("Beta: bulk invoice export", "Bulk invoice export is in beta",
     "Export a month of invoices as one ZIP. Tell us what breaks."),
    ("Beta: client portal", "Try the new client portal",
     "Clients can now pay and download invoices in their own portal."),
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
        me_line,
        f'Ticket {ticket["id"]} is fixed: resolve it with "{fix}" and DM the reporter on Slack: "{dm}"',
        speech.choose(
            s.rng,
            "If it's already closed out, just tell me the resolution; if they've left, tell me who they were.",
            "Already resolved? Then tell me what it says. Reporter gone from Slack? Tell me who it was.",
        ),
    )


@story(TICKETS, SES, SLACK, implicit=True)
def fixed_so_email_the_reporter(s: StoryContext) -> str:
    """The desk resolves a fixed ticket and emails its reporter, at the address the ticket gives, from the desk's
    mailbox through SES; a reporter whose mailbox SES suppresses (it bounced in the mailbox migration) hears it
    in a Slack DM instead."""
    desk = _desk(s)
    me_line = _slack_me(s, desk["username"])
    s.person(SES, northwind.IT_DESK_ADDRESS)
    suppressed = [r["email_address"] for r in s.rows(
        "SELECT email_address FROM suppressed_destinations WHERE region = 'us-east-1' AND email_address LIKE ? "
        "ORDER BY email_address", (f"%@{northwind.DOMAIN}",), env=SES)]  # fmt: skip
    if not suppressed:
        s.reject("no staff mailbox is suppressed")
    marks = ", ".join(repr(a) for a in suppressed)  # addresses of the seed: letters, digits, dots and one @
    bounced = "" if s.rng.random() < 0.4 else "NOT"
    ticket = _ticket(
        s,
        f"status IN ('Open', 'In Progress') AND created_by != (SELECT owner FROM ticket_system) AND "
        f"json_extract(extra, '$.reporter_email') {bounced} IN ({marks})",
    )
    fix, dm = s.rng.choice(FIXES)
    subject = f"Ticket {ticket['id']} is fixed"
    view = s.call("ticket_management.get_ticket", ticket_id=_ticket_number(s, ticket["id"]))
    address = view["reporter_email"]
    s.call("ticket_management.resolve_ticket", ticket_id=ticket["id"], resolution=s.say(fix))
    s.say(northwind.IT_DESK_ADDRESS)
    s.say(subject)
    s.say(dm)
    if address in suppressed:
        s.call("amazon_ses.get_suppressed_destination", email_address=address)
        reporter = s.call("slack.users_info", username=desk["username"], user=view["created_by"])
        if reporter["deleted"]:
            s.reject("the reporter has left")
        opened = s.call("slack.conversations_open", username=desk["username"], users=reporter["user_id"])
        s.call("slack.conversations_add_message", username=desk["username"], channel=opened["channel_id"], text=dm)
    else:
        s.call("amazon_ses.send_email", source=northwind.IT_DESK_ADDRESS, to_addresses=[address], subject=subject,
               text_body=dm)  # fmt: skip
    s.context(view["title"])
    return speech.sentence(
        me_line,
        f'Ticket {ticket["id"]} is fixed: resolve it with "{fix}" and email the reporter from '
        f'{northwind.IT_DESK_ADDRESS} through SES, subject "{subject}": "{dm}"',
        "If SES is holding back mail to their mailbox, DM it to them on Slack instead.",
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
        f'Ticket {ticket["id"]} can\'t wait: if it\'s still being worked on, bump it to top priority and post '
        f'"{text}" in {label}.',
        "If it's already done, tell me how it was resolved. Did you escalate it?",
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
    invite, come_by = "Sent you a Zoom invite for your ticket.", "Can you stop by my desk today?"
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
        me_line,
        zoom_line,
        f'Book a 30-minute "{topic}" Zoom with registration for {spoken}, register the reporter of ticket '
        f'{ticket["id"]} and DM them on Slack: "{invite}" Not on Zoom? Then just DM "{come_by}" Meeting ID?',
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
        me_line,
        zoom_line,
        f'Set up a {length}-minute "{topic}" Zoom for {spoken} with registration, register everyone else in '
        f'{label} who\'s on Zoom, then post "{text}" there. Who isn\'t on Zoom?',
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
        zoom_line,
        me_line,
        f'{label} wants the recording of our "{row["topic"]}" meeting on {spoken}, and I may have deleted it by '
        f'accident. Get it back if it\'s in my trash, then post "{text}" in {label}. Was it in the trash?',
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
        f"{owner['name']} here.",
        me_line,
        f'DM {other["real_name"]} on Slack: "{text}"',
        "If their account's been switched off, send it in our messaging app instead (I'm signed in). Was it?",
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


@story(TELECOM, SLACK, implicit=True, weight=1.4)
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
        f"My work phone{number} has been oddly quiet today. {me_line}",
        f'If the line\'s suspended, post "{text}" in {label}; if it works, how much data have I used this cycle?',
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
        f"I'm {line['full_name']}; my work phone{number} gets no calls.",
        f'Unless the line is active, file an urgent "{title}" ticket as {account["username"]} (password '
        f'{password}): "{description}" Otherwise, tell me my data use this cycle. Ticket number, if you filed one?',
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


@story(TICKETS, POSTMARK, SLACK, implicit=True, weight=1.2)
def reporter_stopped_getting_our_email(s: StoryContext) -> str:
    """A ticket's reporter no longer gets Northwind's product mail: the address the ticket shows bounced on
    Northwind's Postmark server. A hard bounce is reactivated and the reporter hears it in a Slack DM; a spam
    complaint or a temporary bounce is only reported."""
    from envfactory_gym.domains.communication.postmark.seed import NORTHWIND_SERVER
    from envfactory_gym.domains.communication.postmark.stories import OWNER as POSTMARK_OWNER

    desk = _desk(s)
    me_line = _slack_me(s, desk["username"])
    s.person(POSTMARK, POSTMARK_OWNER)
    bounced = [r["email"] for r in s.rows(
        "SELECT b.email FROM bounces b JOIN servers v ON v.server_id = b.server_id WHERE v.name = ? AND (SELECT "
        "COUNT(*) FROM bounces o WHERE o.email = b.email) = 1 ORDER BY b.email", (NORTHWIND_SERVER,),
        env=POSTMARK)]  # fmt: skip
    if not bounced:
        s.reject("no staff address bounced")
    marks = ", ".join(repr(a) for a in bounced)  # addresses of the seed: letters, digits, dots and one @
    ticket = _ticket(
        s, f"created_by != (SELECT owner FROM ticket_system) AND json_extract(extra, '$.reporter_email') IN ({marks})"
    )
    text = s.rng.choice(REACTIVATED_DMS)
    view = s.call("ticket_management.get_ticket", ticket_id=_ticket_number(s, ticket["id"]))
    servers = s.call("postmark.list_servers")
    server = next(x["server"] for x in servers if x["server"] == NORTHWIND_SERVER)
    page = s.call("postmark.get_bounces", server=server, email_filter=view["reporter_email"])
    found = [b for b in page["bounces"] if b["email"] == view["reporter_email"]]
    if len(found) != 1:
        s.reject("not one bounce of the address")
    if found[0]["can_activate"]:
        reporter = s.call("slack.users_info", username=desk["username"], user=view["created_by"])
        if reporter["deleted"]:
            s.reject("the reporter has left")
        s.call("postmark.activate_bounce", server=server, bounce_id=found[0]["bounce_id"])
        s.context(reporter["real_name"])
        opened = s.call("slack.conversations_open", username=desk["username"], users=reporter["user_id"])
        s.call("slack.conversations_add_message", username=desk["username"], channel=opened["channel_id"],
               text=s.say(text))  # fmt: skip
    else:
        s.say(text)
    s.fact(found[0]["bounce_type"])
    s.fact(speech.date(found[0]["bounced_at"][:10]), derived=True)
    s.context(view["title"])
    return speech.sentence(
        me_line,
        f"Whoever reported ticket {ticket['id']} stopped getting our product emails.",
        speech.choose(
            s.rng,
            f"If Postmark's product server bounced them and can reactivate them, do it and DM them on Slack: "
            f'"{text}" What kind of bounce, and when?',
            f'Check why our Postmark product server bounced them; if that can be undone, undo it and tell them on '
            f'Slack "{text}" Bounce type and day?',
        ),
    )


@story(SLACK, MAILGUN)
def new_domain_verified_tell_platform(s: StoryContext) -> str:
    """A platform engineer said in #eng-platform they published the DNS records of one of Northwind's new Mailgun
    domains: Mailgun re-checks the domain that post names, and once it is verified #eng-platform hears it is
    ready; a domain still missing a record is the answer instead."""
    from envfactory_gym.domains.communication.mailgun.stories import OWNER as MAILGUN_OWNER

    s.person(MAILGUN, MAILGUN_OWNER)
    domains = [r["name"] for r in s.rows("SELECT name FROM domains ORDER BY name", env=MAILGUN)]
    member = _support_member(s, "eng-platform")
    post = s.pick(
        "SELECT m.text, u.real_name FROM messages m JOIN channels c ON c.channel_id = m.channel_id JOIN users u ON "
        "u.user_id = m.user_id WHERE c.name = 'eng-platform' AND m.thread_ts IS NULL AND m.text LIKE "
        "'Published the DNS records%' AND u.user_id != ? ORDER BY m.ts",
        (member["user_id"],),
        env=SLACK,
    )
    named = [d for d in domains if f" {d}." in post["text"]]
    if len(named) != 1:
        s.reject("the post names no one Mailgun domain")
    me_line = _slack_me(s, member["username"])
    text = s.rng.choice(DOMAIN_POSTS)
    label = _channel(s, "eng-platform")
    engineer = s.say(post["real_name"])
    history = s.call("slack.conversations_history", username=member["username"], channel="eng-platform")
    said = [m for m in history["messages"] if m["text"] == post["text"]]
    if len(said) != 1:
        s.reject("the post is not on the channel's first page")
    listed = s.call("mailgun.list_domains")["items"]  # the post names the domain: the account's list spells it
    domain = next(d["name"] for d in listed if d["name"] == named[0])
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
    s.context(domain)
    return speech.sentence(
        me_line,
        speech.choose(
            s.rng,
            f"{engineer} posted in {label} that our new Mailgun domain's DNS records are up. Have Mailgun re-check "
            f'it; if it verifies, post "{text}" there. Verified? If not, which sending records fail?',
            f"Per {engineer} in {label}, the DNS for one of our Mailgun domains is published. Re-check it in Mailgun "
            f'and, once verified, post "{text}" there. Is it? Which sending records fail, if not?',
        ),
    )


@story(SES, SLACK, implicit=True)
def receipts_bouncing_off_suppression(s: StoryContext) -> str:
    """A customer fixed their mailbox: an address suppressed for bouncing comes off SES's suppression list and
    the support channel hears of it; one suppressed for a complaint stays there, and the channel hears why."""
    reason = "COMPLAINT" if s.rng.random() < 0.35 else "BOUNCE"
    row = s.pick(
        "SELECT * FROM suppressed_destinations WHERE region = 'us-east-1' AND reason = ? AND email_address NOT LIKE ? "
        "ORDER BY email_address",
        (reason, f"%@{northwind.DOMAIN}"),
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
        me_line,
        f"Our SES receipts still don't reach the customer at {row['email_address']}, whose mailbox is fixed.",
        f'Suppressed for bouncing? Take them off and post "{text}" in {label}. If they complained about us, '
        f'leave them and post "{kept}" Why, and since when?',
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
        f'Send our Beta testers audience in Resend a broadcast "{name}" from {NEWS}, subject "{subject}", text '
        f'"{text}" Then tell my {group} group on WhatsApp: "{note}" How many people got it?',
    )


# Outage tickets an IT person announces once fixed: the ticket title's words, what is searched, the post.
POSTING_OUTAGES: dict[str, tuple[str, str]] = {
    "VPN keeps disconnecting": ("VPN", "The VPN is stable again. Thanks for bearing with us!"),
    "Email not syncing": ("email", "Work email is syncing on phones again. Thanks for your patience!"),
    "Conference room display": ("display", "Conference room displays are connecting again. Happy presenting!"),
}
POSTING_MOVED_NOTES = ("Followed your new account!", "Done, I follow your new handle now.")
POSTING_TICKET_TITLES = ("Complaints on a post", "Customers complaining on social")
# The reply on a complained-about post ends with the number the helpdesk gives the ticket filed for it.
POSTING_COMPLAINT_REPLY = "Sorry about this! We're tracking it in ticket"


def posting_me(s: StoryContext) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The network's owner (signed out on this device) and the same person on Slack: the member whose
    profile's Posting field is the owner's handle."""
    with s.within(POSTING):
        account = owner(s)
    member = s.rows("SELECT * FROM users WHERE posting_handle = ? AND deleted = 0", (account["username"],), env=SLACK)
    if len(member) != 1:
        s.reject("the network's owner is not one Slack member")
    return account, member[0], _slack_me(s, member[0]["username"])


def posting_colleague(s: StoryContext, me: dict[str, Any], name: str) -> dict[str, Any]:
    """A colleague found on Slack by the name the person says: their profile (with its Posting handle)."""
    listed = s.call("slack.users_list", username=me["username"], query=name)
    found = [m for m in listed["members"] if m["real_name"] == name]
    if len(found) != 1 or not found[0]["posting_handle"] or found[0]["deleted"]:
        s.reject("the name is not one active Slack member with a Posting handle")
    return found[0]


def posting_dm(s: StoryContext, me: dict[str, Any], colleague: dict[str, Any], text: str) -> None:
    opened = s.call("slack.conversations_open", username=me["username"], users=colleague["user_id"])
    s.call("slack.conversations_add_message", username=me["username"], channel=opened["channel_id"], text=text)


@story(TICKETS, SLACK, POSTING)
def posting_announce_fixed_outage(s: StoryContext) -> str:
    """A fixed outage is announced from its ticket on the owner's account, tagging its reporter at the handle
    their Slack profile gives (once: not when already posted about); an unfixed one is only reported."""
    titles = tuple(POSTING_OUTAGES)
    account, me, me_line = posting_me(s)
    ticket = s.pick(
        # A closed ticket is long settled: the question is about one still open or just resolved.
        f"SELECT * FROM tickets WHERE status != 'Closed' AND title IN ({', '.join('?' * len(titles))}) AND "
        "created_by != ? ORDER BY id",
        (*titles, me["username"]),
        env=TICKETS,
    )
    s.person(TICKETS, me["username"])
    keyword, text = POSTING_OUTAGES[ticket["title"]]
    view = s.call("ticket_management.get_ticket", ticket_id=_ticket_number(s, ticket["id"]))
    with s.within(POSTING):
        if s.call("search_tweets", keyword=s.say(keyword)):
            s.reject("already posted about it")
    s.say(text)
    s.say("#ITStatus")
    if view["status"] == "Resolved":
        reporter = s.call("slack.users_info", username=me["username"], user=view["created_by"])
        if reporter["deleted"] or not reporter["posting_handle"]:
            s.reject("the reporter is not on the network")
        with s.within(POSTING):
            intro = credentials(s, account)
            if not s.call("posting_get_login_status")["login_status"]:
                s.call("authenticate_twitter", username=account["username"], password=account["password"])
            s.call("post_tweet", content=text, tags=["#ITStatus"], mentions=[s.imply(f"@{reporter['posting_handle']}")])
        s.context(reporter["real_name"])
    else:
        s.fact(view["status"])
        with s.within(POSTING):
            intro = credentials(s, account)
    ask = speech.choose(
        s.rng,
        f'Once ticket {ticket["id"]} (the {keyword} one) is resolved, post "{text}" with #ITStatus and tag whoever '
        f"reported it, unless I've already posted about the {keyword}. Not resolved yet? Tell me its status.",
        f'If ticket {ticket["id"]} is resolved, announce it: "{text}", tagged #ITStatus, mentioning the reporter '
        f"(skip it if I already posted about the {keyword}). Otherwise, where does it stand?",
    )
    return speech.sentence(intro, me_line, ask)


@story(SLACK, POSTING)
def posting_forward_friends_post(s: StoryContext) -> str:
    """A colleague's post (found at the handle their Slack profile gives) is reposted, followed when not yet, and
    its text DMed on Slack to another colleague."""
    account, me, me_line = posting_me(s)
    members = s.rows(
        "SELECT real_name, posting_handle FROM users WHERE deleted = 0 AND posting_handle IS NOT NULL AND "
        "username != ? ORDER BY username",
        (me["username"],),
        env=SLACK,
    )
    handles = {m["posting_handle"]: m["real_name"] for m in members}
    with s.within(POSTING):
        posters = [
            r["username"]
            for r in s.rows("SELECT DISTINCT username FROM tweets ORDER BY username")
            if r["username"] in handles
        ]
    if not posters:
        s.reject("no colleague posts")
    name = handles[s.rng.choice(posters)]
    other = s.pick(
        "SELECT real_name FROM users WHERE deleted = 0 AND username != ? AND real_name != ? ORDER BY username",
        (me["username"], name),
        env=SLACK,
    )["real_name"]
    s.say(name)
    s.say(other)
    friend = posting_colleague(s, me, name)
    with s.within(POSTING):
        post, hook = post_about(s, s.call("get_user_tweets", username=friend["posting_handle"]))
        s.say(hook)
        intro = sign_in(s, account)
        s.call("retweet", tweet_id=post["id"])
        following = s.call("list_all_following")["following_list"]
        if friend["posting_handle"] not in following:
            s.call("follow_user", username_to_follow=friend["posting_handle"])
        s.fact(s.call("get_user_stats", username=friend["posting_handle"])["tweet_count"])
    posting_dm(s, me, posting_colleague(s, me, other), post["content"])
    first = name.split()[0]
    ask = speech.choose(
        s.rng,
        f"{name}'s latest post about the {hook} is great: repost it, follow {first} if I don't already, and DM "
        f"{other} its text on Slack, word for word. How many posts has {first} made?",
        f"Repost {name}'s most recent post about the {hook} (and follow {first} if I'm not yet), then send "
        f"{other} the post's text in a Slack DM. How much does {first} post, in all?",
    )
    return speech.sentence(intro, me_line, ask)


@story(SLACK, POSTING, implicit=True)
def posting_colleague_moved_handles(s: StoryContext) -> str:
    """A colleague moved to a new handle, which their Slack profile gives: it is followed (and the old one
    unfollowed, when still followed) and tagged in the owner's latest post, and the colleague hears it on Slack."""
    account, me, me_line = posting_me(s)
    profiles = {
        m["real_name"]: m["posting_handle"]
        for m in s.rows("SELECT real_name, posting_handle FROM users WHERE deleted = 0 AND username != ? ORDER BY "
                        "username", (me["username"],), env=SLACK)
    }  # fmt: skip
    with s.within(POSTING):
        twice = s.rows(
            "SELECT display_name, username FROM accounts WHERE display_name IN (SELECT display_name FROM accounts "
            "GROUP BY display_name HAVING COUNT(*) = 2) ORDER BY display_name, rowid"
        )
        # Someone on two accounts whose Slack profile names one of them: the other is the one they left.
        pairs = sorted(
            (r["display_name"], r["username"])
            for r in twice
            if r["display_name"] in profiles and r["username"] != profiles[r["display_name"]]
            and any(o["username"] == profiles[r["display_name"]] for o in twice)
        )
        if not pairs:
            s.reject("nobody moved")
        name, old = s.rng.choice(pairs)
        followed = {r["username"] for r in s.rows("SELECT username FROM following")}
    s.say(name)
    s.say(old, f"@{old}")
    note = s.say(s.rng.choice(POSTING_MOVED_NOTES))
    colleague = posting_colleague(s, me, name)
    new = colleague["posting_handle"]
    with s.within(POSTING):
        intro = sign_in(s, account)
        if old in followed:
            s.call("unfollow_user", username_to_unfollow=old)
        s.call("follow_user", username_to_follow=new)
        latest = s.call("get_user_tweets", username=account["username"])[-1]
        s.call("mention", tweet_id=latest["id"], mentioned_usernames=[s.imply(f"@{new}")])
    posting_dm(s, me, colleague, note)
    ask = speech.choose(
        s.rng,
        f"{name} has left @{old} for a new account. Follow the new one instead, tag it in my latest post, and DM "
        f'{name.split()[0]} on Slack: "{note}"',
        f"{name} moved off @{old} to a new handle. Switch me over to it, tag it in my most recent post, then "
        f'tell {name.split()[0]} on Slack "{note}"',
    )
    return speech.sentence(intro, me_line, ask)


@story(POSTING, TICKETS)
def posting_complaints_become_a_ticket(s: StoryContext) -> str:
    """Complaints under a post become the owner's own ticket, whose number (the helpdesk's) the answer on the post
    gives; who wrote the post is the answer."""
    with s.within(POSTING):
        account = owner(s)
        name = s.rows("SELECT display_name FROM accounts WHERE username = ?", (account["username"],))[0]
    staff = s.rows("SELECT username FROM staff WHERE full_name = ?", (name["display_name"],), env=TICKETS)
    if len(staff) != 1:
        s.reject("the owner is not one person on the helpdesk")
    me = staff[0]
    with s.within(POSTING):
        number = s.say(s.pick("SELECT DISTINCT tweet_id AS id FROM comments ORDER BY tweet_id")["id"])
        author = s.call("get_tweet", tweet_id=number)["username"]
        if author == account["username"]:
            s.reject("the person's own post")
        s.fact(author)
        s.fact(len(s.call("get_tweet_comments", tweet_id=number)), derived=True)
    s.person(TICKETS, me["username"])
    password = f"{s.rng.choice(('Maple', 'River', 'Orbit', 'Cedar'))}{s.rng.randint(10, 99)}!"
    s.say(me["username"])
    s.say(password)
    title = s.say(f"{s.rng.choice(POSTING_TICKET_TITLES)} ({number})")
    priority = s.say(s.rng.choice((3, 4)))
    s.call("ticket_management.ticket_login", username=me["username"], password=password)
    created = s.call("ticket_management.create_ticket", title=title, priority=priority)
    answer = s.imply(f"{POSTING_COMPLAINT_REPLY} {created['id']}.")
    with s.within(POSTING):
        intro = sign_in(s, account)
        s.call("comment", tweet_id=number, comment_content=answer)
    ask = speech.choose(
        s.rng,
        f'People are complaining under post {number}. File a priority {priority} ticket "{title}" on the helpdesk '
        f'(I\'m {me["username"]}, password {password}), then reply on the post "{POSTING_COMPLAINT_REPLY}" plus its '
        "number. Whose post is it, and how many replies did it have?",
        f'Open a helpdesk ticket "{title}", priority {priority}, as {me["username"]} (password {password}), and answer '
        f'on post {number}: "{POSTING_COMPLAINT_REPLY}" and the new number. Who wrote it, and how many replies were '
        "there?",
    )
    return speech.sentence(intro, ask)
