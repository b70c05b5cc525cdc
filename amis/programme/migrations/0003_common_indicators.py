from django.db import migrations


def forwards(apps, schema_editor):
    from amis.programme.reference_data import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("programme", "0002_reference_data")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
