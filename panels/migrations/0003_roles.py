from django.db import migrations

MODELS = ["site", "analysisgroup", "organisationtype", "contact", "round", "panel", "member"]


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    panel_perms = permission_model.objects.filter(
        content_type__app_label="panels", content_type__model__in=MODELS
    )
    evaluator, _ = group_model.objects.get_or_create(name="evaluator")
    admin, _ = group_model.objects.get_or_create(name="admin")
    evaluator.permissions.set(panel_perms.exclude(codename__startswith="delete_"))
    admin.permissions.set(panel_perms)


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0002_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
