"""Who may send an idea, record a paper one, support, follow, comment on and flag an idea, role by role, on a visible
idea and on a hidden one: every role tries every action, the allowed ones succeed and change the database, the others
are refused (403, the login page for anonymous visitors, 404 where a hidden idea is not to be known) and change
nothing. The services refuse by themselves too. (Status, hide and link: test_role_actions.py.)"""
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from partons.core.roles import Role
from partons.ideas import services
from partons.ideas.models import Comment, Flag, Follow, Idea, Support

from ..conftest import is_login_redirect, make_user, person, sign_in, url

ROLES = ["anonymous", "resident", "owner", "moderator", "coordinator", "analyst", "jury_member"]
TEAM = {"moderator", "coordinator"}
SIGNED_IN = set(ROLES) - {"anonymous"}


@pytest.fixture
def owner(db):
    return make_user("owner@example.org", role=Role.RESIDENT)


@pytest.fixture
def idea(territory, owner):
    made = services.submit_idea(by=owner, title="Een bank bij de kerk", description="Om te rusten", theme="meeting_places",
                                language="nl", village=territory["villages"]["kemmel"])
    Follow.objects.filter(idea=made).delete()  # the author stopped following it: following it again shows
    return made


@pytest.fixture
def hidden_idea(idea, moderator):
    services.hide(by=moderator, reason="Reclame", idea=idea)
    return Idea.objects.get(pk=idea.pk)


# --- sending an idea, recording a paper one -----------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_person_sends_an_idea_and_anonymous_visitors_are_sent_to_log_in(client, territory, owner, role):
    actor = sign_in(client, role, owner)
    r = client.post(url("ideas:new"), {"title": "Een speeltuin in Loker", "description": "Voor de kinderen",
                                       "theme": "meeting_places", "language": "nl",
                                       "village": territory["villages"]["loker"].pk})
    if role == "anonymous":
        assert is_login_redirect(r) and not Idea.objects.exists()
    else:
        sent = Idea.objects.get(title="Een speeltuin in Loker")
        assert r.status_code == 302 and r["Location"] == url("ideas:detail", pk=sent.pk)
        assert sent.author == actor and sent.follows.filter(user=actor).exists()


PAPER = {"title": "Een brievenbus aan het plein", "description": "Geschreven op papier", "theme": "meeting_places",
         "language": "nl", "received_on": "2025-01-15"}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_record_a_paper_idea(client, territory, owner, role, method):
    actor = sign_in(client, role, owner)
    kemmel = territory["villages"]["kemmel"]
    if method == "GET":
        r = client.get(url("ideas:paper"))
    else:
        r = client.post(url("ideas:paper"), {**PAPER, "paper_box": kemmel.pk})
    recorded = Idea.objects.filter(title=PAPER["title"])
    if role == "coordinator" and method == "GET":
        assert r.status_code == 200 and 'name="paper_box"' in r.content.decode()
    elif role == "coordinator":
        paper = recorded.get()
        assert r.status_code == 302 and r["Location"] == url("ideas:detail", pk=paper.pk)
        assert paper.source == "paper" and paper.recorded_by == actor and paper.author is None and paper.paper_box == kemmel
    else:
        assert is_login_redirect(r) if role == "anonymous" else r.status_code == 403
        assert not recorded.exists()


# --- taking part: support, follow, comment, flag ------------------------------------------------------------------

# action: (address under the idea, what is posted, the table a success adds a row to, the field naming who did it)
ACTIONS = {
    "support": ("ideas:support", {}, Support, "user"),
    "follow": ("ideas:follow", {}, Follow, "user"),
    "comment": ("ideas:comment", {"body": "Goed idee, ik help mee"}, Comment, "author"),
    "flag": ("ideas:flag", {"reason": "Dit is reclame"}, Flag, "by"),
}


def footprint(idea_):
    """Everything taking part can change about an idea."""
    fresh = Idea.objects.get(pk=idea_.pk)
    return {"supports_count": fresh.supports_count, "comments_count": fresh.comments_count,
            **{model.__name__: model.objects.filter(idea=idea_).count() for model in (Support, Follow, Comment, Flag)}}


def act(client, role, owner, idea_, action):
    name, data, model, by = ACTIONS[action]
    actor = sign_in(client, role, owner)
    before = footprint(idea_)
    r = client.post(url(name, pk=idea_.pk), data)
    after = footprint(idea_)
    added = model.objects.filter(idea=idea_, **{by: actor}).exists() if actor else False
    return r, before, after, added


def assert_succeeded(r, idea_, before, after, added, action):
    """Back on the idea's page, with one more row by the actor (and the counters that go with it), nothing else."""
    model = ACTIONS[action][2].__name__
    grown = {model: before[model] + 1}
    if action == "support":
        grown["supports_count"] = before["supports_count"] + 1
    if action == "comment":  # the writer follows the idea from then on
        grown.update(comments_count=before["comments_count"] + 1, Follow=before["Follow"] + 1)
    assert r.status_code == 302 and r["Location"].startswith(url("ideas:detail", pk=idea_.pk))
    assert added and after == before | grown


def rows(actions):
    """Every role × action (moderators and coordinators do not flag: they hide or answer)."""
    return [pytest.param(role, action, id=f"{role}-{action}") for role in ROLES for action in actions]


def allowed_on_a_visible_idea(role, action):
    return role in SIGNED_IN and not (action == "flag" and role in TEAM)


@pytest.mark.django_db
@pytest.mark.parametrize("role, action", rows(ACTIONS))
def test_who_takes_part_in_a_visible_idea(client, idea, owner, role, action):
    r, before, after, added = act(client, role, owner, idea, action)
    if allowed_on_a_visible_idea(role, action):
        assert_succeeded(r, idea, before, after, added, action)
    else:
        assert is_login_redirect(r) if role == "anonymous" else r.status_code == 403
        assert after == before


# On a hidden idea: those who still see it (its author, the team) are sent back to it with a message and add no
# support or comment; they may follow it (to hear when it is restored), and its author may flag it (the moderators
# see the flag). Everyone else gets 404: the idea is not to be known.
ON_A_HIDDEN_IDEA = {
    "anonymous":   {"support": "login", "follow": "login", "comment": "login", "flag": "login"},
    "resident":    {"support": 404, "follow": 404, "comment": 404, "flag": 404},
    "owner":       {"support": "back", "follow": "done", "comment": "back", "flag": "done"},
    "moderator":   {"support": "back", "follow": "done", "comment": "back", "flag": 403},
    "coordinator": {"support": "back", "follow": "done", "comment": "back", "flag": 403},
    "analyst":     {"support": 404, "follow": 404, "comment": 404, "flag": 404},
    "jury_member": {"support": 404, "follow": 404, "comment": 404, "flag": 404},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role, action", rows(ACTIONS))
def test_who_takes_part_in_a_hidden_idea(client, hidden_idea, owner, role, action):
    expected = ON_A_HIDDEN_IDEA[role][action]
    r, before, after, added = act(client, role, owner, hidden_idea, action)
    if expected == "done":
        assert_succeeded(r, hidden_idea, before, after, added, action)
        return
    if expected == "login":
        assert is_login_redirect(r)
    elif expected == "back":
        assert r.status_code == 302 and r["Location"].startswith(url("ideas:detail", pk=hidden_idea.pk))
    else:
        assert r.status_code == expected
    assert after == before and Idea.objects.get(pk=hidden_idea.pk).hidden


# What the idea's page offers, per role: its status, then whether it has the support, follow, comment and flag forms.
OFFERED = {
    #               visible idea                       hidden idea
    "anonymous":   ((200, False, False, False, False), (404,)),
    "resident":    ((200, True, True, True, True),     (404,)),
    "owner":       ((200, True, True, True, True),     (200, False, True, False, True)),
    "moderator":   ((200, True, True, True, False),    (200, False, True, False, False)),
    "coordinator": ((200, True, True, True, False),    (200, False, True, False, False)),
    "analyst":     ((200, True, True, True, True),     (404,)),
    "jury_member": ((200, True, True, True, True),     (404,)),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_what_an_ideas_page_offers_to_each_role(client, idea, owner, moderator, role):
    sign_in(client, role, owner)

    def offered(idea_):
        r = client.get(url("ideas:detail", pk=idea_.pk))
        if r.status_code != 200:
            return (r.status_code,)
        page = r.content.decode()
        return (200, *(f'action="{url(name, pk=idea_.pk)}"' in page for name, *_rest in ACTIONS.values()))

    visible = offered(idea)
    services.hide(by=moderator, reason="Reclame", idea=idea)
    assert (visible, offered(idea)) == OFFERED[role]


# --- the services refuse by themselves -----------------------------------------------------------------------------

def _submit(actor, idea_, territory):
    return services.submit_idea(by=actor, title="Via de dienst", description="x", theme="meeting_places", language="nl",
                                village=territory["villages"]["loker"])


def _paper(actor, idea_, territory):
    return services.record_paper_idea(by=actor, title="Via de dienst", description="x", theme="meeting_places",
                                      language="nl", paper_box=territory["villages"]["loker"],
                                      received_on=datetime.date(2025, 1, 15))


# service: (call it, what it added, who may)
SERVICES = {
    "submit_idea": (_submit, lambda: Idea.objects.filter(title="Via de dienst"), SIGNED_IN),
    "record_paper_idea": (_paper, lambda: Idea.objects.filter(title="Via de dienst"), {"coordinator"}),
    "support": (lambda a, i, t: services.support(idea=i, by=a), lambda: Support.objects.all(), SIGNED_IN),
    "follow": (lambda a, i, t: services.follow(idea=i, by=a), lambda: Follow.objects.all(), SIGNED_IN),
    "comment": (lambda a, i, t: services.comment(idea=i, by=a, body="x"), lambda: Comment.objects.all(), SIGNED_IN),
    "flag": (lambda a, i, t: services.flag(by=a, reason="x", idea=i), lambda: Flag.objects.all(), SIGNED_IN - TEAM),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role, service", rows(SERVICES))
def test_the_idea_services_refuse_by_themselves(territory, idea, owner, role, service):
    call, made, allowed = SERVICES[service]
    actor = person(role, owner) or AnonymousUser()
    if role in allowed:
        call(actor, idea, territory)
        assert made().count() == 1
    else:
        with pytest.raises(PermissionDenied):
            call(actor, idea, territory)
        assert made().count() == 0
