from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "opencse.cases"
    label = "cases"
    verbose_name = "Cases: the official case record"
