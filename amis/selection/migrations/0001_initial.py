"""Eligibility checks, assessments, consolidations, rankings, committee meetings and decisions moved here from `calls` (issue 9); step 2 of 3.

The tables already exist under this app's names (calls 0006 renamed them with their rows): this
migration only tells Django's state that the models now live here. It creates nothing.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('applications', '0001_initial'),
        ('calls', '0006_move_tables_to_their_apps'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CommitteeMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField()),
                        ('agenda', models.TextField()),
                        ('minutes', models.TextField(blank=True)),
                        ('status', models.CharField(choices=[('planned', 'planned'), ('held', 'held')], default='planned', max_length=10)),
                        ('lock_version', models.PositiveIntegerField(default=1)),
                        ('call', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='calls.call')),
                    ],
                ),
                migrations.CreateModel(
                    name='Consolidation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scores', models.JSONField(default=dict)),
                        ('note', models.TextField()),
                        ('total', models.DecimalField(decimal_places=2, max_digits=6)),
                        ('at', models.DateTimeField(auto_now_add=True)),
                        ('application', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='consolidation', to='applications.application')),
                        ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                ),
                migrations.CreateModel(
                    name='EligibilityCheck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('answers', models.JSONField(default=dict, help_text='criterion code -> {met: bool, reason: str}')),
                        ('eligible', models.BooleanField()),
                        ('at', models.DateTimeField(auto_now_add=True)),
                        ('application', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='eligibility', to='applications.application')),
                        ('officer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                ),
                migrations.CreateModel(
                    name='Ranking',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rows', models.JSONField(default=list, help_text='[{reference, score, eu_requested, passed, outcome}]')),
                        ('budget_used', models.DecimalField(decimal_places=2, max_digits=15)),
                        ('at', models.DateTimeField(auto_now_add=True)),
                        ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('call', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='ranking', to='calls.call')),
                    ],
                ),
                migrations.CreateModel(
                    name='Assessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('no_conflict_declared_at', models.DateTimeField()),
                        ('scores', models.JSONField(default=dict, help_text='criterion code -> score as a decimal string')),
                        ('justifications', models.JSONField(default=dict)),
                        ('total', models.DecimalField(decimal_places=2, max_digits=6)),
                        ('at', models.DateTimeField(auto_now_add=True)),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='applications.application')),
                        ('assessor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'constraints': [models.UniqueConstraint(fields=('application', 'assessor'), name='one_assessment_per_assessor')],
                    },
                ),
                migrations.CreateModel(
                    name='CommitteeDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decision', models.CharField(choices=[('approve', 'approve'), ('reject', 'reject'), ('postpone', 'postpone')], max_length=10)),
                        ('note', models.TextField(blank=True)),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committee_decisions', to='applications.application')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='selection.committeemeeting')),
                    ],
                    options={
                        'constraints': [models.UniqueConstraint(fields=('meeting', 'application'), name='one_decision_per_meeting')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
