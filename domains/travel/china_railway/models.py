"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin

NOW = dt.datetime(2025, 4, 10, 8, 30, 0)
SALE_DAYS = 15  # tickets are on sale for today and the next 14 days
SALES_CLOSE_MINUTES = 30
MAX_PASSENGERS_PER_ORDER = 5
MAX_SAVED_PASSENGERS = 15
MAX_PAGE = 50

SeatType = Literal["business", "first_class", "second_class", "soft_sleeper", "hard_sleeper", "hard_seat", "no_seat"]
PassengerType = Literal["adult", "child", "student"]
SEAT_NAMES = {
    "business": "商务座",
    "first_class": "一等座",
    "second_class": "二等座",
    "soft_sleeper": "软卧",
    "hard_sleeper": "硬卧",
    "hard_seat": "硬座",
    "no_seat": "无座",
}
# fen per km by train type and seat class, and seats per train
FARES: dict[str, dict[str, tuple[float, int]]] = {
    "G": {"business": (146.0, 24), "first_class": (74.0, 112), "second_class": (46.0, 900)},
    "D": {"first_class": (37.0, 96), "second_class": (31.0, 700)},
    "K": {"soft_sleeper": (16.5, 64), "hard_sleeper": (10.5, 480), "hard_seat": (5.8, 600), "no_seat": (5.8, 120)},
}
SPEED_KMH = {"G": 260, "D": 190, "K": 75}
DWELL_MINUTES = {"G": 2, "D": 3, "K": 6}
STUDENT_SEATS = ("second_class", "hard_seat", "hard_sleeper", "no_seat")


# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class Station(Base):
    __tablename__ = "stations"
    __label__ = "{station_name} station"
    station_code: Mapped[str] = mapped_column(String(3), primary_key=True, info={"user_known": True})
    station_name: Mapped[str] = mapped_column(String(20), unique=True)
    station_pinyin: Mapped[str] = mapped_column(String(40))
    city: Mapped[str] = mapped_column(String(20), index=True)


class Train(Base):
    __tablename__ = "trains"
    # Travellers quote train numbers ("G5") the way they quote flight numbers.
    train_code: Mapped[str] = mapped_column(String(6), primary_key=True, info={"user_known": True})
    train_type: Mapped[str] = mapped_column(String(1))  # G | D | K
    start_station_code: Mapped[str] = mapped_column(ForeignKey("stations.station_code"))
    end_station_code: Mapped[str] = mapped_column(ForeignKey("stations.station_code"))
    start_time: Mapped[str] = mapped_column(String(5))


class TrainStop(Base):
    __tablename__ = "train_stops"
    train_code: Mapped[str] = mapped_column(ForeignKey("trains.train_code"), primary_key=True)
    stop_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_code: Mapped[str] = mapped_column(ForeignKey("stations.station_code"), index=True)
    arrive_minutes: Mapped[int] = mapped_column(Integer)  # minutes after the train leaves its first station
    depart_minutes: Mapped[int] = mapped_column(Integer)
    distance_km: Mapped[int] = mapped_column(Integer)


class SeatInventory(Base):
    """Unsold seats of one class on one day's run of a train (the day it leaves its first station)."""

    __tablename__ = "seat_inventory"
    train_code: Mapped[str] = mapped_column(ForeignKey("trains.train_code"), primary_key=True)
    service_date: Mapped[str] = mapped_column(String(10), primary_key=True)
    seat_type: Mapped[str] = mapped_column(String(12), primary_key=True)
    capacity: Mapped[int] = mapped_column(Integer)
    remaining: Mapped[int] = mapped_column(Integer)


class Account(Base):
    __tablename__ = "accounts"
    user_id: Mapped[str] = mapped_column(String(30), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(11))


class Passenger(Base):
    __tablename__ = "passengers"
    __label__ = "{passenger_name} ({passenger_type})"
    passenger_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("accounts.user_id"), index=True)
    passenger_name: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(String(18), info={"user_known": True})
    passenger_type: Mapped[str] = mapped_column(String(8))
    phone: Mapped[str] = mapped_column(String(11))
    is_account_holder: Mapped[bool] = mapped_column(Boolean)


class TicketOrder(Base):
    __tablename__ = "ticket_orders"
    order_id: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True, "user_known": True})
    user_id: Mapped[str] = mapped_column(ForeignKey("accounts.user_id"), index=True)
    created_at: Mapped[str] = mapped_column(String(19), info={"generated": True})
    total_paid: Mapped[int] = mapped_column(Integer)  # fen, net of change differences
    total_refunded: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"
    # "王芳's second class ticket on G5 on 2025-04-20": seat classes as a traveller says them.
    __label__ = staticmethod(
        lambda row: (
            f"{row['passenger_name']}'s {str(row['seat_type']).replace('_', ' ')} ticket on "
            f"{row['train_code']} on {row['date']}"
        )
    )
    ticket_id: Mapped[str] = mapped_column(String(12), primary_key=True, info={"generated": True})
    order_id: Mapped[str] = mapped_column(ForeignKey("ticket_orders.order_id"), index=True)
    passenger_id: Mapped[str] = mapped_column(ForeignKey("passengers.passenger_id"), index=True)
    passenger_name: Mapped[str] = mapped_column(String(20))
    ticket_type: Mapped[str] = mapped_column(String(8))
    train_code: Mapped[str] = mapped_column(ForeignKey("trains.train_code"))
    date: Mapped[str] = mapped_column(String(10))  # boarding date
    service_date: Mapped[str] = mapped_column(String(10))
    from_station_code: Mapped[str] = mapped_column(ForeignKey("stations.station_code"))
    to_station_code: Mapped[str] = mapped_column(ForeignKey("stations.station_code"))
    depart_time: Mapped[str] = mapped_column(String(16))  # 'YYYY-MM-DD HH:MM'
    arrive_time: Mapped[str] = mapped_column(String(16))
    seat_type: Mapped[str] = mapped_column(String(12))
    coach: Mapped[int] = mapped_column(Integer, info={"generated": True})
    seat_number: Mapped[str] = mapped_column(String(6), info={"generated": True})
    price: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # paid | refunded | changed | used
    refund_fee: Mapped[int] = mapped_column(Integer)
    changed_from: Mapped[str | None] = mapped_column(String(12))
