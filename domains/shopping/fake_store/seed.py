"""The seed generator and its data tables: a catalog of a few hundred products in eight categories (the
Fake Store API's four and four more departments), a few hundred customers with addresses, a handful of staff
accounts, and carts from the last twelve weeks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import NOW, Cart, CartItem, Category, Product, ServiceClock, User

CUSTOMERS = 320
CARTS = 450
CART_HISTORY_DAYS = 84

# category -> (item, the brands that make it, price range in dollars, what the description says)
CATALOG: dict[str, tuple[tuple[str, tuple[str, ...], int, int, str], ...]] = {
    "electronics": (
        (
            "1TB Portable External Hard Drive",
            ("WD", "Seagate", "Toshiba", "LaCie"),
            45,
            110,
            "USB 3.0 storage for backups",
        ),
        (
            "500GB Internal SSD - SATA III 6 Gb/s",
            ("SanDisk", "Samsung", "Crucial", "Kingston"),
            38,
            90,
            "faster boot and load times for laptops and desktops",
        ),
        ('27" Full HD IPS Monitor', ("Acer", "LG", "Dell", "ASUS"), 119, 299, "thin bezels and a 75Hz refresh rate"),
        (
            "Wireless Noise Cancelling Headphones",
            ("Sony", "Bose", "JBL", "Anker Soundcore"),
            79,
            349,
            "up to 30 hours of battery life",
        ),
        (
            "Bluetooth Portable Speaker",
            ("JBL", "Anker Soundcore", "Ultimate Ears", "Sony"),
            29,
            149,
            "waterproof, with 12 hours of playtime",
        ),
        ("Wireless Mouse", ("Logitech", "Microsoft", "Razer"), 14, 69, "a silent click and a 2.4GHz receiver"),
        ("Mechanical Keyboard", ("Logitech", "Keychron", "Razer", "Corsair"), 49, 159, "hot-swappable switches"),
        ("65W USB-C Charger", ("Anker", "Belkin", "UGREEN"), 25, 59, "charges a laptop and a phone at once"),
        ("128GB microSD Card", ("SanDisk", "Samsung", "Kingston", "Lexar"), 12, 35, "A2 rated for 4K video"),
        ("1080p Webcam", ("Logitech", "Razer", "Microsoft"), 29, 99, "autofocus and a built-in stereo microphone"),
    ),
    "jewelery": (
        ("Rose Gold Plated Tunnel Plug Earrings", ("Pierced Owl", "Oufer"), 9, 25, "stainless steel, rose gold finish"),
        (
            "Sterling Silver Chain Bracelet",
            ("John Hardy", "Pandora", "Monica Vinader", "Mejuri"),
            29,
            180,
            "hand-polished links with a lobster clasp",
        ),
        (
            "White Gold Plated Princess Ring",
            ("Swarovski", "Kendra Scott", "Pandora"),
            9,
            60,
            "a solitaire cubic zirconia in a classic band",
        ),
        (
            "Gold Hoop Earrings",
            ("Mejuri", "Kendra Scott", "Monica Vinader", "Alex and Ani"),
            25,
            140,
            "lightweight hoops for everyday wear",
        ),
        (
            "Pendant Necklace",
            ("Kendra Scott", "Swarovski", "Pandora", "Mejuri"),
            35,
            220,
            "an 18 inch chain with an adjustable extender",
        ),
        (
            "Pearl Stud Earrings",
            ("Mejuri", "Monica Vinader", "Swarovski"),
            30,
            160,
            "freshwater pearls on silver posts",
        ),
        ("Charm Bangle", ("Alex and Ani", "Pandora"), 40, 95, "an expandable wire bangle with a charm"),
        ("Signet Ring", ("John Hardy", "Monica Vinader", "Mejuri"), 55, 240, "a flat-top ring that can be engraved"),
        ("Dragon Station Chain Bracelet", ("John Hardy",), 95, 695, "inspired by the mythical water dragon"),
        ("Tennis Bracelet", ("Swarovski", "Kendra Scott", "Pandora"), 49, 190, "a row of sparkling stones"),
    ),
    "men's clothing": (
        ("Foldsack No. 1 Backpack", ("Fjallraven",), 59, 119, "fits a 15 inch laptop in a padded sleeve"),
        (
            "Casual Premium Slim Fit T-Shirt",
            ("Hanes", "Champion", "Carhartt", "Levi's"),
            12,
            30,
            "a lightweight, breathable cotton blend",
        ),
        (
            "Cotton Jacket",
            ("Carhartt", "Levi's", "Columbia", "Wrangler"),
            45,
            160,
            "a great outerwear layer for spring, autumn and winter",
        ),
        ("Slim Fit Chino Pants", ("Dockers", "Levi's", "Haggar"), 29, 69, "stretch twill with a tailored leg"),
        ("Crewneck Sweatshirt", ("Champion", "Hanes", "Carhartt"), 22, 60, "soft fleece inside and ribbed cuffs"),
        (
            "Flannel Shirt",
            ("Carhartt", "Wrangler", "Columbia", "Pendleton"),
            24,
            65,
            "brushed cotton in a classic plaid",
        ),
        ("Rain Jacket", ("Columbia", "Patagonia", "The North Face"), 55, 180, "waterproof, breathable and packable"),
        ("Relaxed Fit Jeans", ("Levi's", "Wrangler", "Lee"), 35, 80, "five-pocket denim with a straight leg"),
        ("Fleece Vest", ("Patagonia", "The North Face", "Columbia"), 39, 120, "a warm layer that packs small"),
        ("Polo Shirt", ("Ralph Lauren", "Lacoste", "Champion"), 25, 95, "a piqué knit with a two-button placket"),
    ),
    "women's clothing": (
        (
            "3-in-1 Snowboard Jacket Winter Coat",
            ("BIYLACLESEN", "Columbia", "The North Face"),
            49,
            130,
            "a detachable fleece liner and a storm hood",
        ),
        (
            "Removable Hooded Faux Leather Moto Biker Jacket",
            ("Lock and Love", "BLANKNYC"),
            29,
            90,
            "faux leather with a removable hood",
        ),
        (
            "Windbreaker Striped Climbing Raincoat",
            ("Roxy", "Columbia", "Marmot"),
            29,
            60,
            "a lightweight shell with an adjustable hood",
        ),
        (
            "Solid Short Sleeve Boat Neck V",
            ("MBJ", "Amazon Essentials"),
            7,
            25,
            "lightweight rayon with a little spandex",
        ),
        (
            "Short Sleeve Moisture T-Shirt",
            ("Opna", "Under Armour", "Champion"),
            6,
            20,
            "moisture-wicking, quick-drying",
        ),
        ("Casual Cotton Short Sleeve T-Shirt", ("DANVOUY", "Hanes", "Levi's"), 9, 25, "a soft cotton tee, loose fit"),
        ("High Rise Skinny Jeans", ("Levi's", "Wrangler", "Lee"), 35, 90, "stretch denim that keeps its shape"),
        (
            "Knit Cardigan Sweater",
            ("Amazon Essentials", "MEROKEETY", "Lands' End"),
            25,
            75,
            "an open front, long sleeves",
        ),
        (
            "Wrap Midi Dress",
            ("Amazon Essentials", "PRETTYGARDEN", "Lands' End"),
            29,
            70,
            "a tie waist and flutter sleeves",
        ),
        ("Puffer Vest", ("The North Face", "Columbia", "Lands' End"), 39, 110, "water-resistant and lightly insulated"),
    ),
    "home & kitchen": (
        ("10.25 Inch Cast Iron Skillet", ("Lodge", "Utopia Kitchen"), 19, 45, "pre-seasoned and oven safe"),
        (
            "Stainless Steel Mixing Bowl Set",
            ("OXO", "Cuisinart", "FineDine"),
            24,
            60,
            "nesting bowls, non-slip bottoms",
        ),
        (
            "12-Cup Programmable Coffee Maker",
            ("Cuisinart", "Hamilton Beach", "Mr. Coffee", "Ninja"),
            39,
            120,
            "brew-pause and a keep-warm plate",
        ),
        ("6 Quart Electric Pressure Cooker", ("Instant Pot", "Ninja", "Crock-Pot"), 69, 149, "seven appliances in one"),
        ("Glass Food Storage Containers", ("Pyrex", "Rubbermaid", "OXO"), 19, 45, "leak-proof lids, dishwasher safe"),
        (
            "Chef's Knife 8 Inch",
            ("Victorinox", "Wusthof", "Mercer Culinary", "Henckels"),
            29,
            150,
            "high-carbon stainless steel",
        ),
        (
            "Electric Kettle",
            ("Cuisinart", "Hamilton Beach", "Cosori", "KitchenAid"),
            24,
            80,
            "boils a litre in minutes",
        ),
        ("Nonstick Frying Pan Set", ("T-fal", "Calphalon", "Cuisinart"), 29, 90, "two pans with stay-cool handles"),
        (
            "Stand Mixer 5 Quart",
            ("KitchenAid", "Hamilton Beach", "Cuisinart"),
            129,
            449,
            "ten speeds, tilt-head design",
        ),
        ("Single Serve Coffee Brewer", ("Keurig", "Hamilton Beach"), 59, 170, "brews a cup in under a minute"),
    ),
    "sports & outdoors": (
        ("4-Person Dome Tent", ("Coleman", "CORE Equipment", "Kelty"), 69, 199, "sets up in ten minutes"),
        (
            "32 oz Insulated Water Bottle",
            ("Hydro Flask", "YETI", "CamelBak", "Stanley"),
            25,
            45,
            "keeps drinks cold for 24 hours",
        ),
        ("Yoga Mat 6mm", ("Gaiam", "Manduka", "Lululemon"), 19, 90, "a non-slip textured surface"),
        ("Adjustable Dumbbells", ("Bowflex", "NordicTrack", "CAP Barbell"), 99, 399, "one pair replaces a whole rack"),
        ("Hiking Daypack 24L", ("Osprey", "Deuter", "REI Co-op"), 49, 140, "a ventilated back panel and hip belt"),
        ("Official Size Basketball", ("Wilson", "Spalding", "Nike"), 19, 60, "composite leather, indoor or outdoor"),
        ("Resistance Bands Set", ("Fit Simplify", "Gaiam", "TheraBand"), 12, 35, "five bands with handles"),
        ("Camping Sleeping Bag", ("Coleman", "Kelty", "TETON Sports"), 29, 120, "rated to 30 degrees Fahrenheit"),
        ("Running Shorts", ("Nike", "Under Armour", "Adidas"), 19, 45, "a built-in liner and a zip pocket"),
        ("Hydration Pack 2L", ("CamelBak", "Osprey"), 39, 110, "a leak-proof reservoir for long rides"),
    ),
    "beauty": (
        (
            "Daily Moisturizing Lotion 12 oz",
            ("CeraVe", "Aveeno", "Eucerin", "Cetaphil"),
            9,
            25,
            "fragrance free with hyaluronic acid",
        ),
        (
            "Hydrating Facial Cleanser",
            ("CeraVe", "Cetaphil", "Neutrogena", "La Roche-Posay"),
            8,
            20,
            "gentle enough for sensitive skin",
        ),
        ("Niacinamide 10% + Zinc 1% Serum", ("The Ordinary",), 6, 15, "for blemishes and visible pores"),
        (
            "Sunscreen SPF 50",
            ("Neutrogena", "La Roche-Posay", "Banana Boat", "Supergoop!"),
            9,
            36,
            "water resistant for 80 minutes",
        ),
        ("Volumizing Mascara", ("Maybelline", "L'Oreal Paris", "Essence"), 5, 15, "buildable volume without clumps"),
        ("Lip Balm 4 Pack", ("Burt's Bees", "Aquaphor", "ChapStick"), 4, 12, "beeswax and vitamin E"),
        (
            "Retinol Night Cream",
            ("Olay", "Neutrogena", "RoC", "L'Oreal Paris"),
            15,
            45,
            "smooths the look of fine lines overnight",
        ),
        ("Micellar Cleansing Water", ("Garnier", "Bioderma", "Simple"), 6, 15, "removes makeup without rinsing"),
        ("Hyaluronic Acid 2% + B5 Serum", ("The Ordinary",), 7, 14, "hydration for every skin type"),
        ("Dry Shampoo", ("Batiste", "Klorane", "Dove"), 5, 24, "refreshes hair between washes"),
    ),
    "toys & games": (
        ("Classic Creative Brick Box", ("LEGO",), 29, 60, "hundreds of bricks in dozens of colours"),
        ("Family Board Game", ("Hasbro Gaming", "Mattel Games", "Ravensburger"), 15, 45, "for two to six players"),
        ("1000 Piece Jigsaw Puzzle", ("Ravensburger", "Buffalo Games", "Springbok"), 12, 30, "a panoramic landscape"),
        ("Wooden Activity Cube", ("Melissa & Doug", "Hape"), 35, 70, "bead mazes and shape sorters on five sides"),
        ("Remote Control Car", ("Hot Wheels", "Traxxas", "Sharper Image"), 25, 80, "rechargeable, 2.4GHz control"),
        ("Foam Dart Blaster", ("Nerf",), 15, 50, "comes with twenty darts"),
        ("Die-Cast Car 20 Pack", ("Hot Wheels", "Matchbox"), 19, 30, "1:64 scale cars in assorted styles"),
        ("Space Station Building Set", ("LEGO", "Mega Bloks"), 49, 120, "four minifigures and a launch pad"),
        ("Stacking Rings Toy", ("Fisher-Price", "Melissa & Doug"), 7, 20, "five colourful rings for babies"),
        ("Card Game", ("Mattel Games", "Hasbro Gaming", "Exploding Kittens"), 8, 25, "quick to learn, fun to replay"),
    ),
}
# city, ZIP codes used there, latitude, longitude
CITIES = (
    ("San Antonio", ("78201", "78209", "78251"), 29.42, -98.49),
    ("Cleveland", ("44102", "44113", "44115"), 41.5, -81.69),
    ("Portland", ("97201", "97205", "97214"), 45.52, -122.68),
    ("Boise", ("83702", "83704", "83706"), 43.62, -116.2),
    ("Tampa", ("33602", "33606", "33611"), 27.95, -82.46),
    ("Madison", ("53703", "53705", "53711"), 43.07, -89.4),
    ("Denver", ("80202", "80206", "80210"), 39.74, -104.99),
    ("Austin", ("78701", "78704", "78745"), 30.27, -97.74),
    ("Columbus", ("43201", "43205", "43215"), 39.96, -83.0),
    ("Raleigh", ("27601", "27603", "27609"), 35.78, -78.64),
    ("Nashville", ("37203", "37206", "37212"), 36.16, -86.78),
    ("Kansas City", ("64105", "64108", "64111"), 39.1, -94.58),
    ("Sacramento", ("95814", "95816", "95819"), 38.58, -121.49),
    ("Pittsburgh", ("15212", "15213", "15222"), 40.44, -79.99),
    ("Minneapolis", ("55401", "55405", "55408"), 44.98, -93.27),
    ("Richmond", ("23219", "23220", "23223"), 37.54, -77.44),
    ("Salt Lake City", ("84101", "84102", "84105"), 40.76, -111.89),
    ("Albuquerque", ("87102", "87106", "87110"), 35.08, -106.65),
    ("Omaha", ("68102", "68106", "68131"), 41.26, -95.93),
    ("Louisville", ("40202", "40204", "40206"), 38.25, -85.76),
)
STREETS = (
    "Oak Street",
    "Maple Avenue",
    "Cedar Lane",
    "Pine Street",
    "Washington Avenue",
    "Lake Drive",
    "Hill Road",
    "Park Avenue",
    "Church Street",
    "Main Street",
    "Highland Avenue",
    "Sunset Boulevard",
    "Willow Way",
    "River Road",
    "Franklin Street",
    "Lincoln Avenue",
    "Meadow Lane",
    "Spring Street",
    "Forest Drive",
    "Jefferson Street",
    "Chestnut Street",
    "Ridge Road",
    "Walnut Street",
    "Elm Court",
    "Birch Drive",
)
STAFF = (("Morgan", "Reyes"), ("Priya", "Natarajan"), ("Daniel", "Okafor"), ("Hannah", "Lindqvist"))


def _price_cents(data: SeedData, low: int, high: int) -> int:
    """A shelf price: whole dollars minus a typical ending (.99, .95, .50 or none)."""
    dollars = data.rng.randint(low, high)
    ending = data.rng.choice((1, 1, 1, 5, 50, 0))
    return max(dollars * 100 - ending, 99)


def _products(data: SeedData) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for category, kinds in CATALOG.items():
        for item, brands, low, high, angle in kinds:
            for brand in brands:
                product_id = len(rows) + 1
                rows.append(
                    {
                        "product_id": product_id,
                        "title": f"{brand} {item}",
                        "price_cents": _price_cents(data, low, high),
                        "description": f"{angle[0].upper()}{angle[1:]}. By {brand}.",
                        "category": category,
                        "image": f"https://fakestoreapi.com/img/{product_id}_{data.fake.lexify('????????').lower()}.jpg",
                        "rating_rate": round(data.rng.triangular(1.9, 5.0, 4.1), 1),
                        "rating_count": data.rng.randint(3, 700),
                    }
                )
    return rows


def _users(data: SeedData) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    usernames: set[str] = set()
    people = [(data.fake.first_name(), data.fake.last_name(), "customer") for _ in range(CUSTOMERS)]
    people += [(first, last, "admin") for first, last in STAFF]
    for first, last, role in people:
        base = f"{first[0]}{last}".lower().replace("'", "") if role == "customer" else f"staff.{first.lower()}"
        username = base
        while username in usernames:
            username = f"{base}{data.rng.randint(2, 99)}"
        usernames.add(username)
        city, zipcodes, lat, long = data.rng.choice(CITIES)
        domain = "fakestore.com" if role == "admin" else data.rng.choice(("gmail.com", "yahoo.com", "outlook.com"))
        rows.append(
            {
                "user_id": len(rows) + 1,
                "email": f"{username}@{domain}",
                "username": username,
                "password": data.fake.password(length=10, special_chars=False),
                "firstname": first,
                "lastname": last,
                "city": city,
                "street": data.rng.choice(STREETS),
                "number": data.rng.randint(1, 9800),
                "zipcode": data.rng.choice(zipcodes),
                "lat": round(lat + data.rng.uniform(-0.08, 0.08), 4),
                "long": round(long + data.rng.uniform(-0.08, 0.08), 4),
                "phone": data.fake.numerify("1-###-###-####"),
                "role": role,
            }
        )
    return rows


def _carts(data: SeedData, product_count: int) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    carts: list[dict[str, object]] = []
    items: list[dict[str, object]] = []
    start = NOW.date() - dt.timedelta(days=CART_HISTORY_DAYS)
    for cart_id in range(1, CARTS + 1):
        day = start + dt.timedelta(days=data.rng.randint(0, CART_HISTORY_DAYS))
        carts.append({"cart_id": cart_id, "user_id": data.rng.randint(1, CUSTOMERS), "date": day.isoformat()})
        for product_id in data.rng.sample(range(1, product_count + 1), data.rng.choice((1, 2, 2, 3, 3, 4, 5))):
            quantity = data.rng.choice((1, 1, 1, 2, 2, 3, 4, 6))
            items.append({"cart_id": cart_id, "product_id": product_id, "quantity": quantity})
    return carts, items


@env.seed
def seed_store(db: Session, data: SeedData) -> None:
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    db.execute(insert(Category), [{"category": name} for name in CATALOG])
    products = _products(data)
    db.execute(insert(Product), products)
    db.execute(insert(User), _users(data))
    carts, items = _carts(data, len(products))
    db.execute(insert(Cart), carts)
    db.execute(insert(CartItem), items)
