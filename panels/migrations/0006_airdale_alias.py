"""Accept the 2016 questionnaire's spelling of Airedale as an alias of the site.

Added to the aliases already stored, so that names evaluators added are kept.
"""

from django.db import migrations

ALIAS = "Airdale, Wharfedale and Craven"


def forwards(apps, schema_editor):
    site_model = apps.get_model("panels", "Site")
    for site in site_model.objects.filter(code=1):
        if ALIAS not in site.aliases:
            site.aliases = [*site.aliases, ALIAS]
            site.save(update_fields=["aliases"])


def backwards(apps, schema_editor):
    site_model = apps.get_model("panels", "Site")
    for site in site_model.objects.filter(code=1):
        site.aliases = [a for a in site.aliases if a != ALIAS]
        site.save(update_fields=["aliases"])


class Migration(migrations.Migration):
    dependencies = [("panels", "0005_evaluators_delete_members")]
    operations = [migrations.RunPython(forwards, backwards)]
