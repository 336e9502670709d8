from django.urls import path

from prezent.children import views
from prezent.children.imports import urls as imports_urls
from prezent.children.outside import urls as outside_urls
from prezent.children.promotion import urls as promotion_urls

app_name = "children"
urlpatterns = [
    path("", views.child_list_view, name="list"),
    path("nou/", views.child_create_view, name="create"),
    path("<int:pk>/cnp/", views.child_cnp_view, name="cnp"),
    path("<int:pk>/date/", views.child_edit_view, name="edit"),
    path("<int:pk>/parinte/", views.guardian_add_view, name="guardian_add"),
    path("<int:pk>/parinte/<int:guardianship_id>/", views.guardian_edit_view, name="guardian_edit"),
    path("<int:pk>/consimtamant/", views.consent_record_view, name="consent_record"),
    path("<int:pk>/consimtamant/<int:consent_id>/retragere/", views.consent_withdraw_view, name="consent_withdraw"),
    path("<int:pk>/mutare/", views.enrolment_move_view, name="move"),
    path("<int:pk>/familie/", views.household_edit_view, name="household"),
    path("<int:pk>/etnie/", views.ethnicity_declare_view, name="ethnicity"),
    *imports_urls.urlpatterns,
    *outside_urls.urlpatterns,
    *promotion_urls.urlpatterns,
]
