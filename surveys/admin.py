from django.contrib import admin

from surveys.models import Questionnaire, Response, Version


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "created_at")
    search_fields = ("slug", "title")


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
