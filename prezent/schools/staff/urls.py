from django.urls import path

from prezent.schools.staff import views

urlpatterns = [
    path("personal/", views.staff_list_view, name="staff_list"),
    path("personal/import/", views.staff_import_view, name="staff_import"),
    path("personal/adauga/", views.staff_person_add_view, name="staff_person_add"),
    path("personal/scoli/", views.staff_school_search_view, name="staff_school_search"),
    path("personal/clase/", views.staff_class_choices_view, name="staff_class_choices"),
    path("personal/<int:pk>/", views.staff_person_view, name="staff_person"),
    path("personal/<int:pk>/rol/", views.staff_role_give_view, name="staff_role_give"),
    path("personal/<int:pk>/clasa/", views.staff_class_set_view, name="staff_class_set"),
    path("personal/<int:pk>/invitatie/", views.staff_invite_view, name="staff_invite"),
    path("personal/roluri/<int:pk>/incheie/", views.staff_role_end_view, name="staff_role_end"),
    path("personal/roluri/<int:pk>/prelungeste/", views.staff_role_extend_view, name="staff_role_extend"),
    path("personal/confirmari/", views.role_grants_view, name="role_grants"),
    path("personal/confirmari/<int:pk>/", views.role_grant_decide_view, name="role_grant_decide"),
]
