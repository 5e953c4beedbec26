"""Named personas and shared fixtures."""

import pytest
from django.contrib.auth.models import Group

from panels.models import Round, Site


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
