"""The alert work lists, included in prezent/risk/urls.py (namespace "risk")."""

from django.urls import URLPattern, path

from prezent.risk.alerts import views

urlpatterns: list[URLPattern] = [
    path("alerte/", views.alert_list_view, name="alert_list"),
    path("alerte/<int:pk>/", views.alert_detail_view, name="alert_detail"),
    path("alerte/<int:pk>/urmarire/", views.alert_follow_up_view, name="alert_follow_up"),
    path("alerte/<int:pk>/preiau/", views.alert_assign_view, name="alert_assign"),
    path("alerte/<int:pk>/inchide/", views.alert_dismiss_view, name="alert_dismiss"),
    path("alerte/<int:pk>/scrisoare/", views.alert_letter_view, name="alert_letter"),
    path("alerte/<int:pk>/notificare/", views.alert_notice_send_view, name="alert_notice_send"),
    path("alerte/scoala/<int:pk>/", views.school_overview_view, name="alert_school_overview"),
    path("alerte/judet/", views.county_overview_view, name="alert_county_overview"),
]
