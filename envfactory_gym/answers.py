"""Format-aware matching of required facts in free-text answers.

A required fact is a plain string written the way a tool returned it ("2024-05-17", "13:30:00", "1301",
"in_progress", "yes", "Pets are not allowed."). A person restates it in their own format ("May 17th",
"1:30 PM", "$1,301.00", "in progress", "Yep", "pets are not allowed"), and that must count.

The design: :func:`parse_fact` infers each fact's kind from its text; :func:`scan` tokenises an answer once
into typed spans (dates, times, numbers, yes/no signals, word tokens); :func:`mentions` looks the fact up
among the spans of its kind. Because an answer is cut into spans before numbers are read, a number never
matches inside a date, a time, an identifier or a longer number ("17" is not in "2024-05-17", "30" is not
in "13:30", "4" is not in "BK40916703").

Month and weekday names and am/pm markers come from python-dateutil's ``parserinfo``; spelled-out numbers
("seventeen", "twenty-five", "one hundred and one") are read by text2num. Both work on raw answers and on
:func:`normalise_text` output alike, so callers holding normalised text keep working.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any, Literal

from dateutil.parser import parserinfo
from text_to_num import find_numbers

FactKind = Literal["yes_no", "timestamp", "date", "time", "number", "quantity", "phone", "text"]

# A timestamp is stated when its time is said within this many characters of its date ("May 17, 2024
# at 1:30 PM", "1:30 PM on Friday, May 17"); farther apart, the time may belong to another event.
TIMESTAMP_GAP = 40
# Spelled-out quantities ("2 hours and 16 minutes") allow a short connective between their parts.
QUANTITY_GAP = 12
# Facts carry float artefacts from tools ("19.812900000000003"); past this many decimals they are noise.
MAX_FACT_DECIMALS = 9
# Numbers in an answer longer than this are ignored: no fact or distractor is a 40-digit amount.
MAX_NUMBER_CHARS = 40
# Every number operation runs in this context, not the process's (28 digits by default, and changeable by any
# library): numbers of up to MAX_NUMBER_CHARS digits, with MAX_FACT_DECIMALS decimals added, stay exact.
_NUMBERS = Context(prec=2 * MAX_NUMBER_CHARS + MAX_FACT_DECIMALS, rounding=ROUND_HALF_UP)
# An answer that rounds a long decimal to at least this many places states it ("19.81"); coarser rounding
# ("19.8", "20") is a different value.
MIN_ROUNDED_DECIMALS = 2

_INFO = parserinfo()
_MONTHS = sorted({name for names in _INFO.MONTHS for name in names}, key=len, reverse=True)
_WEEKDAYS = sorted({name for names in _INFO.WEEKDAYS for name in names}, key=len, reverse=True)
_MONTH = "|".join(_MONTHS)
_WEEKDAY = "|".join(_WEEKDAYS)
_ORDINAL = r"(?:st|nd|rd|th)"

# --- dates --------------------------------------------------------------------------------------------
_ISO_DATE = re.compile(r"(?<![\w.])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_YMD_SLASH = re.compile(r"(?<![\w./])(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\w/])")
# 05/17/2024, 17.05.2024, 5-17-24: month/day order is read from the values (both when ambiguous).
_NUMERIC_DATE = re.compile(
    r"(?<![\w./-])(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\w|[/.\-]\d)"
)
_NAMED_DATE = re.compile(
    rf"(?<!\w)(?:(?:{_WEEKDAY})\.?,?\s+)?"
    rf"(?:(?:the\s+)?(?P<d1>\d{{1,2}}){_ORDINAL}?\s+(?:of\s+)?(?P<m1>{_MONTH})\.?"
    rf"|(?P<m2>{_MONTH})\.?\s+(?:the\s+)?(?P<d2>\d{{1,2}}){_ORDINAL}?(?!\d))"
    r"(?:,?\s+(?P<y>\d{4}))?(?!\w)",
    re.IGNORECASE,
)

# --- times --------------------------------------------------------------------------------------------
_AMPM = r"(?:\s*(?P<ap>[ap])\.?m\.?(?![a-z]))"
# "+02:00" and "-05:00" after a timestamp are offsets, not times of day.
_CLOCK = re.compile(
    rf"(?<![\d:.+])(?<!\d-)(?P<h>\d{{1,2}}):(?P<mi>\d{{2}})(?::(?P<s>\d{{2}})(?:\.\d+)?)?{_AMPM}?(?![\d:])",
    re.IGNORECASE,
)
_HOUR_AMPM = re.compile(rf"(?<![\d:.,])(?P<h>\d{{1,2}}){_AMPM}", re.IGNORECASE)
_NAMED_TIME = re.compile(r"\b(?P<word>noon|midday|midnight)\b", re.IGNORECASE)

# --- identifiers and numbers --------------------------------------------------------------------------
_EMAIL_OR_URL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|www\.\S+", re.IGNORECASE)
_WORDISH = re.compile(r"[A-Za-z0-9]+(?:[-_./#][A-Za-z0-9]+)*")
# "12.2km", "30min": a number with a lowercase unit glued on is still a number (ordinals are not).
_GLUED_UNIT = re.compile(rf"\d+(?:\.\d+)?(?!{_ORDINAL}$)[a-z]{{2,7}}")
_RATING = re.compile(r"\d+\.\d+/\d+")
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<sign>[-−])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?=[a-z]{2,7}\b|(?!\w|[.,]\d))"
)
_PHONE = re.compile(r"(?<!\w)\+?\(?\d[\d\s().\-]{5,}\d(?!\w)")
_SPELLED_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")

# --- yes / no -----------------------------------------------------------------------------------------
# Spaces only (not \s*): a run of newlines would otherwise be rescanned from every position (quadratic).
_CLAUSE_START = r"(?:^|(?<=[.!?;:\n]))[ \t]*"
_STRONG_YES = re.compile(
    r"\b(?:yes|yep|yeah|yup|indeed|affirmative|absolutely|certainly|definitely|of course)\b"
    r"|\bthat(?:'s| is) (?:right|correct|true)\b"
    rf"|{_CLAUSE_START}(?:sure|correct|right|true)\b",
    re.IGNORECASE,
)
# A "no" that answers: followed by a pause or the end ("No, ...", "... is no."), never "No. 4" or "No.4".
_STRONG_NO = re.compile(
    r"\b(?:nope|nah|negative)\b|\bno\b(?=\s*(?:[,!;:—–)]|\.(?!\s*\d)|$))"
    rf"|{_CLAUSE_START}(?:incorrect|false|not at all)\b",
    re.IGNORECASE,
)
# Negations that also say no ("it is not delayed", "there are none"), but are no contradiction of a yes
# ("Yes, there is no fee").
_WEAK_NO = re.compile(
    r"\b(?:not|never|none|nothing|nobody|neither|cannot)\b|n't\b|\bno\b(?![.\-]?\s*[\d#-])", re.IGNORECASE
)
# Offers of help ("Sure, I can help with that", "Of course, let me check") and the closing offer ("no
# problem") are courtesy, not answers: they neither say yes nor contradict a no.
_COURTESY = re.compile(
    r"\b(?:sure|certainly|of course|absolutely|yes|yeah)\b[,!.]?\s*(?:[—–-]\s*)?"
    r"(?=i can\b|i'll\b|i will\b|let me\b|i'd be (?:glad|happy)\b|happy to\b|glad to\b|i'm happy\b)"
    r"|\bno problem\b",
    re.IGNORECASE,
)
_YES_WORDS = frozenset({"yes", "true"})
_NO_WORDS = frozenset({"no", "false"})

# --- text ---------------------------------------------------------------------------------------------
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# Word tokens; CJK characters are a token each (those scripts do not put spaces between words).
_TOKEN = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])[^\W_])+")
_QUANTITY = re.compile(
    r"(?:-?\d+(?:\.\d+)?(?:\s+[a-z]{1,12}|[a-z]{2,12}))(?:,?\s+(?:and\s+)?-?\d+(?:\.\d+)?\s*[a-z]{1,12})*"
)
_QUANTITY_PART = re.compile(r"(?P<num>-?\d+(?:\.\d+)?)\s*(?P<unit>[a-z]+)")
_TRAILING_PUNCTUATION = " \t\r\n\f\v.!?"


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    year: int | None  # None when the answer omits it ("May 17", "Friday, May 17")
    month: int
    day: int


@dataclass(frozen=True)
class TimeSpan:
    start: int
    end: int
    hour: int
    minute: int
    second: int | None


@dataclass(frozen=True)
class NumberSpan:
    start: int
    end: int
    value: Decimal
    decimals: int  # as written: "699.50" has 2, "seventeen" has 0


@dataclass(frozen=True)
class ScannedText:
    """An answer (or any text) cut into typed spans, once, for matching many facts against it."""

    text: str
    dates: tuple[DateSpan, ...]
    times: tuple[TimeSpan, ...]
    numbers: tuple[NumberSpan, ...]
    tokens: tuple[str, ...]
    phones: tuple[str, ...]  # digit strings of phone-like runs
    says_yes: bool
    says_no_strongly: bool
    says_no: bool


@dataclass(frozen=True)
class Fact:
    """A required fact (or any value) with the kind inferred from its text and its parsed value."""

    text: str
    kind: FactKind
    value: Any = None
    tokens: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[Any, ...]:
        """Identity for de-duplication: "1301" and "1301.0" are one value, as are "In Progress" and "in_progress"."""
        if self.kind == "text":
            return ("text", self.tokens or self.text.lower())
        return (self.kind, self.value)


# --- normalisation ------------------------------------------------------------------------------------
def fold(text: str) -> str:
    """Case- and accent-insensitive form (NFKD, combining marks removed, casefolded)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise_free_text(value: str) -> str:
    """How dictated free text is compared: case, runs of whitespace and final . ! ? do not matter."""
    text = " ".join(unicodedata.normalize("NFKC", value).casefold().split())
    return text.rstrip(_TRAILING_PUNCTUATION)  # str.rstrip is linear where "[\s.!?]+$" is not


_STANDALONE_NUMBER = re.compile(
    r"(?<![\w.,/:\-])(?P<sign>-)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?!\w|[.,]\d|[:/\-]\d)"
)


def normalise_text(text: str) -> str:
    """Lower-cased text with standalone numbers canonical ("$1,301.00" -> "$1301"), whitespace collapsed.

    Dates, times and identifiers are left as written (so they can still be recognised), as are numbers
    with leading zeros (zip codes, codes). Two spellings of one value normalise alike, which is what set
    look-ups of values need; fact matching works on this form or on the raw text alike.
    """

    def number(match: re.Match[str]) -> str:
        digits = match.group("int").replace(",", "")
        if len(digits) > 1 and digits.startswith("0"):
            return match.group(0)
        value = _decimal(match.group("sign") or "", digits, match.group("frac") or "")
        return _plain(value) if value is not None else match.group(0)

    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(_STANDALONE_NUMBER.sub(number, text).split())


def _decimal(sign: str, digits: str, frac: str) -> Decimal | None:
    try:
        return Decimal(f"{'-' if sign else ''}{digits}{frac}")
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    """Shortest decimal form: 1301.00 -> "1301", 699.50 -> "699.5"."""
    text = format(value.normalize(_NUMBERS), "f")
    return text if text not in {"-0"} else "0"


# --- scanning -----------------------------------------------------------------------------------------
def _valid_date(year: int | None, month: int, day: int) -> bool:
    try:
        date(year if year is not None else 2000, month, day)  # 2000 is a leap year: Feb 29 is a date
    except ValueError:
        return False
    return True


def _year(text: str) -> int:
    value = int(text)
    if len(text) == 2:  # dateutil's convention for two-digit years, without the "now" dependency
        value += 2000 if value < 70 else 1900
    return value


def scan_dates(text: str) -> list[DateSpan]:
    """Dates in any common written form: ISO, 2024/05/17, 05/17/2024, "May 17th, 2024", "17 May", "Friday, May 17"."""
    spans: list[DateSpan] = []
    for pattern in (_ISO_DATE, _YMD_SLASH):
        for m in pattern.finditer(text):
            year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
            if _valid_date(year, month, day):
                spans.append(DateSpan(m.start(), m.end(), year, month, day))
    for m in _NUMERIC_DATE.finditer(text):
        a, b, year = int(m["a"]), int(m["b"]), _year(m["y"])
        # Month first (US) and day first (most of the world): a reading is kept when it is a valid date.
        for month, day in {(a, b), (b, a)}:
            if _valid_date(year, month, day):
                spans.append(DateSpan(m.start(), m.end(), year, month, day))
    for m in _NAMED_DATE.finditer(text):
        month_name, day_text = (m["m1"], m["d1"]) if m["m1"] else (m["m2"], m["d2"])
        month = _INFO.month(month_name)
        year = int(m["y"]) if m["y"] else None
        if month is not None and _valid_date(year, month, int(day_text)):
            spans.append(DateSpan(m.start(), m.end(), year, month, int(day_text)))
    return spans


def scan_times(text: str) -> list[TimeSpan]:
    """Times of day: 13:30, 13:30:00, "1:30 pm", "9 a.m.", noon, midnight."""
    spans: list[TimeSpan] = []

    def add(m: re.Match[str], hour: int, minute: int, second: int | None) -> None:
        marker = m.groupdict().get("ap")
        if marker is not None:
            if not 1 <= hour <= 12:
                return
            hour = hour % 12 + (12 if _INFO.ampm(marker) == 1 else 0)
        if hour <= 23 and minute <= 59 and (second is None or second <= 59):
            spans.append(TimeSpan(m.start(), m.end(), hour, minute, second))

    for m in _CLOCK.finditer(text):
        add(m, int(m["h"]), int(m["mi"]), int(m["s"]) if m["s"] else None)
    for m in _HOUR_AMPM.finditer(text):
        add(m, int(m["h"]), 0, None)
    for m in _NAMED_TIME.finditer(text):
        spans.append(TimeSpan(m.start(), m.end(), 0 if m["word"].lower() == "midnight" else 12, 0, None))
    return spans


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _is_identifier(token: str) -> bool:
    """Codes and compounds whose digits are not numbers: BK40916703, A0003, 12A, 5-10, COVID-19, 1.2.3."""
    has_digit = any(c.isdigit() for c in token)
    if not has_digit:
        return False
    if any(c.isalpha() for c in token):
        return _GLUED_UNIT.fullmatch(token) is None
    if _RATING.fullmatch(token):
        return False  # "4.5/5" states the rating 4.5
    return re.search(r"\d[-_/#]\d", token) is not None or token.count(".") >= 2


class _Word:
    """A token as text2num's ``find_numbers`` wants it."""

    def __init__(self, text: str) -> None:
        self._text = text

    def text(self) -> str:
        return self._text

    def nt_separated(self, previous: Any) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


def _scan_numbers(masked: str) -> list[NumberSpan]:
    spans: list[NumberSpan] = []
    for m in _NUMBER.finditer(masked):
        if len(m.group(0)) > MAX_NUMBER_CHARS:
            continue  # a run of digits that long is no amount a person states (and overflows Decimal rounding)
        value = _decimal(m["sign"] or "", m["int"].replace(",", ""), m["frac"] or "")
        if value is not None:
            spans.append(NumberSpan(m.start(), m.end(), value, len(m["frac"] or "") - 1 if m["frac"] else 0))
    words = list(_SPELLED_TOKEN.finditer(masked))
    if any(w.group(0).isalpha() for w in words):
        for found in find_numbers([_Word(w.group(0)) for w in words], "en", threshold=0):
            parts = words[found.start : found.end]
            # Digits are read above; here only numbers spelled in words ("seventeen", "twenty-five").
            if found.is_ordinal or not any(p.group(0).isalpha() for p in parts):
                continue
            if any(p.group(0).isdigit() for p in parts):
                continue
            value = Decimal(str(found.value))
            if value == value.to_integral_value(context=_NUMBERS):
                value = value.to_integral_value(context=_NUMBERS)
            spans.append(NumberSpan(parts[0].start(), parts[-1].end(), value, 0))
    return spans


@functools.lru_cache(maxsize=8192)
def scan(text: str) -> ScannedText:
    """Cut ``text`` into typed spans: dates, times, numbers (digits or words), phone-like runs, yes/no."""
    dates = scan_dates(text)
    times = scan_times(text)
    # Dates and times come first; identifiers, e-mails and URLs next; numbers are read only from what is left.
    taken = [(s.start, s.end) for s in dates] + [(s.start, s.end) for s in times]
    masked = _mask(text, taken)
    taken = [(m.start(), m.end()) for m in _EMAIL_OR_URL.finditer(masked)]
    masked = _mask(masked, taken)
    taken = [(m.start(), m.end()) for m in _WORDISH.finditer(masked) if _is_identifier(m.group(0))]
    masked = _mask(masked, taken)
    plain = _COURTESY.sub(" ", text)
    return ScannedText(
        text=text,
        dates=tuple(dates),
        times=tuple(times),
        numbers=tuple(_scan_numbers(masked)),
        tokens=word_tokens(text),
        phones=tuple(re.sub(r"\D", "", m.group(0)) for m in _PHONE.finditer(text)),
        says_yes=_STRONG_YES.search(plain) is not None,
        says_no_strongly=_STRONG_NO.search(plain) is not None,
        says_no=_STRONG_NO.search(plain) is not None or _WEAK_NO.search(plain) is not None,
    )


_EMPTY_SCAN = ScannedText("", (), (), (), (), (), False, False, False)


def word_tokens(text: str) -> tuple[str, ...]:
    """Case- and accent-folded word tokens, as text facts are matched (punctuation is no token)."""
    return tuple(_TOKEN.findall(fold(text)))


# --- facts --------------------------------------------------------------------------------------------
def _clean_number(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_FACT_DECIMALS:
        value = value.quantize(Decimal(1).scaleb(-MAX_FACT_DECIMALS), rounding=ROUND_HALF_UP, context=_NUMBERS)
    normal = value.normalize(_NUMBERS)
    if normal == normal.to_integral_value(context=_NUMBERS):
        return normal.quantize(Decimal(1), context=_NUMBERS)
    return normal


def _as_number(text: str) -> Decimal | None:
    """A fact that is one number: "1301", "-108.46", "$1,301.00", "1,301 USD", "25%"."""
    stripped = re.sub(
        r"^(?:[$€£¥₹]|US\$|USD|EUR|GBP|JPY|CNY|RMB|HKD)\s*|\s*(?:%|USD|EUR|GBP|JPY|CNY|RMB|HKD)$",
        "",
        text.strip(),
        flags=re.IGNORECASE,
    )
    m = re.fullmatch(r"(?P<sign>[-−])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?", stripped)
    if m is None:
        return None
    digits = m["int"].replace(",", "")
    if len(digits) > 1 and digits.startswith("0") and not m["frac"]:
        return None  # zip codes and codes keep their zeros: "02730" is an identifier
    if len(stripped) > MAX_NUMBER_CHARS:
        return None  # no quantity is this long: such a fact is matched as text, as answers scan it
    value = _decimal(m["sign"] or "", digits, m["frac"] or "")
    return _clean_number(value) if value is not None else None


@functools.lru_cache(maxsize=16384)
def parse_fact(text: str) -> Fact:
    """Infer what kind of value ``text`` is, and parse it."""
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered in _YES_WORDS | _NO_WORDS:
        return Fact(text, "yes_no", lowered in _YES_WORDS)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", stripped):
        try:
            day = date.fromisoformat(stripped)
        except ValueError:
            pass
        else:
            return Fact(text, "date", (day.year, day.month, day.day))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}.*", stripped):
        try:
            moment = datetime.fromisoformat(stripped.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return Fact(
                text,
                "timestamp",
                ((moment.year, moment.month, moment.day), (moment.hour, moment.minute, moment.second)),
            )
    clock = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", stripped)
    if clock is not None:
        hour, minute, second = int(clock[1]), int(clock[2]), int(clock[3] or 0)
        if hour <= 23 and minute <= 59 and second <= 59:
            return Fact(text, "time", (hour, minute, second))
    number = _as_number(stripped)
    if number is not None:
        return Fact(text, "number", number)
    # A fact already in a spoken format ("May 17, 2024", "1:30 PM") is read like an answer would be (every
    # such format has a digit or says noon/midnight; the check keeps plain words from a full scan).
    spoken = scan(stripped) if re.search(r"\d|noon|midday|midnight", lowered) else _EMPTY_SCAN
    whole = len(stripped)
    if len(spoken.dates) == 1 and (spoken.dates[0].start, spoken.dates[0].end) == (0, whole):
        d = spoken.dates[0]
        return Fact(text, "date", (d.year, d.month, d.day))  # a year-less "May 30" matches it in any year
    if len(spoken.times) == 1 and (spoken.times[0].start, spoken.times[0].end) == (0, whole):
        t = spoken.times[0]
        return Fact(text, "time", (t.hour, t.minute, t.second or 0))
    if _QUANTITY.fullmatch(stripped):
        parts = tuple((_clean_number(Decimal(p["num"])), p["unit"]) for p in _QUANTITY_PART.finditer(stripped))
        return Fact(text, "quantity", parts)
    digits = re.sub(r"\D", "", stripped)
    if re.fullmatch(r"\+?[\d\s().\-]+", stripped) and len(digits) >= 7 and re.search(r"[\s().\-]", stripped):
        return Fact(text, "phone", digits)
    return Fact(text, "text", None, word_tokens(stripped))


# --- matching -----------------------------------------------------------------------------------------
def _number_matches(fact: Decimal, span: NumberSpan, rounding: bool = True) -> bool:
    stated = _clean_number(span.value)
    if stated == fact:
        return True
    if not rounding:
        return False
    exponent = fact.as_tuple().exponent
    fact_decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if span.decimals >= MIN_ROUNDED_DECIMALS and fact_decimals > span.decimals:
        rounded = fact.quantize(Decimal(1).scaleb(-span.decimals), rounding=ROUND_HALF_UP, context=_NUMBERS)
        return rounded == span.value
    return False


def _date_matches(fact: tuple[int | None, int, int], span: DateSpan) -> bool:
    year, month, day = fact
    return span.month == month and span.day == day and (year is None or span.year in (None, year))


def _time_matches(fact: tuple[int, int, int], span: TimeSpan) -> bool:
    hour, minute, second = fact
    if (span.hour, span.minute) != (hour, minute):
        return False
    # "13:30" states 13:30:00; it does not state 13:30:15, and "13:30:20" states neither.
    return (span.second or 0) == second


def _unit_matches(unit: str, word: str) -> bool:
    """A unit restated in another spelling: "mins"/"minutes", "km"/"kilometres", "hrs"/"hours"."""

    def within(short: str, long: str) -> bool:
        letters = iter(long)
        return all(c in letters for c in short)

    unit, word = unit.lower(), word.lower()
    return bool(unit) and bool(word) and unit[0] == word[0] and (within(unit, word) or within(word, unit))


def _quantity_matches(parts: tuple[tuple[Decimal, str], ...], scanned: ScannedText) -> bool:
    numbers = sorted(scanned.numbers, key=lambda s: s.start)
    text = scanned.text

    def unit_after(span: NumberSpan, unit: str) -> int | None:
        m = re.match(r"\s*([^\W\d_]+)", text[span.end :])
        if m and _unit_matches(unit, m.group(1)):
            return span.end + m.end()
        return None

    def rest(index: int, after: int | None) -> bool:
        if index == len(parts):
            return True
        value, unit = parts[index]
        for span in numbers:
            if after is not None and not 0 <= span.start - after <= QUANTITY_GAP:
                continue
            if _number_matches(value, span):
                end = unit_after(span, unit)
                if end is not None and rest(index + 1, end):
                    return True
        return False

    return rest(0, None)


def _contains(tokens: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return any(tokens[i : i + size] == needle for i in range(len(tokens) - size + 1))


def mentions(fact: str | Fact, text: str | ScannedText, *, rounding: bool = True) -> bool:
    """Whether ``text`` states ``fact``, in any common format. A yes/no fact also needs no contradiction.

    With ``rounding`` (the default), a long decimal is also stated by its rounding to two or more places
    ("19.81" for 19.8129); without it, only its exact value is (how distractors are told: 39.9157 is not
    counted against an answer whose "39.92" states the required 39.9215).
    """
    parsed = fact if isinstance(fact, Fact) else parse_fact(fact)
    scanned = text if isinstance(text, ScannedText) else scan(text)
    kind, value = parsed.kind, parsed.value
    if kind == "yes_no":
        if value:
            return scanned.says_yes and not scanned.says_no_strongly
        return scanned.says_no and not scanned.says_yes
    if kind == "date":
        return any(_date_matches(value, s) for s in scanned.dates)
    if kind == "time":
        return any(_time_matches(value, s) for s in scanned.times)
    if kind == "timestamp":
        day, clock = value
        dates = [s for s in scanned.dates if _date_matches(day, s)]
        if clock == (0, 0, 0) and dates:
            return True  # a midnight stamp is how tools store a plain date
        times = [s for s in scanned.times if _time_matches(clock, s)]
        return any(max(t.start - d.end, d.start - t.end) <= TIMESTAMP_GAP for d in dates for t in times)
    if kind == "number":
        return any(_number_matches(value, s, rounding) for s in scanned.numbers)
    if kind == "quantity":
        return _quantity_matches(value, scanned)
    if kind == "phone":
        digits: str = value
        return any(p == digits or (len(p) >= 7 and (digits.endswith(p) or p.endswith(digits))) for p in scanned.phones)
    if parsed.tokens:
        return _contains(scanned.tokens, parsed.tokens)
    needle = fold(parsed.text.strip())
    return bool(needle) and needle in fold(scanned.text)
