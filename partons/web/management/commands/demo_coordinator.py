"""Create (once) the demo accounts of `make run` — a coordinator, a moderator, an analyst, three jury members and two
residents, all flagged "(demo)" — give the demo the work that needs people (the 2019 call's jury scores, ideas,
supports, comments and answers), and print how to log in."""
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from partons.core.models import User
from partons.core.roles import Role, grant_role

DEMO_EMAIL = "coordinator@example.org"
# e-mail, display name, role (None: a resident), language
DEMO_ACCOUNTS = [
    (DEMO_EMAIL, "Coördinator (demo)", Role.COORDINATOR, "nl"),
    ("moderator@example.org", "Moderator (demo)", Role.MODERATOR, "nl"),
    ("analyst@example.org", "Analyste (démo)", Role.ANALYST, "fr"),
    ("jury1@example.org", "Jurylid 1 (demo)", Role.JURY_MEMBER, "nl"),
    ("jury2@example.org", "Membre du jury 2 (démo)", Role.JURY_MEMBER, "fr"),
    ("jury3@example.org", "Jurylid 3 (demo)", Role.JURY_MEMBER, "nl"),
    ("bewoner@example.org", "Bewoner uit Kemmel (demo)", None, "nl"),
    ("habitante@example.org", "Habitante de Boeschepe (démo)", None, "fr"),
]
DEMO_EMAILS = [a[0] for a in DEMO_ACCOUNTS]


class Command(BaseCommand):
    help = "Create the demo accounts (local demo only), the demo work that needs people, and print the logins."

    def handle(self, *args, **options):
        secret_file = settings.VAR_DIR / "demo-coordinator.txt"
        users = {}
        with transaction.atomic():
            if not secret_file.exists():
                secret_file.parent.mkdir(parents=True, exist_ok=True)
                secret_file.write_text(secrets.token_urlsafe(12) + "\n", encoding="utf-8")
                secret_file.chmod(0o600)
                fresh = True
            else:
                fresh = False
            password = secret_file.read_text(encoding="utf-8").strip()
            for email, name, role, language in DEMO_ACCOUNTS:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(email, password, display_name=name, preferred_language=language)
                elif fresh:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                if role is not None:
                    grant_role(user, role)
                EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
                users[email] = user
        from partons.calls.demo import load_demo_jury
        from partons.ideas.demo import load_demo_ideas
        from partons.observatory.demo import load_demo_reports

        log = self.stdout.write
        load_demo_jury(jurors=[users[e] for e in ("jury1@example.org", "jury2@example.org", "jury3@example.org")],
                       coordinator=users[DEMO_EMAIL], log=log)
        load_demo_ideas(residents=[users["bewoner@example.org"], users["habitante@example.org"]],
                        team=users["moderator@example.org"], log=log)
        load_demo_reports(residents=[users["bewoner@example.org"], users["habitante@example.org"]], log=log)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts — password for each: {password}"))
        for email, name, role, _language in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<24} {role.value if role else 'resident'}")
        self.stdout.write(f"(password stored in {secret_file}; delete that file and run this again for a new one)")
