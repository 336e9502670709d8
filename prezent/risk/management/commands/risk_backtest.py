"""Backtest a rule-set version on pupils whose outcome is known, and fit weights on them (docs/early-warning.md).

manage.py risk_backtest --csv FILE --outcome COLUMN [--positive VALUE] [--map INDICATOR=COLUMN ...]
    [--group COLUMN ...] [--rule-set ID | --county CODE] [--fit [--save]] [--json]
"""

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from prezent.core.spreadsheets import SpreadsheetError
from prezent.risk.backtest.fitting import Fit, fit, fit_forward
from prezent.risk.backtest.metrics import Scores, Section, by_group, criterion_label, section
from prezent.risk.backtest.sample import mapping_parse, sample_read, sample_score
from prezent.risk.backtest.selectors import backtest_history
from prezent.risk.backtest.services import rule_set_propose
from prezent.risk.defaults import DEFAULT_BANDS, DEFAULT_CRITERIA
from prezent.risk.models import RuleSet
from prezent.risk.scoring import Bands, Criterion
from prezent.risk.selectors import rule_set_bands, rule_set_criteria, rule_set_current


class Command(BaseCommand):
    help = (
        "Verifică un set de reguli pe elevi cu rezultat cunoscut (AUC, precizie și acoperire, rate pe puncte și pe "
        "criterii, valori necunoscute, pe grupuri) și, cu --fit, propune puncte potrivite pe aceste date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", help="fișierul (CSV cu ; sau , ori XLSX), un elev pe rând")
        parser.add_argument("--outcome", help="coloana rezultatului (abandon, repetenție, …)")
        parser.add_argument("--on", help="fără --csv: data din trecut (AAAA-LL-ZZ) la care se calculează scorurile")
        parser.add_argument(
            "--train-on",
            help="cu --on și --fit: potrivește pe elevii de la această dată (anul școlar dinainte), verifică pe --on",
        )
        parser.add_argument(
            "--positive", help="valoarea care înseamnă „s-a întâmplat” (implicit 1/da/yes) sau o comparație: <10"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="INDICATOR=COLOANĂ",
            help="citește indicatorul din coloană (COLOANĂ/2 sau COLOANĂ*10 o scalează)",
        )
        parser.add_argument("--group", action="append", default=[], help="coloana după care se împart rezultatele")
        parser.add_argument("--rule-set", type=int, help="id-ul versiunii setului de reguli (implicit: implicite)")
        parser.add_argument("--county", help="codul județului: setul de reguli în vigoare al județului")
        parser.add_argument("--fit", action="store_true", help="potrivește o regresie logistică pe aceleași criterii")
        parser.add_argument(
            "--save", action="store_true", help="cu --fit: salvează propunerea ca versiune nouă, neadoptată"
        )
        parser.add_argument("--json", action="store_true", help="scrie rezultatul ca JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            mapping = mapping_parse(options["map"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        base, criteria, bands = self._rules(options)
        if options["save"] and not options["fit"]:
            raise CommandError("--save merge doar cu --fit.")
        if options["save"] and base is None:
            raise CommandError("--save are nevoie de un set de reguli din baza de date: --rule-set sau --county.")
        history = None
        if options["csv"]:
            if not options["outcome"]:
                raise CommandError("--csv are nevoie de --outcome.")
            path = Path(options["csv"])
            source = path.name
            try:
                sample = sample_read(
                    path,
                    outcome=options["outcome"],
                    positive=options["positive"],
                    mapping=mapping,
                    groups=options["group"],
                )
            except SpreadsheetError as error:
                raise CommandError(str(error)) from error
        else:
            if not (options["county"] and options["on"]):
                raise CommandError("Dați --csv FIȘIER, sau --county COD și --on DATA pentru datele din Prezent.")
            try:
                on = datetime.date.fromisoformat(options["on"])
            except ValueError as error:
                raise CommandError(f"Dată invalidă: {options['on']}") from error
            history = backtest_history(county_code=options["county"], on=on, today=timezone.localdate())
            if history is None:
                raise CommandError(f"Niciun elev înscris în județul {options['county']} la {on.isoformat()}.")
            sample = history.sample
            sample.groups = {name: values for name, values in sample.groups.items() if name in options["group"]}
            source = f"Prezent, {options['county']}, {on.isoformat()} → {history.until.isoformat()}"
        scores = sample_score(sample.indicators, criteria, bands)
        overall = section(sample.outcome, scores)
        groups = by_group(sample.outcome, scores, sample.groups)
        fitted = fit(scores, sample.outcome) if options["fit"] else None
        if options["fit"] and options["train_on"] and history is not None:
            fitted = self._forward(options, criteria, bands, scores, sample.outcome)
        saved = None
        if options["save"] and fitted is not None and base is not None:
            saved = rule_set_propose(
                base=base,
                criteria=fitted.proposed,
                bands=fitted.bands,
                note=f"Puncte potrivite pe {source} ({len(sample.outcome)} elevi, AUC {fitted.auc.value:.3f}).",
                actor=None,
            )
        report: dict[str, Any] = {
            "file": source,
            "outcome_kinds": history.kinds if history else None,
            "rule_set": {"id": base.pk, "version": base.version} if base else "implicit",
            "columns": sample.columns,
            "skipped_without_outcome": sample.skipped,
            "overall": overall.as_dict(),
            "groups": {col: {v: s.as_dict() for v, s in values.items()} for col, values in groups.items()},
        }
        if options["fit"]:
            report["fit"] = fitted.as_dict() if fitted else None
            report["saved_rule_set"] = {"id": saved.pk, "version": saved.version} if saved else None
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self._print(report, overall, groups, fitted, saved)

    def _forward(
        self, options: dict[str, Any], criteria: list[Criterion], bands: Bands, test: Scores, outcome: Any
    ) -> Fit | None:
        try:
            train_on = datetime.date.fromisoformat(options["train_on"])
        except ValueError as error:
            raise CommandError(f"Dată invalidă: {options['train_on']}") from error
        if train_on >= datetime.date.fromisoformat(options["on"]):
            raise CommandError("--train-on trebuie să fie înainte de --on.")
        train = backtest_history(county_code=options["county"], on=train_on, today=timezone.localdate())
        if train is None:
            raise CommandError(f"Niciun elev înscris în județul {options['county']} la {train_on.isoformat()}.")
        return fit_forward(sample_score(train.sample.indicators, criteria, bands), train.sample.outcome, test, outcome)

    def _rules(self, options: dict[str, Any]) -> tuple[RuleSet | None, list[Criterion], Bands]:
        if options["rule_set"] is not None:
            base = RuleSet.objects.filter(pk=options["rule_set"]).first()
            if base is None:
                raise CommandError(f"Setul de reguli {options['rule_set']} nu există.")
        elif options["county"]:
            base = rule_set_current(county_code=options["county"])
            if base is None and options["save"]:
                raise CommandError(f"Județul {options['county']} nu are încă un set de reguli.")
            if base is None:
                return None, list(DEFAULT_CRITERIA), DEFAULT_BANDS
        else:
            return None, list(DEFAULT_CRITERIA), DEFAULT_BANDS
        return base, rule_set_criteria(rule_set=base), rule_set_bands(rule_set=base)

    def _print(
        self,
        report: dict[str, Any],
        overall: Section,
        groups: dict[str, dict[str, Section]],
        fitted: Fit | None,
        saved: RuleSet | None,
    ) -> None:
        out = self.stdout.write
        rules = report["rule_set"]
        out(f"Fișier: {report['file']}; reguli: {rules if rules == 'implicit' else 'v' + str(rules['version'])}")
        out("Coloane citite: " + ", ".join(f"{code}←{col}" for code, col in report["columns"].items()))
        if report["outcome_kinds"]:
            out("Rezultate înregistrate: " + ", ".join(f"{k}: {n}" for k, n in report["outcome_kinds"].items()))
        if report["skipped_without_outcome"]:
            out(f"Rânduri fără rezultat, lăsate deoparte: {report['skipped_without_outcome']}")
        self._section("Toți elevii", overall)
        for column, values in groups.items():
            for value, part in values.items():
                self._section(f"{column} = {value}", part)
        if fitted is None and "fit" in report:
            out("\nPotrivirea nu e posibilă: niciun criteriu nu variază sau rezultatul are o singură valoare.")
        if fitted is not None:
            out(f"\nRegresie logistică ({fitted.method})")
            out(f"  AUC pe părțile lăsate deoparte: {fitted.auc}   (regulile, pe aceleași părți: {fitted.rules_auc})")
            out(f"  câștig de AUC față de reguli: {fitted.gain}")
            for share, estimate in fitted.top.items():
                out(f"  precizie top {round(share * 100)} %: {estimate}   (regulile: {fitted.rules_top[share]})")
            out(
                "  calibrare (probabilitate prezisă → rată observată): "
                + ", ".join(
                    f"{p:.2f}→{o:.2f}"
                    for p, o in zip(fitted.calibration.predicted, fitted.calibration.observed, strict=True)
                )
            )
            out("  coeficienți: " + ", ".join(f"{k}: {v:+.2f}" for k, v in fitted.coefficients.items()))
            out("  Versiune propusă (cuvintele motivelor rămân aceleași):")
            for criterion in fitted.proposed:
                out(f"    {criterion_label(criterion)} → {criterion.points} puncte")
            for criterion in fitted.removed:
                out(f"    scos: {criterion_label(criterion)} (coeficient ≤ 0)")
            if fitted.untested:
                out(
                    "    neverificate (nu variază în date, păstrate): "
                    + ", ".join(map(criterion_label, fitted.untested))
                )
            b = fitted.bands
            out(f"    praguri: scăzut de la {b.low_from}, mediu de la {b.medium_from}, ridicat de la {b.high_from}")
        if saved is not None:
            out(f"\nSalvată ca versiunea {saved.version} (id {saved.pk}), propusă, neadoptată.")

    def _section(self, title: str, part: Section) -> None:
        out = self.stdout.write
        out(f"\n== {title}: {part.pupils} elevi, {part.outcomes} cu rezultatul ==")
        for warning in part.warnings:
            out(f"  ATENȚIE: {warning}")
        out(f"  AUC: {part.auc}")
        for flagged in part.top + part.levels:
            out(
                f"  {flagged.label}: {flagged.flagged:.0f} elevi, "
                f"precizie {flagged.precision}, acoperire {flagged.recall}"
            )
        out("  Rata rezultatului pe puncte: " + "; ".join(f"{r.key} p ({r.n}): {r.rate}" for r in part.by_points))
        for firing in part.firing:
            out(
                f"  {firing.criterion} (+{firing.points}): "
                f"cu rezultat {firing.with_outcome}, fără {firing.without_outcome}"
            )
        known = [r for r in part.unknown if r.rate.value]
        if known:
            out("  Necunoscut: " + "; ".join(f"{r.key} {r.rate}" for r in known))
