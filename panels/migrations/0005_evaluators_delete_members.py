"""Evaluators may delete a member, to move a person to another site's list in a round.

A member who has started a response stays protected by the database.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    panels = apps.get_app_config("panels")
    panels.models_module = True
    create_permissions(panels, apps=apps, verbosity=0)
    panels.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    evaluator, _ = group_model.objects.get_or_create(name="evaluator")
    evaluator.permissions.add(
        permission_model.objects.get(content_type__app_label="panels", codename="delete_member")
    )


def backwards(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for evaluator in group_model.objects.filter(name="evaluator"):
        evaluator.permissions.remove(
            *evaluator.permissions.filter(content_type__app_label="panels", codename="delete_member")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0004_round_version_and_member_tokens"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
