from django.apps import AppConfig


class EstablishmentConfig(AppConfig):
    name = "opencse.establishment"
    label = "establishment"
    verbose_name = "Establishment: guideline worksheets and proposed orders"
