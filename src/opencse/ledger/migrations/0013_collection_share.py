"""The rows of where part of a collection goes are `CollectionShare`, not `Disbursement` (the money that
leaves is a `Payout`): the table, its related names and the payout line's link are renamed, the rows kept
(issue #17). The append-only triggers follow the table (PostgreSQL keeps them on a renamed table; SQLite
rewrites them)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("ledger", "0012_direct_deposit_request_collection_idempotency"),
    ]

    operations = [
        migrations.RenameModel("Disbursement", "CollectionShare"),
        migrations.RenameField("payoutline", "disbursement", "share"),
        migrations.AlterField(
            model_name="collectionshare",
            name="collection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="shares", to="ledger.collection"
            ),
        ),
        migrations.AlterField(
            model_name="collectionshare",
            name="case",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="shares", to="cases.case"),
        ),
    ]
