from django.urls import path

from prezent.children import views

app_name = "children"
urlpatterns = [
    path("", views.child_list_view, name="list"),
    path("nou/", views.child_create_view, name="create"),
    path("<int:pk>/cnp/", views.child_cnp_view, name="cnp"),
]
