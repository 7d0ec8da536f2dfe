"""A guideline worksheet in words for people: for the court file, and for the analysts who check it.

The rule's explanation is written for an auditor: values as bare numbers ("2394.00", "180", "nearest_row"),
and references that may name OpenCSE's own choices ("OpenCSE choice: docs/rules/...", "ROUND_HALF_UP").
A worksheet filed with the court shows amounts with "$" and thousands separators, percentages with "%",
codes as words, and only the law: the lines that rest on an OpenCSE choice stay on screen for analysts,
under "How this was computed", never on the printed worksheet. Times are in the agency's time zone
(settings.TIME_ZONE), never UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

# A reference or value holding one of these is OpenCSE's own working, not the law: analysts only.
FOR_ANALYSTS_ONLY = ("OpenCSE choice", "docs/", "ROUND_")
# Codes the rules give as values, in words.
WORDS = {
    "next_row_up": "the next $100 row up",
    "nearest_row": "the nearest $100 row ($50 or more above a row goes up)",
    "presumptive_minimum": "the presumptive minimum ($50 per child)",
    "self_support_reserve": "the self-support reserve",
    "income_45_percent": "45% of net income",
    "none": "none",
    "yes": "yes",
    "no": "no",
}
# Steps whose value is a count, not money.
COUNTS = ("family size", "hours a week", "number of children")
CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # a rule's code inside a sentence: full_time_minimum_wage


@dataclass(frozen=True, slots=True)
class ShownLine:
    step: str
    value: str
    reference: str


def amount(value: Decimal | str) -> str:
    """An amount of money as people write it: "$1,234.56", "-$50.00", "$2,200" for a whole-dollar limit."""
    number = Decimal(value)
    sign = "-" if number < 0 else ""
    places = 0 if "." not in str(value) and number else 2
    return f"{sign}${abs(number):,.{places}f}"


def shown_value(step: str, value: str) -> str:
    """A line's value in words: money with "$", percentages with "%", counts plain, codes as words."""
    if value in WORDS:
        return WORDS[value]
    try:
        number = Decimal(value)
    except InvalidOperation:
        return in_words(value)
    lowered = step.lower()
    if "percent" in lowered:
        return f"{number.normalize():f}%"
    if any(word in lowered for word in COUNTS):
        return f"{number:,f}"
    return amount(value)


def in_words(text: str) -> str:
    """A sentence with the rule's codes in it written as words: "full_time_minimum_wage" -> "full time minimum wage"."""
    return CODE.sub(lambda code: WORDS.get(code.group(0), code.group(0).replace("_", " ")), text)


def is_for_analysts(line: Mapping[str, str]) -> bool:
    return any(marker in line["reference"] or marker in line["value"] for marker in FOR_ANALYSTS_ONLY)


def court_lines(explanation: Iterable[Mapping[str, str]]) -> list[ShownLine]:
    """The lines of the computation for the court file, in words, without OpenCSE's own working."""
    return [
        ShownLine(
            step=in_words(line["step"]), value=shown_value(line["step"], line["value"]), reference=line["reference"]
        )
        for line in explanation
        if not is_for_analysts(line)
    ]


def analyst_lines(explanation: Iterable[Mapping[str, str]]) -> list[ShownLine]:
    """The lines kept off the court file (OpenCSE's choices), as the rule wrote them."""
    return [
        ShownLine(step=line["step"], value=line["value"], reference=line["reference"])
        for line in explanation
        if is_for_analysts(line)
    ]


def court_sources(parameters: Iterable[Mapping[str, str]]) -> list[tuple[str, str]]:
    """(in effect from, source) of the law the worksheet used, once each, without OpenCSE's own working."""
    return [(local_date(effective.isoformat()), reference) for effective, reference in court_source_dates(parameters)]


def court_source_dates(parameters: Iterable[Mapping[str, str]]) -> list[tuple[date, str]]:
    """`court_sources` with the dates as dates (the printed worksheet writes them as a letter does)."""
    seen: dict[str, date] = {}
    for use in parameters:
        if not any(marker in use["reference"] for marker in FOR_ANALYSTS_ONLY):
            seen.setdefault(use["reference"], date.fromisoformat(use["effective"]))
    return [(effective, reference) for reference, effective in seen.items()]


def court_notes(notes: Iterable[str]) -> list[str]:
    """The notes for the court file (every note is written for the court; OpenCSE's working is dropped)."""
    return [in_words(note) for note in notes if not any(marker in note for marker in FOR_ANALYSTS_ONLY)]


def local_date(iso: str) -> str:
    """A date as the agency writes it: 01/13/2026."""
    year, month, day = iso.split("-")
    return f"{month}/{day}/{year}"


def local_time(moment: datetime) -> str:
    """A moment in the agency's time zone, with the zone's name: "12/04/2026 5:31 PM CST"."""
    local = timezone.localtime(moment)
    return f"{local:%m/%d/%Y} {local:%I:%M %p}".replace(" 0", " ", 1) + f" {local:%Z}"
