from django.urls import URLPattern, path

from prezent.results.budget import views

urlpatterns: list[URLPattern] = [
    path("buget/", views.budget_view, name="budget"),
    path("buget/curs/", views.budget_rate_view, name="budget_rate"),
    path("buget/linii/", views.budget_line_create_view, name="budget_line_create"),
    path("buget/linii/<int:pk>/stergere/", views.budget_line_delete_view, name="budget_line_delete"),
    path("buget/plan/", views.budget_plan_view, name="budget_plan"),
    path("buget/plan/<int:pk>/stergere/", views.budget_plan_delete_view, name="budget_plan_delete"),
    path("buget/costuri-unitare/", views.budget_unit_cost_view, name="budget_unit_cost"),
    path(
        "buget/costuri-unitare/<int:pk>/stergere/", views.budget_unit_cost_delete_view, name="budget_unit_cost_delete"
    ),
    path("buget/cheltuieli/", views.cost_list_view, name="budget_costs"),
    path("buget/cheltuieli/noua/", views.cost_create_view, name="budget_cost_create"),
    path("buget/cheltuieli/<int:pk>/", views.cost_edit_view, name="budget_cost_edit"),
    path("buget/cheltuieli/<int:pk>/stergere/", views.cost_delete_view, name="budget_cost_delete"),
    path("buget/cheltuieli/<int:pk>/factura/", views.invoice_upload_view, name="budget_invoice_upload"),
    path("buget/facturi/<int:pk>/", views.invoice_download_view, name="budget_invoice"),
    path("buget/facturi/<int:pk>/stergere/", views.invoice_delete_view, name="budget_invoice_delete"),
]
