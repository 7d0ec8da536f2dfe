"""API tokens expire: tokens issued before this migration expire 90 days after they were issued."""

from datetime import timedelta
from typing import Any

from django.db import migrations, models
from django.db.models import F


def expire_existing_tokens(apps: Any, schema_editor: Any) -> None:
    ApiToken = apps.get_model("security", "ApiToken")
    ApiToken.objects.update(expires_at=F("created_at") + timedelta(days=90))


class Migration(migrations.Migration):
    dependencies = [("security", "0002_audit_append_only")]

    operations = [
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(expire_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
    ]
