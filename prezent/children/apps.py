from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "prezent.children"
    label = "children"
