"""What the review page and the admin say is written for people: steps of the audit trail and roles in the page's
language, never their codes."""
import pytest

from partons.calls.models import AuditEntry
from partons.core.models import User
from partons.core.roles import Role

from ..conftest import make_user


@pytest.mark.django_db
def test_the_audit_trail_reads_in_the_page_language(client, call, jurors):
    coordinator = make_user("coord@example.org", role=Role.COORDINATOR)
    for action in ("jurors_assigned", "conflict_declared", "scored", "selection_decided"):
        AuditEntry.objects.create(call=call, action=action, by=coordinator)
    AuditEntry.objects.create(call=call, action="some_future_step", by=coordinator)
    client.force_login(coordinator)
    nl = client.get(f"/nl/calls/{call.slug}/review/").content.decode()
    trail = nl[nl.index("Audit"):]
    assert "Juryleden toegewezen" in trail and "Scores gegeven" in trail and "Selectie vastgelegd" in trail
    assert "jurors_assigned" not in trail and "selection_decided" not in trail
    assert "Some_future_step" in trail  # an unknown step still shows, as recorded
    fr = client.get(f"/fr/calls/{call.slug}/review/").content.decode()
    assert "Membres du jury désignés" in fr[fr.index("Audit") if "Audit" in fr else 0:]


@pytest.mark.django_db
def test_the_admin_names_roles_not_their_codes(client, jurors):
    admin = User.objects.create_superuser("admin@example.org", "a-long-admin-password")
    client.force_login(admin)
    page = client.get(f"/nl/admin/core/user/{jurors[0].pk}/change/").content.decode()
    assert "jurylid" in page and ">jury_member<" not in page and "jury_member</label>" not in page
    listing = client.get("/nl/admin/core/user/").content.decode()
    assert "jurylid" in listing
