"""The seeded generator and its data tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from envfactory_gym.authoring import SeedData, ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    DWELL_MINUTES,
    FARES,
    MAX_PAGE,
    NOW,
    SALE_DAYS,
    SEAT_NAMES,
    SPEED_KMH,
    STUDENT_SEATS,
    Account,
    Passenger,
    SeatInventory,
    ServiceClock,
    Station,
    Ticket,
    TicketOrder,
    Train,
    TrainStop,
)

# --------------------------------------------------------------------------------------------------
# Seed data: real stations (telecodes) and corridors
# --------------------------------------------------------------------------------------------------

STATIONS: tuple[tuple[str, str, str, str], ...] = (
    # name, telecode, pinyin, city
    ("北京", "BJP", "beijing", "北京"),
    ("北京南", "VNP", "beijingnan", "北京"),
    ("北京西", "BXP", "beijingxi", "北京"),
    ("北京北", "VAP", "beijingbei", "北京"),
    ("北京丰台", "FTP", "beijingfengtai", "北京"),
    ("上海", "SHH", "shanghai", "上海"),
    ("上海虹桥", "AOH", "shanghaihongqiao", "上海"),
    ("上海南", "SNH", "shanghainan", "上海"),
    ("天津", "TJP", "tianjin", "天津"),
    ("天津南", "TIP", "tianjinnan", "天津"),
    ("天津西", "TXP", "tianjinxi", "天津"),
    ("广州", "GZQ", "guangzhou", "广州"),
    ("广州南", "IZQ", "guangzhounan", "广州"),
    ("广州东", "GGQ", "guangzhoudong", "广州"),
    ("深圳", "SZQ", "shenzhen", "深圳"),
    ("深圳北", "IOQ", "shenzhenbei", "深圳"),
    ("福田", "NZQ", "futian", "深圳"),
    ("杭州东", "HGH", "hangzhoudong", "杭州"),
    ("杭州", "HZH", "hangzhou", "杭州"),
    ("南京南", "NKH", "nanjingnan", "南京"),
    ("南京", "NJH", "nanjing", "南京"),
    ("武汉", "WHN", "wuhan", "武汉"),
    ("汉口", "HKN", "hankou", "武汉"),
    ("武昌", "WCN", "wuchang", "武汉"),
    ("长沙南", "CWQ", "changshanan", "长沙"),
    ("长沙", "CSQ", "changsha", "长沙"),
    ("郑州东", "ZAF", "zhengzhoudong", "郑州"),
    ("郑州", "ZZF", "zhengzhou", "郑州"),
    ("西安北", "EAY", "xianbei", "西安"),
    ("西安", "XAY", "xian", "西安"),
    ("成都东", "ICW", "chengdudong", "成都"),
    ("成都", "CDW", "chengdu", "成都"),
    ("重庆北", "CUW", "chongqingbei", "重庆"),
    ("重庆西", "CXW", "chongqingxi", "重庆"),
    ("济南西", "JGK", "jinanxi", "济南"),
    ("济南", "JNK", "jinan", "济南"),
    ("石家庄", "SJP", "shijiazhuang", "石家庄"),
    ("合肥南", "ENH", "hefeinan", "合肥"),
    ("苏州北", "OHH", "suzhoubei", "苏州"),
    ("苏州", "SZH", "suzhou", "苏州"),
    ("无锡东", "WGH", "wuxidong", "无锡"),
    ("无锡", "WXH", "wuxi", "无锡"),
    ("徐州东", "UUH", "xuzhoudong", "徐州"),
    ("徐州", "XCH", "xuzhou", "徐州"),
    ("沈阳北", "SBT", "shenyangbei", "沈阳"),
    ("沈阳", "SYT", "shenyang", "沈阳"),
    ("长春", "CCT", "changchun", "长春"),
    ("哈尔滨西", "VAB", "haerbinxi", "哈尔滨"),
    ("福州南", "FYS", "fuzhounan", "福州"),
    ("厦门北", "XKS", "xiamenbei", "厦门"),
    ("南昌西", "NXG", "nanchangxi", "南昌"),
    ("南昌", "NCG", "nanchang", "南昌"),
    ("贵阳北", "KQW", "guiyangbei", "贵阳"),
    ("贵阳", "GIW", "guiyang", "贵阳"),
    ("昆明南", "KOM", "kunmingnan", "昆明"),
    ("昆明", "KMM", "kunming", "昆明"),
    ("太原南", "TNV", "taiyuannan", "太原"),
    ("兰州西", "LAJ", "lanzhouxi", "兰州"),
    ("青岛", "QDK", "qingdao", "青岛"),
    ("宁波", "NGH", "ningbo", "宁波"),
    ("保定东", "BMP", "baodingdong", "保定"),
    ("德州东", "DIP", "dezhoudong", "德州"),
    ("泰安", "TMK", "taian", "泰安"),
    ("曲阜东", "QAK", "qufudong", "曲阜"),
    ("蚌埠南", "BMH", "bengbunan", "蚌埠"),
    ("镇江南", "ZEH", "zhenjiangnan", "镇江"),
    ("常州北", "ESH", "changzhoubei", "常州"),
    ("嘉兴南", "EPH", "jiaxingnan", "嘉兴"),
    ("岳阳东", "YIQ", "yueyangdong", "岳阳"),
    ("衡阳东", "HVQ", "hengyangdong", "衡阳"),
    ("韶关", "SNQ", "shaoguan", "韶关"),
    ("洛阳龙门", "LLF", "luoyanglongmen", "洛阳"),
    ("宝鸡南", "BBY", "baojinan", "宝鸡"),
    ("信阳东", "OYN", "xinyangdong", "信阳"),
    ("潍坊", "WFK", "weifang", "潍坊"),
    ("温州南", "VRH", "wenzhounan", "温州"),
)

# corridor name, train type, "telecode:km from the start" for each station along it
CORRIDOR_LINES: tuple[tuple[str, str, str], ...] = (
    (
        "京沪高铁",
        "G",
        "VNP:0 TIP:122 DIP:314 JGK:406 TMK:465 QAK:533 UUH:688 BMH:844 "
        "NKH:1023 ZEH:1088 ESH:1153 WGH:1210 OHH:1237 AOH:1318",
    ),
    (
        "京广高铁",
        "G",
        "BXP:0 BMP:139 SJP:281 ZAF:693 OYN:1031 WHN:1229 YIQ:1444 CWQ:1591 HVQ:1768 SNQ:2062 IZQ:2298 IOQ:2400",
    ),
    ("沪昆高铁", "G", "AOH:0 EPH:84 HGH:159 NXG:741 CWQ:1079 KQW:1638 KOM:2252"),
    ("徐兰高铁", "G", "ZAF:0 LLF:140 EAY:523 BBY:690 LAJ:1090"),
    ("西成高铁", "D", "EAY:0 ICW:658"),
    ("成渝高铁", "G", "ICW:0 CUW:308"),
    ("胶济客专", "G", "JGK:0 WFK:210 QDK:393"),
    ("沪汉蓉", "D", "AOH:0 OHH:81 NKH:295 ENH:451 HKN:811"),
    ("东南沿海", "D", "HGH:0 NGH:155 VRH:386 FYS:700 XKS:980 IOQ:1480"),
    ("京哈", "D", "BJP:0 TJP:137 SBT:703 CCT:1008 VAB:1249"),
    ("石太客专", "D", "SJP:0 TNV:225"),
    ("京广普速", "K", "BXP:0 SJP:277 ZZF:689 WCN:1225 CSQ:1587 GZQ:2294"),
    ("京沪普速", "K", "BJP:0 TXP:137 JNK:494 XCH:813 NJH:1161 WXH:1344 SZH:1386 SHH:1463"),
    ("陇海普速", "K", "ZZF:0 XAY:511 LAJ:1187"),
    ("沪昆普速", "K", "SNH:0 HZH:187 NCG:826 CSQ:1244 GIW:2110 KMM:2688"),
    ("成渝普速", "K", "CDW:0 CXW:315"),
)
CORRIDORS = tuple(
    (name, kind, tuple((code, int(km)) for code, km in (stop.split(":") for stop in stops.split())))
    for name, kind, stops in CORRIDOR_LINES
)

SURNAMES = (
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("林", "lin"),
    ("罗", "luo"),
)
GIVEN = (
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀英", "xiuying"),
    ("桂英", "guiying"),
    ("建华", "jianhua"),
    ("志强", "zhiqiang"),
    ("晓东", "xiaodong"),
    ("海燕", "haiyan"),
    ("子涵", "zihan"),
    ("浩然", "haoran"),
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a resident identity card number."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


@env.seed
def seed_railway(db: Session, data: SeedData) -> None:
    rng = data.rng
    today = NOW.date()
    db.execute(insert(ServiceClock), [{"id": 1, "now": NOW.isoformat()}])
    db.execute(
        insert(Station),
        [{"station_name": n, "station_code": c, "station_pinyin": p, "city": city} for n, c, p, city in STATIONS],
    )
    trains, stops, inventory = [], [], []
    numbers = {"G": 1, "D": 301, "K": 101}
    for _name, kind, route in CORRIDORS:
        runs = {"G": 5, "D": 4, "K": 2}[kind] if route[-1][1] > 500 else 3
        for direction in (0, 1):
            line = list(route) if direction == 0 else [(c, route[-1][1] - km) for c, km in reversed(route)]
            for run in range(runs):
                # Down trains (away from the capital) get odd numbers, up trains even, as on China Railway.
                number = numbers[kind] + (1 - direction) if numbers[kind] % 2 == 0 else numbers[kind] + direction
                numbers[kind] += 2
                train_code = f"{kind}{number}"
                window = (6 * 60, 20 * 60) if kind != "K" else (7 * 60, 23 * 60)
                start = window[0] + (window[1] - window[0]) * run // runs + rng.randint(0, 8) * 5
                keep = [0, len(line) - 1] + [i for i in range(1, len(line) - 1) if rng.random() < 0.7]
                chosen = [line[i] for i in sorted(set(keep))]
                minutes = 0
                for index, (code, km) in enumerate(chosen):
                    if index:
                        minutes += round((km - chosen[index - 1][1]) / SPEED_KMH[kind] * 60) + 4
                    dwell = 0 if index in (0, len(chosen) - 1) else DWELL_MINUTES[kind] + rng.randint(0, 2)
                    stops.append(
                        {
                            "train_code": train_code,
                            "stop_index": index + 1,
                            "station_code": code,
                            "arrive_minutes": minutes,
                            "depart_minutes": minutes + dwell,
                            "distance_km": km,
                        }
                    )
                    minutes += dwell
                trains.append(
                    {
                        "train_code": train_code,
                        "train_type": kind,
                        "start_station_code": chosen[0][0],
                        "end_station_code": chosen[-1][0],
                        "start_time": _clock(start),
                    }
                )
                for offset in range(SALE_DAYS):
                    day = (today + dt.timedelta(days=offset)).isoformat()
                    for seat_type, (_rate, capacity) in FARES[kind].items():
                        sold_out = rng.random() < 0.08
                        remaining = 0 if sold_out else rng.randint(capacity // 10, capacity)
                        inventory.append(
                            {
                                "train_code": train_code,
                                "service_date": day,
                                "seat_type": seat_type,
                                "capacity": capacity,
                                "remaining": remaining,
                            }
                        )
    db.execute(insert(Train), trains)
    db.execute(insert(TrainStop), stops)

    accounts, passengers = [], []
    used_users: set[str] = set()
    for a_index in range(250):
        surname, surname_py = rng.choice(SURNAMES)
        given, given_py = rng.choice(GIVEN)
        user_id = f"{surname_py}{given_py}{rng.randint(60, 99) + 1900}"
        if user_id in used_users:
            user_id = f"{user_id}_{a_index}"
        used_users.add(user_id)
        phone = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
        accounts.append({"user_id": user_id, "name": surname + given, "phone": phone})
        family_name = surname
        for p_index in range(rng.randint(1, 4)):
            if p_index == 0:
                name, kind, year = surname + given, "adult", rng.randint(1960, 2000)
            else:
                kind = rng.choice(("adult", "adult", "child", "student"))
                year = {"adult": rng.randint(1950, 2000), "child": rng.randint(2012, 2019), "student": 2004}[kind]
                name = (family_name if rng.random() < 0.7 else rng.choice(SURNAMES)[0]) + rng.choice(GIVEN)[0]
            first17 = f"{rng.choice((110101, 310104, 440106, 330102, 420102, 510107))}{year}"
            first17 += f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
            passengers.append(
                {
                    "passenger_id": f"P{a_index:03d}{p_index:02d}",
                    "user_id": user_id,
                    "passenger_name": name,
                    "id_number": first17 + id_check_digit(first17),
                    "passenger_type": kind,
                    "phone": phone if p_index == 0 else f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
                    "is_account_holder": p_index == 0,
                }
            )
    db.execute(insert(Account), accounts)
    db.execute(insert(Passenger), passengers)

    stops_by_train: dict[str, list[dict[str, object]]] = {}
    for stop in stops:
        stops_by_train.setdefault(str(stop["train_code"]), []).append(stop)
    stock = {(r["train_code"], r["service_date"], r["seat_type"]): r for r in inventory}
    passengers_by_user: dict[str, list[dict[str, object]]] = {}
    for passenger in passengers:
        passengers_by_user.setdefault(str(passenger["user_id"]), []).append(passenger)
    orders, tickets = [], []
    booked: set[tuple[str, str, str]] = set()
    for o_index in range(700):
        account = rng.choice(accounts)
        train = rng.choice(trains)
        kind = str(train["train_type"])
        route = stops_by_train[str(train["train_code"])]
        board, alight = sorted(rng.sample(range(len(route)), 2))
        service_day = today + dt.timedelta(days=rng.randint(-60, SALE_DAYS - 1))
        seat_type = rng.choice(list(FARES[kind]))
        group = [p for p in passengers_by_user[account["user_id"]] if p["passenger_type"] != "child"][:1]
        group += rng.sample(passengers_by_user[account["user_id"]], rng.randint(0, 1))
        group = list({str(p["passenger_id"]): p for p in group}.values())
        key = (str(train["train_code"]), service_day.isoformat(), seat_type)
        if any((str(p["passenger_id"]), key[0], key[1]) in booked for p in group):
            continue
        start = dt.datetime.combine(service_day, dt.time.fromisoformat(str(train["start_time"])))
        depart = start + dt.timedelta(minutes=int(route[board]["depart_minutes"]))  # type: ignore[call-overload]
        arrive = start + dt.timedelta(minutes=int(route[alight]["arrive_minutes"]))  # type: ignore[call-overload]
        upcoming = depart > NOW + dt.timedelta(hours=1)
        if upcoming:
            if stock[key]["remaining"] < len(group):  # type: ignore[operator]
                continue
            stock[key]["remaining"] -= len(group)  # type: ignore[operator]
        elif depart > NOW:
            continue
        order_id = f"E{rng.randint(10**8, 10**9 - 1)}"
        created = min(depart - dt.timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 20)), NOW)
        km = int(route[alight]["distance_km"]) - int(route[board]["distance_km"])  # type: ignore[call-overload]
        paid = refunded = 0
        for passenger in group:
            price = fare(kind, seat_type, km, str(passenger["passenger_type"]))
            refund = rng.random() < 0.1
            fee = refund_fee(price, depart, created + dt.timedelta(hours=5)) if refund else 0
            status = "refunded" if refund else ("paid" if upcoming else "used")
            seat_index = len(tickets) % 450
            tickets.append(
                {
                    "ticket_id": f"T{o_index:04d}{len(tickets) % 100:02d}",
                    "order_id": order_id,
                    "passenger_id": passenger["passenger_id"],
                    "passenger_name": passenger["passenger_name"],
                    "ticket_type": ticket_type_for(str(passenger["passenger_type"]), seat_type),
                    "train_code": train["train_code"],
                    "date": depart.date().isoformat(),
                    "service_date": service_day.isoformat(),
                    "from_station_code": route[board]["station_code"],
                    "to_station_code": route[alight]["station_code"],
                    "depart_time": depart.strftime("%Y-%m-%d %H:%M"),
                    "arrive_time": arrive.strftime("%Y-%m-%d %H:%M"),
                    "seat_type": seat_type,
                    "coach": seat_index // 90 + 1,
                    "seat_number": f"{seat_index % 90 // 5 + 1:02d}{'ABCDF'[seat_index % 5]}",
                    "price": price,
                    "status": status,
                    "refund_fee": fee,
                    "changed_from": None,
                }
            )
            booked.add((str(passenger["passenger_id"]), key[0], key[1]))
            paid += price
            refunded += price - fee if refund else 0
            if refund and upcoming:
                stock[key]["remaining"] += 1  # type: ignore[operator]
        orders.append(
            {
                "order_id": order_id,
                "user_id": account["user_id"],
                "created_at": created.isoformat(timespec="seconds"),
                "total_paid": paid,
                "total_refunded": refunded,
            }
        )
    db.execute(insert(SeatInventory), inventory)
    db.execute(insert(TicketOrder), orders)
    db.execute(insert(Ticket), tickets)


# --------------------------------------------------------------------------------------------------
# Fares and fees
# --------------------------------------------------------------------------------------------------


def _round_half_yuan(fen: float) -> int:
    """12306 rounds to half a yuan: below 0.25 drops, 0.25 up to 0.75 is 0.5, from 0.75 rounds up."""
    yuan, rest = divmod(round(fen), 100)
    if rest < 25:
        return yuan * 100
    if rest < 75:
        return yuan * 100 + 50
    return (yuan + 1) * 100


def ticket_type_for(passenger_type: str, seat_type: str) -> str:
    if passenger_type == "child":
        return "child"
    if passenger_type == "student" and seat_type in STUDENT_SEATS:
        return "student"
    return "adult"


def fare(train_type: str, seat_type: str, km: int, passenger_type: str) -> int:
    """The ticket price in fen for a journey of ``km`` kilometres."""
    full = _round_half_yuan(FARES[train_type][seat_type][0] * km)
    discount = {"child": 0.5, "student": 0.75, "adult": 1.0}[ticket_type_for(passenger_type, seat_type)]
    return _round_half_yuan(full * discount) if discount != 1.0 else full


def refund_fee(price: int, depart: dt.datetime, now: dt.datetime) -> int:
    """The 12306 refund fee tiers by time left before departure."""
    left = depart - now
    if left >= dt.timedelta(days=8):
        return 0
    rate = 0.05 if left >= dt.timedelta(hours=48) else 0.10 if left >= dt.timedelta(hours=24) else 0.20
    return min(price, max(200, _round_half_yuan(price * rate)))


# --------------------------------------------------------------------------------------------------
# Views and helpers
# --------------------------------------------------------------------------------------------------


class StationView(TypedDict):
    station_code: str
    station_name: str
    station_pinyin: str
    city: str


class SeatOffer(TypedDict):
    seat_type: str
    seat_name: str
    price: int
    remaining: int


class TrainOffer(TypedDict):
    train_code: str
    train_type: str
    from_station_code: str
    from_station_name: str
    to_station_code: str
    to_station_name: str
    depart_time: str
    arrive_time: str
    duration_minutes: int
    distance_km: int
    seats: list[SeatOffer]


class TicketSearch(TypedDict):
    date: str
    total: int
    trains: list[TrainOffer]


class RouteStop(TypedDict):
    stop_index: int
    station_code: str
    station_name: str
    arrive_time: str
    depart_time: str
    day: int
    stopover_minutes: int
    distance_km: int


class TrainRoute(TypedDict):
    train_code: str
    train_type: str
    stops: list[RouteStop]


class PassengerView(TypedDict):
    passenger_id: str
    passenger_name: str
    id_number: str
    passenger_type: str
    phone: str


class TicketView(TypedDict):
    ticket_id: str
    passenger_id: str
    passenger_name: str
    ticket_type: str
    train_code: str
    date: str
    from_station_code: str
    to_station_code: str
    depart_time: str
    arrive_time: str
    seat_type: str
    coach: int
    seat_number: str
    price: int
    status: str
    refund_fee: int
    changed_from: str | None


class OrderView(TypedDict):
    order_id: str
    user_id: str
    created_at: str
    total_paid: int
    total_refunded: int
    tickets: list[TicketView]


class OrderPage(TypedDict):
    total: int
    orders: list[OrderView]


class RefundView(TypedDict):
    ticket_id: str
    order_id: str
    price: int
    refund_fee: int
    refund_amount: int
    status: str


class ChangeView(TypedDict):
    old_ticket_id: str
    ticket: TicketView
    price_difference: int
    change_fee: int


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit must be between 1 and {MAX_PAGE}.")
    if offset < 0:
        raise DomainError("offset cannot be negative.")


def _station(ctx: ToolContext, station_code: str) -> dict[str, str]:
    return ctx.rows(Station).require(
        station_code.strip().upper(), missing=f"There is no station with telecode {station_code!r}."
    )


def _sale_date(ctx: ToolContext, date: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise DomainError(f"date must be YYYY-MM-DD, got {date!r}.") from None
    today = ctx.now.date()
    last = today + dt.timedelta(days=SALE_DAYS - 1)
    if not today <= day <= last:
        raise DomainError(f"Tickets are on sale from {today.isoformat()} to {last.isoformat()}; {date} is outside.")
    return day


def _train_stops(ctx: ToolContext, train_code: str) -> list[dict[str, object]]:
    return ctx.rows(TrainStop).find({"train_code": train_code}, order_by="stop_index")


def _journeys(ctx: ToolContext, train_code: str | None, from_city: str, to_city: str) -> list[dict[str, object]]:
    """Pairs of stops (board before alight) of trains between two cities."""
    sql = (
        "SELECT a.train_code, t.train_type, t.start_time, a.station_code AS from_code, b.station_code AS to_code, "
        "a.depart_minutes, b.arrive_minutes, b.distance_km - a.distance_km AS km "
        "FROM train_stops a JOIN train_stops b ON a.train_code = b.train_code AND a.stop_index < b.stop_index "
        "JOIN stations sa ON sa.station_code = a.station_code JOIN stations sb ON sb.station_code = b.station_code "
        "JOIN trains t ON t.train_code = a.train_code WHERE sa.city = ? AND sb.city = ?"
    )
    params: list[object] = [from_city, to_city]
    if train_code is not None:
        sql += " AND a.train_code = ?"
        params.append(train_code)
    return ctx.query(sql, params)


def _times(journey: dict[str, object], date: dt.date) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """For a boarding date: the train's service date and the departure and arrival date-times."""
    start_minutes = dt.time.fromisoformat(str(journey["start_time"]))
    depart_offset = int(journey["depart_minutes"])  # type: ignore[call-overload]
    day_shift = (start_minutes.hour * 60 + start_minutes.minute + depart_offset) // 1440
    service_date = date - dt.timedelta(days=day_shift)
    start = dt.datetime.combine(service_date, start_minutes)
    depart = start + dt.timedelta(minutes=depart_offset)
    arrive = start + dt.timedelta(minutes=int(journey["arrive_minutes"]))  # type: ignore[call-overload]
    return service_date, depart, arrive


def _ticket_view(ticket: dict[str, object]) -> TicketView:
    return {key: ticket[key] for key in TicketView.__annotations__}  # type: ignore[return-value]


def _order_view(ctx: ToolContext, order: dict[str, object]) -> OrderView:
    tickets = ctx.rows(Ticket).find({"order_id": order["order_id"]}, order_by="ticket_id")
    return {
        "order_id": str(order["order_id"]),
        "user_id": str(order["user_id"]),
        "created_at": str(order["created_at"]),
        "total_paid": int(order["total_paid"]),  # type: ignore[call-overload]
        "total_refunded": int(order["total_refunded"]),  # type: ignore[call-overload]
        "tickets": [_ticket_view(t) for t in tickets],
    }


def _take_seat(
    ctx: ToolContext, train_code: str, service_date: str, seat_type: str, count: int
) -> list[tuple[int, str]]:
    inventory = ctx.rows(SeatInventory)
    stock = inventory.get(train_code, service_date, seat_type)
    if stock is None:
        raise DomainError(f"Train {train_code} has no {SEAT_NAMES.get(seat_type, seat_type)} ({seat_type}) seats.")
    if stock["remaining"] < count:
        raise DomainError(
            f"Only {stock['remaining']} {seat_type} ticket(s) left on {train_code} for that day; {count} needed."
        )
    inventory.update((train_code, service_date, seat_type), remaining=stock["remaining"] - count)
    sold = stock["capacity"] - stock["remaining"]
    seats = []
    for index in range(sold, sold + count):
        seats.append((index // 90 + 1, f"{index % 90 // 5 + 1:02d}{'ABCDF'[index % 5]}"))
    return seats


def _release_seat(ctx: ToolContext, ticket: dict[str, object]) -> None:
    inventory = ctx.rows(SeatInventory)
    key = (ticket["train_code"], ticket["service_date"], ticket["seat_type"])
    stock = inventory.get(*key)
    if stock is not None:
        inventory.update(key, remaining=min(stock["capacity"], stock["remaining"] + 1))


def _depart_of(ticket: dict[str, object]) -> dt.datetime:
    return dt.datetime.strptime(str(ticket["depart_time"]), "%Y-%m-%d %H:%M")


def _require_owned_ticket(ctx: ToolContext, ticket_id: str) -> dict[str, object]:
    ticket = ctx.rows(Ticket).require(ticket_id, missing=f"There is no ticket {ticket_id}.")
    if ticket["status"] != "paid":
        raise DomainError(
            f"Ticket {ticket_id} is {ticket['status']}; only paid, unused tickets can be changed or refunded."
        )
    if _depart_of(ticket) <= ctx.now:
        raise DomainError(f"Train {ticket['train_code']} has already departed ({ticket['depart_time']}).")
    return ticket
