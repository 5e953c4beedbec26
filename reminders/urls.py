from django.urls import path

from reminders import views

app_name = "reminders"
urlpatterns = [
    path("rounds/<int:pk>/", views.round_schedule, name="round_schedule"),
    path("rounds/<int:pk>/new/", views.message_create, name="message_create"),
    path("rounds/<int:pk>/pause/", views.round_pause, name="round_pause"),
    path("rounds/<int:pk>/resume/", views.round_resume, name="round_resume"),
    path("messages/<int:message>/", views.message_detail, name="message_detail"),
    path("messages/<int:message>/edit/", views.message_edit, name="message_edit"),
    path("messages/<int:message>/preview/", views.message_preview, name="message_preview"),
    path("messages/<int:message>/test/", views.message_test_send, name="message_test_send"),
    path("messages/<int:message>/outbox/", views.message_outbox, name="message_outbox"),
    path("messages/<int:message>/send-now/", views.message_send_now, name="message_send_now"),
    path(
        "messages/<int:message>/send-to-added/",
        views.message_send_to_added,
        name="message_send_to_added",
    ),
    path(
        "messages/<int:message>/retry-failed/",
        views.message_retry_failed,
        name="message_retry_failed",
    ),
    path("members/<int:member>/", views.member_messages, name="member_messages"),
    # Last: the no-store test walks these in order, and a deleted message has no pages.
    path("messages/<int:message>/delete/", views.message_delete, name="message_delete"),
]
