from django.db import migrations

from opencse.common.append_only import AppendOnly


class Migration(migrations.Migration):
    """A saved worksheet is the record of what the guideline gave: never updated or deleted."""

    dependencies = [("establishment", "0001_initial")]
    operations = [AppendOnly("establishment_guidelineworksheet")]
