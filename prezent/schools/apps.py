from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "prezent.schools"
    label = "schools"
