"""What the questionnaire commands say reads as a person would write it."""

import pytest
from django.core.management import CommandError, call_command

from surveys.services import version_publish, version_store
from tests.surveys.test_versions import _flip_to_published, _small

pytestmark = pytest.mark.django_db


def test_verify_versions_speaks_of_one_version_in_the_singular(capsys):
    draft, _ = version_store(data=_small())
    version_publish(version=draft)
    call_command("verify_versions")
    assert "1 published version verified: its hash and checks." in capsys.readouterr().out
    _flip_to_published(_small("forged"), "f" * 64)
    with pytest.raises(CommandError, match=r"^1 published version failed verification\.$"):
        call_command("verify_versions")
