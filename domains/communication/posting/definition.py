"""The environment definition: id, description, state models and scenario interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .bfcl import BfclPostingInterchange
from .models import Base

env = EnvironmentDefinition(
    "posting",
    domain="communication",
    models=Base,
    modeled_on="Posting",
    description=(
        "A Twitter-style social network (BFCL TwitterAPI) on one device, signed in to one account. Posts have "
        "a number (their id), an author's username, text of at most 280 characters, hashtags (each starting "
        "with #) and mentions (each starting with @). Anyone can read posts, a user's posts, search posts, "
        "read a post's replies and an account's statistics. Posting, replying, reposting, following, "
        "unfollowing, listing who you follow and adding mentions need the account to be signed in with its "
        "username and password; only a post's author can add mentions to it. A post is reposted once per "
        "account; you cannot follow yourself, and where the platform has a member directory only its "
        "members can be followed."
    ),
    scenario_io=BfclPostingInterchange(),
)
