"""Production settings of the platform, plus the bare comparison view's URL and template."""

from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES

ROOT_URLCONF = "loadsite.urls"
TEMPLATES[0]["DIRS"].append(Path(__file__).resolve().parent / "templates")
