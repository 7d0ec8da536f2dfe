from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "opencse.security"
    label = "security"
    verbose_name = "Security: users, roles, audit trail"
