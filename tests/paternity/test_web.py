"""The paternity pages: the case's children with status and history, and the forms (every error at once, beside
its field; a refusal in the officer's words)."""

from __future__ import annotations

from datetime import date

import pytest

from opencse.paternity.models import Acknowledgment
from opencse.paternity.services import order_genetic_test, record_acknowledgment
from opencse.security.roles import Role
from opencse.work.models import Task
from tests.paternity.conftest import PaternityCase
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_page_shows_each_child_with_status_and_history(family: PaternityCase) -> None:
    client = signed_in(Role.OFFICER_1)

    page = client.get(f"/cases/{family.case.number}/paternity/").content.decode()

    assert page.count('data-testid="child-paternity"') == 2
    assert "Alleged father named" in page and "Curtis Boone" in page
    assert "03/04/2026" in page  # the history's business date, MM/DD/YYYY


def test_the_case_page_links_to_paternity(family: PaternityCase) -> None:
    page = signed_in(Role.OFFICER_1).get(f"/cases/{family.case.number}/").content.decode()

    assert f"/cases/{family.case.number}/paternity/" in page


def test_an_empty_acknowledgment_form_shows_every_error_beside_its_field(family: PaternityCase) -> None:
    response = signed_in(Role.OFFICER_1).post(
        f"/cases/{family.case.number}/paternity/acknowledgment/", {"signed_on": ""}
    )

    page = response.content.decode()
    assert response.status_code == 400
    for field in ("child", "father", "signed_on", "filed_on"):
        assert f'id="id_{field}-error"' in page


def test_the_service_refusals_come_back_beside_their_fields_all_at_once(family: PaternityCase) -> None:
    data = {"child": family.child.pk, "father": family.father.pk, "signed_on": "2026-03-10", "filed_on": "2026-03-02",
            "proceeding_on": "2026-03-01"}  # fmt: skip

    response = signed_in(Role.OFFICER_1).post(f"/cases/{family.case.number}/paternity/acknowledgment/", data)

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_filed_on-error"' in page and 'id="id_proceeding_on-error"' in page
    assert not Acknowledgment.objects.exists()


def test_an_acknowledgment_is_recorded_with_its_rescission_date(family: PaternityCase) -> None:
    data = {"child": family.child.pk, "father": family.father.pk, "signed_on": "2026-03-02", "filed_on": "2026-03-02"}
    client = signed_in(Role.OFFICER_1)

    response = client.post(f"/cases/{family.case.number}/paternity/acknowledgment/", data, follow=True)

    page = response.content.decode()
    # 42 U.S.C. 666(a)(5)(D)(ii): 60 days from Mar 2, 2026 is May 1, 2026.
    assert "rescind it until 05/01/2026" in page
    assert "Acknowledged" in page


def test_a_late_rescission_is_refused_in_the_officers_words(family: PaternityCase) -> None:
    acknowledgment = record_acknowledgment(actor=family.officer, case=family.case, child=family.child,
                                           father=family.father, signed_on=date(2026, 3, 2),
                                           filed_on=date(2026, 3, 2))  # fmt: skip
    url = f"/cases/{family.case.number}/paternity/acknowledgments/{acknowledgment.pk}/rescind/"

    response = signed_in(Role.OFFICER_1).post(url, {"rescinded_on": "2026-05-04", "signatory": "father"})

    assert response.status_code == 409
    assert "The rescission period ended on 05/01/2026" in response.content.decode()


def test_a_result_at_the_threshold_from_the_form_opens_the_referral_task(family: PaternityCase) -> None:
    test = order_genetic_test(actor=family.officer, case=family.case, child=family.child, father=family.father,
                              ordered_on=date(2026, 3, 16))  # fmt: skip
    data = {"lab": "LabCorp DNA Identity", "received_on": "2026-04-20", "probability": "98.00",
            "combined_index": "49", "prior_probability": "0.50"}  # fmt: skip

    response = signed_in(Role.OFFICER_1).post(f"/cases/{family.case.number}/paternity/tests/{test.pk}/result/", data)

    # Miss. Code Ann. 93-9-27(2): 98% or greater is the presumption.
    assert response.status_code == 302
    assert Task.objects.filter(case=family.case, kind="refer_paternity").exists()


def test_a_technician_may_not_open_the_determination_form(family: PaternityCase) -> None:
    response = signed_in(Role.TECHNICIAN).get(f"/cases/{family.case.number}/paternity/determination/")

    assert response.status_code == 403


def test_an_auditor_sees_the_page_without_the_forms(family: PaternityCase) -> None:
    page = signed_in(Role.AUDITOR).get(f"/cases/{family.case.number}/paternity/").content.decode()

    assert "Curtis Boone" in page
    assert "Record an acknowledgment" not in page


def test_naming_a_second_alleged_father_from_the_form(family: PaternityCase) -> None:
    from opencse.cases.services import add_member
    from tests import factories

    other = factories.person(family.officer, first_name="Ray", last_name="Dunn", sex="M")
    add_member(actor=family.officer, case=family.case, person=other, role="alleged_father", joined_on=date(2026, 3, 9))
    client = signed_in(Role.OFFICER_1)
    url = f"/cases/{family.case.number}/paternity/alleged-father/"

    form_page = client.get(url).content.decode()
    response = client.post(url, {"father": other.pk, "children": [family.child.pk], "named_on": "2026-03-10"})

    assert 'type="checkbox"' in form_page and "Mateo Moreno" in form_page
    assert response.status_code == 302
    page = client.get(f"/cases/{family.case.number}/paternity/").content.decode()
    assert "Ray Dunn (named 03/10/2026)" in page
