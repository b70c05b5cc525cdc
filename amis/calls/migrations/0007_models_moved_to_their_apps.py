"""The models of later stages leave `calls` for their own apps (issue 9); step 3 of 3.

Removes the moved models from this app's state (their tables live on under the new apps, see 0006),
then relabels the rows that name a model by its "app.Model" label:

- `accounts.DutyRecord.object_type`: segregation of duties remembers who did what on which object; a
  record left under "calls.Application" would no longer be found, and an assessor could then decide
  on the application they assessed.
- `django_content_type.app_label`: so Django's admin log and model permissions follow the models.
- the task queue's `task_path` of e-mails queued but not sent yet: the tasks moved module too, and a
  worker would not find them under their old path.

Audit entries are not relabelled: they are hash-chained, and changing one would break the chain. An
object's history reads its former labels too (`audit_former_labels` on each moved model).
"""

from django.db import migrations

MOVED = {  # model name -> the app it moved to
    "application": "applications",
    "budgetline": "applications",
    "attachment": "applications",
    "eligibilitycheck": "selection",
    "assessment": "selection",
    "consolidation": "selection",
    "ranking": "selection",
    "committeemeeting": "selection",
    "committeedecision": "selection",
    "otherfundproject": "integrity",
    "doublefundingflag": "integrity",
    "project": "projects",
}
CLASS_NAMES = {
    "application": "Application",
    "budgetline": "BudgetLine",
    "attachment": "Attachment",
    "eligibilitycheck": "EligibilityCheck",
    "assessment": "Assessment",
    "consolidation": "Consolidation",
    "ranking": "Ranking",
    "committeemeeting": "CommitteeMeeting",
    "committeedecision": "CommitteeDecision",
    "otherfundproject": "OtherFundProject",
    "doublefundingflag": "DoubleFundingFlag",
    "project": "Project",
}
# the order Django's state can drop them in: whoever points at a model goes first
STATE_ORDER = [
    "doublefundingflag",
    "otherfundproject",
    "committeedecision",
    "committeemeeting",
    "ranking",
    "consolidation",
    "assessment",
    "eligibilitycheck",
    "project",
    "attachment",
    "budgetline",
    "application",
]


def _relabel(apps, schema_editor, forward: bool) -> None:
    DutyRecord = apps.get_model("accounts", "DutyRecord")
    for model, app in MOVED.items():
        old, new = f"calls.{CLASS_NAMES[model]}", f"{app}.{CLASS_NAMES[model]}"
        source, target = (old, new) if forward else (new, old)
        DutyRecord.objects.filter(object_type=source).update(object_type=target)
    try:
        ContentType = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return
    for model, app in MOVED.items():
        source, target = ("calls", app) if forward else (app, "calls")
        if ContentType.objects.filter(app_label=target, model=model).exists():
            continue  # already there (e.g. created by a later post_migrate): keep it, leave the other
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


TASKS = {
    "amis.calls.tasks.send_application_receipt": "amis.applications.tasks.send_application_receipt",
    "amis.calls.tasks.send_decision_notification": "amis.selection.tasks.send_decision_notification",
}


def _move_queued_tasks(apps, forward: bool) -> None:
    try:
        DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:
        return
    for old, new in TASKS.items():
        source, target = (old, new) if forward else (new, old)
        DBTaskResult.objects.filter(task_path=source).update(task_path=target)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, forward=True)
    _move_queued_tasks(apps, forward=True)


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, forward=False)
    _move_queued_tasks(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0006_move_tables_to_their_apps"),
        ("applications", "0001_initial"),
        ("selection", "0001_initial"),
        ("integrity", "0001_initial"),
        ("projects", "0001_initial"),
        ("accounts", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name=name) for name in STATE_ORDER],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
