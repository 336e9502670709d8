"""The absence-totals import pages, included in prezent/attendance/urls.py (namespace "attendance")."""

from django.urls import path

from prezent.attendance.totals import views

urlpatterns = [
    path("absente/import/", views.totals_import_view, name="totals_import"),
    path("absente/import/confirmare/", views.totals_import_confirm_view, name="totals_import_confirm"),
]
