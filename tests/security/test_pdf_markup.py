"""Data never reaches a printed document as markup: a name, docket number or address line is printed as
its characters, never as a link, a font change or a build error (issue #16, finding 7).

The guarantee is structural: only opencse.common.pdf_text builds a ReportLab Paragraph, and it escapes
every value. The last test keeps it so by failing on any other module that could build one.
"""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.lib.styles import getSampleStyleSheet

from opencse.common.pdf_text import paragraph
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
# ReportLab flowables that read their text as markup; only the escaping module may build them.
MARKUP_FLOWABLES = {"Paragraph", "XPreformatted", "ParagraphAndImage", "Para"}


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

    def broken(*args: object) -> bytes:
        raise RuntimeError("the document could not be built")

    monkeypatch.setattr("opencse.api.establishment.worksheet_pdf", broken)

    with pytest.raises(RuntimeError):
        client_for(officer).get(f"/api/v1/worksheets/{worksheet.pk}/pdf")

    assert not AuditEvent.objects.filter(action="worksheet.exported").exists()


def test_a_template_keeps_its_markup_and_escapes_its_values() -> None:
    built = paragraph("<b>Case</b> {number}", getSampleStyleSheet()["Normal"], number="<i>1</i> & 2")

    assert built.text == "<b>Case</b> &lt;i&gt;1&lt;/i&gt; &amp; 2"


def _markup_flowable_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
            found += [f"imports {alias.name}" for alias in node.names if alias.name in MARKUP_FLOWABLES | {"*"}]
        elif isinstance(node, ast.Import):
            found += [f"imports {alias.name}" for alias in node.names if alias.name.startswith("reportlab.platypus")]
        elif isinstance(node, ast.Attribute) and node.attr in MARKUP_FLOWABLES:
            found.append(f"uses .{node.attr}")
    return found


def test_only_the_escaping_module_builds_reportlab_paragraphs() -> None:
    modules = sorted(SOURCE.rglob("*.py"))
    offenders = {
        str(path.relative_to(SOURCE)): uses
        for path in modules
        if path.name != "pdf_text.py" and (uses := _markup_flowable_uses(path))
    }

    assert len(modules) > 50, "the source tree was found"
    assert _markup_flowable_uses(SOURCE / "common" / "pdf_text.py") == ["imports Paragraph"], "the check can see"
    assert offenders == {}, "build paragraphs with opencse.common.pdf_text, which escapes every value"
