"""Every periodic job names a task that a worker registers.

A worker knows only the tasks Celery's autodiscovery imports: the `tasks` module of each installed app
(`config/celery.py`). A task defined anywhere else is never registered, and beat would send its name to nobody.
The check runs in a fresh interpreter, because in the test process other tests have already imported the modules
a worker would not.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

WORKER_TASKS = """
import json
import django
django.setup()
from config.celery import app
app.loader.import_default_modules()
print(json.dumps(sorted(app.tasks)))
"""


@pytest.fixture(scope="module")
def worker_tasks() -> set[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", WORKER_TASKS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_every_scheduled_task_is_registered_by_autodiscovery(worker_tasks):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled, "the beat schedule is empty"
    assert scheduled - worker_tasks == set()


def test_the_tasks_the_pages_queue_are_registered_too(worker_tasks):
    assert {"prezent.risk.recompute_children", "prezent.programme.screening_execute"} <= worker_tasks
