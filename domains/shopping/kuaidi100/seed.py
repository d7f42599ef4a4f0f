"""The seeded generator and its data tables: couriers and tariffs, cities, users, parcels with their traces."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import (
    NOW,
    PICKUP_SLOTS,
    City,
    Courier,
    KdUser,
    Parcel,
    PickupOrder,
    SavedParcel,
    ServiceClock,
    Subscription,
    Tariff,
    TraceEvent,
)
from .rules import price_fen, zone_between

# com, name, number format, hint, phone needed, max kg, hotline, digits after the prefix, prefixes
COURIERS: tuple[tuple[str, str, str, str, int, float, str, int, tuple[str, ...]], ...] = (
    ("shunfeng", "SF Express", r"SF\d{13}", "SF followed by 13 digits", 1, 50.0, "95338", 13, ("SF",)),
    ("zhongtong", "ZTO Express", r"7[35]\d{12}", "14 digits starting 73 or 75", 0, 40.0, "95311", 12, ("73", "75")),
    ("yuantong", "YTO Express", r"YT\d{13}", "YT followed by 13 digits", 0, 40.0, "95554", 13, ("YT",)),
    ("shentong", "STO Express", r"77\d{13}", "15 digits starting 77", 0, 40.0, "95543", 13, ("77",)),
    ("yunda", "Yunda Express", r"4[36]\d{13}", "15 digits starting 43 or 46", 0, 40.0, "95546", 13, ("43", "46")),
    (
        "jd",
        "JD Logistics",
        r"JDV[A-E]\d{11}",
        "JDV, a letter A-E and 11 digits",
        0,
        60.0,
        "950616",
        11,
        ("JDVA", "JDVC"),
    ),
    ("ems", "EMS", r"1\d{12}", "13 digits starting 1", 0, 50.0, "11183", 12, ("1",)),
    ("jtexpress", "J&T Express", r"JT\d{13}", "JT followed by 13 digits", 0, 30.0, "956025", 13, ("JT",)),
    ("debangwuliu", "Deppon Express", r"DPK\d{12}", "DPK followed by 12 digits", 0, 100.0, "95353", 12, ("DPK",)),
)
# com -> zone -> (first weight kg, first weight fen, fen per additional kg, transit hours); no entry: not served
TARIFFS: dict[str, dict[str, tuple[float, int, int, int]]] = {
    "shunfeng": {
        "same_city": (1.0, 1200, 200, 12),
        "same_province": (1.0, 1300, 300, 24),
        "regional": (1.0, 1800, 600, 30),
        "national": (1.0, 2300, 1300, 48),
        "remote": (1.0, 2800, 1800, 72),
    },
    "zhongtong": {
        "same_city": (1.0, 800, 100, 24),
        "same_province": (1.0, 1000, 200, 36),
        "regional": (1.0, 1200, 400, 48),
        "national": (1.0, 1500, 600, 72),
        "remote": (1.0, 2000, 1200, 120),
    },
    "yuantong": {
        "same_city": (1.0, 800, 100, 24),
        "same_province": (1.0, 1000, 200, 36),
        "regional": (1.0, 1100, 400, 48),
        "national": (1.0, 1400, 700, 72),
        "remote": (1.0, 2200, 1300, 120),
    },
    "shentong": {
        "same_city": (1.0, 700, 100, 24),
        "same_province": (1.0, 900, 200, 36),
        "regional": (1.0, 1100, 400, 48),
        "national": (1.0, 1300, 600, 72),
    },
    "yunda": {
        "same_city": (1.0, 700, 100, 24),
        "same_province": (1.0, 900, 200, 36),
        "regional": (1.0, 1100, 500, 48),
        "national": (1.0, 1400, 600, 72),
    },
    "jd": {
        "same_city": (1.0, 1000, 200, 12),
        "same_province": (1.0, 1200, 300, 24),
        "regional": (1.0, 1600, 500, 36),
        "national": (1.0, 2200, 800, 48),
        "remote": (1.0, 2800, 1500, 96),
    },
    "ems": {
        "same_city": (1.0, 1200, 300, 48),
        "same_province": (1.0, 1400, 400, 48),
        "regional": (1.0, 1800, 600, 72),
        "national": (1.0, 2200, 800, 96),
        "remote": (1.0, 2500, 1000, 120),
    },
    "jtexpress": {
        "same_city": (1.0, 600, 100, 24),
        "same_province": (1.0, 800, 200, 36),
        "regional": (1.0, 1000, 400, 48),
        "national": (1.0, 1200, 600, 72),
    },
    "debangwuliu": {
        "same_city": (3.0, 1500, 150, 24),
        "same_province": (3.0, 1800, 200, 36),
        "regional": (3.0, 2400, 350, 48),
        "national": (3.0, 3000, 500, 72),
        "remote": (3.0, 4200, 900, 120),
    },
}
# city, province, region, remote, lat, lng, districts
CITIES: tuple[tuple[str, str, str, int, float, float, tuple[str, ...]], ...] = (
    ("Beijing", "Beijing", "North", 0, 39.90, 116.41, ("Chaoyang", "Haidian", "Dongcheng")),
    ("Tianjin", "Tianjin", "North", 0, 39.13, 117.20, ("Heping", "Nankai", "Hexi")),
    ("Shijiazhuang", "Hebei", "North", 0, 38.04, 114.51, ("Chang'an", "Yuhua")),
    ("Baoding", "Hebei", "North", 0, 38.87, 115.46, ("Lianchi", "Jingxiu")),
    ("Taiyuan", "Shanxi", "North", 0, 37.87, 112.55, ("Xiaodian", "Yingze")),
    ("Shanghai", "Shanghai", "East", 0, 31.23, 121.47, ("Pudong", "Xuhui", "Jing'an", "Minhang")),
    ("Hangzhou", "Zhejiang", "East", 0, 30.27, 120.16, ("Xihu", "Gongshu", "Binjiang", "Yuhang")),
    ("Ningbo", "Zhejiang", "East", 0, 29.87, 121.55, ("Yinzhou", "Haishu")),
    ("Yiwu", "Zhejiang", "East", 0, 29.31, 120.08, ("Choujiang", "Futian")),
    ("Wenzhou", "Zhejiang", "East", 0, 28.00, 120.70, ("Lucheng", "Ouhai")),
    ("Nanjing", "Jiangsu", "East", 0, 32.06, 118.80, ("Gulou", "Xuanwu", "Jianye")),
    ("Suzhou", "Jiangsu", "East", 0, 31.30, 120.58, ("Gusu", "Wuzhong", "Industrial Park")),
    ("Wuxi", "Jiangsu", "East", 0, 31.49, 120.31, ("Liangxi", "Binhu")),
    ("Hefei", "Anhui", "East", 0, 31.82, 117.23, ("Shushan", "Baohe")),
    ("Jinan", "Shandong", "East", 0, 36.65, 117.12, ("Lixia", "Shizhong")),
    ("Qingdao", "Shandong", "East", 0, 36.07, 120.38, ("Shinan", "Laoshan", "Huangdao")),
    ("Guangzhou", "Guangdong", "South", 0, 23.13, 113.26, ("Tianhe", "Yuexiu", "Haizhu", "Baiyun")),
    ("Shenzhen", "Guangdong", "South", 0, 22.54, 114.06, ("Futian", "Nanshan", "Luohu", "Bao'an")),
    ("Dongguan", "Guangdong", "South", 0, 23.02, 113.75, ("Nancheng", "Dongcheng")),
    ("Foshan", "Guangdong", "South", 0, 23.02, 113.12, ("Chancheng", "Nanhai")),
    ("Xiamen", "Fujian", "South", 0, 24.48, 118.09, ("Siming", "Huli")),
    ("Fuzhou", "Fujian", "South", 0, 26.07, 119.30, ("Gulou", "Taijiang")),
    ("Nanning", "Guangxi", "South", 0, 22.82, 108.37, ("Qingxiu", "Xingning")),
    ("Haikou", "Hainan", "South", 0, 20.04, 110.32, ("Longhua", "Meilan")),
    ("Wuhan", "Hubei", "Central", 0, 30.59, 114.31, ("Wuchang", "Jianghan", "Hongshan")),
    ("Changsha", "Hunan", "Central", 0, 28.23, 112.94, ("Yuelu", "Furong", "Tianxin")),
    ("Zhengzhou", "Henan", "Central", 0, 34.75, 113.63, ("Jinshui", "Erqi")),
    ("Nanchang", "Jiangxi", "Central", 0, 28.68, 115.86, ("Donghu", "Honggutan")),
    ("Chengdu", "Sichuan", "Southwest", 0, 30.57, 104.07, ("Jinjiang", "Wuhou", "Qingyang", "Gaoxin")),
    ("Chongqing", "Chongqing", "Southwest", 0, 29.56, 106.55, ("Yuzhong", "Jiangbei", "Nan'an")),
    ("Kunming", "Yunnan", "Southwest", 0, 25.04, 102.71, ("Wuhua", "Panlong")),
    ("Guiyang", "Guizhou", "Southwest", 0, 26.65, 106.63, ("Yunyan", "Nanming")),
    ("Xi'an", "Shaanxi", "Northwest", 0, 34.34, 108.94, ("Yanta", "Beilin", "Lianhu")),
    ("Lanzhou", "Gansu", "Northwest", 0, 36.06, 103.83, ("Chengguan", "Qilihe")),
    ("Yinchuan", "Ningxia", "Northwest", 0, 38.49, 106.23, ("Xingqing", "Jinfeng")),
    ("Shenyang", "Liaoning", "Northeast", 0, 41.81, 123.43, ("Heping", "Shenhe")),
    ("Dalian", "Liaoning", "Northeast", 0, 38.91, 121.61, ("Zhongshan", "Shahekou")),
    ("Changchun", "Jilin", "Northeast", 0, 43.82, 125.32, ("Chaoyang", "Nanguan")),
    ("Harbin", "Heilongjiang", "Northeast", 0, 45.80, 126.53, ("Nangang", "Daoli")),
    ("Urumqi", "Xinjiang", "Northwest", 1, 43.83, 87.62, ("Tianshan", "Shayibake")),
    ("Lhasa", "Tibet", "Southwest", 1, 29.65, 91.13, ("Chengguan", "Duilongdeqing")),
    ("Xining", "Qinghai", "Northwest", 1, 36.62, 101.78, ("Chengzhong", "Chengxi")),
)
REGION_HUBS = {
    "North": "Langfang",
    "East": "Jiaxing",
    "South": "Dongguan",
    "Central": "Wuhan",
    "Southwest": "Chengdu",
    "Northwest": "Xi'an",
    "Northeast": "Shenyang",
}
ROADS = (
    "Zhongshan Road", "Renmin Road", "Jiefang Road", "Jianshe Road", "Heping Road", "Xinhua Road",
    "Changjiang Road", "Huaihai Road", "Wenhua Road", "Yingbin Avenue", "Binhe Road", "Keji Road",
    "Chaoyang Road", "Fuxing Road", "Shengli Street", "Xueyuan Road",
)  # fmt: skip
COMPOUNDS = ("Garden", "Residence", "Jiayuan", "Mingyuan", "Huating", "Apartments")
SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Hu",
            "Zhu", "Guo", "He", "Lin", "Luo", "Gao")  # fmt: skip
GIVEN = ("Wei", "Fang", "Min", "Jing", "Lei", "Jun", "Yang", "Yong", "Jie", "Tao", "Ming", "Chao", "Xin", "Hao",
         "Li", "Yan", "Na", "Qiang", "Lan", "Ying", "Bo", "Hui")  # fmt: skip
SIGNERS = ("the recipient", "the building's front desk", "a Hive Box locker", "a Cainiao Station", "the security guard")
PROBLEMS = (
    "Delivery failed: the recipient could not be reached by phone. We will try again tomorrow.",
    "Delivery failed: the address is incomplete. Please contact the courier.",
    "The parcel is held at the station: the package was damaged in transit and is being checked.",
)
HOOK_HOSTS = ("myshop", "parcelbot", "deskapp")
ITEMS = ("documents", "clothes", "books", "tea", "electronics", "cosmetics", "shoes", "toys", "snacks", "gifts")


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def _address(rng: random.Random, districts: tuple[str, ...]) -> str:
    road, number = rng.choice(ROADS), rng.randint(1, 399)
    compound = f"{rng.choice(SURNAMES)}{rng.choice(('jia', 'xin', 'hua', 'tai'))} {rng.choice(COMPOUNDS)}"
    room = f"Room {rng.randint(1, 28)}{rng.randint(1, 4):02d}, Building {rng.randint(1, 12)}"
    return f"{room}, {compound}, {number} {road}, {rng.choice(districts)} District"


def tracking_number(rng: random.Random, com: str) -> str:
    spec = next(c for c in COURIERS if c[0] == com)
    digits = spec[7]
    return rng.choice(spec[8]) + "".join(rng.choice("0123456789") for _ in range(digits))


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(sep=" ", timespec="seconds")


def _journey(
    rng: random.Random, com: str, origin: dict[str, object], destination: dict[str, object], shipped: dt.datetime
) -> list[tuple[dt.datetime, str, str, str]]:
    """The planned trace of a parcel from collection to signing: (time, location, context, state)."""
    name = next(c[1] for c in COURIERS if c[0] == com)
    o_city, d_city = str(origin["city"]), str(destination["city"])
    hours = TARIFFS[com].get(zone_between(origin, destination), (1.0, 0, 0, 120))[3]
    courier = _name(rng)
    events = [
        (shipped, o_city, f"[{o_city}] {name} courier {courier} has collected the parcel.", "collected"),
        (
            shipped + dt.timedelta(hours=rng.uniform(2, 5)),
            o_city,
            f"[{o_city}] Departed the {o_city} sorting centre.",
            "in_transit",
        ),
    ]
    hubs = [REGION_HUBS.get(str(origin["region"]), o_city), REGION_HUBS.get(str(destination["region"]), d_city)]
    stops = [h for i, h in enumerate(hubs) if h not in (o_city, d_city) and h not in hubs[:i]]
    share = hours * 0.75
    for index, hub in enumerate(stops):
        at = shipped + dt.timedelta(hours=share * (index + 1) / (len(stops) + 1))
        events.append((at, hub, f"[{hub}] Arrived at the {hub} transfer hub.", "in_transit"))
        events.append((at + dt.timedelta(hours=2), hub, f"[{hub}] Departed the {hub} transfer hub.", "in_transit"))
    arrive = shipped + dt.timedelta(hours=share)
    if o_city != d_city:
        events.append((arrive, d_city, f"[{d_city}] Arrived at the {d_city} sorting centre.", "in_transit"))
    runner, runner_phone = _name(rng), _phone(rng)
    out = arrive + dt.timedelta(hours=hours * 0.2)
    out = out.replace(hour=max(8, min(out.hour, 17)))
    events.append(
        (
            out,
            d_city,
            f"[{d_city}] Out for delivery with courier {runner} ({runner_phone}).",
            "out_for_delivery",
        )
    )
    signed = out + dt.timedelta(minutes=rng.randint(40, 240))
    events.append(
        (signed, d_city, f"[{d_city}] Signed for by {rng.choice(SIGNERS)}. Thank you for using {name}.", "signed")
    )
    return events


def _cut(
    rng: random.Random, planned: list[tuple[dt.datetime, str, str, str]], origin: str
) -> list[tuple[dt.datetime, str, str, str]]:
    """The events that have happened by now, sometimes with a delivery problem or a return instead."""
    events = [e for e in planned if e[0] <= NOW]
    roll = rng.random()
    if roll < 0.1 and len(events) >= 3 and events[-1][3] != "signed":
        last = events[-1]
        events.append((last[0] + dt.timedelta(hours=3), last[1], f"[{last[1]}] {rng.choice(PROBLEMS)}", "problem"))
    elif roll < 0.16 and len(planned) >= 4 and planned[-2][0] <= NOW:
        out = planned[-2]
        events = [e for e in planned[:-1]]
        refused = out[0] + dt.timedelta(hours=2)
        events.append(
            (refused, out[1], f"[{out[1]}] The recipient refused the parcel; it is being returned.", "returning")
        )
        back = refused + dt.timedelta(days=3)
        if back <= NOW:
            events.append((back, origin, f"[{origin}] Returned and signed for by the sender.", "returned"))
    return [e for e in events if e[0] <= NOW]


def _parcel(
    rng: random.Random,
    num: str,
    com: str,
    route: tuple[dict[str, object], dict[str, object]],
    shipped: dt.datetime,
    people: tuple[tuple[str, str], tuple[str, str]],
    weight_kg: float,
    events: list[dict[str, object]],
) -> dict[str, object]:
    """A parcel row with its trace so far (appended to ``events``)."""
    origin, destination = route
    (sender, sender_phone), (receiver, receiver_phone) = people
    trace = _cut(rng, _journey(rng, com, origin, destination, shipped), str(origin["city"]))
    state = trace[-1][3]
    for when, location, context, event_state in trace:
        events.append(
            {
                "event_id": len(events) + 1,
                "num": num,
                "time": _stamp(when.replace(microsecond=0)),
                "location": location,
                "context": context,
                "state": event_state,
            }
        )
    return {
        "num": num,
        "com": com,
        "from_city": origin["city"],
        "to_city": destination["city"],
        "sender_name": sender,
        "sender_phone": sender_phone,
        "receiver_name": receiver,
        "receiver_phone": receiver_phone,
        "weight_kg": weight_kg,
        "state": state,
        "shipped_at": _stamp(shipped),
        "signed_at": _stamp(trace[-1][0]) if state == "signed" else None,
    }


@env.seed
def seed_kuaidi100(db: Session, data: SeedData) -> None:
    rng = data.rng
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    db.execute(
        insert(Courier),
        [
            {
                "com": com,
                "name": name,
                "number_format": pattern,
                "format_hint": hint,
                "phone_required": phone,
                "max_weight_kg": max_kg,
                "hotline": hotline,
            }
            for com, name, pattern, hint, phone, max_kg, hotline, _digits, _prefixes in COURIERS
        ],
    )
    db.execute(
        insert(Tariff),
        [
            {
                "com": com,
                "zone": zone,
                "first_weight_kg": first,
                "first_weight_fen": fen,
                "additional_fen_per_kg": extra,
                "transit_hours": hours,
            }
            for com, zones in TARIFFS.items()
            for zone, (first, fen, extra, hours) in zones.items()
        ],
    )
    cities = [
        {"city": c, "province": p, "region": r, "remote": remote, "lat": lat, "lng": lng}
        for c, p, r, remote, lat, lng, _d in CITIES
    ]
    db.execute(insert(City), cities)
    districts = {c[0]: c[6] for c in CITIES}
    by_name = {c["city"]: c for c in cities}
    busy = [c for c in cities if not c["remote"]]

    users = []
    for index in range(150):
        city = rng.choice(busy[:32] if index % 5 else busy)
        users.append(
            {
                "user_id": f"U{300_101 + index * 37}",
                "name": _name(rng),
                "phone": _phone(rng),
                "city": city["city"],
                "address": _address(rng, districts[str(city["city"])]),
            }
        )
    db.execute(insert(KdUser), users)

    parcels: list[dict[str, object]] = []
    events: list[dict[str, object]] = []
    numbers: set[str] = set()
    receivers: dict[str, list[str]] = {}
    weights = [c[0] for c in COURIERS]
    for index in range(520):
        com = rng.choices(weights, (16, 18, 14, 12, 14, 10, 6, 7, 3))[0]
        num = tracking_number(rng, com)
        if num in numbers:
            continue
        numbers.add(num)
        receiver_user = users[index % len(users)] if index % 3 == 0 else None
        destination = by_name[str(receiver_user["city"])] if receiver_user else rng.choice(cities)
        origin = rng.choice(busy) if rng.random() < 0.7 else rng.choice(cities[5:20])
        zone = zone_between(origin, destination)
        if zone not in TARIFFS[com]:
            com = "ems"
            num = tracking_number(rng, com)
            if num in numbers:
                continue
            numbers.add(num)
        shipped = NOW - dt.timedelta(hours=rng.uniform(2, 24 * 7))
        shipped = shipped.replace(microsecond=0)
        if shipped.hour < 8 or shipped.hour > 20:
            shipped = shipped.replace(hour=rng.randint(9, 19))
            if shipped > NOW:
                shipped -= dt.timedelta(days=1)
        weight = round(rng.choice((0.3, 0.5, 0.8, 1.2, 1.6, 2.4, 3.5, 5.0, 7.5)) * rng.uniform(0.8, 1.2), 1)
        receiver = (
            (str(receiver_user["name"]), str(receiver_user["phone"])) if receiver_user else (_name(rng), _phone(rng))
        )
        people = ((_name(rng), _phone(rng)), receiver)
        parcels.append(_parcel(rng, num, com, (origin, destination), shipped, people, weight, events))
        if receiver_user:
            receivers.setdefault(str(receiver_user["user_id"]), []).append(num)
    orders = []
    for _ in range(180):
        user = rng.choice(users)
        home = by_name[str(user["city"])]
        destination = rng.choice(cities)
        zone = zone_between(home, destination)
        com = rng.choice([c for c in weights if zone in TARIFFS[c]])
        first, fen, extra, _hours = TARIFFS[com][zone]
        weight = round(rng.uniform(0.3, 8.0), 1)
        status = rng.choice(("awaiting_pickup", "awaiting_pickup", "collected", "collected", "cancelled"))
        days = rng.randint(0, 3) if status == "awaiting_pickup" else -rng.randint(1, 20)
        date = (NOW + dt.timedelta(days=days)).date()
        slot = rng.choice(PICKUP_SLOTS[1:] if days == 0 else PICKUP_SLOTS)
        orders.append(
            {
                "order_id": f"KD{(NOW + dt.timedelta(days=days - 1)):%y%m%d}{rng.randint(100_000, 999_999)}",
                "user_id": user["user_id"],
                "com": com,
                "sender_address": user["address"],
                "from_city": user["city"],
                "receiver_name": _name(rng),
                "receiver_phone": _phone(rng),
                "receiver_address": _address(rng, districts[str(destination["city"])]),
                "to_city": destination["city"],
                "item": rng.choice(ITEMS),
                "weight_kg": weight,
                "pickup_date": date.isoformat(),
                "pickup_slot": slot,
                "estimated_fen": price_fen(
                    {"first_weight_kg": first, "first_weight_fen": fen, "additional_fen_per_kg": extra}, weight
                ),
                "status": status,
                "tracking_num": None,
                "created_at": _stamp(NOW + dt.timedelta(days=min(days, 0) - 1, hours=-rng.randint(0, 10))),
                "cancel_reason": rng.choice(("Sent it another way", "Plans changed"))
                if status == "cancelled"
                else None,
            }
        )
        order = orders[-1]
        if status == "collected":
            # The collected parcel is a real trace: the courier took it from the user's address at the slot.
            num = tracking_number(rng, com)
            if num in numbers:
                orders.pop()
                continue
            numbers.add(num)
            order["tracking_num"] = num
            start = dt.datetime.combine(date, dt.time.fromisoformat(slot[:5])) + dt.timedelta(
                minutes=rng.randint(5, 100)
            )
            people = (
                (str(user["name"]), str(user["phone"])),
                (str(order["receiver_name"]), str(order["receiver_phone"])),
            )
            parcels.append(_parcel(rng, num, com, (home, destination), start, people, weight, events))
    unique = {o["order_id"]: o for o in orders}
    db.execute(insert(PickupOrder), list(unique.values()))
    db.execute(insert(Parcel), parcels)
    db.execute(insert(TraceEvent), events)

    notes = ("Birthday gift for Mum", "Phone case", "Office supplies", "Books from Dangdang", "Tea from Hangzhou",
             "Running shoes", "Taobao order", "Documents from the bank", "")  # fmt: skip
    saved, subscriptions = [], []
    state_of = {str(p["num"]): str(p["state"]) for p in parcels}
    com_of = {str(p["num"]): str(p["com"]) for p in parcels}
    for user_id, nums in sorted(receivers.items()):
        for num in nums:
            if rng.random() < 0.75:
                saved.append(
                    {
                        "user_id": user_id,
                        "num": num,
                        "note": rng.choice(notes),
                        "saved_at": _stamp(NOW - dt.timedelta(hours=rng.randint(1, 48))),
                    }
                )
            if rng.random() < 0.3:
                finished = state_of[num] in ("signed", "returned")
                subscriptions.append(
                    {
                        "subscription_id": f"SUB{len(subscriptions) + 10_001}",
                        "user_id": user_id,
                        "num": num,
                        "com": com_of[num],
                        "callback_url": f"https://hooks.{rng.choice(HOOK_HOSTS)}.cn/kuaidi/{user_id.lower()}",
                        "status": "finished" if finished else "active",
                        "created_at": _stamp(NOW - dt.timedelta(hours=rng.randint(1, 60))),
                    }
                )
    db.execute(insert(SavedParcel), saved)
    if subscriptions:
        db.execute(insert(Subscription), subscriptions)
