from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "opencse.cli"
    label = "opencse_cli"
    verbose_name = "Command line"
