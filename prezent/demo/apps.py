from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "prezent.demo"
    label = "demo"
