"""The one registry of guideline jurisdictions: which States' child support guidelines OpenCSE computes,
named with their statutes, read from `params/us/guidelines.yaml` (45 CFR 302.56: each State sets one).

The worksheet model and its database check, the establishment service, the worksheet forms and PDF and the
`opencse rules guideline` command all read it here, so a State is listed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from opencse.errors import InvalidInput
from opencse.rules.params import parameters

EARLIEST = date(2000, 1, 1)  # the first date the registry covers (params/us/guidelines.yaml)


@dataclass(frozen=True, slots=True)
class GuidelineJurisdiction:
    code: str  # USPS code: "MS"
    name: str  # "Mississippi"
    statute: str  # "Miss. Code Ann. § 43-19-101"
    model: str  # how the guideline computes support, in words
    amount_key: str  # the rule result's field holding the presumptive monthly support

    @property
    def label(self) -> str:
        """How a form or a document names the guideline: "Mississippi (Miss. Code Ann. § 43-19-101)"."""
        return f"{self.name} ({self.statute})"


def guideline_jurisdictions(as_of: date = EARLIEST) -> dict[str, GuidelineJurisdiction]:
    """The guideline jurisdictions in force on `as_of`, by code, in the registry's order."""
    listed = parameters("us/guidelines", as_of)["jurisdictions"].value
    return {code: GuidelineJurisdiction(code=code, **fields) for code, fields in listed.items()}


def guideline_jurisdiction(code: str, as_of: date = EARLIEST) -> GuidelineJurisdiction:
    """One guideline jurisdiction; refused on the `jurisdiction` field when OpenCSE has no guideline for it."""
    known = guideline_jurisdictions(as_of)
    if code not in known:
        names = ", ".join(f"{each.code} ({each.name})" for each in known.values())
        raise InvalidInput(f"{code[:20]!r} has no child support guideline here; known: {names}", field="jurisdiction")
    return known[code]
