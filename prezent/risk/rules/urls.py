"""The county coordinator's rule-set pages, included in prezent/risk/urls.py (namespace "risk")."""

from django.urls import path

from prezent.risk.rules import views

urlpatterns = [
    path("reguli/", views.rules_view, name="rules"),
    path("reguli/recalculare/", views.recompute_view, name="recompute"),
    path("reguli/<int:pk>/adoptare/", views.adopt_view, name="rules_adopt"),
]
