from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "amis.projects"
    label = "projects"

    def ready(self) -> None:
        from amis.projects import services

        # the project is made in the transaction that applies the committee's approval
        from amis.projects.views import register_parts
        from amis.selection.signals import application_selected

        register_parts()
        # the double-funding check compares the period of the agreement in force, not the application's
        from amis.integrity.recheck import register_period_source

        register_period_source(services.agreement_periods)
        application_selected.connect(services.project_for_selected_application, dispatch_uid="projects")
