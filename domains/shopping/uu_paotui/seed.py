"""The seeded generator and its data tables: eight cities' fares and addresses, users, runners, orders."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import (
    NOW,
    BalanceRecord,
    City,
    Coupon,
    Order,
    Place,
    Runner,
    SavedAddress,
    ServiceClock,
    UuUser,
)
from .rules import distance_fen, is_night, riding_km, weight_fen

# city: start fen, start km, fen per km to 10 km, fen per km beyond, max km, night fen, fen per extra kg, cancel fee
FARES: dict[str, tuple[int, float, int, int, float, int, int, int]] = {
    "Zhengzhou": (800, 3.0, 200, 300, 50.0, 500, 200, 300),
    "Beijing": (1600, 3.0, 300, 400, 60.0, 800, 300, 500),
    "Shanghai": (1500, 3.0, 300, 400, 60.0, 800, 300, 500),
    "Guangzhou": (1200, 3.0, 250, 350, 50.0, 600, 200, 400),
    "Shenzhen": (1300, 3.0, 250, 350, 50.0, 600, 200, 400),
    "Hangzhou": (1100, 3.0, 250, 300, 50.0, 600, 200, 400),
    "Chengdu": (1000, 3.0, 200, 300, 50.0, 500, 200, 300),
    "Wuhan": (1000, 3.0, 200, 300, 50.0, 500, 200, 300),
}
# city, area, district, centre latitude, centre longitude, roads
AREAS: tuple[tuple[str, str, str, float, float, tuple[str, ...]], ...] = (
    ("Zhengzhou", "Erqi Square", "Erqi", 34.7536, 113.6594, ("Jiefang Road", "Dehua Street", "Minzhu Road")),
    ("Zhengzhou", "Zhengdong CBD", "Jinshui", 34.7609, 113.7270, ("Shangwu Inner Ring Road", "Jinshui East Road")),
    ("Zhengzhou", "Huayuan Road", "Jinshui", 34.7830, 113.6700, ("Huayuan Road", "Nongye Road", "Weiwu Road")),
    ("Zhengzhou", "Zhengzhou University", "Zhongyuan", 34.8170, 113.5350, ("Kexue Avenue", "Lianhua Street")),
    ("Beijing", "Sanlitun", "Chaoyang", 39.9335, 116.4540, ("Sanlitun Road", "Gongti North Road")),
    ("Beijing", "Guomao", "Chaoyang", 39.9087, 116.4605, ("Jianguomenwai Avenue", "Guanghua Road")),
    ("Beijing", "Zhongguancun", "Haidian", 39.9836, 116.3164, ("Zhongguancun Street", "Haidian Street")),
    ("Beijing", "Wangfujing", "Dongcheng", 39.9148, 116.4109, ("Wangfujing Street", "Dongdan North Street")),
    ("Shanghai", "Lujiazui", "Pudong", 31.2397, 121.4998, ("Century Avenue", "Yincheng Road")),
    ("Shanghai", "People's Square", "Huangpu", 31.2304, 121.4737, ("Nanjing East Road", "Xizang Middle Road")),
    ("Shanghai", "Xujiahui", "Xuhui", 31.1955, 121.4370, ("Hongqiao Road", "Caoxi North Road")),
    ("Shanghai", "Jing'an Temple", "Jing'an", 31.2235, 121.4450, ("Nanjing West Road", "Huashan Road")),
    ("Guangzhou", "Tianhe Sports Centre", "Tianhe", 23.1390, 113.3250, ("Tianhe Road", "Tiyu West Road")),
    ("Guangzhou", "Zhujiang New Town", "Tianhe", 23.1190, 113.3210, ("Huacheng Avenue", "Zhujiang East Road")),
    ("Guangzhou", "Beijing Road", "Yuexiu", 23.1250, 113.2690, ("Beijing Road", "Zhongshan 5th Road")),
    ("Guangzhou", "Shangxiajiu", "Liwan", 23.1160, 113.2450, ("Shangxiajiu Road", "Dishifu Road")),
    ("Shenzhen", "Futian CBD", "Futian", 22.5400, 114.0550, ("Shennan Avenue", "Yitian Road")),
    ("Shenzhen", "Science Park", "Nanshan", 22.5400, 113.9500, ("Keyuan Road", "Gaoxin South 7th Road")),
    ("Shenzhen", "Dongmen", "Luohu", 22.5450, 114.1170, ("Dongmen Middle Road", "Shennan East Road")),
    ("Shenzhen", "Bao'an Centre", "Bao'an", 22.5550, 113.8830, ("Xin'an 6th Road", "Bao'an Avenue")),
    ("Hangzhou", "West Lake", "Shangcheng", 30.2590, 120.1600, ("Hubin Road", "Yan'an Road")),
    ("Hangzhou", "Wulin Square", "Gongshu", 30.2740, 120.1650, ("Tiyuchang Road", "Huancheng North Road")),
    ("Hangzhou", "Binjiang", "Binjiang", 30.2080, 120.2110, ("Jiangnan Avenue", "Wangshang Road")),
    ("Hangzhou", "Qianjiang New City", "Shangcheng", 30.2450, 120.2100, ("Fuchun Road", "Xintang Road")),
    ("Chengdu", "Chunxi Road", "Jinjiang", 30.6570, 104.0800, ("Chunxi Road", "Zongfu Road")),
    ("Chengdu", "Tianfu Square", "Qingyang", 30.6600, 104.0650, ("Renmin South Road", "Shuncheng Street")),
    ("Chengdu", "Hi-Tech Zone", "Wuhou", 30.5800, 104.0650, ("Tianfu Avenue", "Jiaozi Avenue")),
    ("Chengdu", "Kuanzhai Alley", "Qingyang", 30.6700, 104.0530, ("Changshun Street", "Xiangzi Alley")),
    ("Wuhan", "Jianghan Road", "Jianghan", 30.5800, 114.2900, ("Jianghan Road", "Zhongshan Avenue")),
    ("Wuhan", "Optics Valley", "Hongshan", 30.5050, 114.4000, ("Luoyu Road", "Guanshan Avenue")),
    ("Wuhan", "Chuhe Hanjie", "Wuchang", 30.5600, 114.3450, ("Zhongbei Road", "Donghu Road")),
    ("Wuhan", "Hankou Railway Station", "Jianghan", 30.6180, 114.2550, ("Fazhan Avenue", "Jinjiadun Street")),
)
BRANDS = (
    "Luckin Coffee", "Starbucks", "Holiland Bakery", "Mixue Ice Cream", "HeyTea", "Roseonly Flowers",
    "Watsons", "Yifeng Pharmacy", "FamilyMart", "Hema Fresh", "Haidilao Hotpot", "Xiaomi Home",
    "China Mobile Store", "Mengniu Milk Station", "Shunfeng Print Shop",
)  # fmt: skip
BUILDINGS = (
    "{area} Garden Residence", "{area} International Tower", "{area} Apartments Phase {n}", "{area} Science Building",
    "{area} Community Clinic", "{area} Primary School", "{area} Office Park Block {x}",
)  # fmt: skip
SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Hu",
            "Zhu", "Guo", "He", "Lin", "Luo", "Gao", "Song", "Zheng")  # fmt: skip
GIVEN = ("Wei", "Fang", "Min", "Jing", "Lei", "Jun", "Yang", "Yong", "Jie", "Tao", "Ming", "Chao", "Xin", "Hao",
         "Li", "Yan", "Na", "Qiang", "Lan", "Ying", "Bo", "Hui", "Peng", "Xia")  # fmt: skip
NOTES = ("Birthday cake, keep it level", "House keys, hand to the guard", "Documents for signing", "Flowers",
         "Lunch box", "Phone charger", "Medicine", "Contract, please call before arriving", "")  # fmt: skip
COUPONS = (  # title, discount fen, minimum fare fen
    ("¥3 off any order", 300, 0),
    ("¥5 off orders over ¥20", 500, 2000),
    ("¥8 off orders over ¥35", 800, 3500),
    ("New user ¥10 off over ¥30", 1000, 3000),
    ("Night owl ¥6 off over ¥25", 600, 2500),
)
DETAILS = ("Building {b}, Room {r}", "Unit {u}, Building {b}, Room {r}", "Front desk", "Tower {x}, Floor {f}")


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(sep=" ", timespec="seconds")


def _detail(rng: random.Random) -> str:
    template = rng.choice(DETAILS)
    return template.format(b=rng.randint(1, 16), r=f"{rng.randint(1, 30)}{rng.randint(1, 4):02d}", u=rng.randint(1, 4),
                           x=rng.choice("ABCD"), f=rng.randint(2, 40))  # fmt: skip


def _places(rng: random.Random) -> list[dict[str, object]]:
    places: list[dict[str, object]] = []
    for city, area, district, lat, lng, roads in AREAS:
        names: set[str] = set()
        candidates = [f"{brand} ({area})" for brand in BRANDS if rng.random() < 0.6]
        candidates += [t.format(area=area, n=rng.randint(1, 5), x=rng.choice("ABC")) for t in BUILDINGS]
        for name in candidates:
            if name in names:
                continue
            names.add(name)
            places.append(
                {
                    "place_id": f"P{len(places) + 1:05d}",
                    "city_name": city,
                    "name": name,
                    "address": f"{rng.randint(1, 388)} {rng.choice(roads)}, {district} District, {city}",
                    "district": district,
                    "lat": round(lat + rng.uniform(-0.014, 0.014), 6),
                    "lng": round(lng + rng.uniform(-0.016, 0.016), 6),
                }
            )
    return places


@env.seed
def seed_uu_paotui(db: Session, data: SeedData) -> None:
    rng = data.rng
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    cities = {
        name: {
            "city_name": name,
            "start_fen": start,
            "start_km": start_km,
            "per_km_fen": per_km,
            "long_per_km_fen": long_km,
            "max_km": max_km,
            "night_fen": night,
            "per_extra_kg_fen": per_kg,
            "cancel_fee_fen": cancel,
        }
        for name, (start, start_km, per_km, long_km, max_km, night, per_kg, cancel) in FARES.items()
    }
    db.execute(insert(City), list(cities.values()))
    places = _places(rng)
    db.execute(insert(Place), places)
    by_city: dict[str, list[dict[str, object]]] = {}
    for place in places:
        by_city.setdefault(str(place["city_name"]), []).append(place)

    runners = []
    for city in FARES:
        for _ in range(24):
            runners.append(
                {
                    "runner_id": f"R{len(runners) + 1:05d}",
                    "city_name": city,
                    "name": _name(rng),
                    "phone": _phone(rng),
                    "job_number": f"UU{rng.randint(100_000, 999_999)}",
                    "rating": round(rng.uniform(4.6, 5.0), 2),
                }
            )
    db.execute(insert(Runner), runners)
    runners_in: dict[str, list[dict[str, object]]] = {}
    for runner in runners:
        runners_in.setdefault(str(runner["city_name"]), []).append(runner)

    users, addresses, coupons, records = [], [], [], []
    city_names = list(FARES)
    for index in range(220):
        city = "Zhengzhou" if index % 4 == 0 else rng.choice(city_names)
        user = {
            "user_id": f"uu{810_000 + index * 13}",
            "name": _name(rng),
            "phone": _phone(rng),
            "city_name": city,
            "balance_fen": rng.choice((0, 500, 1200, 2800, 5000, 8650, 12000, 20000, 35000)),
        }
        users.append(user)
        for label in rng.sample(("home", "office", "shop", "school"), rng.randint(0, 3)):
            place = rng.choice(by_city[city])
            addresses.append(
                {
                    "address_id": f"A{len(addresses) + 1:06d}",
                    "user_id": user["user_id"],
                    "label": label,
                    "place_id": place["place_id"],
                    "detail": _detail(rng),
                    "contact_name": user["name"] if label != "shop" else _name(rng),
                    "contact_phone": user["phone"] if label != "shop" else _phone(rng),
                }
            )
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            title, discount, minimum = rng.choice(COUPONS)
            expired = rng.random() < 0.2
            expires = NOW + dt.timedelta(days=-rng.randint(1, 20) if expired else rng.randint(1, 30))
            coupons.append(
                {
                    "coupon_id": f"CP{len(coupons) + 1:06d}",
                    "user_id": user["user_id"],
                    "title": title,
                    "discount_fen": discount,
                    "min_fare_fen": minimum,
                    "city_name": city if rng.random() < 0.3 else None,
                    "expires_at": _stamp(expires.replace(hour=23, minute=59, second=59)),
                    "status": "used" if rng.random() < 0.15 else "unused",
                }
            )
        if user["balance_fen"]:
            records.append(
                {
                    "record_id": f"BR{len(records) + 1:08d}",
                    "user_id": user["user_id"],
                    "kind": "recharge",
                    "amount_fen": user["balance_fen"],
                    "order_code": None,
                    "created_at": _stamp(NOW - dt.timedelta(days=rng.randint(1, 90), hours=rng.randint(0, 12))),
                }
            )
    db.execute(insert(UuUser), users)
    db.execute(insert(SavedAddress), addresses)
    db.execute(insert(Coupon), coupons)

    orders = []
    busy: set[str] = set()
    carrying: dict[str, int] = {}
    for index in range(720):
        user = rng.choice(users)
        city = cities[str(user["city_name"])]
        start, end = rng.sample(by_city[str(city["city_name"])], 2)
        km = riding_km(start, end)
        if km > float(city["max_km"]) or km < 0.5:
            continue
        active = index % 9 == 0
        minutes_ago = rng.randint(3, 45) if active else rng.randint(60, 60 * 24 * 60)
        created = (NOW - dt.timedelta(minutes=minutes_ago)).replace(microsecond=0)
        weight = rng.choice((0.5, 1.0, 1.0, 2.0, 3.0, 6.0, 8.0, 12.0))
        total = distance_fen(city, km) + weight_fen(city, weight)
        total += int(city["night_fen"]) if is_night(created) else 0
        tip = rng.choice((0, 0, 0, 200, 500)) if rng.random() < 0.3 else 0
        if active:
            state = rng.choice(("awaiting_pickup", "runner_assigned", "runner_assigned", "picked_up"))
        else:
            state = rng.choice(("delivered",) * 7 + ("cancelled",))
        pool = runners_in[str(city["city_name"])]
        if active:  # a runner carries at most two errands at once
            pool = [r for r in pool if carrying.get(str(r["runner_id"]), 0) < 2]
        runner = rng.choice(pool) if state != "awaiting_pickup" else None
        if runner and active:
            carrying[str(runner["runner_id"])] = carrying.get(str(runner["runner_id"]), 0) + 1
        if state == "cancelled" and rng.random() < 0.5:
            runner = None
        accepted = created + dt.timedelta(minutes=rng.randint(1, 4)) if runner else None
        fee = 0
        if state == "cancelled" and runner:
            fee = int(city["cancel_fee_fen"])
        code = f"U{created:%y%m%d%H%M}{rng.randint(10_000, 99_999)}"
        if code in busy:
            continue
        busy.add(code)
        delivered = state == "delivered"
        orders.append(
            {
                "order_code": code,
                "price_token": None,
                "user_id": user["user_id"],
                "city_name": city["city_name"],
                "from_place_id": start["place_id"],
                "from_name": start["name"],
                "to_place_id": end["place_id"],
                "to_name": end["name"],
                "receiver_name": _name(rng),
                "receiver_phone": _phone(rng),
                "note": rng.choice(NOTES),
                "distance_km": km,
                "goods_weight_kg": weight,
                "pickup_time": None,
                "total_fen": total,
                "discount_fen": 0,
                "coupon_id": None,
                "paid_fen": total,
                "tip_fen": tip,
                "state": state,
                "runner_id": runner["runner_id"] if runner else None,
                "created_at": _stamp(created),
                "accepted_at": _stamp(accepted) if accepted else None,
                "finished_at": _stamp(created + dt.timedelta(minutes=20 + int(km * 4)))
                if delivered
                else (_stamp(created + dt.timedelta(minutes=6)) if state == "cancelled" else None),
                "cancel_fee_fen": fee,
                "refund_fen": total + tip - fee if state == "cancelled" else 0,
                "cancel_reason": rng.choice(("Plans changed", "Ordered by mistake")) if state == "cancelled" else None,
                "stars": rng.choice((None, None, 5, 5, 4, 3)) if delivered else None,
                "comment": None,
            }
        )
        records.append(
            {
                "record_id": f"BR{len(records) + 1:08d}",
                "user_id": user["user_id"],
                "kind": "payment",
                "amount_fen": -(total + tip),
                "order_code": code,
                "price_token": None,
                "created_at": _stamp(created),
            }
        )
    db.execute(insert(Order), orders)
    db.execute(insert(BalanceRecord), records)
