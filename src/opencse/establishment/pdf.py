"""The guideline worksheet as a document an officer can read, sign and file with the proposed order,
printed and stored by the document engine (opencse.documents) from the `guideline_worksheet` template.

It shows the parties by name, every line of the computation with its value and citation, the parameter
versions used, the deviation and its findings, and a signature line. It never shows an address, so a
family-violence-protected address cannot reach the document (people.models, 42 U.S.C. 654(26)).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from opencse.cases.models import MemberRole
from opencse.documents.models import Document
from opencse.documents.rendering import render_document
from opencse.documents.services import generate_document
from opencse.establishment.models import GuidelineWorksheet
from opencse.establishment.selectors import party_names
from opencse.establishment.worksheet_text import court_lines, court_notes, court_source_dates
from opencse.rules.guidelines.registry import guideline_jurisdictions
from opencse.security.models import User

KIND = "guideline_worksheet"
STATE_NAMES = {code: each.name for code, each in guideline_jurisdictions().items()}


def worksheet_data(worksheet: GuidelineWorksheet) -> dict[str, Any]:
    """The fields of the `guideline_worksheet` template: the computation in words for the court."""
    names = party_names(case=worksheet.case)
    deviations = worksheet.result["result"]["deviations"]
    return {
        "jurisdiction_name": STATE_NAMES[worksheet.jurisdiction],
        "worksheet_title": worksheet.title,
        "case_number": worksheet.case.number,
        "worksheet_number": str(worksheet.pk),
        "computed_at": worksheet.computed_at,
        "computed_by": worksheet.computed_by.get_full_name() or worksheet.computed_by.username,
        "as_of": worksheet.as_of,
        "guideline_support": worksheet.guideline_support,
        "ordered_support": worksheet.ordered_support,
        "obligor_names": ", ".join(names[MemberRole.NONCUSTODIAL_PARENT]),
        "obligee_names": ", ".join(names[MemberRole.CUSTODIAL_PARTY]),
        "children_names": ", ".join(names[MemberRole.DEPENDENT_CHILD]),
        "calculation": [  # in words; OpenCSE's working stays on screen
            {"step": line.step, "value": line.value, "reference": line.reference}
            for line in court_lines(worksheet.result["explanation"])
        ],
        "deviations": [
            {
                "reason": f"({item['reason']}) {item['description']}",
                "amount": Decimal(item["amount"]),
                "finding": item["finding"],
                "reference": item["reference"],
            }
            for item in deviations
        ],
        "notes": court_notes(worksheet.notes),
        "sources": [
            {"effective": effective, "reference": reference}
            for effective, reference in court_source_dates(worksheet.result["parameters"])
        ],
    }


def worksheet_pdf(worksheet: GuidelineWorksheet) -> bytes:
    """The worksheet as a PDF, not stored (a preview); `print_worksheet` stores what is given out."""
    computed_on = timezone.localdate(worksheet.computed_at)
    return render_document(kind=KIND, data=worksheet_data(worksheet), dated_on=computed_on, case=worksheet.case).pdf


def print_worksheet(*, actor: User, worksheet: GuidelineWorksheet, printed_on: date) -> Document:
    """Print the worksheet and store the PDF (the next version of this worksheet's document), on the case
    timeline."""
    return generate_document(
        actor=actor, case=worksheet.case, kind=KIND, data=worksheet_data(worksheet), dated_on=printed_on,
        subject=f"worksheet {worksheet.pk}", title=f"Child Support Guideline Worksheet {worksheet.pk}",
    )  # fmt: skip
