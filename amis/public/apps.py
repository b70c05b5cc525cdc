from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "amis.public"
    label = "public"

    def ready(self) -> None:
        from amis.core import pages
        from amis.public import parts, stamps

        # the project page (projects) says whether the operation is published, and where it takes place
        pages.register("project", "main", 90, "public/_project_publication.html", parts.project_publication)
        # published_changed_at of each operation follows every save of what its row reads
        stamps.connect()
