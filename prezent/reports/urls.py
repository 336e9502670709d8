from django.urls import path

from prezent.reports import views

app_name = "reports"
urlpatterns = [
    path("copii/<int:pk>/", views.child_detail_view, name="child_detail"),
    path("configurare/", views.county_setup_view, name="setup"),
]
