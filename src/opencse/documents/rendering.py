"""Filling a template with data and printing it to PDF (WeasyPrint), without storing anything.

The data is checked against the fields the manifest declares, all at once: a missing required field or a
value of the wrong type is an `InvalidInputs` naming each field; a field the manifest does not declare is
refused. Each value reaches the template in its letter form (`formatting`), an optional field without a
value as its "not on file" wording, a party as a `parties.Party` (a protected address already withheld).
After rendering, `_refuse_protected_addresses` checks the page text against every protected person of the
case: an address that came in through a free-text field stops the document too.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from html import unescape
from typing import Any

import weasyprint
from django.template import Context, Engine
from django.utils import timezone
from django.utils.html import strip_tags

from opencse.cases.models import Case
from opencse.documents import formatting
from opencse.documents.agency import Agency, agency
from opencse.documents.catalog import PACKAGE_ROOT, PAPERS, Field, Template, template_for
from opencse.documents.parties import Party, parties_of
from opencse.errors import Conflict, InvalidInput, InvalidInputs
from opencse.people.models import Address, Person

UNDECLARED = "\x00undeclared:%s\x00"  # what an unknown variable prints, so that a template's typo is caught
# An SSN written as one (123-45-6789, 123 45 6789). Nine digits alone are not refused: a case number has them.
UNMASKED_SSN = re.compile(r"(?<![\d-])\d{3}[- ]\d{2}[- ]\d{4}(?![\d-])")
TEXT_LENGTH_MAXIMUM = 10_000
ROWS_MAXIMUM = 20_000


@dataclass(frozen=True, slots=True)
class Rendered:
    template: Template
    title: str
    html: str
    pdf: bytes
    page_count: int
    data: dict[str, Any]  # JSON-ready: what the document was filled from
    people: tuple[Person, ...]  # the parties named in it

    @property
    def content_sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def render_document(
    *, kind: str, data: Mapping[str, Any], dated_on: date, case: Case | None = None,
    printed_at: datetime | None = None, state: str | None = None,
) -> Rendered:  # fmt: skip
    """The document of `kind` in force on `dated_on`, filled with `data`, as HTML and PDF."""
    template = template_for(kind=kind, on=dated_on, state=state)
    values, stored, people = prepare(template, data)
    the_agency = agency()
    title = template.title
    context = {
        **values,
        "agency": the_agency,
        "letterhead": _letterhead(the_agency),
        "document": {
            "title": title,
            "kind": template.kind,
            "dated_on": formatting.letter_date(dated_on),
            "printed_at": formatting.letter_time(printed_at or timezone.now()),
            "template_version": template.version,
            "paper": PAPERS[template.paper],
            "layout": template.layout,
        },
        "recipient": values[template.recipient] if template.recipient else None,
    }
    html = _engine(template).get_template(template.template_name).render(Context(context))
    if "\x00undeclared:" in html:
        names = sorted(set(re.findall(r"\x00undeclared:([^\x00]*)\x00", html)))
        raise ValueError(f"document template {template.stored_path} uses undeclared names {names}")
    _refuse_protected_addresses(html, case=case, people=people)
    printed = weasyprint.HTML(string=html, url_fetcher=weasyprint.URLFetcher(allowed_protocols={"data"}))
    layout = printed.render()
    pdf = layout.write_pdf()
    assert pdf is not None and pdf.startswith(b"%PDF")
    return Rendered(template=template, title=title, html=html, pdf=pdf, page_count=len(layout.pages), data=stored,
                    people=tuple(people))  # fmt: skip


def compile_template(template: Template) -> None:
    """Parse the template (and its layout) without printing it: a syntax error names the file."""
    _engine(template).get_template(template.template_name)


def _engine(template: Template) -> Engine:
    """A template engine that sees only document templates, escapes every value, and marks unknown names."""
    return Engine(
        dirs=[str(template.root), str(PACKAGE_ROOT)],
        autoescape=True,
        string_if_invalid=UNDECLARED,
        builtins=["opencse.documents.templatetags.documents"],
    )


def _letterhead(the_agency: Agency) -> str:
    """The letterhead image as a data: URL (WeasyPrint fetches nothing else: no file, no network)."""
    if the_agency.letterhead is None:
        return ""
    media_type = mimetypes.guess_type(the_agency.letterhead.name)[0] or "image/png"
    return f"data:{media_type};base64," + base64.b64encode(the_agency.letterhead.read_bytes()).decode("ascii")


def prepare(template: Template, data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[Person]]:
    """(values for the template, values to store as JSON, the people named) after checking every field."""
    errors: list[InvalidInput] = []
    declared = {field.name for field in template.fields}
    for name in sorted(set(data) - declared):
        errors.append(InvalidInput(f"is not a field of the {template.kind} template", field=str(name)[:60]))
    people = [data[f.name] for f in template.fields if f.type == "party" and isinstance(data.get(f.name), Person)]
    parties = parties_of(people) if people else {}
    values: dict[str, Any] = {}
    stored: dict[str, Any] = {}
    for field in template.fields:
        value = data.get(field.name)
        if value is None or value == "" or value == [] or value == ():
            if not field.optional:
                errors.append(InvalidInput(f"{field.label} is required", field=field.name))
            values[field.name] = _absent(field)
            stored[field.name] = None
            continue
        try:
            values[field.name], stored[field.name] = _value(field, value, parties)
        except InvalidInput as error:
            errors.append(error)
    if errors:
        raise InvalidInputs(errors)
    return values, stored, people


def _absent(field: Field) -> Any:
    if field.type == "party":
        return Party(person_id=0, name=field.missing, mailing_lines=(), address_withheld=False, ssn_masked="")
    return formatting.NotOnFile(field.missing)


def _value(field: Field, value: Any, parties: Mapping[int, Party]) -> tuple[Any, Any]:
    """(shown, stored) for one field's value, or InvalidInput naming the field."""
    if field.type == "party":
        if not isinstance(value, Person):
            raise InvalidInput("must be a person of the case (the engine prints their address)", field=field.name)
        party = parties[value.pk]
        return party, party.as_data()
    if field.type == "lines":
        if not isinstance(value, list | tuple) or len(value) > ROWS_MAXIMUM:
            raise InvalidInput("must be a list of lines", field=field.name)
        shown = [_scalar(Field(field.name, field.label, "text", False, "", ()), line)[0] for line in value]
        return shown, shown
    if field.type == "rows":
        if not isinstance(value, list | tuple) or len(value) > ROWS_MAXIMUM:
            raise InvalidInput("must be a list of rows", field=field.name)
        return _rows(field, value)
    return _scalar(field, value)


def _rows(field: Field, rows: list[Any] | tuple[Any, ...]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    shown: list[dict[str, Any]] = []
    stored: list[dict[str, Any]] = []
    columns = dict(field.columns)
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping) or set(row) - set(columns):
            raise InvalidInput(f"row {number} must have only the columns {sorted(columns)}", field=field.name)
        shown_row: dict[str, Any] = {}
        stored_row: dict[str, Any] = {}
        for column, column_type in columns.items():
            cell = row.get(column)
            if cell is None or cell == "":
                shown_row[column], stored_row[column] = "", None
                continue
            shown_row[column], stored_row[column] = _scalar(
                Field(f"{field.name}.{column}", column, column_type, True, "", ()), cell
            )
        shown.append(shown_row)
        stored.append(stored_row)
    return shown, stored


def _scalar(field: Field, value: Any) -> tuple[Any, Any]:
    kind = field.type
    if kind == "text":
        text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
        if text is None or len(text) > TEXT_LENGTH_MAXIMUM or "\x00" in text:
            raise InvalidInput(f"must be text of at most {TEXT_LENGTH_MAXIMUM:,} characters", field=field.name)
        if UNMASKED_SSN.search(text):
            raise InvalidInput("looks like a Social Security number: give it masked (***-**-1234)", field=field.name)
        return text, text
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise InvalidInput("must be a number", field=field.name)
        return f"{value:,}", str(value)
    if kind in ("money", "balance"):
        if not isinstance(value, Decimal):
            raise InvalidInput("must be an amount (Decimal)", field=field.name)
        shown = formatting.money(value) if kind == "money" else formatting.Balance(value)
        return shown, str(value)
    if kind == "datetime":
        if not isinstance(value, datetime) or timezone.is_naive(value):
            raise InvalidInput("must be a moment with its time zone", field=field.name)
        return formatting.letter_time(value), value.isoformat()
    if kind == "date":
        if not isinstance(value, date) or isinstance(value, datetime):
            raise InvalidInput("must be a date", field=field.name)
        return formatting.letter_date(value), value.isoformat()
    raise AssertionError(f"unknown field type {kind}")


def _refuse_protected_addresses(html: str, *, case: Case | None, people: list[Person]) -> None:
    """Stop a document whose text holds a street line of a protected person of the case (or named in it)."""
    ids = {person.pk for person in people}
    if case is not None:
        ids |= set(case.members.values_list("person_id", flat=True))
    lines = Address.objects.filter(person_id__in=ids, person__family_violence=True).values_list("line1", "line2")
    text = " ".join(unescape(strip_tags(html)).split()).casefold()
    for line in (" ".join(line.split()).casefold() for pair in lines for line in pair):
        if len(line) >= 6 and line in text:
            raise Conflict("The document would show a protected (family violence) address; it was not produced.")
