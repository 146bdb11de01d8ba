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


NAV_LINKS = {  # a link of the site's navigation (or of the calls page) and the page it opens
    "/nl/services/reports/": "/nl/",
    "/nl/ideas/moderation/": "/nl/",
    "/nl/access/settings/": "/nl/",
    "/nl/calls/jury/": "/nl/calls/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_restricted_link_is_offered_exactly_to_those_it_opens_for(client, territory, role):
    """The navigation asks the same named rules as the pages: no link that ends in a refusal, no page a role may
    open that it is never offered."""
    if role != "anonymous":
        client.force_login(make_user(f"{role}@example.org", role=Role(role)))
    for target, page in NAV_LINKS.items():
        offered = f'href="{target}"' in client.get(page).content.decode()
        opens = client.get(target).status_code == 200
        assert offered == opens, (role, target, offered, opens)
