from django.db import migrations


def load(apps, schema_editor):
    from partons.observatory.nomenclature import sync_nomenclature

    sync_nomenclature(apps.get_model("observatory", "ServiceCategory"), apps.get_model("observatory", "CategoryGroup"))


class Migration(migrations.Migration):
    dependencies = [("observatory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
