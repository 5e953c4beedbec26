from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from config.views import favicon, healthz
from surveys.respondent.views import email_opt_out, email_opt_out_confirm

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="panels:round_list"), name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("panels/", include("panels.urls")),
    path("questionnaires/", include("surveys.urls")),
    path("fieldwork/", include("reminders.urls")),
    path("analysis/", include("surveys.analysis.urls")),
    path("r/", include("surveys.respondent.urls")),
    path("dashboard/", include("reminders.dashboard.urls")),
    path("o/", email_opt_out_confirm, name="email_opt_out_confirm"),
    path("o/<str:token>/", email_opt_out, name="email_opt_out"),
]

# A mail provider's bounce and complaint webhook (reminders.webhooks), only with its key.
if settings.ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
    urlpatterns.append(
        path(
            "anymail/mailgun/tracking/",
            MailgunTrackingWebhookView.as_view(),
            name="mailgun_tracking_webhook",
        )
    )
