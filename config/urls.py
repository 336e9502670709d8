from django.contrib import admin
from django.urls import include, path

from prezent.core.views import healthz_view
from prezent.reports.views import home_view

urlpatterns = [
    path("healthz", healthz_view, name="healthz"),
    path("", home_view, name="home"),
    path("", include("prezent.accounts.urls")),
    path("", include("prezent.reports.urls")),
    path("scoli/", include("prezent.schools.urls")),
    path("copii/", include("prezent.children.urls")),
    path("condica/", include("prezent.attendance.urls")),
    path("risc/", include("prezent.risk.urls")),
    path("program/", include("prezent.programme.urls")),
    path("cazuri/", include("prezent.cases.urls")),
    path("activitati/", include("prezent.activities.urls")),
    path("rezultate/", include("prezent.results.urls")),
    path("admin/", admin.site.urls),
]
