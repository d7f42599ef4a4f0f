"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "zoom",
    domain="communication",
    models=Base,
    modeled_on="ZoomMeetingServer",
    description=(
        "Zoom Meetings for one company account (northwindlabs.com). Users are identified by their email address "
        "and are on the Basic (free), Pro or Business plan, each with a home time zone. Meetings have numeric ids "
        "and a type: 1 instant, 2 scheduled, 3 recurring with no fixed time, 8 recurring with a fixed time; start "
        "times are local wall times in the meeting's time zone (the host's unless given). Policy: only the host or "
        "an alternative host may change or delete a meeting, and ended meetings cannot be changed; meetings cannot "
        "be scheduled or moved into the past; Basic users' meetings are limited to 40 minutes and cannot record to "
        "the cloud (local recording is fine); alternative hosts must be licensed (Pro or Business) users of the "
        "same account, never the host. Passcodes are 6-10 letters, digits or @ - _ *. A recurring meeting repeats "
        "daily (every 1-90 days), weekly (every 1-12 weeks on chosen days, 1 = Sunday ... 7 = Saturday) or monthly "
        "(every 1-3 months on a day of the month) and ends after at most 50 occurrences or on an end date; one "
        "occurrence can be moved, resized or deleted on its own by its occurrence_id, while a change without it "
        "applies to the whole series. Registration-only meetings give each registrant a personal join link. Cloud "
        "recordings are listed by meeting start date, at most one month per query; deleting one moves it to the "
        "trash, recoverable for 30 days and still counted against the host's storage, unless it is deleted "
        "permanently. Sizes are in bytes, durations in minutes."
    ),
)
