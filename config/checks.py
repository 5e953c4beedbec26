"""System checks of the deployment, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def check_cache_is_shared(app_configs, **kwargs) -> list[Warning]:
    """Return a warning when production runs on a cache each process keeps to itself."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            f"The cache ({backend}) is not shared between processes: each gunicorn worker "
            "keeps its own count of personal-link look-ups, so the rate limit multiplies.",
            hint="Set CACHE_URL to a shared cache, e.g. redis://redis:6379/1.",
            id="kip.W001",
        )
    ]
