"""Restore the database and the uploaded files from an archive made by `partons backup`."""
import sys

from django.core.management.base import BaseCommand, CommandError

from partons.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from an archive made by `partons backup` (replaces both)."

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="FILE", help="a .tar.gz archive made by `partons backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, yes=False, **options):
        def confirm(manifest):
            if yes:
                return True
            if not sys.stdin.isatty():
                raise CommandError("restore replaces the current database and uploaded files: pass --yes to confirm "
                                   "(there is no terminal to ask on)")
            self.stdout.write(f"Backup of {manifest['created_at']} (UTC): {manifest['vendor']} database, "
                              f"{manifest['files']} uploaded files.")
            try:
                answer = input("This replaces the current database and ALL uploaded files. Type 'yes' to go on: ")
            except EOFError:
                return False
            return answer.strip().lower() == "yes"

        try:
            manifest = restore_backup(archive, confirm=confirm)
        except BackupError as e:
            raise CommandError(str(e)) from None
        except OSError as e:
            raise CommandError(f"could not restore: {e.strerror or e} ({e.filename or archive})") from None
        if manifest is None:
            self.stdout.write("Restore cancelled; nothing was changed.")
            return
        self.stdout.write(self.style.SUCCESS(f"Restored {archive}"))
        self.stdout.write(f"{manifest['vendor']} database of {manifest['created_at']} (UTC), {manifest['files']} uploaded files.")
        if manifest["missing_migrations"]:
            self.stdout.write(self.style.WARNING(f"The backup predates {len(manifest['missing_migrations'])} migration(s) "
                                                 "of this code: run `partons migrate`."))
