from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "opencse.work"
    label = "work"
    verbose_name = "Work: the officer's tasks and the federal clocks behind them"

    def ready(self) -> None:
        """Subscribe the worklist to the events of the apps below it (`opencse.common.events`)."""
        from opencse.work import subscribers

        subscribers.subscribe_all()
