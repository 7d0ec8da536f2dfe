"""Attorney packets (issue #19, "Attorney packets and court"): each type's required items, sending refused
while an item is missing (every missing item named), the one PDF once complete (cover memorandum, then each
item; the page count is the sum), the attorney's outcome, no protected address in any packet, and who may
do what. The required items are those of packets.yaml as chosen in docs/packets.md."""

from __future__ import annotations

from datetime import date

import pytest

from opencse.court.models import Outcome, Packet, PacketStatus
from opencse.court.packet_types import item_types, packet_types
from opencse.court.selectors import MISSING, TO_PRINT, packet_status
from opencse.court.services import (
    attach_worksheet,
    open_packet,
    record_declaration,
    record_outcome,
    record_petition_data,
    send_packet,
)
from opencse.documents.models import Document
from opencse.errors import Conflict, InvalidInputs, NotAuthorized
from opencse.establishment.services import compute_worksheet
from opencse.ledger.accrual import accrue
from opencse.orders.models import Order
from opencse.people.models import Person
from opencse.people.services import add_address, add_employment
from opencse.security.models import AuditEvent, User
from opencse.security.roles import Role
from tests import factories
from tests.establishment.helpers import MS_EXAMPLE_1 as MS_WORKSHEET
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text

OPENED, SENT, DECIDED = date(2026, 4, 1), date(2026, 4, 6), date(2026, 4, 20)
# docs/packets.md, "Packet types": what a staff attorney needs for each filing.
REQUIRED = {
    "initial_support": {"petition_data", "guideline_worksheet", "locate_verification"},
    "paternity": {"petition_data", "paternity_evidence", "locate_verification"},
    "stipulated_agreement": {"petition_data", "guideline_worksheet"},
    "modification": {"petition_data", "guideline_worksheet", "prior_orders", "payment_history"},
    "redirection": {"petition_data", "prior_orders", "service_records"},
    # Turner v. Rogers, 564 U.S. 431 (2011): ability to pay before civil contempt
    "contempt": {"payment_history", "affidavit_of_arrears", "prior_orders", "service_records", "ability_to_pay"},
}
PRINTED_FROM_THE_LEDGER = {"payment_history", "affidavit_of_arrears"}


@pytest.fixture
def attorney(db: None) -> User:
    return factories.user(Role.STAFF_ATTORNEY, username="packet-attorney")


def test_the_packet_types_are_the_six_of_the_issue_each_with_the_required_items_chosen() -> None:
    assert {name: set(kind.required) for name, kind in packet_types().items()} == REQUIRED
    assert "Turner v. Rogers, 564 U.S. 431 (2011)" in item_types()["ability_to_pay"].reference
    for kind in packet_types().values():
        assert not set(kind.required) & set(kind.optional), kind.name


@pytest.mark.parametrize("kind", sorted(REQUIRED))
def test_a_new_packet_on_a_bare_case_is_missing_each_required_item_the_agency_must_supply(
    officer: User, kind: str
) -> None:
    case, *_ = factories.family(officer)  # no order, no worksheet, no verified address: only the ledger prints
    packet = open_packet(actor=officer, case=case, kind=kind, opened_on=OPENED)

    state = packet_status(packet)

    assert {each.name for each in state.missing} == REQUIRED[kind] - PRINTED_FROM_THE_LEDGER
    assert all(each.state == TO_PRINT for each in state.items if each.name in PRINTED_FROM_THE_LEDGER)
    assert {each.name for each in state.items if each.required} == REQUIRED[kind]
    assert not state.complete


def _contempt_case(officer: User) -> tuple[Packet, Order]:
    case, order = case_with_order(officer, monthly="300.00", starts_on=date(2026, 1, 1))
    accrue(through=date(2026, 3, 31), case_ids=[case.pk])  # 3 x $300.00 charged, nothing paid: $900.00
    return open_packet(actor=officer, case=case, kind="contempt", opened_on=OPENED), order


def test_a_contempt_packet_is_refused_naming_each_missing_item_then_sent_as_one_pdf(
    officer: User, attorney: User
) -> None:
    packet, order = _contempt_case(officer)

    with pytest.raises(InvalidInputs) as refused:
        send_packet(actor=officer, packet=packet, sent_on=SENT, attorney=attorney)
    assert {error.field for error in refused.value.errors} == {"service_records", "ability_to_pay"}
    assert "Service records is missing" in str(refused.value.errors[0]) or any(
        "Service records is missing" in error.message for error in refused.value.errors
    )
    assert Packet.objects.get(pk=packet.pk).status == PacketStatus.ASSEMBLING
    assert not Document.objects.filter(kind="attorney_packet").exists()

    record_declaration(
        actor=officer,
        packet=packet,
        item="service_records",
        declared_on=OPENED,
        declaration="Order AO served personally on Curtis Boone by the Hinds County sheriff",
        recorded_on=date(2026, 1, 10),
    )
    record_declaration(
        actor=officer,
        packet=packet,
        item="ability_to_pay",
        declared_on=OPENED,
        declaration="Obligor employed full time at Delta Mills since 2024; earns $3,100 a month",
    )
    sent = send_packet(actor=officer, packet=packet, sent_on=SENT, attorney=attorney)

    assert (sent.status, sent.sent_on, sent.attorney, sent.sent_by) == (PacketStatus.SENT, SENT, attorney, officer)
    assert sent.document is not None
    text = pdf_text(bytes(sent.document.pdf))
    assert "Memorandum — Contempt packet" in text
    assert "Attorney Test, Staff Attorney" in text  # factories.user: first name = role, last name Test
    for words in (
        "Certified Payment History",
        "Affidavit of Arrears",
        "Prior Orders",
        order.docket_number,
        "Delta Mills since 2024",
        "Hinds County sheriff",
        "Turner v. Rogers",
    ):
        assert words in text, words
    assert "$900.00" in text  # 3 months x $300.00 accrued, nothing paid (tests.ledger.helpers)
    parts = sent.document.data["parts"]
    assert parts[0]["kind"] == "packet_cover_memo"
    assert len(parts) == 1 + 5  # the cover, then the five required items (no optional one available)
    assert sent.document.page_count == sum(part["pages"] for part in parts)
    assert sent.document.page_count == sum(Document.objects.get(pk=part["document"]).page_count for part in parts)
    assert sent.case.notes.filter(source_key=f"packet:{packet.pk}:sent").exists()
    assert AuditEvent.objects.filter(action="packet.sent", target_id=str(packet.pk)).count() == 1

    with pytest.raises(Conflict):
        send_packet(actor=officer, packet=packet, sent_on=SENT, attorney=attorney)


def test_the_staff_attorney_records_the_outcome_and_only_the_staff_attorney(officer: User, attorney: User) -> None:
    packet, _ = _contempt_case(officer)
    with pytest.raises(Conflict):  # not sent yet
        record_outcome(actor=attorney, packet=packet, outcome=Outcome.FILED, outcome_on=SENT)
    for item in ("service_records", "ability_to_pay"):
        record_declaration(actor=officer, packet=packet, item=item, declaration="on file", declared_on=OPENED)
    send_packet(actor=officer, packet=packet, sent_on=SENT, attorney=attorney)

    with pytest.raises(NotAuthorized):
        record_outcome(actor=officer, packet=packet, outcome=Outcome.FILED, outcome_on=DECIDED)
    with pytest.raises(InvalidInputs) as refused:
        record_outcome(actor=attorney, packet=packet, outcome=Outcome.HEARING_SET, outcome_on=date(2026, 4, 1))
    assert {error.field for error in refused.value.errors} == {"outcome_on", "hearing_on"}

    decided = record_outcome(
        actor=attorney,
        packet=packet,
        outcome=Outcome.HEARING_SET,
        outcome_on=DECIDED,
        hearing_on=date(2026, 5, 14),
        note="Show cause hearing, Hinds County Chancery",
    )

    assert (decided.status, decided.outcome, decided.outcome_on, decided.hearing_on, decided.outcome_by) == (
        PacketStatus.OUTCOME_RECORDED,
        Outcome.HEARING_SET,
        DECIDED,
        date(2026, 5, 14),
        attorney,
    )
    assert AuditEvent.objects.filter(action="packet.outcome_recorded", target_id=str(packet.pk)).exists()
    note = decided.case.notes.filter(source_key__startswith=f"packet:{packet.pk}:outcome:").get()
    assert "Hearing set on 04/20/2026, hearing on 05/14/2026" in note.text


def test_technicians_assemble_and_send_attorneys_and_auditors_do_not(
    officer: User, technician: User, attorney: User
) -> None:
    case, *_ = factories.family(officer)
    auditor = factories.user(Role.AUDITOR, username="packet-auditor")
    packet = open_packet(actor=technician, case=case, kind="paternity", opened_on=OPENED)
    record_declaration(
        actor=technician, packet=packet, item="paternity_evidence", declaration="Genetic test", declared_on=OPENED
    )
    for outsider in (attorney, auditor):
        with pytest.raises(NotAuthorized):
            open_packet(actor=outsider, case=case, kind="paternity", opened_on=OPENED)
        with pytest.raises(NotAuthorized):
            record_declaration(
                actor=outsider, packet=packet, item="service_records", declaration="x", declared_on=OPENED
            )
    other_office = factories.user(Role.OFFICER_1, username="packet-elsewhere", office_code="RAN")
    with pytest.raises(NotAuthorized):
        open_packet(actor=other_office, case=case, kind="paternity", opened_on=OPENED)


def _verified_obligor_address(officer: User, obligor: Person, line1: str) -> None:
    add_address(
        actor=officer,
        person=obligor,
        line1=line1,
        city="Jackson",
        state="MS",
        postal_code="39203",
        verification="verified",
        verified_on=date(2026, 3, 20),
        source="postal",
    )


def test_a_protected_partys_address_appears_in_no_packet_pdf(officer: User, attorney: User) -> None:
    case, _custodial, _child, obligor = factories.family(officer, protected=True)  # the custodial party
    obligor.person.family_violence = True
    obligor.person.save(update_fields=["family_violence"])
    _verified_obligor_address(officer, obligor.person, "4410 Ridgewood Road")
    add_employment(actor=officer, person=obligor.person, employer_name="Delta Mills", verified=True)
    worksheet = compute_worksheet(actor=officer, case=case, payload=MS_WORKSHEET)
    packet = open_packet(actor=officer, case=case, kind="paternity", opened_on=OPENED)
    assert {each.name for each in packet_status(packet).missing} == {"petition_data", "paternity_evidence"}
    record_petition_data(
        actor=officer,
        packet=packet,
        relief_requested="Establish paternity of Mateo Moreno",
        facts="Genetic test 99.99%",
        prepared_on=OPENED,
    )
    record_declaration(
        actor=officer,
        packet=packet,
        item="paternity_evidence",
        declared_on=OPENED,
        declaration="Genetic test report, LabCorp, probability of paternity 99.99%",
    )
    attach_worksheet(actor=officer, packet=packet, worksheet_id=worksheet.pk)

    sent = send_packet(actor=officer, packet=packet, sent_on=SENT, attorney=attorney)

    assert sent.document is not None
    text = pdf_text(bytes(sent.document.pdf))
    for words in (
        "Locate Verification",
        "Residential address",
        "Employment: Delta Mills",
        "Petition Data",
        "Child Support Guideline Worksheet",
        "probability of paternity 99.99%",
    ):
        assert words in text, words
    assert "Address of record withheld" in text
    for street in ("4410 Ridgewood Road", "118 Magnolia Street"):  # the obligor's and the custodial party's
        assert street not in text
        for part in sent.document.data["parts"]:
            assert street not in pdf_text(bytes(Document.objects.get(pk=part["document"]).pdf))


def test_a_declaration_for_another_types_item_or_an_empty_one_is_refused(officer: User) -> None:
    case, *_ = factories.family(officer)
    packet = open_packet(actor=officer, case=case, kind="redirection", opened_on=OPENED)
    with pytest.raises(InvalidInputs) as refused:
        record_declaration(
            actor=officer,
            packet=packet,
            item="service_records",
            declaration="  ",
            declared_on=OPENED,
            recorded_on=date(2026, 4, 2),
        )
    assert {error.field for error in refused.value.errors} == {"declaration", "recorded_on"}
    from opencse.errors import InvalidInput

    with pytest.raises(InvalidInput):
        record_declaration(actor=officer, packet=packet, item="paternity_evidence", declaration="x", declared_on=OPENED)
    assert all(each.state == MISSING for each in packet_status(packet).items if each.name == "service_records")
