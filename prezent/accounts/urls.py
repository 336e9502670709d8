from django.contrib.auth import views as auth_views
from django.urls import path

from prezent.accounts import views
from prezent.accounts.twofactor import views as two_factor_views

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
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "parola/setata/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("parola/schimba/", views.PasswordChange.as_view(), name="password_change"),
    path(
        "parola/schimbata/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    # Two-factor sign-in (prezent/accounts/twofactor/).
    path("doi-pasi/", two_factor_views.verify_view, name="two_factor_verify"),
    path("doi-pasi/configurare/", two_factor_views.setup_view, name="two_factor_setup"),
    path("doi-pasi/cont/", two_factor_views.manage_view, name="two_factor_manage"),
    path("doi-pasi/telefon-nou/", two_factor_views.replace_view, name="two_factor_replace"),
    path("doi-pasi/resetare/", two_factor_views.reset_list_view, name="two_factor_reset_list"),
    path("doi-pasi/resetare/<int:user_id>/", two_factor_views.reset_view, name="two_factor_reset"),
]
