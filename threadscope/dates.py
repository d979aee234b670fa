"""Timestamps in any language and layout, absolute or relative, to ISO 8601 text."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from threadscope.model import TimePrecision, Timestamp

# Words that make a time relative to "now" ("6 years ago", "vor 8 Stunden", "gestern").
_RELATIVE = re.compile(
    r"\b(ago|vor|yesterday|today|gestern|heute|just now|hace|il y a|fa|назад|前)\b|前",
    re.IGNORECASE,
)
_HAS_SECONDS = re.compile(r"\d{1,2}\s*:\s*\d{2}\s*:\s*\d{2}")
_HAS_MINUTES = re.compile(r"\d{1,2}\s*[:h.]\s*\d{2}(?!\d)|@\s*\d{1,2}:\d{2}")
_EPOCH = re.compile(r"^\d{9,13}(\.\d+)?$")
# "6 years ago" as English pages print it: read without dateparser, whose first call in a
# process loads every locale (0.3 s); the result is dateparser's (tested against it).
_ENGLISH_AGO = re.compile(r"^(\d{1,4}) (second|minute|hour|day|week|month|year)s? ago$")
# "09: 43" as copied from some pages: a space after the colon.
_SPACED_COLON = re.compile(r"(\d{1,2}):\s+(\d{2})")
# "Tuesday July 24, @11:35AM" (Slashdot) and "um 15:28 Uhr" (German WordPress).
_NOISE = re.compile(r"@|\bum\b|\bUhr\b|\bat\b|,", re.IGNORECASE)


def parse_time(
    raw: str | int | float | None,
    *,
    reference: datetime | None = None,
    languages: list[str] | None = None,
) -> Timestamp | None:
    """Parse a page's time text; None when it is not a time.

    Args:
        raw: The text (or an epoch number) as the page shows it.
        reference: "Now" for relative times; the page's own date or ``--now``.
        languages: Language hints for dateparser (faster, fewer false matches).

    ISO text keeps its offset; times without a zone get none invented.
    """
    if raw is None:
        return None
    if isinstance(raw, int | float):
        return _from_epoch(float(raw), str(raw))
    text = " ".join(str(raw).split())
    if not text or len(text) > 120:
        return None
    fast = _fast_path(text)
    if fast is not None:
        return fast
    if reference is not None and (languages is None or "en" in languages):
        ago = _english_ago(text, reference)
        if ago is not None:
            return ago
    return _with_dateparser(text, reference, languages)


def _english_ago(text: str, reference: datetime) -> Timestamp | None:
    """ "N units ago" back from the reference, as dateparser computes it."""
    match = _ENGLISH_AGO.match(text)
    if not match:
        return None
    from dateutil.relativedelta import relativedelta

    count, unit = int(match.group(1)), match.group(2)
    try:
        delta = relativedelta(**{f"{unit}s": count})  # type: ignore[arg-type]  # a plural field
        moment = reference.replace(tzinfo=None) - delta
    except (ValueError, OverflowError):
        return None  # before year 1: dateparser's answer, left to it
    return Timestamp(iso=_iso(moment, "relative"), precision="relative", raw=text)


def _fast_path(text: str) -> Timestamp | None:
    if _EPOCH.match(text):
        value = float(text)
        return _from_epoch(value / 1000 if value > 1e11 else value, text)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return Timestamp(iso=parsed.isoformat(), precision=_precision(text), raw=text)


def _from_epoch(value: float, raw: str) -> Timestamp:
    moment = datetime.fromtimestamp(value, tz=UTC)
    return Timestamp(iso=moment.isoformat(), precision="second", raw=raw)


def _with_dateparser(
    text: str, reference: datetime | None, languages: list[str] | None
) -> Timestamp | None:
    import dateparser

    relative = bool(_RELATIVE.search(text))
    if relative and reference is None:
        return None  # a relative time with no reference would be invented
    cleaned = _NOISE.sub(" ", _SPACED_COLON.sub(r"\1:\2", text))
    settings: dict[str, Any] = {"RETURN_AS_TIMEZONE_AWARE": False}
    if not relative:  # "first" would move "6 years ago" from the 29th to the 1st
        settings["PREFER_DAY_OF_MONTH"] = "first"
    if reference is not None:
        settings["RELATIVE_BASE"] = reference.replace(tzinfo=None)
    try:
        parsed = dateparser.parse(cleaned, languages=languages, settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None:
        return None
    precision: TimePrecision = "relative" if relative else _precision(cleaned)
    return Timestamp(iso=_iso(parsed, precision), precision=precision, raw=text)


def _precision(text: str) -> TimePrecision:
    if _HAS_SECONDS.search(text):
        return "second"
    if _HAS_MINUTES.search(text) or "T" in text:
        return "minute"
    return "day"


def _iso(moment: datetime, precision: TimePrecision) -> str:
    if precision == "day":
        return moment.date().isoformat()
    if precision == "minute":
        return moment.isoformat(timespec="minutes")
    return moment.isoformat(timespec="seconds")
