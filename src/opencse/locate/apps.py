from django.apps import AppConfig


class LocateConfig(AppConfig):
    name = "opencse.locate"
    label = "locate"
    verbose_name = "Locate: sources, requests and responses, imported locate files, review and verification"
