"""The seeded carrier: about 300 customers with one to three lines each, six plans, a year of bills, and
each line's phone in the hands of its user (a few with a setting that breaks their service)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from envfactory_gym.authoring import SeedData

from .definition import env
from .models import APP_NEEDS, CARRIER_APN, NOW, Bill, Customer, Device, DeviceApp, Line, Plan, ServiceClock

NUM_CUSTOMERS = 300
PLANS = (
    # id, name, data GB, price per month, refuelling price per GB
    ("P1001", "Basic Talk & Text 5GB", 5.0, 30.0, 5.0),
    ("P1002", "Essentials 15GB", 15.0, 45.0, 4.0),
    ("P1003", "Plus 30GB", 30.0, 60.0, 3.0),
    ("P1004", "Unlimited Starter 50GB", 50.0, 70.0, 2.5),
    ("P1005", "Unlimited Premium 100GB", 100.0, 85.0, 2.0),
    ("P1006", "Travel Global 20GB", 20.0, 75.0, 3.5),
)
PHONE_MODELS = (
    "Pixel 8",
    "Pixel 7a",
    "iPhone 15",
    "iPhone 14",
    "iPhone 13",
    "Galaxy S24",
    "Galaxy A54",
    "Moto G Power",
)
# The one setting that breaks a phone's service (most phones have none).
PROBLEMS = ("airplane_mode", "data_off", "roaming_off_abroad", "data_saver", "sim_missing", "slow_network_mode",
            "vpn", "mms_apn", "messages_permission")  # fmt: skip


def _phone(rng: Any, used: set[str]) -> str:
    while True:
        number = f"({rng.choice((212, 312, 415, 512, 617, 646, 718, 702, 305, 206))}) 555-{rng.randint(1000, 9999)}"
        if number not in used:
            used.add(number)
            return number


def _device(rng: Any, device_id: str, phone: str, line: dict[str, Any]) -> dict[str, Any]:
    device = {
        "device_id": device_id,
        "phone_number": phone,
        "model": rng.choice(PHONE_MODELS),
        "airplane_mode": 0,
        "sim_status": "active",
        "mobile_data": 1,
        "roaming": line["roaming_enabled"],
        "data_saver": 0,
        "wifi": int(rng.random() < 0.6),
        "network_mode": rng.choice(("4g_5g_preferred", "4g_5g_preferred", "4g_5g_preferred", "4g_only")),
        "wifi_calling": int(rng.random() < 0.3),
        "vpn_connected": 0,
        "apn_name": CARRIER_APN[0],
        "mmsc_url": CARRIER_APN[1],
        "abroad": 0,
    }
    apps = {name: list(needs) for name, needs in APP_NEEDS.items()}
    if line["status"] == "Active" and rng.random() < 0.35:
        problem = rng.choice(PROBLEMS)
        if problem == "airplane_mode":
            device["airplane_mode"] = 1
        elif problem == "data_off":
            device["mobile_data"] = 0
        elif problem == "roaming_off_abroad":
            device["abroad"] = 1
            device["roaming"] = 0
            line["roaming_enabled"] = int(rng.random() < 0.3)
        elif problem == "data_saver":
            device["data_saver"] = 1
        elif problem == "sim_missing":
            device["sim_status"] = "missing"
        elif problem == "slow_network_mode":
            device["network_mode"] = "2g_only"
        elif problem == "vpn":
            device["vpn_connected"] = 1
        elif problem == "mms_apn":
            device["mmsc_url"] = None
        else:
            apps["Messages"] = ["storage"]
    elif rng.random() < 0.05:
        device["abroad"] = 1
        device["roaming"] = 1
        line["roaming_enabled"] = 1
    device["apps"] = [
        {"device_id": device_id, "app_name": name, "permissions": ",".join(granted)} for name, granted in apps.items()
    ]
    return device


def _bills(rng: Any, customer_id: str, monthly: float, next_id: Any) -> list[dict[str, Any]]:
    bills = []
    first_of_month = NOW.date().replace(day=1)
    for back in range(rng.randint(3, 6), -1, -1):
        start = first_of_month
        for _ in range(back):
            start = (start - dt.timedelta(days=1)).replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        issue = end + dt.timedelta(days=1)
        due = issue + dt.timedelta(days=20)
        if back == 0:
            status = "Draft"
        elif due < NOW.date():
            status = "Overdue" if back == 2 and rng.random() < 0.12 else ("Disputed" if rng.random() < 0.02 else "Paid")
        else:
            status = "Issued"
        extra = rng.choice((0.0, 0.0, 0.0, 5.0, 10.0, 12.5))
        bills.append(
            {
                "bill_id": next_id(),
                "customer_id": customer_id,
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "issue_date": (start if back == 0 else issue).isoformat(),
                "total_due": round(monthly + extra + (rng.randint(0, 90) / 10 if back else 0.0), 2),
                "due_date": due.isoformat(),
                "status": status,
            }
        )
    return bills


@env.seed
def seed(db: Session, data: SeedData) -> None:
    rng, fake = data.rng, data.fake
    db.add(ServiceClock(id=1, now=NOW.isoformat()))
    db.execute(insert(Plan), [dict(zip(("plan_id", "name", "data_limit_gb", "price_per_month",
                                         "data_refueling_price_per_gb"), p, strict=True)) for p in PLANS])  # fmt: skip
    counters = {"L": 1000, "B": 1000, "D": 1000}

    def next_id(prefix: str) -> str:
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]}"

    used: set[str] = set()
    names: set[str] = set()
    customers, lines, devices, bills = [], [], [], []
    for number in range(NUM_CUSTOMERS):
        customer_id = f"C{1001 + number}"
        while (name := f"{fake.first_name()} {fake.last_name()}") in names:
            pass
        names.add(name)
        birth = dt.date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
        monthly = 0.0
        first_phone = ""
        for position in range(rng.choice((1, 1, 1, 2, 2, 3))):
            plan = rng.choice(PLANS)
            phone = _phone(rng, used)
            first_phone = first_phone or phone
            status = rng.choices(("Active", "Suspended", "Pending Activation"), (90, 8, 2))[0]
            limit = plan[2]
            used_gb = round(min(limit * rng.uniform(0.05, 1.0), limit), 1)
            if status == "Active" and rng.random() < 0.12:
                used_gb = limit  # out of data for the month
            line = {
                "line_id": next_id("L"),
                "customer_id": customer_id,
                "phone_number": phone,
                "status": status,
                "plan_id": plan[0],
                "device_id": next_id("D"),
                "data_used_gb": used_gb,
                "data_refueling_gb": 0.0,
                "roaming_enabled": int(rng.random() < 0.15),
                "contract_end_date": dt.date(NOW.year + rng.randint(0, 2), rng.randint(1, 12), 1).isoformat(),
                "suspension_start_date": (NOW.date() - dt.timedelta(days=rng.randint(5, 120))).isoformat()
                if status == "Suspended"
                else None,
            }
            devices.append(_device(rng, line["device_id"], phone, line))
            lines.append(line)
            monthly += plan[3] + (5.0 if position else 0.0)
        customers.append(
            {
                "customer_id": customer_id,
                "full_name": name,
                "date_of_birth": birth.isoformat(),
                "email": f"{name.lower().replace(' ', '.')}@{rng.choice(('gmail.com', 'outlook.com', 'yahoo.com'))}",
                "phone_number": first_phone,
                "address": fake.address().replace("\n", ", "),
                "account_status": "Active",
            }
        )
        bills.extend(_bills(rng, customer_id, monthly, lambda: next_id("B")))
    db.execute(insert(Customer), customers)
    db.execute(insert(Line), lines)
    apps = [app for device in devices for app in device.pop("apps")]
    db.execute(insert(Device), devices)
    db.execute(insert(DeviceApp), apps)
    db.execute(insert(Bill), bills)
