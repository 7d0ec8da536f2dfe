from django.db import migrations

from opencse.common.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [AppendOnly("cases_casenote")]
