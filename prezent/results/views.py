"""The programme's results: the county dashboard, an indicator's breakdowns and targets, per-school and
per-commune views, the map, the reporting periods and the exports. Aggregates only: no page here shows a child."""

import datetime

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prezent.accounts.http import AuthedRequest
from prezent.accounts.permissions import can_view_roma_split
from prezent.core.svgmap import MapCategory, MapPoint, county_map_svg, legend_html
from prezent.results import exports
from prezent.results.charts import count_chart, lines_chart, progress_chart, stacked_chart
from prezent.results.disaggregation import Cell
from prezent.results.forms import FrameworkForm, PeriodForm, TargetForm
from prezent.results.indicators import REGISTRY, Data
from prezent.results.permissions import can_export_hg691, can_manage_results
from prezent.results.selectors import (
    Report,
    activities_held,
    hg691_school_get_or_404,
    hg691_school_list_for,
    period_chosen,
    period_list,
    programme_has_framework,
    programme_schools,
    report_for,
    results_programme_for_user_or_404,
    risk_levels_over_time,
    services_delivered,
    span_of,
    trend_for,
)
from prezent.results.services import export_record, framework_setup, period_create, period_lock, target_revise
from prezent.risk.models import Level
from prezent.schools.models import School
from prezent.schools.selectors import county_outline

# The indicators shown side by side in the per-school and per-commune tables and offered on the map.
TABLE_CODES = (
    "children",
    "attendance_rate",
    "attendance_change",
    "attendance_improved",
    "unexcused_per_child",
    "dropped_out",
)


def _report(request: AuthedRequest, **filters: object) -> tuple[Report, list]:
    programme = results_programme_for_user_or_404(user=request.user)
    today = timezone.localdate()
    period = period_chosen(programme=programme, pk=request.GET.get("perioada"), today=today)
    report = report_for(
        programme=programme,
        period=period,
        with_roma=can_view_roma_split(user=request.user),
        today=today,
        **filters,  # type: ignore[arg-type]
    )
    return report, list(period_list(programme=programme))


def _trend_context(report: Report) -> dict:
    trend = trend_for(report=report)
    rates = [r.rate for r in trend] + [r.baseline_rate for r in trend]
    known = [r for r in rates if r is not None]
    low = min(known, default=80.0)
    chart = (
        lines_chart(
            [r.label.split(" ")[0] for r in trend],
            [("line-now", [r.rate for r in trend]), ("line-baseline", [r.baseline_rate for r in trend])],
            minimum=max(0.0, (low // 5) * 5 - 5),
            maximum=100.0,
        )
        if known
        else None
    )
    return {"trend": trend, "trend_chart": chart}


def _risk_context(report: Report, school_ids: frozenset[int] | None = None) -> dict:
    risk = risk_levels_over_time(programme=report.programme, end=report.span.end, school_ids=school_ids)
    levels = [(Level.LOW, "risk-low"), (Level.MEDIUM, "risk-medium"), (Level.HIGH, "risk-high")]
    chart = (
        stacked_chart(
            [
                (
                    f"{row.day:%d.%m}",
                    [(css, row.counts.get(level, 0), str(Level(level).label)) for level, css in levels],
                )
                for row in risk
            ]
        )
        if risk
        else None
    )
    return {"risk_rows": risk, "risk_chart": chart, "risk_levels": Level.choices}


def _framework_form(request: AuthedRequest, report: Report, data: object = None) -> FrameworkForm | None:
    """The form that starts the framework, for the county coordinator of a programme that has none yet."""
    if not can_manage_results(user=request.user) or report.span.baseline_year is not None:
        return None
    programme = report.programme
    if programme_has_framework(programme=programme):
        return None
    return FrameworkForm(data, county_code=programme.county_code, before=programme.end)  # type: ignore[arg-type]


def _dashboard(
    request: AuthedRequest,
    *,
    period_form: PeriodForm | None = None,
    framework_form: FrameworkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    report, periods = _report(request)
    progress = progress_chart([(r.name, r.progress) for r in report.rows if r.target is not None and r.computed])
    services = services_delivered(programme=report.programme, end=report.span.end)
    activities = activities_held(programme=report.programme, end=report.span.end)
    context = {
        "activities": activities,
        "activities_chart": count_chart([(str(row.label), row.activities) for row in activities])
        if activities
        else None,
        "services": services,
        "services_chart": count_chart([(str(row.label), row.deliveries) for row in services]) if services else None,
        "report": report,
        "periods": periods,
        "progress_chart": progress,
        "may_manage": can_manage_results(user=request.user),
        "period_form": period_form or PeriodForm(),
        "framework_form": framework_form or _framework_form(request, report),
        "today": timezone.localdate(),
        **_trend_context(report),
        **_risk_context(report),
    }
    return render(request, "results/dashboard.html", context, status=status)


def dashboard_view(request: AuthedRequest) -> HttpResponse:
    """The county dashboard: target vs actual per indicator for the chosen period, the target group's attendance
    by month against the baseline year, and the risk levels over time."""
    return _dashboard(request)


def indicator_view(request: AuthedRequest, code: str) -> HttpResponse:
    """One indicator: its definition, target history and every breakdown (small cells hidden)."""
    report, periods = _report(request)
    row = report.row(code)
    if row is None:
        raise Http404
    may_manage = can_manage_results(user=request.user)
    return render(
        request,
        "results/indicator.html",
        {
            "report": report,
            "row": row,
            "periods": periods,
            "may_manage": may_manage,
            "target_form": TargetForm(initial={"set_on": timezone.localdate()})
            if may_manage and row.indicator
            else None,
        },
    )


@require_POST
def target_revise_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The county coordinator records a new target with its date and reason; the old one stays in the history."""
    if not can_manage_results(user=request.user):
        raise Http404
    programme = results_programme_for_user_or_404(user=request.user)
    indicator = get_object_or_404(programme.indicators, pk=pk)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            target_revise(indicator=indicator, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Ținta a fost revizuită."))
            return redirect("results:indicator", code=indicator.code)
    report, periods = _report(request)
    return render(
        request,
        "results/indicator.html",
        {
            "report": report,
            "row": report.row(indicator.code),
            "periods": periods,
            "may_manage": True,
            "target_form": form,
        },
        status=400,
    )


def _table(report: Report, dimension: str) -> tuple[list[dict], list]:
    """Rows of (place, cells per indicator) from the breakdown of each indicator by `dimension`."""
    rows = [r for r in report.rows if r.code in TABLE_CODES and r.computed]
    places: dict[str, dict] = {}
    for row in rows:
        cells = next((b.cells for b in row.breakdowns if b.dimension == dimension), [])
        for cell in cells:
            place = places.setdefault(cell.key, {"key": cell.key, "label": cell.label, "cells": {}})
            place["cells"][row.code] = cell
    table = []
    for place in sorted(places.values(), key=lambda p: p["label"]):
        place["values"] = [place["cells"].get(r.code) for r in rows]
        table.append(place)
    return table, rows


def schools_view(request: AuthedRequest) -> HttpResponse:
    report, periods = _report(request)
    table, rows = _table(report, "school")
    return render(
        request,
        "results/places.html",
        {"report": report, "periods": periods, "table": table, "rows": rows, "kind": "school"},
    )


def communes_view(request: AuthedRequest) -> HttpResponse:
    report, periods = _report(request)
    table, rows = _table(report, "commune")
    return render(
        request,
        "results/places.html",
        {"report": report, "periods": periods, "table": table, "rows": rows, "kind": "commune"},
    )


def school_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """One school of the programme: its indicators (the children placed in it) and breakdowns."""
    programme = results_programme_for_user_or_404(user=request.user)
    school = get_object_or_404(programme_schools(programme=programme), pk=pk)
    report, periods = _report(request, school_ids=frozenset({school.pk}))
    return render(
        request,
        "results/place.html",
        {
            "report": report,
            "periods": periods,
            "place": school,
            "kind": "school",
            **_risk_context(report, frozenset({school.pk})),
        },
    )


def commune_view(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = results_programme_for_user_or_404(user=request.user)
    schools = [s for s in programme_schools(programme=programme) if s.locality.commune.pk == pk]
    if not schools:
        raise Http404
    report, periods = _report(request, commune_ids=frozenset({pk}))
    return render(
        request,
        "results/place.html",
        {
            "report": report,
            "periods": periods,
            "place": schools[0].locality.commune,
            "kind": "commune",
            "schools": schools,
            **_risk_context(report, frozenset(s.pk for s in schools)),
        },
    )


MAP_BANDS: dict[str, tuple[tuple[float, str, str], ...]] = {
    # (lower bound, colour, label), highest first; the last band catches the rest.
    "attendance_rate": (
        (95, "#1b7f3b", "≥ 95 %"),
        (90, "#7bb662", "90–95 %"),
        (85, "#e0a526", "85–90 %"),
        (0, "#c2452d", "< 85 %"),
    ),
    "attendance_change": (
        (2, "#1b7f3b", "≥ +2 p.p."),
        (0, "#7bb662", "0 – +2 p.p."),
        (-2, "#e0a526", "−2 – 0 p.p."),
        (-1000, "#c2452d", "< −2 p.p."),
    ),
    "unexcused_per_child": (
        (40, "#c2452d", "≥ 40 ore"),
        (20, "#e0a526", "20–40 ore"),
        (10, "#7bb662", "10–20 ore"),
        (0, "#1b7f3b", "< 10 ore"),
    ),
    "children": ((40, "#1d4f91", "≥ 40"), (20, "#4a7fc1", "20–39"), (5, "#9dbde6", "5–19"), (0, "#d9e6f5", "0")),
}


def _band(code: str, cell: Cell | None) -> str:
    if cell is None:
        return "none"
    if cell.complementary:
        return "hidden"
    if cell.suppressed:
        return "small"
    if cell.value is None:
        return "none"
    for i, (lower, _colour, _label) in enumerate(MAP_BANDS[code]):
        if cell.value >= lower:
            return f"b{i}"
    return f"b{len(MAP_BANDS[code]) - 1}"


def map_view(request: AuthedRequest) -> HttpResponse:
    """The participating schools on the county's outline, coloured by an indicator (drawn on the server)."""
    code = request.GET.get("indicator", "attendance_rate")
    if code not in MAP_BANDS:
        code = "attendance_rate"
    report, periods = _report(request)
    row = report.row(code)
    cells = {c.key: c for b in (row.breakdowns if row else []) if b.dimension == "school" for c in b.cells}
    categories = [MapCategory(f"b{i}", label, colour) for i, (_l, colour, label) in enumerate(MAP_BANDS[code])]
    categories += [
        MapCategory("small", _("sub 5 copii (ascuns)"), "#bbbbbb"),
        MapCategory("hidden", _("ascuns, ca să nu se deducă o celulă sub 5"), "#999999"),
        MapCategory("none", _("fără date"), "#ffffff"),
    ]
    points, places, unplaced = [], [], []
    for school in programme_schools(programme=report.programme):
        locality = school.locality
        lat = locality.latitude if locality.latitude is not None else locality.commune.latitude
        lon = locality.longitude if locality.longitude is not None else locality.commune.longitude
        cell = cells.get(str(school.pk))
        band = _band(code, cell)
        href = reverse("results:school", args=[school.pk])
        places.append((school, cell, next(c for c in categories if c.key == band)))
        if lat is None or lon is None:
            unplaced.append(school)
            continue
        shown = cell.shown if cell else "–"
        points.append(MapPoint(lat, lon, f"{school.name}: {shown}", band, href))
    counts: dict[str, int] = {}
    for _school, _cell, category in places:
        counts[category.key] = counts.get(category.key, 0) + 1
    title = _("Școlile programului după: %(name)s") % {"name": row.name if row else code}
    return render(
        request,
        "results/map.html",
        {
            "report": report,
            "periods": periods,
            "code": code,
            "choices": [(c, REGISTRY[c].name) for c in MAP_BANDS],
            "svg": county_map_svg(
                points=points, categories=categories, outline=county_outline(report.programme.county_code), title=title
            ),
            "legend": legend_html(categories, counts),
            "places": places,
            "unplaced": unplaced,
            "row": row,
        },
    )


@require_POST
def period_create_view(request: AuthedRequest) -> HttpResponse:
    """The county coordinator adds a reporting period; on bad input the dashboard comes back with the form as
    typed and the reason."""
    if not can_manage_results(user=request.user):
        raise Http404
    programme = results_programme_for_user_or_404(user=request.user)
    form = PeriodForm(request.POST)
    if form.is_valid():
        try:
            period = period_create(programme=programme, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Perioada a fost adăugată."))
            return redirect(f"{reverse('results:dashboard')}?perioada={period.pk}")
    return _dashboard(request, period_form=form, status=400)


@require_POST
def framework_setup_view(request: AuthedRequest) -> HttpResponse:
    """The county coordinator starts the programme's results framework: the baseline year and every built-in
    indicator, ready for targets."""
    if not can_manage_results(user=request.user):
        raise Http404
    programme = results_programme_for_user_or_404(user=request.user)
    form = FrameworkForm(request.POST, county_code=programme.county_code, before=programme.end)
    if form.is_valid():
        try:
            framework_setup(programme=programme, baseline_year=form.cleaned_data["baseline_year"], actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Cadrul de rezultate a fost creat. Stabiliți țintele fiecărui indicator."))
            return redirect("results:dashboard")
    return _dashboard(request, framework_form=form, status=400)


@require_POST
def period_lock_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The county coordinator approves and locks a period: its figures are frozen from now on."""
    if not can_manage_results(user=request.user):
        raise Http404
    programme = results_programme_for_user_or_404(user=request.user)
    period = get_object_or_404(programme.periods, pk=pk)
    try:
        period_lock(period=period, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Perioada a fost aprobată și blocată."))
    return redirect(f"{reverse('results:dashboard')}?perioada={period.pk}")


def _download(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_stem(report: Report) -> str:
    return report.period.code if report.period else f"{report.span.end:%Y-%m-%d}"


def report_pdf_view(request: AuthedRequest) -> HttpResponse:
    """The funder's report for the chosen period, as PDF (Romanian)."""
    report, _periods = _report(request)
    trend = _trend_context(report)["trend"]
    pdf = exports.report_pdf(report=report, trend=trend, generated_by=str(request.user), today=timezone.localdate())
    export_record(actor=request.user, kind="report_pdf", rows=len(report.rows), period=report.period)
    return _download(pdf, content_type="application/pdf", filename=f"raport-{_file_stem(report)}.pdf")


def indicators_xlsx_view(request: AuthedRequest) -> HttpResponse:
    report, _periods = _report(request)
    content = exports.indicators_xlsx(report=report)
    export_record(actor=request.user, kind="indicators_xlsx", rows=len(report.rows), period=report.period)
    return _download(content, content_type=exports.XLSX_TYPE, filename=f"indicatori-{_file_stem(report)}.xlsx")


def evaluator_csv_view(request: AuthedRequest) -> HttpResponse:
    """The pseudonymised dataset of the target group for external evaluators."""
    programme = results_programme_for_user_or_404(user=request.user)
    today = timezone.localdate()
    period = period_chosen(programme=programme, pk=request.GET.get("perioada"), today=today)
    span = span_of(period=period, programme=programme, today=today)
    stem = period.code if period else f"{span.end:%Y-%m-%d}"
    # The release keys the pseudonyms: one per period (its id, its code may repeat), one per day without a period.
    release = f"{programme.pk}:period:{period.pk}" if period else f"{programme.pk}:{span.start}:{span.end}"
    try:
        content, result = exports.evaluator_csv(data=Data(span), release=release)
    except ImproperlyConfigured:
        messages.error(request, _("Cheia pseudonimelor nu este configurată pe server; exportul nu este disponibil."))
        return redirect(f"{reverse('results:dashboard')}?perioada={period.pk if period else ''}")
    export_record(
        actor=request.user,
        kind="evaluator_csv",
        rows=len(result.rows),
        period=period,
        k=result.k,
        suppressed=result.suppressed,
        **{f"generalised_{column}": count for column, count in result.generalised.items()},
    )
    return _download(content, content_type="text/csv; charset=utf-8", filename=f"evaluare-{stem}.csv")


def hg691_list_view(request: AuthedRequest) -> HttpResponse:
    """The schools whose HG 691/2015 lists the user may produce."""
    if not can_export_hg691(user=request.user):
        raise Http404
    schools = hg691_school_list_for(user=request.user).order_by("name")
    return render(request, "results/hg691.html", {"schools": schools, "today": timezone.localdate()})


def hg691_xlsx_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The four lists of one school for social services, as of today (or ?data=YYYY-MM-DD)."""
    if not can_export_hg691(user=request.user):
        raise Http404
    school: School = hg691_school_get_or_404(user=request.user, pk=pk)
    on = timezone.localdate()
    if request.GET.get("data"):
        try:
            on = datetime.date.fromisoformat(request.GET["data"])
        except ValueError:
            messages.error(request, _("Data trebuie să aibă forma AAAA-LL-ZZ."))
            return redirect("results:hg691_list")
    content, rows = exports.hg691_xlsx(school=school, on=on, language=request.GET.get("limba"))
    export_record(actor=request.user, kind="hg691_xlsx", rows=rows, school=school.pk)
    return _download(content, content_type=exports.XLSX_TYPE, filename=f"hg691-{school.siiir_code}-{on:%Y-%m-%d}.xlsx")
