from django.db import migrations

from opencse.common.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("paternity", "0001_initial")]

    operations = [AppendOnly("paternity_paternitystatus")]
