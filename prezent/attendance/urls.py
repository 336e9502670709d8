from django.urls import path

from prezent.attendance import views
from prezent.attendance.marks import urls as marks_urls
from prezent.attendance.totals import urls as totals_urls

app_name = "attendance"
urlpatterns = [
    path("clasa/<int:pk>/", views.class_view, name="class"),
    path("clasa/<int:pk>/azi/", views.register_today_view, name="register_today"),
    path("scoala/<int:pk>/", views.school_register_view, name="school"),
    *marks_urls.urlpatterns,
    *totals_urls.urlpatterns,
]
