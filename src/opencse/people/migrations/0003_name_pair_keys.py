"""The pair keys of the people already on file (`people.names`: `p:` and `q:`, a given name with a surname), so
that a two-word search reads one index entry per match. Later names are kept by the services."""

from django.db import migrations

from opencse.people.names import pair_keys

CHUNK = 5000


def index_existing_pairs(apps, schema_editor):  # type: ignore[no-untyped-def]
    Person = apps.get_model("people", "Person")
    Alias = apps.get_model("people", "Alias")
    NameKey = apps.get_model("people", "NameKey")
    last = 0
    while True:
        people = list(
            Person.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "first_name", "middle_name", "last_name")[
                :CHUNK
            ]
        )
        if not people:
            return
        aliases: dict[int, list[tuple[str, str]]] = {}
        for person_id, alias_first, alias_last in Alias.objects.filter(
            person_id__in=[row[0] for row in people]
        ).values_list("person_id", "first_name", "last_name"):
            aliases.setdefault(person_id, []).append((alias_first, alias_last))
        rows = []
        for pk, first, middle, surname in people:
            pairs = [(first, surname), (middle, surname)]
            pairs += [(alias_first or first, alias_last) for alias_first, alias_last in aliases.get(pk, [])]
            rows += [NameKey(person_id=pk, key=key) for key in sorted(pair_keys(pairs))]
        NameKey.objects.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)
        last = people[-1][0]


def remove_pairs(apps, schema_editor):  # type: ignore[no-untyped-def]
    NameKey = apps.get_model("people", "NameKey")
    NameKey.objects.filter(key__startswith="p:").delete()
    NameKey.objects.filter(key__startswith="q:").delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0002_name_keys")]

    operations = [migrations.RunPython(index_existing_pairs, remove_pairs)]
