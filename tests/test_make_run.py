"""`make run` on another port prints and serves links with that port."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run_plan(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "WEB_PORT")}
    return subprocess.run(
        ["make", "-n", "run"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_run_with_web_port_links_to_that_port_everywhere():
    plan = _run_plan(WEB_PORT="8123")
    assert 'SITE_URL="http://127.0.0.1:8123" .venv/bin/python manage.py load_demo' in plan
    assert "Open http://127.0.0.1:8123/ (admin at http://127.0.0.1:8123/admin/)" in plan
    assert 'WEB_PORT="8123" SITE_URL="http://127.0.0.1:8123"' in plan
    assert "8000" not in plan


def test_make_run_keeps_a_site_url_that_is_set():
    plan = _run_plan(WEB_PORT="8123", SITE_URL="https://survey.example.org")
    assert 'SITE_URL="https://survey.example.org" .venv/bin/python manage.py load_demo' in plan
    assert 'WEB_PORT="8123"' in plan


def test_the_readme_tells_how_to_run_on_another_port():
    assert "make run WEB_PORT=8001" in (ROOT / "README.md").read_text()
