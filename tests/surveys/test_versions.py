import copy
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from surveys.definitions import TamperedVersion, definition_of, exploration_of
from surveys.engine import content_hash, parse_text
from surveys.models import Questionnaire, Version
from surveys.services import (
    DefinitionRejected,
    round_use_version,
    version_copy,
    version_publish,
    version_store,
    version_update_draft,
)
from tests.conftest import make_round

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "surveys" / "questionnaires"
BARRIERS_SHARED = [
    "different_cultures",
    "gps_not_committed",
    "financial_constraints",
    "competing_demands",
    "acute_not_engaged",
    "information_governance",
    "incompatible_it",
    "insufficient_leadership",
    "realistic_savings",
    "staff_shortages",
    "increased_demand",
]
FACILITATORS_SHARED = [
    "working_relationships",
    "local_leadership",
    "local_champions",
    "patient_codesign",
    "simple_economy",
    "provider_involvement",
    "voluntary_sector_involvement",
    "bottom_up_approach",
]
PROGRESS_SHARED = [
    "quality_of_care",
    "quality_of_life",
    "unplanned_admissions",
    "joined_up_services",
    "costs",
    "say_in_care",
    "accessibility",
    "self_management",
]


def _small(slug="tiny", text="How are you?"):
    return {
        "format": 1,
        "questionnaire": slug,
        "title": "Tiny",
        "pages": [{"id": "p1", "items": [{"code": "mood", "type": "text", "text": text}]}],
    }


@pytest.mark.parametrize("name", ["kip-2016.yaml", "kip-2020.yaml"])
def test_each_seed_questionnaire_loads_publishes_dumps_and_loads_again_identically(
    name, tmp_path, capsys
):
    path = SEEDS / name
    call_command("load_questionnaire", str(path), "--publish")
    assert "(Published)" in capsys.readouterr().out
    version = Version.objects.get()
    out = tmp_path / "dumped.yaml"
    call_command("dump_questionnaire", "kip", "--version", str(version.number), "-o", str(out))
    assert out.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    call_command("load_questionnaire", str(out))
    assert "unchanged" in capsys.readouterr().out
    assert Version.objects.count() == 1


def test_the_diff_of_the_seed_questionnaires_tells_which_shared_items_are_safe_for_trends(
    seed_versions, capsys
):
    call_command("questionnaire_diff", "kip:1", "kip:2")
    rows = {
        line.split()[0]: line.split(None, 3)[1:]
        for line in capsys.readouterr().out.splitlines()
        if line.startswith(("barrier.", "facilitator.", "progress."))
    }
    for code in FACILITATORS_SHARED:  # same words, same scale
        assert rows[f"facilitator.{code}"][:2] == ["identical", "safe"]
    for code in BARRIERS_SHARED:  # same words; scale codes 3 and 4 were relabelled
        assert rows[f"barrier.{code}"] == [
            "identical",
            "comparable",
            "scale of grid barriers: labels changed 3, 4 (codes 1, 2 unchanged); row text"
            " identical; grid question changed",
        ]
    for code in PROGRESS_SHARED:  # new words for the same concept; scale code 4 relabelled
        status, trend, detail = rows[f"progress.{code}"]
        assert (status, trend) == ("wording_changed", "comparable")
        assert "labels changed 4 (codes 1, 2, 3 unchanged); wording changed" in detail
    assert rows["barrier.covid_time"][0] == "added"
    assert rows["barrier.lack_of_trust"][0] == "removed"


def test_the_diff_command_also_compares_definition_files(capsys):
    call_command("questionnaire_diff", str(SEEDS / "kip-2016.yaml"), str(SEEDS / "kip-2020.yaml"))
    assert "barrier.financial_constraints" in capsys.readouterr().out


def test_the_diff_command_names_an_unknown_version():
    with pytest.raises(CommandError, match="No version 9"):
        call_command("questionnaire_diff", "kip:9", "kip:1")


def test_a_published_version_cannot_be_changed_through_the_orm(seed_versions):
    v2016 = seed_versions[0]
    v2016.title = "Rewritten"
    with pytest.raises(DatabaseError), transaction.atomic():
        v2016.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        Version.objects.filter(pk=v2016.pk).update(definition={"questionnaire": "kip"})
    assert Version.objects.get(pk=v2016.pk).title != "Rewritten"


def test_a_published_version_that_nothing_uses_cannot_be_deleted_by_code(seed_versions):
    version = seed_versions[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        Version.objects.filter(pk=version.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        version.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM surveys_version WHERE id = %s", [version.pk])
        connection.check_constraints()  # SQLite checks the seal at commit
    assert Version.objects.filter(pk=version.pk, status="published").exists()


def test_a_draft_that_nothing_published_was_based_on_can_still_be_deleted():
    first, _ = version_store(data=_small())
    second, _ = version_store(data=_small(text="And now?"))
    assert second.based_on == first
    first.delete()
    second.refresh_from_db()
    assert second.based_on is None


def test_a_draft_a_published_version_was_based_on_cannot_be_deleted(client, django_user_model):
    first, _ = version_store(data=_small())
    second, _ = version_store(data=_small(text="And now?"))
    version_publish(version=second)
    with pytest.raises(ProtectedError) as refused, transaction.atomic():
        first.delete()
    assert set(refused.value.protected_objects) == {second}
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    delete = reverse("admin:surveys_version_delete", args=[first.pk])
    page = client.post(delete, {"post": "yes"}, follow=True)
    assert page.status_code == 200
    assert "was based on it, and a published version never changes" in page.content.decode()
    assert Version.objects.get(pk=second.pk).based_on_id == first.pk


def test_no_code_can_store_a_version_that_is_already_published():
    questionnaire = Questionnaire.objects.create(slug="sneaky", title="Sneaky")
    with pytest.raises(DatabaseError), transaction.atomic():
        Version.objects.create(
            questionnaire=questionnaire,
            number=1,
            title="Sneaky",
            definition=_small("sneaky"),
            status="published",
            content_hash="0" * 64,
            published_at=timezone.now(),
        )
    draft, _ = version_store(data=_small("sneaky"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Version.objects.filter(pk=draft.pk).update(status="published", published_at=timezone.now())
    assert not Version.objects.filter(status="published").exists()


def _flip_to_published(data: dict, content_hash: str) -> Version:
    """Publish a draft the way careless code could: no checks, a hash of its choosing."""
    draft, _ = version_store(data=data)
    Version.objects.filter(pk=draft.pk).update(
        status="published", content_hash=content_hash, published_at=timezone.now()
    )
    return Version.objects.select_related("questionnaire").get(pk=draft.pk)


def test_a_published_version_whose_hash_does_not_match_is_refused_when_loaded():
    forged = _flip_to_published(_small("forged"), "f" * 64)
    with pytest.raises(TamperedVersion, match="forged v1 \\(Published\\) has been changed"):
        definition_of(forged)


def test_verify_versions_lists_every_published_version_that_fails_and_exits_non_zero(
    seed_versions, capsys
):
    call_command("verify_versions")
    assert "2 published versions verified: hashes and checks." in capsys.readouterr().out
    _flip_to_published(_small("forged"), "f" * 64)
    unchecked = _small("unchecked", text="Hello {member.shoe_size}")
    _flip_to_published(unchecked, content_hash(unchecked))
    with pytest.raises(CommandError, match="2 published version"):
        call_command("verify_versions")
    errors = capsys.readouterr().err
    assert "forged v1 (Published): the definition hashes to" in errors
    assert "unchecked v1 (Published): published without passing the checks" in errors
    assert "shoe_size" in errors


def test_a_questionnaire_with_a_published_version_keeps_its_name(
    seed_versions, client, django_user_model, capsys
):
    kip = Questionnaire.objects.get(slug="kip")
    kip.slug = "kip-renamed"
    with pytest.raises(DatabaseError), transaction.atomic():
        kip.save()
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    url = reverse("admin:surveys_questionnaire_change", args=[kip.pk])
    client.post(url, {"slug": "kip-renamed", "title": "Renamed"})
    assert Questionnaire.objects.get(pk=kip.pk).slug == "kip"
    assert 'name="slug"' not in client.get(url).content.decode()
    call_command("dump_questionnaire", "kip", "--version", "1")
    assert "questionnaire: kip" in capsys.readouterr().out


def test_a_questionnaire_with_drafts_only_can_still_be_renamed():
    draft, _ = version_store(data=_small("early"))
    Questionnaire.objects.filter(pk=draft.questionnaire_id).update(slug="early-name")
    assert Questionnaire.objects.get(pk=draft.questionnaire_id).slug == "early-name"


def test_a_published_version_cannot_be_changed_through_the_service(seed_versions):
    data = copy.deepcopy(seed_versions[1].definition)
    data["title"] = "Rewritten"
    with pytest.raises(DefinitionRejected, match="published"):
        version_update_draft(version=seed_versions[1], data=data)


def test_loading_a_changed_file_makes_a_new_draft_and_leaves_the_published_one(
    seed_versions, tmp_path
):
    data = parse_text((SEEDS / "kip-2020.yaml").read_text(encoding="utf-8"))
    data["title"] = "Key informant survey 2021"
    path = tmp_path / "kip-2021.json"
    import json

    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("load_questionnaire", str(path))
    assert Version.objects.get(questionnaire__slug="kip", number=2).title != data["title"]
    new = Version.objects.get(questionnaire__slug="kip", number=3)
    assert (new.status, new.title, new.based_on.number) == ("draft", data["title"], 2)


def test_the_admin_cannot_change_or_delete_a_published_version(
    client, seed_versions, django_user_model
):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    url = reverse("admin:surveys_version_change", args=[seed_versions[0].pk])
    response = client.post(url, {"title": "Rewritten"})
    assert response.status_code == 403
    delete = reverse("admin:surveys_version_delete", args=[seed_versions[0].pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Version.objects.filter(pk=seed_versions[0].pk, title__contains="2016").exists()


def test_a_draft_can_change_and_then_publish_with_a_content_hash():
    draft, created = version_store(data=_small())
    assert created and draft.status == "draft"
    version_update_draft(version=draft, data=_small(text="How is it going?"))
    published = version_publish(version=draft)
    assert published.is_published and len(published.content_hash) == 64
    assert published.definition["pages"][0]["items"][0]["text"] == "How is it going?"


def test_a_new_version_starts_as_a_copy_of_an_earlier_one():
    first, _ = version_store(data=_small())
    version_publish(version=first)
    copy_ = version_copy(version=first)
    assert (copy_.number, copy_.status, copy_.definition, copy_.based_on) == (
        2,
        "draft",
        first.definition,
        first,
    )


def test_publishing_reports_every_problem_at_once_and_publishes_nothing():
    data = _small()
    data["pages"][0]["items"].append({"code": "mood", "type": "text", "text": "Again {nowhere}"})
    data["pages"][0]["show_if"] = "answered(nonexistent) and ("
    draft, _ = version_store(data=_small())
    Version.objects.filter(pk=draft.pk).update(definition=data)
    draft.refresh_from_db()
    with pytest.raises(DefinitionRejected) as caught:
        version_publish(version=draft)
    assert len(caught.value.problems) >= 3
    joined = " ".join(caught.value.problems)
    assert "mood" in joined and "nowhere" in joined
    assert Version.objects.get(pk=draft.pk).status == "draft"


def test_load_questionnaire_refuses_a_broken_file_and_stores_nothing(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(
        "format: 1\nquestionnaire: broken\npages:\n  - id: 1x\n    items: [\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="problem"):
        call_command("load_questionnaire", str(path))
    assert not Questionnaire.objects.filter(slug="broken").exists()


def test_load_questionnaire_with_publish_refuses_a_version_with_problems(tmp_path):
    data = _small("bad")
    data["pages"][0]["items"][0]["text"] = "Hello {member.shoe_size}"
    import json

    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="shoe_size"):
        call_command("load_questionnaire", str(path), "--publish")
    assert not Version.objects.filter(questionnaire__slug="bad").exists()


def test_a_round_uses_only_a_published_version(seed_versions):
    draft, _ = version_store(data=_small())
    round_ = make_round("2021 survey", seed_versions[1])
    with pytest.raises(DefinitionRejected, match="draft"):
        round_use_version(round=round_, version=draft)
    assert round_.version == seed_versions[1]


def test_the_version_page_shows_every_item_code_and_whether_it_is_reached(
    client, alice, seed_versions
):
    client.force_login(alice)
    page = client.get(reverse("surveys_admin:version_detail", args=[seed_versions[1].pk]))
    html = page.content.decode()
    assert "barrier.financial_constraints" in html and "always" in html
    assert "respondent.covid_role_change.other.2" not in html


def test_the_compare_page_lists_changes_by_item_code(client, alice, seed_versions):
    client.force_login(alice)
    page = client.get(
        reverse("surveys_admin:version_diff"), {"a": seed_versions[0].pk, "b": seed_versions[1].pk}
    )
    html = page.content.decode()
    assert "facilitator.local_leadership</code></th><td>identical</td><td>safe" in html
    assert "barrier.financial_constraints</code></th><td>identical</td><td>comparable" in html
    assert "<code>barriers</code></th><td>options changed</td><td>break in the series" in html
    assert "respondent.time_in_area</code></th><td>reworded</td><td>comparable" in html
    assert "<td>wording_changed</td>" not in html and "<td>options_changed</td>" not in html


def test_the_compare_page_names_versions_and_counts_the_changes(client, alice, seed_versions):
    old, new = seed_versions
    client.force_login(alice)
    page = client.get(reverse("surveys_admin:version_diff"), {"a": old.pk, "b": new.pk})
    html = page.content.decode()
    changes = page.context["changes"]
    safe = sum(c["trend"] == "safe" for c in changes)
    assert f"{safe} of {len(changes)} items are safe for trends" in html
    for word in ["identical", "reworded", "options changed", "added", "removed"]:
        n = sum(c["change"] == word for c in changes)
        assert f'<li class="list-inline-item">{n} {word}</li>' in html
    assert f"{escape(old.title)} <small" in html and f"{escape(new.title)} <small" in html
    assert f'<option value="{old.pk}">{escape(old.title)} (kip v1, published)</option>' in html
    # The legend explains the grid rows whose words are identical but whose scale changed.
    assert "a change to the scale is given under <strong>Detail</strong>" in html


def test_uploading_a_definition_page_lists_every_problem(client, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile("q.yaml", b"format: 1\nquestionnaire: x\npages: 7\n")
    page = client.post(reverse("surveys_admin:definition_upload"), {"file": upload})
    assert "Nothing was stored" in page.content.decode()
    assert not Questionnaire.objects.filter(slug="x").exists()


def test_publishing_from_the_page_freezes_the_version(client, alice):
    draft, _ = version_store(data=_small())
    client.force_login(alice)
    client.post(reverse("surveys_admin:version_publish", args=[draft.pk]))
    assert Version.objects.get(pk=draft.pk).is_published


def test_outsiders_cannot_reach_questionnaire_pages(client, charlie, seed_versions):
    client.force_login(charlie)
    for url in [
        reverse("surveys_admin:questionnaire_list"),
        reverse("surveys_admin:version_detail", args=[seed_versions[0].pk]),
        reverse("surveys_admin:version_diff"),
    ]:
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("surveys_admin:version_copy", args=[seed_versions[0].pk])).status_code
        == 403
    )
    assert Version.objects.count() == 2


def test_the_compare_page_warns_when_a_change_stops_asking_an_item(client, alice):
    first, _ = version_store(data=_small("trend"))
    second_data = _small("trend")
    second_data["pages"][0]["items"].insert(
        0,
        {
            "code": "gate",
            "type": "single",
            "text": "Go on?",
            "options": [{"code": 1, "text": "Yes"}],
        },
    )
    second_data["pages"].append(
        {
            "id": "p2",
            "show_if": "gate == 2",
            "items": [{"code": "later", "type": "text", "text": "Later"}],
        }
    )
    second_data["pages"][0]["items"][1]["show_if"] = "gate == 2"
    second, _ = version_store(data=second_data)
    client.force_login(alice)
    html = client.get(
        reverse("surveys_admin:version_diff"), {"a": first.pk, "b": second.pk}
    ).content.decode()
    assert "can no longer be reached" in html
    assert "<li><code>mood</code></li>" in html


def _tangled(slug: str, pages: int) -> dict:
    """Return a definition with 2**pages real paths: too many to follow one by one."""
    data = _small(slug)
    yes_no = [{"code": 1, "text": "Yes"}, {"code": 2, "text": "No"}]
    for n in range(pages):
        asked = {"code": f"c{n}", "type": "single", "text": "C?", "options": yes_no}
        follow = {**asked, "code": f"d{n}", "text": "D?", "show_if": f"c{n} == 1"}
        data["pages"].append({"id": f"t{n}", "items": [{**asked, "required": True}, follow]})
    rare = " or ".join(f"(c{n} == 2 and d{n} == 1)" for n in range(pages))
    last = {"code": "rare", "type": "text", "text": "Rare?", "show_if": rare}
    data["pages"].append({"id": "last", "items": [last]})
    return data


def test_the_version_page_says_when_the_routing_could_not_be_explored_completely(client, alice):
    draft, _ = version_store(data=_tangled("tangled", 16))
    client.force_login(alice)
    html = client.get(reverse("surveys_admin:version_detail", args=[draft.pk])).content.decode()
    assert "The routing could not be explored completely" in html
    assert "exploration was cut short" in html
    assert (
        '<code>rare</code></th><td></td><td>text</td><td class="item-text">Rare?</td>'
        "<td>unknown</td>"
    ) in html
    assert "<td>always</td>" in html  # what is proven is still shown


def test_a_published_version_is_explored_once_and_the_result_reused():
    data = _tangled("cached", 4)
    data["pages"][-1]["items"][0]["show_if"] = "c0 == 1 and d0 == 1"
    version = version_publish(version=version_store(data=data)[0])
    found = exploration_of(version)
    assert found.complete and found.reach("rare") == "sometimes"
    assert exploration_of(Version.objects.get(pk=version.pk)) is found


def _upload(text: str, name: str = "draft.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def test_an_evaluator_replaces_a_draft_by_uploading_a_file(client, alice):
    draft, _ = version_store(data=_small())
    client.force_login(alice)
    page = client.get(reverse("surveys_admin:version_detail", args=[draft.pk]))
    assert "Replace the draft" in page.content.decode()
    new = "format: 1\nquestionnaire: tiny\ntitle: Tiny 2\npages:\n  - id: p1\n    items:\n"
    new += "      - {code: mood, type: text, text: 'How is it going?'}\n"
    url = reverse("surveys_admin:version_replace", args=[draft.pk])
    page = client.post(url, {"file": _upload(new)}, follow=True)
    assert "Replaced the definition of tiny v1 (Draft)." in page.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.definition["pages"][0]["items"][0]["text"]) == (
        "Tiny 2",
        "How is it going?",
    )


def test_replacing_a_draft_lists_every_problem_at_the_field_and_changes_nothing(client, alice):
    draft, _ = version_store(data=_small())
    client.force_login(alice)
    bad = "format: 1\nquestionnaire: other\npages:\n  - id: p1\n    items:\n"
    bad += "      - {code: mood, type: text}\n      - {code: mood, type: text, text: Again}\n"
    url = reverse("surveys_admin:version_replace", args=[draft.pk])
    html = client.post(url, {"file": _upload(bad)}).content.decode()
    assert "&#x27;text&#x27; is a required property" in html
    assert "the item code &#x27;mood&#x27; is already used" in html
    assert "The definition is of questionnaire &#x27;other&#x27;, not &#x27;tiny&#x27;." in html
    assert 'id="error_1_id_file"' in html and 'id="error_3_id_file"' in html
    assert Version.objects.get(pk=draft.pk).definition == _small()


def test_a_published_version_cannot_be_replaced_from_its_page(client, alice, seed_versions):
    version = seed_versions[0]
    client.force_login(alice)
    page = client.get(reverse("surveys_admin:version_detail", args=[version.pk]))
    assert "Replace the draft" not in page.content.decode()
    url = reverse("surveys_admin:version_replace", args=[version.pk])
    page = client.post(url, {"file": _upload("format: 1\nquestionnaire: kip\n")}, follow=True)
    assert "is published and cannot change" in page.content.decode()
    assert Version.objects.get(pk=version.pk).definition == version.definition


def test_an_outsider_cannot_replace_a_draft(client, charlie):
    draft, _ = version_store(data=_small())
    client.force_login(charlie)
    url = reverse("surveys_admin:version_replace", args=[draft.pk])
    response = client.post(url, {"file": _upload("format: 1\nquestionnaire: tiny\n")})
    assert response.status_code == 403
    assert Version.objects.get(pk=draft.pk).definition == _small()


def test_load_questionnaire_can_replace_a_draft_and_refuses_a_published_one(
    tmp_path, capsys, seed_versions
):
    draft, _ = version_store(data=_small())
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(_small(text="Better?")), encoding="utf-8")
    call_command("load_questionnaire", str(path), "--replace-draft", str(draft.number))
    assert "replaced tiny v1 (Draft)" in capsys.readouterr().out
    assert Version.objects.get(pk=draft.pk).definition == _small(text="Better?")
    path.write_text((SEEDS / "kip-2016.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CommandError, match="published and cannot change"):
        call_command("load_questionnaire", str(path), "--replace-draft", "1")


def _structurally_broken() -> dict:
    """Return a definition with a structural problem (a code used twice) and others."""
    data = _small("broken")
    data["pages"][0]["items"] += [
        {"code": "mood", "type": "text", "text": "Again?"},
        {"code": "later", "type": "text", "text": "Later", "show_if": "nosuch == 1"},
        {"code": "pick", "type": "single", "text": "Pick", "options": []},
    ]
    return data


BROKEN_PROBLEMS = [
    "the item code 'mood' is already used",
    "refers to nosuch, which is not an item in this questionnaire",
    "[] should be non-empty",
]


def test_load_questionnaire_lists_the_structural_and_every_other_problem_at_once(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(_structurally_broken()))
    with pytest.raises(CommandError) as raised:
        call_command("load_questionnaire", str(path))
    message = str(raised.value)
    assert "problems; nothing was stored" in message
    for problem in BROKEN_PROBLEMS:
        assert problem in message
    assert not Questionnaire.objects.filter(slug="broken").exists()


def test_the_upload_page_lists_the_structural_and_every_other_problem_at_once(client, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile("broken.json", json.dumps(_structurally_broken()).encode())
    page = client.post(reverse("surveys_admin:definition_upload"), {"file": upload})
    html = page.content.decode()
    assert "Nothing was stored: 4 problems" in html
    for problem in BROKEN_PROBLEMS:
        assert escape(problem) in html
    assert not Questionnaire.objects.filter(slug="broken").exists()


def test_the_version_page_heads_each_page_by_its_title_and_shows_whole_texts(
    client, alice, seed_versions
):
    from surveys.definitions import definition_of

    version = seed_versions[0]
    defn = definition_of(version)
    client.force_login(alice)
    html = client.get(reverse("surveys_admin:version_detail", args=[version.pk])).content.decode()
    titled = [page for page in defn.pages if page.title]
    assert titled
    for page in titled:
        heading = html.index(f'id="page-{page.id}">Page {page.index + 1}: {escape(page.title)}')
        first = page.flat_items()[0]
        assert heading < html.index(f"<code>{first.code}</code></th>", heading)
    longest = max(defn.items.values(), key=lambda item: len(item.text))
    assert len(longest.text) > 120
    assert escape(longest.text) in html


def test_publishing_asks_for_confirmation_saying_a_published_version_never_changes(client, alice):
    draft, _ = version_store(data=_small())
    client.force_login(alice)
    detail = client.get(reverse("surveys_admin:version_detail", args=[draft.pk])).content.decode()
    confirm_url = reverse("surveys_admin:version_publish", args=[draft.pk])
    assert f'href="{confirm_url}">Publish' in detail
    confirm = client.get(confirm_url).content.decode()
    assert "A published version never changes." in confirm
    assert not Version.objects.get(pk=draft.pk).is_published
    client.post(confirm_url)
    assert Version.objects.get(pk=draft.pk).is_published


def test_a_draft_is_previewed_page_by_page_as_a_respondent_sees_it_storing_nothing(
    client, alice, seed_versions
):
    from panels.models import Member
    from surveys.definitions import definition_of
    from surveys.models import Response

    draft = version_copy(version=seed_versions[0])
    defn = definition_of(draft)
    client.force_login(alice)
    detail = client.get(reverse("surveys_admin:version_detail", args=[draft.pk])).content.decode()
    assert reverse("surveys_admin:version_preview", args=[draft.pk]) in detail
    url = reverse("surveys_admin:version_preview", args=[draft.pk])
    for number, page in enumerate(defn.pages, start=1):
        html = client.get(url).content.decode()
        assert f"Page {number} of {len(defn.pages)}" in html
        assert "Nothing you enter is saved" in html
        shown = [i for i in page.items if i.type != "info" and i.show_if is None]
        for item in shown[:1]:
            assert escape(item.text.split("{")[0].strip().splitlines()[0][:60]) in html
        if number < len(defn.pages):
            url = reverse(
                "surveys_admin:version_preview_page", args=[draft.pk, defn.pages[number].id]
            )
            assert f'href="{url}">Next page' in html
    assert Response.objects.count() == 0 and Member.objects.count() == 0


def test_the_2016_welcome_says_how_to_reach_the_research_team(seed_versions):
    from surveys.definitions import definition_of

    welcome = definition_of(seed_versions[0]).pages[0].flat_items()[0].text
    assert "please contact ...." not in welcome
    assert "please contact the research team: how to reach them is given at the foot" in welcome
