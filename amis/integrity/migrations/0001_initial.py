"""Other funds' projects and double-funding flags moved here from `calls` (issue 9); step 2 of 3.

The tables already exist under this app's names (calls 0006 renamed them with their rows): this
migration only tells Django's state that the models now live here. It creates nothing.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('calls', '0006_move_tables_to_their_apps'),
        ('applications', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OtherFundProject',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('fund', models.CharField(max_length=10)),
                        ('beneficiary_name', models.CharField(max_length=300)),
                        ('enterprise_number', models.CharField(blank=True, db_index=True, max_length=10)),
                        ('identifier', models.CharField(max_length=100)),
                        ('title', models.CharField(max_length=500)),
                        ('description', models.TextField(blank=True)),
                        ('start', models.DateField()),
                        ('end', models.DateField()),
                        ('total_cost', models.DecimalField(blank=True, decimal_places=2, max_digits=15, null=True)),
                        ('eu_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=15, null=True)),
                        ('imported_at', models.DateTimeField(auto_now_add=True)),
                        ('imported_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                ),
                migrations.CreateModel(
                    name='DoubleFundingFlag',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('overlap_days', models.PositiveIntegerField()),
                        ('similarity', models.DecimalField(decimal_places=2, max_digits=3)),
                        ('reason', models.TextField()),
                        ('cleared_at', models.DateTimeField(blank=True, null=True)),
                        ('clearance', models.TextField(blank=True)),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='double_funding_flags', to='applications.application')),
                        ('cleared_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('other', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='integrity.otherfundproject')),
                    ],
                ),
                migrations.AddConstraint(
                    model_name='otherfundproject',
                    constraint=models.UniqueConstraint(fields=('fund', 'identifier'), name='unique_other_fund_project'),
                ),
                migrations.AddConstraint(
                    model_name='doublefundingflag',
                    constraint=models.UniqueConstraint(fields=('application', 'other'), name='one_flag_per_pair'),
                ),
            ],
            database_operations=[],
        ),
    ]
