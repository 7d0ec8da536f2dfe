from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "opencse.intake"
    label = "intake"
    verbose_name = "Intake: referrals from public assistance, applications, matching, the intake interview"
