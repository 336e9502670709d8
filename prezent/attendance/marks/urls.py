"""The module-averages pages, included in prezent/attendance/urls.py (namespace "attendance")."""

from django.urls import path

from prezent.attendance.marks import views

urlpatterns = [
    path("medii/clasa/<int:pk>/", views.results_current_view, name="results_current"),
    path("medii/clasa/<int:pk>/modulul/<int:module>/", views.results_view, name="results"),
    path("medii/clasa/<int:pk>/modulul/<int:module>/import/", views.results_import_view, name="results_import"),
    path(
        "medii/clasa/<int:pk>/modulul/<int:module>/model.xlsx",
        views.results_template_view,
        name="results_template",
    ),
]
