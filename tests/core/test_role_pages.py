"""Who opens which restricted page, role by role, in one table per app: each refusal stands beside the role that is
let in, so removing any one check turns a cell red. 200 = allowed; 302 = sent to the login page; 403 = refused."""
import datetime

import pytest
from django.utils import timezone

from partons.core.roles import Role
from partons.events.models import Event

from ..conftest import make_user

ROLES = ["anonymous", "resident", "moderator", "coordinator", "analyst", "jury_member"]

PAGES = {
    # path: expected status per role, in the order of ROLES
    "/nl/ideas/paper/": (302, 403, 403, 200, 403, 403),
    "/nl/ideas/moderation/": (302, 403, 200, 200, 403, 403),
    "/nl/access/settings/": (302, 403, 403, 200, 403, 403),
    "/nl/access/scenarios/": (302, 403, 403, 200, 200, 403),
    "/nl/events/launch/participants/": (302, 403, 403, 200, 403, 403),
    "/nl/events/launch/participants.csv": (302, 403, 403, 200, 403, 403),
    "/nl/services/reports/": (302, 403, 200, 200, 403, 403),
    "/nl/calls/jury/": (302, 403, 403, 403, 403, 200),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
def test_restricted_pages_by_role(client, territory, role_index, role):
    now = timezone.now()
    Event.objects.create(slug="launch", type="launch", title_nl="Start", title_fr="Lancement", published=True,
                         starts_at=now + datetime.timedelta(days=5), ends_at=now + datetime.timedelta(days=5, hours=2),
                         village=territory["villages"]["kemmel"])
    if role != "anonymous":
        client.force_login(make_user(f"{role}@example.org", role=Role(role)))
    got = {path: client.get(path).status_code for path in PAGES}
    assert got == {path: expected[role_index] for path, expected in PAGES.items()}
