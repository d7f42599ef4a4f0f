"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "fake_store",
    domain="shopping",
    models=Base,
    modeled_on="FakeStoreServer",
    description=(
        "An online store modeled on the Fake Store API: a product catalog (title, price, description, "
        "category, image, customer rating), shopping carts and user accounts. Anyone may browse products, "
        "categories and carts. Policy: every change needs the token from user_login; a customer may change "
        "only their own carts and account, and only store staff (admin accounts) may create, edit or delete "
        "products. A cart line holds 1-20 units of a product that exists, a cart at most 15 different "
        "products; an emptied cart is deleted rather than kept. Prices are in US dollars and cents."
    ),
)
