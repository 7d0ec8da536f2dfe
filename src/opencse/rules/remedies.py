"""Which enforcement remedies a delinquent case qualifies for: each remedy defined once, as dated data.

45 CFR 303.6(b): the agency identifies a delinquency no later than the date the unpaid support equals one
month's support; (c): it then takes an appropriate enforcement action within 30 calendar days (60 when
service of process is needed), income withholding and tax offset aside. The remedies themselves are State
procedures that 42 U.S.C. 666(a) and (c) require; each one's trigger, exemptions, notice, approvers and
release are read from `params/us/remedies.yaml` (federal thresholds and OpenCSE defaults) and a State's own
`params/<state>/remedies.yaml`, which replaces a remedy by its key or adds one. Nothing here acts: the rule
says what a case qualifies for and why, in words with citations; the sweep proposes, an officer with
signature authority approves (`opencse.enforcement`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.money import ZERO
from opencse.rules.params import FEDERAL, PARAMS_DIR, ParameterValue, parameters

TOPIC = "remedies"
REF_DELINQUENCY = "45 CFR 303.6(b): unpaid support equal to one month's support"
EXEMPTIONS = {
    "payment_agreement_kept": "a payment agreement is being kept",
    "contest_pending": "a contest or hearing request is pending",
    "bankruptcy_stay": "a bankruptcy stay is in effect (11 U.S.C. 362)",
    "protected_party": "a party is protected for family violence (a safety review comes first)",
    "ssi_recipient": "the obligor receives SSI (45 CFR 307.11(c)(3)(i): no levy on the account)",
}
TRIGGERS = frozenset({"arrears_at_least", "arrears_over", "months_of_support_at_least", "months_of_support_over"})
RELEASES = frozenset({"below_trigger", "paid", "paid_or_agreement"})


@dataclass(frozen=True, slots=True)
class DelinquencyFacts:
    """What the sweep knows of one case on a date. `monthly_support` is the current support in force, as a
    monthly amount (zero when none: an arrears-only case)."""

    arrears: Decimal
    monthly_support: Decimal
    assistance: bool  # the case has or had TANF or IV-E: the arrears are (partly) assigned
    payment_agreement_kept: bool = False
    contest_pending: bool = False
    bankruptcy_stay: bool = False
    protected_party: bool = False
    ssi_recipient: bool = False


@dataclass(frozen=True, slots=True)
class Remedy:
    key: str
    name: str
    citation: str
    reference: str  # the parameter version's reference
    effective: date
    trigger: Mapping[str, Any]
    exemptions: tuple[str, ...]
    service: tuple[str, ...]
    contest_days: int
    approvers: tuple[str, ...]
    release: str
    service_of_process: bool = False  # a court action served on the obligor: 303.6(c)(2)'s 60 days
    # The approver records the obligor's ability to pay (a contempt referral: Turner v. Rogers, 564 U.S. 431).
    ability_to_pay: bool = False
    # The window when the notice is served outside the State, where its law gives more (Washington's license
    # suspension: 60 days, RCW 74.20A.320); None: the same window wherever served.
    contest_days_out_of_state: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    remedy: Remedy
    eligible: bool
    reasons: tuple[str, ...]  # why (or why not), in words with citations


def delinquent(facts: DelinquencyFacts) -> bool:
    """303.6(b): unpaid support at least one month's support; with no current support, any arrears."""
    if facts.arrears <= ZERO:
        return False
    return facts.monthly_support == ZERO or facts.arrears >= facts.monthly_support


def remedies(*, state: str | None, as_of: date) -> tuple[Remedy, ...]:
    """Every remedy in force on `as_of` for `state`: the federal file's, each replaced by the State's own
    version where its file has the key, plus the State's additions; in the files' order."""
    found: dict[str, ParameterValue[Any]] = {}
    files = [f"{FEDERAL.lower()}/{TOPIC}"]
    if (
        state
        and state.isalpha()
        and state.upper() != FEDERAL
        and (PARAMS_DIR / state.lower() / f"{TOPIC}.yaml").is_file()
    ):
        files.append(f"{state.lower()}/{TOPIC}")
    for name in files:
        in_force = parameters(name, as_of)
        for key in in_force.keys():  # noqa: SIM118 - a ParameterSet is not iterable
            try:
                found[key] = in_force[key]
            except InvalidInput:  # not in force on `as_of` (before its first version, or ended): no such remedy
                found.pop(key, None)
    return tuple(_remedy(key, value) for key, value in found.items())


def _remedy(key: str, parameter: ParameterValue[Any]) -> Remedy:
    value = parameter.value
    trigger = dict(value["trigger"])
    assert trigger and set(trigger) <= TRIGGERS, (key, trigger)
    assert set(value["exemptions"]) <= set(EXEMPTIONS), (key, value["exemptions"])
    assert value["release"] in RELEASES, (key, value["release"])
    return Remedy(
        key=key,
        name=str(value["name"]),
        citation=str(value["citation"]),
        reference=parameter.reference,
        effective=parameter.effective,
        trigger=trigger,
        exemptions=tuple(value["exemptions"]),
        service=tuple(value["notice"]["service"]),
        contest_days=int(value["notice"]["contest_days"]),
        approvers=tuple(value["approvers"]),
        release=str(value["release"]),
        service_of_process=bool(value.get("service_of_process", False)),
        ability_to_pay=bool(value.get("ability_to_pay", False)),
        contest_days_out_of_state=_out_of_state_days(key, value["notice"]),
    )


def _out_of_state_days(key: str, notice: Mapping[str, Any]) -> int | None:
    """The longer window for service outside the State, if the State's law gives one. Only for notices served
    by certified mail or in person, where the place of service is known (a notice mailed first class counts as
    served the day it is sent: `enforcement.actions`)."""
    days = notice.get("contest_days_out_of_state")
    if days is None:
        return None
    assert int(days) >= int(notice["contest_days"]), (key, days)
    assert "mail" not in notice["service"], f"{key}: first-class mail has no place of service"
    return int(days)


def assess(facts: DelinquencyFacts, *, state: str | None, as_of: date) -> tuple[Finding, ...]:
    """Each remedy in force, with whether the case qualifies and why."""
    for name in ("arrears", "monthly_support"):
        if getattr(facts, name) < ZERO:
            raise InvalidInput("cannot be negative", field=name)
    is_delinquent = delinquent(facts)
    findings = []
    for remedy in remedies(state=state, as_of=as_of):
        if not is_delinquent:
            findings.append(Finding(remedy, False, (f"Not delinquent: {REF_DELINQUENCY}.",)))
            continue
        met, why = _trigger_met(remedy, facts)
        exempt = [EXEMPTIONS[name] for name in remedy.exemptions if getattr(facts, name)]
        reasons = [why, *(f"Exempt: {words}." for words in exempt)]
        findings.append(Finding(remedy, met and not exempt, tuple(reasons)))
    return tuple(findings)


def months_owed(facts: DelinquencyFacts) -> Decimal | None:
    """Arrears as months of current support (None with no current support)."""
    if facts.monthly_support == ZERO:
        return None
    return facts.arrears / facts.monthly_support


def _trigger_met(remedy: Remedy, facts: DelinquencyFacts) -> tuple[bool, str]:
    """(met, the reason in words) for the remedy's trigger; every condition it names must hold."""
    results: list[tuple[bool, str]] = []
    owed = f"{_dollars(facts.arrears)} owed"
    for kind, value in remedy.trigger.items():
        if kind == "arrears_at_least":
            floor = Decimal(value["assistance" if facts.assistance else "non_assistance"])
            results.append((facts.arrears >= floor, f"{owed}; at least {_dollars(floor)} needed"))
        elif kind == "arrears_over":
            results.append((facts.arrears > Decimal(value), f"{owed}; more than {_dollars(Decimal(value))} needed"))
        else:
            months = months_owed(facts)
            needed = Decimal(value)
            if months is None:
                results.append((True, f"{owed} with no current support: any delinquency qualifies"))
                continue
            shown = f"{months.quantize(Decimal('0.1'))} months of support owed"
            if kind == "months_of_support_at_least":
                results.append((months >= needed, f"{shown}; at least {needed} needed"))
            else:
                results.append((months > needed, f"{shown}; more than {needed} needed"))
    met = all(ok for ok, _ in results)
    words = "; ".join(text for _, text in results)
    return met, f"{'Qualifies' if met else 'Does not qualify'}: {words} ({remedy.reference})."


def _dollars(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def release_reason(remedy: Remedy, facts: DelinquencyFacts) -> str | None:
    """Why an action of `remedy` under way is released on these facts (the remedy's `release`), or None."""
    if facts.arrears <= ZERO:
        return "The past-due support is paid."
    if remedy.release == "paid_or_agreement" and facts.payment_agreement_kept:
        return "A payment agreement is being kept."
    if remedy.release == "below_trigger" and not _trigger_met(remedy, facts)[0]:
        return f"The past-due support ({_dollars(facts.arrears)}) is below what the remedy needs ({remedy.reference})."
    return None


# The facts that stop an action already under way, not only a new proposal: a bankruptcy stay (11 U.S.C. 362(a)
# stays acts to collect from the debtor) and an SSI recipient's account (45 CFR 307.11(c)(3)). A kept agreement
# or a contest holds a proposal but leaves an action under way to its own release rule or decision.
STOPPING_EXEMPTIONS = ("bankruptcy_stay", "ssi_recipient")


def stop_reason(remedy: Remedy, facts: DelinquencyFacts) -> str | None:
    """Why an action of `remedy` under way (noticed, contested or taken) must stop on these facts, or None: the
    remedy's data names the fact among its exemptions and the fact holds."""
    for name in STOPPING_EXEMPTIONS:
        if name in remedy.exemptions and getattr(facts, name):
            return f"Stopped: {EXEMPTIONS[name]}."
    return None
