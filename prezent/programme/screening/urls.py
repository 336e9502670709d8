"""Screening pages, included under /program/evaluari/ in the "programme" namespace."""

from django.urls import path

from prezent.programme.screening import views

urlpatterns = [
    path("", views.screening_list_view, name="screening_list"),
    path("noua/", views.screening_run_view, name="screening_run"),
    path("comparatie/", views.screening_compare_view, name="screening_compare"),
    path("<int:pk>/", views.screening_detail_view, name="screening_detail"),
    path("rezultat/<int:pk>/decizie/", views.screening_decide_view, name="screening_decide"),
]
