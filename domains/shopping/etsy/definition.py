"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "etsy",
    domain="shopping",
    models=Base,
    modeled_on="EtsyServer",
    description=(
        "Etsy, the marketplace for handmade, vintage and craft-supply goods (Open API v3: users, shops, "
        "listings, carts, receipts, shipments, reviews). Buyers search active listings, favorite them, add "
        "them to a cart and check out one shop at a time; sellers run their shops. Policy: only a shop's "
        "owner may create, edit, restock, renew or deactivate its listings, see its receipts, mark orders "
        "shipped or change the shop. Handmade items are made by the seller or their collective; items made "
        "by someone else must be vintage (at least 20 years old) unless they are craft supplies. A draft "
        "needs a price, a quantity and a shipping profile before it can be published. Publishing and every "
        "renewal cost a $0.20 listing fee and keep the listing up for four months, after which it expires "
        "until renewed; a listing whose stock runs out becomes sold out, and restocking it renews it. A shop "
        "in vacation mode accepts no purchases. A listing that requires personalization cannot be bought "
        "without it, and personalization cannot exceed the seller's character limit. Orders ship only to "
        "countries in the listing's shipping profile. Buyers may review each item once, after the order "
        "ships and within 100 days. Prices are in the shop's currency; search budgets are in US dollars."
    ),
)
