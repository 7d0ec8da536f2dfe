"""Data never reaches a printed document as markup: a name, docket number or address line is printed as
its characters, never as a link, a font change or a build error (issue #16, finding 7).

The guarantee is structural: documents are Django templates rendered by the document engine with
autoescaping on (opencse.documents.rendering), so every value is escaped. The last tests keep it so by
failing on a template or engine module that could turn escaping off.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from opencse.documents.catalog import PACKAGE_ROOT
from opencse.documents.rendering import render_document
from opencse.establishment.pdf import worksheet_pdf
from opencse.establishment.services import compute_worksheet
from opencse.ledger.history import history_pdf, payment_history
from opencse.ledger.notice import notice_pdf, support_debt
from opencse.orders.services import TermInput, enter_order
from opencse.people.services import add_address, update_person
from opencse.security.models import AuditEvent
from tests import factories
from tests.establishment.helpers import MS_EXAMPLE_1
from tests.pdf_text import pdf_text

AMPERSAND_NAME = "Smith & <Jones"
LINK_NAME = '<a href="http://evil.example">x</a>'
LINK_DOCKET = '<a href="http://evil.example">D-7</a>'
SOURCE = Path(__file__).resolve().parents[2] / "src" / "opencse"
# What turns Django's escaping off: in a template, or in the engine's code.
UNESCAPING = re.compile(r"\|\s*safe\b|\|\s*safeseq\b|autoescape\s+off|mark_safe|SafeString|format_html")


def _hostile_case(officer: object) -> object:
    """A case whose obligor is "Smith & <Jones", whose obligee's first name is a link, whose order's docket
    number is a link, and whose obligor's address line carries markup and an ampersand."""
    case, custodial, _, obligor = factories.family(officer)
    update_person(actor=officer, person=obligor.person, last_name=AMPERSAND_NAME)
    update_person(actor=officer, person=custodial.person, first_name=LINK_NAME)
    add_address(actor=officer, person=obligor.person, line1="12 <b>Main</b> & Oak", city="Jackson", state="MS",
                postal_code="39201")  # fmt: skip
    enter_order(
        actor=officer, case=case, tribunal_kind="court", tribunal_name="Hinds <i>County</i> & Chancery",
        issuing_jurisdiction="MS", docket_number=LINK_DOCKET, signed_on=date(2026, 1, 1),
        effective_on=date(2026, 1, 1),
        terms=[TermInput(kind="current_support", frequency="monthly", starts_on=date(2026, 1, 1),
                         obligor=obligor.person, steps=[(date(2026, 1, 1), Decimal("300.00"))])],
    )  # fmt: skip
    return case


def _assert_printed_as_text(body: bytes, *expected: str) -> None:
    assert body.startswith(b"%PDF")
    assert b"/URI" not in body, "a value became a link"
    assert b"/Annots" not in body, "a value became an annotation"
    text = pdf_text(body)
    for value in expected:
        assert value in text, (value, text)


@pytest.mark.django_db
def test_the_notice_of_debt_prints_names_dockets_and_address_lines_as_text(officer: object) -> None:
    case = _hostile_case(officer)

    body = notice_pdf(support_debt(case=case, as_of=date(2026, 3, 31)), issued_by="<b>Officer</b> & Co",
                      issued_on=date(2026, 4, 1))  # fmt: skip

    _assert_printed_as_text(body, AMPERSAND_NAME, LINK_DOCKET, "12 <b>Main</b> & Oak", "Hinds <i>County</i> &",
                            "<b>Officer</b> & Co")  # fmt: skip


@pytest.mark.django_db
def test_the_certified_payment_history_prints_names_and_dockets_as_text(officer: object) -> None:
    case = _hostile_case(officer)

    body = history_pdf(payment_history(case=case, start=date(2026, 1, 1), end=date(2026, 3, 31)),
                       certified_by="<a href='http://evil.example'>me</a>")  # fmt: skip

    _assert_printed_as_text(body, AMPERSAND_NAME, LINK_NAME, LINK_DOCKET, "<a href='http://evil.example'>me</a>")


@pytest.mark.django_db
def test_the_guideline_worksheet_prints_names_as_text(officer: object) -> None:
    case = _hostile_case(officer)
    worksheet = compute_worksheet(actor=officer, case=case, payload=MS_EXAMPLE_1)

    _assert_printed_as_text(worksheet_pdf(worksheet), AMPERSAND_NAME, LINK_NAME)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["notice-of-debt?as_of=2026-03-31", "payment-history?start=2026-01-01&end=2026-03-31&format=pdf"]
)
def test_the_documents_download_for_such_a_case_instead_of_failing(officer: object, client_for: object,
                                                                    path: str) -> None:  # fmt: skip
    case = _hostile_case(officer)

    response = client_for(officer).get(f"/api/v1/cases/{case.number}/{path}")

    assert response.status_code == 200
    _assert_printed_as_text(response.content, AMPERSAND_NAME)


@pytest.mark.django_db
def test_a_worksheet_that_cannot_be_printed_writes_no_audit_row(
    officer: object, client_for: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _hostile_case(officer)
    worksheet = compute_worksheet(actor=officer, case=case, payload=MS_EXAMPLE_1)

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("the document could not be built")

    monkeypatch.setattr("opencse.documents.services.render_document", broken)

    with pytest.raises(RuntimeError):
        client_for(officer).get(f"/api/v1/worksheets/{worksheet.pk}/pdf")

    assert not AuditEvent.objects.filter(action="worksheet.exported").exists()


@pytest.mark.django_db
def test_a_template_keeps_its_markup_and_escapes_its_values(officer: object) -> None:
    case, *_ = factories.family(officer)
    data = {"case_number": "<i>1</i> & 2", "period_start": date(2026, 1, 1), "period_end": date(2026, 1, 31),
            "opening_balance": Decimal("0.00"), "certified_by": "Officer"}  # fmt: skip

    rendered = render_document(kind="payment_history", data=data, dated_on=date(2026, 2, 1), case=case)

    assert "Case &lt;i&gt;1&lt;/i&gt; &amp; 2</h1>" in rendered.html  # the template's <h1> kept, the value escaped
    assert "<i>1</i>" not in rendered.html


def test_no_document_template_or_engine_module_turns_escaping_off() -> None:
    files = [*PACKAGE_ROOT.rglob("*.html"), *(SOURCE / "documents").glob("*.py")]
    offenders = {str(path.relative_to(SOURCE)): found for path in files
                 if (found := UNESCAPING.findall(path.read_text(encoding="utf-8")))}  # fmt: skip

    assert len(files) >= 8, "the templates and the engine were found"
    assert UNESCAPING.findall("{{ name|safe }} {% autoescape off %}") == ["|safe", "autoescape off"], (
        "the check can see"
    )
    assert offenders == {}, "document values are printed as text: never mark them safe"
