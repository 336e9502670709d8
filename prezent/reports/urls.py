from django.urls import path

from prezent.reports import views
from prezent.reports.privacy import urls as privacy_urls

app_name = "reports"
urlpatterns = [
    path("copii/<int:pk>/", views.child_detail_view, name="child_detail"),
    path("configurare/", views.county_setup_view, name="setup"),
    *privacy_urls.urlpatterns,
]
