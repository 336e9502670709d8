from django.urls import URLPattern, path

from prezent.activities import campaign_views, course_views, views

app_name = "activities"
urlpatterns: list[URLPattern] = [
    path("", views.calendar_view, name="calendar"),
    path("scoala/<int:school_id>/noua/", views.activity_create_view, name="create"),
    path("<int:pk>/", views.activity_detail_view, name="detail"),
    path("<int:pk>/modifica/", views.activity_edit_view, name="edit"),
    path("acoperire/", views.coverage_view, name="coverage"),
    path("tipuri/", views.catalogue_view, name="catalogue"),
    path("tipuri/<str:which>/<int:pk>/", views.catalogue_toggle_view, name="catalogue_toggle"),
    path("tipuri/<str:which>/<int:pk>/modifica/", views.catalogue_edit_view, name="catalogue_edit"),
    path("cursuri/", course_views.course_list_view, name="course_list"),
    path("cursuri/nou/", course_views.course_create_view, name="course_create"),
    path("cursuri/<int:pk>/", course_views.course_detail_view, name="course_detail"),
    path("cursuri/<int:pk>/sesiuni/", course_views.course_session_add_view, name="course_session_add"),
    path("cursuri/<int:pk>/setari/", course_views.course_settings_view, name="course_settings"),
    path("cursuri/<int:pk>/inscrieri/", course_views.course_enrol_view, name="course_enrol"),
    path("cursuri/<int:pk>/scoruri/", course_views.course_scores_view, name="course_scores"),
    path("cursuri/<int:pk>/certificate/", course_views.certificates_all_view, name="certificates_all"),
    path("cursuri/<int:pk>/certificat/<int:enrolment_id>/", course_views.certificate_view, name="certificate"),
    path("cursuri/sesiuni/<int:pk>/", course_views.session_attendance_view, name="session_attendance"),
    path("campanie/", campaign_views.campaign_list_view, name="campaign_list"),
    path("campanie/scoala/<int:school_id>/noua/", campaign_views.campaign_create_view, name="campaign_create"),
    path("campanie/<int:pk>/", campaign_views.campaign_detail_view, name="campaign_detail"),
    path("campanie/<int:pk>/dovezi/", campaign_views.evidence_upload_view, name="evidence_upload"),
    path("campanie/dovezi/<int:pk>/", campaign_views.evidence_download_view, name="evidence_download"),
    path("campanie/dovezi/<int:pk>/stergere/", campaign_views.evidence_remove_view, name="evidence_remove"),
    path("campanie/harta/", campaign_views.campaign_map_view, name="campaign_map"),
]
