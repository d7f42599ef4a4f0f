"""The agent's tools: the carrier's support console (customers, lines, plans, bills, data and roaming)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import MAX_BILLS_LISTED, MAX_REFUEL_GB, SUSPENSION_FEE, UNPAID_BILL_STATUSES, Bill, Customer, Line, Plan


class CustomerView(TypedDict):
    customer_id: str
    full_name: str
    date_of_birth: str
    email: str
    phone_number: str
    address: str
    account_status: str
    line_ids: list[str]
    bill_ids: list[str]


class LineView(TypedDict):
    line_id: str
    customer_id: str
    phone_number: str
    status: str
    plan_id: str
    device_id: str
    data_used_gb: float
    data_refueling_gb: float
    roaming_enabled: bool
    contract_end_date: str
    suspension_start_date: str | None


class BillView(TypedDict):
    bill_id: str
    customer_id: str
    period_start: str
    period_end: str
    issue_date: str
    total_due: float
    due_date: str
    status: str


class DataUsage(TypedDict):
    line_id: str
    data_used_gb: float
    data_limit_gb: float
    data_refueling_gb: float
    cycle_end_date: str


class LineChange(TypedDict):
    message: str
    line: LineView


class RefuelResult(TypedDict):
    message: str
    charge_amount: float
    line: LineView


def _customer_view(ctx: ToolContext, customer: dict[str, Any]) -> CustomerView:
    lines = ctx.rows(Line).find({"customer_id": customer["customer_id"]}, order_by="line_id")
    bills = ctx.rows(Bill).find({"customer_id": customer["customer_id"]}, order_by="bill_id")
    return {
        "customer_id": customer["customer_id"],
        "full_name": customer["full_name"],
        "date_of_birth": customer["date_of_birth"],
        "email": customer["email"],
        "phone_number": customer["phone_number"],
        "address": customer["address"],
        "account_status": customer["account_status"],
        "line_ids": [line["line_id"] for line in lines],
        "bill_ids": [bill["bill_id"] for bill in bills],
    }


def _line_view(line: dict[str, Any]) -> LineView:
    return {
        "line_id": line["line_id"],
        "customer_id": line["customer_id"],
        "phone_number": line["phone_number"],
        "status": line["status"],
        "plan_id": line["plan_id"],
        "device_id": line["device_id"],
        "data_used_gb": line["data_used_gb"],
        "data_refueling_gb": line["data_refueling_gb"],
        "roaming_enabled": bool(line["roaming_enabled"]),
        "contract_end_date": line["contract_end_date"],
        "suspension_start_date": line["suspension_start_date"],
    }


def _bill_view(bill: dict[str, Any]) -> BillView:
    return {key: bill[key] for key in BillView.__annotations__}  # type: ignore[return-value]


def _customer(ctx: ToolContext, customer_id: str) -> dict[str, Any]:
    return ctx.rows(Customer).require(customer_id.strip().upper(), missing=f"Customer with ID {customer_id} not found.")


def _owned_line(ctx: ToolContext, customer_id: str, line_id: str) -> dict[str, Any]:
    customer = _customer(ctx, customer_id)
    line = ctx.rows(Line).get(line_id.strip().upper())
    if line is None or line["customer_id"] != customer["customer_id"]:
        raise DomainError(f"Line {line_id} not found for customer {customer['customer_id']}.")
    return line


def _active_line(ctx: ToolContext, customer_id: str, line_id: str, action: str) -> dict[str, Any]:
    line = _owned_line(ctx, customer_id, line_id)
    if line["status"] != "Active":
        raise DomainError(f"Line {line['line_id']} is {line['status']}; only an Active line can {action}.")
    return line


def _updated(ctx: ToolContext, line_id: str, message: str, **values: Any) -> LineChange:
    ctx.rows(Line).update(line_id, **values)
    return {"message": message, "line": _line_view(ctx.rows(Line).require(line_id, missing=line_id))}


def _cycle_end(today: dt.date) -> dt.date:
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


# -- customers ---------------------------------------------------------------------------------------------


@env.read(intents=["find the customer with phone number {phone_number}"])
def get_customer_by_phone(ctx: ToolContext, phone_number: str) -> CustomerView:
    """Find a customer by their contact phone number or the number of any of their lines.

    Args:
        phone_number: The phone number, e.g. "(212) 555-0134".
    """
    digits = "".join(ch for ch in phone_number if ch.isdigit())[-10:]
    if len(digits) != 10:
        raise DomainError(f"{phone_number!r} is not a 10-digit phone number.")
    wanted = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    customer = ctx.rows(Customer).first({"phone_number": wanted})
    if customer is None:
        line = ctx.rows(Line).first({"phone_number": wanted})
        customer = ctx.rows(Customer).get(line["customer_id"]) if line else None
    if customer is None:
        raise DomainError(f"Customer with phone number {phone_number} not found.")
    return _customer_view(ctx, customer)


@env.read(intents=["look up customer {customer_id}"])
def get_customer_by_id(ctx: ToolContext, customer_id: str) -> CustomerView:
    """Get a customer by their customer id.

    Args:
        customer_id: The customer id, e.g. "C1001".
    """
    return _customer_view(ctx, _customer(ctx, customer_id))


@env.read(intents=["find the customer named {full_name} born {dob}"])
def get_customer_by_name(ctx: ToolContext, full_name: str, dob: str) -> list[CustomerView]:
    """Find customers by full name and date of birth (both must match; the name ignores case).

    Args:
        full_name: The customer's full name, e.g. "Maria Lopez".
        dob: Date of birth as YYYY-MM-DD.
    """
    try:
        birth = dt.date.fromisoformat(dob.strip()).isoformat()
    except ValueError:
        raise DomainError(f"Date of birth {dob!r} must be a date as YYYY-MM-DD.") from None
    rows = ctx.query(
        "SELECT * FROM customers WHERE lower(full_name) = lower(?) AND date_of_birth = ? ORDER BY customer_id",
        [" ".join(full_name.split()), birth],
    )
    return [_customer_view(ctx, row) for row in rows]


# -- plans, lines and data -----------------------------------------------------------------------------------


@env.read(intents=["list the plans on offer"])
def get_available_plan_ids(ctx: ToolContext) -> list[str]:
    """The ids of every plan the carrier offers (read one with get_details_by_id)."""
    return [plan["plan_id"] for plan in ctx.rows(Plan).find(order_by="plan_id")]


@env.read(intents=["show the details of {id}"])
def get_details_by_id(ctx: ToolContext, id: str) -> dict[str, Any]:
    """Read any record by its id: a customer (C...), line (L...), plan (P...) or bill (B...).

    Args:
        id: The record's id, e.g. "L1004".
    """
    key = id.strip().upper()
    kinds: dict[str, Any] = {"C": Customer, "L": Line, "P": Plan, "B": Bill}
    model = kinds.get(key[:1])
    if model is None:
        raise DomainError(f"Unknown id format {id!r}: ids start with C, L, P or B.")
    row = ctx.rows(model).require(key, missing=f"No record with id {id}.")
    if model is Customer:
        return dict(_customer_view(ctx, row))
    if model is Line:
        return dict(_line_view(row))
    return dict(row)


@env.read(intents=["how much data line {line_id} has used"])
def get_data_usage(ctx: ToolContext, customer_id: str, line_id: str) -> DataUsage:
    """A line's data use in the current billing cycle, its plan's allowance and the refuelled data.

    Args:
        customer_id: The customer who owns the line.
        line_id: The line, e.g. "L1004".
    """
    line = _owned_line(ctx, customer_id, line_id)
    plan = ctx.rows(Plan).require(line["plan_id"], missing="Plan not found for this line.")
    return {
        "line_id": line["line_id"],
        "data_used_gb": line["data_used_gb"],
        "data_limit_gb": plan["data_limit_gb"],
        "data_refueling_gb": line["data_refueling_gb"],
        "cycle_end_date": _cycle_end(ctx.now.date()).isoformat(),
    }


@env.write(intents=["suspend the line {line_id}"])
def suspend_line(ctx: ToolContext, customer_id: str, line_id: str, reason: str) -> LineChange:
    """Suspend an Active line (for up to six months; a $5/month holding fee applies).

    Args:
        customer_id: The customer who owns the line.
        line_id: The line to suspend.
        reason: Why the customer suspends it, e.g. "travelling abroad".
    """
    if not reason.strip():
        raise DomainError("Give the reason for the suspension.")
    line = _active_line(ctx, customer_id, line_id, "be suspended")
    return _updated(
        ctx,
        line["line_id"],
        f"Line suspended successfully. ${SUSPENSION_FEE:.0f}/month holding fee will apply.",
        status="Suspended",
        suspension_start_date=ctx.now.date().isoformat(),
    )


@env.write(intents=["resume the line {line_id}"])
def resume_line(ctx: ToolContext, customer_id: str, line_id: str) -> LineChange:
    """Resume a Suspended (or Pending Activation) line; refused while the customer has an Overdue bill.

    Args:
        customer_id: The customer who owns the line.
        line_id: The line to resume.
    """
    line = _owned_line(ctx, customer_id, line_id)
    if line["status"] not in ("Suspended", "Pending Activation"):
        raise DomainError(f"Line {line['line_id']} is {line['status']}; only a suspended line can be resumed.")
    overdue = ctx.rows(Bill).find({"customer_id": line["customer_id"], "status": "Overdue"})
    if overdue:
        raise DomainError(f"Bill {overdue[0]['bill_id']} is overdue; the line can be resumed once it is paid.")
    return _updated(ctx, line["line_id"], "Line resumed successfully.", status="Active", suspension_start_date=None)


@env.write(intents=["turn on roaming for line {line_id}"])
def enable_roaming(ctx: ToolContext, customer_id: str, line_id: str) -> LineChange:
    """Enable international roaming on an Active line.

    Args:
        customer_id: The customer who owns the line.
        line_id: The line.
    """
    line = _active_line(ctx, customer_id, line_id, "have roaming changed")
    if line["roaming_enabled"]:
        raise DomainError(f"Roaming is already enabled on line {line['line_id']}.")
    return _updated(ctx, line["line_id"], "Roaming enabled successfully.", roaming_enabled=1)


@env.write(intents=["turn off roaming for line {line_id}"])
def disable_roaming(ctx: ToolContext, customer_id: str, line_id: str) -> LineChange:
    """Disable international roaming on an Active line.

    Args:
        customer_id: The customer who owns the line.
        line_id: The line.
    """
    line = _active_line(ctx, customer_id, line_id, "have roaming changed")
    if not line["roaming_enabled"]:
        raise DomainError(f"Roaming is already disabled on line {line['line_id']}.")
    return _updated(ctx, line["line_id"], "Roaming disabled successfully.", roaming_enabled=0)


@env.write(intents=["add {gb_amount} GB of data to line {line_id}"])
def refuel_data(ctx: ToolContext, customer_id: str, line_id: str, gb_amount: float) -> RefuelResult:
    """Add data to an Active line for this cycle, charged at the plan's refuelling price on the Draft bill.

    Args:
        customer_id: The customer who owns the line.
        line_id: The line.
        gb_amount: Gigabytes to add, more than 0 and at most 2.
    """
    if not 0 < gb_amount <= MAX_REFUEL_GB:
        raise DomainError(f"A refuel adds more than 0 and at most {MAX_REFUEL_GB:g} GB at a time.")
    line = _active_line(ctx, customer_id, line_id, "be refuelled")
    plan = ctx.rows(Plan).require(line["plan_id"], missing="Plan not found for this line.")
    charge = round(gb_amount * plan["data_refueling_price_per_gb"], 2)
    draft = ctx.rows(Bill).first({"customer_id": line["customer_id"], "status": "Draft"})
    if draft is None:
        raise DomainError("The customer has no open bill to charge the refuel to.")
    ctx.rows(Bill).update(draft["bill_id"], total_due=round(draft["total_due"] + charge, 2))
    change = _updated(
        ctx, line["line_id"], f"Added {gb_amount:g} GB of data.",
        data_refueling_gb=round(line["data_refueling_gb"] + gb_amount, 2),
    )  # fmt: skip
    return {"message": change["message"], "charge_amount": charge, "line": change["line"]}


# -- bills ---------------------------------------------------------------------------------------------------


@env.read(intents=["list the bills of customer {customer_id}"])
def get_bills_for_customer(ctx: ToolContext, customer_id: str, limit: int = MAX_BILLS_LISTED) -> list[BillView]:
    """A customer's bills, the most recently issued first.

    Args:
        customer_id: The customer.
        limit: How many bills to list (1-12).
    """
    if not 1 <= limit <= MAX_BILLS_LISTED:
        raise DomainError(f"limit must be between 1 and {MAX_BILLS_LISTED}.")
    customer = _customer(ctx, customer_id)
    bills = ctx.rows(Bill).find({"customer_id": customer["customer_id"]}, order_by="-issue_date")
    return [_bill_view(bill) for bill in bills[:limit]]


@env.write(intents=["send a payment request for bill {bill_id}"])
def send_payment_request(ctx: ToolContext, customer_id: str, bill_id: str) -> str:
    """Send the customer a request to pay an Issued or Overdue bill; they pay it on their phone.

    Args:
        customer_id: The customer who owns the bill.
        bill_id: The bill to be paid.
    """
    customer = _customer(ctx, customer_id)
    bill = ctx.rows(Bill).get(bill_id.strip().upper())
    if bill is None or bill["customer_id"] != customer["customer_id"]:
        raise DomainError(f"Bill {bill_id} not found for customer {customer['customer_id']}.")
    if ctx.rows(Bill).find({"customer_id": customer["customer_id"], "status": "Awaiting Payment"}):
        raise DomainError("A bill is already awaiting payment for this customer.")
    if bill["status"] not in UNPAID_BILL_STATUSES:
        raise DomainError(f"Bill {bill['bill_id']} is {bill['status']}; only an Issued or Overdue bill can be paid.")
    ctx.rows(Bill).update(bill["bill_id"], status="Awaiting Payment")
    return f"Payment request sent to the customer for bill {bill['bill_id']} (${bill['total_due']:.2f})."


@env.read(terminal=True, coverage=False, intents=["transfer me to a human agent"])
def transfer_to_human_agents(ctx: ToolContext, summary: str) -> str:
    """Hand the conversation to a human agent, with a summary of the customer's issue; ends the chat.

    Args:
        summary: The customer's issue in a sentence or two.
    """
    if not summary.strip():
        raise DomainError("Give a summary of the customer's issue for the human agent.")
    return "Transfer successful."
