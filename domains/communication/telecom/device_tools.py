"""The subscriber's own tools: what a person can see and change on their phone (dual control).

These are declared in ``definition.USER_TOOLS``: the simulated user holds them and the agent never sees
them. Each names the phone by its number, since the seeded world holds every subscriber's phone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import APP_NEEDS, CARRIER_APN, Bill, Device, DeviceApp, Line, Plan
from .tools import get_customer_by_phone

NetworkMode = Literal["4g_5g_preferred", "4g_only", "3g_only", "2g_only"]
Permission = Literal["sms", "storage", "camera", "location", "contacts", "microphone"]


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


PhoneTool = Callable[[ToolContext, str], str]


def _switch(column: str, label: str) -> Callable[[PhoneTool], PhoneTool]:
    """Give an on/off setting's tool its body: flip ``column`` on the phone, then say ``label``'s new state
    and show the status bar ("Wi-Fi is now OFF. Status bar: ...").

    The decorated function holds only the tool's signature and docstring: its API reference, what the
    schema and the model-facing description are built from.
    """

    def body(reference: PhoneTool) -> PhoneTool:
        @functools.wraps(reference)
        def flip(ctx: ToolContext, phone_number: str) -> str:
            device = _device(ctx, phone_number)
            value = 0 if device[column] else 1
            ctx.rows(Device).update(device["device_id"], **{column: value})
            updated = ctx.rows(Device).require(device["device_id"], missing="device")
            return f"{label} is now {'ON' if value else 'OFF'}. Status bar: {_status_bar(ctx, updated)}"

        return flip

    return body


def _shows(column: str, on: str, off: str) -> Callable[[PhoneTool], PhoneTool]:
    """Give an on/off setting's check its body: ``on`` or ``off``, as the phone's ``column`` is (see _switch)."""

    def body(reference: PhoneTool) -> PhoneTool:
        @functools.wraps(reference)
        def show(ctx: ToolContext, phone_number: str) -> str:
            return on if _device(ctx, phone_number)[column] else off

        return show

    return body


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
@_switch("airplane_mode", "Airplane mode")
def toggle_airplane_mode(ctx: ToolContext, phone_number: str) -> str:
    """Switch airplane mode on or off (it cuts every radio when on).

    Args:
        phone_number: The phone's own number.
    """


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


@env.write(
    coverage=False,
    intents=[
        "reseat the SIM card in my phone {phone_number}",
        "take the SIM card out and put it back in",
        "remove and reinsert the SIM card",
    ],
)
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
@_switch("mobile_data", "Mobile data")
def toggle_data(ctx: ToolContext, phone_number: str) -> str:
    """Switch mobile data on or off.

    Args:
        phone_number: The phone's own number.
    """


@env.write(coverage=False, intents=["switch data roaming on my phone {phone_number}", "toggle data roaming"])
@_switch("roaming", "Data roaming")
def toggle_roaming(ctx: ToolContext, phone_number: str) -> str:
    """Switch data roaming on or off in the phone's settings.

    Args:
        phone_number: The phone's own number.
    """


@env.read(coverage=False, intents=["check data saver restrictions on my phone {phone_number}"])
@_shows("data_saver", "Data Saver mode is ON: background data is restricted.", "Data Saver mode is OFF.")
def check_data_restriction_status(ctx: ToolContext, phone_number: str) -> str:
    """See whether Data Saver mode restricts the phone's data.

    Args:
        phone_number: The phone's own number.
    """


@env.write(coverage=False, intents=["switch data saver mode on my phone {phone_number}", "toggle data saver"])
@_switch("data_saver", "Data Saver mode")
def toggle_data_saver_mode(ctx: ToolContext, phone_number: str) -> str:
    """Switch Data Saver mode on or off.

    Args:
        phone_number: The phone's own number.
    """


@env.read(coverage=False, intents=["check the Wi-Fi status on my phone {phone_number}"])
@_shows("wifi", "Wi-Fi is ON.", "Wi-Fi is OFF.")
def check_wifi_status(ctx: ToolContext, phone_number: str) -> str:
    """See whether Wi-Fi is on.

    Args:
        phone_number: The phone's own number.
    """


@env.write(coverage=False, intents=["switch Wi-Fi on my phone {phone_number}", "toggle Wi-Fi"])
@_switch("wifi", "Wi-Fi")
def toggle_wifi(ctx: ToolContext, phone_number: str) -> str:
    """Switch Wi-Fi on or off.

    Args:
        phone_number: The phone's own number.
    """


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


@env.write(
    coverage=False,
    intents=[
        "pay the payment request on my phone {phone_number}",
        "pay the bill on my phone",
        "pay the payment request",
    ],
)
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


# -- network mode, speed, Wi-Fi calling, VPN ------------------------------------------------------------------

SPEED_MBPS = {"4g_5g_preferred": 180.0, "4g_only": 45.0, "3g_only": 4.0, "2g_only": 0.1}


@env.read(coverage=False, intents=["check the preferred network mode on my phone {phone_number}"])
def check_network_mode_preference(ctx: ToolContext, phone_number: str) -> str:
    """See which cellular network type the phone prefers (5G, 4G, 3G or 2G).

    Args:
        phone_number: The phone's own number.
    """
    return f"Preferred network mode: {_device(ctx, phone_number)['network_mode']}."


@env.write(
    coverage=False,
    intents=[
        "set the preferred network mode to {mode} on my phone {phone_number}",
        "change the network mode to {mode}",
        "set the network mode to {mode}",
    ],
)
def set_network_mode_preference(ctx: ToolContext, phone_number: str, mode: NetworkMode) -> str:
    """Choose the cellular network type the phone prefers; faster networks (4G/5G) give faster data.

    Args:
        phone_number: The phone's own number.
        mode: One of 4g_5g_preferred, 4g_only, 3g_only, 2g_only.
    """
    device = _device(ctx, phone_number)
    ctx.rows(Device).update(device["device_id"], network_mode=mode)
    updated = ctx.rows(Device).require(device["device_id"], missing="device")
    return f"Preferred network mode set to {mode}. Status bar: {_status_bar(ctx, updated)}"


@env.read(coverage=False, intents=["run a speed test on my phone {phone_number}"])
def run_speed_test(ctx: ToolContext, phone_number: str) -> str:
    """Measure the phone's mobile data speed.

    Args:
        phone_number: The phone's own number.
    """
    device = _device(ctx, phone_number)
    working, why = _data_state(ctx, device)
    if not working:
        return f"Speed test failed: no data connection. {why}"
    speed = SPEED_MBPS[device["network_mode"]]
    if device["data_saver"]:
        speed = min(speed, 1.0)
    if device["vpn_connected"]:
        speed = speed / 10
    quality = "excellent" if speed >= 50 else "good" if speed >= 10 else "fair" if speed >= 2 else "very poor"
    return f"Download speed: {speed:.1f} Mbps ({quality})."


@env.read(coverage=False, intents=["check Wi-Fi calling on my phone {phone_number}"])
@_shows("wifi_calling", "Wi-Fi calling is ON.", "Wi-Fi calling is OFF.")
def check_wifi_calling_status(ctx: ToolContext, phone_number: str) -> str:
    """See whether Wi-Fi calling is on.

    Args:
        phone_number: The phone's own number.
    """


@env.write(coverage=False, intents=["switch Wi-Fi calling on my phone {phone_number}", "toggle Wi-Fi calling"])
@_switch("wifi_calling", "Wi-Fi calling")
def toggle_wifi_calling(ctx: ToolContext, phone_number: str) -> str:
    """Switch Wi-Fi calling on or off.

    Args:
        phone_number: The phone's own number.
    """


@env.read(coverage=False, intents=["check the VPN on my phone {phone_number}"])
@_shows("vpn_connected", "VPN: connected.", "VPN: not connected.")
def check_vpn_status(ctx: ToolContext, phone_number: str) -> str:
    """See whether a VPN is connected (a VPN can slow mobile data down).

    Args:
        phone_number: The phone's own number.
    """


def _set_vpn(ctx: ToolContext, phone_number: str, connected: int) -> str:
    device = _device(ctx, phone_number)
    if device["vpn_connected"] == connected:
        raise DomainError(f"The VPN is already {'connected' if connected else 'disconnected'}.")
    ctx.rows(Device).update(device["device_id"], vpn_connected=connected)
    return f"VPN {'connected' if connected else 'disconnected'}."


@env.write(coverage=False, intents=["connect the VPN on my phone {phone_number}", "turn on the VPN"])
def connect_vpn(ctx: ToolContext, phone_number: str) -> str:
    """Connect the phone's VPN.

    Args:
        phone_number: The phone's own number.
    """
    return _set_vpn(ctx, phone_number, 1)


@env.write(coverage=False, intents=["disconnect the VPN on my phone {phone_number}", "turn off the VPN"])
def disconnect_vpn(ctx: ToolContext, phone_number: str) -> str:
    """Disconnect the phone's VPN.

    Args:
        phone_number: The phone's own number.
    """
    return _set_vpn(ctx, phone_number, 0)


# -- APN, MMS and apps ------------------------------------------------------------------------------------------


class ApnSettings(TypedDict):
    apn_name: str
    mmsc_url: str | None


@env.read(coverage=False, intents=["check the APN settings on my phone {phone_number}"])
def check_apn_settings(ctx: ToolContext, phone_number: str) -> ApnSettings:
    """Read the phone's access point (APN) settings: the APN name and the MMS server (MMSC) address.

    Args:
        phone_number: The phone's own number.
    """
    device = _device(ctx, phone_number)
    return {"apn_name": device["apn_name"], "mmsc_url": device["mmsc_url"]}


@env.write(coverage=False, intents=["change the APN settings on my phone {phone_number}"])
def set_apn_settings(ctx: ToolContext, phone_number: str, apn_settings: ApnSettings) -> str:
    """Type in APN settings by hand.

    Args:
        phone_number: The phone's own number.
        apn_settings: The APN name and the MMSC address (null for none).
    """
    if not apn_settings["apn_name"].strip():
        raise DomainError("The APN name cannot be empty.")
    device = _device(ctx, phone_number)
    ctx.rows(Device).update(device["device_id"], apn_name=apn_settings["apn_name"].strip(),
                            mmsc_url=apn_settings["mmsc_url"])  # fmt: skip
    return "APN settings saved."


@env.write(coverage=False, intents=["reset the APN settings on my phone {phone_number}"])
def reset_apn_settings(ctx: ToolContext, phone_number: str) -> str:
    """Reset the APN settings to the carrier's defaults.

    Args:
        phone_number: The phone's own number.
    """
    device = _device(ctx, phone_number)
    ctx.rows(Device).update(device["device_id"], apn_name=CARRIER_APN[0], mmsc_url=CARRIER_APN[1])
    return f"APN settings reset to the carrier's defaults ({CARRIER_APN[0]})."


def _app(ctx: ToolContext, phone_number: str, app_name: str) -> dict[str, Any]:
    device = _device(ctx, phone_number)
    for app in ctx.rows(DeviceApp).find({"device_id": device["device_id"]}):
        if app["app_name"].lower() == app_name.strip().lower():
            return app
    raise DomainError(f"There is no app called {app_name!r} on this phone.")


def _granted(app: dict[str, Any]) -> list[str]:
    return [p for p in app["permissions"].split(",") if p]


@env.read(coverage=False, intents=["list the apps on my phone {phone_number}"])
def check_installed_apps(ctx: ToolContext, phone_number: str) -> list[str]:
    """The apps installed on the phone.

    Args:
        phone_number: The phone's own number.
    """
    device = _device(ctx, phone_number)
    return [
        app["app_name"] for app in ctx.rows(DeviceApp).find({"device_id": device["device_id"]}, order_by="app_name")
    ]


@env.read(coverage=False, intents=["check the {app_name} app"])
def check_app_status(ctx: ToolContext, phone_number: str, app_name: str) -> str:
    """See whether an app works, and which permission it lacks if it does not.

    Args:
        phone_number: The phone's own number.
        app_name: The app, e.g. "Messages".
    """
    app = _app(ctx, phone_number, app_name)
    missing = [p for p in APP_NEEDS.get(app["app_name"], ()) if p not in _granted(app)]
    if missing:
        return f"{app['app_name']} cannot work fully: it lacks the {', '.join(missing)} permission."
    return f"{app['app_name']} is working normally."


@env.read(coverage=False, intents=["check the permissions of the {app_name} app"])
def check_app_permissions(ctx: ToolContext, phone_number: str, app_name: str) -> list[str]:
    """The permissions an app has been granted.

    Args:
        phone_number: The phone's own number.
        app_name: The app, e.g. "Messages".
    """
    return _granted(_app(ctx, phone_number, app_name))


@env.write(
    coverage=False,
    intents=[
        "give the {app_name} app the {permission} permission",
        "grant {app_name} the {permission} permission",
    ],
)
def grant_app_permission(ctx: ToolContext, phone_number: str, app_name: str, permission: Permission) -> str:
    """Give an app a permission (sms, storage, camera, location, contacts, microphone).

    Args:
        phone_number: The phone's own number.
        app_name: The app, e.g. "Messages".
        permission: The permission, in lowercase.
    """
    app = _app(ctx, phone_number, app_name)
    if permission in _granted(app):
        raise DomainError(f"{app['app_name']} already has the {permission} permission.")
    ctx.rows(DeviceApp).update((app["device_id"], app["app_name"]), permissions=",".join([*_granted(app), permission]))
    return f"{app['app_name']} now has the {permission} permission."


@env.write(coverage=False, intents=["take the {permission} permission from the {app_name} app"])
def remove_app_permission(ctx: ToolContext, phone_number: str, app_name: str, permission: Permission) -> str:
    """Take a permission away from an app.

    Args:
        phone_number: The phone's own number.
        app_name: The app, e.g. "Messages".
        permission: The permission, in lowercase.
    """
    app = _app(ctx, phone_number, app_name)
    if permission not in _granted(app):
        raise DomainError(f"{app['app_name']} does not have the {permission} permission.")
    kept = [p for p in _granted(app) if p != permission]
    ctx.rows(DeviceApp).update((app["device_id"], app["app_name"]), permissions=",".join(kept))
    return f"Removed the {permission} permission from {app['app_name']}."


@env.read(coverage=False, intents=["check whether my phone {phone_number} can send picture messages"])
def can_send_mms(ctx: ToolContext, phone_number: str) -> str:
    """Check whether the Messages app can send picture messages (MMS).

    Args:
        phone_number: The phone's own number.
    """
    device = _device(ctx, phone_number)
    working, why = _data_state(ctx, device)
    messages = _app(ctx, phone_number, "Messages")
    if not working:
        reason = why
    elif device["network_mode"] == "2g_only":
        reason = "MMS needs 3G or better."
    elif device["mmsc_url"] is None:
        reason = "No MMS server (MMSC) is set in the APN settings."
    elif not {"sms", "storage"} <= set(_granted(messages)):
        reason = "The Messages app lacks the sms or storage permission."
    else:
        return "Your messaging app can send MMS messages."
    return f"Your messaging app cannot send MMS messages. {reason}"
