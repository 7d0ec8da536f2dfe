"""The quarterly Financial Institution Data Match file read back (42 U.S.C. 666(a)(17)(A)(i); the OCSE "Financial
Data Match Specifications Handbook", OMB 0970-0196): the institution's (or OCSE's multistate FIDM) file of the
accounts held by the obligors the State sent. docs/interfaces/fidm.md gives every position and where it comes from.

Records are fixed width, one a line, in three kinds: **A** (the institution: its TIN, name and address; a file may
hold several institutions, each A followed by its B records), **B** (one matched account: the SSN matched, the
account number and type, the name and address on the account, the State of the account, the balance in whole
dollars, the match flag) and **T** (the total of B records). Positions are 1-based and inclusive, as the handbook
prints them; each field says whether its position was seen in a published federal text or inferred.

Pure: no Django. `read` returns every record it could read and every line it could not, with its line number and
why; it never prints an SSN in a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from opencse.interfaces.fixed_width import Field

__all__ = ["ACCOUNT_TYPES", "A_FIELDS", "B_FIELDS", "T_FIELDS", "Institution", "Match", "Problem", "Read", "read"]

SEEN = "seen: OCSE, Supplement to Financial Data Match Specifications Handbook (TCC-02-06)"
INFERRED = "inferred: OpenCSE (the published supplement does not give it)"

A_FIELDS = {
    "record_type": Field("record_type", 1, 1, "A", SEEN),
    "institution_tin": Field("institution_tin", 7, 15, "N", SEEN),
    "test_indicator": Field("test_indicator", 32, 32, "A", SEEN),
    "institution_name": Field("institution_name", 50, 89, "A/N", SEEN),
    # 131-210 hold the institution's full address (seen); how it is split is inferred.
    "institution_street": Field("institution_street", 131, 170, "A/N", INFERRED),
    "institution_city": Field("institution_city", 171, 199, "A/N", INFERRED),
    "institution_state": Field("institution_state", 200, 201, "A", INFERRED),
    "institution_zip": Field("institution_zip", 202, 210, "A/N", INFERRED),
    "transmitter_tin": Field("transmitter_tin", 211, 219, "N", SEEN),
    "data_match_indicator": Field("data_match_indicator", 371, 371, "A", SEEN),
}
B_FIELDS = {
    "record_type": Field("record_type", 1, 1, "A", SEEN),
    "matched_ssn": Field("matched_ssn", 15, 23, "N", SEEN),
    "account_number": Field("account_number", 24, 43, "A/N", INFERRED),
    "account_type": Field("account_type", 44, 45, "N", INFERRED),
    "matched_name": Field("matched_name", 162, 201, "A/N", SEEN),
    "street": Field("street", 242, 281, "A/N", INFERRED),
    "city": Field("city", 282, 310, "A/N", INFERRED),
    "state": Field("state", 311, 312, "A", INFERRED),
    "zip": Field("zip", 313, 321, "A/N", INFERRED),
    "account_state": Field("account_state", 322, 326, "A", SEEN),  # FIPS pass-back: the State of the account
    "balance": Field("balance", 351, 357, "N", SEEN),  # whole dollars; 0 when $0 or less
    "match_flag": Field("match_flag", 358, 358, "N", INFERRED),
}
T_FIELDS = {
    "record_type": Field("record_type", 1, 1, "A", SEEN),
    "b_records": Field("b_records", 2, 9, "N", INFERRED),
}
A_LENGTH = max(f.end for f in A_FIELDS.values())
B_LENGTH = max(f.end for f in B_FIELDS.values())
T_LENGTH = max(f.end for f in T_FIELDS.values())

# The kinds of account 42 U.S.C. 666(a)(17)(D)(ii) names; the codes are OpenCSE's (docs/interfaces/fidm.md).
ACCOUNT_TYPES = {
    "01": "Checking or demand deposit",
    "02": "Savings",
    "03": "Time deposit (certificate of deposit)",
    "04": "Money market",
    "05": "Negotiable order of withdrawal (NOW)",
    "06": "Money-market mutual fund",
}


@dataclass(frozen=True)
class Institution:
    line_number: int
    tin: str
    name: str
    address_lines: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    line_number: int
    institution: Institution
    ssn: str  # nine digits: never printed, never kept in plain
    account_number: str
    account_type: str
    holder_name: str
    holder_address_lines: tuple[str, ...]
    account_state: str
    balance: Decimal  # whole dollars


@dataclass(frozen=True)
class Problem:
    line_number: int
    record_type: str
    problem: str  # never holds the SSN


@dataclass
class Read:
    institutions: list[Institution] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _digits(value: str) -> bool:
    return value.isdigit() and value.isascii()


def _address(street: str, city: str, state: str, zip_code: str) -> tuple[str, ...]:
    zip_text = f"{zip_code[:5]}-{zip_code[5:]}" if len(zip_code) == 9 else zip_code
    last = " ".join(part for part in (f"{city}," if city else "", state, zip_text) if part).strip(" ,")
    return tuple(line for line in (street, last) if line)


def _institution(line: str, number: int, out: Read) -> Institution | None:
    value = {name: f.read(line) for name, f in A_FIELDS.items()}
    wrong = []
    if not (_digits(value["institution_tin"]) and len(value["institution_tin"]) == 9):
        wrong.append("the institution's TIN (7-15) is not nine digits")
    if not value["institution_name"]:
        wrong.append("the institution's name (50-89) is blank")
    if value["test_indicator"] == "T":
        wrong.append("a test file (32 is T): nothing in it is kept as a match")
    if wrong:
        out.problems.append(Problem(number, "A", "; ".join(wrong)))
        return None
    found = Institution(
        line_number=number,
        tin=value["institution_tin"],
        name=value["institution_name"],
        address_lines=_address(value["institution_street"], value["institution_city"], value["institution_state"],
                               value["institution_zip"]),
    )  # fmt: skip
    out.institutions.append(found)
    return found


def _match(line: str, number: int, institution: Institution | None, out: Read) -> None:
    value = {name: f.read(line) for name, f in B_FIELDS.items()}
    wrong = []
    if institution is None:
        wrong.append("no valid A record (the institution) before it")
    ssn = value["matched_ssn"]
    if not (_digits(ssn) and len(ssn) == 9) or ssn.startswith(("000", "666", "9")) or ssn[3:5] == "00":
        wrong.append("the matched SSN (15-23) is not a valid SSN")
    if not value["account_number"]:
        wrong.append("the account number (24-43) is blank")
    if value["account_type"] not in ACCOUNT_TYPES:
        wrong.append(f"the account type (44-45) is not one of {', '.join(ACCOUNT_TYPES)}")
    if not value["matched_name"]:
        wrong.append("the name on the account (162-201) is blank")
    if not _digits(value["balance"]):
        wrong.append("the balance (351-357) is not whole dollars, zero-filled")
    if wrong or institution is None:
        out.problems.append(Problem(number, "B", "; ".join(wrong)))
        return
    out.matches.append(
        Match(
            line_number=number,
            institution=institution,
            ssn=ssn,
            account_number=value["account_number"],
            account_type=value["account_type"],
            holder_name=value["matched_name"],
            holder_address_lines=_address(value["street"], value["city"], value["state"], value["zip"]),
            account_state=value["account_state"][:2],
            balance=Decimal(int(value["balance"])),
        )
    )


def read(text: str) -> Read:
    """Every record of the file: the institutions, the matched accounts, and each line that could not be read
    (with its line number and why). A blank line is skipped; a short line is read as if blank-filled to the
    last position the record's kind is read to, so a missing field is reported as missing."""
    out = Read()
    institution: Institution | None = None
    b_lines = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        kind = line[0]
        if kind == "A":
            institution = _institution(line.ljust(A_LENGTH), number, out)
        elif kind == "B":
            b_lines += 1
            _match(line.ljust(B_LENGTH), number, institution, out)
        elif kind == "T":
            count = T_FIELDS["b_records"].read(line.ljust(T_LENGTH))
            if not _digits(count):
                out.problems.append(Problem(number, "T", "the count of B records (2-9) is not a number"))
            elif int(count) != b_lines:
                out.problems.append(Problem(number, "T", f"the trailer counts {int(count)} B records; the file has "
                                                         f"{b_lines}"))  # fmt: skip
        else:
            out.problems.append(Problem(number, "?", "the record type (position 1) is not A, B or T"))
    return out
