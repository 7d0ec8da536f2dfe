"""The day a disbursement run's files were written: its own day for every run already finished."""

from typing import Any

from django.db import migrations, models
from django.db.models import F


def sent_on_run_day(apps: Any, schema_editor: Any) -> None:
    runs = apps.get_model("ledger", "DisbursementRun")
    runs.objects.filter(finished_at__isnull=False).update(sent_on=F("run_on"))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0010_payout_agency_interstate_file")]

    operations = [
        migrations.AddField(
            model_name="disbursementrun",
            name="sent_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(sent_on_run_day, migrations.RunPython.noop),
    ]
