from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "opencse.enforcement"
    label = "enforcement"
    verbose_name = "Enforcement: income withholding orders to employers"
