from django.contrib.auth import views as auth_views
from django.urls import path

from prezent.accounts import views

urlpatterns = [
    path("autentificare/", views.login_view, name="login"),
    path("iesire/", auth_views.LogoutView.as_view(), name="logout"),
    path("limba/", views.language_view, name="set_language"),
    # "Am uitat parola" and the invitations: Django's password-reset views with the site's Romanian pages.
    path("parola/uitata/", views.password_reset_view, name="password_reset"),
    path(
        "parola/trimisa/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "parola/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="registration/password_reset_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "parola/setata/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
