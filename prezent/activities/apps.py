from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "prezent.activities"
    label = "activities"
