from django.urls import path

from prezent.schools import views

app_name = "schools"
urlpatterns = [
    path("", views.school_list_view, name="list"),
    path("<int:pk>/", views.school_detail_view, name="detail"),
]
