"""The module-averages pages, included in prezent/attendance/urls.py (namespace "attendance")."""

from django.urls import path

from prezent.attendance import result_views

urlpatterns = [
    path("medii/clasa/<int:pk>/", result_views.results_current_view, name="results_current"),
    path("medii/clasa/<int:pk>/modulul/<int:module>/", result_views.results_view, name="results"),
    path("medii/clasa/<int:pk>/modulul/<int:module>/import/", result_views.results_import_view, name="results_import"),
    path(
        "medii/clasa/<int:pk>/modulul/<int:module>/model.xlsx",
        result_views.results_template_view,
        name="results_template",
    ),
]
