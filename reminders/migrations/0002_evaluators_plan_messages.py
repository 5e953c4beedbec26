"""Evaluators plan a round's messages (in the admin for now) and read the outbox."""

from django.db import migrations


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    reminders = apps.get_app_config("reminders")
    reminders.models_module = True
    create_permissions(reminders, apps=apps, verbosity=0)
    reminders.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    ours = permission_model.objects.filter(content_type__app_label="reminders")
    message = ours.filter(content_type__model="message")
    viewing = ours.filter(codename__startswith="view_")
    evaluator, _ = group_model.objects.get_or_create(name="evaluator")
    evaluator.permissions.add(*message, *viewing)
    admin, _ = group_model.objects.get_or_create(name="admin")
    admin.permissions.add(*message, *viewing)


def backwards(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for group in group_model.objects.filter(name__in=["evaluator", "admin"]):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="reminders"))


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_message_schedule_and_outbox"),
        ("panels", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
