"""The tools an agent calls: Etsy's Open API v3 as a buyer and a seller use it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    CARRIERS,
    MAX_PERSONALIZATION,
    MAX_QUANTITY,
    MAX_TITLE,
    REVIEW_WINDOW_DAYS,
    TRANSACTION_FEE_PERCENT,
    USD_PER_UNIT,
    CartItem,
    Favorite,
    ItemType,
    LedgerEntry,
    Listing,
    ListingState,
    ListingVariation,
    Receipt,
    Review,
    Shipment,
    ShippingProfile,
    Shop,
    ShopSection,
    SortOn,
    SortOrder,
    Transaction,
    User,
    WhenMade,
    WhoMade,
)
from .rules import (
    Row,
    check_buyable,
    check_maker,
    check_personalization,
    check_text_lists,
    destination,
    item_type,
    listing_change,
    major,
    owned_listing,
    owned_shop,
    page,
    profile_view,
    publish,
    require_listing,
    require_shop,
    require_user,
    shipping_cost,
    stamp,
    summary,
    sync_quantity,
    to_cents,
    usd,
)
from .views import (
    CartView,
    FavoritesPage,
    ListingChange,
    ListingDetails,
    ReceiptsPage,
    ReceiptView,
    ReviewView,
    SearchPage,
    ShopChange,
    ShopListingsPage,
    ShopView,
    UserView,
)

Category = Literal[
    "Jewelry",
    "Home & Living",
    "Art & Collectibles",
    "Clothing",
    "Accessories",
    "Bags & Purses",
    "Weddings",
    "Paper & Party Supplies",
    "Toys & Games",
    "Bath & Beauty",
    "Pet Supplies",
    "Craft Supplies & Tools",
]
_PRICE_USD = (
    "ROUND(l.price * CASE l.currency_code "
    + " ".join(f"WHEN '{code}' THEN {rate}" for code, rate in USD_PER_UNIT.items())
    + " END / 100.0, 2)"
)
_TRACKING = re.compile(r"^[A-Z0-9]{8,34}$")


def _new_id(ctx: ToolContext, digits: int = 10) -> int:
    # Seeded ids begin with 1-3, so ids the service hands out (5-9) never meet them.
    return int(ctx.new_id(1, "56789") + ctx.new_id(digits - 1, "0123456789"))


# -- people and shops --------------------------------------------------------------------------------------


@env.read(intents=["look up my Etsy account, my email is {email}", "which shops do I own? I'm {email}"])
def get_user(ctx: ToolContext, email: str) -> UserView:
    """Find an Etsy user by email: their user id, where they live (orders ship there) and the shops they own.

    Args:
        email: The user's email address.
    """
    user = ctx.rows(User).first({"email": email.strip().lower()})
    if user is None:
        raise DomainError(f"No Etsy account uses the email {email}.")
    shops = ctx.rows(Shop).find({"user_id": user["user_id"]}, order_by="shop_id")
    return {
        "user_id": user["user_id"],
        "login_name": user["login_name"],
        "first_name": user["first_name"],
        "last_name": user["last_name"],
        "city": user["city"],
        "country_iso": user["country_iso"],
        "shops": [{"shop_id": s["shop_id"], "shop_name": s["shop_name"]} for s in shops],
    }


@env.read(
    intents=["tell me about the shop {shop_name}", "is {shop_name} on vacation, and how long do they take to ship?"]
)
def get_shop(ctx: ToolContext, shop_name: str) -> ShopView:
    """Get a shop by its name: owner, location, currency, vacation mode, return policy, reviews, sections and
    shipping profiles (processing time and what shipping costs to each country).

    Args:
        shop_name: The shop's name as it appears in its address, such as 'WillowHollowStudio' (any letter case).
    """
    rows = ctx.query("SELECT * FROM shops WHERE lower(shop_name) = lower(?)", [shop_name.strip()])
    if not rows:
        raise DomainError(f"There is no Etsy shop named {shop_name}.")
    shop = rows[0]
    sections = ctx.rows(ShopSection).find({"shop_id": shop["shop_id"]}, order_by="shop_section_id")
    profiles = ctx.rows(ShippingProfile).find({"shop_id": shop["shop_id"]}, order_by="shipping_profile_id")
    active = ctx.rows(Listing).count({"shop_id": shop["shop_id"], "state": "active"})
    return {
        "shop_id": shop["shop_id"],
        "shop_name": shop["shop_name"],
        "title": shop["title"],
        "user_id": shop["user_id"],
        "city": shop["city"],
        "country_iso": shop["country_iso"],
        "currency_code": shop["currency_code"],
        "is_vacation": bool(shop["is_vacation"]),
        "vacation_message": shop["vacation_message"],
        "accepts_returns": bool(shop["accepts_returns"]),
        "return_window_days": shop["return_window_days"],
        "review_average": shop["review_average"],
        "review_count": shop["review_count"],
        "transaction_sold_count": shop["transaction_sold_count"],
        "active_listing_count": active,
        "sections": [{"shop_section_id": s["shop_section_id"], "title": s["title"]} for s in sections],
        "shipping_profiles": [profile_view(ctx, p["shipping_profile_id"]) for p in profiles],
    }


@env.write(
    intents=[
        "put my shop {shop_id} on vacation with the message {vacation_message}",
        "turn vacation mode off for shop {shop_id}",
    ]
)
def update_shop(
    ctx: ToolContext,
    user_id: int,
    shop_id: int,
    is_vacation: bool | None = None,
    vacation_message: str | None = None,
    title: str | None = None,
) -> ShopChange:
    """Change a shop the user owns: turn vacation mode on or off (a shop on vacation accepts no purchases),
    set the message buyers see while it is away, or change the shop's headline.

    Args:
        user_id: The shop owner's user id.
        shop_id: The shop's id.
        is_vacation: True to go on vacation, False to reopen (omit to keep).
        vacation_message: What buyers read while the shop is away, up to 300 characters (omit to keep).
        title: The shop's headline, up to 120 characters (omit to keep).
    """
    shop = owned_shop(ctx, user_id, shop_id)
    changes: dict[str, Any] = {}
    if is_vacation is not None and bool(is_vacation) != bool(shop["is_vacation"]):
        changes["is_vacation"] = bool(is_vacation)
    if vacation_message is not None:
        if len(vacation_message) > 300:
            raise DomainError("The vacation message is limited to 300 characters.")
        if vacation_message.strip() != shop["vacation_message"]:
            changes["vacation_message"] = vacation_message.strip()
    if title is not None:
        if not title.strip() or len(title) > 120:
            raise DomainError("A shop headline takes 1 to 120 characters.")
        if title.strip() != shop["title"]:
            changes["title"] = title.strip()
    if not changes:
        state = "on vacation" if shop["is_vacation"] else "open"
        raise DomainError(f"Nothing to change: {shop['shop_name']} is already {state} with these settings.")
    ctx.rows(Shop).update(shop_id, **changes)
    shop = require_shop(ctx, shop_id)
    return {
        "shop_id": shop_id,
        "shop_name": shop["shop_name"],
        "title": shop["title"],
        "is_vacation": bool(shop["is_vacation"]),
        "vacation_message": shop["vacation_message"],
    }


# -- finding listings ------------------------------------------------------------------------------------------


@env.read(
    intents=[
        "find {keywords} on Etsy under {max_price} dollars",
        "search Etsy for {keywords}",
        "show me {item_type} {keywords}",
    ]
)
def search_listings(
    ctx: ToolContext,
    keywords: str,
    min_price: float | None = None,
    max_price: float | None = None,
    category: Category | None = None,
    item_type: ItemType | None = None,
    personalizable: bool | None = None,
    ships_to: str | None = None,
    sort_on: SortOn = "score",
    sort_order: SortOrder = "desc",
    limit: int = 10,
    offset: int = 0,
) -> SearchPage:
    """Search the active listings of open shops (shops on vacation are hidden); every keyword must appear in
    the title or the tags.

    Args:
        keywords: Words to look for, such as 'name necklace' or 'vintage pyrex'.
        min_price: Lowest price in US dollars (listings in other currencies are converted).
        max_price: Highest price in US dollars.
        category: Only this top-level category, such as 'Jewelry' or 'Home & Living'.
        item_type: 'handmade', 'vintage' or 'supplies'.
        personalizable: True for listings that can be personalized only.
        ships_to: Only listings that ship to this country, as a two-letter code such as 'US' or 'GB'.
        sort_on: 'score' (most favorited), 'price' or 'created'.
        sort_order: 'desc' (default) or 'asc'; 'price' with 'asc' puts the cheapest first.
        limit: Maximum number of listings to return (1-50).
        offset: Number of listings to skip, for paging.
    """
    limit, offset = page(limit, offset)
    words = [w for w in re.split(r"\s+", keywords.strip().lower()) if w]
    if not words:
        raise DomainError("Please give at least one keyword to search for.")
    where = ["l.state = 'active'", "s.is_vacation = 0"]
    params: list[Any] = []
    for word in words:
        where.append("(l.title LIKE ? OR l.tags LIKE ?)")  # SQLite's LIKE ignores ASCII case
        params += [f"%{word}%", f"%{word}%"]
    if min_price is not None:
        where.append(f"{_PRICE_USD} >= ?")
        params.append(min_price)
    if max_price is not None:
        where.append(f"{_PRICE_USD} <= ?")
        params.append(max_price)
    if min_price is not None and max_price is not None and min_price > max_price:
        raise DomainError("min_price cannot be above max_price.")
    if category is not None:
        where.append("l.category = ?")
        params.append(category)
    if item_type == "supplies":
        where.append("l.is_supply = 1")
    elif item_type == "vintage":
        where.append("l.is_supply = 0 AND l.who_made = 'someone_else'")
    elif item_type == "handmade":
        where.append("l.is_supply = 0 AND l.who_made != 'someone_else'")
    if personalizable is not None:
        where.append("l.is_personalizable = ?")
        params.append(bool(personalizable))
    if ships_to is not None:
        where.append(
            "EXISTS (SELECT 1 FROM shipping_profile_destinations d WHERE d.shipping_profile_id = l.shipping_profile_id "
            "AND d.destination_country_iso = ?)"
        )
        params.append(ships_to.strip().upper())
    key = {"score": "l.num_favorers", "price": _PRICE_USD, "created": "l.created_timestamp"}[sort_on]
    direction = "ASC" if sort_order == "asc" else "DESC"
    base = f"FROM listings l JOIN shops s ON s.shop_id = l.shop_id WHERE {' AND '.join(where)}"
    # One scan: the window count rides along with the page (a page past the end needs its own count).
    rows = ctx.query(
        f"SELECT l.*, s.shop_name, COUNT(*) OVER () AS matches {base} ORDER BY {key} {direction}, l.listing_id "
        "LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    total = rows[0]["matches"] if rows else ctx.query(f"SELECT COUNT(*) AS n {base}", params)[0]["n"]
    return {"count": total, "results": [summary(r, r["shop_name"]) for r in rows]}


@env.read(
    intents=[
        "tell me about listing {listing_id}",
        "when would listing {listing_id} arrive in {destination_country_iso}?",
    ]
)
def get_listing_details(
    ctx: ToolContext, listing_id: int, destination_country_iso: str | None = None
) -> ListingDetails:
    """Get a listing in full: description, tags, materials, who made it and when, variations, personalization,
    shipping profile and state; with a destination, also what shipping costs there and the arrival window.

    Args:
        listing_id: The listing's id.
        destination_country_iso: Optional two-letter country code to estimate shipping cost and arrival for.
    """
    listing = require_listing(ctx, listing_id)
    shop = require_shop(ctx, listing["shop_id"])
    section = ctx.rows(ShopSection).get(listing["shop_section_id"]) if listing["shop_section_id"] else None
    variations = ctx.rows(ListingVariation).find({"listing_id": listing_id}, order_by="variation_id")
    delivery = None
    if destination_country_iso is not None:
        country = destination_country_iso.strip().upper()
        route = destination(ctx, listing, country)
        if route is None:
            delivery = {
                "destination_country_iso": country,
                "ships": False,
                "shipping_cost": 0.0,
                "arrives_earliest": "",
                "arrives_latest": "",
            }
        else:
            today = ctx.now.date()
            early = today + dt.timedelta(days=route["min_processing_days"] + route["min_delivery_days"])
            late = today + dt.timedelta(days=route["max_processing_days"] + route["max_delivery_days"])
            delivery = {
                "destination_country_iso": country,
                "ships": True,
                "shipping_cost": major(route["primary_cost"]),
                "arrives_earliest": early.isoformat(),
                "arrives_latest": late.isoformat(),
            }
    profile = profile_view(ctx, listing["shipping_profile_id"]) if listing["shipping_profile_id"] else None
    return {
        "listing_id": listing_id,
        "title": listing["title"],
        "description": listing["description"],
        "state": listing["state"],
        "shop_id": shop["shop_id"],
        "shop_name": shop["shop_name"],
        "shop_is_vacation": bool(shop["is_vacation"]),
        "shop_review_average": shop["review_average"],
        "category": listing["category"],
        "price": major(listing["price"]),
        "currency_code": listing["currency_code"],
        "price_usd": usd(listing["price"], listing["currency_code"]),
        "quantity": listing["quantity"],
        "tags": listing["tags"],
        "materials": listing["materials"],
        "who_made": listing["who_made"],
        "when_made": listing["when_made"],
        "is_supply": bool(listing["is_supply"]),
        "item_type": item_type(listing),
        "shop_section": section["title"] if section else "",
        "variations": [
            {
                "variation_id": v["variation_id"],
                "property_name": v["property_name"],
                "value": v["value"],
                "price": major(v["price"]),
                "quantity": v["quantity"],
            }
            for v in variations
        ],
        "is_personalizable": bool(listing["is_personalizable"]),
        "personalization_is_required": bool(listing["personalization_is_required"]),
        "personalization_char_count_max": listing["personalization_char_count_max"],
        "personalization_instructions": listing["personalization_instructions"],
        "shipping_profile": profile,
        "num_favorers": listing["num_favorers"],
        "created_timestamp": listing["created_timestamp"],
        "ending_timestamp": listing["ending_timestamp"],
        "delivery": delivery,  # type: ignore[typeddict-item]
    }


@env.read(intents=["what does shop {shop_id} sell?", "show the {state} listings of shop {shop_id}"])
def get_shop_listings(
    ctx: ToolContext,
    shop_id: int,
    state: ListingState = "active",
    user_id: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> ShopListingsPage:
    """List a shop's listings in one state, newest first. Anyone sees active listings; drafts, inactive, sold
    out and expired listings are shown only to the shop's owner.

    Args:
        shop_id: The shop's id.
        state: 'active' (default), 'draft', 'inactive', 'sold_out' or 'expired'.
        user_id: The owner's user id, needed for any state other than 'active'.
        limit: Maximum number of listings to return (1-50).
        offset: Number of listings to skip, for paging.
    """
    limit, offset = page(limit, offset)
    shop = require_shop(ctx, shop_id)
    if state != "active":
        if user_id is None:
            raise DomainError(f"Only the shop's owner can see its {state.replace('_', ' ')} listings.")
        owned_shop(ctx, user_id, shop_id)
    table = ctx.rows(Listing)
    where = {"shop_id": shop_id, "state": state}
    rows = table.find(where, order_by=["-created_timestamp", "listing_id"], limit=limit, offset=offset)
    return {
        "shop_id": shop_id,
        "state": state,
        "count": table.count(where),
        "results": [summary(r, shop["shop_name"]) for r in rows],
    }


# -- selling ---------------------------------------------------------------------------------------------------


@env.write(
    intents=[
        "list a new item in my shop {shop_id}: {title} for {price}",
        "create a draft listing called {title} with {quantity} in stock",
    ]
)
def create_listing(
    ctx: ToolContext,
    user_id: int,
    shop_id: int,
    title: str,
    description: str,
    price: float,
    quantity: int,
    who_made: WhoMade,
    when_made: WhenMade,
    category: Category,
    is_supply: bool = False,
    tags: list[str] | None = None,
    materials: list[str] | None = None,
    shipping_profile_id: int | None = None,
    shop_section_id: int | None = None,
    is_personalizable: bool = False,
    personalization_is_required: bool = False,
    personalization_char_count_max: int = 0,
    personalization_instructions: str = "",
    state: Literal["draft", "active"] = "draft",
) -> ListingChange:
    """Create a listing in a shop the user owns, as a draft (free) or published at once (the $0.20 listing
    fee, live for four months). Publishing needs a shipping profile of the shop.

    Args:
        user_id: The shop owner's user id.
        shop_id: The shop's id.
        title: Up to 140 characters.
        description: What the buyer should know about the item.
        price: Price in the shop's currency, such as 24.5.
        quantity: Units in stock (1-999).
        who_made: 'i_did', 'collective' (the seller's team) or 'someone_else' (vintage or supplies).
        when_made: 'made_to_order', a range such as '2020_2025' or '2010_2019', or a decade such as '1970s'.
        category: Top-level category, such as 'Jewelry'.
        is_supply: True for craft supplies and tools.
        tags: Up to 13 search tags of up to 20 characters.
        materials: Up to 13 materials, such as 'sterling silver'.
        shipping_profile_id: One of the shop's shipping profiles (required to publish).
        shop_section_id: One of the shop's sections (optional).
        is_personalizable: True if buyers can add personalization.
        personalization_is_required: True if buyers must add personalization.
        personalization_char_count_max: Longest personalization allowed (1-1024 when personalizable).
        personalization_instructions: What the buyer should write, such as 'Name to engrave'.
        state: 'draft' (default) or 'active' to publish now.
    """
    shop = owned_shop(ctx, user_id, shop_id)
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE:
        raise DomainError(f"A listing title takes 1 to {MAX_TITLE} characters.")
    if not description.strip():
        raise DomainError("A listing needs a description.")
    cents = to_cents(price)
    if not 1 <= quantity <= MAX_QUANTITY:
        raise DomainError(f"Quantity must be between 1 and {MAX_QUANTITY}.")
    check_maker(who_made, when_made, is_supply, ctx.now)
    clean_tags, clean_materials = check_text_lists(tags or [], materials or [])
    if ctx.rows(Listing).first({"shop_id": shop_id, "title": title}) is not None:
        raise DomainError(f"{shop['shop_name']} already has a listing titled '{title}'.")
    if shipping_profile_id is not None:
        profile = ctx.rows(ShippingProfile).get(shipping_profile_id)
        if profile is None or profile["shop_id"] != shop_id:
            raise DomainError(f"Shipping profile {shipping_profile_id} is not one of {shop['shop_name']}'s profiles.")
    if shop_section_id is not None:
        section = ctx.rows(ShopSection).get(shop_section_id)
        if section is None or section["shop_id"] != shop_id:
            raise DomainError(f"Section {shop_section_id} is not one of {shop['shop_name']}'s sections.")
    if personalization_is_required and not is_personalizable:
        raise DomainError("Personalization can only be required on a personalizable listing.")
    if is_personalizable and not 1 <= personalization_char_count_max <= MAX_PERSONALIZATION:
        raise DomainError(f"Give a personalization character limit between 1 and {MAX_PERSONALIZATION}.")
    listing_id = _new_id(ctx)
    ctx.rows(Listing).add(
        listing_id=listing_id,
        shop_id=shop_id,
        user_id=user_id,
        shop_section_id=shop_section_id,
        title=title,
        description=description.strip(),
        state="draft",
        category=category,
        quantity=quantity,
        price=cents,
        currency_code=shop["currency_code"],
        tags=clean_tags,
        materials=clean_materials,
        who_made=who_made,
        when_made=when_made,
        is_supply=is_supply,
        shipping_profile_id=shipping_profile_id,
        is_personalizable=is_personalizable,
        personalization_is_required=personalization_is_required,
        personalization_char_count_max=personalization_char_count_max if is_personalizable else 0,
        personalization_instructions=personalization_instructions.strip() if is_personalizable else "",
        num_favorers=0,
        created_timestamp=stamp(ctx.now),
        last_renewed_timestamp=None,
        ending_timestamp=None,
    )
    fee = publish(ctx, require_listing(ctx, listing_id), shop, "listing_fee") if state == "active" else 0
    return listing_change(ctx, listing_id, fee)


@env.write(
    intents=[
        "change the price of my listing {listing_id} to {price}",
        "deactivate listing {listing_id}",
        "publish my draft {listing_id}",
    ]
)
def update_listing(
    ctx: ToolContext,
    user_id: int,
    listing_id: int,
    title: str | None = None,
    description: str | None = None,
    price: float | None = None,
    tags: list[str] | None = None,
    materials: list[str] | None = None,
    shipping_profile_id: int | None = None,
    state: Literal["active", "inactive"] | None = None,
) -> ListingChange:
    """Edit a listing of the user's shop, publish a draft (state 'active': the $0.20 listing fee), deactivate
    a listing (state 'inactive': hidden, nothing charged) or reactivate an inactive one that has not expired.
    Sold-out listings come back by restocking, expired ones by renewing.

    Args:
        user_id: The shop owner's user id.
        listing_id: The listing's id.
        title: New title (omit to keep).
        description: New description (omit to keep).
        price: New price in the shop's currency (omit to keep; listings with variations are priced per variation).
        tags: New full list of tags (omit to keep).
        materials: New full list of materials (omit to keep).
        shipping_profile_id: Another of the shop's shipping profiles (omit to keep).
        state: 'active' to publish or reactivate, 'inactive' to deactivate (omit to keep).
    """
    listing, shop = owned_listing(ctx, user_id, listing_id)
    changes: dict[str, Any] = {}
    if title is not None:
        clean = " ".join(title.split())
        if not clean or len(clean) > MAX_TITLE:
            raise DomainError(f"A listing title takes 1 to {MAX_TITLE} characters.")
        changes["title"] = clean
    if description is not None:
        if not description.strip():
            raise DomainError("A listing needs a description.")
        changes["description"] = description.strip()
    if price is not None:
        if ctx.rows(ListingVariation).count({"listing_id": listing_id}):
            raise DomainError(f"'{listing['title']}' is priced per variation; change the variation prices instead.")
        changes["price"] = to_cents(price)
    if tags is not None or materials is not None:
        new_tags, new_materials = check_text_lists(
            tags if tags is not None else listing["tags"], materials if materials is not None else listing["materials"]
        )
        if tags is not None:
            changes["tags"] = new_tags
        if materials is not None:
            changes["materials"] = new_materials
    if shipping_profile_id is not None:
        profile = ctx.rows(ShippingProfile).get(shipping_profile_id)
        if profile is None or profile["shop_id"] != shop["shop_id"]:
            raise DomainError(f"Shipping profile {shipping_profile_id} is not one of {shop['shop_name']}'s profiles.")
        changes["shipping_profile_id"] = shipping_profile_id
    changes = {k: v for k, v in changes.items() if v != listing[k]}
    current = listing["state"]
    if state is not None and state != current:
        if current == "sold_out":
            raise DomainError(f"'{listing['title']}' is sold out; restock it to bring it back.")
        if current == "expired":
            raise DomainError(f"'{listing['title']}' has expired; renew it to bring it back.")
        if state == "inactive" and current == "draft":
            raise DomainError(f"'{listing['title']}' is a draft and was never published.")
    elif not changes:
        raise DomainError(f"Nothing to change: '{listing['title']}' already has these details.")
    if changes:
        ctx.rows(Listing).update(listing_id, **changes)
    fee = 0
    if state is not None and state != current:
        listing = require_listing(ctx, listing_id)
        if state == "inactive":
            ctx.rows(Listing).update(listing_id, state="inactive")
        elif current == "draft":
            fee = publish(ctx, listing, shop, "listing_fee")
        elif listing["ending_timestamp"] and listing["ending_timestamp"] <= stamp(ctx.now):
            raise DomainError(f"'{listing['title']}' ran past its end date while inactive; renew it instead.")
        else:
            ctx.rows(Listing).update(listing_id, state="active")
    return listing_change(ctx, listing_id, fee)


@env.write(intents=["renew my expired listing {listing_id}", "relist {listing_id} for another four months"])
def renew_listing(ctx: ToolContext, user_id: int, listing_id: int) -> ListingChange:
    """Renew an expired, sold-out or active listing: it is live for four months from now, for the $0.20
    renewal fee. The listing must have stock.

    Args:
        user_id: The shop owner's user id.
        listing_id: The listing's id.
    """
    listing, shop = owned_listing(ctx, user_id, listing_id)
    if listing["state"] == "draft":
        raise DomainError(f"'{listing['title']}' is a draft; publish it instead of renewing.")
    if listing["state"] == "inactive":
        raise DomainError(f"'{listing['title']}' is deactivated; reactivate it instead of renewing.")
    if listing["quantity"] <= 0:
        raise DomainError(f"'{listing['title']}' has no stock left; restock it to renew it.")
    fee = publish(ctx, listing, shop, "renewal_fee")
    return listing_change(ctx, listing_id, fee)


@env.write(
    intents=["set the stock of listing {listing_id} to {quantity}", "I made {quantity} more of listing {listing_id}"]
)
def update_listing_inventory(
    ctx: ToolContext, user_id: int, listing_id: int, quantity: int, variation_id: int | None = None
) -> ListingChange:
    """Set how many units a listing (or one of its variations) has in stock. At zero an active listing becomes
    sold out; restocking a sold-out listing renews it for four months (the $0.20 renewal fee).

    Args:
        user_id: The shop owner's user id.
        listing_id: The listing's id.
        quantity: The new number of units in stock (0-999), not an amount to add.
        variation_id: The variation to restock; required when the listing has variations.
    """
    listing, shop = owned_listing(ctx, user_id, listing_id)
    if not 0 <= quantity <= MAX_QUANTITY:
        raise DomainError(f"Quantity must be between 0 and {MAX_QUANTITY}.")
    variations = ctx.rows(ListingVariation).find({"listing_id": listing_id}, order_by="variation_id")
    if variations:
        if variation_id is None:
            options = ", ".join(f"{v['value']} ({v['variation_id']})" for v in variations)
            raise DomainError(f"'{listing['title']}' has variations; say which one to restock: {options}.")
        chosen = next((v for v in variations if v["variation_id"] == variation_id), None)
        if chosen is None:
            raise DomainError(f"Variation {variation_id} is not one of '{listing['title']}''s options.")
        if chosen["quantity"] == quantity:
            raise DomainError(f"Nothing to change: {chosen['value']} already has {quantity} in stock.")
        ctx.rows(ListingVariation).update(variation_id, quantity=quantity)
    else:
        if variation_id is not None:
            raise DomainError(f"'{listing['title']}' has no variations.")
        if listing["quantity"] == quantity:
            raise DomainError(f"Nothing to change: '{listing['title']}' already has {quantity} in stock.")
        ctx.rows(Listing).update(listing_id, quantity=quantity)
    total = sync_quantity(ctx, listing_id)
    fee = 0
    if listing["state"] == "sold_out" and total > 0:
        fee = publish(ctx, require_listing(ctx, listing_id), shop, "renewal_fee")
    return listing_change(ctx, listing_id, fee)


# -- favorites ----------------------------------------------------------------------------------------------


@env.write(intents=["favorite listing {listing_id}", "save {listing_id} to my favorites"])
def favorite_listing(ctx: ToolContext, user_id: int, listing_id: int) -> FavoritesPage:
    """Add an active listing to the user's favorites; returns the favorites list.

    Args:
        user_id: The user's id.
        listing_id: The listing to favorite.
    """
    require_user(ctx, user_id)
    listing = require_listing(ctx, listing_id)
    if listing["state"] != "active":
        raise DomainError(f"'{listing['title']}' is not active and cannot be favorited.")
    if ctx.rows(Favorite).get(user_id, listing_id) is not None:
        raise DomainError(f"'{listing['title']}' is already in your favorites.")
    ctx.rows(Favorite).add(user_id=user_id, listing_id=listing_id, created_timestamp=stamp(ctx.now))
    ctx.rows(Listing).update(listing_id, num_favorers=listing["num_favorers"] + 1)
    return get_favorites(ctx, user_id)


@env.write(intents=["remove listing {listing_id} from my favorites", "unfavorite {listing_id}"])
def unfavorite_listing(ctx: ToolContext, user_id: int, listing_id: int) -> FavoritesPage:
    """Remove a listing from the user's favorites; returns the favorites list.

    Args:
        user_id: The user's id.
        listing_id: The favorited listing.
    """
    require_user(ctx, user_id)
    listing = require_listing(ctx, listing_id)
    if ctx.rows(Favorite).get(user_id, listing_id) is None:
        raise DomainError(f"'{listing['title']}' is not in your favorites.")
    ctx.rows(Favorite).delete(user_id, listing_id)
    ctx.rows(Listing).update(listing_id, num_favorers=max(0, listing["num_favorers"] - 1))
    return get_favorites(ctx, user_id)


@env.read(intents=["show my favorites, my user id is {user_id}", "what have I favorited?"])
def get_favorites(ctx: ToolContext, user_id: int, limit: int = 20, offset: int = 0) -> FavoritesPage:
    """List the listings a user has favorited, most recent first, with their current state and price.

    Args:
        user_id: The user's id.
        limit: Maximum number of favorites to return (1-50).
        offset: Number of favorites to skip, for paging.
    """
    limit, offset = page(limit, offset)
    require_user(ctx, user_id)
    rows = ctx.query(
        "SELECT f.created_timestamp AS favorited, l.*, s.shop_name FROM favorite_listings f "
        "JOIN listings l ON l.listing_id = f.listing_id JOIN shops s ON s.shop_id = l.shop_id "
        "WHERE f.user_id = ? ORDER BY f.created_timestamp DESC, l.listing_id LIMIT ? OFFSET ?",
        [user_id, limit, offset],
    )
    return {
        "count": ctx.rows(Favorite).count({"user_id": user_id}),
        "favorites": [
            {
                "listing_id": r["listing_id"],
                "title": r["title"],
                "shop_name": r["shop_name"],
                "state": r["state"],
                "price": major(r["price"]),
                "currency_code": r["currency_code"],
                "favorited_timestamp": r["favorited"],
            }
            for r in rows
        ],
    }


# -- cart and checkout -------------------------------------------------------------------------------------------


def _cart(ctx: ToolContext, user_id: int) -> CartView:
    user = require_user(ctx, user_id)
    lines = ctx.query(
        "SELECT c.*, l.title, l.price AS listing_price, l.currency_code, l.shipping_profile_id, s.shop_name, "
        "v.value AS variation_value, v.property_name, v.price AS variation_price FROM cart_items c "
        "JOIN listings l ON l.listing_id = c.listing_id JOIN shops s ON s.shop_id = c.shop_id "
        "LEFT JOIN listing_variations v ON v.variation_id = c.variation_id "
        "WHERE c.user_id = ? ORDER BY c.added_timestamp, c.cart_item_id",
        [user_id],
    )
    items, shops = [], {}
    for line in lines:
        price = line["variation_price"] if line["variation_id"] else line["listing_price"]
        items.append(
            {
                "cart_item_id": line["cart_item_id"],
                "listing_id": line["listing_id"],
                "title": line["title"],
                "shop_id": line["shop_id"],
                "shop_name": line["shop_name"],
                "variation": f"{line['property_name']}: {line['variation_value']}" if line["variation_id"] else "",
                "quantity": line["quantity"],
                "price": major(price),
                "currency_code": line["currency_code"],
                "personalization": line["personalization"],
            }
        )
        group = shops.setdefault(line["shop_id"], {"line": line, "total": 0, "routes": []})
        group["total"] += price * line["quantity"]
        route = destination(ctx, line, user["country_iso"])
        if route is not None:
            group["routes"].append((route, line["quantity"]))
    summaries = []
    for shop_id, group in shops.items():
        shipping = shipping_cost(group["routes"])
        summaries.append(
            {
                "shop_id": shop_id,
                "shop_name": group["line"]["shop_name"],
                "currency_code": group["line"]["currency_code"],
                "item_total": major(group["total"]),
                "shipping_cost": major(shipping),
                "total": major(group["total"] + shipping),
            }
        )
    return {"user_id": user_id, "items": items, "shops": summaries}  # type: ignore[typeddict-item]


@env.read(intents=["what's in my cart? my user id is {user_id}", "how much is my cart with shipping?"])
def get_cart(ctx: ToolContext, user_id: int) -> CartView:
    """Show the user's cart: each item, and per shop the item total, shipping to the user's country and total.

    Args:
        user_id: The user's id.
    """
    return _cart(ctx, user_id)


@env.write(
    intents=[
        "add listing {listing_id} to my cart",
        "put {quantity} of {listing_id} in my cart personalized with {personalization}",
    ]
)
def add_to_cart(
    ctx: ToolContext,
    user_id: int,
    listing_id: int,
    quantity: int = 1,
    variation_id: int | None = None,
    personalization: str = "",
) -> CartView:
    """Add a listing to the user's cart, with the variation and personalization the listing asks for. The
    listing must be active, its shop open (not on vacation), in stock and shipping to the user's country.

    Args:
        user_id: The buyer's user id.
        listing_id: The listing to buy.
        quantity: How many (at least 1, no more than are in stock).
        variation_id: The chosen variation; required when the listing has variations.
        personalization: The buyer's personalization text (required when the listing requires it).
    """
    buyer = require_user(ctx, user_id)
    listing = require_listing(ctx, listing_id)
    shop = require_shop(ctx, listing["shop_id"])
    check_buyable(ctx, buyer, listing, shop)
    if quantity < 1:
        raise DomainError("Add at least one item.")
    variations = ctx.rows(ListingVariation).find({"listing_id": listing_id}, order_by="variation_id")
    stock = listing["quantity"]
    if variations:
        chosen = next((v for v in variations if v["variation_id"] == variation_id), None)
        if chosen is None:
            options = ", ".join(f"{v['value']} ({v['variation_id']})" for v in variations)
            raise DomainError(
                f"Choose one of the {variations[0]['property_name']} options of '{listing['title']}': {options}."
            )
        stock = chosen["quantity"]
    elif variation_id is not None:
        raise DomainError(f"'{listing['title']}' has no variations.")
    text = check_personalization(listing, personalization)
    carts = ctx.rows(CartItem)
    same = carts.first(
        {"user_id": user_id, "listing_id": listing_id, "variation_id": variation_id, "personalization": text}
    )
    in_cart = sum(
        c["quantity"] for c in carts.find({"user_id": user_id, "listing_id": listing_id, "variation_id": variation_id})
    )
    if in_cart + quantity > stock:
        left = f"only {stock} available" if stock else "none left"
        raise DomainError(f"Not enough stock of '{listing['title']}': {left}, {in_cart} already in your cart.")
    if same is not None:
        carts.update(same["cart_item_id"], quantity=same["quantity"] + quantity)
    else:
        carts.add(
            cart_item_id=_new_id(ctx, 9),
            user_id=user_id,
            listing_id=listing_id,
            shop_id=shop["shop_id"],
            variation_id=variation_id,
            quantity=quantity,
            personalization=text,
            added_timestamp=stamp(ctx.now),
        )
    return _cart(ctx, user_id)


@env.write(intents=["take listing {listing_id} out of my cart", "remove that item from my cart"])
def remove_from_cart(ctx: ToolContext, user_id: int, listing_id: int) -> CartView:
    """Remove every cart line of a listing from the user's cart.

    Args:
        user_id: The user's id.
        listing_id: The listing to remove.
    """
    require_user(ctx, user_id)
    lines = ctx.rows(CartItem).find({"user_id": user_id, "listing_id": listing_id})
    if not lines:
        raise DomainError(f"Listing {listing_id} is not in your cart.")
    for line in lines:
        ctx.rows(CartItem).delete(line["cart_item_id"])
    return _cart(ctx, user_id)


@env.write(intents=["check out my cart from shop {shop_id}", "buy what's in my cart from {shop_id}"])
def checkout_cart(ctx: ToolContext, user_id: int, shop_id: int, message_to_seller: str = "") -> ReceiptView:
    """Buy the cart's items from one shop with Etsy Payments: creates the receipt (order), takes the stock and
    ships to the user's address. Refused when the shop is on vacation or an item can no longer be bought.

    Args:
        user_id: The buyer's user id.
        shop_id: The shop whose items to check out (one receipt per shop).
        message_to_seller: Optional note for the seller, up to 500 characters.
    """
    buyer = require_user(ctx, user_id)
    shop = require_shop(ctx, shop_id)
    lines = ctx.rows(CartItem).find({"user_id": user_id, "shop_id": shop_id}, order_by="cart_item_id")
    if not lines:
        raise DomainError(f"Your cart has nothing from {shop['shop_name']}.")
    if len(message_to_seller) > 500:
        raise DomainError("The message to the seller is limited to 500 characters.")
    routes: list[tuple[Row, int]] = []
    priced: list[tuple[Row, Row, Row | None, Row]] = []
    for line in lines:
        listing = require_listing(ctx, line["listing_id"])
        route = check_buyable(ctx, buyer, listing, shop)
        check_personalization(listing, line["personalization"])
        variation = ctx.rows(ListingVariation).get(line["variation_id"]) if line["variation_id"] else None
        stock = variation["quantity"] if variation else listing["quantity"]
        if line["quantity"] > stock:
            raise DomainError(f"Only {stock} of '{listing['title']}' left; change your cart and try again.")
        routes.append((route, line["quantity"]))
        priced.append((line, listing, variation, route))
    shipping = shipping_cost(routes)
    subtotal = sum((v or item)["price"] * c["quantity"] for c, item, v, _ in priced)
    receipt_id = _new_id(ctx)
    processing = max(r["max_processing_days"] for _, _, _, r in priced)
    ctx.rows(Receipt).add(
        receipt_id=receipt_id,
        shop_id=shop_id,
        seller_user_id=shop["user_id"],
        buyer_user_id=user_id,
        status="paid",
        is_shipped=False,
        ship_to_country_iso=buyer["country_iso"],
        ship_to_city=buyer["city"],
        currency_code=shop["currency_code"],
        subtotal=subtotal,
        total_shipping_cost=shipping,
        grandtotal=subtotal + shipping,
        message_from_buyer=message_to_seller.strip(),
        expected_ship_date=(ctx.now.date() + dt.timedelta(days=processing)).isoformat(),
        created_timestamp=stamp(ctx.now),
    )
    shares = [r["secondary_cost"] * c["quantity"] for c, _, _, r in priced]
    shares[0] += shipping - sum(shares)  # the first line carries the order's first-item rate
    for (line, listing, variation, _), share in zip(priced, shares, strict=True):
        ctx.rows(Transaction).add(
            transaction_id=_new_id(ctx),
            receipt_id=receipt_id,
            listing_id=listing["listing_id"],
            title=listing["title"],
            variation_id=variation["variation_id"] if variation else None,
            variation=f"{variation['property_name']}: {variation['value']}" if variation else "",
            quantity=line["quantity"],
            price=(variation or listing)["price"],
            shipping_cost=share,
            personalization=line["personalization"],
        )
        if variation:
            ctx.rows(ListingVariation).update(
                variation["variation_id"], quantity=variation["quantity"] - line["quantity"]
            )
        else:
            ctx.rows(Listing).update(listing["listing_id"], quantity=listing["quantity"] - line["quantity"])
        sync_quantity(ctx, listing["listing_id"])
        ctx.rows(CartItem).delete(line["cart_item_id"])
    fee = round((subtotal + shipping) * TRANSACTION_FEE_PERCENT / 100)
    for kind, amount in (("sale", subtotal + shipping), ("transaction_fee", -fee)):
        ctx.rows(LedgerEntry).add(
            entry_id=int(ctx.new_id(9, "123456789")),
            shop_id=shop_id,
            kind=kind,
            amount=amount,
            listing_id=None,
            receipt_id=receipt_id,
            created_timestamp=stamp(ctx.now),
        )
    ctx.rows(Shop).update(
        shop_id, transaction_sold_count=shop["transaction_sold_count"] + sum(c["quantity"] for c in lines)
    )
    return _receipt_view(ctx, ctx.rows(Receipt).require(receipt_id, missing=f"There is no order {receipt_id}."))


# -- orders -------------------------------------------------------------------------------------------------------


def _receipt_view(ctx: ToolContext, receipt: Row) -> ReceiptView:
    shop = require_shop(ctx, receipt["shop_id"])
    buyer = require_user(ctx, receipt["buyer_user_id"])
    transactions = ctx.query(
        "SELECT t.*, EXISTS (SELECT 1 FROM reviews r WHERE r.transaction_id = t.transaction_id) AS reviewed "
        "FROM transactions t WHERE t.receipt_id = ? ORDER BY t.transaction_id",
        [receipt["receipt_id"]],
    )
    shipments = ctx.rows(Shipment).find({"receipt_id": receipt["receipt_id"]}, order_by="shipped_timestamp")
    return {
        "receipt_id": receipt["receipt_id"],
        "shop_id": shop["shop_id"],
        "shop_name": shop["shop_name"],
        "buyer_user_id": buyer["user_id"],
        "buyer_name": f"{buyer['first_name']} {buyer['last_name']}",
        "status": receipt["status"],
        "is_shipped": bool(receipt["is_shipped"]),
        "ship_to": f"{receipt['ship_to_city']}, {receipt['ship_to_country_iso']}",
        "currency_code": receipt["currency_code"],
        "subtotal": major(receipt["subtotal"]),
        "total_shipping_cost": major(receipt["total_shipping_cost"]),
        "grandtotal": major(receipt["grandtotal"]),
        "message_from_buyer": receipt["message_from_buyer"],
        "expected_ship_date": receipt["expected_ship_date"],
        "created_timestamp": receipt["created_timestamp"],
        "transactions": [
            {
                "transaction_id": t["transaction_id"],
                "listing_id": t["listing_id"],
                "title": t["title"],
                "variation": t["variation"],
                "quantity": t["quantity"],
                "price": major(t["price"]),
                "shipping_cost": major(t["shipping_cost"]),
                "personalization": t["personalization"],
                "reviewed": bool(t["reviewed"]),
            }
            for t in transactions
        ],
        "shipments": [
            {
                "carrier_name": s["carrier_name"],
                "tracking_code": s["tracking_code"],
                "shipped_timestamp": s["shipped_timestamp"],
            }
            for s in shipments
        ],
    }


@env.read(
    intents=[
        "show my Etsy orders, my user id is {user_id}",
        "which orders of shop {shop_id} still need shipping?",
    ]
)
def get_receipts(
    ctx: ToolContext,
    user_id: int,
    shop_id: int | None = None,
    was_shipped: bool | None = None,
    limit: int = 10,
    offset: int = 0,
) -> ReceiptsPage:
    """List receipts (orders), newest first, with their items and shipments: without shop_id, the user's own
    purchases; with shop_id, the orders a shop the user owns has received.

    Args:
        user_id: The buyer's user id, or the shop owner's when shop_id is given.
        shop_id: The shop whose orders to list (its owner only).
        was_shipped: True for shipped orders only, False for orders still to ship (omit for all).
        limit: Maximum number of receipts to return (1-50).
        offset: Number of receipts to skip, for paging.
    """
    limit, offset = page(limit, offset)
    require_user(ctx, user_id)
    where: dict[str, Any]
    if shop_id is None:
        where = {"buyer_user_id": user_id}
    else:
        owned_shop(ctx, user_id, shop_id)
        where = {"shop_id": shop_id}
    if was_shipped is not None:
        where["is_shipped"] = bool(was_shipped)
    table = ctx.rows(Receipt)
    rows = table.find(where, order_by=["-created_timestamp", "receipt_id"], limit=limit, offset=offset)
    return {"count": table.count(where), "receipts": [_receipt_view(ctx, r) for r in rows]}


@env.read(intents=["what's the status of my order {receipt_id}?", "has order {receipt_id} shipped yet?"])
def get_receipt(ctx: ToolContext, user_id: int, receipt_id: int) -> ReceiptView:
    """Get one receipt (order) by its number, for its buyer or the seller: items, totals, status and tracking.

    Args:
        user_id: The buyer's or the shop owner's user id.
        receipt_id: The order number, such as 3187654320.
    """
    require_user(ctx, user_id)
    receipt = ctx.rows(Receipt).require(receipt_id, missing=f"There is no order {receipt_id}.")
    if user_id not in (receipt["buyer_user_id"], receipt["seller_user_id"]):
        raise DomainError(f"Order {receipt_id} belongs to another account.")
    return _receipt_view(ctx, receipt)


@env.write(
    intents=[
        "mark order {receipt_id} shipped with {carrier_name} tracking {tracking_code}",
        "I've posted order {receipt_id}, the tracking number is {tracking_code}",
    ]
)
def create_receipt_shipment(
    ctx: ToolContext, user_id: int, receipt_id: int, carrier_name: str, tracking_code: str
) -> ReceiptView:
    """Mark an order of the user's shop as shipped with the carrier and tracking code (the buyer is notified);
    the order becomes completed.

    Args:
        user_id: The shop owner's user id.
        receipt_id: The order number.
        carrier_name: One of usps, ups, fedex, dhl, royal-mail, canada-post, australia-post, deutsche-post, la-poste.
        tracking_code: The carrier's tracking code, 8-34 letters and digits.
    """
    receipt = ctx.rows(Receipt).require(receipt_id, missing=f"There is no order {receipt_id}.")
    owned_shop(ctx, user_id, receipt["shop_id"])
    carrier = carrier_name.strip().lower().replace(" ", "-")
    if carrier not in CARRIERS:
        raise DomainError(f"Unknown carrier {carrier_name!r}; use one of {', '.join(CARRIERS)}.")
    code = tracking_code.strip().upper().replace(" ", "")
    if not _TRACKING.match(code):
        raise DomainError(f"{tracking_code!r} is not a tracking code: use 8-34 letters and digits.")
    if receipt["status"] == "canceled":
        raise DomainError(f"Order {receipt_id} was canceled and cannot be shipped.")
    if receipt["is_shipped"]:
        raise DomainError(f"Order {receipt_id} is already marked as shipped.")
    ctx.rows(Shipment).add(
        receipt_shipment_id=_new_id(ctx),
        receipt_id=receipt_id,
        carrier_name=carrier,
        tracking_code=code,
        shipped_timestamp=stamp(ctx.now),
    )
    ctx.rows(Receipt).update(receipt_id, is_shipped=True, status="completed")
    return _receipt_view(ctx, ctx.rows(Receipt).require(receipt_id, missing=f"There is no order {receipt_id}."))


@env.write(
    intents=[
        "leave a {rating}-star review for my purchase {transaction_id}: {review}",
        "review my purchase {transaction_id}, {rating} stars",
    ]
)
def create_review(ctx: ToolContext, user_id: int, transaction_id: int, rating: int, review: str = "") -> ReviewView:
    """Review an item the user bought, once, after its order shipped and within 100 days of shipping; the
    shop's star average is updated.

    Args:
        user_id: The buyer's user id.
        transaction_id: The purchased item (a transaction of one of the user's receipts).
        rating: 1 to 5 stars.
        review: What the buyer says about the item (optional, up to 1000 characters).
    """
    require_user(ctx, user_id)
    item = ctx.rows(Transaction).require(transaction_id, missing=f"There is no purchase {transaction_id}.")
    receipt = ctx.rows(Receipt).require(item["receipt_id"], missing="That purchase has no order.")
    if receipt["buyer_user_id"] != user_id:
        raise DomainError("Only the buyer can review a purchase.")
    if not 1 <= rating <= 5:
        raise DomainError("The rating must be 1 to 5 stars.")
    if len(review) > 1000:
        raise DomainError("A review is limited to 1000 characters.")
    if receipt["status"] == "canceled":
        raise DomainError(f"Order {receipt['receipt_id']} was canceled; there is nothing to review.")
    if not receipt["is_shipped"]:
        raise DomainError(f"'{item['title']}' can be reviewed once order {receipt['receipt_id']} has shipped.")
    shipped = min(s["shipped_timestamp"] for s in ctx.rows(Shipment).find({"receipt_id": receipt["receipt_id"]}))
    if ctx.now - dt.datetime.fromisoformat(shipped) > dt.timedelta(days=REVIEW_WINDOW_DAYS):
        raise DomainError(
            f"Reviews close {REVIEW_WINDOW_DAYS} days after an order ships; this one shipped {shipped[:10]}."
        )
    if ctx.rows(Review).get(transaction_id) is not None:
        raise DomainError(f"You have already reviewed '{item['title']}'.")
    shop = require_shop(ctx, receipt["shop_id"])
    count = shop["review_count"] + 1
    average = round((shop["review_average"] * shop["review_count"] + rating) / count, 2)
    ctx.rows(Review).add(
        transaction_id=transaction_id,
        receipt_id=receipt["receipt_id"],
        listing_id=item["listing_id"],
        shop_id=shop["shop_id"],
        buyer_user_id=user_id,
        rating=rating,
        review=review.strip(),
        created_timestamp=stamp(ctx.now),
    )
    ctx.rows(Shop).update(shop["shop_id"], review_average=average, review_count=count)
    return {
        "transaction_id": transaction_id,
        "listing_id": item["listing_id"],
        "shop_name": shop["shop_name"],
        "rating": rating,
        "review": review.strip(),
        "shop_review_average": average,
        "shop_review_count": count,
    }
