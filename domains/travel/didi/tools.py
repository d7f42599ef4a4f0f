"""The tools an agent calls (the API reference a model sees), with their typed views and helpers."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    ACTIVE_STATUSES,
    DISPATCH_RADIUS_M,
    PRODUCTS,
    Driver,
    OrderStatus,
    Place,
    PlaceLabel,
    ProductType,
    Rider,
    TaxiOrder,
    TravelMode,
)
from .seed import (
    CancelView,
    DirectionView,
    DriverLocationView,
    LocationView,
    OrderPage,
    OrderView,
    PlacePage,
    PriceEstimate,
    RegeocodeView,
    RideLink,
    SavedPlaceView,
    _nearest_place,
    _order_view,
    _page,
    _parse_location,
    _require_order,
    _rider,
    _trip_points,
    cancellation_fee,
    estimate_price,
    haversine_m,
    route_metrics,
)

# --------------------------------------------------------------------------------------------------
# Tools: location and maps
# --------------------------------------------------------------------------------------------------


@env.read(intents=["where am I right now? my rider id is {rider_id}"])
def get_current_location(ctx: ToolContext, rider_id: str) -> LocationView:
    """Get the rider's current position (from the phone) with its address and the nearest known place.

    Args:
        rider_id: The rider's account id, such as 'R10001'.
    """
    rider = _rider(ctx, rider_id)
    lng, lat = float(rider["current_lng"]), float(rider["current_lat"])  # type: ignore[arg-type]
    place, _distance = _nearest_place(ctx, lng, lat)
    return {
        "rider_id": rider_id,
        "lng": lng,
        "lat": lat,
        "formatted_address": f"Near {place['name']}, {place['address']}",
        "nearest_place_id": str(place["place_id"]),
        "nearest_place_name": str(place["name"]),
    }


@env.read(intents=["how far is it from {origin} to {destination}", "how long would it take to get to {destination}"])
def maps_direction(ctx: ToolContext, origin: str, destination: str, mode: TravelMode = "driving") -> DirectionView:
    """Plan a driving or walking route between two points: distance and travel time.

    Args:
        origin: Start point as 'longitude,latitude', such as '116.4540,39.9335'.
        destination: End point as 'longitude,latitude'.
        mode: 'driving' or 'walking'.
    """
    lng1, lat1 = _parse_location(origin, "origin")
    lng2, lat2 = _parse_location(destination, "destination")
    distance, duration = route_metrics(lng1, lat1, lng2, lat2, mode)
    return {"mode": mode, "distance_m": distance, "duration_s": duration, "origin": origin, "destination": destination}


@env.read(
    intents=[
        "find {keywords} near {location}",
        "which {category} places are near {location}?",
        "what is around {location}?",
    ]
)
def maps_place_around(
    ctx: ToolContext,
    location: str,
    keywords: str = "",
    radius: int = 1000,
    category: str = "",
    limit: int = 10,
    offset: int = 0,
) -> PlacePage:
    """Search places around a point by name keywords and/or category, nearest first.

    Args:
        location: Centre as 'longitude,latitude'.
        keywords: Words in the place's name, such as 'Starbucks' or 'Railway Station'; empty for any.
        radius: Search radius in metres (50-50000).
        category: Optional category: cafe, restaurant, hotel, mall, shop, supermarket, convenience, office,
            residential, transport, attraction, hospital, university, school, gym or bank.
        limit: Maximum number of places to return (1-50).
        offset: Number of places to skip, for paging.
    """
    _page(limit, offset)
    if not 50 <= radius <= 50_000:
        raise DomainError("radius must be between 50 and 50000 metres.")
    lng, lat = _parse_location(location, "location")
    sql = "SELECT * FROM places WHERE lat BETWEEN ? AND ? AND lng BETWEEN ? AND ?"
    degrees_lat = radius / 111_000
    degrees_lng = radius / (111_000 * math.cos(math.radians(lat)))
    params: list[object] = [lat - degrees_lat, lat + degrees_lat, lng - degrees_lng, lng + degrees_lng]
    for word in keywords.split():
        sql += " AND name LIKE ?"
        params.append(f"%{word}%")
    if category:
        sql += " AND category = ?"
        params.append(category.strip().lower())
    found = []
    for place in ctx.query(sql, params):
        distance = round(haversine_m(lng, lat, place["lng"], place["lat"]))
        if distance <= radius:
            found.append({**place, "distance_m": distance})
    found.sort(key=lambda p: (p["distance_m"], p["place_id"]))
    return {"total": len(found), "places": found[offset : offset + limit]}  # type: ignore[typeddict-item]


@env.read(intents=["what is the address at {location}"])
def maps_regeocode(ctx: ToolContext, location: str) -> RegeocodeView:
    """Reverse geocode a point: its address, district and the nearest known place.

    Args:
        location: The point as 'longitude,latitude'.
    """
    lng, lat = _parse_location(location, "location")
    place, distance = _nearest_place(ctx, lng, lat)
    return {
        "lng": lng,
        "lat": lat,
        "formatted_address": f"{'At' if distance < 50 else 'Near'} {place['name']}, {place['address']}",
        "district": str(place["district"]),
        "nearest_place_id": str(place["place_id"]),
        "nearest_place_name": str(place["name"]),
        "distance_m": distance,
    }


# --------------------------------------------------------------------------------------------------
# Tools: rides
# --------------------------------------------------------------------------------------------------


@env.read(intents=["how much would a ride from {from_lng},{from_lat} to {to_lng},{to_lat} cost"])
def taxi_estimate(
    ctx: ToolContext, from_lng: float, from_lat: float, to_lng: float, to_lat: float
) -> list[PriceEstimate]:
    """Estimate the fare of a ride for every product (Express, Premier, Luxe, XL, Taxi), cheapest first.

    Args:
        from_lng: Pickup longitude.
        from_lat: Pickup latitude.
        to_lng: Destination longitude.
        to_lat: Destination latitude.
    """
    distance, duration = _trip_points(from_lng, from_lat, to_lng, to_lat)
    estimates: list[PriceEstimate] = [
        {
            "product_type": product,
            "product_name": spec[0],
            "seats": spec[6],
            "estimated_price": estimate_price(product, distance, duration),
            "distance_m": distance,
            "duration_s": duration,
        }
        for product, spec in PRODUCTS.items()
    ]
    estimates.sort(key=lambda e: (e["estimated_price"], e["product_type"]))
    return estimates


@env.write(
    intents=[
        "get me a {product_type} from {from_name} to {to_name}",
        "call a car to take me to {to_name}",
    ]
)
def taxi_create_order(
    ctx: ToolContext,
    rider_id: str,
    product_type: ProductType,
    from_lng: float,
    from_lat: float,
    from_name: str,
    to_lng: float,
    to_lat: float,
    to_name: str,
) -> OrderView:
    """Request a ride; the nearest free driver of that product within 5 km is dispatched at once if there is one.

    Args:
        rider_id: The rider's account id.
        product_type: 'express', 'premier', 'luxe', 'xl' (6 seats) or 'taxi'.
        from_lng: Pickup longitude.
        from_lat: Pickup latitude.
        from_name: Pickup place name shown to the driver.
        to_lng: Destination longitude.
        to_lat: Destination latitude.
        to_name: Destination name.
    """
    _rider(ctx, rider_id)
    distance, duration = _trip_points(from_lng, from_lat, to_lng, to_lat)
    if not from_name.strip() or not to_name.strip() or len(from_name) > 80 or len(to_name) > 80:
        raise DomainError("Give the pickup and destination names (up to 80 characters each).")
    placeholders = ",".join("?" for _ in ACTIVE_STATUSES)
    active = ctx.query(
        f"SELECT order_id, status FROM taxi_orders WHERE rider_id = ? AND status IN ({placeholders})",
        [rider_id, *ACTIVE_STATUSES],
    )
    if active:
        raise DomainError(
            f"You already have an active ride ({active[0]['order_id']}, {active[0]['status']}); "
            "finish or cancel it before requesting another."
        )
    box = DISPATCH_RADIUS_M / 111_000 * 1.5
    drivers = ctx.query(
        "SELECT driver_id, lng, lat FROM drivers WHERE product_type = ? AND status = 'available' "
        "AND lat BETWEEN ? AND ? AND lng BETWEEN ? AND ?",
        [product_type, from_lat - box, from_lat + box, from_lng - box, from_lng + box],
    )
    ranked = sorted((haversine_m(from_lng, from_lat, d["lng"], d["lat"]), d["driver_id"]) for d in drivers)
    driver_id = ranked[0][1] if ranked and ranked[0][0] <= DISPATCH_RADIUS_M else None
    stamp = ctx.now.isoformat(timespec="seconds")
    order = ctx.rows(TaxiOrder).insert(
        order_id=f"{ctx.now:%Y%m%d}{ctx.new_id(10, '0123456789')}",
        rider_id=rider_id,
        product_type=product_type,
        from_lng=from_lng,
        from_lat=from_lat,
        from_name=from_name.strip(),
        to_lng=to_lng,
        to_lat=to_lat,
        to_name=to_name.strip(),
        distance_m=distance,
        duration_s=duration,
        estimated_price=estimate_price(product_type, distance, duration),
        status="driver_assigned" if driver_id else "requested",
        driver_id=driver_id,
        created_at=stamp,
        driver_assigned_at=stamp if driver_id else None,
        cancelled_at=None,
        cancel_reason=None,
        cancellation_fee=0,
        final_price=None,
        rating=None,
        comment=None,
    )
    if driver_id:
        ctx.rows(Driver).update(driver_id, status="on_trip")
    return _order_view(ctx, order)


@env.read(intents=["what's the status of my ride {order_id}"])
def taxi_query_order(ctx: ToolContext, order_id: str) -> OrderView:
    """Get a ride order's status, route, price and driver.

    Args:
        order_id: The order number.
    """
    return _order_view(ctx, _require_order(ctx, order_id))


@env.read(intents=["show my recent rides ({rider_id})", "list my {status} ride orders"])
def list_my_orders(
    ctx: ToolContext, rider_id: str, status: OrderStatus | None = None, limit: int = 10, offset: int = 0
) -> OrderPage:
    """List a rider's ride orders, newest first, optionally with one status only.

    Args:
        rider_id: The rider's account id.
        status: Optional filter: requested, driver_assigned, arrived, in_progress, completed or cancelled.
        limit: Maximum number of orders to return (1-50).
        offset: Number of orders to skip, for paging.
    """
    _page(limit, offset)
    _rider(ctx, rider_id)
    where: dict[str, object] = {"rider_id": rider_id}
    if status is not None:
        where["status"] = status
    table = ctx.rows(TaxiOrder)
    rows = table.find(where, order_by=["-created_at", "order_id"], limit=limit, offset=offset)
    return {"total": table.count(where), "orders": [_order_view(ctx, r) for r in rows]}


@env.write(intents=["cancel my ride {order_id}", "I don't need the car anymore, cancel order {order_id}"])
def taxi_cancel_order(ctx: ToolContext, order_id: str, reason: str = "") -> CancelView:
    """Cancel a ride that has not started; a fee applies once the driver has been on the way over 2 minutes.

    Args:
        order_id: The order number.
        reason: Optional reason for cancelling.
    """
    order = _require_order(ctx, order_id)
    status = str(order["status"])
    if status == "in_progress":
        raise DomainError(f"Ride {order_id} is already under way and cannot be cancelled; ask the driver to stop.")
    if status in ("completed", "cancelled"):
        raise DomainError(f"Ride {order_id} is already {status}.")
    if len(reason) > 200:
        raise DomainError("The reason is limited to 200 characters.")
    fee = cancellation_fee(order, ctx.now)
    ctx.rows(TaxiOrder).update(
        order["order_id"],
        status="cancelled",
        cancelled_at=ctx.now.isoformat(timespec="seconds"),
        cancel_reason=reason.strip() or None,
        cancellation_fee=fee,
    )
    if order["driver_id"]:
        ctx.rows(Driver).update(order["driver_id"], status="available")
    return {"order_id": str(order["order_id"]), "status": "cancelled", "cancellation_fee": fee}


@env.read(intents=["where is my driver for {order_id}", "how far away is my car"])
def taxi_get_driver_location(ctx: ToolContext, order_id: str) -> DriverLocationView:
    """Get the assigned driver's position and, before pickup, the distance and minutes to the pickup point.

    Args:
        order_id: The order number.
    """
    order = _require_order(ctx, order_id)
    status = str(order["status"])
    if status == "requested":
        raise DomainError(f"No driver has accepted ride {order_id} yet.")
    if status not in ACTIVE_STATUSES:
        raise DomainError(f"Ride {order_id} is {status}; the driver's location is only shown during a ride.")
    driver = ctx.rows(Driver).require(order["driver_id"], missing="The assigned driver is no longer available.")
    pickup_lng, pickup_lat = float(order["from_lng"]), float(order["from_lat"])  # type: ignore[arg-type]
    if status == "driver_assigned":
        distance, duration = route_metrics(driver["lng"], driver["lat"], pickup_lng, pickup_lat)
        lng, lat = driver["lng"], driver["lat"]
    else:
        distance, duration, lng, lat = 0, 0, pickup_lng, pickup_lat
    return {
        "order_id": str(order["order_id"]),
        "driver_id": str(driver["driver_id"]),
        "lng": lng,
        "lat": lat,
        "status": status,
        "distance_to_pickup_m": distance,
        "eta_minutes": math.ceil(duration / 60),
    }


@env.read(
    intents=[
        "give me a link to book a {product_type} ride in the app",
        "I want an app link for a ride from {from_lng},{from_lat} to {to_lng},{to_lat}",
    ]
)
def taxi_generate_ride_app_link(
    ctx: ToolContext,
    from_lng: float,
    from_lat: float,
    to_lng: float,
    to_lat: float,
    product_type: ProductType = "express",
) -> RideLink:
    """Build a link that opens the DiDi app with the pickup, destination and product filled in.

    Args:
        from_lng: Pickup longitude.
        from_lat: Pickup latitude.
        to_lng: Destination longitude.
        to_lat: Destination latitude.
        product_type: The product to preselect.
    """
    _trip_points(from_lng, from_lat, to_lng, to_lat)
    query = urlencode(
        {"from": f"{from_lng:.6f},{from_lat:.6f}", "to": f"{to_lng:.6f},{to_lat:.6f}", "product": product_type}
    )
    return {"url": f"https://page.didiglobal.com/ride?{query}", "product_type": product_type}


@env.write(intents=["rate my ride {order_id} {rating} stars"])
def taxi_rate_trip(ctx: ToolContext, order_id: str, rating: int, comment: str = "") -> OrderView:
    """Rate a completed ride from 1 to 5 stars, once; the driver's rating is updated.

    Args:
        order_id: The order number.
        rating: Stars from 1 to 5.
        comment: Optional comment for the driver (up to 300 characters).
    """
    order = _require_order(ctx, order_id)
    if order["status"] != "completed":
        raise DomainError(f"Only completed rides can be rated; ride {order_id} is {order['status']}.")
    if order["rating"] is not None:
        raise DomainError(f"Ride {order_id} was already rated {order['rating']} stars.")
    if not 1 <= rating <= 5:
        raise DomainError("The rating must be 1 to 5 stars.")
    if len(comment) > 300:
        raise DomainError("The comment is limited to 300 characters.")
    ctx.rows(TaxiOrder).update(order["order_id"], rating=rating, comment=comment.strip() or None)
    driver = ctx.rows(Driver).get(order["driver_id"]) if order["driver_id"] else None
    if driver is not None:
        # A rolling average over the driver's last 100 rated trips, as the app shows it.
        ctx.rows(Driver).update(driver["driver_id"], rating=round((driver["rating"] * 99 + rating) / 100, 2))
    return _order_view(ctx, _require_order(ctx, order_id))


@env.write(intents=["save {place_id} as my {label} address"])
def save_favorite_place(ctx: ToolContext, rider_id: str, label: PlaceLabel, place_id: str) -> SavedPlaceView:
    """Save a place as the rider's home or work address (replacing the previous one).

    Args:
        rider_id: The rider's account id.
        label: 'home' or 'work'.
        place_id: The place id, from maps_place_around or maps_regeocode.
    """
    rider = _rider(ctx, rider_id)
    place = ctx.rows(Place).require(place_id, missing=f"There is no place {place_id}.")
    column = f"{label}_place_id"
    if rider[column] == place_id:
        raise DomainError(f"{place['name']} is already saved as your {label} address.")
    ctx.rows(Rider).update(rider_id, **{column: place_id})
    return {
        "rider_id": rider_id,
        "label": label,
        "place_id": place_id,
        "name": str(place["name"]),
        "address": str(place["address"]),
    }
