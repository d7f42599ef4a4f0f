"""Dual-control troubleshooting tasks: the fix needs the subscriber to act on their own phone.

Each task is drawn from a seeded phone with one broken setting (or an overdue bill) and is solved only when
the agent does its part on the line (roaming, a payment request) and the simulated user, told clearly what
to do, runs the matching tool on the phone; the reward compares both sides' final state with the gold.
These tasks are conversational by nature (the user holds tools), so they are built here rather than by the
story engine, whose oracle replays every gold call as the assistant.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task, UserProfile

from .definition import USER_TOOLS, env

PERSONA = "A customer who is not technical; does what the agent asks on the phone and reports what they see."
# problem → (what the person says, the phone tool that fixes it, its arguments besides the phone number)
SYMPTOMS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "airplane_mode": ("My phone says there's no signal at all, I can't call or use data.", "toggle_airplane_mode", {}),
    "data_off": ("Calls work but nothing loads on my phone unless I'm on Wi-Fi.", "toggle_data", {}),
    "data_saver": (
        "My mobile data is painfully slow and my apps won't refresh in the background.",
        "toggle_data_saver_mode",
        {},
    ),
    "sim_missing": ("My phone keeps saying there's no SIM card.", "reseat_sim_card", {}),
    "roaming_off_abroad": ("I'm travelling abroad and my mobile data doesn't work here.", "toggle_roaming", {}),
    "slow_network_mode": (
        "My mobile data crawls, pages take forever to load.",
        "set_network_mode_preference",
        {"mode": "4g_5g_preferred"},
    ),
    "vpn": ("Since yesterday my mobile data has been really slow.", "disconnect_vpn", {}),
    "mms_apn": ("I can't send picture messages from my phone.", "reset_apn_settings", {}),
    "messages_permission": (
        "I can't send picture messages from my phone.",
        "grant_app_permission",
        {"app_name": "Messages", "permission": "sms"},
    ),
}
SQL = {
    "airplane_mode": "d.airplane_mode = 1",
    "data_off": "d.mobile_data = 0",
    "data_saver": "d.data_saver = 1",
    "sim_missing": "d.sim_status = 'missing'",
    "roaming_off_abroad": "d.abroad = 1 AND d.roaming = 0",
    "slow_network_mode": "d.network_mode = '2g_only'",
    "vpn": "d.vpn_connected = 1",
    "mms_apn": "d.mmsc_url IS NULL",
    "messages_permission": "EXISTS (SELECT 1 FROM device_apps a WHERE a.device_id = d.device_id AND "
    "a.app_name = 'Messages' AND a.permissions = 'storage')",
}


def _rows(sql: str) -> list[dict[str, Any]]:
    database = EpisodeDatabase(get_snapshot(env, env.default_seed, None))
    try:
        cursor = database.raw.execute(sql)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        database.close()


def _task(task_id: str, query: str, phone: str, calls: list[tuple[str, dict[str, Any]]], problem: str) -> Task:
    task = Task(
        task_id=task_id,
        domain=env.domain,
        env_ids=[env.env_id],
        goal="write",
        query=query,
        seed=env.default_seed,
        gold_calls=[GoldCall(env_id=env.env_id, tool=tool, arguments=arguments) for tool, arguments in calls],
        # What the person can see for themselves: their number, and the app they send messages with.
        user=UserProfile(
            persona=PERSONA,
            known_facts={"phone number": phone, "messaging app": "Messages"},
            user_tools=list(USER_TOOLS),
        ),
        metadata={"dual_control": True, "problem": problem, "user_calls": [t for t, _ in calls if t in USER_TOOLS]},
    )
    return with_gold_changes(task)


def dual_control_tasks(per_problem: int = 4) -> list[Task]:
    """Up to ``per_problem`` tasks for each broken phone setting and for paying an overdue bill from the phone."""
    tasks: list[Task] = []
    for problem, (symptom, fix, fix_arguments) in SYMPTOMS.items():
        rows = _rows(
            "SELECT l.customer_id, l.line_id, l.phone_number, l.roaming_enabled FROM lines l "
            "JOIN devices d ON d.phone_number = l.phone_number JOIN plans p ON p.plan_id = l.plan_id "
            f"WHERE l.status = 'Active' AND l.data_used_gb < p.data_limit_gb AND {SQL[problem]} ORDER BY l.line_id"
        )
        for row in rows[:per_problem]:
            phone = row["phone_number"]
            calls: list[tuple[str, dict[str, Any]]] = [
                ("get_customer_by_phone", {"phone_number": phone}),
                ("get_details_by_id", {"id": row["line_id"]}),
            ]
            if problem == "roaming_off_abroad" and not row["roaming_enabled"]:
                calls.append(("enable_roaming", {"customer_id": row["customer_id"], "line_id": row["line_id"]}))
            calls.append((fix, {"phone_number": phone, **fix_arguments}))
            query = f"{symptom} My number is {phone}."
            tasks.append(_task(f"telecom-dual-{problem}-{row['line_id']}", query, phone, calls, problem))
    bills = _rows(
        "SELECT c.customer_id, c.phone_number, b.bill_id FROM bills b JOIN customers c ON c.customer_id = "
        "b.customer_id WHERE b.status = 'Overdue' AND NOT EXISTS (SELECT 1 FROM bills x WHERE x.customer_id = "
        "c.customer_id AND x.status = 'Awaiting Payment') ORDER BY b.bill_id"
    )
    for row in bills[:per_problem]:
        phone = row["phone_number"]
        calls = [
            ("get_customer_by_phone", {"phone_number": phone}),
            ("get_bills_for_customer", {"customer_id": row["customer_id"]}),
            ("send_payment_request", {"customer_id": row["customer_id"], "bill_id": row["bill_id"]}),
            ("make_payment", {"phone_number": phone}),
        ]
        query = f"I have an overdue bill and I'd like to pay it now from my phone. My number is {phone}."
        tasks.append(_task(f"telecom-dual-pay-{row['bill_id']}", query, phone, calls, "overdue_bill"))
    return tasks
