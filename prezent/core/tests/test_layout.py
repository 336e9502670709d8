"""The layout rule of every app (docs/architecture.md, "Layout").

An app's own concept sits at its root under the standard module names; a second concept is a sub-package with the
same names, never a module named after it (`alert_views.py`, `urls_rules.py`). Every Celery task is in the app's
`tasks.py`, the only module Celery's autodiscovery imports (`config/celery.py`).
"""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

PREZENT = Path(settings.BASE_DIR) / "prezent"
STANDARD = ("models", "selectors", "services", "permissions", "forms", "views", "urls", "tasks")
# "result_views", "alert_forms", "urls_engine", "views_course", …
PREFIXED = re.compile(r"^(?:\w+_(?:{names})|(?:{names})_\w+)$".format(names="|".join(STANDARD)))
NOT_CHECKED = {"migrations", "tests", "management"}


def _checked(path: Path) -> bool:
    return not NOT_CHECKED & set(path.relative_to(PREZENT).parts[:-1])


def _modules() -> list[Path]:
    return [path for path in sorted(PREZENT.rglob("*.py")) if _checked(path)]


def _packages() -> list[Path]:
    return [path.parent for path in _modules() if path.name == "__init__.py" and path.parent != PREZENT]


def _defines_a_task(path: Path) -> bool:
    """Whether the module decorates a function with `shared_task` or `<app>.task`, with or without arguments."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Name) and target.id == "shared_task":
                    return True
                if isinstance(target, ast.Attribute) and target.attr in ("shared_task", "task"):
                    return True
    return False


def _app_tasks_modules() -> set[Path]:
    """`tasks.py` of each installed Prezent app: where autodiscovery looks."""
    return {Path(config.path) / "tasks.py" for config in apps.get_app_configs() if config.name.startswith("prezent.")}


def test_the_scan_sees_the_apps_and_their_sub_packages():
    names = {path.relative_to(PREZENT).as_posix() for path in _modules()}
    assert {"risk/views.py", "risk/alerts/views.py", "attendance/marks/services.py"} <= names
    assert not any(name.startswith(("risk/tests/", "risk/migrations/")) for name in names)


def test_no_module_or_package_is_named_with_a_prefix_or_suffix_of_a_standard_name():
    wrong = [path.relative_to(PREZENT).as_posix() for path in _modules() if PREFIXED.match(path.stem)]
    wrong += [path.relative_to(PREZENT).as_posix() + "/" for path in _packages() if PREFIXED.match(path.name)]
    assert wrong == [], "a second concept of an app is a sub-package with the standard module names"


def test_the_rule_recognises_the_names_it_forbids():
    forbidden = ["alert_views", "result_urls", "urls_engine", "screening_forms", "alert_selectors", "alert_tasks"]
    allowed = ["views", "urls", "tasks", "network_import", "scoring", "values", "notices", "prezent_tags"]
    assert [name for name in forbidden if not PREFIXED.match(name)] == []
    assert [name for name in allowed if PREFIXED.match(name)] == []


def test_every_celery_task_is_in_its_apps_tasks_module():
    defining = {path for path in _modules() if _defines_a_task(path)}
    assert {PREZENT / "risk" / "tasks.py", PREZENT / "programme" / "tasks.py"} <= defining
    elsewhere = sorted(path.relative_to(PREZENT).as_posix() for path in defining - _app_tasks_modules())
    assert elsewhere == [], "Celery's autodiscovery imports only prezent/<app>/tasks.py"
