from django.urls import URLPattern, path

from prezent.activities import views
from prezent.activities.campaign import urls as campaign_urls
from prezent.activities.courses import urls as courses_urls

app_name = "activities"
urlpatterns: list[URLPattern] = [
    path("", views.calendar_view, name="calendar"),
    path("scoala/<int:school_id>/noua/", views.activity_create_view, name="create"),
    path("<int:pk>/", views.activity_detail_view, name="detail"),
    path("<int:pk>/modifica/", views.activity_edit_view, name="edit"),
    path("acoperire/", views.coverage_view, name="coverage"),
    path("tipuri/", views.catalogue_view, name="catalogue"),
    path("tipuri/<str:which>/<int:pk>/", views.catalogue_toggle_view, name="catalogue_toggle"),
    path("tipuri/<str:which>/<int:pk>/modifica/", views.catalogue_edit_view, name="catalogue_edit"),
    *courses_urls.urlpatterns,
    *campaign_urls.urlpatterns,
]
