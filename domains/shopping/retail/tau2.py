"""tau2-bench's retail ``db.json`` in and out of the store's tables.

tau2 keeps its retail state as one JSON document::

    {"products": {product_id: {"name", "product_id", "variants": {item_id: {...}}}},
     "users": {user_id: {..., "payment_methods": {id: {...}}, "orders": [order ids]}},
     "orders": {order_id: {..., "items": [...], "fulfillments": [...], "payment_history": [...]}}}

:func:`load_db` spreads such a document over the relational tables (no ORM, so a state loads in
milliseconds); :func:`dump_db` rebuilds it with the fields, nesting and order of tau2's models, so
``dump_db(load_db(x)) == x`` for tau2 data. An order's optional fields (cancellation reason, exchange,
return) are written only when set, as in tau2's own file.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from envfactory_gym.rows import bulk_insert, connection_of, fetch_rows

from .models import (
    NOW,
    ORDER_STATUSES,
    PAYMENT_SOURCES,
    STATE_TABLES,
    TRANSACTION_TYPES,
    Fulfillment,
    Order,
    OrderItem,
    OrderPayment,
    PaymentMethod,
    Product,
    User,
    Variant,
)
from .views import ADDRESS_FIELDS, OPTIONAL_ORDER_FIELDS, order_view, product_view, to_cents, user_view


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be a JSON object.")
    return value


def _strings(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{what} must be a list of strings.")
    return list(value)


def _address(value: Any, what: str) -> dict[str, str]:
    address = _mapping(value, what)
    missing = [name for name in ADDRESS_FIELDS if name not in address]
    if missing:
        raise ValueError(f"{what} lacks {', '.join(missing)}.")
    return {name: str(address[name]) for name in ADDRESS_FIELDS}


def load_db(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    """Fill the empty store tables from a tau2 retail ``db.json`` document."""
    data = _mapping(data, "A tau2 retail database")
    products_in = _mapping(data.get("products"), "'products'")
    users_in = _mapping(data.get("users"), "'users'")
    orders_in = _mapping(data.get("orders"), "'orders'")

    products: list[dict[str, Any]] = []
    variants: list[dict[str, Any]] = []
    seen_items: set[str] = set()
    for product_id, product in products_in.items():
        product = _mapping(product, f"Product {product_id}")
        products.append({"product_id": product_id, "name": product["name"]})
        for position, (item_id, variant) in enumerate(
            _mapping(product["variants"], f"Variants of {product_id}").items()
        ):
            variant = _mapping(variant, f"Item {item_id}")
            if item_id in seen_items:
                raise ValueError(f"Item {item_id} is listed under two products.")
            seen_items.add(item_id)
            variants.append(
                {
                    "item_id": item_id,
                    "product_id": product_id,
                    "position": position,
                    "options": dict(_mapping(variant["options"], f"Options of item {item_id}")),
                    "available": bool(variant["available"]),
                    "price_cents": to_cents(variant["price"]),
                }
            )

    users: list[dict[str, Any]] = []
    methods: list[dict[str, Any]] = []
    listed: dict[str, tuple[str, int]] = {}  # order id -> (listing user, position in the list)
    for user_id, user in users_in.items():
        user = _mapping(user, f"User {user_id}")
        name = _mapping(user["name"], f"Name of user {user_id}")
        users.append(
            {
                "user_id": user_id,
                "first_name": name["first_name"],
                "last_name": name["last_name"],
                "email": user["email"],
                **_address(user["address"], f"Address of user {user_id}"),
            }
        )
        wallet = _mapping(user["payment_methods"], f"Payment methods of user {user_id}")
        for position, (method_id, method) in enumerate(wallet.items()):
            method = _mapping(method, f"Payment method {method_id}")
            source = method.get("source")
            if source not in PAYMENT_SOURCES:
                raise ValueError(f"Payment method {method_id} has unknown source {source!r}.")
            methods.append(
                {
                    "user_id": user_id,
                    "payment_method_id": method_id,
                    "position": position,
                    "source": source,
                    "brand": method["brand"] if source == "credit_card" else None,
                    "last_four": method["last_four"] if source == "credit_card" else None,
                    "balance_cents": to_cents(method["balance"]) if source == "gift_card" else None,
                }
            )
        for position, order_id in enumerate(_strings(user.get("orders", []), f"Orders of user {user_id}")):
            listed[order_id] = (user_id, position)

    orders: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    shipments: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    for order_id, order in orders_in.items():
        order = _mapping(order, f"Order {order_id}")
        owner = order["user_id"]
        if owner not in users_in:
            raise ValueError(f"Order {order_id} belongs to unknown user {owner}.")
        if order["status"] not in ORDER_STATUSES:
            raise ValueError(f"Order {order_id} has unknown status {order['status']!r}.")
        lister, position = listed.pop(order_id, (owner, None))
        if lister != owner:
            raise ValueError(f"User {lister} lists order {order_id}, which belongs to {owner}.")
        difference = order.get("exchange_price_difference")
        orders.append(
            {
                "order_id": order_id,
                "user_id": owner,
                "user_position": position,
                **_address(order["address"], f"Address of order {order_id}"),
                "status": order["status"],
                "cancel_reason": order.get("cancel_reason"),
                "exchange_items": order.get("exchange_items"),
                "exchange_new_items": order.get("exchange_new_items"),
                "exchange_payment_method_id": order.get("exchange_payment_method_id"),
                "exchange_price_difference_cents": None if difference is None else to_cents(difference),
                "return_items": order.get("return_items"),
                "return_payment_method_id": order.get("return_payment_method_id"),
            }
        )
        for index, item in enumerate(order["items"]):
            item = _mapping(item, f"An item of order {order_id}")
            lines.append(
                {
                    "order_id": order_id,
                    "position": index,
                    "item_id": item["item_id"],
                    "product_id": item["product_id"],
                    "name": item["name"],
                    "price_cents": to_cents(item["price"]),
                    "options": dict(_mapping(item["options"], f"Options of an item of order {order_id}")),
                }
            )
        for index, shipment in enumerate(order["fulfillments"]):
            shipment = _mapping(shipment, f"A fulfillment of order {order_id}")
            shipments.append(
                {
                    "order_id": order_id,
                    "position": index,
                    "tracking_id": _strings(shipment["tracking_id"], f"Tracking ids of order {order_id}"),
                    "item_ids": _strings(shipment["item_ids"], f"Fulfilled items of order {order_id}"),
                }
            )
        for index, payment in enumerate(order["payment_history"]):
            payment = _mapping(payment, f"A payment of order {order_id}")
            if payment["transaction_type"] not in TRANSACTION_TYPES:
                raise ValueError(f"Order {order_id} has a transaction of unknown type {payment['transaction_type']!r}.")
            payments.append(
                {
                    "order_id": order_id,
                    "position": index,
                    "transaction_type": payment["transaction_type"],
                    "amount_cents": to_cents(payment["amount"]),
                    "payment_method_id": payment["payment_method_id"],
                }
            )
    if listed:
        missing = next(iter(listed))
        raise ValueError(f"User {listed[missing][0]} lists order {missing}, which does not exist.")

    clock = [{"id": 1, "now": NOW}]
    tables = (clock, products, variants, users, methods, orders, lines, shipments, payments)
    for model, rows in zip(STATE_TABLES, tables, strict=True):
        bulk_insert(conn, model, rows)


def _group(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def dump_db(source: Any) -> dict[str, Any]:
    """The store's state as a tau2 retail ``db.json`` document (``source``: connection, session or database)."""
    conn = connection_of(source)
    variants = _group(fetch_rows(conn, Variant, order_by=["product_id", "position"]), "product_id")
    products = {p["product_id"]: product_view(p, variants.get(p["product_id"], [])) for p in fetch_rows(conn, Product)}

    methods = _group(fetch_rows(conn, PaymentMethod, order_by=["user_id", "position"]), "user_id")
    listed = _group(
        [o for o in fetch_rows(conn, Order, order_by=["user_id", "user_position"]) if o["user_position"] is not None],
        "user_id",
    )
    users = {
        u["user_id"]: user_view(u, methods.get(u["user_id"], []), [o["order_id"] for o in listed.get(u["user_id"], [])])
        for u in fetch_rows(conn, User)
    }

    lines = _group(fetch_rows(conn, OrderItem, order_by=["order_id", "position"]), "order_id")
    shipments = _group(fetch_rows(conn, Fulfillment, order_by=["order_id", "position"]), "order_id")
    history = _group(fetch_rows(conn, OrderPayment, order_by=["order_id", "position"]), "order_id")
    orders: dict[str, Any] = {}
    for order in fetch_rows(conn, Order):
        oid = order["order_id"]
        view: dict[str, Any] = dict(order_view(order, lines.get(oid, []), shipments.get(oid, []), history.get(oid, [])))
        for name in OPTIONAL_ORDER_FIELDS:
            if view[name] is None:
                del view[name]
        orders[oid] = view
    return {"products": products, "users": users, "orders": orders}


class Tau2Interchange:
    """Reads and writes tau2-bench's retail ``db.json`` (the environment's ``scenario_io``)."""

    def load(self, conn: sqlite3.Connection, data: dict[str, Any]) -> None:
        load_db(conn, data)

    def dump(self, source: Any) -> dict[str, Any]:
        return dump_db(source)
