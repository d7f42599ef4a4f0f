"""A Twitter-style social network, compatible with BFCL multi-turn's TwitterAPI.

The device's account signs in with its username and password, posts (text, hashtags, mentions), reposts,
replies, adds mentions to its own posts, follows and unfollows accounts and lists whom it follows; anyone
reads a post, an account's posts, a search, a post's replies and an account's statistics. Tool names,
parameters and returned JSON follow BFCL's ``TwitterAPI`` (package ``bfcl-eval``,
``bfcl_eval/eval_checker/multi_turn_eval/func_source_code/posting_api.py``); ``scenario_io`` reads and
writes its ``initial_config``, so BFCL multi-turn tasks start here from their own initial state.

Mapping to BFCL:

* **Refusals.** Where BFCL returns ``{"error": msg}`` this service raises ``DomainError`` with the same
  message ("User not authenticated. Please authenticate before posting.", "Tweet with ID 7 not found.").
  Where BFCL answers without an error (a wrong password: ``authentication_status: false``; a second
  repost: "Already retweeted"; following twice or unfollowing a stranger: ``false``), so does this service.
  Stricter than BFCL, on inputs its tasks never send: an empty post or reply or one over 280 characters, a
  hashtag without # or a mention without @, an empty search; adding mentions needs the signed-in author
  (BFCL lets anyone mention on any post); you cannot follow yourself, and where the platform has a member
  directory (the seeded one has; BFCL's states have none) only members can be followed.
* **State.** BFCL's keys are columns: the session (``username``, ``password``, ``authenticated``,
  ``tweet_counter``), the posts (``tweets``, in order, each keeping the fields it was given), the replies
  (``comments``), the reposts (``retweets``) and ``following_list``. BFCL keys a reply thread loaded from a
  JSON config by text and one its tools start by number, so its ``get_tweet_comments`` misses the first
  kind and a reply to such a post starts a second thread; here a post has one thread, found either way,
  and a dump records which threads BFCL keys by number. An empty reply or repost list in a config is
  not kept.

The seeded world: 300 accounts, the device's own among them (signed out, its password known to its owner),
900 posts over the month before 18 April 2025 with their replies and reposts, and the 60 accounts the
owner follows.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
