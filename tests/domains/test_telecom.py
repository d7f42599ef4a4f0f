"""The telecom environment: the agent's tools and rules, the subscriber's phone tools, the seed, and dual control
(episodes solved only when the rule-based user acts on the phone as the assistant tells them)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.domains.communication import telecom
from envfactory_gym.domains.communication.telecom.definition import USER_TOOLS
from envfactory_gym.domains.communication.telecom.dual_control import PROBLEMS, dual_control_tasks
from envfactory_gym.env import ToolUseEnv
from envfactory_gym.tasks import Task, load_tasks
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(telecom.env)
    yield harness
    harness.close()


def line(h: EpisodeHarness, where: str, *params: Any) -> dict[str, Any]:
    found = h.rows(
        "SELECT l.* FROM lines l JOIN plans p ON p.plan_id = l.plan_id JOIN devices d ON d.phone_number = "
        f"l.phone_number WHERE {where} ORDER BY l.line_id LIMIT 1",
        *params,
    )
    assert found, where
    return found[0]


def device(h: EpisodeHarness, phone: str) -> dict[str, Any]:
    return h.rows("SELECT * FROM devices WHERE phone_number = ?", phone)[0]


# -- seed ------------------------------------------------------------------------------------------------------


def test_seed_is_realistic_and_every_line_has_a_phone(h: EpisodeHarness) -> None:
    def count(sql: str) -> int:
        return int(h.rows(sql)[0]["n"])

    assert count("SELECT COUNT(*) AS n FROM customers") == 300
    assert 400 <= count("SELECT COUNT(*) AS n FROM lines") <= 700
    assert count("SELECT COUNT(*) AS n FROM plans") == 6
    assert count("SELECT COUNT(*) AS n FROM bills") > 1000
    assert (
        count("SELECT COUNT(*) AS n FROM lines l JOIN devices d USING (device_id, phone_number)")
        == count("SELECT COUNT(*) AS n FROM devices")
        == count("SELECT COUNT(*) AS n FROM lines")
    )
    for broken in ("airplane_mode = 1", "mobile_data = 0", "abroad = 1 AND roaming = 0", "data_saver = 1",
                   "sim_status = 'missing'", "network_mode = '2g_only'", "vpn_connected = 1", "mmsc_url IS NULL",
                   "device_id IN (SELECT device_id FROM device_apps WHERE permissions = 'storage')"):  # fmt: skip
        assert count(f"SELECT COUNT(*) AS n FROM devices WHERE {broken}") >= 5, broken
    assert count("SELECT COUNT(*) AS n FROM bills WHERE status = 'Overdue'") >= 10
    assert count("SELECT COUNT(*) AS n FROM lines WHERE status = 'Suspended'") >= 10


# -- the agent's tools -----------------------------------------------------------------------------------------


def test_customer_lookups_by_phone_of_any_line_id_and_name(h: EpisodeHarness) -> None:
    second = line(h, "l.line_id != (SELECT MIN(x.line_id) FROM lines x WHERE x.customer_id = l.customer_id)")
    found = h.ok("get_customer_by_phone", phone_number=second["phone_number"].replace("(", "").replace(")", ""))
    assert found["customer_id"] == second["customer_id"] and second["line_id"] in found["line_ids"]
    by_id = h.ok("get_customer_by_id", customer_id=second["customer_id"].lower())
    assert by_id == found
    assert h.ok("get_customer_by_name", full_name=found["full_name"].upper(), dob=found["date_of_birth"]) == [found]
    assert h.ok("get_customer_by_name", full_name=found["full_name"], dob="1900-01-01") == []
    assert "YYYY-MM-DD" in h.error("get_customer_by_name", full_name=found["full_name"], dob="March 3rd")
    assert "not found" in h.error("get_customer_by_phone", phone_number="(999) 000-0000")


def test_plans_details_and_data_usage(h: EpisodeHarness) -> None:
    assert h.ok("get_available_plan_ids") == ["P1001", "P1002", "P1003", "P1004", "P1005", "P1006"]
    assert h.ok("get_details_by_id", id="P1003")["data_limit_gb"] == 30.0
    row = line(h, "l.status = 'Active'")
    assert h.ok("get_details_by_id", id=row["line_id"])["phone_number"] == row["phone_number"]
    assert "start with C, L, P or B" in h.error("get_details_by_id", id="X1")
    usage = h.ok("get_data_usage", customer_id=row["customer_id"], line_id=row["line_id"])
    assert usage["data_used_gb"] == row["data_used_gb"] and usage["cycle_end_date"] == "2025-02-28"


def test_suspend_and_resume_a_line(h: EpisodeHarness) -> None:
    row = line(h, "l.status = 'Active' AND NOT EXISTS (SELECT 1 FROM bills b WHERE b.customer_id = l.customer_id "
                  "AND b.status = 'Overdue')")  # fmt: skip
    suspended = h.ok("suspend_line", customer_id=row["customer_id"], line_id=row["line_id"], reason="travel")
    assert suspended["line"]["status"] == "Suspended" and suspended["line"]["suspension_start_date"] == "2025-02-25"
    assert "only an Active line" in h.error("suspend_line", customer_id=row["customer_id"], line_id=row["line_id"],
                                            reason="again")  # fmt: skip
    resumed = h.ok("resume_line", customer_id=row["customer_id"], line_id=row["line_id"])
    assert resumed["line"]["status"] == "Active" and resumed["line"]["suspension_start_date"] is None
    assert "only a suspended line" in h.error("resume_line", customer_id=row["customer_id"], line_id=row["line_id"])


def test_resume_is_refused_while_a_bill_is_overdue(h: EpisodeHarness) -> None:
    row = line(h, "l.status = 'Suspended' AND EXISTS (SELECT 1 FROM bills b WHERE b.customer_id = l.customer_id "
                  "AND b.status = 'Overdue')")  # fmt: skip
    assert "overdue" in h.error("resume_line", customer_id=row["customer_id"], line_id=row["line_id"])


def test_a_line_of_another_customer_is_refused(h: EpisodeHarness) -> None:
    row = line(h, "l.status = 'Active' AND l.customer_id != 'C1001'")
    assert "not found for customer C1001" in h.error("enable_roaming", customer_id="C1001", line_id=row["line_id"])


def test_roaming_on_and_off_only_on_active_lines(h: EpisodeHarness) -> None:
    row = line(h, "l.status = 'Active' AND l.roaming_enabled = 0")
    assert h.ok("enable_roaming", customer_id=row["customer_id"], line_id=row["line_id"])["line"]["roaming_enabled"]
    assert "already enabled" in h.error("enable_roaming", customer_id=row["customer_id"], line_id=row["line_id"])
    assert not h.ok("disable_roaming", customer_id=row["customer_id"], line_id=row["line_id"])["line"][
        "roaming_enabled"
    ]
    assert "already disabled" in h.error("disable_roaming", customer_id=row["customer_id"], line_id=row["line_id"])
    off = line(h, "l.status = 'Suspended'")
    assert "only an Active line" in h.error("enable_roaming", customer_id=off["customer_id"], line_id=off["line_id"])


def test_refuel_is_capped_and_charged_on_the_draft_bill(h: EpisodeHarness) -> None:
    row = line(h, "l.status = 'Active' AND l.data_used_gb >= p.data_limit_gb")
    price = h.rows("SELECT data_refueling_price_per_gb AS p FROM plans WHERE plan_id = ?", row["plan_id"])[0]["p"]
    draft = h.rows("SELECT * FROM bills WHERE customer_id = ? AND status = 'Draft'", row["customer_id"])[0]
    assert "at most 2 GB" in h.error("refuel_data", customer_id=row["customer_id"], line_id=row["line_id"],
                                     gb_amount=3)  # fmt: skip
    result = h.ok("refuel_data", customer_id=row["customer_id"], line_id=row["line_id"], gb_amount=1.5)
    assert result["charge_amount"] == round(1.5 * price, 2) and result["line"]["data_refueling_gb"] == 1.5
    after = h.rows("SELECT total_due FROM bills WHERE bill_id = ?", draft["bill_id"])[0]["total_due"]
    assert after == pytest.approx(draft["total_due"] + 1.5 * price)


def test_bills_newest_first_and_one_payment_request_at_a_time(h: EpisodeHarness) -> None:
    customer = h.rows("SELECT customer_id FROM bills WHERE status = 'Overdue' ORDER BY bill_id LIMIT 1")[0]
    bills = h.ok("get_bills_for_customer", customer_id=customer["customer_id"])
    assert [b["issue_date"] for b in bills] == sorted((b["issue_date"] for b in bills), reverse=True)
    assert len(h.ok("get_bills_for_customer", customer_id=customer["customer_id"], limit=2)) == 2
    overdue = next(b for b in bills if b["status"] == "Overdue")
    paid = next(b for b in bills if b["status"] == "Paid")
    assert "only an Issued or Overdue" in h.error("send_payment_request", customer_id=customer["customer_id"],
                                                  bill_id=paid["bill_id"])  # fmt: skip
    h.ok("send_payment_request", customer_id=customer["customer_id"], bill_id=overdue["bill_id"])
    assert h.rows("SELECT status FROM bills WHERE bill_id = ?", overdue["bill_id"])[0]["status"] == "Awaiting Payment"
    assert "already awaiting payment" in h.error("send_payment_request", customer_id=customer["customer_id"],
                                                 bill_id=overdue["bill_id"])  # fmt: skip


# -- the phone's tools -------------------------------------------------------------------------------------------


def test_phone_settings_decide_whether_data_works(h: EpisodeHarness) -> None:
    row = line(h, "l.status = 'Active' AND d.airplane_mode = 1 AND l.data_used_gb < p.data_limit_gb")
    phone = row["phone_number"]
    assert h.ok("check_status_bar", phone_number=phone).startswith("Airplane mode")
    assert "Airplane mode is now OFF" in h.ok("toggle_airplane_mode", phone_number=phone)
    assert device(h, phone)["airplane_mode"] == 0
    assert "Mobile data is working" in h.ok("check_network_status", phone_number=phone)
    missing = line(h, "d.sim_status = 'missing'")["phone_number"]
    assert h.ok("check_sim_status", phone_number=missing) == "No SIM card detected."
    h.ok("reseat_sim_card", phone_number=missing)
    assert device(h, missing)["sim_status"] == "active"
    assert "no phone" in h.error("toggle_data", phone_number="(999) 000-0000")


def test_data_abroad_needs_roaming_on_the_line_and_on_the_phone(h: EpisodeHarness) -> None:
    row = line(h, "l.status = 'Active' AND d.abroad = 1 AND d.roaming = 0 AND l.roaming_enabled = 0 "
                  "AND d.airplane_mode = 0 AND d.mobile_data = 1 AND l.data_used_gb < p.data_limit_gb")  # fmt: skip
    phone = row["phone_number"]
    h.ok("toggle_roaming", phone_number=phone)
    assert "carrier has not enabled roaming" in h.ok("check_network_status", phone_number=phone)
    h.ok("enable_roaming", customer_id=row["customer_id"], line_id=row["line_id"])
    assert "Mobile data is working" in h.ok("check_network_status", phone_number=phone)


def test_network_mode_vpn_and_speed(h: EpisodeHarness) -> None:
    phone = line(h, "l.status = 'Active' AND d.network_mode = '2g_only' AND l.data_used_gb < p.data_limit_gb "
                    "AND d.data_saver = 0 AND d.vpn_connected = 0")["phone_number"]  # fmt: skip
    assert "0.1 Mbps (very poor)" in h.ok("run_speed_test", phone_number=phone)
    assert "cannot send MMS" in h.ok("can_send_mms", phone_number=phone)
    h.ok("set_network_mode_preference", phone_number=phone, mode="4g_5g_preferred")
    assert h.ok("check_network_mode_preference", phone_number=phone) == "Preferred network mode: 4g_5g_preferred."
    assert "180.0 Mbps" in h.ok("run_speed_test", phone_number=phone)
    h.ok("connect_vpn", phone_number=phone)
    assert "18.0 Mbps" in h.ok("run_speed_test", phone_number=phone)
    assert "already connected" in h.error("connect_vpn", phone_number=phone)
    h.ok("disconnect_vpn", phone_number=phone)
    assert h.ok("check_vpn_status", phone_number=phone) == "VPN: not connected."
    h.error("set_network_mode_preference", phone_number=phone, mode="6g")
    assert h.ok("can_send_mms", phone_number=phone) == "Your messaging app can send MMS messages."


def test_apn_and_app_permissions_decide_mms(h: EpisodeHarness) -> None:
    phone = line(h, "l.status = 'Active' AND d.mmsc_url IS NULL AND d.network_mode != '2g_only' "
                    "AND l.data_used_gb < p.data_limit_gb")["phone_number"]  # fmt: skip
    assert "No MMS server" in h.ok("can_send_mms", phone_number=phone)
    h.ok("set_apn_settings", phone_number=phone, apn_settings={"apn_name": "custom", "mmsc_url": None})
    assert h.ok("check_apn_settings", phone_number=phone) == {"apn_name": "custom", "mmsc_url": None}
    h.ok("reset_apn_settings", phone_number=phone)
    assert h.ok("can_send_mms", phone_number=phone) == "Your messaging app can send MMS messages."
    assert h.ok("check_installed_apps", phone_number=phone) == ["Browser", "Camera", "Maps", "Messages"]
    h.ok("remove_app_permission", phone_number=phone, app_name="messages", permission="sms")
    assert h.ok("check_app_permissions", phone_number=phone, app_name="Messages") == ["storage"]
    assert "lacks the sms permission" in h.ok("check_app_status", phone_number=phone, app_name="Messages")
    assert "sms or storage" in h.ok("can_send_mms", phone_number=phone)
    assert "does not have" in h.error("remove_app_permission", phone_number=phone, app_name="Messages",
                                      permission="sms")  # fmt: skip
    h.ok("grant_app_permission", phone_number=phone, app_name="Messages", permission="sms")
    assert "already has" in h.error("grant_app_permission", phone_number=phone, app_name="Messages",
                                    permission="sms")  # fmt: skip
    assert "no app called" in h.error("check_app_status", phone_number=phone, app_name="Snapchat")
    h.ok("toggle_wifi_calling", phone_number=phone)
    assert h.ok("check_wifi_calling_status", phone_number=phone).startswith("Wi-Fi calling is")


def test_paying_a_request_from_the_phone(h: EpisodeHarness) -> None:
    bill = h.rows("SELECT b.*, c.phone_number FROM bills b JOIN customers c USING (customer_id) "
                  "WHERE b.status = 'Overdue' ORDER BY b.bill_id LIMIT 1")[0]  # fmt: skip
    assert "no payment request" in h.error("make_payment", phone_number=bill["phone_number"])
    h.ok("send_payment_request", customer_id=bill["customer_id"], bill_id=bill["bill_id"])
    assert bill["bill_id"] in h.ok("check_payment_request", phone_number=bill["phone_number"])
    h.ok("make_payment", phone_number=bill["phone_number"])
    assert h.rows("SELECT status FROM bills WHERE bill_id = ?", bill["bill_id"])[0]["status"] == "Paid"


# -- episodes ----------------------------------------------------------------------------------------------------


def test_a_packaged_task_is_solved_by_its_gold_calls() -> None:
    task = next(t for t in load_tasks("communication", "telecom") if t.metadata["story"].endswith("out_of_data"))
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)


def test_story_tasks_keep_the_phone_tools_from_the_assistant() -> None:
    task = load_tasks("communication", "telecom")[0]
    assert set(task.user.user_tools) == set(USER_TOOLS)
    env = ToolUseEnv(["telecom"], tasks=[task])
    try:
        _, info = env.reset(options={"task": task})
        assert not {t["function"]["name"] for t in info["tools"]} & set(USER_TOOLS)
    finally:
        env.close()


def call(name: str, **arguments: Any) -> str:
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"


def dual(problem: str, *, with_line_change: bool | None = None) -> Task:
    for task in dual_control_tasks():
        agent_writes = any(c.tool == "enable_roaming" for c in task.gold_calls)
        if task.metadata["problem"] == problem and with_line_change in (None, agent_writes):
            return task
    raise AssertionError(problem)


def play(task: Task, messages: list[str]) -> tuple[float, ToolUseEnv, list[str]]:
    env = ToolUseEnv(["telecom"], tasks=[task], conversational=True)
    env.reset(options={"task": task})
    replies, reward = [], 0.0
    for message in messages:
        observation, reward, terminated, _, _ = env.step(message)
        replies.append(observation)
        if terminated:
            break
    return reward, env, replies


def changed_tables(env: ToolUseEnv) -> set[str]:
    return {change["table"] for change in env.change_sets()["telecom"]}


def test_dual_control_roaming_abroad_is_solved_only_when_the_user_acts_on_the_phone() -> None:
    task = dual("roaming_off_abroad", with_line_change=True)
    phone = task.user.known_facts["phone number"]
    line_id, customer = task.gold_calls[1].arguments["id"], task.gold_calls[2].arguments["customer_id"]
    agent_side = [call("get_customer_by_phone", phone_number=phone),
                  call("enable_roaming", customer_id=customer, line_id=line_id)]  # fmt: skip
    # Both sides: the line's roaming, then the user toggles roaming on the phone when told so clearly; the
    # instruction also holds the words of "toggle data", which the user must not run.
    reward, env, replies = play(task, [*agent_side,
        "Roaming is on for your line. Now please toggle roaming in your phone's settings so data roaming is on.",
        "Your line and phone are set for roaming; that completes your request."])  # fmt: skip
    assert "I ran toggle roaming on my side" in replies[2] and "toggle data" not in replies[2]
    assert changed_tables(env) == {"lines", "devices"} and reward == 1.0
    env.close()
    # The assistant never asks: the line is fixed, the phone is not, and the episode fails.
    reward, env, _ = play(task, [*agent_side, "Roaming is now on for your line; that completes your request."])
    assert changed_tables(env) == {"lines"} and reward == 0.0
    env.close()
    # The assistant asks but skips its own part: the phone is fixed, the line is not.
    reward, env, _ = play(task, [call("get_customer_by_phone", phone_number=phone),
        "Please toggle roaming on your phone.", "That completes your request."])  # fmt: skip
    assert changed_tables(env) == {"devices"} and reward == 0.0
    env.close()


@pytest.mark.parametrize(
    ("problem", "instruction", "column", "fixed"),
    [
        ("airplane_mode", "Please toggle airplane mode on your phone.", "airplane_mode", 0),
        ("data_off", "Please toggle data in your phone's settings.", "mobile_data", 1),
        ("data_saver", "Please toggle data saver mode off on your phone.", "data_saver", 0),
        ("sim_missing", "Please reseat the SIM card in your phone.", "sim_status", "active"),
        (
            "slow_network_mode",
            "Please set network mode preference to 4g_5g_preferred.",
            "network_mode",
            "4g_5g_preferred",
        ),
        ("vpn", "Please disconnect the VPN on your phone.", "vpn_connected", 0),
        ("mms_apn", "Please reset the APN settings on your phone.", "mmsc_url", "http://mms.carrier.net/mms"),
        ("messages_permission", "Please give the Messages app the sms permission.", "permissions", "storage,sms"),
    ],
)
def test_dual_control_phone_fixes(problem: str, instruction: str, column: str, fixed: Any) -> None:
    task = dual(problem)
    phone = task.user.known_facts["phone number"]
    reward, env, _ = play(task, [call("get_customer_by_phone", phone_number=phone), instruction,
                                 "Your phone should work again now; that completes your request."])  # fmt: skip
    changes = env.change_sets()["telecom"]
    assert [c["after"][column] for c in changes] == [fixed] and reward == 1.0
    env.close()
    reward, env, _ = play(task, [call("get_customer_by_phone", phone_number=phone), "That completes your request."])
    assert env.change_sets()["telecom"] == [] and reward == 0.0
    env.close()


def test_dual_control_payment_needs_the_request_and_the_users_payment() -> None:
    task = next(t for t in dual_control_tasks() if t.metadata["problem"] == "overdue_bill")
    request = task.gold_calls[2].arguments
    reward, env, replies = play(
        task,
        [
            call("send_payment_request", **request),
            "I've sent a payment request. Please make the payment on your phone.",
            "Your bill is paid; all done.",
        ],
    )
    assert "I ran make payment on my side (done)" in replies[1] and reward == 1.0  # fmt: skip
    env.close()


def test_the_assistant_can_neither_see_nor_call_the_phone_tools() -> None:
    task = dual("airplane_mode")
    env = ToolUseEnv(["telecom"], tasks=[task], conversational=True)
    try:
        _, info = env.reset(options={"task": task})
        exposed = {t["function"]["name"] for t in info["tools"]}
        assert not exposed & set(USER_TOOLS) and "enable_roaming" in exposed
        phone = task.user.known_facts["phone number"]
        observation, *_ = env.step(call("toggle_airplane_mode", phone_number=phone))
        assert "unknown tool" in observation and env.change_sets()["telecom"] == []
        assert "toggle_airplane_mode" not in env.messages[0]["content"]
    finally:
        env.close()


# -- the packaged dual-control tasks (telecom_conversational.jsonl) ------------------------------------------

PACKAGED = load_tasks("communication", "telecom_conversational")


def one_per_problem() -> list[Task]:
    return list({t.metadata["problem"]: t for t in reversed(PACKAGED)}.values())


def test_the_packaged_file_is_what_the_builder_makes() -> None:
    """`envfactory synth telecom --conversational` wrote the builder's tasks, as it makes them now."""
    assert dual_control_tasks() == PACKAGED and len(PACKAGED) >= 40
    assert {t.metadata["problem"] for t in PACKAGED} == {*PROBLEMS, "overdue_bill", "suspended_for_overdue_bill"}
    assert len({t.task_id for t in PACKAGED}) == len({t.query for t in PACKAGED}) == len(PACKAGED)
    assert {t.split for t in PACKAGED} == {"train", "test"}
    for task in PACKAGED:
        users = [c.tool for c in task.gold_calls if c.tool in USER_TOOLS]
        assert users == task.metadata["user_calls"] and users, task.task_id
        # Both sides' state is judged: the phone's (or the bill it pays) and, where the agent writes, the line.
        assert {g.table for g in task.gold_changes} & {"devices", "device_apps", "bills"}, task.task_id
        assert task.user.known_facts["phone number"] in task.query


@pytest.mark.parametrize("task", one_per_problem(), ids=lambda t: t.metadata["problem"])
def test_the_oracle_solves_it_only_when_the_user_acts_on_its_instructions(task: Task) -> None:
    """Through PettingZoo: the oracle makes its own calls and tells the user to make theirs; the rule-based
    user acts in its turns. Never told, the user does nothing, and the episode scores 0."""
    from envfactory_gym.conversational_tasks import ConversationalOracleAgent
    from envfactory_gym.multiagent import ASSISTANT, USER, ConversationAECEnv

    for ask, expected in ((True, 1.0), (False, 0.0)):
        env = ConversationAECEnv(["telecom"], tasks=[task])
        env.reset(options={"task_id": task.task_id})
        oracle = ConversationalOracleAgent(ask=ask)
        oracle.start(env.env.task, env.infos[ASSISTANT]["tools"])
        reward, user_acted = 0.0, []
        for agent in env.agent_iter(max_iter=60):
            _, reward, terminated, truncated, _ = env.last()
            if terminated or truncated:
                env.step(None)
                continue
            if agent == USER:
                reply = env.simulated_user_action()
                user_acted += [reply] if reply.startswith("I ran") else []
                env.step(reply)
            else:
                env.step(oracle.act(env.env.messages))
        assert reward == expected, (task.task_id, ask)
        assert len(user_acted) == (len(task.metadata["user_calls"]) if ask else 0)
        assert all("(done)" in reply for reply in user_acted)
        env.close()


def test_an_assistant_with_only_its_own_tools_scores_zero() -> None:
    """The never-asking oracle (its own calls only), and the plain oracle (which tries the phone's tools itself
    and is refused), leave the phone and the bill as they were on every packaged task."""
    from envfactory_gym.agents.baselines import OracleAgent
    from envfactory_gym.conversational_tasks import ConversationalOracleAgent
    from envfactory_gym.rollout import play_episode

    env = ToolUseEnv(["telecom"], tasks=PACKAGED, conversational=True)
    for task in PACKAGED:
        for agent in (ConversationalOracleAgent(ask=False), OracleAgent()):
            result = play_episode(env, agent, options={"task": task})
            assert result.reward == 0.0, (task.task_id, type(agent).__name__)
            assert not changed_tables(env) & {"devices", "device_apps"}
            assert not any(
                c["after"]["status"] == "Paid" for c in env.change_sets()["telecom"] if c["table"] == "bills"
            )
    env.close()


# What an agent might say in its own words (it never sees the phone's tools): clear, so the user acts.
NATURAL = {
    "toggle_airplane_mode": "Please turn off airplane mode on your phone.",
    "toggle_data": "Please switch your mobile data back on.",
    "toggle_data_saver_mode": "Please turn off Data Saver; it restricts your mobile data.",
    "reseat_sim_card": "Please take the SIM card out and put it back in.",
    "toggle_roaming": "Please turn on data roaming in your phone's settings.",
    "set_network_mode_preference": "Please set your preferred network mode to 4G/5G preferred.",
    "disconnect_vpn": "Please turn off the VPN on your phone.",
    "reset_apn_settings": "Please reset your APN settings to the defaults.",
    "grant_app_permission": "Please grant Messages the SMS permission.",
    "make_payment": "I've sent a payment request to your phone; please pay the payment request.",
}


@pytest.mark.parametrize("task", one_per_problem(), ids=lambda t: t.metadata["problem"])
def test_clear_instructions_in_the_agents_own_words_make_the_user_act(task: Task) -> None:
    turns = [NATURAL[c.tool] if c.tool in USER_TOOLS else call(c.tool, **c.arguments) for c in task.gold_calls]
    reward, env, replies = play(task, [*turns, "Both sides are set now; that completes your request."])
    ran = [r for r in replies if r.startswith("I ran")]
    assert reward == 1.0 and len(ran) == len(task.metadata["user_calls"]), replies
    env.close()


VAGUE = [
    "Please turn it off and on again.",
    "Try switching some settings off.",
    "Please check your phone's settings and fix whatever looks wrong.",
    "Could you try a few things on your phone for me?",
    "Airplane mode, mobile data, data saver, roaming, the VPN or the SIM card might be the problem.",
    "Your phone's network settings and app permissions may need adjusting.",
    "Something on your account may need settling.",
]


@pytest.mark.parametrize("instruction", VAGUE)
def test_a_vague_instruction_does_not_make_the_user_act(instruction: str) -> None:
    for task in one_per_problem():
        phone = task.user.known_facts["phone number"]
        _, env, replies = play(task, [call("get_customer_by_phone", phone_number=phone), instruction])
        assert "I ran" not in replies[-1] and env.change_sets()["telecom"] == [], (task.task_id, replies[-1])
        env.close()


def test_several_instructions_in_one_sentence_are_each_done_in_the_order_given() -> None:
    task = dual("airplane_mode")
    phone = task.user.known_facts["phone number"]
    reward, env, replies = play(task, [call("get_customer_by_phone", phone_number=phone),
        "Please restart your phone, then turn off airplane mode and check the status bar.",
        "Your phone should work again now; that completes your request."])  # fmt: skip
    assert env._user.tools_run == ["reboot_device", "toggle_airplane_mode", "check_status_bar"]
    assert replies[1].index("reboot device") < replies[1].index("toggle airplane mode") < replies[1].index("status bar")
    assert [c["after"]["airplane_mode"] for c in env.change_sets()["telecom"]] == [0] and reward == 1.0
    env.close()


@pytest.mark.parametrize(
    ("problem", "instruction"),
    [
        ("data_saver", "Please turn off Data Saver, but don't turn off Wi-Fi."),
        ("airplane_mode", "Please turn off airplane mode, but do not toggle Wi-Fi or restart the phone."),
        ("vpn", "Instead of turning off Wi-Fi, disconnect the VPN on your phone."),
    ],
)
def test_a_negated_instruction_beside_a_clear_one_is_not_done(problem: str, instruction: str) -> None:
    """Doing the negated one too would change the phone beyond the fix (and fail the episode)."""
    task = dual(problem)
    phone = task.user.known_facts["phone number"]
    reward, env, replies = play(task, [call("get_customer_by_phone", phone_number=phone), instruction,
                                       "Your phone should work again now; that completes your request."])  # fmt: skip
    assert env._user.tools_run == task.metadata["user_calls"], replies
    assert reward == 1.0
    env.close()


def test_the_phone_tools_stay_invisible_to_the_assistant_on_every_packaged_task() -> None:
    from envfactory_gym.conversational_tasks import ConversationalOracleAgent
    from envfactory_gym.rollout import play_episode

    env = ToolUseEnv(["telecom"], tasks=PACKAGED, conversational=True)
    for task in PACKAGED:
        result = play_episode(env, ConversationalOracleAgent(), options={"task": task})
        shown = {t["function"]["name"] for t in result.tools}
        called = {c["function"]["name"] for m in result.messages for c in m.get("tool_calls") or ()}
        assert result.reward == 1.0 and called <= shown and not shown & set(USER_TOOLS), task.task_id
        assert not any(name in result.messages[0]["content"] for name in USER_TOOLS)
    env.close()
