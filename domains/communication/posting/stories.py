"""Posting stories: the account owner asking their assistant to handle their social feed, one storyline each.

What people ask of a Twitter-style app (see envfactory_gym.synthesis.stories): post an update with hashtags,
tag friends, reply to or repost a friend's latest post, fix a post they forgot to tag someone in, follow
people (two handles, or whoever replied to them), unfollow an account that has gone quiet (the feed decides),
make sure they are still signed in before posting, and questions: who replied to their post, how popular a
hashtag is, who has been more active, their own numbers, whom they follow, what a linked post says.
Writes need the account signed in, and the seeded device is signed out, so the owner gives their handle and
password (the service's own rule: BFCL's TwitterAPI signs in with both).
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

ENV = "posting"
UPDATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Finally tried the new bakery on Mission Street. Worth every calorie.", ("#foodie", "#SundayTreat")),
    ("Spring cleaning done. The closet has never looked this good.", ("#SpringCleaning",)),
    ("Three days into the new job and I already love the team.", ("#NewJob", "#Grateful")),
    ("Sunday plans: long run, longer brunch.", ("#running", "#brunch")),
    ("Our community garden just got its first beehive!", ("#gardening", "#bees")),
    ("Booked the tickets. Lisbon in May, here we come.", ("#travel",)),
    ("Finished my first 10k without walking. Small wins count.", ("#running", "#RunChat")),
    ("The farmers market had the first cherries of the season today.", ("#HomeCooking",)),
)
# Words that pick out one post among an author's (they occur in the seeded post templates).
HOOKS = (
    "ramen", "sourdough", "half marathon", "cold brew", "sunrise", "golden hour", "vinyl", "tomato seedlings",
    "referee", "timezone bug", "book club", "bookstore", "film camera", "strawberries", "luggage", "derby",
)  # fmt: skip
REPLIES = ("Congrats!!", "Love this!", "So happy for you!", "Save me a seat next time.", "This made my day.")


def owner(s: StoryContext) -> dict[str, Any]:
    """The device's account (handle and password), the person of every story."""
    row = s.rows("SELECT username, password FROM platform")[0]
    s.person(ENV, row["username"])
    return row


def credentials(s: StoryContext, account: dict[str, Any]) -> str:
    """How the owner states their handle and password."""
    s.say(account["username"])
    s.say(account["password"])
    return speech.choose(
        s.rng,
        f"My handle is @{account['username']} and my password is {account['password']}.",
        f"I'm @{account['username']} (password {account['password']}).",
        f"Log in as {account['username']}, password {account['password']}.",
    )


def sign_in(s: StoryContext, account: dict[str, Any]) -> str:
    """Sign the owner in with the credentials they state; returns how they state them."""
    intro = credentials(s, account)
    s.call("authenticate_twitter", username=account["username"], password=account["password"])
    return intro


def followed_author(s: StoryContext) -> str:
    """An account the owner follows that has posted."""
    return str(
        s.pick(
            "SELECT f.username FROM following f WHERE f.username IN (SELECT username FROM tweets) ORDER BY f.position"
        )["username"]
    )


def post_about(s: StoryContext, posts: list[dict[str, Any]]) -> tuple[dict[str, Any], str]:
    """An author's latest post about something (a word of its text), and that word."""
    hooks = sorted({hook for hook in HOOKS for post in posts if hook in post["content"].lower()})
    if not hooks:
        s.reject("no post stands out by a word")
    hook = s.rng.choice(hooks)
    return [post for post in posts if hook in post["content"].lower()][-1], hook


def quoted(tags: list[str] | tuple[str, ...]) -> str:
    return speech.listing(list(tags))


@story(ENV)
def post_an_update(s: StoryContext) -> str:
    """Post an update, word for word, with its hashtags."""
    account = owner(s)
    content, tags = s.rng.choice(UPDATES)
    intro = sign_in(s, account)
    s.call("post_tweet", content=s.say(content), tags=[s.say(tag) for tag in tags])
    ask = speech.choose(
        s.rng,
        f'Please post this: "{content}" with {quoted(tags)}.',
        f'Can you tweet "{content}" and add {quoted(tags)}?',
    )
    return speech.sentence(intro, ask)


@story(ENV)
def post_tagging_friends(s: StoryContext) -> str:
    """Post an update that mentions two accounts the owner follows."""
    account = owner(s)
    first, second = (row["username"] for row in s.sample("SELECT username FROM following ORDER BY position", 2))
    content, _ = s.rng.choice(UPDATES)
    intro = sign_in(s, account)
    mentions = [s.say(f"@{first}"), s.say(f"@{second}")]
    s.call("post_tweet", content=s.say(content), mentions=mentions)
    ask = speech.choose(
        s.rng,
        f'Post "{content}" and tag @{first} and @{second} in it.',
        f'I want to share "{content}" with @{first} and @{second} mentioned.',
    )
    return speech.sentence(intro, ask)


@story(ENV)
def reply_to_friends_latest(s: StoryContext) -> str:
    """Reply to the most recent post of an account the owner follows."""
    account = owner(s)
    friend = s.say(followed_author(s))
    latest = s.call("get_user_tweets", username=friend)[-1]
    reply = s.say(s.rng.choice(REPLIES))
    intro = sign_in(s, account)
    s.call("comment", tweet_id=latest["id"], comment_content=reply)
    ask = speech.choose(
        s.rng,
        f'Reply "{reply}" to @{friend}\'s most recent post.',
        f'Leave a comment on the latest thing @{friend} posted: "{reply}"',
    )
    return speech.sentence(intro, ask)


@story(ENV, implicit=True)
def share_friends_post(s: StoryContext) -> str:
    """A friend's post is worth passing on: repost it (a post already reposted stays reposted once)."""
    account = owner(s)
    friend = s.say(followed_author(s))
    posts = s.call("get_user_tweets", username=friend)
    post, hook = post_about(s, posts)
    s.say(hook)
    intro = sign_in(s, account)
    # Already reposted: the state stays one repost, which the reward checks; no wording of it is demanded.
    s.call("retweet", tweet_id=post["id"])
    ask = speech.choose(
        s.rng,
        f"@{friend} just posted about the {hook} and my followers should see it too. Put it on my feed.",
        f"I loved @{friend}'s latest post about the {hook}. Share it with my followers, please.",
    )
    return speech.sentence(intro, ask)


@story(ENV, implicit=True)
def forgot_to_tag(s: StoryContext) -> str:
    """The owner forgot to tag someone in their latest post: add the mention."""
    account = owner(s)
    friend = s.pick("SELECT username FROM following ORDER BY position")["username"]
    intro = sign_in(s, account)
    latest = s.call("get_user_tweets", username=account["username"])[-1]
    if f"@{friend}" in (latest.get("mentions") or []):
        s.reject("already tagged")
    s.call("mention", tweet_id=latest["id"], mentioned_usernames=[s.say(f"@{friend}")])
    ask = speech.choose(
        s.rng,
        f"I forgot to tag @{friend} in my last post. Can you fix that?",
        f"@{friend} should have been tagged in the last thing I posted. Please sort it out.",
    )
    return speech.sentence(intro, ask)


@story(ENV)
def follow_two_accounts(s: StoryContext) -> str:
    """Follow two accounts the owner does not follow yet."""
    account = owner(s)
    first, second = (
        row["username"]
        for row in s.sample(
            "SELECT username FROM accounts WHERE username != (SELECT username FROM platform) "
            "AND username NOT IN (SELECT username FROM following) ORDER BY username",
            2,
        )
    )
    intro = sign_in(s, account)
    for handle in (first, second):
        s.call("follow_user", username_to_follow=s.say(handle))
    ask = speech.choose(
        s.rng,
        f"Follow @{first} and @{second} for me.",
        f"I met @{first} and @{second} at a meetup. Please follow them both.",
    )
    return speech.sentence(intro, ask)


@story(ENV, implicit=True)
def unfollow_if_quiet(s: StoryContext) -> str:
    """Unfollow an account only if it has posted nothing this month (the feed decides)."""
    account = owner(s)
    handle = s.say(s.pick("SELECT username FROM following ORDER BY position")["username"])
    posts = s.call("get_user_tweets", username=handle)
    if posts:
        s.fact(len(posts), derived=True)
        intro = credentials(s, account)
    else:
        intro = sign_in(s, account)
        s.call("unfollow_user", username_to_unfollow=handle)
    ask = speech.choose(
        s.rng,
        f"I'm tidying up whom I follow. If @{handle} hasn't posted anything lately, I don't need them in my "
        "feed any more; otherwise tell me how much they've posted.",
        f"Has @{handle} gone quiet? If there's nothing from them, stop following them. If they are active, "
        "just tell me how many posts they have.",
    )
    return speech.sentence(intro, ask)


@story(ENV)
def follow_the_replier(s: StoryContext) -> str:
    """Follow whoever left a particular reply on one of the owner's posts."""
    account = owner(s)
    posts = s.call("get_user_tweets", username=s.say(account["username"]))
    post, hook = post_about(s, posts)
    s.say(hook)
    replies = s.call("get_tweet_comments", tweet_id=post["id"])
    followed = {row["username"] for row in s.rows("SELECT username FROM following")}
    candidates = [
        r
        for r in replies
        if r["username"] not in followed
        and r["username"] != account["username"]
        and sum(other["content"] == r["content"] for other in replies) == 1
    ]
    if not candidates:
        s.reject("no distinct reply from someone not followed")
    reply = s.rng.choice(candidates)
    s.say(reply["content"])
    intro = sign_in(s, account)
    s.call("follow_user", username_to_follow=reply["username"])
    ask = speech.choose(
        s.rng,
        f'Someone replied "{reply["content"]}" to my latest post about the {hook}. Follow them for me.',
        f'On my most recent post about the {hook}, whoever commented "{reply["content"]}" seems nice. '
        "I'd like to follow them.",
    )
    return speech.sentence(intro, ask)


@story(ENV)
def signed_in_then_post(s: StoryContext) -> str:
    """Check the app is signed in, sign in if not, then post an update."""
    account = owner(s)
    content, tags = s.rng.choice(UPDATES)
    intro = ""
    if not s.call("posting_get_login_status")["login_status"]:
        intro = sign_in(s, account)
    else:
        s.reject("already signed in")
    s.call("post_tweet", content=s.say(content), tags=[s.say(tags[0])])
    ask = speech.choose(
        s.rng,
        f'Am I still logged in on this phone? If not, sign me back in. Then post "{content}" with {tags[0]}.',
        f'Check whether the app is still signed in (log me in if it isn\'t) and tweet "{content}" {tags[0]}',
    )
    return speech.sentence(intro, ask)


@story(ENV, implicit=True)
def replies_to_my_post(s: StoryContext) -> str:
    """Who reacted to one of the owner's posts."""
    account = owner(s)
    posts = s.call("get_user_tweets", username=s.say(account["username"]))
    post, hook = post_about(s, posts)
    s.say(hook)
    replies = s.call("get_tweet_comments", tweet_id=post["id"])
    if not 1 <= len(replies) <= 4:
        s.reject("no replies, or too many to list")
    for reply in replies:
        s.fact(reply["username"])
    ask = speech.choose(
        s.rng,
        f"Did anybody react to my latest post about the {hook}? Who?",
        f"I'm curious who answered my most recent post about the {hook}.",
    )
    return speech.sentence(f"I'm @{account['username']}.", ask)


@story(ENV)
def hashtag_popularity(s: StoryContext) -> str:
    """How many posts carry a hashtag, and who posted the latest one."""
    owner(s)
    tag = s.say(s.rng.choice(["#coffee", "#running", "#foodie", "#travel", "#gardening", "#NowPlaying", "#DevLife"]))
    hits = s.call("search_tweets", keyword=tag)
    if not hits:
        s.reject("nobody used the hashtag")
    s.fact(len(hits), derived=True)
    s.fact(hits[-1]["username"])
    ask = speech.choose(
        s.rng,
        f"How many posts use {tag}, and who posted the most recent one?",
        f"Is {tag} popular here? Count the posts with it and tell me who used it last.",
    )
    return speech.sentence(ask)


@story(ENV, implicit=True)
def compare_activity(s: StoryContext) -> str:
    """Who has posted more, the owner or a friend, and by how many posts."""
    account = owner(s)
    friend = s.say(followed_author(s))
    mine = s.call("get_user_stats", username=s.say(account["username"]))["tweet_count"]
    theirs = s.call("get_user_stats", username=friend)["tweet_count"]
    if mine == theirs:
        s.reject("a tie")
    s.fact(mine)
    s.fact(theirs)
    s.fact(abs(mine - theirs), derived=True)
    ask = speech.choose(
        s.rng,
        f"@{friend} says I never post anything. Who has actually been posting more, them or me, and by how many posts?",
        f"Have I been more active than @{friend}? Give me both our post counts and the difference.",
    )
    return speech.sentence(f"I'm @{account['username']}.", ask)


@story(ENV, weight=0.5)
def my_numbers(s: StoryContext) -> str:
    """The owner's own statistics."""
    account = owner(s)
    stats = s.call("get_user_stats", username=s.say(account["username"]))
    for key in ("tweet_count", "following_count", "retweet_count"):
        s.fact(stats[key])
    ask = speech.choose(
        s.rng,
        "How many posts have I made, how many accounts do I follow and how many times have I reposted?",
        "Give me my numbers: posts, accounts I follow and reposts.",
    )
    return speech.sentence(f"My handle is @{account['username']}.", ask)


@story(ENV)
def who_i_follow(s: StoryContext) -> str:
    """How many accounts the owner follows and whom they followed last."""
    account = owner(s)
    intro = sign_in(s, account)
    following = s.call("list_all_following")["following_list"]
    s.fact(len(following), derived=True)
    s.fact(following[-1])
    ask = speech.choose(
        s.rng,
        "How many accounts am I following, and who's the last one I followed?",
        "Count the accounts I follow, and remind me whom I followed most recently.",
    )
    return speech.sentence(intro, ask)


@story(ENV)
def link_to_a_post(s: StoryContext) -> str:
    """A friend sent a link to a post by its number: who wrote it and how many replies it has drawn."""
    owner(s)
    number = s.say(s.pick("SELECT DISTINCT tweet_id AS id FROM comments ORDER BY tweet_id")["id"])
    post = s.call("get_tweet", tweet_id=number)
    replies = s.call("get_tweet_comments", tweet_id=number)
    s.fact(post["username"])
    s.fact(len(replies), derived=True)
    ask = speech.choose(
        s.rng,
        f"A friend sent me a link to post number {number}. Who wrote it, and how many replies has it got?",
        f"Who wrote post {number}, and how many replies does it have?",
    )
    return speech.sentence(ask)
