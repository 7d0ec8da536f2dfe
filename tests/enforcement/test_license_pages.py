"""The licenses page of a case: a caseworker records the obligor's license (every error at once beside its field)
or its end; the page and the license suspension action's page show what was sent and the agency's answer."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opencse.enforcement.license_models import License
from opencse.enforcement.licenses import write_license_files
from opencse.enforcement.sweep import sweep
from opencse.security.services import system_actor
from tests.enforcement.test_license_suspension import FILE_ON, _arrears, _behind, _take

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_caseworker_records_a_license_and_sees_every_error_beside_its_field(officer: Any) -> None:
    _, case = _behind(officer)
    client = _client(officer)
    url = reverse("web:enforcement:license_new", args=[case.number])
    tomorrow = timezone.localdate() + timedelta(days=1)

    refused = client.post(url, {"license-kind": "recreational", "license-agency": "ms_nursing", "license-number": "",
                                "license-source": "dmv", "license-reported_on": tomorrow.isoformat()})  # fmt: skip
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"number", "reported_on"}
    refused = client.post(url, {"license-kind": "recreational", "license-agency": "ms_nursing",
                                "license-number": "R/1", "license-source": "dmv",
                                "license-reported_on": "2026-06-01"})  # fmt: skip
    assert refused.status_code == 400  # the service's errors, together
    assert set(refused.context["form"].errors) == {"agency", "number"}
    assert "Mississippi Board of Nursing issues professional or occupational license only" in refused.content.decode()

    accepted = client.post(url, {"license-kind": "drivers", "license-agency": "ms_dps", "license-number": "801234567",
                                 "license-source": "dmv", "license-reported_on": "2026-06-01"})  # fmt: skip
    assert accepted.status_code == 302
    page = client.get(reverse("web:enforcement:licenses", args=[case.number]))
    assert "801234567" in page.content.decode() and "Nothing sent" in page.content.decode()


def test_the_end_of_a_license_is_recorded_on_its_page(officer: Any) -> None:
    obligor, case = _behind(officer)
    client = _client(officer)
    client.post(reverse("web:enforcement:license_new", args=[case.number]),
                {"license-kind": "drivers", "license-agency": "ms_dps", "license-number": "801234567",
                 "license-source": "officer", "license-reported_on": "2026-06-01"})  # fmt: skip
    license = License.objects.get(holder=obligor)
    url = reverse("web:enforcement:license_end", args=[case.number, license.pk])

    refused = client.post(url, {"ended_on": "", "reason": ""})
    accepted = client.post(url, {"ended_on": "2026-08-01", "reason": "Surrendered"})

    assert refused.status_code == 400 and set(refused.context["form"].errors) == {"ended_on", "reason"}
    assert accepted.status_code == 302
    license.refresh_from_db()
    assert (license.ended_on, license.end_reason) == (date(2026, 8, 1), "Surrendered")


def test_the_action_page_shows_the_licenses_certified(officer: Any, tmp_path: Path) -> None:
    _, case = _behind(officer)
    _arrears()
    sweep(as_of=date(2026, 7, 1))
    client = _client(officer)
    client.post(reverse("web:enforcement:license_new", args=[case.number]),
                {"license-kind": "drivers", "license-agency": "ms_dps", "license-number": "801234567",
                 "license-source": "dmv", "license-reported_on": "2026-06-01"})  # fmt: skip
    action = _take(officer, case)
    write_license_files(actor=system_actor(), on=FILE_ON, out_dir=tmp_path)

    page = client.get(reverse("web:enforcement:action", args=[case.number, action.pk])).content.decode()

    assert "Licenses certified" in page and "801234567" in page and "No answer yet" in page


def test_a_technician_sees_the_licenses_but_records_none(technician: Any, officer: Any) -> None:
    _, case = _behind(officer)
    client = _client(technician)

    page = client.get(reverse("web:enforcement:licenses", args=[case.number]))
    refused = client.post(reverse("web:enforcement:license_new", args=[case.number]), {})

    assert page.status_code == 200 and "Record the license" not in page.content.decode()
    assert refused.status_code == 403
