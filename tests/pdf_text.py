"""The text of a PDF we generated, read back with pypdf (pure Python: no poppler on the machine)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(body: bytes) -> str:
    """Every page's text, whitespace collapsed to single spaces (so a test reads phrases, not layout)."""
    assert body.startswith(b"%PDF"), body[:20]
    pages = PdfReader(io.BytesIO(body)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)
