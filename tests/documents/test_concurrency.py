"""Two officers printing the same document at the same moment store versions 1 and 2 (PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from opencse.documents.catalog import template_for
from opencse.documents.models import Document
from opencse.documents.services import generate_document
from opencse.security.models import User
from opencse.security.roles import Role
from tests import factories
from tests.documents.helpers import DATED, full_data


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_generations_store_two_versions_one_superseding_the_other() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) are tested on PostgreSQL")
    officer = factories.user(Role.OFFICER_1, username="docs-one")
    other = factories.user(Role.OFFICER_2, username="docs-two")
    case, _, _, obligor = factories.family(officer)
    data, _ = full_data(template_for(kind="notice_of_support_debt", on=DATED), obligor.person)

    def generate(actor: User) -> int:
        try:
            document = generate_document(actor=actor, case=case, kind="notice_of_support_debt", data=data,
                                         dated_on=DATED, subject="same")  # fmt: skip
            return document.version
        finally:
            connections.close_all()  # each worker thread has its own connection

    with ThreadPoolExecutor(max_workers=2) as pool:
        versions = sorted(pool.map(generate, [officer, other]))

    assert versions == [1, 2]
    first, second = Document.objects.filter(case=case).order_by("version")
    assert second.supersedes_id == first.pk and first.supersedes_id is None
