"""The tools an agent calls (the API reference a model sees), with their typed views and helpers."""

from __future__ import annotations

from typing import Any, Literal

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    MAX_ACTIVE_ALERTS,
    MAX_PENDING_QUOTES,
    MAX_WATCHLIST,
    CarModel,
    Dealer,
    PriceAlert,
    QuoteRequest,
    Trim,
    WatchlistItem,
)
from .seed import (
    AlertView,
    BrandView,
    DealerView,
    ModelView,
    PriceEstimate,
    QuoteView,
    TrimPrice,
    TrimView,
    VehiclesPage,
    VehicleSummary,
    VehicleType,
    WatchView,
    _check_year,
    _require_region,
    _require_trim,
    _require_user,
    estimate_price,
)

# -- tools ----------------------------------------------------------------------------------------------------


@env.read(intents=["which car brands can I look up?", "list the car brands from {country}"])
def get_car_brands(ctx: ToolContext, country: str | None = None) -> list[BrandView]:
    """List car brands, A to Z, with their home country and number of models.

    Args:
        country: Only brands from this country, such as 'Japan' or 'Germany'.
    """
    sql = (
        "SELECT b.brand, b.country, COUNT(m.model_id) AS model_count FROM brands b "
        "LEFT JOIN models m ON m.brand = b.brand"
    )
    params: list[Any] = []
    if country:
        sql += " WHERE lower(b.country) = ?"
        params.append(country.strip().lower())
    return ctx.query(sql + " GROUP BY b.brand ORDER BY b.brand", params)  # type: ignore[return-value]


def _model_views(ctx: ToolContext, models: list[dict[str, Any]]) -> list[ModelView]:
    views: list[ModelView] = []
    for model in models:
        trims = ctx.rows(Trim).find({"model_id": model["model_id"]}, order_by="msrp")
        views.append(
            {
                "model_id": model["model_id"],
                "brand": model["brand"],
                "model": model["model"],
                "vehicle_type": model["vehicle_type"],
                "first_year": model["first_year"],
                "starting_msrp": trims[0]["msrp"],
                "trims": [{k: t[k] for k in TrimView.__annotations__} for t in trims],  # type: ignore[misc]
            }
        )
    return views


def _find_model(ctx: ToolContext, brand: str, model: str) -> dict[str, Any]:
    rows = ctx.query(
        "SELECT model_id FROM models WHERE lower(brand) = ? AND lower(model) = ?",
        (brand.strip().lower(), model.strip().lower()),
    )
    if not rows:
        if not ctx.query("SELECT 1 FROM brands WHERE lower(brand) = ?", (brand.strip().lower(),)):
            raise DomainError(f"Unknown brand '{brand}'; use get_car_brands to see the brands.")
        raise DomainError(f"{brand} has no model called '{model}'; use get_car_models to see its models.")
    return ctx.rows(CarModel).get(rows[0]["model_id"])  # type: ignore[return-value]


@env.read(intents=["what models and trims does {brand} make?", "show me {brand} {vehicle_type} models"])
def get_car_models(ctx: ToolContext, brand: str, vehicle_type: VehicleType | None = None) -> list[ModelView]:
    """A brand's models with their trims, new MSRPs, fuel type, drivetrain, horsepower and fuel economy.

    Args:
        brand: The brand, such as 'Toyota'.
        vehicle_type: Only models of this body type.
    """
    rows = ctx.query("SELECT brand FROM brands WHERE lower(brand) = ?", (brand.strip().lower(),))
    if not rows:
        raise DomainError(f"Unknown brand '{brand}'; use get_car_brands to see the brands.")
    where: dict[str, Any] = {"brand": rows[0]["brand"]}
    if vehicle_type:
        where["vehicle_type"] = vehicle_type
    return _model_views(ctx, ctx.rows(CarModel).find(where, order_by="model"))


@env.read(
    intents=[
        "how much is a {year} {brand} {model} worth?",
        "what would a {year} {brand} {model} with {mileage} miles cost in the {region}?",
    ]
)
def search_car_price(
    ctx: ToolContext,
    brand: str,
    model: str,
    year: int,
    mileage: int | None = None,
    region: str = "Midwest",
    trim: str | None = None,
) -> PriceEstimate:
    """Estimated market price of a model year, per trim, at a mileage in a region (with a +/-6% range).

    For the current model year the estimate is the new price. Without a mileage, the typical 12,000 miles
    a year is assumed.

    Args:
        brand: The brand, such as 'Honda'.
        model: The model, such as 'CR-V'.
        year: The model year, such as 2021.
        mileage: The odometer reading in miles (0-300000).
        region: Northeast, Southeast, Midwest, Southwest, West or Northwest.
        trim: Only this trim, such as 'EX-L'.
    """
    car = _find_model(ctx, brand, model)
    _check_year(car, year)
    if mileage is not None and not 0 <= mileage <= 300_000:
        raise DomainError("mileage must be between 0 and 300000 miles.")
    area = _require_region(ctx, region)
    trims = ctx.rows(Trim).find({"model_id": car["model_id"]}, order_by="msrp")
    if trim is not None:
        trims = [t for t in trims if t["trim"].lower() == trim.strip().lower()]
        if not trims:
            raise DomainError(f"The {car['brand']} {car['model']} has no '{trim}' trim.")
    prices: list[TrimPrice] = []
    miles = 0
    for t in trims:
        value, miles = estimate_price(ctx, t, car, year, mileage, area)
        prices.append(
            {
                "trim_id": t["trim_id"],
                "trim": t["trim"],
                "msrp_new": t["msrp"],
                "estimated_price": value,
                "price_low": int(round(value * 0.94, -1)),
                "price_high": int(round(value * 1.06, -1)),
            }
        )
    return {
        "brand": car["brand"],
        "model": car["model"],
        "year": year,
        "mileage": miles,
        "region": area["region"],
        "prices": prices,
    }


@env.read(
    intents=["show me {vehicle_type} models under {max_price} dollars", "what {vehicle_type} vehicles can I buy?"]
)
def get_vehicles_by_type(
    ctx: ToolContext,
    vehicle_type: VehicleType,
    max_price: int | None = None,
    fuel_type: Literal["gas", "hybrid", "electric", "diesel"] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> VehiclesPage:
    """Models of one body type across all brands, cheapest starting MSRP first.

    Args:
        vehicle_type: sedan, suv, truck, coupe, hatchback, minivan, wagon or convertible.
        max_price: Only models whose starting MSRP is at most this many dollars.
        fuel_type: Only models with this fuel type: gas, hybrid, electric or diesel.
        limit: Maximum number of models to return (1-50).
        offset: Number of models to skip, for paging.
    """
    if not 1 <= limit <= 50 or offset < 0:
        raise DomainError("limit must be between 1 and 50 and offset cannot be negative.")
    sql = (
        "SELECT m.model_id, m.brand, m.model, m.vehicle_type, MIN(t.msrp) AS starting_msrp, "
        "group_concat(DISTINCT t.fuel_type) AS fuels FROM models m JOIN trims t ON t.model_id = m.model_id "
        "WHERE m.vehicle_type = ?"
    )
    params: list[Any] = [vehicle_type]
    if fuel_type:
        sql += " AND t.fuel_type = ?"
        params.append(fuel_type)
    sql += " GROUP BY m.model_id"
    if max_price is not None:
        sql += " HAVING MIN(t.msrp) <= ?"
        params.append(max_price)
    rows = ctx.query(sql + " ORDER BY starting_msrp, m.model_id", params)
    vehicles: list[VehicleSummary] = [
        {
            "model_id": r["model_id"],
            "brand": r["brand"],
            "model": r["model"],
            "vehicle_type": r["vehicle_type"],
            "starting_msrp": r["starting_msrp"],
            "fuel_types": sorted(r["fuels"].split(",")),
        }
        for r in rows
    ]
    return {
        "vehicle_type": vehicle_type,
        "total": len(vehicles),
        "offset": offset,
        "vehicles": vehicles[offset : offset + limit],
    }


@env.read(intents=["find {brand} dealers in the {region}", "which dealers in {city} sell {brand}?"])
def find_dealers(
    ctx: ToolContext, brand: str, region: str | None = None, city: str | None = None, limit: int = 10
) -> list[DealerView]:
    """Dealers that sell a brand, best rated first, optionally in one region or city.

    Args:
        brand: The brand the dealer must sell, such as 'Subaru'.
        region: Only dealers in this region (Northeast, Southeast, Midwest, Southwest, West, Northwest).
        city: Only dealers in this city, such as 'Denver'.
        limit: Maximum number of dealers (1-20).
    """
    if not 1 <= limit <= 20:
        raise DomainError("limit must be between 1 and 20.")
    brand_row = ctx.query("SELECT brand FROM brands WHERE lower(brand) = ?", (brand.strip().lower(),))
    if not brand_row:
        raise DomainError(f"Unknown brand '{brand}'; use get_car_brands to see the brands.")
    sql = "SELECT dealer_id FROM dealers WHERE EXISTS (SELECT 1 FROM json_each(dealers.brands) WHERE value = ?)"
    params: list[Any] = [brand_row[0]["brand"]]
    if region:
        sql += " AND region = ?"
        params.append(_require_region(ctx, region)["region"])
    if city:
        sql += " AND lower(city) = ?"
        params.append(city.strip().lower())
    ids = [r["dealer_id"] for r in ctx.query(sql + " ORDER BY rating DESC, dealer_id LIMIT ?", [*params, limit])]
    return [ctx.rows(Dealer).get(i) for i in ids]  # type: ignore[misc]


@env.write(
    intents=[
        "add the {year} {trim_id} to my watchlist; I'm {user_id}",
        "I want to keep an eye on the {year} {trim_id}: put it on my watchlist (user {user_id})",
    ]
)
def add_to_watchlist(ctx: ToolContext, user_id: str, trim_id: str, year: int) -> WatchView:
    """Add a trim and model year to the shopper's watchlist (25 vehicles at most, no duplicates).

    Args:
        user_id: The shopper's username.
        trim_id: The trim, such as 'honda-cr-v-ex-l' (see get_car_models).
        year: The model year to watch.
    """
    user = _require_user(ctx, user_id)
    trim = _require_trim(ctx, trim_id)
    model = ctx.rows(CarModel).get(trim["model_id"])
    assert model is not None
    _check_year(model, year)
    items = ctx.rows(WatchlistItem)
    if items.first({"user_id": user_id, "trim_id": trim_id, "year": year}) is not None:
        raise DomainError(f"The {year} {trim['full_name']} is already on your watchlist.")
    if items.count({"user_id": user_id}) >= MAX_WATCHLIST:
        raise DomainError(f"Your watchlist is full ({MAX_WATCHLIST} vehicles); remove one first.")
    row = items.insert(
        watch_id=f"W{ctx.new_id(8)}", user_id=user_id, trim_id=trim_id, year=year, added_at=ctx.now.isoformat()
    )
    value, _ = estimate_price(ctx, trim, model, year, None, _require_region(ctx, user["region"]))
    return {
        "watch_id": row["watch_id"],
        "trim_id": trim_id,
        "full_name": trim["full_name"],
        "year": year,
        "estimated_price": value,
        "added_at": row["added_at"],
    }


@env.read(intents=["show my car watchlist with current prices; I'm {user_id}"])
def list_watchlist(ctx: ToolContext, user_id: str) -> list[WatchView]:
    """The shopper's watchlist, newest first, with each vehicle's current estimate in the shopper's region.

    Args:
        user_id: The shopper's username.
    """
    user = _require_user(ctx, user_id)
    region = _require_region(ctx, user["region"])
    views: list[WatchView] = []
    for item in ctx.rows(WatchlistItem).find({"user_id": user_id}, order_by=["-added_at", "watch_id"]):
        trim = _require_trim(ctx, item["trim_id"])
        model = ctx.rows(CarModel).get(trim["model_id"])
        value, _ = estimate_price(ctx, trim, model, item["year"], None, region)  # type: ignore[arg-type]
        views.append(
            {
                "watch_id": item["watch_id"],
                "trim_id": item["trim_id"],
                "full_name": trim["full_name"],
                "year": item["year"],
                "estimated_price": value,
                "added_at": item["added_at"],
            }
        )
    return views


@env.write(intents=["take the {year} {trim_id} off my watchlist; I'm {user_id}"])
def remove_from_watchlist(ctx: ToolContext, user_id: str, trim_id: str, year: int) -> str:
    """Remove a trim and model year from the shopper's watchlist.

    Args:
        user_id: The shopper's username.
        trim_id: The trim on the watchlist.
        year: Its model year.
    """
    _require_user(ctx, user_id)
    trim = _require_trim(ctx, trim_id)
    item = ctx.rows(WatchlistItem).first({"user_id": user_id, "trim_id": trim_id, "year": year})
    if item is None:
        raise DomainError(f"The {year} {trim['full_name']} is not on your watchlist.")
    ctx.rows(WatchlistItem).delete(item["watch_id"])
    return f"Removed the {year} {trim['full_name']} from your watchlist."


@env.write(
    intents=[
        "alert me when a {year} {trim_id} drops below {target_price} dollars in the {region}; I'm {user_id}",
        "let me know when the {year} {trim_id} is estimated under ${target_price}; my username is {user_id}",
    ]
)
def create_price_alert(
    ctx: ToolContext, user_id: str, trim_id: str, year: int, target_price: int, region: str | None = None
) -> AlertView:
    """Ask to be notified when a trim's model year is estimated at or below a target price in a region.

    The target must be below today's estimate (otherwise it is already met); a shopper has at most 10
    active alerts and one per trim, year and region.

    Args:
        user_id: The shopper's username.
        trim_id: The trim to watch.
        year: The model year.
        target_price: The price in dollars to be alerted at.
        region: The market region; the shopper's own region when omitted.
    """
    user = _require_user(ctx, user_id)
    trim = _require_trim(ctx, trim_id)
    model = ctx.rows(CarModel).get(trim["model_id"])
    assert model is not None
    _check_year(model, year)
    area = _require_region(ctx, region or user["region"])
    if target_price <= 0:
        raise DomainError("target_price must be a positive number of dollars.")
    current, _ = estimate_price(ctx, trim, model, year, None, area)
    if target_price >= current:
        raise DomainError(
            f"The {year} {trim['full_name']} is already estimated at ${current:,} in the {area['region']}, "
            f"at or below your target of ${target_price:,}."
        )
    alerts = ctx.rows(PriceAlert)
    duplicate = alerts.first(
        {"user_id": user_id, "trim_id": trim_id, "year": year, "region": area["region"], "status": "active"}
    )
    if duplicate is not None:
        raise DomainError(
            f"You already have alert {duplicate['alert_id']} on the {year} {trim['full_name']} in the {area['region']}."
        )
    if alerts.count({"user_id": user_id, "status": "active"}) >= MAX_ACTIVE_ALERTS:
        raise DomainError(f"You already have {MAX_ACTIVE_ALERTS} active price alerts; cancel one first.")
    row = alerts.insert(
        alert_id=ctx.new_id(8),
        user_id=user_id,
        trim_id=trim_id,
        year=year,
        region=area["region"],
        target_price=target_price,
        status="active",
        created_at=ctx.now.isoformat(),
    )
    return {**row, "full_name": trim["full_name"], "current_estimate": current}  # type: ignore[typeddict-item]


@env.read(intents=["what price alerts do I have set? I'm {user_id}"])
def list_price_alerts(ctx: ToolContext, user_id: str, include_cancelled: bool = False) -> list[AlertView]:
    """The shopper's price alerts with each one's current estimate.

    Args:
        user_id: The shopper's username.
        include_cancelled: Also list cancelled alerts.
    """
    _require_user(ctx, user_id)
    views: list[AlertView] = []
    for alert in ctx.rows(PriceAlert).find({"user_id": user_id}, order_by=["created_at", "alert_id"]):
        if alert["status"] != "active" and not include_cancelled:
            continue
        trim = _require_trim(ctx, alert["trim_id"])
        model = ctx.rows(CarModel).get(trim["model_id"])
        current, _ = estimate_price(ctx, trim, model, alert["year"], None, _require_region(ctx, alert["region"]))  # type: ignore[arg-type]
        views.append({**alert, "full_name": trim["full_name"], "current_estimate": current})  # type: ignore[typeddict-item]
    return views


@env.write(
    intents=[
        "cancel {alert_id}; I'm {user_id}",
        "I no longer need {alert_id}, please turn it off (user {user_id})",
    ]
)
def cancel_price_alert(ctx: ToolContext, user_id: str, alert_id: str) -> str:
    """Cancel one of the shopper's active price alerts.

    Args:
        user_id: The shopper's username.
        alert_id: The alert's id.
    """
    _require_user(ctx, user_id)
    alert = ctx.rows(PriceAlert).require(alert_id, missing=f"Price alert {alert_id} was not found.")
    if alert["user_id"] != user_id:
        raise DomainError(f"Price alert {alert_id} does not belong to {user_id}.")
    if alert["status"] == "cancelled":
        raise DomainError(f"Price alert {alert_id} is already cancelled.")
    ctx.rows(PriceAlert).update(alert_id, status="cancelled")
    return f"Price alert {alert_id} is cancelled."


def _quote_view(ctx: ToolContext, quote: dict[str, Any]) -> QuoteView:
    dealer = ctx.rows(Dealer).get(quote["dealer_id"])
    trim = ctx.rows(Trim).get(quote["trim_id"])
    assert dealer is not None and trim is not None
    return {
        "quote_id": quote["quote_id"],
        "dealer_id": quote["dealer_id"],
        "dealer_name": dealer["name"],
        "trim_id": quote["trim_id"],
        "full_name": trim["full_name"],
        "message": quote["message"],
        "status": quote["status"],
        "offered_price": quote["offered_price"],
        "created_at": quote["created_at"],
    }


@env.write(
    intents=[
        "ask {dealer_id} for a price quote on a new {trim_id}; I'm {user_id}",
        "request a quote from {dealer_id} for the {trim_id} with the message '{message}' (user {user_id})",
    ]
)
def request_dealer_quote(ctx: ToolContext, user_id: str, dealer_id: str, trim_id: str, message: str = "") -> QuoteView:
    """Ask a dealer for a price quote on a new vehicle of a trim; the dealer answers later.

    The dealer must sell the brand; a shopper may have 5 pending quotes and one pending per dealer and trim.

    Args:
        user_id: The shopper's username.
        dealer_id: The dealer (see find_dealers).
        trim_id: The trim wanted.
        message: A note to the dealer (up to 500 characters).
    """
    _require_user(ctx, user_id)
    dealer = ctx.rows(Dealer).require(dealer_id, missing=f"Dealer {dealer_id} was not found.")
    trim = _require_trim(ctx, trim_id)
    model = ctx.rows(CarModel).get(trim["model_id"])
    assert model is not None
    if model["brand"] not in dealer["brands"]:
        raise DomainError(f"{dealer['name']} sells {', '.join(dealer['brands'])}, not {model['brand']}.")
    if len(message) > 500:
        raise DomainError("The message is too long: at most 500 characters.")
    quotes = ctx.rows(QuoteRequest)
    if quotes.first({"user_id": user_id, "dealer_id": dealer_id, "trim_id": trim_id, "status": "pending"}):
        raise DomainError(f"You already have a pending quote request to {dealer['name']} for the {trim['full_name']}.")
    if quotes.count({"user_id": user_id, "status": "pending"}) >= MAX_PENDING_QUOTES:
        raise DomainError(f"You have {MAX_PENDING_QUOTES} pending quote requests; wait for answers or cancel one.")
    row = quotes.insert(
        quote_id=ctx.new_id(8),
        user_id=user_id,
        dealer_id=dealer_id,
        trim_id=trim_id,
        message=message,
        status="pending",
        offered_price=None,
        created_at=ctx.now.isoformat(),
    )
    return _quote_view(ctx, row)


@env.read(intents=["have any dealers answered my quote requests? I'm {user_id}"])
def list_my_quotes(ctx: ToolContext, user_id: str) -> list[QuoteView]:
    """The shopper's quote requests, newest first, with the dealer's offered price once answered.

    Args:
        user_id: The shopper's username.
    """
    _require_user(ctx, user_id)
    quotes = ctx.rows(QuoteRequest).find({"user_id": user_id}, order_by=["-created_at", "quote_id"])
    return [_quote_view(ctx, q) for q in quotes]


@env.write(
    intents=[
        "withdraw {quote_id}; I'm {user_id}",
        "please cancel {quote_id}, I am not interested any more (user {user_id})",
    ]
)
def cancel_quote_request(ctx: ToolContext, user_id: str, quote_id: str) -> QuoteView:
    """Withdraw a pending quote request.

    Args:
        user_id: The shopper's username.
        quote_id: The quote request's id.
    """
    _require_user(ctx, user_id)
    quote = ctx.rows(QuoteRequest).require(quote_id, missing=f"Quote request {quote_id} was not found.")
    if quote["user_id"] != user_id:
        raise DomainError(f"Quote request {quote_id} does not belong to {user_id}.")
    if quote["status"] != "pending":
        raise DomainError(f"Quote request {quote_id} is {quote['status']}; only pending requests can be withdrawn.")
    ctx.rows(QuoteRequest).update(quote_id, status="cancelled")
    return _quote_view(ctx, {**quote, "status": "cancelled"})
