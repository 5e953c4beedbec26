"""Every evaluator page tells browsers and proxies not to keep it."""

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.views.generic import RedirectView

pytestmark = pytest.mark.django_db

NAMESPACES = ("panels", "surveys_admin", "reminders", "surveys_analysis", "dashboard")


def _evaluator_urls(values: dict[str, dict]):
    """Return every page of the evaluator namespaces, its parameters filled from values."""
    urls = []
    for entry in get_resolver().url_patterns:
        namespace = getattr(entry, "namespace", None)
        if namespace not in NAMESPACES:
            continue
        for pattern in entry.url_patterns:
            assert isinstance(pattern, URLPattern)
            if getattr(pattern.callback, "view_class", None) is RedirectView:
                continue  # a bare redirect to another evaluator page shows nothing
            names = pattern.pattern.converters
            given = values[namespace]
            for prefix, override in values.get("prefixes", {}).get(namespace, {}).items():
                if str(pattern.pattern).startswith(prefix):
                    given = {**given, **override}  # e.g. a round's page in a version's app
            kwargs = {name: given[name] for name in names}
            urls.append(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs))
    return urls


def test_every_evaluator_page_is_sent_with_no_store(client, alice, round_2016, seed_versions):
    from datetime import timedelta

    from django.utils import timezone

    from panels.models import ImportJob
    from reminders.models import Message
    from tests.conftest import add_member

    site = add_member(round_2016).panel.site
    client.force_login(alice)
    version = seed_versions[0]
    job = ImportJob.objects.create(round=round_2016, file_name="list.csv")
    member = add_member(round_2016)
    message = Message.objects.create(
        round=round_2016,
        kind="invitation",
        send_at=timezone.now() + timedelta(days=1),
        subject="The survey",
        body="Dear {{ first_name }}",
    )
    urls = _evaluator_urls(
        {
            "panels": {"pk": round_2016.pk, "job": job.pk, "site": site.code},
            "surveys_admin": {
                "pk": version.pk,
                "page_id": version.definition["pages"][0]["id"],
                "job": 1,
            },
            "reminders": {"pk": round_2016.pk, "message": message.pk, "member": member.pk},
            "surveys_analysis": {"fmt": "csv"},
            "dashboard": {"pk": round_2016.pk, "table": "sites"},
            "prefixes": {
                "panels": {"members/": {"pk": member.pk}},
                "surveys_admin": {"rounds/": {"pk": round_2016.pk}},
            },
        }
    )
    assert len(urls) >= 26
    for url in urls:
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        assert response.status_code < 500, url
        assert "no-store" in response.get("Cache-Control", ""), url


def test_evaluator_pages_refused_to_visitors_are_not_kept_either(client, round_2016):
    response = client.get(reverse("panels:round_detail", args=[round_2016.pk]))
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
