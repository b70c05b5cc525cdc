from django.db import migrations, models


def forwards(apps, schema_editor):
    from amis.programme.reference_data import load

    load(apps)  # idempotent: the AMIF 2021-2027 Annex VI codes and Annex VIII indicators


def backwards(apps, schema_editor):
    # Codes of one specific objective repeat across objectives (Annex VI Table 1): the constraint of
    # 0007 (one code per dimension) cannot hold them; forwards loads them again from the files.
    apps.get_model("programme", "InterventionCode").objects.exclude(specific_objective="").delete()


class Migration(migrations.Migration):
    dependencies = [("programme", "0007_version_ready_for_review")]
    operations = [
        migrations.RemoveConstraint(model_name="interventioncode", name="unique_intervention_code"),
        migrations.AlterModelOptions(
            name="interventioncode", options={"ordering": ["dimension", "specific_objective", "code"]}
        ),
        migrations.AddConstraint(
            model_name="interventioncode",
            constraint=models.UniqueConstraint(
                fields=("dimension", "specific_objective", "code"), name="unique_intervention_code_per_so"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
