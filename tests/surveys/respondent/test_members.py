"""The respondent pages' member query, written once per process, reads what the ORM reads."""

import pytest
from django.utils import timezone

from panels.models import Member
from panels.tokens import hash_token, token_for
from surveys.models import Response
from surveys.respondent.members import member_where
from surveys.services import response_start
from tests.conftest import add_member, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2020(seed_versions):
    return make_round("2020 survey", seed_versions[1], completeness_items=["q1", "q2"])


@pytest.fixture
def ann(round_2020):
    """Ann has answered and finished."""
    ann = add_member(round_2020, job_titles=["Director", "Lead"])
    response = response_start(member=ann)
    response.answers, response.pages_done = {"consent": 1, "q1": [1, 3]}, ["intro"]
    response.completed_at = timezone.now()
    response.save()
    return ann


@pytest.fixture
def bea(round_2020):
    """Bea has not started."""
    return add_member(round_2020, "Kent", email="bea.brown@example.org")


def _orm(**lookup) -> Member | None:
    related = ("round", "panel__site", "contact", "response")
    return Member.objects.select_related(*related).filter(**lookup).first()


def _objects(member: Member) -> list:
    try:
        response = member.response
    except Response.DoesNotExist:
        response = None
    return [member, member.round, member.panel, member.panel.site, member.contact, response]


def _fields(instance) -> dict | None:
    """Return every column's value of the instance, its type and time zone included."""
    if instance is None:
        return None
    return {f.attname: repr(getattr(instance, f.attname)) for f in instance._meta.concrete_fields}


def _lookups(member: Member) -> list[dict]:
    token = token_for(member.token_nonce)
    return [
        {"pk": member.pk},
        {"token_hash": hash_token(token)},
        {"token_nonce": member.token_nonce},
    ]


def test_every_field_of_the_six_objects_is_the_orms(ann, bea, django_assert_num_queries):
    member_where(pk=ann.pk)  # reads the round's version, kept for the process
    for member in (ann, bea):  # one who has answered, one who has not started
        for lookup in _lookups(member):
            expected = [_fields(instance) for instance in _objects(_orm(**lookup))]
            with django_assert_num_queries(1):
                found = member_where(**lookup)
            with django_assert_num_queries(0):
                assert [_fields(instance) for instance in _objects(found)] == expected
            assert found.round.version.pk == found.round.version_id


def test_the_response_knows_its_member_without_a_query(ann, django_assert_num_queries):
    member_where(pk=ann.pk)
    found = member_where(pk=ann.pk)
    with django_assert_num_queries(0):
        assert found.response.member is found
        assert found.response.answers == {"consent": 1, "q1": [1, 3]}


def test_a_member_without_a_response_says_so_without_a_query(bea, django_assert_num_queries):
    found = member_where(pk=bea.pk)
    with django_assert_num_queries(0), pytest.raises(Response.DoesNotExist):
        found.response  # noqa: B018 - reading it is the test


def test_no_member_is_found_for_a_value_nobody_has(ann, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert member_where(token_hash=hash_token("x" * 43)) is None
    assert member_where(pk=ann.pk + 1000) is None
    assert _orm(pk=ann.pk + 1000) is None
