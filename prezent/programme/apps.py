from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "prezent.programme"
    label = "programme"
