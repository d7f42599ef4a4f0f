"""The subscriber's own tools: what a person can see and change on their phone (dual control).

These are declared in ``definition.USER_TOOLS``: the simulated user holds them and the agent never sees
them. Each names the phone by its number, since the seeded world holds every subscriber's phone.
"""

from __future__ import annotations

from typing import Any

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import Bill, Device, Line, Plan
from .tools import get_customer_by_phone


def _device(ctx: ToolContext, phone_number: str) -> dict[str, Any]:
    digits = "".join(ch for ch in phone_number if ch.isdigit())[-10:]
    wanted = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if len(digits) == 10 else phone_number
    device = ctx.rows(Device).first({"phone_number": wanted})
    if device is None:
        raise DomainError(f"There is no phone with the number {phone_number}.")
    return device


def _has_service(ctx: ToolContext, device: dict[str, Any]) -> tuple[bool, str]:
    if device["airplane_mode"]:
        return False, "Airplane mode is on: no cellular connection."
    if device["sim_status"] != "active":
        return False, "No SIM card detected."
    line = ctx.rows(Line).first({"phone_number": device["phone_number"]})
    if line is None or line["status"] != "Active":
        return False, "No service: the line is not active."
    return True, "Connected to the mobile network."


def _data_state(ctx: ToolContext, device: dict[str, Any]) -> tuple[bool, str]:
    service, why = _has_service(ctx, device)
    if not service:
        return False, why
    if not device["mobile_data"]:
        return False, "Mobile data is turned off."
    line = ctx.rows(Line).first({"phone_number": device["phone_number"]})
    assert line is not None  # _has_service found it
    if device["abroad"] and not device["roaming"]:
        return False, "Abroad, and data roaming is off on the phone."
    if device["abroad"] and not line["roaming_enabled"]:
        return False, "Abroad, and the carrier has not enabled roaming on this line."
    plan = ctx.rows(Plan).require(line["plan_id"], missing="plan")
    if line["data_used_gb"] >= plan["data_limit_gb"] + line["data_refueling_gb"]:
        return False, "The data allowance for this month is used up."
    return True, "Mobile data is working" + (
        " (Data Saver restricts background data)." if device["data_saver"] else "."
    )


def _status_bar(ctx: ToolContext, device: dict[str, Any]) -> str:
    service, _ = _has_service(ctx, device)
    data, _ = _data_state(ctx, device)
    parts = ["Airplane mode" if device["airplane_mode"] else ("Signal: good" if service else "No service")]
    if service:
        parts.append("5G" if device["network_mode"] == "4g_5g_preferred" else "4G")
    parts.append("Mobile data: " + ("on" if data else "off" if not device["mobile_data"] else "no connection"))
    if device["data_saver"]:
        parts.append("Data Saver on")
    if device["wifi"]:
        parts.append("Wi-Fi on")
    return " | ".join(parts)


def _toggled(ctx: ToolContext, device: dict[str, Any], column: str, label: str) -> str:
    value = 0 if device[column] else 1
    ctx.rows(Device).update(device["device_id"], **{column: value})
    updated = ctx.rows(Device).require(device["device_id"], missing="device")
    return f"{label} is now {'ON' if value else 'OFF'}. Status bar: {_status_bar(ctx, updated)}"


@env.read(coverage=False, intents=["check the status bar on my phone {phone_number}"])
def check_status_bar(ctx: ToolContext, phone_number: str) -> str:
    """Look at the phone's status bar (signal, network type, mobile data, Wi-Fi, airplane mode).

    Args:
        phone_number: The phone's own number.
    """
    return _status_bar(ctx, _device(ctx, phone_number))


@env.read(coverage=False, intents=["check the network status on my phone {phone_number}"])
def check_network_status(ctx: ToolContext, phone_number: str) -> str:
    """Open the phone's network settings: cellular service, mobile data and roaming, and why data fails.

    Args:
        phone_number: The phone's own number.
    """
    device = _device(ctx, phone_number)
    _, service = _has_service(ctx, device)
    _, data = _data_state(ctx, device)
    where = "abroad" if device["abroad"] else "at home"
    return f"{service} {data} Data roaming on the phone: {'on' if device['roaming'] else 'off'} (you are {where})."


@env.write(coverage=False, intents=["switch airplane mode on my phone {phone_number}"])
def toggle_airplane_mode(ctx: ToolContext, phone_number: str) -> str:
    """Switch airplane mode on or off (it cuts every radio when on).

    Args:
        phone_number: The phone's own number.
    """
    return _toggled(ctx, _device(ctx, phone_number), "airplane_mode", "Airplane mode")


@env.read(coverage=False, intents=["check the SIM card status on my phone {phone_number}"])
def check_sim_status(ctx: ToolContext, phone_number: str) -> str:
    """See whether the phone detects its SIM card.

    Args:
        phone_number: The phone's own number.
    """
    status = _device(ctx, phone_number)["sim_status"]
    return {"active": "SIM card detected and active.", "missing": "No SIM card detected."}.get(
        status, "The SIM card is locked with a PIN."
    )


@env.write(coverage=False, intents=["reseat the SIM card in my phone {phone_number}"])
def reseat_sim_card(ctx: ToolContext, phone_number: str) -> str:
    """Take the SIM card out and put it back in properly.

    Args:
        phone_number: The phone's own number.
    """
    device = _device(ctx, phone_number)
    if device["sim_status"] == "missing":
        ctx.rows(Device).update(device["device_id"], sim_status="active")
    device = ctx.rows(Device).require(device["device_id"], missing="device")
    return f"SIM card reseated. Status bar: {_status_bar(ctx, device)}"


@env.write(coverage=False, intents=["switch mobile data on my phone {phone_number}"])
def toggle_data(ctx: ToolContext, phone_number: str) -> str:
    """Switch mobile data on or off.

    Args:
        phone_number: The phone's own number.
    """
    return _toggled(ctx, _device(ctx, phone_number), "mobile_data", "Mobile data")


@env.write(coverage=False, intents=["switch data roaming on my phone {phone_number}"])
def toggle_roaming(ctx: ToolContext, phone_number: str) -> str:
    """Switch data roaming on or off in the phone's settings.

    Args:
        phone_number: The phone's own number.
    """
    return _toggled(ctx, _device(ctx, phone_number), "roaming", "Data roaming")


@env.read(coverage=False, intents=["check data saver restrictions on my phone {phone_number}"])
def check_data_restriction_status(ctx: ToolContext, phone_number: str) -> str:
    """See whether Data Saver mode restricts the phone's data.

    Args:
        phone_number: The phone's own number.
    """
    saver = _device(ctx, phone_number)["data_saver"]
    return "Data Saver mode is ON: background data is restricted." if saver else "Data Saver mode is OFF."


@env.write(coverage=False, intents=["switch data saver mode on my phone {phone_number}"])
def toggle_data_saver_mode(ctx: ToolContext, phone_number: str) -> str:
    """Switch Data Saver mode on or off.

    Args:
        phone_number: The phone's own number.
    """
    return _toggled(ctx, _device(ctx, phone_number), "data_saver", "Data Saver mode")


@env.read(coverage=False, intents=["check the Wi-Fi status on my phone {phone_number}"])
def check_wifi_status(ctx: ToolContext, phone_number: str) -> str:
    """See whether Wi-Fi is on.

    Args:
        phone_number: The phone's own number.
    """
    return "Wi-Fi is ON." if _device(ctx, phone_number)["wifi"] else "Wi-Fi is OFF."


@env.write(coverage=False, intents=["switch Wi-Fi on my phone {phone_number}"])
def toggle_wifi(ctx: ToolContext, phone_number: str) -> str:
    """Switch Wi-Fi on or off.

    Args:
        phone_number: The phone's own number.
    """
    return _toggled(ctx, _device(ctx, phone_number), "wifi", "Wi-Fi")


@env.read(coverage=False, intents=["restart my phone {phone_number}"])
def reboot_device(ctx: ToolContext, phone_number: str) -> str:
    """Restart the phone; it searches for the network again and reports what it finds.

    Args:
        phone_number: The phone's own number.
    """
    device = _device(ctx, phone_number)
    return f"The phone restarted. Status bar: {_status_bar(ctx, device)}"


def _awaiting(ctx: ToolContext, phone_number: str) -> dict[str, Any] | None:
    owner = get_customer_by_phone(ctx, _device(ctx, phone_number)["phone_number"])
    return ctx.rows(Bill).first({"customer_id": owner["customer_id"], "status": "Awaiting Payment"})


@env.read(coverage=False, intents=["check the payment request on my phone {phone_number}"])
def check_payment_request(ctx: ToolContext, phone_number: str) -> str:
    """See the payment request the carrier sent to this phone, if any.

    Args:
        phone_number: The phone's own number.
    """
    bill = _awaiting(ctx, phone_number)
    if bill is None:
        return "No payment request."
    return f"Payment request for bill {bill['bill_id']}: ${bill['total_due']:.2f} (due {bill['due_date']})."


@env.write(coverage=False, intents=["pay the payment request on my phone {phone_number}"])
def make_payment(ctx: ToolContext, phone_number: str) -> str:
    """Pay the carrier's payment request with the card saved on the phone.

    Args:
        phone_number: The phone's own number.
    """
    bill = _awaiting(ctx, phone_number)
    if bill is None:
        raise DomainError("There is no payment request to pay.")
    ctx.rows(Bill).update(bill["bill_id"], status="Paid")
    return f"Paid ${bill['total_due']:.2f} for bill {bill['bill_id']}."
