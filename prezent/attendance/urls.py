from django.urls import path

from prezent.attendance import views

app_name = "attendance"
urlpatterns = [
    path("clasa/<int:pk>/", views.class_view, name="class"),
    path("clasa/<int:pk>/azi/", views.register_today_view, name="register_today"),
    path("clasa/<int:pk>/<str:day>/", views.register_view, name="register"),
    path("copil/<int:child_id>/motivare/", views.excuse_view, name="excuse"),
    path("scoala/<int:pk>/", views.school_register_view, name="school"),
]
