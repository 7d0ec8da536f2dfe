"""Paragraphs for the documents OpenCSE prints (notice of debt, payment history, guideline worksheet),
with every value escaped by construction.

ReportLab reads a `Paragraph`'s text as markup: `<a href=...>` becomes a clickable link, `<font>` and
`<b>` change the type, `&name;` is an entity, and a lone `<` or `&` makes the build fail. A person's
name, a docket number or an address line put into that text raw would do the same. So this module is
the only one that builds a `Paragraph` (tests/security/test_pdf_markup.py fails on any other): a
caller gives a template, a literal written in the code, which may hold markup, and values, which are
always escaped. No caller can pass data as markup, because nothing here takes markup from a value.
Plain strings in a `Table` cell are drawn as text, not read as markup, and need no escaping.
"""

from __future__ import annotations

from typing import LiteralString
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

__all__ = ["escaped", "paragraph", "text"]

# `escape` replaces &, < and >; quotes too, so a value is safe even inside an attribute of the template.
_QUOTES = {'"': "&quot;", "'": "&#39;"}


def escaped(value: object) -> str:
    """A value as Paragraph text that reads as exactly its characters."""
    return escape(str(value), _QUOTES)


def paragraph(template: LiteralString, style: ParagraphStyle, /, **values: object) -> Paragraph:
    """A paragraph from a trusted `template` (str.format fields, markup allowed) and escaped `values`.

    `paragraph("Case <b>{number}</b>", style, number=case.number)`: the template is code, the values data.
    """
    return Paragraph(template.format(**{name: escaped(value) for name, value in values.items()}), style)


def text(value: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (no markup at all): a value, or a sentence built from values."""
    return Paragraph(escaped(value), style)
