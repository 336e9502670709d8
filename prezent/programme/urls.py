from django.urls import include, path

from prezent.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.programme_detail_view, name="detail"),
    path("grup-tinta/<int:child_id>/", views.membership_move_view, name="move"),
    path("evaluari/", include("prezent.programme.screening.urls")),
]
