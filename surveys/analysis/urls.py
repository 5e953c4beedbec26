from django.urls import path

from . import views

app_name = "surveys_analysis"
urlpatterns = [
    path("", views.report, name="report"),
    path("table.<slug:fmt>", views.report_download, name="report_download"),
    path("trend/", views.trend, name="trend"),
    path("trend.<slug:fmt>", views.trend_download, name="trend_download"),
]
