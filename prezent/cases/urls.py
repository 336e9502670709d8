from django.urls import URLPattern, path

from prezent.cases import views
from prezent.cases.groups import urls as groups_urls

app_name = "cases"
urlpatterns: list[URLPattern] = [
    path("", views.work_view, name="work"),
    path("lista/", views.case_list_view, name="list"),
    path("nou/", views.case_open_view, name="open"),
    path("catalog/", views.catalogue_view, name="catalogue"),
    path("catalog/<int:pk>/", views.catalogue_toggle_view, name="catalogue_toggle"),
    path("<int:pk>/", views.case_detail_view, name="detail"),
    path("<int:pk>/fisa.pdf", views.case_file_view, name="file"),
    path("<int:pk>/evaluare/", views.assessment_view, name="assessment"),
    path("<int:pk>/plan/", views.plan_view, name="plan"),
    path("<int:pk>/plan/revizuire/", views.plan_review_view, name="plan_review"),
    path("<int:pk>/interventii/", views.intervention_add_view, name="intervention_add"),
    path("<int:pk>/vizite/", views.visit_add_view, name="visit_add"),
    path("<int:pk>/sesizari/", views.referral_add_view, name="referral_add"),
    path("<int:pk>/note/", views.note_add_view, name="note_add"),
    path("<int:pk>/stare/", views.transition_view, name="transition"),
    path("<int:pk>/inchidere/", views.close_request_view, name="close_request"),
    path("<int:pk>/inchidere/decizie/", views.close_decide_view, name="close_decide"),
    path("<int:pk>/responsabil/", views.reassign_view, name="reassign"),
    path("<int:pk>/predare/", views.hand_over_view, name="hand_over"),
    path("interventii/<int:pk>/anulare/", views.intervention_remove_view, name="intervention_remove"),
    path("vizite/<int:pk>/efectuata/", views.visit_done_view, name="visit_done"),
    path("sesizari/<int:pk>/raspuns/", views.referral_answer_view, name="referral_answer"),
    path("sesizari/<int:pk>/termen/", views.referral_due_view, name="referral_due"),
    *groups_urls.urlpatterns,
]
