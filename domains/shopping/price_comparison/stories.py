"""Price-tracker stories: one shopper, one storyline each.

They cover what people use a price tracker for: where a product is cheapest once coupons and shipping are
counted (and with their member prices), whether it was cheaper in the last 90 days and when, the lowest price
over "the past year" (the tracker keeps 180 days), whether the price is rising or falling, whether now is a
good time to buy, which coupon to use and which one is coming, which of two models is cheaper, saving a
comparison, setting a price alert (refused when the target is not below today's price or the free plan is
full) or one on whichever shop is cheapest, lowering, re-arming and re-routing alerts, asking which alerts
went off and clearing them, deleting a comparison and reporting a wrong price. People name products and
platforms ("JD", "Pinduoduo") and speak amounts in yuan ("¥2,499"), never product or listing ids.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .pricing import nice_price

ENV = "price_comparison"
PLATFORM_WORDS = {
    "jd": ("JD", "JD.com"),
    "tmall": ("Tmall",),
    "taobao": ("Taobao",),
    "pdd": ("Pinduoduo",),
    "suning": ("Suning",),
}
MEMBERSHIPS = "I'm a JD PLUS member and I have 88VIP, so member prices count for me."
COMPARISON_NAMES = {
    "electronics": ("Gift for Dad", "Tech upgrade", "Before Double 12"),
    "appliances": ("Kitchen shortlist", "New flat", "Before Double 12"),
    "beauty": ("Skincare", "Gift for Mum"),
    "groceries": ("Pantry", "Office snacks", "New Year stock-up"),
}
LISTED = (
    "SELECT l.*, p.name, p.category, p.subcategory FROM listings l JOIN products p ON p.pid = l.pid "
    "WHERE (SELECT COUNT(*) FROM listings x WHERE x.pid = l.pid) >= 2"
)


def _yuan(amount: float) -> str:
    return speech.money(amount, "¥")


def _platform(s: StoryContext, code: str) -> str:
    return s.rng.choice(PLATFORM_WORDS[code])


def _account(s: StoryContext, user_id: str) -> str:
    s.person(ENV, s.say(user_id))
    return speech.choose(
        s.rng, f"My tracker account is {user_id}.", f"My account number is {user_id}.", f"I'm {user_id} on here."
    )


def _find(s: StoryContext, name: str) -> dict[str, Any]:
    """The product the person names, found by searching its full name."""
    page = s.call("search_products", keyword=s.say(name))
    found = next((p for p in page["products"] if p["name"] == name), None)
    if found is None:
        s.reject("not on the first page of results")
    return found


def _listing(s: StoryContext, row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The person's product on one platform (as they name the platform): search, then the product's listings."""
    product = _find(s, row["name"])
    details = s.call("get_pid_pos_details", pid=product["pid"])
    return _platform(s, row["platform"]), next(p for p in details["positions"] if p["platform"] == row["platform"])


def _target_below(s: StoryContext, price: float) -> float:
    """A round price a person would wait for, some way under today's."""
    target = nice_price(price * s.rng.uniform(0.82, 0.95))
    return float(round(target)) if target >= 100 else target


# --------------------------------------------------------------------------------------------------
# Where is it cheapest
# --------------------------------------------------------------------------------------------------


@story(ENV)
def cheapest_all_in(s: StoryContext) -> str:
    """Where a product costs least today once shipping and the best coupon are counted, and how much."""
    product = s.pick(
        "SELECT p.* FROM products p WHERE (SELECT COUNT(*) FROM listings l WHERE l.pid = p.pid AND l.in_stock = 1) >= 3"
    )
    found = _find(s, product["name"])
    comparison = s.call("compare_price", pid=found["pid"])
    offers = [o for o in comparison["offers"] if o["in_stock"]]
    if len(offers) > 1 and offers[0]["effective_price"] == offers[1]["effective_price"]:
        s.reject("tie for the cheapest")
    s.fact(offers[0]["platform_name"])
    s.fact(offers[0]["effective_price"])
    s.context(product["name"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I want to buy the {product['name']}.",
            f"I've decided on the {product['name']}.",
        ),
        speech.choose(
            s.rng,
            "Where is it cheapest right now once coupons and shipping are counted, and what would I pay there?",
            "Which platform has it cheapest today after shipping and any coupon, and what's the final price?",
        ),
    )


@story(ENV, implicit=True, weight=0.7)
def cheapest_for_a_member(s: StoryContext) -> str:
    """A shopper with JD PLUS and 88VIP: the member prices change where the product is cheapest."""
    product = s.pick(
        "SELECT p.* FROM products p WHERE EXISTS (SELECT 1 FROM listings l WHERE l.pid = p.pid AND "
        "l.member_price_fen IS NOT NULL AND l.in_stock = 1)"
    )
    plain = s.peek("compare_price", pid=product["pid"])
    found = _find(s, product["name"])
    comparison = s.call("compare_price", pid=found["pid"], member=s.imply(True))
    offers = [o for o in comparison["offers"] if o["in_stock"]]
    if len(offers) > 1 and offers[0]["effective_price"] == offers[1]["effective_price"]:
        s.reject("tie for the cheapest")
    if plain["cheapest_effective_price"] == comparison["cheapest_effective_price"]:
        s.reject("membership changes nothing")
    s.fact(offers[0]["platform_name"])
    s.fact(offers[0]["effective_price"])
    s.context(product["name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm getting the {product['name']}.",
        MEMBERSHIPS,
        "Where would it cost me the least, shipping and coupons included, and how much is that?",
    )


@story(ENV, weight=0.8)
def which_model_is_cheaper(s: StoryContext) -> str:
    """Two models of the same kind: which one costs less today at its cheapest shop, and both prices."""
    group = s.pick("SELECT subcategory FROM products GROUP BY subcategory HAVING COUNT(*) >= 3")["subcategory"]
    pair = s.sample(
        "SELECT p.* FROM products p WHERE p.subcategory = ? AND (SELECT COUNT(*) FROM listings l WHERE l.pid = p.pid "
        "AND l.in_stock = 1) >= 2",
        2,
        (group,),
    )
    if pair[0]["brand"] == pair[1]["brand"] and pair[0]["name"].split()[:2] == pair[1]["name"].split()[:2]:
        s.reject("two variants of one model")
    prices = []
    for product in pair:
        found = _find(s, product["name"])
        comparison = s.call("compare_price", pid=found["pid"])
        prices.append(comparison["cheapest_effective_price"])
    if None in prices or prices[0] == prices[1]:
        s.reject("no clear winner")
    s.fact(min(prices))
    s.fact(round(abs(prices[0] - prices[1]), 2), derived=True)
    s.context(pair[0]["name"], pair[1]["name"], max(prices))
    return speech.sentence(
        speech.opening(s.rng),
        f"I can't decide between the {pair[0]['name']} and the {pair[1]['name']}.",
        "Taking each at the shop where it's cheapest right now, coupons and shipping included, which one costs "
        "less, what does it come to, and how much do I save compared with the other one?",
    )


# --------------------------------------------------------------------------------------------------
# History, trend, timing, coupons
# --------------------------------------------------------------------------------------------------


@story(ENV)
def lower_in_last_90_days(s: StoryContext) -> str:
    """Was a listing cheaper in the last 90 days than today: its lowest price and the days it held."""
    row = s.pick(LISTED)
    name, listing = _listing(s, row)
    history = s.call("get_price_history", pos_id=listing["pos_id"], days=s.say(90, "90 days"))
    if len(history["lowest_periods"]) != 1 or history["lowest_price"] >= history["current_price"]:
        s.reject("no single lower period")
    period = history["lowest_periods"][0]
    s.fact(history["lowest_price"])
    s.fact(period["from_date"])
    s.fact(period["to_date"])
    s.context(row["name"], name)
    return speech.sentence(
        speech.opening(s.rng),
        f"The {row['name']} is {_yuan(listing['price'])} on {name} today.",
        speech.choose(
            s.rng,
            "Has it been cheaper there in the last 90 days? What was the lowest price and when was it that low?",
            "Was it ever lower on there in the last 90 days? Tell me the lowest price and the dates it lasted.",
        ),
    )


@story(ENV, implicit=True, weight=0.6)
def lowest_in_a_year(s: StoryContext) -> str:
    """Asked about a whole year: the tracker keeps 180 days, so the answer is the half-year low and when it was."""
    row = s.pick(LISTED)
    name, listing = _listing(s, row)
    history = s.call("get_price_history", pos_id=listing["pos_id"], days=s.imply(180))
    if len(history["lowest_periods"]) != 1:
        s.reject("several lowest periods")
    period = history["lowest_periods"][0]
    s.fact(history["lowest_price"])
    s.fact(period["from_date"])
    s.context(row["name"], name, period["to_date"], history["from_date"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Before I buy the {row['name']} on {name}, I'd like to know the lowest price it has sold for there over the "
        "past year, and when that was.",
    )


@story(ENV, weight=0.8)
def is_the_price_falling(s: StoryContext) -> str:
    """Is a listing's price rising, falling or stable over a recent period, and from what price."""
    row = s.pick(LISTED)
    days, phrase = s.rng.choice(((7, "past week"), (14, "last two weeks"), (30, "last 30 days")))
    name, listing = _listing(s, row)
    trend = s.call("price_trend", pos_id=listing["pos_id"], days=s.say(days, phrase))
    if trend["start_price"] == trend["current_price"] and trend["trend"] != "stable":
        s.reject("inconsistent")
    s.fact(trend["trend"])
    s.fact(trend["start_price"])
    s.context(row["name"], name, trend["current_price"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm keeping an eye on the {row['name']} on {name}.",
        f"Has its price been going up, going down or holding steady over the {phrase}, and what did it cost at the "
        "start of that period?",
    )


@story(ENV, implicit=True)
def buy_now_or_wait(s: StoryContext) -> str:
    """About to buy: the tracker's 90-day comparison says whether now is a good time, with the low and its date."""
    row = s.pick(LISTED)
    name, listing = _listing(s, row)
    advice = s.call("get_buy_advice", pos_id=listing["pos_id"])
    s.fact(advice["verdict"])
    s.fact(advice["low_90_days"])
    s.fact(advice["last_at_low_on"])
    s.context(row["name"], name, advice["current_price"])
    return speech.sentence(
        speech.opening(s.rng),
        f"The {row['name']} is in my {name} cart at {_yuan(listing['price'])}.",
        speech.choose(
            s.rng,
            "Should I buy it now or hold off? What's the lowest it's been in the past 90 days, and when was it last "
            "at that price?",
            "Is that a good price or am I better off waiting? Tell me its 90-day low and the last day it sold for "
            "that.",
        ),
    )


@story(ENV, implicit=True)
def which_coupon_to_use(s: StoryContext) -> str:
    """At checkout: the one coupon that takes most off today and the final price with shipping."""
    row = s.pick(LISTED)
    peeked = s.peek("get_discount_info", pos_id=row["pos_id"])
    usable = [c for c in peeked["coupons"] if c["applies_now"]]
    if not usable or len(peeked["coupons"]) < 2 or (len(usable) > 1 and usable[0]["discount"] == usable[1]["discount"]):
        s.reject("no single best coupon among several")
    name, listing = _listing(s, row)
    info = s.call("get_discount_info", pos_id=listing["pos_id"])
    best = next(c for c in info["coupons"] if c["coupon_id"] == info["best_coupon_id"])
    s.fact(best["discount"])
    s.fact(info["effective_price"])
    s.context(row["name"], name, best["title"], best["threshold"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm about to check out the {row['name']} on {name}.",
        "I only ever get to use one coupon. Which one should I use, how much does it take off, and what do I pay in "
        "the end with shipping?",
    )


@story(ENV, weight=0.5)
def coupon_coming_up(s: StoryContext) -> str:
    """Someone who can wait a few days: a coupon that has not started yet but will apply, and from when."""
    row = s.pick(
        LISTED + " AND EXISTS (SELECT 1 FROM coupons c WHERE c.starts_on > ? AND c.threshold_fen <= l.price_fen AND "
        "(c.pos_id = l.pos_id OR (c.pos_id IS NULL AND c.platform = l.platform AND (c.category IS NULL OR "
        "c.category = p.category))))",
        (s.now().date().isoformat(),),
    )
    name, listing = _listing(s, row)
    info = s.call("get_discount_info", pos_id=listing["pos_id"])
    coming = [c for c in info["coupons"] if c["status"] == "upcoming" and c["threshold"] <= info["price"]]
    if len(coming) != 1:
        s.reject("not exactly one coupon coming")
    s.fact(coming[0]["discount"])
    s.fact(coming[0]["starts_on"])
    s.context(row["name"], name, coming[0]["title"], coming[0]["threshold"], coming[0]["ends_on"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm not in a rush for the {row['name']} on {name}.",
        "Is there a coupon for it that hasn't started yet? How much would it take off, and from what day can I use it?",
    )


# --------------------------------------------------------------------------------------------------
# Price alerts
# --------------------------------------------------------------------------------------------------


@story(ENV, weight=1.5)
def alert_me_at_a_price(s: StoryContext) -> str:
    """An alert on a listing at the person's price: set, unless the price is already there or the plan is full."""
    user = s.pick("SELECT * FROM users")
    row = s.pick(LISTED + " AND l.pos_id NOT IN (SELECT pos_id FROM price_alerts WHERE user_id = ?)",
                 (user["user_id"],))  # fmt: skip
    price = row["price_fen"] / 100
    above = s.rng.random() < 0.3
    target = nice_price(price * s.rng.uniform(1.0, 1.1)) if above else _target_below(s, price)
    if above and target < price:
        target = price
    channel, phrase = s.rng.choice(
        (("app_push", ""), ("sms", " Text me when it does."), ("wechat", " Send it to my WeChat."))
    )
    if channel == "wechat" and not user["wechat_bound"]:
        channel, phrase = "app_push", ""
    account = _account(s, user["user_id"])
    name, listing = _listing(s, row)
    active = s.rows("SELECT COUNT(*) AS n FROM price_alerts WHERE user_id = ? AND status = 'active'",
                    (user["user_id"],))[0]["n"]  # fmt: skip
    full = user["plan"] == "free" and active >= 5
    s.say(target, _yuan(target))
    if target >= listing["price"]:
        s.fact(listing["price"])
    elif full:
        mine = s.call("list_price_alerts", user_id=user["user_id"], status=s.imply("active"))
        s.fact(len(mine), derived=True)
    else:
        arguments: dict[str, Any] = {"user_id": user["user_id"], "pos_id": listing["pos_id"], "target_price": target}
        if channel != "app_push":
            arguments["channel"] = s.imply(channel)
        s.call("create_price_alert", **arguments)
    s.context(row["name"], name, _yuan(target))
    return speech.sentence(
        speech.opening(s.rng),
        account,
        f"Let me know when the {name} listing of the {row['name']} drops to {_yuan(target)} or less." + phrase,
    )


@story(ENV, implicit=True, weight=1.4)
def watch_the_cheapest_shop(s: StoryContext) -> str:
    """Not at today's prices: an alert on whichever listing is cheapest after coupons, at the person's price."""
    user = s.pick("SELECT * FROM users WHERE plan = 'premium' OR (SELECT COUNT(*) FROM price_alerts a WHERE "
                  "a.user_id = users.user_id AND a.status = 'active') < 5")  # fmt: skip
    product = s.pick(
        "SELECT p.* FROM products p WHERE (SELECT COUNT(*) FROM listings l WHERE l.pid = p.pid AND l.in_stock = 1) >= 2"
    )
    account = _account(s, user["user_id"])
    found = _find(s, product["name"])
    comparison = s.call("compare_price", pid=found["pid"])
    offers = [o for o in comparison["offers"] if o["in_stock"]]
    if len(offers) > 1 and offers[0]["effective_price"] == offers[1]["effective_price"]:
        s.reject("tie for the cheapest")
    if s.rows("SELECT 1 FROM price_alerts WHERE user_id = ? AND pos_id = ?", (user["user_id"], offers[0]["pos_id"])):
        s.reject("already watched")
    target = _target_below(s, min(offers[0]["price"], offers[0]["effective_price"]))
    s.call("create_price_alert", user_id=user["user_id"], pos_id=offers[0]["pos_id"],
           target_price=s.say(target, _yuan(target)))  # fmt: skip
    s.fact(offers[0]["platform_name"])
    s.context(product["name"], _yuan(target))
    return speech.sentence(
        speech.opening(s.rng),
        f"I want the {product['name']}, but not at today's prices.",
        account,
        f"Whichever shop has it cheapest right now once coupons and shipping are counted, watch that one and tell me "
        f"when its price gets down to {_yuan(target)}. Which platform is it on?",
    )


def _change_alert(s: StoryContext, alert: dict[str, Any], **changes: Any) -> tuple[str, str]:
    """The person's account line and platform word, after finding the alert in their list and changing it."""
    account = _account(s, alert["user_id"])
    name = _platform(s, alert["platform"])
    mine = s.call("list_price_alerts", user_id=alert["user_id"])
    found = next(a for a in mine if a["alert_id"] == alert["alert_id"])
    s.call("update_price_alert", user_id=alert["user_id"], alert_id=found["alert_id"], **changes)
    s.context(alert["name"], name)
    return account, name


def _own_alert(s: StoryContext, status: str) -> dict[str, Any]:
    """One of a user's alerts, on a product only one of their alerts is about."""
    return s.pick(
        "SELECT a.*, l.platform, l.price_fen, p.name, u.email, u.wechat_bound FROM price_alerts a "
        "JOIN listings l ON l.pos_id = a.pos_id JOIN products p ON p.pid = l.pid JOIN users u ON u.user_id = a.user_id "
        "WHERE a.status = ? AND (SELECT COUNT(*) FROM price_alerts b JOIN listings m ON m.pos_id = b.pos_id "
        "WHERE b.user_id = a.user_id AND m.pid = l.pid) = 1",
        (status,),
    )


@story(ENV, weight=1.3)
def lower_an_alert(s: StoryContext) -> str:
    """A lower target on an existing alert (the person has decided to wait for a better deal)."""
    alert = _own_alert(s, "active")
    target = _target_below(s, min(alert["price_fen"], alert["target_price_fen"]) / 100)
    if round(target * 100) == alert["target_price_fen"]:
        s.reject("same target")
    account, name = _change_alert(s, alert, target_price=s.say(target, _yuan(target)))
    return speech.sentence(
        speech.opening(s.rng),
        account,
        f"I have a price alert on the {alert['name']} on {name}.",
        f"I'm in no hurry, so change it to wait for {_yuan(target)} instead.",
    )


@story(ENV, implicit=True)
def missed_the_deal(s: StoryContext) -> str:
    """An alert went off and the deal passed: it is re-armed at a new price below today's."""
    alert = _own_alert(s, "triggered")
    target = _target_below(s, alert["price_fen"] / 100)
    account, name = _change_alert(s, alert, target_price=s.say(target, _yuan(target)))
    return speech.sentence(
        speech.opening(s.rng),
        account,
        f"You told me the {alert['name']} on {name} hit my price, but I missed it.",
        f"Keep watching it for me, and this time tell me when it's down to {_yuan(target)}.",
    )


@story(ENV, implicit=True)
def alerts_somewhere_else(s: StoryContext) -> str:
    """An alert moved to the channel the person actually reads (WeChat or email, where the account has one)."""
    alert = _own_alert(s, "active")
    on_file = (("wechat", alert["wechat_bound"]), ("email", alert["email"]))
    options = [c for c, ok in on_file if ok and c != alert["channel"]]
    if not options:
        s.reject("no other channel on file")
    channel = s.rng.choice(options)
    account, name = _change_alert(s, alert, channel=s.imply(channel))
    where = "I'm on WeChat all day" if channel == "wechat" else "I read my email far more than anything else"
    return speech.sentence(
        speech.opening(s.rng),
        account,
        f"{where}, so that's where the price alert for the {alert['name']} on {name} should reach me from now on.",
    )


@story(ENV, implicit=True)
def clear_alerts_that_went_off(s: StoryContext) -> str:
    """Alerts that already went off are deleted; the ones still waiting stay."""
    user = s.pick(
        "SELECT user_id FROM price_alerts GROUP BY user_id HAVING SUM(status = 'triggered') BETWEEN 2 AND 3 "
        "AND SUM(status = 'active') >= 1"
    )
    account = _account(s, user["user_id"])
    fired = s.call("list_price_alerts", user_id=user["user_id"], status=s.imply("triggered"))
    for alert in fired:
        s.call("delete_price_alert", user_id=user["user_id"], alert_id=alert["alert_id"])
    return speech.sentence(
        speech.opening(s.rng),
        account,
        speech.choose(
            s.rng,
            "I've already bought everything whose price alert went off. Clear those out and leave the rest waiting.",
            "The alerts that already fired are done with, I got those things. Remove them, but keep the others.",
            "Tidy up my price alerts: anything that already went off can go, the ones still waiting stay.",
        ),
    )


@story(ENV, implicit=True, weight=0.8)
def anything_cheap_enough(s: StoryContext) -> str:
    """Which watched products have reached the person's price."""
    user = s.pick("SELECT user_id FROM price_alerts GROUP BY user_id HAVING SUM(status = 'triggered') BETWEEN 1 AND 3")
    account = _account(s, user["user_id"])
    fired = s.call("list_price_alerts", user_id=user["user_id"], status=s.imply("triggered"))
    for alert in fired:
        s.fact(alert["product_name"])
    return speech.sentence(
        speech.opening(s.rng),
        account,
        speech.choose(
            s.rng,
            "Has anything I'm watching got down to the price I wanted?",
            "Did any of the things I set a price for get cheap enough yet? Which ones?",
        ),
    )


# --------------------------------------------------------------------------------------------------
# Comparisons and reports
# --------------------------------------------------------------------------------------------------


@story(ENV, weight=1.4)
def save_a_comparison(s: StoryContext) -> str:
    """Two or three models side by side, saved under the person's name for the list."""
    user = s.pick("SELECT * FROM users WHERE (SELECT COUNT(*) FROM comparisons c WHERE c.user_id = users.user_id) < 10")
    group = s.pick("SELECT subcategory, category FROM products GROUP BY subcategory HAVING COUNT(*) >= 4")
    chosen = s.sample("SELECT * FROM products WHERE subcategory = ?", s.rng.choice((2, 2, 3)), (group["subcategory"],))
    label = s.rng.choice(COMPARISON_NAMES[group["category"]])
    if s.rows("SELECT 1 FROM comparisons WHERE user_id = ? AND name = ?", (user["user_id"], label)):
        s.reject("name taken")
    account = _account(s, user["user_id"])
    pids = [_find(s, p["name"])["pid"] for p in chosen]
    s.call("save_comparison", user_id=user["user_id"], name=s.say(label), pids=pids)
    names = speech.listing([f"the {p['name']}" for p in chosen])
    return speech.sentence(
        speech.opening(s.rng),
        account,
        f'Please save a comparison of {names} and call it "{label}".',
    )


@story(ENV)
def delete_a_comparison(s: StoryContext) -> str:
    """A saved comparison the person no longer needs is deleted."""
    comparison = s.pick("SELECT * FROM comparisons")
    account = _account(s, comparison["user_id"])
    saved = s.call("list_comparisons", user_id=comparison["user_id"])
    found = next(c for c in saved if c["name"] == s.say(comparison["name"]))
    s.call("delete_comparison", user_id=comparison["user_id"], comparison_id=found["comparison_id"])
    return speech.sentence(
        speech.opening(s.rng),
        account,
        speech.choose(
            s.rng,
            f'I already made up my mind, so delete my saved comparison "{comparison["name"]}".',
            f'Get rid of the comparison I saved as "{comparison["name"]}", I don\'t need it any more.',
        ),
    )


@story(ENV, weight=1.3)
def report_a_wrong_price(s: StoryContext) -> str:
    """The platform shows a different price from the tracker's: the person reports what they saw."""
    user = s.pick("SELECT * FROM users")
    row = s.pick(
        LISTED + " AND l.pos_id NOT IN (SELECT pos_id FROM price_reports WHERE user_id = ? AND status = 'pending')",
        (user["user_id"],),
    )
    price = row["price_fen"] / 100
    seen = nice_price(price * s.rng.choice((0.9, 0.94, 1.05, 1.08)))
    if round(seen * 100) == row["price_fen"]:
        s.reject("same price")
    account = _account(s, user["user_id"])
    name, listing = _listing(s, row)
    s.call("report_wrong_price", user_id=user["user_id"], pos_id=listing["pos_id"], seen_price=s.say(seen, _yuan(seen)))
    s.context(row["name"], name)
    return speech.sentence(
        speech.opening(s.rng),
        account,
        f"You show the {row['name']} on {name} at {_yuan(price)}, but the {name} app shows me {_yuan(seen)}.",
        "Please report the wrong price so it gets fixed.",
    )
