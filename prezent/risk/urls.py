from django.urls import URLPattern, path

from prezent.risk import views
from prezent.risk.alerts import urls as alerts_urls
from prezent.risk.backtest import urls as backtest_urls
from prezent.risk.rules import urls as rules_urls

app_name = "risk"
urlpatterns: list[URLPattern] = [
    path("condica/clasa/<int:pk>/<str:day>/", views.register_view, name="register"),
    path("copil/<int:child_id>/motivare/", views.excuse_view, name="excuse"),
    *alerts_urls.urlpatterns,
    *rules_urls.urlpatterns,
    *backtest_urls.urlpatterns,
]
