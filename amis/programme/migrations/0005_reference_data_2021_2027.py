from django.db import migrations


def forwards(apps, schema_editor):
    from amis.programme.reference_data import load

    load(apps)  # idempotent: the 2021-2027 catalogues (types of intervention, indicators with kinds)


class Migration(migrations.Migration):
    dependencies = [("programme", "0004_intervention_types_indicator_kind")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
