"""Zoom Meetings: users and plans, meetings with recurrence and occurrences, registrants, cloud recordings.

Modeled on the Zoom Meetings REST API (users/{userId}, users/{userId}/meetings, meetings/{meetingId} with its
occurrences and registrants, users/{userId}/recordings and meetings/{meetingId}/recordings with the trash).
The seeded world is one company account of about 120 users on the Basic, Pro and Business plans across nine
time zones, about 1,500 meetings (ended and upcoming one-off meetings, weekly, daily and monthly series,
recurring rooms with no fixed time, some with registration, passcodes and alternative hosts), a few hundred
registrants and about 500 cloud recordings of past meetings (MP4, M4A, transcript and chat files with their
sizes; some in the trash). The simulated "now" (UTC) is part of the state.
"""

from __future__ import annotations

from . import seed, tools
from .definition import env

__all__ = ["env", "seed", "tools"]
