"""The tools an agent calls (the API reference a model sees), with their typed views and helpers."""

from __future__ import annotations

import datetime as dt

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    MAX_ROOMS,
    Booking,
    BookingStatus,
    Customer,
    Destination,
    Hotel,
    HotelSort,
    PaymentMethod,
    Review,
    RoomType,
)
from .seed import (
    BookingPage,
    BookingView,
    CancellationView,
    CustomerView,
    DestinationView,
    HotelDetails,
    HotelSearchPage,
    HotelSummary,
    ReviewView,
    RoomOffer,
    _adjust_inventory,
    _booking_view,
    _charge,
    _check_party,
    _free_until,
    _nights_of,
    _page,
    _quote,
    _require_booking,
    _stay,
)

# --------------------------------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------------------------------


@env.read(
    intents=["which destinations do you have in {city}?", "can I stay anywhere in {city}? show me the destination"]
)
def search_destinations(ctx: ToolContext, city: str, limit: int = 10, offset: int = 0) -> list[DestinationView]:
    """Search destinations (cities) by city, country or region name; returns their destination ids.

    Args:
        city: Part of a city, country or region name, such as 'Lisbon' or 'Japan'.
        limit: Maximum number of destinations to return (1-50).
        offset: Number of matches to skip, for paging.
    """
    limit, offset = _page(limit, offset)
    text = city.strip()
    if not text:
        raise DomainError("Please give a city, country or region to search for.")
    pattern = f"%{text}%"
    return ctx.query(  # type: ignore[return-value]
        "SELECT destination_id, city, country, region, hotel_count FROM destinations "
        "WHERE city LIKE ? OR country LIKE ? OR region LIKE ? ORDER BY city LIMIT ? OFFSET ?",
        [pattern, pattern, pattern, limit, offset],
    )


@env.read(
    intents=[
        "find hotels in {destination_id} from {check_in} to {check_out} for {guests} guests",
        "what hotels have rooms between {check_in} and {check_out}",
    ]
)
def get_hotels(
    ctx: ToolContext,
    destination_id: str,
    check_in: str,
    check_out: str,
    guests: int = 2,
    rooms: int = 1,
    min_star_rating: int = 0,
    sort_by: HotelSort = "price",
    limit: int = 10,
    offset: int = 0,
) -> HotelSearchPage:
    """List the hotels of a destination that have a room for the whole stay, with the cheapest stay price.

    Args:
        destination_id: The destination id from search_destinations, such as 'D001'.
        check_in: Arrival date, YYYY-MM-DD.
        check_out: Departure date, YYYY-MM-DD (after check_in).
        guests: Number of guests in total.
        rooms: Number of rooms wanted (1-5).
        min_star_rating: Only hotels with at least this many stars (0 for any).
        sort_by: 'price' (cheapest stay first), 'star_rating' or 'review_score' (highest first).
        limit: Maximum number of hotels to return (1-50).
        offset: Number of hotels to skip, for paging.
    """
    limit, offset = _page(limit, offset)
    ctx.rows(Destination).require(destination_id, missing=f"There is no destination {destination_id}.")
    nights = _stay(ctx, check_in, check_out)
    if not 1 <= rooms <= MAX_ROOMS or guests < 1:
        raise DomainError(f"Ask for 1-{MAX_ROOMS} rooms and at least one guest.")
    offers = ctx.query(
        "SELECT h.hotel_id, h.name, h.city, h.star_rating, h.review_score, h.free_cancellation_days, "
        "rt.room_type_id, SUM(n.nightly_rate) AS stay, COUNT(*) AS nights_free "
        "FROM hotels h JOIN room_types rt ON rt.hotel_id = h.hotel_id "
        "JOIN room_nights n ON n.room_type_id = rt.room_type_id "
        "WHERE h.destination_id = ? AND h.star_rating >= ? AND rt.max_occupancy * ? >= ? "
        "AND n.date >= ? AND n.date < ? AND n.rooms_available >= ? "
        "GROUP BY rt.room_type_id HAVING nights_free = ? ORDER BY stay, rt.room_type_id",
        [destination_id, min_star_rating, rooms, guests, nights[0], check_out, rooms, len(nights)],
    )
    best: dict[str, HotelSummary] = {}
    for offer in offers:
        if offer["hotel_id"] in best:
            continue
        best[offer["hotel_id"]] = {
            "hotel_id": offer["hotel_id"],
            "name": offer["name"],
            "city": offer["city"],
            "star_rating": offer["star_rating"],
            "review_score": offer["review_score"],
            "free_cancellation_days": offer["free_cancellation_days"],
            "cheapest_room_type_id": offer["room_type_id"],
            "cheapest_total_price": offer["stay"] * rooms,
            "nights": len(nights),
        }
    hotels = list(best.values())
    if sort_by == "star_rating":
        hotels.sort(key=lambda h: (-h["star_rating"], h["cheapest_total_price"]))
    elif sort_by == "review_score":
        hotels.sort(key=lambda h: (-h["review_score"], h["cheapest_total_price"]))
    return {
        "destination_id": destination_id,
        "check_in": check_in,
        "check_out": check_out,
        "total": len(hotels),
        "hotels": hotels[offset : offset + limit],
    }


@env.read(intents=["tell me about {hotel_id}", "what rooms does {hotel_id} have from {check_in} to {check_out}"])
def get_hotel_details(
    ctx: ToolContext, hotel_id: str, check_in: str = "", check_out: str = "", guests: int = 1, rooms: int = 1
) -> HotelDetails:
    """Get a hotel's details, cancellation policy and room types; with dates, also each room's price and availability.

    Args:
        hotel_id: The hotel id, such as 'H00103'.
        check_in: Optional arrival date, YYYY-MM-DD, to price the rooms.
        check_out: Optional departure date, YYYY-MM-DD (give both dates or neither).
        guests: Number of guests, to mark rooms that are too small as unavailable.
        rooms: Number of rooms wanted.
    """
    hotel = ctx.rows(Hotel).require(hotel_id, missing=f"There is no hotel {hotel_id}.")
    if bool(check_in) != bool(check_out):
        raise DomainError("Give both check_in and check_out, or neither.")
    nights = _stay(ctx, check_in, check_out) if check_in else []
    offers: list[RoomOffer] = []
    for room in ctx.rows(RoomType).find({"hotel_id": hotel_id}, order_by="room_type_id"):
        offer: RoomOffer = {
            "room_type_id": room["room_type_id"],
            "name": room["name"],
            "bed_type": room["bed_type"],
            "max_occupancy": room["max_occupancy"],
            "size_sqm": room["size_sqm"],
        }
        if nights:
            free, rates = _quote(ctx, room["room_type_id"], nights, rooms)
            offer["available"] = free and room["max_occupancy"] * rooms >= guests
            offer["nightly_rates"] = rates
            offer["total_price"] = sum(rates) * rooms
        offers.append(offer)
    days = hotel["free_cancellation_days"]
    return {
        "hotel_id": hotel["hotel_id"],
        "name": hotel["name"],
        "city": hotel["city"],
        "address": hotel["address"],
        "star_rating": hotel["star_rating"],
        "review_score": hotel["review_score"],
        "review_count": hotel["review_count"],
        "amenities": hotel["amenities"],
        "check_in_time": hotel["check_in_time"],
        "check_out_time": hotel["check_out_time"],
        "free_cancellation_days": days,
        "cancellation_policy": (
            f"Free cancellation until {days} day(s) before check-in; after that, one night per room is charged."
        ),
        "room_types": offers,
    }


@env.read(intents=["look up my account, my email is {email}", "which cards do I have on file? I'm {email}"])
def get_customer_details(ctx: ToolContext, email: str) -> CustomerView:
    """Find a customer by email: their customer id, contact details and saved payment methods.

    Args:
        email: The customer's email address.
    """
    customer = ctx.rows(Customer).first({"email": email.strip().lower()})
    if customer is None:
        raise DomainError(f"No customer is registered with the email {email}.")
    methods = ctx.rows(PaymentMethod).find({"customer_id": customer["customer_id"]}, order_by="payment_method_id")
    return {
        "customer_id": customer["customer_id"],
        "first_name": customer["first_name"],
        "last_name": customer["last_name"],
        "email": customer["email"],
        "phone": customer["phone"],
        "payment_methods": [
            {k: m[k] for k in ("payment_method_id", "kind", "brand", "last_four", "balance")}  # type: ignore[misc]
            for m in methods
        ],
    }


@env.write(
    intents=[
        "book {room_type_id} at {hotel_id} from {check_in} to {check_out} for {guests} guests",
        "reserve {rooms} room(s) of {room_type_id} checking in {check_in} and out {check_out}",
    ]
)
def book_hotel(
    ctx: ToolContext,
    customer_id: str,
    hotel_id: str,
    room_type_id: str,
    check_in: str,
    check_out: str,
    guests: int,
    payment_method_id: str,
    rooms: int = 1,
    special_requests: str = "",
) -> BookingView:
    """Book rooms of one room type for a stay and charge the whole stay to a saved payment method.

    Args:
        customer_id: The customer's id, such as 'C100037'.
        hotel_id: The hotel id.
        room_type_id: The room type to book, one of the hotel's room types.
        check_in: Arrival date, YYYY-MM-DD.
        check_out: Departure date, YYYY-MM-DD (after check_in, at most 30 nights).
        guests: Number of guests in total.
        payment_method_id: One of the customer's saved payment methods.
        rooms: Number of rooms (1-5).
        special_requests: Optional note for the hotel, such as 'late arrival'.
    """
    customer = ctx.rows(Customer).require(customer_id, missing=f"There is no customer {customer_id}.")
    hotel = ctx.rows(Hotel).require(hotel_id, missing=f"There is no hotel {hotel_id}.")
    room = ctx.rows(RoomType).require(room_type_id, missing=f"There is no room type {room_type_id}.")
    if room["hotel_id"] != hotel_id:
        raise DomainError(f"Room type {room_type_id} does not belong to the {hotel['name']}.")
    method = ctx.rows(PaymentMethod).get(payment_method_id)
    if method is None or method["customer_id"] != customer_id:
        raise DomainError(f"Payment method {payment_method_id} is not one of {customer['first_name']}'s saved methods.")
    if len(special_requests) > 300:
        raise DomainError("Special requests are limited to 300 characters.")
    nights = _stay(ctx, check_in, check_out)
    _check_party(room, guests, rooms)
    free, rates = _quote(ctx, room_type_id, nights, rooms)
    if not free:
        raise DomainError(f"The {room['name']} at the {hotel['name']} is not available for every night of that stay.")
    total = sum(rates) * rooms
    booking_id = f"BK{ctx.new_id(8, '0123456789')}"
    booking = ctx.rows(Booking).insert(
        booking_id=booking_id,
        customer_id=customer_id,
        hotel_id=hotel_id,
        room_type_id=room_type_id,
        check_in=check_in,
        check_out=check_out,
        rooms=rooms,
        guests=guests,
        total_price=total,
        payment_method_id=payment_method_id,
        status="confirmed",
        special_requests=special_requests.strip(),
        cancellation_fee=0,
        created_at=ctx.now.isoformat(timespec="seconds"),
    )
    _adjust_inventory(ctx, room_type_id, nights, -rooms)
    _charge(ctx, booking_id, payment_method_id, total)
    return _booking_view(ctx, booking)


@env.read(intents=["show me booking {booking_id}", "what are the details of my reservation {booking_id}"])
def get_booking_details(ctx: ToolContext, booking_id: str) -> BookingView:
    """Get a booking's hotel, room, dates, price, status and free-cancellation deadline.

    Args:
        booking_id: The booking code, such as 'BK12345678'.
    """
    return _booking_view(ctx, _require_booking(ctx, booking_id))


@env.read(intents=["list my hotel bookings, my customer id is {customer_id}", "show my {status} bookings"])
def list_my_bookings(
    ctx: ToolContext, customer_id: str, status: BookingStatus | None = None, limit: int = 10, offset: int = 0
) -> BookingPage:
    """List a customer's bookings, latest check-in first, optionally only those with one status.

    Args:
        customer_id: The customer's id.
        status: Optional filter: 'confirmed', 'cancelled' or 'completed'.
        limit: Maximum number of bookings to return (1-50).
        offset: Number of bookings to skip, for paging.
    """
    limit, offset = _page(limit, offset)
    ctx.rows(Customer).require(customer_id, missing=f"There is no customer {customer_id}.")
    where: dict[str, object] = {"customer_id": customer_id}
    if status is not None:
        where["status"] = status
    table = ctx.rows(Booking)
    rows = table.find(where, order_by=["-check_in", "booking_id"], limit=limit, offset=offset)
    return {"total": table.count(where), "bookings": [_booking_view(ctx, r) for r in rows]}


@env.write(intents=["cancel my booking {booking_id}", "I can't make it, please cancel reservation {booking_id}"])
def cancel_booking(ctx: ToolContext, booking_id: str) -> CancellationView:
    """Cancel a confirmed booking before check-in; refunds the stay minus the late-cancellation fee, if any.

    Args:
        booking_id: The booking code, such as 'BK12345678'.
    """
    booking = _require_booking(ctx, booking_id)
    if booking["status"] != "confirmed":
        raise DomainError(f"Booking {booking_id} is {booking['status']} and cannot be cancelled.")
    if dt.date.fromisoformat(str(booking["check_in"])) <= ctx.now.date():
        raise DomainError(f"The stay of booking {booking_id} has already begun; please contact the hotel.")
    hotel = ctx.rows(Hotel).require(booking["hotel_id"], missing="The booked hotel no longer exists.")
    nights = _nights_of(booking)
    total = int(booking["total_price"])  # type: ignore[call-overload]
    late = ctx.now >= _free_until(str(booking["check_in"]), hotel["free_cancellation_days"])
    fee = total // len(nights) if late else 0
    ctx.rows(Booking).update(booking_id, status="cancelled", cancellation_fee=fee, total_price=fee)
    _adjust_inventory(ctx, str(booking["room_type_id"]), nights, int(booking["rooms"]))  # type: ignore[call-overload]
    _charge(ctx, booking_id, str(booking["payment_method_id"]), -(total - fee))
    return {
        "booking_id": booking_id,
        "status": "cancelled",
        "cancellation_fee": fee,
        "refund_amount": total - fee,
        "payment_method_id": str(booking["payment_method_id"]),
    }


@env.write(
    intents=[
        "move my booking {booking_id} to {check_in} through {check_out}",
        "change booking {booking_id} to {guests} guests",
        "switch my booking {booking_id} to the {room_type_id}",
    ]
)
def modify_booking(
    ctx: ToolContext,
    booking_id: str,
    check_in: str | None = None,
    check_out: str | None = None,
    guests: int | None = None,
    room_type_id: str | None = None,
) -> BookingView:
    """Change a confirmed booking's dates, guest count or room type (same hotel) while cancellation is still free.

    The stay is repriced at current rates: a higher price is charged to the booking's payment method, a
    lower one refunded to it.

    Args:
        booking_id: The booking code.
        check_in: New arrival date, YYYY-MM-DD (omit to keep).
        check_out: New departure date, YYYY-MM-DD (omit to keep).
        guests: New number of guests (omit to keep).
        room_type_id: Another room type of the same hotel (omit to keep).
    """
    booking = _require_booking(ctx, booking_id)
    if booking["status"] != "confirmed":
        raise DomainError(f"Booking {booking_id} is {booking['status']} and cannot be changed.")
    hotel = ctx.rows(Hotel).require(booking["hotel_id"], missing="The booked hotel no longer exists.")
    deadline = _free_until(str(booking["check_in"]), hotel["free_cancellation_days"])
    if ctx.now >= deadline:
        raise DomainError(f"Booking {booking_id} can no longer be changed: free changes ended {deadline.isoformat()}.")
    new_in = check_in or str(booking["check_in"])
    new_out = check_out or str(booking["check_out"])
    new_guests = guests if guests is not None else int(booking["guests"])  # type: ignore[call-overload]
    new_room_id = room_type_id or str(booking["room_type_id"])
    rooms = int(booking["rooms"])  # type: ignore[call-overload]
    if (new_in, new_out, new_guests, new_room_id) == (
        booking["check_in"], booking["check_out"], booking["guests"], booking["room_type_id"],
    ):  # fmt: skip
        raise DomainError("Nothing to change: the booking already has these dates, guests and room.")
    room = ctx.rows(RoomType).require(new_room_id, missing=f"There is no room type {new_room_id}.")
    if room["hotel_id"] != booking["hotel_id"]:
        raise DomainError(f"Room type {new_room_id} belongs to another hotel; book that hotel separately.")
    new_nights = _stay(ctx, new_in, new_out)
    _check_party(room, new_guests, rooms)
    _adjust_inventory(ctx, str(booking["room_type_id"]), _nights_of(booking), rooms)
    free, rates = _quote(ctx, new_room_id, new_nights, rooms)
    if not free:
        raise DomainError(f"The {room['name']} is not available for every night from {new_in} to {new_out}.")
    _adjust_inventory(ctx, new_room_id, new_nights, -rooms)
    total = sum(rates) * rooms
    _charge(ctx, booking_id, str(booking["payment_method_id"]), total - int(booking["total_price"]))  # type: ignore[call-overload]
    ctx.rows(Booking).update(
        booking_id, check_in=new_in, check_out=new_out, guests=new_guests, room_type_id=new_room_id, total_price=total
    )
    return _booking_view(ctx, _require_booking(ctx, booking_id))


@env.write(
    intents=["rate my stay {booking_id} {rating} out of 10: {comment}", "review my stay from booking {booking_id}"]
)
def leave_review(ctx: ToolContext, booking_id: str, rating: int, comment: str) -> ReviewView:
    """Review a completed stay (once per booking); updates the hotel's review score.

    Args:
        booking_id: The booking code of the completed stay.
        rating: Score from 1 (terrible) to 10 (exceptional).
        comment: What the guest wants to say about the stay (up to 1000 characters).
    """
    booking = _require_booking(ctx, booking_id)
    if booking["status"] != "completed":
        raise DomainError(f"Only completed stays can be reviewed; booking {booking_id} is {booking['status']}.")
    if not 1 <= rating <= 10:
        raise DomainError("The rating must be between 1 and 10.")
    if not comment.strip() or len(comment) > 1000:
        raise DomainError("Please write a comment of 1 to 1000 characters.")
    if ctx.rows(Review).get(booking_id) is not None:
        raise DomainError(f"Booking {booking_id} has already been reviewed.")
    hotel = ctx.rows(Hotel).require(booking["hotel_id"], missing="The reviewed hotel no longer exists.")
    count = hotel["review_count"] + 1
    score = round((hotel["review_score"] * hotel["review_count"] + rating) / count, 1)
    ctx.rows(Review).insert(
        booking_id=booking_id,
        hotel_id=hotel["hotel_id"],
        customer_id=booking["customer_id"],
        rating=rating,
        comment=comment.strip(),
        created_at=ctx.now.isoformat(timespec="seconds"),
    )
    ctx.rows(Hotel).update(hotel["hotel_id"], review_score=score, review_count=count)
    return {
        "booking_id": booking_id,
        "hotel_id": hotel["hotel_id"],
        "rating": rating,
        "comment": comment.strip(),
        "hotel_review_score": score,
        "hotel_review_count": count,
    }
