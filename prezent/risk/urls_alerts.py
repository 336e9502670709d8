from django.urls import URLPattern, path

from prezent.risk import alert_views

urlpatterns: list[URLPattern] = [
    path("alerte/", alert_views.alert_list_view, name="alert_list"),
    path("alerte/<int:pk>/", alert_views.alert_detail_view, name="alert_detail"),
    path("alerte/<int:pk>/urmarire/", alert_views.alert_follow_up_view, name="alert_follow_up"),
    path("alerte/<int:pk>/preiau/", alert_views.alert_assign_view, name="alert_assign"),
    path("alerte/<int:pk>/inchide/", alert_views.alert_dismiss_view, name="alert_dismiss"),
    path("alerte/<int:pk>/scrisoare/", alert_views.alert_letter_view, name="alert_letter"),
    path("alerte/<int:pk>/notificare/", alert_views.alert_notice_send_view, name="alert_notice_send"),
    path("alerte/scoala/<int:pk>/", alert_views.school_overview_view, name="alert_school_overview"),
    path("alerte/judet/", alert_views.county_overview_view, name="alert_county_overview"),
]
