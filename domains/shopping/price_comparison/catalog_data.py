"""The seeded product catalog: real models sold on Chinese platforms, with their list price in yuan per variant."""

from __future__ import annotations

# category -> subcategory -> (brand, model, ((variant, list price in yuan), ...)); an empty variant is the model itself
CATALOG: dict[str, dict[str, tuple[tuple[str, str, tuple[tuple[str, float], ...]], ...]]] = {
    "electronics": {
        "phone": (
            ("Xiaomi", "Xiaomi 14", (("12GB+256GB", 3999), ("16GB+512GB", 4599), ("16GB+1TB", 5299))),
            ("Xiaomi", "Redmi K70", (("12GB+256GB", 2499), ("16GB+512GB", 2999))),
            ("Xiaomi", "Redmi Note 13 Pro", (("8GB+256GB", 1499), ("12GB+512GB", 1899))),
            ("Huawei", "Huawei Mate 60 Pro", (("12GB+256GB", 6499), ("12GB+512GB", 6999))),
            ("Huawei", "Huawei nova 12", (("256GB", 2699), ("512GB", 2999))),
            ("Apple", "iPhone 15", (("128GB", 5999), ("256GB", 6999), ("512GB", 8999))),
            ("Apple", "iPhone 15 Pro", (("128GB", 7999), ("256GB", 8999))),
            ("OPPO", "OPPO Find X7", (("12GB+256GB", 3999), ("16GB+512GB", 4499))),
            ("OPPO", "OPPO Reno11", (("12GB+256GB", 2499), ("12GB+512GB", 2799))),
            ("vivo", "vivo X100", (("12GB+256GB", 3999), ("16GB+512GB", 4499))),
            ("vivo", "iQOO Neo9", (("12GB+256GB", 2299), ("16GB+512GB", 2799))),
            ("Honor", "Honor Magic6", (("12GB+256GB", 4399), ("16GB+512GB", 4999))),
            ("Honor", "Honor 100", (("12GB+256GB", 2499),)),
            ("OnePlus", "OnePlus 12", (("12GB+256GB", 4299), ("16GB+512GB", 4799))),
            ("Samsung", "Samsung Galaxy S24", (("8GB+256GB", 5999), ("8GB+512GB", 6999))),
        ),
        "headphones": (
            ("Apple", "AirPods Pro 2", (("USB-C", 1899),)),
            ("Huawei", "Huawei FreeBuds Pro 3", (("", 1499),)),
            ("Sony", "Sony WH-1000XM5", (("", 2699),)),
            ("Xiaomi", "Xiaomi Buds 4 Pro", (("", 899),)),
            ("Edifier", "Edifier W820NB", (("", 299),)),
            ("Bose", "Bose QuietComfort Ultra", (("", 2999),)),
            ("Sony", "Sony WF-1000XM5", (("", 1999),)),
        ),
        "laptop": (
            ("Lenovo", "Lenovo Legion Y9000P", (("i9 16GB 1TB RTX 4060", 9999), ("i9 32GB 1TB RTX 4070", 11999))),
            ("Lenovo", "Lenovo Xiaoxin Pro 14", (("16GB 1TB", 5299),)),
            ("Huawei", "Huawei MateBook 14", (("16GB 1TB", 5999),)),
            ("Apple", "MacBook Air 13 M3", (("8GB 256GB", 8999), ("16GB 512GB", 10499))),
            ("ASUS", "ASUS Vivobook 15", (("16GB 512GB", 3999),)),
            ("Dell", "Dell Inspiron 14", (("16GB 512GB", 4599),)),
        ),
        "tablet": (
            ("Apple", "iPad 10th generation", (("64GB Wi-Fi", 2999), ("256GB Wi-Fi", 3999))),
            ("Xiaomi", "Xiaomi Pad 6", (("8GB+128GB", 1999), ("8GB+256GB", 2299))),
            ("Huawei", "Huawei MatePad 11.5", (("8GB+128GB", 1999),)),
            ("Honor", "Honor Pad 9", (("8GB+128GB", 1499),)),
        ),
        "wearable": (
            ("Huawei", "Huawei Watch GT 4", (("46mm", 1488), ("41mm", 1388))),
            ("Apple", "Apple Watch Series 9", (("41mm GPS", 2999), ("45mm GPS", 3199))),
            ("Xiaomi", "Xiaomi Smart Band 8", (("", 249),)),
        ),
        "accessories": (
            ("Anker", "Anker 737 Power Bank", (("24000mAh", 499),)),
            ("Xiaomi", "Xiaomi Power Bank", (("20000mAh", 129), ("10000mAh", 79))),
            ("Logitech", "Logitech MX Master 3S", (("", 699),)),
        ),
    },
    "appliances": {
        "air fryer": (
            ("Midea", "Midea KZE5004 Air Fryer", (("5L", 299),)),
            ("Joyoung", "Joyoung KL50-VF176 Air Fryer", (("5L", 259),)),
            ("Philips", "Philips HD9252 Air Fryer", (("4.1L", 599),)),
            ("Bear", "Bear QZG-A15D1 Air Fryer", (("3L", 199),)),
            ("Supor", "Supor KJ45D806 Air Fryer", (("4.5L", 239),)),
            ("Xiaomi", "Mijia Smart Air Fryer", (("4.5L", 329), ("6.5L", 429))),
            ("Midea", "Midea KZC6001 Visible Air Fryer", (("6L", 399),)),
        ),
        "rice cooker": (
            ("Midea", "Midea MB-FB40 Rice Cooker", (("4L", 299),)),
            ("Supor", "Supor SF40FC Rice Cooker", (("4L", 399),)),
            ("Zojirushi", "Zojirushi NP-HRQ10 Rice Cooker", (("1L", 2999),)),
            ("Xiaomi", "Mijia IH Rice Cooker", (("3L", 399),)),
        ),
        "robot vacuum": (
            ("Ecovacs", "Ecovacs Deebot T20", (("", 3999),)),
            ("Roborock", "Roborock G20", (("", 4999),)),
            ("Dreame", "Dreame L20 Ultra", (("", 4999),)),
            ("Xiaomi", "Mijia Robot Vacuum 3C", (("", 999),)),
        ),
        "air purifier": (
            ("Xiaomi", "Mijia Air Purifier 4 Pro", (("", 1299),)),
            ("Philips", "Philips AC3858 Air Purifier", (("", 2999),)),
            ("Blueair", "Blueair 7410i Air Purifier", (("", 2499),)),
        ),
        "kettle": (
            ("Midea", "Midea SH17M301 Kettle", (("1.7L", 99),)),
            ("Xiaomi", "Mijia Electric Kettle 2", (("1.7L", 89),)),
            ("Bear", "Bear ZDH-A15 Kettle", (("1.5L", 79),)),
        ),
        "hair dryer": (
            ("Dyson", "Dyson Supersonic HD15", (("", 3199),)),
            ("Panasonic", "Panasonic EH-NA0J Hair Dryer", (("", 1399),)),
            ("Xiaomi", "Mijia H501 Hair Dryer", (("", 299),)),
        ),
        "refrigerator": (
            ("Haier", "Haier BCD-471 Refrigerator", (("471L", 3299),)),
            ("Midea", "Midea BCD-508 Refrigerator", (("508L", 3599),)),
        ),
        "washing machine": (
            ("Haier", "Haier EG100 Washing Machine", (("10kg", 2199),)),
            ("Little Swan", "Little Swan TG100 Washing Machine", (("10kg", 2599),)),
        ),
        "microwave": (("Galanz", "Galanz P70 Microwave", (("20L", 399),)),),
    },
    "beauty": {
        "serum": (
            ("Estée Lauder", "Estée Lauder Advanced Night Repair", (("50ml", 920), ("100ml", 1380))),
            ("SK-II", "SK-II Facial Treatment Essence", (("230ml", 1540), ("160ml", 1180))),
            ("Lancôme", "Lancôme Advanced Génifique", (("50ml", 1080), ("100ml", 1580))),
            ("Shiseido", "Shiseido Ultimune Power Infusing Concentrate", (("50ml", 790),)),
            ("Proya", "Proya Ruby Serum", (("30ml", 299),)),
        ),
        "moisturizer": (
            ("Olay", "Olay Regenerist Micro-Sculpting Cream", (("50g", 299),)),
            ("Winona", "Winona Soothing Moisturizing Cream", (("50g", 268),)),
            ("Kiehl's", "Kiehl's Ultra Facial Cream", (("50ml", 320), ("125ml", 580))),
            ("Clinique", "Clinique Moisture Surge 100H", (("50ml", 360),)),
            ("Curél", "Curél Intensive Moisture Cream", (("40g", 198),)),
            ("La Roche-Posay", "La Roche-Posay Effaclar Duo+", (("40ml", 240),)),
        ),
        "makeup": (
            ("YSL", "YSL Rouge Pur Couture Lipstick", (("", 400),)),
            ("MAC", "MAC Powder Kiss Lipstick", (("", 230),)),
            ("Perfect Diary", "Perfect Diary Eyeshadow Palette", (("", 129),)),
            ("Florasis", "Florasis Loose Powder", (("", 209),)),
        ),
    },
    "groceries": {
        "snacks": (
            ("Three Squirrels", "Three Squirrels Mixed Nuts", (("750g", 129), ("1.5kg", 229))),
            ("Bestore", "Bestore Dried Mango", (("500g", 49.9),)),
            ("Oreo", "Oreo Original Cookies", (("776g", 39.9),)),
            ("Ferrero", "Ferrero Rocher", (("48 pieces", 179),)),
            ("Lindt", "Lindt Excellence 85% Dark Chocolate", (("100g x 5", 109),)),
        ),
        "drinks": (
            ("Yili", "Yili Pure Milk", (("250ml x 24", 59.9),)),
            ("Mengniu", "Mengniu Deluxe Milk", (("250ml x 12", 69.9),)),
            ("Nongfu Spring", "Nongfu Spring Water", (("550ml x 24", 34.9),)),
            ("Coca-Cola", "Coca-Cola", (("330ml x 24", 49.9),)),
            ("Tsingtao", "Tsingtao Beer", (("500ml x 12", 59.9),)),
            ("Nestlé", "Nestlé 1+2 Coffee", (("100 sticks", 129),)),
            ("Moutai", "Kweichow Moutai Feitian 53%", (("500ml", 2499),)),
            ("Wuliangye", "Wuliangye 52%", (("500ml", 1099),)),
        ),
        "pantry": (
            ("Arawana", "Arawana Blended Cooking Oil", (("5L", 79.9),)),
            ("Wuchang", "Wuchang Daohuaxiang Rice", (("5kg", 69.9), ("10kg", 129))),
            ("Haitian", "Haitian Premium Soy Sauce", (("1.9L", 22.9),)),
            ("Lee Kum Kee", "Lee Kum Kee Oyster Sauce", (("510g", 15.9),)),
        ),
    },
}

# Which platforms carry each category, and how often.
PLATFORMS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "electronics": ("jd", "tmall", "pdd", "suning", "taobao"),
    "appliances": ("jd", "tmall", "suning", "pdd", "taobao"),
    "beauty": ("tmall", "jd", "taobao", "pdd"),
    "groceries": ("jd", "tmall", "pdd", "taobao"),
}

SHOP_WORDS = ("Haoyun", "Jiajia", "Xinyu", "Mingtian", "Lanling", "Jinxiu", "Huamei", "Yuelai", "Tianyi", "Fuxing")
SHOP_KINDS = {
    "electronics": ("Digital", "Mobile", "Tech"),
    "appliances": ("Home Appliances", "Kitchen", "Electric"),
    "beauty": ("Beauty House", "Cosmetics", "Skin Care"),
    "groceries": ("Grocery Mart", "Food Store", "Snack Shop"),
}

# Platform-wide coupons: (platform, category or None, title, threshold yuan, discount yuan)
PLATFORM_COUPONS: tuple[tuple[str, str | None, str, int, int], ...] = (
    ("jd", "appliances", "JD Home Appliance Festival", 2000, 200),
    ("jd", "electronics", "JD Digital Week", 3000, 150),
    ("jd", "groceries", "JD Supermarket", 199, 20),
    ("jd", None, "JD store-wide coupon", 999, 50),
    ("tmall", "beauty", "Tmall Beauty Day", 599, 60),
    ("tmall", "appliances", "Tmall Appliances", 1500, 100),
    ("tmall", None, "Tmall shopping allowance", 300, 30),
    ("tmall", "groceries", "Tmall Supermarket", 99, 10),
    ("pdd", "electronics", "Pinduoduo Billion Subsidy", 2500, 100),
    ("pdd", None, "Pinduoduo new-season coupon", 200, 15),
    ("suning", "appliances", "Suning Appliance Trade-in", 2500, 300),
    ("taobao", None, "Taobao Double 12 warm-up", 400, 40),
)

# Colours a subcategory is sold in; each colour is its own SKU (its own product and price history).
COLOURS: dict[str, tuple[str, ...]] = {
    "phone": ("Black", "White", "Blue", "Green", "Purple"),
    "tablet": ("Silver", "Space Grey", "Blue"),
    "headphones": ("Black", "White"),
    "wearable": ("Black", "Silver", "Pink"),
    "air fryer": ("White", "Black"),
    "kettle": ("White", "Grey"),
    "hair dryer": ("White", "Grey", "Pink"),
}
# Models sold in their own colours.
MODEL_COLOURS: dict[str, tuple[str, ...]] = {
    "iPhone 15": ("Black", "Blue", "Pink", "Yellow", "Green"),
    "iPhone 15 Pro": ("Natural Titanium", "Blue Titanium", "White Titanium", "Black Titanium"),
    "Huawei Mate 60 Pro": ("Yadan Black", "Nanli Purple", "Baihui Silver", "Yaochuan Green"),
    "iPad 10th generation": ("Silver", "Blue", "Pink", "Yellow"),
    "Dyson Supersonic HD15": ("Fuchsia/Nickel", "Blue/Blush", "Nickel/Copper"),
    "AirPods Pro 2": ("White",),
}
COLOURS_PER_MODEL = {
    "phone": 3, "tablet": 2, "headphones": 2, "wearable": 2, "air fryer": 2, "kettle": 2, "hair dryer": 2,
}  # fmt: skip
