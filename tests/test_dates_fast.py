"""dates.parse_time reads English "N units ago" without dateparser: the result must be
exactly dateparser's, for every unit, count and reference (month ends, leap days,
time zones, microseconds)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from threadscope import dates
from threadscope.dates import parse_time

UNITS = ("second", "minute", "hour", "day", "week", "month", "year")
COUNTS = (1, 2, 6, 11, 12, 23, 24, 25, 29, 30, 31, 45, 59, 60, 61, 100, 365, 1000)
REFERENCES = (
    datetime(2020, 1, 29, 12, 55, 20, 196000, tzinfo=UTC),  # reddit.com.init's page load
    datetime(2020, 2, 29, 23, 59, 59),  # a leap day, naive
    datetime(2021, 3, 31, 0, 0, 1, tzinfo=timezone(timedelta(hours=-5))),  # a month end
    datetime(2012, 12, 31, 12, 0),
)


def _texts() -> list[str]:
    out = []
    for unit in UNITS:
        for count in COUNTS:
            out.append(f"{count} {unit}{'' if count == 1 else 's'} ago")
        out.append(f"1 {unit}s ago")  # the plural with one, as some pages print it
    return out


@pytest.mark.parametrize("reference", REFERENCES, ids=str)
@pytest.mark.parametrize("languages", [None, ["en"], ["de", "en"]], ids=str)
def test_english_ago_equals_dateparser(reference: datetime, languages: list[str] | None) -> None:
    for text in _texts():
        fast = parse_time(text, reference=reference, languages=languages)
        slow = dates._with_dateparser(text, reference, languages)
        assert fast == slow, text
        assert fast is not None
        assert fast.precision == "relative"


def test_fast_path_skips_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("dateparser called")

    monkeypatch.setattr(dates, "_with_dateparser", refuse)
    stamp = parse_time("6 years ago", reference=datetime(2020, 1, 29, 12, 55, 20))
    assert stamp is not None
    assert stamp.iso == "2014-01-29T12:55:20"


def test_other_texts_and_languages_still_go_to_dateparser() -> None:
    reference = datetime(2020, 1, 29, 12, 0)
    assert dates._english_ago("vor 6 Jahren", reference) is None
    assert dates._english_ago("6 years from now", reference) is None
    assert dates._english_ago("about 6 years ago", reference) is None
    # A German-only hint: dateparser (which refuses the English words) decides.
    assert parse_time("6 years ago", reference=reference, languages=["de"]) == (
        dates._with_dateparser("6 years ago", reference, ["de"]))
    assert parse_time("6 years ago") is None  # no reference: nothing invented
