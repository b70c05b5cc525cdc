from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "amis.projects"
    label = "projects"

    def ready(self) -> None:
        from amis.projects import services
        from amis.selection.signals import application_selected

        # the project is made in the transaction that applies the committee's approval
        application_selected.connect(services.project_for_selected_application, dispatch_uid="projects")
