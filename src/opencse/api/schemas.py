"""Input and output schemas of the API. Amounts would be Decimal; here the record is people and cases."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator

from opencse.cases.models import Category, ClosureReason, MemberRole, NoteKind, Program
from opencse.people.models import US_STATES, Address, InformationSource, Sex
from opencse.rules.money import parse_amount

Name = Field(min_length=1, max_length=60)


def _amount_from_json(value: object) -> Decimal:
    """A JSON amount, as a string ("500.00", preferred) or a number, through the one amount parser."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValueError('must be an amount in dollars and cents, like "500.00"')
    return parse_amount(str(value))  # a float's str is its shortest repr: 12.5 -> "12.5", 1e-07 refused


# Every amount the API takes: ASCII digits, two decimal places at most, at most AMOUNT_MAXIMUM.
Money = Annotated[Decimal, BeforeValidator(_amount_from_json)]


class PersonIn(Schema):
    first_name: str = Field(min_length=1, max_length=60)
    middle_name: str = Field("", max_length=60)
    last_name: str = Field(min_length=1, max_length=60)
    suffix: str = Field("", max_length=10)
    date_of_birth: date | None = None
    sex: Sex = Sex.UNKNOWN
    ssn: str = Field("", max_length=11, description="nine digits, with or without dashes")
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    language: str = Field("English", max_length=40)
    date_of_death: date | None = None
    tribal_affiliation: str = Field("", max_length=120)


class PersonPatch(Schema):
    first_name: str | None = Field(None, min_length=1, max_length=60)
    middle_name: str | None = Field(None, max_length=60)
    last_name: str | None = Field(None, min_length=1, max_length=60)
    suffix: str | None = Field(None, max_length=10)
    date_of_birth: date | None = None
    sex: Sex | None = None
    ssn: str | None = Field(None, max_length=11)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    language: str | None = Field(None, max_length=40)
    date_of_death: date | None = None
    tribal_affiliation: str | None = Field(None, max_length=120)


class PersonOut(Schema):
    id: int
    first_name: str
    middle_name: str
    last_name: str
    suffix: str
    date_of_birth: date | None
    sex: str
    ssn_masked: str
    phone: str
    email: str
    language: str
    date_of_death: date | None
    tribal_affiliation: str
    family_violence: bool


class AddressIn(Schema):
    kind: Address.Kind = Address.Kind.RESIDENTIAL
    line1: str = Field(min_length=1, max_length=100)
    line2: str = Field("", max_length=100)
    city: str = Field(min_length=1, max_length=60)
    state: str = Field(min_length=2, max_length=2, description=", ".join(US_STATES))
    postal_code: str = Field(min_length=5, max_length=10)
    source: InformationSource = InformationSource.PARTY
    verification: Address.Verification = Address.Verification.UNVERIFIED
    effective_on: date | None = None


class AddressOut(Schema):
    id: int
    kind: str
    protected: bool
    lines: list[str]
    source: str
    verification: str
    verified_on: date | None
    effective_on: date
    ended_on: date | None


class SsnOut(Schema):
    ssn: str


class CaseIn(Schema):
    program: Program
    category: Category = Category.IN_STATE
    referral_received_on: date
    opened_on: date | None = None
    other_jurisdiction: str = Field("", max_length=80)


class CasePatch(Schema):
    program: Program | None = None
    category: Category | None = None
    other_jurisdiction: str | None = Field(None, max_length=80)


class CaseOut(Schema):
    number: str
    program: str
    category: str
    status: str
    office: str = Field(alias="office.code")
    assigned_worker: str | None = Field(None, alias="assigned_worker.username")
    referral_received_on: date
    opened_on: date
    closed_on: date | None
    closure_reason: str
    other_jurisdiction: str


class CaseCloseIn(Schema):
    reason: ClosureReason
    closed_on: date | None = Field(None, description="Default: today in the agency's time zone")
    note: str = Field(description="Why the criterion is met: it goes into the case timeline with the closure")


class MemberIn(Schema):
    person_id: int
    role: MemberRole
    joined_on: date | None = None


class MemberPatch(Schema):
    left_on: date


class MemberOut(Schema):
    id: int
    person_id: int
    name: str = Field(alias="person.full_name")
    role: str
    joined_on: date
    left_on: date | None


class NoteIn(Schema):
    kind: NoteKind
    text: str = Field(min_length=1, max_length=4000)
    corrects_id: int | None = None


class NoteOut(Schema):
    id: int
    kind: str
    text: str
    author: str | None = Field(None, alias="author.username")
    created_at: datetime
    corrects_id: int | None


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str | None = Field(None, alias="actor.username")
    action: str
    target_type: str
    target_id: str
    case_number: str
    summary: str
    before: dict[str, object]
    after: dict[str, object]


class ErrorOut(Schema):
    errors: list[dict[str, str | None]]
