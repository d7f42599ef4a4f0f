"""Simulated users for the conversational mode: they hold what the opening message left out.

A user simulator answers the assistant's messages (the turns without tool calls) on behalf of the task's
user. It holds what a person would: the persona, the details stated in the request (``known_facts``) and
the ones left out of it (``hidden_facts``), each under its spoken name ("travel date") and said as the
person says it ("May 29"). It never sees the gold solution: an assistant must not be able to learn the
answer by probing the user. Under dual control it also owns tools of its own that act on the user's side
of the state (as in tau2-bench's telecom domain). It replies with a :class:`UserReply`; ``done`` ends the
episode, and the reply then carries :data:`STOP_TOKEN` (tau2-bench's convention for a user ending).

Two simulators:

* :class:`RuleBasedUser` (the default) — deterministic. It reads the assistant's turn sentence by
  sentence (:func:`read_turn`): a question about a detail it holds — by the detail's spoken name or
  synonyms, lightly lemmatised ("bags", "baggage", "luggage") — gets the detail; a generic request for
  more information gets the one hidden detail; a proposed action is confirmed unless it contradicts a
  detail the person holds (a different date, number, code or city: :func:`contradicted_facts`), whatever
  else it mentions; a request to use one of its own tools runs it, with arguments from the assistant's
  words, its own request and its facts — every such request of a sentence, clause by clause in the order
  given (:func:`requested_tools`), none that is negated ("don't turn off Wi-Fi"). The conversation ends
  on an assistant turn that neither asks nor proposes (a closing "anything else?" offer is not a question).
* :class:`LLMUser` — any OpenAI-compatible chat endpoint (vLLM, SGLang, a provider) plays the user from a
  prompt holding the persona and the facts by spoken name; it ends the conversation by writing the stop
  token.

:func:`make_user_simulator` builds one from a spec: ``None``/``"rule"``, ``"llm:base_url=...,model=..."``,
a factory ``(task, runtime) -> simulator``, or a dict ``{"kind": "llm", ...}``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, Protocol

from envfactory_gym.answers import scan_dates, scan_times
from envfactory_gym.authoring import ToolSpec
from envfactory_gym.rubric import _normalise_text
from envfactory_gym.runtime import ToolRuntime
from envfactory_gym.tasks import Task

STOP_TOKEN = "###STOP###"
MAX_USER_TURNS = 12

# -- words ------------------------------------------------------------------------------------------------


def _wordlist(words: str) -> list[str]:
    return words.split()


_STOPWORDS = frozenset(
    _wordlist(
        "the a an of my your our their his her its for to in on at and or with from by is are be was this that "
        "it me you i we"
    )
)
# Words that say what sort of value is meant but not which one ("number", "name"): alone they never point
# at a detail, or "what is your phone number?" would be answered with the number of bags.
_WEAK = frozenset(
    _wordlist("number name amount total count type kind id code value detail details info information level status")
)
_QUESTION_WORDS = frozenset(_wordlist("how many much what which when where who whom whose why"))
# Irregular forms a light lemmatiser would miss; luggage words all mean bags.
_LEMMAS = {
    "baggage": "bag",
    "baggages": "bag",
    "luggage": "bag",
    "luggages": "bag",
    "suitcase": "bag",
    "suitcases": "bag",
    "people": "person",
    "persons": "person",
    "children": "child",
    "kids": "child",
    "men": "man",
    "women": "woman",
    "born": "birth",
    "dob": "birth",
    "traveler": "traveller",
    "travelers": "traveller",
    "travellers": "traveller",
    "flew": "fly",
    "flies": "fly",
    "went": "go",
}
_PLACE_WORDS = frozenset(
    _wordlist(
        "city town airport destination origin address location place station stop country state region area "
        "neighborhood neighbourhood street venue"
    )
)
_SMALL_NUMBERS = {
    word: index
    for index, word in enumerate(
        _wordlist(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
            "seventeen eighteen nineteen twenty"
        )
    )
}
_SMALL_NUMBERS.update({"no": 0, "none": 0, "single": 1})


def lemma(word: str) -> str:
    """A light, deterministic lemma: plural and -ing/-ed endings off ("bags" → "bag", "checked" → "check").

    Both sides of every comparison go through it, so consistency matters more than linguistic accuracy.
    """
    word = word.lower().strip("'").split("'")[0]  # "what's" → "what", "bags'" → "bags"
    if word in _LEMMAS:
        return _LEMMAS[word]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ied"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    # "travelling" → "travell" → "travel"; "shipped" → "shipp" → "ship".
    doubled = len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeious"
    if doubled and (word[-1] != "l" or len(word) > 5):
        word = word[:-1]
    return _LEMMAS.get(word, word)


def lemmas(text: str) -> list[str]:
    """The lemmas of the words of ``text``, in order (apostrophe forms kept whole: "what's")."""
    return [lemma(w) for w in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower())]


def fact_label(name: str) -> str:
    """How a fact's key reads in a sentence: ``target_id`` → ``target id`` (spoken names are unchanged)."""
    return name.replace("_", " ").strip()


def _content(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in _STOPWORDS and w not in _QUESTION_WORDS]


# -- values in text: dates, times, counts, codes and places ----------------------------------------------------

_MONTH_NAMES = _wordlist("january february march april may june july august september october november december")
# Identifier-like tokens: letters and digits together ("A0005", "2FBFTK", "HAT034", "credit_card_123").
_IDENTIFIER = re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9][\w-]*[A-Za-z0-9](?![\w-])")
_CODE = re.compile(r"(?<![\w-])[A-Z]{3}(?![\w-])")
_PLACE_AFTER = re.compile(
    r"\b(?:to|from|in|at|via|near|into|through)\s+((?:\d+\s+)?[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*)"
)
_NOT_PLACES = frozenset(
    [m.capitalize() for m in _MONTH_NAMES]
    + _wordlist("Monday Tuesday Wednesday Thursday Friday Saturday Sunday I USD EUR GBP EST PST UTC GMT")
)

DateMention = tuple[int | None, int, int]  # (year or None, month, day)


def find_dates(text: str) -> list[DateMention]:
    """Dates written in ``text`` (ISO, "May 29", "May 29th, 2024", "29 May", "05/29/2024"), read by the
    rubric's own scanner so the simulated person and the reward understand dates alike."""
    return [(d.year, d.month, d.day) for d in scan_dates(text)]


def find_times(text: str) -> list[int]:
    """Times of day written in ``text``, as minutes after midnight: 13:30, 1:30 pm, 9 am, noon."""
    return [t.hour * 60 + t.minute for t in scan_times(text)]


def _same_date(a: DateMention, b: DateMention) -> bool:
    return a[1:] == b[1:] and (a[0] is None or b[0] is None or a[0] == b[0])


def _masked(text: str) -> str:
    """``text`` with dates, times and identifiers replaced by a placeholder, so their digits are no counts."""
    spans = sorted([(d.start, d.end) for d in scan_dates(text)] + [(t.start, t.end) for t in scan_times(text)])
    pieces, position = [], 0
    for start, end in spans:
        if start >= position:
            pieces += [text[position:start], " § "]
            position = end
    text = "".join(pieces) + text[position:]
    # "48-liter" is a number with its unit, not an identifier.
    return _IDENTIFIER.sub(
        lambda m: m.group(0) if re.fullmatch(r"\d+(?:\.\d+)?-[A-Za-z]+", m.group(0)) else " § ", text
    )


_TOKEN = re.compile(r"\$?\d+(?:,\d{3})*(?:\.\d+)?|[a-z]+(?:'[a-z]+)?|[§:=,;]")
# Words that end the noun phrase a number counts ("2 bags for $100": the $100 is no count of bags).
_PHRASE_BREAKS = frozenset([*_wordlist("for and or with per plus but than instead"), ",", ";"])
_CONNECTORS = frozenset(_wordlist(": = to is are of at"))


def _number(token: str) -> float | None:
    if token in _SMALL_NUMBERS:
        return float(_SMALL_NUMBERS[token])
    if token[:1] == "$" or token[:1].isdigit():
        try:
            return float(token.lstrip("$").replace(",", ""))
        except ValueError:
            return None
    return None


def anchored_numbers(text: str, keywords: Iterable[str]) -> list[float]:
    """Numbers ``text`` ties to one of ``keywords`` (lemmas): "3 checked bags", "three bags", "bags: 3".

    A number counts a keyword when at most two words stand between them ("2 more checked bags") and no
    word ends the phrase first ("2 bags for $100": the $100 counts no bags); or when the keyword comes just
    before it, joined by at most one connector ("total bags to 3").
    """
    wanted = set(keywords)
    tokens = [lemma(t) if t[0].isalpha() else t for t in _TOKEN.findall(_masked(text).lower())]
    found: list[float] = []
    for index, token in enumerate(tokens):
        value = _number(token)
        if value is None:
            continue
        tied = False
        for ahead in tokens[index + 1 : index + 4]:
            if ahead in wanted:
                tied = True
                break
            if ahead in _PHRASE_BREAKS or ahead == "§" or _number(ahead) is not None:
                break
        if not tied and token not in ("no", "none"):  # "bags: no" is no way to say a count
            back = index - 1
            if back >= 0 and tokens[back] in _CONNECTORS:
                back -= 1
            tied = back >= 0 and tokens[back] in wanted
        if tied:
            found.append(value)
    return found


def _follows_keyword(prefix: str, wanted: set[str]) -> bool:
    """Whether ``prefix`` ends with one of ``wanted``, give or take words like "code", "number", "is"."""
    for word in reversed(re.findall(r"[A-Za-z]+", prefix)[-4:]):
        word = lemma(word)
        if word in wanted:
            return True
        if word not in _WEAK and word not in _CONNECTORS and word not in ("no", "the", "your", "my"):
            return False
    return False


def anchored_identifiers(text: str, keywords: Iterable[str]) -> list[str]:
    """Identifier-like tokens right after one of ``keywords`` ("booking code 2FBFTK", "account A0005"); not
    "booking on flight HAT999", whose code is the flight's."""
    wanted = set(keywords)
    return [m.group(0).lower() for m in _IDENTIFIER.finditer(text) if _follows_keyword(text[: m.start()], wanted)]


def place_mentions(text: str, codes: bool = False) -> list[str]:
    """Names of places ``text`` mentions: capitalised words after to/from/in/at/via (and, with ``codes``,
    three-letter codes such as ATL). Identifiers ("HAT034") and months are no places."""
    found = []
    for match in _PLACE_AFTER.finditer(text):
        words = [
            w
            for w in match.group(1).split()
            if w not in _NOT_PLACES and not _IDENTIFIER.fullmatch(w) and (codes or not _CODE.fullmatch(w))
        ]
        if words and not all(w.isdigit() for w in words):
            found.append(" ".join(words))
    if codes:
        found += [m.group(0) for m in _CODE.finditer(text) if m.group(0) not in _NOT_PLACES]
    return found


# -- the facts a person holds ------------------------------------------------------------------------------------

FactKind = Literal["date", "time", "number", "code", "id", "place", "text"]


@dataclass(frozen=True)
class HeldFact:
    """One detail the simulated person holds, under its spoken name.

    ``say`` is how they say it; ``value`` is the detail's value where the task records it (its
    ``metadata["details"]`` entry), used only to recognise the same detail written another way.
    """

    name: str
    say: str
    value: Any = None
    synonyms: tuple[str, ...] = ()
    hidden: bool = False

    @cached_property
    def keywords(self) -> frozenset[str]:
        """The lemmas that point at this detail: its name's and synonyms' content words."""
        words = _content(lemmas(self.name))
        for synonym in self.synonyms:
            words += _content(lemmas(synonym))
        return frozenset(words)

    @cached_property
    def anchors(self) -> frozenset[str]:
        """The keywords specific enough to tie a value in a sentence to this detail."""
        return frozenset(w for w in self.keywords if w not in _WEAK)

    @cached_property
    def kind(self) -> FactKind:
        value = self.value if self.value is not None else self.say
        if isinstance(value, bool):
            return "text"
        if isinstance(value, int | float):
            return "number"
        text = str(value)
        if re.match(r"\d{4}-\d{2}-\d{2}", text) or (self.value is None and find_dates(text)):
            return "date"
        if re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?", text) or (self.value is None and find_times(text)):
            return "time"
        if re.fullmatch(r"\d{2,}", text):
            return "code"  # digits written as a string are a code (a card's last four, a zip), not a count
        if re.fullmatch(r"\d", text) or (self.value is None and anchored_numbers(text, self.anchors)):
            return "number"
        if self.anchors & _PLACE_WORDS:
            return "place"
        if re.fullmatch(r"[\w-]+", text) and _IDENTIFIER.fullmatch(text):
            return "id"
        return "text"

    @cached_property
    def date(self) -> DateMention | None:
        if self.kind != "date":
            return None
        found = find_dates(str(self.value)) if self.value is not None else []
        return (found or find_dates(self.say) or [None])[0]

    @cached_property
    def time(self) -> int | None:
        if self.kind != "time":
            return None
        found = find_times(str(self.value)) if self.value is not None else []
        return (found or find_times(self.say) or [None])[0]

    @cached_property
    def number(self) -> float | None:
        if self.kind != "number":
            return None
        if isinstance(self.value, int | float) and not isinstance(self.value, bool):
            return float(self.value)
        found = [_number(t) for t in _TOKEN.findall(_masked(str(self.value or self.say)).lower())]
        return next((n for n in found if n is not None), None)

    @cached_property
    def spellings(self) -> tuple[str, ...]:
        """The ways the detail is written: as said, and its recorded value (underscores as spaces)."""
        forms = [self.say]
        if self.value is not None and not isinstance(self.value, dict | list):
            forms.append(str(self.value).replace("_", " "))
        return tuple(f for f in forms if f.strip())


def _detail_entries(task: Task) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for entry in task.metadata.get("details") or []:
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str):
            entries.setdefault(entry["name"], dict(entry))
    hidden = task.metadata.get("hidden_detail")
    if isinstance(hidden, Mapping) and isinstance(hidden.get("name"), str):
        entries[hidden["name"]] = {**entries.get(hidden["name"], {}), **hidden}
    return entries


def _said(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def held_facts(task: Task) -> list[HeldFact]:
    """Everything the task's person holds: hidden facts, known facts, and the details their request states.

    Synonyms and values come from ``metadata["details"]`` (and ``metadata["hidden_detail"]``) by spoken
    name. A fact with no such entry (an older task) keeps its own value and is said as written.
    """
    entries = _detail_entries(task)
    facts: list[HeldFact] = []
    seen: set[str] = set()

    def add(name: str, say: Any, hidden: bool) -> None:
        entry = entries.get(name, {})
        value = entry["value"] if "value" in entry else (None if isinstance(say, str) else say)
        synonyms = tuple(s for s in entry.get("synonyms") or () if isinstance(s, str))
        facts.append(HeldFact(name, _said(say), value, synonyms, hidden))
        seen.add(name)

    for name, say in task.user.hidden_facts.items():
        add(name, say, True)
    for name, say in task.user.known_facts.items():
        if name not in seen:
            add(name, say, False)
    # Details the request states are known to the person even where known_facts was not filled in.
    for name, entry in entries.items():
        phrase = entry.get("phrase")
        if name not in seen and isinstance(phrase, str) and phrase and phrase in task.query and "say" in entry:
            add(name, entry["say"], False)
    return facts


def mentions_fact(text: str, fact: HeldFact) -> bool:
    """Whether ``text`` states the fact's own value (in any of the ways it is written)."""
    if fact.date is not None:
        return any(_same_date(d, fact.date) for d in find_dates(text))
    if fact.time is not None:
        return fact.time in find_times(text)
    if fact.number is not None:
        return fact.number in anchored_numbers(text, fact.anchors)
    normalised = _normalise_text(text)
    for form in fact.spellings:
        needle = _normalise_text(form)
        if needle and re.search(rf"(?<![\w.]){re.escape(needle)}(?![\w]|\.\d)", normalised):
            return True
    if fact.kind == "place":
        # "Atlanta" is mentioned by "Atlanta Hartsfield"; any capitalised word of the place will do.
        words = {w.lower() for form in fact.spellings for w in re.findall(r"[A-Z][\w'-]+", form)}
        return bool(words & {w.lower() for w in re.findall(r"[A-Z][\w'-]+", text)})
    return False


def _years_from(now: dt.datetime | None, date: DateMention) -> float:
    if now is None or date[0] is None:
        return 0.0
    return abs(date[0] - now.year)


def _distance(a: DateMention, b: DateMention) -> int:
    year = a[0] or b[0] or 2000
    first = dt.date(year if a[0] is None else a[0], a[1], min(a[2], 28) if a[1] == 2 else a[2])
    second = dt.date(year if b[0] is None else b[0], b[1], min(b[2], 28) if b[1] == 2 else b[2])
    return abs((first - second).days)


def _nearest(gaps: Sequence[tuple[HeldFact, int]]) -> list[HeldFact]:
    """The facts at the smallest gap (all of them on a tie)."""
    best = min((gap for _, gap in gaps), default=None)
    return [f for f, gap in gaps if gap == best]


def _other_dates(
    text: str, facts: Sequence[HeldFact], unmentioned: Sequence[HeldFact], lowered: set[str], now: dt.datetime | None
) -> list[HeldFact]:
    """The date facts that a date the person does not hold stands in for (see :func:`contradicted_facts`)."""
    held = [(f, f.date) for f in facts if f.date is not None]
    foreign = [d for d in find_dates(text) if not any(_same_date(d, date) for _, date in held)]
    open_facts = [(f, date) for f, date in held if f in unmentioned]
    found: list[HeldFact] = []
    for item in foreign:
        if item[0] is not None:
            # A date written with its year stands in only for a date within a year of it: 1963-07-23 is
            # someone's birthday, never the person's travel date.
            near = [(f, date) for f, date in open_facts if date[0] is None or _distance(item, date) <= 366]
        else:
            near = list(open_facts)
        named = [(f, date) for f, date in near if f.anchors & lowered]
        current = [(f, date) for f, date in near if _years_from(now, date) <= 1]
        found += _nearest([(f, _distance(item, date)) for f, date in named or current])
    return found


def _other_times(
    text: str, facts: Sequence[HeldFact], unmentioned: Sequence[HeldFact], lowered: set[str]
) -> list[HeldFact]:
    """The time facts that a time the person does not hold stands in for."""
    held = [(f, f.time) for f in facts if f.time is not None]
    foreign = [t for t in find_times(text) if not any(t == time for _, time in held)]
    open_facts = [(f, time) for f, time in held if f in unmentioned]
    found: list[HeldFact] = []
    for item in foreign:
        named = [(f, time) for f, time in open_facts if f.anchors & lowered]
        found += _nearest([(f, abs(item - time)) for f, time in named or open_facts])
    return found


def contradicted_facts(text: str, facts: Sequence[HeldFact], now: dt.datetime | None = None) -> list[HeldFact]:
    """The held facts that ``text`` (a proposal) states differently: another date, count, code or city.

    Only the person's own facts are compared, never the gold solution: whatever else a proposal mentions
    (a flight number, a price) is confirmed alike, so the user cannot be used to probe the solution.

    * counts and codes are compared where the sentence ties them to the fact ("2 bags", "booking XY12Z3");
    * a date (time) the person does not hold is taken for the nearest unmentioned date (time) they do hold
      — among dates near ``now``, so that a travel date is never read as a birthday — or for the one whose
      name the sentence uses;
    * a place the person does not hold ("to Boston") contradicts their unmentioned places (those named in
      the sentence, if any).
    """
    lowered = set(lemmas(text))
    wrong: list[HeldFact] = []
    unmentioned = [f for f in facts if not mentions_fact(text, f)]
    for fact in unmentioned:
        counted = fact.number is not None and bool(anchored_numbers(text, fact.anchors))
        if counted or (fact.kind == "id" and anchored_identifiers(text, fact.anchors)):
            wrong.append(fact)
        elif fact.kind == "code" and fact.anchors & lowered:
            # "the card ending in 1234" for a person whose card ends in 5669: same length, other digits.
            width = len(str(fact.value if fact.value is not None else fact.say))
            if any(len(d) == width for d in re.findall(r"(?<![\w.$])\d+(?![\w]|\.\d)", _masked(text))):
                wrong.append(fact)
    wrong += [f for f in _other_dates(text, facts, unmentioned, lowered, now) if f not in wrong]
    wrong += [f for f in _other_times(text, facts, unmentioned, lowered) if f not in wrong]
    places = [f for f in facts if f.kind == "place"]
    held_words = {w.lower() for f in facts for form in f.spellings for w in re.findall(r"[\w'-]+", form)}
    # Codes count as places only where the person's own places are codes: "ATL" for someone who said
    # "Atlanta" is the agent's shorthand, not another city.
    codes = any(_CODE.fullmatch(form) for f in places for form in f.spellings)
    mentioned_places = place_mentions(text, codes) if places else []
    foreign_places = [p for p in mentioned_places if not {w.lower() for w in p.split()} & held_words]
    if foreign_places:
        open_places = [f for f in places if f in unmentioned]
        named = [f for f in open_places if f.anchors & lowered]
        wrong += [f for f in (named or open_places) if f not in wrong]
    return [f for f in facts if f in wrong]  # in the task's order: deterministic


# -- reading the assistant's turn -------------------------------------------------------------------------------

Act = Literal["question", "proposal", "generic", "closing", "statement"]

_GENERIC = re.compile(
    r"\b(what else (?:do|would|should|can|could) (?:you|i|we) (?:need|know|have|tell)"
    r"|(?:any|more|further|additional|other|missing|remaining) (?:details?|information|info)\b"
    r"|anything else (?:i|we) (?:should|need to|must|ought to) know"
    r"|what (?:other )?(?:details?|information) (?:do|can|could|would|should|did)"
    r"|is there anything (?:else )?(?:i|we) (?:should|need to) know)",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"\b(anything else|anything more|something else|anything further|any (?:other |more |further )?questions"
    r"|further assistance|more help|other help|(?:what|how) else can i|else i can (?:help|do)"
    r"|if there(?:'s| is) anything|have a (?:great|nice|good|safe|wonderful) (?:day|trip|flight|journey|evening))\b",
    re.IGNORECASE,
)
# Offers of an action the person is to accept or refuse; "proceed", "go ahead" and "confirm" only in a
# question ("Shall I proceed?"), since "you can proceed to check-in" and "I can confirm it is booked" offer
# nothing.
_PROPOSAL = re.compile(
    r"\b(?:shall i|should i|(?:do|would) you (?:want|like) me to|want me to|like me to"
    r"|(?:may|can) i (?:go ahead|proceed)|ok(?:ay)? (?:to|if i)"
    r"|i(?:'ll| will| am going to|'m going to)\b[^.?!]{0,160}\b(?:ok|okay|alright|fine)"
    r"|is (?:that|this|it) (?:ok|okay|alright|fine|correct|right|what you want)|does (?:that|this) (?:work|sound)"
    r"|(?:please|can you|could you|would you|kindly) confirm|would you like (?:the|to book|to go ahead|to proceed))\b",
    re.IGNORECASE,
)
_PROPOSAL_QUESTION = re.compile(r"\b(?:proceed|go ahead|confirm)\b|\b(?:right|correct|ok|okay)\s*\?", re.IGNORECASE)
_ASKING = re.compile(
    r"\?|\b(?:please (?:provide|tell|share|give|send|specify|enter|let me know)"
    r"|(?:could|can|would) you (?:please )?(?:provide|tell|share|give|specify|let me know|send)"
    r"|let me know (?:the|your|what|which|when|where|how|who)|i(?:'ll| will)? need (?:the|your|to know)"
    r"|may i (?:have|ask|get)|tell me|give me)\b",
    re.IGNORECASE,
)
_WH = re.compile(r"\b(what|which|when|where|how|who|whom|whose)\b", re.IGNORECASE)
# "What amount should I send?" asks for a detail; "Should I send 50?" offers an action.
_WH_QUESTION = re.compile(
    r"\b(?:what|which|when|where|who|how (?:much|many|long|often))\b[^,;:]{0,160}\b(?:shall|should|do you want me to|"
    r"would you like me to) (?:i )?",
    re.IGNORECASE,
)
_OFFERING = re.compile(r"\b(?:shall|should) i\b|\bme to\b", re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    """The sentences of a message (on ., !, ? and line breaks; decimals and times stay whole)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def classify_sentence(sentence: str, facts: Sequence[HeldFact] = ()) -> Act:
    """What one sentence of the assistant does: question, proposal, generic request, closing or statement.

    A closing offer ("Is there anything else I can help with?") is not a question: it asks for nothing
    the person holds and proposes nothing. It stays a question when it names one of their details, offers
    an action ("shall I ...") or asks something else besides ("anything else, or which date?").
    """
    if _GENERIC.search(sentence):
        return "generic"
    if _CLOSING.search(sentence) and not _OFFERING.search(sentence):
        words = set(lemmas(sentence))
        if not any(f.keywords & words for f in facts) and not _WH.search(_CLOSING.sub(" ", sentence)):
            return "closing"
    if _WH_QUESTION.search(sentence):
        return "question"
    if _PROPOSAL.search(sentence) or ("?" in sentence and _PROPOSAL_QUESTION.search(sentence)):
        return "proposal"
    if _ASKING.search(sentence):
        return "question"
    return "statement"


@dataclass(frozen=True)
class TurnReading:
    """The assistant's turn, sentence by sentence (see :func:`read_turn`)."""

    sentences: tuple[tuple[str, Act], ...]

    def of(self, act: Act) -> list[str]:
        return [s for s, a in self.sentences if a == act]

    @property
    def asks_or_proposes(self) -> bool:
        return any(a in ("question", "proposal", "generic") for _, a in self.sentences)


def read_turn(text: str, facts: Sequence[HeldFact] = ()) -> TurnReading:
    """Classify every sentence of the assistant's turn: question, proposal, generic request, closing, statement."""
    return TurnReading(tuple((s, classify_sentence(s, facts)) for s in split_sentences(text)))


def asks_or_proposes(text: str) -> bool:
    """Whether an assistant turn asks the person anything or proposes an action (else it ends the chat)."""
    return read_turn(text).asks_or_proposes


def _phrase_in(phrase: str, sentence: Sequence[str]) -> bool:
    """Whether the lemmas of ``phrase`` occur in ``sentence`` (lemmas) one after another: "flying from"
    is in "where are you flying from?", not in "when would you like to fly from here to there"."""
    parts = lemmas(phrase)
    if not parts:
        return False
    return any(list(sentence[i : i + len(parts)]) == parts for i in range(len(sentence) - len(parts) + 1))


def _score(sentence: str, fact: HeldFact) -> float:
    sequence = lemmas(sentence)
    words = set(sequence)
    name_words = set(_content(lemmas(fact.name)))
    # A name made of weak words only ("amount") has nothing more specific to be asked by.
    weak = 0.25 if name_words - _WEAK else 1.0
    score = sum(weak if w in _WEAK else 1.0 for w in name_words & words)
    score += sum(1.0 for s in fact.synonyms if _phrase_in(s, sequence) and not set(lemmas(s)) <= name_words)
    return score


def matching_facts(sentence: str, facts: Sequence[HeldFact]) -> list[HeldFact]:
    """The held facts a question is about: those whose spoken name or synonyms it uses most.

    A fact needs one specific word ("date", "bag") or synonym; weak words ("number", "name") only add to
    that. Ties are all returned ("what are the dates?" with two dates held).
    """
    scored = [(f, _score(sentence, f)) for f in facts]
    best = max((s for _, s in scored), default=0.0)
    if best < 1.0:
        return []
    return [f for f, s in scored if s == best]


# -- the user's own tools (dual control) -----------------------------------------------------------------------

_ID_WORDS = frozenset({"id", "ids", "number", "code", "no"})


_ARTICLES = frozenset({"my", "your", "the", "a", "an"})
_FILLER = r"\W+(?:(?:my|your|the|a|an)\W+)?"


def _intent_arguments(intent: str, text: str) -> dict[str, str]:
    """Arguments read off ``text`` by an intent template: "freeze account {account_id}" on "freeze account A0005"."""
    pattern = ""
    for piece in re.split(r"(\{\w+\})", intent):
        if re.fullmatch(r"\{\w+\}", piece):
            pattern += rf"(?P<{piece[1:-1]}>[\w@.\-]+)"
        else:
            words = [re.escape(w) for w in re.findall(r"\w+", piece) if w.lower() not in _ARTICLES]
            pattern += _FILLER.join(words) + (_FILLER if words else "")
    if not pattern.strip():
        return {}
    match = re.search(pattern, text, re.IGNORECASE)
    return {k: v for k, v in match.groupdict().items() if v} if match else {}


def _fits(value: str, schema: Mapping[str, Any]) -> Any:
    """``value`` typed for the parameter, or None where it cannot be one ("with" is no account id)."""
    if isinstance(schema.get("enum"), list):
        return next((o for o in schema["enum"] if str(o).lower() == value.lower()), None)
    if schema.get("type") == "integer":
        return int(value) if value.isdigit() else None
    if schema.get("type") == "number":
        try:
            return float(value)
        except ValueError:
            return None
    if schema.get("type") == "string":
        return value if _IDENTIFIER.fullmatch(value) or "@" in value else None
    return None


_PUNCTUATION = re.compile(r"[\W_]+")


def _argument_from_text(param: str, schema: Mapping[str, Any], text: str) -> Any:
    """The value ``text`` gives for a parameter, found next to the parameter's words ("account A0005")."""
    words = [lemma(w) for w in param.split("_") if w and w not in _ID_WORDS] or [lemma(param)]
    kind = schema.get("type")
    if isinstance(schema.get("enum"), list):
        # Compared with punctuation read as spaces: "4G/5G preferred" says 4g_5g_preferred.
        spaced = _PUNCTUATION.sub(" ", text)
        for option in schema["enum"]:
            wanted = re.escape(_PUNCTUATION.sub(" ", str(option)).strip())
            if wanted and re.search(rf"\b{wanted}\b", spaced, re.IGNORECASE):
                return option
        return None
    if kind in ("integer", "number"):
        found = anchored_numbers(text, words)
        if not found:
            return None
        return int(found[0]) if kind == "integer" else found[0]
    if kind == "boolean":
        return None
    for match in _IDENTIFIER.finditer(text):
        if _follows_keyword(text[: match.start()], set(words)):
            return match.group(0)
    return None


def user_tool_arguments(
    spec: ToolSpec, texts: Sequence[str], facts: Sequence[HeldFact]
) -> tuple[dict[str, Any], list[str]]:
    """Arguments for one of the user's own tools from what the user can see and holds; and what is missing.

    ``texts`` are searched in order (the assistant's instruction first, then the person's own request):
    by the tool's intent templates, then next to each parameter's words. A parameter still open takes a
    held fact whose spoken name shares its words. Nothing comes from the gold solution.
    """
    properties: dict[str, Any] = dict(spec.parameters.get("properties") or {})
    required = list(spec.parameters.get("required") or [])
    arguments: dict[str, Any] = {}
    for text in texts:
        for intent in spec.intents:
            for key, raw in _intent_arguments(intent, text).items():
                typed = _fits(raw, properties.get(key) or {})
                if key in properties and key not in arguments and typed is not None:
                    arguments[key] = typed
        for param, schema in properties.items():
            if param not in arguments:
                value = _argument_from_text(param, schema, text)
                if value is not None:
                    arguments[param] = value
    for param in properties:
        if param in arguments:
            continue
        words = {lemma(w) for w in param.split("_")} - _ID_WORDS
        fact = next((f for f in facts if words & f.anchors), None)
        if fact is not None:
            arguments[param] = fact.value if fact.value is not None else fact.say
    return arguments, [p for p in required if p not in arguments]


def _parameter_label(param: str) -> str:
    """How a person names a parameter: ``account_id`` → "account"."""
    words = [w for w in param.split("_") if w and w not in _ID_WORDS]
    return " ".join(words) or fact_label(param)


def _names_tool_outright(sentence: str, tool: str) -> bool:
    lowered = sentence.lower()
    return tool.lower() in lowered or fact_label(tool).lower() in lowered


def _named_beyond_longer(sentence: str, tool: str, named: Sequence[tuple[str, ToolSpec]]) -> bool:
    """Whether ``tool`` is still named once longer names holding it are struck ("toggle data saver mode")."""
    text, label = sentence.lower(), fact_label(tool).lower()
    for _, other in named:
        longer = fact_label(other.name).lower()
        if len(longer) > len(label) and label in longer:
            text = text.replace(longer, " ")
    return _names_tool_outright(text, tool)


# Verbs that ask for a setting to change state read as one to the matcher of the user's tools, so that
# "turn off airplane mode", "switch airplane mode off" and "disable airplane mode" all name "toggle airplane
# mode" (lemmas included: "disabled" → "disabl").
_SWITCH_VERBS = frozenset(_wordlist("toggle toggl turn switch flip enable enabl disable disabl"))


def _action_sequence(text: str) -> list[str]:
    return ["toggle" if w in _SWITCH_VERBS else w for w in _content(lemmas(text))]


def _action_words(text: str) -> frozenset[str]:
    return frozenset(_action_sequence(text))


def _tool_phrases(tool: str, spec: ToolSpec | None) -> list[str]:
    """The phrases that name a tool: its label and its intents (placeholders out)."""
    return [fact_label(tool), *(re.sub(r"\{\w+\}", " ", intent) for intent in (spec.intents if spec else ()))]


def _tool_words_named(sentence: str, tool: str, spec: ToolSpec | None) -> frozenset[str] | None:
    """The words by which the sentence names a tool — its label's, or one of its intents' (placeholders out),
    the most specific one that the sentence holds all of — or None when it does not name it."""
    words = _action_words(sentence)
    candidates = [_action_words(phrase) for phrase in _tool_phrases(tool, spec)]
    held = [c for c in candidates if c and c <= words]
    return max(held, key=len) if held else None


def _names_tool(sentence: str, tool: str, spec: ToolSpec | None) -> bool:
    return _names_tool_outright(sentence, tool) or _tool_words_named(sentence, tool, spec) is not None


def _most_specific(sentence: str, named: Sequence[tuple[str, ToolSpec]]) -> list[tuple[str, ToolSpec]]:
    """The tools a sentence names by scattered words, less those named by fewer of the same words than another:
    "turn off Data Saver" names "toggle data saver mode" (by its intent), not also "toggle data"."""
    words = {e: _tool_words_named(sentence, spec.name, spec) or frozenset() for e, spec in named}
    return [(e, spec) for e, spec in named if not any(words[e] < other for other in words.values())]


def _tools_asked(clause: str, named: Sequence[tuple[str, ToolSpec]]) -> list[tuple[str, ToolSpec]]:
    """Which of the tools a clause names it asks for: those named outright (their name or their label as
    written), else the most specific.

    "Toggle roaming to turn data roaming on" also holds the words of "toggle data": a tool named outright
    wins over tools whose words are merely scattered; but a label inside a longer tool's words ("toggle
    data saver") names the longer tool.
    """
    outright = [(e, spec) for e, spec in named if _names_tool_outright(clause, spec.name)]
    outright = [(e, spec) for e, spec in outright if _named_beyond_longer(clause, spec.name, outright)]
    words = {e: _tool_words_named(clause, spec.name, spec) or frozenset() for e, spec in named}
    outright = [(e, spec) for e, spec in outright if not any(words[e] < other for other in words.values())]
    return outright or _most_specific(clause, named)


# -- the instructions of a sentence ------------------------------------------------------------------------

# Where one instruction ends and the next begins ("turn off airplane mode, and then restart the phone"),
# or a condition does ("restart the phone if data is not working": the "not" is the condition's).
# "or" joins alternatives, not steps: "mobile data or data saver may be the problem" stays one clause.
_JOIN = re.compile(
    r"[;:\u2013\u2014]|\s-\s|,(?!\d)|(?<!\d),|\b(?:and then|and also|and|then|also|after that|afterwards|next"
    r"|finally|plus|as well as|followed by|but|before|after|without|instead of|rather than"
    r"|so|if|when|once|unless|because|since|until)\b",
    re.IGNORECASE,
)
# Joins that introduce what is not to be done: "restart the phone without taking the SIM card out".
_NEGATING_JOINS = frozenset({"without", "instead of", "rather than"})
# Joins after which a clause with no verb of its own takes the verb before it: "turn off X and Y".
_LISTING_JOINS = frozenset({",", "and", "and also", "also", "plus", "as well as", "but"})
_NEGATION = re.compile(r"\b(?:not|never|no need|cannot|avoid|refrain)\b|n't\b|\bdont\b", re.IGNORECASE)
# A clause that tells what was done, by either side, or how a setting is asks for nothing: "now that you've
# restarted the phone", "I've enabled roaming on your line", "Wi-Fi is turned off".
_REPORTED = re.compile(
    r"\bnow that\b|\byou(?:'ve| have)\b(?!\s+(?:got\s+)?to\b)|\bI(?:'ve| have| had)\b"
    r"|\bI (?:just |already |now )?\w+ed\b|\b(?:is|are|was|were|been) (?:now |already |just |still )?\w+ed\b",
    re.IGNORECASE,
)
# Words a clause with a borrowed verb may hold beside the tool's own: "... and the VPN too".
_PARTICLES = frozenset(_wordlist("off on back out up down again too also well now just please"))


@dataclass(frozen=True)
class Clause:
    """One clause of a sentence: its text, the join before it ("" for the first), whether it says not to."""

    text: str
    join: str = ""
    negated: bool = False


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in re.findall(r"\w+", phrase) if w.lower() not in _ARTICLES]
    return re.compile(_FILLER.join(words), re.IGNORECASE)


def split_clauses(sentence: str, keep: Iterable[str] = ()) -> list[Clause]:
    """The clauses of a sentence, in the order their actions are meant to happen.

    It is split at its joins (:data:`_JOIN`) except inside a phrase of ``keep`` that holds one (a tool's
    own words: "take the SIM card out and put it back in"). "Y after X" puts X first; "Before X, Y" puts Y
    first.
    """
    text = sentence.replace("\u2019", "'")
    kept = [m.span() for phrase in keep if _JOIN.search(phrase) for m in _phrase_pattern(phrase).finditer(text)]
    pieces: list[tuple[str, str]] = []
    start, join = 0, ""
    for found in _JOIN.finditer(text):
        if any(begin < found.start() < end for begin, end in kept):
            continue
        pieces.append((join, text[start : found.start()]))
        join, start = found.group(0).lower(), found.end()
    pieces.append((join, text[start:]))
    clauses = [
        Clause(piece.strip(), join, join in _NEGATING_JOINS or bool(_NEGATION.search(piece)))
        for join, piece in pieces
        if re.search(r"\w", piece)
    ]
    if len(clauses) > 1 and clauses[0].join == "before":
        clauses[:2] = clauses[1::-1]
    for index in range(1, len(clauses)):
        if clauses[index].join == "after":
            clauses[index - 1], clauses[index] = clauses[index], clauses[index - 1]
    return clauses


def requested_tools(sentence: str, tools: Mapping[str, ToolSpec]) -> list[tuple[str, ToolSpec, str]]:
    """The person's tools a sentence asks them to use, in the order asked: (exposed name, spec, clause).

    Each clause is read on its own (:func:`split_clauses`). One that says not to ("don't turn off Wi-Fi"),
    or tells what was done ("I've enabled roaming on your line"), asks for nothing. One with no verb of its
    own, listed after another ("turn off airplane mode and data saver"), takes that one's verb — and its
    "not" — when all its words are a tool's.
    """
    phrases = {exposed: _tool_phrases(spec.name, spec) for exposed, spec in tools.items()}
    vocabulary = {exposed: frozenset().union(*map(_action_words, found)) for exposed, found in phrases.items()}
    verbs = {sequence[0] for found in phrases.values() for p in found if (sequence := _action_sequence(p))}
    asked: list[tuple[str, ToolSpec, str]] = []
    carried: frozenset[str] = frozenset()
    carried_skip = False
    for clause in split_clauses(sentence, [p for found in phrases.values() for p in found]):
        words = _action_words(clause.text)
        skip = clause.negated or bool(_REPORTED.search(clause.text))
        if words & verbs:
            carried, carried_skip, read = words & (verbs | _PARTICLES), skip, clause.text
            named = [(e, spec) for e, spec in tools.items() if _names_tool(read, spec.name, spec)]
        elif carried and clause.join in _LISTING_JOINS:
            skip = skip or carried_skip
            # "§" keeps the borrowed verb from making a label as written ("toggle" + "data saver").
            read = " ".join(sorted(carried)) + " § " + clause.text
            own = words - _PARTICLES
            named = [
                (e, spec)
                for e, spec in tools.items()
                if own and own <= vocabulary[e] and _names_tool(read, spec.name, spec)
            ]
        else:
            continue
        if not skip:
            asked += [(e, spec, clause.text) for e, spec in _tools_asked(read, named)]
    return asked


# -- the rule-based user --------------------------------------------------------------------------------------


def _last_assistant_text(messages: Sequence[Mapping[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "assistant" and not message.get("tool_calls"):
            return str(message.get("content") or "")
    return ""


def _sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


@dataclass(frozen=True)
class UserReply:
    """The user's next message; ``done`` ends the conversation (and the episode)."""

    content: str
    done: bool = False


class UserSimulator(Protocol):
    def respond(self, messages: Sequence[Mapping[str, Any]]) -> UserReply: ...


@dataclass
class _Turn:
    parts: list[str] = field(default_factory=list)
    handled: set[str] = field(default_factory=set)  # sentences a tool request or a refusal has answered


class RuleBasedUser:
    """A deterministic user: answers from its facts, confirms or refuses, runs its own tools, ends the chat."""

    def __init__(self, task: Task, runtime: ToolRuntime, *, max_turns: int = MAX_USER_TURNS) -> None:
        self.task = task
        self.runtime = runtime
        self.max_turns = max_turns
        self.turns = 0
        self.revealed: set[str] = set()
        self.held = held_facts(task)
        self.hidden = [f for f in self.held if f.hidden]
        owned = set(task.user.user_tools)
        self.user_tools = {name: b.spec for name, b in runtime.bindings.items() if b.spec.name in owned}
        self.tools_run: list[str] = []
        # "Now" of the episode's world: tells a trip's date (near it) from a birthday (decades before).
        snapshots = [db.snapshot for db in runtime.databases.values()]
        self.now: dt.datetime | None = next((s.now for s in snapshots if getattr(s, "now", None)), None)

    @property
    def facts(self) -> dict[str, str]:
        """What the person holds, spoken name → how they say it."""
        return {f.name: f.say for f in self.held}

    def respond(self, messages: Sequence[Mapping[str, Any]]) -> UserReply:
        self.turns += 1
        text = _last_assistant_text(messages)
        if self.turns > self.max_turns:
            return UserReply(f"This is taking too long; I'll try again later. {STOP_TOKEN}", True)
        reading = read_turn(text, self.held)
        turn = _Turn()
        ran_tool = self._run_requested_tools(reading, text, turn)
        refused = self._refuse_contradictions(reading, turn)
        answered = self._answer_questions(reading, turn, skip={f.name for f in refused})
        if reading.of("proposal") and not refused:
            turn.parts.insert(0, "Yes, please go ahead.")
        unanswered = [s for s in reading.of("question") if s not in turn.handled]
        if unanswered and not answered and not refused:
            turn.parts.append("Sorry, I don't know that.")
        # A request for "more details" asks for something only while the person holds something unsaid.
        asks = reading.of("question") or reading.of("proposal") or (reading.of("generic") and self.hidden)
        if not asks and not ran_tool:
            # The assistant neither asks nor proposes: it has done what it will do.
            return UserReply(f"Alright, thank you — that's all. {STOP_TOKEN}", True)
        if not turn.parts:
            turn.parts.append("Could you please help me with my request?")
        return UserReply(" ".join(turn.parts), False)

    def _say(self, facts: Sequence[HeldFact]) -> str:
        for fact in facts:
            self.revealed.add(fact.name)
        if len(facts) == 1:
            return _sentence_case(facts[0].say) + ("" if facts[0].say.rstrip()[-1:] in ".!?" else ".")
        return "; ".join(f"{_sentence_case(fact_label(f.name))}: {f.say}" for f in facts) + "."

    def _answer_questions(self, reading: TurnReading, turn: _Turn, skip: set[str]) -> list[HeldFact]:
        asked: list[HeldFact] = []
        for sentence, act in reading.sentences:
            if act not in ("question", "generic") or sentence in turn.handled:
                continue
            found = matching_facts(sentence, self.held)
            if not found and act == "generic" and len(self.hidden) == 1:
                # "Could you give me more details?" — the one thing the request left out is the answer.
                found = list(self.hidden)
            for fact in found:
                if fact not in asked and fact.name not in skip:
                    asked.append(fact)
            if found:
                turn.handled.add(sentence)
        if asked:
            turn.parts.append(self._say(asked))
        return asked

    def _refuse_contradictions(self, reading: TurnReading, turn: _Turn) -> list[HeldFact]:
        wrong: list[HeldFact] = []
        for sentence in reading.of("proposal"):
            for fact in contradicted_facts(sentence, self.held, self.now):
                if fact not in wrong:
                    wrong.append(fact)
        if wrong:
            for fact in wrong:
                self.revealed.add(fact.name)
            stated = "; ".join(f"the {fact_label(f.name)} is {f.say}" for f in wrong)
            turn.parts.append(f"No, that's not what I want — {stated}.")
        return wrong

    def _run_requested_tools(self, reading: TurnReading, text: str, turn: _Turn) -> bool:
        """Run each of the person's own tools the assistant asks them to use, in the order asked (once per turn)."""
        replies = []
        done: set[str] = set()
        for sentence, _ in reading.sentences:
            for exposed, spec, clause in requested_tools(sentence, self.user_tools):
                if exposed in done:
                    continue
                done.add(exposed)
                turn.handled.add(sentence)
                # The instruction's own words first, then its sentence, the whole turn, the person's request.
                sources = [clause, sentence, text, self.task.query]
                arguments, missing = user_tool_arguments(spec, sources, self.held)
                label = fact_label(spec.name)
                if missing:
                    asked = " and ".join(_parameter_label(m) for m in missing)
                    replies.append(f"Which {asked} should I use to {label}?")
                    continue
                result = self.runtime.call(exposed, arguments, as_user=True)
                self.tools_run.append(spec.name)
                status = "done" if result.ok else "it failed"
                replies.append(f"I ran {label} on my side ({status}): {result.content[:300]}")
        turn.parts.extend(replies)
        return bool(replies)


# -- the LLM user ---------------------------------------------------------------------------------------------


def _system_prompt_for_user(task: Task, user_tools: Sequence[str]) -> str:
    """The simulator's prompt: the person, what they said and what they hold, by spoken name — no solution."""
    facts = held_facts(task)
    lines = [
        "You are playing a person talking to a support assistant. Stay in character; write only your next "
        "message, briefly and naturally.",
        f"Your request (your opening message): {task.query}",
    ]
    if task.user.persona:
        lines.append(f"Persona: {task.user.persona}")
    known = [f for f in facts if not f.hidden]
    hidden = [f for f in facts if f.hidden]
    if known:
        lines.append("Details you stated: " + "; ".join(f"{fact_label(f.name)}: {f.say}" for f in known) + ".")
    if hidden:
        lines.append(
            "Details you hold but have not said yet — give one only when the assistant asks for it, in whatever "
            "words: " + "; ".join(f"{fact_label(f.name)}: {f.say}" for f in hidden) + "."
        )
    lines.append(
        "You know nothing else: not the company's systems, not ids or codes you were not given, not how the "
        "request should be carried out. If asked something you do not know, say so."
    )
    if user_tools:
        lines.append(
            "You can act on your own device/account with these actions when the assistant asks you to: "
            + ", ".join(user_tools)
            + '. To do one, write ACTION: <name> {"argument": "value", ...}.'
        )
    lines.append(
        "When the assistant proposes an action, agree unless it contradicts one of your details; then say no "
        "and give the detail. When the assistant has finished and asks you nothing more, end your message with "
        f"{STOP_TOKEN}."
    )
    return "\n".join(lines)


_ACTION = re.compile(r"ACTION:\s*([A-Za-z0-9_\-]+)[ \t]*(\{[^\n]*\})?")


class LLMUser:
    """A user played by a chat model behind an OpenAI-compatible ``/chat/completions`` endpoint (httpx)."""

    def __init__(
        self,
        task: Task,
        runtime: ToolRuntime,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        temperature: float = 0.0,
        timeout: float = 60.0,
        max_turns: int = MAX_USER_TURNS,
    ) -> None:
        import httpx

        self.task = task
        self.runtime = runtime
        self.model = model
        self.temperature = float(temperature)
        self.max_turns = int(max_turns)
        self.turns = 0
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=float(timeout))
        owned = set(task.user.user_tools)
        self.user_tools = {b.spec.name: name for name, b in runtime.bindings.items() if b.spec.name in owned}
        self.held = held_facts(task)
        self.system = _system_prompt_for_user(task, list(self.user_tools))

    def _conversation(self, messages: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
        # Roles flip: the assistant's messages are what the simulated user reads.
        flipped = [{"role": "system", "content": self.system}, {"role": "user", "content": "Hello, how can I help?"}]
        for message in messages:
            if message.get("role") == "assistant" and not message.get("tool_calls") and message.get("content"):
                flipped.append({"role": "user", "content": str(message["content"])})
            elif message.get("role") == "user":
                flipped.append({"role": "assistant", "content": str(message.get("content") or "")})
        return flipped

    def _act(self, name: str, written: str | None, messages: Sequence[Mapping[str, Any]]) -> str:
        exposed = self.user_tools.get(name)
        spec = self.runtime.spec(exposed) if exposed is not None else None
        if exposed is None or spec is None:
            return f"[{name}: you have no such action]"
        arguments: dict[str, Any] = {}
        if written:
            try:
                parsed = json.loads(written)
                arguments = parsed if isinstance(parsed, dict) else {}
            except json.JSONDecodeError:
                arguments = {}
        # Arguments the model left out come from what the person can see and holds, never from the gold.
        filled, _ = user_tool_arguments(spec, [_last_assistant_text(messages), self.task.query], self.held)
        result = self.runtime.call(exposed, {**filled, **arguments}, as_user=True)
        return f"[{name}: {result.content[:300]}]"

    def respond(self, messages: Sequence[Mapping[str, Any]]) -> UserReply:
        import httpx

        self.turns += 1
        try:
            response = self.client.post(
                "/chat/completions",
                json={"model": self.model, "messages": self._conversation(messages), "temperature": self.temperature},
            )
            response.raise_for_status()
            content = str(response.json()["choices"][0]["message"].get("content") or "")
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            # The endpoint failing (or answering nonsense) ends the conversation; it must not crash the episode.
            return UserReply(f"(The user simulator is unavailable: {type(exc).__name__}.) {STOP_TOKEN}", True)
        for action in _ACTION.finditer(content):
            content += "\n" + self._act(action.group(1), action.group(2), messages)
        done = STOP_TOKEN in content or self.turns >= self.max_turns
        if done and STOP_TOKEN not in content:
            content = f"{content} {STOP_TOKEN}"
        return UserReply(content, done)

    def close(self) -> None:
        self.client.close()


SimulatorFactory = Callable[[Task, ToolRuntime], UserSimulator]


def _parse_options(text: str) -> dict[str, str]:
    options = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"User simulator option {part!r} must be key=value.")
        options[key.strip()] = value.strip()
    return options


def make_user_simulator(spec: Any, task: Task, runtime: ToolRuntime) -> UserSimulator:
    """Build the simulator for one episode from a spec (see the module docstring)."""
    if spec is None or spec == "rule":
        return RuleBasedUser(task, runtime)
    if isinstance(spec, str):
        kind, _, rest = spec.partition(":")
        spec = {"kind": kind.strip(), **_parse_options(rest)}
    if isinstance(spec, Mapping):
        options = dict(spec)
        kind = options.pop("kind", "rule")
        if kind == "rule":
            return RuleBasedUser(task, runtime, **{k: int(v) for k, v in options.items()})
        if kind == "llm":
            if "base_url" not in options or "model" not in options:
                raise ValueError("The LLM user simulator needs base_url and model.")
            return LLMUser(task, runtime, **options)
        raise ValueError(f"Unknown user simulator kind {kind!r}; use 'rule' or 'llm'.")
    if callable(spec):
        return spec(task, runtime)
    raise TypeError(f"Cannot build a user simulator from {type(spec).__name__}.")
