from django.urls import path

from prezent.results import views
from prezent.results.budget import urls as budget_urls

app_name = "results"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("indicatori/<slug:code>/", views.indicator_view, name="indicator"),
    path("tinte/<int:pk>/", views.target_revise_view, name="target_revise"),
    path("scoli/", views.schools_view, name="schools"),
    path("scoli/<int:pk>/", views.school_view, name="school"),
    path("comune/", views.communes_view, name="communes"),
    path("comune/<int:pk>/", views.commune_view, name="commune"),
    path("harta/", views.map_view, name="map"),
    path("cadru/", views.framework_setup_view, name="framework_setup"),
    path("perioade/", views.period_create_view, name="period_create"),
    path("perioade/<int:pk>/blocare/", views.period_lock_view, name="period_lock"),
    path("export/raport.pdf", views.report_pdf_view, name="report_pdf"),
    path("export/indicatori.xlsx", views.indicators_xlsx_view, name="indicators_xlsx"),
    path("export/evaluare.csv", views.evaluator_csv_view, name="evaluator_csv"),
    path("hg691/", views.hg691_list_view, name="hg691_list"),
    path("hg691/<int:pk>/", views.hg691_xlsx_view, name="hg691_xlsx"),
    *budget_urls.urlpatterns,
]
