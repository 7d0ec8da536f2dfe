"""The demo caseload: plausible families, deterministic by seed; the `opencse demo` command: a short
summary, distinct staff names, and never into a database other than the embedded SQLite file."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from opencse.cases.models import Case, CaseMember
from opencse.demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    STEP_CASES,
    STEP_PAYMENTS,
    _Generator,
    build_demo_caseload,
    uses_embedded_database,
)
from opencse.people.models import Person
from opencse.security.models import User
from opencse.security.roles import Role

ALLOW = "--i-know-this-is-not-production"


def test_the_same_seed_gives_the_same_people() -> None:
    first, second = _Generator(7), _Generator(7)

    assert [first.fake.name() for _ in range(5)] == [second.fake.name() for _ in range(5)]


@pytest.mark.django_db
def test_the_demo_builds_families_with_shared_noncustodial_parents_and_protected_addresses() -> None:
    steps: list[tuple[str, int, int]] = []

    counts = build_demo_caseload(cases=400, seed=3, progress=lambda *step: steps.append(step))

    assert counts["cases"] == Case.objects.count() == 400
    assert set(User.objects.values_list("username", flat=True)) >= {user[0] for user in DEMO_USERS}
    every_case_has_a_child = not Case.objects.exclude(members__role="dependent_child").exists()
    assert every_case_has_a_child
    shared = (
        CaseMember.objects.filter(role__in=["noncustodial_parent", "alleged_father"])
        .values("person")
        .annotate(cases=Count("case"))
        .filter(cases__gt=1)
    )
    assert shared.exists()
    assert Person.objects.filter(family_violence=True).exists()
    assert Case.objects.exclude(category="in_state").exists()
    assert (STEP_CASES, 400, 400) in steps
    assert steps[-1][0] == STEP_PAYMENTS and steps[-1][1] == steps[-1][2]


@pytest.mark.django_db
def test_every_demo_user_has_a_name_of_their_own_and_the_demo_password() -> None:
    build_demo_caseload(cases=20, seed=1)

    users = list(User.objects.exclude(role=Role.SYSTEM))  # the system actor runs the batches; nobody signs in as it
    names = [user.get_full_name() for user in users]
    assert len(set(names)) == len(names) == 13, [(user.username, user.role) for user in users]
    assert "Dana Whitfield" in names
    assert all(user.check_password(DEMO_PASSWORD) for user in users)


def _demo(*arguments: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_demo_refuses_a_database_other_than_the_embedded_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENCSE_ALLOW_DEMO_DATA", raising=False)

    with pytest.raises(CommandError, match=f"Refusing to write demo data.*{ALLOW}.*OPENCSE_ALLOW_DEMO_DATA=1"):
        _demo("--cases", "5")  # the test database is not var/opencse.sqlite3

    assert not Case.objects.exists() and not User.objects.exists()


@pytest.mark.django_db
def test_the_environment_variable_allows_another_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENCSE_ALLOW_DEMO_DATA", "1")

    _demo("--cases", "5")

    assert Case.objects.count() == 5


def test_only_the_embedded_sqlite_file_counts_as_the_demo_database(tmp_path: Path) -> None:
    sqlite = "django.db.backends.sqlite3"
    embedded = {"ENGINE": sqlite, "NAME": str(Path(settings.VAR_DIR) / "opencse.sqlite3")}

    assert uses_embedded_database(embedded)
    assert not uses_embedded_database({"ENGINE": sqlite, "NAME": str(tmp_path / "opencse.sqlite3")})
    assert not uses_embedded_database({"ENGINE": "django.db.backends.postgresql", "NAME": "opencse"})


@pytest.mark.django_db
def test_the_demo_prints_a_short_summary_and_one_login_per_role(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)

    out, err = _demo("--cases", "60", "--seed", "2", ALLOW)

    lines = out.splitlines()
    assert len(lines) <= 12, out
    assert lines[0].startswith("Generated the demo caseload in ")
    assert "60 cases" in lines[0] and "orders" in lines[0] and "collections" in lines[0] and "payouts" in lines[0]
    assert f"password for all: {DEMO_PASSWORD}" in out
    assert "seo2         Dana Whitfield (Support Enforcement Officer 2)" in out
    assert err == ""
    assert [record.getMessage() for record in caplog.records if record.name.startswith("opencse")] == []


@pytest.mark.django_db
def test_running_the_demo_again_keeps_the_caseload_and_says_so() -> None:
    _demo("--cases", "5", ALLOW)

    out, _ = _demo("--cases", "50", ALLOW)

    assert out.startswith("The demo caseload is already present: kept as it is, nothing generated (5 cases")
    assert Case.objects.count() == 5
    assert "Dana Whitfield" in out


@pytest.mark.django_db
def test_the_demo_shows_enforcement_at_work_delinquent_cases_and_jobs_without_withholding_flagged() -> None:
    from datetime import date

    from opencse.demo import ANCHOR_ON, build_demo_enforcement
    from opencse.enforcement.models import ActionStatus, EnforcementAction
    from opencse.enforcement.services import issue_income_withholding
    from opencse.people.models import Employment
    from opencse.work.models import Task, TaskKind

    build_demo_caseload(cases=300, seed=5)

    # The sweep ran as of the anchor date: delinquent cases have proposed remedies and the 303.6(c)(2) task.
    proposed = EnforcementAction.objects.filter(status=ActionStatus.PROPOSED, found_on=ANCHOR_ON)
    case_id = proposed.values_list("case_id", flat=True).first()
    assert case_id is not None
    assert Task.objects.filter(case_id=case_id, kind=TaskKind.ENFORCEMENT, completed_on__isnull=True).exists()
    # Every verified job of an obligor with an order (and no withholding sent) has its withholding task, under
    # the key the IWO completes (work.subscribers.income_withholding_sent); a job verified for years is overdue.
    tasks = Task.objects.filter(kind=TaskKind.INCOME_WITHHOLDING, completed_on__isnull=True)
    old = tasks.filter(event_on__lt=date(2024, 1, 1)).order_by("pk").first()
    assert old is not None and old.due_on < ANCHOR_ON
    employment = Employment.objects.get(pk=int(old.source_key.removeprefix("employment:")))
    assert employment.verified and employment.person.obligations.filter(case_id=old.case_id).exists()
    before = Task.objects.count()

    again = build_demo_enforcement()  # set-based and idempotent: nothing is proposed or opened twice

    assert again["enforcement actions"] == 0 and Task.objects.count() == before
    seo1 = User.objects.get(username="seo1")
    issue_income_withholding(actor=seo1, case=old.case, employment=employment, dated_on=ANCHOR_ON)
    old.refresh_from_db()
    assert old.completed_on == ANCHOR_ON
