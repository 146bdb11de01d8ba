"""Create (once) the demo coordinator account and print how to log in."""
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from partons.core.models import User
from partons.core.roles import Role, grant_role

DEMO_EMAIL = "coordinator@example.org"


class Command(BaseCommand):
    help = "Create the demo coordinator account (local demo only) and print its login."

    def handle(self, *args, **options):
        secret_file = settings.VAR_DIR / "demo-coordinator.txt"
        with transaction.atomic():
            user = User.objects.filter(email=DEMO_EMAIL).first()
            if user is None or not secret_file.exists():
                password = secrets.token_urlsafe(12)
                if user is None:
                    user = User.objects.create_user(DEMO_EMAIL, password, display_name="Demo coordinator")
                else:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                secret_file.parent.mkdir(parents=True, exist_ok=True)
                secret_file.write_text(password + "\n", encoding="utf-8")
                secret_file.chmod(0o600)
            password = secret_file.read_text(encoding="utf-8").strip()
            grant_role(user, Role.COORDINATOR)
            EmailAddress.objects.update_or_create(user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True})
        self.stdout.write(self.style.SUCCESS(f"Demo coordinator — e-mail: {DEMO_EMAIL}  password: {password}"))
        self.stdout.write(f"(stored in {secret_file}; delete that file and run this again for a new password)")
