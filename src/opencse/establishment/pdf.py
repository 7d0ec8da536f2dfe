"""The guideline worksheet as a document an officer can read, sign and file with the proposed order.

It shows the parties by name, every line of the computation with its value and citation, the parameter
versions used, the deviation and its findings, and a signature line. It never shows an address, so a
family-violence-protected address cannot reach the document (people.models, 42 U.S.C. 654(26)).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from opencse.cases.models import MemberRole
from opencse.common import pdf_text
from opencse.establishment.models import GuidelineWorksheet
from opencse.establishment.selectors import party_names
from opencse.establishment.worksheet_text import court_lines, court_notes, court_sources, local_date, local_time
from opencse.rules.guidelines.registry import guideline_jurisdictions

STATE_NAMES = {code: each.name for code, each in guideline_jurisdictions().items()}
GRID = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
]


def dollars(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def _text(value: object, style: Any) -> Flowable:
    return pdf_text.text(value, style)  # escaped by construction: a name cannot be read as markup


def _parties(worksheet: GuidelineWorksheet, styles: StyleSheet1) -> Table:
    names = party_names(case=worksheet.case)
    rows = [
        ["Obligor (noncustodial parent)", ", ".join(names[MemberRole.NONCUSTODIAL_PARENT]) or "not recorded"],
        ["Obligee (custodial party)", ", ".join(names[MemberRole.CUSTODIAL_PARTY]) or "not recorded"],
        ["Children", ", ".join(names[MemberRole.DEPENDENT_CHILD]) or "not recorded"],
    ]
    body = styles["BodyText"]
    table = Table(
        [[_text(label, body), _text(value, body)] for label, value in rows], colWidths=[2.2 * inch, 5.0 * inch]
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
    return table


def _calculation(worksheet: GuidelineWorksheet, small: Any) -> Table:
    rows: list[list[Any]] = [["Step", "Value", "Authority"]]
    for line in court_lines(worksheet.result["explanation"]):  # in words; OpenCSE's working stays on screen
        rows.append([_text(line.step, small), _text(line.value, small), _text(line.reference, small)])
    table = Table(rows, repeatRows=1, colWidths=[3.6 * inch, 1.0 * inch, 2.6 * inch])
    table.setStyle(TableStyle([*GRID, ("FONTSIZE", (0, 0), (-1, 0), 8), ("ALIGN", (1, 1), (1, -1), "RIGHT")]))
    return table


def _parameters(worksheet: GuidelineWorksheet, small: Any) -> Table:
    rows: list[list[Any]] = [["In effect from", "Law and data used"]]
    for effective, reference in court_sources(worksheet.result["parameters"]):
        rows.append([_text(effective, small), _text(reference, small)])
    table = Table(rows, repeatRows=1, colWidths=[1.0 * inch, 6.2 * inch])
    table.setStyle(TableStyle([*GRID, ("FONTSIZE", (0, 0), (-1, 0), 8)]))
    return table


def _deviation(worksheet: GuidelineWorksheet, styles: StyleSheet1, small: Any) -> list[Flowable]:
    deviations = worksheet.result["result"]["deviations"]
    if not deviations:
        return [_text("No deviation: the guideline amount is the amount proposed.", styles["BodyText"])]
    rows: list[list[Any]] = [["Reason", "Amount", "Finding", "Authority"]]
    for item in deviations:
        rows.append([
            _text(f"({item['reason']}) {item['description']}", small), _text(dollars(Decimal(item["amount"])), small),
            _text(item["finding"], small), _text(item["reference"], small),
        ])  # fmt: skip
    table = Table(rows, repeatRows=1, colWidths=[2.3 * inch, 0.9 * inch, 2.6 * inch, 1.4 * inch])
    table.setStyle(TableStyle([*GRID, ("FONTSIZE", (0, 0), (-1, 0), 8)]))
    return [table]


def _summary(worksheet: GuidelineWorksheet, styles: StyleSheet1) -> list[Flowable]:
    body = styles["BodyText"]
    computed_by = worksheet.computed_by.get_full_name() or worksheet.computed_by.username
    return [
        _text(
            f"Case {worksheet.case.number}. Worksheet {worksheet.pk}, computed {local_time(worksheet.computed_at)} "
            f"by {computed_by} under the law in force on {local_date(worksheet.as_of.isoformat())}. "
            "Amounts are monthly.",
            body,
        ),
        _text(f"Guideline (presumptive) support: {dollars(worksheet.guideline_support)} a month.", styles["Heading3"]),
        _text(f"Support proposed after deviations: {dollars(worksheet.ordered_support)} a month.", styles["Heading3"]),
    ]


def worksheet_pdf(worksheet: GuidelineWorksheet) -> bytes:
    """The worksheet as a PDF: parties, calculation, deviation, notes, parameters, signature lines."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=9.5)
    title = f"Child Support Guideline Worksheet — {STATE_NAMES[worksheet.jurisdiction]}"
    document = SimpleDocTemplate(buffer, pagesize=LETTER, leftMargin=0.6 * inch, rightMargin=0.6 * inch,
                                 topMargin=0.6 * inch, bottomMargin=0.6 * inch, title=title)  # fmt: skip
    notes = [_text(note, small) for note in court_notes(worksheet.notes)] or [_text("None.", small)]
    story: list[Flowable] = [
        _text(title, styles["Title"]),
        _text(worksheet.title, styles["Italic"]),
        Spacer(1, 0.1 * inch),
        *_summary(worksheet, styles),
        _text("Parties", styles["Heading2"]),
        _parties(worksheet, styles),
        _text("Calculation", styles["Heading2"]),
        _calculation(worksheet, small),
        _text("Deviation from the guideline", styles["Heading2"]),
        *_deviation(worksheet, styles, small),
        _text("Notes and findings the tribunal must make", styles["Heading2"]),
        *notes,
        _text("Law and data used", styles["Heading2"]),
        _parameters(worksheet, small),
        Spacer(1, 0.4 * inch),
        _text("Prepared by ______________________________  Date ____________", styles["BodyText"]),
        Spacer(1, 0.3 * inch),
        _text("Approved (signature authority) ______________________________  Date ____________", styles["BodyText"]),
    ]
    document.build(story)
    return buffer.getvalue()
