from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "prezent.reports"
    label = "reports"
