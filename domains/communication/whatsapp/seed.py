"""The seeded generator and its data tables: the owner's profile, address book, chats, groups and messages."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import (
    GROUP_SUFFIX,
    NOW,
    USER_SUFFIX,
    Account,
    Chat,
    Contact,
    DeviceFile,
    Group,
    GroupParticipant,
    Message,
    Place,
    Profile,
    ServiceClock,
    WebPage,
)

OWNER_PHONE = "+14155550142"
OWNER_NAME = "Maya Collins"
ALWAYS = "9999-12-31T00:00:00"

# The owner's family, saved under the names people really give them.
FAMILY = (
    ("Mom", "+14155550187"),
    ("Dad", "+14155550163"),
    ("Ethan Collins", "+16285550119"),
    ("Lily Collins", "+15105550174"),
    ("Grandma Rose", "+17075550128"),
)
# country code, national number length after it, leading digits, share of the address book
COUNTRIES = (
    ("+1", 10, ("415", "628", "510", "650", "408", "925", "707"), 0.78),
    ("+44", 10, ("7700", "7911"), 0.07),
    ("+34", 9, ("612", "655"), 0.05),
    ("+49", 11, ("1512", "1573"), 0.05),
    ("+91", 10, ("98", "99"), 0.05),
)
GROUPS: tuple[tuple[str, str, str], ...] = (  # subject, description, the owner's role
    ("Collins Family", "Family news, birthdays and who is bringing what on Sundays.", "superadmin"),
    ("Hiking Crew", "Weekend hikes around the Bay. Post the trailhead and start time.", "superadmin"),
    ("Office Lunch", "Where are we eating today?", "member"),
    ("Soccer Parents U10", "Schedules, carpools and snack rota for the Tigers.", "member"),
    ("Building 42 Neighbors", "Packages, noise, repairs and the occasional potluck.", "admin"),
    ("College Roommates", "Berkeley 2014-2018 forever.", "member"),
    ("Wedding Planning", "Jess and Omar's wedding, June 20th. Vendors, rides and rooms.", "admin"),
    ("Fantasy Football League", "Trades, trash talk and the draft date.", "member"),
    ("Yoga Saturdays", "Saturday 9 am class at Dolores Park, weather permitting.", "superadmin"),
    ("Product Team", "Announcements for the product team. Ask work questions in Slack.", "member"),
    ("Board Game Night", "Every other Friday. Host posts the address.", "superadmin"),
    ("Running Club SF", "Tuesday and Thursday runs from the Ferry Building, 6:30 am.", "member"),
    ("Lisbon Trip 2025", "Flights, the apartment and restaurant ideas.", "admin"),
    ("Climbing Buddies", "Mission Cliffs sessions and outdoor trips.", "member"),
    ("Mom's 60th Surprise", "Shh! Planning the party for April 12th.", "superadmin"),
    ("Dog Park Friends", "Corgis, labs and everyone in between.", "member"),
    ("Spanish Class", "Homework and practice partners, Wednesday evening class.", "member"),
    ("Startup Founders SF", "Intros, hiring and fundraising tips. Be kind.", "member"),
    ("Cousins", "The Collins and Reyes cousins.", "admin"),
    ("Book Club", "One book a month. Next meeting at Green Apple Books.", "superadmin"),
    ("Food Bank Volunteers", "Shift sign-ups for the Saturday distribution.", "member"),
    ("Pickleball Sundays", "Courts at Presidio Wall, 10 am.", "admin"),
    ("Band Practice", "Garage sessions and the set list.", "member"),
    ("Design Guild", "Critiques, talks and job posts for designers.", "member"),
    ("Block Party Committee", "Planning the Guerrero Street block party.", "superadmin"),
)
TEXTS_OUT = (
    "On my way!",
    "Running 10 minutes late, sorry",
    "Sounds good to me",
    "Can we move it to 7?",
    "Thanks so much!",
    "Haha yes",
    "I'll bring snacks",
    "Did you get my email?",
    "Let me check and get back to you",
    "Happy birthday!!",
    "See you tomorrow",
    "What time works for you?",
    "Just landed",
    "Can you send me the link?",
    "Love it",
    "I'm in",
    "Call me when you're free",
    "Good luck today!",
    "Miss you guys",
    "Booked it",
    "Almost there",
    "No worries at all",
    "That's hilarious",
    "Let's do Saturday",
    "Who's driving?",
    "Count me in for dinner",
)
TEXTS_IN = (
    "Are you free this weekend?",
    "Call me when you can",
    "Did you see the game last night?",
    "Running late, 15 min",
    "Thanks for yesterday!",
    "Can you pick up some milk?",
    "Lunch tomorrow?",
    "Just sent you the photos",
    "How was the trip?",
    "Happy Friday!",
    "Where should we meet?",
    "I found a great place for brunch",
    "Don't forget the tickets",
    "Got it, thanks",
    "Haha amazing",
    "Can you send me that file?",
    "See you at 6",
    "Let me know when you're home",
    "Congrats on the new job!",
    "Is the meeting still on?",
    "Miss you!",
    "Who's bringing the cake?",
    "Parking is a nightmare here",
    "Love this",
    "I'll be there in 5",
    "Did you book the table?",
    "We should plan a trip soon",
    "Sorry, missed your call",
    "Good morning!",
)
STREETS = (
    "Valencia St",
    "Guerrero St",
    "Divisadero St",
    "Irving St",
    "Clement St",
    "Fillmore St",
    "Polk St",
    "Hayes St",
    "Castro St",
    "Mission St",
    "Columbus Ave",
    "Haight St",
    "Chestnut St",
    "Union St",
)
PLACE_NAMES = (
    ("Blue Bottle Coffee", "cafe"),
    ("Ritual Coffee Roasters", "cafe"),
    ("Sightglass Coffee", "cafe"),
    ("Philz Coffee", "cafe"),
    ("Tartine Bakery", "bakery"),
    ("Arsicault Bakery", "bakery"),
    ("Zuni Cafe", "restaurant"),
    ("Nopa", "restaurant"),
    ("Foreign Cinema", "restaurant"),
    ("Delfina", "restaurant"),
    ("La Taqueria", "restaurant"),
    ("Burma Superstar", "restaurant"),
    ("House of Prime Rib", "restaurant"),
    ("Swan Oyster Depot", "restaurant"),
    ("Ferry Building Marketplace", "landmark"),
    ("Dolores Park", "park"),
    ("Golden Gate Park Bandshell", "park"),
    ("Crissy Field", "park"),
    ("Lands End Trailhead", "park"),
    ("Twin Peaks Summit", "landmark"),
    ("16th St Mission BART", "transit"),
    ("Embarcadero BART", "transit"),
    ("Caltrain 4th and King", "transit"),
    ("SFO Terminal 2", "airport"),
    ("Oakland Airport Terminal 1", "airport"),
    ("Chase Center", "venue"),
    ("Oracle Park", "venue"),
    ("The Fillmore", "venue"),
    ("Green Apple Books", "shop"),
    ("Mission Cliffs", "gym"),
    ("Presidio Wall Courts", "sports"),
    ("UCSF Parnassus", "hospital"),
    ("Kaiser San Francisco", "hospital"),
    ("Whole Foods Market Ocean Ave", "shop"),
    ("Trader Joe's Masonic", "shop"),
    ("Rainbow Grocery", "shop"),
    ("SFMOMA", "museum"),
    ("de Young Museum", "museum"),
    ("Exploratorium", "museum"),
    ("Coit Tower", "landmark"),
    ("Bi-Rite Creamery", "cafe"),
    ("Smitten Ice Cream", "cafe"),
    ("Anchor Public Taps", "bar"),
    ("Zeitgeist", "bar"),
    ("The Interval", "bar"),
    ("Trick Dog", "bar"),
    ("Balboa Theatre", "venue"),
    ("Castro Theatre", "venue"),
    ("Salesforce Park", "park"),
    ("Alamo Square", "park"),
    ("Stow Lake Boathouse", "park"),
    ("Ocean Beach Parking", "park"),
)
SITES = (
    ("https://www.airbnb.com/rooms/48213377", "Sunny loft in Alfama with river view - Airbnb"),
    ("https://www.nytimes.com/2026/03/10/travel/lisbon-weekend.html", "36 Hours in Lisbon - The New York Times"),
    ("https://maps.app.goo.gl/7kQz3xTrail", "Mount Tamalpais State Park - Google Maps"),
    ("https://www.eventbrite.com/e/spring-block-party-tickets-88123", "Guerrero Street Spring Block Party"),
    ("https://www.youtube.com/watch?v=q8Lm2Zx91aB", "Beginner Pickleball Tips - YouTube"),
    ("https://www.opentable.com/r/delfina-san-francisco", "Delfina - San Francisco | OpenTable"),
    ("https://www.recreation.gov/camping/campgrounds/232447", "Upper Pines Campground, Yosemite - Recreation.gov"),
    ("https://www.goodreads.com/book/show/58490567", "Tomorrow, and Tomorrow, and Tomorrow by Gabrielle Zevin"),
    ("https://www.sfgate.com/food/article/best-burritos-sf.php", "The best burritos in San Francisco - SFGATE"),
    ("https://www.rei.com/product/204435/rei-co-op-trail-40-pack", "REI Co-op Trail 40 Pack | REI"),
    ("https://www.alltrails.com/trail/us/california/dipsea-trail", "Dipsea Trail, California - AllTrails"),
    ("https://www.ticketmaster.com/event/1C005F2B", "Warriors vs. Lakers - Chase Center - Ticketmaster"),
    ("https://docs.google.com/spreadsheets/d/1xYb2Food", "Food bank shifts - Google Sheets"),
    ("https://www.zillow.com/homedetails/1420-Valencia-St", "1420 Valencia St, San Francisco, CA | Zillow"),
    ("https://www.amazon.com/dp/B0C1H26C46", "Catan Board Game - Amazon.com"),
    ("https://www.spotify.com/playlist/37i9dQZF1Road", "Road Trip Hits - Spotify"),
)
DOCUMENTS = (
    ("Lease_Agreement_2026.pdf", "application/pdf", 1_240_000),
    ("Trip_Itinerary_Tahoe.pdf", "application/pdf", 412_000),
    ("Budget_Wedding.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 88_000),
    ("Resume_Maya_Collins.pdf", "application/pdf", 156_000),
    ("Book_Club_List.docx", "application/msword", 34_000),
    ("Boarding_Pass_UA1432.pdf", "application/pdf", 98_000),
    ("Soccer_Schedule_Spring.pdf", "application/pdf", 210_000),
    ("Recipe_Lasagna.pdf", "application/pdf", 640_000),
    ("Tax_Return_2025.pdf", "application/pdf", 2_900_000),
    ("Block_Party_Flyer.pdf", "application/pdf", 3_400_000),
    ("Band_Setlist.txt", "text/plain", 2_000),
    ("Wedding_Video_Raw.mov", "video/quicktime", 486_000_000),
    ("Lisbon_Apartment_Contract.pdf", "application/pdf", 530_000),
    ("Climbing_Waiver.pdf", "application/pdf", 120_000),
    ("Quarterly_Report_Q1.pptx", "application/vnd.ms-powerpoint", 12_800_000),
)

# What friends send each other; the owner's own papers (her resume, her tax return) stay on her phone.
SHARED_DOCUMENTS = tuple(d for d in DOCUMENTS[:11] if not d[0].startswith(("Resume_", "Tax_Return")))


def _stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def jid_of(phone: str) -> str:
    return phone.lstrip("+") + USER_SUFFIX


def _phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        code, length, leads, _ = rng.choices(COUNTRIES, weights=[c[3] for c in COUNTRIES])[0]
        lead = rng.choice(leads)
        number = code + lead + "".join(str(rng.randint(0, 9)) for _ in range(length - len(lead)))
        if number not in taken:
            taken.add(number)
            return number


class _Messages:
    """Builds message rows with ids in the service's style (3EB0 and 16 hex digits)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[dict[str, Any]] = []

    def add(self, chat: str, sender: str, when: dt.datetime, kind: str = "text", **fields: Any) -> dict[str, Any]:
        row: dict[str, Any] = {
            "message_id": "3EB0" + "".join(self.rng.choice("0123456789ABCDEF") for _ in range(16)),
            "chat_jid": chat,
            "sender_phone": sender,
            "from_me": int(sender == OWNER_PHONE),
            "timestamp": _stamp(when),
            "type": kind,
            "body": None,
            "status": "read",
            "file_name": None,
            "file_size": None,
            "mime_type": None,
            "url": None,
            "link_title": None,
            "latitude": None,
            "longitude": None,
            "location_name": None,
            "location_address": None,
            "contact_name": None,
            "contact_phone": None,
            "forwarded": 0,
            "reply_to": None,
            "deleted": None,
        }
        row.update(fields)
        self.rows.append(row)
        return row


@env.seed
def seed(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.add(ServiceClock(id=1, now=_stamp(NOW)))
    db.add(
        Profile(
            phone=OWNER_PHONE,
            push_name="Maya",
            about="Hey there! I am using WhatsApp.",
            avatar_file="IMG_20251102_101522.jpg",
            avatar_updated_at="2025-11-02T10:20:00",
        )
    )
    taken = {OWNER_PHONE, *(p for _, p in FAMILY)}
    names: set[str] = {n for n, _ in FAMILY}
    contacts: list[tuple[str, str]] = list(FAMILY)
    while len(contacts) < 300:
        name = fake.name() if rng.random() < 0.85 else fake.first_name() + " " + rng.choice(("Work", "Gym", "Neighbor"))
        if name in names or len(name) > 40:
            continue
        names.add(name)
        contacts.append((name, _phone(rng, taken)))
    places = [
        (name, kind, f"{rng.randint(100, 3999)} {rng.choice(STREETS)}, San Francisco, CA") for name, kind in PLACE_NAMES
    ]
    db.execute(
        insert(Place),
        [
            {
                "place_id": i + 1,
                "name": n,
                "category": k,
                "address": a,
                "latitude": round(37.72 + rng.random() * 0.08, 6),
                "longitude": round(-122.50 + rng.random() * 0.11, 6),
            }
            for i, (n, k, a) in enumerate(places)
        ],
    )
    db.execute(insert(Contact), [{"phone": p, "name": n} for n, p in contacts])
    # Most of the address book is on WhatsApp; some numbers that message the owner are not saved.
    on_whatsapp = [(n, p) for i, (n, p) in enumerate(contacts) if i < len(FAMILY) or rng.random() < 0.87]
    strangers = [(fake.first_name(), _phone(rng, taken)) for _ in range(40)]
    db.execute(
        insert(Account),
        [
            {
                "phone": p,
                "push_name": n.split()[0][:25],
                "about": rng.choice(
                    ("Hey there! I am using WhatsApp.", "Available", "Busy", "At the gym", "Urgent calls only", "🌊")
                ),
                "is_business": 0,
            }
            for n, p in on_whatsapp + strangers
        ],
    )
    _files(db, rng)
    db.execute(insert(WebPage), [{"url": u, "title": t} for u, t in SITES])
    messages = _Messages(rng)
    chats: list[dict[str, Any]] = []
    # One-to-one chats: the family, then a random part of the address book, then a few unsaved numbers.
    partners = on_whatsapp[: len(FAMILY)] + rng.sample(on_whatsapp[len(FAMILY) :], 80) + strangers[:10]
    for name, phone in partners:
        jid = jid_of(phone)
        saved = phone in dict((p, n) for n, p in contacts)
        first = NOW - dt.timedelta(days=rng.randint(20, 400))
        chats.append({"chat_jid": jid, "is_group": 0, "name": name if saved else phone, "created_at": _stamp(first)})
        _conversation(messages, rng, jid, [phone], rng.randint(6, 30) if saved else rng.randint(1, 4), places)
    owner_roles: list[tuple[str, str, list[str]]] = []
    for i, (subject, description, role) in enumerate(GROUPS):
        jid = f"1203634{rng.randint(10**10, 10**11 - 1)}{GROUP_SUFFIX}"
        pool = [p for _, p in on_whatsapp[len(FAMILY) :]]
        members = [p for _, p in FAMILY] if subject in ("Collins Family", "Mom's 60th Surprise", "Cousins") else []
        members = members + rng.sample(pool, rng.randint(3, 24))
        if subject == "Mom's 60th Surprise":
            members.remove(FAMILY[0][1])  # the surprise is for her
        created = NOW - dt.timedelta(days=rng.randint(30, 900))
        owner = OWNER_PHONE if role == "superadmin" else members[0]
        chats.append({"chat_jid": jid, "is_group": 1, "name": subject, "created_at": _stamp(created)})
        db.add(
            Group(
                chat_jid=jid,
                description=description,
                owner_phone=owner,
                info_admins_only=int(i % 3 == 0),
                add_admins_only=int(i % 2 == 0),
                left=0,
                subject_updated_at=_stamp(created),
            )
        )
        admins = {owner, *(members[1:3] if rng.random() < 0.5 else members[1:2])}
        if role in ("admin", "superadmin"):
            admins.add(OWNER_PHONE)
        else:
            admins.discard(OWNER_PHONE)
        parts = [OWNER_PHONE, *members]
        db.execute(
            insert(GroupParticipant),
            [
                {
                    "chat_jid": jid,
                    "phone": p,
                    "joined_at": _stamp(created),
                    "role": "superadmin" if p == owner else "admin" if p in admins else "member",
                }
                for p in parts
            ],
        )
        owner_roles.append((jid, role, members))
        _conversation(messages, rng, jid, members, rng.randint(40, 90), places)
    db.execute(insert(Message), sorted(messages.rows, key=lambda m: (m["timestamp"], m["message_id"])))
    unread: dict[str, int] = {}
    last: dict[str, str] = {}
    for row in messages.rows:
        if row["status"] == "unread":
            unread[row["chat_jid"]] = unread.get(row["chat_jid"], 0) + 1
        last[row["chat_jid"]] = max(last.get(row["chat_jid"], ""), row["timestamp"])
    for index, chat in enumerate(chats):
        old = last.get(chat["chat_jid"], chat["created_at"]) < _stamp(NOW - dt.timedelta(days=40))
        chat.update(
            archived=int(old and rng.random() < 0.5),
            unread_count=unread.get(chat["chat_jid"], 0),
            last_message_at=last.get(chat["chat_jid"]),
            pinned=0,
            muted_until=None,
        )
        if chat["is_group"] and index % 4 == 1:
            chat["muted_until"] = ALWAYS if rng.random() < 0.5 else _stamp(NOW + dt.timedelta(days=rng.randint(1, 6)))
    chats[0]["pinned"] = 1  # Mom
    next(c for c in chats if c["name"] == "Collins Family")["pinned"] = 1
    db.execute(insert(Chat), chats)


def _files(db: Session, rng: random.Random) -> None:
    rows: list[dict[str, Any]] = []
    for i in range(70):
        day = NOW - dt.timedelta(days=rng.randint(0, 200), minutes=rng.randint(0, 1440))
        stem = ("IMG_" if i % 5 else "Screenshot_") + day.strftime("%Y%m%d_%H%M%S")
        rows.append(
            {
                "file_name": stem + (".jpg" if i % 5 else ".png"),
                "mime_type": "image/jpeg" if i % 5 else "image/png",
                "file_size": rng.randint(180_000, 6_500_000),
                "folder": "Camera" if i % 5 else "Screenshots",
                "modified_at": _stamp(day),
            }
        )
    rows.append(
        {
            "file_name": "Panorama_Yosemite.jpg",
            "mime_type": "image/jpeg",
            "file_size": 23_400_000,
            "folder": "Camera",
            "modified_at": "2026-02-14T12:10:00",
        }
    )
    for name, mime, size in DOCUMENTS:
        rows.append(
            {
                "file_name": name,
                "mime_type": mime,
                "file_size": size,
                "folder": "Documents" if mime == "application/pdf" else "Downloads",
                "modified_at": _stamp(NOW - dt.timedelta(days=rng.randint(1, 120))),
            }
        )
    unique = {r["file_name"]: r for r in rows}
    db.execute(insert(DeviceFile), sorted(unique.values(), key=lambda r: r["file_name"]))


def _conversation(
    out: _Messages, rng: random.Random, jid: str, others: list[str], count: int, places: list[tuple[str, str, str]]
) -> None:
    """A chat's history: mostly short texts, some photos, documents, links, locations and contact cards."""
    moment = NOW - dt.timedelta(days=rng.randint(1, 45), hours=rng.randint(0, 12))
    step = max(0.5, (NOW - moment).total_seconds() / 3600 / max(count, 1))
    for _ in range(count):
        moment = moment + dt.timedelta(hours=rng.uniform(0.05, step * 1.8))
        if moment >= NOW - dt.timedelta(minutes=5):
            break
        mine = rng.random() < 0.4
        sender = OWNER_PHONE if mine else rng.choice(others)
        age = (NOW - moment).total_seconds() / 3600
        status = (
            ("read" if age > 6 else rng.choice(("delivered", "read", "sent")))
            if mine
            else ("unread" if age < 30 and rng.random() < 0.6 else "read")
        )
        roll = rng.random()
        if roll < 0.74:
            out.add(jid, sender, moment, body=rng.choice(TEXTS_OUT if mine else TEXTS_IN), status=status)
        elif roll < 0.84:
            out.add(
                jid,
                sender,
                moment,
                "image",
                body=rng.choice(("", "Look at this!", "From today", "View from the top")),
                file_name=moment.strftime("IMG-%Y%m%d-WA%H%M.jpg"),
                file_size=rng.randint(90_000, 2_400_000),
                mime_type="image/jpeg",
                status=status,
            )
        elif roll < 0.88:
            name, mime, size = rng.choice(SHARED_DOCUMENTS)
            out.add(
                jid, sender, moment, "document", body="", file_name=name, file_size=size, mime_type=mime, status=status
            )
        elif roll < 0.93:
            url, title = rng.choice(SITES)
            out.add(
                jid,
                sender,
                moment,
                "link",
                body=rng.choice(("Check this out ", "What about this? ", "")) + url,
                url=url,
                link_title=title,
                status=status,
            )
        elif roll < 0.98:
            name, _, address = rng.choice(places)
            out.add(
                jid,
                sender,
                moment,
                "location",
                location_name=name,
                location_address=address,
                latitude=round(37.72 + rng.random() * 0.08, 6),
                longitude=round(-122.5 + rng.random() * 0.11, 6),
                status=status,
            )
        else:
            out.add(
                jid,
                sender,
                moment,
                "contact",
                contact_name=rng.choice(
                    ("Dr. Patel Dental", "Plumber Mike", "Sofia (babysitter)", "Tony's Auto Repair")
                ),
                contact_phone="+1415555" + str(rng.randint(1000, 9999)),
                status=status,
            )
