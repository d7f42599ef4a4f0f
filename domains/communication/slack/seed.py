"""The seeded generator and its data tables: the Northwind Labs workspace, its members, channels, DMs and
a month of messages, threads, reactions and pins (with the decisions, deploy questions, open questions and
runbooks that people come back for)."""

from __future__ import annotations

import datetime as dt
import random
import string
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from ..northwind import MAILGUN_DOMAINS, moved_handles, social_handles
from .definition import env
from .models import NOW, Channel, ChannelMember, Message, Pin, Reaction, ServiceClock, SlackUser
from .timestamps import ts_of

N_USERS = 150
N_DEACTIVATED = 7
DAYS = 30

DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "engineering": (
        "Software Engineer",
        "Senior Software Engineer",
        "Staff Engineer",
        "Engineering Manager",
        "Site Reliability Engineer",
        "QA Engineer",
        "Data Engineer",
        "Mobile Engineer",
    ),
    "design": ("Product Designer", "Senior Product Designer", "UX Researcher", "Design Manager"),
    "product": ("Product Manager", "Senior Product Manager", "Technical Program Manager"),
    "go_to_market": (
        "Account Executive",
        "Customer Success Manager",
        "Marketing Manager",
        "Support Specialist",
        "Sales Development Rep",
        "Content Strategist",
    ),
    "operations": (
        "People Partner",
        "Recruiter",
        "Finance Analyst",
        "IT Administrator",
        "Office Manager",
        "Legal Counsel",
    ),
}
DEPARTMENT_SHARE = (
    ("engineering", 0.40),
    ("design", 0.12),
    ("product", 0.12),
    ("go_to_market", 0.22),
    ("operations", 0.14),
)
TIME_ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "America/Chicago",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
)

# name, private, archived, departments whose people are in it (empty: anyone), share of them, topic, purpose, theme
CHANNELS: tuple[tuple[str, bool, bool, tuple[str, ...], float, str, str, str], ...] = (
    (
        "general",
        False,
        False,
        (),
        1.0,
        "Company-wide news and questions",
        "The whole company, all in one place",
        "general",
    ),
    ("random", False, False, (), 0.8, "Anything goes", "Non-work banter and water cooler chat", "social"),
    (
        "announcements",
        False,
        False,
        (),
        0.95,
        "Official updates only",
        "Company announcements from leadership",
        "announce",
    ),
    (
        "engineering",
        False,
        False,
        ("engineering",),
        0.9,
        "Eng-wide discussion",
        "Engineering questions and news",
        "eng",
    ),
    (
        "design",
        False,
        False,
        ("design", "product"),
        0.9,
        "Design reviews Tue/Thu",
        "Product design discussion",
        "design",
    ),
    (
        "product",
        False,
        False,
        ("product", "design", "engineering"),
        0.5,
        "Roadmap Q2 planning",
        "Product strategy and roadmap",
        "product",
    ),
    (
        "deploys",
        False,
        False,
        ("engineering",),
        0.7,
        "Deploy freeze Fridays after 2pm",
        "Deploy announcements and questions",
        "deploy",
    ),
    (
        "incidents",
        False,
        False,
        ("engineering",),
        0.6,
        "Sev1? Page #oncall first",
        "Incident coordination and postmortems",
        "incident",
    ),
    ("frontend", False, False, ("engineering", "design"), 0.4, "React 18 migration", "Web frontend", "eng"),
    ("backend", False, False, ("engineering",), 0.5, "Standup 10:00 PT", "APIs, services and databases", "eng"),
    ("mobile", False, False, ("engineering", "design"), 0.3, "iOS 4.12 in review", "iOS and Android apps", "design"),
    (
        "data",
        False,
        False,
        ("engineering", "product"),
        0.3,
        "Warehouse migration in progress",
        "Analytics, dashboards and pipelines",
        "eng",
    ),
    (
        "eng-platform",
        False,
        False,
        ("engineering",),
        0.35,
        "Runbooks are pinned",
        "Platform and infrastructure",
        "runbook",
    ),
    (
        "security",
        False,
        False,
        ("engineering", "operations"),
        0.3,
        "Report phishing to it-help",
        "Security questions and advisories",
        "eng",
    ),
    ("qa", False, False, ("engineering",), 0.25, "Regression suite nightly", "Testing and release quality", "eng"),
    (
        "release-planning",
        False,
        False,
        ("engineering", "product"),
        0.3,
        "Next train: Thursday",
        "Release trains and scope",
        "deploy",
    ),
    ("design-critique", False, False, ("design",), 0.9, "Post WIP, get feedback", "Friendly design critique", "design"),
    ("marketing", False, False, ("go_to_market", "design"), 0.6, "Spring campaign", "Campaigns and content", "gtm"),
    ("sales", False, False, ("go_to_market",), 0.7, "Q1 close", "Deals, pipeline and wins", "gtm"),
    (
        "support",
        False,
        False,
        ("go_to_market", "engineering"),
        0.4,
        "Escalations: tag @oncall",
        "Customer support escalations",
        "support",
    ),
    ("customer-success", False, False, ("go_to_market",), 0.6, "Renewals this month", "Account health", "gtm"),
    ("hr-questions", False, False, (), 0.5, "Benefits enrollment closes Mar 31", "Ask the People team", "ops"),
    ("it-help", False, False, (), 0.6, "Laptop refresh sign-up open", "Laptops, accounts and access", "ops"),
    (
        "finance",
        False,
        False,
        ("operations", "go_to_market"),
        0.5,
        "Expenses due on the 5th",
        "Budgets, expenses and invoices",
        "ops",
    ),
    (
        "recruiting",
        False,
        False,
        ("operations", "engineering"),
        0.25,
        "Referral bonus doubled",
        "Hiring pipeline",
        "ops",
    ),
    ("watercooler", False, False, (), 0.4, "Coffee chats", "Say hi", "social"),
    ("pets", False, False, (), 0.3, "Pics or it didn't happen", "Pets of Northwind", "social"),
    ("books", False, False, (), 0.15, "March pick: Project Hail Mary", "Book club", "social"),
    ("running-club", False, False, (), 0.12, "Saturday 8am loop", "Runners of all speeds", "social"),
    ("sf-office", False, False, (), 0.3, "Badge issues? Ask Office Manager", "San Francisco office", "office"),
    ("london-office", False, False, (), 0.2, "Kitchen rota on the fridge", "London office", "office"),
    (
        "proj-atlas",
        True,
        False,
        ("engineering", "product"),
        0.12,
        "Atlas beta Apr 14",
        "Atlas: the new billing platform",
        "product",
    ),
    (
        "proj-nimbus",
        True,
        False,
        ("engineering", "design"),
        0.1,
        "Nimbus design sprint",
        "Nimbus: offline mode for mobile",
        "design",
    ),
    (
        "leadership",
        True,
        False,
        ("product", "operations", "engineering"),
        0.06,
        "Weekly sync Mon",
        "Leadership team",
        "product",
    ),
    (
        "hiring-committee",
        True,
        False,
        ("operations", "engineering"),
        0.08,
        "Debriefs within 24h",
        "Hiring decisions",
        "ops",
    ),
    ("exec-offsite", True, False, ("product", "operations"), 0.08, "Offsite Apr 2-3", "Offsite planning", "ops"),
    ("old-website", False, True, ("design", "go_to_market"), 0.3, "Replaced by www2", "The 2022 website", "gtm"),
    (
        "q4-launch",
        False,
        True,
        ("product", "engineering", "go_to_market"),
        0.3,
        "Shipped!",
        "Q4 launch coordination",
        "product",
    ),
    ("hackathon-2024", False, True, (), 0.2, "Thanks for hacking", "Hackathon 2024", "social"),
    ("design-systems-legacy", False, True, ("design",), 0.6, "Moved to #design", "The old design system", "design"),
)

FEATURES = (
    "onboarding flow",
    "settings page",
    "checkout screen",
    "empty states",
    "dashboard header",
    "pricing page",
    "invite modal",
    "notification center",
    "search results",
    "profile page",
    "billing page",
    "mobile nav",
    "dark mode",
    "error toasts",
)
OPTIONS = (
    ("the card layout", "the list layout"),
    ("a stepper", "a single long form"),
    ("Inter", "IBM Plex Sans"),
    ("tabs", "a sidebar"),
    ("the blue accent", "the green accent"),
    ("inline errors", "a summary banner"),
    ("a modal", "a full page"),
    ("icons with labels", "icons only"),
    ("8px corners", "4px corners"),
    ("a bottom sheet", "a dropdown"),
)
SERVICES = (
    "billing-api",
    "search-indexer",
    "auth-service",
    "notifications",
    "checkout-web",
    "payments-gateway",
    "reporting-jobs",
    "mobile-bff",
    "media-uploader",
    "feature-flags",
    "webhooks",
    "admin-console",
    "email-sender",
    "rate-limiter",
)
QUESTIONS = (
    ("icon set", "onboarding flow"),
    ("illustration style", "empty states"),
    ("hex for the primary button", "new brand palette"),
    ("spacing scale", "settings page"),
    ("copy for the upgrade prompt", "pricing page"),
    ("font size for body text", "mobile nav"),
    ("animation timing", "toasts"),
    ("avatar shape", "profile page"),
)
EMOJI = ("thumbsup", "eyes", "white_check_mark", "tada", "heart", "raised_hands", "100", "joy", "pray", "fire")

TEMPLATES: dict[str, tuple[str, ...]] = {
    "general": (
        "Reminder: all-hands is Thursday at 9 PT",
        "Welcome {first} who joins us as a {title}!",
        "The {city} office is closed Monday for the holiday",
        "Happy Friday everyone",
        "Does anyone know who owns the company calendar?",
        "New wiki page on expense policy is up",
        "Shoutout to {first} for covering support this week",
        "Parking garage is full, use level B",
    ),
    "social": (
        "Anyone up for lunch at the taco place?",
        "Just finished {book}, highly recommend",
        "Who else is watching the game tonight?",
        "Coffee run in 10, who wants something?",
        "My cat walked across my keyboard during a demo",
        "Best pizza near the office? Go.",
        "Weekend plans: hiking if the rain stops",
        "Happy birthday {first}!",
    ),
    "announce": (
        "Q1 results are in: we beat plan by {pct}%",
        "Please complete security training by Friday",
        "We're moving to the new office on April 1",
        "Benefits enrollment closes March 31",
        "Welcome to our new VP of Engineering, {first}",
        "Company holiday on May 26",
    ),
    "eng": (
        "PR for the {service} timeout fix is up, reviews welcome",
        "Flaky test in {service} again, looking",
        "Heads up: {service} latency is up {pct}% since this morning",
        "Can someone review my migration?",
        "We should bump Node to 20 before the freeze",
        "Who owns the {service} alerts?",
        "The staging db is being refreshed tonight",
        "Postgres 16 upgrade is done on staging",
        "TIL about EXPLAIN ANALYZE buffers",
        "Is anyone else seeing 502s from {service}?",
    ),
    "design": (
        "New mocks for the {feature} in Figma",
        "Can I get eyes on the {feature} before Thursday?",
        "Updated the component library with the new tokens",
        "Research readout for the {feature} is up",
        "We need a decision on the {feature} spacing",
        "Accessibility pass on the {feature} done",
        "Added dark mode variants for the {feature}",
        "Usability test sessions booked for next week",
    ),
    "product": (
        "Draft PRD for the {feature} is in Notion",
        "Customer interviews point to the {feature}",
        "Roadmap review moved to Wednesday",
        "Can we cut scope on the {feature}?",
        "Beta feedback summary is posted",
        "Metrics for the {feature}: conversion up {pct}%",
    ),
    "deploy": (
        "Deploying {service} to production now",
        "{service} deploy done, watching dashboards",
        "Rolling back {service}, error rate spiked",
        "Deploy train leaves at 2pm PT",
        "Canary for {service} looks healthy",
        "Holding {service} until QA signs off",
    ),
    "incident": (
        "Investigating elevated errors on {service}",
        "Mitigated: {service} back to normal",
        "Postmortem for last week's {service} outage is up",
        "Paging the on-call for {service}",
        "Status page updated",
        "Root cause was an expired certificate",
    ),
    "runbook": (
        "Terraform plan for the VPC change is in the PR",
        "Rotating the {service} credentials tonight",
        "Kubernetes nodes are being upgraded on Thursday",
        "Reminder to tag cost centers on new buckets",
        "Who has access to the prod bastion?",
        "Disk alerts on {service} are noisy, tuning them",
    ),
    "gtm": (
        "Closed the Acme renewal, {pct}% uplift",
        "Webinar registrations are at {num}",
        "Need a case study for the {feature}",
        "Can someone from product join my call Thursday?",
        "Pipeline review moved to 3pm",
        "Launch blog post draft is ready for review",
    ),
    "support": (
        "Customer reports {service} emails arriving late",
        "Escalating ticket {num}, login loop",
        "Known issue doc updated for the {feature}",
        "Who can look at a billing discrepancy?",
        "Macro for password resets is updated",
        "Ticket volume is down {pct}% this week",
    ),
    "ops": (
        "Expense reports are due on the 5th",
        "Open enrollment questions? Ask here",
        "New laptops arrive next week",
        "Reminder: submit your PTO in the tool",
        "Interview loop for the {title} role is Thursday",
        "VPN certificates renew on Monday",
        "The {city} office badge readers are being replaced",
    ),
    "office": (
        "Kitchen is being cleaned at 3pm",
        "Packages are at the front desk",
        "Team lunch on Friday",
        "The big conference room projector is fixed",
        "Fire drill at 11 tomorrow",
    ),
}
REPLIES = (
    "+1",
    "Thanks!",
    "On it",
    "Looks good to me",
    "Nice work",
    "Will take a look after lunch",
    "Agreed",
    "Can we sync on this tomorrow?",
    "Same here",
    "Good call",
    "Done",
    "I'll follow up",
    "lol",
    "Thanks for flagging",
    "Let me check and get back to you",
    "Makes sense",
)
BOOKS = ("Project Hail Mary", "The Phoenix Project", "Tomorrow, and Tomorrow", "Shape Up", "Klara and the Sun")
CITIES = ("San Francisco", "London", "New York")


def _identifier(rng: random.Random, prefix: str, used: set[str]) -> str:
    while True:
        value = prefix + "".join(rng.choices(string.ascii_uppercase + string.digits, k=8))
        if value not in used:
            used.add(value)
            return value


def _users(data: SeedData, used: set[str]) -> list[dict[str, Any]]:
    rng, fake = data.rng, data.fake
    users: list[dict[str, Any]] = []
    handles: set[str] = set()
    names: set[str] = set()
    departments = [d for d, share in DEPARTMENT_SHARE for _ in range(round(share * N_USERS))]
    while len(users) < N_USERS:
        first, last = fake.first_name(), fake.last_name()
        if f"{first} {last}" in names:
            continue
        names.add(f"{first} {last}")
        base = (first[0] + last).lower().replace("'", "").replace(" ", "").replace("-", "")
        handle = base if base not in handles else f"{base}{len(users)}"
        handles.add(handle)
        department = departments[len(users) % len(departments)]
        users.append(
            {
                "user_id": _identifier(rng, "U0", used),
                "username": handle,
                "real_name": f"{first} {last}",
                "display_name": first if rng.random() < 0.6 else handle,
                "title": rng.choice(DEPARTMENTS[department]),
                "tz": rng.choice(TIME_ZONES),
                "is_admin": 0,
                "deleted": 0,
                "_department": department,
            }
        )
    for user in users[:4]:
        user["is_admin"] = 1
        user["title"] = "IT Administrator" if user["_department"] == "operations" else user["title"]
    for user in rng.sample(users[4:], N_DEACTIVATED):
        user["deleted"] = 1
    # The profile's Posting field: the handle the social network's seed gives the same name (or the new one a
    # colleague moved to), derived from the roster without drawing from the rng, so nothing above changes.
    names = [tuple(u["real_name"].split(" ", 1)) for u in users]
    handles = social_handles(data.seed, names) | moved_handles(data.seed)  # type: ignore[arg-type]
    for user in users:
        user["posting_handle"] = handles[user["real_name"]]
    return users


class _Clock:
    """Message times across the last month, mostly in working hours, unique by their sequence number."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sequence = 0

    def moment(self, day: int | None = None, after: dt.datetime | None = None) -> dt.datetime:
        if after is not None:
            value = after + dt.timedelta(minutes=self.rng.randint(2, 180))
            return min(value, NOW - dt.timedelta(minutes=5))
        offset = day if day is not None else self.rng.randint(0, DAYS)
        date = (NOW - dt.timedelta(days=offset)).date()
        hour = self.rng.randint(8, 18)
        moment = dt.datetime.combine(date, dt.time(hour, self.rng.randint(0, 59), self.rng.randint(0, 59)))
        if moment >= NOW - dt.timedelta(minutes=10):
            moment = NOW - dt.timedelta(minutes=self.rng.randint(15, 300))
        return moment

    def ts(self, moment: dt.datetime) -> str:
        self.sequence += 1
        return ts_of(moment, self.sequence)


def _fill(rng: random.Random, template: str, people: list[dict[str, Any]]) -> str:
    return template.format(
        first=rng.choice(people)["real_name"].split()[0],
        title=rng.choice(DEPARTMENTS["engineering"]).lower(),
        city=rng.choice(CITIES),
        book=rng.choice(BOOKS),
        pct=rng.randint(3, 40),
        num=rng.randint(100, 9000),
        service=rng.choice(SERVICES),
        feature=rng.choice(FEATURES),
    )


@env.seed
def seed_slack(db: Session, data: SeedData) -> None:
    rng = data.rng
    used: set[str] = set()
    clock = _Clock(rng)
    users = _users(data, used)
    active = [u for u in users if not u["deleted"]]
    by_department: dict[str, list[dict[str, Any]]] = {}
    for user in users:
        by_department.setdefault(user["_department"], []).append(user)

    channels: list[dict[str, Any]] = []
    members: dict[str, list[dict[str, Any]]] = {}
    themes: dict[str, str] = {}
    for name, private, archived, departments, share, topic, purpose, theme in CHANNELS:
        pool = users if not departments else [u for d in departments for u in by_department[d]]
        pool = sorted(pool, key=lambda u: u["user_id"])
        chosen = pool if share >= 1 else rng.sample(pool, max(4, round(share * len(pool))))
        channel_id = _identifier(rng, "G" if private else "C", used)
        creator = rng.choice([u for u in chosen if not u["deleted"]])
        created = NOW - dt.timedelta(days=rng.randint(60, 900))
        channels.append(
            {
                "channel_id": channel_id,
                "name": name,
                "is_private": int(private),
                "is_im": 0,
                "topic": topic,
                "purpose": purpose,
                "creator": creator["user_id"],
                "created": created.strftime("%Y-%m-%d %H:%M:%S"),
                "is_archived": int(archived),
                "archived_by": rng.choice(chosen)["user_id"] if archived else None,
            }
        )
        members[channel_id] = chosen
        themes[channel_id] = theme
    for _ in range(70):
        pair = rng.sample(active, 2)
        key = sorted(p["user_id"] for p in pair)
        if any(c["is_im"] and sorted(u["user_id"] for u in members[c["channel_id"]]) == key for c in channels):
            continue
        channel_id = _identifier(rng, "D", used)
        channels.append(
            {
                "channel_id": channel_id,
                "name": None,
                "is_private": 1,
                "is_im": 1,
                "topic": "",
                "purpose": "",
                "creator": pair[0]["user_id"],
                "created": (NOW - dt.timedelta(days=rng.randint(40, 400))).strftime("%Y-%m-%d %H:%M:%S"),
                "is_archived": 0,
                "archived_by": None,
            }
        )
        members[channel_id] = pair
        themes[channel_id] = "dm"

    messages: list[dict[str, Any]] = []

    def post(
        channel_id: str, author: dict[str, Any], text: str, moment: dt.datetime, parent: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        row = {
            "channel_id": channel_id,
            "ts": clock.ts(moment),
            "user_id": author["user_id"],
            "text": text,
            "thread_ts": parent["ts"] if parent else None,
            "reply_count": 0,
            "edited_ts": None,
            "subtype": None,
        }
        if parent is not None:
            parent["reply_count"] += 1
        messages.append(row)
        return row

    def thread(channel_id: str, parent: dict[str, Any], texts: list[tuple[dict[str, Any], str]]) -> None:
        moment = _moment_of(parent["ts"])
        for author, text in texts:
            moment = clock.moment(after=moment)
            post(channel_id, author, text, moment, parent)

    by_name = {c["name"]: c for c in channels if c["name"]}
    for channel in channels:
        channel_id = channel["channel_id"]
        people = members[channel_id]
        writers = [u for u in people if not u["deleted"]] or people
        theme = themes[channel_id]
        if theme == "dm":
            count = rng.randint(2, 6)
            templates = (
                "Got a sec?",
                "Can you review my doc when you have time?",
                "Thanks for the help today",
                "Running 5 min late to our 1:1",
                "Sent you the link",
                "Lunch tomorrow?",
                "Did you see the email from finance?",
                "Sure, after 3 works",
            )
        else:
            count = max(8, min(140, round(len(people) * 1.1)))
            templates = TEMPLATES[theme]
        if channel["is_archived"]:
            count = min(count, 25)
        for _ in range(count):
            day = rng.randint(35, 120) if channel["is_archived"] else None
            moment = clock.moment(day=day)
            parent = post(channel_id, rng.choice(writers), _fill(rng, rng.choice(templates), people), moment)
            if rng.random() < 0.22 and theme != "dm":
                replies = [(rng.choice(writers), rng.choice(REPLIES)) for _ in range(rng.randint(1, 5))]
                thread(channel_id, parent, replies)

    # Design decisions: one a day in #design (and a few elsewhere), each thread ending in its decision.
    decision_days = {"design": list(range(1, 12)), "product": [1, 3, 6], "mobile": [1, 2, 5]}
    features = list(FEATURES)
    rng.shuffle(features)
    for channel_name, days in decision_days.items():
        channel = by_name[channel_name]
        people = [u for u in members[channel["channel_id"]] if not u["deleted"]]
        for day in days:
            feature = features.pop() if features else rng.choice(FEATURES)
            first, second = rng.choice(OPTIONS)
            asker, decider, *voices = rng.sample(people, 4)
            choice = rng.choice((first, second))
            parent = post(
                channel["channel_id"],
                asker,
                f"Quick poll on the {feature}: {first} or {second}?",
                clock.moment(day=day),
            )
            lines = [
                (voices[0], f"I'd go with {first}, it tested better"),
                (voices[1], f"{second.capitalize()} feels cleaner to me"),
                (decider, f"Decision: we're going with {choice}. I'll update the Figma file today."),
            ]
            if rng.random() < 0.5:
                lines.insert(2, (asker, "Let's decide today so eng can start"))
            thread(channel["channel_id"], parent, lines)
        features = list(FEATURES)
        rng.shuffle(features)

    # Open questions in #design: nobody has answered yet.
    design = by_name["design"]
    design_people = [u for u in members[design["channel_id"]] if not u["deleted"]]
    for index, (thing, feature) in enumerate(QUESTIONS):
        post(
            design["channel_id"],
            rng.choice(design_people),
            f"Which {thing} are we using for the {feature}?",
            clock.moment(day=index % 3),
        )

    # Deploy questions: each service asked about once, some answered in the thread.
    for service in SERVICES:
        channel = by_name[rng.choice(("deploys", "deploys", "backend", "engineering"))]
        people = [u for u in members[channel["channel_id"]] if not u["deleted"]]
        asker = rng.choice(people)
        question = rng.choice(
            (
                f"Does anyone know when the {service} deploy is going out?",
                f"Is the {service} deploy still happening today?",
                f"Any ETA on the {service} deploy? Support is asking",
            )
        )
        parent = post(channel["channel_id"], asker, question, clock.moment(day=rng.randint(0, 4)))
        if rng.random() < 0.3:
            thread(channel["channel_id"], parent, [(rng.choice(people), "Not sure, checking with release")])

    # Runbooks shared in #eng-platform and #incidents, one per service.
    for service in SERVICES:
        channel = by_name[rng.choice(("eng-platform", "incidents"))]
        people = [u for u in members[channel["channel_id"]] if not u["deleted"]]
        post(
            channel["channel_id"],
            rng.choice(people),
            f"Runbook for {service} failover: https://wiki.northwind.io/runbooks/{service}",
            clock.moment(day=rng.randint(2, 25)),
        )

    # Reactions and pins.
    reactions: list[dict[str, Any]] = []
    pins: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str, str]] = set()
    member_pool = {cid: [u for u in people if not u["deleted"]] or people for cid, people in members.items()}
    for row in messages:
        if themes[row["channel_id"]] == "dm" or rng.random() > 0.2:
            continue
        for _ in range(rng.randint(1, 3)):
            key = (
                row["channel_id"],
                row["ts"],
                rng.choice(EMOJI),
                rng.choice(member_pool[row["channel_id"]])["user_id"],
            )
            if key not in seen:
                seen.add(key)
                reactions.append(dict(zip(("channel_id", "ts", "name", "user_id"), key, strict=True)))
        if row["thread_ts"] is None and themes[row["channel_id"]] in ("announce", "incident") and rng.random() < 0.3:
            pins.append(
                {
                    "channel_id": row["channel_id"],
                    "ts": row["ts"],
                    "pinned_by": rng.choice(member_pool[row["channel_id"]])["user_id"],
                    "pinned_at": _moment_of(row["ts"]).strftime("%Y-%m-%d %H:%M:%S"),
                }
            )

    # The platform team set up Northwind's Mailgun domains: who published which one's records says so in
    # #eng-platform. Drawn last, so that every row above stays as it was.
    platform = by_name["eng-platform"]
    engineers = rng.sample([u for u in members[platform["channel_id"]] if not u["deleted"]], len(MAILGUN_DOMAINS))
    for engineer, domain in zip(engineers, MAILGUN_DOMAINS, strict=True):
        post(
            platform["channel_id"],
            engineer,
            f"Published the DNS records Mailgun gave us for {domain}. It still shows unverified on their side.",
            clock.moment(day=rng.randint(0, 2)),
        )

    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    db.execute(insert(SlackUser), [{k: v for k, v in u.items() if not k.startswith("_")} for u in users])
    db.execute(insert(Channel), channels)
    db.execute(
        insert(ChannelMember),
        [{"channel_id": cid, "user_id": u["user_id"]} for cid, people in members.items() for u in people],
    )
    db.execute(insert(Message), messages)
    if reactions:
        db.execute(insert(Reaction), reactions)
    if pins:
        db.execute(insert(Pin), pins)


def _moment_of(ts: str) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=int(ts.split(".")[0]))
