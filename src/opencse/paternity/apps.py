from django.apps import AppConfig


class PaternityConfig(AppConfig):
    name = "opencse.paternity"
    label = "paternity"
    verbose_name = "Paternity: alleged fathers, acknowledgments, genetic tests and determinations"
