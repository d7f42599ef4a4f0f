"""The seeded store: a browse-node tree of eight departments, a few thousand ASINs with their buy-box
offers (standalone items and size/colour variation families), lightning deals and deals of the day, and
customers with carts, wish lists, price alerts and past orders."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import (
    DEFAULT_WISH_LIST,
    NOW,
    BrowseNode,
    CartItem,
    Customer,
    Deal,
    Item,
    Order,
    OrderItem,
    PriceAlert,
    ServiceClock,
    VariationFamily,
    WishList,
    WishListItem,
)

# --------------------------------------------------------------------------------------------------
# Data tables
# --------------------------------------------------------------------------------------------------

# A leaf node: (id, name, price range in dollars, brands, product nouns, features, variation dimensions).
# Items in a leaf with dimensions come as variation families; the others are standalone ASINs.
Leaf = tuple[str, str, tuple[int, int], tuple[str, ...], tuple[str, ...], tuple[str, ...], str]

DEPARTMENTS: tuple[tuple[str, str, tuple[Leaf, ...]], ...] = (
    ("172282", "Electronics", (
        ("12097479011", "Over-Ear Headphones", (25, 380),
         ("Sony", "Bose", "Anker Soundcore", "JBL", "Sennheiser", "Audio-Technica", "Beats", "Skullcandy"),
         ("Wireless Noise Cancelling Headphones", "Bluetooth Over-Ear Headphones", "Studio Monitor Headphones",
          "Hybrid Active Noise Cancelling Headphones"),
         ("40H Playtime", "Hi-Res Audio", "Deep Bass", "Built-in Microphone", "Foldable Design"), ""),
        ("12097478011", "Earbuds", (15, 250),
         ("Apple", "Samsung", "Jabra", "Anker Soundcore", "JLab", "Sony", "Bose", "Beats"),
         ("True Wireless Earbuds", "Sport Wireless Earbuds", "Noise Cancelling Earbuds", "Open-Ear Earbuds"),
         ("IPX7 Waterproof", "Wireless Charging Case", "36H Battery Life", "Touch Controls"), ""),
        ("7073956011", "Bluetooth Speakers", (20, 400),
         ("JBL", "Bose", "Sonos", "Ultimate Ears", "Anker Soundcore", "Marshall", "Tribit"),
         ("Portable Bluetooth Speaker", "Waterproof Speaker", "Smart Speaker", "Party Speaker"),
         ("IP67 Waterproof", "24H Playtime", "360 Sound", "PartyBoost"), ""),
        ("7926841011", "Smartwatches", (40, 800),
         ("Apple", "Samsung", "Garmin", "Fitbit", "Amazfit", "Google"),
         ("Smartwatch", "GPS Running Watch", "Fitness Tracker", "Sport Smartwatch"),
         ("Heart Rate Monitor", "Sleep Tracking", "Built-in GPS", "AMOLED Display", "14-Day Battery"), ""),
        ("502394", "Camera & Photo", (60, 1800),
         ("Canon", "Nikon", "Sony", "Fujifilm", "GoPro", "DJI", "Panasonic"),
         ("Mirrorless Camera", "Action Camera", "Compact Digital Camera", "Vlogging Camera Kit"),
         ("4K Video", "Image Stabilization", "24.2MP Sensor", "Flip Screen"), ""),
        ("2407755011", "Phone Cases", (8, 60),
         ("OtterBox", "Spigen", "Casetify", "ESR", "Apple", "Caseology"),
         ("Case for iPhone 15", "Case for iPhone 15 Pro", "Case for Galaxy S24", "Case for Pixel 8"),
         ("MagSafe Compatible", "Military Grade Drop Protection", "Slim Fit", "Clear Back"), "Color"),
    )),
    ("541966", "Computers", (
        ("565108", "Laptops", (250, 2400),
         ("Dell", "HP", "Lenovo", "ASUS", "Acer", "Microsoft", "MSI", "Razer"),
         ("Laptop", "Gaming Laptop", "2-in-1 Laptop", "Chromebook", "Thin and Light Laptop"),
         ("16GB RAM 512GB SSD", "8GB RAM 256GB SSD", "14-inch FHD", "15.6-inch Touchscreen", "Backlit Keyboard"), ""),
        ("1292115011", "Monitors", (90, 1100),
         ("Dell", "LG", "Samsung", "ASUS", "BenQ", "Acer", "ViewSonic"),
         ("27-inch 4K Monitor", "24-inch FHD Monitor", "34-inch Curved Ultrawide Monitor",
          "27-inch QHD Gaming Monitor"),
         ("IPS Panel", "165Hz", "USB-C", "HDR10", "Height Adjustable"), ""),
        ("12879431", "Keyboards", (20, 230),
         ("Logitech", "Keychron", "Razer", "Corsair", "Microsoft", "SteelSeries"),
         ("Wireless Keyboard", "Mechanical Keyboard", "Gaming Keyboard", "Ergonomic Keyboard"),
         ("Hot-Swappable", "RGB Backlit", "Bluetooth Multi-Device", "Quiet Keys"), ""),
        ("11036491", "Mice", (12, 160),
         ("Logitech", "Razer", "Corsair", "Microsoft", "SteelSeries", "Anker"),
         ("Wireless Mouse", "Gaming Mouse", "Vertical Ergonomic Mouse", "Bluetooth Mouse"),
         ("Silent Clicks", "26K DPI Sensor", "Rechargeable", "Multi-Device"), ""),
        ("3015429011", "External Hard Drives", (45, 350),
         ("Samsung", "SanDisk", "WD", "Seagate", "Crucial", "LaCie"),
         ("Portable SSD 1TB", "Portable SSD 2TB", "External Hard Drive 4TB", "Desktop Hard Drive 8TB"),
         ("USB 3.2 Gen 2", "Up to 1050MB/s", "Password Protection", "Rugged Design"), ""),
    )),
    ("1055398", "Home & Kitchen", (
        ("289913", "Coffee Makers", (25, 700),
         ("Keurig", "Nespresso", "Breville", "Cuisinart", "Mr. Coffee", "Ninja", "De'Longhi", "Hamilton Beach"),
         ("Single Serve Coffee Maker", "Espresso Machine", "12-Cup Programmable Coffee Maker", "Cold Brew Coffee Maker",
          "Drip Coffee Maker"),
         ("Milk Frother", "Thermal Carafe", "Brew Strength Control", "Auto Shut-Off"), "Color"),
        ("289940", "Blenders", (30, 550),
         ("Vitamix", "Ninja", "Blendtec", "NutriBullet", "Oster", "KitchenAid"),
         ("Professional Blender", "Personal Blender", "Blender and Food Processor Combo", "Immersion Blender"),
         ("1200 Watt", "72 oz Pitcher", "Variable Speed", "To-Go Cups"), ""),
        ("2397637011", "Air Fryers", (40, 250),
         ("Ninja", "Cosori", "Instant Vortex", "Philips", "Chefman", "Ultrean"),
         ("Air Fryer 5 Quart", "Dual Basket Air Fryer 8 Quart", "Air Fryer Toaster Oven", "Compact Air Fryer 4 Quart"),
         ("Nonstick Basket", "Dishwasher Safe", "Digital Touchscreen", "Dehydrate Function"), "Color"),
        ("289814", "Cookware Sets", (50, 600),
         ("T-fal", "All-Clad", "Calphalon", "Cuisinart", "Caraway", "HexClad", "Rachael Ray"),
         ("Nonstick Cookware Set 12-Piece", "Stainless Steel Pots and Pans Set", "Ceramic Cookware Set",
          "Hybrid Cookware Set 6-Piece"),
         ("Oven Safe", "Induction Compatible", "Dishwasher Safe", "PFOA Free"), ""),
        ("1063306", "Bedding", (20, 220),
         ("Brooklinen", "Amazon Basics", "Bedsure", "Mellanni", "California Design Den", "Pure Bamboo"),
         ("Sheet Set", "Duvet Cover Set", "Down Alternative Comforter", "Quilt Set"),
         ("Deep Pocket", "Breathable Cooling", "400 Thread Count", "Machine Washable"), "Size,Color"),
        ("3744061", "Vacuums", (60, 900),
         ("Dyson", "Shark", "iRobot Roomba", "Bissell", "Eureka", "Hoover"),
         ("Cordless Stick Vacuum", "Robot Vacuum", "Upright Vacuum", "Handheld Vacuum"),
         ("HEPA Filter", "60 Min Runtime", "Self-Emptying Base", "Pet Hair Tool"), ""),
    )),
    ("7141123011", "Clothing, Shoes & Jewelry", (
        ("1045624", "Men's T-Shirts", (10, 45),
         ("Hanes", "Fruit of the Loom", "Carhartt", "Champion", "Under Armour", "Amazon Essentials"),
         ("Men's Cotton Crew Neck T-Shirt", "Men's Heavyweight Pocket T-Shirt", "Men's Tech Short Sleeve T-Shirt",
          "Men's Classic Jersey T-Shirt"),
         ("Tagless", "Moisture Wicking", "Relaxed Fit", "Pre-Shrunk"), "Size,Color"),
        ("1044646", "Women's Leggings", (15, 100),
         ("Lululemon", "CRZ YOGA", "Colorfulkoala", "Baleaf", "Athleta", "Amazon Essentials"),
         ("Women's High Waisted Yoga Leggings", "Women's Buttery Soft Leggings",
          "Women's Workout Leggings with Pockets"),
         ("25 Inch Inseam", "Squat Proof", "Tummy Control", "4-Way Stretch"), "Size,Color"),
        ("679255011", "Men's Running Shoes", (50, 180),
         ("Brooks", "ASICS", "Nike", "New Balance", "Saucony", "HOKA", "Adidas"),
         ("Men's Running Shoe", "Men's Trail Running Shoe", "Men's Road Running Sneaker"),
         ("Neutral Cushioning", "Breathable Mesh", "Lightweight", "Wide Toe Box"), "Size,Color"),
        ("679337011", "Women's Running Shoes", (50, 180),
         ("Brooks", "ASICS", "Nike", "New Balance", "Saucony", "HOKA", "Adidas"),
         ("Women's Running Shoe", "Women's Trail Running Shoe", "Women's Road Running Sneaker"),
         ("Neutral Cushioning", "Breathable Mesh", "Lightweight", "Stability"), "Size,Color"),
        ("2474936011", "Men's Jackets", (40, 350),
         ("The North Face", "Columbia", "Patagonia", "Carhartt", "Amazon Essentials", "Helly Hansen"),
         ("Men's Rain Jacket", "Men's Fleece Jacket", "Men's Puffer Jacket", "Men's Softshell Jacket"),
         ("Waterproof", "Packable Hood", "Full Zip", "Water Resistant"), "Size,Color"),
    )),
    ("3375251", "Sports & Outdoors", (
        ("3400371", "Camping Tents", (40, 600),
         ("Coleman", "REI Co-op", "MSR", "Big Agnes", "Kelty", "Core Equipment"),
         ("2-Person Backpacking Tent", "4-Person Dome Tent", "6-Person Instant Cabin Tent", "Ultralight 1-Person Tent"),
         ("Rainfly Included", "Easy Setup", "Freestanding", "Weatherproof"), ""),
        ("3407731", "Yoga Mats", (15, 130),
         ("Manduka", "Gaiam", "Liforme", "BalanceFrom", "JadeYoga", "Amazon Basics"),
         ("Yoga Mat 6mm", "Extra Thick Exercise Mat", "Non-Slip Yoga Mat", "Travel Yoga Mat"),
         ("Carrying Strap", "Eco-Friendly", "Non-Slip Texture", "Alignment Lines"), "Color"),
        ("3408231", "Water Bottles", (12, 55),
         ("Hydro Flask", "Stanley", "YETI", "Owala", "CamelBak", "Simple Modern"),
         ("Insulated Water Bottle 32 oz", "Tumbler with Handle 40 oz", "Water Bottle with Straw 24 oz",
          "Stainless Steel Bottle 21 oz"),
         ("Leak Proof", "Keeps Cold 24 Hours", "BPA Free", "Dishwasher Safe"), "Color"),
        ("3403201", "Bike Accessories", (10, 250),
         ("Garmin", "Wahoo", "Bontrager", "Topeak", "Giro", "Kryptonite"),
         ("Bike Computer", "Bike Helmet", "Bike Lock", "Rechargeable Bike Light Set", "Mini Bike Pump"),
         ("USB Rechargeable", "MIPS", "Lightweight", "Weather Resistant"), ""),
    )),
    ("165793011", "Toys & Games", (
        ("166092011", "Building Sets", (10, 500),
         ("LEGO", "Mega Bloks", "Magna-Tiles", "K'NEX", "PicassoTiles"),
         ("Creative Building Set", "Space Station Building Kit", "Race Car Building Set",
          "Magnetic Tiles 100-Piece Set", "City Fire Station Set"),
         ("Ages 6+", "Ages 8+", "Ages 3+", "Gift for Kids"), ""),
        ("166220011", "Board Games", (12, 80),
         ("Hasbro Gaming", "Catan Studio", "Ravensburger", "Days of Wonder", "Stonemaier Games", "Exploding Kittens"),
         ("Strategy Board Game", "Family Board Game", "Party Card Game", "Cooperative Board Game"),
         ("2-4 Players", "Ages 10+", "60 Minute Play", "Family Game Night"), ""),
        ("166359011", "Dolls & Accessories", (10, 150),
         ("Barbie", "American Girl", "L.O.L. Surprise!", "Melissa & Doug", "Rainbow High"),
         ("Fashion Doll", "Dollhouse Playset", "Baby Doll Set", "Doll Accessory Pack"),
         ("Ages 3+", "Includes Accessories", "Collectible", "Gift for Kids"), ""),
    )),
    ("3760911", "Beauty & Personal Care", (
        ("11060451", "Face Moisturizers", (8, 90),
         ("CeraVe", "Neutrogena", "La Roche-Posay", "Olay", "Cetaphil", "First Aid Beauty"),
         ("Daily Face Moisturizer", "Hydrating Facial Lotion", "Night Cream", "Gel Moisturizer"),
         ("SPF 30", "With Hyaluronic Acid", "Fragrance Free", "For Sensitive Skin"), ""),
        ("3737851", "Electric Toothbrushes", (25, 280),
         ("Philips Sonicare", "Oral-B", "Quip", "Fairywill", "Waterpik"),
         ("Rechargeable Electric Toothbrush", "Sonic Electric Toothbrush", "Electric Toothbrush with Travel Case"),
         ("Pressure Sensor", "2-Minute Timer", "3 Brushing Modes", "30-Day Battery"), "Color"),
        ("3737401", "Hair Dryers", (20, 450),
         ("Dyson", "Revlon", "Conair", "T3", "BaBylissPRO", "Shark"),
         ("Hair Dryer", "One-Step Hair Dryer and Volumizer", "Ionic Hair Dryer", "Travel Hair Dryer"),
         ("Diffuser Attachment", "1875 Watts", "Ceramic Technology", "Fast Drying"), "Color"),
    )),
    ("2619533011", "Pet Supplies", (
        ("2975359011", "Dog Food", (15, 95),
         ("Purina Pro Plan", "Blue Buffalo", "Hill's Science Diet", "Royal Canin", "Wellness", "Taste of the Wild"),
         ("Adult Dry Dog Food 30 lb", "Puppy Dry Dog Food 15 lb", "Grain Free Dog Food 24 lb", "Senior Dog Food 28 lb"),
         ("Chicken and Rice", "Salmon Recipe", "High Protein", "Natural Ingredients"), ""),
        ("2975314011", "Dog Beds", (20, 160),
         ("Furhaven", "Bedsure", "Best Friends by Sheri", "Big Barker", "Amazon Basics"),
         ("Orthopedic Dog Bed", "Calming Donut Dog Bed", "Bolster Dog Bed", "Elevated Cooling Dog Bed"),
         ("Washable Cover", "Non-Slip Bottom", "Memory Foam", "Waterproof Liner"), "Size,Color"),
        ("2975241011", "Cat Litter & Supplies", (12, 600),
         ("Litter-Robot", "Fresh Step", "Dr. Elsey's", "PetSafe", "Arm & Hammer", "Tidy Cats"),
         ("Clumping Cat Litter 40 lb", "Self-Cleaning Litter Box", "Covered Litter Box", "Unscented Cat Litter 20 lb"),
         ("Odor Control", "Low Dust", "Multi-Cat", "Easy Scoop"), ""),
    )),
)  # fmt: skip

SERIES = ("Pro", "Max", "Lite", "Plus", "Elite", "Essential", "Classic", "Ultra", "Air", "Go", "2nd Gen", "X2",
          "Studio", "Flex", "Core", "Vibe", "One", "Sport", "Evo", "Neo")  # fmt: skip
COLORS = ("Black", "White", "Navy", "Charcoal Grey", "Olive Green", "Burgundy", "Sky Blue", "Blush Pink", "Sand",
          "Red")  # fmt: skip
SIZES = {
    "clothing": ("XS", "S", "M", "L", "XL", "XXL"),
    "shoes": ("7", "8", "8.5", "9", "9.5", "10", "10.5", "11", "12"),
    "bedding": ("Twin", "Full", "Queen", "King"),
    "pets": ("Small", "Medium", "Large", "X-Large"),
}
SIZE_KIND = {"Men's T-Shirts": "clothing", "Women's Leggings": "clothing", "Men's Jackets": "clothing",
             "Men's Running Shoes": "shoes", "Women's Running Shoes": "shoes", "Bedding": "bedding",
             "Dog Beds": "pets"}  # fmt: skip
# Who sells the buy-box offer: Amazon itself, or a third-party seller (fulfilled by Amazon when Prime).
THIRD_PARTY_SELLERS = ("TechDirect US", "HomeGoods Outlet", "Sunrise Trading Co", "Peak Outfitters", "BrightBuy",
                       "Urban Supply Depot", "Maple & Oak Goods", "Gadget Garage", "Everyday Essentials Co",
                       "Summit Retail")  # fmt: skip
WISH_LIST_NAMES = ("Birthday Ideas", "Kitchen Upgrade", "Camping Trip", "Holiday Gifts", "Home Office", "For the Dog",
                   "Gym Gear")  # fmt: skip
ASIN_CHARS = string.ascii_uppercase + string.digits

ITEMS_PER_PLAIN_LEAF = 80
FAMILIES_PER_VARIATION_LEAF = 9
CUSTOMERS = 300


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _cents(dollars: float) -> int:
    """A shop price: whole dollars ending in .99 (or .49 under $20)."""
    if dollars < 20:
        return max(499, int(dollars) * 100 + 49)
    return int(dollars) * 100 + 99


# --------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------


@env.seed
def seed(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.add(ServiceClock(id=1, now=NOW.isoformat()))
    nodes: list[dict[str, Any]] = []
    for root_id, root_name, leaves in DEPARTMENTS:
        nodes.append({"browse_node_id": root_id, "display_name": root_name, "parent_id": None})
        nodes.extend({"browse_node_id": leaf[0], "display_name": leaf[1], "parent_id": root_id} for leaf in leaves)
    db.execute(insert(BrowseNode), nodes)

    used_asins: set[str] = set()

    def new_asin() -> str:
        while True:
            asin = "B0" + "".join(rng.choice(ASIN_CHARS) for _ in range(8))
            if asin not in used_asins:
                used_asins.add(asin)
                return asin

    items: list[dict[str, Any]] = []
    families: list[dict[str, Any]] = []
    titles: set[str] = set()

    def product_title(brand: str, nouns: tuple[str, ...], features: tuple[str, ...], feature: bool) -> str:
        for _ in range(20):
            base = f"{brand} {rng.choice(SERIES)} {rng.choice(nouns)}"
            if base not in titles:
                titles.add(base)
                return f"{base}, {rng.choice(features)}" if feature else base
        return ""

    def offer(low: int, high: int, brand: str) -> dict[str, Any]:
        """A buy-box offer: price, list price, seller, Prime, availability, ratings and rank."""
        value = low + (high - low) * rng.random() ** 1.8  # most items sit in the lower part of the range
        price = _cents(value)
        discounted = rng.random() < 0.45
        list_price = _cents(value / rng.uniform(0.6, 0.92)) if discounted else (price if rng.random() < 0.5 else None)
        amazon = rng.random() < 0.55
        prime = amazon or rng.random() < 0.6
        roll = rng.random()
        availability = "Now" if roll < 0.88 else "Backorder" if roll < 0.94 else "Unavailable"
        stock = rng.choice((2, 3, 4, 8, 15, 40, 120, 300)) if availability == "Now" else 0
        reviews = int(rng.paretovariate(0.9) * 40) if rng.random() > 0.04 else 0
        rating = round(min(5.0, max(2.6, rng.gauss(4.35, 0.35))), 1) if reviews else 0.0
        return {
            "price": price,
            "list_price": list_price,
            "condition": "New" if rng.random() < 0.93 else "Renewed",
            "merchant": "Amazon.com" if amazon else rng.choice(THIRD_PARTY_SELLERS),
            "prime_eligible": prime,
            "availability_type": availability,
            "stock": stock,
            "max_order_quantity": rng.choice((1, 2, 3, 5, 10, 10, 20, 30)),
            "star_rating": rating,
            "review_count": min(reviews, 98_000),
            "sales_rank": rng.randint(1, 250_000),
            "release_date": (NOW.date() - dt.timedelta(days=int(rng.expovariate(1 / 500)) + 3)).isoformat(),
        }

    for _, _, leaves in DEPARTMENTS:
        for node_id, name, (low, high), brands, nouns, features, dims in leaves:
            if not dims:
                for _ in range(ITEMS_PER_PLAIN_LEAF):
                    brand = rng.choice(brands)
                    title = product_title(brand, nouns, features, True)
                    if not title:
                        continue
                    plain = {"parent_asin": None, "size": None, "color": None}
                    items.append({"asin": new_asin(), "title": title, "brand": brand, "browse_node_id": node_id,
                                  **plain, **offer(low, high, brand)})  # fmt: skip
                continue
            for _ in range(FAMILIES_PER_VARIATION_LEAF):
                brand = rng.choice(brands)
                title = product_title(brand, nouns, features, False)
                if not title:
                    continue
                parent = new_asin()
                families.append({"parent_asin": parent, "title": title, "brand": brand, "dimensions": dims})
                base = offer(low, high, brand)
                colors = rng.sample(COLORS, rng.randint(2, 4))
                sizes: tuple[str | None, ...] = (None,)
                if "Size" in dims:
                    every = SIZES[SIZE_KIND[name]]
                    start = rng.randint(0, max(0, len(every) - 5))
                    sizes = every[start : start + rng.randint(4, 6)]
                for color in colors:
                    for index, size in enumerate(sizes):
                        child = dict(base)
                        bump = 200 if size in ("XXL", "King", "X-Large", "12") else 0
                        child["price"] = base["price"] + bump
                        child["list_price"] = base["list_price"] + bump if base["list_price"] else None
                        roll = rng.random()
                        child["availability_type"] = (
                            "Now" if roll < 0.85 else "Backorder" if roll < 0.9 else "Unavailable"
                        )
                        child["stock"] = rng.choice((1, 3, 6, 12, 30, 80)) if child["availability_type"] == "Now" else 0
                        child["review_count"] = base["review_count"]
                        child["sales_rank"] = base["sales_rank"] + index
                        items.append({"asin": new_asin(), "title": title, "brand": brand, "browse_node_id": node_id,
                                      "parent_asin": parent, "size": size, "color": color, **child})  # fmt: skip
    db.execute(insert(VariationFamily), families)
    db.execute(insert(Item), items)

    # -- deals: lightning deals around now, and one deal of the day per day ------------------------------
    deals: list[dict[str, Any]] = []
    discounted = [i for i in items if i["availability_type"] == "Now" and i["price"] >= 1500]
    for index, item in enumerate(rng.sample(discounted, 90)):
        start = NOW + dt.timedelta(minutes=rng.randint(-10 * 60, 5 * 60))
        end = start + dt.timedelta(hours=rng.choice((4, 6, 6, 8, 12)))
        running = start <= NOW < end
        claimed = rng.choice((12, 27, 38, 46, 59, 64, 71, 83, 92, 100)) if start <= NOW else 0
        if end <= NOW:
            claimed = rng.choice((76, 88, 100))
        deals.append({"deal_id": f"LD{index + 1:05d}", "asin": item["asin"], "deal_type": "LIGHTNING_DEAL",
                      "deal_price": _cents(item["price"] / 100 * rng.uniform(0.62, 0.85)),
                      "start_time": _stamp(start), "end_time": _stamp(end),
                      "percent_claimed": claimed if running or end <= NOW else 0,
                      "prime_exclusive": rng.random() < 0.3})  # fmt: skip
    day_deals = rng.sample([i for i in discounted if i["asin"] not in {d["asin"] for d in deals}], 7)
    for offset, item in enumerate(day_deals, start=-3):
        day = dt.datetime.combine(NOW.date() + dt.timedelta(days=offset), dt.time(0, 0))
        deals.append({"deal_id": f"DOTD{day:%m%d}", "asin": item["asin"], "deal_type": "DEAL_OF_THE_DAY",
                      "deal_price": _cents(item["price"] / 100 * rng.uniform(0.55, 0.8)),
                      "start_time": _stamp(day), "end_time": _stamp(day + dt.timedelta(days=1)),
                      "percent_claimed": 0, "prime_exclusive": False})  # fmt: skip
    db.execute(insert(Deal), deals)

    # -- customers and their state --------------------------------------------------------------------
    customers: list[dict[str, Any]] = []
    handles: set[str] = set()
    while len(customers) < CUSTOMERS:
        first, last = fake.first_name(), fake.last_name()
        handle = f"{first.lower()}_{last.lower()}_{rng.randint(1000, 9999)}".replace("'", "")
        if handle in handles:
            continue
        handles.add(handle)
        customers.append({"customer_id": handle, "name": f"{first} {last}",
                          "email": f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@{rng.choice(('gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com'))}".replace("'", ""),  # noqa: E501
                          "prime_member": rng.random() < 0.6, "city": fake.city(), "state": fake.state_abbr(),
                          "zip_code": fake.zipcode()})  # fmt: skip
    db.execute(insert(Customer), customers)

    buyable = [i for i in items if i["availability_type"] != "Unavailable"]
    cheap = [i for i in buyable if i["price"] < 1500 and i["stock"] >= 1]
    cart: list[dict[str, Any]] = []
    lists: list[dict[str, Any]] = []
    listed: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []
    orders: list[dict[str, Any]] = []
    order_lines: list[dict[str, Any]] = []
    order_ids: set[str] = set()
    list_ids: set[str] = set()
    for person in customers:
        who = person["customer_id"]
        small_cart = not person["prime_member"] and rng.random() < 0.3
        if small_cart:  # a few inexpensive things, short of free shipping
            for item in rng.sample(cheap, rng.randint(1, 2)):
                cart.append({"customer_id": who, "asin": item["asin"], "quantity": 1,
                             "added_at": _stamp(NOW - dt.timedelta(hours=rng.randint(1, 400)))})  # fmt: skip
        elif rng.random() < 0.45:
            for item in rng.sample(buyable, rng.randint(1, 4)):
                most = min(item["max_order_quantity"], item["stock"] or item["max_order_quantity"])
                cart.append({"customer_id": who, "asin": item["asin"], "quantity": rng.randint(1, min(2, most)),
                             "added_at": _stamp(NOW - dt.timedelta(hours=rng.randint(1, 400)))})  # fmt: skip
        names = [DEFAULT_WISH_LIST, *rng.sample(WISH_LIST_NAMES, rng.choice((0, 0, 1, 1, 2)))]
        for position, list_name in enumerate(names):
            list_id = f"{rng.randint(10**11, 10**12 - 1):X}"
            while list_id in list_ids:
                list_id = f"{rng.randint(10**11, 10**12 - 1):X}"
            list_ids.add(list_id)
            created = NOW - dt.timedelta(days=rng.randint(20, 900))
            lists.append({"list_id": list_id, "customer_id": who, "name": list_name, "created_at": _stamp(created)})
            for item in rng.sample(items, rng.randint(0 if position == 0 else 2, 6)):
                listed.append({"list_id": list_id, "asin": item["asin"],
                               "added_at": _stamp(created + dt.timedelta(days=rng.randint(0, 19)))})  # fmt: skip
        for item in rng.sample(items, rng.choice((0, 0, 1, 1, 2))):
            # Some prices have fallen since the alert was set, a few of them to the target or below.
            was = item["price"] if rng.random() < 0.6 else _cents(item["price"] / 100 * rng.uniform(1.1, 1.4))
            target = int(was * rng.uniform(0.7, 0.95)) // 100 * 100
            alerts.append({"alert_id": f"PA{len(alerts) + 1:06d}", "customer_id": who, "asin": item["asin"],
                           "target_price": max(100, target), "price_when_set": was,
                           "created_at": _stamp(NOW - dt.timedelta(days=rng.randint(1, 120)))})  # fmt: skip
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            while True:
                order_id = f"11{rng.randint(1, 4)}-{rng.randint(10**6, 10**7 - 1)}-{rng.randint(10**6, 10**7 - 1)}"
                if order_id not in order_ids:
                    order_ids.add(order_id)
                    break
            roll = rng.random()
            age = 0 if roll < 0.12 else rng.randint(1, 4) if roll < 0.3 else rng.randint(5, 200)
            placed = NOW - dt.timedelta(days=age, hours=rng.randint(1, 12))
            bought = rng.sample(buyable, rng.randint(1, 3))
            speed = "two_day" if person["prime_member"] and all(i["prime_eligible"] for i in bought) else "standard"
            subtotal = 0
            for item in bought:
                quantity = rng.choice((1, 1, 1, 2))
                subtotal += item["price"] * quantity
                order_lines.append({"order_id": order_id, "asin": item["asin"], "title": item["title"],
                                    "quantity": quantity, "unit_price": item["price"]})  # fmt: skip
            free = speed == "two_day" or subtotal >= 3500
            shipping = 0 if free else 599
            days = 2 if speed == "two_day" else 5
            arrives = placed.date() + dt.timedelta(days=days)
            status = (
                "Ordered" if NOW - placed < dt.timedelta(days=1) else "Delivered" if arrives < NOW.date() else "Shipped"
            )
            address = f"{person['name']}, {person['city']}, {person['state']} {person['zip_code']}"
            orders.append({"order_id": order_id, "customer_id": who, "placed_at": _stamp(placed), "status": status,
                           "shipping_speed": speed, "items_subtotal": subtotal, "shipping_cost": shipping,
                           "total": subtotal + shipping, "estimated_delivery": arrives.isoformat(),
                           "ship_to": address})  # fmt: skip
    db.execute(insert(CartItem), cart)
    db.execute(insert(WishList), lists)
    db.execute(insert(WishListItem), listed)
    db.execute(insert(PriceAlert), alerts)
    db.execute(insert(Order), orders)
    db.execute(insert(OrderItem), order_lines)
