"""The seed generator and its data tables: seventy real fruits with their taxonomy and nutrition per 100 g
(rounded from published food-composition figures for the raw fruit), and a few hundred app users with
saved fruits, goals and two weeks of fruit logs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import FRUIT_FIELDS, NOW, Favorite, Fruit, LogEntry, ServiceClock, User

USERS = 260
LOGGED_DAYS = 14

# name, family, order, genus, kcal, fat g, sugar g, carbohydrates g, protein g (per 100 g)
FRUITS: tuple[tuple[str, str, str, str, float, float, float, float, float], ...] = (
    ("Acai", "Arecaceae", "Arecales", "Euterpe", 70, 5.0, 0.0, 4.0, 1.0),
    ("Acerola", "Malpighiaceae", "Malpighiales", "Malpighia", 32, 0.3, 4.0, 7.7, 0.4),
    ("Apple", "Rosaceae", "Rosales", "Malus", 52, 0.17, 10.4, 13.8, 0.26),
    ("Apricot", "Rosaceae", "Rosales", "Prunus", 48, 0.39, 9.24, 11.1, 1.4),
    ("Avocado", "Lauraceae", "Laurales", "Persea", 160, 14.7, 0.66, 8.53, 2.0),
    ("Banana", "Musaceae", "Zingiberales", "Musa", 89, 0.33, 12.2, 22.8, 1.09),
    ("Blackberry", "Rosaceae", "Rosales", "Rubus", 43, 0.49, 4.88, 9.61, 1.39),
    ("Blackcurrant", "Grossulariaceae", "Saxifragales", "Ribes", 63, 0.41, 7.4, 15.4, 1.4),
    ("Blood Orange", "Rutaceae", "Sapindales", "Citrus", 50, 0.2, 9.0, 12.0, 0.9),
    ("Blueberry", "Ericaceae", "Ericales", "Vaccinium", 57, 0.33, 9.96, 14.5, 0.74),
    ("Boysenberry", "Rosaceae", "Rosales", "Rubus", 50, 0.26, 6.9, 12.2, 1.1),
    ("Breadfruit", "Moraceae", "Rosales", "Artocarpus", 103, 0.23, 11.0, 27.1, 1.07),
    ("Cantaloupe", "Cucurbitaceae", "Cucurbitales", "Cucumis", 34, 0.19, 7.86, 8.16, 0.84),
    ("Cherimoya", "Annonaceae", "Magnoliales", "Annona", 75, 0.68, 12.9, 17.7, 1.57),
    ("Cherry", "Rosaceae", "Rosales", "Prunus", 63, 0.2, 12.8, 16.0, 1.06),
    ("Clementine", "Rutaceae", "Sapindales", "Citrus", 47, 0.15, 9.18, 12.0, 0.85),
    ("Cloudberry", "Rosaceae", "Rosales", "Rubus", 51, 0.8, 6.0, 8.6, 2.4),
    ("Coconut", "Arecaceae", "Arecales", "Cocos", 354, 33.5, 6.23, 15.2, 3.33),
    ("Cranberry", "Ericaceae", "Ericales", "Vaccinium", 46, 0.13, 4.27, 12.2, 0.46),
    ("Date", "Arecaceae", "Arecales", "Phoenix", 277, 0.15, 66.5, 75.0, 1.81),
    ("Dragonfruit", "Cactaceae", "Caryophyllales", "Selenicereus", 60, 0.4, 8.0, 13.0, 1.2),
    ("Durian", "Malvaceae", "Malvales", "Durio", 147, 5.33, 6.75, 27.1, 1.47),
    ("Elderberry", "Adoxaceae", "Dipsacales", "Sambucus", 73, 0.5, 7.0, 18.4, 0.66),
    ("Feijoa", "Myrtaceae", "Myrtales", "Acca", 61, 0.42, 8.2, 15.2, 0.71),
    ("Fig", "Moraceae", "Rosales", "Ficus", 74, 0.3, 16.3, 19.2, 0.75),
    ("Goji Berry", "Solanaceae", "Solanales", "Lycium", 349, 0.39, 45.6, 77.1, 14.3),
    ("Gooseberry", "Grossulariaceae", "Saxifragales", "Ribes", 44, 0.58, 4.4, 10.2, 0.88),
    ("Grape", "Vitaceae", "Vitales", "Vitis", 69, 0.16, 15.5, 18.1, 0.72),
    ("Grapefruit", "Rutaceae", "Sapindales", "Citrus", 42, 0.14, 6.89, 10.7, 0.77),
    ("Ground Cherry", "Solanaceae", "Solanales", "Physalis", 53, 0.7, 9.0, 11.2, 1.9),
    ("Guava", "Myrtaceae", "Myrtales", "Psidium", 68, 0.95, 8.92, 14.3, 2.55),
    ("Honeydew", "Cucurbitaceae", "Cucurbitales", "Cucumis", 36, 0.14, 8.12, 9.09, 0.54),
    ("Horned Melon", "Cucurbitaceae", "Cucurbitales", "Cucumis", 44, 1.26, 1.0, 7.56, 1.78),
    ("Jackfruit", "Moraceae", "Rosales", "Artocarpus", 95, 0.64, 19.1, 23.2, 1.72),
    ("Jujube", "Rhamnaceae", "Rosales", "Ziziphus", 79, 0.2, 10.0, 20.2, 1.2),
    ("Kiwi", "Actinidiaceae", "Ericales", "Actinidia", 61, 0.52, 8.99, 14.7, 1.14),
    ("Kumquat", "Rutaceae", "Sapindales", "Citrus", 71, 0.86, 9.36, 15.9, 1.88),
    ("Lemon", "Rutaceae", "Sapindales", "Citrus", 29, 0.3, 2.5, 9.32, 1.1),
    ("Lime", "Rutaceae", "Sapindales", "Citrus", 30, 0.2, 1.69, 10.5, 0.7),
    ("Lingonberry", "Ericaceae", "Ericales", "Vaccinium", 54, 0.5, 5.6, 11.9, 0.75),
    ("Longan", "Sapindaceae", "Sapindales", "Dimocarpus", 60, 0.1, 14.0, 15.1, 1.31),
    ("Loquat", "Rosaceae", "Rosales", "Eriobotrya", 47, 0.2, 9.0, 12.1, 0.43),
    ("Lychee", "Sapindaceae", "Sapindales", "Litchi", 66, 0.44, 15.2, 16.5, 0.83),
    ("Mamey Sapote", "Sapotaceae", "Ericales", "Pouteria", 124, 0.46, 20.1, 32.1, 1.45),
    ("Mandarin", "Rutaceae", "Sapindales", "Citrus", 53, 0.31, 10.6, 13.3, 0.81),
    ("Mango", "Anacardiaceae", "Sapindales", "Mangifera", 60, 0.38, 13.7, 15.0, 0.82),
    ("Mangosteen", "Clusiaceae", "Malpighiales", "Garcinia", 73, 0.58, 16.1, 18.0, 0.41),
    ("Mulberry", "Moraceae", "Rosales", "Morus", 43, 0.39, 8.1, 9.8, 1.44),
    ("Nectarine", "Rosaceae", "Rosales", "Prunus", 44, 0.32, 7.89, 10.6, 1.06),
    ("Olive", "Oleaceae", "Lamiales", "Olea", 115, 10.7, 0.0, 6.26, 0.84),
    ("Orange", "Rutaceae", "Sapindales", "Citrus", 47, 0.12, 9.35, 11.8, 0.94),
    ("Papaya", "Caricaceae", "Brassicales", "Carica", 43, 0.26, 7.82, 10.8, 0.47),
    ("Passionfruit", "Passifloraceae", "Malpighiales", "Passiflora", 97, 0.7, 11.2, 23.4, 2.2),
    ("Pawpaw", "Annonaceae", "Magnoliales", "Asimina", 80, 1.2, 9.0, 18.8, 1.2),
    ("Peach", "Rosaceae", "Rosales", "Prunus", 39, 0.25, 8.39, 9.54, 0.91),
    ("Pear", "Rosaceae", "Rosales", "Pyrus", 57, 0.14, 9.75, 15.2, 0.36),
    ("Persimmon", "Ebenaceae", "Ericales", "Diospyros", 70, 0.19, 12.5, 18.6, 0.58),
    ("Pineapple", "Bromeliaceae", "Poales", "Ananas", 50, 0.12, 9.85, 13.1, 0.54),
    ("Plantain", "Musaceae", "Zingiberales", "Musa", 122, 0.37, 15.0, 31.9, 1.3),
    ("Plum", "Rosaceae", "Rosales", "Prunus", 46, 0.28, 9.92, 11.4, 0.7),
    ("Pomegranate", "Lythraceae", "Myrtales", "Punica", 83, 1.17, 13.7, 18.7, 1.67),
    ("Pomelo", "Rutaceae", "Sapindales", "Citrus", 38, 0.04, 7.0, 9.62, 0.76),
    ("Prickly Pear", "Cactaceae", "Caryophyllales", "Opuntia", 41, 0.51, 5.0, 9.57, 0.73),
    ("Quince", "Rosaceae", "Rosales", "Cydonia", 57, 0.1, 12.5, 15.3, 0.4),
    ("Rambutan", "Sapindaceae", "Sapindales", "Nephelium", 68, 0.21, 14.0, 16.5, 0.65),
    ("Raspberry", "Rosaceae", "Rosales", "Rubus", 52, 0.65, 4.42, 11.9, 1.2),
    ("Redcurrant", "Grossulariaceae", "Saxifragales", "Ribes", 56, 0.2, 7.37, 13.8, 1.4),
    ("Sapodilla", "Sapotaceae", "Ericales", "Manilkara", 83, 1.1, 10.0, 20.0, 0.44),
    ("Soursop", "Annonaceae", "Magnoliales", "Annona", 66, 0.3, 13.5, 16.8, 1.0),
    ("Starfruit", "Oxalidaceae", "Oxalidales", "Averrhoa", 31, 0.33, 3.98, 6.73, 1.04),
    ("Strawberry", "Rosaceae", "Rosales", "Fragaria", 32, 0.3, 4.89, 7.68, 0.67),
    ("Sugar Apple", "Annonaceae", "Magnoliales", "Annona", 94, 0.29, 15.0, 23.6, 2.06),
    ("Tamarind", "Fabaceae", "Fabales", "Tamarindus", 239, 0.6, 57.4, 62.5, 2.8),
    ("Tomato", "Solanaceae", "Solanales", "Solanum", 18, 0.2, 2.63, 3.89, 0.88),
    ("Watermelon", "Cucurbitaceae", "Cucurbitales", "Citrullus", 30, 0.15, 6.2, 7.55, 0.61),
)
# Fruits people log often, and typical portions of them in grams.
PORTIONS: dict[str, tuple[int, ...]] = {
    "Apple": (150, 180, 200), "Banana": (100, 120, 125), "Orange": (130, 150), "Strawberry": (80, 100, 150),
    "Blueberry": (50, 75, 100), "Grape": (80, 100, 120), "Mango": (100, 150, 200), "Pear": (170, 180),
    "Watermelon": (200, 280, 300), "Pineapple": (100, 165), "Kiwi": (70, 75, 150), "Peach": (150, 175),
    "Cherry": (80, 100, 140), "Raspberry": (60, 100, 125), "Clementine": (75, 150), "Avocado": (50, 100, 150),
    "Cantaloupe": (150, 160, 200), "Plum": (66, 130), "Papaya": (145, 150), "Date": (24, 48, 72),
}  # fmt: skip
MEALS = ("breakfast", "lunch", "dinner", "snack")


def _users(data: SeedData) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    taken: set[str] = set()
    for _ in range(USERS):
        first, last = data.fake.first_name(), data.fake.last_name()
        base = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        username = base
        while username in taken:
            username = f"{base}{data.rng.randint(2, 99)}"
        taken.add(username)
        rows.append(
            {
                "username": username,
                "display_name": f"{first} {last}",
                "daily_calorie_goal": data.rng.choice((None, None, 150, 200, 250, 300, 400)),
                "daily_sugar_limit": data.rng.choice((None, None, None, 25.0, 30.0, 40.0, 50.0)),
            }
        )
    return rows


@env.seed
def seed_fruityvice(db: Session, data: SeedData) -> None:
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    fruits = [
        dict(
            zip(FRUIT_FIELDS, row, strict=True),
            fruit_id=i,
            added_by=None,
        )
        for i, row in enumerate(FRUITS, start=1)
    ]
    db.execute(insert(Fruit), fruits)
    users = _users(data)
    db.execute(insert(User), users)
    ids = {f["name"]: f["fruit_id"] for f in fruits}
    common = list(PORTIONS)
    favorites, entries = [], []
    for user in users:
        for name in data.rng.sample(common, data.rng.randint(0, 6)):
            saved = NOW.date() - dt.timedelta(days=data.rng.randint(1, 300))
            favorites.append({"username": user["username"], "fruit_id": ids[name], "saved_on": saved.isoformat()})
        for back in range(LOGGED_DAYS):
            if data.rng.random() < 0.45:
                continue
            day = (NOW.date() - dt.timedelta(days=back)).isoformat()
            for _ in range(data.rng.choice((1, 1, 2, 3))):
                name = data.rng.choice(common) if data.rng.random() < 0.85 else data.rng.choice(FRUITS)[0]
                grams = data.rng.choice(PORTIONS.get(name, (50, 100, 150)))
                entries.append(
                    {
                        "entry_id": len(entries) + 1,
                        "username": user["username"],
                        "fruit_id": ids[name],
                        "date": day,
                        "meal": data.rng.choice(MEALS),
                        "grams": float(grams),
                    }
                )
    db.execute(insert(Favorite), favorites)
    db.execute(insert(LogEntry), entries)
