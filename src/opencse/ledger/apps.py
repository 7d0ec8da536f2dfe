from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "opencse.ledger"
    label = "ledger"
    verbose_name = "Ledger: accruals, arrears, collections, distribution, disbursement"
