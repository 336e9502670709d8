from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "prezent.attendance"
    label = "attendance"
