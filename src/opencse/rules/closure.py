"""Case closure: which criteria of 45 CFR 303.11(b) a case meets, and what notice each needs (303.11(d)).

The IV-D agency "may elect to close a case" that meets at least one criterion of 303.11(b), keeping the
supporting documentation in the case record (303.11(b)). Most criteria are findings the officer documents
(the noncustodial parent is deceased and nothing can be levied against the estate); the rule takes them as
plain facts and checks the ones the regulation puts a number on:

- (b)(1): no current support order and arrearages under $500 (or unenforceable under State law);
- (b)(6)(i): the child is at least 18 and an action to establish paternity is time-barred;
- (b)(7): locate efforts unsuccessful over 2 years (enough information for automated locate), 6 months (not
  enough), or after 1 year (automated locate, but no Social Security Number verified).

Notice (303.11(d)): criteria (b)(1)-(10), (15) and (16) need a written notice to the recipient of services
60 calendar days before closure ((d)(1)); (b)(13) the same notice, with how to reapply ((d)(4)); (b)(17) a
notice to the initiating agency, in a record ((d)(2)). The other criteria close without advance notice.
A closure under a (d)(1) or (d)(2) notice is stopped when the recipient or the initiating agency supplies
information that could lead to paternity, an order or enforcement, or, under (b)(15), contact is
reestablished with the recipient ((d)(3)). The regulation gives no other way to stop it (see
`response_stops_closure`). Numbers and lists are dated parameters in `params/us/closure.yaml`.
"""

from __future__ import annotations

import calendar as months
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.money import ZERO
from opencse.rules.params import parameters

PARAMETERS = "us/closure"
SECTION = "45 CFR 303.11"


class Criterion(StrEnum):
    """The criteria of 45 CFR 303.11(b), by paragraph number (current text, 81 FR 93564; 85 FR 35207)."""

    B1 = "b1"
    B2 = "b2"
    B3 = "b3"
    B4 = "b4"
    B5 = "b5"
    B6 = "b6"
    B7 = "b7"
    B8 = "b8"
    B9 = "b9"
    B10 = "b10"
    B11 = "b11"
    B12 = "b12"
    B13 = "b13"
    B14 = "b14"
    B15 = "b15"
    B16 = "b16"
    B17 = "b17"
    B18 = "b18"
    B19 = "b19"
    B20 = "b20"
    B21 = "b21"

    @property
    def paragraph(self) -> str:
        """ "45 CFR 303.11(b)(4)"."""
        return f"{SECTION}(b)({self.value[1:]})"


# Each criterion in plain words (for the officer's screen, the timeline and the notice).
WORDS: dict[Criterion, str] = {
    Criterion.B1: "There is no current support order and the past-due support is under $500 or cannot be enforced "
    "under State law",
    Criterion.B2: "There is no current support order and all past-due support is owed to the State",
    Criterion.B3: "There is no current support order, the children are adults, the noncustodial parent is in "
    "long-term care and has no income or assets above subsistence",
    Criterion.B4: "The noncustodial parent or alleged father has died and nothing more can be done, including "
    "against the estate",
    Criterion.B5: "The noncustodial parent lives with the child and services are not appropriate",
    Criterion.B6: "Paternity cannot be established",
    Criterion.B7: "The noncustodial parent cannot be found after diligent efforts",
    Criterion.B8: "The noncustodial parent cannot pay support during the child's minority (institutionalized, "
    "incarcerated or permanently disabled) and has no income or assets above subsistence",
    Criterion.B9: "The noncustodial parent's only income is SSI, or SSI with SSDI or Social Security retirement",
    Criterion.B10: "The noncustodial parent is a citizen of and lives in a foreign country with no treaty or "
    "reciprocity, and has no income or assets we can reach",
    Criterion.B11: "Location-only services were provided as requested",
    Criterion.B12: "The recipient of services (not receiving TANF) asked to close the case and nothing is "
    "assigned to the State",
    Criterion.B13: "The limited service requested has been completed",
    Criterion.B14: "Good cause or another exception to cooperation: enforcement would risk harm to the child or "
    "caretaker",
    Criterion.B15: "We cannot contact the recipient of services despite trying two different ways",
    Criterion.B16: "The recipient of services does not cooperate and their action is needed for the next step",
    Criterion.B17: "The initiating agency did not take an action needed for the next step",
    Criterion.B18: "The initiating agency closed its case",
    Criterion.B19: "The initiating agency no longer needs our services",
    Criterion.B20: "Another program referred a case that is not appropriate for support services, and no parent "
    "applied",
    Criterion.B21: "The case was transferred to a Tribal IV-D agency",
}


class Notice(StrEnum):
    """The advance notice a criterion needs before the case may close (45 CFR 303.11(d))."""

    NONE = "none"
    RECIPIENT = "recipient"  # (d)(1)
    RECIPIENT_WITH_REAPPLICATION = "recipient_reapply"  # (d)(4)
    INITIATING_AGENCY = "initiating_agency"  # (d)(2)


NOTICE_PARAGRAPH = {
    Notice.NONE: "",
    Notice.RECIPIENT: f"{SECTION}(d)(1)",
    Notice.RECIPIENT_WITH_REAPPLICATION: f"{SECTION}(d)(4)",
    Notice.INITIATING_AGENCY: f"{SECTION}(d)(2)",
}


@dataclass(frozen=True, slots=True)
class ClosureFacts:
    """What the officer has found and documented in the case record, as plain inputs. The defaults meet no
    criterion: a case is closed on findings, never on missing information."""

    # (b)(1)-(3)
    has_current_order: bool = True
    arrears: Decimal = ZERO
    arrears_unenforceable: bool = False
    all_arrears_assigned_to_state: bool = False
    children_reached_majority: bool = False
    ncp_in_long_term_care: bool = False
    ncp_no_income_or_assets_above_subsistence: bool = False
    # (b)(4)
    ncp_deceased: bool = False
    no_further_action_against_estate: bool = False
    # (b)(5)
    ncp_lives_with_child_services_not_appropriate: bool = False
    # (b)(6)
    child_born_on: date | None = None  # the youngest child on whose paternity the case turns
    paternity_action_time_barred: bool = False
    alleged_father_excluded_no_other: bool = False
    paternity_not_in_best_interests: bool = False
    father_unknown_after_diligent_efforts: bool = False
    recipient_interviewed: bool = False
    # (b)(7)
    ncp_location_unknown: bool = False
    locate_efforts_began_on: date | None = None
    automated_locate_information: bool = False
    ssn_unverified: bool = False
    # (b)(8)-(10)
    ncp_cannot_pay_institutionalized_incarcerated_or_disabled: bool = False
    ncp_income_only_ssi: bool = False
    ncp_foreign_unreachable_no_treaty: bool = False
    # (b)(11)-(14)
    location_only_services_provided: bool = False
    current_assistance: bool = False  # a IV-A (TANF) case
    recipient_requested_closure: bool = False
    assigned_medical_support_or_arrears: bool = False
    limited_service_completed: bool = False
    good_cause_risk_of_harm: bool = False
    # (b)(15)-(16): a non-IV-A case where the recipient's cooperation is not required
    recipient_unreachable_two_methods: bool = False
    recipient_noncooperation_action_essential: bool = False
    # (b)(17)-(19): this State responds on an intergovernmental case
    responding_interstate: bool = False
    initiating_agency_failed_essential_action: bool = False
    initiating_agency_closed_its_case: bool = False
    initiating_agency_services_not_needed: bool = False
    # (b)(20)-(21)
    inappropriate_referral_no_application: bool = False
    transferred_to_tribal_agency: bool = False


@dataclass(frozen=True, slots=True)
class Eligibility:
    """One criterion applied to the facts: met or not, why, and the notice it needs."""

    criterion: Criterion
    met: bool
    reason: str  # why it is met, or what is missing
    notice: Notice
    reference: str

    @property
    def words(self) -> str:
        return WORDS[self.criterion]


@dataclass(frozen=True, slots=True)
class ClosureAssessment:
    """Every criterion of 303.11(b) applied to one case's facts on a date."""

    as_of: date
    criteria: tuple[Eligibility, ...]
    notice_days: int
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]

    def of(self, criterion: Criterion | str) -> Eligibility:
        wanted = Criterion(criterion)
        return next(item for item in self.criteria if item.criterion == wanted)

    @property
    def met(self) -> tuple[Eligibility, ...]:
        return tuple(item for item in self.criteria if item.met)


def add_months(day: date, count: int) -> date:
    """The same day `count` months later, or that month's last day when it has no such day."""
    month_index = day.month - 1 + count
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, months.monthrange(year, month)[1]))


def years_old(born_on: date, on: date) -> int:
    """Age in whole years on `on` (a person born on February 29 turns a year older on March 1)."""
    return on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))


def assess(facts: ClosureFacts, *, as_of: date) -> ClosureAssessment:
    """Apply every criterion of 45 CFR 303.11(b) to `facts` on `as_of`, with the notice each needs."""
    table = parameters(PARAMETERS, as_of)
    lines = Explanation()
    lines.add("Facts as of", as_of)
    for item in fields(facts):
        value = getattr(facts, item.name)
        if value not in (False, None, ZERO):
            lines.add(f"  {item.name.replace('_', ' ')}", value)
    under = Decimal(lines.take(table["arrears_under"], "Arrears threshold of (b)(1): under"))
    notice_days = int(lines.take(table["notice_calendar_days"], "Advance notice, calendar days"))
    to_recipient = {Criterion(c) for c in table["notice_to_recipient"].value}
    lines.note(table["notice_to_recipient"])
    with_reapplication = {Criterion(c) for c in table["notice_to_recipient_with_reapplication"].value}
    lines.note(table["notice_to_recipient_with_reapplication"])
    to_agency = {Criterion(c) for c in table["notice_to_initiating_agency"].value}
    lines.note(table["notice_to_initiating_agency"])
    periods = {
        "automated": int(lines.take(table["locate_months_automated"], "Locate period, automated locate (months)")),
        "not_automated": int(lines.take(table["locate_months_not_automated"], "Locate period, no automated locate")),
        "ssn": int(lines.take(table["locate_months_ssn_unverified"], "Locate period, SSN not verified (months)")),
    }
    majority = int(lines.take(table["paternity_child_age_years"], "Child's age for (b)(6)(i)"))
    tribal = bool(lines.take(table["tribal_transfer_available"], "Criterion (b)(21) in force"))
    checks = _checks(facts, as_of=as_of, under=under, periods=periods, majority=majority, tribal=tribal)
    results = []
    for criterion in Criterion:
        met, reason = checks[criterion]
        notice = (
            Notice.RECIPIENT
            if criterion in to_recipient
            else Notice.RECIPIENT_WITH_REAPPLICATION
            if criterion in with_reapplication
            else Notice.INITIATING_AGENCY
            if criterion in to_agency
            else Notice.NONE
        )
        results.append(Eligibility(criterion, met, reason, notice, criterion.paragraph))
        notice_words = f"; notice under {NOTICE_PARAGRAPH[notice]}" if notice != Notice.NONE else "; no notice"
        lines.add(f"{criterion.paragraph}: {'met' if met else 'not met'}", reason + notice_words, criterion.paragraph)
    return ClosureAssessment(as_of, tuple(results), notice_days, lines.done(), lines.parameters())


def _all(*conditions: tuple[bool, str]) -> tuple[bool, str]:
    """Met when every condition holds; else the first one missing, as the reason."""
    for holds, words in conditions:
        if not holds:
            return False, f"not met: {words}"
    return True, "; ".join(words for _, words in conditions)


def _checks(
    facts: ClosureFacts, *, as_of: date, under: Decimal, periods: dict[str, int], majority: int, tribal: bool
) -> dict[Criterion, tuple[bool, str]]:
    no_order = (not facts.has_current_order, "no current support order")
    arrears_small = facts.arrears < under
    arrears = (
        arrears_small or facts.arrears_unenforceable,
        f"arrears ${facts.arrears:,.2f} under ${under:,.2f}"
        if arrears_small
        else f"arrears ${facts.arrears:,.2f} unenforceable under State law"
        if facts.arrears_unenforceable
        else f"arrears ${facts.arrears:,.2f} are not under ${under:,.2f} and are enforceable",
    )
    subsistence = (facts.ncp_no_income_or_assets_above_subsistence, "no income or assets above subsistence")
    non_iv_a = (not facts.current_assistance, "not a IV-A (TANF) case")
    responding = (facts.responding_interstate, "this State is the responding agency")
    return {
        Criterion.B1: _all(no_order, arrears),
        Criterion.B2: _all(no_order, (facts.all_arrears_assigned_to_state, "all arrears assigned to the State")),
        Criterion.B3: _all(
            no_order,
            (facts.children_reached_majority, "the children have reached the age of majority"),
            (facts.ncp_in_long_term_care, "the noncustodial parent is in long-term care"),
            subsistence,
        ),
        Criterion.B4: _all(
            (facts.ncp_deceased, "the noncustodial parent or alleged father is deceased"),
            (facts.no_further_action_against_estate, "no further action, including against the estate"),
        ),
        Criterion.B5: _all(
            (
                facts.ncp_lives_with_child_services_not_appropriate,
                "parent lives with the child; services not appropriate",
            )
        ),
        Criterion.B6: _paternity(facts, as_of=as_of, majority=majority),
        Criterion.B7: _location(facts, as_of=as_of, periods=periods),
        Criterion.B8: _all(
            (
                facts.ncp_cannot_pay_institutionalized_incarcerated_or_disabled,
                "cannot pay: institutionalized, incarcerated or totally and permanently disabled",
            ),
            subsistence,
        ),
        Criterion.B9: _all((facts.ncp_income_only_ssi, "sole income SSI, or SSI with SSDI or SSR")),
        Criterion.B10: _all(
            (facts.ncp_foreign_unreachable_no_treaty, "foreign citizen and resident, unreachable, no treaty")
        ),
        Criterion.B11: _all((facts.location_only_services_provided, "location-only services provided")),
        Criterion.B12: _all(
            non_iv_a,
            (facts.recipient_requested_closure, "the recipient of services asked to close"),
            (not facts.assigned_medical_support_or_arrears, "no medical support or arrears assigned to the State"),
        ),
        Criterion.B13: _all((facts.limited_service_completed, "the limited service is completed")),
        Criterion.B14: _all((facts.good_cause_risk_of_harm, "good cause or other exception; risk of harm")),
        Criterion.B15: _all(
            non_iv_a, (facts.recipient_unreachable_two_methods, "recipient not reached by two different methods")
        ),
        Criterion.B16: _all(
            non_iv_a,
            (facts.recipient_noncooperation_action_essential, "recipient's noncooperation; their action is essential"),
        ),
        Criterion.B17: _all(
            responding,
            (facts.initiating_agency_failed_essential_action, "initiating agency failed an essential action"),
        ),
        Criterion.B18: _all(responding, (facts.initiating_agency_closed_its_case, "initiating agency closed its case")),
        Criterion.B19: _all(
            responding, (facts.initiating_agency_services_not_needed, "initiating agency no longer needs services")
        ),
        Criterion.B20: _all(
            (facts.inappropriate_referral_no_application, "inappropriate referral and no parent applied")
        ),
        Criterion.B21: _all(
            (tribal, "criterion (b)(21) in force (from 2020-07-09, 85 FR 35207)"),
            (facts.transferred_to_tribal_agency, "transferred to a Tribal IV-D agency under (b)(21)(i)-(iv)"),
        ),
    }


def _paternity(facts: ClosureFacts, *, as_of: date, majority: int) -> tuple[bool, str]:
    """(b)(6): any one of (i) to (iv)."""
    if facts.child_born_on is not None and facts.paternity_action_time_barred:
        age = years_old(facts.child_born_on, as_of)
        if age >= majority:
            return True, f"(i) the child is {age} (at least {majority}) and the action is time-barred"
    if facts.alleged_father_excluded_no_other:
        return True, "(ii) the alleged father was excluded and no other can be identified"
    if facts.paternity_not_in_best_interests:
        return True, "(iii) not in the child's best interests (303.5(b))"
    if facts.father_unknown_after_diligent_efforts and facts.recipient_interviewed:
        return True, "(iv) father unknown after diligent efforts, including an interview with the recipient"
    if facts.child_born_on is not None and facts.paternity_action_time_barred:
        age = years_old(facts.child_born_on, as_of)
        return False, f"not met: (i) the child is {age}, under {majority}"
    if facts.father_unknown_after_diligent_efforts:
        return False, "not met: (iv) needs at least one interview with the recipient of services"
    return False, "not met: none of (b)(6)(i)-(iv) found"


def _location(facts: ClosureFacts, *, as_of: date, periods: dict[str, int]) -> tuple[bool, str]:
    """(b)(7): location unknown after diligent, unsuccessful efforts over the period that applies."""
    if not facts.ncp_location_unknown:
        return False, "not met: the noncustodial parent's location is not recorded as unknown"
    if facts.locate_efforts_began_on is None:
        return False, "not met: the date locate efforts began is needed"
    if facts.locate_efforts_began_on > as_of:
        raise InvalidInput("cannot be after the date assessed", field="locate_efforts_began_on")
    if not facts.automated_locate_information:
        count, paragraph = periods["not_automated"], "(ii)"
    elif facts.ssn_unverified:
        count, paragraph = periods["ssn"], "(iii)"
    else:
        count, paragraph = periods["automated"], "(i)"
    ends = add_months(facts.locate_efforts_began_on, count)
    if as_of >= ends:
        return (
            True,
            f"{paragraph} efforts since {facts.locate_efforts_began_on.isoformat()}: {count} months ended {ends}",
        )
    return False, f"not met: {paragraph} {count} months of efforts end on {ends.isoformat()}"


def notice_period_ends(notice_sent_on: date, *, as_of: date) -> date:
    """The first day the case may close after a notice sent on `notice_sent_on`: 60 calendar days later
    (303.11(d)(1), (2), (4): notice "60 calendar days prior to closure"; the sending day is day 0)."""
    days = int(parameters(PARAMETERS, as_of)["notice_calendar_days"].value)
    return notice_sent_on + timedelta(days=days)


def response_stops_closure(notice: Notice | str, *, could_lead_to_action: bool, contact_reestablished: bool) -> bool:
    """Whether a response to the notice keeps the case open (45 CFR 303.11(d)(3)): information that could lead
    to paternity, an order or enforcement, in response to a (d)(1) or (d)(2) notice; or, under (b)(15),
    contact reestablished (the caller says so only on a (b)(15) closure). A (d)(4) notice ((b)(13), limited
    service) is not named in (d)(3): a response to it does not stop the closure under the regulation."""
    kind = Notice(notice)
    if kind not in (Notice.RECIPIENT, Notice.INITIATING_AGENCY):
        return False
    return could_lead_to_action or contact_reestablished
