"""The information campaign's pages, included in prezent/activities/urls.py (namespace "activities")."""

from django.urls import URLPattern, path

from prezent.activities.campaign import views

urlpatterns: list[URLPattern] = [
    path("campanie/", views.campaign_list_view, name="campaign_list"),
    path("campanie/scoala/<int:school_id>/noua/", views.campaign_create_view, name="campaign_create"),
    path("campanie/<int:pk>/", views.campaign_detail_view, name="campaign_detail"),
    path("campanie/<int:pk>/dovezi/", views.evidence_upload_view, name="evidence_upload"),
    path("campanie/dovezi/<int:pk>/", views.evidence_download_view, name="evidence_download"),
    path("campanie/dovezi/<int:pk>/stergere/", views.evidence_remove_view, name="evidence_remove"),
    path("campanie/harta/", views.campaign_map_view, name="campaign_map"),
]
