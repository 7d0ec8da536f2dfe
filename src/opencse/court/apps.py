from django.apps import AppConfig


class CourtConfig(AppConfig):
    name = "opencse.court"
    label = "court"
    verbose_name = "Court: attorney packets and the testimony pack"
