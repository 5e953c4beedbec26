"""Typed readers of the environment that fail loudly, naming the variable."""

import os
from collections.abc import Callable
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

_env = environ.Env()


def _read(name: str, default: Any, parse: Callable[[str], Any]) -> Any:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return parse(raw)
    except (ValueError, KeyError, TypeError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"{name} is malformed ({raw!r}): {exc}") from exc


def _bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected one of 1/0, true/false, yes/no, on/off")


def env_bool(name: str, default: bool) -> bool:
    """Return the variable as a bool (1/0, true/false, yes/no, on/off)."""
    return _read(name, default, _bool)


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return the variable as an int, refusing one below `minimum` when given."""

    def parse(raw: str) -> int:
        value = int(raw)
        if minimum is not None and value < minimum:
            raise ValueError(f"expected a whole number of at least {minimum}")
        return value

    return _read(name, default, parse)


def env_int_or_off(name: str, default: int | None, *, minimum: int = 0) -> int | None:
    """Return the variable as an int (at least `minimum`), or None when it says "off"."""

    def parse(raw: str) -> int | None:
        if raw.strip().lower() == "off":
            return None
        value = int(raw)
        if value < minimum:
            raise ValueError(f'expected "off" or a whole number of at least {minimum}')
        return value

    return _read(name, default, parse)


def env_choice(name: str, default: str, choices: list[str]) -> str:
    """Return the variable, upper-cased, when it is one of `choices`."""

    def parse(raw: str) -> str:
        value = raw.strip().upper()
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}")
        return value

    return _read(name, default, parse)


def env_str(name: str, default: str) -> str:
    """Return the variable as a string."""
    return _read(name, default, str)


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated variable as a list of non-empty strings."""
    return _read(name, default, lambda raw: [p.strip() for p in raw.split(",") if p.strip()])


def _db_url(raw: str) -> dict:
    if "://" not in raw:
        raise ValueError("expected a URL such as postgres://user@host:5432/name")
    scheme = raw.split("://", 1)[0]
    if scheme not in environ.Env.DB_SCHEMES:
        raise ValueError(f"unknown database scheme {scheme!r}")
    config = _env.db_url_config(raw)
    # django-environ turns a missing SQLite path into an in-memory database that every
    # connection sees empty; only an explicit sqlite:///:memory: asks for that.
    explicit_memory = raw.rstrip("/").endswith(":memory:")
    if not config["NAME"] or (config["NAME"] == ":memory:" and not explicit_memory):
        raise ValueError("the URL names no database, e.g. sqlite:///path/db.sqlite3 or .../name")
    return config


def env_database(name: str, default: str) -> dict:
    """Return a Django DATABASES entry parsed from a database URL."""
    return _read(name, _db_url(default), _db_url)


def _email_url(raw: str) -> dict:
    if "://" not in raw:
        raise ValueError("expected a URL such as smtp://user:pass@host:587 or consolemail://")
    config = _env.email_url_config(raw)
    if not config.get("EMAIL_BACKEND"):
        raise ValueError("unknown email scheme")
    return config


def env_email(name: str, default: str) -> dict:
    """Return Django email settings parsed from an email URL."""
    return _read(name, _email_url(default), _email_url)


def _broker_url(raw: str) -> str:
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in {"redis", "rediss", "sqla+sqlite", "sqla+postgresql", "memory", "filesystem"}:
        raise ValueError("expected redis://host:6379/0 or sqla+sqlite:///path")
    return raw


def env_broker(name: str, default: str) -> str:
    """Return a Celery broker URL of a supported transport."""
    return _read(name, default, _broker_url)


def _cache_url(raw: str) -> dict:
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in environ.Env.CACHE_SCHEMES:
        raise ValueError("expected e.g. redis://host:6379/1 or locmemcache://")
    return _env.cache_url_config(raw)


def env_cache(name: str, default: str) -> dict:
    """Return a Django CACHES entry parsed from a cache URL."""
    return _read(name, _cache_url(default), _cache_url)
