from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project itself: registers the deployment's system checks."""

    name = "config"
    verbose_name = "Deployment"

    def ready(self) -> None:
        from config import checks  # noqa: F401  (registers the checks)
