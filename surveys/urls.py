from django.urls import path

from surveys import views

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
]
