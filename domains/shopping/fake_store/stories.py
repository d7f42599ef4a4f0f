"""Fake Store stories: one shopper (or one staff member) per task, one storyline each.

Shoppers browse (the cheapest or best-rated thing in a department, two products side by side, what is
under a budget, the store's departments and newest listings), look at carts (a shared cart's total, their
latest cart, the rating of something in it), and change their carts (add to the latest one, start a new
one, change a quantity, take something out — which deletes a cart left empty — or throw a cart away) and
their account (a new address or email). A need rather than a department name leads to the right
department. Staff add, reprice and discontinue products. The policy decides
some outcomes the request does not announce: a cart line holds at most 20 units, and a customer account
cannot change prices. Prices are spoken in dollars and cents as the API returns them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

from .models import MAX_QUANTITY, NOW

ENV = "fake_store"
TODAY = NOW.date()
SPOKEN_CATEGORY = {
    "electronics": "electronics",
    "jewelery": "jewelry",
    "men's clothing": "men's clothing",
    "women's clothing": "women's clothing",
    "home & kitchen": "home and kitchen",
    "sports & outdoors": "sports and outdoors",
    "beauty": "beauty",
    "toys & games": "toys and games",
}
# a shopper's need, and the department that meets it
NEEDS = {
    "electronics": "a new pair of headphones and maybe a charger for my laptop",
    "jewelery": "an anniversary present, something like earrings or a bracelet",
    "men's clothing": "my husband, who needs a new jacket and a couple of shirts",
    "women's clothing": "a winter coat and some tops for myself",
    "home & kitchen": "our first apartment: pans, a kettle, that kind of thing",
    "sports & outdoors": "a camping weekend and some gear for the gym",
    "beauty": "skincare, a cleanser and a moisturizer for dry skin",
    "toys & games": "a seven-year-old's birthday present",
}
NEW_ADDRESSES = (
    ("Kilkenny Road", 7682, "San Antonio", "78251"),
    ("Prospect Avenue", 214, "Cleveland", "44115"),
    ("Elm Street", 38, "Portland", "97205"),
    ("Juniper Lane", 1190, "Boise", "83702"),
    ("Harbor View Drive", 56, "Tampa", "33602"),
    ("Maple Court", 902, "Madison", "53703"),
)
NEW_PRODUCTS = (
    ("Bamboo Cutting Board Set", 27.99, "Three bamboo boards with juice grooves.", "home & kitchen"),
    ("Trail Running Socks 3 Pack", 18.5, "Cushioned merino socks for long runs.", "sports & outdoors"),
    ("Vitamin C Brightening Serum", 22.0, "A daily serum with 15% vitamin C.", "beauty"),
    ("Wooden Train Set 40 Piece", 44.95, "Tracks, bridges and four magnetic trains.", "toys & games"),
    ("USB-C Docking Station", 89.99, "Two HDMI ports, ethernet and 100W charging.", "electronics"),
    ("Linen Button-Down Shirt", 39.0, "Breathable linen for hot summer days.", "men's clothing"),
)


def _money(value: float) -> str:
    return speech.money(value, cents=not float(value).is_integer())


def _spoken_day(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    if day == TODAY:
        return "today"
    return speech.date(day, weekday=(TODAY - day).days < 7)


def _login(s: StoryContext, user: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The person logs in with the username and password they give; returns the login and how they said it."""
    s.person(ENV, user["username"])
    s.say(user["username"])
    s.say(user["password"])
    login = s.call("user_login", username=user["username"], password=user["password"])
    said = speech.choose(
        s.rng,
        f"My username is {user['username']} and my password is {user['password']}.",
        f"You can log in as {user['username']}, password {user['password']}.",
        f"Login: {user['username']} / {user['password']}.",
    )
    return login, said


def _customer(s: StoryContext, where: str = "1 = 1", params: tuple[Any, ...] = ()) -> dict[str, Any]:
    return s.pick(f"SELECT * FROM users u WHERE role = 'customer' AND {where} ORDER BY user_id", params)


def _staff(s: StoryContext) -> dict[str, Any]:
    return s.pick("SELECT * FROM users WHERE role = 'admin' ORDER BY user_id")


def _find(s: StoryContext, product: dict[str, Any]) -> dict[str, Any]:
    """Gold finds a product by the title the person says; returns the product as the search shows it."""
    page = s.call("search_products", title=s.say(product["title"]))
    found = [p for p in page["products"] if p["product_id"] == product["product_id"]]
    if not found:
        s.reject("search does not show the product")
    return found[0]


def _brand_and_item(product: dict[str, Any]) -> tuple[str, str]:
    """A product's brand (its description ends 'By <brand>.') and the item its title names after the brand."""
    brand = product["description"].rsplit(". By ", 1)[1].rstrip(".")
    return brand, product["title"][len(brand) + 1 :]


def _latest_cart(s: StoryContext, user_id: int, min_lines: int = 1) -> dict[str, Any]:
    """The user's newest cart (one per date, so 'my cart from <day>' names it), with at least ``min_lines``."""
    carts = s.rows(
        "SELECT c.*, (SELECT COUNT(*) FROM cart_items i WHERE i.cart_id = c.cart_id) AS lines FROM carts c "
        "WHERE user_id = ? ORDER BY date DESC, cart_id DESC",
        (user_id,),
    )
    if not carts or len({c["date"] for c in carts}) != len(carts):
        s.reject("no cart, or two carts on one day")
    cart = carts[0]
    if cart["lines"] < min_lines:
        s.reject("latest cart is too small")
    return cart


def _cart_line(s: StoryContext, cart: dict[str, Any], where: str = "") -> dict[str, Any]:
    """One product line of a cart, with the product's title."""
    return s.pick(
        "SELECT i.*, p.title FROM cart_items i JOIN products p ON p.product_id = i.product_id WHERE i.cart_id = ? "
        f"{where} ORDER BY i.product_id",
        (cart["cart_id"],),
    )


def _cart_of_user(s: StoryContext, login: dict[str, Any], cart: dict[str, Any]) -> dict[str, Any]:
    carts = s.call("get_user_cart", user_id=login["user_id"])
    return next(c for c in carts if c["cart_id"] == cart["cart_id"])


# -- browsing ------------------------------------------------------------------------------------------------


@story(ENV, implicit=True)
def cheapest_in_department(s: StoryContext) -> str:
    """A tight budget: the cheapest product of a department, and its price."""
    category = s.pick("SELECT category FROM categories ORDER BY category")["category"]
    s.say(category, SPOKEN_CATEGORY[category])
    page = s.call(
        "get_products_by_category", category=category, sort_by=s.imply("price"), sort=s.imply("asc"), limit=s.imply(2)
    )
    first, second = page["products"][:2]
    if first["price"] == second["price"]:
        s.reject("two products share the lowest price")
    s.fact(first["title"])
    s.fact(first["price"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Money is tight this month but I need something from {SPOKEN_CATEGORY[category]}.",
            f"I'm looking for the most affordable thing you have in {SPOKEN_CATEGORY[category]}.",
        ),
        "What's the cheapest item in that section and how much is it?",
    )


@story(ENV)
def best_rated_in_department(s: StoryContext) -> str:
    """Which product of a department customers rate highest, and on how many ratings."""
    category = s.pick("SELECT category FROM categories ORDER BY category")["category"]
    s.say(category, SPOKEN_CATEGORY[category])
    page = s.call(
        "get_products_by_category", category=category, sort_by=s.imply("rating"), sort=s.imply("desc"), limit=s.imply(2)
    )
    first, second = page["products"][:2]
    if first["rating"]["rate"] == second["rating"]["rate"]:
        s.reject("a tie at the top")
    s.fact(first["title"])
    s.fact(first["rating"]["rate"])
    s.fact(first["rating"]["count"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Which {SPOKEN_CATEGORY[category]} product do your customers rate the highest?",
        "Tell me its average rating and how many people rated it.",
    )


@story(ENV)
def compare_two_brands(s: StoryContext) -> str:
    """The same kind of product from two brands: both prices, and how much the cheaper one saves."""
    product = s.pick("SELECT * FROM products ORDER BY product_id")
    brand, item = _brand_and_item(product)
    page = s.call("search_products", title=s.say(item))
    mine = [p for p in page["products"] if p["product_id"] == product["product_id"]]
    others = [p for p in page["products"] if p["product_id"] != product["product_id"]]
    if not mine or not others or page["total"] > len(page["products"]):
        s.reject("one brand only, or more than a page")
    first, other = mine[0], s.rng.choice(others)
    other_brand = _brand_and_item(other)[0]
    if other["price"] == first["price"]:
        s.reject("same price")
    s.say(brand)
    s.say(other_brand)
    s.fact(first["price"])
    s.fact(other["price"])
    s.fact(round(abs(round(first["price"] * 100) - round(other["price"] * 100)) / 100, 2), derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"I can't decide between the {brand} and the {other_brand} {item}.",
        "What does each cost, and how much would I save by going with the cheaper one?",
    )


@story(ENV, implicit=True)
def under_budget_in_department(s: StoryContext) -> str:
    """How many products of a department cost less than a budget, and the best rated of them."""
    category = s.pick("SELECT category FROM categories ORDER BY category")["category"]
    prices = sorted(
        r["price_cents"] for r in s.rows("SELECT price_cents FROM products WHERE category = ?", (category,))
    )
    budget = (prices[len(prices) // 3] // 500 + 1) * 5  # whole dollars, a multiple of five
    under = s.rows(
        "SELECT * FROM products WHERE category = ? AND price_cents < ? ORDER BY rating_rate DESC",
        (category, budget * 100),
    )
    if len(under) < 4 or under[0]["rating_rate"] == under[1]["rating_rate"]:
        s.reject("too few under the budget, or a tie")
    s.say(category, SPOKEN_CATEGORY[category])
    s.say(budget, f"${budget}")
    s.call("get_products_by_category", category=category, sort_by=s.imply("price"), limit=s.imply(50))
    s.fact(len(under), derived=True)
    s.fact(under[0]["title"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I have ${budget} to spend on a present from your {SPOKEN_CATEGORY[category]} range.",
            f"My limit for this gift is ${budget}, and it should come from {SPOKEN_CATEGORY[category]}.",
        ),
        f"How many things there cost less than ${budget}, and which of those do customers rate best?",
    )


@story(ENV, implicit=True)
def which_department_for_a_need(s: StoryContext) -> str:
    """A need, not a department: the store's departments, the one that fits, and how many products it has."""
    category, need = s.rng.choice(list(NEEDS.items()))
    s.call("get_all_categories")
    s.imply(category)
    page = s.call("get_products_by_category", category=category, limit=s.imply(1))
    s.fact(category)
    s.fact(page["total"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm shopping for {need}.",
        "Which of your departments should I be looking in, and how many products does it have?",
    )


@story(ENV)
def priciest_and_newest(s: StoryContext) -> str:
    """The whole catalog: the most expensive product in the store, and the newest listing."""
    top = s.call("get_all_products", sort_by=s.imply("price"), sort=s.imply("desc"), limit=s.imply(2))["products"]
    if top[0]["price"] == top[1]["price"]:
        s.reject("a tie for the most expensive")
    newest = s.call("get_all_products", sort=s.imply("desc"), limit=s.imply(1))["products"][0]
    s.fact(top[0]["title"])
    s.fact(top[0]["price"])
    s.fact(newest["title"])
    return speech.sentence(
        speech.opening(s.rng),
        "Just curious: what's the most expensive thing you sell, and what does it cost?",
        "Also, what's the most recent product added to the store?",
    )


@story(ENV)
def product_reviews_check(s: StoryContext) -> str:
    """Before buying one brand's version of a product: its price, average rating and number of ratings."""
    product = s.pick("SELECT * FROM products WHERE rating_count > 0 ORDER BY product_id")
    brand, item = _brand_and_item(product)
    page = s.call("search_products", title=s.say(item))
    if page["total"] < 2 or page["total"] > len(page["products"]):
        s.reject("one brand only, or more than a page")
    s.say(brand)
    found = next(p for p in page["products"] if p["product_id"] == product["product_id"])
    s.fact(found["price"])
    s.fact(found["rating"]["rate"])
    s.fact(found["rating"]["count"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm thinking about buying the {item} made by {brand}.",
        speech.choose(
            s.rng,
            "How much is it, and what do other buyers rate it, out of how many ratings?",
            "What's the price, and is it well reviewed? Give me the average rating and the number of ratings.",
        ),
    )


@story(ENV)
def shared_cart_total(s: StoryContext) -> str:
    """A friend shared a cart number: what is in it and what it comes to."""
    cart = s.pick(
        "SELECT c.* FROM carts c WHERE (SELECT COUNT(*) FROM cart_items i WHERE i.cart_id = c.cart_id) BETWEEN 2 AND 4 "
        "ORDER BY cart_id"
    )
    view = s.call("get_cart", cart_id=s.say(cart["cart_id"]))
    s.fact(view["total"])
    for line in view["products"]:
        s.fact(line["title"])
    return speech.sentence(
        speech.opening(s.rng),
        f"My sister sent me her cart number, {cart['cart_id']}, so I can chip in.",
        "What's in it, and what does the whole cart come to?",
    )


# -- carts ---------------------------------------------------------------------------------------------------


@story(ENV)
def latest_cart_rating(s: StoryContext) -> str:
    """Looking at the latest cart: its total, then the rating of one product in it."""
    user = _customer(s)
    login, said = _login(s, user)
    cart = _latest_cart(s, user["user_id"], 2)
    view = _cart_of_user(s, login, cart)
    line = s.rng.choice(view["products"])
    s.say(line["title"])
    product = s.call("get_product_by_id", product_id=line["product_id"])
    s.fact(view["total"])
    s.fact(product["rating"]["rate"])
    return speech.sentence(
        speech.opening(s.rng),
        f"What does my most recent cart add up to? Also, how well rated is the {line['title']} in it?",
        said,
    )


@story(ENV, weight=1.3)
def add_to_latest_cart(s: StoryContext) -> str:
    """Add a product to the latest cart, then say the new total."""
    user = _customer(s)
    cart = _latest_cart(s, user["user_id"])
    product = s.pick(
        "SELECT * FROM products WHERE product_id NOT IN (SELECT product_id FROM cart_items WHERE cart_id = ?) "
        "ORDER BY product_id",
        (cart["cart_id"],),
    )
    login, said = _login(s, user)
    _cart_of_user(s, login, cart)
    _find(s, product)
    quantity = s.rng.choice((1, 2, 3))
    s.say(quantity, speech.number(quantity))
    result = s.call(
        "add_to_cart",
        token=login["token"],
        cart_id=cart["cart_id"],
        product_id=product["product_id"],
        quantity=quantity,
    )
    s.fact(result["total"])
    what = "one" if quantity == 1 else speech.number(quantity)
    return speech.sentence(
        speech.opening(s.rng),
        f"Please add {what} of the {product['title']} to my latest cart, the one from {_spoken_day(cart['date'])}.",
        "What's the cart total after that?",
        said,
    )


@story(ENV, weight=1.3)
def start_a_new_cart(s: StoryContext) -> str:
    """A new cart with two products in chosen quantities."""
    user = _customer(s)
    a, b = s.sample("SELECT * FROM products ORDER BY product_id", 2)
    login, said = _login(s, user)
    lines = []
    for product in (a, b):
        _find(s, product)
    qa, qb = s.rng.choice((1, 2)), s.rng.choice((1, 2, 3))
    for product, quantity in ((a, qa), (b, qb)):
        s.say(quantity, speech.number(quantity))
        lines.append({"product_id": product["product_id"], "quantity": quantity})
    cart = s.call("add_cart", token=login["token"], products=lines)
    s.fact(cart["total"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'd like to start a fresh cart with {speech.number(qa)} of the {a['title']} and "
        f"{speech.number(qb)} of the {b['title']}.",
        "How much will that come to?",
        said,
    )


@story(ENV, implicit=True, weight=1.3)
def need_more_of_something(s: StoryContext) -> str:
    """More of something already in the latest cart: the line's quantity becomes what the person needs."""
    user = _customer(s)
    cart = _latest_cart(s, user["user_id"])
    line = _cart_line(s, cart, "AND i.quantity <= 3")
    wanted = line["quantity"] + s.rng.randint(1, 3)
    login, said = _login(s, user)
    view = _cart_of_user(s, login, cart)
    s.say(line["title"])
    s.say(wanted, speech.number(wanted))
    products = [
        {"product_id": p["product_id"], "quantity": wanted if p["product_id"] == line["product_id"] else p["quantity"]}
        for p in view["products"]
    ]
    result = s.call("update_cart", token=login["token"], cart_id=cart["cart_id"], products=products)
    s.fact(result["total"])
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"Turns out {speech.number(wanted)} people are coming, and each needs one {line['title']}.",
            f"I'll need {speech.number(wanted)} of the {line['title']} in total, not just what's in my cart now.",
        ),
        "Can you fix my latest cart so it has the right amount, and tell me the new total?",
        said,
    )


@story(ENV, implicit=True, weight=1.3)
def changed_my_mind_about_one_thing(s: StoryContext) -> str:
    """Taking a product out of the latest cart; when it is the only thing there, the cart goes."""
    user = _customer(s)
    cart = _latest_cart(s, user["user_id"])
    line = _cart_line(s, cart)
    login, said = _login(s, user)
    _cart_of_user(s, login, cart)
    s.say(line["title"])
    if cart["lines"] == 1:
        s.call("delete_cart", token=login["token"], cart_id=cart["cart_id"])
        ask = "What's left in there afterwards?"
    else:
        result = s.call(
            "remove_from_cart", token=login["token"], cart_id=cart["cart_id"], product_id=line["product_id"]
        )
        s.fact(result["total"])
        ask = "What does the cart come to without it?"
    return speech.sentence(
        speech.opening(s.rng),
        speech.choose(
            s.rng,
            f"I found the {line['title']} cheaper somewhere else, so I don't want it any more.",
            f"I've changed my mind about the {line['title']} in my latest cart.",
        ),
        "Please take it out of my latest cart.",
        ask,
        said,
    )


@story(ENV, implicit=True, weight=1.3)
def abandon_a_cart(s: StoryContext) -> str:
    """A cart from a given day is not wanted any more: it is deleted."""
    user = _customer(s, "(SELECT COUNT(*) FROM carts c WHERE c.user_id = u.user_id) >= 2")
    carts = s.rows("SELECT * FROM carts WHERE user_id = ? ORDER BY date", (user["user_id"],))
    if len({c["date"] for c in carts}) != len(carts):
        s.reject("two carts on one day")
    cart = s.rng.choice(carts)
    login, said = _login(s, user)
    s.call("get_user_cart", user_id=login["user_id"])
    s.say(cart["date"], _spoken_day(cart["date"]))
    s.call("delete_cart", token=login["token"], cart_id=cart["cart_id"])
    return speech.sentence(
        speech.opening(s.rng),
        f"That cart I put together on {_spoken_day(cart['date'])} was for a party that got cancelled.",
        "I won't be buying any of it, so get rid of it, please.",
        said,
    )


@story(ENV, implicit=True)
def too_many_units(s: StoryContext) -> str:
    """More units than a cart line may hold: nothing changes, and the person hears the limit and what is there."""
    user = _customer(s)
    cart = _latest_cart(s, user["user_id"])
    line = _cart_line(s, cart)
    extra = MAX_QUANTITY - line["quantity"] + s.rng.randint(2, 10)
    login, said = _login(s, user)
    view = _cart_of_user(s, login, cart)
    s.say(line["title"])
    s.fact(next(p["quantity"] for p in view["products"] if p["product_id"] == line["product_id"]))
    s.fact(MAX_QUANTITY, derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"We're ordering for the whole office: please add {extra} more of the {line['title']} to my latest cart.",
        "How many are in there right now?",
        said,
    )


# -- account -------------------------------------------------------------------------------------------------


@story(ENV, implicit=True, weight=1.3)
def moved_house(s: StoryContext) -> str:
    """A new home: the account's address is changed; the old one is read first to confirm it."""
    user = _customer(s)
    street, number, city, zipcode = s.rng.choice(NEW_ADDRESSES)
    login, said = _login(s, user)
    old = s.call("get_user", user_id=login["user_id"])
    s.fact(old["address"]["city"])
    new = f"{number} {street}, {city} {zipcode}"
    for value in (street, number, city, zipcode):
        s.say(value)
    s.detail("new address", new, new, vague="my new place", synonyms=["address", "where"])
    s.call("update_user", token=login["token"], street=street, number=number, city=city, zipcode=zipcode)
    return speech.sentence(
        speech.opening(s.rng),
        f"We just moved to {new}, so please update my address.",
        "Which city did you have me in before?",
        said,
    )


@story(ENV, weight=1.3)
def new_email_address(s: StoryContext) -> str:
    """A new email address on the account."""
    user = _customer(s)
    email = f"{user['firstname'].lower()}.{user['lastname'].lower().replace(' ', '')}@proton.me"
    if s.rows("SELECT 1 FROM users WHERE email = ?", (email,)):
        s.reject("email taken")
    login, said = _login(s, user)
    s.detail("new email", email, email, vague="my new email", synonyms=["email"])
    s.call("update_user", token=login["token"], email=email)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm closing my old mailbox. Please change the email on my account to {email}.",
        said,
    )


# -- staff ---------------------------------------------------------------------------------------------------


@story(ENV, weight=1.3)
def staff_lists_a_product(s: StoryContext) -> str:
    """A staff member adds a new product with its price, description and department."""
    staff = _staff(s)
    title, price, description, category = s.rng.choice(NEW_PRODUCTS)
    if s.rows("SELECT 1 FROM products WHERE lower(title) = lower(?)", (title,)):
        s.reject("already listed")
    login, said = _login(s, staff)
    s.say(title)
    s.say(price, _money(price))
    s.say(description, f'"{description}"')
    s.say(category, SPOKEN_CATEGORY[category])
    product = s.call(
        "create_product", token=login["token"], title=title, price=price, description=description, category=category
    )
    s.fact(product["product_id"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm on the store team. Please list a new product in {SPOKEN_CATEGORY[category]}: {title},",
        f'priced at {_money(price)}, described as "{description}"',
        "We don't have a photo yet. What product number did it get?",
        said,
    )


@story(ENV, implicit=True, weight=1.3)
def staff_markdown(s: StoryContext) -> str:
    """A clearance markdown: a product's price goes down by a stated percentage, rounded to the cent."""
    staff = _staff(s)
    product = s.pick("SELECT * FROM products WHERE price_cents >= 2000 ORDER BY product_id")
    percent = s.rng.choice((10, 20, 25))
    if product["price_cents"] * (100 - percent) % 100 == 50:
        s.reject("the markdown lands on half a cent")
    new_price = round(product["price_cents"] * (100 - percent) / 10000, 2)
    login, said = _login(s, staff)
    found = _find(s, product)
    s.say(percent, f"{percent}%")
    s.imply(new_price)
    s.call("update_product", token=login["token"], product_id=found["product_id"], price=new_price)
    s.fact(new_price, derived=True)
    return speech.sentence(
        speech.opening(s.rng),
        f"The {product['title']} isn't moving, so we're putting it on clearance at {percent}% off its current price.",
        "Please update the price and tell me what it comes to now.",
        said,
    )


@story(ENV, weight=1.3)
def staff_discontinues(s: StoryContext) -> str:
    """A supplier stops making a product: staff delete it, and hear how many carts it was taken out of."""
    staff = _staff(s)
    product = s.pick("SELECT * FROM products ORDER BY product_id")
    login, said = _login(s, staff)
    found = _find(s, product)
    result = s.call("delete_product", token=login["token"], product_id=found["product_id"])
    s.fact(result["removed_from_carts"])
    return speech.sentence(
        speech.opening(s.rng),
        f"Our supplier has stopped making the {product['title']}, so take it off the store.",
        "How many shopping carts did it have to be removed from?",
        said,
    )


@story(ENV, implicit=True)
def customer_wants_a_lower_price(s: StoryContext) -> str:
    """A customer asks for a price to be lowered: a customer account cannot change prices, the price stays."""
    user = _customer(s)
    product = s.pick("SELECT * FROM products WHERE price_cents >= 3000 ORDER BY product_id")
    _, said = _login(s, user)
    found = _find(s, product)
    wish = int(found["price"] * 0.8)
    s.fact(found["price"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I saw the {product['title']} for ${wish} at another shop.",
        f"Can you drop your price to ${wish} for me? If not, what is it right now?",
        said,
    )


@story(ENV)
def carts_in_a_week(s: StoryContext) -> str:
    """Staff reporting: how many carts were started in a week, and the biggest one's total."""
    end = TODAY - dt.timedelta(days=s.rng.randint(1, 60))
    start = end - dt.timedelta(days=6)
    s.say(start.isoformat(), speech.date(start))
    s.say(end.isoformat(), speech.date(end))
    page = s.call("get_all_carts", start_date=start.isoformat(), end_date=end.isoformat(), limit=s.imply(50))
    if not 3 <= page["total_carts"] <= 50:
        s.reject("too few or too many carts")
    totals = sorted((c["total"] for c in page["carts"]), reverse=True)
    if totals[0] == totals[1]:
        s.reject("tie for the biggest cart")
    s.fact(page["total_carts"])
    s.fact(totals[0])
    return speech.sentence(
        speech.opening(s.rng),
        f"For the weekly report: how many shopping carts were started from {speech.date(start)} "
        f"to {speech.date(end)}, and what did the biggest of them come to?",
    )
