from django.contrib import admin

from reminders.models import Message, OutboxEntry, RoundSending


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("round", "kind", "send_at", "subject", "status", "started_at", "finished_at")
    list_filter = ("round", "kind", "status")
    search_fields = ("subject",)
    readonly_fields = ("status", "started_at", "finished_at", "created_at", "updated_at")

    def has_change_permission(self, request, obj=None):
        # A message that started sending is a record of what went out.
        if obj is not None and not obj.editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.editable:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(OutboxEntry)
class OutboxEntryAdmin(admin.ModelAdmin):
    """Read-only: rows change only through the sender."""

    list_display = ("message", "member", "status", "reason", "attempts", "queued_at", "sent_at")
    list_filter = ("status", "reason", "message__round", "message")
    search_fields = ("member__contact__email", "member__contact__last_name", "message_id_header")
    list_select_related = ("message__round", "member__contact", "member__panel__site")
    raw_id_fields = ("member",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(RoundSending)
class RoundSendingAdmin(admin.ModelAdmin):
    list_display = ("round", "paused_at", "paused_by")
    readonly_fields = ("round", "paused_at", "paused_by")

    def has_add_permission(self, request):
        return False
