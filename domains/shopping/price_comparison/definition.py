"""The environment definition: id, description (the tracker's policy) and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "price_comparison",
    domain="shopping",
    models=Base,
    modeled_on="PriceComparison",
    description=(
        "A price tracker for Chinese e-commerce (in the style of Manmanbuy and Keepa): it sells nothing, it follows "
        "prices. Each product (pid) is one model and variant, listed on several platforms (JD.com = jd, Tmall = "
        "tmall, Taobao = taobao, Pinduoduo = pdd, Suning = suning); each listing (pos) has a seller, whether it is "
        "the official or self-operated store, today's price, an optional member price (JD PLUS, 88VIP, Super "
        "member), shipping, and a daily price history kept for the last 180 days (longer queries are refused). "
        "Coupons are threshold coupons ('¥30 off over ¥299') for one listing or platform-wide (for one category or "
        "all); a coupon applies only while valid (between its start and end dates, both included) and when the "
        "goods price reaches its threshold; only one coupon is used per purchase. Effective price = price (the "
        "member price only for a member who says so) + shipping - the best applicable coupon. Trends compare "
        "today's price with the price N days ago: more than 3% up is rising, more than 3% down falling, otherwise "
        "stable. Buying advice compares today's price with the 90-day low: within 3% of it is a good time, above "
        "the 90-day average is a time to wait, in between fair. Users keep price alerts (notify when a listing "
        "drops to a target): the target must be below the listing's current price; one alert per listing; at most "
        "5 active alerts on the free plan and 30 on premium; channels app_push, sms, email (needs an email on "
        "file) or wechat (needs a bound WeChat). A triggered alert can be re-armed with a new target. Saved "
        "comparisons hold 2 to 6 different products under a name unique for the user, at most 10 per user. A "
        "wrong-price report gives the price the user saw, which must differ from the tracked one; one pending "
        "report per listing and user. Amounts are in yuan."
    ),
)
