"""Match files in the FIDM layout (`interfaces.fidm`, docs/interfaces/fidm.md), written field by field."""

from __future__ import annotations

from datetime import date
from typing import Any

from opencse.enforcement.facts import obligor_on_case
from opencse.enforcement.fidm import import_fidm_file
from opencse.enforcement.fidm_models import FinancialAccount
from opencse.interfaces.fidm import A_FIELDS, B_FIELDS, T_FIELDS
from opencse.interfaces.fixed_width import Field

RECORD_LENGTH = 500  # what a full record holds (docs/interfaces/fidm.md); the reader reads to position 371


def _record(fields: dict[str, Field], values: dict[str, str]) -> str:
    line = [" "] * RECORD_LENGTH
    for name, value in values.items():
        spot = fields[name]
        text = value.rjust(spot.length, "0") if spot.kind == "N" and value.isdigit() else value.ljust(spot.length)
        assert len(text) == spot.length, (name, value)
        line[spot.start - 1 : spot.end] = list(text)
    return "".join(line).rstrip()


def a_record(*, tin: str = "640123456", name: str = "MAGNOLIA STATE BANK", test: str = "") -> str:
    return _record(A_FIELDS, {"record_type": "A", "institution_tin": tin, "test_indicator": test,
                              "institution_name": name, "institution_street": "200 E CAPITOL ST",
                              "institution_city": "JACKSON", "institution_state": "MS",
                              "institution_zip": "392010000", "transmitter_tin": tin,
                              "data_match_indicator": "M"})  # fmt: skip


def b_record(*, ssn: str = "512349876", account: str = "000123456789", kind: str = "02", balance: str = "5000",
             name: str = "CURTIS BOONE") -> str:  # fmt: skip
    return _record(B_FIELDS, {"record_type": "B", "matched_ssn": ssn, "account_number": account,
                              "account_type": kind, "matched_name": name, "street": "14 OAK ST",
                              "city": "JACKSON", "state": "MS", "zip": "39201", "account_state": "MS",
                              "balance": balance, "match_flag": "1"})  # fmt: skip


def t_record(count: int) -> str:
    return _record(T_FIELDS, {"record_type": "T", "b_records": str(count)})


def match_file(*b_lines: str, a_line: str | None = None) -> str:
    return "\n".join([a_line or a_record(), *b_lines, t_record(len(b_lines))]) + "\n"


def matched_account(officer: Any, case: Any, *, ssn: str = "512-34-9876", balance: str = "5000") -> FinancialAccount:
    """The case's obligor given an SSN and a savings account matched with `balance` dollars (received 07/01/2026)."""
    from opencse.people.services import update_person

    obligor = obligor_on_case(case)
    update_person(actor=officer, person=obligor, ssn=ssn)
    import_fidm_file(actor=officer, text=match_file(b_record(ssn=ssn.replace("-", ""), balance=balance)),
                     filename=f"match-{case.number}.txt", received_on=date(2026, 7, 1))  # fmt: skip
    return FinancialAccount.objects.get(obligor=obligor)
