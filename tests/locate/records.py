"""Fixed-width locate records built at the positions the layouts cite, written out here (not read from the
parser's tables), so a parser that cuts a field in the wrong place fails."""

from __future__ import annotations

from pathlib import Path


def fixed(fields: dict[int, str], length: int = 801) -> str:
    """A record of `length` spaces with each value written from its 1-based start position."""
    line = [" "] * length
    for start, value in fields.items():
        for offset, character in enumerate(value):
            line[start - 1 + offset] = character
    return "".join(line)


def new_hire(
    *,
    ssn: str = "512349876",
    first: str = "CURTIS",
    last: str = "BOONE",
    hired: str = "20261102",
    fein: str = "640123456",
    employer: str = "GULF COAST SHIPYARDS",
    born: str = "19861109",
    line1: str = "22 PINE ST",
    city: str = "GULFPORT",
    state: str = "MS",
    zip_code: str = "39501",
) -> str:
    """A W4 record: NDNH Guide for Data Submission, W-4 data record (docs/locate.md): positions 1-271 seen in
    Alaska CSSD's copy, 272-801 inferred (Oracle PER_NEW_HIRE_PKG, TAREP4C.asm)."""
    return fixed({
        1: "W4", 3: ssn, 12: first, 44: last, 74: line1, 194: city, 219: state, 221: zip_code,
        272: born, 280: hired, 288: "MS", 290: fein, 311: employer, 356: "100 SHIPYARD RD",
        476: "PASCAGOULA", 501: "MS", 503: "39567",
    })  # fmt: skip


def header() -> str:
    """The H4 transmitter header (NDNH Chart E-1): 'H4', state FIPS 28, 'W4', version '01', date, batch."""
    return fixed({1: "H4", 3: "28", 14: "W4", 17: "01", 19: "20261103", 27: "000001"})


def trailer(count: int) -> str:
    """The T4 trailer (inferred, Oracle tx_t4_record): the W4 record count in 3-13."""
    return fixed({1: "T4", 3: f"{count:011d}"})


def quarterly_wage(*, ssn: str = "512349876", cents: str = "00000845000", period: str = "20263") -> str:
    """A QW record in OpenCSE's assumed layout (docs/locate.md): wage 74-84 in cents, period 85-89 CCYYQ,
    FEIN 90-98, employer name 111-155."""
    return fixed({1: "QW", 3: ssn, 12: "CURTIS", 44: "BOONE", 74: cents, 85: period, 90: "640123456",
                  111: "GULF COAST SHIPYARDS", 156: "100 SHIPYARD RD", 276: "PASCAGOULA", 301: "MS",
                  303: "39567"})  # fmt: skip


def unemployment(*, ssn: str = "512349876") -> str:
    """A UI record in OpenCSE's assumed layout: the claimant's address as the W4 employee's, benefit 272-282
    in cents, period 283-287, paying State 288-289."""
    return fixed({1: "UI", 3: ssn, 12: "CURTIS", 44: "BOONE", 74: "9 ELM AVE", 194: "HATTIESBURG", 219: "MS",
                  221: "39401", 272: "00000123400", 283: "20263", 288: "MS"})  # fmt: skip


def fcr_response(*, agency: str = "H99", ssn: str = "512349876") -> str:
    """An FN record: 1-80 seen (FCR Release Specifications 02-02/03-01, Response Record Layout): 'FN' 1-2,
    match type 3, state 19-20, agency code 61-63, name indicator 64, first name 65-80; 81 on assumed."""
    return fixed({1: "FN", 3: "N", 19: "28", 61: agency, 64: "1", 65: "CURTIS", 97: "BOONE", 127: ssn,
                  200: "22 PINE ST", 280: "GULFPORT", 305: "MS", 307: "39501", 312: "20261102", 320: "640123456",
                  329: "GULF COAST SHIPYARDS", 414: "PASCAGOULA", 439: "MS", 441: "39567"})  # fmt: skip


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
