from django.urls import path

from surveys.respondent import views

app_name = "surveys"
urlpatterns = [
    path("", views.welcome, name="welcome"),
    path("start/", views.start, name="start"),
    path("continue/", views.resume, name="resume"),
    path("page/<slug:page_id>/", views.page, name="page"),
    path("page/<slug:page_id>/shown/", views.page_shown, name="page_shown"),
    path("saved/", views.saved, name="saved"),
    path("opt-out/", views.opt_out, name="opt_out"),
    path("<path:token>/", views.link, name="link"),
]
