from django.urls import path

from config.urls import urlpatterns as platform
from loadsite.views import bare

urlpatterns = [*platform, path("bench/bare/", bare)]
