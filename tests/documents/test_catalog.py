"""Templates are files staff edit: the State's set comes first, then the shared one; the version in force on
the document's date is used; a malformed manifest or a template using an undeclared name fails, naming it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings

from opencse.documents.catalog import PACKAGE_ROOT, every_template, template_for
from opencse.documents.rendering import render_document
from opencse.errors import InvalidInput
from tests import factories
from tests.documents.helpers import DATED, full_data
from tests.pdf_text import pdf_text

KIND = "notice_of_support_debt"


def _local_version(root: Path, *, jurisdiction: str, version: int, effective: str, heading: str) -> None:
    """A copy of the shipped notice in the agency's own directory, with its own heading and effective date."""
    folder = root / jurisdiction / KIND
    folder.mkdir(parents=True, exist_ok=True)
    shipped = PACKAGE_ROOT / "us" / KIND
    manifest = (shipped / "v1.yaml").read_text(encoding="utf-8")
    manifest = manifest.replace("version: 1", f"version: {version}").replace("effective: 2000-01-01",
                                                                              f"effective: {effective}")  # fmt: skip
    (folder / f"v{version}.yaml").write_text(manifest, encoding="utf-8")
    html = (shipped / "v1.html").read_text(encoding="utf-8").replace("<h1>Notice of Support Debt", f"<h1>{heading}")
    (folder / f"v{version}.html").write_text(html, encoding="utf-8")


def test_the_states_template_comes_first_then_the_shared_one(tmp_path: Path) -> None:
    _local_version(tmp_path, jurisdiction="ms", version=1, effective="2026-01-01", heading="Mississippi Notice")
    _local_version(tmp_path, jurisdiction="ms", version=2, effective="2027-01-01", heading="Mississippi Notice 2027")

    with override_settings(OPENCSE_DOCUMENT_TEMPLATES_DIR=str(tmp_path), OPENCSE_STATE="MS"):
        before_2026 = template_for(kind=KIND, on=date(2025, 12, 31))
        in_2026 = template_for(kind=KIND, on=date(2026, 12, 31))
        in_2027 = template_for(kind=KIND, on=date(2027, 1, 1))
    with override_settings(OPENCSE_DOCUMENT_TEMPLATES_DIR=str(tmp_path), OPENCSE_STATE="WA"):
        washington = template_for(kind=KIND, on=date(2027, 1, 1))

    assert (before_2026.jurisdiction, before_2026.stored_path) == ("us", "documents/us/notice_of_support_debt/v1.html")
    assert (in_2026.jurisdiction, in_2026.version, in_2026.stored_path) == (
        "ms",
        1,
        "local/ms/notice_of_support_debt/v1.html",
    )
    assert (in_2027.version, in_2027.effective) == (2, date(2027, 1, 1))
    assert washington.jurisdiction == "us"


@pytest.mark.django_db
def test_a_local_template_prints_and_the_document_names_it(officer: object, tmp_path: Path) -> None:
    _local_version(tmp_path, jurisdiction="ms", version=1, effective="2026-01-01", heading="Mississippi Notice")
    case, _, _, obligor = factories.family(officer)

    with override_settings(OPENCSE_DOCUMENT_TEMPLATES_DIR=str(tmp_path), OPENCSE_STATE="MS"):
        data, _ = full_data(template_for(kind=KIND, on=DATED), obligor.person)
        rendered = render_document(kind=KIND, data=data, dated_on=DATED, case=case)

    assert "Mississippi Notice — Case" in pdf_text(rendered.pdf)
    assert rendered.template.stored_path == "local/ms/notice_of_support_debt/v1.html"


def test_no_template_before_the_first_effective_date_or_of_an_unknown_kind() -> None:
    with pytest.raises(InvalidInput):
        template_for(kind=KIND, on=date(1999, 12, 31))
    with pytest.raises(InvalidInput):
        template_for(kind="no_such_letter", on=DATED)
    with pytest.raises(InvalidInput):
        template_for(kind="../../etc", on=DATED)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("kind: notice_of_support_debt", "kind: payment_history"), "lies in the folder"),
        (("version: 1", "version: 3"), "but is v1"),
        (("paper: letter", "paper: a4"), "paper must be one of"),
        (("account: text", "on: text"), "YAML reads on, yes, no"),
        (("type: balance}", "type: percent}"), "type must be one of"),
        (("recipient: obligor", "recipient: case_number"), "recipient must name one of its party fields"),
    ],
)
def test_a_malformed_manifest_fails_naming_the_file_and_the_problem(
    tmp_path: Path, change: tuple[str, str], problem: str
) -> None:
    folder = tmp_path / "us" / KIND
    shutil.copytree(PACKAGE_ROOT / "us" / KIND, folder)
    manifest = folder / "v1.yaml"
    assert change[0] in manifest.read_text(encoding="utf-8")
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(change[0], change[1], 1), encoding="utf-8")

    with override_settings(OPENCSE_DOCUMENT_TEMPLATES_DIR=str(tmp_path)), pytest.raises(ValueError) as failed:
        every_template()

    assert "us/notice_of_support_debt/v1.yaml" in str(failed.value) and problem in str(failed.value)


@pytest.mark.django_db
def test_a_template_using_a_name_it_does_not_declare_fails(officer: object, tmp_path: Path) -> None:
    folder = tmp_path / "us" / KIND
    shutil.copytree(PACKAGE_ROOT / "us" / KIND, folder)
    html = folder / "v1.html"
    html.write_text(
        html.read_text(encoding="utf-8").replace("{{ issued_by }}", "{{ issued_by_name }}"), encoding="utf-8"
    )
    case, _, _, obligor = factories.family(officer)

    with override_settings(OPENCSE_DOCUMENT_TEMPLATES_DIR=str(tmp_path)), pytest.raises(ValueError) as failed:
        data, _ = full_data(template_for(kind=KIND, on=DATED), obligor.person)
        render_document(kind=KIND, data=data, dated_on=DATED, case=case)

    assert "issued_by_name" in str(failed.value)
