from django.db import migrations


def load(apps, schema_editor):
    from binome.networks import library

    library.sync(apps.get_model("networks", "Resource"), apps.get_model("networks", "MatrixDimension"))


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
