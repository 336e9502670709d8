"""Rules the suite keeps so that it passes on any day and on a busy machine."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CLOCK_CALLS = {"localdate", "now", "today", "localtime"}
BARE_READ = re.compile(
    r"^\s*assert .*\.(is_visible|is_hidden|is_checked|is_enabled|inner_text|text_content|input_value)\("
)


def _test_modules() -> list[Path]:
    found = [*ROOT.glob("prezent/**/tests/*.py"), *ROOT.glob("tests/**/*.py"), ROOT / "conftest.py"]
    return sorted(path for path in found if ".venv" not in path.parts)


def _clock_reads_at_import(tree: ast.Module) -> list[int]:
    """Lines where a module-level statement (or a default argument, evaluated at import) calls the clock."""
    lines = []
    for node in tree.body:
        scopes: list[ast.AST] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            scopes = [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
        elif not isinstance(node, ast.ClassDef):
            scopes = [node]
        for scope in scopes:
            for call in ast.walk(scope):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr in CLOCK_CALLS
                ):
                    lines.append(call.lineno)
    return lines


def test_no_test_module_reads_the_clock_when_imported():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _test_modules()
        for line in _clock_reads_at_import(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == [], "use prezent.core.testing.TEST_TODAY instead of the clock at import"


def test_browser_tests_assert_with_playwrights_waiting_expect():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.glob("tests/e2e/*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if BARE_READ.match(line)
    ]
    assert offenders == [], "assert with expect(locator).to_be_visible() / to_have_text() / to_be_checked()"


def test_the_rule_finds_a_clock_read_at_import():
    tree = ast.parse("import datetime\nTODAY = timezone.localdate()\ndef f(on=datetime.date.today()):\n    pass\n")
    assert _clock_reads_at_import(tree) == [2, 3]
    assert BARE_READ.match('    assert page.get_by_text("x").is_visible()')


def test_the_factories_last_names_never_contain_one_another():
    from faker.providers.person.ro_RO import Provider

    from prezent.core.testing import TEST_LAST_NAMES

    first_names = [name.casefold() for name in (*Provider.first_names_female, *Provider.first_names_male)]
    names = [name.casefold() for name in TEST_LAST_NAMES]
    assert len(set(names)) == len(names)
    assert not [(a, b) for a in names for b in names if a != b and a in b]
    assert not [(a, f) for a in names for f in first_names if a in f or f in a]
