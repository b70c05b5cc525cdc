"""The models of later stages leave `calls` for their own apps (issue 9); step 1 of 3.

Their tables are renamed to the new apps' names, rows, keys, indexes and constraints kept as they are
(PostgreSQL and SQLite both rename in place). Step 2 (each new app's 0001) creates the models in the
new apps' state only; step 3 (0007 here) removes them from this app's state and relabels the rows
that name a model by its label (segregation-of-duties records, content types).
"""

from django.db import migrations

MOVED = {
    "application": "applications_application",
    "budgetline": "applications_budgetline",
    "attachment": "applications_attachment",
    "eligibilitycheck": "selection_eligibilitycheck",
    "assessment": "selection_assessment",
    "consolidation": "selection_consolidation",
    "ranking": "selection_ranking",
    "committeemeeting": "selection_committeemeeting",
    "committeedecision": "selection_committeedecision",
    "otherfundproject": "integrity_otherfundproject",
    "doublefundingflag": "integrity_doublefundingflag",
    "project": "projects_project",
}


class Migration(migrations.Migration):
    dependencies = [("calls", "0005_list_indexes")]

    operations = [migrations.AlterModelTable(name=name, table=table) for name, table in MOVED.items()]
