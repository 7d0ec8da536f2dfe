"""Values as a letter writes them, for any value: no "$-", no ISO date, the agency's time zone."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from opencse.documents.catalog import PACKAGE_ROOT
from opencse.documents.checks import document_templates
from opencse.documents.formatting import Balance, NotOnFile, letter_date, letter_time, money

AMOUNTS = st.decimals(min_value=Decimal("-99999999999.99"), max_value=Decimal("99999999999.99"), places=2)
MONEY = re.compile(r"^-?\$\d{1,3}(,\d{3})*\.\d{2}$")
LETTER_DATE = re.compile(r"^(January|February|March|April|May|June|July|August|September|October|November|December) "
                         r"[1-9]\d?, \d{4}$")  # fmt: skip


@given(AMOUNTS)
def test_an_amount_is_written_with_its_sign_before_the_dollar(amount: Decimal) -> None:
    written = money(amount)

    assert MONEY.match(written), written
    assert "$-" not in written
    assert Decimal(written.replace("$", "").replace(",", "")) == amount


@given(AMOUNTS)
def test_a_balance_is_owed_or_a_credit_and_never_negative(amount: Decimal) -> None:
    balance = Balance(amount)

    assert "-" not in str(balance)
    assert str(balance).endswith(" credit") == (amount < 0) == balance.is_credit
    assert balance.is_owed == (amount > 0)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_a_date_is_written_as_a_letter_writes_it(day: date) -> None:
    assert LETTER_DATE.match(letter_date(day))
    assert datetime.strptime(letter_date(day), "%B %d, %Y").date() == day


def test_a_moment_is_written_in_the_agencys_time_zone_whatever_zone_is_active() -> None:
    # America/Chicago: CST (UTC-6) in winter, CDT (UTC-5) in summer (15 U.S.C. 260a).
    assert letter_time(datetime(2027, 1, 1, 3, 0, tzinfo=UTC)) == "December 31, 2026 at 9:00 PM CST"
    assert letter_time(datetime(2026, 7, 4, 16, 5, tzinfo=UTC)) == "July 4, 2026 at 11:05 AM CDT"
    with override_settings(TIME_ZONE="America/Los_Angeles"):
        assert letter_time(datetime(2027, 1, 1, 3, 0, tzinfo=UTC)) == "December 31, 2026 at 7:00 PM PST"


def test_an_absent_optional_value_prints_its_wording_and_is_false() -> None:
    absent = NotOnFile("not on file")

    assert str(absent) == "not on file" and not absent and list(absent) == []


def test_the_system_check_reports_a_broken_template(tmp_path: Path) -> None:
    folder = tmp_path / "us" / "broken_letter"
    folder.mkdir(parents=True)
    (folder / "v1.yaml").write_text("kind: broken_letter\nversion: 1\neffective: 2026-01-01\n", encoding="utf-8")

    assert document_templates() == []
    with override_settings(OPENCSE_DOCUMENT_TEMPLATES_DIR=str(tmp_path)):
        (problem,) = document_templates()

    assert problem.id == "documents.E001" and "has no template v1.html beside it" in problem.msg


def test_the_system_check_reports_a_template_that_does_not_parse(tmp_path: Path) -> None:
    folder = tmp_path / "us" / "notice_of_support_debt"
    shutil.copytree(PACKAGE_ROOT / "us" / "notice_of_support_debt", folder)
    html = folder / "v1.html"
    html.write_text(html.read_text(encoding="utf-8").replace("{% endif %}", "", 1), encoding="utf-8")

    with override_settings(OPENCSE_DOCUMENT_TEMPLATES_DIR=str(tmp_path)):
        (problem,) = document_templates()

    assert problem.id == "documents.E002" and "local/us/notice_of_support_debt/v1.html" in problem.msg
