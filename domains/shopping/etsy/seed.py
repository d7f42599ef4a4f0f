"""The seeded generator and its data tables: shops, listings of handmade and vintage goods, buyers, orders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import (
    LISTING_MONTHS,
    NOW,
    CartItem,
    Favorite,
    Listing,
    ListingVariation,
    Receipt,
    Review,
    ServiceClock,
    Shipment,
    ShippingDestination,
    ShippingProfile,
    Shop,
    ShopSection,
    Transaction,
    User,
)
from .rules import add_months, shipping_cost, stamp

# Each product line: category, kind, item names, title leads, materials, tags, price range in US dollars,
# personalization (instructions, character limit) or None, and a variation (property, values) or None.
PRODUCTS: tuple[dict[str, Any], ...] = (
    {
        "category": "Jewelry",
        "kind": "handmade",
        "items": ("Name Necklace", "Script Name Necklace", "Initial Necklace"),
        "leads": ("Personalized", "Custom", "Dainty"),
        "materials": ("gold filled", "sterling silver", "rose gold"),
        "tags": ("name necklace", "personalized gift", "gift for her", "custom jewelry", "bridesmaid gift", "dainty"),
        "price": (24, 68),
        "personalization": ("Name to engrave (up to 12 letters)", 12),
        "variation": ("Length", ("16 inch", "18 inch", "20 inch")),
    },
    {
        "category": "Jewelry",
        "kind": "handmade",
        "items": ("Stacking Ring", "Signet Ring", "Birthstone Ring"),
        "leads": ("Hammered", "Minimalist", "Engraved"),
        "materials": ("sterling silver", "14k gold fill", "brass"),
        "tags": ("stacking ring", "silver ring", "minimalist ring", "gift for her", "birthstone"),
        "price": (18, 90),
        "personalization": ("Initials for the inside of the band", 6),
        "variation": ("Ring size", ("5", "6", "7", "8", "9")),
    },
    {
        "category": "Jewelry",
        "kind": "handmade",
        "items": ("Beaded Bracelet", "Leather Cuff Bracelet", "Charm Bracelet"),
        "leads": ("Boho", "Handwoven", "Personalized"),
        "materials": ("glass beads", "leather", "sterling silver"),
        "tags": ("bracelet", "boho jewelry", "friendship bracelet", "gift for him", "stacking"),
        "price": (14, 55),
        "personalization": ("Word or date to stamp", 15),
        "variation": None,
    },
    {
        "category": "Jewelry",
        "kind": "vintage",
        "items": ("Rhinestone Brooch", "Cameo Brooch", "Enamel Flower Pin"),
        "leads": ("Vintage", "Antique", "Retro"),
        "materials": ("rhinestone", "gold tone metal", "enamel"),
        "tags": ("vintage brooch", "costume jewelry", "vintage jewelry", "retro", "gift for mom"),
        "price": (16, 120),
        "personalization": None,
        "variation": None,
    },
    {
        "category": "Home & Living",
        "kind": "handmade",
        "items": ("Soy Candle", "Wood Wick Candle", "Candle Tin"),
        "leads": ("Hand Poured", "Lavender", "Cozy Cabin"),
        "materials": ("soy wax", "cotton wick", "essential oils"),
        "tags": ("soy candle", "candle gift", "home fragrance", "hygge", "housewarming gift", "aromatherapy"),
        "price": (12, 38),
        "personalization": None,
        "variation": ("Size", ("4 oz", "8 oz", "12 oz")),
    },
    {
        "category": "Home & Living",
        "kind": "handmade",
        "items": ("Cutting Board", "Charcuterie Board", "Serving Board"),
        "leads": ("Engraved", "Personalized Walnut", "Custom Family Name"),
        "materials": ("walnut", "maple", "cherry wood"),
        "tags": (
            "cutting board",
            "wedding gift",
            "personalized gift",
            "engraved",
            "housewarming gift",
            "kitchen decor",
        ),
        "price": (35, 120),
        "personalization": ("Family name and year to engrave", 30),
        "variation": None,
    },
    {
        "category": "Home & Living",
        "kind": "handmade",
        "items": ("Ceramic Mug", "Stoneware Mug", "Speckled Coffee Mug"),
        "leads": ("Handmade", "Wheel Thrown", "Rustic"),
        "materials": ("stoneware clay", "food safe glaze"),
        "tags": ("ceramic mug", "pottery", "coffee mug", "handmade mug", "gift for him", "tea cup"),
        "price": (22, 58),
        "personalization": ("Initials to stamp on the handle", 3),
        "variation": None,
    },
    {
        "category": "Home & Living",
        "kind": "handmade",
        "items": ("Macrame Wall Hanging", "Woven Wall Hanging", "Plant Hanger"),
        "leads": ("Boho", "Large", "Handmade"),
        "materials": ("cotton cord", "driftwood", "wool"),
        "tags": ("macrame", "wall hanging", "boho decor", "plant hanger", "nursery decor"),
        "price": (18, 140),
        "personalization": None,
        "variation": None,
    },
    {
        "category": "Home & Living",
        "kind": "vintage",
        "items": ("Pyrex Mixing Bowl", "Pyrex Casserole Dish", "Corning Ware Dish"),
        "leads": ("Vintage", "Retro", "Mid Century"),
        "materials": ("glass",),
        "tags": ("vintage pyrex", "pyrex", "retro kitchen", "mid century", "vintage kitchen"),
        "price": (18, 95),
        "personalization": None,
        "variation": None,
    },
    {
        "category": "Home & Living",
        "kind": "vintage",
        "items": ("Brass Table Lamp", "Teak Side Table", "Ceramic Planter"),
        "leads": ("Mid Century Modern", "Vintage", "Danish"),
        "materials": ("brass", "teak", "ceramic"),
        "tags": ("mid century", "vintage decor", "mcm", "retro home", "danish modern"),
        "price": (45, 320),
        "personalization": None,
        "variation": None,
    },
    {
        "category": "Art & Collectibles",
        "kind": "handmade",
        "items": ("Custom Pet Portrait", "Pet Portrait Painting", "Dog Portrait"),
        "leads": ("Hand Painted", "Watercolor", "Custom"),
        "materials": ("watercolor paper", "watercolor paint"),
        "tags": ("pet portrait", "custom portrait", "dog lover gift", "pet memorial", "watercolor"),
        "price": (45, 180),
        "personalization": ("Pet's name and a link to your photo", 120),
        "variation": ("Size", ("5x7", "8x10", "11x14")),
    },
    {
        "category": "Art & Collectibles",
        "kind": "handmade",
        "items": ("Botanical Print", "Landscape Print", "City Map Print"),
        "leads": ("Watercolor", "Minimalist", "Linocut"),
        "materials": ("archival paper", "pigment ink"),
        "tags": ("art print", "wall art", "botanical", "home decor", "gallery wall"),
        "price": (12, 60),
        "personalization": None,
        "variation": ("Size", ("A5", "A4", "A3")),
    },
    {
        "category": "Art & Collectibles",
        "kind": "vintage",
        "items": ("Travel Poster", "Postcard Set", "Oil Painting"),
        "leads": ("Vintage", "Original", "Antique"),
        "materials": ("paper", "canvas"),
        "tags": ("vintage art", "vintage poster", "ephemera", "wall decor", "collectible"),
        "price": (20, 260),
        "personalization": None,
        "variation": None,
    },
    {
        "category": "Clothing",
        "kind": "handmade",
        "items": ("Knit Beanie", "Chunky Knit Scarf", "Wool Mittens"),
        "leads": ("Hand Knit", "Merino", "Cozy"),
        "materials": ("merino wool", "alpaca yarn", "acrylic yarn"),
        "tags": ("knit hat", "beanie", "winter hat", "handknit", "gift for him", "chunky knit"),
        "price": (20, 85),
        "personalization": None,
        "variation": ("Color", ("Oatmeal", "Forest Green", "Charcoal", "Mustard")),
    },
    {
        "category": "Clothing",
        "kind": "handmade",
        "items": ("Embroidered Sweatshirt", "Custom Baby Onesie", "Embroidered Tee"),
        "leads": ("Personalized", "Custom Embroidered", "Hand Embroidered"),
        "materials": ("cotton", "embroidery floss"),
        "tags": ("embroidered", "custom sweatshirt", "baby gift", "personalized gift", "mama sweatshirt"),
        "price": (25, 70),
        "personalization": ("Name or text to embroider", 20),
        "variation": ("Size", ("S", "M", "L", "XL")),
    },
    {
        "category": "Clothing",
        "kind": "vintage",
        "items": ("Denim Jacket", "Wool Sweater", "Silk Scarf"),
        "leads": ("Vintage", "Retro", "Deadstock"),
        "materials": ("denim", "wool", "silk"),
        "tags": ("vintage clothing", "vintage jacket", "retro fashion", "thrifted", "90s"),
        "price": (28, 140),
        "personalization": None,
        "variation": None,
    },
    {
        "category": "Accessories",
        "kind": "handmade",
        "items": ("Leather Wallet", "Card Holder", "Leather Keychain"),
        "leads": ("Personalized", "Monogrammed", "Hand Stitched"),
        "materials": ("full grain leather", "waxed thread"),
        "tags": ("leather wallet", "gift for him", "groomsmen gift", "anniversary gift", "monogram"),
        "price": (18, 95),
        "personalization": ("Initials to emboss", 4),
        "variation": ("Color", ("Tan", "Brown", "Black")),
    },
    {
        "category": "Bags & Purses",
        "kind": "handmade",
        "items": ("Canvas Tote Bag", "Market Tote", "Crossbody Bag"),
        "leads": ("Monogram", "Personalized", "Handmade"),
        "materials": ("canvas", "cotton webbing", "leather"),
        "tags": ("tote bag", "canvas bag", "teacher gift", "bridesmaid gift", "market bag"),
        "price": (20, 110),
        "personalization": ("Name or monogram", 14),
        "variation": None,
    },
    {
        "category": "Bags & Purses",
        "kind": "vintage",
        "items": ("Leather Handbag", "Beaded Evening Bag", "Kelly Style Bag"),
        "leads": ("Vintage", "Retro", "Antique"),
        "materials": ("leather", "glass beads"),
        "tags": ("vintage bag", "vintage purse", "retro fashion", "evening bag"),
        "price": (35, 210),
        "personalization": None,
        "variation": None,
    },
    {
        "category": "Weddings",
        "kind": "handmade",
        "items": ("Wedding Guest Book", "Welcome Sign", "Ring Bearer Box"),
        "leads": ("Personalized", "Rustic", "Custom"),
        "materials": ("wood", "acrylic", "linen"),
        "tags": ("wedding decor", "guest book", "wedding sign", "rustic wedding", "personalized gift"),
        "price": (30, 150),
        "personalization": ("Couple's names and wedding date", 60),
        "variation": None,
    },
    {
        "category": "Paper & Party Supplies",
        "kind": "handmade",
        "items": ("Birthday Card", "Greeting Card Set", "Wedding Invitation Suite"),
        "leads": ("Letterpress", "Hand Lettered", "Custom"),
        "materials": ("cotton paper", "envelope"),
        "tags": ("greeting card", "birthday card", "stationery", "letterpress", "thank you card"),
        "price": (5, 45),
        "personalization": ("Message to print inside", 150),
        "variation": None,
    },
    {
        "category": "Paper & Party Supplies",
        "kind": "handmade",
        "items": ("Leather Journal", "Weekly Planner", "Sketchbook"),
        "leads": ("Handbound", "Personalized", "Refillable"),
        "materials": ("leather", "recycled paper"),
        "tags": ("journal", "notebook", "planner", "gift for writer", "handbound"),
        "price": (15, 75),
        "personalization": ("Name to deboss on the cover", 16),
        "variation": None,
    },
    {
        "category": "Toys & Games",
        "kind": "handmade",
        "items": ("Wooden Name Puzzle", "Stacking Toy", "Wooden Teether"),
        "leads": ("Personalized", "Montessori", "Natural"),
        "materials": ("beech wood", "non toxic paint"),
        "tags": ("wooden toy", "baby gift", "name puzzle", "montessori", "first birthday"),
        "price": (18, 65),
        "personalization": ("Child's name (up to 10 letters)", 10),
        "variation": None,
    },
    {
        "category": "Toys & Games",
        "kind": "handmade",
        "items": ("Crochet Bunny", "Amigurumi Bear", "Plush Dinosaur"),
        "leads": ("Crochet", "Handmade", "Soft"),
        "materials": ("cotton yarn", "polyester fiberfill"),
        "tags": ("crochet toy", "amigurumi", "baby shower", "stuffed animal", "nursery"),
        "price": (16, 60),
        "personalization": None,
        "variation": None,
    },
    {
        "category": "Toys & Games",
        "kind": "vintage",
        "items": ("Tin Toy Robot", "Board Game", "Wooden Train Set"),
        "leads": ("Vintage", "Retro", "Antique"),
        "materials": ("tin", "cardboard", "wood"),
        "tags": ("vintage toy", "collectible", "retro toy", "70s", "nostalgia"),
        "price": (15, 150),
        "personalization": None,
        "variation": None,
    },
    {
        "category": "Bath & Beauty",
        "kind": "handmade",
        "items": ("Goat Milk Soap", "Bath Bomb Set", "Lip Balm Set"),
        "leads": ("Natural", "Handmade", "Organic"),
        "materials": ("goat milk", "shea butter", "essential oils"),
        "tags": ("handmade soap", "bath bomb", "spa gift", "self care", "natural skincare"),
        "price": (6, 32),
        "personalization": None,
        "variation": ("Scent", ("Lavender", "Oatmeal Honey", "Eucalyptus")),
    },
    {
        "category": "Pet Supplies",
        "kind": "handmade",
        "items": ("Dog Collar", "Pet Bandana", "Cat Bed"),
        "leads": ("Personalized", "Handmade", "Custom"),
        "materials": ("cotton", "leather", "brass hardware"),
        "tags": ("dog collar", "pet bandana", "dog lover gift", "pet accessories", "new puppy"),
        "price": (12, 55),
        "personalization": ("Pet's name to embroider", 12),
        "variation": ("Size", ("S", "M", "L")),
    },
    {
        "category": "Craft Supplies & Tools",
        "kind": "supplies",
        "items": ("Glass Seed Beads", "Gemstone Chip Beads", "Charm Assortment"),
        "leads": ("Bulk", "Assorted", "Wholesale"),
        "materials": ("glass", "gemstone", "zinc alloy"),
        "tags": ("beads", "jewelry making", "craft supplies", "bulk beads", "diy"),
        "price": (4, 28),
        "personalization": None,
        "variation": None,
    },
    {
        "category": "Craft Supplies & Tools",
        "kind": "supplies",
        "items": ("Merino Yarn", "Hand Dyed Yarn", "Cotton Fabric Bundle"),
        "leads": ("Hand Dyed", "Fat Quarter", "Skein of"),
        "materials": ("merino wool", "cotton"),
        "tags": ("yarn", "knitting", "fabric", "quilting", "hand dyed"),
        "price": (6, 40),
        "personalization": None,
        "variation": None,
    },
    {
        "category": "Craft Supplies & Tools",
        "kind": "vintage",
        "items": ("Button Lot", "Sewing Pattern", "Lace Trim"),
        "leads": ("Vintage", "Antique", "Retro"),
        "materials": ("bakelite", "paper", "cotton lace"),
        "tags": ("vintage buttons", "sewing pattern", "vintage lace", "sewing supplies", "haberdashery"),
        "price": (6, 48),
        "personalization": None,
        "variation": None,
    },
)
SUFFIXES = {
    "handmade": (
        "Gift for Her",
        "Christmas Gift",
        "Birthday Gift",
        "Anniversary Gift",
        "Handmade Gift",
        "Holiday Gift",
        "Handmade",
    ),
    "vintage": ("1970s", "1960s", "Mid Century", "1980s", "Collectible", "Retro Decor", "1950s"),
    "supplies": ("Jewelry Making", "DIY Craft", "Craft Supply", "Sewing Supply", "Knitting Supply"),
}
VINTAGE_WHEN = ("1950s", "1960s", "1970s", "1970s", "1980s", "1980s", "1990s", "before_2006", "1940s")
HANDMADE_WHEN = ("made_to_order", "2020_2025", "2020_2025", "2020_2025", "made_to_order")
NAME_FIRST = (
    "Willow",
    "Fern",
    "Copper",
    "Juniper",
    "Maple",
    "Sparrow",
    "Honey",
    "Moss",
    "Amber",
    "Cedar",
    "Indigo",
    "Olive",
    "Saffron",
    "Thistle",
    "Wren",
    "Birch",
    "Clover",
    "Hazel",
    "Ivy",
    "Lark",
    "Rowan",
    "Sage",
    "Poppy",
    "Marigold",
    "Bramble",
    "Pebble",
    "Tide",
    "Ember",
    "Velvet",
    "Rusty",
    "Golden",
    "Little",
)
NAME_SECOND = (
    "Hollow",
    "Lane",
    "Grove",
    "Meadow",
    "Nest",
    "Loft",
    "Barn",
    "Cove",
    "Creek",
    "Field",
    "Moon",
    "Fox",
    "Oak",
    "Stone",
    "Thread",
    "Kiln",
    "Bloom",
    "Harbor",
    "Ridge",
    "Attic",
)
NAME_SUFFIX = {
    "handmade": ("Studio", "Co", "Makes", "Designs", "Workshop", "Crafts", "Atelier", "Goods", "Handmade"),
    "vintage": ("Vintage", "Finds", "Antiques", "Treasures", "Revival", "Thrift"),
    "supplies": ("Supply", "Beads", "Yarns", "Crafts", "Supplies"),
}
SHOP_COUNTRIES = (
    (("US", "USD"),) * 12
    + (("GB", "GBP"),) * 3
    + (("CA", "CAD"), ("CA", "CAD"), ("AU", "AUD"), ("DE", "EUR"), ("FR", "EUR"), ("NL", "EUR"))
)
CITIES = {
    "US": (
        "Portland",
        "Asheville",
        "Austin",
        "Brooklyn",
        "Denver",
        "Savannah",
        "Madison",
        "Santa Fe",
        "Burlington",
        "Nashville",
        "Providence",
        "Boise",
    ),
    "GB": ("Bristol", "Brighton", "Edinburgh", "Manchester", "York", "Bath"),
    "CA": ("Toronto", "Vancouver", "Halifax", "Montreal"),
    "AU": ("Melbourne", "Hobart", "Brisbane"),
    "DE": ("Berlin", "Leipzig", "Hamburg"),
    "FR": ("Lyon", "Nantes", "Paris"),
    "NL": ("Utrecht", "Amsterdam"),
}
BUYER_COUNTRIES = ("US",) * 10 + ("GB", "GB", "CA", "CA", "AU", "DE", "FR")
SECTIONS = {
    "handmade": ("Bestsellers", "New Arrivals", "Gifts", "Custom Orders", "Holiday", "Sale"),
    "vintage": ("Kitchen", "Decor", "Just In", "Under $50", "Collectibles"),
    "supplies": ("Beads", "Findings", "Yarn", "Bundles", "Clearance"),
}
DESCRIPTIONS = {
    "handmade": "Each {item} is made by hand in my {city} studio from {material}. {extra}",
    "vintage": "A genuine vintage {item} from the {era}, found in {city}. Made of {material}. {extra}",
    "supplies": "{item} for your next project: {material}, sold by the pack. {extra}",
}
EXTRAS = {
    "handmade": (
        "Small variations make every piece one of a kind.",
        "Arrives gift wrapped and ready to give.",
        "Made to order, so please allow the processing time.",
        "Packed plastic free.",
    ),
    "vintage": (
        "Light wear consistent with age, see photos.",
        "Excellent vintage condition.",
        "Some crazing to the glaze, no chips.",
        "Cleaned and ready to use.",
    ),
    "supplies": (
        "Great for jewelry making and crafts.",
        "Colors may vary slightly by dye lot.",
        "Ships in a resealable bag.",
    ),
}
VACATION_MESSAGES = (
    "Away at a craft fair, back next week!",
    "Closed for the holidays, orders resume in the new year.",
    "On maternity leave, thank you for your patience.",
    "Restocking the studio, back soon.",
)
REVIEW_TEXTS = (
    "Absolutely beautiful, even better than the photos.",
    "Arrived quickly and so well packaged.",
    "Lovely quality, my sister cried when she opened it.",
    "Nice piece but took longer to arrive than expected.",
    "Exactly as described, would buy again.",
    "Smaller than I expected, but still cute.",
)
PERSONAL_NAMES = ("Emma", "Olivia", "Ava", "Mia", "Noah", "Liam", "Grace", "Lucy", "Oscar", "Harper", "Milo", "Ruby")
EMAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com")
PROFILE_TEMPLATES = (
    # title, processing min/max, domestic rate in dollars, international rate, domestic days, international days
    ("Standard Shipping", 1, 3, 4.5, 14.0, (2, 5), (7, 18)),
    ("Made to Order", 5, 10, 5.5, 16.0, (3, 6), (8, 21)),
    ("Free Domestic Shipping", 1, 2, 0.0, 12.0, (3, 6), (7, 16)),
    ("Heavy Items", 2, 5, 12.0, 38.0, (3, 7), (10, 24)),
)


@env.seed
def seed_marketplace(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    now = NOW
    db.execute(insert(ServiceClock), [{"id": 1, "now": now.isoformat()}])
    users: list[dict[str, Any]] = []
    logins: set[str] = set()

    def new_user(country: str, city: str) -> dict[str, Any]:
        first, last = fake.first_name(), fake.last_name()
        login = f"{first.lower()}{last.lower()}"[:16]
        while login in logins:
            login = f"{login[:14]}{rng.randint(10, 99)}"
        logins.add(login)
        user = {
            "user_id": 50_000_000 + len(users) * 7919 + rng.randint(0, 7000),
            "login_name": login,
            "email": f"{login}@{rng.choice(EMAIL_DOMAINS)}",
            "first_name": first,
            "last_name": last,
            "city": city,
            "country_iso": country,
            "created_timestamp": stamp(now - dt.timedelta(days=rng.randint(60, 3600))),
        }
        users.append(user)
        return user

    shops, sections, profiles, destinations, listings, variations = [], [], [], [], [], []
    shop_names: set[str] = set()
    listing_ids = iter(range(1_300_000_000, 1_900_000_000, 211_531))
    for index in range(200):
        kind = rng.choices(("handmade", "vintage", "supplies"), (0.68, 0.24, 0.08))[0]
        country, currency = rng.choice(SHOP_COUNTRIES)
        city = rng.choice(CITIES[country])
        owner = new_user(country, city)
        name = ""
        while not name or name in shop_names:
            name = rng.choice(NAME_FIRST) + rng.choice(NAME_SECOND) + rng.choice(NAME_SUFFIX[kind])
        shop_names.add(name)
        shop_id = 20_000_000 + index * 4099 + rng.randint(0, 4000)
        lines = [p for p in PRODUCTS if p["kind"] == kind]
        focus = rng.sample(lines, min(len(lines), rng.randint(1, 3)))
        reviews = rng.randint(0, 900)
        shops.append(
            {
                "shop_id": shop_id,
                "shop_name": name,
                "user_id": owner["user_id"],
                "title": f"{focus[0]['items'][0]}s and more, {'handmade' if kind == 'handmade' else kind} in {city}",
                "city": city,
                "country_iso": country,
                "currency_code": currency,
                "is_vacation": rng.random() < 0.07,
                "vacation_message": "",
                "accepts_returns": rng.random() < 0.55,
                "return_window_days": 0,
                "review_average": round(rng.uniform(4.3, 5.0), 2) if reviews else 0.0,
                "review_count": reviews,
                "transaction_sold_count": reviews * rng.randint(3, 6) + rng.randint(0, 40),
                "created_timestamp": stamp(now - dt.timedelta(days=rng.randint(200, 4000))),
            }
        )
        shop = shops[-1]
        if shop["is_vacation"]:
            shop["vacation_message"] = rng.choice(VACATION_MESSAGES)
        if shop["accepts_returns"]:
            shop["return_window_days"] = rng.choice((14, 30, 30, 60))
        rate = {"USD": 1.0, "GBP": 0.79, "EUR": 0.93, "CAD": 1.39, "AUD": 1.54}[currency]
        shop_sections = []
        for s_index, title in enumerate(rng.sample(SECTIONS[kind], rng.randint(2, 4))):
            shop_sections.append(shop_id * 10 + s_index)
            sections.append({"shop_section_id": shop_id * 10 + s_index, "shop_id": shop_id, "title": title})
        shop_profiles = []
        for p_index, template in enumerate(rng.sample(PROFILE_TEMPLATES, rng.randint(1, 3))):
            title, pmin, pmax, home, abroad, home_days, abroad_days = template
            profile_id = 180_000_000 + index * 10 + p_index
            shop_profiles.append(profile_id)
            profiles.append(
                {
                    "shipping_profile_id": profile_id,
                    "shop_id": shop_id,
                    "title": title,
                    "min_processing_days": pmin,
                    "max_processing_days": pmax,
                    "origin_country_iso": country,
                }
            )
            abroad_to = rng.sample(
                [c for c in ("US", "GB", "CA", "AU", "DE", "FR", "NL") if c != country], rng.randint(1, 6)
            )
            for target in [country, *abroad_to]:
                base = home if target == country else abroad * rng.uniform(0.8, 1.2)
                days = home_days if target == country else abroad_days
                cents = int(round(base * rate, 0) * 100) if base else 0
                destinations.append(
                    {
                        "shipping_profile_id": profile_id,
                        "destination_country_iso": target,
                        "primary_cost": cents,
                        "secondary_cost": cents // 2 if cents else 0,
                        "min_delivery_days": days[0],
                        "max_delivery_days": days[1],
                    }
                )
        titles: set[str] = set()
        for _ in range(rng.randint(4, 12)):
            line = rng.choice(focus)
            item = rng.choice(line["items"])
            title = f"{rng.choice(line['leads'])} {item}"
            if rng.random() < 0.8:
                title += f", {rng.choice(SUFFIXES[kind])}"
            if title in titles or title.split()[0] == title.split()[1]:
                continue
            titles.add(title)
            listing_id = next(listing_ids) + rng.randint(0, 200_000)
            low, high = line["price"]
            cents = int(rng.uniform(low, high) * rate) * 100 + rng.choice((0, 0, 50, 99, 95))
            when = rng.choice(VINTAGE_WHEN) if kind == "vintage" else rng.choice(HANDMADE_WHEN)
            if kind == "supplies":
                when = "2020_2025"
            state = rng.choices(("active", "inactive", "sold_out", "expired", "draft"), (0.8, 0.04, 0.06, 0.07, 0.03))[
                0
            ]
            created = now - dt.timedelta(days=rng.randint(5, 900))
            renewed = now - dt.timedelta(days=rng.randint(1, 118))
            if state == "expired":
                renewed = now - dt.timedelta(days=rng.randint(125, 400))
            ending = add_months(renewed, LISTING_MONTHS)
            personalization = line["personalization"] if rng.random() < 0.85 else None
            material = rng.choice(line["materials"])
            listing = {
                "listing_id": listing_id,
                "shop_id": shop_id,
                "user_id": owner["user_id"],
                "shop_section_id": rng.choice(shop_sections) if rng.random() < 0.8 else None,
                "title": title,
                "description": DESCRIPTIONS[kind]
                .format(
                    item=item.lower(),
                    city=city,
                    material=material,
                    era=when.replace("_", " "),
                    extra=rng.choice(EXTRAS[kind]) if rng.random() < 0.5 else "",
                )
                .strip(),
                "state": state,
                "category": line["category"],
                "quantity": 0 if state == "sold_out" else rng.randint(1, 25),
                "price": cents,
                "currency_code": currency,
                "tags": sorted(rng.sample(line["tags"], rng.randint(3, min(5, len(line["tags"]))))),
                "materials": sorted({material, *rng.sample(line["materials"], 1)}),
                "who_made": "someone_else" if kind != "handmade" else rng.choice(("i_did", "i_did", "collective")),
                "when_made": when,
                "is_supply": kind == "supplies",
                "shipping_profile_id": rng.choice(shop_profiles) if state != "draft" or rng.random() < 0.3 else None,
                "is_personalizable": personalization is not None,
                "personalization_is_required": personalization is not None and rng.random() < 0.75,
                "personalization_char_count_max": personalization[1] if personalization else 0,
                "personalization_instructions": personalization[0] if personalization else "",
                "num_favorers": int(rng.paretovariate(1.3) * 12) if state != "draft" else 0,
                "created_timestamp": stamp(created),
                "last_renewed_timestamp": None if state == "draft" else stamp(max(created, renewed)),
                "ending_timestamp": None if state == "draft" else stamp(ending),
            }
            listings.append(listing)
            variation = line["variation"]
            if variation and rng.random() < 0.6 and state != "draft":
                prop, values = variation
                total = 0
                for v_index, value in enumerate(values):
                    quantity = 0 if state == "sold_out" else rng.randint(0, 8)
                    total += quantity
                    variations.append(
                        {
                            "variation_id": listing_id * 10 + v_index,
                            "listing_id": listing_id,
                            "property_name": prop,
                            "value": value,
                            "price": cents + v_index * rng.choice((0, 200, 500)),
                            "quantity": quantity,
                        }
                    )
                if state == "active" and total == 0:
                    variations[-1]["quantity"] = total = 3
                listing["quantity"] = total

    buyers = [new_user(c, fake.city()) for c in (rng.choice(BUYER_COUNTRIES) for _ in range(360))]
    db.execute(insert(User), users)
    db.execute(insert(Shop), shops)
    db.execute(insert(ShopSection), sections)
    db.execute(insert(ShippingProfile), profiles)
    db.execute(insert(ShippingDestination), destinations)
    db.execute(insert(Listing), listings)
    db.execute(insert(ListingVariation), variations)
    _seed_activity(db, rng, buyers, shops, listings, variations, destinations, profiles)


def _seed_activity(
    db: Session,
    rng: Any,
    buyers: list[dict[str, Any]],
    shops: list[dict[str, Any]],
    listings: list[dict[str, Any]],
    variations: list[dict[str, Any]],
    destinations: list[dict[str, Any]],
    profiles: list[dict[str, Any]],
) -> None:
    """Favorites, carts and orders in every state (paid, shipped, reviewed) from the seeded buyers."""
    now = NOW
    shop_of = {s["shop_id"]: s for s in shops}
    routes = {(d["shipping_profile_id"], d["destination_country_iso"]): d for d in destinations}
    processing = {p["shipping_profile_id"]: p["max_processing_days"] for p in profiles}
    options: dict[int, list[dict[str, Any]]] = {}
    for v in variations:
        options.setdefault(v["listing_id"], []).append(v)
    live = [x for x in listings if x["state"] == "active" and x["shipping_profile_id"]]
    # Favorites outlive a listing's active days: some point at listings now sold out or expired.
    shown = live + [x for x in listings if x["state"] in ("sold_out", "expired")][:120]
    favorites, carts, receipts, transactions, shipments, reviews = [], [], [], [], [], []
    seen: set[tuple[int, int]] = set()
    for buyer in buyers:
        for listing in rng.sample(shown, rng.randint(0, 9)):
            if (buyer["user_id"], listing["listing_id"]) not in seen:
                seen.add((buyer["user_id"], listing["listing_id"]))
                when = now - dt.timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 1400))
                favorites.append(
                    {"user_id": buyer["user_id"], "listing_id": listing["listing_id"], "created_timestamp": stamp(when)}
                )
    next_id = iter(range(3_100_000_000, 3_900_000_000, 97_771))
    for buyer in buyers:
        reachable = [x for x in live if (x["shipping_profile_id"], buyer["country_iso"]) in routes]
        for listing in rng.sample(reachable, rng.choice((0, 0, 0, 1, 1, 2, 3))) if reachable else ():
            choice = rng.choice(options[listing["listing_id"]]) if listing["listing_id"] in options else None
            personal = rng.choice(PERSONAL_NAMES) if listing["is_personalizable"] else ""
            if shop_of[listing["shop_id"]]["user_id"] == buyer["user_id"]:
                continue
            carts.append(
                {
                    "cart_item_id": next(next_id),
                    "user_id": buyer["user_id"],
                    "listing_id": listing["listing_id"],
                    "shop_id": listing["shop_id"],
                    "variation_id": choice["variation_id"] if choice else None,
                    "quantity": 1,
                    "personalization": personal,
                    "added_timestamp": stamp(now - dt.timedelta(days=rng.randint(0, 20))),
                }
            )
        for _ in range(rng.choice((0, 1, 1, 2, 3, 4, 5))):
            if not reachable:
                break
            listing = rng.choice(reachable)
            shop = shop_of[listing["shop_id"]]
            created = now - dt.timedelta(
                days=rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 35, 50, 70, 90, 120, 160, 200)), hours=rng.randint(0, 20)
            )
            days_ago = (now - created).days
            choice = rng.choice(options[listing["listing_id"]]) if listing["listing_id"] in options else None
            quantity = rng.choice((1, 1, 1, 2))
            price = choice["price"] if choice else listing["price"]
            route = routes[(listing["shipping_profile_id"], buyer["country_iso"])]
            shipping = shipping_cost([(route, quantity)])
            max_processing = processing[listing["shipping_profile_id"]]
            shipped = days_ago > max_processing or (days_ago >= 1 and rng.random() < 0.4)
            canceled = not shipped and rng.random() < 0.05
            receipt_id = next(next_id)
            receipts.append(
                {
                    "receipt_id": receipt_id,
                    "shop_id": shop["shop_id"],
                    "seller_user_id": shop["user_id"],
                    "buyer_user_id": buyer["user_id"],
                    "status": "completed" if shipped else ("canceled" if canceled else "paid"),
                    "is_shipped": shipped,
                    "ship_to_country_iso": buyer["country_iso"],
                    "ship_to_city": buyer["city"],
                    "currency_code": shop["currency_code"],
                    "subtotal": price * quantity,
                    "total_shipping_cost": shipping,
                    "grandtotal": price * quantity + shipping,
                    "message_from_buyer": "",
                    "expected_ship_date": (created.date() + dt.timedelta(days=max_processing)).isoformat(),
                    "created_timestamp": stamp(created),
                }
            )
            transaction_id = next(next_id)
            personal = ""
            if listing["is_personalizable"] and (listing["personalization_is_required"] or rng.random() < 0.5):
                personal = rng.choice(PERSONAL_NAMES)[: listing["personalization_char_count_max"]]
            transactions.append(
                {
                    "transaction_id": transaction_id,
                    "receipt_id": receipt_id,
                    "listing_id": listing["listing_id"],
                    "title": listing["title"],
                    "variation_id": choice["variation_id"] if choice else None,
                    "variation": f"{choice['property_name']}: {choice['value']}" if choice else "",
                    "quantity": quantity,
                    "price": price,
                    "shipping_cost": shipping,
                    "personalization": personal,
                }
            )
            if shipped:
                ship_day = created + dt.timedelta(days=min(days_ago, rng.randint(1, max_processing)), hours=3)
                carrier = {
                    "US": "usps",
                    "GB": "royal-mail",
                    "CA": "canada-post",
                    "AU": "australia-post",
                    "DE": "deutsche-post",
                    "FR": "la-poste",
                    "NL": "dhl",
                }[shop["country_iso"]]
                code = "".join(rng.choice("0123456789") for _ in range(18))
                if carrier == "royal-mail":
                    code = f"RM{code[:9]}GB"
                shipments.append(
                    {
                        "receipt_shipment_id": next(next_id),
                        "receipt_id": receipt_id,
                        "carrier_name": carrier,
                        "tracking_code": code,
                        "shipped_timestamp": stamp(ship_day),
                    }
                )
                if days_ago > 14 and rng.random() < 0.5:
                    reviews.append(
                        {
                            "transaction_id": transaction_id,
                            "receipt_id": receipt_id,
                            "listing_id": listing["listing_id"],
                            "shop_id": shop["shop_id"],
                            "buyer_user_id": buyer["user_id"],
                            "rating": rng.choice((5, 5, 5, 4, 4, 3, 2)),
                            "review": rng.choice(REVIEW_TEXTS),
                            "created_timestamp": stamp(ship_day + dt.timedelta(days=rng.randint(5, 12))),
                        }
                    )
    for table, rows in (
        (Favorite, favorites),
        (CartItem, carts),
        (Receipt, receipts),
        (Transaction, transactions),
        (Shipment, shipments),
        (Review, reviews),
    ):
        if rows:
            db.execute(insert(table), rows)
