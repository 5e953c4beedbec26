"""The seed study's questionnaires, loaded and published for the demo."""

from pathlib import Path

from surveys.engine.textio import parse_text
from surveys.services import version_publish, version_store

SEED_DIR = Path(__file__).resolve().parent / "questionnaires"
SEED_FILES = ["kip-2016.yaml", "kip-2020.yaml"]

WELCOME_2016 = """\
We are asking key managers, professionals and others involved in each of the 25 sites how \
health and social care integration is progressing in their area, so that we can understand \
what helps and what hinders it.

The survey takes about 20-25 minutes. If you cannot finish it in one sitting, your answers \
are saved so you can come back to it at another time, on any device, from the link in your \
email.

Your answers are strictly confidential: no-one outside the research team will see them, and \
no individual, organisation or site will be identified in what we report.

Taking part is entirely voluntary and you may withdraw at any stage."""


def load_seed_questionnaires() -> list:
    """Store and publish both seed questionnaires (once); return their versions in order."""
    versions = []
    for name in SEED_FILES:
        data = parse_text((SEED_DIR / name).read_text(encoding="utf-8"))
        version, _ = version_store(data=data)
        versions.append(version_publish(version=version))
    return versions
