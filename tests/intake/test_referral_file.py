"""The referral file reader (opencse.interfaces.referral; layout in docs/interfaces/referral.md): a good file,
each kind of bad line with its line number, a referral accepted whole or not at all, the trailer's count."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from opencse.interfaces.referral import read_referral_file
from tests.intake.referral_files import GOOD


def _with(line_number: int, replacement: str, text: str = GOOD) -> str:
    lines = text.splitlines()
    lines[line_number - 1] = replacement
    return "\n".join(lines) + "\n"


def test_a_good_file_gives_every_referral_with_its_people() -> None:
    parsed = read_referral_file(GOOD)

    assert parsed.rejected == ()
    assert (parsed.sender, parsed.file_id, parsed.created_on) == ("MS-DHS-TANF", "F20260302-01", date(2026, 3, 2))
    tanf, medicaid = parsed.records
    assert (tanf.key, tanf.program, tanf.line_number) == ("TANF:R1001", "current_assistance", 2)
    assert (tanf.referred_on, tanf.good_cause, tanf.family_violence) == (date(2026, 2, 27), "none", False)
    assert [party.role for party in tanf.parties] == [
        "custodial_party", "noncustodial_parent", "dependent_child", "dependent_child",
    ]  # fmt: skip
    custodial = tanf.parties[0]
    assert (custodial.first_name, custodial.ssn, custodial.date_of_birth) == ("Marisol", "212456789", date(1990, 4, 12))
    assert (custodial.city, custodial.state, custodial.postal_code) == ("Jackson", "MS", "39204")
    assert not tanf.parties[1].has_address
    assert (medicaid.program, medicaid.good_cause, medicaid.family_violence) == ("medicaid_only", "pending", True)
    assert parsed.detail_lines == 8  # the trailer's count: every line between HDR and TRL


def test_a_bad_line_is_reported_with_its_number_and_reason_and_its_referral_is_held_back_whole() -> None:
    # line 4: the NCP's SSN fails python-stdnum's rules (area 666 is never issued: SSA, 20 CFR 422.103)
    parsed = read_referral_file(_with(4, "NCP|R1001|Fontaine|Raymond|J|19880109|666123456|M|||||"))

    assert [record.key for record in parsed.records] == ["MEDICAID:M2002"]  # the other referral still comes in
    by_line = {line.line_number: line.reason for line in parsed.rejected}
    assert by_line[4] == "the SSN is not a valid Social Security number"
    assert by_line[2] == "referral R1001 was not accepted: line 4 of it was rejected"
    assert set(by_line) == {2, 3, 4, 5, 6}  # every line of R1001 is in the report, none dropped silently
    assert all("666123456" not in line.raw for line in parsed.rejected)  # SSNs masked in the kept text
    assert "XXXXX3456" in next(line.raw for line in parsed.rejected if line.line_number == 4)


def test_each_kind_of_bad_field_has_its_own_reason() -> None:
    cases = {
        "CP|R1001|Delgado|Marisol||19901312|212456789|F|45 Pecan Lane||Jackson|MS|39204": "is not a real date",
        "CP|R1001|Delgado|Marisol||1990-04-12|212456789|F|45 Pecan Lane||Jackson|MS|39204": "CCYYMMDD",
        "CP|R1001|Delgado|Marisol||19900412|212456789|X|45 Pecan Lane||Jackson|MS|39204": "is not F, M or U",
        "CP|R1001|Delgado|Marisol||19900412|212456789|F|45 Pecan Lane||Jackson|ZZ|39204": "not a U.S. state",
        "CP|R1001|Delgado|Marisol||19900412|212456789|F|45 Pecan Lane||Jackson|MS|3920": "is not five or nine",
        "CP|R1001|Delgado|Marisol||19900412|212456789|F|45 Pecan Lane||||": "needs line 1, the city",
        "CP|R1001||Marisol||19900412|212456789|F|45 Pecan Lane||Jackson|MS|39204": "the last name is missing",
        "CP|R1001|Delgado|Marisol||20270101|212456789|F|||||": "after the file was created",
        "CP|R1001|Delgado|Marisol": "a CP record has 13 fields; this line has 4",
        "XX|R1001|Delgado": "the record type 'XX' is not HDR, REF, CP, NCP, CH or TRL",
        "CP||Delgado|Marisol||19900412|212456789|F|||||": "the referral id is missing",
    }
    for line, reason in cases.items():
        rejected = {each.line_number: each.reason for each in read_referral_file(_with(3, line)).rejected}
        assert reason in rejected[3], (line, rejected)


def test_a_bad_referral_record_names_the_program_good_cause_and_violence_codes() -> None:
    for line, reason in {
        "REF|R1001|SNAP|AU-55123|20260227|N|N": "the program 'SNAP' is not TANF, MEDICAID or IVE",
        "REF|R1001|TANF|AU-55123|20260227|Q|N": "the good cause code 'Q' is not N, P or Y",
        "REF|R1001|TANF|AU-55123|20260227|N|maybe": "the family violence indicator 'MAYBE' is not Y or N",
        "REF|R1001|TANF||20260227|N|N": "the assistance unit id is missing",
    }.items():
        parsed = read_referral_file(_with(2, line))
        assert reason in {each.line_number: each.reason for each in parsed.rejected}[2]
        assert [record.key for record in parsed.records] == ["MEDICAID:M2002"]


def test_a_referral_without_a_child_or_a_custodial_party_is_not_accepted() -> None:
    no_child = GOOD.replace("CH|M2002|Okafor|Chidi||20150101||M|||||\n", "").replace("TRL|8", "TRL|7")
    parsed = read_referral_file(no_child)
    assert [record.key for record in parsed.records] == ["TANF:R1001"]
    assert {each.line_number: each.reason for each in parsed.rejected} == {
        7: "referral M2002 was not accepted: it names no child (CH)",
        8: "referral M2002 was not accepted: it names no child (CH)",
    }


def test_a_trailer_count_that_is_not_the_files_is_reported_on_the_trailer_line() -> None:
    parsed = read_referral_file(GOOD.replace("TRL|8", "TRL|12"))

    assert [(line.line_number, line.reason) for line in parsed.rejected] == [
        (10, "the trailer counts 12 detail records; the file has 8")
    ]
    assert len(parsed.records) == 2  # each referral was checked complete on its own; the sender may resend


def test_a_file_without_header_or_trailer_says_so() -> None:
    lines = GOOD.splitlines()
    parsed = read_referral_file("\n".join(lines[1:-1]))
    reasons = [line.reason for line in parsed.rejected]
    assert "the file has no header record (HDR) on its first line" in reasons
    assert "the file has no trailer record (TRL): was it cut short?" in reasons


@given(st.lists(st.text(alphabet="|ABCRNPTHL0123456789 \n", max_size=60), max_size=20))
def test_whatever_the_lines_the_reader_accounts_for_every_one(lines: list[str]) -> None:
    """Invariant (style: bad input kept, never dropped): the reader never raises on content, and every
    non-blank line is either part of an accepted referral, the header or trailer, or a rejected line."""
    text = GOOD.splitlines()[0] + "\n" + "\n".join(lines)
    parsed = read_referral_file(text)
    accepted = {record.line_number for record in parsed.records} | {
        party.line_number for record in parsed.records for party in record.parties
    }
    rejected = {line.line_number for line in parsed.rejected}
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and line.split("|")[0].strip().upper() not in ("HDR", "TRL"):
            assert number in accepted | rejected, (number, line)
