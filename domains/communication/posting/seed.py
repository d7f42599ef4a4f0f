"""The seeded network: a few hundred accounts, a month of their posts, replies, reposts and the owner's follows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from ..northwind import moved_handles, social_handle
from .definition import env
from .models import PLATFORM_KEY, Account, Comment, Follow, Platform, Retweet, Tweet

SEEDED_NOW = dt.datetime(2025, 4, 18, 18, 0)
ACCOUNT_COUNT = 300
POST_COUNT = 900
OWNER_POSTS = 24
FOLLOWING_COUNT = 60

# What people post about: each topic's post templates ({place}, {thing}, {day} vary) and its hashtags.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "coffee": (
        (
            "Tried the oat flat white at {place} this morning. Worth the queue.",
            "Third coffee of the day and it's not even noon. Send help.",
            "{place} finally brought back their cold brew. Best news this week.",
        ),
        ("#coffee", "#MorningRitual"),
    ),
    "running": (
        (
            "Ran 10k along the river before work. Legs are toast but the sunrise was worth it.",
            "Signed up for the {place} half marathon. Training starts {day}!",
            "New personal best on my 5k today: 23:41.",
        ),
        ("#running", "#RunChat"),
    ),
    "books": (
        (
            "Finished {thing} last night and I'm still thinking about the ending.",
            "Our book club picked {thing} for next month. Anyone read it?",
            "Bookstore haul from {place}: three novels and a cookbook I didn't need.",
        ),
        ("#amreading", "#BookClub"),
    ),
    "tech": (
        (
            "Shipped the new release today. Zero rollbacks so far, knock on wood.",
            "Hot take: most meetings could be a well-written doc.",
            "Spent the afternoon debugging a timezone bug. It's always timezones.",
        ),
        ("#DevLife", "#tech"),
    ),
    "food": (
        (
            "The ramen at {place} is the real deal. Go hungry.",
            "Made sourdough from scratch and it actually rose!",
            "Farmers market on {day} had the first strawberries of the season.",
        ),
        ("#foodie", "#HomeCooking"),
    ),
    "travel": (
        (
            "Landed in {place}. First stop: the bakery everyone keeps talking about.",
            "Packing for {place} and already over the luggage limit.",
            "Window seat, good book, no delays. Travel can be nice sometimes.",
        ),
        ("#travel", "#Wanderlust"),
    ),
    "gardening": (
        (
            "Tomato seedlings are up! Twelve out of fifteen sprouted.",
            "The {thing} I planted last fall finally bloomed.",
            "Spent {day} weeding. The garden is winning.",
        ),
        ("#gardening", "#GrowYourOwn"),
    ),
    "football": (
        (
            "What a finish tonight! Didn't see that comeback coming.",
            "Tickets sorted for the {place} derby on {day}.",
            "That referee decision is going to be debated all week.",
        ),
        ("#football", "#MatchDay"),
    ),
    "photography": (
        (
            "Golden hour at {place} never disappoints.",
            "Took the old film camera out on {day}. Can't wait to develop the roll.",
            "Editing 400 photos from the weekend. Send snacks.",
        ),
        ("#photography", "#GoldenHour"),
    ),
    "music": (
        (
            "Saw {thing} live at {place} last night. Still buzzing.",
            "Vinyl Friday: picked up a first pressing for ten bucks.",
            "This album has been on repeat all week.",
        ),
        ("#NowPlaying", "#LiveMusic"),
    ),
}
_PLACES = (
    "Blue Bottle", "Ritual Roasters", "the Ferry Building", "Lisbon", "Kyoto", "Portland", "Brooklyn",
    "Golden Gate Park", "the Fillmore", "Mission Street", "Copenhagen", "Oaxaca", "Seattle", "Riverside Park",
)  # fmt: skip
_THINGS = (
    "Tomorrow, and Tomorrow, and Tomorrow", "The Overstory", "Project Hail Mary", "dahlias", "peonies",
    "Phoebe Bridgers", "the lavender", "Lessons in Chemistry", "Khruangbin", "the magnolia",
)  # fmt: skip
_DAYS = ("Saturday", "Sunday", "Monday", "Friday", "the weekend")
REPLIES = (
    "Love this!",
    "Totally agree.",
    "Where is this?",
    "Congrats!!",
    "Saving this for later.",
    "Ha, same here.",
    "Need to try this.",
    "This made my day.",
    "Great shot!",
    "Count me in next time.",
    "So true.",
    "Keep us posted!",
)
_LOCATIONS = (
    "San Francisco, CA", "Brooklyn, NY", "Austin, TX", "Portland, OR", "Chicago, IL", "Seattle, WA",
    "Denver, CO", "Toronto, ON", "London, UK", "Boston, MA", None,
)  # fmt: skip


def _post_text(data: SeedData, topic: str) -> str:
    rng = data.rng
    template = rng.choice(TOPICS[topic][0])
    return template.format(place=rng.choice(_PLACES), thing=rng.choice(_THINGS), day=rng.choice(_DAYS))


@env.seed
def seed_network(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    taken: set[str] = set()
    accounts = []
    for n in range(ACCOUNT_COUNT):
        first, last = fake.first_name(), fake.last_name()
        accounts.append(
            {
                "username": social_handle(first, last, n, taken),
                "display_name": f"{first} {last}",
                "location": rng.choice(_LOCATIONS),
            }
        )
    db.execute(insert(Account), accounts)
    owner = accounts[rng.randrange(20)]
    others = [a for a in accounts if a is not owner]
    interests = {a["username"]: rng.sample(list(TOPICS), 2) for a in accounts}

    # A few accounts post a lot, most now and then (weights fall with a rank, as on real networks).
    weights = [1 / (rank + 8) for rank in range(len(others))]
    authors = [owner] * OWNER_POSTS + rng.choices(others, weights=weights, k=POST_COUNT - OWNER_POSTS)
    rng.shuffle(authors)
    start = SEEDED_NOW - dt.timedelta(days=30)
    minutes = sorted(rng.uniform(0, 30 * 24 * 60 - 30) for _ in range(POST_COUNT))
    tweets = []
    for number, (author, offset) in enumerate(zip(authors, minutes, strict=True)):
        topic = rng.choice(interests[author["username"]])
        tags = [tag for tag in TOPICS[topic][1] if rng.random() < 0.6]
        mentions = [f"@{rng.choice(others)['username']}"] if rng.random() < 0.2 else []
        tweets.append(
            {
                "position": number + 1,
                "id": number,
                "username": author["username"],
                "content": _post_text(data, topic),
                "tags": tags,
                "mentions": mentions,
                "extra": None,
                "posted_at": (start + dt.timedelta(minutes=offset)).strftime("%Y-%m-%dT%H:%M"),
            }
        )
    db.execute(insert(Tweet), tweets)
    comments = []
    for tweet in tweets:
        # The owner's own posts draw a little more conversation (friends answer them).
        rate = 0.5 if tweet["username"] == owner["username"] else 0.9
        for _ in range(min(int(rng.expovariate(rate)), 5)):
            replier = owner if rng.random() < 0.04 else rng.choice(others)
            comments.append(
                {
                    "position": len(comments) + 1,
                    "tweet_id": tweet["id"],
                    "username": replier["username"],
                    "content": rng.choice(REPLIES),
                    "record": None,
                    "numeric_thread": True,
                }
            )
    db.execute(insert(Comment), comments)
    retweets = []
    reposters = [owner, *rng.sample(others, 120)]
    for account in reposters:
        count = 18 if account is owner else rng.randint(1, 12)
        for tweet in rng.sample([t for t in tweets if t["username"] != account["username"]], count):
            retweets.append({"position": len(retweets) + 1, "username": account["username"], "tweet_id": tweet["id"]})
    db.execute(insert(Retweet), retweets)
    followed = rng.sample(others, FOLLOWING_COUNT)
    db.execute(insert(Follow), [{"position": n, "username": a["username"]} for n, a in enumerate(followed, start=1)])
    word = rng.choice(("harbor", "maple", "comet", "lantern", "orchid", "tundra", "pepper", "violet"))
    db.execute(
        insert(Platform),
        [
            {
                "platform_key": PLATFORM_KEY,
                "name": "Posting",
                "username": owner["username"],
                "password": f"{word.capitalize()}!{rng.randint(10, 99)}{rng.choice('kmqrtxz')}",
                "authenticated": False,
                "tweet_counter": POST_COUNT,
            }
        ],
    )
    # Last, so that every row above stays as it was: Northwind colleagues who moved to a new handle (their Slack
    # profile gives it) have a fresh account beside their old one.
    db.execute(
        insert(Account),
        [
            {"username": handle, "display_name": name, "location": rng.choice(_LOCATIONS)}
            for name, handle in moved_handles(data.seed).items()
        ],
    )


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def platform(ctx: ToolContext) -> dict[str, Any]:
    return ctx.rows(Platform).require(PLATFORM_KEY, missing="The posting platform is not set up.")


def require_login(ctx: ToolContext, action: str) -> dict[str, Any]:
    """The platform row when the account is signed in (BFCL's refusal names the action: 'posting')."""
    row = platform(ctx)
    if not row["authenticated"]:
        raise DomainError(f"User not authenticated. Please authenticate before {action}.")
    return row


def find_tweet(ctx: ToolContext, tweet_id: int) -> dict[str, Any]:
    row = ctx.rows(Tweet).first({"id": tweet_id})
    if row is None:
        raise DomainError(f"Tweet with ID {tweet_id} not found.")
    return row


def posts(ctx: ToolContext, where: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Post rows in the platform's order (BFCL's dict order), optionally only those matching ``where``."""
    return ctx.rows(Tweet).find(where, order_by="position")


def next_position(ctx: ToolContext, table: str) -> int:
    """The position a new row of an ordered table (posts, replies, reposts, follows) takes: after the last."""
    return int(ctx.query(f"SELECT COALESCE(MAX(position), 0) + 1 AS next FROM {table}")[0]["next"])
