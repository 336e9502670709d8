from django.urls import include, path

from prezent.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.programme_detail_view, name="detail"),
    path("grup-tinta/<int:child_id>/", views.membership_move_view, name="move"),
    path("evaluari/", include("prezent.programme.screening.urls")),
    path("programe/", views.programme_manage_list_view, name="manage_list"),
    path("programe/nou/", views.programme_create_view, name="create"),
    path("programe/<int:pk>/", views.programme_manage_view, name="manage"),
    path("programe/<int:pk>/modificare/", views.programme_edit_view, name="edit"),
    path("programe/<int:pk>/documente/", views.programme_documents_view, name="documents"),
    path("programe/<int:pk>/scoli/", views.programme_schools_view, name="schools"),
    path("programe/<int:pk>/scoli/coduri/", views.programme_school_codes_view, name="school_codes"),
    path("programe/<int:pk>/scoli/eliminare/", views.programme_schools_remove_view, name="schools_remove"),
]
