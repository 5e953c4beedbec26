from django.urls import path
from django.views.generic import RedirectView

from panels import views

app_name = "panels"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="panels:round_list"), name="index"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/import/", views.panel_import, name="panel_import"),
    path("rounds/<int:pk>/imports/<int:job>/", views.import_job, name="import_job"),
    path(
        "rounds/<int:pk>/imports/<int:job>/status/",
        views.import_job_status,
        name="import_job_status",
    ),
    path(
        "rounds/<int:pk>/imports/<int:job>/problems.csv",
        views.import_job_problems,
        name="import_job_problems",
    ),
    path("rounds/<int:pk>/carry-forward/", views.round_carry_forward, name="round_carry_forward"),
    # The round's own pages: create and edit a round, and a site's list.
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/sites/<int:site>/", views.panel_detail, name="panel_detail"),
    path("rounds/<int:pk>/completeness/", views.round_completeness, name="round_completeness"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/members/", views.member_list, name="member_list"),
    path("rounds/<int:pk>/dispositions/", views.dispositions_import, name="dispositions_import"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
]
