"""Every URL and API operation, against every role: the declared permission decides allow or deny.

A view or operation that declares no permission (`@allow(...)` or `@public`) fails here, so a new
endpoint cannot ship without saying who may use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from opencse.api.main import api
from opencse.cases.agencies import AgencyInput, register_agency
from opencse.cases.services import add_member
from opencse.court.services import open_packet
from opencse.documents.correspondence.services import ScanFile, log_correspondence
from opencse.establishment.services import compute_worksheet, propose_obligations
from opencse.ledger.services import hold_in_suspense
from opencse.orders.services import TermInput, enter_order
from opencse.people.services import add_employment
from opencse.security.models import User
from opencse.security.policy import POLICY
from opencse.security.roles import Role
from opencse.security.services import system_actor
from opencse.work.disputes.services import open_dispute
from opencse.work.referrals.services import refer
from tests import factories

SKIPPED_PREFIXES = ("static/", "media/")


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def web_views() -> list[tuple[str, Any]]:
    return [
        (route, view)
        for route, view in _walk(get_resolver().url_patterns)
        if not route.startswith("api/v1/") and not route.startswith(SKIPPED_PREFIXES)
    ]


def api_operations() -> list[tuple[str, str, Any]]:
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append(
                        (
                            method,
                            "/api/v1" + (prefix.rstrip("/") + "/" + path.lstrip("/")).rstrip("/"),
                            operation.view_func,
                        )
                    )
    return found


def test_every_web_view_declares_who_may_use_it() -> None:
    undeclared = [route for route, view in web_views() if not hasattr(view, "opencse_permissions")]

    assert undeclared == []


def test_every_api_operation_declares_who_may_use_it() -> None:
    undeclared = [
        f"{method} {path}" for method, path, view in api_operations() if not hasattr(view, "opencse_permissions")
    ]

    assert undeclared == []
    assert len(api_operations()) >= 15


def _allowed(role: str, permissions: tuple[str, ...]) -> bool:
    return all(role in POLICY[permission] for permission in permissions)


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> dict[str, str]:
    officer = factories.user(Role.OFFICER_1, username="world-officer")
    case, custodial, _, obligor = factories.family(officer)
    settings.CORRESPONDENCE_DIR = tmp_path / "correspondence"
    letter = log_correspondence(actor=officer, case=case, direction="in", channel="mail", dated_on=date(2026, 1, 6),
                                summary="walk letter", scans=[ScanFile("walk.pdf", b"%PDF-1.4 walk")])  # fmt: skip
    dispute = open_dispute(actor=officer, case=case, kind="debt_amount", raised_by=obligor.person,
                           raised_on=date(2026, 1, 6), statement="The arrears are wrong.")  # fmt: skip
    referral = refer(actor=officer, case=case, person=obligor.person, resource_key="legal_aid",
                     referred_on=date(2026, 1, 6))  # fmt: skip
    note = case.notes.create(kind="phone", text="seed note", author=officer)
    order = enter_order(
        actor=officer,
        case=case,
        tribunal_kind="court",
        tribunal_name="Hinds County Chancery Court",
        issuing_jurisdiction="MS",
        docket_number="WALK-1",
        signed_on=date(2026, 1, 5),
        effective_on=date(2026, 1, 5),
        terms=[
            TermInput(
                kind="current_support",
                frequency="monthly",
                starts_on=date(2026, 1, 5),
                obligor=obligor.person,
                steps=[(date(2026, 1, 5), Decimal("300.00"))],
            )
        ],
    )
    collection = hold_in_suspense(
        actor=system_actor(),
        amount=Decimal("10.00"),
        source="direct_payment",
        collected_on=date(2026, 1, 2),
        received_on=date(2026, 1, 2),
        reason="walk test",
    )
    proposal = _proposal_on_a_case_without_order(officer)
    agency = register_agency(
        actor=factories.user(Role.SUPERVISOR, username="world-supervisor"),
        data=AgencyInput(name="Texas Office of the Attorney General", kind="state", fips_code="48000"),
    )
    packet = open_packet(actor=officer, case=case, kind="paternity", opened_on=date(2026, 1, 6))
    job = add_employment(actor=officer, person=obligor.person, employer_name="Walk Employer", verified=True)
    locate_verification, locate_record = _locate_world(officer, case, obligor.person, tmp_path)
    return {
        "employment_id": str(job.pk),
        "withholding_id": "999999",
        "exception_id": "999999",
        "action_id": "999999",
        "agreement_id": "999999",
        "stay_id": "999999",
        "license_id": "999999",
        "receipt_id": "999999",
        "claim_id": "999999",
        "intercept_id": "999999",
        "levy_id": "999999",
        "lien_id": "999999",
        "step": "service",
        "kind": "fidm",  # the enforcement files of one kind (enforcement.files.KINDS)
        "packet_id": str(packet.pk),
        "number": case.number,
        "pk": str(custodial.person.pk),
        "person_id": str(custodial.person.pk),
        "rule": "withholding",
        "note_id": str(note.pk),
        "id": str(custodial.person.pk),
        "member_id": str(custodial.pk),
        "address_id": str(custodial.person.addresses.get().pk),
        "collection_id": str(collection.pk),
        "adjustment_id": "999999",
        "request_id": "999999",
        "worksheet_id": str(proposal.worksheet_id),
        "proposal_id": str(proposal.pk),
        "payout_id": "999999",
        "run_id": "999999",
        "order_id": str(order.pk),
        "agency_id": str(agency.pk),
        "task_id": "999999",
        "document_id": "999999",
        "scan_id": str(letter.scans.get().pk),
        "dispute_id": str(dispute.pk),
        "referral_id": str(referral.pk),
        "intake_id": str(_intake_application(officer)),
        "acknowledgment_id": "999999",
        "test_id": "999999",
        "verification_id": str(locate_verification.pk),
        "record_id": str(locate_record.pk),
        "import_id": str(locate_record.locate_import_id),
    }


def _intake_application(officer: User) -> int:
    """An application waiting in the intake queue, so the walk opens the matching page on a real one."""
    from opencse.intake.services import ApplicationInput, PartyInput, receive_application

    child = PartyInput(first_name="Nora", last_name="Walsh", date_of_birth=date(2019, 4, 2))
    application = ApplicationInput(received_on=date(2026, 1, 6), custodial_party=PartyInput("Erin", "Walsh"),
                                   other_parent=None, children=[child])  # fmt: skip
    return receive_application(actor=officer, application=application).pk


def _locate_world(officer: User, case: Any, person: Any, tmp_path: Path) -> tuple[Any, Any]:
    """A postal verification on the case and a locate record waiting for review (opencse.locate)."""
    from opencse.locate.imports import import_locate_file
    from opencse.locate.services import request_verification
    from opencse.people.services import add_address
    from tests.locate import records

    address = add_address(actor=officer, person=person, line1="22 Pine St", city="Gulfport", state="MS",
                          postal_code="39501")  # fmt: skip
    verification = request_verification(actor=officer, case=case, kind="postal", address=address,
                                        requested_on=date(2026, 1, 6))  # fmt: skip
    path = records.write(tmp_path, "w4.txt", [records.new_hire(ssn="234567891")])
    received = import_locate_file(actor=system_actor(), path=path, kind="new-hire", received_on=date(2026, 1, 6))
    return verification, received.items.get()


def _proposal_on_a_case_without_order(officer: User) -> Any:
    """A saved worksheet and its draft proposal, so the walk opens the worksheet screens on real records
    (the world's case has an order, and a case with an order gets no establishment proposal)."""
    case = factories.case(officer)
    obligor = factories.person(officer, first_name="Walter", last_name="Keane", sex="M")
    add_member(actor=officer, case=case, person=obligor, role="noncustodial_parent")
    payload = {
        "jurisdiction": "MS",
        "as_of": "2026-01-01",
        "number_of_children": 1,
        "obligor": {"gross_income": "3000.00", "taxes": "0.00", "social_security": "0.00",
                    "mandatory_retirement": "0.00", "other_child_support_paid": "0.00"},
    }  # fmt: skip
    worksheet = compute_worksheet(actor=officer, case=case, payload=payload)
    return propose_obligations(actor=officer, case=case, worksheet=worksheet, effective_on=date(2026, 2, 1))


def _fill(route: str, values: dict[str, str]) -> str:
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: values[match.group(1)], route)
    route = re.sub(r"\{(?:\w+:)?(\w+)\}", lambda match: values[match.group(1)], route)
    return route if route.startswith("/") else "/" + route


def _request(client: Client, method: str, url: str) -> int:
    if method.upper() == "GET":
        status = client.get(url).status_code
        if status != 405:
            return status
        method = "POST"
    call = getattr(client, method.lower())
    return int(call(url, {}, content_type="application/json").status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_the_web_views_its_permissions_allow(role: Role, world: dict[str, str]) -> None:
    user = factories.user(role, username=f"walker-{role}")
    client = Client(raise_request_exception=True)
    client.force_login(user)
    wrong = []

    for route, view in web_views():
        if getattr(view, "opencse_public", False):
            continue
        status = _request(client, "GET", _fill(route, world))
        allowed = _allowed(role, view.opencse_permissions)
        if (status == 403) == allowed or status >= 500:
            wrong.append(f"{route}: {status} (allowed={allowed})")

    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_the_api_operations_its_permissions_allow(role: Role, world: dict[str, str]) -> None:
    user = factories.user(role, username=f"walker-{role}")
    client = Client()
    client.force_login(user)
    wrong = []

    for method, path, view in api_operations():
        status = _request(client, method, _fill(path, world))
        allowed = _allowed(role, view.opencse_permissions)
        if (status == 403) == allowed or status >= 500:
            wrong.append(f"{method} {path}: {status} (allowed={allowed})")

    assert wrong == []


@pytest.mark.django_db
def test_an_anonymous_visitor_reaches_only_public_views(world: dict[str, str]) -> None:
    client = Client()
    leaks = []

    for route, view in web_views():
        status = _request(client, "GET", _fill(route, world))
        if not getattr(view, "opencse_public", False) and status not in (302, 401, 403):
            leaks.append(f"{route}: {status}")
    for method, path, _ in api_operations():
        status = _request(client, method, _fill(path, world))
        if status != 401:
            leaks.append(f"{method} {path}: {status}")

    assert leaks == []


def test_every_role_has_a_label_and_every_permission_names_known_roles() -> None:
    for roles in POLICY.values():
        assert roles <= set(Role)
    assert {User(role=role).role_label for role in Role} == {role.label for role in Role}
