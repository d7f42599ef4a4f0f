"""The tools an agent calls (the API reference a model sees): BFCL TwitterAPI's surface."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .bfcl import comment_record, tweet_record
from .definition import env
from .models import MAX_POST_LENGTH, PLATFORM_KEY, Comment, Follow, Platform, Retweet, Tweet
from .seed import find_tweet, next_position, platform, posts, require_login


class AuthenticationResult(TypedDict):
    authentication_status: bool


@env.write(intents=["sign in to my account {username}", "log me in as {username}"])
def authenticate_twitter(ctx: ToolContext, username: str, password: str) -> AuthenticationResult:
    """Sign in to the account on this device with its username and password.

    A wrong username or password answers false and leaves the session as it was.

    Args:
        username: The account's username (without the @).
        password: The account's password.
    """
    row = platform(ctx)
    if username != row["username"] or password != row["password"]:
        return {"authentication_status": False}
    ctx.rows(Platform).update(PLATFORM_KEY, authenticated=True)
    return {"authentication_status": True}


class LoginStatus(TypedDict):
    login_status: bool


@env.read(intents=["am I signed in to my social account", "check whether the account is logged in"])
def posting_get_login_status(ctx: ToolContext) -> LoginStatus:
    """Tell whether the account on this device is signed in."""
    return {"login_status": bool(platform(ctx)["authenticated"])}


class TweetView(TypedDict):
    id: int
    username: str
    content: str
    tags: list[str]
    mentions: NotRequired[list[str]]


def _check_text(text: str, what: str) -> None:
    if not text.strip():
        raise DomainError(f"The {what} is empty.")
    if len(text) > MAX_POST_LENGTH:
        raise DomainError(f"The {what} is {len(text)} characters long; the limit is {MAX_POST_LENGTH}.")


def _check_handles(values: list[str], sign: str, what: str) -> None:
    for value in values:
        if not value.startswith(sign) or len(value) < 2 or any(c.isspace() for c in value):
            raise DomainError(f"{what} must start with {sign} and have no spaces: {value!r}.")


@env.write(intents=["post: {content}", "tweet '{content}' with the hashtags {tags}"])
def post_tweet(
    ctx: ToolContext, content: str, tags: list[str] | None = None, mentions: list[str] | None = None
) -> TweetView:
    """Post from the signed-in account; the post gets the next post number.

    Args:
        content: The text of the post (at most 280 characters).
        tags: Hashtags, each starting with #, e.g. ["#coffee"]. Defaults to none.
        mentions: Accounts mentioned, each starting with @, e.g. ["@alice"]. Defaults to none.
    """
    row = require_login(ctx, "posting")
    _check_text(content, "post")
    tags, mentions = list(tags or []), list(mentions or [])
    _check_handles(tags, "#", "A hashtag")
    _check_handles(mentions, "@", "A mention")
    number = row["tweet_counter"]
    if ctx.rows(Tweet).first({"id": number}) is not None:
        raise DomainError(f"Post number {number} is already taken.")
    position = next_position(ctx, "tweets")
    tweet = {"id": number, "username": row["username"], "content": content, "tags": tags, "mentions": mentions}
    ctx.rows(Tweet).add(position=position, **tweet, extra=None, posted_at=None)
    ctx.rows(Platform).update(PLATFORM_KEY, tweet_counter=number + 1)
    return tweet  # type: ignore[return-value]


class RetweetResult(TypedDict):
    retweet_status: str


@env.write(intents=["repost post {tweet_id}", "retweet tweet number {tweet_id}"])
def retweet(ctx: ToolContext, tweet_id: int) -> RetweetResult:
    """Repost a post from the signed-in account (once: a second repost answers 'Already retweeted').

    Args:
        tweet_id: The number of the post to repost.
    """
    row = require_login(ctx, "retweeting")
    find_tweet(ctx, tweet_id)
    if ctx.rows(Retweet).first({"username": row["username"], "tweet_id": tweet_id}) is not None:
        return {"retweet_status": "Already retweeted"}
    position = next_position(ctx, "retweets")
    ctx.rows(Retweet).add(position=position, username=row["username"], tweet_id=tweet_id)
    return {"retweet_status": "Successfully retweeted"}


class CommentResult(TypedDict):
    comment_status: str


@env.write(intents=["reply to post {tweet_id}: {comment_content}", "comment '{comment_content}' on tweet {tweet_id}"])
def comment(ctx: ToolContext, tweet_id: int, comment_content: str) -> CommentResult:
    """Reply to a post from the signed-in account.

    Args:
        tweet_id: The number of the post to reply to.
        comment_content: The reply's text (at most 280 characters).
    """
    row = require_login(ctx, "commenting")
    find_tweet(ctx, tweet_id)
    _check_text(comment_content, "reply")
    thread = ctx.rows(Comment).first({"tweet_id": tweet_id})
    position = next_position(ctx, "comments")
    ctx.rows(Comment).add(
        position=position,
        tweet_id=tweet_id,
        username=row["username"],
        content=comment_content,
        record=None,
        numeric_thread=True if thread is None else thread["numeric_thread"],
    )
    return {"comment_status": "Comment added successfully"}


class MentionResult(TypedDict):
    mention_status: str


@env.write(
    intents=[
        "tag {mentioned_usernames} in my post {tweet_id}",
        "add the mentions {mentioned_usernames} to post {tweet_id}",
    ]
)
def mention(ctx: ToolContext, tweet_id: int, mentioned_usernames: list[str]) -> MentionResult:
    """Add mentions to one of the signed-in account's own posts.

    Args:
        tweet_id: The number of the post.
        mentioned_usernames: The accounts to mention, each starting with @, e.g. ["@alice"].
    """
    row = require_login(ctx, "mentioning")
    tweet = find_tweet(ctx, tweet_id)
    if tweet["username"] != row["username"]:
        raise DomainError(f"Only @{tweet['username']} can add mentions to post {tweet_id}.")
    if not mentioned_usernames:
        raise DomainError("Name at least one account to mention.")
    _check_handles(mentioned_usernames, "@", "A mention")
    ctx.rows(Tweet).update(tweet["position"], mentions=[*(tweet["mentions"] or []), *mentioned_usernames])
    return {"mention_status": "Users mentioned successfully"}


class FollowResult(TypedDict):
    follow_status: bool


@env.write(intents=["follow {username_to_follow}", "start following @{username_to_follow}"])
def follow_user(ctx: ToolContext, username_to_follow: str) -> FollowResult:
    """Follow an account from the signed-in account; answers false when it is already followed.

    Args:
        username_to_follow: The username to follow (without the @).
    """
    row = require_login(ctx, "following")
    if username_to_follow == row["username"]:
        raise DomainError("You cannot follow your own account.")
    members = ctx.query(
        "SELECT COUNT(*) AS n, COALESCE(SUM(username = ?), 0) AS known FROM accounts", (username_to_follow,)
    )[0]
    if members["n"] and not members["known"]:
        raise DomainError(f"There is no account @{username_to_follow} on this platform.")
    if ctx.rows(Follow).first({"username": username_to_follow}) is not None:
        return {"follow_status": False}
    position = next_position(ctx, "following")
    ctx.rows(Follow).add(position=position, username=username_to_follow)
    return {"follow_status": True}


class FollowingList(TypedDict):
    following_list: list[str]


@env.read(intents=["who do I follow", "list the accounts I follow"])
def list_all_following(ctx: ToolContext) -> FollowingList:
    """List the usernames the signed-in account follows, in the order they were followed."""
    require_login(ctx, "listing following")
    return {"following_list": [row["username"] for row in ctx.rows(Follow).find(order_by="position")]}


class UnfollowResult(TypedDict):
    unfollow_status: bool


@env.write(intents=["unfollow {username_to_unfollow}", "stop following @{username_to_unfollow}"])
def unfollow_user(ctx: ToolContext, username_to_unfollow: str) -> UnfollowResult:
    """Unfollow an account; answers false when the signed-in account does not follow it.

    Args:
        username_to_unfollow: The username to unfollow (without the @).
    """
    require_login(ctx, "unfollowing")
    row = ctx.rows(Follow).first({"username": username_to_unfollow}, order_by="position")
    if row is None:
        return {"unfollow_status": False}
    ctx.rows(Follow).delete(row["position"])
    return {"unfollow_status": True}


@env.read(intents=["show post number {tweet_id}", "what does tweet {tweet_id} say"])
def get_tweet(ctx: ToolContext, tweet_id: int) -> TweetView:
    """Get one post by its number.

    Args:
        tweet_id: The number of the post.
    """
    return tweet_record(find_tweet(ctx, tweet_id))  # type: ignore[return-value]


@env.read(intents=["show @{username}'s posts", "what has {username} tweeted"])
def get_user_tweets(ctx: ToolContext, username: str) -> list[TweetView]:
    """All posts by an account, oldest first (an empty list for an account without posts).

    Args:
        username: The author's username (without the @).
    """
    return [tweet_record(row) for row in posts(ctx, {"username": username})]  # type: ignore[misc]


@env.read(intents=["search posts for '{keyword}'", "find tweets about {keyword}"])
def search_tweets(ctx: ToolContext, keyword: str) -> list[TweetView]:
    """Posts whose text contains a keyword, or that carry it as a hashtag (any letter case), oldest first.

    Args:
        keyword: The word or phrase to look for; a hashtag matches only written with its #, e.g. "#coffee".
    """
    if not keyword.strip():
        raise DomainError("The search keyword is empty.")
    needle = keyword.lower()
    return [
        tweet_record(row)  # type: ignore[misc]
        for row in posts(ctx)
        if needle in row["content"].lower() or needle in [tag.lower() for tag in row["tags"]]
    ]


class CommentView(TypedDict, total=False):
    username: str
    content: str


@env.read(intents=["show the replies to post {tweet_id}", "what did people comment on tweet {tweet_id}"])
def get_tweet_comments(ctx: ToolContext, tweet_id: int) -> list[CommentView]:
    """The replies to a post, oldest first.

    Args:
        tweet_id: The number of the post.
    """
    find_tweet(ctx, tweet_id)
    rows = ctx.rows(Comment).find({"tweet_id": tweet_id}, order_by="position")
    return [comment_record(row) for row in rows]  # type: ignore[misc]


class UserStats(TypedDict):
    tweet_count: int
    following_count: int
    retweet_count: int


@env.read(intents=["how many posts has {username} made", "show the stats of @{username}"])
def get_user_stats(ctx: ToolContext, username: str) -> UserStats:
    """An account's numbers: its posts, how many accounts it follows and its reposts.

    The platform knows whom only the signed-in device's account follows; for other accounts
    following_count is 0.

    Args:
        username: The username (without the @).
    """
    row = platform(ctx)
    counts: dict[str, Any] = ctx.query(
        "SELECT (SELECT COUNT(*) FROM tweets WHERE username = ?) AS tweet_count,"
        " (SELECT COUNT(*) FROM following) AS following, (SELECT COUNT(*) FROM retweets WHERE username = ?) AS rt",
        (username, username),
    )[0]
    return {
        "tweet_count": counts["tweet_count"],
        "following_count": counts["following"] if username == row["username"] else 0,
        "retweet_count": counts["rt"],
    }
