from django.urls import URLPattern, path

from prezent.risk import views

urlpatterns: list[URLPattern] = [
    path("condica/clasa/<int:pk>/<str:day>/", views.register_view, name="register"),
    path("copil/<int:child_id>/motivare/", views.excuse_view, name="excuse"),
]
