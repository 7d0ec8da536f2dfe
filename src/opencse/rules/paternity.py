"""Paternity establishment: when a voluntary acknowledgment can no longer be rescinded, on what grounds it can
still be challenged, and what a genetic test result means in the State.

- Rescission (42 U.S.C. 666(a)(5)(D)(ii)): a signed voluntary acknowledgment is a legal finding of paternity,
  "subject to the right of any signatory to rescind the acknowledgment within the earlier of (I) 60 days;
  or (II) the date of an administrative or judicial proceeding relating to the child (including a
  proceeding to establish a support order) in which the signatory is a party." The 60 days count from the
  signing (the signing day is day 0), so the last day to rescind is the 60th day after it, or the day of
  the proceeding when that comes first.
- Challenge (666(a)(5)(D)(iii)): after that period, only in court, only for fraud, duress or material
  mistake of fact, with the burden on the challenger; support is not suspended while it is pending.
- Genetic testing (666(a)(5)(G)): each State creates a presumption at its own threshold probability.
  Mississippi: a probability of paternity of 98% or greater is a rebuttable presumption (Miss. Code Ann.
  93-9-27(2)); all experts concluding he is not the father resolves paternity that way (93-9-27(1)).
  Washington: at least 99% probability of parentage with a prior probability of 0.50 AND a combined
  relationship index of at least 100 to 1 identify a genetic parent (RCW 26.26A.325(1)).

Numbers and lists are dated parameters: `params/us/paternity.yaml` (federal), `params/ms/paternity.yaml`,
`params/wa/paternity.yaml`. A result below the threshold that does not exclude is inconclusive: the law
gives it no effect of its own (it is evidence for the court).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.params import FEDERAL, governing_jurisdiction, parameters

TOPIC = "paternity"
HUNDRED = Decimal("100")


class Finding(StrEnum):
    """What a genetic test result means for the alleged father."""

    PRESUMED = "presumed"  # at or above the State's threshold: presumed (MS) / identified (WA) the father
    EXCLUDED = "excluded"  # the laboratory excludes him
    INCONCLUSIVE = "inconclusive"  # neither: evidence only


class ChallengeGround(StrEnum):
    """The only grounds on which an acknowledgment may be challenged after the rescission period."""

    FRAUD = "fraud"
    DURESS = "duress"
    MATERIAL_MISTAKE_OF_FACT = "material_mistake_of_fact"


@dataclass(frozen=True, slots=True)
class Rescission:
    """The last day either signatory may rescind an acknowledgment, and why that day."""

    last_day: date
    cut_short_by_proceeding: bool
    lines: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]

    def open_on(self, day: date) -> bool:
        """Whether a rescission on `day` is within the period."""
        return day <= self.last_day


@dataclass(frozen=True, slots=True)
class TestFinding:
    finding: Finding
    jurisdiction: str
    lines: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


def rescission_period(*, signed_on: date, proceeding_on: date | None = None, state: str | None) -> Rescission:
    """The rescission period of an acknowledgment signed on `signed_on` (42 U.S.C. 666(a)(5)(D)(ii)): the
    earlier of the 60th day after signing and the date of the first administrative or judicial proceeding
    relating to the child to which the signatory is a party (`proceeding_on`, when there is one)."""
    if proceeding_on is not None and proceeding_on < signed_on:
        raise InvalidInput("cannot be before the acknowledgment was signed", field="proceeding_on")
    jurisdiction = governing_jurisdiction(TOPIC, state=state, key="rescission_days")
    params = parameters(f"{jurisdiction.lower()}/{TOPIC}", signed_on)
    explanation = Explanation()
    explanation.add("Acknowledgment signed on", signed_on)
    days = int(explanation.take(params["rescission_days"], "Days to rescind after signing"))
    by_days = signed_on + timedelta(days=days)
    explanation.add("Last day by the count of days", by_days, params["rescission_days"].reference)
    cut_short = proceeding_on is not None and proceeding_on < by_days
    last_day = proceeding_on if cut_short and proceeding_on is not None else by_days
    if proceeding_on is not None:
        explanation.add(
            "Date of a proceeding relating to the child to which the signatory is a party",
            proceeding_on,
            "42 U.S.C. 666(a)(5)(D)(ii)(II)",
        )
    explanation.add("Last day to rescind (the earlier)", last_day, "42 U.S.C. 666(a)(5)(D)(ii)")
    return Rescission(last_day=last_day, cut_short_by_proceeding=cut_short, lines=explanation.done(),
                      parameters=tuple(explanation.used.values()))  # fmt: skip


def challenge_grounds(*, as_of: date) -> tuple[str, ...]:
    """The grounds on which a signed acknowledgment may be challenged after the rescission period
    (42 U.S.C. 666(a)(5)(D)(iii))."""
    value = parameters(f"{FEDERAL.lower()}/{TOPIC}", as_of)["challenge_grounds"].value
    return tuple(str(item) for item in value)


def interpret_genetic_test(
    *,
    state: str | None,
    as_of: date,
    probability_percent: Decimal,
    combined_index: Decimal | None,
    lab_excludes: bool,
    prior_probability: Decimal = Decimal("0.50"),
) -> TestFinding:
    """What a genetic test result means under `state`'s law on `as_of` (the day the result was received).

    Excluded when the laboratory excludes the alleged father (Miss. Code Ann. 93-9-27(1); RCW
    26.26A.325(2)(a)) or the combined index is 0 (no shared marker: an exclusion by definition of the
    index, RCW 26.26A.300(1), (5)). Presumed when the probability reaches the State's threshold and, where
    the State sets them, the combined index minimum and the prior probability (RCW 26.26A.325(1)).
    Otherwise inconclusive. A State with no threshold on file is refused, never defaulted."""
    if not Decimal(0) <= probability_percent <= HUNDRED:
        raise InvalidInput("must be a percentage from 0 to 100", field="probability")
    if combined_index is not None and combined_index < 0:
        raise InvalidInput("cannot be negative", field="combined_index")
    jurisdiction = governing_jurisdiction(TOPIC, state=state, key="presumption_probability_percent")
    if jurisdiction == FEDERAL:
        raise InvalidInput(
            f"{(state or '')[:20]!r} has no genetic-test presumption threshold on file "
            "(42 U.S.C. 666(a)(5)(G) leaves it to the State)",
            field="jurisdiction",
        )
    params = parameters(f"{jurisdiction.lower()}/{TOPIC}", as_of)
    explanation = Explanation()
    explanation.add("Probability of paternity reported (%)", probability_percent)
    explanation.add("Combined paternity index reported", combined_index)
    if lab_excludes or combined_index == 0:
        explanation.add("The laboratory excludes the alleged father", True, _exclusion_reference(jurisdiction))
        return _finding(Finding.EXCLUDED, jurisdiction, explanation)
    threshold = Decimal(explanation.take(params["presumption_probability_percent"], "Threshold probability (%)"))
    presumed = probability_percent >= threshold
    explanation.add("At or above the threshold probability", presumed)
    if "presumption_combined_index_minimum" in params:
        minimum = Decimal(explanation.take(params["presumption_combined_index_minimum"], "Minimum combined index"))
        index_met = combined_index is not None and combined_index >= minimum
        explanation.add("Combined index at or above the minimum", index_met)
        presumed = presumed and index_met
    if "presumption_prior_probability" in params:
        prior = Decimal(explanation.take(params["presumption_prior_probability"], "Prior probability required"))
        explanation.add("Prior probability the laboratory used", prior_probability)
        presumed = presumed and prior_probability == prior
    if "statistical_positive_percent" in params:
        reportable = probability_percent >= Decimal(
            explanation.take(params["statistical_positive_percent"], "May be reported as positive from (%)")
        )
        explanation.add("May be reported to ACF as positive", reportable)
    return _finding(Finding.PRESUMED if presumed else Finding.INCONCLUSIVE, jurisdiction, explanation)


def _exclusion_reference(jurisdiction: str) -> str:
    return {"MS": "Miss. Code Ann. 93-9-27(1)", "WA": "RCW 26.26A.325(2)(a)"}.get(jurisdiction, "")


def _finding(finding: Finding, jurisdiction: str, explanation: Explanation) -> TestFinding:
    explanation.add("Finding", finding.value)
    return TestFinding(finding=finding, jurisdiction=jurisdiction, lines=explanation.done(),
                       parameters=tuple(explanation.used.values()))  # fmt: skip
