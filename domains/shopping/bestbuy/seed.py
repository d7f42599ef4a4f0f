"""The seeded Best Buy: a category tree, products by SKU (with open-box and clearance copies), stores in
metro areas with per-store stock, reviews, and customers with carts, pickup holds, orders, price matches
and returns. Built with bulk inserts so the whole world takes well under a second."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import (
    MEMBERSHIPS,
    NOW,
    PICKUP_HOLD_HOURS,
    CartItem,
    Category,
    Customer,
    Order,
    OrderLine,
    PickupReservation,
    PostalCode,
    PriceMatch,
    Product,
    ReturnRecord,
    Review,
    ServiceClock,
    Store,
    StoreStock,
    protection_price,
)

# --------------------------------------------------------------------------------------------------
# Data tables
# --------------------------------------------------------------------------------------------------

# (id, name, protection eligible, activation required, variant axis, product lines). A line is
# (manufacturer, series, model code, price in dollars for the first variant); the variant axis names the
# variants and their price factors. Best Buy's own category ids.
Line = tuple[str, str, str, int]
TV_SIZES = (
    (32, 0.4),
    (43, 0.6),
    (50, 0.8),
    (55, 1.0),
    (58, 1.1),
    (65, 1.45),
    (70, 1.7),
    (75, 2.1),
    (85, 3.0),
    (98, 5.5),
)
COLORS = (("Black", 1.0), ("White", 1.0), ("Midnight Blue", 1.0), ("Sandstone", 1.0))
PHONE_COLORS = ("Black", "Silver", "Blue")


def _cross(first: tuple[tuple[str, float], ...], colors: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    return tuple((f"{name} - {color}", factor) for name, factor in first for color in colors)


PHONE_VARIANTS = _cross((("128GB", 1.0), ("256GB", 1.15), ("512GB", 1.4)), PHONE_COLORS)
TABLET_VARIANTS = _cross((("128GB", 1.0), ("256GB", 1.15), ("512GB", 1.4)), ("Space Gray", "Silver"))
LAPTOP_VARIANTS = _cross(
    (("16GB Memory 512GB SSD", 1.0), ("16GB Memory 1TB SSD", 1.2), ("32GB Memory 1TB SSD", 1.45)),
    ("Silver", "Graphite"),
)
CABLE_LENGTHS = (("4 ft.", 1.0), ("6 ft.", 1.2), ("10 ft.", 1.5), ("15 ft.", 2.0), ("25 ft.", 3.0))
MOUNT_RANGES = (('For Most TVs 19"-39"', 0.7), ('For Most TVs 32"-70"', 1.0), ('For Most TVs 47"-90"', 1.4))
PACK_SIZES = (("1-Pack", 1.0), ("2-Pack", 1.8), ("4-Pack", 3.2))
CAPACITIES = (("64GB", 1.0), ("128GB", 1.5), ("256GB", 2.4), ("512GB", 4.0), ("1TB", 7.0))
WATCH_VARIANTS = _cross((("41mm", 1.0), ("45mm", 1.08)), ("Black", "Silver", "Rose Gold"))
CASE_FITS = _cross(
    tuple(
        (f"for {phone}", 1.0)
        for phone in (
            "iPhone 16 Pro",
            "iPhone 16 Pro Max",
            "iPhone 16",
            "iPhone 15",
            "Galaxy S25 Ultra",
            "Galaxy S25",
            "Pixel 9 Pro",
            "Pixel 9",
        )
    ),
    ("Black", "Clear", "Blue"),
)
FINISHES = (("Stainless Steel", 1.0), ("Fingerprint Resistant Black Stainless", 1.1), ("White", 0.92))
PLATFORMS = (("PlayStation 5", 1.0), ("Xbox Series X", 1.0), ("Nintendo Switch", 1.0))
ONE = (("", 1.0),)

LEAVES: tuple[tuple[str, str, str, bool, bool, tuple[tuple[Any, float], ...], tuple[Line, ...]], ...] = (
    (
        "abcat0100000",
        "abcat0101000",
        "TVs",
        True,
        False,
        TV_SIZES,
        (
            ("Samsung", "Class DU7200 Crystal UHD 4K Smart Tizen TV", "UN{v}DU7200", 400),
            ("Samsung", "Class Q60D QLED 4K Smart Tizen TV", "QN{v}Q60D", 550),
            ("Samsung", "Class Q80D QLED 4K Smart Tizen TV", "QN{v}Q80D", 1000),
            ("Samsung", "Class S90D OLED 4K Smart Tizen TV", "QN{v}S90D", 1500),
            ("Samsung", "Class QN90D Neo QLED 4K Smart Tizen TV", "QN{v}QN90D", 1800),
            ("LG", "Class UT75 Series LED 4K UHD Smart webOS TV", "{v}UT7570PUB", 380),
            ("LG", "Class QNED80 Series QNED 4K Smart webOS TV", "{v}QNED80TUC", 600),
            ("LG", "Class B4 Series OLED 4K UHD Smart webOS TV", "OLED{v}B4PUA", 1200),
            ("LG", "Class C4 Series OLED evo 4K Smart webOS TV", "OLED{v}C4PUA", 1500),
            ("Sony", "Class BRAVIA 3 LED 4K HDR Google TV", "K{v}S30", 650),
            ("Sony", "Class BRAVIA 7 Mini LED QLED 4K Google TV", "K{v}XR70", 1300),
            ("Sony", "Class BRAVIA 8 OLED 4K HDR Google TV", "K{v}XR80", 1800),
            ("TCL", "Class S4 S-Class 4K UHD HDR LED Smart Google TV", "{v}S450G", 280),
            ("TCL", "Class Q6 Q-Class 4K QLED HDR Smart Google TV", "{v}Q650G", 380),
            ("TCL", "Class QM7 Q-Class 4K QD-Mini LED Google TV", "{v}QM750G", 800),
            ("Hisense", "Class U6 Series Mini-LED QLED 4K Google TV", "{v}U6N", 450),
            ("Hisense", "Class U8 Series Mini-LED QLED 4K Google TV", "{v}U8N", 900),
            ("Insignia", "Class F30 Series LED 4K UHD Smart Fire TV", "NS-{v}F301NA", 250),
            ("Insignia", "Class F50 Series QLED 4K UHD Smart Fire TV", "NS-{v}F501NA", 300),
            ("VIZIO", "Class Quantum 4K QLED HDR Smart TV", "M{v}Q7-L", 420),
        ),
    ),
    (
        "abcat0100000",
        "abcat0204000",
        "Sound Bars",
        True,
        False,
        ONE,
        (
            ("Sonos", "Arc Ultra Wireless Dolby Atmos Soundbar", "ARCULUS1", 999),
            ("Sonos", "Beam (Gen 2) Soundbar with Dolby Atmos", "BEAM2US1", 499),
            ("Bose", "Smart Ultra Soundbar with Dolby Atmos", "882963-1100", 899),
            ("Samsung", "HW-Q990D 11.1.4ch Soundbar with Wireless Subwoofer", "HW-Q990D", 1399),
            ("Samsung", "HW-B550 2.1ch Soundbar with Wireless Subwoofer", "HW-B550", 230),
            ("Sony", "BRAVIA Theater Bar 8 Dolby Atmos Soundbar", "HTA8000", 999),
            ("VIZIO", "V-Series 5.1 Home Theater Sound Bar", "V51X-J6", 200),
            ("Insignia", "2.0-Channel Soundbar with Built-in Subwoofer", "NS-SB316", 60),
            ("JBL", "Bar 500 5.1ch Soundbar with Dolby Atmos", "JBLBAR500PROBLKAM", 550),
            ("Yamaha", "SR-B40A Dolby Atmos Sound Bar", "SR-B40A", 500),
        ),
    ),
    (
        "abcat0500000",
        "abcat0502000",
        "Laptops",
        True,
        False,
        LAPTOP_VARIANTS,
        (
            ("Apple", "MacBook Air 13-inch Laptop M3 chip", "MRXN3LL/A", 1099),
            ("Apple", "MacBook Air 15-inch Laptop M3 chip", "MRYM3LL/A", 1299),
            ("Apple", "MacBook Pro 14-inch Laptop M4 chip", "MW2U3LL/A", 1599),
            ("Dell", 'XPS 13 13.4" OLED Laptop Intel Core Ultra 7', "XPS9340-7", 1399),
            ("Dell", 'Inspiron 15.6" FHD Touch Laptop Intel Core i7', "I3530-7", 749),
            ("HP", 'Spectre x360 2-in-1 14" OLED Laptop Intel Core Ultra 7', "14-EU0013DX", 1449),
            ("HP", 'OmniBook X 14" Copilot+ PC Snapdragon X Elite', "14-FE0013DX", 1149),
            ("HP", 'Victus 15.6" Gaming Laptop AMD Ryzen 7 GeForce RTX 4060', "15-FB2063DX", 999),
            ("Lenovo", 'Yoga 7i 2-in-1 16" Touch Laptop Intel Core Ultra 5', "83DL0001US", 849),
            ("Lenovo", 'Legion Pro 5i 16" Gaming Laptop Intel Core i9 RTX 4070', "83DF0002US", 1799),
            ("ASUS", "Zenbook 14 OLED Laptop Intel Core Ultra 7", "UX3405MA-PP747W", 1099),
            ("ASUS", "ROG Zephyrus G16 Gaming Laptop Intel Core Ultra 9 RTX 4070", "GU605MI-QS93", 1999),
            ("Microsoft", 'Surface Laptop Copilot+ PC 13.8" Snapdragon X Plus', "ZGJ-00001", 999),
            ("Acer", "Swift Go 14 OLED Laptop Intel Core Ultra 7", "SFG14-73-71ZX", 899),
            ("Samsung", 'Galaxy Book4 Pro 14" AMOLED Laptop Intel Core Ultra 7', "NP940XGK-KG1US", 1449),
        ),
    ),
    (
        "abcat0500000",
        "pcmcat209000050006",
        "iPad & Tablets",
        True,
        False,
        TABLET_VARIANTS,
        (
            ("Apple", "iPad Air 11-inch M2 Wi-Fi", "MUWD3LL/A", 599),
            ("Apple", "iPad Pro 13-inch M4 Wi-Fi", "MVX23LL/A", 1299),
            ("Apple", "iPad (10th generation) 10.9-inch Wi-Fi", "MPQ03LL/A", 349),
            ("Samsung", 'Galaxy Tab S9 FE 10.9" Wi-Fi', "SM-X510NZAAXAR", 449),
            ("Samsung", 'Galaxy Tab S10+ 12.4" Wi-Fi', "SM-X820NZAAXAR", 999),
            ("Microsoft", 'Surface Pro Copilot+ PC 13" Snapdragon X Plus', "ZHX-00001", 999),
            ("Lenovo", 'Tab P12 12.7" Wi-Fi Tablet', "ZACH0112US", 329),
            ("Amazon", "Fire Max 11 Tablet", "B0B1VQ1ZQY", 229),
        ),
    ),
    (
        "abcat0500000",
        "abcat0509000",
        "Monitors",
        True,
        False,
        ONE,
        (
            ("Samsung", 'Odyssey G5 32" QHD 165Hz Curved Gaming Monitor', "LS32CG552ENXZA", 300),
            ("Samsung", 'Odyssey OLED G8 32" 4K 240Hz Gaming Monitor', "LS32DG802SNXZA", 1300),
            ("LG", 'UltraGear 27" QHD 180Hz IPS Gaming Monitor', "27GS75Q-B", 280),
            ("LG", 'UltraFine 32" 4K UHD IPS Monitor', "32UN880-B", 700),
            ("Dell", 'UltraSharp 27" 4K USB-C Hub Monitor', "U2723QE", 630),
            ("Dell", 'S2725DS 27" QHD 100Hz IPS Monitor', "S2725DS", 220),
            ("ASUS", 'ROG Swift 27" OLED QHD 360Hz Gaming Monitor', "PG27AQDP", 1000),
            ("Acer", 'Nitro 27" Full HD 180Hz IPS Gaming Monitor', "KG272 M3", 150),
            ("Insignia", '24" Full HD 75Hz IPS Monitor', "NS-PCM24F", 90),
            ("HP", 'Series 5 27" FHD 100Hz IPS Monitor', "527sf", 150),
            ("Alienware", 'AW3225QF 32" 4K QD-OLED 240Hz Curved Gaming Monitor', "AW3225QF", 1200),
            ("BenQ", 'MOBIUZ EX2710Q 27" QHD 165Hz Gaming Monitor', "EX2710Q", 350),
        ),
    ),
    (
        "abcat0800000",
        "pcmcat156400050037",
        "Unlocked Cell Phones",
        True,
        True,
        PHONE_VARIANTS,
        (
            ("Apple", "iPhone 16 Pro Unlocked", "MYM93LL/A", 999),
            ("Apple", "iPhone 16 Unlocked", "MYD73LL/A", 829),
            ("Apple", "iPhone 15 Unlocked", "MTLW3LL/A", 729),
            ("Samsung", "Galaxy S25 Ultra Unlocked", "SM-S938UZKAXAA", 1299),
            ("Samsung", "Galaxy S25 Unlocked", "SM-S931UZKAXAA", 799),
            ("Samsung", "Galaxy Z Flip6 Unlocked", "SM-F741UZKAXAA", 1099),
            ("Google", "Pixel 9 Pro Unlocked", "GA05780-US", 999),
            ("Google", "Pixel 9 Unlocked", "GA05843-US", 799),
            ("Motorola", "razr+ 2024 Unlocked", "PB2F0000US", 999),
            ("OnePlus", "13 Unlocked", "CPH2653", 899),
        ),
    ),
    (
        "abcat0800000",
        "abcat0811002",
        "Cell Phone Cases & Chargers",
        False,
        False,
        COLORS,
        (
            ("OtterBox", "Commuter Series Case with MagSafe for iPhone 16 Pro", "77-96034", 50),
            ("OtterBox", "Defender Series Pro Case for Galaxy S25 Ultra", "77-97251", 65),
            ("Apple", "iPhone 16 Pro Silicone Case with MagSafe", "MYYJ3ZM/A", 49),
            ("Insignia", "Hard Shell Case for iPhone 16", "NS-MA16HS", 25),
            ("Insignia", "30W USB-C Wall Charger", "NS-MW30C", 25),
            ("Samsung", "45W Super Fast Wall Charger USB-C", "EP-T4510XBEGUS", 50),
            ("Belkin", "BoostCharge Pro 3-in-1 MagSafe Charging Stand", "WIZ017TTBK", 130),
            ("Anker", "737 Power Bank 24,000mAh 140W", "A1289011", 110),
            ("ZAGG", "InvisibleShield Glass Elite Screen Protector for iPhone 16 Pro", "200113489", 45),
            ("Speck", "Presidio2 Grip Case for Galaxy S25", "150492-D143", 45),
        ),
    ),
    (
        "abcat0200000",
        "pcmcat144700050004",
        "Headphones",
        True,
        False,
        COLORS,
        (
            ("Sony", "WH-1000XM5 Wireless Noise-Canceling Over-the-Ear Headphones", "WH1000XM5", 400),
            ("Sony", "WF-1000XM5 True Wireless Noise Canceling Earbuds", "WF1000XM5", 300),
            ("Bose", "QuietComfort Ultra Wireless Noise Cancelling Over-the-Ear Headphones", "880066-0100", 430),
            ("Bose", "QuietComfort Ultra Earbuds", "882826-0010", 300),
            ("Apple", "AirPods Pro 2 Wireless Active Noise Cancelling Earbuds", "MTJV3AM/A", 249),
            ("Apple", "AirPods Max Wireless Over-Ear Headphones", "MWW43AM/A", 549),
            ("Beats", "Studio Pro Wireless Noise Cancelling Over-the-Ear Headphones", "MQTP3LL/A", 350),
            ("Beats", "Solo 4 Wireless On-Ear Headphones", "MUW23LL/A", 200),
            ("JBL", "Tune 770NC Wireless Over-Ear Headphones", "JBLT770NCBLKAM", 130),
            ("Sennheiser", "MOMENTUM 4 Wireless Headphones", "509266", 380),
            ("Samsung", "Galaxy Buds3 Pro Wireless Earbuds", "SM-R630NZAAXAR", 250),
            ("Skullcandy", "Crusher ANC 2 Wireless Over-the-Ear Headphones", "S6CAW-R740", 230),
        ),
    ),
    (
        "abcat0200000",
        "pcmcat310200050004",
        "Bluetooth Speakers",
        True,
        False,
        COLORS,
        (
            ("JBL", "Flip 6 Portable Waterproof Speaker", "JBLFLIP6BLKAM", 130),
            ("JBL", "Charge 5 Portable Waterproof Speaker", "JBLCHARGE5BLKAM", 180),
            ("Bose", "SoundLink Flex Portable Bluetooth Speaker", "865983-0100", 150),
            ("Bose", "SoundLink Max Portable Bluetooth Speaker", "883848-0100", 400),
            ("Sonos", "Roam 2 Portable Speaker", "RM2G1US1BLK", 179),
            ("Sony", "ULT FIELD 1 Wireless Speaker", "SRSULT10", 130),
            ("Ultimate Ears", "BOOM 4 Portable Bluetooth Speaker", "984-001995", 150),
            ("Marshall", "Emberton II Portable Bluetooth Speaker", "1005696", 170),
        ),
    ),
    (
        "abcat0900000",
        "abcat0901000",
        "Refrigerators",
        True,
        False,
        FINISHES,
        (
            ("Samsung", "28 Cu. Ft. 3-Door French Door Refrigerator", "RF28T5001SR", 1899),
            ("Samsung", "Bespoke 4-Door Flex Refrigerator 29 Cu. Ft.", "RF29BB8600QL", 3299),
            ("LG", "26 Cu. Ft. French Door Smart Refrigerator", "LRFXS2503S", 1999),
            ("LG", "27 Cu. Ft. Side-by-Side Refrigerator", "LRSXS2706S", 1499),
            ("Whirlpool", "25 Cu. Ft. French Door Refrigerator", "WRF555SDFZ", 1799),
            ("GE", "25.3 Cu. Ft. Side-by-Side Refrigerator", "GSS25GYPFS", 1399),
            ("Frigidaire", "18.3 Cu. Ft. Top-Freezer Refrigerator", "FFTR1835VW", 749),
            ("Insignia", "10 Cu. Ft. Top-Freezer Refrigerator", "NS-RTM10SS2", 399),
            ("KitchenAid", "26.8 Cu. Ft. French Door Refrigerator", "KRFF507HPS", 2899),
        ),
    ),
    (
        "abcat0900000",
        "abcat0910001",
        "Washers",
        True,
        False,
        FINISHES,
        (
            ("Samsung", "5.0 Cu. Ft. Front Load Washer with Steam", "WF50BG8300AV", 1099),
            ("LG", "4.5 Cu. Ft. Front Load Washer with TurboWash", "WM4000HBA", 999),
            ("Whirlpool", "4.7 Cu. Ft. Top Load Washer", "WTW5057LW", 699),
            ("Maytag", "4.8 Cu. Ft. Smart Top Load Washer", "MVW7232HW", 999),
            ("GE", "4.5 Cu. Ft. Top Load Washer", "GTW485ASWWB", 649),
            ("Electrolux", "4.5 Cu. Ft. Front Load Washer with LuxCare", "ELFW7337AW", 899),
        ),
    ),
    (
        "abcat0900000",
        "abcat0910004",
        "Dryers",
        True,
        False,
        FINISHES,
        (
            ("Samsung", "7.5 Cu. Ft. Smart Electric Dryer with Steam", "DVE50BG8300V", 1099),
            ("LG", "7.4 Cu. Ft. Electric Dryer with Sensor Dry", "DLE3400W", 899),
            ("Whirlpool", "7.0 Cu. Ft. Electric Dryer", "WED5050LW", 699),
            ("Maytag", "7.4 Cu. Ft. Smart Electric Dryer", "MED7230HW", 999),
            ("GE", "7.2 Cu. Ft. Electric Dryer", "GTD58EBSVWS", 649),
        ),
    ),
    (
        "abcat0900000",
        "abcat0905001",
        "Dishwashers",
        True,
        False,
        FINISHES,
        (
            ("Bosch", '300 Series 24" Top Control Dishwasher', "SHX53CM5N", 949),
            ("Bosch", '800 Series 24" Top Control Dishwasher with CrystalDry', "SHP78CM5N", 1349),
            ("KitchenAid", '24" Top Control Dishwasher with FreeFlex Third Rack', "KDTM404KPS", 1149),
            ("LG", '24" Top Control Smart Dishwasher with QuadWash', "LDTH7972S", 999),
            ("Samsung", '24" Top Control Dishwasher with StormWash', "DW80R5060US", 749),
            ("Whirlpool", '24" Front Control Dishwasher', "WDF341PAPM", 549),
            ("GE", '24" Front Control Dishwasher', "GDF535PSRSS", 599),
        ),
    ),
    (
        "abcat0900000",
        "abcat0904000",
        "Microwaves",
        True,
        False,
        FINISHES,
        (
            ("Samsung", "1.9 Cu. Ft. Over-the-Range Microwave with Sensor Cook", "ME19R7041FS", 379),
            ("LG", "2.0 Cu. Ft. Countertop Microwave with Smart Inverter", "MSER2090S", 229),
            ("Whirlpool", "1.7 Cu. Ft. Over-the-Range Microwave", "WMH31017HS", 329),
            ("GE", "1.6 Cu. Ft. Over-the-Range Microwave", "JVM3160RFSS", 299),
            ("Insignia", "1.1 Cu. Ft. Compact Microwave", "NS-MW11SS3", 99),
            ("Panasonic", "1.3 Cu. Ft. Countertop Microwave with Inverter", "NN-SN67KS", 189),
        ),
    ),
    (
        "abcat0700000",
        "pcmcat295700050012",
        "Video Game Consoles",
        True,
        False,
        ONE,
        (
            ("Sony", "PlayStation 5 Pro Console", "CFI-7019", 699),
            ("Sony", "PlayStation 5 Console Slim", "CFI-2015", 499),
            ("Sony", "PlayStation 5 Digital Edition Slim", "CFI-2015B", 449),
            ("Microsoft", "Xbox Series X 1TB Console", "RRT-00001", 499),
            ("Microsoft", "Xbox Series S 512GB Console", "RRS-00001", 379),
            ("Nintendo", "Switch OLED Model", "HEGSKAAAA", 349),
            ("Nintendo", "Switch Lite", "HDHSBAZAA", 199),
            ("Meta", "Quest 3 512GB VR Headset", "899-00581-01", 499),
            ("Valve", "Steam Deck OLED 512GB", "1030", 549),
        ),
    ),
    (
        "abcat0700000",
        "abcat0706000",
        "Video Games",
        False,
        False,
        PLATFORMS,
        (
            ("Electronic Arts", "EA SPORTS FC 25 Standard Edition", "74869", 70),
            ("Electronic Arts", "Madden NFL 25", "74870", 70),
            ("2K Games", "NBA 2K25 Standard Edition", "58912", 70),
            ("Activision", "Call of Duty: Black Ops 6", "88611", 70),
            ("Ubisoft", "Assassin's Creed Shadows", "UBP30502", 70),
            ("Warner Bros.", "Hogwarts Legacy", "1000803463", 60),
            ("Bandai Namco", "Elden Ring Shadow of the Erdtree Edition", "BNE03071", 80),
            ("Capcom", "Monster Hunter Wilds", "CAP55041", 70),
            ("Bethesda", "Indiana Jones and the Great Circle", "BET12204", 70),
            ("Sega", "Sonic X Shadow Generations", "SEG64115", 50),
            ("Electronic Arts", "EA SPORTS College Football 25", "74871", 70),
            ("2K Games", "WWE 2K24 Standard Edition", "58913", 60),
            ("Activision", "Crash Bandicoot N. Sane Trilogy", "88612", 40),
            ("Ubisoft", "Star Wars Outlaws", "UBP30503", 70),
            ("Warner Bros.", "Mortal Kombat 1", "1000803464", 50),
            ("Capcom", "Resident Evil 4", "CAP55042", 40),
            ("Square Enix", "Final Fantasy VII Rebirth", "SQE91101", 70),
            ("Bandai Namco", "Tekken 8", "BNE03072", 60),
            ("Take-Two", "Borderlands 4", "TTI41001", 70),
            ("Sega", "Like a Dragon: Infinite Wealth", "SEG64116", 60),
        ),
    ),
    (
        "abcat0400000",
        "abcat0401000",
        "Digital Cameras",
        True,
        False,
        ONE,
        (
            ("Canon", "EOS R6 Mark II Mirrorless Camera with RF 24-105mm Lens", "5666C011", 2999),
            ("Canon", "EOS R50 Mirrorless Camera with RF-S 18-45mm Lens", "5811C012", 799),
            ("Sony", "Alpha 7 IV Full-frame Mirrorless Camera Body", "ILCE7M4/B", 2499),
            ("Sony", "ZV-E10 II Mirrorless Vlog Camera with 16-50mm Lens", "ZVE10M2K/B", 1099),
            ("Nikon", "Z6III Mirrorless Camera Body", "1810", 2499),
            ("Nikon", "Z50II Mirrorless Camera with 16-50mm Lens", "1822", 1099),
            ("Fujifilm", "X-T50 Mirrorless Camera with XF 16-50mm Lens", "16828486", 1799),
            ("GoPro", "HERO13 Black Action Camera", "CHDHX-131-CN", 399),
            ("DJI", "Osmo Pocket 3 Creator Combo", "CP.OS.00000302.01", 669),
        ),
    ),
    (
        "abcat0500000",
        "abcat0515000",
        "Computer Accessories",
        False,
        False,
        COLORS,
        (
            ("Logitech", "MX Master 3S Wireless Performance Mouse", "910-006556", 100),
            ("Logitech", "MX Keys S Wireless Keyboard", "920-011406", 110),
            ("Logitech", "G502 X PLUS Wireless Gaming Mouse", "910-006160", 160),
            ("Razer", "BlackWidow V4 Pro Mechanical Gaming Keyboard", "RZ03-04680100-R3U1", 230),
            ("Insignia", "USB-C to HDMI Adapter", "NS-PU9C2H", 25),
            ("Insignia", "8-Port USB-C Hub", "NS-PU98505", 60),
            ("SanDisk", "2TB Extreme Portable SSD USB-C", "SDSSDE61-2T00-G25", 190),
            ("Samsung", "T7 Shield 1TB Portable SSD", "MU-PE1T0S/AM", 110),
            ("WD", "8TB My Book External USB 3.0 Hard Drive", "WDBBGB0080HBK-NESN", 180),
            ("Anker", "USB-C Docking Station 13-in-1", "A83950A1", 200),
        ),
    ),
    (
        "abcat0800000",
        "abcat0811006",
        "Cell Phone Cases",
        False,
        False,
        CASE_FITS,
        (
            ("OtterBox", "Commuter Series Case", "77-9", 50),
            ("OtterBox", "Defender Series Pro Case", "77-8", 65),
            ("Speck", "Presidio2 Grip Case", "1504", 45),
            ("Insignia", "Hard Shell Case", "NS-MAHS", 25),
            ("ZAGG", "Crystal Palace Snap Case", "7020", 40),
            ("Spigen", "Tough Armor MagFit Case", "ACS0", 35),
            ("Casetify", "Impact Case", "CTF-", 70),
            ("Belkin", "SheerForce Magnetic Case", "MSA0", 40),
        ),
    ),
    (
        "abcat0100000",
        "abcat0107000",
        "TV Mounts & Cables",
        False,
        False,
        CABLE_LENGTHS,
        (
            ("Insignia", "4K Ultra High Speed HDMI Cable", "NS-HG", 15),
            ("Insignia", "High Speed HDMI Cable with Ethernet", "NS-HHE", 12),
            ("Rocketfish", "8K Ultra High Speed HDMI 2.1 Cable", "RF-G11", 30),
            ("Rocketfish", "Fiber Optic HDMI 2.1 Cable", "RF-GF1", 45),
            ("Monster", "Ultra High Speed 8K HDMI Cable", "MNS-8K", 35),
            ("Insignia", "Optical Digital Audio Cable", "NS-HZ", 12),
            ("Insignia", "USB-C to USB-C Charge Cable", "NS-MC2C", 15),
            ("Belkin", "BoostCharge USB-C to Lightning Cable", "CAA003", 20),
        ),
    ),
    (
        "abcat0100000",
        "abcat0107040",
        "TV Wall Mounts",
        False,
        False,
        MOUNT_RANGES,
        (
            ("Insignia", "Fixed TV Wall Mount", "NS-HTVMF", 40),
            ("Insignia", "Tilting TV Wall Mount", "NS-HTVMT", 55),
            ("Insignia", "Full-Motion TV Wall Mount", "NS-HTVMM", 90),
            ("Sanus", "Premium Series Full-Motion TV Wall Mount", "VLF7", 250),
            ("Sanus", "Advanced Tilt 4D TV Wall Mount", "VLT7", 180),
            ("Rocketfish", "Full-Motion TV Wall Mount", "RF-TVMFM", 150),
        ),
    ),
    (
        "pcmcat254000050002",
        "pcmcat748301695371",
        "Smart Lighting & Plugs",
        False,
        False,
        PACK_SIZES,
        (
            ("Philips", "Hue White and Color Ambiance A19 Smart LED Bulb", "563338", 50),
            ("Philips", 'Hue Lightstrip Plus 80" Base Kit', "555334", 90),
            ("Wyze", "Color Bulb A19 Smart LED", "WLPA19C", 13),
            ("TP-Link", "Kasa Smart Wi-Fi Plug Mini", "EP10", 13),
            ("Govee", "Smart LED Light Bulbs RGBWW", "H6008", 15),
            ("Insignia", "Smart Wi-Fi Plug", "NS-SPWF", 12),
            ("Lutron", "Caseta Smart Dimmer Switch", "PD-6WCL", 60),
        ),
    ),
    (
        "pcmcat254000050002",
        "pcmcat1487699707553",
        "Smart Home Security",
        True,
        False,
        COLORS,
        (
            ("Ring", "Battery Video Doorbell Plus", "B09WZBVWL4", 150),
            ("Ring", "Stick Up Cam Battery", "B0C5QRZ4SR", 100),
            ("Google", "Nest Doorbell (Battery)", "GA01318-US", 180),
            ("Google", "Nest Cam Indoor Wired", "GA01998-US", 100),
            ("Arlo", "Pro 5S 2K Spotlight Camera", "VMC4060P", 250),
            ("Blink", "Outdoor 4 Wireless Camera", "B0B1N5FK48", 100),
            ("SimpliSafe", "Home Security System 8-Piece", "SS3-08", 250),
            ("Wyze", "Cam v4 Indoor/Outdoor 2.5K Camera", "WYZEC4", 36),
        ),
    ),
    (
        "pcmcat254000050002",
        "pcmcat748302046351",
        "Smart Speakers & Displays",
        True,
        False,
        COLORS,
        (
            ("Google", "Nest Hub (2nd Gen) Smart Display", "GA01892-US", 100),
            ("Google", "Nest Mini (2nd Gen) Smart Speaker", "GA00781-US", 49),
            ("Amazon", "Echo Dot (5th Gen) Smart Speaker with Alexa", "B09B8V1LZ3", 50),
            ("Amazon", "Echo Show 8 (3rd Gen) Smart Display", "B0BLS3Y632", 150),
            ("Sonos", "Era 100 Smart Speaker", "E10G1US1BLK", 249),
            ("Apple", "HomePod mini", "MY5G2LL/A", 99),
        ),
    ),
    (
        "pcmcat332000050000",
        "pcmcat321000050004",
        "Smartwatches",
        True,
        False,
        WATCH_VARIANTS,
        (
            ("Apple", "Watch Series 10 GPS Aluminum Case with Sport Band", "MWWE3LL/A", 399),
            ("Apple", "Watch SE (2nd Gen) GPS Aluminum Case with Sport Band", "MXEC3LL/A", 249),
            ("Apple", "Watch Ultra 2 GPS + Cellular Titanium Case", "MX4D3LL/A", 799),
            ("Samsung", "Galaxy Watch7 Aluminum Smartwatch", "SM-L310NZGAXAA", 299),
            ("Samsung", "Galaxy Watch Ultra LTE Smartwatch", "SM-L705UZTAXAA", 649),
            ("Google", "Pixel Watch 3 Aluminum Case with Active Band", "GA05757-US", 349),
            ("Garmin", "Forerunner 265 GPS Running Smartwatch", "010-02810-00", 449),
            ("Garmin", "Venu 3 GPS Smartwatch", "010-02784-01", 449),
            ("Fitbit", "Charge 6 Fitness Tracker", "GA05183-US", 159),
        ),
    ),
    (
        "abcat0500000",
        "pcmcat186400050003",
        "Memory Cards & Flash Drives",
        False,
        False,
        CAPACITIES,
        (
            ("SanDisk", "Extreme microSDXC UHS-I Memory Card", "SDSQXAV", 20),
            ("SanDisk", "Ultra USB 3.0 Flash Drive", "SDCZ48", 10),
            ("Samsung", "PRO Plus microSDXC Memory Card", "MB-MD", 18),
            ("Samsung", "EVO Select microSDXC Memory Card", "MB-ME", 15),
            ("Lexar", "Professional 1800x SDXC UHS-II Card", "LSD1800", 45),
            ("PNY", "Elite-X Fit USB 3.2 Flash Drive", "P-FDI", 12),
            ("Kingston", "DataTraveler Exodia USB 3.2 Flash Drive", "KC-U2G", 9),
        ),
    ),
    (
        "abcat0700000",
        "pcmcat230800050019",
        "Gaming Headsets & Controllers",
        True,
        False,
        COLORS,
        (
            ("Sony", "DualSense Wireless Controller for PlayStation 5", "CFI-ZCT1W", 75),
            ("Microsoft", "Xbox Wireless Controller", "QAT-00001", 60),
            ("Nintendo", "Switch Pro Controller", "HACAFSSKA", 70),
            ("SteelSeries", "Arctis Nova 7 Wireless Gaming Headset", "61553", 180),
            ("Razer", "BlackShark V2 Pro Wireless Gaming Headset", "RZ04-04530100", 200),
            ("Logitech", "G PRO X 2 LIGHTSPEED Wireless Gaming Headset", "981-001262", 250),
            ("Turtle Beach", "Stealth 600 Gen 3 Wireless Gaming Headset", "TBS-3102-05", 100),
            ("HyperX", "Cloud III Wired Gaming Headset", "727A8AA", 100),
            ("PowerA", "Enhanced Wired Controller for Xbox Series X|S", "1519365-01", 25),
        ),
    ),
)
TOP_CATEGORIES = (
    ("abcat0100000", "TV & Home Theater"), ("abcat0200000", "Audio"), ("abcat0400000", "Cameras & Camcorders"),
    ("abcat0500000", "Computers & Tablets"), ("abcat0700000", "Video Games"), ("abcat0800000", "Cell Phones"),
    ("abcat0900000", "Appliances"), ("pcmcat254000050002", "Smart Home, Security & Wi-Fi"),
    ("pcmcat332000050000", "Wearable Technology"),
)  # fmt: skip

# Metro areas: (city, state, ZIP prefix, latitude, longitude, store names).
METROS: tuple[tuple[str, str, str, float, float, tuple[str, ...]], ...] = (
    ("Minneapolis", "MN", "554", 44.977, -93.265, ("Richfield", "Uptown", "Roseville", "Eden Prairie", "Maple Grove", "Blaine")),  # noqa: E501
    ("Chicago", "IL", "606", 41.878, -87.630, ("North & Clybourn", "State Street", "Evanston", "Skokie", "Oak Brook", "Schaumburg", "Orland Park")),  # noqa: E501
    ("New York", "NY", "100", 40.713, -74.006, ("Union Square", "Fifth Avenue", "Chelsea", "Upper West Side", "Harlem")),  # noqa: E501
    ("Brooklyn", "NY", "112", 40.678, -73.944, ("Atlantic Terminal", "Gateway Center", "Kings Plaza")),
    ("Los Angeles", "CA", "900", 34.052, -118.244, ("West Hollywood", "Culver City", "Westwood", "Burbank", "Glendale", "Torrance")),  # noqa: E501
    ("San Diego", "CA", "921", 32.716, -117.161, ("Mission Valley", "Kearny Mesa", "Chula Vista", "Encinitas")),
    ("San Francisco", "CA", "941", 37.775, -122.419, ("SoMa", "Stonestown", "Daly City", "Emeryville", "San Mateo")),
    ("San Jose", "CA", "951", 37.338, -121.886, ("Westgate", "Santa Clara", "Mountain View", "Sunnyvale")),
    ("Seattle", "WA", "981", 47.606, -122.332, ("Northgate", "Bellevue", "Tukwila", "Lynnwood", "Redmond")),
    ("Portland", "OR", "972", 45.515, -122.679, ("Lloyd Center", "Beaverton", "Clackamas", "Tigard")),
    ("Denver", "CO", "802", 39.739, -104.990, ("Cherry Creek", "Lakewood", "Westminster", "Aurora", "Littleton")),
    ("Phoenix", "AZ", "850", 33.448, -112.074, ("Camelback", "Tempe", "Scottsdale", "Chandler", "Glendale AZ")),
    ("Dallas", "TX", "752", 32.777, -96.797, ("Preston Hollow", "Plano", "Frisco", "Irving", "Mesquite", "Arlington")),
    ("Houston", "TX", "770", 29.760, -95.370, ("Galleria", "Meyerland", "Katy", "Sugar Land", "The Woodlands", "Baybrook")),  # noqa: E501
    ("Austin", "TX", "787", 30.267, -97.743, ("North Lamar", "Sunset Valley", "Round Rock", "Cedar Park")),
    ("San Antonio", "TX", "782", 29.424, -98.494, ("Alamo Quarry", "Ingram Park", "The Rim")),
    ("Atlanta", "GA", "303", 33.749, -84.388, ("Buckhead", "Perimeter", "Cumberland", "Kennesaw", "Snellville")),
    ("Miami", "FL", "331", 25.762, -80.192, ("Dadeland", "Midtown Miami", "Aventura", "Doral")),
    ("Orlando", "FL", "328", 28.538, -81.379, ("Millenia", "Altamonte Springs", "Waterford Lakes")),
    ("Tampa", "FL", "336", 27.951, -82.457, ("Westshore", "Brandon", "Clearwater", "Wesley Chapel")),
    ("Boston", "MA", "021", 42.360, -71.059, ("Fenway", "Cambridge", "Dedham", "Natick", "Braintree", "Saugus")),
    ("Philadelphia", "PA", "191", 39.953, -75.165, ("Center City", "Roosevelt Boulevard", "King of Prussia", "Cherry Hill")),  # noqa: E501
    ("Pittsburgh", "PA", "152", 40.441, -79.996, ("East Liberty", "Robinson", "Monroeville")),
    ("Washington", "DC", "200", 38.907, -77.037, ("Tenleytown", "Columbia Heights", "Pentagon City", "Rockville", "Tysons")),  # noqa: E501
    ("Baltimore", "MD", "212", 39.290, -76.612, ("Towson", "Glen Burnie", "Columbia MD")),
    ("Detroit", "MI", "482", 42.331, -83.046, ("Dearborn", "Southfield", "Troy", "Novi", "Madison Heights")),
    ("Cleveland", "OH", "441", 41.499, -81.694, ("Steelyard Commons", "Mayfield Heights", "Westlake")),
    ("Columbus", "OH", "432", 39.961, -82.999, ("Easton", "Polaris", "Hilliard")),
    ("St. Louis", "MO", "631", 38.627, -90.199, ("Brentwood", "Chesterfield", "Des Peres")),
    ("Kansas City", "MO", "641", 39.100, -94.578, ("Zona Rosa", "Overland Park", "Independence")),
    ("Nashville", "TN", "372", 36.163, -86.781, ("Green Hills", "Cool Springs", "Hendersonville")),
    ("Charlotte", "NC", "282", 35.227, -80.843, ("SouthPark", "University City", "Pineville")),
    ("Raleigh", "NC", "276", 35.780, -78.639, ("Crabtree", "Triangle Town", "Cary")),
    ("Salt Lake City", "UT", "841", 40.761, -111.891, ("Sugar House", "Murray", "West Jordan")),
    ("Las Vegas", "NV", "891", 36.170, -115.140, ("Henderson", "Summerlin", "Rainbow Boulevard")),
)  # fmt: skip

OPEN_BOX_GRADES = (("Excellent", 0.88), ("Good", 0.8), ("Fair", 0.7))
SERVICES = ("Geek Squad", "Apple Shop", "Samsung Experience", "Magnolia Design Center", "Pacific Kitchen & Home",
            "Trade-In", "Curbside Pickup", "Mobile Activation", "Car & GPS Installation")  # fmt: skip
HOURS = ("Mon-Sat 10am-8pm; Sun 11am-6pm", "Mon-Sat 10am-9pm; Sun 11am-7pm", "Mon-Sun 10am-8pm",
         "Mon-Sat 9am-9pm; Sun 10am-7pm")  # fmt: skip

REVIEW_TEXTS: dict[int, tuple[tuple[str, str], ...]] = {
    5: (("Absolutely love it", "Setup took ten minutes and it has worked perfectly since. Worth every penny."),
        ("Best purchase this year", "Does everything I wanted and more. The quality is obvious right out of the box."),
        ("Exceeded expectations", "I read a lot of reviews before buying and this lived up to all of them."),
        ("Great value", "Got it on sale and it performs like products twice the price.")),
    4: (("Very good, minor gripes", "Works great overall. The included instructions could be clearer."),
        ("Solid choice", "Happy with it. Not perfect but very good for the price."),
        ("Does the job well", "Reliable and well built. Wish it came with a few more accessories.")),
    3: (("It's okay", "Does what it says but nothing special. Expected a bit more at this price."),
        ("Mixed feelings", "Some features are great, others feel unfinished. Might return it.")),
    2: (("Disappointed", "Had issues within the first week. Customer support was helpful but slow."),
        ("Not what I hoped", "Performance is below what the listing suggested.")),
    1: (("Stopped working", "Quit on me after two weeks. Returned it to the store for a refund."),
        ("Would not buy again", "Constant problems from day one. Save your money.")),
}  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------------


def _price(dollars: float) -> int:
    """A retail price in cents ending in .99."""
    return max(int(dollars), 5) * 100 - 1


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _products(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    categories = [
        {"category_id": "cat00000", "name": "Best Buy", "parent_id": None, "path": "Best Buy",
         "protection_eligible": False},
    ]  # fmt: skip
    for top_id, top_name in TOP_CATEGORIES:
        categories.append({"category_id": top_id, "name": top_name, "parent_id": "cat00000",
                           "path": f"Best Buy > {top_name}", "protection_eligible": False})  # fmt: skip
    tops = dict(TOP_CATEGORIES)
    products: list[dict[str, Any]] = []
    skus = iter(rng.sample(range(6_100_000, 6_599_999), 4000))
    for top_id, leaf_id, leaf_name, eligible, activation, variants, lines in LEAVES:
        categories.append({"category_id": leaf_id, "name": leaf_name, "parent_id": top_id,
                           "path": f"Best Buy > {tops[top_id]} > {leaf_name}", "protection_eligible": eligible})  # fmt: skip  # noqa: E501
        for manufacturer, series, model, base in lines:
            popularity = rng.random()
            for variant, factor in variants:
                if variants is TV_SIZES:
                    name, code = f'{manufacturer} - {variant}" {series}', str(variant)
                elif variant:
                    name, code = (
                        f"{manufacturer} - {series} - {variant}",
                        "".join(w[0] for w in variant.replace("-", " ").split()),
                    )
                else:
                    name, code = f"{manufacturer} - {series}", ""
                model_number = model.replace("{v}", code) if "{v}" in model else model + (f"-{code}" if code else "")
                regular = _price(base * factor)
                on_sale = rng.random() < 0.35
                sale = _price(regular / 100 * rng.choice((0.8, 0.85, 0.9, 0.93))) if on_sale else regular
                count = int(popularity * rng.choice((40, 300, 1500, 4000)))
                average = round(min(5.0, max(2.6, rng.gauss(4.4, 0.35))), 1) if count else None
                product = {
                    "sku": str(next(skus)),
                    "name": name,
                    "manufacturer": manufacturer,
                    "model_number": model_number,
                    "upc": "".join(rng.choice("0123456789") for _ in range(12)),
                    "category_id": leaf_id,
                    "regular_price": regular,
                    "sale_price": sale,
                    "condition": "clearance" if rng.random() < 0.04 else "new",
                    "screen_size_in": variant if variants is TV_SIZES else None,
                    "customer_review_average": average,
                    "customer_review_count": count,
                    "online_availability": rng.random() < 0.9,
                    "free_shipping": regular >= 3500 or rng.random() < 0.3,
                    "activation_required": activation,
                    "popularity": popularity * rng.uniform(0.6, 1.0),
                }
                if product["condition"] == "clearance":
                    product["sale_price"] = _price(regular / 100 * 0.7)
                products.append(product)
                # Open-box units of pricier products are sold under their own SKUs, one per condition grade.
                grades = OPEN_BOX_GRADES if regular >= 10000 and rng.random() < 0.3 else ()
                for grade, discount in grades[: rng.randint(1, len(grades))] if grades else ():
                    products.append({
                        **product, "sku": str(next(skus)), "name": f"{name} - Open-Box {grade}",
                        "condition": "open_box", "sale_price": _price(product["sale_price"] / 100 * discount),
                        "online_availability": False, "popularity": product["popularity"] * 0.3,
                    })  # fmt: skip
    ranked = sorted(products, key=lambda p: -p["popularity"])
    for rank, product in enumerate(ranked, 1):
        product["best_selling_rank"] = rank
        del product["popularity"]
    return categories, products


def _new_zip(
    rng: random.Random,
    metro: tuple[str, str, str, float, float],
    used: set[str],
    out: list[dict[str, Any]],
    spread: float,
) -> dict[str, Any]:
    """A ZIP code of the metro not used yet, placed within ``spread`` degrees of its centre."""
    city, region, prefix, lat, lng = metro
    code = prefix + f"{rng.randrange(1, 99):02d}"
    while code in used:
        code = prefix + f"{rng.randrange(1, 99):02d}"
    used.add(code)
    row = {"postal_code": code, "city": city, "region": region, "lat": round(lat + rng.uniform(-spread, spread), 4),
           "lng": round(lng + rng.uniform(-spread, spread) * 1.3, 4)}  # fmt: skip
    out.append(row)
    return row


def _stores(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, list[str]]]:
    postal_codes: list[dict[str, Any]] = []
    stores: list[dict[str, Any]] = []
    residential: dict[str, list[str]] = {}  # metro city -> ZIP codes where customers live
    store_ids = iter(rng.sample(range(101, 2000), 400))
    for city, region, prefix, lat, lng, names in METROS:
        metro = (city, region, prefix, lat, lng)
        used: set[str] = set()

        for name in names:
            zone = _new_zip(rng, metro, used, postal_codes, 0.25)
            services = ["Geek Squad"] if rng.random() < 0.8 else []
            services += sorted(rng.sample(SERVICES[1:], rng.randint(1, 4)))
            stores.append({
                "store_id": str(next(store_ids)), "name": name,
                "address": f"{rng.randint(100, 9999)} {rng.choice(('Main St', 'Market Pl', 'Commerce Dr', 'Center Blvd', 'Town Center Pkwy', 'Park Ave', 'Broadway', 'Mall Dr'))}",  # noqa: E501
                "city": city, "region": region, "postal_code": zone["postal_code"],
                "phone": f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
                "hours": rng.choice(HOURS), "services": ", ".join(services),
            })  # fmt: skip
        residential[city] = [_new_zip(rng, metro, used, postal_codes, 0.3)["postal_code"] for _ in range(4)]
    return postal_codes, stores, residential


def _stock(rng: random.Random, products: list[dict[str, Any]], stores: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each stocked product sits on the shelves of a few stores per metro it is carried in."""
    by_city: dict[str, list[str]] = {}
    for store in stores:
        by_city.setdefault(store["city"], []).append(store["store_id"])
    cities = sorted(by_city)
    rows: list[dict[str, Any]] = []
    for product in products:
        if rng.random() < 0.35:
            continue
        for city in rng.sample(cities, rng.randint(1, 4)):
            for store_id in rng.sample(by_city[city], rng.randint(1, min(2, len(by_city[city])))):
                rows.append({"store_id": store_id, "sku": product["sku"], "quantity": rng.choice((1, 1, 2, 3, 5, 8))})
    return rows


@env.seed
def seed(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.add(ServiceClock(id=1, now=stamp(NOW)))
    categories, products = _products(rng)
    postal_codes, stores, residential = _stores(rng)
    stock = _stock(rng, products, stores)

    customers: list[dict[str, Any]] = []
    emails: set[str] = set()
    for number in range(300):
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}{rng.randint(1, 99)}@{rng.choice(('gmail.com', 'yahoo.com', 'outlook.com'))}".lower()
        if email in emails:
            continue
        emails.add(email)
        city = rng.choice(METROS)[0]
        customers.append({
            "customer_id": f"MBB{4100000 + number * 37 + rng.randint(0, 30)}", "first_name": first,
            "last_name": last, "email": email, "postal_code": rng.choice(residential[city]),
            "membership": rng.choices(MEMBERSHIPS, (55, 30, 15))[0],
        })  # fmt: skip

    reviews: list[dict[str, Any]] = []
    review_ids = iter(rng.sample(range(10_000_000, 99_999_999), 6000))
    for product in products:
        if not product["customer_review_count"] or product["condition"] == "open_box" or rng.random() < 0.4:
            continue
        for _ in range(min(product["customer_review_count"], rng.randint(1, 3))):
            rating = max(1, min(5, round(rng.gauss(product["customer_review_average"], 0.9))))
            title, comment = rng.choice(REVIEW_TEXTS[rating])
            reviews.append({
                "review_id": str(next(review_ids)), "sku": product["sku"],
                "reviewer": f"{fake.first_name()}{rng.choice(('', 'B', 'M', 'T'))}{rng.randint(1, 999)}",
                "customer_id": None, "rating": rating, "title": title, "comment": comment,
                "submission_time": stamp(NOW - dt.timedelta(days=rng.randint(1, 700), minutes=rng.randint(0, 1440))),
            })  # fmt: skip

    sellable = [p for p in products if p["condition"] != "open_box" and p["online_availability"]]
    orders: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    matches: list[dict[str, Any]] = []
    returns: list[dict[str, Any]] = []
    order_ids = iter(rng.sample(range(10**9, 10**10), 2000))
    stores_by_city: dict[str, list[dict[str, Any]]] = {}
    for store in stores:
        stores_by_city.setdefault(store["city"], []).append(store)
    postal_city = {p["postal_code"]: p["city"] for p in postal_codes}
    eligible = {c["category_id"] for c in categories if c["protection_eligible"]}
    line_number = 0
    for customer in customers:
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            placed = NOW - dt.timedelta(days=rng.randint(1, 80), hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
            pickup = rng.random() < 0.35
            age = (NOW - placed).days
            status = ("PICKED_UP" if pickup else "DELIVERED") if age >= 4 else rng.choice(("PROCESSING", "SHIPPED"))
            received = placed + dt.timedelta(days=0 if pickup else rng.randint(2, 3), hours=3)
            if received >= NOW:
                status, received = "SHIPPED", None
            order_id = f"BBY01-{next(order_ids)}"
            picked = rng.sample(sellable, rng.choice((1, 1, 1, 2)))
            subtotal = 0
            for product in picked:
                line_number += 1
                quantity = 1 if product["regular_price"] > 5000 else rng.choice((1, 1, 2))
                plan = rng.choice((None, None, 2, 3)) if product["category_id"] in eligible else None
                plan_price = protection_price(product["sale_price"], plan) * quantity if plan else 0
                lines.append({
                    "line_id": f"L{line_number:07d}", "order_id": order_id, "sku": product["sku"],
                    "name": product["name"], "quantity": quantity, "unit_price": product["sale_price"],
                    "protection_term_years": plan, "protection_price": plan_price, "returned_quantity": 0,
                })  # fmt: skip
                subtotal += product["sale_price"] * quantity + plan_price
            free = pickup or subtotal >= 3500 or all(p["free_shipping"] for p in picked)
            shipping = 0 if free else 599
            store_id = rng.choice(stores_by_city[postal_city[customer["postal_code"]]])["store_id"] if pickup else None
            orders.append({
                "order_id": order_id, "customer_id": customer["customer_id"], "placed_at": stamp(placed),
                "fulfillment": "pickup" if pickup else "shipping", "store_id": store_id, "status": status,
                "received_at": stamp(received) if received and status in ("DELIVERED", "PICKED_UP") else None,
                "shipping_cost": shipping, "total": subtotal + shipping,
            })  # fmt: skip
            if status in ("DELIVERED", "PICKED_UP") and rng.random() < 0.2:
                line = next(x for x in lines if x["order_id"] == order_id)
                product = next(p for p in picked if p["sku"] == line["sku"])
                rating = rng.choice((5, 5, 4, 3))
                title, comment = rng.choice(REVIEW_TEXTS[rating])
                written = min(NOW - dt.timedelta(hours=1), received + dt.timedelta(days=rng.randint(1, 6)))
                reviews.append({
                    "review_id": str(next(review_ids)), "sku": line["sku"],
                    "reviewer": f"{customer['first_name']}{customer['last_name'][0]}", "customer_id":
                    customer["customer_id"], "rating": rating, "title": title, "comment": comment,
                    "submission_time": stamp(written),
                })  # fmt: skip
                product["customer_review_count"] += 1
            elif status in ("DELIVERED", "PICKED_UP") and rng.random() < 0.08 and age > 5:
                line = lines[-1]
                matched = line["unit_price"] - 1000
                matches.append({
                    "price_match_id": f"PM{len(matches) + 1:06d}", "customer_id": customer["customer_id"],
                    "order_id": order_id, "sku": line["sku"], "competitor": rng.choice(("Amazon.com", "Walmart.com", "Target.com")),  # noqa: E501
                    "competitor_price": matched, "refund_amount": 1000 * line["quantity"],
                    "created_at": stamp(placed + dt.timedelta(days=3)),
                })  # fmt: skip
                line["unit_price"] = matched
            elif status in ("DELIVERED", "PICKED_UP") and rng.random() < 0.06:
                line = lines[-1]
                line["returned_quantity"] = line["quantity"]
                returns.append({
                    "return_id": f"R{len(returns) + 1:07d}", "order_id": order_id, "sku": line["sku"],
                    "quantity": line["quantity"], "reason": rng.choice(("changed_mind", "defective")),
                    "refund_amount": line["unit_price"] * line["quantity"] + line["protection_price"],
                    "created_at": stamp(received + dt.timedelta(days=2)) if received else stamp(NOW),
                })  # fmt: skip

    cart: list[dict[str, Any]] = []
    for customer in rng.sample(customers, 60):
        for product in rng.sample(sellable, rng.randint(1, 3)):
            cart.append({"customer_id": customer["customer_id"], "sku": product["sku"], "quantity": 1})

    reservations: list[dict[str, Any]] = []
    stock_at = {(s["store_id"], s["sku"]): s for s in stock}
    store_city = {s["store_id"]: s["city"] for s in stores}
    for customer in rng.sample(customers, 70):
        city = postal_city[customer["postal_code"]]
        options = [s for s in stock if store_city[s["store_id"]] == city and s["quantity"] >= 2]
        if not options:
            continue
        held = rng.choice(options)
        created = NOW - dt.timedelta(hours=rng.randint(2, 60))
        reservations.append({
            "reservation_id": f"RS{len(reservations) + 1:07d}", "customer_id": customer["customer_id"],
            "sku": held["sku"], "store_id": held["store_id"], "quantity": 1, "status": "RESERVED",
            "created_at": stamp(created), "hold_until": stamp(created + dt.timedelta(hours=PICKUP_HOLD_HOURS)),
        })  # fmt: skip
        stock_at[(held["store_id"], held["sku"])]["quantity"] -= 1
    # Holds from the past weeks: collected, cancelled, or let run out (their units went back on the shelf).
    for customer in rng.sample(customers, 90):
        city = postal_city[customer["postal_code"]]
        options = [s for s in stock if store_city[s["store_id"]] == city]
        if not options:
            continue
        held = rng.choice(options)
        created = NOW - dt.timedelta(days=rng.randint(4, 40), hours=rng.randint(0, 12))
        reservations.append({
            "reservation_id": f"RS{len(reservations) + 1:07d}", "customer_id": customer["customer_id"],
            "sku": held["sku"], "store_id": held["store_id"], "quantity": 1,
            "status": rng.choice(("PICKED_UP", "PICKED_UP", "CANCELLED", "EXPIRED")),
            "created_at": stamp(created), "hold_until": stamp(created + dt.timedelta(hours=PICKUP_HOLD_HOURS)),
        })  # fmt: skip

    for model, rows in (
        (Category, categories), (Product, products), (PostalCode, postal_codes), (Store, stores),
        (StoreStock, stock), (Customer, customers), (Review, reviews), (Order, orders), (OrderLine, lines),
        (PriceMatch, matches), (ReturnRecord, returns), (CartItem, cart), (PickupReservation, reservations),
    ):  # fmt: skip
        if rows:
            db.execute(insert(model), rows)
