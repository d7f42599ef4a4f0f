"""Communication stories across services with posting: one person's social account beside their work tools.

The services meet where a person's day joins them, through what the request carries across:
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

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .posting.stories import credentials, followed_author, owner, post_about, sign_in

POSTING = "posting"
TICKETS = "ticket_management"
MESSAGE = "message"

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
    row = s.rows("SELECT u.* FROM users u JOIN workspace w ON w.owner_id = u.user_id", env=MESSAGE)[0]
    s.person(MESSAGE, row["user_id"])
    return row


def posting_colleague(s: StoryContext) -> str:
    """A workspace colleague's name, as the person says it."""
    row = s.pick(
        "SELECT u.name FROM users u JOIN workspace w ON u.user_id != w.owner_id ORDER BY u.position", env=MESSAGE
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


@story(POSTING, MESSAGE)
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


@story(POSTING, MESSAGE)
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
