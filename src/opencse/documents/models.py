"""A generated document, kept as it was given out.

Every PDF OpenCSE produces for a case is a `Document` row: the bytes, their SHA-256, the template and its
version, and the data the template was filled from (addresses of protected parties already withheld, SSNs
masked). Rows are never updated or deleted (a database trigger refuses it, `common.append_only`):
regenerating makes a new row whose `supersedes` points at the one it replaces, with the next `version`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.people.models import Person


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=60)  # the template's kind: notice_of_support_debt, payment_history, ...
    title = models.CharField(max_length=200)
    # What the document is about within its kind ("worksheet 12", "2026-01-01 to 2026-03-31"): regenerating a
    # document with the same case, kind and subject makes its next version.
    subject = models.CharField(max_length=120, blank=True)
    version = models.PositiveIntegerField()
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    template_path = models.CharField(max_length=300)  # "documents/us/notice_of_support_debt/v1.html"
    template_version = models.PositiveIntegerField()
    template_sha256 = models.CharField(max_length=64)  # of the manifest, the template and the layout used
    dated_on = models.DateField()  # the business date the document bears
    data = models.JSONField()  # what the template was filled from, as JSON (no address of a protected party)
    pdf = models.BinaryField()
    content_sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "kind", "subject", "-version"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "subject", "version"], name="document_version_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="document_version_positive"),
            models.CheckConstraint(
                condition=Q(version=1, supersedes__isnull=True) | Q(version__gt=1, supersedes__isnull=False),
                name="document_later_version_supersedes",
            ),
            models.CheckConstraint(condition=Q(page_count__gte=1), name="document_has_pages"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (case {self.case_id}, version {self.version})"

    @property
    def file_name(self) -> str:
        subject = "".join(ch if ch.isalnum() else "-" for ch in self.subject).strip("-")
        parts = [self.kind.replace("_", "-"), self.case.number, subject, f"v{self.version}"]
        return "-".join(part for part in parts if part) + ".pdf"


# The correspondence log's models live in their own module; imported here so Django registers them.
from opencse.documents.correspondence.models import Correspondence, Scan  # noqa: E402, F401
