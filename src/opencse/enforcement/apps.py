from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "opencse.enforcement"
    label = "enforcement"
    verbose_name = "Enforcement: income withholding orders to employers"

    def ready(self) -> None:
        """Subscribe enforcement to the events of the apps below it (a case closed ends its enforcement)."""
        from opencse.enforcement import subscribers

        subscribers.subscribe_all()
