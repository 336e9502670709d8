"""Screening pages, included under /program/evaluari/ in the "programme" namespace."""

from django.urls import path

from prezent.programme import screening_views

urlpatterns = [
    path("", screening_views.screening_list_view, name="screening_list"),
    path("noua/", screening_views.screening_run_view, name="screening_run"),
    path("comparatie/", screening_views.screening_compare_view, name="screening_compare"),
    path("<int:pk>/", screening_views.screening_detail_view, name="screening_detail"),
    path("rezultat/<int:pk>/decizie/", screening_views.screening_decide_view, name="screening_decide"),
]
