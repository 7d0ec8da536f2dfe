"""Federal and State shares of a retained IV-D collection (42 U.S.C. 657(c)(2)-(4); 45 CFR 304.26).

When a State keeps a collection to repay assistance (42 U.S.C. 657(a)(1)-(2)), it owes the Federal
Government the "Federal share": the part of the amount that results from applying the Federal
medical assistance percentage (FMAP) in effect for the fiscal year in which the amount is
distributed (657(c)(2); 304.26(a)). The rest is the State share (657(c)(4)). `distribute` decides how
much is retained; this module only splits that amount.

The FMAP is 75 percent for Puerto Rico, the Virgin Islands, Guam and American Samoa, and otherwise
the FMAP of section 1905(b) "as in effect on September 30, 1995" (657(c)(3); 304.26(a)(1)-(2)): the
1995 definition applied to the fiscal year of distribution, so later amendments of 1905(b), such as
the District of Columbia's 70 percent, and temporary increases do not count. The rates are dated
parameters in `params/us/distribution_fmap.yaml`, which records which States are loaded and from
what source; an unknown State is refused, never given a default. A question about the rate that is
still open on a date (the temporary FFCRA increase, 2020-2023) is attached to the split in words
(`params/us/distribution_fmap_open_questions.yaml`), never answered by a guess.

Rounding (OpenCSE choice, docs/rules/distribute.md "Federal and State shares"; no federal text read
prescribes one): the Federal share is rounded to the cent half-up, and the State share is the
remainder, so the two always add up to the retained amount exactly.

Invariants asserted on every call: federal + state == retained; both shares are whole cents and
not negative; the Federal share never exceeds the retained amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.money import HUNDRED, ZERO, is_whole_cents, percent_of, round_cents
from opencse.rules.params import parameters

FMAP_PARAMETERS = "us/distribution_fmap"
OPEN_QUESTIONS = "us/distribution_fmap_open_questions"
RETAINED_MAXIMUM = Decimal("1000000000.00")  # far above any one distribution; a larger amount is a bug upstream


@dataclass(frozen=True, slots=True)
class Split:
    """A retained amount split into the share paid to the Federal Government and the State's share."""

    federal: Decimal
    state: Decimal
    fmap_percent: Decimal
    explanation: tuple[Line, ...] = ()
    parameters: tuple[ParameterUse, ...] = ()
    open_questions: tuple[str, ...] = ()  # unresolved questions about the rate on this date, in words


def federal_share(retained: Decimal, *, jurisdiction: str, as_of: date) -> Split:
    """Split `retained` by the FMAP of `jurisdiction` for the fiscal year containing `as_of`.

    `as_of` is the date the amount is distributed (42 U.S.C. 657(c)(2): the FMAP "in effect for the
    fiscal year in which the amount is distributed"), not the date the support accrued.
    """
    code = jurisdiction.strip().upper()
    fmaps = parameters(FMAP_PARAMETERS, as_of)
    if not code.isalpha() or code not in fmaps:
        raise InvalidInput(
            f"{jurisdiction[:20]!r} has no FMAP for distribution in {FMAP_PARAMETERS}.yaml", field="jurisdiction"
        )
    try:
        fmap = fmaps[code]
    except InvalidInput as exc:
        # The file ends a State's entry with null where no later rate has been confirmed; say so
        # plainly instead of "no longer in force", which would suggest the law changed.
        raise InvalidInput(
            f"no confirmed FMAP for {code} on {as_of.isoformat()} ({exc.message})", field="as_of"
        ) from exc

    lines = Explanation()
    fmap_percent = lines.take(fmap, f"FMAP for {code}, fiscal year of distribution (percent)")
    split = split_by_fmap(retained, fmap_percent)
    lines.add("Retained collection", retained, "42 U.S.C. 657(a)(1)-(2)")
    lines.add("Federal share (FMAP x retained, rounded half-up to the cent)", split.federal, "42 U.S.C. 657(c)(2)")
    lines.add("State share (retained - Federal share)", split.state, "42 U.S.C. 657(c)(4)")
    open_questions = parameters(OPEN_QUESTIONS, as_of)
    asked = [open_questions[key] for key in sorted(open_questions.keys())]
    questions = tuple(str(lines.take(item, "Open question about this FMAP")) for item in asked if item.value)
    return Split(
        federal=split.federal,
        state=split.state,
        fmap_percent=fmap_percent,
        explanation=lines.done(),
        parameters=lines.parameters(),
        open_questions=questions,
    )


def split_by_fmap(retained: Decimal, fmap_percent: Decimal) -> Split:
    """Split `retained` at an explicit FMAP given in percent (e.g. Decimal("58.00")).

    The worked examples of domain/distribution.md section 7 use an illustrative 58 percent; this is
    the arithmetic without the State's dated rate.
    """
    if not retained.is_finite() or retained < ZERO or not is_whole_cents(retained):
        raise InvalidInput("must be a non-negative amount in whole cents", field="retained")
    if retained > RETAINED_MAXIMUM:
        raise InvalidInput(f"must not exceed {RETAINED_MAXIMUM}", field="retained")
    if not fmap_percent.is_finite() or not ZERO < fmap_percent <= HUNDRED:
        raise InvalidInput("must be a percentage above 0 and at most 100", field="fmap_percent")

    # Half-up on the Federal share, State share by difference: one rounding, so no cent is created
    # or lost (OpenCSE choice, docs/rules/distribute.md "Federal and State shares").
    federal = round_cents(percent_of(retained, fmap_percent), rounding=ROUND_HALF_UP)
    state = retained - federal

    assert federal + state == retained, (federal, state, retained)
    assert ZERO <= federal <= retained, (federal, retained)
    assert state >= ZERO, (state, retained)
    assert is_whole_cents(federal), federal
    assert is_whole_cents(state), state
    return Split(federal=federal, state=state, fmap_percent=fmap_percent)
