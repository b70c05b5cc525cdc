"""Applications, their budget lines and attachments moved here from `calls` (issue 9); step 2 of 3.

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
        ('organisations', '0002_bank_change_confirmation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Application',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(max_length=60, unique=True)),
                        ('status', models.CharField(choices=[('draft', 'draft'), ('submitted', 'submitted'), ('withdrawn', 'withdrawn'), ('ineligible', 'not eligible'), ('eligible', 'eligible'), ('assessed', 'assessed'), ('proposed', 'proposed for funding'), ('reserve', 'reserve list'), ('selected', 'selected'), ('rejected', 'rejected')], default='draft', max_length=12)),
                        ('title', models.CharField(max_length=300)),
                        ('summary', models.TextField(blank=True)),
                        ('description', models.TextField(blank=True)),
                        ('actions', models.JSONField(default=list)),
                        ('target_groups', models.JSONField(default=list)),
                        ('expected_participants', models.PositiveIntegerField(blank=True, null=True)),
                        ('vulnerable_participants', models.PositiveIntegerField(blank=True, null=True)),
                        ('unaccompanied_minors', models.PositiveIntegerField(blank=True, null=True)),
                        ('start_date', models.DateField(blank=True, null=True)),
                        ('end_date', models.DateField(blank=True, null=True)),
                        ('indirect_rate', models.DecimalField(decimal_places=4, default='0.0000', max_digits=5)),
                        ('activities', models.JSONField(default=list, help_text='[{name, start, end, description}]')),
                        ('partners', models.JSONField(default=list, help_text='[{name, enterprise_number, role}]')),
                        ('planned_indicators', models.JSONField(default=dict, help_text='indicator code -> planned value')),
                        ('funding', models.JSONField(default=dict, help_text='source -> amount as a decimal string')),
                        ('funders', models.JSONField(default=dict, help_text='source -> name of the co-funder')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True)),
                        ('snapshot', models.JSONField(blank=True, help_text='exactly what was submitted', null=True)),
                        ('lock_version', models.PositiveIntegerField(default=1)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('call', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='calls.call')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='organisations.organisation')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['call', 'reference'],
                    },
                ),
                migrations.CreateModel(
                    name='Attachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=255)),
                        ('content_type', models.CharField(max_length=100)),
                        ('size', models.PositiveIntegerField()),
                        ('sha256', models.CharField(max_length=64)),
                        ('file', models.FileField(upload_to='attachments/%Y/%m/')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='applications.application')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['application', 'uploaded_at'],
                    },
                ),
                migrations.CreateModel(
                    name='BudgetLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField()),
                        ('category', models.CharField(max_length=20)),
                        ('year', models.PositiveSmallIntegerField()),
                        ('description', models.CharField(blank=True, max_length=300)),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=15)),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='budget_lines', to='applications.application')),
                    ],
                    options={
                        'ordering': ['application', 'position'],
                    },
                ),
                migrations.AddIndex(
                    model_name='application',
                    index=models.Index(fields=['call', 'status'], name='application_call_status'),
                ),
                migrations.AddIndex(
                    model_name='application',
                    index=models.Index(fields=['-created_at'], name='application_newest'),
                ),
                migrations.AddConstraint(
                    model_name='budgetline',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='budget_line_not_negative'),
                ),
            ],
            database_operations=[],
        ),
    ]
