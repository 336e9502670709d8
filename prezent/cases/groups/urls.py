from django.urls import URLPattern, path

from prezent.cases.groups import views

urlpatterns: list[URLPattern] = [
    path("livrari/", views.deliveries_view, name="deliveries"),
    path("livrari/<int:school>/<slug:kind>/<str:day>/", views.delivery_list_view, name="delivery_list"),
    path("grupe/", views.groups_view, name="groups"),
    path("grupe/<int:pk>/", views.group_detail_view, name="group_detail"),
    path("grupe/<int:pk>/prezenta/<str:day>/", views.group_attendance_view, name="group_attendance"),
]
