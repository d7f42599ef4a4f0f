"""The environment definition: id, the store's policy the agent reads, state models and interchange."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base
from .tau2 import Tau2Interchange

POLICY = (
    "An online store's customer-support desk (tau2-bench retail compatible). The agent helps one customer "
    "per conversation: cancel or change pending orders, return or exchange delivered ones, update the "
    "default address, and answer questions about the customer's own profile, orders and the products sold. "
    "Policy: first identify the customer by finding their user id from their email, or from their first "
    "and last name with their zip code, even if they quote a user id; then help only that customer and "
    "refuse anything about another person's account or orders. Before any change (cancel, modify, return, "
    "exchange, address) state exactly what will be done and wait for the customer's explicit yes. Only an "
    "order whose status is 'pending' can be cancelled, and only for the reason 'no longer needed' or "
    "'ordered by mistake'; the refund goes back to the payment used, at once for a gift card and within "
    "5-7 business days otherwise. A pending order's shipping address or payment method can change (the new "
    "payment is a single method other than the current one, and a gift card must cover the total), and its "
    "items can be swapped for other in-stock options of the same product exactly once, which also means it "
    "can no longer be cancelled: gather every item to change before doing it. A delivered order can be "
    "returned or exchanged once: a return's refund goes to the original payment method or a gift card; an "
    "exchange swaps items for in-stock options of the same product (never another product type), and the "
    "price difference is paid or refunded on a payment method the customer names (a gift card must cover "
    "it). Processed, cancelled or already changed orders cannot be acted on. Do not make up information, "
    "procedures or recommendations. Transfer to a human agent only when the customer asks for one or the "
    "request cannot be handled within these actions."
)

env = EnvironmentDefinition(
    "retail",
    domain="shopping",
    models=Base,
    description=POLICY,
    modeled_on="Retail",
    scenario_io=Tau2Interchange(),
)
