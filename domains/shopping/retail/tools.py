"""The tools an agent calls (the store's customer-service API, as tau2-bench retail's).

Names, parameters and answers are tau2's: orders, users, products and items come back as its models
serialize them (see :mod:`.views`), user lookups and the catalogue listing as text. The store's rules are
enforced here and refused with a message a person understands: only a pending order can be cancelled or
changed (its items once), only a delivered one returned or exchanged (once), an exchange or modification
stays within the same product, a gift card must cover what it pays, and a return's refund goes to the
original payment method or a gift card.

Where tau2's own code would corrupt the books or accept a meaningless request, this store does not (the
``tau2`` fidelity mode, :mod:`.fidelity`, reproduces tau2 here): swapping several items of a pending
order gives each its own new price and options (tau2 copies the last new item's onto all of them);
cancelling an order whose payment was moved refunds what each method still holds (tau2 refunds every
history entry, refunds included); an empty item list, an item exchanged for itself and an address without
street, city, state, country or zip are refused. Everything else, including tau2's zero-amount 'refund'
entry when a swap costs the same, follows tau2.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from envfactory_gym import arithmetic
from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    CANCEL_REASONS,
    Fulfillment,
    Handoff,
    Order,
    OrderItem,
    OrderPayment,
    PaymentMethod,
    Product,
    User,
    Variant,
)
from .views import (
    ADDRESS_FIELDS,
    OrderView,
    ProductView,
    UserView,
    VariantView,
    order_view,
    product_view,
    user_view,
    variant_view,
)

ORDER_ID_HINT = "Order ids look like '#W0000000', with the '#' at the start."

# --------------------------------------------------------------------------------------------------
# Lookups shared by the tools
# --------------------------------------------------------------------------------------------------


def _order(ctx: ToolContext, order_id: str) -> dict[str, Any]:
    return ctx.rows(Order).require(order_id, missing=f"There is no order {order_id}. {ORDER_ID_HINT}")


def _user(ctx: ToolContext, user_id: str) -> dict[str, Any]:
    return ctx.rows(User).require(user_id, missing=f"There is no customer with user id {user_id}.")


def _method(ctx: ToolContext, user_id: str, payment_method_id: str) -> dict[str, Any]:
    return ctx.rows(PaymentMethod).require(
        user_id,
        payment_method_id,
        missing=f"Customer {user_id} has no payment method {payment_method_id} in their profile.",
    )


def _items(ctx: ToolContext, order_id: str) -> list[dict[str, Any]]:
    return ctx.rows(OrderItem).find({"order_id": order_id}, order_by="position")


def _payments(ctx: ToolContext, order_id: str) -> list[dict[str, Any]]:
    return ctx.rows(OrderPayment).find({"order_id": order_id}, order_by="position")


def _view(ctx: ToolContext, order_id: str) -> OrderView:
    return order_view(
        _order(ctx, order_id),
        _items(ctx, order_id),
        ctx.rows(Fulfillment).find({"order_id": order_id}, order_by="position"),
        _payments(ctx, order_id),
    )


def _record_payment(ctx: ToolContext, order_id: str, kind: str, amount_cents: int, payment_method_id: str) -> None:
    position = ctx.rows(OrderPayment).count({"order_id": order_id})
    ctx.rows(OrderPayment).add(
        order_id=order_id,
        position=position,
        transaction_type=kind,
        amount_cents=amount_cents,
        payment_method_id=payment_method_id,
    )


def _adjust_gift_card(ctx: ToolContext, method: dict[str, Any], change_cents: int) -> None:
    if method["source"] == "gift_card":
        ctx.rows(PaymentMethod).update(
            (method["user_id"], method["payment_method_id"]),
            balance_cents=(method["balance_cents"] or 0) + change_cents,
        )


def _require_listed(order: dict[str, Any], items: list[dict[str, Any]], item_ids: list[str]) -> None:
    """``item_ids`` is not empty and every id in it is on the order at least as many times as it is listed."""
    if not item_ids:
        raise DomainError("Name at least one item of the order.")
    require_on_order(order, items, item_ids)


def require_on_order(order: dict[str, Any], items: list[dict[str, Any]], item_ids: list[str]) -> None:
    """Every id in ``item_ids`` is on the order at least as many times as it is listed (tau2's own check)."""
    on_order = Counter(i["item_id"] for i in items)
    for item_id, wanted in Counter(item_ids).items():
        if wanted > on_order[item_id]:
            have = on_order[item_id]
            raise DomainError(
                f"Order {order['order_id']} has {have} of item {item_id}, fewer than the {wanted} listed."
                if have
                else f"Item {item_id} is not part of order {order['order_id']}."
            )


def _replacements(
    ctx: ToolContext, order: dict[str, Any], items: list[dict[str, Any]], item_ids: list[str], new_item_ids: list[str]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], int]:
    """Pair each listed order line with its new variant (same product, in stock, different) and sum the
    price difference in cents (positive: the customer pays more)."""
    _require_listed(order, items, item_ids)
    if len(item_ids) != len(new_item_ids):
        raise DomainError(
            f"{len(item_ids)} items are listed to change but {len(new_item_ids)} new items: give one new item per item."
        )
    used: set[int] = set()
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    difference = 0
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
        if item_id == new_item_id:
            raise DomainError(f"Item {item_id} would be replaced by itself: choose a different option.")
        line = next(i for i in items if i["item_id"] == item_id and i["position"] not in used)
        used.add(line["position"])
        variant = replacement_variant(ctx, line, new_item_id)
        pairs.append((line, variant))
        difference += variant["price_cents"] - line["price_cents"]
    return pairs, difference


def replacement_variant(ctx: ToolContext, line: dict[str, Any], new_item_id: str) -> dict[str, Any]:
    """The variant ``new_item_id`` that order line ``line`` may become: an in-stock option of its product."""
    product = ctx.rows(Product).require(line["product_id"], missing=f"Product {line['product_id']} is not sold.")
    variant = ctx.rows(Variant).get(new_item_id)
    if variant is None or variant["product_id"] != line["product_id"]:
        raise DomainError(
            f"Item {new_item_id} is not a variant of the {product['name']} (product {product['product_id']}); "
            "an item can only be swapped for another option of the same product."
        )
    if not variant["available"]:
        raise DomainError(f"Item {new_item_id} of the {product['name']} is out of stock.")
    return variant


def _gift_card_covers(method: dict[str, Any], amount_cents: int, what: str) -> None:
    if method["source"] == "gift_card" and (method["balance_cents"] or 0) < amount_cents:
        balance = (method["balance_cents"] or 0) / 100
        raise DomainError(
            f"Gift card {method['payment_method_id']} has ${balance:.2f} left, not enough to pay {what} "
            f"(${amount_cents / 100:.2f})."
        )


def _check_address(**fields: str) -> dict[str, str]:
    for name in ("address1", "city", "state", "country", "zip"):
        if not fields[name].strip():
            raise DomainError(f"The address needs a {name.replace('address1', 'street address')}.")
    return {name: fields[name] for name in ADDRESS_FIELDS}


def _pending(order: dict[str, Any], action: str) -> None:
    """Address and payment changes accept any pending order, items modified or not."""
    if "pending" not in order["status"]:
        raise DomainError(f"Order {order['order_id']} is {order['status']}; only a pending order can {action}.")


# --------------------------------------------------------------------------------------------------
# Tools: finding the customer
# --------------------------------------------------------------------------------------------------


@env.read(intents=["my email is {email}", "find my account, the email is {email}"])
def find_user_id_by_email(ctx: ToolContext, email: str) -> str:
    """Find a customer's user id from their email address (letter case does not matter). This is the
    usual way to authenticate a customer.

    Args:
        email: The customer's email address, such as 'jane.doe1234@example.com'.
    """
    rows = ctx.query("SELECT user_id FROM users WHERE lower(email) = lower(?) ORDER BY rowid LIMIT 1", (email.strip(),))
    if not rows:
        raise DomainError(f"No customer has the email address {email}.")
    return str(rows[0]["user_id"])


@env.read(
    intents=[
        "I'm {first_name} {last_name}, zip code {zip}",
        "find my account: {first_name} {last_name}, {zip}",
    ]
)
def find_user_id_by_name_zip(ctx: ToolContext, first_name: str, last_name: str, zip: str) -> str:
    """Find a customer's user id from their first and last name (letter case does not matter) and the zip
    code of their default address. Use it when the customer cannot give their email or it is not found.

    Args:
        first_name: The customer's first name, such as 'Jane'.
        last_name: The customer's last name, such as 'Doe'.
        zip: The zip code of the customer's address, such as '94105'.
    """
    rows = ctx.query(
        "SELECT user_id FROM users WHERE lower(first_name) = lower(?) AND lower(last_name) = lower(?) AND zip = ? "
        "ORDER BY rowid LIMIT 1",
        (first_name.strip(), last_name.strip(), zip.strip()),
    )
    if not rows:
        raise DomainError(f"No customer named {first_name} {last_name} lives in zip code {zip}.")
    return str(rows[0]["user_id"])


@env.read(intents=["show my profile, user {user_id}", "what payment methods do I have? I'm {user_id}"])
def get_user_details(ctx: ToolContext, user_id: str) -> UserView:
    """Look up a customer's profile: name, default address, email, saved payment methods (credit cards,
    PayPal, gift cards with their balance) and the ids of their orders.

    Args:
        user_id: The customer's user id, such as 'jane_doe_1234'.
    """
    user = _user(ctx, user_id)
    methods = ctx.rows(PaymentMethod).find({"user_id": user["user_id"]}, order_by="position")
    orders = ctx.query(
        "SELECT order_id FROM orders WHERE user_id = ? AND user_position IS NOT NULL ORDER BY user_position",
        (user["user_id"],),
    )
    return user_view(user, methods, [o["order_id"] for o in orders])


@env.write(
    intents=[
        "I moved: my new address is {address1}, {address2}, {city}, {state} {zip}",
        "change my default address to {address1} {address2}, {city}, {state} {zip}, {country}",
    ]
)
def modify_user_address(
    ctx: ToolContext, user_id: str, address1: str, address2: str, city: str, state: str, country: str, zip: str
) -> UserView:
    """Change a customer's default address (orders already placed keep theirs). Explain the change and get
    the customer's explicit yes before calling.

    Args:
        user_id: The customer's user id, such as 'jane_doe_1234'.
        address1: The street address, such as '123 Main St'.
        address2: The apartment or suite, such as 'Apt 1', or '' for none.
        city: The city, such as 'San Francisco'.
        state: The state, such as 'CA'.
        country: The country, such as 'USA'.
        zip: The zip code, such as '94105'.
    """
    user = _user(ctx, user_id)
    fields = _check_address(address1=address1, address2=address2, city=city, state=state, country=country, zip=zip)
    ctx.rows(User).update(user["user_id"], **fields)
    return get_user_details(ctx, user["user_id"])


# --------------------------------------------------------------------------------------------------
# Tools: the catalogue
# --------------------------------------------------------------------------------------------------


@env.read(intents=["what kinds of products do you sell?", "list everything the store carries"])
def list_all_product_types(ctx: ToolContext) -> str:
    """List every product type the store sells (about fifty) as a JSON object from product name to product
    id, sorted by name. Each product comes in variant items with their own item ids and options.
    """
    names: dict[str, str] = {}
    for product in ctx.query("SELECT product_id, name FROM products ORDER BY rowid"):
        names[product["name"]] = product["product_id"]
    return json.dumps(names, sort_keys=True)


@env.read(intents=["which options of product {product_id} are in stock?", "what does product {product_id} cost?"])
def get_product_details(ctx: ToolContext, product_id: str) -> ProductView:
    """Look up a product type and all its variant items: each item's options, whether it is in stock and
    its price. A product id is not an item id.

    Args:
        product_id: The product id, such as '6086499569'.
    """
    product = ctx.rows(Product).require(product_id, missing=f"There is no product {product_id}.")
    variants = ctx.rows(Variant).find({"product_id": product["product_id"]}, order_by="position")
    return product_view(product, variants)


@env.read(intents=["is item {item_id} in stock?", "what are the options and price of item {item_id}?"])
def get_item_details(ctx: ToolContext, item_id: str) -> VariantView:
    """Look up one variant item: its options, whether it is in stock and its price. An item id is not a
    product id.

    Args:
        item_id: The item id, such as '1008292230'.
    """
    return variant_view(ctx.rows(Variant).require(item_id, missing=f"There is no item {item_id}."))


# --------------------------------------------------------------------------------------------------
# Tools: orders
# --------------------------------------------------------------------------------------------------


@env.read(intents=["what's the status of my order {order_id}?", "where is my order {order_id}?"])
def get_order_details(ctx: ToolContext, order_id: str) -> OrderView:
    """Look up an order: shipping address, items (with the price paid and options), status, shipments
    with their tracking ids, payment history, and what has been requested on it (cancellation reason,
    exchange, return).

    Args:
        order_id: The order id, such as '#W0000000' (it starts with '#').
    """
    return _view(ctx, order_id)


@env.write(
    intents=[
        "cancel my order {order_id}, the reason: {reason}",
        "I don't want order {order_id} any more ({reason})",
    ]
)
def cancel_pending_order(ctx: ToolContext, order_id: str, reason: str) -> OrderView:
    """Cancel a pending order (one already processed, delivered or with modified items cannot be). The
    order becomes 'cancelled' and what was paid is refunded to the payment methods used: to a gift card at
    once, to a card or PayPal within 5-7 business days. Explain this and get the customer's explicit yes.

    Args:
        order_id: The order id, such as '#W0000000' (it starts with '#').
        reason: Why the customer cancels: 'no longer needed' or 'ordered by mistake'.
    """
    order = _order(ctx, order_id)
    if order["status"] == "pending (item modified)":
        raise DomainError(f"Order {order['order_id']} has had its items modified and can no longer be cancelled.")
    if order["status"] != "pending":
        raise DomainError(f"Order {order['order_id']} is {order['status']}; only a pending order can be cancelled.")
    if reason not in CANCEL_REASONS:
        raise DomainError("The cancellation reason must be 'no longer needed' or 'ordered by mistake'.")
    # What each payment method still holds of the order (payments less refunds) goes back to it.
    net: dict[str, int] = {}
    for payment in _payments(ctx, order["order_id"]):
        sign = 1 if payment["transaction_type"] == "payment" else -1
        net[payment["payment_method_id"]] = net.get(payment["payment_method_id"], 0) + sign * payment["amount_cents"]
    for payment_method_id, amount in net.items():
        if amount > 0:
            _record_payment(ctx, order["order_id"], "refund", amount, payment_method_id)
            method = ctx.rows(PaymentMethod).get(order["user_id"], payment_method_id)
            if method is not None:
                _adjust_gift_card(ctx, method, amount)
    ctx.rows(Order).update(order["order_id"], status="cancelled", cancel_reason=reason)
    return _view(ctx, order["order_id"])


@env.write(
    intents=[
        "ship my order {order_id} to {address1}, {address2}, {city}, {state} {zip} instead",
        "change the delivery address of {order_id} to {address1} {address2}, {city}, {state} {zip}, {country}",
    ]
)
def modify_pending_order_address(
    ctx: ToolContext, order_id: str, address1: str, address2: str, city: str, state: str, country: str, zip: str
) -> OrderView:
    """Change where a pending order ships. Explain the change and get the customer's explicit yes.

    Args:
        order_id: The order id, such as '#W0000000' (it starts with '#').
        address1: The street address, such as '123 Main St'.
        address2: The apartment or suite, such as 'Apt 1', or '' for none.
        city: The city, such as 'San Francisco'.
        state: The state, such as 'CA'.
        country: The country, such as 'USA'.
        zip: The zip code, such as '94105'.
    """
    order = _order(ctx, order_id)
    _pending(order, "have its address changed")
    fields = _check_address(address1=address1, address2=address2, city=city, state=state, country=country, zip=zip)
    ctx.rows(Order).update(order["order_id"], **fields)
    return _view(ctx, order["order_id"])


@env.write(
    intents=[
        "pay for order {order_id} with {payment_method_id} instead",
        "switch the payment of my order {order_id} to {payment_method_id}",
    ]
)
def modify_pending_order_payment(ctx: ToolContext, order_id: str, payment_method_id: str) -> OrderView:
    """Move a pending order's payment to another of the customer's payment methods: the new one is charged
    the order total and the original refunded (a gift card at once, a card or PayPal in 5-7 business days).
    A gift card must cover the whole total. Explain this and get the customer's explicit yes.

    Args:
        order_id: The order id, such as '#W0000000' (it starts with '#').
        payment_method_id: The new payment method's id, such as 'gift_card_0000000' or
            'credit_card_0000000', from the customer's profile.
    """
    order = _order(ctx, order_id)
    _pending(order, "have its payment changed")
    method = _method(ctx, order["user_id"], payment_method_id)
    history = _payments(ctx, order["order_id"])
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        raise DomainError(
            f"Order {order['order_id']} has {len(history)} transactions; its payment method can only be changed "
            "while it has exactly one payment."
        )
    original = history[0]
    if original["payment_method_id"] == payment_method_id:
        raise DomainError(f"Order {order['order_id']} is already paid with {payment_method_id}.")
    amount = original["amount_cents"]
    _gift_card_covers(method, amount, "the order total")
    _record_payment(ctx, order["order_id"], "payment", amount, payment_method_id)
    _record_payment(ctx, order["order_id"], "refund", amount, original["payment_method_id"])
    _adjust_gift_card(ctx, method, -amount)
    old = ctx.rows(PaymentMethod).get(order["user_id"], original["payment_method_id"])
    if old is not None:
        _adjust_gift_card(ctx, old, amount)
    return _view(ctx, order["order_id"])


@env.write(
    intents=[
        "in order {order_id}, swap items {item_ids} for {new_item_ids}, settle the difference on {payment_method_id}",
        "change the options of {item_ids} in my pending order {order_id}",
    ]
)
def modify_pending_order_items(
    ctx: ToolContext, order_id: str, item_ids: list[str], new_item_ids: list[str], payment_method_id: str
) -> OrderView:
    """Swap items of a pending order for other options of the same product (a different size or colour,
    in stock). The price difference is charged to, or refunded on, the given payment method; a gift card
    must cover a higher price. This can be done once per order, after which the order can no longer be
    cancelled or have items changed, so collect every item to change first, explain, and get an explicit yes.

    Args:
        order_id: The order id, such as '#W0000000' (it starts with '#').
        item_ids: The item ids to change, such as ['1008292230']; an id appears twice to change two units.
        new_item_ids: The new item ids, one per entry of item_ids in the same order, each a variant of the
            same product as the item it replaces.
        payment_method_id: The payment method that pays or receives the price difference, such as
            'gift_card_0000000' or 'credit_card_0000000'.
    """
    order = _order(ctx, order_id)
    if order["status"] == "pending (item modified)":
        raise DomainError(f"The items of order {order['order_id']} have already been modified once.")
    if order["status"] != "pending":
        raise DomainError(f"Order {order['order_id']} is {order['status']}; only a pending order's items can change.")
    items = _items(ctx, order["order_id"])
    pairs, difference = _replacements(ctx, order, items, item_ids, new_item_ids)
    method = _method(ctx, order["user_id"], payment_method_id)
    _gift_card_covers(method, difference, "the price difference")
    _record_payment(
        ctx, order["order_id"], "payment" if difference > 0 else "refund", abs(difference), payment_method_id
    )
    _adjust_gift_card(ctx, method, -difference)
    for line, variant in pairs:
        ctx.rows(OrderItem).update(
            (order["order_id"], line["position"]),
            item_id=variant["item_id"],
            price_cents=variant["price_cents"],
            options=variant["options"],
        )
    ctx.rows(Order).update(order["order_id"], status="pending (item modified)")
    return _view(ctx, order["order_id"])


@env.write(
    intents=[
        "return items {item_ids} from my order {order_id}, refund to {payment_method_id}",
        "I want to send back {item_ids} from order {order_id}",
    ]
)
def return_delivered_order_items(
    ctx: ToolContext, order_id: str, item_ids: list[str], payment_method_id: str
) -> OrderView:
    """Request the return of items of a delivered order (once per order): the order becomes 'return
    requested' and the customer gets an email on how to send the items back. The refund goes to the
    original payment method or to one of the customer's gift cards. Explain and get an explicit yes.

    Args:
        order_id: The order id, such as '#W0000000' (it starts with '#').
        item_ids: The item ids to return, such as ['1008292230']; an id appears twice to return two units.
        payment_method_id: Where the refund goes: the order's original payment method or a gift card,
            such as 'gift_card_0000000'.
    """
    order = _order(ctx, order_id)
    if order["status"] != "delivered":
        raise DomainError(f"Order {order['order_id']} is {order['status']}; only a delivered order can be returned.")
    method = _method(ctx, order["user_id"], payment_method_id)
    history = _payments(ctx, order["order_id"])
    original = history[0]["payment_method_id"] if history else None
    if method["source"] != "gift_card" and payment_method_id != original:
        raise DomainError(
            f"A refund for order {order['order_id']} can only go to its original payment method ({original}) "
            "or to a gift card."
        )
    _require_listed(order, _items(ctx, order["order_id"]), item_ids)
    ctx.rows(Order).update(
        order["order_id"],
        status="return requested",
        return_items=sorted(item_ids),
        return_payment_method_id=payment_method_id,
    )
    return _view(ctx, order["order_id"])


@env.write(
    intents=[
        "exchange items {item_ids} of my order {order_id} for {new_item_ids}",
        "the {item_ids} from order {order_id} doesn't fit, I want {new_item_ids} instead",
    ]
)
def exchange_delivered_order_items(
    ctx: ToolContext, order_id: str, item_ids: list[str], new_item_ids: list[str], payment_method_id: str
) -> OrderView:
    """Request an exchange of items of a delivered order for other options of the same product (in stock),
    once per order: the order becomes 'exchange requested' and the customer gets an email on how to send
    the items back; no new order is needed. The price difference is paid with, or refunded to, the given
    payment method; a gift card must cover a higher price. Collect every item first, explain, get a yes.

    Args:
        order_id: The order id, such as '#W0000000' (it starts with '#').
        item_ids: The item ids to exchange, such as ['1008292230']; an id appears twice for two units.
        new_item_ids: The new item ids, one per entry of item_ids in the same order, each a variant of the
            same product as the item it replaces.
        payment_method_id: The payment method that pays or receives the price difference, such as
            'gift_card_0000000' or 'credit_card_0000000'.
    """
    order = _order(ctx, order_id)
    if order["status"] != "delivered":
        raise DomainError(f"Order {order['order_id']} is {order['status']}; only a delivered order can be exchanged.")
    _, difference = _replacements(ctx, order, _items(ctx, order["order_id"]), item_ids, new_item_ids)
    method = _method(ctx, order["user_id"], payment_method_id)
    _gift_card_covers(method, difference, "the price difference")
    ctx.rows(Order).update(
        order["order_id"],
        status="exchange requested",
        exchange_items=sorted(item_ids),
        exchange_new_items=sorted(new_item_ids),
        exchange_payment_method_id=payment_method_id,
        exchange_price_difference_cents=difference,
    )
    return _view(ctx, order["order_id"])


# --------------------------------------------------------------------------------------------------
# Tools: generic
# --------------------------------------------------------------------------------------------------


@env.read(intents=["what is {expression}?", "can you add this up for me: {expression}"])
def calculate(ctx: ToolContext, expression: str) -> str:
    """Evaluate an arithmetic expression and return the result rounded to two decimals, such as a refund
    total or a price difference.

    Args:
        expression: The arithmetic to evaluate, such as '(49.99 + 12.5) * 2'. Only numbers, +, -, *, /,
            parentheses and spaces are allowed.
    """
    return arithmetic.calculate(expression)


@env.write(
    intents=["I want to talk to a human about {summary}", "please get me a real person: {summary}"],
    terminal=True,
)
def transfer_to_human_agents(ctx: ToolContext, summary: str) -> str:
    """Hand the conversation to a human agent with a summary of the customer's issue. Only transfer when
    the customer explicitly asks for a human, or when their request cannot be handled with these tools
    under the store's policy.

    Args:
        summary: A short summary of the customer's issue and what has been done so far.
    """
    if not summary.strip():
        raise DomainError("Give the human agent a short summary of the customer's issue.")
    ctx.rows(Handoff).insert(handoff_id=ctx.new_id(), summary=summary.strip(), created_at=ctx.now.isoformat())
    return "Transfer successful"
