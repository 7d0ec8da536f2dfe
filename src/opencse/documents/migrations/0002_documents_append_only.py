from django.db import migrations

from opencse.common.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [AppendOnly("documents_document")]
