"""`manage.py backup FILE`: an encrypted backup of the database and MEDIA_ROOT (prezent/core/backups.py);
`manage.py backup --generate-key` prints a new key for PREZENT_BACKUP_KEY. Prints counts, never a name."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from prezent.core.backups import BackupError, key_generate
from prezent.core.services import backup_create


class Command(BaseCommand):
    help = _(
        "Scrie o copie de siguranță criptată (PREZENT_BACKUP_KEY): baza de date, fișierele încărcate (MEDIA_ROOT) "
        "și un manifest cu numărul de rânduri al fiecărui tabel."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help=_("fișierul în care se scrie copia"))
        parser.add_argument(
            "--generate-key", action="store_true", help=_("afișează o cheie nouă pentru PREZENT_BACKUP_KEY și ieși")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate_key"]:
            self.stdout.write(key_generate())
            return
        if not options["file"]:
            raise CommandError(_("Spuneți unde se scrie copia: python manage.py backup FIȘIER."))
        try:
            written = backup_create(path=Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = written.manifest
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Copia %(file)s a fost scrisă (%(size).1f MB, criptată): baza %(vendor)s cu %(tables)d tabele și "
                    "%(rows)d rânduri, %(files)d fișiere încărcate; SHA-256 al bazei: %(sha)s."
                )
                % {
                    "file": written.path,
                    "size": written.size / 1_000_000,
                    "vendor": manifest["database_vendor"],
                    "tables": len(manifest["tables"]),
                    "rows": sum(manifest["tables"].values()),
                    "files": manifest["media"]["files"],
                    "sha": manifest["dump"]["sha256"],
                }
            )
        )
