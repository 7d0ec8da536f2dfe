from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "opencse.enforcement"
    label = "enforcement"
    verbose_name = "Enforcement: income withholding and the remedies for delinquency"

    def ready(self) -> None:
        """Subscribe enforcement to the events of the apps below it (a case closed ends its enforcement), and
        register what each remedy's outside party is told when an action is released (`endings`)."""
        from opencse.enforcement import endings, fidm, liens, subscribers

        subscribers.subscribe_all()
        endings.register(fidm.LEVY, fidm.levies_released)
        endings.register(liens.LIEN, liens.liens_released)
