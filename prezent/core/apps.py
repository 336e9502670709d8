from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "prezent.core"
    label = "core"

    def ready(self) -> None:
        from prezent.core import lookups

        lookups.register()
