"""`manage.py restore FILE [--yes]`: the database and MEDIA_ROOT back from an encrypted backup
(prezent/core/backups.py). The whole file is decrypted and the dump's SHA-256 checked before the database is
touched; a database that holds data is overwritten only with --yes; afterwards the row counts are compared with the
backup's manifest. Prints counts and table names, never a name."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from prezent.core.backups import BackupError
from prezent.core.services import backup_restore


class Command(BaseCommand):
    help = _(
        "Restaurează baza de date și fișierele încărcate dintr-o copie de siguranță criptată și compară numărul de "
        "rânduri cu manifestul copiei. Opriți întâi serverul web și workerii Celery."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("copia de siguranță"))
        parser.add_argument("--yes", action="store_true", help=_("suprascrie o bază de date care nu este goală"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup_restore(path=Path(options["file"]), overwrite=options["yes"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = restored.manifest
        self.stdout.write(
            _(
                "Restaurată copia din %(date)s (Prezent %(version)s, baza %(vendor)s): %(rows)d rânduri în %(tables)d "
                "tabele, %(files)d fișiere încărcate."
            )
            % {
                "date": manifest["created_at"],
                "version": manifest["prezent_version"],
                "vendor": manifest["database_vendor"],
                "rows": sum(restored.counts.values()),
                "tables": len(restored.counts),
                "files": restored.media_files,
            }
        )
        if restored.media_left:
            self.stdout.write(
                _("%(count)d fișiere din MEDIA_ROOT nu sunt în copie și au rămas pe loc.")
                % {"count": restored.media_left}
            )
        if restored.differences:
            for table, expected, found in restored.differences:
                self.stderr.write(
                    _("%(table)s: %(expected)d rânduri în copie, %(found)s acum.")
                    % {"table": table, "expected": expected, "found": "—" if found is None else found}
                )
            raise CommandError(
                _("%(count)d tabele nu au numărul de rânduri din manifestul copiei.")
                % {"count": len(restored.differences)}
            )
        self.stdout.write(self.style.SUCCESS(_("Numărul de rânduri al fiecărui tabel este cel din manifestul copiei.")))
        self.stdout.write(
            _("Dacă versiunea Prezent de acum este mai nouă decât a copiei, rulați „python manage.py migrate”.")
        )
