"""Who may do what: the one policy of OpenCSE.

Every view, API operation and service asks this module (`require` / `can`), directly or through
django-rules (`user.has_perm("cases.add_note", case)`). A permission is granted to roles; a
case-level permission also needs the case to be in the worker's office, unless the role works
across offices (`ALL_OFFICE_ROLES`). docs/security.md prints this table for administrators.
"""

from __future__ import annotations

from typing import Protocol

from opencse.errors import NotAuthorized
from opencse.security.roles import Role

T, O1, O2, SUP, ATT, AUD, ADM, SYS = (
    Role.TECHNICIAN,
    Role.OFFICER_1,
    Role.OFFICER_2,
    Role.SUPERVISOR,
    Role.STAFF_ATTORNEY,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
    Role.SYSTEM,
)
CASEWORK = frozenset({T, O1, O2, SUP})

POLICY: dict[str, frozenset[Role]] = {
    # The case record
    "cases.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "cases.open": CASEWORK,
    "cases.update": frozenset({O1, O2, SUP}),
    "cases.close": frozenset({O1, O2, SUP, SYS}),  # SYS: closing cases whose 303.11(d) notice period ended
    "cases.reopen": frozenset({O1, O2, SUP}),  # 45 CFR 303.11(d)(5) (opencse.closure)
    "cases.assign": frozenset({SUP}),
    "cases.add_member": CASEWORK,
    "cases.add_note": frozenset({T, O1, O2, SUP, ATT, SYS}),  # SYS: notes from payment files (employment ended)
    # The directory of other IV-D agencies (states, tribes, countries) and their remittance accounts
    "agencies.view": frozenset({T, O1, O2, SUP, ATT, AUD, ADM}),  # public directory data, no case data
    "agencies.manage": frozenset({SUP, ADM}),
    # People
    "people.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "people.create": CASEWORK,
    "people.update": CASEWORK,
    "people.reveal_ssn": frozenset({O1, O2, SUP, ATT}),
    "people.view_protected_address": frozenset({SUP, ATT}),  # family violence clearance
    "people.set_family_violence": frozenset({O1, O2, SUP}),
    # Orders and the ledger
    "orders.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "orders.enter": CASEWORK,
    "ledger.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "ledger.post": CASEWORK | {SYS},  # SYS: payment files
    "ledger.reverse": frozenset({O1, O2, SUP}),
    # Paying money out: the disbursement run, releasing undistributable money, unclaimed property
    "ledger.disburse": frozenset({O2, SUP, SYS}),  # SYS: the scheduled disbursement run
    # Documents (opencse.documents): generate and store one (AUD: the record exhibits an audit asks for, the
    # certified payment history and the worksheet, as before they were stored), read a stored one, send
    # (print a mail batch, email)
    "documents.generate": frozenset({T, O1, O2, SUP, ATT, AUD, SYS}),
    "documents.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "documents.send": frozenset({T, O1, O2, SUP, SYS}),
    # The correspondence log (docs/correspondence.md): read a case's entries and view their scans (each viewing
    # audited); log an entry in or out with its scans
    "correspondence.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "correspondence.log": frozenset({T, O1, O2, SUP, ATT}),
    # Disputes and referrals to outside resources (docs/disputes.md): read them; open a dispute, add evidence
    # and notes, refer a party and record the outcome; resolve a dispute (an officer's decision)
    "disputes.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "disputes.manage": frozenset({T, O1, O2, SUP, ATT}),
    "disputes.resolve": frozenset({O1, O2, SUP}),
    "referrals.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "referrals.manage": CASEWORK,
    # Attorney packets and the testimony pack (opencse.court, docs/packets.md): caseworkers (technicians too)
    # assemble a packet and refer it; only the staff attorney records what became of it
    "court.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "court.assemble": CASEWORK,
    "court.record_outcome": frozenset({ATT}),
    "court.testimony": frozenset({T, O1, O2, SUP, ATT}),
    # Income withholding (opencse.enforcement, docs/enforcement.md): the law's default remedy, sent without a
    # second signature (45 CFR 303.100; 42 U.S.C. 654a(g)(1)(A)(i)); SYS: the automated issue on a new hire
    "enforcement.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "enforcement.withhold": frozenset({T, O1, O2, SUP, SYS}),
    # The other remedies (docs/enforcement.md): the sweep (SYS) or a caseworker proposes; an SEO 2 or supervisor
    # approves, rejects and decides a contest (the remedy's data may narrow who); caseworkers record service,
    # a contest received, the action taken and its release (SYS: releases when the debt is paid)
    "enforcement.propose": frozenset({T, O1, O2, SUP, SYS}),
    "enforcement.approve": frozenset({O2, SUP}),
    "enforcement.act": frozenset({O1, O2, SUP, SYS}),
    # Intake (docs/intake.md): the intake queue of referrals and applications; receive them (SYS: the referral
    # file); match, open the case, reject or mark duplicate (an officer's decision, as the family-violence flag);
    # the intake interview of the custodial party
    "intake.view": frozenset({T, O1, O2, SUP, AUD}),
    "intake.receive": CASEWORK | {SYS},
    "intake.decide": frozenset({O1, O2, SUP}),
    "intake.interview": frozenset({O1, O2, SUP}),  # a family-violence claim sets the flag (people.set_family_violence)
    # Paternity (opencse.paternity, docs/paternity.md): read a case's paternity; name alleged fathers, record
    # acknowledgments, rescissions, challenges and genetic tests; enter the court's determination from its
    # order (ends an excluded man's membership, so caseworkers who may end memberships); the nightly batch
    # that establishes acknowledgments past their rescission period
    "paternity.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "paternity.manage": CASEWORK,
    "paternity.determine": frozenset({O1, O2, SUP}),
    "paternity.finalize": frozenset({SYS}),
    # Signature authority: approvals of adjustments, orders and remedies (money engine, enforcement)
    "orders.sign": frozenset({O2, SUP}),
    # The pure rules (guideline, withholding, ...): public law, for every signed-in user
    "rules.run": frozenset({T, O1, O2, SUP, ATT, AUD, ADM}),
    # The worklist (docs/work.md): one's own tasks; a supervisor's view of the team and reassignment;
    # the periodic batch that opens the recurring clocks' tasks.
    "work.view": frozenset({T, O1, O2, SUP, ATT}),
    "work.complete": frozenset({T, O1, O2, SUP, ATT}),
    "work.view_team": frozenset({SUP}),
    "work.reassign": frozenset({SUP}),
    "work.generate": frozenset({SYS}),
    # Locate (docs/locate.md): read a case's locate requests, responses and verifications; refer to locate and
    # record a source's answer; decide the review queue of imported records; verify leads; import locate files
    "locate.view": frozenset({T, O1, O2, SUP, ATT, AUD}),
    "locate.request": CASEWORK,
    "locate.review": frozenset({O1, O2, SUP}),
    "locate.verify": CASEWORK,
    "locate.import": frozenset({SYS}),
    # Oversight and administration
    "audit.view": frozenset({AUD, ADM}),
    "users.manage": frozenset({ADM, SYS}),  # SYS: `opencse createuser`, `issuetoken`, `revoketoken` at the console
}
ALL_OFFICE_ROLES = frozenset({ATT, AUD, ADM, SYS})


class _Officed(Protocol):
    @property
    def office_id(self) -> int | None: ...


def can(user: object, permission: str, case: _Officed | None = None) -> bool:
    """Whether `user` may exercise `permission` (on `case`, when given)."""
    assert permission in POLICY, f"unknown permission {permission}"
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    role = getattr(user, "role", "")
    if role not in POLICY[permission]:
        return False
    if case is None or role in ALL_OFFICE_ROLES:
        return True
    return case.office_id is not None and case.office_id == getattr(user, "office_id", None)


def require(user: object, permission: str, case: _Officed | None = None) -> None:
    """Raise `NotAuthorized` unless `user` may exercise `permission`."""
    if not can(user, permission, case):
        raise NotAuthorized(f"Your role may not do this ({permission}).")


def works_all_offices(user: object) -> bool:
    return getattr(user, "role", "") in ALL_OFFICE_ROLES


def roles_with(permission: str) -> frozenset[Role]:
    return POLICY[permission]
