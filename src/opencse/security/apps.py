from django.apps import AppConfig
from django.core.checks import Tags, register


class SecurityConfig(AppConfig):
    name = "opencse.security"
    label = "security"
    verbose_name = "Security: users, roles, audit trail"

    def ready(self) -> None:
        from opencse.security.keys import check_production_keys

        register(check_production_keys, Tags.security, deploy=True)
