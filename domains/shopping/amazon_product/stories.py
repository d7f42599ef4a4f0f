"""Amazon stories: one shopper per task, one storyline each.

Shoppers find the best-rated Prime item in a category under a budget and put it in the cart, pick the
right size and colour of a product (falling back to a second colour when the first is unavailable), ask
to hear when a price drops (refused when the item already costs less), check a lightning deal's progress,
grab the deal of the day, add as many of something as the per-customer limit allows, trim or move cart
lines to a wish list, start a gift list, total a list, clear price alerts that hit their target, compare
two ASINs a friend sent, order the cart and ask what shipping cost (Prime and the $35 threshold decide),
ask how far they are from free shipping, and cancel an order (refused once it has shipped) or ask when it
arrives. Prices are stored in cents; requests and facts use dollars as a person says them.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .models import DEFAULT_WISH_LIST, FREE_SHIPPING_THRESHOLD, NOW

ENV = "amazon_product"
STAMP = NOW.isoformat()
PLAIN_LEAVES = (
    "SELECT b.* FROM browse_nodes b WHERE b.parent_id IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM items i WHERE i.browse_node_id = b.browse_node_id AND i.parent_asin IS NOT NULL)"
)
GIFT_LISTS = ("Dad's Birthday", "Christmas Ideas", "Dorm Room", "Housewarming", "Mom's Birthday", "Stocking Stuffers")
COLOR_WORDS = {"Charcoal Grey": "charcoal grey", "Olive Green": "olive green", "Sky Blue": "sky blue"}


def dollars(cents: int) -> float:
    return speech.from_cents(cents)


def money(cents: int) -> str:
    return speech.money(speech.from_cents(cents))


def me(s: StoryContext, customer_id: str) -> str:
    """The shopper's introduction: their account."""
    s.person(ENV, customer_id)
    s.say(customer_id)
    return speech.choose(
        s.rng,
        f"My customer ID is {customer_id}.",
        f"This is {customer_id}.",
        f"My Amazon account is {customer_id}.",
    )


def name_of(title: str) -> str:
    """How a person names a product: its title without the feature after the comma."""
    return title.split(", ")[0]


def a(name: str) -> str:
    return ("an " if name[:1].upper() in "AEIOU" else "a ") + name


def find_by_name(s: StoryContext, name: str, **filters: Any) -> dict[str, Any]:
    """Search the catalog for a product the person names; the first result of exactly that name."""
    page = s.call("search_items", keywords=s.say(name), **filters)
    found = [i for i in page["items"] if name_of(i["title"]) == name]
    if not found:
        s.reject("the named product is not on the first page")
    return found[0]


def customer(s: StoryContext, where: str = "1 = 1", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    return s.pick(f"SELECT * FROM customers c WHERE {where}", params)


# -- finding and choosing --------------------------------------------------------------------------------


@story(ENV, implicit=True, weight=1.6)
def best_rated_prime_under_budget(s: StoryContext) -> str:
    """A shopper wants the best-rated Prime item of a category within a budget, in the cart."""
    leaf = s.pick(PLAIN_LEAVES)
    prices = sorted(
        r["price"]
        for r in s.rows(
            "SELECT price FROM items WHERE browse_node_id = ? AND prime_eligible = 1 "
            "AND availability_type != 'Unavailable'",
            (leaf["browse_node_id"],),
        )
    )
    if len(prices) < 10:
        s.reject("too few Prime items")
    step = 1000 if prices[len(prices) // 3] < 10000 else 5000
    budget = (prices[len(prices) // 3] // step + 1) * step
    shopper = customer(s)
    intro = me(s, shopper["customer_id"])
    departments = s.call("get_browse_nodes")
    if not any(c["browse_node_id"] == leaf["browse_node_id"] for d in departments for c in d["children"]):
        s.reject("leaf not under a department")
    s.say(leaf["display_name"])
    page = s.call(
        "search_items",
        browse_node_id=leaf["browse_node_id"],
        max_price=s.say(budget, money(budget)),
        prime_only=True,
        sort_by=s.imply("AvgCustomerReviews"),
    )
    items = page["items"]
    if len(items) < 3 or items[0]["star_rating"] == items[1]["star_rating"]:
        s.reject("too few or a tie for the best rating")
    best = items[0]
    if s.rows("SELECT 1 FROM cart_items WHERE customer_id = ? AND asin = ?", (shopper["customer_id"], best["asin"])):
        s.reject("already in the cart")
    s.call("add_to_cart", customer_id=shopper["customer_id"], asin=best["asin"])
    s.fact(dollars(best["price"]), derived=True)
    s.fact(best["star_rating"])
    s.context(name_of(best["title"]), best["brand"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I'm shopping in the {leaf['display_name']} category and I need it delivered quickly with Prime.",
            f"I'm after something from {leaf['display_name']}, and it has to be a Prime item so it gets here fast.",
        ),
        f"My budget is {money(budget)}.",
        speech.choose(
            s.rng,
            "Put the one with the best customer rating in my cart.",
            "Add whichever has the highest star rating to my cart.",
        ),
        "What is it, what does it cost and how many stars does it have?",
    )


def family_child(s: StoryContext, where: str, params: tuple[Any, ...] = ()) -> dict[str, Any]:
    return s.pick(
        "SELECT i.*, f.title AS family_title, f.dimensions FROM items i JOIN variation_families f "
        f"ON f.parent_asin = i.parent_asin WHERE {where}",
        params,
    )


def variant_words(item: dict[str, Any]) -> str:
    color = COLOR_WORDS.get(item["color"], str(item["color"]).lower())
    return f"{color}, size {item['size']}" if item["size"] else color


def open_family(s: StoryContext, title: str, parent_asin: str) -> dict[str, Any]:
    """Find a family by its product name and list its variations."""
    page = s.call("search_items", keywords=s.say(title))
    child = next((i for i in page["items"] if i["parent_asin"] == parent_asin), None)
    if child is None:
        s.reject("family not on the first page")
    return s.call("get_variations", asin=child["asin"])


@story(ENV, weight=1.5)
def pick_the_right_variation(s: StoryContext) -> str:
    """A shopper names a product, its colour and size, and how many; the agent finds that child ASIN."""
    quantity = s.rng.choice((1, 1, 2))
    target = family_child(
        s,
        "i.availability_type = 'Now' AND i.stock >= ? AND i.max_order_quantity >= ?",
        (quantity, quantity),
    )
    shopper = customer(
        s,
        "NOT EXISTS (SELECT 1 FROM cart_items x WHERE x.customer_id = c.customer_id AND x.asin = ?)",
        (target["asin"],),
    )
    intro = me(s, shopper["customer_id"])
    family = open_family(s, target["family_title"], target["parent_asin"])
    child = next(i for i in family["items"] if i["asin"] == target["asin"])
    s.call(
        "add_to_cart",
        customer_id=shopper["customer_id"],
        asin=child["asin"],
        quantity=s.say(quantity, speech.number(quantity)),
    )
    s.fact(dollars(child["price"]), derived=True)
    s.context(target["family_title"])
    count = "one" if quantity == 1 else speech.number(quantity)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"Please add {count} of the {target['family_title']} in {variant_words(target)} to my cart.",
            f"Could you put the {target['family_title']} in {variant_words(target)} in my cart? I need {count}.",
        ),
        "How much is it each?",
    )


@story(ENV, weight=1.4)
def second_colour_if_the_first_is_unavailable(s: StoryContext) -> str:
    """A shopper wants a size in a first-choice colour, or a second colour if the first is unavailable:
    the family's availability decides which goes in the cart."""
    unavailable = s.rng.random() < 0.7
    first = family_child(
        s,
        "i.size IS NOT NULL AND i.availability_type = ?" + (" AND i.stock >= 1" if not unavailable else ""),
        ("Unavailable" if unavailable else "Now",),
    )
    rows = s.rows(
        "SELECT * FROM items WHERE parent_asin = ? AND size = ? AND color != ? AND availability_type = 'Now' "
        "AND stock >= 1",
        (first["parent_asin"], first["size"], first["color"]),
    )
    if not rows:
        s.reject("no second colour in that size")
    second = s.rng.choice(rows)
    chosen = second if unavailable else first
    shopper = customer(
        s,
        "NOT EXISTS (SELECT 1 FROM cart_items x WHERE x.customer_id = c.customer_id AND x.asin = ?)",
        (chosen["asin"],),
    )
    intro = me(s, shopper["customer_id"])
    family = open_family(s, first["family_title"], first["parent_asin"])
    child = next(i for i in family["items"] if i["asin"] == chosen["asin"])
    s.call("add_to_cart", customer_id=shopper["customer_id"], asin=child["asin"])
    if unavailable:
        s.fact("unavailable")
    s.fact(dollars(child["price"]), derived=True)
    s.context(first["family_title"], first["size"])
    first_color = COLOR_WORDS.get(first["color"], first["color"].lower())
    second_color = COLOR_WORDS.get(second["color"], second["color"].lower())
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I want the {first['family_title']} in size {first['size']}.",
        speech.choose(
            s.rng,
            f"My first choice is {first_color}, but if that isn't available in my size, {second_color} is fine.",
            f"I'd prefer {first_color}; if you can't get it in {first_color}, go with {second_color}.",
        ),
        "Put one in my cart. Was my first choice available, and what does the one you added cost?",
    )


@story(ENV, weight=1.3)
def compare_two_links(s: StoryContext) -> str:
    """A shopper has two ASINs from a friend and asks which is rated higher, and by how many reviewers."""
    first = s.pick(f"SELECT i.* FROM items i JOIN ({PLAIN_LEAVES}) b ON b.browse_node_id = i.browse_node_id "
                   "WHERE i.review_count >= 20")  # fmt: skip
    second = s.pick(
        "SELECT * FROM items WHERE browse_node_id = ? AND asin != ? AND review_count >= 20 AND star_rating != ?",
        (first["browse_node_id"], first["asin"], first["star_rating"]),
    )
    pair = [first["asin"], second["asin"]]
    s.rng.shuffle(pair)
    found = s.call("get_items", asins=[s.say(pair[0]), s.say(pair[1])])
    best = max(found, key=lambda i: i["star_rating"])
    s.fact(best["star_rating"])
    s.fact(best["review_count"])
    s.context(name_of(first["title"]), name_of(second["title"]))
    return speech.sentence(
        speech.opening(s.rng),
        f"A friend sent me two products, ASIN {pair[0]} and ASIN {pair[1]}.",
        speech.choose(
            s.rng,
            "Which one has the better customer rating, and how many reviews is that rating based on?",
            "Which of the two do customers rate higher? Tell me its stars and the number of reviews.",
        ),
    )


# -- prices and deals ------------------------------------------------------------------------------------


@story(ENV, implicit=True, weight=1.3)
def tell_me_when_it_drops(s: StoryContext) -> str:
    """A shopper wants to hear when an item falls to a price; a target above today's price is refused,
    and the shopper hears that it already costs less."""
    item = s.pick(
        f"SELECT i.* FROM items i JOIN ({PLAIN_LEAVES}) b ON b.browse_node_id = i.browse_node_id WHERE i.price >= 3000"
    )
    shopper = customer(
        s,
        "NOT EXISTS (SELECT 1 FROM price_alerts p WHERE p.customer_id = c.customer_id AND p.asin = ?)",
        (item["asin"],),
    )
    intro = me(s, shopper["customer_id"])
    already = s.rng.random() < 0.25
    factor = s.rng.uniform(1.05, 1.25) if already else s.rng.uniform(0.7, 0.9)
    target = int(item["price"] * factor) // 100 * 100
    name = name_of(item["title"])
    found = find_by_name(s, name)
    s.say(target, money(target))
    if not already:
        s.call("create_price_alert", customer_id=shopper["customer_id"], asin=found["asin"], target_price=target)
    s.fact(dollars(found["price"]), derived=True)
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I've got my eye on the {name}, but I'm only willing to pay {money(target)}.",
            f"I'd buy the {name} if it came down to {money(target)}.",
        ),
        speech.choose(
            s.rng,
            "Let me know if the price ever gets down to that.",
            "Can you make sure I hear about it if the price gets there?",
        ),
        "What does it cost right now?",
    )


@story(ENV, weight=1.2)
def is_the_lightning_deal_still_on(s: StoryContext) -> str:
    """A shopper heard of a lightning deal on a product and asks whether it is still on, how much of it is
    claimed and when it ends."""
    deal = s.pick(
        "SELECT d.*, i.title FROM deals d JOIN items i ON i.asin = d.asin WHERE d.deal_type = 'LIGHTNING_DEAL' "
        "AND d.start_time <= ? AND d.end_time > ?",
        (STAMP, STAMP),
    )
    name = name_of(deal["title"])
    found = find_by_name(s, name)
    if found["asin"] != deal["asin"]:
        s.reject("another item of that name comes first")
    feed = s.call("get_deals", asin=found["asin"])
    entry = next(d for d in feed["deals"] if d["deal_id"] == deal["deal_id"])
    s.fact(entry["percent_claimed"])
    if entry["status"] == "ACTIVE":
        s.fact(dollars(entry["deal_price"]), derived=True)
        s.fact(speech.clock(entry["end_time"]), derived=True)
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        f"I saw there's a lightning deal on the {name}.",
        speech.choose(
            s.rng,
            "Is it still on, and how much of it has been claimed?",
            "Can I still get it? How far along is it, percentage claimed?",
        ),
        "If I can still get it, what's the deal price and when does it end?",
    )


@story(ENV, implicit=True, weight=0.5)
def grab_the_deal_of_the_day(s: StoryContext) -> str:
    """A shopper puts today's deal of the day in the cart and asks what it is and what it costs."""
    shopper = customer(
        s,
        "NOT EXISTS (SELECT 1 FROM cart_items x JOIN deals d ON d.asin = x.asin WHERE x.customer_id = c.customer_id "
        "AND d.deal_type = 'DEAL_OF_THE_DAY')",
    )
    intro = me(s, shopper["customer_id"])
    feed = s.call("get_deals", deal_type=s.imply("DEAL_OF_THE_DAY"), status=s.imply("ACTIVE"))
    if feed["total_result_count"] != 1:
        s.reject("not exactly one deal of the day")
    deal = feed["deals"][0]
    s.call("add_to_cart", customer_id=shopper["customer_id"], asin=deal["asin"])
    s.fact(dollars(deal["deal_price"]), derived=True)
    s.context(name_of(deal["title"]), dollars(deal["regular_price"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            "I always like a surprise bargain: whatever today's deal of the day is, put it in my cart.",
            "Add today's deal of the day to my cart, whatever it is.",
        ),
        "What is it and what will I pay?",
    )


@story(ENV, weight=1.2)
def which_sizes_in_my_colour(s: StoryContext) -> str:
    """A shopper asks which sizes of a product they can order now in one colour, and the price."""
    # Letter sizes ('S', 'M') are not facts an answer can be checked for; shoe, bed and bedding sizes are.
    target = family_child(
        s,
        "i.size IS NOT NULL AND i.availability_type = 'Now' AND i.stock >= 1 AND f.parent_asin NOT IN "
        "(SELECT parent_asin FROM items WHERE size IN ('S', 'M', 'L'))",
    )
    family = open_family(s, target["family_title"], target["parent_asin"])
    sizes = [i for i in family["items"] if i["color"] == target["color"] and i["availability"] == "Now"]
    missing = [i for i in family["items"] if i["color"] == target["color"] and i["availability"] != "Now"]
    if not missing or len({i["price"] for i in sizes}) != 1:
        s.reject("every size in stock, or prices differ by size")
    for item in sizes:
        s.fact(item["size"])
    s.fact(dollars(sizes[0]["price"]), derived=True)
    color = COLOR_WORDS.get(target["color"], target["color"].lower())
    s.context(target["family_title"], color)
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I love the {target['family_title']} in {color}.",
            f"I'm looking at the {target['family_title']}, the {color} one.",
        ),
        "Which sizes can I get in that colour right now, without waiting for a restock, and what does it cost?",
    )


@story(ENV, weight=1.1)
def lightning_deals_ending_soonest(s: StoryContext) -> str:
    """A shopper asks which running lightning deal in a department ends soonest, its price and how much
    of it is claimed."""
    department = s.pick(
        "SELECT b.* FROM browse_nodes b WHERE b.parent_id IS NULL AND (SELECT COUNT(*) FROM deals d JOIN items i "
        "ON i.asin = d.asin JOIN browse_nodes n ON n.browse_node_id = i.browse_node_id WHERE "
        "n.parent_id = b.browse_node_id AND d.deal_type = 'LIGHTNING_DEAL' AND d.start_time <= ? AND d.end_time > ? "
        "AND d.percent_claimed < 100) >= 2",
        (STAMP, STAMP),
    )
    departments = s.call("get_browse_nodes")
    node = next(d for d in departments if d["browse_node_id"] == department["browse_node_id"])
    s.say(department["display_name"])
    feed = s.call(
        "get_deals",
        deal_type=s.imply("LIGHTNING_DEAL"),
        browse_node_id=node["browse_node_id"],
        status=s.imply("ACTIVE"),
    )
    deals = feed["deals"]
    if len(deals) < 2 or deals[0]["end_time"] == deals[1]["end_time"]:
        s.reject("a tie for the soonest end")
    first = deals[0]
    s.fact(dollars(first["deal_price"]), derived=True)
    s.fact(first["percent_claimed"])
    s.fact(speech.clock(first["end_time"]), derived=True)
    s.context(name_of(first["title"]))
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I want to catch a lightning deal in {department['display_name']} before it's gone.",
            f"Are there lightning deals in {department['display_name']} I can still get?",
        ),
        "Of the ones still open, which ends first, what's its deal price, how much has been claimed and "
        "when does it end?",
    )


# -- the cart --------------------------------------------------------------------------------------------


@story(ENV, weight=1.4)
def as_many_as_allowed(s: StoryContext) -> str:
    """A shopper wants several of an item; past its maximum order quantity the agent adds the maximum."""
    over = s.rng.random() < 0.7
    item = s.pick(
        f"SELECT i.* FROM items i JOIN ({PLAIN_LEAVES}) b ON b.browse_node_id = i.browse_node_id "
        "WHERE i.availability_type = 'Now' AND i.max_order_quantity BETWEEN 1 AND 5 AND i.stock >= 10 "
        "AND i.price <= 15000"
    )
    limit = int(item["max_order_quantity"])
    wanted = limit + s.rng.randint(1, 4) if over else s.rng.randint(2, max(2, limit)) if limit >= 2 else 0
    if wanted == 0:
        s.reject("limit of one without going over")
    shopper = customer(
        s, "NOT EXISTS (SELECT 1 FROM cart_items x WHERE x.customer_id = c.customer_id AND x.asin = ?)", (item["asin"],)
    )
    intro = me(s, shopper["customer_id"])
    name = name_of(item["title"])
    found = find_by_name(s, name)
    details = s.call("get_items", asins=[found["asin"]])[0]
    s.say(wanted, speech.number(wanted))
    quantity = min(wanted, int(details["max_order_quantity"]))
    s.call("add_to_cart", customer_id=shopper["customer_id"], asin=found["asin"], quantity=quantity)
    if quantity != wanted:
        s.fact(quantity, derived=True)
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"We're stocking up for the office: add {speech.number(wanted)} of the {name} to my cart.",
            f"I need {speech.number(wanted)} of the {name} for my team; please put them in my cart.",
        ),
        "If there's a limit per customer, just add as many as I'm allowed, and tell me how many that was.",
    )


def cart_line(s: StoryContext, where: str, params: tuple[Any, ...] = ()) -> dict[str, Any]:
    return s.pick(
        "SELECT x.*, i.title, i.price FROM cart_items x JOIN items i ON i.asin = x.asin JOIN customers c "
        f"ON c.customer_id = x.customer_id WHERE {where}",
        params,
    )


def named_line(s: StoryContext, cart: dict[str, Any], asin: str) -> tuple[dict[str, Any], str]:
    """The cart line and how the person names it (unique among the cart's names)."""
    line = next(li for li in cart["lines"] if li["asin"] == asin)
    name = name_of(line["title"])
    if sum(name_of(li["title"]) == name for li in cart["lines"]) != 1:
        s.reject("two lines share a name")
    s.say(name)
    return line, name


@story(ENV, implicit=True)
def only_need_one(s: StoryContext) -> str:
    """A shopper with two or more of something in the cart only needs one; they ask the new subtotal."""
    row = cart_line(s, "x.quantity >= 2")
    intro = me(s, row["customer_id"])
    cart = s.call("get_cart", customer_id=row["customer_id"])
    _, name = named_line(s, cart, row["asin"])
    change = s.call("update_cart_item", customer_id=row["customer_id"], asin=row["asin"], quantity=s.say(1, "one"))
    s.fact(dollars(change["cart"]["items_subtotal"]), derived=True)
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I have {speech.number(int(row['quantity']))} of the {name} in my cart but I only need one.",
        "What does my cart come to after that?",
    )


@story(ENV, implicit=True, weight=1.2)
def save_it_for_later(s: StoryContext) -> str:
    """A shopper takes an item out of the cart but keeps it on their default wish list."""
    row = cart_line(
        s,
        "(SELECT COUNT(*) FROM cart_items y WHERE y.customer_id = x.customer_id) >= 2 AND NOT EXISTS "
        "(SELECT 1 FROM wish_lists w JOIN wish_list_items wi ON wi.list_id = w.list_id WHERE "
        "w.customer_id = x.customer_id AND w.name = ? AND wi.asin = x.asin) AND EXISTS "
        "(SELECT 1 FROM wish_lists w WHERE w.customer_id = x.customer_id AND w.name = ?)",
        (DEFAULT_WISH_LIST, DEFAULT_WISH_LIST),
    )
    intro = me(s, row["customer_id"])
    cart = s.call("get_cart", customer_id=row["customer_id"])
    _, name = named_line(s, cart, row["asin"])
    left = s.call("remove_from_cart", customer_id=row["customer_id"], asin=row["asin"])
    s.call("add_to_wish_list", customer_id=row["customer_id"], asin=row["asin"])
    s.fact(dollars(left["items_subtotal"]), derived=True)
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I'm not ready to buy the {name} in my cart yet, but I don't want to forget about it.",
            f"I've decided to hold off on the {name} that's in my cart, though I may come back to it.",
        ),
        "Get it out of the cart and keep it on my shopping list instead. What's my cart total after that?",
    )


@story(ENV, implicit=True, weight=1.3)
def how_far_from_free_shipping(s: StoryContext) -> str:
    """A shopper without Prime asks how much more the cart needs for free standard shipping."""
    shopper = customer(
        s,
        "c.prime_member = 0 AND (SELECT SUM(x.quantity * i.price) FROM cart_items x JOIN items i ON i.asin = x.asin "
        "WHERE x.customer_id = c.customer_id) < ?",
        (FREE_SHIPPING_THRESHOLD,),
    )
    intro = me(s, shopper["customer_id"])
    cart = s.call("get_cart", customer_id=shopper["customer_id"])
    standard = next(o for o in cart["shipping_options"] if o["shipping_speed"] == "standard")
    if standard["cost"] == 0:
        s.reject("a deal already brings it to free shipping")
    s.fact(dollars(FREE_SHIPPING_THRESHOLD - cart["items_subtotal"]), derived=True)
    s.fact(dollars(standard["cost"]), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            "I don't have Prime and I hate paying for shipping.",
            "I'm not a Prime member, so shipping usually costs me extra.",
        ),
        "How much more would I need to add to my cart to get free shipping, and what would shipping cost me "
        "if I ordered it as it is?",
    )


@story(ENV, weight=1.4)
def order_the_cart(s: StoryContext) -> str:
    """A shopper orders the cart, two-day if possible; the cart's Prime eligibility and the shopper's
    membership decide the speed and what shipping costs."""
    fast = s.rng.random() < 0.6
    shopper = customer(
        s,
        "EXISTS (SELECT 1 FROM cart_items x WHERE x.customer_id = c.customer_id) AND NOT EXISTS "
        "(SELECT 1 FROM cart_items x JOIN items i ON i.asin = x.asin WHERE x.customer_id = c.customer_id AND "
        "(i.availability_type = 'Unavailable' OR x.quantity > i.max_order_quantity OR "
        "(i.availability_type = 'Now' AND x.quantity > i.stock)))",
    )
    intro = me(s, shopper["customer_id"])
    cart = s.call("get_cart", customer_id=shopper["customer_id"])
    two_day = next(o for o in cart["shipping_options"] if o["shipping_speed"] == "two_day")
    speed = "two_day" if fast and two_day["available"] else "standard"
    order = s.call("place_order", customer_id=shopper["customer_id"], shipping_speed=s.imply(speed))
    s.fact("free" if order["shipping_cost"] == 0 else dollars(order["shipping_cost"]), derived=True)
    s.fact(dollars(order["total"]), derived=True)
    s.fact(order["estimated_delivery"])
    if not fast:
        wish = "Regular shipping is fine."
    elif shopper["prime_member"]:
        wish = "Use two-day shipping if my order qualifies for it, otherwise regular shipping."
    else:
        wish = "I want two-day shipping even if I have to pay for it, but if it isn't offered, regular shipping."
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(s.rng, "I'm ready to check out everything in my cart.", "Please order what's in my cart."),
        wish,
        "What did shipping cost, what's the total, and when will it arrive?",
    )


# -- lists and alerts ------------------------------------------------------------------------------------


@story(ENV, weight=1.3)
def start_a_gift_list(s: StoryContext) -> str:
    """A shopper starts a named list and saves the best-rated item of a brand in a category to it."""
    row = s.pick(
        f"SELECT i.brand, b.browse_node_id, b.display_name FROM items i JOIN ({PLAIN_LEAVES}) b "
        "ON b.browse_node_id = i.browse_node_id WHERE i.availability_type != 'Unavailable' "
        "GROUP BY i.brand, b.browse_node_id HAVING COUNT(*) >= 3"
    )
    list_name = s.rng.choice(GIFT_LISTS)
    shopper = customer(
        s, "NOT EXISTS (SELECT 1 FROM wish_lists w WHERE w.customer_id = c.customer_id AND w.name = ?)", (list_name,)
    )
    intro = me(s, shopper["customer_id"])
    departments = s.call("get_browse_nodes")
    if not any(c["browse_node_id"] == row["browse_node_id"] for d in departments for c in d["children"]):
        s.reject("leaf not under a department")
    s.say(row["display_name"])
    page = s.call(
        "search_items",
        browse_node_id=row["browse_node_id"],
        brand=s.say(row["brand"]),
        sort_by=s.imply("AvgCustomerReviews"),
    )
    items = page["items"]
    if len(items) < 2 or items[0]["star_rating"] == items[1]["star_rating"]:
        s.reject("a tie for the best rating")
    best = items[0]
    s.call("create_wish_list", customer_id=shopper["customer_id"], name=s.say(list_name))
    s.call("add_to_wish_list", customer_id=shopper["customer_id"], asin=best["asin"], list_name=list_name)
    s.fact(dollars(best["price"]), derived=True)
    s.context(name_of(best["title"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"Start a new wish list for me called {list_name}.",
        f"On it, put the best-rated {row['brand']} item in the {row['display_name']} category.",
        "What does that one cost?",
    )


@story(ENV, weight=1.3)
def what_would_my_list_cost(s: StoryContext) -> str:
    """A shopper asks what everything on one of their named wish lists costs together at today's prices."""
    row = s.pick(
        "SELECT w.* FROM wish_lists w WHERE w.name != ? AND (SELECT COUNT(*) FROM wish_list_items wi "
        "WHERE wi.list_id = w.list_id) BETWEEN 2 AND 6",
        (DEFAULT_WISH_LIST,),
    )
    intro = me(s, row["customer_id"])
    lists = s.call("get_wish_lists", customer_id=row["customer_id"])
    mine = next(w for w in lists if w["name"] == row["name"])
    s.fact(dollars(sum(i["price"] for i in mine["items"])), derived=True)
    s.fact(len(mine["items"]), derived=True)
    s.context(row["name"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"If I bought everything on my {row['name']} wish list today, what would it come to?",
            f"I'm thinking of buying my whole {row['name']} list. How much is it all together right now?",
        ),
        "And how many things are on it?",
    )


@story(ENV)
def bought_it_elsewhere(s: StoryContext) -> str:
    """A shopper bought something on a wish list elsewhere and takes it off that list."""
    row = s.pick(
        "SELECT w.customer_id, w.name, i.asin, i.title FROM wish_lists w JOIN wish_list_items wi "
        "ON wi.list_id = w.list_id JOIN items i ON i.asin = wi.asin WHERE w.name != ?",
        (DEFAULT_WISH_LIST,),
    )
    intro = me(s, row["customer_id"])
    lists = s.call("get_wish_lists", customer_id=row["customer_id"])
    mine = next(w for w in lists if w["name"] == row["name"])
    name = name_of(row["title"])
    if sum(name_of(i["title"]) == name for i in mine["items"]) != 1:
        s.reject("the name is on the list twice")
    s.say(name)
    left = s.call(
        "remove_from_wish_list", customer_id=row["customer_id"], asin=row["asin"], list_name=s.say(row["name"])
    )
    s.fact(left["item_count"])
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I found the {name} cheaper somewhere else and bought it, so it doesn't belong on my {row['name']} list "
        "any more. Please take it off.",
        "How many things are left on that list?",
    )


@story(ENV, implicit=True)
def alerts_that_hit_their_target(s: StoryContext) -> str:
    """A shopper asks which price alerts reached their target and drops those, keeping the others."""
    shopper = s.pick(
        "SELECT p.customer_id FROM price_alerts p JOIN items i ON i.asin = p.asin GROUP BY p.customer_id "
        "HAVING SUM(i.price <= p.target_price) >= 1"
    )["customer_id"]
    intro = me(s, shopper)
    alerts = s.call("get_price_alerts", customer_id=shopper)
    reached = [a for a in alerts if a["reached"]]
    for alert in reached:
        s.call("delete_price_alert", customer_id=shopper, asin=alert["asin"])
        s.fact(dollars(alert["current_price"]), derived=True)
        s.context(name_of(alert["title"]))
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            "Have any of the prices I'm watching come down to what I wanted to pay?",
            "I set up some price drop alerts a while back. Did any of them hit my price?",
        ),
        "I'll buy those ones myself, so stop watching them, but keep the others. What do they cost now?",
    )


# -- orders ----------------------------------------------------------------------------------------------


def order_with(s: StoryContext, status: str) -> tuple[dict[str, Any], str]:
    """An order of one item in a status, for a shopper whose latest orders fit on one page."""
    row = s.pick(
        "SELECT o.*, oi.title FROM orders o JOIN order_items oi ON oi.order_id = o.order_id WHERE o.status = ? "
        "AND (SELECT COUNT(*) FROM order_items x WHERE x.order_id = o.order_id) = 1 "
        "AND (SELECT COUNT(*) FROM orders y WHERE y.customer_id = o.customer_id) <= 10",
        (status,),
    )
    return row, name_of(row["title"])


@story(ENV, weight=1.2)
def cancel_before_it_ships(s: StoryContext) -> str:
    """A shopper changed their mind about an order; it is cancelled unless it has shipped already, and
    then they hear when it arrives."""
    shipped = s.rng.random() < 0.35
    row, name = order_with(s, "Shipped" if shipped else "Ordered")
    intro = me(s, row["customer_id"])
    page = s.call("get_orders", customer_id=row["customer_id"])
    same = [o for o in page["orders"] if any(name_of(i["title"]) == name for i in o["items"])]
    if len(same) != 1:
        s.reject("the product is in several orders")
    s.say(name)
    if shipped:
        s.fact("shipped")
        s.fact(same[0]["estimated_delivery"])
    else:
        s.call("cancel_order", customer_id=row["customer_id"], order_id=same[0]["order_id"])
        s.fact(dollars(same[0]["total"]), derived=True)
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I ordered the {name} and I've changed my mind. Please cancel that order.",
            f"I don't need the {name} I ordered any more; cancel it, please.",
        ),
        "If it's too late to cancel, tell me when it will arrive; otherwise tell me how much is coming back to me.",
    )


@story(ENV, implicit=True, weight=1.2)
def where_is_my_order(s: StoryContext) -> str:
    """A shopper asks when an order on its way will arrive and how it was shipped."""
    row, name = order_with(s, "Shipped")
    intro = me(s, row["customer_id"])
    page = s.call("get_orders", customer_id=row["customer_id"])
    same = [o for o in page["orders"] if any(name_of(i["title"]) == name for i in o["items"])]
    if len(same) != 1:
        s.reject("the product is in several orders")
    s.say(name)
    s.fact(same[0]["estimated_delivery"])
    s.context(name)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"I'm waiting on the {name} I ordered. When should it get here?",
            f"My {name} hasn't shown up yet. What day is it supposed to be delivered?",
        ),
    )
