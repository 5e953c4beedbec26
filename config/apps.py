from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ProjectConfig(AppConfig):
    """The project itself: registers the deployment's system checks."""

    name = "config"
    verbose_name = "Deployment"

    def ready(self) -> None:
        from config import checks  # noqa: F401  (registers the checks)


class SurveyAdminConfig(AdminConfig):
    """django.contrib.admin with the project's admin site as the default site."""

    default_site = "config.admin_site.SurveyAdminSite"
