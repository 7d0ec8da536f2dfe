from django.db import migrations

from opencse.common.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_initial")]
    operations = [AppendOnly("ledger_ledgerentry"), AppendOnly("ledger_disbursement")]
