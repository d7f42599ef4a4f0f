"""posting: BFCL TwitterAPI surface, sign-in and posting rules, seeded network and initial_config interchange."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest

from envfactory_gym.database import get_snapshot
from envfactory_gym.domains.communication import posting
from envfactory_gym.domains.communication.northwind import moved_handles
from envfactory_gym.domains.communication.posting.models import BFCL_DEFAULT_STATE
from envfactory_gym.registry import catalog
from envfactory_gym.tasks import load_tasks
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

ENV = posting.env


def bfcl_config(**overrides: Any) -> dict[str, Any]:
    """A BFCL TwitterAPI initial_config as BFCL's data writes it: text keys, the account signed in."""
    config: dict[str, Any] = {
        "username": "john",
        "password": "john1234",
        "authenticated": True,
        "tweets": {
            "0": {"id": 0, "username": "john", "content": "Morning run done", "tags": ["#Running"], "mentions": []},
            "1": {"id": 1, "username": "john", "content": "Coffee first", "tags": [], "mentions": ["@alice"]},
            "2": {"id": 2, "username": "alice", "content": "Trail run today", "tags": ["#trail"], "mentions": []},
        },
        "comments": {"1": [{"username": "alice", "content": "Same!"}]},
        "retweets": {"alice": [0]},
        "following_list": ["alice", "bob"],
        "tweet_counter": 3,
    }
    config.update(overrides)
    return config


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    with closing(EpisodeHarness(ENV, scenario=bfcl_config())) as harness:
        yield harness


def test_tool_names_are_the_catalogs() -> None:
    assert set(ENV.tools) == set(catalog()["posting"].reference_tools)
    assert len(ENV.write_tools) >= 4


def test_authenticate_checks_both_credentials_and_a_wrong_one_changes_nothing() -> None:
    with closing(EpisodeHarness(ENV, scenario=bfcl_config(authenticated=False))) as harness:
        before = harness.database.state_hash()
        assert harness.ok("authenticate_twitter", username="john", password="wrong") == {"authentication_status": False}
        assert harness.ok("authenticate_twitter", username="jon", password="john1234") == {
            "authentication_status": False
        }
        assert harness.database.state_hash() == before
        assert harness.ok("posting_get_login_status") == {"login_status": False}
        assert harness.ok("authenticate_twitter", username="john", password="john1234") == {
            "authentication_status": True
        }
        assert harness.ok("posting_get_login_status") == {"login_status": True}


def test_every_account_action_needs_the_sign_in() -> None:
    with closing(EpisodeHarness(ENV, scenario=bfcl_config(authenticated=False))) as harness:
        for tool, arguments, action in (
            ("post_tweet", {"content": "hi"}, "posting"),
            ("retweet", {"tweet_id": 2}, "retweeting"),
            ("comment", {"tweet_id": 2, "comment_content": "hi"}, "commenting"),
            ("mention", {"tweet_id": 0, "mentioned_usernames": ["@bob"]}, "mentioning"),
            ("follow_user", {"username_to_follow": "carol"}, "following"),
            ("list_all_following", {}, "listing following"),
            ("unfollow_user", {"username_to_unfollow": "bob"}, "unfollowing"),
        ):
            message = harness.error(tool, **arguments)
            assert message == f"Error: User not authenticated. Please authenticate before {action}."
        # Reading needs no account.
        assert harness.ok("get_tweet", tweet_id=2)["username"] == "alice"


def test_post_takes_the_counter_and_returns_bfcls_object(h: EpisodeHarness) -> None:
    assert h.ok("post_tweet", content="Ready for the weekend", tags=["#Weekend"]) == {
        "id": 3,
        "username": "john",
        "content": "Ready for the weekend",
        "tags": ["#Weekend"],
        "mentions": [],
    }
    assert h.ok("get_tweet", tweet_id=3)["content"] == "Ready for the weekend"
    assert h.rows("SELECT tweet_counter FROM platform") == [{"tweet_counter": 4}]
    assert [t["id"] for t in h.ok("get_user_tweets", username="john")] == [0, 1, 3]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"content": "   "}, "The post is empty."),
        ({"content": "x" * 281}, "the limit is 280"),
        ({"content": "hi", "tags": ["weekend"]}, "A hashtag must start with #"),
        ({"content": "hi", "mentions": ["alice"]}, "A mention must start with @"),
        ({"content": "hi", "mentions": ["@al ice"]}, "no spaces"),
    ],
)
def test_post_refusals_change_nothing(h: EpisodeHarness, arguments: dict[str, Any], expected: str) -> None:
    assert expected in h.error("post_tweet", **arguments)
    assert h.rows("SELECT COUNT(*) AS n FROM tweets") == [{"n": 3}]


def test_post_refuses_a_counter_that_points_at_an_existing_post() -> None:
    with closing(EpisodeHarness(ENV, scenario=bfcl_config(tweet_counter=2))) as harness:
        assert harness.error("post_tweet", content="hi") == "Error: Post number 2 is already taken."


def test_retweet_once_per_account(h: EpisodeHarness) -> None:
    assert h.ok("retweet", tweet_id=2) == {"retweet_status": "Successfully retweeted"}
    assert h.ok("retweet", tweet_id=2) == {"retweet_status": "Already retweeted"}
    assert h.rows("SELECT COUNT(*) AS n FROM retweets WHERE username = 'john'") == [{"n": 1}]
    assert h.error("retweet", tweet_id=99) == "Error: Tweet with ID 99 not found."
    assert h.ok("get_user_stats", username="john")["retweet_count"] == 1


def test_comments_join_the_posts_thread(h: EpisodeHarness) -> None:
    assert h.ok("comment", tweet_id=1, comment_content="Always") == {"comment_status": "Comment added successfully"}
    assert h.ok("get_tweet_comments", tweet_id=1) == [
        {"username": "alice", "content": "Same!"},
        {"username": "john", "content": "Always"},
    ]
    assert h.ok("get_tweet_comments", tweet_id=0) == []
    assert h.error("comment", tweet_id=7, comment_content="hi") == "Error: Tweet with ID 7 not found."
    assert "empty" in h.error("comment", tweet_id=0, comment_content=" ")
    assert h.error("get_tweet_comments", tweet_id=7) == "Error: Tweet with ID 7 not found."


def test_only_the_author_adds_mentions(h: EpisodeHarness) -> None:
    assert h.ok("mention", tweet_id=1, mentioned_usernames=["@bob"]) == {
        "mention_status": "Users mentioned successfully"
    }
    assert h.ok("get_tweet", tweet_id=1)["mentions"] == ["@alice", "@bob"]
    assert h.error("mention", tweet_id=2, mentioned_usernames=["@bob"]) == (
        "Error: Only @alice can add mentions to post 2."
    )
    assert "must start with @" in h.error("mention", tweet_id=0, mentioned_usernames=["bob"])
    assert "at least one" in h.error("mention", tweet_id=0, mentioned_usernames=[])


def test_mention_gives_a_post_without_a_mention_list_one() -> None:
    tweets = {"0": {"id": 0, "username": "john", "content": "Hello", "tags": []}}
    with closing(EpisodeHarness(ENV, scenario=bfcl_config(tweets=tweets, comments={}))) as harness:
        assert "mentions" not in harness.ok("get_tweet", tweet_id=0)
        harness.ok("mention", tweet_id=0, mentioned_usernames=["@bob"])
        assert harness.ok("get_tweet", tweet_id=0)["mentions"] == ["@bob"]


def test_follow_and_unfollow_answer_bfcls_booleans(h: EpisodeHarness) -> None:
    assert h.ok("follow_user", username_to_follow="carol") == {"follow_status": True}
    assert h.ok("follow_user", username_to_follow="alice") == {"follow_status": False}
    assert h.ok("list_all_following") == {"following_list": ["alice", "bob", "carol"]}
    assert h.ok("unfollow_user", username_to_unfollow="bob") == {"unfollow_status": True}
    assert h.ok("unfollow_user", username_to_unfollow="bob") == {"unfollow_status": False}
    assert h.ok("list_all_following") == {"following_list": ["alice", "carol"]}
    assert h.error("follow_user", username_to_follow="john") == "Error: You cannot follow your own account."


def test_where_there_is_a_directory_only_members_are_followed() -> None:
    with closing(EpisodeHarness(ENV)) as harness:
        account = harness.rows("SELECT username, password FROM platform")[0]
        harness.ok("authenticate_twitter", **account)
        message = harness.error("follow_user", username_to_follow="nobody_here_42")
        assert message == "Error: There is no account @nobody_here_42 on this platform."
        stranger = harness.rows(
            "SELECT username FROM accounts WHERE username != ? AND username NOT IN (SELECT username FROM following)"
            " LIMIT 1",
            account["username"],
        )[0]["username"]
        assert harness.ok("follow_user", username_to_follow=stranger) == {"follow_status": True}


def test_search_matches_text_and_hashtags_in_any_case(h: EpisodeHarness) -> None:
    assert [t["id"] for t in h.ok("search_tweets", keyword="RUN")] == [0, 2]
    assert [t["id"] for t in h.ok("search_tweets", keyword="#running")] == [0]
    assert [t["id"] for t in h.ok("search_tweets", keyword="running")] == []  # a hashtag is matched with its #
    assert "empty" in h.error("search_tweets", keyword=" ")


def test_stats_know_whom_only_the_device_account_follows(h: EpisodeHarness) -> None:
    assert h.ok("get_user_stats", username="john") == {"tweet_count": 2, "following_count": 2, "retweet_count": 0}
    assert h.ok("get_user_stats", username="alice") == {"tweet_count": 1, "following_count": 0, "retweet_count": 1}
    assert h.ok("get_user_tweets", username="nobody") == []


def test_missing_keys_take_bfcls_defaults() -> None:
    with closing(EpisodeHarness(ENV, scenario={})) as harness:
        dumped = ENV.scenario_io.dump(harness.database)
    assert dumped == BFCL_DEFAULT_STATE
    assert (dumped["username"], dumped["password"], dumped["following_list"]) == ("john", "john123", ["alice", "bob"])


def test_loose_replies_and_text_keyed_threads_are_kept_as_given() -> None:
    comments = {"1": [{"user": "jane_d", "comment": "Safe travels!"}]}
    with closing(EpisodeHarness(ENV, scenario=bfcl_config(comments=comments))) as harness:
        assert harness.ok("get_tweet_comments", tweet_id=1) == [{"user": "jane_d", "comment": "Safe travels!"}]
        harness.ok("comment", tweet_id=2, comment_content="Nice trail")
        dumped = ENV.scenario_io.dump(harness.database)
        assert dumped["comments"] == {
            "1": [{"user": "jane_d", "comment": "Safe travels!"}],
            "2": [{"username": "john", "content": "Nice trail"}],
        }
        # The thread BFCL's tools key by number is listed; the one loaded from JSON text is not.
        assert dumped["envfactory"]["numeric_comment_threads"] == [2]


@pytest.mark.parametrize(
    "bad",
    [
        {"tweets": {"0": {"id": 5, "username": "john", "content": "x", "tags": []}}},
        {"tweets": {"a": {"id": 0, "username": "john", "content": "x", "tags": []}}},
        {"tweets": {"0": {"id": 0, "username": "john", "content": 3, "tags": []}}},
        {"tweets": {"0": {"id": 0, "username": "john", "content": "x", "tags": "#a"}}},
        {"tweets": {"0": "hello"}},
        {"comments": {"1": {"username": "a", "content": "b"}}},
        {"retweets": {"alice": ["0"]}},
        {"following_list": "alice"},
        {"authenticated": "yes"},
        {"tweet_counter": "3"},
        {"username": None},
        {"envfactory": []},
    ],
)
def test_malformed_configs_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises((TypeError, ValueError)):
        get_snapshot(ENV, scenario=bfcl_config(**bad))


def test_dump_round_trips_through_json_after_changes(h: EpisodeHarness) -> None:
    h.ok("post_tweet", content="New post", mentions=["@bob"])
    h.ok("comment", tweet_id=3, comment_content="First!")
    h.ok("retweet", tweet_id=2)
    h.ok("unfollow_user", username_to_unfollow="alice")
    dumped = ENV.scenario_io.dump(h.database)
    with closing(EpisodeHarness(ENV, scenario=json.loads(json.dumps(dumped)))) as again:
        assert ENV.scenario_io.dump(again.database) == dumped
        assert again.ok("get_tweet_comments", tweet_id=3) == [{"username": "john", "content": "First!"}]
        assert again.ok("post_tweet", content="Next")["id"] == 4


def test_seeded_network_is_realistic_and_round_trips() -> None:
    snapshot = get_snapshot(ENV)
    counts = {name: len(snapshot.rows(name)) for name in snapshot.tables}
    # 300 accounts, and a new one for each Northwind colleague who moved handles (northwind.moved_handles).
    assert counts["accounts"] == 300 + len(moved_handles(0)) and counts["tweets"] == 900 and counts["following"] == 60
    assert counts["comments"] >= 400 and counts["retweets"] >= 500 and counts["platform"] == 1
    with closing(EpisodeHarness(ENV)) as seeded:
        account = seeded.rows("SELECT username, authenticated, tweet_counter FROM platform")[0]
        assert account["authenticated"] == 0 and account["tweet_counter"] == 900
        stats = seeded.ok("get_user_stats", username=account["username"])
        assert stats["tweet_count"] >= 20 and stats["following_count"] == 60 and stats["retweet_count"] > 0
        authors = seeded.rows("SELECT COUNT(DISTINCT username) AS n FROM tweets")[0]["n"]
        assert 150 <= authors <= 300
        dumped = ENV.scenario_io.dump(seeded.database)
    assert len(json.dumps(dumped)) < 1_500_000
    with closing(EpisodeHarness(ENV, scenario=copy.deepcopy(dumped))) as again:
        assert ENV.scenario_io.dump(again.database) == dumped


def test_gym_episode_solved_by_packaged_gold_calls() -> None:
    tasks = load_tasks("communication", "posting")
    assert len(tasks) >= 100
    write = next(t for t in tasks if any(c.tool == "mention" for c in t.gold_calls))
    assert oracle_and_noop_rewards(write) == (1.0, 0.0)
