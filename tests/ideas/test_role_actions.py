"""Who may change an idea's status, hide it or link it to services, role by role: each action is tried by every
role, and only moderators and coordinators change anything (the others get 403, anonymous visitors the login page)."""
import pytest

from partons.core.roles import Role
from partons.ideas import services
from partons.ideas.models import Idea

from ..conftest import make_user

ROLES = ["anonymous", "resident", "author", "analyst", "jury_member", "moderator", "coordinator"]
TEAM = {"moderator", "coordinator"}


@pytest.fixture
def idea(territory, resident):
    return services.submit_idea(by=resident, title="Een bank bij de kerk", description="Om te rusten",
                                theme="meeting_places", language="nl", village=territory["villages"]["kemmel"])


def as_role(client, role, resident):
    if role == "author":
        client.force_login(resident)
    elif role != "anonymous":
        client.force_login(make_user(f"someone-{role}@example.org", role=Role(role)))


def expected_status(role):
    return 302 if role == "anonymous" or role in TEAM else 403


# action: (address under the idea, what is posted, did it change the idea?)
ACTIONS = {
    "status": ("status", {"status": "under_review", "answer": "We bekijken het"}, lambda i: i.status == "under_review"),
    "hide": ("moderate", {"action": "hide", "reason": "Buiten het onderwerp"}, lambda i: i.hidden),
    "link": ("link", {"project_url": "https://example.org/project"},
             lambda i: i.project_url == "https://example.org/project"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_changes_an_idea(client, idea, resident, role, action):
    path, data, changed = ACTIONS[action]
    as_role(client, role, resident)
    r = client.post(f"/nl/ideas/{idea.pk}/{path}", data)
    assert r.status_code == expected_status(role)
    assert changed(Idea.objects.get(pk=idea.pk)) is (role in TEAM)
