"""A synthetic demo caseload: plausible families, deterministic by seed, written in bulk.

Families have one to four children; about one noncustodial parent in six has a second family; a few
custodial parties carry the family violence indicator; the categories include interstate, tribal
and international cases. Every name, date and number is invented (Faker); SSNs are drawn from the
valid ranges but are synthetic. The demo staff are one user per role in the first office, and every
office has officers to carry the cases.

Bulk writes (`bulk_create` where the keys are needed back, `common.bulk_insert` elsewhere), the ledger's
set-based accrual, and the payments brought current once per month and posted a day at a time through the
bulk posting path keep 2,000 cases at about 15 seconds and 10,000 under a minute on SQLite, migration
included (`bench/demo_speed.py`). A single audit row records the generation, since no person did this
work; each collection has its `collection.posted` row, each disbursement run its own.
Enforcement is shown at work the same way, set-based and without a PDF (`build_demo_enforcement`): the
delinquency sweep's proposals on a sample of delinquent cases and the withholding task of every verified job
without an order sent (docs/enforcement.md, "The demo").
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from faker import Faker

from opencse.cases.models import (
    Case,
    CaseMember,
    CaseNote,
    CaseNumberSequence,
    Category,
    ClosureReason,
    MemberRole,
    NoteKind,
    Program,
)
from opencse.common.bulk_insert import insert_rows
from opencse.orders.models import OrderTerm
from opencse.people.models import Address, Employer, Employment, NameKey, Person, Sex
from opencse.people.names import person_keys
from opencse.rules.calendar import is_business_day
from opencse.security.audit import record_audit
from opencse.security.crypto import blind_index, encrypt
from opencse.security.models import Office, User
from opencse.security.roles import Role
from opencse.security.services import system_actor

DEMO_PASSWORD = "opencse-demo"  # noqa: S105  # printed for the demo; never used outside it
DEMO_ROUTING_NUMBERS = ("065300279", "061000104", "084000026", "065400137")  # valid check digits
EMBEDDED_FILE = "opencse.sqlite3"  # under settings.VAR_DIR: the database when DATABASE_URL is not set
ANCHOR_ON = date(2026, 10, 30)  # a fixed "today" for the data, so a seed always gives the same caseload
CHUNK = 2_000
# The steps a progress display hears of, as (step, done, total): cases written, charges accrued, days posted.
Progress = Callable[[str, int, int], None]
# The demo's delinquent cases: this many of seo1's cases with an order have their unpaid support rolled over
# into arrears, so the sweep proposes remedies on them (every case's, month by month, would cost 12 s).
DEMO_DELINQUENT, DELINQUENT_WORKER = 100, "seo1"
STEP_CASES, STEP_CHARGES, STEP_PAYMENTS = "Writing cases", "Accruing charges", "Posting payments day by day"
PROGRESS_EVERY = 250  # cases
SQLITE_CACHE_KIB = 131_072  # SQLite's page cache while the demo writes (the default is 2 MiB)
OFFICES = [
    ("HIN", "Hinds County", "Hinds"),
    ("HAR", "Harrison County", "Harrison"),
    ("DES", "DeSoto County", "DeSoto"),
    ("LEE", "Lee County", "Lee"),
]
DEMO_USERS = [
    ("technician", Role.TECHNICIAN, "Marcus", "Bell"),
    ("seo1", Role.OFFICER_1, "Alicia", "Moreno"),
    ("seo2", Role.OFFICER_2, "Dana", "Whitfield"),
    ("supervisor", Role.SUPERVISOR, "Gregory", "Hollis"),
    ("attorney", Role.STAFF_ATTORNEY, "Priya", "Raman"),
    ("auditor", Role.AUDITOR, "Walter", "Kincaid"),
    ("admin", Role.ADMINISTRATOR, "Janet", "Okafor"),
]
# Two officers in each other office: (first name, last name) by office code.
OFFICE_OFFICERS = {
    "HAR": [("Tamika", "Jordan"), ("Ray", "Castillo")],
    "DES": [("Lauren", "Pike"), ("Derrick", "Simmons")],
    "LEE": [("Beth Ann", "Crowley"), ("Samuel", "Ortiz")],
}
PROGRAMS = [
    (Program.CURRENT_ASSISTANCE, 20),
    (Program.FORMER_ASSISTANCE, 35),
    (Program.NEVER_ASSISTANCE, 40),
    (Program.MEDICAID_ONLY, 3),
    (Program.FOSTER_CARE, 2),
]
CATEGORIES = [
    (Category.IN_STATE, 80),
    (Category.INTERSTATE_INITIATING, 8),
    (Category.INTERSTATE_RESPONDING, 7),
    (Category.TRIBAL, 3),
    (Category.INTERNATIONAL, 2),
]
OTHER_JURISDICTIONS: dict[str, list[str]] = {
    Category.INTERSTATE_INITIATING: ["TX", "WA", "AL", "TN", "LA"],
    Category.INTERSTATE_RESPONDING: ["CA", "GA", "FL", "IL", "AR"],
    Category.TRIBAL: ["Mississippi Band of Choctaw Indians"],
    Category.INTERNATIONAL: ["Canada (Ontario)", "Germany", "Mexico"],
}
NOTE_TEXTS = [
    "Interviewed the custodial party; income and employer information taken.",
    "Called the noncustodial parent; left a message asking for a call back.",
    "Mailed the notice of financial responsibility.",
    "Received the employer's verification of employment.",
    "Checked the state new hire registry; no new match.",
]


@dataclass(slots=True)
class Batch:
    persons: list[Person] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    members: list[tuple[int, int, str, date]] = field(default_factory=list)  # case idx, person idx, role, on
    addresses: list[tuple[int, Address]] = field(default_factory=list)
    employments: list[tuple[int, Employment]] = field(default_factory=list)
    notes: list[tuple[int, CaseNote]] = field(default_factory=list)


def demo_present() -> bool:
    return User.objects.filter(username="seo1").exists()


def uses_embedded_database(database: dict[str, Any]) -> bool:
    """Whether `database` (a `DATABASES` entry) is the embedded SQLite file `var/opencse.sqlite3`, the demo's
    own: any other (PostgreSQL, another file) may hold real records, which demo data must never join."""
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        return False
    return Path(str(database.get("NAME", ""))).resolve() == (Path(settings.VAR_DIR) / EMBEDDED_FILE).resolve()


def demo_summary() -> dict[str, int]:
    """What a newcomer finds in the database: cases, people, orders, collections and payouts."""
    from opencse.ledger.models import Collection, Payout
    from opencse.orders.models import Order

    return {
        "cases": Case.objects.count(),
        "people": Person.objects.count(),
        "orders": Order.objects.count(),
        "collections": Collection.objects.count(),
        "payouts": Payout.objects.count(),
    }


def _weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in choices], weights=[weight for _, weight in choices])[0]


def _staff() -> tuple[list[Office], dict[int, list[User]]]:
    """The demo staff: one user per role (distinct names, so the two-person rule shows on approvals) and two
    officers in each other office. One password hash serves them all: the password is printed anyway, and
    hashing it once saves a second of key stretching per user."""
    offices = [Office.objects.create(code=code, name=name, county=county) for code, name, county in OFFICES]
    workers: dict[int, list[User]] = {office.pk: [] for office in offices}
    hashed = _demo_password_hash()
    for username, role, first_name, last_name in DEMO_USERS:
        office = None if role in (Role.STAFF_ATTORNEY, Role.AUDITOR, Role.ADMINISTRATOR) else offices[0]
        user = User.objects.create(username=username, role=role, office=office, first_name=first_name,
                                   last_name=last_name, password=hashed)  # fmt: skip
        if role in (Role.TECHNICIAN, Role.OFFICER_1, Role.OFFICER_2):
            workers[offices[0].pk].append(user)
    for office in offices[1:]:
        for number, (first_name, last_name) in enumerate(OFFICE_OFFICERS[office.code], start=1):
            user = User.objects.create(username=f"seo1.{office.code.lower()}{number}", role=Role.OFFICER_1,
                                       office=office, first_name=first_name, last_name=last_name,
                                       password=hashed)  # fmt: skip
            workers[office.pk].append(user)
    return offices, workers


def _demo_password_hash() -> str:
    template = User()
    template.set_password(DEMO_PASSWORD)
    return template.password


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.ssn_serial = 0

    def person(self, *, sex: str, born_on: date, last_name: str | None = None, ssn: bool = True) -> Person:
        first = self.fake.first_name_female() if sex == Sex.FEMALE else self.fake.first_name_male()
        person = Person(
            first_name=first,
            last_name=last_name or self.fake.last_name(),
            sex=sex,
            date_of_birth=born_on,
            phone=self.fake.numerify("601-###-####") if ssn else "",
            middle_name=self.fake.first_name()[:1] if self.rng.random() < 0.5 else "",
        )
        if ssn:
            self.ssn_serial += 1
            # Valid ranges (area 100-665, group 01-99, serial 0001-9999), one SSN per serial number.
            serial, rest = (self.ssn_serial - 1) % 9999 + 1, (self.ssn_serial - 1) // 9999
            digits = f"{100 + rest // 99:03d}{rest % 99 + 1:02d}{serial:04d}"
            person.ssn_encrypted, person.ssn_index, person.ssn_last4 = encrypt(digits), blind_index(digits), digits[-4:]
        return person

    def birth(self, *, years_min: int, years_max: int) -> date:
        return ANCHOR_ON - timedelta(days=self.rng.randint(years_min * 365, years_max * 365))

    def address(self, *, state: str = "MS") -> Address:
        return Address(
            kind=Address.Kind.RESIDENTIAL,
            line1=self.fake.street_address()[:100],
            city=self.fake.city()[:60],
            state=state,
            postal_code=self.fake.postcode(),
            source=self.rng.choice(["party", "fpls", "dmv", "postal"]),
            verification=self.rng.choice(["verified", "verified", "unverified"]),
            effective_on=ANCHOR_ON - timedelta(days=self.rng.randint(30, 2000)),
        )

    def family(self, batch: Batch, *, case: Case, noncustodial_index: int | None) -> int:
        """Add one family to `batch`: custodial party, children, noncustodial parent; return the latter's index."""
        case_index = len(batch.cases)
        batch.cases.append(case)
        family_name = self.fake.last_name()
        custodial = self.person(
            sex=Sex.FEMALE if self.rng.random() < 0.85 else Sex.MALE,
            born_on=self.birth(years_min=20, years_max=50),
            last_name=family_name,
        )
        custodial.family_violence = self.rng.random() < 0.03
        if custodial.family_violence:
            custodial.family_violence_since = case.opened_on
        batch.persons.append(custodial)
        batch.addresses.append((len(batch.persons) - 1, self.address()))
        batch.members.append((case_index, len(batch.persons) - 1, MemberRole.CUSTODIAL_PARTY, case.opened_on))
        for _ in range(self.rng.choices([1, 2, 3, 4], weights=[45, 35, 15, 5])[0]):
            child = self.person(
                sex=self.rng.choice([Sex.FEMALE, Sex.MALE]),
                born_on=self.birth(years_min=0, years_max=17),
                last_name=family_name,
                ssn=self.rng.random() < 0.9,
            )
            batch.persons.append(child)
            batch.members.append((case_index, len(batch.persons) - 1, MemberRole.DEPENDENT_CHILD, case.opened_on))
        if noncustodial_index is None:
            noncustodial = self.person(
                sex=Sex.MALE if custodial.sex == Sex.FEMALE else Sex.FEMALE,
                born_on=self.birth(years_min=20, years_max=55),
            )
            batch.persons.append(noncustodial)
            noncustodial_index = len(batch.persons) - 1
            state = case.other_jurisdiction if case.category == Category.INTERSTATE_RESPONDING else "MS"
            batch.addresses.append((noncustodial_index, self.address(state=state if len(state) == 2 else "MS")))
            if self.rng.random() < 0.6:
                batch.employments.append(
                    (
                        noncustodial_index,
                        Employment(started_on=self.birth(years_min=0, years_max=6), verified=self.rng.random() < 0.7),
                    )
                )
        role = MemberRole.NONCUSTODIAL_PARENT if self.rng.random() < 0.9 else MemberRole.ALLEGED_FATHER
        batch.members.append((case_index, noncustodial_index, role, case.opened_on))
        for days in sorted(self.rng.sample(range(0, 60), self.rng.randint(1, 3))):
            note = CaseNote(
                kind=self.rng.choice([NoteKind.INTERVIEW, NoteKind.PHONE, NoteKind.MAIL]),
                text=self.rng.choice(NOTE_TEXTS),
                author=case.assigned_worker,
            )
            note.created_at = _aware(case.opened_on + timedelta(days=days))
            batch.notes.append((case_index, note))
        return noncustodial_index

    def case(self, *, number: str, office: Office, worker: User) -> Case:
        category = _weighted(self.rng, CATEGORIES)
        referral = ANCHOR_ON - timedelta(days=self.rng.randint(0, 3650))
        opened = min(referral + timedelta(days=self.rng.randint(0, 20)), ANCHOR_ON)
        case = Case(
            number=number,
            program=_weighted(self.rng, PROGRAMS),
            category=category,
            office=office,
            assigned_worker=worker,
            referral_received_on=referral,
            opened_on=opened,
            other_jurisdiction=self.rng.choice(OTHER_JURISDICTIONS.get(category, [""])),
        )
        if self.rng.random() < 0.1:
            case.closed_on = min(opened + timedelta(days=self.rng.randint(90, 1500)), ANCHOR_ON)
            case.closure_reason = self.rng.choice(
                [
                    ClosureReason.RECIPIENT_REQUEST,
                    ClosureReason.NO_INCOME_OR_ASSETS,
                    ClosureReason.NONCUSTODIAL_PARENT_NOT_LOCATED,
                ]
            )
        return case


def _aware(on: date) -> datetime:
    from datetime import time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(on, time(10, 0)))


@transaction.atomic
def build_demo_caseload(*, cases: int, seed: int, progress: Progress | None = None) -> dict[str, int]:
    """Write a demo caseload of `cases` cases; return counts per table. `progress` hears of each step."""
    assert cases >= 1
    assert not demo_present(), "the demo caseload is already present"
    report = progress or _no_progress
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # this connection only: room for the ledger's indexes as they grow
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    offices, workers = _staff()
    generator = _Generator(seed)
    employers = _employers(generator)
    counts = dict.fromkeys(["cases", "persons", "members", "addresses", "employments", "notes"], 0)
    prefix = f"MS{ANCHOR_ON.year % 100:02d}"
    report(STEP_CASES, 0, cases)
    for start in range(0, cases, CHUNK):
        batch = Batch()
        reusable: list[int] = []
        for number in range(start + 1, min(start + CHUNK, cases) + 1):
            office = offices[0] if generator.rng.random() < 0.4 else generator.rng.choice(offices)
            case = generator.case(
                number=f"{prefix}{number:07d}", office=office, worker=generator.rng.choice(workers[office.pk])
            )
            again = reusable.pop() if reusable and generator.rng.random() < 0.15 else None
            index = generator.family(batch, case=case, noncustodial_index=again)
            if again is None and generator.rng.random() < 0.2:
                reusable.append(index)
            if number % PROGRESS_EVERY == 0:
                report(STEP_CASES, number - 1, cases)  # the last chunk's rows are not written yet
        _write(batch, employers, generator.rng, counts)
        report(STEP_CASES, min(start + CHUNK, cases), cases)
    CaseNumberSequence.objects.update_or_create(prefix=prefix, defaults={"last": cases})
    counts.update(build_demo_finance(seed=seed, progress=report))
    counts.update(build_demo_enforcement())
    record_audit(
        actor=None, action="demo.generated", target=offices[0], summary=f"{cases} cases, seed {seed}", after=counts
    )
    return counts


def _no_progress(step: str, done: int, total: int) -> None:
    """No one is watching (tests, scripts)."""


def _employers(generator: _Generator) -> list[Employer]:
    employers = [
        Employer(
            name=generator.fake.company()[:120],
            fein=f"{prefix}{generator.rng.randint(0, 9999999):07d}",
            line1=generator.fake.street_address()[:100],
            city=generator.fake.city()[:60],
            state="MS",
            postal_code=generator.fake.postcode(),
            payroll_contact=generator.fake.name()[:80],
        )
        for prefix in ["64", "72", "58", "45", "27", "33"] * 20
    ]
    return Employer.objects.bulk_create(employers)


def _write(batch: Batch, employers: list[Employer], rng: random.Random, counts: dict[str, int]) -> None:
    """The people and cases with `bulk_create` (their keys come back), the rows that name them with
    `insert_rows` (one prepared statement, no keys needed)."""
    Person.objects.bulk_create(batch.persons, batch_size=CHUNK)
    Case.objects.bulk_create(batch.cases, batch_size=CHUNK)
    assert all(person.pk for person in batch.persons) and all(case.pk for case in batch.cases)
    members = [
        CaseMember(case=batch.cases[c], person=batch.persons[p], role=role, joined_on=on)
        for c, p, role, on in batch.members
    ]
    insert_rows(members)
    addresses = []
    for index, address in batch.addresses:
        address.person = batch.persons[index]
        addresses.append(address)
    insert_rows(addresses)
    employments = []
    for index, employment in batch.employments:
        employment.person, employment.employer = batch.persons[index], rng.choice(employers)
        employments.append(employment)
    insert_rows(employments)
    notes = []
    for index, note in batch.notes:
        note.case = batch.cases[index]
        notes.append(note)
    insert_rows(notes)
    keys = [
        NameKey(person=person, key=key)
        for person in batch.persons
        for key in sorted(person_keys(first=person.first_name, middle=person.middle_name, last=person.last_name))
    ]
    for start in range(0, len(keys), 100_000):
        insert_rows(keys[start : start + 100_000])
    _alleged_fathers(batch.cases)
    for key, rows in (
        ("cases", batch.cases),
        ("persons", batch.persons),
        ("members", members),
        ("addresses", addresses),
        ("employments", employments),
        ("notes", notes),
    ):
        counts[key] += len(rows)


def _alleged_fathers(cases: list[Case]) -> None:
    """Each alleged father is named for every child of his case, on the day the case opened: the paternity
    record says "alleged" (opencse.paternity), and he carries no support order (`_orders`). Set-based: one
    query for the members, two bulk inserts."""
    from opencse.paternity.models import AllegedFather, PaternityStatus, Status

    members = list(
        CaseMember.objects.filter(case__in=cases, role__in=[MemberRole.ALLEGED_FATHER, MemberRole.DEPENDENT_CHILD])
        .select_related("case")
        .order_by("case_id", "pk")
    )
    children: dict[int, list[CaseMember]] = {}
    for member in members:
        if member.role == MemberRole.DEPENDENT_CHILD:
            children.setdefault(member.case_id, []).append(member)
    links, statuses = [], []
    for father in (member for member in members if member.role == MemberRole.ALLEGED_FATHER):
        worker_id = father.case.assigned_worker_id
        assert worker_id is not None
        for child in children.get(father.case_id, []):
            links.append(AllegedFather(case_id=father.case_id, child_id=child.person_id, father_id=father.person_id,
                                       member=father, named_on=father.joined_on, named_by_id=worker_id))  # fmt: skip
            statuses.append(PaternityStatus(case_id=father.case_id, child_id=child.person_id, status=Status.ALLEGED,
                                            father_id=father.person_id, effective_on=father.joined_on,
                                            reason="Named as an alleged father at intake",
                                            recorded_by_id=worker_id))  # fmt: skip
    AllegedFather.objects.bulk_create(links, batch_size=CHUNK)
    PaternityStatus.objects.bulk_create(statuses, batch_size=CHUNK)


def build_demo_finance(*, seed: int, collections: int = 300, progress: Progress | None = None) -> dict[str, int]:
    """Orders for about four cases in five, assistance for TANF families, the accrual through the
    anchor month and, for the first office, real postings distributed by the 45 CFR 302.51 rule and paid out."""
    from opencse.ledger.accrual import accrue, month_end

    report = progress or _no_progress
    rng = random.Random(seed + 1)
    terms = _orders(rng)
    report(STEP_CHARGES, 0, 1)
    accrued = accrue(through=month_end(ANCHOR_ON))
    report(STEP_CHARGES, 1, 1)
    first_office = Office.objects.order_by("pk").values_list("pk", flat=True).first()
    cases = Case.objects.in_bulk([term.case_id for term, _ in terms][: collections * 4])
    chosen = [
        (term, amount)
        for term, amount in terms
        if term.case_id in cases and cases[term.case_id].office_id == first_office
    ][:collections]
    payments = []
    for term, amount in chosen:
        paid_on = ANCHOR_ON - timedelta(days=rng.randint(0, 90))
        if paid_on >= term.starts_on:
            share = amount if rng.random() < 0.7 else (amount / 2).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            source = rng.choice(["income_withholding", "income_withholding", "direct_payment"])
            payments.append(Payment(paid_on + timedelta(days=1), paid_on, term.case_id, share, source))
    _direct_deposits(rng, sorted({payment.case_id for payment in payments}))
    runs = _post_day_by_day(sorted(payments), report)
    return {"orders": len(terms), "charges": accrued.charges, "collections": len(payments), "disbursement runs": runs}


def _orders(rng: random.Random) -> list[tuple[OrderTerm, Decimal]]:
    """An administrative order with a monthly current support term for about four open cases in five (its
    amount in a `TermStep`), and an assistance period for the current-assistance families."""
    from opencse.ledger.models import AssistancePeriod
    from opencse.orders.models import Order, TermStep

    rows = (
        CaseMember.objects.filter(
            # Alleged fathers carry no order: paternity is not established (orders.services refuses one).
            role=MemberRole.NONCUSTODIAL_PARENT,
            case__closed_on__isnull=True,
        )
        .values_list("case_id", "person_id", "case__opened_on", "case__program")
        .order_by("case_id")
    )
    orders, terms, periods = [], [], []
    for case_id, obligor_id, opened_on, program in rows:
        if rng.random() > 0.8:
            continue
        starts_on = min(opened_on + timedelta(days=rng.randint(30, 120)), ANCHOR_ON)
        order = Order(case_id=case_id, tribunal_kind="administrative", tribunal_name="MDHS Division of Child Support",
                      issuing_jurisdiction="MS", docket_number=f"AO-{case_id:07d}", signed_on=starts_on,
                      effective_on=starts_on)  # fmt: skip
        orders.append(order)
        amount = Decimal(rng.randrange(15000, 90000, 500)) / 100
        term = OrderTerm(order=order, case_id=case_id, kind="current_support", frequency="monthly",
                         starts_on=starts_on, obligor_id=obligor_id)  # fmt: skip
        terms.append((term, amount))
        if program == Program.CURRENT_ASSISTANCE:
            grant = Decimal(rng.choice([146, 200, 260]))
            periods.append(AssistancePeriod(case_id=case_id, starts_on=starts_on - timedelta(days=60),
                                            grant_monthly=grant))  # fmt: skip
    Order.objects.bulk_create(orders, batch_size=CHUNK)
    OrderTerm.objects.bulk_create([term for term, _ in terms], batch_size=CHUNK)
    TermStep.objects.bulk_create(
        [TermStep(term=term, starts_on=term.starts_on, amount=amount) for term, amount in terms], batch_size=CHUNK
    )
    AssistancePeriod.objects.bulk_create(periods, batch_size=CHUNK)
    return terms


class Payment(NamedTuple):
    received_on: date
    collected_on: date
    case_id: int
    amount: Decimal
    source: str


def _post_day_by_day(payments: list[Payment], report: Progress) -> int:
    """Day by day, as the disbursement unit works: the day's receipts are posted and distributed, then each
    business day's disbursement run pays them. Returns the number of runs.

    First every paid case is brought current (accrued, its earlier months rolled over into arrears, the
    arrears reclassified at each month end) in one pass per month of payments
    (`ledger.accrual.bring_cases_current`); then each day's receipts are posted together through the bulk
    posting path (`ledger.bulk.post_collections`, which writes what `post_collection` one by one would),
    as a payment file is, with a `collection.posted` audit row each."""
    from opencse.ledger.accrual import bring_cases_current
    from opencse.ledger.disbursement import run_disbursements

    actor = system_actor()  # the payment file and the scheduled run are the system's work, as in production
    paid_in: dict[date, set[int]] = defaultdict(set)
    for payment in payments:
        paid_in[payment.collected_on.replace(day=1)].add(payment.case_id)
    # Every paid case through the first month of payments in one pass, then each later month's cases on.
    for first_day in sorted(paid_in):
        case_ids = set().union(*paid_in.values()) if first_day == min(paid_in) else paid_in[first_day]
        bring_cases_current(case_ids=sorted(case_ids), on=first_day)
    day = payments[0].received_on if payments else ANCHOR_ON
    last = max([ANCHOR_ON, *(payment.received_on for payment in payments)])
    days, index, runs = (last - day).days + 1, 0, 0
    report(STEP_PAYMENTS, 0, days)
    while day <= last:
        received = []
        while index < len(payments) and payments[index].received_on == day:
            received.append(payments[index])
            index += 1
        _post_received(received, actor)
        if is_business_day(day, "MS"):
            run_disbursements(actor=actor, run_on=day)
            runs += 1
        report(STEP_PAYMENTS, days - (last - day).days, days)
        day += timedelta(days=1)
    return runs


def _post_received(received: list[Payment], actor: User) -> None:
    from opencse.ledger.bulk import CollectionInput, post_collections

    post_collections([CollectionInput(case_id=payment.case_id, amount=payment.amount, source=payment.source,
                                      collected_on=payment.collected_on, received_on=payment.received_on)
                      for payment in received], actor=actor)  # fmt: skip


def _direct_deposits(rng: random.Random, case_ids: list[int]) -> None:
    """Six custodial parties in ten have a direct deposit authorization on file; the others get checks."""
    from opencse.ledger.models import DirectDeposit

    custodial = CaseMember.objects.filter(case_id__in=case_ids, role=MemberRole.CUSTODIAL_PARTY, left_on__isnull=True)
    people = sorted(set(custodial.values_list("person_id", flat=True)))
    deposits = []
    for person_id in people:
        if rng.random() < 0.6:
            account = str(rng.randrange(10**8, 10**12))
            deposits.append(DirectDeposit(person_id=person_id, routing_number=rng.choice(DEMO_ROUTING_NUMBERS),
                                          account_number_encrypted=encrypt(account), account_last4=account[-4:],
                                          account_type=rng.choice(["checking", "checking", "savings"]),
                                          starts_on=date(2024, 1, 2)))  # fmt: skip
    DirectDeposit.objects.bulk_create(deposits, batch_size=CHUNK)


def build_demo_enforcement() -> dict[str, int]:
    """Enforcement at work on the demo's anchor date, set-based and without a PDF (docs/enforcement.md, "The
    demo"). The unpaid support of `DEMO_DELINQUENT` cases with an order on seo1's caseload is rolled over into
    arrears at the last month end (one `roll_over`) and the delinquency sweep runs as of `ANCHOR_ON`: they get
    proposed remedies and the 303.6(c)(2) task. Every verified job of an obligor with an order and no
    withholding sent gets the income withholding task the `EmploymentVerified` event would have opened (the
    `employment:<id>` task an IWO completes), dated the day the job and the order first both existed: a job
    verified since 2022 without an IWO shows as overdue on the worklist."""
    from opencse.enforcement.models import IncomeWithholding
    from opencse.enforcement.sweep import sweep
    from opencse.ledger.accrual import month_end, roll_over
    from opencse.orders.models import OrderTerm
    from opencse.work.clocks import CLOCKS, due
    from opencse.work.models import TaskKind
    from opencse.work.services import NewTask, open_tasks

    behind = (
        OrderTerm.objects.filter(case__closed_on__isnull=True, case__assigned_worker__username=DELINQUENT_WORKER)
        .values_list("case_id", flat=True)
        .distinct()
        .order_by("case_id")[:DEMO_DELINQUENT]
    )
    roll_over(month_ending=month_end(ANCHOR_ON.replace(day=1) - timedelta(days=1)), case_ids=list(behind))
    swept = sweep(as_of=ANCHOR_ON)
    sent = set(IncomeWithholding.objects.values_list("case_id", "employment_id"))
    jobs = (
        Employment.objects.filter(verified=True, started_on__lte=ANCHOR_ON,
                                  person__obligations__case__closed_on__isnull=True,
                                  person__obligations__starts_on__lte=ANCHOR_ON)
        .exclude(ended_on__lt=ANCHOR_ON)
        .values_list("person__obligations__case_id", "person__obligations__case__assigned_worker_id",
                     "person__obligations__starts_on", "pk", "started_on")
        .distinct()
    )  # fmt: skip
    clock = CLOCKS[TaskKind.INCOME_WITHHOLDING]
    tasks: dict[tuple[int, int], NewTask] = {}
    for case_id, owner_id, order_starts_on, employment_id, job_started_on in jobs:
        learned_on = max(order_starts_on, job_started_on or order_starts_on)  # started_on is set: filtered above
        deadline = due(clock, learned_on)
        if (case_id, employment_id) in sent or deadline is None:
            continue
        key = f"employment:{employment_id}"
        tasks.setdefault((case_id, employment_id), NewTask(case_id=case_id, owner_id=owner_id,
                                                           kind=TaskKind.INCOME_WITHHOLDING, source_key=key,
                                                           event_on=learned_on, due_on=deadline.due_on,
                                                           clock=deadline))  # fmt: skip
    open_tasks(list(tasks.values()))
    return {"enforcement actions": swept.proposed, "withholding tasks": len(tasks)}
