"""Referrals from the public assistance agency (IV-A TANF, Medicaid, IV-E foster care) to the IV-D agency.

45 CFR 303.2(a)(3)-(4) and 302.33(a)(1)-(2) have the State refer every TANF, Medicaid and IV-E family to the
IV-D agency; no federal layout exists for the referral, so OpenCSE defines one (docs/interfaces/referral.md):
UTF-8 text, one record per line, fields separated by `|`, the first field the record type.

    HDR|sender|file id|created CCYYMMDD
    REF|referral id|program|assistance unit id|referral date CCYYMMDD|good cause|family violence
    CP |referral id|last|first|middle|date of birth|SSN|sex|line 1|line 2|city|state|ZIP
    NCP|referral id|(same person fields, every one may be blank but one name)
    CH |referral id|(same person fields; several children)
    TRL|number of detail records (every line between HDR and TRL)

The reader never raises on bad content: each line it cannot accept becomes a `RejectedLine` with its line
number and a specific reason (SSNs in the kept text masked). A referral is accepted whole or not at all: when
one of its lines is refused (or it has no custodial party, or no child), each of its other lines is rejected
too, naming the line that was refused, so no case is ever opened on half a family. A trailer whose count is not
the file's is reported as a rejected line of the trailer; the complete referrals are still accepted (the
sender may resend the whole file: a referral already received opens nothing twice).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from opencse.errors import InvalidInput
from opencse.interfaces.payments import RejectedLine, is_valid_ssn, mask_ssns

__all__ = ["PROGRAMS", "ReferralFile", "ReferralParty", "ReferralRecord", "RejectedLine", "read_referral_file"]

SEPARATOR = "|"
# The referring program's code in the file, and the IV-D case program it opens (cases.models.Program values).
PROGRAMS = {"TANF": "current_assistance", "MEDICAID": "medicaid_only", "IVE": "foster_care"}
GOOD_CAUSE_CODES = {"N": "none", "P": "pending", "Y": "granted"}  # 45 CFR 264.30; 42 U.S.C. 654(29)
YES_NO = {"Y": True, "N": False}
SEXES = ("F", "M", "U")
PERSON_TYPES = {"CP": "custodial_party", "NCP": "noncustodial_parent", "CH": "dependent_child"}
FIELD_COUNTS = {"HDR": 4, "REF": 7, "CP": 13, "NCP": 13, "CH": 13, "TRL": 2}
_STATE_CODES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI"
)
US_STATES = frozenset(_STATE_CODES.split())
NAME_LENGTH_MAX = 60
ID_LENGTH_MAX = 30
LINES_MAX = 500_000
_ID = re.compile(rf"[A-Za-z0-9-]{{1,{ID_LENGTH_MAX}}}")
_DATE = re.compile(r"[0-9]{8}")
_ZIP = re.compile(r"[0-9]{5}(?:-?[0-9]{4})?")
_NAME = re.compile(r"[A-Za-z][A-Za-z .'-]*")


@dataclass(frozen=True, slots=True)
class ReferralParty:
    role: str  # custodial_party, noncustodial_parent, dependent_child
    line_number: int
    last_name: str
    first_name: str
    middle_name: str = ""
    date_of_birth: date | None = None
    ssn: str = ""  # nine digits or ""; never logged
    sex: str = "U"
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""

    @property
    def has_address(self) -> bool:
        return bool(self.line1)


@dataclass(frozen=True, slots=True)
class ReferralRecord:
    line_number: int  # the REF line
    referral_id: str
    program_code: str  # TANF, MEDICAID, IVE
    program: str  # the IV-D case program it opens
    assistance_unit_id: str
    referred_on: date
    good_cause: str  # none, pending, granted
    family_violence: bool
    parties: tuple[ReferralParty, ...]

    @property
    def key(self) -> str:
        """The referral's identity: a re-sent referral has the same (45 CFR 303.2(b) counts from the first)."""
        return f"{self.program_code}:{self.referral_id}"


@dataclass(frozen=True, slots=True)
class ReferralFile:
    sender: str
    file_id: str
    created_on: date | None
    records: tuple[ReferralRecord, ...]
    rejected: tuple[RejectedLine, ...]
    detail_lines: int  # lines between HDR and TRL


class _Refused(ValueError):
    """A field is invalid: the message is shown to an officer and never holds an SSN."""


def _date(text: str, name: str, *, required: bool) -> date | None:
    text = text.strip()
    if not text:
        if required:
            raise _Refused(f"{name} is missing")
        return None
    if not _DATE.fullmatch(text):
        raise _Refused(f"{name} {text[:12]!r} is not a date written CCYYMMDD")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _Refused(f"{name} {text} is not a real date") from None


def _name(text: str, name: str, *, required: bool) -> str:
    text = " ".join(text.split())
    if not text:
        if required:
            raise _Refused(f"{name} is missing")
        return ""
    if len(text) > NAME_LENGTH_MAX:
        raise _Refused(f"{name} is longer than {NAME_LENGTH_MAX} characters")
    if not _NAME.fullmatch(text):
        raise _Refused(f"{name} {text[:20]!r} has characters a name may not have")
    return text


def _ssn(text: str) -> str:
    digits = text.strip().replace("-", "")
    if not digits:
        return ""
    if not is_valid_ssn(digits):
        raise _Refused("the SSN is not a valid Social Security number")
    return digits


def _party(kind: str, fields: list[str], line_number: int, as_of: date | None) -> ReferralParty:
    role = PERSON_TYPES[kind]
    (last, first, middle, born, ssn, sex, line1, line2, city, state, postal) = fields[2:13]
    names_required = kind != "NCP"
    last_name = _name(last, "the last name", required=names_required)
    first_name = _name(first, "the first name", required=names_required)
    if kind == "NCP" and not (last_name or first_name):
        raise _Refused("the noncustodial parent has no name: leave the NCP record out when the parent is unknown")
    date_of_birth = _date(born, "the date of birth", required=False)
    if date_of_birth is not None and as_of is not None and date_of_birth > as_of:
        raise _Refused(f"the date of birth {date_of_birth:%m/%d/%Y} is after the file was created")
    if date_of_birth is not None and date_of_birth.year < 1900:
        raise _Refused("the date of birth is before 1900")
    sex = sex.strip().upper() or "U"
    if sex not in SEXES:
        raise _Refused(f"the sex {sex[:5]!r} is not F, M or U")
    address = [part.strip() for part in (line1, line2, city, state, postal)]
    if any(address):
        if not (address[0] and address[2] and address[3] and address[4]):
            raise _Refused("the address needs line 1, the city, the state and the ZIP code (or none of them)")
        if address[3].upper() not in US_STATES:
            raise _Refused(f"the state {address[3][:5]!r} is not a U.S. state or territory code")
        if not _ZIP.fullmatch(address[4]):
            raise _Refused(f"the ZIP code {address[4][:12]!r} is not five or nine digits")
        if any(len(part) > 100 for part in address[:3]):
            raise _Refused("an address line is longer than 100 characters")
    return ReferralParty(
        role=role, line_number=line_number, last_name=last_name, first_name=first_name,
        middle_name=_name(middle, "the middle name", required=False), date_of_birth=date_of_birth, ssn=_ssn(ssn),
        sex=sex, line1=address[0], line2=address[1], city=address[2], state=address[3].upper(),
        postal_code=address[4],
    )  # fmt: skip


@dataclass
class _Open:
    """A referral being read: its REF values (None when the REF line itself was refused) and its lines."""

    referral_id: str
    values: dict[str, object] | None = None
    ref_line: int = 0
    parties: list[ReferralParty] = field(default_factory=list)
    lines: list[tuple[int, str]] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)


def _reference(fields: list[str], as_of: date | None) -> dict[str, object]:
    program_code = fields[2].strip().upper()
    if program_code not in PROGRAMS:
        raise _Refused(f"the program {program_code[:10]!r} is not TANF, MEDICAID or IVE")
    unit = fields[3].strip()
    if not _ID.fullmatch(unit):
        raise _Refused("the assistance unit id is missing or not letters, digits and dashes (30 at most)")
    referred_on = _date(fields[4], "the referral date", required=True)
    if referred_on is not None and as_of is not None and referred_on > as_of:
        raise _Refused(f"the referral date {referred_on:%m/%d/%Y} is after the file was created")
    good_cause = fields[5].strip().upper() or "N"
    if good_cause not in GOOD_CAUSE_CODES:
        raise _Refused(f"the good cause code {good_cause[:5]!r} is not N, P or Y")
    violence = fields[6].strip().upper() or "N"
    if violence not in YES_NO:
        raise _Refused(f"the family violence indicator {violence[:5]!r} is not Y or N")
    return {
        "program_code": program_code, "program": PROGRAMS[program_code], "assistance_unit_id": unit,
        "referred_on": referred_on, "good_cause": GOOD_CAUSE_CODES[good_cause], "family_violence": YES_NO[violence],
    }  # fmt: skip


def read_referral_file(text: str) -> ReferralFile:
    """Read a referral file: the complete, valid referrals, and every line refused with its reason."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    if len(lines) > LINES_MAX:
        raise InvalidInput(f"has more than {LINES_MAX} lines: split the file", field="file")
    rejected: list[RejectedLine] = []
    referrals: dict[str, _Open] = {}
    sender, file_id, created_on = "", "", None
    trailer: tuple[int, str] | None = None
    header_seen = False
    detail_lines = 0

    def refuse(number: int, reason: str, raw: str) -> None:
        rejected.append(RejectedLine(number, reason, mask_ssns(raw)[:300]))

    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        fields = raw.split(SEPARATOR)
        kind = fields[0].strip().upper()
        if kind not in FIELD_COUNTS:
            refuse(number, f"the record type {kind[:5]!r} is not HDR, REF, CP, NCP, CH or TRL", raw)
            detail_lines += 1 if header_seen and trailer is None else 0
            continue
        if len(fields) != FIELD_COUNTS[kind]:
            refuse(number, f"a {kind} record has {FIELD_COUNTS[kind]} fields; this line has {len(fields)}", raw)
            detail_lines += 1 if kind not in ("HDR", "TRL") else 0
            continue
        if kind == "HDR":
            if header_seen:
                refuse(number, "a second header record: a file has one", raw)
                continue
            if number != 1:
                refuse(number, "the header must be the first line", raw)
            header_seen = True
            sender, file_id = fields[1].strip()[:60], fields[2].strip()[:60]
            try:
                created_on = _date(fields[3], "the file creation date", required=True)
            except _Refused as error:
                refuse(number, str(error), raw)
            continue
        if kind == "TRL":
            if trailer is not None:
                refuse(number, "a second trailer record: a file has one", raw)
                continue
            trailer = (number, raw)
            continue
        detail_lines += 1
        if trailer is not None:
            refuse(number, "a record after the trailer", raw)
            continue
        referral_id = fields[1].strip()
        if not _ID.fullmatch(referral_id):
            refuse(number, "the referral id is missing or not letters, digits and dashes (30 at most)", raw)
            continue
        current = referrals.setdefault(referral_id, _Open(referral_id))
        current.lines.append((number, raw))
        try:
            if kind == "REF":
                if current.ref_line:
                    raise _Refused(f"referral {referral_id} has a second REF record (line {current.ref_line})")
                current.ref_line = number
                current.values = _reference(fields, created_on)
            else:
                current.parties.append(_party(kind, fields, number, created_on))
        except _Refused as error:
            refuse(number, str(error), raw)
            current.refused.append(number)

    if not header_seen:
        rejected.append(RejectedLine(1, "the file has no header record (HDR) on its first line", ""))
    if trailer is None:
        rejected.append(RejectedLine(len(lines) or 1, "the file has no trailer record (TRL): was it cut short?", ""))
    else:
        number, raw = trailer
        count = raw.split(SEPARATOR)[1].strip()
        if not count.isdigit():
            refuse(number, f"the trailer's record count {count[:10]!r} is not a number", raw)
        elif int(count) != detail_lines:
            refuse(number, f"the trailer counts {int(count)} detail records; the file has {detail_lines}", raw)

    records = []
    for referral_id, current in referrals.items():
        problem = _incomplete(current)
        if problem:
            refused_numbers = set(current.refused)
            for number, raw in current.lines:
                if number not in refused_numbers:
                    refuse(number, f"referral {referral_id} was not accepted: {problem}", raw)
            continue
        assert current.values is not None
        records.append(ReferralRecord(line_number=current.ref_line, referral_id=referral_id,
                                      parties=tuple(current.parties), **current.values))  # type: ignore[arg-type]  # fmt: skip
    rejected.sort(key=lambda line: line.line_number)
    return ReferralFile(sender=sender, file_id=file_id, created_on=created_on, records=tuple(records),
                        rejected=tuple(rejected), detail_lines=detail_lines)  # fmt: skip


def _incomplete(current: _Open) -> str:
    """Why a referral cannot be accepted whole, or ""."""
    if current.refused:
        return "line " + ", ".join(str(n) for n in current.refused) + " of it was rejected"
    if current.values is None:
        return "it has no REF record"
    roles = [party.role for party in current.parties]
    if roles.count("custodial_party") != 1:
        return "it needs exactly one custodial party (CP)"
    if roles.count("noncustodial_parent") > 1:
        return "it has more than one noncustodial parent (NCP): send one referral per parent"
    if "dependent_child" not in roles:
        return "it names no child (CH)"
    return ""
