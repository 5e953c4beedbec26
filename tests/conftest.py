"""Named personas and shared fixtures."""

import pytest
from django.contrib.auth.models import Group

from panels.models import Round, Site


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start every test with empty caches: link look-up counts must not carry over, nor
    versions cached per process (a rolled-back test database reuses their ids)."""
    from django.core.cache import cache

    from surveys.respondent import members

    cache.clear()
    members.PUBLISHED.clear()


def _user(django_user_model, username, group=None, **extra):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "pw-" + username, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def alice(db, django_user_model):
    """Alice is an evaluator."""
    return _user(django_user_model, "alice", "evaluator")


@pytest.fixture
def bob(db, django_user_model):
    """Bob is an admin."""
    return _user(django_user_model, "bob", "admin", is_staff=True)


@pytest.fixture
def charlie(db, django_user_model):
    """Charlie has an account but no role: an outsider."""
    return _user(django_user_model, "charlie")


@pytest.fixture
def round_2016(db):
    return Round.objects.create(name="2016 survey", year=2016)


@pytest.fixture
def round_2017(db):
    return Round.objects.create(name="2017 survey", year=2017)


@pytest.fixture
def barnsley(db):
    return Site.objects.get(name="Barnsley")


@pytest.fixture
def kent(db):
    return Site.objects.get(name="Kent")


@pytest.fixture
def seed_versions(db):
    """The seed study's 2016 and 2020 questionnaires, published."""
    from surveys.demo import load_seed_questionnaires

    return load_seed_questionnaires()


def make_round(name, version, *, status="open", **extra):
    from panels.models import Round
    from surveys.services import round_use_version

    round_ = Round.objects.create(
        name=name,
        year=2020,
        status=status,
        welcome_text="Please tell us how integration is going.",
        study_contact="the research team at survey@example.org",
        **extra,
    )
    return round_use_version(round=round_, version=version)


def add_member(round_, site_name="Barnsley", email="ann.ashworth@example.org", **attributes):
    from panels.importing import ListFile
    from panels.models import Member
    from panels.services import panel_import

    row = {
        "first_name": "Ann",
        "last_name": "Ashworth",
        "email": email,
        "site": site_name,
        "organisation": f"{site_name} CCG",
        "organisation_type": "1",
    }
    row.update({f"attr_{k}": v for k, v in attributes.items()})
    report = panel_import(round=round_, list_file=ListFile(columns=list(row), rows=[(2, row)]))
    assert report.ok, report.problems
    return Member.objects.get(round=round_, contact__email=email)


def optional_consent_member():
    """Return a member of a round on the 2016 questionnaire with its consent made optional,
    so that a respondent can leave it unticked."""
    from surveys.demo import SEED_DIR, SEED_FILES
    from surveys.engine.textio import parse_text
    from surveys.services import version_publish, version_store

    data = parse_text((SEED_DIR / SEED_FILES[0]).read_text(encoding="utf-8"))
    for page in data["pages"]:
        for item in page["items"]:
            if item["type"] == "consent":
                item["required"] = False
    version, _ = version_store(data=data)
    return add_member(make_round("2016 survey", version_publish(version=version)))


def link_of(member) -> str:
    from panels.tokens import token_for

    return f"/r/{token_for(member.token_nonce)}/"


def pytest_terminal_summary(terminalreporter):
    """Name the browser tests that did not run, loudly, in the run's last lines."""
    from tests.browser.conftest import SKIP_PREFIX

    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if SKIP_PREFIX in str(report.longrepr)
    ]
    if not skipped:
        return
    reason = str(skipped[0].longrepr[-1] if isinstance(skipped[0].longrepr, tuple) else "")
    terminalreporter.section("BROWSER TESTS NOT RUN", sep="!", red=True, bold=True)
    terminalreporter.write_line(f"{len(skipped)} browser tests were skipped: {reason}", red=True)
    for report in skipped:
        terminalreporter.write_line(f"  SKIPPED {report.nodeid}", red=True)
    terminalreporter.write_line(
        "Install Chromium (as root on Debian or Ubuntu: make browsers) and run make test again.",
        red=True,
    )
