import django.db.models.deletion
from django.db import migrations, models


def issue_tokens(apps, schema_editor):
    from panels import tokens

    member_model = apps.get_model("panels", "Member")
    for member in member_model.objects.filter(token_hash__isnull=True):
        member.token_nonce, member.token_hash = tokens.credentials()
        member.save(update_fields=["token_nonce", "token_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0003_roles"),
        ("surveys", "0002_frozen_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="status",
            field=models.CharField(
                choices=[("planned", "Planned"), ("open", "Open"), ("closed", "Closed")],
                default="planned",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="version",
            field=models.ForeignKey(
                blank=True,
                help_text="The published questionnaire version this round asks.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rounds",
                to="surveys.version",
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="welcome_text",
            field=models.TextField(
                blank=True,
                help_text="Shown before the questionnaire: purpose, time it takes, "
                "confidentiality, that taking part is voluntary.",
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="study_contact",
            field=models.TextField(
                blank=True,
                help_text="Who respondents can contact with questions (shown on every page).",
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="allow_changes_after_completion",
            field=models.BooleanField(
                default=False,
                help_text="Respondents may change their answers until the round closes.",
            ),
        ),
        migrations.AddField(
            model_name="member",
            name="token_nonce",
            field=models.CharField(max_length=32, null=True),
        ),
        migrations.AddField(
            model_name="member",
            name="token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(issue_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="member",
            name="token_nonce",
            field=models.CharField(max_length=32, unique=True),
        ),
        migrations.AlterField(
            model_name="member",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.AddField(
            model_name="member",
            name="opted_out_reminders_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="member",
            name="opted_out_study_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
