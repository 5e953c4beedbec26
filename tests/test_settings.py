"""Settings read the environment and stop start-up with a message naming a bad variable;
the deployment's health check and system checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_settings(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY", "EMAIL_URL"}
    }
    code = "import config.settings as s; print(s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_run_on_sqlite_and_the_console_mail_backend(tmp_path):
    result = _load_settings(VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout and "console" in result.stdout


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "nosuchdb://x/y"),
        ("DEBUG", "perhaps"),
        ("EMAIL_URL", "carrier-pigeon"),
        ("CELERY_BROKER_URL", "ftp://broker"),
        ("CONN_MAX_AGE", "forever"),
        ("CONN_MAX_AGE", "-5"),
        ("LOG_LEVEL", "LOUD"),
        ("TOKEN_LOOKUP_WINDOW_SECONDS", "0"),
        ("DB_PREPARE_THRESHOLD", "sometimes"),
        ("DB_PREPARE_THRESHOLD", "-1"),
    ],
)
def test_a_malformed_variable_stops_start_up_naming_it(tmp_path, name, value):
    result = _load_settings(VAR_DIR=str(tmp_path), **{name: value})
    assert result.returncode != 0
    assert f"{name} is malformed" in result.stderr


def test_a_malformed_connection_age_is_refused_on_postgresql_too(tmp_path):
    result = _load_settings(
        VAR_DIR=str(tmp_path), DATABASE_URL="postgres://u@127.0.0.1:5432/x", CONN_MAX_AGE="abc"
    )
    assert result.returncode != 0
    assert "CONN_MAX_AGE is malformed" in result.stderr


@pytest.mark.parametrize(("raw", "threshold"), [("", "5"), ("0", "0"), ("off", "None")])
def test_prepared_statements_are_on_after_five_runs_unless_turned_off(tmp_path, raw, threshold):
    code = (
        "import config.settings as s; print(s.DATABASES['default']['OPTIONS']['prepare_threshold'])"
    )
    env = {**os.environ, "VAR_DIR": str(tmp_path), "DB_PREPARE_THRESHOLD": raw}
    env["DATABASE_URL"] = "postgres://u@127.0.0.1:5432/x"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == threshold


def test_a_lower_case_log_level_is_accepted(tmp_path):
    result = _load_settings(VAR_DIR=str(tmp_path), LOG_LEVEL="warning")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "url",
    ["sqlite://", "sqlite:///", "postgres://u@127.0.0.1:5432", "postgres://u@127.0.0.1:5432/"],
)
def test_a_database_url_without_a_database_name_is_refused(tmp_path, url):
    result = _load_settings(VAR_DIR=str(tmp_path), DATABASE_URL=url)
    assert result.returncode != 0
    assert "DATABASE_URL is malformed" in result.stderr
    assert "names no database" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _load_settings(VAR_DIR=str(tmp_path), DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def _deploy_check(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CACHE_URL"}}
    env.update(
        VAR_DIR=str(tmp_path),
        DEBUG="0",
        ALLOWED_HOSTS="survey.example.org",
        SECRET_KEY="x" * 20 + "-a-long-and-random-production-secret-key-9Q7v",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _deploy_check(tmp_path, CACHE_URL="redis://127.0.0.1:6379/1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_warns_that_a_per_process_cache_multiplies_the_rate_limit(tmp_path):
    result = _deploy_check(tmp_path)
    assert result.returncode != 0
    assert "kip.W001" in result.stderr
    assert "CACHE_URL" in result.stderr


def _production_like(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["survey.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.django_db
def test_the_health_check_answers_ok_when_the_database_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_the_health_check_answers_over_plain_http_in_production(client, settings):
    _production_like(settings)
    response = client.get("/healthz", HTTP_HOST="survey.example.org")
    assert (response.status_code, response.content) == (200, b"ok")
    login = client.get("/accounts/login/", HTTP_HOST="survey.example.org")
    assert login.status_code == 301
    assert login["Location"] == "https://survey.example.org/accounts/login/"
