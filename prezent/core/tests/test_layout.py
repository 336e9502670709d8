"""The layout rule of every app (docs/architecture.md, "Layout").

An app's own concept sits at its root under the standard module names; a second concept is a sub-package with the
same names, never a module named after it (`alert_views.py`, `urls_rules.py`). Every Celery task is in the app's
`tasks.py`, the only module Celery's autodiscovery imports (`config/celery.py`). Every authorization predicate is
`can_<verb>_<object>(*, user[, <object>])` in the `permissions.py` of its app or sub-package.
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


# The names authorization predicates had before they were all `can_<verb>_<object>` in a permissions.py.
OLD_PREDICATE = re.compile(r"^(?:may_\w+|sees_\w+|\w+_allowed)$")


def _source_modules() -> list[Path]:
    """Every module of the application, management commands included; not the tests nor the migrations."""
    skipped = {"tests", "migrations"}
    return [path for path in sorted(PREZENT.rglob("*.py")) if not skipped & set(path.relative_to(PREZENT).parts)]


def _returns_bool_or_unknown(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return node.returns is None or (isinstance(node.returns, ast.Name) and node.returns.id == "bool")


def _predicate_problems(source: str, module: str) -> list[str]:
    """What breaks the naming of authorization predicates in one module's source (`module` is its file name)."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        name = node.name.lstrip("_")
        if OLD_PREDICATE.match(name) or (name.endswith("_visible") and _returns_bool_or_unknown(node)):
            problems.append(f"{node.name}: a predicate is named can_<verb>_<object>")
        if not name.startswith("can_"):
            continue
        if module != "permissions.py":
            problems.append(f"{node.name}: a predicate lives in the permissions.py of its app or sub-package")
        arguments = node.args
        if arguments.posonlyargs or arguments.args or arguments.vararg:
            problems.append(f"{node.name}: a predicate takes keyword-only arguments")
        if not arguments.kwonlyargs or arguments.kwonlyargs[0].arg != "user":
            problems.append(f"{node.name}: a predicate's first argument is the user")
    return problems


def test_every_authorization_predicate_is_can_verb_object_with_keyword_arguments_in_a_permissions_module():
    problems = [
        f"{path.relative_to(PREZENT).as_posix()}:{problem}"
        for path in _source_modules()
        for problem in _predicate_problems(path.read_text(encoding="utf-8"), path.name)
    ]
    assert problems == []


def test_the_predicate_rule_sees_the_predicates_and_management_commands():
    names = {path.relative_to(PREZENT).as_posix() for path in _source_modules()}
    assert {"cases/permissions.py", "risk/alerts/permissions.py", "demo/management/commands/seed_demo.py"} <= names
    assert not any("/tests/" in name or "/migrations/" in name for name in names)


def test_the_predicate_rule_recognises_what_it_forbids():
    wrong = {
        "def may_open_cases(user): ...": "permissions.py",
        "def sees_cases(*, user): ...": "permissions.py",
        "def coverage_allowed(*, user): ...": "permissions.py",
        "def _may_remove(request, access, intervention) -> bool: ...": "views.py",
        "def roma_visible(*, user) -> bool: ...": "selectors.py",
        "def can_dismiss_alert(*, user, alert): ...": "selectors.py",
        "def can_excuse_absences(user, class_group): ...": "permissions.py",
        "def can_decide(user, *, result): ...": "permissions.py",
        "def can_view(*users): ...": "permissions.py",
        "def can_edit_child(*, child, user): ...": "permissions.py",
        "class Scope:\n    @property\n    def sees_children(self) -> bool: ...": "scope.py",
    }
    allowed = {
        "def can_view_cases(*, user): ...": "permissions.py",
        "def can_remove_intervention(*, user, intervention, access): ...": "permissions.py",
        "def child_list_visible_to(*, user) -> QuerySet: ...": "selectors.py",
        "def case_notes_visible_to(*, user, case=None): ...": "selectors.py",
        "def alerts_visible() -> QuerySet: ...": "selectors.py",
        "def in_production() -> bool: ...": "generator.py",
        "def enrolment_scope_q(user, *, today=None) -> Q: ...": "permissions.py",
    }
    assert [source for source, module in wrong.items() if not _predicate_problems(source, module)] == []
    assert [source for source, module in allowed.items() if _predicate_problems(source, module)] == []


def _layered_containers() -> set[str]:
    import tomllib

    config = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text(encoding="utf-8"))
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract["type"] == "layers" and "(views)" in contract["layers"]:
            return set(contract["containers"])
    raise AssertionError("the layers contract inside apps is gone from pyproject.toml")


def test_every_app_and_sub_package_with_standard_modules_is_under_the_layers_contract():
    """A new concept (a sub-package with views, services, …) is layered only if import-linter is told about it."""
    layered = {
        "prezent." + package.relative_to(PREZENT).as_posix().replace("/", ".")
        for package in _packages()
        if any((package / f"{name}.py").exists() for name in ("views", "services", "forms", "selectors"))
    }
    assert layered - _layered_containers() == set()
