"""Dual-control troubleshooting tasks: the fix needs the subscriber to act on their own phone.

Each task is drawn from a seeded phone with one broken setting, an overdue bill, or a line suspended over
one, and is solved only when the agent does its part on the line (roaming, a payment request, resuming the
line) and the simulated user, told clearly what to do, runs the matching tool on the phone; the reward
compares both sides' final state with the gold (as tau2-bench's telecom compares the agent's and the user's
databases). These tasks are conversational by nature (the user holds tools), so they are built here, not by
the story engine, and registered with ``@env.conversational_tasks``: ``envfactory synth telecom
--conversational`` packages them in ``telecom_conversational.jsonl``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from envfactory_gym.database import EpisodeDatabase, get_snapshot
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import GoldCall, Task, UserProfile

from .definition import USER_TOOLS, env

PERSONA = "A customer who is not technical; does what the agent asks on the phone and reports what they see."
TASKS_PER_PROBLEM = 6
# Every fifth task is held out for the test split.
TEST_EVERY = 5


class Problem:
    """One kind of trouble: how the person describes it, the phone's state that causes it, and the phone fix."""

    def __init__(self, symptoms: tuple[str, ...], broken: str, fix: str, **fix_arguments: Any) -> None:
        self.symptoms = symptoms
        self.broken = broken
        self.fix = fix
        self.fix_arguments = fix_arguments


# Symptoms shared by several causes (slow data; picture messages) leave the diagnosis to the agent, who has
# the user check the phone.
SLOW_DATA = (
    "My mobile data crawls, pages take forever to load.",
    "Since yesterday my mobile data has been really slow.",
)
NO_MMS = ("I can't send picture messages from my phone.", "Photos I try to text to people never go through.")
PROBLEMS: dict[str, Problem] = {
    "airplane_mode": Problem(
        (
            "My phone says there's no signal at all, I can't call or use data.",
            "I can't make calls or get online, the phone shows no service at all.",
        ),
        "d.airplane_mode = 1",
        "toggle_airplane_mode",
    ),
    "data_off": Problem(
        (
            "Calls work but nothing loads on my phone unless I'm on Wi-Fi.",
            "I can call and text fine, but the internet stops working as soon as I leave my Wi-Fi.",
        ),
        "d.mobile_data = 0",
        "toggle_data",
    ),
    "data_saver": Problem(
        (
            "My mobile data is painfully slow and my apps won't refresh in the background.",
            "My apps only update when I open them, and browsing on mobile data is very slow.",
        ),
        "d.data_saver = 1",
        "toggle_data_saver_mode",
    ),
    "sim_missing": Problem(
        ("My phone keeps saying there's no SIM card.", "The phone shows 'No SIM' and I can't use it at all."),
        "d.sim_status = 'missing'",
        "reseat_sim_card",
    ),
    "roaming_off_abroad": Problem(
        (
            "I'm travelling abroad and my mobile data doesn't work here.",
            "I just landed overseas and I can't get online with mobile data.",
        ),
        "d.abroad = 1 AND d.roaming = 0",
        "toggle_roaming",
    ),
    "slow_network_mode": Problem(
        SLOW_DATA, "d.network_mode = '2g_only'", "set_network_mode_preference", mode="4g_5g_preferred"
    ),
    "vpn": Problem(SLOW_DATA[::-1], "d.vpn_connected = 1", "disconnect_vpn"),
    "mms_apn": Problem(NO_MMS, "d.mmsc_url IS NULL", "reset_apn_settings"),
    "messages_permission": Problem(
        NO_MMS[::-1],
        "EXISTS (SELECT 1 FROM device_apps a WHERE a.device_id = d.device_id AND a.app_name = 'Messages' "
        "AND a.permissions = 'storage')",
        "grant_app_permission",
        app_name="Messages",
        permission="sms",
    ),
}
OVERDUE = (
    "I have an overdue bill and I'd like to pay it now from my phone.",
    "I'm behind on a bill. Can you send it to my phone so I can pay it right away?",
)
SUSPENDED = (
    "My line was suspended over an unpaid bill. I'd like to pay it from my phone and get my service back.",
    "My phone line got cut off because I missed a payment. I want to pay now and have the line working again.",
)
# How the person gives their number after the symptom.
NUMBER = ("My number is {phone}.", "The line is {phone}.")


def _rows(sql: str) -> list[dict[str, Any]]:
    database = EpisodeDatabase(get_snapshot(env, env.default_seed, None))
    try:
        cursor = database.raw.execute(sql)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        database.close()


Calls = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class _Draft:
    """A task before its gold change set is computed; ``index`` counts the tasks of its problem."""

    task_id: str
    problem: str
    index: int
    phone: str
    query: str
    calls: Calls


def _task(draft: _Draft) -> Task:
    phone, calls = draft.phone, draft.calls
    task = Task(
        task_id=draft.task_id,
        domain=env.domain,
        env_ids=[env.env_id],
        goal="write",
        query=draft.query,
        seed=env.default_seed,
        split="test" if draft.index % TEST_EVERY == TEST_EVERY - 1 else "train",
        gold_calls=[GoldCall(env_id=env.env_id, tool=tool, arguments=arguments) for tool, arguments in calls],
        # What the person can see for themselves: their number, and the app they send messages with.
        user=UserProfile(
            persona=PERSONA,
            known_facts={"phone number": phone, "messaging app": "Messages"},
            user_tools=list(USER_TOOLS),
        ),
        metadata={
            "dual_control": True,
            "problem": draft.problem,
            "user_calls": [t for t, _ in calls if t in USER_TOOLS],
        },
    )
    return with_gold_changes(task)


def _request(symptoms: tuple[str, ...], phone: str, index: int) -> str:
    return f"{symptoms[index % len(symptoms)]} {NUMBER[index // len(symptoms) % len(NUMBER)].format(phone=phone)}"


def _phone_fixes(per_problem: int) -> list[_Draft]:
    found = []
    for problem, spec in PROBLEMS.items():
        # Lines with data left, so that the phone's setting is the whole trouble.
        rows = _rows(
            "SELECT l.customer_id, l.line_id, l.phone_number, l.roaming_enabled FROM lines l "
            "JOIN devices d ON d.phone_number = l.phone_number JOIN plans p ON p.plan_id = l.plan_id "
            f"WHERE l.status = 'Active' AND l.data_used_gb < p.data_limit_gb AND {spec.broken} ORDER BY l.line_id"
        )
        for index, row in enumerate(rows[:per_problem]):
            phone = row["phone_number"]
            calls: Calls = [
                ("get_customer_by_phone", {"phone_number": phone}),
                ("get_details_by_id", {"id": row["line_id"]}),
            ]
            if problem == "roaming_off_abroad" and not row["roaming_enabled"]:
                calls.append(("enable_roaming", {"customer_id": row["customer_id"], "line_id": row["line_id"]}))
            calls.append((spec.fix, {"phone_number": phone, **spec.fix_arguments}))
            query = _request(spec.symptoms, phone, index)
            found.append(_Draft(f"telecom-dual-{problem}-{row['line_id']}", problem, index, phone, query, calls))
    return found


def _paid_from_the_phone(phone: str, customer: str, bill_id: str) -> Calls:
    """The agent finds the bill and sends a payment request for it; the customer pays it on the phone."""
    return [
        ("get_customer_by_phone", {"phone_number": phone}),
        ("get_bills_for_customer", {"customer_id": customer}),
        ("send_payment_request", {"customer_id": customer, "bill_id": bill_id}),
        ("make_payment", {"phone_number": phone}),
    ]


def _payments(per_problem: int) -> list[_Draft]:
    found = []
    # One overdue bill and no request pending: one request, one payment settles it.
    settled_by_one = (
        "(SELECT COUNT(*) FROM bills x WHERE x.customer_id = c.customer_id AND x.status = 'Overdue') = 1 "
        "AND NOT EXISTS (SELECT 1 FROM bills x WHERE x.customer_id = c.customer_id AND x.status = 'Awaiting Payment')"
    )
    bills = _rows(
        "SELECT c.customer_id, c.phone_number, b.bill_id FROM bills b JOIN customers c ON c.customer_id = "
        f"b.customer_id WHERE b.status = 'Overdue' AND {settled_by_one} AND NOT EXISTS (SELECT 1 FROM lines s "
        "WHERE s.customer_id = c.customer_id AND s.status = 'Suspended') ORDER BY b.bill_id"
    )
    for index, row in enumerate(bills[:per_problem]):
        phone, customer = row["phone_number"], row["customer_id"]
        calls = _paid_from_the_phone(phone, customer, row["bill_id"])
        query = _request(OVERDUE, phone, index)
        found.append(_Draft(f"telecom-dual-pay-{row['bill_id']}", "overdue_bill", index, phone, query, calls))
    suspended = _rows(
        "SELECT c.customer_id, l.line_id, l.phone_number, b.bill_id FROM lines l JOIN customers c ON c.customer_id "
        "= l.customer_id JOIN bills b ON b.customer_id = c.customer_id AND b.status = 'Overdue' "
        f"WHERE l.status = 'Suspended' AND {settled_by_one} ORDER BY l.line_id"
    )
    for index, row in enumerate(suspended[:per_problem]):
        phone, customer = row["phone_number"], row["customer_id"]
        # The line resumes only once the bill is paid: the agent's last call waits on the user's payment.
        calls = [
            *_paid_from_the_phone(phone, customer, row["bill_id"]),
            ("resume_line", {"customer_id": customer, "line_id": row["line_id"]}),
        ]
        query = _request(SUSPENDED, phone, index)
        task_id = f"telecom-dual-resume-{row['line_id']}"
        found.append(_Draft(task_id, "suspended_for_overdue_bill", index, phone, query, calls))
    return found


@env.conversational_tasks
def dual_control_tasks(per_problem: int = TASKS_PER_PROBLEM) -> list[Task]:
    """Up to ``per_problem`` tasks for each broken phone setting, for paying an overdue bill from the phone,
    and for a line suspended over an overdue bill (paid from the phone, then resumed)."""
    return [_task(draft) for draft in [*_phone_fixes(per_problem), *_payments(per_problem)]]
