"""A bankruptcy stay (11 U.S.C. 362(a)) and SSI (45 CFR 307.11(c)(3)) recorded on the obligor: the sweep reads them
and holds the remedies whose data names them; recording one stops the actions under way that it holds."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opencse.enforcement.actions import approve_action, take_action
from opencse.enforcement.facts import end_bankruptcy_stay, record_bankruptcy_stay, record_ssi
from opencse.enforcement.fidm_models import LevyOrder
from opencse.enforcement.models import ActionStatus, ActionStep, BankruptcyStay, EnforcementAction
from opencse.enforcement.sweep import sweep
from opencse.errors import Conflict, InvalidInput, InvalidInputs
from opencse.ledger.services import post_collection
from opencse.rules.remedies import remedies
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.work.models import Task, TaskKind
from tests import factories
from tests.enforcement.fidm_helpers import matched_account
from tests.enforcement.test_agreements_and_release import HINDS_PARCEL, JULY_1, _behind, _proposed
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db
COURT = "U.S. Bankruptcy Court, Southern District of Mississippi"


def _stay(officer: Any, case: Any, *, filed: date = date(2026, 6, 25), on: date = JULY_1) -> BankruptcyStay:
    return record_bankruptcy_stay(actor=officer, case=case, petition_filed_on=filed, chapter="13", court=COURT,
                                  court_case_number="26-01234-JAW", recorded_on=on)  # fmt: skip


def _every_remedy_naming(exemption: str) -> set[str]:
    return {remedy.key for remedy in remedies(state="MS", as_of=JULY_1) if exemption in remedy.exemptions}


def test_a_stay_in_effect_holds_every_remedy_its_data_names_and_they_return_when_it_ends(officer: Any) -> None:
    case = _behind(officer)
    stay = _stay(officer, case)

    sweep(as_of=JULY_1)

    assert _proposed(case) & _every_remedy_naming("bankruptcy_stay") == set()
    end_bankruptcy_stay(actor=officer, stay=stay, case=case, ended_on=date(2026, 7, 20), ended_how="dismissed")
    sweep(as_of=date(2026, 7, 19))  # the day before it ended: still stayed
    assert _proposed(case) == set()
    sweep(as_of=date(2026, 7, 20))  # the day of the dismissal: no longer stayed
    assert "lien" in _proposed(case) and "license_suspension" in _proposed(case)


def test_recording_a_stay_withdraws_the_proposals_and_notices_and_releases_the_action_taken(officer: Any) -> None:
    case = _behind(officer)
    sweep(as_of=JULY_1)
    supervisor = factories.user(Role.SUPERVISOR, username="sup-stay")
    lien = EnforcementAction.objects.get(case=case, remedy="lien")
    levy = EnforcementAction.objects.get(case=case, remedy="financial_institution_levy")
    approve_action(actor=supervisor, action=lien, decided_on=date(2026, 7, 2), service_method="mail")
    take_action(actor=officer, action=lien, taken_on=date(2026, 8, 3), lien=HINDS_PARCEL)
    approve_action(actor=supervisor, action=levy, decided_on=date(2026, 8, 3), service_method="certified_mail")

    _stay(officer, case, filed=date(2026, 8, 5), on=date(2026, 8, 6))

    statuses = dict(EnforcementAction.objects.filter(case=case).values_list("remedy", "status"))
    assert statuses["lien"] == ActionStatus.RELEASED
    assert statuses["financial_institution_levy"] == ActionStatus.WITHDRAWN
    assert {statuses[key] for key in statuses if key not in ("lien", "financial_institution_levy")} == {
        ActionStatus.WITHDRAWN
    }
    step = ActionStep.objects.get(action=lien, step="released")
    assert (step.on, step.note) == (date(2026, 8, 6), "Stopped: a bankruptcy stay is in effect (11 U.S.C. 362).")
    assert AuditEvent.objects.filter(action="bankruptcy.recorded").count() == 1
    assert AuditEvent.objects.filter(action="enforcement.released", target_id=str(lien.pk)).exists()


def test_ssi_holds_only_the_levy(officer: Any) -> None:
    case = _behind(officer)
    record_ssi(actor=officer, case=case, receiving_from=date(2025, 3, 1), verified_how="ssa_exchange",
               recorded_on=date(2026, 6, 30))  # fmt: skip

    sweep(as_of=JULY_1)

    proposed = _proposed(case)
    assert _every_remedy_naming("ssi_recipient") == {"financial_institution_levy"}
    assert "financial_institution_levy" not in proposed
    assert "lien" in proposed


def test_the_sweep_releases_a_levy_taken_once_the_obligor_receives_ssi(officer: Any) -> None:
    case = _behind(officer)
    sweep(as_of=JULY_1)
    levy = EnforcementAction.objects.get(case=case, remedy="financial_institution_levy")
    approve_action(actor=factories.user(Role.SUPERVISOR, username="sup-ssi"), action=levy, decided_on=date(2026, 7, 2),
                   service_method="certified_mail")  # fmt: skip
    from opencse.enforcement.actions import record_service

    record_service(actor=officer, action=levy, served_on=date(2026, 7, 3))
    account = matched_account(officer, case)
    take_action(actor=officer, action=levy, taken_on=date(2026, 7, 24), accounts=[account.pk])
    # Told on 07/28 of an award that starts 08/01: nothing stops on 07/28 (the period does not cover it).
    record_ssi(actor=officer, case=case, receiving_from=date(2026, 8, 1), verified_how="ssa_letter",
               recorded_on=date(2026, 7, 28))  # fmt: skip
    levy.refresh_from_db()
    assert levy.status == ActionStatus.TAKEN

    sweep(as_of=date(2026, 8, 3))

    levy.refresh_from_db()
    assert (levy.status, levy.released_on) == (ActionStatus.RELEASED, date(2026, 8, 3))
    assert ActionStep.objects.get(action=levy, step="released").note == (
        "Stopped: the obligor receives SSI (45 CFR 307.11(c)(3)(i): no levy on the account)."
    )
    # The sweep's release goes to the institution in the same run, with why (`endings`).
    order = LevyOrder.objects.select_related("release_document").get(action=levy)
    assert order.released_on == date(2026, 8, 3) and order.release_document is not None
    assert "SSI" in pdf_text(order.release_document.pdf)


def test_a_stay_is_refused_with_every_error_at_once_and_twice_for_the_same_bankruptcy(officer: Any) -> None:
    case = _behind(officer)
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(InvalidInputs) as refused:
        record_bankruptcy_stay(actor=officer, case=case, petition_filed_on=tomorrow, chapter="9", court=" ",
                               court_case_number="", recorded_on=JULY_1)  # fmt: skip

    assert {error.field for error in refused.value.errors} >= {"petition_filed_on", "chapter", "court",
                                                                "court_case_number"}  # fmt: skip
    _stay(officer, case)
    with pytest.raises(InvalidInput) as again:
        _stay(officer, case)
    assert again.value.field == "court_case_number"


def test_a_stay_ends_once_and_not_before_its_petition(officer: Any) -> None:
    case = _behind(officer)
    stay = _stay(officer, case)

    with pytest.raises(InvalidInputs) as refused:
        end_bankruptcy_stay(actor=officer, stay=stay, case=case, ended_on=date(2026, 6, 1), ended_how="paid")
    assert {error.field for error in refused.value.errors} == {"ended_on", "ended_how"}
    end_bankruptcy_stay(actor=officer, stay=stay, case=case, ended_on=date(2026, 9, 1), ended_how="discharged")
    with pytest.raises(Conflict):
        end_bankruptcy_stay(actor=officer, stay=stay, case=case, ended_on=date(2026, 9, 2), ended_how="lifted")


def test_overlapping_periods_of_ssi_are_refused(officer: Any) -> None:
    case = _behind(officer)
    record_ssi(actor=officer, case=case, receiving_from=date(2025, 3, 1), receiving_to=date(2025, 12, 31),
               verified_how="ssa_letter", recorded_on=JULY_1)  # fmt: skip

    with pytest.raises(InvalidInput) as refused:
        record_ssi(actor=officer, case=case, receiving_from=date(2025, 12, 1), verified_how="ssa_letter",
                   recorded_on=JULY_1)  # fmt: skip

    assert refused.value.field == "receiving_from"
    record_ssi(actor=officer, case=case, receiving_from=date(2026, 1, 1), verified_how="other", note="SSA phone call",
               recorded_on=JULY_1)  # fmt: skip


def test_the_page_records_a_stay_and_shows_every_error_beside_its_field(officer: Any) -> None:
    case = _behind(officer)
    client = Client()
    client.force_login(officer)
    url = reverse("web:enforcement:bankruptcy_new", args=[case.number])
    tomorrow = timezone.localdate() + timedelta(days=1)

    refused = client.post(url, {"bankruptcy-petition_filed_on": tomorrow.isoformat(), "bankruptcy-chapter": "13",
                                "bankruptcy-court": "", "bankruptcy-court_case_number": ""})  # fmt: skip

    assert refused.status_code == 400
    errors = refused.context["bankruptcy_form"].errors
    assert set(errors) == {"petition_filed_on", "court", "court_case_number"}
    fields = {"petition_filed_on": "2026-06-25", "chapter": "13", "court": COURT, "court_case_number": "26-01234-JAW"}
    accepted = client.post(url, {f"bankruptcy-{name}": value for name, value in fields.items()})
    assert accepted.status_code == 302
    page = client.get(reverse("web:enforcement:facts", args=[case.number]))
    assert "a bankruptcy stay is in effect" in page.content.decode()
    assert "26-01234-JAW" in page.content.decode()


def test_a_technician_sees_the_page_but_records_nothing(technician: Any, officer: Any) -> None:
    case = _behind(officer)
    client = Client()
    client.force_login(technician)

    page = client.get(reverse("web:enforcement:facts", args=[case.number]))
    refused = client.post(reverse("web:enforcement:ssi_new", args=[case.number]), {})

    assert page.status_code == 200 and "Record SSI" not in page.content.decode()
    assert refused.status_code == 403


def _levy_and_direct_payment(officer: Any, case: Any, received_on: date) -> None:
    for source in ("financial_institution_levy", "direct_payment"):
        post_collection(actor=officer, case=case, amount=Decimal("412.50"), source=source, collected_on=received_on,
                        received_on=received_on)  # fmt: skip


def test_a_levy_from_an_ssi_recipient_opens_a_task_to_return_it_in_five_business_days(officer: Any) -> None:
    case, _ = case_with_order(officer, monthly="500.00")
    record_ssi(actor=officer, case=case, receiving_from=date(2025, 3, 1), verified_how="ssa_letter",
               recorded_on=date(2026, 11, 2))  # fmt: skip

    _levy_and_direct_payment(officer, case, received_on=date(2026, 11, 20))

    task = Task.objects.get(case=case, kind=TaskKind.RETURN_SSI_LEVY)
    # 45 CFR 307.11(c)(3)(ii), 5 business days; the day received is day 0 (docs/rules/timeframes.md). Received Friday
    # 11/20/2026: Mon 11/23 (1), Tue 11/24 (2), Wed 11/25 (3), Thu 11/26 is Thanksgiving (5 U.S.C. 6103(a); Miss.
    # Code Ann. 3-3-7), not counted, Fri 11/27 (4), the weekend, Mon 11/30 (5).
    assert (task.event_on, task.due_on) == (date(2026, 11, 20), date(2026, 11, 30))
    assert task.clock_reference == "45 CFR 307.11(c)(3)(ii)"
    assert task.detail.startswith("$412.50 levied from the account of an SSI recipient")
    assert Task.objects.filter(case=case, kind=TaskKind.DISBURSE).count() == 2  # the pay-out tasks still open


def test_a_levy_from_an_obligor_not_on_ssi_that_day_opens_no_return_task(officer: Any) -> None:
    case, _ = case_with_order(officer, monthly="500.00")
    record_ssi(actor=officer, case=case, receiving_from=date(2025, 3, 1), receiving_to=date(2026, 10, 31),
               verified_how="ssa_letter", recorded_on=date(2026, 11, 2))  # fmt: skip

    _levy_and_direct_payment(officer, case, received_on=date(2026, 11, 20))

    assert not Task.objects.filter(case=case, kind=TaskKind.RETURN_SSI_LEVY).exists()
