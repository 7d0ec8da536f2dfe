from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "opencse.documents"
    label = "documents"
    verbose_name = "Documents: templates, generated PDFs, mail batches"

    def ready(self) -> None:
        from opencse.documents import checks  # noqa: F401  (registers the template check)
