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


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_changing_the_status(client, idea, resident, role):
    as_role(client, role, resident)
    r = client.post(f"/nl/ideas/{idea.pk}/status", {"status": "under_review", "answer": "We bekijken het"})
    assert r.status_code == expected_status(role)
    assert Idea.objects.get(pk=idea.pk).status == ("under_review" if role in TEAM else "received")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_hiding(client, idea, resident, role):
    as_role(client, role, resident)
    r = client.post(f"/nl/ideas/{idea.pk}/moderate", {"action": "hide", "reason": "Buiten het onderwerp"})
    assert r.status_code == expected_status(role)
    assert Idea.objects.get(pk=idea.pk).hidden is (role in TEAM)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_linking_to_a_project(client, idea, resident, role):
    as_role(client, role, resident)
    r = client.post(f"/nl/ideas/{idea.pk}/link", {"project_url": "https://example.org/project"})
    assert r.status_code == expected_status(role)
    assert (Idea.objects.get(pk=idea.pk).project_url == "https://example.org/project") is (role in TEAM)
