"""The pupils import pages, included in prezent/children/urls.py (namespace "children")."""

from django.urls import path

from prezent.children.imports import views

urlpatterns = [
    path("import/", views.pupil_import_view, name="import"),
    path("import/verificare/", views.pupil_import_preview_view, name="import_preview"),
]
