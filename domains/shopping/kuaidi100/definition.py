"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "kuaidi100",
    domain="shopping",
    models=Base,
    modeled_on="Kuaidi100",
    description=(
        "Kuaidi100 express tracking across Chinese couriers. Every parcel is identified by its courier company "
        "code (com: shunfeng = SF Express, zhongtong = ZTO, yuantong = YTO, shentong = STO, yunda, jd = JD "
        "Logistics, ems, jtexpress = J&T, debangwuliu = Deppon) and its tracking number (num), which must match "
        "that courier's number format; auto_detect_courier finds the courier from a number. SF Express traces and "
        "subscriptions need the last 4 digits of the sender's or recipient's phone. Parcel states: collected, "
        "in_transit, out_for_delivery, signed, problem, returning, returned; tracking ends once a parcel is signed "
        "for or returned, so it can no longer be subscribed to. Prices use each courier's tariff for the zone "
        "between the two cities (same city, same province, regional, national, remote): a first-weight price, "
        "then a rate per additional kilogram, weight rounded up to whole kilograms, within the courier's weight "
        "limit; a courier that does not serve a zone cannot be used for it. Parcels handed over after 18:00 leave "
        "the next morning. Pickups are collected from the account's saved address, today or in the next 3 days, "
        "in a 2-hour slot from 09:00 to 19:00 that has not started; a pickup can be cancelled until the courier "
        "has collected it. Money is in fen (1/100 yuan)."
    ),
)
