"""The Fake Store API as tools: products and categories, carts, users and login.

Reads are open to anyone, as on the real API. Changes carry the token that ``user_login`` returns: a
customer changes only their own carts and account, and only staff accounts change the catalog.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from typing_extensions import TypedDict

from envfactory_gym.authoring import ToolContext
from envfactory_gym.errors import DomainError

from .definition import env
from .models import (
    DEFAULT_PAGE,
    MAX_CART_LINES,
    MAX_PAGE,
    MAX_PRICE_CENTS,
    MAX_QUANTITY,
    PLACEHOLDER_IMAGE,
    TOKEN_KEY,
    Cart,
    CartItem,
    Category,
    Product,
    ProductSort,
    SortOrder,
    User,
)

# -- views ---------------------------------------------------------------------------------------------------


class Rating(TypedDict):
    rate: float
    count: int


class ProductView(TypedDict):
    product_id: int
    title: str
    price: float
    description: str
    category: str
    image: str
    rating: Rating


class ProductPage(TypedDict):
    total: int
    products: list[ProductView]


class CartLine(TypedDict):
    product_id: int
    quantity: int


class CartLineView(TypedDict):
    product_id: int
    title: str
    price: float
    quantity: int
    line_total: float


class CartView(TypedDict):
    cart_id: int
    user_id: int
    date: str
    products: list[CartLineView]
    total: float


class CartPage(TypedDict):
    total_carts: int
    carts: list[CartView]


class Geolocation(TypedDict):
    lat: float
    long: float


class Address(TypedDict):
    city: str
    street: str
    number: int
    zipcode: str
    geolocation: Geolocation


class Name(TypedDict):
    firstname: str
    lastname: str


class UserView(TypedDict):
    user_id: int
    email: str
    username: str
    name: Name
    address: Address
    phone: str


class LoginView(TypedDict):
    token: str
    user_id: int


class DeletedProduct(TypedDict):
    product_id: int
    title: str
    removed_from_carts: int


class DeletedCart(TypedDict):
    cart_id: int
    deleted: bool


# -- helpers -------------------------------------------------------------------------------------------------

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
PHONE = re.compile(r"^[0-9+][0-9 ()-]{6,19}$")


def _dollars(cents: int) -> float:
    return round(cents / 100, 2)


def _cents(price: float) -> int:
    """A price in dollars and cents as whole cents; refuses fractions of a cent and silly amounts."""
    cents = round(price * 100)
    if abs(price * 100 - cents) > 1e-6:
        raise DomainError(f"A price has at most two decimals (dollars and cents); got {price}.")
    if not 1 <= cents <= MAX_PRICE_CENTS:
        raise DomainError(f"A price must be between $0.01 and ${MAX_PRICE_CENTS // 100:,}.")
    return cents


def _page(limit: int, offset: int) -> tuple[int, int]:
    """A page request checked: 1-50 results from a non-negative position."""
    if limit < 1 or limit > MAX_PAGE or offset < 0:
        raise DomainError(f"Ask for 1 to {MAX_PAGE} results (limit) starting at position 0 or later (offset).")
    return limit, offset


def _product_view(row: dict[str, Any]) -> ProductView:
    return {
        "product_id": row["product_id"],
        "title": row["title"],
        "price": _dollars(row["price_cents"]),
        "description": row["description"],
        "category": row["category"],
        "image": row["image"],
        "rating": {"rate": row["rating_rate"], "count": row["rating_count"]},
    }


def _require_product(ctx: ToolContext, product_id: int) -> dict[str, Any]:
    return ctx.rows(Product).require(product_id, missing=f"There is no product {product_id}.")


def _product_page(
    ctx: ToolContext, where: str, params: list[Any], limit: int, offset: int, sort: SortOrder, sort_by: ProductSort
) -> ProductPage:
    limit, offset = _page(limit, offset)
    column = {"id": "product_id", "price": "price_cents", "rating": "rating_rate"}[sort_by]
    direction = "DESC" if sort == "desc" else "ASC"
    rows = ctx.query(
        f"SELECT * FROM products WHERE {where} ORDER BY {column} {direction}, product_id {direction} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    total = ctx.query(f"SELECT COUNT(*) AS n FROM products WHERE {where}", params)[0]["n"]
    return {"total": total, "products": [_product_view(r) for r in rows]}


def _cart_view(ctx: ToolContext, cart: dict[str, Any]) -> CartView:
    lines = ctx.query(
        "SELECT i.product_id, i.quantity, p.title, p.price_cents FROM cart_items i "
        "JOIN products p ON p.product_id = i.product_id WHERE i.cart_id = ? ORDER BY i.product_id",
        [cart["cart_id"]],
    )
    products: list[CartLineView] = [
        {
            "product_id": line["product_id"],
            "title": line["title"],
            "price": _dollars(line["price_cents"]),
            "quantity": line["quantity"],
            "line_total": _dollars(line["price_cents"] * line["quantity"]),
        }
        for line in lines
    ]
    total = sum(line["price_cents"] * line["quantity"] for line in lines)
    return {
        "cart_id": cart["cart_id"],
        "user_id": cart["user_id"],
        "date": cart["date"],
        "products": products,
        "total": _dollars(total),
    }


def _date(value: str, name: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise DomainError(f"{name} must be a date written YYYY-MM-DD, such as 2024-05-01; got {value!r}.") from None


def _date_range(start_date: str | None, end_date: str | None) -> tuple[str, list[Any]]:
    clauses, params = ["1 = 1"], []
    if start_date:
        clauses.append("date >= ?")
        params.append(_date(start_date, "start_date"))
    if end_date:
        clauses.append("date <= ?")
        params.append(_date(end_date, "end_date"))
    if start_date and end_date and params[0] > params[1]:
        raise DomainError("start_date must not be after end_date.")
    return " AND ".join(clauses), params


TOKEN = re.compile(r"^fs_(\d{1,9})_([0-9a-f]{32})$")


def _signature(user: dict[str, Any]) -> str:
    return hashlib.sha256(f"{TOKEN_KEY}|{user['user_id']}|{user['password']}".encode()).hexdigest()[:32]


def _logged_in(ctx: ToolContext, token: str) -> dict[str, Any]:
    """The account a token was issued to; refuses a token that no login issued."""
    match = TOKEN.match(token.strip()) if isinstance(token, str) else None
    user = ctx.rows(User).get(int(match.group(1))) if match else None
    if match is None or user is None or match.group(2) != _signature(user):
        raise DomainError("You are not logged in: log in with the account's username and password first.")
    return user


def _staff(ctx: ToolContext, token: str) -> dict[str, Any]:
    user = _logged_in(ctx, token)
    if user["role"] != "admin":
        raise DomainError("Only store staff can change the product catalog; this account is a customer account.")
    return user


def _own_cart(ctx: ToolContext, token: str, cart_id: int) -> dict[str, Any]:
    user = _logged_in(ctx, token)
    cart = ctx.rows(Cart).require(cart_id, missing=f"There is no cart {cart_id}.")
    if cart["user_id"] != user["user_id"]:
        raise DomainError(f"Cart {cart_id} belongs to another customer; you can change only your own carts.")
    return cart


def _check_lines(ctx: ToolContext, products: list[CartLine]) -> dict[int, int]:
    """A cart's contents checked: products that exist, 1-20 units each, no product twice, at most 15 lines."""
    if not products:
        raise DomainError("A cart needs at least one product; to empty a cart, delete it.")
    if len(products) > MAX_CART_LINES:
        raise DomainError(f"A cart holds at most {MAX_CART_LINES} different products.")
    lines: dict[int, int] = {}
    for line in products:
        product_id, quantity = int(line["product_id"]), int(line["quantity"])
        _require_product(ctx, product_id)
        if product_id in lines:
            raise DomainError(f"Product {product_id} is listed twice; give one line with the total quantity.")
        _check_quantity(quantity)
        lines[product_id] = quantity
    return lines


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise DomainError(f"A quantity must be between 1 and {MAX_QUANTITY} units; got {quantity}.")


def _write_lines(ctx: ToolContext, cart_id: int, lines: dict[int, int]) -> None:
    items = ctx.rows(CartItem)
    for old in items.find({"cart_id": cart_id}):
        items.delete(cart_id, old["product_id"])
    for product_id, quantity in lines.items():
        items.add(cart_id=cart_id, product_id=product_id, quantity=quantity)


def _check_category(ctx: ToolContext, category: str) -> str:
    if ctx.rows(Category).get(category) is None:
        names = ", ".join(c["category"] for c in ctx.rows(Category).find(order_by="category"))
        raise DomainError(f"There is no category {category!r}; the categories are: {names}.")
    return category


def _check_text(value: str, name: str, longest: int) -> str:
    text = value.strip()
    if not 3 <= len(text) <= longest:
        raise DomainError(f"The {name} must be 3 to {longest} characters long.")
    return text


def _check_title(ctx: ToolContext, title: str, product_id: int | None = None) -> str:
    text = _check_text(title, "title", 120)
    clash = ctx.query(
        "SELECT product_id FROM products WHERE lower(title) = lower(?) AND product_id != ?", [text, product_id or 0]
    )
    if clash:
        raise DomainError(f"Product {clash[0]['product_id']} already has the title {text!r}.")
    return text


def _check_image(image: str) -> str:
    url = image.strip()
    if not url:
        return PLACEHOLDER_IMAGE
    if not re.match(r"^https?://\S+$", url):
        raise DomainError("The image must be a web address starting with http:// or https://.")
    return url


# -- products ------------------------------------------------------------------------------------------------


@env.read(intents=["show me what the store sells", "list the newest products in the store"])
def get_all_products(
    ctx: ToolContext, limit: int = DEFAULT_PAGE, offset: int = 0, sort: SortOrder = "asc", sort_by: ProductSort = "id"
) -> ProductPage:
    """List the catalog's products, like GET /products?limit=&sort= on the Fake Store API.

    Args:
        limit: Maximum number of products to return (1-50).
        offset: Number of products to skip, for paging.
        sort: 'asc' or 'desc' order.
        sort_by: Order by 'id' (the default, oldest listing first), 'price' or 'rating' (average rate).
    """
    return _product_page(ctx, "1 = 1", [], limit, offset, sort, sort_by)


@env.read(intents=["tell me about product {product_id}", "what does product {product_id} cost?"])
def get_product_by_id(ctx: ToolContext, product_id: int) -> ProductView:
    """Get one product: title, price in dollars, description, category, image and its rating.

    Args:
        product_id: The product's id, such as 5.
    """
    return _product_view(_require_product(ctx, product_id))


@env.read(intents=["find {title} in the store", "do you sell anything called {title}?"])
def search_products(
    ctx: ToolContext, title: str, category: str | None = None, limit: int = DEFAULT_PAGE, offset: int = 0
) -> ProductPage:
    """Find products whose title contains some words (all of them, in any order, ignoring case).

    Args:
        title: Words from the product title, such as 'SanDisk SSD' or 'cotton jacket'.
        category: Only products of this category, such as 'electronics'.
        limit: Maximum number of products to return (1-50).
        offset: Number of products to skip, for paging.
    """
    words = title.lower().split()
    if not words:
        raise DomainError("Give at least one word of the product title to search for.")
    clauses = ["lower(title) LIKE ?" for _ in words]
    params: list[Any] = [f"%{w}%" for w in words]
    if category is not None:
        clauses.append("category = ?")
        params.append(_check_category(ctx, category))
    return _product_page(ctx, " AND ".join(clauses), params, limit, offset, "asc", "id")


@env.read(intents=["what do you have in {category}?", "show me the {category} products"])
def get_products_by_category(
    ctx: ToolContext,
    category: str,
    limit: int = DEFAULT_PAGE,
    offset: int = 0,
    sort: SortOrder = "asc",
    sort_by: ProductSort = "id",
) -> ProductPage:
    """List the products of one category, like GET /products/category/{category}.

    Args:
        category: A category name exactly as get_all_categories lists it, such as "men's clothing".
        limit: Maximum number of products to return (1-50).
        offset: Number of products to skip, for paging.
        sort: 'asc' or 'desc' order.
        sort_by: Order by 'id', 'price' or 'rating' (average rate).
    """
    _check_category(ctx, category)
    return _product_page(ctx, "category = ?", [category], limit, offset, sort, sort_by)


@env.read(intents=["what categories does the store have?", "which departments can I shop in?"])
def get_all_categories(ctx: ToolContext) -> list[str]:
    """List every product category's name."""
    return [row["category"] for row in ctx.rows(Category).find(order_by="category")]


@env.write(
    intents=["add a new product {title} at {price} dollars in {category}", "list {title} in {category} for {price}"]
)
def create_product(
    ctx: ToolContext, token: str, title: str, price: float, description: str, category: str, image: str = ""
) -> ProductView:
    """Add a product to the catalog (store staff only); it starts with no ratings and gets the next id.

    Args:
        token: The token from user_login of a staff account.
        title: The product title, 3-120 characters, not already used by another product.
        price: Price in US dollars and cents, such as 24.99.
        description: What the product is, 3-600 characters.
        category: One of the existing categories.
        image: Web address of the product photo; leave empty for the store's placeholder image.
    """
    _staff(ctx, token)
    values = {
        "title": _check_title(ctx, title),
        "price_cents": _cents(price),
        "description": _check_text(description, "description", 600),
        "category": _check_category(ctx, category),
        "image": _check_image(image),
    }
    next_id = ctx.query("SELECT COALESCE(MAX(product_id), 0) + 1 AS n FROM products")[0]["n"]
    row = ctx.rows(Product).insert(product_id=next_id, rating_rate=0.0, rating_count=0, **values)
    return _product_view(row)


@env.write(intents=["change the price of product {product_id} to {price}", "move product {product_id} to {category}"])
def update_product(
    ctx: ToolContext,
    token: str,
    product_id: int,
    title: str | None = None,
    price: float | None = None,
    description: str | None = None,
    category: str | None = None,
    image: str | None = None,
) -> ProductView:
    """Change a product's title, price, description, category or image (store staff only).

    Args:
        token: The token from user_login of a staff account.
        product_id: The product to change.
        title: New title (omit to keep).
        price: New price in US dollars and cents (omit to keep).
        description: New description (omit to keep).
        category: New category, one of the existing ones (omit to keep).
        image: New image web address (omit to keep).
    """
    _staff(ctx, token)
    product = _require_product(ctx, product_id)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = _check_title(ctx, title, product_id)
    if price is not None:
        changes["price_cents"] = _cents(price)
    if description is not None:
        changes["description"] = _check_text(description, "description", 600)
    if category is not None:
        changes["category"] = _check_category(ctx, category)
    if image is not None:
        changes["image"] = _check_image(image)
    changes = {k: v for k, v in changes.items() if product[k] != v}
    if not changes:
        raise DomainError(f"Nothing to change: product {product_id} already has these details.")
    ctx.rows(Product).update(product_id, **changes)
    return _product_view(_require_product(ctx, product_id))


@env.write(intents=["delete product {product_id} from the catalog", "stop selling product {product_id}"])
def delete_product(ctx: ToolContext, token: str, product_id: int) -> DeletedProduct:
    """Remove a product from the catalog (store staff only); it is also taken out of every cart, and a cart
    left empty is deleted.

    Args:
        token: The token from user_login of a staff account.
        product_id: The product to delete.
    """
    _staff(ctx, token)
    product = _require_product(ctx, product_id)
    lines = ctx.query("SELECT cart_id FROM cart_items WHERE product_id = ? ORDER BY cart_id", [product_id])
    for line in lines:
        ctx.rows(CartItem).delete(line["cart_id"], product_id)
        if ctx.rows(CartItem).count({"cart_id": line["cart_id"]}) == 0:
            ctx.rows(Cart).delete(line["cart_id"])
    ctx.rows(Product).delete(product_id)
    return {"product_id": product_id, "title": product["title"], "removed_from_carts": len(lines)}


# -- carts ---------------------------------------------------------------------------------------------------


@env.read(intents=["show the carts from {start_date} to {end_date}", "list the latest shopping carts"])
def get_all_carts(
    ctx: ToolContext,
    limit: int = DEFAULT_PAGE,
    offset: int = 0,
    sort: SortOrder = "asc",
    start_date: str | None = None,
    end_date: str | None = None,
) -> CartPage:
    """List carts, like GET /carts?startdate=&enddate=&sort=, ordered by date; total_carts counts every match.

    Args:
        limit: Maximum number of carts to return (1-50).
        offset: Number of carts to skip, for paging.
        sort: 'asc' (oldest first) or 'desc' (newest first).
        start_date: Only carts dated on or after this day, YYYY-MM-DD.
        end_date: Only carts dated on or before this day, YYYY-MM-DD.
    """
    limit, offset = _page(limit, offset)
    where, params = _date_range(start_date, end_date)
    direction = "DESC" if sort == "desc" else "ASC"
    rows = ctx.query(
        f"SELECT * FROM carts WHERE {where} ORDER BY date {direction}, cart_id {direction} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    total = ctx.query(f"SELECT COUNT(*) AS n FROM carts WHERE {where}", params)[0]["n"]
    return {"total_carts": total, "carts": [_cart_view(ctx, r) for r in rows]}


@env.read(intents=["show me cart {cart_id}", "what's in cart {cart_id}?"])
def get_cart(ctx: ToolContext, cart_id: int) -> CartView:
    """Get one cart: its owner, date, each product with quantity and price, and the cart total in dollars.

    Args:
        cart_id: The cart's id.
    """
    return _cart_view(ctx, ctx.rows(Cart).require(cart_id, missing=f"There is no cart {cart_id}."))


@env.read(intents=["show the carts of user {user_id}", "what's in my carts? my user id is {user_id}"])
def get_user_cart(
    ctx: ToolContext, user_id: int, start_date: str | None = None, end_date: str | None = None
) -> list[CartView]:
    """List one user's carts, newest first, like GET /carts/user/{user_id}.

    Args:
        user_id: The user's id (user_login returns it).
        start_date: Only carts dated on or after this day, YYYY-MM-DD.
        end_date: Only carts dated on or before this day, YYYY-MM-DD.
    """
    ctx.rows(User).require(user_id, missing=f"There is no user {user_id}.")
    where, params = _date_range(start_date, end_date)
    rows = ctx.query(
        f"SELECT * FROM carts WHERE user_id = ? AND {where} ORDER BY date DESC, cart_id DESC LIMIT ?",
        [user_id, *params, MAX_PAGE],
    )
    return [_cart_view(ctx, r) for r in rows]


@env.write(intents=["start a new cart with {products}", "put {products} in a new cart"])
def add_cart(ctx: ToolContext, token: str, products: list[CartLine]) -> CartView:
    """Start a new cart for the logged-in user, dated today, with some products.

    Args:
        token: The token from user_login.
        products: The cart's contents, each as {'product_id': 5, 'quantity': 2} (1-20 units, up to 15 products).
    """
    user = _logged_in(ctx, token)
    lines = _check_lines(ctx, products)
    cart_id = ctx.query("SELECT COALESCE(MAX(cart_id), 0) + 1 AS n FROM carts")[0]["n"]
    cart = ctx.rows(Cart).insert(cart_id=cart_id, user_id=user["user_id"], date=ctx.now.date().isoformat())
    _write_lines(ctx, cart_id, lines)
    return _cart_view(ctx, cart)


@env.write(
    intents=[
        "add {quantity} of product {product_id} to cart {cart_id}",
        "put product {product_id} in my cart {cart_id}",
    ]
)
def add_to_cart(ctx: ToolContext, token: str, cart_id: int, product_id: int, quantity: int = 1) -> CartView:
    """Add units of a product to one of the logged-in user's carts (more units if it is already there).

    Args:
        token: The token from user_login.
        cart_id: One of the user's carts.
        product_id: The product to add.
        quantity: Units to add (the line may hold at most 20).
    """
    cart = _own_cart(ctx, token, cart_id)
    _require_product(ctx, product_id)
    if quantity < 1:
        raise DomainError("Add at least one unit; to take a product out, remove it from the cart.")
    items = ctx.rows(CartItem)
    line = items.get(cart_id, product_id)
    if line is None:
        if items.count({"cart_id": cart_id}) >= MAX_CART_LINES:
            raise DomainError(f"Cart {cart_id} already holds {MAX_CART_LINES} different products.")
        _check_quantity(quantity)
        items.add(cart_id=cart_id, product_id=product_id, quantity=quantity)
    else:
        total = line["quantity"] + quantity
        if total > MAX_QUANTITY:
            raise DomainError(
                f"Cart {cart_id} already has {line['quantity']} of product {product_id}; a line holds at most "
                f"{MAX_QUANTITY} units."
            )
        items.update((cart_id, product_id), quantity=total)
    return _cart_view(ctx, cart)


@env.write(intents=["replace what's in cart {cart_id} with {products}", "change my cart {cart_id} to {products}"])
def update_cart(ctx: ToolContext, token: str, cart_id: int, products: list[CartLine]) -> CartView:
    """Replace the whole contents of one of the logged-in user's carts, like PUT /carts/{cart_id}: products
    left out are removed and the quantities given are set.

    Args:
        token: The token from user_login.
        cart_id: One of the user's carts.
        products: The new contents, each as {'product_id': 5, 'quantity': 2} (1-20 units, up to 15 products).
    """
    cart = _own_cart(ctx, token, cart_id)
    lines = _check_lines(ctx, products)
    current = {i["product_id"]: i["quantity"] for i in ctx.rows(CartItem).find({"cart_id": cart_id})}
    if current == lines:
        raise DomainError(f"Nothing to change: cart {cart_id} already holds exactly these products.")
    _write_lines(ctx, cart_id, lines)
    return _cart_view(ctx, cart)


@env.write(intents=["take product {product_id} out of cart {cart_id}", "remove product {product_id} from my cart"])
def remove_from_cart(ctx: ToolContext, token: str, cart_id: int, product_id: int) -> CartView:
    """Take a product out of one of the logged-in user's carts. The last product cannot be removed: delete
    the cart instead.

    Args:
        token: The token from user_login.
        cart_id: One of the user's carts.
        product_id: The product to take out.
    """
    cart = _own_cart(ctx, token, cart_id)
    items = ctx.rows(CartItem)
    if items.get(cart_id, product_id) is None:
        raise DomainError(f"Product {product_id} is not in cart {cart_id}.")
    if items.count({"cart_id": cart_id}) == 1:
        raise DomainError(f"Product {product_id} is the only thing in cart {cart_id}; delete the cart instead.")
    items.delete(cart_id, product_id)
    return _cart_view(ctx, cart)


@env.write(intents=["delete my cart {cart_id}", "throw away cart {cart_id}"])
def delete_cart(ctx: ToolContext, token: str, cart_id: int) -> DeletedCart:
    """Delete one of the logged-in user's carts with everything in it.

    Args:
        token: The token from user_login.
        cart_id: One of the user's carts.
    """
    _own_cart(ctx, token, cart_id)
    items = ctx.rows(CartItem)
    for line in items.find({"cart_id": cart_id}):
        items.delete(cart_id, line["product_id"])
    ctx.rows(Cart).delete(cart_id)
    return {"cart_id": cart_id, "deleted": True}


# -- users ---------------------------------------------------------------------------------------------------


def _user_view(row: dict[str, Any]) -> UserView:
    return {
        "user_id": row["user_id"],
        "email": row["email"],
        "username": row["username"],
        "name": {"firstname": row["firstname"], "lastname": row["lastname"]},
        "address": {
            "city": row["city"],
            "street": row["street"],
            "number": row["number"],
            "zipcode": row["zipcode"],
            "geolocation": {"lat": row["lat"], "long": row["long"]},
        },
        "phone": row["phone"],
    }


@env.read(intents=["log me in as {username} with password {password}", "sign in to {username}"])
def user_login(ctx: ToolContext, username: str, password: str) -> LoginView:
    """Log in with a username and password, like POST /auth/login; returns the token that changes need
    (it stays valid; logging in again gives the same token).

    Args:
        username: The account's username.
        password: The account's password (case-sensitive).
    """
    user = ctx.rows(User).first({"username": username.strip().lower()})
    if user is None or user["password"] != password:
        raise DomainError("The username or password is incorrect.")
    return {"token": f"fs_{user['user_id']}_{_signature(user)}", "user_id": user["user_id"]}


@env.read(intents=["show the account of user {user_id}", "what address do you have for user {user_id}?"])
def get_user(ctx: ToolContext, user_id: int) -> UserView:
    """Get a user's account: email, username, name, address with geolocation and phone (never the password).

    Args:
        user_id: The user's id (user_login returns it).
    """
    return _user_view(ctx.rows(User).require(user_id, missing=f"There is no user {user_id}."))


@env.write(
    intents=["change my email to {email}", "update my phone number to {phone}", "I moved to {number} {street}, {city}"]
)
def update_user(
    ctx: ToolContext,
    token: str,
    email: str | None = None,
    phone: str | None = None,
    city: str | None = None,
    street: str | None = None,
    number: int | None = None,
    zipcode: str | None = None,
    firstname: str | None = None,
    lastname: str | None = None,
) -> UserView:
    """Change the logged-in user's own account details; fields left out are kept. A new address gives
    street, number, city and zipcode together.

    Args:
        token: The token from user_login.
        email: New email address, not used by another account.
        phone: New phone number, such as '1-570-236-7033'.
        city: New city (with street, number and zipcode).
        street: New street name, such as 'Kilkenny Road'.
        number: New house number.
        zipcode: New ZIP code.
        firstname: New first name.
        lastname: New last name.
    """
    user = _logged_in(ctx, token)
    changes: dict[str, Any] = {}
    if email is not None:
        address = email.strip().lower()
        if not EMAIL.match(address):
            raise DomainError(f"{email!r} is not a valid email address.")
        other = ctx.rows(User).first({"email": address})
        if other is not None and other["user_id"] != user["user_id"]:
            raise DomainError(f"The email {address} is already used by another account.")
        changes["email"] = address
    if phone is not None:
        if not PHONE.match(phone.strip()):
            raise DomainError(f"{phone!r} is not a valid phone number.")
        changes["phone"] = phone.strip()
    moving = [v is not None for v in (city, street, number, zipcode)]
    if any(moving) and not all(moving):
        raise DomainError("A new address needs the street, house number, city and ZIP code together.")
    if all(moving):
        if number is None or number < 1:
            raise DomainError("The house number must be a positive number.")
        if not re.match(r"^\d{5}(-\d{4})?$", str(zipcode).strip()):
            raise DomainError(f"{zipcode!r} is not a valid ZIP code.")
        changes |= {
            "city": _check_text(str(city), "city", 60),
            "street": _check_text(str(street), "street", 80),
            "number": number,
            "zipcode": str(zipcode).strip(),
        }
    for name, value in (("firstname", firstname), ("lastname", lastname)):
        if value is not None:
            if not 1 <= len(value.strip()) <= 40:
                raise DomainError(f"The {name} must be 1 to 40 characters long.")
            changes[name] = value.strip()
    changes = {k: v for k, v in changes.items() if user[k] != v}
    if not changes:
        raise DomainError("Nothing to change: the account already has these details.")
    ctx.rows(User).update(user["user_id"], **changes)
    return _user_view(ctx.rows(User).require(user["user_id"], missing="The account no longer exists."))
