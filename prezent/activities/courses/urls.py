"""The training courses' pages, included in prezent/activities/urls.py (namespace "activities")."""

from django.urls import URLPattern, path

from prezent.activities.courses import views

urlpatterns: list[URLPattern] = [
    path("cursuri/", views.course_list_view, name="course_list"),
    path("cursuri/nou/", views.course_create_view, name="course_create"),
    path("cursuri/<int:pk>/", views.course_detail_view, name="course_detail"),
    path("cursuri/<int:pk>/sesiuni/", views.course_session_add_view, name="course_session_add"),
    path("cursuri/<int:pk>/setari/", views.course_settings_view, name="course_settings"),
    path("cursuri/<int:pk>/inscrieri/", views.course_enrol_view, name="course_enrol"),
    path("cursuri/<int:pk>/lista-cursanti/", views.course_trainees_view, name="course_trainees"),
    path("cursuri/<int:pk>/scoruri/", views.course_scores_view, name="course_scores"),
    path("cursuri/<int:pk>/certificate/", views.certificates_all_view, name="certificates_all"),
    path("cursuri/<int:pk>/certificat/<int:enrolment_id>/", views.certificate_view, name="certificate"),
    path("cursuri/sesiuni/<int:pk>/", views.session_attendance_view, name="session_attendance"),
]
