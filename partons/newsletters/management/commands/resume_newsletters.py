"""`partons resume-newsletters`: after a restart of the background worker, go on sending every issue left half sent
(the messages being handed over when it stopped are not sent again)."""
from django.core.management.base import BaseCommand

from partons.newsletters import services


class Command(BaseCommand):
    help = "Resume the sending of newsletter issues interrupted by a restart (no one gets an issue twice)."

    def handle(self, *args, **options):
        ids = services.resume_all()
        self.stdout.write(f"{len(ids)} issue(s) resumed" + (f": {', '.join(map(str, ids))}" if ids else ""))
