from django import forms
from django.contrib import admin

from panels.models import (
    COMPLETENESS_FIELDS,
    AnalysisGroup,
    Contact,
    Member,
    OrganisationType,
    Panel,
    Round,
    Site,
)
from panels.services import member_opt_in


class JobTitlesField(forms.Field):
    """A list of job titles edited as text, one title a line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "One job title a line.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(title) for title in value)
        return value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class JobTitlesForm(forms.ModelForm):
    job_titles = JobTitlesField(label="Job titles")


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "cohort", "cohort_year")
    list_filter = ("cohort",)
    search_fields = ("name", "short_name", "aliases")


@admin.register(AnalysisGroup)
class AnalysisGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "position")


@admin.register(OrganisationType)
class OrganisationTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "analysis_group")
    list_editable = ("analysis_group",)
    list_filter = ("analysis_group",)
    search_fields = ("label",)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = (
        "last_name",
        "first_name",
        "email",
        "site",
        "organisation",
        "organisation_type",
        "left_study_on",
    )
    list_filter = ("site__cohort", "site", "organisation_type__analysis_group", "organisation_type")
    search_fields = ("first_name", "last_name", "email", "organisation")
    list_select_related = ("site", "organisation_type")
    form = JobTitlesForm


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "status", "version", "fieldwork_start", "fieldwork_end")
    list_filter = ("status",)
    search_fields = ("name",)
    # Set on the round's completeness page, which refuses a change once the round opens.
    readonly_fields = COMPLETENESS_FIELDS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            # A round asks a published (frozen) version only.
            kwargs["queryset"] = db_field.related_model.objects.filter(status="published")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ("site", "round", "refreshed_at", "refreshed_by")
    list_filter = ("round", "site__cohort", "site")
    search_fields = ("site__name",)
    list_select_related = ("site", "round", "refreshed_by")


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = (
        "contact",
        "panel",
        "organisation_type",
        "disposition",
        "opted_out_reminders_at",
        "opted_out_study_at",
    )
    list_filter = (
        "round",
        "panel__site__cohort",
        "panel__site",
        "organisation_type__analysis_group",
        "disposition",
    )
    search_fields = ("contact__first_name", "contact__last_name", "contact__email", "organisation")
    list_select_related = ("contact", "panel__site", "panel__round", "organisation_type")
    raw_id_fields = ("contact", "panel")
    form = JobTitlesForm
    # A disposition changes only through panels.services, which keeps its history.
    readonly_fields = (
        "token_nonce",
        "token_hash",
        "disposition",
        "disposition_reason",
        "coordinated_by",
        "opted_out_reminders_at",
        "opted_out_study_at",
    )
    actions = ["undo_opt_out"]

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # A member who has started a response is kept by the database whoever asks:
            # say that, rather than that a permission is missing.
            perms_needed = set()
        return to_delete, model_count, perms_needed, protected

    @admin.action(description="Undo the opt-out of the selected members")
    def undo_opt_out(self, request, queryset):
        opted = queryset.filter(opted_out_reminders_at__isnull=False)
        for member in opted:
            member_opt_in(member=member, by=request.user)
        count = opted.count()
        self.message_user(
            request, f"Undid the opt-out of {count} member{'' if count == 1 else 's'}."
        )
