"""Audited reads: who looked at which case or person (IRS Publication 1075 and NIST SP 800-53 AU-2; 45 CFR
307.13(a)(3)). The case page and the person page, on the web and over the API, each write one row:
`case.viewed` (with the case number) or `person.viewed`. The row names the record, never its contents.
"""

from __future__ import annotations

from opencse.cases.models import Case
from opencse.people.models import Person
from opencse.security.audit import record_audit
from opencse.security.models import User


def record_case_read(*, viewer: User, case: Case) -> None:
    record_audit(actor=viewer, action="case.viewed", target=case, case_number=case.number)


def record_person_read(*, viewer: User, person: Person) -> None:
    record_audit(actor=viewer, action="person.viewed", target=person)
