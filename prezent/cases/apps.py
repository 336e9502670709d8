from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "prezent.cases"
    label = "cases"
