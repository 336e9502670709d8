from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "prezent.results"
    label = "results"
