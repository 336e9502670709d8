"""Never an exception from a form: every Django form of the project, fed hostile data for every field.

The forms are found by importing each `forms` module of the apps and their sub-packages (so a new form is fuzzed
without editing this file) and built as their views build them, with the constructor's keyword arguments taken by
name from the authorization world (`user`, `schools`, `county_code`, `child`…). Hypothesis draws each field's
value by its kind — text with control characters and NUL, very long text, numbers past 2**63, non-numbers for
numeric, choice and model-choice fields, impossible days, nothing at all — and the form must answer valid or with
errors, never raise.
"""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prezent.core.tests import fuzz

pytestmark = pytest.mark.django_db

EXAMPLES = 15

# Forms whose constructor needs what only its view computes: a spreadsheet's header row and the columns read from it.
NOT_BUILT_HERE = {"prezent.children.imports.forms.ColumnMapForm"}

private_evidence = fuzz.fixture("prezent.activities.tests.conftest", "private_evidence")
activities_world = fuzz.fixture("prezent.activities.tests.conftest", "activities_world")


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for path in sorted(fuzz.ROOT.rglob("forms.py")):
        if "tests" in path.parts:
            continue
        module_name = ".".join(path.relative_to(fuzz.ROOT.parent).with_suffix("").parts)
        module = importlib.import_module(module_name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, forms.BaseForm)
                and obj.__module__ == module_name
                and not getattr(getattr(obj, "_meta", None), "abstract", False)
            ):
                found[f"{module_name}.{obj.__name__}"] = obj
    return [found[name] for name in sorted(found)]


FORMS = _form_classes()


def _arguments(world) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A value for each keyword argument a form's constructor asks for, by its name, from the world."""
    model = apps.get_model
    schools = model("schools", "School").objects.all()
    return {
        "user": world.users.county,
        "county_code": "IS",
        "counties": ["IS"],
        "schools": schools,
        "classes": model("schools", "ClassGroup").objects.all(),
        "years": model("schools", "SchoolYear").objects.all(),
        "localities": model("schools", "Locality").objects.all(),
        "lists": importlib.import_module("prezent.activities.selectors").school_lists(school=world.school_a),
        "existing": {},
        "siblings": model("children", "Child").objects.all(),
        "child": world.child_a1,
        "children": [world.child_a1, world.child_a1_other],
        "child_ids": [world.child_a1.pk, world.child_a1_other.pk],
        "with_ethnicity": True,
        "with_cnp": True,
        "confidential": True,
        "day_hours": 5,
        "absent": {world.child_a1.pk: 2},
        "absence_choices": list(world.child_a1.absences.values_list("pk", "date")),
        "case_workers": model("accounts", "User").objects.all(),
        "alerts": model("risk", "Alert").objects.all(),
        "candidates": model("accounts", "User").objects.all(),
        "choices": [("a", "A"), ("b", "B")],
        "unit_types": ["hot-meal"],
        "types": model("cases", "InterventionType").objects.all(),
        "before": world.monday,
        "guardians": list(model("children", "Guardian").objects.all()),
        "guardianship": model("children", "Guardianship").objects.first(),
        "enrolments": list(model("activities", "CourseEnrolment").objects.all()),
        "subjects": {"Matematică": "Matematică"},
        "lines": model("results", "BudgetLine").objects.all(),
        "periods": model("results", "ReportingPeriod").objects.all(),
    }


# Where two forms give one argument name different meanings, the second meaning, by form.
OVERRIDES: dict[str, dict[str, object]] = {
    "EnrolForm": {"candidates": []},
    "CostForm": {
        "subjects": lambda: {
            "activity": apps.get_model("activities", "Activity").objects.all(),
            "course": apps.get_model("activities", "Course").objects.all(),
            "campaign_event": apps.get_model("activities", "CampaignEvent").objects.all(),
        }
    },
}


def _build(form_class: type[forms.BaseForm], arguments: dict, data: dict | None) -> forms.BaseForm:
    overrides = OVERRIDES.get(form_class.__name__, {})
    arguments = arguments | {key: value() if callable(value) else value for key, value in overrides.items()}
    needed = {}
    for cls in form_class.__mro__:
        init = vars(cls).get("__init__")
        if init is None or cls in (forms.BaseForm, forms.Form, forms.ModelForm, forms.BaseModelForm):
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
                needed[parameter.name] = arguments[parameter.name]
    return form_class(data=data, **needed)


def _field_values(field: forms.Field, ids: list[int]) -> st.SearchStrategy:
    text = fuzz.hostile_text()
    numbers = st.one_of(fuzz.BIG_INTS.map(str), fuzz.BIG_INTS.map(lambda n: str(-n)), st.integers().map(str), text)
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        one = st.one_of(st.sampled_from(ids).map(str), numbers)
        choices = [str(value) for value, _label in getattr(field, "choices", [])][:50]
        if choices and not isinstance(field, forms.ModelMultipleChoiceField):
            one = st.one_of(st.sampled_from(choices), one)
        return st.lists(one, max_size=4)
    if isinstance(field, forms.ModelChoiceField):
        return st.one_of(st.sampled_from(ids).map(str), numbers)
    if isinstance(field, forms.ChoiceField):
        choices = [str(value) for value, _label in field.choices if not isinstance(_label, list | tuple)][:50]
        return st.one_of(st.sampled_from(choices), text) if choices else text
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return numbers
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return st.one_of(fuzz.day_texts(), text)
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "0", "false", "x"])
    if isinstance(field, forms.FileField):
        return st.none()
    return st.one_of(text, st.just(""), fuzz.redirect_targets())


def _fuzz_form(form_class: type[forms.BaseForm], arguments: dict, ids: list[int]) -> None:
    template = _build(form_class, arguments, None)
    fields = {name: _field_values(field, ids) for name, field in template.fields.items()}
    prefixed = {template.add_prefix(name): values for name, values in fields.items()}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.fixed_dictionaries({}, optional=prefixed))
    def check(data: dict) -> None:
        data = {key: value for key, value in data.items() if value is not None}
        form = _build(form_class, arguments, data)
        try:
            valid = form.is_valid()
        except Exception as error:  # any exception is the finding, told with the data
            raise AssertionError(f"{form_class.__name__}({data!r}) raised {type(error).__name__}: {error}") from error
        assert valid or form.errors

    check()


def test_every_form_is_found():
    names = {f"{cls.__module__}.{cls.__name__}" for cls in FORMS}
    assert len(names) > 50
    assert "prezent.children.forms.ChildEditForm" in names or any(".children.forms." in n for n in names)


def test_no_form_raises(activities_world):
    world = activities_world
    arguments = _arguments(world)
    ids = fuzz.real_ids(world)
    failures, not_built = [], []
    for form_class in FORMS:
        name = f"{form_class.__module__}.{form_class.__name__}"
        try:
            _build(form_class, arguments, None)
        except Exception as error:
            if name not in NOT_BUILT_HERE:
                not_built.append(f"{name}: {type(error).__name__}: {error}")
            continue
        try:
            _fuzz_form(form_class, arguments, ids)
        except AssertionError as failure:
            failures.append(f"{name}: {failure}")
    assert not failures, "\n".join(failures)
    assert not not_built, "a form that cannot be built from the world's arguments:\n" + "\n".join(not_built)
