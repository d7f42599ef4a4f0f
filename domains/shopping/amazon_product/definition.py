"""The environment definition: id, description (the store's policy) and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "amazon_product",
    domain="shopping",
    models=Base,
    modeled_on="AmazonProduct",
    description=(
        "Amazon store: the Product Advertising API's catalog (SearchItems, GetItems, GetVariations, "
        "GetBrowseNodes) plus deals, and the shopper's own cart, wish lists, price-drop alerts and orders. "
        "Items are identified by ASIN and sit in a browse-node tree; an item of a variation family (sizes, "
        "colours) has a parent ASIN, which groups the family and cannot be bought itself. Calls that act for "
        "a shopper take their customer_id. Policy: an item can be added to the cart only while it is "
        "available (in stock now or on backorder; never while unavailable), in quantities up to its maximum "
        "order quantity and, for in-stock items, the units left. An active lightning deal (started, not "
        "ended, less than 100% claimed) or today's deal of the day replaces the item's price at checkout; a "
        "Prime-exclusive deal applies only to Prime members. A price-drop alert needs a target below the "
        "item's regular price (deals aside), and a shopper keeps one alert per ASIN. Shipping at checkout: Prime "
        "members "
        "get free two-day and free standard shipping when every item in the cart is Prime-eligible; "
        "otherwise standard shipping is free once the items come to $35.00 or more and costs $5.99 below "
        "that, and two-day shipping (only when every item is Prime-eligible) costs $12.99 for anyone without "
        "Prime. Placing an order buys the whole cart and empties it; orders can be cancelled until they ship. "
        "Prices are in cents; times are the store's local time."
    ),
)
