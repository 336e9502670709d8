from django.urls import path

from prezent.reports.privacy import views

urlpatterns = [
    path("copii/<int:pk>/date-personale.pdf", views.subject_export_pdf_view, name="subject_export_pdf"),
    path("copii/<int:pk>/date-personale.json", views.subject_export_json_view, name="subject_export_json"),
]
