"""The seeded marketplace: a category tree, members with feedback, listings (auctions and fixed price) with
bid histories, best offers, watchlists, orders in every state, returns and feedback."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .auction import standing
from .definition import env
from .models import (
    NOW,
    BestOffer,
    Bid,
    Category,
    Feedback,
    Item,
    LineItem,
    Order,
    ReturnRequest,
    ServiceClock,
    User,
    Watch,
    bid_increment,
)

# --------------------------------------------------------------------------------------------------
# Data tables
# --------------------------------------------------------------------------------------------------

# Top-level categories (eBay's own ids) and their leaf categories: (id, name, vintage, products), where a
# product is (title, typical price in dollars when new) and vintage categories sell only used goods.
CATEGORY_TREE: tuple[tuple[str, str, tuple[tuple[str, str, bool, tuple[tuple[str, int], ...]], ...]], ...] = (
    ("625", "Cameras & Photo", (
        ("31388", "Digital Cameras", False, (
            ("Canon EOS Rebel T7 DSLR Camera with 18-55mm Lens", 480),
            ("Nikon D3500 DSLR Camera with AF-P 18-55mm VR Lens", 500),
            ("Sony Alpha a6000 Mirrorless Camera Body", 550),
            ("Fujifilm X-T30 II Mirrorless Camera Body", 900),
            ("Canon PowerShot G7 X Mark II Digital Camera", 650),
            ("Sony Cyber-shot DSC-RX100 III Digital Camera", 500),
            ("Nikon Z5 Full Frame Mirrorless Camera Body", 1100),
            ("Panasonic Lumix DC-ZS70 Digital Camera", 300),
            ("Olympus OM-D E-M10 Mark IV Camera Kit", 700),
        )),
        ("3323", "Lenses & Filters", False, (
            ("Canon EF 50mm f/1.8 STM Lens", 125),
            ("Nikon AF-S DX NIKKOR 35mm f/1.8G Lens", 180),
            ("Sony FE 28-70mm f/3.5-5.6 OSS Lens", 400),
            ("Sigma 18-35mm f/1.8 DC HSM Art Lens for Canon", 600),
            ("Tamron 70-300mm f/4-5.6 Di LD Macro Lens", 150),
            ("Canon EF 70-200mm f/4L USM Lens", 650),
        )),
        ("15230", "Film Cameras", True, (
            ("Canon AE-1 Program 35mm SLR Film Camera with 50mm Lens", 250),
            ("Pentax K1000 35mm SLR Film Camera", 200),
            ("Nikon FM2 35mm SLR Film Camera Body", 350),
            ("Olympus OM-1 35mm SLR Film Camera", 220),
            ("Polaroid SX-70 Land Camera", 280),
            ("Minolta X-700 35mm SLR Film Camera", 150),
        )),
        ("179697", "Camera Drones", False, (
            ("DJI Mini 3 Pro Drone with DJI RC Controller", 760),
            ("DJI Mavic Air 2 Drone Fly More Combo", 800),
            ("DJI Mini 2 Drone 4K Camera", 350),
            ("Holy Stone HS720E GPS Drone with 4K Camera", 250),
        )),
    )),
    ("15032", "Cell Phones & Accessories", (
        ("9355", "Cell Phones & Smartphones", False, (
            ("Apple iPhone 13 128GB Unlocked", 450),
            ("Apple iPhone 14 Pro 256GB Unlocked", 800),
            ("Samsung Galaxy S23 128GB Unlocked", 600),
            ("Google Pixel 7 128GB Unlocked", 400),
            ("Samsung Galaxy A54 5G 128GB Unlocked", 300),
            ("Apple iPhone 12 mini 64GB Unlocked", 250),
            ("OnePlus 11 5G 256GB Unlocked", 550),
        )),
        ("20349", "Cases, Covers & Skins", False, (
            ("OtterBox Defender Series Case for iPhone 14", 40),
            ("Spigen Tough Armor Case for Galaxy S23", 20),
            ("Apple Silicone Case with MagSafe for iPhone 13", 35),
        )),
        ("178893", "Smart Watches", False, (
            ("Apple Watch Series 8 GPS 45mm", 320),
            ("Samsung Galaxy Watch5 44mm Bluetooth", 200),
            ("Garmin Forerunner 255 GPS Running Watch", 300),
            ("Fitbit Versa 4 Fitness Smartwatch", 180),
        )),
    )),
    ("58058", "Computers, Tablets & Networking", (
        ("177", "PC Laptops & Netbooks", False, (
            ("Apple MacBook Air 13 M1 8GB 256GB SSD", 750),
            ("Apple MacBook Pro 14 M1 Pro 16GB 512GB SSD", 1500),
            ("Dell XPS 13 9310 Intel i7 16GB 512GB SSD", 900),
            ("Lenovo ThinkPad T14 Gen 2 Intel i5 16GB 256GB", 600),
            ("HP Spectre x360 14 Intel i7 16GB 1TB", 1100),
            ("ASUS ROG Zephyrus G14 Ryzen 9 RTX 3060", 1300),
            ("Microsoft Surface Laptop 4 13.5 Intel i5 8GB", 700),
        )),
        ("171485", "Tablets & E-Readers", False, (
            ("Apple iPad Air 5th Gen 64GB Wi-Fi", 500),
            ("Apple iPad 9th Gen 10.2 64GB Wi-Fi", 280),
            ("Samsung Galaxy Tab S8 128GB Wi-Fi", 550),
            ("Amazon Kindle Paperwhite 11th Gen 8GB", 120),
            ("Microsoft Surface Pro 8 Intel i5 8GB 256GB", 800),
        )),
        ("27386", "Graphics & Video Cards", False, (
            ("NVIDIA GeForce RTX 3080 Founders Edition 10GB", 600),
            ("EVGA GeForce RTX 3070 XC3 Ultra 8GB", 420),
            ("AMD Radeon RX 6800 XT 16GB", 500),
            ("ASUS TUF Gaming GeForce RTX 4070 Ti 12GB", 800),
            ("MSI GeForce GTX 1660 Super Ventus XS 6GB", 180),
        )),
        ("80053", "Monitors", False, (
            ("Dell UltraSharp U2720Q 27 4K Monitor", 450),
            ("LG 27GP850-B 27 QHD Gaming Monitor", 350),
            ("Samsung Odyssey G7 32 Curved Gaming Monitor", 600),
            ("ASUS ProArt PA278QV 27 Monitor", 300),
        )),
    )),
    ("293", "Consumer Electronics", (
        ("112529", "Headphones", False, (
            ("Sony WH-1000XM4 Wireless Noise Cancelling Headphones", 280),
            ("Apple AirPods Pro 2nd Generation", 200),
            ("Bose QuietComfort 45 Bluetooth Headphones", 260),
            ("Sennheiser HD 600 Open-Back Headphones", 350),
            ("Beats Studio3 Wireless Headphones", 180),
            ("Apple AirPods Max Space Gray", 450),
        )),
        ("14990", "Portable Speakers & Soundbars", False, (
            ("Sonos One Gen 2 Smart Speaker", 180),
            ("Bose SoundLink Revolve+ II Bluetooth Speaker", 250),
            ("JBL Charge 5 Portable Bluetooth Speaker", 150),
            ("Sonos Beam Gen 2 Soundbar", 400),
            ("Marshall Stanmore II Bluetooth Speaker", 300),
        )),
        ("14970", "Vintage Stereo Receivers & Turntables", True, (
            ("Marantz 2230 Stereo Receiver", 700),
            ("Pioneer SX-780 Stereo Receiver", 350),
            ("Technics SL-1200MK2 Turntable", 900),
            ("Sansui AU-717 Integrated Amplifier", 800),
            ("Yamaha CR-820 Stereo Receiver", 450),
        )),
    )),
    ("1249", "Video Games & Consoles", (
        ("139971", "Video Game Consoles", False, (
            ("Nintendo Switch OLED Model White", 300),
            ("Sony PlayStation 5 Disc Edition", 450),
            ("Microsoft Xbox Series X 1TB", 420),
            ("Nintendo Switch Lite Turquoise", 180),
            ("Sony PlayStation 4 Pro 1TB", 250),
            ("Nintendo Game Boy Advance SP AGS-101", 150),
            ("Super Nintendo SNES Console with Two Controllers", 180),
            ("Nintendo 64 Console with Controller", 160),
        )),
        ("139973", "Video Games", False, (
            ("The Legend of Zelda Tears of the Kingdom Nintendo Switch", 55),
            ("Elden Ring PlayStation 5", 40),
            ("Pokemon Emerald Version Game Boy Advance", 180),
            ("Super Mario 64 Nintendo 64 Cartridge", 45),
            ("Red Dead Redemption 2 Xbox One", 25),
            ("Halo Infinite Xbox Series X", 30),
            ("EarthBound Super Nintendo Cartridge", 250),
            ("Chrono Trigger Super Nintendo Cartridge", 200),
        )),
        ("117042", "Controllers & Attachments", False, (
            ("Sony DualSense Wireless Controller", 60),
            ("Xbox Elite Wireless Controller Series 2", 150),
            ("Nintendo Switch Pro Controller", 60),
            ("8BitDo Pro 2 Bluetooth Controller", 45),
        )),
    )),
    ("1", "Collectibles", (
        ("2536", "Collectible Card Games", False, (
            ("Pokemon Charizard Holo Base Set 4/102", 380),
            ("Pokemon 151 Booster Bundle Factory Sealed", 45),
            ("Magic The Gathering Dominaria United Draft Booster Box", 110),
            ("Yu-Gi-Oh Blue-Eyes White Dragon LOB-001 1st Edition", 600),
            ("Pokemon Evolving Skies Elite Trainer Box", 120),
        )),
        ("253", "US Coins", True, (
            ("1921 Morgan Silver Dollar", 50),
            ("1964 Kennedy Half Dollar 90% Silver", 15),
            ("1909-S VDB Lincoln Wheat Cent", 900),
            ("Roll of 50 Roosevelt Dimes 90% Silver", 150),
        )),
        ("261328", "Sports Trading Cards", True, (
            ("2018 Panini Prizm Luka Doncic Rookie Card #280", 220),
            ("2000 Bowman Tom Brady Rookie Card #236", 500),
            ("1989 Upper Deck Ken Griffey Jr. Rookie Card #1", 120),
            ("2003 Topps LeBron James Rookie Card #221", 400),
            ("2011 Topps Update Mike Trout Rookie Card #US175", 300),
        )),
    )),
    ("888", "Sporting Goods", (
        ("115280", "Golf Clubs", False, (
            ("TaylorMade Stealth 2 Driver 10.5 Stiff Flex", 430),
            ("Callaway Rogue ST Max Iron Set 4-PW", 800),
            ("Titleist Vokey SM9 56 Degree Wedge", 130),
            ("Scotty Cameron Special Select Newport 2 Putter", 350),
            ("Ping G425 Max Driver 9 Regular Flex", 350),
        )),
        ("177831", "Bicycles", False, (
            ("Trek Marlin 5 Mountain Bike Medium", 550),
            ("Specialized Allez Road Bike 56cm", 900),
            ("Cannondale Quick 4 Hybrid Bike Large", 650),
            ("Giant Talon 2 29er Mountain Bike", 600),
        )),
        ("16034", "Camping & Hiking", False, (
            ("Coleman Sundome 4-Person Tent", 80),
            ("YETI Tundra 45 Hard Cooler", 250),
            ("Osprey Atmos AG 65 Backpack", 230),
            ("Jetboil Flash Cooking System", 110),
            ("REI Co-op Half Dome SL 2+ Tent", 240),
        )),
    )),
    ("11450", "Clothing, Shoes & Accessories", (
        ("15709", "Men's Athletic Shoes", False, (
            ("Nike Air Jordan 1 Retro High OG Chicago Size 10", 300),
            ("Nike Air Max 90 White Size 11", 110),
            ("Adidas Yeezy Boost 350 V2 Zebra Size 9.5", 300),
            ("New Balance 990v5 Grey Size 10", 150),
            ("Adidas Ultraboost 22 Black Size 10.5", 140),
        )),
        ("169291", "Women's Bags & Handbags", False, (
            ("Coach Tabby Shoulder Bag 26 Leather", 350),
            ("Louis Vuitton Speedy 30 Monogram Canvas", 1200),
            ("Kate Spade Staci Saffiano Leather Crossbody", 150),
            ("Michael Kors Jet Set Travel Tote", 200),
            ("Longchamp Le Pliage Large Tote", 145),
        )),
        ("57988", "Men's Coats & Jackets", False, (
            ("The North Face 1996 Retro Nuptse Jacket Large", 280),
            ("Patagonia Better Sweater Fleece Jacket Medium", 140),
            ("Canada Goose Expedition Parka Medium", 1100),
            ("Carhartt Detroit Jacket J001 Large", 120),
            ("Barbour Bedale Waxed Jacket Size 40", 350),
        )),
    )),
    ("619", "Musical Instruments & Gear", (
        ("33034", "Electric Guitars", False, (
            ("Fender Player Stratocaster Maple Fingerboard", 800),
            ("Gibson Les Paul Standard 50s Heritage Cherry", 2700),
            ("Epiphone Les Paul Standard 50s", 600),
            ("Squier Classic Vibe 70s Telecaster", 450),
            ("PRS SE Custom 24 Electric Guitar", 850),
            ("Ibanez RG550 Genesis Collection", 1000),
        )),
        ("38072", "Guitar Amplifiers", False, (
            ("Fender Blues Junior IV 15W Tube Combo Amp", 650),
            ("Boss Katana-50 MkII Combo Amp", 250),
            ("Marshall DSL40CR 40W Tube Combo Amp", 750),
            ("Vox AC15C1 15W Tube Combo Amp", 800),
        )),
        ("38088", "Pianos, Keyboards & Organs", False, (
            ("Yamaha P-125 88-Key Digital Piano", 650),
            ("Roland FP-30X Digital Piano", 700),
            ("Korg Minilogue XD Synthesizer", 650),
            ("Arturia KeyLab Essential 61 MIDI Controller", 250),
        )),
    )),
    ("11700", "Home & Garden", (
        ("20667", "Small Kitchen Appliances", False, (
            ("KitchenAid Artisan 5 Qt Stand Mixer Empire Red", 430),
            ("Ninja Foodi 8-in-1 Pressure Cooker", 180),
            ("Vitamix 5200 Blender", 450),
            ("Breville Barista Express Espresso Machine", 700),
            ("Instant Pot Duo 7-in-1 6 Qt", 90),
            ("Nespresso VertuoPlus Coffee Maker", 170),
        )),
        ("20614", "Vacuum Cleaners", False, (
            ("Dyson V11 Torque Drive Cordless Vacuum", 600),
            ("Shark Navigator Lift-Away NV352 Vacuum", 200),
            ("iRobot Roomba j7+ Robot Vacuum", 800),
            ("Dyson V8 Absolute Cordless Vacuum", 400),
        )),
        ("631", "Power Tools", False, (
            ("DeWalt 20V MAX Cordless Drill Driver Kit DCD771C2", 100),
            ("Milwaukee M18 FUEL Hammer Drill 2904-20", 180),
            ("Makita XPH102 18V LXT Hammer Drill Kit", 150),
            ("Ryobi ONE+ 18V 6-Tool Combo Kit", 300),
        )),
    )),
    ("281", "Jewelry & Watches", (
        ("31387", "Wristwatches", False, (
            ("Rolex Submariner Date 116610LN", 12000),
            ("Omega Seamaster Diver 300M 210.30.42", 5200),
            ("Seiko Prospex SPB143 Automatic Diver", 1200),
            ("Tudor Black Bay 58 M79030N", 3800),
            ("Casio G-Shock GA2100-1A1", 100),
            ("Citizen Eco-Drive Promaster Diver BN0150", 250),
            ("Timex Marlin Hand-Wound 34mm", 200),
        )),
    )),
    ("220", "Toys & Hobbies", (
        ("19006", "LEGO Sets", False, (
            ("LEGO Star Wars Millennium Falcon 75192", 850),
            ("LEGO Technic Lamborghini Sian 42115", 450),
            ("LEGO Creator Expert Bonsai Tree 10281", 50),
            ("LEGO Harry Potter Hogwarts Castle 71043", 470),
            ("LEGO Ideas Titanic 10294", 680),
        )),
        ("246", "Action Figures", False, (
            ("Star Wars Black Series Boba Fett 6 Inch Figure", 30),
            ("McFarlane DC Multiverse Batman Figure", 25),
            ("Vintage 1980 Kenner Star Wars Boba Fett Figure", 180),
            ("Marvel Legends Spider-Man Retro Collection Figure", 25),
        )),
    )),
)  # fmt: skip

# condition -> (share of listings, price factor over new, title endings)
CONDITION_STYLE: dict[str, tuple[float, float, tuple[str, ...]]] = {
    "NEW": (0.30, 1.0, ("Brand New Sealed", "NEW", "New in Box", "")),
    "NEW_OTHER": (0.08, 0.85, ("Open Box", "New Other", "Open Box Unused")),
    "CERTIFIED_REFURBISHED": (0.06, 0.75, ("Certified Refurbished",)),
    "SELLER_REFURBISHED": (0.08, 0.65, ("Refurbished", "Seller Refurbished")),
    "USED": (0.42, 0.55, ("Excellent Condition", "Good Condition", "Tested & Working", "Lightly Used", "")),
    "FOR_PARTS_OR_NOT_WORKING": (0.06, 0.2, ("For Parts or Repair", "As Is Not Working")),
}
CONDITION_NOTES = {
    "NEW": "Brand new, unopened, in the original packaging.",
    "NEW_OTHER": "New, never used; the box has been opened.",
    "CERTIFIED_REFURBISHED": "Restored to factory condition by the manufacturer, with warranty.",
    "SELLER_REFURBISHED": "Cleaned, repaired and tested by the seller.",
    "USED": "Previously owned, fully working; light signs of wear.",
    "FOR_PARTS_OR_NOT_WORKING": "Does not work as intended; sold for parts or repair.",
}
# shipping service, cost range in dollars (0 means often free)
SHIPPING_SERVICES = (
    ("USPS Ground Advantage", (4.99, 9.99)),
    ("USPS Priority Mail", (8.99, 15.99)),
    ("UPS Ground", (9.99, 24.99)),
    ("FedEx Home Delivery", (11.99, 29.99)),
)
SELLER_WORDS_A = ("vintage", "retro", "gadget", "thrifty", "bargain", "pro", "prime", "urban", "coastal",
                  "northside", "golden", "blue", "iron", "second", "trusty", "lucky", "summit", "pixel")  # fmt: skip
SELLER_WORDS_B = ("finds", "depot", "resale", "outlet", "exchange", "closet", "vault", "traders", "goods",
                  "emporium", "supply", "warehouse", "attic", "corner", "market", "hub")  # fmt: skip
FEEDBACK_COMMENTS = {
    "POSITIVE": ("Great seller, fast shipping, item as described!", "A+++ would buy again", "Exactly as pictured.",
                 "Well packed and quick delivery.", "Smooth transaction, highly recommended."),
    "NEUTRAL": ("Item OK, shipping was slow.", "Took a while to arrive but fine.", "As described, packaging was poor."),
    "NEGATIVE": ("Item not as described.", "Arrived damaged and seller never replied."),
    "BUYER": ("Fast payment, great buyer!", "Smooth transaction, thank you!", "Great communication, recommended."),
}  # fmt: skip
CARRIER_TRACKING = {"USPS": ("9400", 22), "UPS": ("1Z", 18), "FedEx": ("7", 12), "DHL": ("JD", 18)}

EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com")
LISTINGS = 1500
MEMBERS = 420
SELLERS = 130


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _past(moment: dt.datetime) -> str:
    """A stamp of something that has already happened: never later than an hour before now."""
    return _stamp(min(moment, NOW - dt.timedelta(hours=1)))


def _cents(dollars: float) -> int:
    """A price as sellers write it: whole dollars minus a cent or plain, in cents."""
    whole = max(1, round(dollars))
    return whole * 100 - 1


def tracking_number(rng: Any, carrier: str) -> str:
    prefix, length = CARRIER_TRACKING[carrier]
    alphabet = "0123456789" if carrier != "UPS" else "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
    return prefix + "".join(rng.choice(alphabet) for _ in range(length - len(prefix)))


@env.seed
def seed_marketplace(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.execute(insert(ServiceClock), [{"id": 1, "now": _stamp(NOW)}])

    categories: list[dict[str, Any]] = [
        {"category_id": "0", "name": "All Categories", "parent_id": None, "level": 0, "leaf": False}
    ]
    leaves: list[tuple[str, str, bool, tuple[tuple[str, int], ...]]] = []
    for top_id, top_name, children in CATEGORY_TREE:
        categories.append({"category_id": top_id, "name": top_name, "parent_id": "0", "level": 1, "leaf": False})
        for leaf_id, leaf_name, vintage, products in children:
            categories.append(
                {"category_id": leaf_id, "name": leaf_name, "parent_id": top_id, "level": 2, "leaf": True}
            )
            leaves.append((top_id, leaf_id, vintage, products))
    db.execute(insert(Category), categories)

    # -- members -------------------------------------------------------------------------------------
    users: list[dict[str, Any]] = []
    taken: set[str] = set()
    while len(users) < MEMBERS:
        first, last = fake.first_name(), fake.last_name()
        seller = len(users) < SELLERS
        if seller:
            name = f"{rng.choice(SELLER_WORDS_A)}_{rng.choice(SELLER_WORDS_B)}" + rng.choice(
                ("", "", "_" + fake.state_abbr().lower(), str(rng.randint(1, 99)))
            )
        else:
            name = rng.choice(
                (f"{first[0]}{last}{rng.randint(1, 999)}", f"{first}_{last}", f"{first}{last[0]}{rng.randint(10, 99)}")
            ).lower()
        if name in taken:
            continue
        taken.add(name)
        positives = rng.randint(150, 25000) if seller else rng.randint(0, 600)
        negatives = int(positives * rng.choice((0.0, 0.002, 0.005, 0.01, 0.02, 0.04)))
        joined = NOW.date() - dt.timedelta(days=rng.randint(200, 7000))
        users.append(
            {
                "username": name,
                "email": f"{first.lower()}.{last.lower()}{len(users)}@{rng.choice(EMAIL_DOMAINS)}",
                "first_name": first,
                "last_name": last,
                "street": fake.street_address(),
                "city": fake.city(),
                "state": fake.state_abbr(include_territories=False),
                "zip_code": fake.zipcode(),
                "member_since": joined.isoformat(),
                "top_rated_seller": seller and positives > 3000 and negatives <= positives * 0.005,
                "positive_count": positives,
                "neutral_count": int(positives * rng.uniform(0.0, 0.02)),
                "negative_count": negatives,
            }
        )
    db.execute(insert(User), users)
    sellers = users[:SELLERS]
    buyers = users  # sellers buy too
    seller_focus = {s["username"]: rng.sample(leaves, rng.randint(1, 3)) for s in sellers}

    # -- listings ------------------------------------------------------------------------------------
    conditions = list(CONDITION_STYLE)
    weights = [CONDITION_STYLE[c][0] for c in conditions]
    items: list[dict[str, Any]] = []
    next_id = 354_100_000_000
    for _ in range(LISTINGS):
        seller = rng.choice(sellers)
        _, category_id, vintage, products = rng.choice(seller_focus[seller["username"]])
        product, new_price = rng.choice(products)
        condition = (
            rng.choice(("USED", "USED", "USED", "SELLER_REFURBISHED", "FOR_PARTS_OR_NOT_WORKING"))
            if vintage
            else rng.choices(conditions, weights)[0]
        )
        _, factor, endings = CONDITION_STYLE[condition]
        ending = rng.choice(endings)
        title = f"{product} - {ending}" if ending and len(product) + len(ending) <= 77 else product
        value = new_price * factor * rng.uniform(0.8, 1.2)
        auction = rng.random() < (0.6 if vintage or condition != "NEW" else 0.25)
        next_id += rng.randint(1_000, 9_000_000)
        service, (low, high) = rng.choice(SHIPPING_SERVICES)
        free = rng.random() < 0.45
        returns = rng.random()
        return_days = 30 if returns < 0.45 else 60 if returns < 0.65 else 0
        ended = rng.random() < (0.25 if auction else 0.08)
        if auction:
            duration = rng.choice((1, 3, 5, 7, 7, 7, 10))
            end = (
                NOW - dt.timedelta(hours=rng.randint(2, 30 * 24))
                if ended
                else NOW + dt.timedelta(minutes=rng.randint(30, duration * 24 * 60))
            )
            start = end - dt.timedelta(days=duration)
        else:
            start = NOW - dt.timedelta(hours=rng.randint(1, 29 * 24))
            end = start + dt.timedelta(days=30)
            if ended:
                end = NOW - dt.timedelta(hours=rng.randint(2, 100 * 24))
                start = end - dt.timedelta(days=rng.randint(3, 30))
        price = _cents(value)
        start_price = _cents(value * rng.choice((0.3, 0.5, 0.7))) if auction else price
        if auction and rng.random() < 0.2:
            start_price = 99
        reserve = _cents(value * 0.9) if auction and rng.random() < 0.25 else None
        best_offer = not auction and rng.random() < 0.4
        items.append(
            {
                "item_id": str(next_id),
                "seller": seller["username"],
                "title": title[:80],
                "category_id": category_id,
                "condition": condition,
                "buying_format": "AUCTION" if auction else "FIXED_PRICE",
                "price": start_price if auction else price,
                "start_price": start_price,
                "reserve_price": reserve,
                "buy_it_now_price": _cents(value * 1.15) if auction and rng.random() < 0.2 else None,
                "bid_count": 0,
                "high_bidder": None,
                "quantity": 1 if auction or condition not in ("NEW", "NEW_OTHER") else rng.choice((1, 2, 3, 5, 10)),
                "quantity_sold": 0,
                "best_offer_enabled": best_offer,
                "auto_accept_price": _cents(value * 0.92) if best_offer and rng.random() < 0.5 else None,
                "minimum_offer_price": _cents(value * 0.7) if best_offer and rng.random() < 0.7 else None,
                "shipping_service": service,
                "shipping_cost": 0 if free else int(rng.uniform(low, high)) * 100 + 99,
                "handling_days": rng.choice((1, 1, 2, 3)),
                "returns_accepted": return_days > 0,
                "return_days": return_days,
                "return_shipping_paid_by": "seller" if return_days and rng.random() < 0.4 else "buyer",
                "item_location": f"{seller['city']}, {seller['state']}",
                "description": CONDITION_NOTES[condition],
                "listing_status": "ENDED" if ended else "ACTIVE",
                "start_time": _stamp(start),
                "end_time": _stamp(end),
                "watch_count": 0,
            }
        )

    # -- bids: each auction's history, replayed through proxy bidding ----------------------------------
    bids: list[dict[str, Any]] = []
    for item in items:
        if item["buying_format"] != "AUCTION" or rng.random() < 0.3:
            continue
        start = dt.datetime.fromisoformat(item["start_time"])
        last = min(NOW, dt.datetime.fromisoformat(item["end_time"]))
        history: list[tuple[str, int]] = []
        price, leader = item["start_price"], None
        moment = start
        for _ in range(rng.randint(1, 6)):
            bidder = rng.choice(buyers)["username"]
            if bidder in (item["seller"], leader):
                continue
            floor = price if not history else price + bid_increment(price)
            amount = floor + rng.choice((0, 0, 1, 2, 5)) * bid_increment(floor) + rng.randint(0, 3) * 100
            moment = moment + (last - moment) * rng.uniform(0.1, 0.6)
            history.append((bidder, amount))
            price, leader = standing(history, item["start_price"], item["reserve_price"])
            bids.append(
                {"bid_id": f"B{len(bids) + 1:07d}", "item_id": item["item_id"], "bidder": bidder,
                 "max_amount": amount, "placed_at": _stamp(moment)}
            )  # fmt: skip
        if history:
            item.update(price=price, high_bidder=leader, bid_count=len(history), buy_it_now_price=None)

    # -- orders: won auctions, Buy It Now sales and accepted offers --------------------------------------
    by_name = {u["username"]: u for u in users}
    orders: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    used_order_ids: set[str] = set()

    def new_order(buyer: str, sold: list[tuple[dict[str, Any], int, int]], created: dt.datetime) -> dict[str, Any]:
        while True:
            order_id = f"{rng.randint(10, 27)}-{rng.randint(10000, 99999)}-{rng.randint(10000, 99999)}"
            if order_id not in used_order_ids:
                used_order_ids.add(order_id)
                break
        age = (NOW - created).days
        first = sold[0][0]
        if age < 1:
            fulfillment = "NOT_STARTED"
        elif age < 6:
            fulfillment = rng.choice(("NOT_STARTED", "SHIPPED", "SHIPPED"))
        else:
            fulfillment = "DELIVERED" if rng.random() < 0.95 else "SHIPPED"
        payment = "PAID"
        if first["buying_format"] == "AUCTION" and age < 3 and rng.random() < 0.4:
            payment, fulfillment = "PENDING", "NOT_STARTED"
        carrier = rng.choice(("USPS", "USPS", "UPS", "FedEx")) if fulfillment != "NOT_STARTED" else None
        shipped = created + dt.timedelta(days=first["handling_days"], hours=rng.randint(1, 8))
        delivered = shipped + dt.timedelta(days=rng.randint(2, 6), hours=rng.randint(0, 8))
        if fulfillment == "DELIVERED" and delivered >= NOW:
            fulfillment = "SHIPPED"
        person = by_name[buyer]
        order = {
            "order_id": order_id,
            "buyer": buyer,
            "seller": first["seller"],
            "created_at": _stamp(created),
            "payment_status": payment,
            "fulfillment_status": fulfillment,
            "total": sum(unit * qty + item["shipping_cost"] for item, qty, unit in sold),
            "ship_to": f"{person['first_name']} {person['last_name']}, {person['street']}, "
            f"{person['city']}, {person['state']} {person['zip_code']}",
            "carrier": carrier,
            "tracking_number": tracking_number(rng, carrier) if carrier else None,
            "shipped_at": _stamp(shipped) if carrier else None,
            "delivered_at": _stamp(delivered) if fulfillment == "DELIVERED" else None,
        }
        orders.append(order)
        for item, qty, unit in sold:
            lines.append(
                {"line_item_id": f"{order_id[:2]}{len(lines) + 1:08d}", "order_id": order_id,
                 "item_id": item["item_id"], "title": item["title"], "quantity": qty, "unit_price": unit,
                 "shipping_cost": item["shipping_cost"]}
            )  # fmt: skip
        return order

    for item in items:
        end = dt.datetime.fromisoformat(item["end_time"])
        if item["buying_format"] == "AUCTION":
            reserve_met = item["reserve_price"] is None or item["price"] >= item["reserve_price"]
            if item["listing_status"] == "ENDED" and item["high_bidder"] and reserve_met:
                new_order(
                    item["high_bidder"], [(item, 1, item["price"])], end + dt.timedelta(minutes=rng.randint(1, 50))
                )
                item.update(quantity=0, quantity_sold=1)
            continue
        start = dt.datetime.fromisoformat(item["start_time"])
        last = min(NOW, end)
        sales = rng.choice((0, 0, 0, 1, 1, 2)) if item["listing_status"] == "ACTIVE" else 1
        for share in sorted(rng.uniform(0.05, 0.98) for _ in range(sales)):
            if item["quantity"] <= 0:
                break
            buyer = rng.choice(buyers)["username"]
            if buyer == item["seller"]:
                continue
            created = start + (last - start) * share
            new_order(buyer, [(item, 1, item["price"])], created)
            item["quantity"] -= 1
            item["quantity_sold"] += 1
            if item["quantity"] == 0:  # sold out: the listing ended with its last sale
                item.update(listing_status="ENDED", end_time=_stamp(created))
    # Some buyers bought two things from one seller in one checkout (a cart order).
    fixed_active = [i for i in items if i["buying_format"] == "FIXED_PRICE" and i["listing_status"] == "ACTIVE"
                    and i["quantity"] >= 2]  # fmt: skip
    by_seller: dict[str, list[dict[str, Any]]] = {}
    for item in fixed_active:
        by_seller.setdefault(item["seller"], []).append(item)
    pairs = [group[:2] for group in by_seller.values() if len(group) >= 2]
    for first, second in rng.sample(pairs, min(40, len(pairs))):
        buyer = rng.choice(buyers)["username"]
        if buyer == first["seller"]:
            continue
        start = max(dt.datetime.fromisoformat(first["start_time"]), dt.datetime.fromisoformat(second["start_time"]))
        new_order(buyer, [(first, 1, first["price"]), (second, 1, second["price"])], start + (NOW - start) * 0.5)
        for item in (first, second):
            item["quantity"] -= 1
            item["quantity_sold"] += 1

    # -- best offers on fixed-price listings that take them ----------------------------------------------
    offers: list[dict[str, Any]] = []
    open_offers = [i for i in items if i["best_offer_enabled"] and i["listing_status"] == "ACTIVE"]
    for item in rng.sample(open_offers, min(260, len(open_offers))):
        for _ in range(rng.randint(1, 2)):
            buyer = rng.choice(buyers)["username"]
            if buyer == item["seller"]:
                continue
            floor = item["minimum_offer_price"] or int(item["price"] * 0.6)
            ceiling = item["auto_accept_price"] or item["price"]
            amount = _cents(rng.uniform(floor, ceiling - 100) / 100) if ceiling - 100 > floor else floor
            pending = not any(o["item_id"] == item["item_id"] and o["buyer"] == buyer for o in offers)
            offers.append(
                {"offer_id": f"OF{len(offers) + 1:06d}", "item_id": item["item_id"], "buyer": buyer,
                 "price": amount, "quantity": 1,
                 "message": rng.choice(("", "", "Would you take this?", "Can pay right away.", "Best I can do.")),
                 "status": "PENDING" if pending and rng.random() < 0.75 else "DECLINED",
                 "created_at": _stamp(NOW - dt.timedelta(hours=rng.randint(1, 40)))}
            )  # fmt: skip

    # -- watchlists ----------------------------------------------------------------------------------
    watches: list[dict[str, Any]] = []
    watched: set[tuple[str, str]] = set()
    for user in buyers:
        for item in rng.sample(items, rng.randint(0, 5)):
            key = (user["username"], item["item_id"])
            if key in watched or item["seller"] == user["username"]:
                continue
            watched.add(key)
            item["watch_count"] += 1
            added = max(dt.datetime.fromisoformat(item["start_time"]), NOW - dt.timedelta(days=20))
            watches.append({"username": key[0], "item_id": key[1], "added_at": _stamp(added)})

    # -- feedback and returns on finished orders -------------------------------------------------------
    feedback: list[dict[str, Any]] = []
    returns: list[dict[str, Any]] = []
    lines_of: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        lines_of.setdefault(line["order_id"], []).append(line)
    item_by_id = {i["item_id"]: i for i in items}
    for order in orders:
        if order["fulfillment_status"] != "DELIVERED":
            continue
        delivered = dt.datetime.fromisoformat(order["delivered_at"])
        if rng.random() < 0.55:
            rating = rng.choices(("POSITIVE", "NEUTRAL", "NEGATIVE"), (0.9, 0.06, 0.04))[0]
            feedback.append(
                {"feedback_id": f"FB{len(feedback) + 1:06d}", "order_id": order["order_id"],
                 "from_user": order["buyer"], "to_user": order["seller"], "role": "buyer", "rating": rating,
                 "comment": rng.choice(FEEDBACK_COMMENTS[rating]),
                 "created_at": _past(delivered + dt.timedelta(days=rng.randint(0, 3)))}
            )  # fmt: skip
        if rng.random() < 0.45:
            feedback.append(
                {"feedback_id": f"FB{len(feedback) + 1:06d}", "order_id": order["order_id"],
                 "from_user": order["seller"], "to_user": order["buyer"], "role": "seller", "rating": "POSITIVE",
                 "comment": rng.choice(FEEDBACK_COMMENTS["BUYER"]),
                 "created_at": _past(delivered + dt.timedelta(days=rng.randint(0, 5)))}
            )  # fmt: skip
        if rng.random() < 0.04 and (NOW - delivered).days <= 30:
            line = lines_of[order["order_id"]][0]
            listing = item_by_id[line["item_id"]]
            reason = rng.choice(("ARRIVED_DAMAGED", "NOT_AS_DESCRIBED", "DOES_NOT_FIT"))
            fault = reason != "DOES_NOT_FIT"
            if not fault and not listing["returns_accepted"]:
                continue
            returns.append(
                {"return_id": f"5{rng.randint(10**9, 10**10 - 1)}", "order_id": order["order_id"],
                 "item_id": line["item_id"], "buyer": order["buyer"], "reason": reason,
                 "comments": "", "return_shipping_paid_by": "seller" if fault else listing["return_shipping_paid_by"],
                 "refund_amount": line["unit_price"] * line["quantity"] + (line["shipping_cost"] if fault else 0),
                 "status": "OPEN", "created_at": _past(delivered + dt.timedelta(days=rng.randint(1, 5)))}
            )  # fmt: skip

    db.execute(insert(Item), items)
    db.execute(insert(Bid), bids)
    db.execute(insert(Order), orders)
    db.execute(insert(LineItem), lines)
    db.execute(insert(BestOffer), offers)
    db.execute(insert(Watch), watches)
    db.execute(insert(Feedback), feedback)
    db.execute(insert(ReturnRequest), returns)
