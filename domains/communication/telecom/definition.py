"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

# The tools the subscriber holds on their own phone (hidden from the agent; the simulated user runs them).
USER_TOOLS = (
    "check_status_bar",
    "check_network_status",
    "check_network_mode_preference",
    "set_network_mode_preference",
    "run_speed_test",
    "toggle_airplane_mode",
    "check_sim_status",
    "reseat_sim_card",
    "toggle_data",
    "toggle_roaming",
    "check_data_restriction_status",
    "toggle_data_saver_mode",
    "check_apn_settings",
    "set_apn_settings",
    "reset_apn_settings",
    "check_wifi_status",
    "toggle_wifi",
    "check_wifi_calling_status",
    "toggle_wifi_calling",
    "check_vpn_status",
    "connect_vpn",
    "disconnect_vpn",
    "check_installed_apps",
    "check_app_status",
    "check_app_permissions",
    "grant_app_permission",
    "remove_app_permission",
    "can_send_mms",
    "reboot_device",
    "check_payment_request",
    "make_payment",
)

env = EnvironmentDefinition(
    "telecom",
    domain="communication",
    models=Base,
    modeled_on="Telecom",
    user_tool_names=USER_TOOLS,
    description=(
        "Customer support for a mobile carrier. Customers (ids like C1001) own lines (L1001), each a phone "
        "number on a plan (P1001) with a monthly data allowance, data refuels, roaming on or off, and a status: "
        "Active, Suspended, Pending Activation or Closed. Bills (B1001) are Draft (the running month), Issued, "
        "Overdue, Awaiting Payment, Paid or Disputed. Find the customer first (by phone number, by id, or by "
        "full name and date of birth) and act only on that customer's lines. Policy: only an Active line can be "
        "suspended (a $5/month holding fee applies) or have roaming or data changed; a Suspended line is "
        "resumed only when the customer has no Overdue bill (send a payment request for it first); a customer "
        "may have only one bill awaiting payment at a time, and only an Issued or Overdue bill can be requested; "
        "data refuels are at most 2 GB at a time, charged at the plan's refuelling price per GB on the running "
        "Draft bill. The customer's phone is theirs: settings on it (airplane mode, mobile data, roaming, data "
        "saver, SIM, Wi-Fi, paying a payment request) can only be changed by the customer, so ask them to do it "
        "and tell them exactly what to do. Data abroad needs roaming on both the line and the phone. Transfer to "
        "a human agent only when the request is outside this policy."
    ),
)
