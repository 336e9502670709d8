from django.contrib.auth import views as auth_views
from django.urls import path

from prezent.accounts import views

urlpatterns = [
    path("autentificare/", views.login_view, name="login"),
    path("iesire/", auth_views.LogoutView.as_view(), name="logout"),
    path("limba/", views.language_view, name="set_language"),
]
