"""The results' baseline counts the absence totals imported for a year where no register was kept."""

import datetime
import io

import pytest

from prezent.attendance.models import RegisterEntry
from prezent.attendance.totals.services import absence_totals_import
from prezent.results.indicators import evaluate
from prezent.results.selectors import span_for


def test_the_results_baseline_counts_imported_totals_where_no_register_was_kept(results_world):
    w = results_world
    RegisterEntry.objects.filter(class_group__school=w.school_b, date__lt=w.monday).delete()
    span = span_for(programme=w.programme, start=w.monday, end=w.monday + datetime.timedelta(days=4))
    without = evaluate(span=span, with_roma=True)["attendance_rate"].baseline
    assert without == pytest.approx(0.0)  # only the seven of school a (0 %) have a baseline
    cnp = _cnp(w.child_b1)
    data = _csv(
        [["CNP", "Luna", "Absențe motivate", "Absențe nemotivate", "Ore programate"], [cnp, "septembrie", 0, 8, 80]]
    )
    absence_totals_import(file=io.BytesIO(data), filename="a.csv", school_year=w.baseline_year, actor=None)
    figures = evaluate(
        span=span_for(programme=w.programme, start=w.monday, end=w.monday + datetime.timedelta(days=4)), with_roma=True
    )
    assert figures["attendance_rate"].baseline == pytest.approx(90 / 8)


def test_the_monthly_trend_adds_imported_months_of_children_without_a_register(results_world):
    from prezent.results.indicators import Data
    from prezent.results.selectors import attendance_trend

    w = results_world
    RegisterEntry.objects.filter(class_group__school=w.school_b, date__lt=w.monday).delete()
    data = _csv(
        [
            ["CNP", "Luna", "Absențe motivate", "Absențe nemotivate", "Ore programate"],
            [_cnp(w.child_b1), "septembrie", 0, 8, 80],
            [_cnp(w.child_a1), "septembrie", 0, 80, 80],  # child_a1 has a register in 2025-2026: not counted
        ]
    )
    absence_totals_import(file=io.BytesIO(data), filename="a.csv", school_year=w.baseline_year, actor=None)
    span = span_for(programme=w.programme, start=w.monday, end=w.monday + datetime.timedelta(days=4))
    rows = {row.month: row for row in attendance_trend(span=span, child_ids=Data(span).target_group_q)}
    assert rows[datetime.date(2026, 9, 1)].baseline_rate == pytest.approx(90.0)
    # November: the register only (the seven of school a missed all 28 hours; child_b1 adds nothing).
    assert rows[datetime.date(2026, 11, 1)].baseline_rate == pytest.approx(0.0)


def _cnp(child) -> str:
    child.cnp = f"5160517{child.pk:06d}"
    child.save(update_fields=["cnp"])
    return child.cnp


def _csv(rows) -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode()
