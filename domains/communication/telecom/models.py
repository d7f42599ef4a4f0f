"""State: the carrier's customers, lines, plans and bills, and each subscriber's phone (the device side)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 2, 25, 15, 0, 0)
LINE_STATUSES = ("Active", "Suspended", "Pending Activation", "Closed")
BILL_STATUSES = ("Draft", "Issued", "Paid", "Overdue", "Awaiting Payment", "Disputed")
UNPAID_BILL_STATUSES = ("Issued", "Overdue")
MAX_REFUEL_GB = 2.0
MAX_BILLS_LISTED = 12
SUSPENSION_FEE = 5.0
SIM_STATUSES = ("active", "missing", "locked_pin")
NETWORK_MODES = ("4g_5g_preferred", "4g_only", "3g_only", "2g_only")
CARRIER_APN = ("internet.carrier.net", "http://mms.carrier.net/mms")  # the carrier's default APN and MMSC
PERMISSIONS = ("sms", "storage", "camera", "location", "contacts", "microphone")
# Apps on every phone and the permissions each needs to work.
APP_NEEDS = {"Messages": ("sms", "storage"), "Camera": ("camera", "storage"), "Maps": ("location",),
             "Browser": ()}  # fmt: skip


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The carrier's current time: one row, part of the seeded state."""


class Plan(Base):
    __tablename__ = "plans"
    __label__ = "the {name} plan"
    plan_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    data_limit_gb: Mapped[float] = mapped_column(Float)
    price_per_month: Mapped[float] = mapped_column(Float)
    data_refueling_price_per_gb: Mapped[float] = mapped_column(Float)


class Customer(Base):
    __tablename__ = "customers"
    __label__ = "{full_name}"
    # Printed on every bill, so customers can quote it.
    customer_id: Mapped[str] = mapped_column(String(8), primary_key=True, info={"user_known": True})
    full_name: Mapped[str] = mapped_column(String(60), info={"user_known": True})
    date_of_birth: Mapped[str] = mapped_column(String(10), info={"user_known": True})
    email: Mapped[str] = mapped_column(String(80), info={"user_known": True})
    phone_number: Mapped[str] = mapped_column(String(14), info={"user_known": True})
    address: Mapped[str] = mapped_column(String(120))
    account_status: Mapped[str] = mapped_column(String(20))  # Active | Suspended | Closed


class Line(Base):
    __tablename__ = "lines"
    __label__ = "the line {phone_number}"
    line_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    phone_number: Mapped[str] = mapped_column(String(14), unique=True, info={"user_known": True})
    status: Mapped[str] = mapped_column(String(20))
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.plan_id"))
    device_id: Mapped[str] = mapped_column(String(8))
    data_used_gb: Mapped[float] = mapped_column(Float)
    data_refueling_gb: Mapped[float] = mapped_column(Float)
    roaming_enabled: Mapped[int] = mapped_column(Integer)
    contract_end_date: Mapped[str] = mapped_column(String(10))
    suspension_start_date: Mapped[str | None] = mapped_column(String(10), nullable=True)


class Bill(Base):
    __tablename__ = "bills"
    __label__ = "the bill due {due_date}"
    bill_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    period_start: Mapped[str] = mapped_column(String(10))
    period_end: Mapped[str] = mapped_column(String(10))
    issue_date: Mapped[str] = mapped_column(String(10))
    total_due: Mapped[float] = mapped_column(Float)
    due_date: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))


class Device(Base):
    """The subscriber's phone, as the person holding it sees and controls it (the user side of dual control)."""

    __tablename__ = "devices"
    __label__ = "the phone {phone_number}"
    device_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    phone_number: Mapped[str] = mapped_column(String(14), unique=True, info={"user_known": True})
    model: Mapped[str] = mapped_column(String(40))
    airplane_mode: Mapped[int] = mapped_column(Integer)
    sim_status: Mapped[str] = mapped_column(String(12))
    mobile_data: Mapped[int] = mapped_column(Integer)
    roaming: Mapped[int] = mapped_column(Integer)
    data_saver: Mapped[int] = mapped_column(Integer)
    wifi: Mapped[int] = mapped_column(Integer)
    network_mode: Mapped[str] = mapped_column(String(20))
    wifi_calling: Mapped[int] = mapped_column(Integer)
    vpn_connected: Mapped[int] = mapped_column(Integer)
    apn_name: Mapped[str] = mapped_column(String(30))
    mmsc_url: Mapped[str | None] = mapped_column(String(60), nullable=True)  # None: MMS cannot be sent
    abroad: Mapped[int] = mapped_column(Integer)  # where the person is now, not a setting


class DeviceApp(Base):
    """An app installed on a phone and the permissions the person granted it."""

    __tablename__ = "device_apps"
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.device_id"), primary_key=True)
    app_name: Mapped[str] = mapped_column(String(30), primary_key=True)
    permissions: Mapped[str] = mapped_column(String(80))  # granted, comma-separated, e.g. "sms,storage"
