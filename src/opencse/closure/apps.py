from django.apps import AppConfig


class ClosureConfig(AppConfig):
    name = "opencse.closure"
    label = "closure"
    verbose_name = "Case closure under 45 CFR 303.11: proposals, notices, responses and reopenings"
