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
        application_selected.connect(services.project_for_selected_application, dispatch_uid="projects")
