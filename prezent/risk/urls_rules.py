from django.urls import path

from prezent.risk import rule_views

urlpatterns = [
    path("reguli/", rule_views.rules_view, name="rules"),
    path("reguli/recalculare/", rule_views.recompute_view, name="recompute"),
]
