"""The packet screen (issue #19): present and missing items, sending refused with every missing item named
above the form, then sent; the attorney records the outcome; the testimony pack is one click."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from opencse.court.models import Packet, PacketStatus
from opencse.people.services import add_address
from opencse.security.models import User
from opencse.security.roles import Role
from tests import factories
from tests.pdf_text import pdf_text


def _paternity_case(officer: User) -> Any:
    case, _custodial, _child, obligor = factories.family(officer)
    add_address(
        actor=officer,
        person=obligor.person,
        line1="4410 Ridgewood Road",
        city="Jackson",
        state="MS",
        postal_code="39203",
        verification="verified",
        verified_on=date(2026, 3, 20),
        source="postal",
    )
    return case


def test_an_officer_builds_a_paternity_packet_on_the_screen_and_an_attorney_records_the_outcome(
    officer: User, client_for: Any
) -> None:
    attorney = factories.user(Role.STAFF_ATTORNEY, username="web-attorney")
    case = _paternity_case(officer)
    client = client_for(officer)
    assert "Attorney packets" in client.get(f"/cases/{case.number}/").content.decode()

    opened = client.post(f"/cases/{case.number}/packets/new/", {"kind": "paternity"})
    packet = Packet.objects.get(case=case)
    assert opened.status_code == 302 and opened["Location"] == f"/cases/{case.number}/packets/{packet.pk}/"
    url = opened["Location"]
    page = client.get(url).content.decode()
    assert page.count("Missing</span>") == 2  # the petition data and the paternity evidence

    today = timezone.localdate().isoformat()
    refused = client.post(url + "send/", {"send-attorney": attorney.pk, "send-sent_on": today})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Petition data is missing" in text and "Paternity evidence is missing" in text
    assert Packet.objects.get(pk=packet.pk).status == PacketStatus.ASSEMBLING

    assert client.post(url + "petition/", {"petition-relief_requested": "Establish paternity"}).status_code == 302
    declared = client.post(url + "declaration/", {"item": "paternity_evidence",
                                                  "paternity_evidence-declaration": "Genetic test 99.99%"})  # fmt: skip
    assert declared.status_code == 302
    sent = client.post(url + "send/", {"send-attorney": attorney.pk, "send-sent_on": today})
    assert sent.status_code == 302
    assert Packet.objects.get(pk=packet.pk).status == PacketStatus.SENT
    pdf = client.get(url + "pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Memorandum — Paternity packet" in pdf_text(pdf.content)

    assert client.post(url + "outcome/", {"outcome-outcome": "filed", "outcome-outcome_on": today}).status_code == 403
    recorded = client_for(attorney).post(url + "outcome/", {"outcome-outcome": "filed", "outcome-outcome_on": today})
    assert recorded.status_code == 302
    assert Packet.objects.get(pk=packet.pk).outcome == "filed"


def test_the_testimony_pack_is_one_click(officer: User, client_for: Any) -> None:
    case, *_ = factories.family(officer)
    response = client_for(officer).post(f"/cases/{case.number}/testimony-pack/")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Case Summary" in text and "Certified Payment History" in text and "Arrears Computation" in text
