"""The environment definition: id, description (the marketplace's policy) and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "ebay",
    domain="shopping",
    models=Base,
    modeled_on="EbayServer",
    description=(
        "eBay marketplace: members buy and sell listings in a category tree, either at a fixed price "
        "(Buy It Now, optionally accepting best offers) or by auction. Every call acts as the member named by "
        "username. Policy: only a listing's seller can revise or end it, see its offers, or mark its orders "
        "shipped; sellers cannot bid on, buy, or make offers on their own listings. Auction bids are maximum "
        "bids: the first must be at least the starting price, later ones at least the current price plus the "
        "bid increment, and no bids are taken once the auction has ended; the service raises the current "
        "price only as far as needed to keep the highest bidder ahead. An auction's Buy It Now option "
        "disappears after the first bid. Once an auction has bids its price, reserve and format can no "
        "longer be revised, and it cannot be ended early in its last 12 hours. A buyer may make up to three "
        "best offers per listing, below the Buy It Now price; offers under the seller's minimum are declined "
        "at once and offers at or above the auto-accept price are accepted at once. Returns: if the listing "
        "accepts returns, the buyer may open one for any reason within its return window (30 or 60 days "
        "after delivery); whatever the listing says, the money-back guarantee covers items that arrive "
        "damaged, not as described or wrong within 30 days of delivery, with the seller paying return "
        "postage and refunding shipping too. Only delivered orders can be returned. Feedback is left once "
        "per order and side within 60 days of the order; sellers can only leave positive feedback for "
        "buyers. Prices are in cents; times are the marketplace's local time."
    ),
)
