"""State: the service's tables (SQLAlchemy models) and the constants they share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from envfactory_gym.authoring import ServiceClockMixin


class Base(DeclarativeBase):
    pass


class ServiceClock(ServiceClockMixin, Base):
    """The service's current time: one row, part of the seeded state."""


class Park(Base):
    __tablename__ = "parks"
    __label__ = "{fullName}"
    parkCode: Mapped[str] = mapped_column(String(4), primary_key=True)
    fullName: Mapped[str] = mapped_column(String(80), index=True)
    designation: Mapped[str] = mapped_column(String(40))
    states: Mapped[str] = mapped_column(String(20))  # comma-separated state codes, as in the NPS API
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    description: Mapped[str] = mapped_column(String(300))
    activities: Mapped[list[str]] = mapped_column(JSON)
    entranceFee: Mapped[float] = mapped_column(Float)  # private vehicle, 7 days, USD
    url: Mapped[str] = mapped_column(String(80))
    backcountryDailyQuota: Mapped[int] = mapped_column(Integer)  # people per trip start date; 0: no permits


class ParkAlert(Base):
    __tablename__ = "alerts"
    alertId: Mapped[str] = mapped_column(String(12), primary_key=True)
    parkCode: Mapped[str] = mapped_column(ForeignKey("parks.parkCode"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(20))  # Park Closure | Danger | Caution | Information
    description: Mapped[str] = mapped_column(String(300))
    lastIndexedDate: Mapped[str] = mapped_column(String(19))


class VisitorCenter(Base):
    __tablename__ = "visitor_centers"
    visitorCenterId: Mapped[str] = mapped_column(String(10), primary_key=True)
    parkCode: Mapped[str] = mapped_column(ForeignKey("parks.parkCode"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    operatingHours: Mapped[str] = mapped_column(String(80))
    phoneNumber: Mapped[str] = mapped_column(String(20))


class Campground(Base):
    __tablename__ = "campgrounds"
    __label__ = "{name}"
    # camelCase ids escape the engine's "*_id" rule: visitors know campgrounds by name, not by id.
    campgroundId: Mapped[str] = mapped_column(String(10), primary_key=True, info={"user_known": False})
    parkCode: Mapped[str] = mapped_column(ForeignKey("parks.parkCode"), index=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    description: Mapped[str] = mapped_column(String(200))
    reservable: Mapped[bool] = mapped_column(Boolean)  # False: first-come, first-served only
    seasonStart: Mapped[str] = mapped_column(String(5))  # MM-DD
    seasonEnd: Mapped[str] = mapped_column(String(5))  # MM-DD
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)


class Campsite(Base):
    __tablename__ = "campsites"
    campgroundId: Mapped[str] = mapped_column(ForeignKey("campgrounds.campgroundId"), primary_key=True)
    siteName: Mapped[str] = mapped_column(String(8), primary_key=True)
    siteType: Mapped[str] = mapped_column(String(10))  # tent | rv | group
    maxPeople: Mapped[int] = mapped_column(Integer)
    nightlyFee: Mapped[float] = mapped_column(Float)
    accessible: Mapped[bool] = mapped_column(Boolean)


class Visitor(Base):
    __tablename__ = "visitors"
    userId: Mapped[str] = mapped_column(String(40), primary_key=True, info={"user_known": True})
    name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(120))


class Reservation(Base):
    __tablename__ = "reservations"
    # Half the visitors have their confirmation code at hand; the others describe the stay.
    __label__ = "my reservation for site {siteName} from {startDate} to {endDate}"
    reservationId: Mapped[str] = mapped_column(
        String(10), primary_key=True, info={"generated": True, "user_known": 0.5}
    )
    userId: Mapped[str] = mapped_column(ForeignKey("visitors.userId"), index=True)
    campgroundId: Mapped[str] = mapped_column(ForeignKey("campgrounds.campgroundId"), index=True)
    siteName: Mapped[str] = mapped_column(String(8))
    startDate: Mapped[str] = mapped_column(String(10))
    endDate: Mapped[str] = mapped_column(String(10))  # check-out day
    numPeople: Mapped[int] = mapped_column(Integer)
    totalFee: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10))  # confirmed | cancelled
    refundAmount: Mapped[float | None] = mapped_column(Float, nullable=True)
    createdAt: Mapped[str] = mapped_column(String(19), info={"generated": True})


class Permit(Base):
    __tablename__ = "permits"
    __label__ = staticmethod(lambda row: _permit_label(row))
    permitId: Mapped[str] = mapped_column(String(10), primary_key=True, info={"generated": True, "user_known": 0.5})
    userId: Mapped[str] = mapped_column(ForeignKey("visitors.userId"), index=True)
    parkCode: Mapped[str] = mapped_column(ForeignKey("parks.parkCode"), index=True)
    tripDate: Mapped[str] = mapped_column(String(10))
    nights: Mapped[int] = mapped_column(Integer)
    groupSize: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # issued | cancelled
    createdAt: Mapped[str] = mapped_column(String(19), info={"generated": True})


MAX_NIGHTS = 14
BOOKING_WINDOW_DAYS = 180
CANCELLATION_FEE = 10.0
MAX_PERMIT_GROUP = 12
MAX_PERMIT_NIGHTS = 7
PERMIT_WINDOW_DAYS = 90

# parkCode, full name, states, latitude, longitude, vehicle fee, what it protects, backcountry quota
PARKS: list[tuple[str, str, str, float, float, float, str, int]] = [
    ("acad", "Acadia National Park", "ME", 44.35, -68.21, 35, "rocky Atlantic coastline and granite peaks", 0),
    ("arch", "Arches National Park", "UT", 38.72, -109.59, 30, "over 2,000 natural stone arches", 30),
    ("badl", "Badlands National Park", "SD", 43.69, -102.48, 30, "eroded buttes and mixed-grass prairie", 40),
    ("bibe", "Big Bend National Park", "TX", 29.30, -103.24, 30, "Chihuahuan Desert, river canyons and mountains", 60),
    ("bisc", "Biscayne National Park", "FL", 25.49, -80.21, 0, "coral reefs, keys and mangrove shoreline", 0),
    ("blca", "Black Canyon of the Gunnison National Park", "CO", 38.58, -107.72, 30, "a sheer, narrow canyon", 24),
    ("brca", "Bryce Canyon National Park", "UT", 37.58, -112.18, 35, "amphitheaters of red hoodoos", 30),
    ("cany", "Canyonlands National Park", "UT", 38.25, -109.88, 30, "canyons carved by the Colorado River", 60),
    ("care", "Capitol Reef National Park", "UT", 38.28, -111.25, 20, "the Waterpocket Fold and historic orchards", 30),
    ("cave", "Carlsbad Caverns National Park", "NM", 32.14, -104.56, 0, "vast limestone caves and bat flights", 20),
    ("chis", "Channel Islands National Park", "CA", 34.01, -119.42, 0, "five wild Pacific islands", 40),
    ("cong", "Congaree National Park", "SC", 33.79, -80.75, 0, "old-growth bottomland hardwood forest", 40),
    ("crla", "Crater Lake National Park", "OR", 42.94, -122.11, 30, "the deepest lake in the United States", 40),
    ("cuva", "Cuyahoga Valley National Park", "OH", 41.24, -81.55, 0, "a river valley of forests and farms", 0),
    (
        "deva",
        "Death Valley National Park",
        "CA,NV",
        36.51,
        -117.08,
        30,
        "the hottest, driest place in North America",
        80,
    ),
    ("dena", "Denali National Park & Preserve", "AK", 63.33, -150.50, 15, "North America's tallest peak", 60),
    ("drto", "Dry Tortugas National Park", "FL", 24.63, -82.87, 15, "Fort Jefferson and clear tropical waters", 0),
    ("ever", "Everglades National Park", "FL", 25.29, -80.90, 35, "the largest subtropical wilderness in the US", 60),
    ("gaar", "Gates of the Arctic National Park & Preserve", "AK", 67.78, -153.30, 0, "roadless Arctic wilderness", 0),
    ("jeff", "Gateway Arch National Park", "MO", 38.62, -90.19, 0, "the 630-foot Gateway Arch", 0),
    ("glac", "Glacier National Park", "MT", 48.68, -113.80, 35, "glacier-carved peaks and alpine lakes", 80),
    ("glba", "Glacier Bay National Park & Preserve", "AK", 58.80, -136.84, 0, "tidewater glaciers and fjords", 40),
    ("grca", "Grand Canyon National Park", "AZ", 36.17, -112.68, 35, "a mile-deep canyon of the Colorado River", 120),
    ("grte", "Grand Teton National Park", "WY", 43.79, -110.68, 35, "the jagged Teton Range", 60),
    ("grba", "Great Basin National Park", "NV", 38.95, -114.26, 0, "ancient bristlecone pines and Lehman Caves", 20),
    (
        "grsa",
        "Great Sand Dunes National Park & Preserve",
        "CO",
        37.79,
        -105.59,
        25,
        "North America's tallest dunes",
        40,
    ),
    ("grsm", "Great Smoky Mountains National Park", "NC,TN", 35.60, -83.51, 0, "misty Appalachian forests", 100),
    (
        "gumo",
        "Guadalupe Mountains National Park",
        "TX",
        31.92,
        -104.87,
        10,
        "Texas's highest peaks and a fossil reef",
        30,
    ),
    ("hale", "Haleakala National Park", "HI", 20.72, -156.17, 30, "a volcanic summit above the clouds", 25),
    (
        "havo",
        "Hawaii Volcanoes National Park",
        "HI",
        19.38,
        -155.20,
        30,
        "two of the world's most active volcanoes",
        30,
    ),
    ("hosp", "Hot Springs National Park", "AR", 34.52, -93.04, 0, "thermal springs and historic bathhouses", 0),
    ("indu", "Indiana Dunes National Park", "IN", 41.65, -87.05, 25, "Lake Michigan dunes and beaches", 0),
    ("isro", "Isle Royale National Park", "MI", 48.01, -88.83, 7, "a remote island of wolves and moose", 60),
    ("jotr", "Joshua Tree National Park", "CA", 33.91, -115.84, 30, "Joshua trees where two deserts meet", 50),
    ("katm", "Katmai National Park & Preserve", "AK", 58.60, -155.06, 0, "brown bears fishing for salmon", 30),
    ("kefj", "Kenai Fjords National Park", "AK", 59.82, -150.11, 0, "the Harding Icefield and its glaciers", 20),
    ("kova", "Kobuk Valley National Park", "AK", 67.36, -159.20, 0, "Arctic sand dunes and caribou migrations", 0),
    ("lacl", "Lake Clark National Park & Preserve", "AK", 60.57, -153.56, 0, "volcanoes, lakes and bears", 0),
    ("lavo", "Lassen Volcanic National Park", "CA", 40.49, -121.51, 30, "hydrothermal areas and volcanoes", 40),
    ("maca", "Mammoth Cave National Park", "KY", 37.19, -86.13, 0, "the world's longest known cave system", 30),
    ("meve", "Mesa Verde National Park", "CO", 37.24, -108.46, 30, "Ancestral Puebloan cliff dwellings", 0),
    ("mora", "Mount Rainier National Park", "WA", 46.86, -121.71, 30, "an ice-clad volcano and wildflower meadows", 70),
    ("neri", "New River Gorge National Park & Preserve", "WV", 37.83, -81.08, 0, "a deep gorge and whitewater", 0),
    ("noca", "North Cascades National Park", "WA", 48.70, -121.20, 0, "jagged peaks and over 300 glaciers", 60),
    ("npsa", "National Park of American Samoa", "AS", -14.26, -170.68, 0, "tropical rainforest and coral reefs", 0),
    ("olym", "Olympic National Park", "WA", 47.80, -123.60, 30, "rainforests, mountains and wild coast", 90),
    ("pefo", "Petrified Forest National Park", "AZ", 34.98, -109.79, 25, "petrified wood and the Painted Desert", 20),
    ("pinn", "Pinnacles National Park", "CA", 36.49, -121.18, 30, "volcanic spires and California condors", 0),
    ("redw", "Redwood National and State Parks", "CA", 41.37, -123.99, 0, "the tallest trees on Earth", 40),
    ("romo", "Rocky Mountain National Park", "CO", 40.34, -105.68, 35, "alpine tundra along Trail Ridge Road", 100),
    ("sagu", "Saguaro National Park", "AZ", 32.25, -110.74, 25, "giant saguaro cacti", 20),
    ("seki", "Sequoia & Kings Canyon National Parks", "CA", 36.49, -118.57, 35, "giant sequoias and deep canyons", 90),
    ("shen", "Shenandoah National Park", "VA", 38.29, -78.68, 30, "Skyline Drive and the Blue Ridge", 60),
    ("thro", "Theodore Roosevelt National Park", "ND", 46.98, -103.54, 30, "badlands where bison roam", 30),
    ("viis", "Virgin Islands National Park", "VI", 18.34, -64.74, 0, "white-sand beaches and coral reefs", 0),
    ("voya", "Voyageurs National Park", "MN", 48.48, -92.84, 0, "interconnected northern lakes", 40),
    ("whsa", "White Sands National Park", "NM", 32.78, -106.17, 25, "the world's largest gypsum dunefield", 20),
    ("wica", "Wind Cave National Park", "SD", 43.57, -103.48, 0, "a boxwork cave beneath prairie", 20),
    ("wrst", "Wrangell-St. Elias National Park & Preserve", "AK", 61.71, -142.99, 0, "the largest US national park", 0),
    ("yell", "Yellowstone National Park", "WY,MT,ID", 44.60, -110.50, 35, "geysers, hot springs and wildlife", 150),
    ("yose", "Yosemite National Park", "CA", 37.85, -119.56, 35, "granite cliffs, waterfalls and sequoias", 150),
    ("zion", "Zion National Park", "UT", 37.30, -113.05, 35, "towering sandstone canyon walls", 50),
]


PARK_NAMES = {code: full_name for code, full_name, *_rest in PARKS}


def _permit_label(row: dict[str, Any]) -> str:
    park = PARK_NAMES.get(row["parkCode"], row["parkCode"])
    return f"my backcountry permit for {park} starting {row['tripDate']}"
