from django.db import migrations


def forwards(apps, schema_editor):
    from panels import reference

    reference.install(apps)


class Migration(migrations.Migration):
    dependencies = [("panels", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
