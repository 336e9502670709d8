"""`manage.py export_indicators --period YYYY-MM --format json|xlsx [--programme CODE] [--output FILE]`: the
indicator table of the reporting period ending in that month, for scripted reporting.

A locked period gives its frozen figures; an open one is computed now. Small cells are suppressed as everywhere
else; the output holds aggregates only, and the export is recorded in the audit log."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.programme.models import Programme
from prezent.results.exports import indicators_xlsx
from prezent.results.selectors import period_for_code, report_for
from prezent.results.services import export_record


class Command(BaseCommand):
    help = _("Exportă tabelul indicatorilor pentru perioada de raportare care se încheie în luna dată (AAAA-LL).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help=_("luna în care se încheie perioada, AAAA-LL"))
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--programme", default="", help=_("codul programului (implicit cel mai recent)"))
        parser.add_argument("--output", default="", help=_("fișierul de ieșire (implicit ieșirea standard)"))

    def handle(self, *args: Any, **options: Any) -> None:
        programmes = Programme.objects.order_by("-start")
        if options["programme"]:
            programmes = programmes.filter(code=options["programme"])
        programme = programmes.first()
        if programme is None:
            raise CommandError(_("Nu există niciun program cu acest cod."))
        period = period_for_code(programme=programme, code=options["period"])
        if period is None:
            raise CommandError(
                _("Nicio perioadă de raportare a programului nu se încheie în luna „%(code)s” (forma AAAA-LL).")
                % {"code": options["period"]}
            )
        report = report_for(programme=programme, period=period, with_roma=True, today=timezone.localdate())
        if options["format"] == "xlsx":
            content: bytes = indicators_xlsx(report=report)
        else:
            content = json.dumps(self._as_json(report), ensure_ascii=False, indent=2).encode()
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        export_record(actor=None, kind=f"command_{options['format']}", rows=len(report.rows), period=period)
        if options["output"]:
            self.stdout.write(
                _("%(n)d indicatori exportați pentru %(name)s.") % {"n": len(report.rows), "name": period.name}
            )

    @staticmethod
    def _as_json(report: Any) -> dict:
        period = report.period
        return {
            "programme": report.programme.code,
            "period": {
                "code": period.code,
                "name": period.name,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "locked": period.is_locked,
            },
            "indicators": [
                {
                    "code": row.code,
                    "name": row.name,
                    "unit": row.unit,
                    "computed": row.computed,
                    "baseline_stated": row.baseline_stated,
                    "baseline_computed": None if row.baseline is None else round(row.baseline, 2),
                    "target": float(row.target.value) if row.target else None,
                    "value": None if row.value is None else round(row.value, 2),
                    "suppressed": row.suppressed,
                    "late_previous_period": row.late,
                    "breakdowns": {
                        b.dimension: [
                            {
                                "category": c.label,
                                "value": None if c.suppressed or c.value is None else round(c.value, 2),
                                "suppressed": c.suppressed,
                            }
                            for c in b.cells
                        ]
                        for b in row.breakdowns
                    },
                }
                for row in report.rows
            ],
        }
