"""Run a benchmark body against a throwaway test database of the configured kind."""

import os
import secrets
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def use_production_settings(var_dir: Path, cache_url: str | None = None) -> None:
    """Set the environment of a production deployment behind a TLS proxy, on loopback, and
    collect the static files its templates name. Call before Django is set up."""
    if cache_url:
        os.environ["CACHE_URL"] = cache_url
    os.environ.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "0",  # the proxy in front terminates TLS
            "TRUST_X_FORWARDED_FOR": "1",
            "VAR_DIR": str(var_dir),
            "LOG_LEVEL": "WARNING",
        }
    )
    manage = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
    subprocess.run(
        manage,
        cwd=ROOT,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )


@contextmanager
def scratch_database():
    """Yield with Django set up on a fresh test database that is dropped afterwards.

    Unlike a test run, templates are not instrumented: pages cost what they cost.
    """
    import django
    from django.db import connection

    django.setup()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield connection.vendor
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
