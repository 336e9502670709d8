from django.urls import path

from prezent.schools import views
from prezent.schools.staff.urls import urlpatterns as staff_urlpatterns

app_name = "schools"
urlpatterns = [
    path("", views.school_list_view, name="list"),
    path("<int:pk>/", views.school_detail_view, name="detail"),
    path("ani-scolari/", views.school_year_list_view, name="years"),
    path("ani-scolari/<int:pk>/", views.school_year_edit_view, name="year_edit"),
    path("retea/", views.network_upload_view, name="network_upload"),
    path("retea/confirmare/", views.network_confirm_view, name="network_confirm"),
    *staff_urlpatterns,
]
