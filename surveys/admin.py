from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join

from surveys.definitions import definition_of
from surveys.engine.piping import answer_text
from surveys.engine.values import is_answered
from surveys.models import (
    DownloadLog,
    ExportJob,
    Questionnaire,
    Response,
    Version,
    VersionStatus,
)


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "created_at")
    search_fields = ("slug", "title")

    def get_readonly_fields(self, request, obj=None):
        # Commands and exports name a questionnaire by its slug (`dump_questionnaire kip`);
        # the database refuses the rename too.
        if obj is not None and obj.has_published_version():
            return ("slug",)
        return ()


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    """Versions are written through the load command or the questionnaire pages; here they
    can only be read, so a published one cannot be changed from the admin either."""

    list_display = ("questionnaire", "number", "title", "status", "published_at")
    list_filter = ("questionnaire", "status")
    readonly_fields = (
        "questionnaire",
        "number",
        "title",
        "status",
        "definition",
        "content_hash",
        "based_on",
        "created_at",
        "published_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None and not obj.is_published and super().has_delete_permission(request, obj)
        )

    def delete_view(self, request, object_id, extra_context=None):
        version = self.get_object(request, object_id)
        allowed = version is not None and self.has_delete_permission(request, version)
        derived = version.derived.filter(status=VersionStatus.PUBLISHED) if allowed else []
        if derived:
            names = ", ".join(str(v) for v in derived)
            self.message_user(
                request,
                f"{version} cannot be deleted: {names} was based on it, and a published"
                " version never changes.",
                messages.ERROR,
            )
            return redirect("admin:surveys_version_change", version.pk)
        return super().delete_view(request, object_id, extra_context)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Answers are never lost: a response can be read here, never changed or deleted."""

    list_display = ("respondent", "round", "version", "started_at", "completed_at")
    list_filter = ("version", "completed_at")
    list_select_related = ("member__contact", "member__round", "version__questionnaire")
    search_fields = ("member__contact__first_name", "member__contact__last_name")
    fields = (
        "member",
        "version",
        "questions_and_answers",
        "pages_done",
        "revision",
        "started_at",
        "updated_at",
        "completed_at",
    )
    readonly_fields = fields

    @admin.display(description="Respondent", ordering="member__contact__last_name")
    def respondent(self, response):
        contact = response.member.contact
        return f"{contact.first_name} {contact.last_name}"

    @admin.display(description="Round", ordering="member__round__name")
    def round(self, response):
        return response.member.round

    @admin.display(description="Questions and answers")
    def questions_and_answers(self, response):
        """Return the questions in the questionnaire's order, each with its answer."""
        defn = definition_of(response.version)
        answers, not_asked = response.answers, set(response.not_asked)
        rows = []
        for page in defn.pages:
            if page.title:
                rows.append(
                    format_html('<tr><th colspan="2" scope="colgroup">{}</th></tr>', page.title)
                )
            for item in page.flat_items():
                if item.type == "info":
                    continue
                if item.type == "grid":
                    rows.append(format_html('<tr><td colspan="2">{}</td></tr>', item.text))
                    continue
                value = answers.get(item.code)
                if is_answered(value):
                    shown = answer_text(item, value, answers)
                else:
                    shown = "not asked" if item.code in not_asked else "no answer"
                rows.append(
                    format_html(
                        '<tr><td><span class="quiet">{}</span> {}</td><td>{}</td></tr>',
                        item.code,
                        item.text,
                        shown,
                    )
                )
        return format_html(
            '<table class="questions-and-answers"><thead><tr><th scope="col">Question</th>'
            '<th scope="col">Answer</th></tr></thead><tbody>{}</tbody></table>',
            format_html_join("", "{}", ((row,) for row in rows)),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The page is titled by whose response it is, not "View response".
        response = self.get_object(request, object_id)
        if response is not None:
            extra_context = {**(extra_context or {}), "title": str(response), "subtitle": None}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__contact", "member__round")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AdminRoleOnly(admin.ModelAdmin):
    """Read by admins only (the admin role or a superuser); written by the exports alone."""

    def has_view_permission(self, request, obj=None):
        from surveys.exports.permissions import is_admin

        return is_admin(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DownloadLog)
class DownloadLogAdmin(AdminRoleOnly):
    list_display = ("at", "username", "round_name", "kind", "format", "rows", "identified", "via")
    list_filter = ("kind", "format", "identified", "via")
    search_fields = ("username", "round_name")
    date_hierarchy = "at"


@admin.register(ExportJob)
class ExportJobAdmin(AdminRoleOnly):
    list_display = ("created_at", "round", "kind", "format", "status", "rows_written", "created_by")
    list_filter = ("status", "kind", "format")
    exclude = ("file",)  # downloads go through the logged download page
