"""The ``tau2`` fidelity mode: the store's tools as tau2-bench's retail tools behave.

By default this store refuses requests tau2's tools accept (an empty item list, an item exchanged for
itself, an address without a street) and keeps its books straight where tau2's code does not.
``ToolUseEnv("retail", fidelity="tau2")`` (or ``gym.make("envfactory/retail-v0", fidelity="tau2")``)
plays tau2 instead, so that a tau2 task's expected database is reached exactly and the policy is the
agent's to follow (:data:`POLICY` is in its system prompt):

* permissive where tau2 is: empty item lists (a modification then records a zero refund and still marks
  the order modified), an exchange of an item for itself, blank address fields, a transfer without a
  summary; user lookups compare the email, names and zip exactly as given (only letter case is ignored);
* tau2's accounting: a cancellation refunds every entry of the payment history, refunds included (after
  a payment change the moved amount is refunded twice to the original method and the gift card gets its
  share back once per entry); several items swapped in a pending order each get their new item id but all
  take the price and options of the last new item (tau2's bug, kept so its expected databases match); the
  price difference itself is still the true sum, charged or refunded as in the default mode;
* a transfer to a human leaves no record (tau2 has none), and like everything else it creates no id:
  tau2's retail tools never make new ids.

What tau2's tools refuse is still refused, with the default mode's messages: unknown users, orders,
products, items and payment methods; orders in the wrong status (cancel and modify items need exactly
'pending', address and payment changes any pending status, returns and exchanges 'delivered'); items not
on the order often enough, a new item of another product or out of stock, a modification to the same
item, a return to a method that is neither the original nor a gift card, a gift card that cannot cover
what it pays, and a cancellation reason other than the two allowed.

Money stays in whole cents. tau2 keeps dollars as floats and does not round a modification's price
difference, so its database can hold 3.020000000000003 where this one holds 3.02; every other amount tau2
rounds to cents itself. Both sides of a comparison here are computed the same way, so the database check
matches tau2's hash comparison except where tau2 would tell apart two float sums of the same cents (the
same four or more swaps listed in another order with the same last one).
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import CANCEL_REASONS, Order, OrderItem, User
from .tools import (
    _adjust_gift_card,
    _gift_card_covers,
    _items,
    _method,
    _order,
    _payments,
    _pending,
    _record_payment,
    _user,
    _view,
    get_user_details,
    replacement_variant,
    require_on_order,
)
from .views import ADDRESS_FIELDS, OrderView, UserView

MODE = "tau2"

POLICY = """\
You are the store's customer-service agent. The tools carry out what you ask as long as it can be done at
all; they do not check this policy. Following it is your job, and the outcome is judged on it.

Identity: first find the customer's user id from their email, or from their first and last name and zip
code, even if they tell you a user id. Then help only that customer, with as many of their requests as
they have, and decline anything about another person's account or orders. Once the customer is
identified you may tell them about their profile, their orders and the products sold.

Changes: before any change (a cancellation, a change to an order, a return, an exchange, a new default
address) list exactly what will be done and go ahead only after the customer explicitly says yes. Make
one tool call at a time and do not answer the customer in the same turn as a call. Give only information
from the customer or the tools, no guesses and no personal recommendations. Refuse requests this policy
does not allow. Transfer to a human agent only when the request is outside what these actions can do:
call the transfer tool, then tell the customer they are being transferred to a human agent.

Products: the store sells 50 product types, each in variant items with their own options (colour,
size...), stock and price. A product id and an item id are different things.

Which orders: act only on orders that are pending or delivered, and check the status first. An order's
items can be modified, or exchanged, only once, so gather every item the customer wants changed before
the call and ask them to confirm the list is complete.

Cancelling: only an order whose status is exactly 'pending', once the customer confirms the order and a
reason, which must be 'no longer needed' or 'ordered by mistake'. The order becomes cancelled and the
payment is refunded: at once to a gift card, otherwise within 5 to 7 business days.

Changing a pending order (status exactly 'pending'): only its shipping address, its payment method or
the options of its items. A new payment method must be a single one other than the current one; a gift
card must cover the whole total. The order stays pending and the old method is refunded (a gift card at
once, otherwise in 5 to 7 business days). Changing items: each item may become another available item of
the same product with different options, never a different product. The customer names a payment method
for the price difference; a gift card must cover it. Afterwards the status is 'pending (item modified)'
and the order can no longer be changed or cancelled.

Returning a delivered order: the customer confirms the order and the items; the refund goes to the
original payment method or to one of the customer's gift cards, nowhere else. The status becomes 'return
requested' and the customer gets an email on how to send the items back.

Exchanging a delivered order: each item may become another available item of the same product with
different options, never a different product; remind the customer to list every item first. The customer
names a payment method for the price difference; a gift card must cover it. The status becomes
'exchange requested', the customer gets an email on sending the items back, and no new order is needed.
"""

env.fidelity(MODE, policy=POLICY)


def _price_difference(
    ctx: ToolContext,
    items: list[dict[str, Any]],
    item_ids: list[str],
    new_item_ids: list[str],
    *,
    same_allowed: bool,
) -> tuple[list[dict[str, Any]], int]:
    """The new variants, one per listed item, and the price difference in cents, as tau2 computes it: each
    listed id is priced from the first order line with that id."""
    if len(item_ids) != len(new_item_ids):
        raise DomainError(
            f"{len(item_ids)} items are listed to change but {len(new_item_ids)} new items: give one new item per item."
        )
    variants, difference = [], 0
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
        if not same_allowed and item_id == new_item_id:
            raise DomainError(f"Item {item_id} would be replaced by itself: choose a different option.")
        line = next(i for i in items if i["item_id"] == item_id)  # there is one: require_on_order checked it
        variant = replacement_variant(ctx, line, new_item_id)
        variants.append(variant)
        difference += variant["price_cents"] - line["price_cents"]
    return variants, difference


# Each replacement takes the tool's own validated arguments (see tools.py for their types and meaning).
@env.fidelity_tool(MODE)
def find_user_id_by_email(ctx: ToolContext, **call: Any) -> str:
    """Find a customer's user id from their email address (letter case does not matter). This is the
    usual way to authenticate a customer."""
    wanted = call["email"].lower()
    for user in ctx.query("SELECT user_id, email FROM users ORDER BY rowid"):
        if user["email"].lower() == wanted:
            return str(user["user_id"])
    raise DomainError(f"No customer has the email address {call['email']}.")


@env.fidelity_tool(MODE)
def find_user_id_by_name_zip(ctx: ToolContext, **call: Any) -> str:
    """Find a customer's user id from their first and last name (letter case does not matter) and the zip
    code of their default address. Use it when the customer cannot give their email or it is not found."""
    first, last, zip_code = call["first_name"].lower(), call["last_name"].lower(), call["zip"]
    for user in ctx.query("SELECT user_id, first_name, last_name, zip FROM users ORDER BY rowid"):
        if (user["first_name"].lower(), user["last_name"].lower(), user["zip"]) == (first, last, zip_code):
            return str(user["user_id"])
    raise DomainError(f"No customer named {call['first_name']} {call['last_name']} lives in zip code {zip_code}.")


@env.fidelity_tool(MODE)
def modify_user_address(ctx: ToolContext, **call: Any) -> UserView:
    """Change a customer's default address (orders already placed keep theirs). Explain the change and get
    the customer's explicit yes before calling."""
    user = _user(ctx, call["user_id"])
    ctx.rows(User).update(user["user_id"], **{name: call[name] for name in ADDRESS_FIELDS})
    return get_user_details(ctx, user["user_id"])


@env.fidelity_tool(MODE)
def cancel_pending_order(ctx: ToolContext, **call: Any) -> OrderView:
    """Cancel a pending order (one already processed, delivered or with modified items cannot be): it
    becomes 'cancelled' and each payment of its history is refunded to the method it used, to a gift card
    at once, to a card or PayPal within 5-7 business days. Explain this and get the customer's explicit yes."""
    order = _order(ctx, call["order_id"])
    oid = order["order_id"]
    if order["status"] != "pending":
        raise DomainError(f"Order {oid} is {order['status']}; only a pending order can be cancelled.")
    if call["reason"] not in CANCEL_REASONS:
        raise DomainError("The cancellation reason must be 'no longer needed' or 'ordered by mistake'.")
    # tau2 refunds every entry as it stands, refunds included, each to a method still in the profile (a
    # missing one refuses the whole cancellation; tau2 would keep the gift card credits made before it).
    for entry in _payments(ctx, oid):
        method = _method(ctx, order["user_id"], entry["payment_method_id"])  # re-read: balances move
        _record_payment(ctx, oid, "refund", entry["amount_cents"], entry["payment_method_id"])
        _adjust_gift_card(ctx, method, entry["amount_cents"])
    ctx.rows(Order).update(oid, status="cancelled", cancel_reason=call["reason"])
    return _view(ctx, oid)


@env.fidelity_tool(MODE)
def modify_pending_order_address(ctx: ToolContext, **call: Any) -> OrderView:
    """Change where a pending order ships. Explain the change and get the customer's explicit yes."""
    order = _order(ctx, call["order_id"])
    _pending(order, "have its address changed")
    ctx.rows(Order).update(order["order_id"], **{name: call[name] for name in ADDRESS_FIELDS})
    return _view(ctx, order["order_id"])


@env.fidelity_tool(MODE)
def modify_pending_order_items(ctx: ToolContext, **call: Any) -> OrderView:
    """Swap items of a pending order for other options of the same product (in stock). The price
    difference is charged to, or refunded on, the given payment method; a gift card must cover a higher
    price. This can be done once per order, after which the order can no longer be cancelled or have items
    changed, so collect every item to change first, explain, and get an explicit yes."""
    order = _order(ctx, call["order_id"])
    oid, item_ids, new_item_ids = order["order_id"], call["item_ids"], call["new_item_ids"]
    if order["status"] != "pending":
        raise DomainError(f"Order {oid} is {order['status']}; only a pending order's items can change.")
    require_on_order(order, _items(ctx, oid), item_ids)
    variants, difference = _price_difference(ctx, _items(ctx, oid), item_ids, new_item_ids, same_allowed=False)
    method = _method(ctx, order["user_id"], call["payment_method_id"])
    _gift_card_covers(method, difference, "the price difference")
    kind = "payment" if difference > 0 else "refund"
    _record_payment(ctx, oid, kind, abs(difference), method["payment_method_id"])
    _adjust_gift_card(ctx, method, -difference)
    if variants:
        last = variants[-1]  # tau2 gives every changed line the last new item's price and options
        for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
            # The first line with this id now: an earlier swap in the list may have renamed a line to it.
            line = next(i for i in _items(ctx, oid) if i["item_id"] == item_id)
            ctx.rows(OrderItem).update(
                (oid, line["position"]), item_id=new_item_id, price_cents=last["price_cents"], options=last["options"]
            )
    ctx.rows(Order).update(oid, status="pending (item modified)")
    return _view(ctx, oid)


@env.fidelity_tool(MODE)
def return_delivered_order_items(ctx: ToolContext, **call: Any) -> OrderView:
    """Request the return of items of a delivered order (once per order): the order becomes 'return
    requested' and the customer gets an email on how to send the items back. The refund goes to the
    original payment method or to one of the customer's gift cards. Explain and get an explicit yes."""
    order = _order(ctx, call["order_id"])
    oid, item_ids = order["order_id"], call["item_ids"]
    if order["status"] != "delivered":
        raise DomainError(f"Order {oid} is {order['status']}; only a delivered order can be returned.")
    method = _method(ctx, order["user_id"], call["payment_method_id"])
    history = _payments(ctx, oid)
    original = history[0]["payment_method_id"] if history else None
    if method["source"] != "gift_card" and method["payment_method_id"] != original:
        raise DomainError(
            f"A refund for order {oid} can only go to its original payment method ({original}) or to a gift card."
        )
    require_on_order(order, _items(ctx, oid), item_ids)
    ctx.rows(Order).update(
        oid,
        status="return requested",
        return_items=sorted(item_ids),
        return_payment_method_id=method["payment_method_id"],
    )
    return _view(ctx, oid)


@env.fidelity_tool(MODE)
def exchange_delivered_order_items(ctx: ToolContext, **call: Any) -> OrderView:
    """Request an exchange of items of a delivered order for other options of the same product (in stock),
    once per order: the order becomes 'exchange requested' and the customer gets an email on how to send
    the items back; no new order is needed. The price difference is paid with, or refunded to, the given
    payment method; a gift card must cover a higher price. Collect every item first, explain, get a yes."""
    order = _order(ctx, call["order_id"])
    oid, item_ids, new_item_ids = order["order_id"], call["item_ids"], call["new_item_ids"]
    if order["status"] != "delivered":
        raise DomainError(f"Order {oid} is {order['status']}; only a delivered order can be exchanged.")
    require_on_order(order, _items(ctx, oid), item_ids)
    _, difference = _price_difference(ctx, _items(ctx, oid), item_ids, new_item_ids, same_allowed=True)
    method = _method(ctx, order["user_id"], call["payment_method_id"])
    _gift_card_covers(method, difference, "the price difference")
    ctx.rows(Order).update(
        oid,
        status="exchange requested",
        exchange_items=sorted(item_ids),
        exchange_new_items=sorted(new_item_ids),
        exchange_payment_method_id=method["payment_method_id"],
        exchange_price_difference_cents=difference,
    )
    return _view(ctx, oid)


@env.fidelity_tool(MODE)
def transfer_to_human_agents(ctx: ToolContext, **call: Any) -> str:
    """Hand the conversation to a human agent with a summary of the customer's issue. Only transfer when
    the customer explicitly asks for a human, or when their request cannot be handled with these tools
    under the store's policy."""
    del ctx, call  # tau2 keeps no record of a transfer: the database is unchanged
    return "Transfer successful"
