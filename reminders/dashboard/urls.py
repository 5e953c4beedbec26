from django.urls import path

from reminders.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("rounds/<int:pk>/", views.round_dashboard, name="round"),
    path("rounds/<int:pk>/<slug:table>.csv", views.round_table_csv, name="round_table_csv"),
    path("trends/", views.trends, name="trends"),
    path("trends.csv", views.trends_csv, name="trends_csv"),
    path("retention.csv", views.retention_csv, name="retention_csv"),
]
