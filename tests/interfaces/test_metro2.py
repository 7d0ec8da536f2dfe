"""The Metro 2 writer against the layout references (docs/interfaces/metro2.md).

Expected positions are 1-based and inclusive, as listed in cfpb/Metro2 `django/parse_m2/fields.py`
(`header_fields`, `base_fields`: "The start and end positions for each field match those in the CRRG") and, for
the trailer, moov-io/metro2 `pkg/lib/specifications.go` (`trailerRecordCharacterFormat`, 0-based start and
length, converted here). Each segment is 426 characters (`seg_length` in fields.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from opencse.interfaces import metro2

# cfpb/Metro2 fields.py `base_fields` (name in that file: (start, end)); the time stamp is split there into
# "time_stamp" (6-13) and "throw_out_hms" (14-19), one 14-character field MMDDYYYYHHMMSS in the CRRG.
CFPB_BASE = {
    "rdw": (1, 4), "proc_ind": (5, 5), "reserved_base": (20, 20), "id_num": (21, 40), "cycle_id": (41, 42),
    "cons_acct_num": (43, 72), "port_type": (73, 73), "acct_type": (74, 75), "date_open": (76, 83),
    "credit_limit": (84, 92), "hcola": (93, 101), "terms_dur": (102, 104), "terms_freq": (105, 105),
    "smpa": (106, 114), "actual_pmt_amt": (115, 123), "acct_stat": (124, 125), "pmt_rating": (126, 126),
    "php": (127, 150), "spc_com_cd": (151, 152), "compl_cond_cd": (153, 154), "current_bal": (155, 163),
    "amt_past_due": (164, 172), "orig_chg_off_amt": (173, 181), "doai": (182, 189), "dofd": (190, 197),
    "date_closed": (198, 205), "dolp": (206, 213), "int_type_ind": (214, 214), "reserved_base_2": (215, 231),
    "surname": (232, 256), "first_name": (257, 276), "middle_name": (277, 296), "gen_code": (297, 297),
    "ssn": (298, 306), "dob": (307, 314), "phone_num": (315, 324), "ecoa": (325, 325),
    "cons_info_ind": (326, 327), "country_cd": (328, 329), "addr_line_1": (330, 361), "addr_line_2": (362, 393),
    "city": (394, 413), "state": (414, 415), "zip": (416, 424), "addr_ind": (425, 425), "res_cd": (426, 426),
}  # fmt: skip
OURS = [field for field in metro2.BASE_FIELDS if field.name != "time_stamp"]
# cfpb/Metro2 fields.py `header_fields`.
CFPB_HEADER = [(1, 4), (5, 10), (11, 12), (13, 22), (23, 32), (33, 37), (38, 47), (48, 55), (56, 63), (64, 71),
               (72, 79), (80, 119), (120, 215), (216, 225), (226, 265), (266, 270), (271, 280), (281, 426)]  # fmt: skip


def test_the_field_positions_are_those_of_the_cfpb_evaluator() -> None:
    assert [(field.start, field.end) for field in OURS] == list(CFPB_BASE.values())
    assert [(field.start, field.end) for field in metro2.HEADER_FIELDS] == CFPB_HEADER
    time_stamp = next(field for field in metro2.BASE_FIELDS if field.name == "time_stamp")
    assert (time_stamp.start, time_stamp.end) == (6, 19)  # "time_stamp" 6-13 + "throw_out_hms" 14-19


def test_the_trailer_positions_are_those_of_the_moov_layout() -> None:
    # moov-io/metro2 specifications.go, trailerRecordCharacterFormat: {start (0-based), length}.
    moov = {"record_identifier": (4, 7), "total_base_records": (11, 9), "total_status_code_DF": (29, 9),
            "block_count": (56, 9), "total_status_code_DA": (65, 9), "total_status_code_11": (83, 9),
            "total_status_code_13": (92, 9), "total_status_code_93": (218, 9), "total_status_code_97": (254, 9),
            "total_ecoa_code_Z": (263, 9), "total_ssns_base_segments": (335, 9),
            "total_dates_of_birth_base_segments": (371, 9), "total_telephone_numbers_all_segments": (398, 9),
            "reserved_2": (407, 19)}  # fmt: skip
    fields = {field.name: field for field in metro2.TRAILER_FIELDS}
    assert {name: (fields[name].start - 1, fields[name].length) for name in moov} == moov
    for layout in (metro2.HEADER_FIELDS, metro2.BASE_FIELDS, metro2.TRAILER_FIELDS):  # contiguous, 426 in all
        assert [field.start for field in layout[1:]] == [field.end + 1 for field in layout[:-1]]
        assert (layout[0].start, layout[-1].end) == (1, 426)


def _account(**changes: object) -> metro2.BaseSegment:
    values: dict[str, object] = {
        "updated_at": datetime(2026, 9, 30), "identification_number": "MSDCS00001", "account_number": "CS0000000042",
        "opened_on": date(2026, 8, 3), "highest_credit": 4200, "status": metro2.AccountStatus.COLLECTIONS,
        "payment_history": "G" + "B" * 23, "current_balance": 4200, "amount_past_due": 4200,
        "information_on": date(2026, 9, 30), "first_delinquency_on": date(2026, 1, 31),
        "last_payment_on": date(2026, 9, 10), "actual_payment": 250, "surname": "O'Boone-Smith",
        "first_name": "Curtis", "middle_name": "J.", "generation_code": "J", "ssn": "512349876",
        "birth_on": date(1988, 4, 9), "telephone": "(601) 555-0142", "address_line_1": "4 Elm Street",
        "address_line_2": "Apt. 2", "city": "Jackson", "state": "MS", "zip_code": "39201",
    }  # fmt: skip
    values.update(changes)
    return metro2.BaseSegment(**values)  # type: ignore[arg-type]


def test_the_base_segment_puts_each_value_at_its_position() -> None:
    line = metro2.base_segment(_account())

    def at(name: str) -> str:
        start, end = CFPB_BASE[name]
        return line[start - 1 : end]

    assert len(line) == 426
    assert (at("rdw"), at("proc_ind"), line[5:19], at("reserved_base")) == ("0426", "1", "09302026000000", "0")
    assert at("id_num") == "MSDCS00001".ljust(20)
    assert at("cons_acct_num") == "CS0000000042".ljust(30)
    # Family Support: Portfolio Type O (Open), Account Type 50, Terms Duration 001 (Open: "Constant of 001").
    assert (at("port_type"), at("acct_type"), at("terms_dur"), at("terms_freq")) == ("O", "50", "001", " ")
    assert (at("date_open"), at("hcola"), at("credit_limit"), at("smpa")) == ("08032026", "000004200", "0" * 9,
                                                                              "0" * 9)  # fmt: skip
    assert (at("actual_pmt_amt"), at("acct_stat"), at("pmt_rating")) == ("000000250", "93", " ")
    assert at("php") == "G" + "B" * 23
    assert (at("current_bal"), at("amt_past_due"), at("orig_chg_off_amt")) == ("000004200", "000004200", "0" * 9)
    assert (at("doai"), at("dofd"), at("date_closed"), at("dolp")) == ("09302026", "01312026", "0" * 8, "09102026")
    # Names: upper case, no special character but the hyphen.
    assert (at("surname"), at("first_name"), at("middle_name")) == ("O BOONE-SMITH".ljust(25), "CURTIS".ljust(20),
                                                                    "J".ljust(20))  # fmt: skip
    assert (at("gen_code"), at("ssn"), at("dob"), at("phone_num"), at("ecoa")) == ("J", "512349876", "04091988",
                                                                                   "6015550142", "1")  # fmt: skip
    assert (at("cons_info_ind"), at("country_cd")) == ("  ", "US")
    assert (at("addr_line_1"), at("addr_line_2"), at("city")) == ("4 ELM STREET".ljust(32), "APT. 2".ljust(32),
                                                                  "JACKSON".ljust(20))  # fmt: skip
    assert (at("state"), at("zip"), at("addr_ind"), at("res_cd")) == ("MS", "39201    ", " ", " ")


def test_a_paid_account_carries_its_payment_rating_and_an_unknown_ssn_is_zero_filled() -> None:
    line = metro2.base_segment(_account(status=metro2.AccountStatus.PAID_OR_CLOSED, payment_rating="G",
                                        current_balance=0, amount_past_due=0, closed_on=date(2026, 9, 12),
                                        ssn="", address_line_1="", address_line_2="", city="", state="",
                                        zip_code="", telephone=""))  # fmt: skip

    assert (line[123:125], line[125], line[154:163], line[197:205]) == ("13", "G", "0" * 9, "09122026")
    assert line[297:306] == "0" * 9  # "If the consumer does not have a SSN ... zero- or 9-fill all positions"
    assert line[327:424] == " " * 97  # no address: country, lines, city, State and ZIP blank


def test_the_writer_refuses_cents_negative_amounts_and_a_status_13_without_its_rating() -> None:
    with pytest.raises(AssertionError):
        metro2.base_segment(_account(current_balance=-1))
    with pytest.raises(AssertionError):
        metro2.base_segment(_account(current_balance=4200.5))
    with pytest.raises(AssertionError):
        metro2.base_segment(_account(status=metro2.AccountStatus.PAID_OR_CLOSED))
    with pytest.raises(AssertionError):
        metro2.base_segment(_account(account_number="512-34-9876"))  # special characters, and never the SSN


def test_the_file_is_a_header_the_accounts_and_a_trailer_counting_them() -> None:
    header = metro2.Header(activity_on=date(2026, 9, 30), created_on=date(2026, 9, 30),
                           reporter_name="Mississippi Division of Child Support",
                           reporter_address="P.O. Box 1000|Capital City, MS 39299",
                           reporter_telephone="(800) 555-0100", equifax_program_identifier="EQ123")  # fmt: skip
    accounts = [_account(), _account(account_number="CS0000000043", ssn="", birth_on=None, telephone="",
                                     status=metro2.AccountStatus.DELETE)]  # fmt: skip

    lines = metro2.write_file(header, accounts).splitlines()

    assert [len(line) for line in lines] == [426] * 4
    head, trailer = lines[0], lines[-1]
    assert (head[0:4], head[4:10], head[22:32], head[47:55], head[55:63]) == ("0426", "HEADER", "EQ123".ljust(10),
                                                                               "09302026", "09302026")  # fmt: skip
    assert head[79:119] == "MISSISSIPPI DIVISION OF CHILD SUPPORT".ljust(40)
    assert head[119:215] == "P.O. BOX 1000 CAPITAL CITY, MS 39299".ljust(96)
    assert head[215:225] == "8005550100"
    # Trailer (moov trailerRecordCharacterFormat): TRAILER, 2 base records, one DA (66-74), one 93 (219-227);
    # one SSN (336-344), one date of birth (372-380), one telephone (399-407); the block count zero (unblocked).
    assert (trailer[0:4], trailer[4:11], trailer[11:20]) == ("0426", "TRAILER", "000000002")
    assert (trailer[56:65], trailer[65:74], trailer[218:227]) == ("0" * 9, "000000001", "000000001")
    assert (trailer[82:91], trailer[91:100]) == ("0" * 9, "0" * 9)  # no 11, no 13
    assert (trailer[335:344], trailer[371:380], trailer[398:407]) == ("000000001", "000000001", "000000001")


def test_a_name_suffix_becomes_its_generation_code() -> None:
    assert [metro2.generation_code(s) for s in ("Jr.", "SR", "III", "iv", "", "Esq")] == ["J", "S", "3", "4", "", ""]
