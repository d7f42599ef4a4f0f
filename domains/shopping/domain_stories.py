"""Shopping stories across services: one shopper, one errand, two or three of the domain's environments.

The services meet where a real shopper's day joins them, through things both seeded states hold:
- Chinese couriers and same-city runners serve the same cities (Kuaidi100's cities include every city UU
  Paotui serves), so a parcel tracked on Kuaidi100 is the one a runner fetches from the office, and a courier's
  same-city tariff competes with a runner's fare for the same box;
- UU Paotui's directories list Hema Fresh supermarkets, so the fruit a runner brings is chosen by its
  nutrition on Fruityvice;
- the tau2-style store and the Fake Store sell the same kinds of things (a mechanical keyboard, a yoga mat,
  an electric kettle), so what a customer paid is compared with the other store's price;
- eBay lists the same products (headphones, monitors, tents by the same brands) that the stores sell, so a
  return's refund decides whether the eBay replacement is bought, and a Fake Store price is weighed against
  the cheapest eBay listing.
The services' seeded clocks differ (Kuaidi100 and UU Paotui both run in June 2025), so no story joins two
services on a date.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.synthesis import speech
from envfactory_gym.synthesis.stories import StoryContext, story

UU = "uu_paotui"
KD = "kuaidi100"
FRUIT = "fruityvice"
RETAIL = "retail"
FAKE = "fake_store"
EBAY = "ebay"

# Fruits a Hema Fresh supermarket stocks, as Fruityvice names them.
HEMA_FRUITS = (
    "Apple", "Banana", "Mango", "Lychee", "Orange", "Pear", "Kiwi", "Watermelon", "Pineapple", "Dragonfruit",
    "Grape", "Strawberry", "Persimmon", "Pomelo", "Longan", "Cherry", "Blueberry", "Peach", "Plum", "Mandarin",
    "Papaya", "Durian", "Mangosteen", "Rambutan", "Cantaloupe", "Honeydew",
)  # fmt: skip
# Who signs for a parcel delivered to an office building (Kuaidi100's trace wording).
OFFICE_SIGNERS = ("the building's front desk", "the security guard")
# Kinds of product both the tau2-style store and the Fake Store sell (the store's product names).
SHARED_KINDS = (
    "Coffee Maker", "Dumbbells", "Electric Kettle", "Headphones", "Jeans", "Mechanical Keyboard", "Monitor",
    "Rain Jacket", "Sleeping Bag", "T-Shirt", "Water Bottle", "Wireless Mouse", "Yoga Mat", "Backpack",
)  # fmt: skip
# The store's product kinds eBay lists, and the words a model of that kind has in its eBay title.
EBAY_KINDS: dict[str, tuple[str, ...]] = {
    "Headphones": ("Headphones",),
    "Monitor": ("Monitor",),
    "Bluetooth Speaker": ("Speaker",),
    "Coffee Maker": ("Coffee Maker",),
    "Espresso Machine": ("Espresso",),
    "Digital Camera": ("Camera",),
    "Smart Watch": ("Smartwatch", "Watch"),
}
# Fake Store products and the words that find the same brand's product of that kind on eBay.
SAME_KIND_ON_EBAY: dict[str, str] = {
    "Sony Wireless Noise Cancelling Headphones": "Sony Noise Cancelling Headphones",
    "Bose Wireless Noise Cancelling Headphones": "Bose Headphones",
    'LG 27" Full HD IPS Monitor': "LG 27 Monitor",
    'Dell 27" Full HD IPS Monitor': "Dell 27 Monitor",
    'ASUS 27" Full HD IPS Monitor': "ASUS 27 Monitor",
    "Coleman 4-Person Dome Tent": "Coleman 4-Person Tent",
    "Ninja 6 Quart Electric Pressure Cooker": "Ninja Pressure Cooker",
    "JBL Bluetooth Portable Speaker": "JBL Portable Bluetooth Speaker",
}
SPOKEN_SEARCH = {
    "Sony Noise Cancelling Headphones": "Sony noise cancelling headphones",
    "Bose Headphones": "Bose headphones",
    "LG 27 Monitor": 'LG 27" monitor',
    "Dell 27 Monitor": 'Dell 27" monitor',
    "ASUS 27 Monitor": 'ASUS 27" monitor',
    "Coleman 4-Person Tent": "Coleman 4-person tent",
    "Ninja Pressure Cooker": "Ninja pressure cooker",
    "JBL Portable Bluetooth Speaker": "JBL portable Bluetooth speaker",
}


def _a(phrase: str) -> str:
    """'a Coleman 4-person tent', 'an ASUS 27" monitor', 'Sony headphones' (a pair needs no article)."""
    if phrase.endswith("s"):
        return phrase
    return ("an " if phrase[:1].upper() in "AEIOU" else "a ") + phrase


def _is(kind: str) -> str:
    """'which yoga mat is', 'which dumbbells are'."""
    return "are" if kind.endswith("s") else "is"


def _uu_user(s: StoryContext, where: str, params: tuple[Any, ...] = ()) -> dict[str, Any]:
    """A UU Paotui user with room for another order under way (five at most) and money for an errand."""
    user = s.pick(
        "SELECT * FROM users u WHERE u.balance_fen >= 6000 AND (SELECT COUNT(*) FROM orders o WHERE "
        "o.user_id = u.user_id AND o.state IN ('awaiting_pickup', 'runner_assigned', 'picked_up')) < 5 "
        f"AND {where} ORDER BY u.user_id",
        params,
        env=UU,
    )
    s.person(UU, user["user_id"])
    return user


def _saved(s: StoryContext, user: dict[str, Any], *labels: str) -> dict[str, dict[str, Any]]:
    """The user's saved addresses by label, as the app lists them (the request names them by label)."""
    listed = s.call("uu_paotui.list_addresses", user_id=s.say(user["user_id"]))
    found = {a["label"]: a for a in listed if a["label"] in labels}
    if len(found) != len(labels):
        s.reject("a saved address is missing")
    for label in labels:
        s.say(label)
    return found


def _ebay_member(s: StoryContext, username: str) -> str:
    s.person(EBAY, username)
    s.say(username)
    return speech.choose(s.rng, f"My eBay username is {username}.", f"On eBay I'm {username}.")


def _buy_it_now_listings(s: StoryContext, query: str, spoken: str | None = None, condition: str = "NEW") -> Any:
    """eBay's Buy It Now listings of a product in one condition, cheapest first counting shipping (the search
    a shopper describes as "the cheapest new one, Buy It Now, shipping included")."""
    return s.call(
        "ebay.search_items",
        q=s.say(query, spoken),
        condition=s.imply(condition),
        buying_format=s.imply("FIXED_PRICE"),
        sort=s.imply("price"),
    )


def _fake_store_login(s: StoryContext, customer: dict[str, Any], log_in: bool = True) -> tuple[dict[str, Any], str]:
    """The Fake Store login the person gives (logged in with only when the story needs the account)."""
    s.person(FAKE, customer["username"])
    s.say(customer["username"])
    s.say(customer["password"])
    login: dict[str, Any] = {}
    if log_in:
        login = s.call("fake_store.user_login", username=customer["username"], password=customer["password"])
    said = speech.choose(
        s.rng,
        f"My Fake Store login is {customer['username']}, password {customer['password']}.",
        f"On the Fake Store I'm {customer['username']} (password {customer['password']}).",
    )
    return login, said


def _uu_account(s: StoryContext, user_id: str) -> str:
    return speech.choose(s.rng, f"My UU account is {user_id}.", f"I'm {user_id} on UU Paotui.")


# --------------------------------------------------------------------------------------------------
# Couriers and runners in one city (Kuaidi100 + UU Paotui)
# --------------------------------------------------------------------------------------------------


@story(KD, UU, implicit=True, weight=1.2)
def parcel_at_the_office_sent_home(s: StoryContext) -> str:
    """A parcel addressed to the office: once it is signed for there, a runner brings it home."""
    from envfactory_gym.domains.shopping.kuaidi100.stories import SHORT_NAMES

    cities = [c["city_name"] for c in s.rows("SELECT city_name FROM cities", env=UU)]
    placeholders = ", ".join("?" for _ in cities)
    signed_at_desk = " OR ".join("t.context LIKE ?" for _ in OFFICE_SIGNERS)
    parcel = s.pick(
        f"SELECT p.* FROM parcels p WHERE p.to_city IN ({placeholders}) AND (p.state IN ('in_transit', "
        "'out_for_delivery') OR (p.state = 'signed' AND EXISTS (SELECT 1 FROM trace_events t WHERE t.num = p.num "
        f"AND t.state = 'signed' AND ({signed_at_desk}))))",
        (*cities, *(f"%{who}%" for who in OFFICE_SIGNERS)),
        env=KD,
    )
    user = _uu_user(
        s,
        "u.city_name = ? AND (SELECT COUNT(*) FROM saved_addresses a WHERE a.user_id = u.user_id AND a.label IN "
        "('home', 'office')) = 2",
        (parcel["to_city"],),
    )
    detected = s.call("kuaidi100.auto_detect_courier", num=s.say(parcel["num"]))
    if [c["com"] for c in detected] != [parcel["com"]]:
        s.reject("the number does not single out its courier")
    arguments: dict[str, Any] = {"com": parcel["com"], "num": parcel["num"]}
    lines = [
        speech.opening(s.rng),
        f"I'm expecting a parcel at my office in {user['city_name']}, tracking number {parcel['num']}.",
    ]
    if parcel["com"] == "shunfeng":
        digits = s.say(parcel["receiver_phone"][-4:])
        arguments["phone"] = digits
        lines.append(f"The phone number on it ends in {digits}.")
    trace = s.call("kuaidi100.query_trace", **arguments)
    weight = max(0.5, round(float(parcel["weight_kg"])))
    s.say(weight, f"{weight:g} kg")
    s.say(user["city_name"])
    if trace["is_signed"]:
        places = _saved(s, user, "office", "home")
        quote = s.call(
            "uu_paotui.estimate_price",
            user_id=user["user_id"],
            city_name=user["city_name"],
            from_address=places["office"]["name"],
            to_address=places["home"]["name"],
            goods_weight_kg=weight,
        )
        order = s.call(
            "uu_paotui.create_order",
            price_token=quote["price_token"],
            receiver_name=s.say(user["name"]),
            receiver_phone=s.say(user["phone"]),
        )
        s.fact(order["paid_money"])
    else:
        s.say("office")
        s.say("home")
        s.say(user["name"])
        s.say(user["phone"])
        s.fact(trace["state_text"])
    s.fact(trace["is_signed"], derived=True)
    s.context(SHORT_NAMES[parcel["com"]][0], parcel["to_city"])
    lines += [
        speech.choose(
            s.rng,
            "If it has already been signed for, please get a UU runner to bring it from my office to my home — "
            "both are saved in my UU account.",
            "Once it's been signed for I want it brought home: book a UU runner from my saved office address "
            "to my saved home address.",
        ),
        f"It weighs about {weight:g} kg, and I'll receive it myself: {user['name']}, {user['phone']}.",
        _uu_account(s, user["user_id"]),
        "If it hasn't arrived yet, don't book anything — just tell me its latest status.",
        "Has it been signed for, and if you booked the runner, what did it cost?",
    ]
    return speech.sentence(*lines)


@story(KD, UU, implicit=True)
def courier_or_runner_across_town(s: StoryContext) -> str:
    """A box for someone across town: a runner tonight if it costs at most a few yuan more than the cheapest
    same-city courier, else the person books the courier themselves tomorrow."""
    user = _uu_user(s, "1 = 1")
    city = user["city_name"]
    pair = s.sample("SELECT * FROM places WHERE city_name = ? ORDER BY place_id", 2, (city,), env=UU)
    weight = s.rng.choice((1.0, 2.0, 3.0, 4.0, 6.0))
    extra = s.rng.choice((5, 10, 15))
    receiver = s.rng.choice(("Zhang Min", "Liu Yang", "Chen Jing", "Wang Lei", "Zhao Xin", "Zhou Yan"))
    phone = f"1{s.rng.choice('3578')}{s.rng.randint(0, 999_999_999):09d}"
    quotes = s.call(
        "kuaidi100.estimate_price", from_city=s.say(city), to_city=city, weight_kg=s.say(weight, f"{weight:g} kg")
    )
    if len(quotes) > 1 and quotes[0]["price_fen"] == quotes[1]["price_fen"]:
        s.reject("two couriers tie for the cheapest")
    courier_yuan = speech.from_cents(quotes[0]["price_fen"])
    arguments: dict[str, Any] = {
        "user_id": s.say(user["user_id"]),
        "city_name": city,
        "from_address": s.say(pair[0]["name"]),
        "to_address": s.say(pair[1]["name"]),
    }
    if weight != 1.0:
        arguments["goods_weight_kg"] = weight
    fare = s.call("uu_paotui.estimate_price", **arguments)
    if abs(fare["need_paymoney"] - courier_yuan - extra) < 0.01:
        s.reject("the runner costs exactly the most the person would pay")
    s.say(receiver)
    s.say(phone)
    s.say(extra, f"¥{extra}")
    if fare["need_paymoney"] < courier_yuan + extra:
        order = s.call("uu_paotui.create_order", price_token=fare["price_token"], receiver_name=receiver,
                       receiver_phone=phone)  # fmt: skip
        s.fact(order["paid_money"])
    else:
        timing = s.call("kuaidi100.estimate_time", com=quotes[0]["com"], from_city=city, to_city=city)
        s.fact(quotes[0]["courier_name"])
        s.fact(fare["need_paymoney"])
        s.fact(timing["transit_hours"])
    s.fact(courier_yuan, derived=True)
    s.context(pair[0]["name"], pair[1]["name"], city)
    return speech.sentence(
        speech.opening(s.rng),
        f"I have a {weight:g} kg box to get from {pair[0]['name']} to {pair[1]['name']} in {city}, for {receiver} "
        f"({phone}).",
        _uu_account(s, user["user_id"]),
        speech.choose(
            s.rng,
            f"A UU runner would get it there tonight, and I'll pay up to ¥{extra} more than the cheapest express "
            "courier within the city for that weight; if the runner is within that, book it now.",
            f"Compare a UU runner with the cheapest same-city express courier for that weight. If the runner costs "
            f"less than ¥{extra} more than the courier, book the runner now.",
        ),
        "Otherwise don't book anything; I'll arrange the courier myself, so just tell me which one and how many "
        "hours it takes in transit.",
        "What do the runner and the cheapest courier cost?",
    )


# --------------------------------------------------------------------------------------------------
# Fruit by nutrition, fetched by a runner (Fruityvice + UU Paotui)
# --------------------------------------------------------------------------------------------------


def _two_fruits(s: StoryContext, nutrient: str) -> tuple[dict[str, Any], dict[str, Any]]:
    placeholders = ", ".join("?" for _ in HEMA_FRUITS)
    pair = s.sample(f"SELECT * FROM fruits WHERE name IN ({placeholders}) ORDER BY name", 2, HEMA_FRUITS, env=FRUIT)
    if pair[0][nutrient] == pair[1][nutrient]:
        s.reject("the fruits tie")
    return pair[0], pair[1]


@story(FRUIT, UU, implicit=True, weight=1.2)
def fruit_run_with_less_sugar(s: StoryContext) -> str:
    """Someone watching their sugar has a runner bring a kilo of whichever of two fruits has less of it,
    and logs their portion in the app."""
    nutrient, words = s.rng.choice((("sugar", "less sugar"), ("calories", "fewer calories")))
    one, two = _two_fruits(s, nutrient)
    member = s.pick("SELECT * FROM users ORDER BY username", env=FRUIT)
    s.person(FRUIT, member["username"])
    user = _uu_user(
        s,
        "EXISTS (SELECT 1 FROM saved_addresses a WHERE a.user_id = u.user_id AND a.label = 'home') AND EXISTS "
        "(SELECT 1 FROM places p WHERE p.city_name = u.city_name AND p.name LIKE 'Hema Fresh (%')",
    )
    shop = s.pick(
        "SELECT * FROM places WHERE city_name = ? AND name LIKE 'Hema Fresh (%' ORDER BY place_id",
        (user["city_name"],),
        env=UU,
    )
    names = [one["name"].lower(), two["name"].lower()]
    notes = {n: f"Please buy 1 kg of {n}" for n in names}
    facts = []
    for fruit in (one, two):
        found = s.call("fruityvice.get_fruit_nutrition", name=s.say(fruit["name"], fruit["name"].lower()))
        facts.append(found)
    chosen = min(facts, key=lambda f: f["nutritions"][nutrient])
    pick = chosen["name"].lower()
    for note in notes.values():
        s.say(note)
    places = _saved(s, user, "home")
    quote = s.call(
        "uu_paotui.estimate_price",
        user_id=user["user_id"],
        city_name=s.say(user["city_name"]),
        from_address=s.say(shop["name"]),
        to_address=places["home"]["name"],
    )
    order = s.call(
        "uu_paotui.create_order",
        price_token=quote["price_token"],
        receiver_name=s.say(user["name"]),
        receiver_phone=s.say(user["phone"]),
        note=notes[pick],
    )
    grams = s.rng.choice((150, 200, 250))
    keep = s.rng.random() < 0.4 and not s.rows(
        "SELECT 1 FROM favorites f JOIN fruits r ON r.fruit_id = f.fruit_id WHERE f.username = ? AND r.name = ?",
        (member["username"], chosen["name"]),
        env=FRUIT,
    )
    if keep:
        s.call("fruityvice.save_favorite", username=s.say(member["username"]), name=chosen["name"])
    entry = s.call("fruityvice.log_fruit", username=s.say(member["username"]), name=chosen["name"],
                   grams=s.say(grams, f"{grams} g"))  # fmt: skip
    s.fact(entry["amount"][nutrient])
    s.fact(order["paid_money"])
    s.context(one["name"], two["name"], shop["name"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm watching my {'sugar' if nutrient == 'sugar' else 'weight'} and I'd like some fruit delivered tonight: "
        f"{names[0]} or {names[1]}, whichever has {words} per 100 g on Fruityvice.",
        f"Send a UU runner to {shop['name']} in {user['city_name']} to buy a kilo and bring it to my saved home "
        f"address, for me ({user['name']}, {user['phone']}).",
        f'For the runner\'s note write "{notes[names[0]]}" or "{notes[names[1]]}", whichever it is.',
        f"Then log {grams} g of it as a snack today in my Fruityvice app (I'm {member['username']} there)"
        + (", and save it to my favourites there." if keep else "."),
        _uu_account(s, user["user_id"]),
        "What did the runner cost, and "
        + ("how much sugar is" if nutrient == "sugar" else "how many calories are")
        + " in the portion you logged?",
    )


@story(FRUIT, UU, weight=0.8)
def what_a_fruit_run_costs(s: StoryContext) -> str:
    """Before ordering, someone asks what a kilo of a fruit holds and what a runner from Hema Fresh costs."""
    fruit = s.pick(
        f"SELECT * FROM fruits WHERE name IN ({', '.join('?' for _ in HEMA_FRUITS)}) ORDER BY name",
        HEMA_FRUITS,
        env=FRUIT,
    )
    user = _uu_user(
        s,
        "EXISTS (SELECT 1 FROM saved_addresses a WHERE a.user_id = u.user_id AND a.label = 'office') AND EXISTS "
        "(SELECT 1 FROM places p WHERE p.city_name = u.city_name AND p.name LIKE 'Hema Fresh (%')",
    )
    shop = s.pick(
        "SELECT * FROM places WHERE city_name = ? AND name LIKE 'Hema Fresh (%' ORDER BY place_id",
        (user["city_name"],),
        env=UU,
    )
    grams = s.rng.choice((500, 1000, 1500))
    portion = s.call(
        "fruityvice.get_fruit_nutrition",
        name=s.say(fruit["name"], fruit["name"].lower()),
        grams=s.say(grams, f"{grams} g"),
    )
    places = _saved(s, user, "office")
    arguments: dict[str, Any] = {
        "user_id": user["user_id"],
        "city_name": s.say(user["city_name"]),
        "from_address": s.say(shop["name"]),
        "to_address": places["office"]["name"],
    }
    if grams != 1000:
        arguments["goods_weight_kg"] = s.imply(grams / 1000)
    quote = s.call("uu_paotui.estimate_price", **arguments)
    s.fact(portion["amount"]["calories"])
    s.fact(quote["need_paymoney"])
    s.context(fruit["name"], shop["name"], "kcal")
    return speech.sentence(
        speech.opening(s.rng),
        f"The team wants {grams} g of {fruit['name'].lower()} for the afternoon meeting.",
        "How many calories is that altogether, according to Fruityvice?",
        f"And what would a UU runner charge to bring it from {shop['name']} in {user['city_name']} to my saved "
        "office address? Just the price for now, don't order.",
        _uu_account(s, user["user_id"]),
    )


# --------------------------------------------------------------------------------------------------
# The same kind of product in two stores (retail + Fake Store)
# --------------------------------------------------------------------------------------------------


def _delivered_line(
    s: StoryContext, kinds: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, Any], str, dict[str, Any]]:
    """A delivered, once-paid store order with exactly one line of one of ``kinds``; its customer opens it."""
    from envfactory_gym.domains.shopping.retail.stories import _open, _single_lines

    placeholders = ", ".join("?" for _ in kinds)
    with s.within(RETAIL):
        order, _profile, intro, details, lines = _open(
            s,
            "o.status = 'delivered' AND (SELECT COUNT(*) FROM order_payments p WHERE p.order_id = o.order_id) = 1 "
            f"AND EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.order_id AND i.name IN ({placeholders}))",
            kinds,
        )
    wanted = [line for line in _single_lines(lines) if line["name"] in kinds]
    if not wanted:
        s.reject("the kind appears twice in the order")
    line = wanted[0]
    s.detail(
        "order number",
        order["order_id"],
        order["order_id"],
        phrase=f"order {order['order_id']}",
        vague="my order",
        synonyms=["order", "order id"],
    )
    return order, details, intro, line


def _cheapest_at_fake_store(s: StoryContext, kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    page = s.call("fake_store.search_products", title=s.say(kind.lower()))
    products = sorted(page["products"], key=lambda p: p["price"])
    if not products or page.get("total", len(products)) > len(products):
        s.reject("nothing found, or more than one page")
    if len(products) > 1 and products[0]["price"] == products[1]["price"]:
        s.reject("two products tie for the cheapest")
    return page, products[0]


@story(RETAIL, FAKE, implicit=True, weight=1.3)
def cheaper_at_the_other_store(s: StoryContext) -> str:
    """A customer who paid for something finds it cheaper at the Fake Store: they return it and start a
    cart there with the cheapest one; if it is not cheaper, they keep what they have."""
    from envfactory_gym.domains.shopping.fake_store.stories import _customer

    order, details, intro, line = _delivered_line(s, SHARED_KINDS)
    kind = line["name"].lower()
    paid = next(i["price"] for i in details["items"] if i["item_id"] == line["item_id"])
    _page, cheapest = _cheapest_at_fake_store(s, line["name"])
    with s.within(FAKE):
        customer = _customer(s)
        if cheapest["price"] < paid:
            login, said = _fake_store_login(s, customer)
            s.call(
                "retail.return_delivered_order_items",
                order_id=order["order_id"],
                item_ids=[line["item_id"]],
                payment_method_id=details["payment_history"][0]["payment_method_id"],
            )
            s.call("fake_store.add_cart", token=login["token"], products=[{"product_id": cheapest["product_id"],
                                                                            "quantity": s.imply(1)}])  # fmt: skip
            s.fact(cheapest["title"])
        else:
            said = _fake_store_login(s, customer, log_in=False)[1]
            s.fact(cheapest["price"])
            s.fact("no", derived=True)
    s.context(kind, order["order_id"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I bought {_a(kind)} in order {order['order_id']} and I've just seen that the Fake Store sells them too.",
        f"If their cheapest {kind} {'cost' if kind.endswith('s') else 'costs'} less than what I paid, return mine "
        "for a refund to how I paid and put one of their cheapest in a new Fake Store cart.",
        "If it isn't cheaper, I'll keep mine and change nothing.",
        said,
        "Was theirs cheaper, and what did you do?",
    )


@story(RETAIL, FAKE)
def what_i_paid_against_the_other_store(s: StoryContext) -> str:
    """A customer asks what they paid for something and what the other store's cheapest one costs."""
    order, details, intro, line = _delivered_line(s, SHARED_KINDS)
    kind = line["name"].lower()
    paid = next(i["price"] for i in details["items"] if i["item_id"] == line["item_id"])
    _page, cheapest = _cheapest_at_fake_store(s, line["name"])
    s.fact(paid)
    s.fact(cheapest["price"])
    s.fact(cheapest["title"])
    s.context(kind, order["order_id"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"What did I pay for the {kind} in order {order['order_id']}?",
        f"And which {kind} {_is(kind)} the cheapest at the Fake Store, and for how much?",
    )


# --------------------------------------------------------------------------------------------------
# Returning to the store, replacing on eBay (retail + eBay)
# --------------------------------------------------------------------------------------------------


@story(RETAIL, EBAY, implicit=True, weight=1.3)
def return_it_and_buy_the_model_on_ebay(s: StoryContext) -> str:
    """A customer returns a generic product and replaces it with a named model bought new on eBay, but only
    if the eBay total is covered by the refund."""
    from envfactory_gym.domains.shopping.ebay.stories import LIVE, product, total_cost

    order, details, intro, line = _delivered_line(s, tuple(EBAY_KINDS))
    words = EBAY_KINDS[line["name"]]
    titles = s.rows(
        f"SELECT DISTINCT i.title FROM items i WHERE {LIVE} AND i.buying_format = 'FIXED_PRICE' AND "
        "i.condition = 'NEW' ORDER BY i.title",
        env=EBAY,
    )
    models = sorted({product(t["title"]) for t in titles if any(w.lower() in t["title"].lower() for w in words)})
    if not models:
        s.reject("no model of that kind on eBay")
    model = s.rng.choice(models)
    refund = next(i["price"] for i in details["items"] if i["item_id"] == line["item_id"])
    s.call(
        "retail.return_delivered_order_items",
        order_id=order["order_id"],
        item_ids=[line["item_id"]],
        payment_method_id=details["payment_history"][0]["payment_method_id"],
    )
    buyer = s.pick("SELECT username FROM users WHERE positive_count < 600 ORDER BY username", env=EBAY)["username"]
    introduce = _ebay_member(s, buyer)
    page = _buy_it_now_listings(s, model)
    items = [i for i in page["items"] if product(i["title"]) == model and i["seller"] != buyer]
    if not items or len(items) != len(page["items"]):
        s.reject("other products match the model's name")
    if len(items) > 1 and total_cost(items[0]) == total_cost(items[1]):
        s.reject("a tie for the cheapest")
    cheapest = items[0]
    if total_cost(cheapest) <= round(refund * 100):
        eb = s.call("ebay.buy_it_now", username=buyer, item_id=cheapest["item_id"])
        s.fact(speech.from_cents(eb["total"]), derived=True)
    else:
        s.call("ebay.watch_item", username=buyer, item_id=cheapest["item_id"])
        s.fact(speech.from_cents(total_cost(cheapest)), derived=True)
        s.fact("no", derived=True)
    s.context(model, order["order_id"], line["name"].lower())
    kind = line["name"].lower()
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I'm sending back the {kind} from order {order['order_id']} — refund it to how I paid.",
        f"What I really want is the {model}: buy me a brand-new one on eBay, Buy It Now, from the cheapest "
        f"listing counting shipping — but only if that total is no more than my refund for the {kind}. If it "
        "costs more, just put that listing on my watchlist there.",
        introduce,
        "What does the eBay one cost with shipping, and did you buy it?",
    )


# --------------------------------------------------------------------------------------------------
# One product, two marketplaces (Fake Store + eBay)
# --------------------------------------------------------------------------------------------------


def _fake_product_with_ebay_twin(s: StoryContext) -> tuple[dict[str, Any], str]:
    titles = list(SAME_KIND_ON_EBAY)
    product = s.pick(
        f"SELECT * FROM products WHERE title IN ({', '.join('?' for _ in titles)}) ORDER BY product_id",
        titles,
        env=FAKE,
    )
    return product, SAME_KIND_ON_EBAY[product["title"]]


def _cheapest_on_ebay(s: StoryContext, query: str, condition: str) -> dict[str, Any]:
    from envfactory_gym.domains.shopping.ebay.stories import total_cost

    page = _buy_it_now_listings(s, query, SPOKEN_SEARCH[query], condition=condition)
    if not page["items"]:
        s.reject("no such listing on eBay")
    items = page["items"]
    if len(items) > 1 and total_cost(items[0]) == total_cost(items[1]):
        s.reject("a tie for the cheapest")
    return items[0]


@story(FAKE, EBAY, implicit=True, weight=1.2)
def buy_where_it_is_cheaper(s: StoryContext) -> str:
    """A shopper wants a brand's product of one kind and buys it where it costs less: a new eBay listing
    (shipping included) or the Fake Store's, put in a new cart."""
    from envfactory_gym.domains.shopping.ebay.stories import total_cost
    from envfactory_gym.domains.shopping.fake_store.stories import _customer, _find

    fake, query = _fake_product_with_ebay_twin(s)
    condition, condition_words = s.rng.choice((("NEW", "brand new"), ("USED", "used")))
    with s.within(FAKE):
        listed = _find(s, fake)
        customer = _customer(s)
    login, said = _fake_store_login(s, customer)
    buyer = _ebay_buyer(s)
    introduce = _ebay_member(s, buyer)
    cheapest = _cheapest_on_ebay(s, query, condition)
    if cheapest["seller"] == buyer:
        s.reject("own listing")
    ebay_total = total_cost(cheapest)
    if ebay_total == round(listed["price"] * 100):
        s.reject("the same price")
    if ebay_total < round(listed["price"] * 100):
        s.call("ebay.buy_it_now", username=buyer, item_id=cheapest["item_id"])
        s.fact("yes", derived=True)
    else:
        s.call("fake_store.add_cart", token=login["token"], products=[{"product_id": listed["product_id"],
                                                                        "quantity": s.imply(1)}])  # fmt: skip
        s.fact("no", derived=True)
    s.fact(speech.from_cents(ebay_total), derived=True)
    s.context(fake["title"], listed["price"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I want the {fake['title']} the Fake Store sells, unless eBay has {_a(SPOKEN_SEARCH[query])} for less.",
        f"Look at eBay's cheapest {condition_words} Buy It Now listing for {_a(SPOKEN_SEARCH[query])}, shipping "
        "included.",
        "If it's cheaper than the Fake Store's price, buy it on eBay; otherwise start a new Fake Store cart with "
        "one of theirs.",
        introduce,
        said,
        "Was eBay cheaper, and what did the eBay listing cost with shipping?",
    )


@story(FAKE, EBAY)
def compare_a_price_on_ebay(s: StoryContext) -> str:
    """A shopper compares a Fake Store price with the cheapest new eBay listing of the brand's product."""
    from envfactory_gym.domains.shopping.ebay.stories import total_cost
    from envfactory_gym.domains.shopping.fake_store.stories import _find

    fake, query = _fake_product_with_ebay_twin(s)
    with s.within(FAKE):
        listed = _find(s, fake)
    cheapest = _cheapest_on_ebay(s, query, "NEW")
    s.fact(listed["price"])
    s.fact(speech.from_cents(total_cost(cheapest)), derived=True)
    s.context(fake["title"], cheapest["title"])
    return speech.sentence(
        speech.opening(s.rng),
        f"How much is the {fake['title']} at the Fake Store?",
        f"And what's the cheapest brand-new Buy It Now listing on eBay for {_a(SPOKEN_SEARCH[query])}, with "
        "shipping included?",
    )


# --------------------------------------------------------------------------------------------------
# Where it is cheapest, three ways (retail + Fake Store + eBay)
# --------------------------------------------------------------------------------------------------


@story(RETAIL, FAKE, EBAY, weight=0.8)
def three_way_price_check(s: StoryContext) -> str:
    """A customer who bought something asks whether the Fake Store or a new eBay listing would have been
    cheaper than what they paid."""
    from envfactory_gym.domains.shopping.ebay.stories import total_cost

    kinds = tuple(k for k in SHARED_KINDS if k in ("Headphones", "Monitor", "Coffee Maker"))
    order, details, intro, line = _delivered_line(s, kinds)
    kind = line["name"].lower()
    paid = next(i["price"] for i in details["items"] if i["item_id"] == line["item_id"])
    _page, cheapest = _cheapest_at_fake_store(s, line["name"])
    page = _buy_it_now_listings(s, line["name"], kind)
    if not page["items"] or (len(page["items"]) > 1 and total_cost(page["items"][0]) == total_cost(page["items"][1])):
        s.reject("no listing, or a tie")
    ebay_total = speech.from_cents(total_cost(page["items"][0]))
    prices = {"the store": paid, "the Fake Store": cheapest["price"], "eBay": ebay_total}
    if len(set(prices.values())) != 3:
        s.reject("two prices tie")
    s.fact(cheapest["price"])
    s.fact(ebay_total, derived=True)
    s.context(kind, order["order_id"], paid, cheapest["title"], page["items"][0]["title"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"I paid for the {kind} in order {order['order_id']} and now I wonder if I overpaid.",
        f"How much {_is(kind)} the cheapest {kind} at the Fake Store, and the cheapest brand-new Buy It Now {kind} "
        "on eBay with shipping included? Would either have been cheaper than what I paid?",
    )


# --------------------------------------------------------------------------------------------------
# A handmade gift or a store-bought one (Etsy + Fake Store)
# --------------------------------------------------------------------------------------------------

GIFT_KINDS = ("bracelet", "necklace", "ring", "puzzle", "sweatshirt")


@story("etsy", FAKE, implicit=True)
def handmade_gift_if_not_dearer(s: StoryContext) -> str:
    """A gift-giver prefers a handmade piece on Etsy when it costs no more than the Fake Store's cheapest;
    they favourite it to order later, or else start a Fake Store cart with the store's."""
    from envfactory_gym.domains.shopping.etsy.stories import buyer

    kind = s.rng.choice(GIFT_KINDS)
    with s.within("etsy"):
        me = buyer(s, "u.country_iso = 'US'")
    found = s.call(
        "etsy.search_listings",
        keywords=s.say(kind),
        item_type=s.imply("handmade"),
        ships_to=s.imply("US"),
        sort_on=s.imply("price"),
        sort_order=s.imply("asc"),
    )
    results = found["results"]
    if not results or (len(results) > 1 and results[0]["price_usd"] == results[1]["price_usd"]):
        s.reject("nothing handmade, or a tie")
    handmade = results[0]
    page = s.call("fake_store.search_products", title=kind)
    products = sorted(page["products"], key=lambda p: p["price"])
    if (
        not products
        or page["total"] > len(products)
        or (len(products) > 1 and products[0]["price"] == products[1]["price"])
    ):
        s.reject("nothing at the Fake Store, or a tie")
    store = products[0]
    if handmade["price_usd"] == store["price"]:
        s.reject("the same price")
    from envfactory_gym.domains.shopping.fake_store.stories import _customer

    with s.within(FAKE):
        customer = _customer(s)
    if handmade["price_usd"] < store["price"]:
        _login, said = _fake_store_login(s, customer, log_in=False)
        s.call("etsy.favorite_listing", user_id=me["user_id"], listing_id=handmade["listing_id"])
        s.fact(handmade["title"])
    else:
        login, said = _fake_store_login(s, customer)
        s.call("fake_store.add_cart", token=login["token"], products=[{"product_id": store["product_id"],
                                                                        "quantity": s.imply(1)}])  # fmt: skip
        s.fact(store["title"])
    s.fact(handmade["price_usd"])
    s.context(kind, store["price"])
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm looking for a {kind} as a birthday present and I'd love it to be handmade.",
        f"Find the cheapest handmade {kind} on Etsy that ships to the US. If it costs less than the cheapest "
        f"{kind} at the Fake Store, favorite it on Etsy so I can order it later; otherwise put the Fake Store's "
        "cheapest one in a new cart there.",
        f"My Etsy account email is {me['email']}.",
        said,
        "Which one did you pick, and what does the Etsy one cost in dollars?",
    )


# --------------------------------------------------------------------------------------------------
# Returned to the store, replaced from Amazon (retail + Amazon)
# --------------------------------------------------------------------------------------------------

AMAZON = "amazon_product"
# The store's product kinds Amazon's catalog sells as single items (no sizes or colours to choose).
AMAZON_KINDS = (
    "Blender", "Headphones", "Monitor", "Laptop", "Air Fryer", "Cookware Set", "Hair Dryer", "Electric Toothbrush",
    "Wireless Earbuds", "Digital Camera", "Bluetooth Speaker", "Coffee Maker", "Action Camera",
)  # fmt: skip


def _amazon_price(item: dict[str, Any]) -> int:
    """What an Amazon item costs now: its running deal's price, else its offer price (cents)."""
    return int(item["deal_price"] if item["deal_price"] is not None else item["price"])


def _amazon_customer(s: StoryContext) -> str:
    row = s.pick("SELECT customer_id FROM customers ORDER BY customer_id", env=AMAZON)
    s.person(AMAZON, row["customer_id"])
    s.say(row["customer_id"])
    return row["customer_id"]


@story(RETAIL, AMAZON, implicit=True, weight=1.2)
def return_it_and_pick_a_better_one_on_amazon(s: StoryContext) -> str:
    """A disappointed customer returns something and puts the best-rated Prime one that the refund covers
    in their Amazon cart."""
    order, details, intro, line = _delivered_line(s, AMAZON_KINDS)
    kind = line["name"].lower()
    refund = round(next(i["price"] for i in details["items"] if i["item_id"] == line["item_id"]) * 100)
    s.call(
        "retail.return_delivered_order_items",
        order_id=order["order_id"],
        item_ids=[line["item_id"]],
        payment_method_id=details["payment_history"][0]["payment_method_id"],
    )
    shopper = _amazon_customer(s)
    page = s.call(
        "amazon_product.search_items",
        keywords=s.say(kind),
        prime_only=True,
        sort_by=s.imply("AvgCustomerReviews"),
    )
    # Sorted by rating across every page: the first item the refund covers on this page is the best one.
    covered = [i for i in page["items"] if _amazon_price(i) <= refund]
    if any(i["deal_price"] is not None and i["price"] > refund >= i["deal_price"] for i in page["items"]):
        s.reject("a deal decides whether the refund covers an item")
    if not covered or covered[0]["parent_asin"] is not None or covered[0] is page["items"][-1]:
        s.reject("nothing the refund covers, or it comes in sizes or colours")
    if len(covered) > 1 and [covered[0][k] for k in ("star_rating", "review_count")] == [
        covered[1][k] for k in ("star_rating", "review_count")
    ]:
        s.reject("two items share the best rating and review count")
    best = covered[0]
    s.call("amazon_product.add_to_cart", customer_id=shopper, asin=best["asin"])
    s.fact(best["title"].split(", ")[0], derived=True)
    s.context(kind, order["order_id"], best["star_rating"])
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        speech.choose(
            s.rng,
            f"The {kind} from order {order['order_id']} has been a letdown, so I'm returning it — refund it to how "
            "I paid.",
            f"I'm not happy with the {kind} I got in order {order['order_id']}. Please return it, with the refund "
            "going back the way I paid.",
        ),
        f"Then find me the best-rated Prime-eligible {kind} on Amazon that my refund would cover (counting any deal "
        "running now; between equal ratings, the one with more reviews) and add it to my cart there.",
        f"My Amazon customer ID is {shopper}.",
        "Which one did you add?",
    )


# --------------------------------------------------------------------------------------------------
# One brand's product on Amazon or on eBay (Amazon + eBay)
# --------------------------------------------------------------------------------------------------

# (brand, kind): an Amazon product of that brand and kind, and new eBay listings of the same brand's kind.
BRAND_KINDS = (
    ("Dell", "Monitor"), ("Samsung", "Monitor"), ("LG", "Monitor"), ("ASUS", "Monitor"), ("Beats", "Headphones"),
    ("Bose", "Headphones"), ("Sony", "Headphones"), ("Sennheiser", "Headphones"), ("Sonos", "Speaker"),
    ("Coleman", "Tent"), ("REI Co-op", "Tent"), ("Vitamix", "Blender"), ("Dyson", "Vacuum"), ("Shark", "Vacuum"),
    ("Canon", "Camera"), ("Sony", "Camera"), ("Fitbit", "Smartwatch"), ("Microsoft", "Laptop"),
)  # fmt: skip


def _cart_line_of_a_brand_kind(s: StoryContext) -> tuple[dict[str, Any], str, str]:
    """A single-unit line of a shopper's Amazon cart whose product is one of the brand kinds eBay lists."""
    from envfactory_gym.domains.shopping.amazon_product.stories import name_of

    brand, kind = s.rng.choice(BRAND_KINDS)
    line = s.pick(
        "SELECT c.customer_id, c.quantity, i.* FROM cart_items c JOIN items i ON i.asin = c.asin WHERE "
        "lower(i.brand) = lower(?) AND i.parent_asin IS NULL AND i.title LIKE ? AND c.quantity = 1 AND "
        "i.title NOT LIKE '%''%' ORDER BY c.customer_id, i.asin",
        (brand, f"%{kind},%"),
        env=AMAZON,
    )
    others = s.rows("SELECT i.title FROM cart_items c JOIN items i ON i.asin = c.asin WHERE c.customer_id = ?",
                    (line["customer_id"],), env=AMAZON)  # fmt: skip
    if [name_of(r["title"]) for r in others].count(name_of(line["title"])) != 1:
        s.reject("two cart lines of that name")
    return line, brand, kind


def _ebay_buyer(s: StoryContext) -> str:
    """An eBay member for a story that may not need their account: a handle without underscores, which the
    request lint would read as a field name unless a call uses it."""
    return s.pick(
        "SELECT username FROM users WHERE positive_count < 600 AND username NOT LIKE '%\\_%' ESCAPE '\\' "
        "ORDER BY username",
        env=EBAY,
    )["username"]


@story(AMAZON, EBAY, implicit=True, weight=1.5)
def amazon_cart_or_ebay_for_the_brand(s: StoryContext) -> str:
    """Before checking out, a shopper buys the brand's product new on eBay instead if it costs less there
    (shipping included) and takes the Amazon one out of the cart; otherwise the cart stays."""
    from envfactory_gym.domains.shopping.amazon_product.stories import name_of
    from envfactory_gym.domains.shopping.ebay.stories import total_cost

    line, brand, kind = _cart_line_of_a_brand_kind(s)
    name = name_of(line["title"])
    s.person(AMAZON, line["customer_id"])
    cart = s.call("amazon_product.get_cart", customer_id=s.say(line["customer_id"]))
    mine = next(entry for entry in cart["lines"] if entry["asin"] == line["asin"])
    s.say(name)
    buyer = _ebay_buyer(s)
    introduce = _ebay_member(s, buyer)
    query, spoken = f"{brand} {kind}", f"{brand} {kind.lower()}"
    page = _buy_it_now_listings(s, query, spoken)
    if not page["items"] or page["items"][0]["seller"] == buyer:
        s.reject("no listing, or the buyer's own")
    items = page["items"]
    if len(items) > 1 and total_cost(items[0]) == total_cost(items[1]):
        s.reject("a tie for the cheapest")
    on_ebay, on_amazon = total_cost(items[0]), int(mine["unit_price"])
    if on_ebay == on_amazon:
        s.reject("the same price")
    if on_ebay < on_amazon:
        s.call("ebay.buy_it_now", username=buyer, item_id=items[0]["item_id"])
        s.call("amazon_product.remove_from_cart", customer_id=line["customer_id"], asin=line["asin"])
        s.fact("yes", derived=True)
    else:
        s.fact("no", derived=True)
    s.fact(speech.from_cents(on_ebay), derived=True)
    s.context(name, speech.from_cents(on_amazon), items[0]["title"])
    return speech.sentence(
        speech.opening(s.rng),
        f"The {name} is sitting in my Amazon cart (customer ID {line['customer_id']}), but any new {spoken} would do.",
        f"Before I check out, look at eBay's cheapest brand-new Buy It Now listing for {_a(spoken)}, shipping "
        "included. If it comes to less than my cart price, buy it on eBay and take the Amazon one out of my cart; "
        "if not, leave my cart as it is.",
        introduce,
        "Did eBay win, and what did its listing come to with shipping?",
    )


# --------------------------------------------------------------------------------------------------
# Returned to the store, picked up at Best Buy in the same city (retail + Best Buy)
# --------------------------------------------------------------------------------------------------

BESTBUY = "bestbuy"
# The store's product kinds and the Best Buy category that sells them.
BESTBUY_CATEGORIES = {
    "Headphones": "pcmcat144700050004",
    "Wireless Earbuds": "pcmcat144700050004",
    "Laptop": "abcat0502000",
    "Smart Watch": "pcmcat321000050004",
    "Bluetooth Speaker": "pcmcat310200050004",
    "Tablet": "pcmcat209000050006",
    "Smartphone": "pcmcat156400050037",
    "Monitor": "abcat0509000",
    "Digital Camera": "abcat0401000",
    "Gaming Console": "pcmcat295700050012",
}


def _bestbuy_member(s: StoryContext) -> str:
    row = s.pick("SELECT customer_id FROM customers ORDER BY customer_id", env=BESTBUY)
    s.person(BESTBUY, row["customer_id"])
    s.say(row["customer_id"])
    return row["customer_id"]


def _bestbuy_product(s: StoryContext, name: str) -> dict[str, Any]:
    """A new Best Buy product the person names (its name without the dashes), found by search."""
    spoken = name.replace(" - ", " ")
    page = s.call("bestbuy.search_products", query=s.say(spoken), condition=s.imply("new"))
    found = [p for p in page["products"] if p["name"] == name]
    if len(found) != 1:
        s.reject("the named product is not found by its name")
    return found[0]


@story(RETAIL, BESTBUY, implicit=True, weight=1.2)
def broken_so_pick_one_up_today(s: StoryContext) -> str:
    """Something delivered stopped working: if a Best Buy store in the customer's city has the model they
    want, it is held for pickup there and the broken one returned; otherwise nothing changes yet."""
    order, details, intro, line = _delivered_line(s, tuple(BESTBUY_CATEGORIES))
    city = details["address"]["city"]
    stores = s.rows("SELECT store_id FROM stores WHERE lower(city) = lower(?)", (city,), env=BESTBUY)
    if not stores:
        s.reject("no Best Buy store in the customer's city")
    # Most draws name a model some store in town has today, so both outcomes are common.
    in_town = (
        "AND EXISTS (SELECT 1 FROM store_stock k JOIN stores st ON st.store_id = k.store_id WHERE k.sku = "
        "p.sku AND k.quantity > 0 AND lower(st.city) = lower(?))"
        if s.rng.random() < 0.6
        else "AND ? IS NOT NULL"
    )
    candidates = s.rows(
        "SELECT p.* FROM products p WHERE p.category_id = ? AND p.condition = 'new' AND p.name NOT LIKE '%''%' "
        f"{in_town} ORDER BY p.sku",
        (BESTBUY_CATEGORIES[line["name"]], city),
        env=BESTBUY,
    )
    if not candidates:
        s.reject("Best Buy sells none of that kind")
    wanted = s.rng.choice(candidates)
    member = _bestbuy_member(s)
    product = _bestbuy_product(s, wanted["name"])
    spoken = wanted["name"].replace(" - ", " ")
    holding = s.call("bestbuy.get_stores", city=city, sku=product["sku"])
    kind = line["name"].lower()
    if holding:
        holding = sorted(holding, key=lambda st: -st["quantity_available"])
        if len(holding) > 1 and holding[0]["quantity_available"] == holding[1]["quantity_available"]:
            s.reject("two stores hold the same number")
        hold = s.call("bestbuy.reserve_for_pickup", customer_id=member, sku=product["sku"],
                      store_id=holding[0]["store_id"])  # fmt: skip
        s.call(
            "retail.return_delivered_order_items",
            order_id=order["order_id"],
            item_ids=[line["item_id"]],
            payment_method_id=details["payment_history"][0]["payment_method_id"],
        )
        s.fact(hold["store_name"] if "store_name" in hold else holding[0]["name"])
    else:
        s.fact("no", derived=True)
    s.context(kind, order["order_id"], city, spoken)
    return speech.sentence(
        speech.opening(s.rng),
        intro,
        f"The {kind} from order {order['order_id']} stopped working and I can't wait for a replacement in the mail.",
        f"If a Best Buy store in my city has the {spoken} in stock today, hold one for me at the store there with "
        "the most units, and then return the broken one from that order, refunded the way I paid.",
        "If none of them has it, don't return anything yet.",
        f"My Best Buy member ID is {member}.",
        "Which store is holding it for me, if any?",
    )


# --------------------------------------------------------------------------------------------------
# The identical product at Best Buy or on eBay (Best Buy + eBay)
# --------------------------------------------------------------------------------------------------

# Best Buy's product and the same product's name on eBay listings.
BESTBUY_ON_EBAY = {
    "Microsoft - Xbox Series X 1TB Console": "Microsoft Xbox Series X 1TB",
    "Nintendo - Switch Lite": "Nintendo Switch Lite",
    "Nintendo - Switch Pro Controller - Black": "Nintendo Switch Pro Controller",
    "Sony - DualSense Wireless Controller for PlayStation 5 - Black": "Sony DualSense Wireless Controller",
    "Apple - AirPods Pro 2 Wireless Active Noise Cancelling Earbuds - White": "Apple AirPods Pro 2nd Generation",
    "Apple - AirPods Max Wireless Over-Ear Headphones - Black": "Apple AirPods Max",
}


@story(BESTBUY, EBAY, implicit=True)
def best_buy_or_ebay_for_the_same_thing(s: StoryContext) -> str:
    """A shopper buys the identical product new on eBay when it costs less there with shipping, and otherwise
    puts Best Buy's in their Best Buy cart."""
    from envfactory_gym.domains.shopping.ebay.stories import product, total_cost

    name = s.rng.choice(sorted(BESTBUY_ON_EBAY))
    twin = BESTBUY_ON_EBAY[name]
    member = _bestbuy_member(s)
    found = _bestbuy_product(s, name)
    buyer = _ebay_buyer(s)
    introduce = _ebay_member(s, buyer)
    page = _buy_it_now_listings(s, twin)
    items = [i for i in page["items"] if product(i["title"]).startswith(twin) and i["seller"] != buyer]
    if not items or items[0] is not page["items"][0]:
        s.reject("no listing of the product, or another product is cheaper")
    if len(items) > 1 and total_cost(items[0]) == total_cost(items[1]):
        s.reject("a tie for the cheapest")
    on_ebay = total_cost(items[0])
    if on_ebay == found["sale_price"]:
        s.reject("the same price")
    if on_ebay < found["sale_price"]:
        s.call("ebay.buy_it_now", username=buyer, item_id=items[0]["item_id"])
        s.fact("yes", derived=True)
    else:
        s.call("bestbuy.add_to_cart", customer_id=member, sku=found["sku"])
        s.fact("no", derived=True)
    s.fact(speech.from_cents(on_ebay), derived=True)
    s.context(name, speech.from_cents(found["sale_price"]))
    spoken = name.replace(" - ", " ")
    return speech.sentence(
        speech.opening(s.rng),
        f"I want the {spoken} from Best Buy, brand new.",
        f"Check eBay too for a new {twin} (Buy It Now): if the cheapest listing costs less than Best Buy's price "
        "once shipping is added, buy it there; otherwise put Best Buy's in my cart.",
        f"My Best Buy member ID is {member}.",
        introduce,
        "Was eBay cheaper, and what did its listing come to with shipping?",
    )


# --------------------------------------------------------------------------------------------------
# A new phone at its best price, the old one sent to family (price tracker + Kuaidi100)
# --------------------------------------------------------------------------------------------------

PRICES = "price_comparison"
# Tracked kinds of gadget and what the old one weighs in its box (kg).
HAND_ME_DOWNS = {"phone": 0.5, "headphones": 0.8, "laptop": 2.5, "tablet": 1.0}
FAMILY = ("my mum", "my dad", "my younger brother", "my sister", "my grandmother")


@story(PRICES, KD, implicit=True)
def new_gadget_old_one_to_family(s: StoryContext) -> str:
    """An upgrader buys the new model where it is cheapest all-in, or waits with a price alert when it is
    over budget, and asks what the cheapest courier charges to send the old one to family in another city."""
    from envfactory_gym.domains.shopping.price_comparison.stories import _find

    kinds = tuple(HAND_ME_DOWNS)
    row = s.pick(
        f"SELECT p.* FROM products p WHERE p.subcategory IN ({', '.join('?' for _ in kinds)}) AND (SELECT COUNT(*) "
        "FROM listings l WHERE l.pid = p.pid AND l.in_stock = 1) >= 2 ORDER BY p.pid",
        kinds,
        env=PRICES,
    )
    user = s.pick("SELECT * FROM users ORDER BY user_id", env=PRICES)
    s.person(PRICES, s.say(user["user_id"]))
    with s.within(PRICES):
        found = _find(s, row["name"])
    comparison = s.call("price_comparison.compare_price", pid=found["pid"])
    offers = [o for o in comparison["offers"] if o["in_stock"]]
    if len(offers) > 1 and offers[0]["effective_price"] == offers[1]["effective_price"]:
        s.reject("a tie for the cheapest")
    best = offers[0]
    budget = float(round(best["effective_price"] * s.rng.choice((0.85, 0.9, 1.1, 1.2)) / 100) * 100)
    if budget == best["effective_price"]:
        s.reject("the budget is the price")
    s.say(budget, speech.money(budget, "¥"))
    home, away = s.sample("SELECT city FROM cities WHERE remote = 0 ORDER BY city", 2, env=KD)
    weight = HAND_ME_DOWNS[row["subcategory"]]
    quotes = s.call(
        "kuaidi100.estimate_price",
        from_city=s.say(home["city"]),
        to_city=s.say(away["city"]),
        weight_kg=s.say(weight, f"{weight:g} kg"),
    )
    if len(quotes) > 1 and quotes[0]["price_fen"] == quotes[1]["price_fen"]:
        s.reject("two couriers tie for the cheapest")
    if best["effective_price"] > budget:
        s.call("price_comparison.create_price_alert", user_id=user["user_id"], pos_id=best["pos_id"],
               target_price=budget)  # fmt: skip
        s.fact(best["effective_price"])
    else:
        s.fact(best["platform_name"])
        s.fact(best["effective_price"])
    s.fact(quotes[0]["courier_name"])
    s.fact(speech.from_cents(quotes[0]["price_fen"]), derived=True)
    s.context(row["name"], home["city"], away["city"])
    who = s.rng.choice(FAMILY)
    return speech.sentence(
        speech.opening(s.rng),
        f"I'm upgrading to the {row['name']} and giving my old {row['subcategory']} to {who} in {away['city']}.",
        "Where is the new one cheapest right now once coupons and shipping are counted, and for how much?",
        f"My budget is {speech.money(budget, '¥')}: if the cheapest is over that I'll wait, so set a price alert on "
        f"that listing at {speech.money(budget, '¥')} with my tracker account {user['user_id']}.",
        f"And which courier would charge least to send the old one ({weight:g} kg boxed) from {home['city']} to "
        f"{away['city']}, and how much?",
    )


# --------------------------------------------------------------------------------------------------
# Discontinued in the store, the last units cleared on eBay (Shopify + eBay)
# --------------------------------------------------------------------------------------------------

SHOPIFY = "shopify"
# The store's camping product types and the eBay leaf category such gear is listed in.
CAMPING_TYPES = ("Tents", "Sleeping Bags", "Headlamps", "Camp Kitchen")
CAMPING_ON_EBAY = "Camping & Hiking"


@story(SHOPIFY, EBAY)
def discontinue_and_clear_on_ebay(s: StoryContext) -> str:
    """A store manager archives a discontinued product in Shopify and lists the units left of one variant on
    eBay, as new, at the price they name."""
    from envfactory_gym.domains.shopping.ebay.stories import find_leaf, money

    placeholders = ", ".join("?" for _ in CAMPING_TYPES)
    row = s.pick(
        "SELECT p.product_id, p.title, v.variant_id, v.title AS variant, v.price FROM products p JOIN variants v ON "
        f"v.product_id = p.product_id WHERE p.status = 'active' AND p.product_type IN ({placeholders}) AND "
        "(SELECT COUNT(*) FROM products o WHERE o.title = p.title) = 1 AND p.title NOT LIKE '%''%' "
        "ORDER BY p.product_id, v.variant_id",
        CAMPING_TYPES,
        env=SHOPIFY,
    )
    staff = s.pick(
        "SELECT email FROM staff_members WHERE account_owner = 1 OR permissions LIKE '%\"products\"%' ORDER BY email",
        env=SHOPIFY,
    )["email"]
    s.person(SHOPIFY, staff)
    page = s.call("shopify.get_products", title=s.say(row["title"]))
    product = next((p for p in page["products"] if p["product_id"] == row["product_id"]), None)
    if product is None:
        s.reject("the product is not found by its title")
    variant = next(v for v in product["variants"] if v["variant_id"] == row["variant_id"])
    if variant["inventory_quantity"] < 1 or (len(product["variants"]) > 1 and variant["title"] == "Default Title"):
        s.reject("nothing left of the variant")
    s.call("shopify.update_product", staff_email=s.say(staff), product_id=product["product_id"],
           status=s.imply("archived"))  # fmt: skip
    seller = s.pick("SELECT username FROM users ORDER BY username", env=EBAY)["username"]
    introduce = _ebay_member(s, seller)
    leaf = s.rows("SELECT * FROM categories WHERE name = ? AND leaf = 1", (CAMPING_ON_EBAY,), env=EBAY)[0]
    with s.within(EBAY):
        category_id = find_leaf(s, leaf)
    title = f"{row['title']} {variant['title']}" if variant["title"] != "Default Title" else row["title"]
    price = round(row["price"] * s.rng.choice((0.6, 0.7)) / 100) * 100 - 1
    s.call(
        "ebay.create_listing",
        username=seller,
        title=s.say(title),
        category_id=category_id,
        condition=s.imply("NEW"),
        price=s.say(price, money(price)),
        quantity=variant["inventory_quantity"],
    )
    s.fact(variant["inventory_quantity"])
    s.context(row["title"], variant["title"])
    which = f"the {variant['title']} ones" if variant["title"] != "Default Title" else "the ones"
    return speech.sentence(
        speech.opening(s.rng),
        f"We're discontinuing the {row['title']}: please archive it in our Shopify store (my staff login is {staff}).",
        f"Then put {which} we still have in stock up on eBay, brand new, Buy It Now at {money(price)} each with "
        f'free shipping, in {CAMPING_ON_EBAY}, titled exactly "{title}" — all of the units in one listing.',
        introduce,
        "How many units did you list?",
    )
