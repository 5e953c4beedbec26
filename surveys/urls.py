from django.urls import path

from surveys import views
from surveys.exports import views as exports

app_name = "surveys_admin"
urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire_list"),
    path("upload/", views.definition_upload, name="definition_upload"),
    path("compare/", views.version_diff, name="version_diff"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/download/", views.version_download, name="version_download"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:pk>/copy/", views.version_copy, name="version_copy"),
    path("versions/<int:pk>/preview/", views.version_preview, name="version_preview"),
    path(
        "versions/<int:pk>/preview/<slug:page_id>/",
        views.version_preview,
        name="version_preview_page",
    ),
    path("versions/<int:pk>/replace/", views.version_replace, name="version_replace"),
    path("rounds/<int:pk>/exports/", exports.round_exports, name="round_exports"),
    path("rounds/<int:pk>/exports/start/", exports.export_start, name="export_start"),
    path("rounds/<int:pk>/exports/<int:job>/", exports.export_job, name="export_job"),
    path(
        "rounds/<int:pk>/exports/<int:job>/status/",
        exports.export_job_status,
        name="export_job_status",
    ),
    path(
        "rounds/<int:pk>/exports/<int:job>/download/",
        exports.export_download,
        name="export_download",
    ),
    path("rounds/<int:pk>/codebook/", exports.round_codebook, name="round_codebook"),
    path("rounds/<int:pk>/codebook.csv", exports.round_codebook_csv, name="round_codebook_csv"),
    path("codebook/", exports.codebook_across, name="codebook_across"),
    path("codebook.csv", exports.codebook_across_csv, name="codebook_across_csv"),
    path("downloads/", exports.download_log, name="download_log"),
]
