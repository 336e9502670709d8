"""Never a server error from an address: every URL pattern with a converter, fuzzed.

For each pattern of the project (found by walking the resolver, so a new one is fuzzed without editing this file),
hypothesis draws every converter's value — real ids of the authorization worlds, 0, ids past 2**63, long digit
runs; real days, impossible ones (2026-02-30, 9999-99-99), unicode, control characters, very long text — and a
query string of the parameters the views read by hand (`next`, `back`, `d`, `page`…), and GETs the address as the
county coordinator (who reaches the most pages) and as an anonymous visitor. Any status but 500 is an answer;
an exception is a failure, reported with the pattern and the smallest example hypothesis finds.
"""

import pytest
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
EXAMPLES = 10

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


def _query() -> st.SearchStrategy[dict[str, str]]:
    values = st.one_of(fuzz.hostile_text(), fuzz.redirect_targets(), fuzz.day_texts())
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
