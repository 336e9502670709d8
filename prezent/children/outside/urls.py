"""Joined into prezent/children/urls.py (namespace "children")."""

from django.urls import path

from prezent.children.outside import views

urlpatterns = [
    path("in-afara-scolii/", views.outside_list_view, name="outside_list"),
    path("in-afara-scolii/nou/", views.outside_create_view, name="outside_create"),
    path("in-afara-scolii/cauta/", views.outside_pick_view, name="outside_pick"),
    path("in-afara-scolii/<int:pk>/", views.outside_detail_view, name="outside_detail"),
    path("in-afara-scolii/<int:pk>/reinscriere/", views.outside_reenrol_view, name="outside_reenrol"),
    path("in-afara-scolii/<int:pk>/incheiere/", views.outside_close_view, name="outside_close"),
    path("<int:pk>/in-afara-scolii/", views.outside_mark_view, name="outside_mark"),
]
