"""The county coordinator's backtest page, included in prezent/risk/urls.py (namespace "risk")."""

from django.urls import path

from prezent.risk.backtest import views

urlpatterns = [
    path("backtest/", views.backtest_view, name="backtest"),
]
