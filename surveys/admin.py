from django.contrib import admin, messages
from django.shortcuts import redirect

from surveys.models import Questionnaire, Response, Version, VersionStatus


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
    list_display = ("member", "version", "revision", "started_at", "completed_at")
    list_filter = ("version", "completed_at")
    readonly_fields = (
        "member",
        "version",
        "answers",
        "not_asked",
        "pages_done",
        "revision",
        "started_at",
        "updated_at",
        "completed_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
