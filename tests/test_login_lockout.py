"""Password guessing is stopped: by username and by address, on both log-in pages."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _try(client, url, username, password):
    return client.post(url, {"username": username, "password": password})


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_passwords_lock_the_user_out_even_with_the_right_one(alice):
    guesser = Client(REMOTE_ADDR="203.0.113.5")
    codes = [_try(guesser, "/accounts/login/", "alice", f"guess{i}").status_code for i in range(3)]
    assert codes == [200, 200, 429]
    locked = _try(Client(REMOTE_ADDR="198.51.100.8"), "/accounts/login/", "alice", "pw-alice")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Please try again in 15 minutes" in html
    assert int(locked["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in guesser.session
    assert AccessFailureLog.objects.filter(username="alice").count() == 4
    assert AccessAttempt.objects.filter(username="alice").exists()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_address_trying_many_usernames_is_locked_out(alice):
    guesser = Client(REMOTE_ADDR="203.0.113.6")
    for name in ("ann", "ben", "cat"):
        _try(guesser, "/accounts/login/", name, "x")
    assert _try(guesser, "/accounts/login/", "alice", "pw-alice").status_code == 429
    # Alice logs in from her own address.
    own = Client(REMOTE_ADDR="198.51.100.9")
    assert _try(own, "/accounts/login/", "alice", "pw-alice").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_admin_login_is_locked_out_too(bob):
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(3):
        _try(guesser, "/admin/login/", "bob", f"guess{i}")
    locked = _try(guesser, "/admin/login/", "bob", "pw-bob")
    assert locked.status_code == 429
    assert "_auth_user_id" not in guesser.session


def test_a_few_mistakes_then_the_right_password_logs_in(alice):
    client = Client(REMOTE_ADDR="198.51.100.10")
    assert _try(client, "/accounts/login/", "alice", "typo").status_code == 200
    assert _try(client, "/accounts/login/", "alice", "pw-alice").status_code == 302
