from django.urls import path

from prezent.children.promotion import views

urlpatterns = [
    path("an-scolar-nou/", views.year_open_view, name="year_open"),
    path("clase/<int:pk>/repetenti/", views.repeaters_view, name="repeaters"),
]
