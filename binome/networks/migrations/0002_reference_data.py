from django.db import migrations


def load(apps, schema_editor):
    from binome.networks import library

    # The dimensions moved under their axes in 0005, which creates them.
    library.sync_resources(apps.get_model("networks", "Resource"))


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
