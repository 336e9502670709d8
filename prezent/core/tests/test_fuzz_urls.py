"""Never a server error from an address: every URL pattern with a converter, fuzzed.

For each pattern of the project (found by walking the resolver, so a new one is fuzzed without editing this file),
hypothesis draws every converter's value — real ids of the authorization worlds, 0, ids past 2**63, long digit
runs; real days, impossible ones (2026-02-30, 9999-99-99), unicode, control characters, very long text — and a
query string of the parameters the views read by hand (`next`, `back`, `d`, `page`…), and GETs the address as the
county coordinator (who reaches the most pages) and as an anonymous visitor. Any status but 500 is an answer;
an exception is a failure, reported with the pattern and the smallest example hypothesis finds.
"""

import importlib

import pytest
from django import forms
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, StringConverter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prezent.core.tests import fuzz

pytestmark = pytest.mark.django_db

# The worlds of the authorization tests, all built on the same `world` (prezent/conftest.py).
catalogue = fuzz.fixture("prezent.cases.tests.conftest", "catalogue")
cases_world = fuzz.fixture("prezent.cases.tests.conftest", "cases_world")
private_evidence = fuzz.fixture("prezent.activities.tests.conftest", "private_evidence")
activities_world = fuzz.fixture("prezent.activities.tests.conftest", "activities_world")
results_world = fuzz.fixture("prezent.results.tests.conftest", "results_world")
budget_world = fuzz.fixture("prezent.results.tests.conftest", "budget_world")
ladder = fuzz.fixture("prezent.risk.tests.alert_fixtures", "ladder")
alerts_world = fuzz.fixture("prezent.risk.tests.alert_fixtures", "alerts_world")
rule_set = fuzz.fixture("prezent.programme.tests.conftest", "rule_set")
screening_world = fuzz.fixture("prezent.programme.tests.conftest", "screening_world")
EXAMPLES = 8
POST_EXAMPLES = 4

# Values that reach a real object where a converter is text (the ids come from the worlds).
KNOWN_TEXT = {
    "day": ["2026-11-23", "2026-11-29", "2026-11-27"],
    "which": ["tip", "actiune"],
    "kind": ["hot-meal", "school-supplies"],
    "code": ["children", "children_roma", "spent_eur"],
}


def _patterns(resolver: URLResolver | None = None, namespace: str = "") -> list[tuple[str, dict]]:
    found: list[tuple[str, dict]] = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += [(name, {**pattern.pattern.converters, **c}) for name, c in _patterns(pattern, inner)]
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.pattern.converters:
            found.append((f"{namespace}{pattern.name}", dict(pattern.pattern.converters)))
    return found


PATTERNS = _patterns()
PARAMETERS = fuzz.read_parameters()


def _value(name: str, converter: object, ids: list[int]) -> st.SearchStrategy:
    if isinstance(converter, IntConverter):
        return st.one_of(
            st.sampled_from(ids),
            st.integers(0, 60),
            fuzz.BIG_INTS,
            st.sampled_from(["0" * 30 + "1", "9" * 5000]),
        )
    known = st.sampled_from(KNOWN_TEXT.get(name, ["x"]))
    if isinstance(converter, SlugConverter):
        return st.one_of(known, st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True), st.just("-" * 300))
    if isinstance(converter, StringConverter):
        no_slash = st.characters(codec="utf-8", exclude_characters="/")
        text = fuzz.hostile_text(alphabet=no_slash).map(lambda s: s.replace("/", "")).filter(bool)
        return st.one_of(known, fuzz.day_texts(), text)
    raise AssertionError(f"{name}: no strategy for the converter {type(converter).__name__}; add one here")


def _without_nul(text: str) -> str:
    """A NUL anywhere in a request is refused before any view (RefuseNulBytesMiddleware, tested on its own); the
    query strings and forms drawn here leave it out so that the other values reach the views."""
    return text.replace("\x00", "")


def _query() -> st.SearchStrategy[dict[str, str]]:
    values = st.one_of(fuzz.hostile_text(), fuzz.redirect_targets(), fuzz.day_texts()).map(_without_nul)
    return st.dictionaries(st.sampled_from(sorted(PARAMETERS["GET"])), values, max_size=4)


def _post_only(client: Client, name: str, converters: dict, ids: list[int]) -> bool:
    """A view that answers GET with 405 before reading its address (`require_POST`) is fuzzed by its POST, in
    test_fuzz_forms.py; its GET is tried once here."""
    kwargs = {
        key: ids[0] if isinstance(conv, IntConverter) else KNOWN_TEXT.get(key, ["x"])[0]
        for key, conv in converters.items()
    }
    return client.get(reverse(name, kwargs=kwargs)).status_code == 405


def _fuzz_pattern(client: Client, name: str, converters: dict, ids: list[int], examples: int) -> None:
    if _post_only(client, name, converters, ids):
        return
    kwargs = st.fixed_dictionaries({key: _value(key, conv, ids) for key, conv in converters.items()})

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(kwargs=kwargs, query=_query())
    def check(kwargs: dict, query: dict) -> None:
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return  # a value the pattern cannot carry never reaches the site
        try:
            response = client.get(url, query)
        except Exception as error:  # any exception is the finding, told with its address
            raise AssertionError(f"GET {url} {query!r} raised {type(error).__name__}: {error}") from error
        assert response.status_code != 500, f"GET {url} {query!r} → 500"

    check()


# The worlds of one run, built on the same `world`: the cases and the results worlds both move child B1 into the
# target group, so they run apart.
WORLDS = {
    "cases": ["cases_world", "activities_world", "alerts_world", "screening_world"],
    "results": ["results_world", "budget_world"],
}


def _form_field_names() -> set[str]:
    """The names of every field of the project's forms, to POST to the views that read them."""
    names: set[str] = set()
    for path in sorted(fuzz.ROOT.rglob("forms.py")):
        if "tests" in path.parts:
            continue
        module = importlib.import_module(".".join(path.relative_to(fuzz.ROOT.parent).with_suffix("").parts))
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, forms.BaseForm):
                names |= set(obj.base_fields)
    return names


POST_NAMES = sorted(PARAMETERS["POST"] | _form_field_names())


def _post_data() -> st.SearchStrategy[dict[str, list[str]]]:
    value = st.one_of(fuzz.hostile_text(), fuzz.redirect_targets(), fuzz.day_texts(), fuzz.BIG_INTS.map(str))
    value = value.map(_without_nul)
    return st.dictionaries(st.sampled_from(POST_NAMES), st.lists(value, min_size=1, max_size=3), max_size=12)


def _fuzz_post(client: Client, name: str, converters: dict, ids: list[int], examples: int) -> None:
    """POST hostile data to a view that answers GET with 405: what its forms and hidden fields read."""
    values = {key: st.sampled_from(ids) if isinstance(conv, IntConverter) else _value(key, conv, ids)
              for key, conv in converters.items()}  # fmt: skip

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(kwargs=st.fixed_dictionaries(values), data=_post_data())
    def check(kwargs: dict, data: dict) -> None:
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return
        try:
            response = client.post(url, data)
        except Exception as error:  # any exception is the finding, told with its address and data
            raise AssertionError(f"POST {url} {data!r} raised {type(error).__name__}: {error}") from error
        assert response.status_code != 500, f"POST {url} {data!r} → 500"

    check()


def test_the_walk_finds_the_patterns_with_converters():
    names = {name for name, _c in PATTERNS}
    assert {"risk:register", "cases:delivery_list", "results:indicator", "reports:child_detail"} <= names
    assert "d" in PARAMETERS["GET"] and "next" in PARAMETERS["GET"]


@pytest.mark.parametrize(
    ("role", "worlds", "namespace", "examples"),
    [
        ("county", "cases", "", EXAMPLES),
        ("county", "results", "results:", EXAMPLES),
        # signed out, every address is the sign-in page or 404 before any view runs: fewer examples tell it
        ("anon", "cases", "", EXAMPLES // 2),
    ],
)
def test_no_address_is_a_server_error(request, role, worlds, namespace, examples):
    built = [request.getfixturevalue(name) for name in WORLDS[worlds]]
    client = Client(raise_request_exception=True)
    if role != "anon":
        client.force_login(built[0].users.county)
    ids = fuzz.real_ids(*built)
    failures = []
    for name, converters in PATTERNS:
        if not name.startswith(namespace):
            continue
        try:
            _fuzz_pattern(client, name, converters, ids, examples)
        except AssertionError as failure:
            failures.append(f"{name}: {failure}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("worlds", list(WORLDS))
def test_no_post_to_a_post_only_address_is_a_server_error(request, worlds):
    """The county coordinator POSTs hostile data — every form field name of the project and every parameter a view
    reads by hand — to each view that answers GET with 405, on real objects of the worlds."""
    built = [request.getfixturevalue(name) for name in WORLDS[worlds]]
    client = Client(raise_request_exception=True)
    client.force_login(built[0].users.county)
    ids = fuzz.real_ids(*built)
    failures = []
    for name, converters in PATTERNS:
        if worlds == "results" and not name.startswith("results:"):
            continue
        if not _post_only(client, name, converters, ids):
            continue
        try:
            _fuzz_post(client, name, converters, ids, POST_EXAMPLES)
        except AssertionError as failure:
            failures.append(f"{name}: {failure}")
    assert not failures, "\n".join(failures)
