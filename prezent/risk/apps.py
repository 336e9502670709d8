from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "prezent.risk"
    label = "risk"
