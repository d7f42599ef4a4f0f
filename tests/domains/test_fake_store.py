"""The Fake Store environment: every tool, the login and ownership rules, cart limits, staff-only catalog
changes, seeding, and a gym episode."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from envfactory_gym.database import build_snapshot, get_snapshot
from envfactory_gym.domains.shopping import fake_store
from envfactory_gym.gold import with_gold_changes
from envfactory_gym.tasks import load_tasks
from envfactory_gym.testing import EpisodeHarness, oracle_and_noop_rewards

MAX_QUANTITY = fake_store.models.MAX_QUANTITY


@pytest.fixture
def h() -> Iterator[EpisodeHarness]:
    harness = EpisodeHarness(fake_store.env)
    yield harness
    harness.close()


def customer_with_cart(h: EpisodeHarness, lines: int = 2) -> dict[str, Any]:
    """A customer, their newest cart with at least ``lines`` products, and a login token."""
    row = h.rows(
        "SELECT u.*, c.cart_id FROM users u JOIN carts c ON c.user_id = u.user_id WHERE u.role = 'customer' "
        "AND (SELECT COUNT(*) FROM cart_items i WHERE i.cart_id = c.cart_id) >= ? ORDER BY c.cart_id LIMIT 1",
        lines,
    )[0]
    row["token"] = h.ok("user_login", username=row["username"], password=row["password"])["token"]
    return row


def staff_token(h: EpisodeHarness) -> str:
    staff = h.rows("SELECT * FROM users WHERE role = 'admin' LIMIT 1")[0]
    return h.ok("user_login", username=staff["username"], password=staff["password"])["token"]


def lines_of(h: EpisodeHarness, cart_id: int) -> dict[int, int]:
    return {r["product_id"]: r["quantity"] for r in h.rows("SELECT * FROM cart_items WHERE cart_id = ?", cart_id)}


def test_catalog_reads(h: EpisodeHarness) -> None:
    categories = h.ok("get_all_categories")
    assert {"electronics", "jewelery", "men's clothing", "women's clothing"} <= set(categories)
    page = h.ok("get_all_products", limit=5)
    assert page["total"] == len(h.rows("SELECT * FROM products")) and len(page["products"]) == 5
    assert [p["product_id"] for p in page["products"]] == [1, 2, 3, 4, 5]
    newest = h.ok("get_all_products", limit=3, sort="desc")["products"]
    assert newest[0]["product_id"] == page["total"]
    by_price = h.ok("get_products_by_category", category="electronics", sort_by="price", limit=50)
    prices = [p["price"] for p in by_price["products"]]
    assert prices == sorted(prices) and all(p["category"] == "electronics" for p in by_price["products"])
    cheapest = h.rows("SELECT MIN(price_cents) AS c FROM products WHERE category = 'electronics'")[0]["c"]
    assert prices[0] == cheapest / 100
    best = h.ok("get_products_by_category", category="beauty", sort_by="rating", sort="desc", limit=1)["products"][0]
    assert (
        best["rating"]["rate"] == h.rows("SELECT MAX(rating_rate) AS r FROM products WHERE category = 'beauty'")[0]["r"]
    )
    product = h.ok("get_product_by_id", product_id=best["product_id"])
    assert product == best and set(product["rating"]) == {"rate", "count"}
    found = h.ok("search_products", title="flannel shirt")
    assert found["total"] >= 2 and all("Flannel Shirt" in p["title"] for p in found["products"])
    assert h.ok("search_products", title="shirt flannel", category="men's clothing")["total"] == found["total"]


def test_prices_are_dollars_and_cents(h: EpisodeHarness) -> None:
    row = h.rows("SELECT * FROM products WHERE price_cents % 100 != 0 LIMIT 1")[0]
    assert h.ok("get_product_by_id", product_id=row["product_id"])["price"] == row["price_cents"] / 100


def test_cart_reads_and_date_ranges(h: EpisodeHarness) -> None:
    cart = h.rows("SELECT * FROM carts ORDER BY cart_id LIMIT 1")[0]
    view = h.ok("get_cart", cart_id=cart["cart_id"])
    expected = sum(
        r["quantity"] * r["price_cents"]
        for r in h.rows(
            "SELECT i.quantity, p.price_cents FROM cart_items i JOIN products p USING (product_id) WHERE cart_id = ?",
            cart["cart_id"],
        )
    )
    assert view["total"] == round(expected / 100, 2) and view["user_id"] == cart["user_id"]
    page = h.ok("get_all_carts", start_date="2024-05-01", end_date="2024-05-07", limit=50)
    count = h.rows("SELECT COUNT(*) AS n FROM carts WHERE date BETWEEN '2024-05-01' AND '2024-05-07'")[0]["n"]
    assert page["total_carts"] == count == len(page["carts"]) > 0
    assert all("2024-05-01" <= c["date"] <= "2024-05-07" for c in page["carts"])
    newest = h.ok("get_all_carts", sort="desc", limit=2)["carts"]
    assert newest[0]["date"] >= newest[1]["date"]
    mine = h.ok("get_user_cart", user_id=cart["user_id"])
    assert cart["cart_id"] in {c["cart_id"] for c in mine} and all(c["user_id"] == cart["user_id"] for c in mine)
    assert "not be after" in h.error("get_all_carts", start_date="2024-05-09", end_date="2024-05-01")
    assert "YYYY-MM-DD" in h.error("get_all_carts", start_date="last week")


def test_login_and_user_account(h: EpisodeHarness) -> None:
    user = h.rows("SELECT * FROM users WHERE role = 'customer' LIMIT 1")[0]
    assert "incorrect" in h.error("user_login", username=user["username"], password=user["password"].upper() + "x")
    assert "incorrect" in h.error("user_login", username="nobody.here", password="whatever")
    login = h.ok("user_login", username=user["username"], password=user["password"])
    assert login["user_id"] == user["user_id"] and login["token"].startswith("fs_")
    assert h.ok("user_login", username=user["username"], password=user["password"]) == login
    forged = f"fs_{user['user_id']}_{'0' * 32}"
    assert "not logged in" in h.error("update_user", token=forged, email="forged@example.com")
    account = h.ok("get_user", user_id=user["user_id"])
    assert account["username"] == user["username"] and "password" not in str(account).lower()
    assert set(account["address"]["geolocation"]) == {"lat", "long"}
    changed = h.ok(
        "update_user", token=login["token"], street="Kilkenny Road", number=7682, city="San Antonio", zipcode="78251"
    )
    assert changed["address"]["street"] == "Kilkenny Road" and changed["address"]["number"] == 7682
    h.ok("update_user", token=login["token"], email="New.Address@proton.me")
    assert h.rows("SELECT email FROM users WHERE user_id = ?", user["user_id"])[0]["email"] == "new.address@proton.me"
    other = h.rows("SELECT email FROM users WHERE user_id != ? LIMIT 1", user["user_id"])[0]["email"]
    assert "already used" in h.error("update_user", token=login["token"], email=other)
    assert "not a valid email" in h.error("update_user", token=login["token"], email="not-an-email")
    assert "together" in h.error("update_user", token=login["token"], city="Boise")
    assert "Nothing to change" in h.error("update_user", token=login["token"], email="new.address@proton.me")
    assert "not logged in" in h.error("update_user", token="fs_forged", email="x@y.com")


def test_cart_changes(h: EpisodeHarness) -> None:
    me = customer_with_cart(h)
    token, cart_id = me["token"], me["cart_id"]
    before = lines_of(h, cart_id)
    new_product = h.rows("SELECT product_id FROM products WHERE product_id NOT IN (SELECT product_id FROM cart_items "
                         "WHERE cart_id = ?) LIMIT 1", cart_id)[0]["product_id"]  # fmt: skip
    h.ok("add_to_cart", token=token, cart_id=cart_id, product_id=new_product, quantity=2)
    h.ok("add_to_cart", token=token, cart_id=cart_id, product_id=new_product, quantity=1)
    assert lines_of(h, cart_id) == {**before, new_product: 3}
    h.ok("remove_from_cart", token=token, cart_id=cart_id, product_id=new_product)
    assert lines_of(h, cart_id) == before
    first = min(before)
    updated = h.ok("update_cart", token=token, cart_id=cart_id, products=[{"product_id": first, "quantity": 5}])
    assert lines_of(h, cart_id) == {first: 5} and updated["products"][0]["quantity"] == 5
    created = h.ok(
        "add_cart", token=token, products=[{"product_id": 1, "quantity": 1}, {"product_id": 2, "quantity": 2}]
    )
    assert created["user_id"] == me["user_id"] and created["date"] == fake_store.models.NOW.date().isoformat()
    assert created["cart_id"] == h.rows("SELECT MAX(cart_id) AS m FROM carts")[0]["m"]
    assert h.ok("delete_cart", token=token, cart_id=created["cart_id"]) == {
        "cart_id": created["cart_id"],
        "deleted": True,
    }
    assert not h.rows("SELECT * FROM cart_items WHERE cart_id = ?", created["cart_id"])


def test_cart_rules_are_refused_without_changes(h: EpisodeHarness) -> None:
    me = customer_with_cart(h)
    token, cart_id = me["token"], me["cart_id"]
    line = h.rows("SELECT * FROM cart_items WHERE cart_id = ? ORDER BY product_id LIMIT 1", cart_id)[0]
    assert "not logged in" in h.error("add_to_cart", token="", cart_id=cart_id, product_id=1)
    assert "not logged in" in h.error("add_cart", token="fs_madeup", products=[{"product_id": 1, "quantity": 1}])
    other = h.rows("SELECT cart_id FROM carts WHERE user_id != ? LIMIT 1", me["user_id"])[0]["cart_id"]
    assert "another customer" in h.error("delete_cart", token=token, cart_id=other)
    assert "another customer" in h.error("add_to_cart", token=token, cart_id=other, product_id=1)
    assert "no product 9999" in h.error("add_to_cart", token=token, cart_id=cart_id, product_id=9999)
    assert "no product 9999" in h.error("add_cart", token=token, products=[{"product_id": 9999, "quantity": 1}])
    assert "between 1 and 20" in h.error("add_cart", token=token, products=[{"product_id": 1, "quantity": 0}])
    assert "between 1 and 20" in h.error("add_cart", token=token, products=[{"product_id": 1, "quantity": 21}])
    assert "at least one unit" in h.error("add_to_cart", token=token, cart_id=cart_id, product_id=1, quantity=-2)
    too_many = MAX_QUANTITY - line["quantity"] + 1
    assert "at most 20" in h.error(
        "add_to_cart", token=token, cart_id=cart_id, product_id=line["product_id"], quantity=too_many
    )
    twice = [{"product_id": 3, "quantity": 1}, {"product_id": 3, "quantity": 2}]
    assert "listed twice" in h.error("update_cart", token=token, cart_id=cart_id, products=twice)
    assert "at least one product" in h.error("update_cart", token=token, cart_id=cart_id, products=[])
    sixteen = [{"product_id": i, "quantity": 1} for i in range(1, 17)]
    assert "at most 15" in h.error("add_cart", token=token, products=sixteen)
    same = [{"product_id": p, "quantity": q} for p, q in lines_of(h, cart_id).items()]
    assert "Nothing to change" in h.error("update_cart", token=token, cart_id=cart_id, products=same)
    assert "not in cart" in h.error("remove_from_cart", token=token, cart_id=cart_id, product_id=9999)
    assert "no cart 99999" in h.error("get_cart", cart_id=99999)


def test_the_last_product_cannot_be_removed(h: EpisodeHarness) -> None:
    me = customer_with_cart(h, lines=1)
    single = h.rows(
        "SELECT c.cart_id, i.product_id FROM carts c JOIN cart_items i USING (cart_id) WHERE c.user_id = ? "
        "GROUP BY c.cart_id HAVING COUNT(*) = 1",
        me["user_id"],
    )
    if not single:
        product = h.rows("SELECT product_id FROM cart_items WHERE cart_id = ? LIMIT 1", me["cart_id"])[0]["product_id"]
        h.ok("update_cart", token=me["token"], cart_id=me["cart_id"], products=[{"product_id": product, "quantity": 1}])
        single = [{"cart_id": me["cart_id"], "product_id": product}]
    assert "delete the cart" in h.error("remove_from_cart", token=me["token"], **single[0])


def test_only_staff_change_the_catalog(h: EpisodeHarness) -> None:
    customer = customer_with_cart(h)
    new = {
        "title": "Bamboo Cutting Board Set",
        "price": 27.99,
        "description": "Three boards.",
        "category": "home & kitchen",
    }
    assert "Only store staff" in h.error("create_product", token=customer["token"], **new)
    assert "Only store staff" in h.error("update_product", token=customer["token"], product_id=1, price=1.0)
    assert "Only store staff" in h.error("delete_product", token=customer["token"], product_id=1)
    token = staff_token(h)
    created = h.ok("create_product", token=token, **new)
    assert created["product_id"] == h.rows("SELECT MAX(product_id) AS m FROM products")[0]["m"]
    assert created["price"] == 27.99 and created["rating"] == {"rate": 0.0, "count": 0}
    assert created["image"] == fake_store.models.PLACEHOLDER_IMAGE
    assert (
        h.rows("SELECT price_cents FROM products WHERE product_id = ?", created["product_id"])[0]["price_cents"] == 2799
    )
    assert "already has the title" in h.error(
        "create_product", token=token, **{**new, "title": "bamboo cutting board set"}
    )
    assert "two decimals" in h.error("create_product", token=token, **{**new, "title": "Other", "price": 9.999})
    assert "between $0.01" in h.error("create_product", token=token, **{**new, "title": "Other", "price": 0})
    assert "no category" in h.error("create_product", token=token, **{**new, "title": "Other", "category": "garden"})
    assert "web address" in h.error("create_product", token=token, **{**new, "title": "Other", "image": "photo.jpg"})
    changed = h.ok("update_product", token=token, product_id=created["product_id"], price=19.5, category="beauty")
    assert changed["price"] == 19.5 and changed["category"] == "beauty"
    assert "Nothing to change" in h.error("update_product", token=token, product_id=created["product_id"], price=19.5)
    assert "no product 9999" in h.error("update_product", token=token, product_id=9999, price=2.0)


def test_deleting_a_product_takes_it_out_of_carts(h: EpisodeHarness) -> None:
    token = staff_token(h)
    product = h.rows("SELECT product_id, COUNT(*) AS n FROM cart_items GROUP BY product_id ORDER BY n DESC LIMIT 1")[0]
    alone = h.rows(
        "SELECT cart_id FROM cart_items WHERE cart_id IN (SELECT cart_id FROM cart_items WHERE product_id = ?) "
        "GROUP BY cart_id HAVING COUNT(*) = 1",
        product["product_id"],
    )
    result = h.ok("delete_product", token=token, product_id=product["product_id"])
    assert result["removed_from_carts"] == product["n"]
    assert not h.rows("SELECT * FROM cart_items WHERE product_id = ?", product["product_id"])
    assert not h.rows("SELECT * FROM products WHERE product_id = ?", product["product_id"])
    for cart in alone:
        assert not h.rows("SELECT * FROM carts WHERE cart_id = ?", cart["cart_id"])
    assert "no product" in h.error("get_product_by_id", product_id=product["product_id"])


def test_paging_limits_are_enforced(h: EpisodeHarness) -> None:
    assert "1 to 50 results" in h.error("get_all_products", limit=51)
    assert "1 to 50 results" in h.error("get_all_carts", limit=0)
    assert "position 0 or later" in h.error("get_all_products", offset=-1)
    assert "no category" in h.error("get_products_by_category", category="Electronics")
    assert "at least one word" in h.error("search_products", title="   ")


def test_seeded_sizes_are_realistic() -> None:
    first = get_snapshot(fake_store.env, 0)
    counts = {table: len(first.rows(table)) for table in first.tables}
    assert counts["categories"] == 8 and counts["products"] >= 200
    assert counts["users"] >= 300 and counts["carts"] >= 400 and counts["cart_items"] >= 1000
    titles = [r["title"] for r in first.rows("products")]
    assert len(set(titles)) == len(titles)
    assert build_snapshot(fake_store.env, 1).content_hash != first.content_hash


def test_gym_episode_oracle_succeeds_and_noop_fails() -> None:
    """A packaged task (login, two searches, a new cart) through the gym env: its gold calls earn 1, nothing 0."""
    tasks = load_tasks("shopping", "fake_store")
    task = with_gold_changes(next(t for t in tasks if t.metadata["story"] == "fake_store.start_a_new_cart"))
    assert {(c.table, c.op) for c in task.gold_changes} >= {("carts", "insert"), ("cart_items", "insert")}
    assert oracle_and_noop_rewards(task) == (1.0, 0.0)
