# The employer's FEIN on a collection, for employer compliance (enforcement.compliance).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0013_collection_share'),
    ]

    operations = [
        migrations.AddField(
            model_name='collection',
            name='payor_fein',
            field=models.CharField(blank=True, default='', max_length=9),
        ),
        # Payments imported before: the import wrote the FEIN into the payer's name, "Employer (FEIN 123456789)".
        # One set-based UPDATE (substr, length and LIKE mean the same on PostgreSQL and SQLite).
        migrations.RunSQL(
            "UPDATE ledger_collection SET payor_fein = substr(payor_name, length(payor_name) - 9, 9)"
            " WHERE payor_name LIKE '%(FEIN _________)'",
            migrations.RunSQL.noop,
        ),
    ]
