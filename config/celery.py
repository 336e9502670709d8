"""Celery application. Without CELERY_BROKER_URL tasks run eagerly, in-process.

Importing `config` (which imports this module, so that every `shared_task` binds to this app) never chooses a
settings module: `manage.py` chooses the local settings, `wsgi.py` and `asgi.py` production, and a worker or beat
started without `DJANGO_SETTINGS_MODULE` refuses to start instead of running on the development settings.
"""

from celery import Celery

app = Celery("prezent")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
