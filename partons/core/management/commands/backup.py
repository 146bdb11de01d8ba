"""Back up the database and the uploaded files into one .tar.gz archive (safe while the site runs)."""
from django.core.management.base import BaseCommand, CommandError

from partons.core.backup import BackupError, make_backup


def human_size(size: float) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive (safe while the site runs)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="FILE",
                            help="archive to write (default: var/backups/partons-YYYYmmdd-HHMMSS.tar.gz)")

    def handle(self, *args, output=None, **options):
        try:
            path, manifest = make_backup(output)
        except BackupError as e:
            raise CommandError(str(e)) from None
        except OSError as e:
            raise CommandError(f"could not write the backup: {e.strerror or e} ({e.filename or output})") from None
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
        self.stdout.write(f"{human_size(path.stat().st_size)}: {manifest['vendor']} database, "
                          f"{manifest['files']} uploaded files.")
