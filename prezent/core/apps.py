from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "prezent.core"
    label = "core"
