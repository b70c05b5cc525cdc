"""Projects moved here from `calls` (issue 9); step 2 of 3.

The tables already exist under this app's names (calls 0006 renamed them with their rows): this
migration only tells Django's state that the models now live here. It creates nothing.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('calls', '0006_move_tables_to_their_apps'),
        ('applications', '0001_initial'),
        ('organisations', '0002_bank_change_confirmation'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Project',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(max_length=60, unique=True)),
                        ('eu_contribution', models.DecimalField(decimal_places=2, max_digits=15)),
                        ('total_cost', models.DecimalField(decimal_places=2, max_digits=15)),
                        ('start_date', models.DateField()),
                        ('end_date', models.DateField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('application', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='project', to='applications.application')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='projects', to='organisations.organisation')),
                    ],
                ),
            ],
            database_operations=[],
        ),
    ]
