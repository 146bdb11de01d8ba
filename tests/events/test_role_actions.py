"""Who may do what with the events, role by role. Every action is tried by every role, in one table per family of
actions; in each table the allowed roles really change the database, every other role is refused and nothing changes.
The services are tried on their own too: a view that forgot its check would still be refused by its service, and a
service that forgot its check shows red here.

The "owner" is the person registered for the event. A role in a cooperation group (member, chair, member of another
group) grants nothing here. Refusals: 302 to the login page for anonymous visitors on what needs an account; 404 for
an unpublished event (its existence is not given away) and for someone else's registration; 403 on the coordinators'
participants page, whose event is public anyway."""
import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partons.cooperation.models import Group, GroupKind, Membership
from partons.core.roles import Role
from partons.events import services
from partons.events.models import Event, EventMessage, Registration

from ..conftest import make_user

ROLES = ["anonymous", "resident", "owner", "moderator", "coordinator", "analyst", "jury_member", "group_member",
         "group_chair", "other_group_member"]
NEEDS = "Rolstoel, graag een plaats vooraan"  # what the owner wrote: for the coordinators only
DRAFT = "Verborgen dag"  # the title of an event not published yet


@pytest.fixture
def world(make_event):
    """A coming event the owner is registered for, an unpublished one, and one that has begun (the owner registered
    while it was open)."""
    event = make_event(capacity=10)
    draft = make_event(slug="concept", title_nl=DRAFT, title_fr="Journée cachée", published=False)
    begun = make_event(slug="lopend", title_nl="Lopende dag", title_fr="Journée en cours", days=1)
    owner = make_user("owner@example.org", role=Role.RESIDENT)
    reg = services.register(by=owner, event=event, needs=NEEDS)
    begun_reg = services.register(by=owner, event=begun)
    now = timezone.now()
    Event.objects.filter(pk=begun.pk).update(starts_at=now - datetime.timedelta(hours=1),
                                             ends_at=now + datetime.timedelta(hours=5))
    steering = Group.objects.create(kind=GroupKind.STEERING, slug="stuurgroep", name_nl="Stuurgroep",
                                    name_fr="Comité de pilotage")
    working = Group.objects.create(kind=GroupKind.WORKING, slug="werkgroep", name_nl="Werkgroep", name_fr="Groupe")
    return SimpleNamespace(event=event, draft=draft, begun=begun, owner=owner, reg=reg, begun_reg=begun_reg,
                           steering=steering, working=working)


def person(role, w):
    """The user acting as `role`; an anonymous visitor for "anonymous"."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "owner":
        return w.owner
    if role in ("group_member", "group_chair", "other_group_member"):
        user = make_user(f"{role}@example.org", role=Role.RESIDENT)
        Membership.objects.create(group=w.working if role.startswith("other_") else w.steering, user=user,
                                  is_chair=role == "group_chair")
        return user
    return make_user(f"someone-{role}@example.org", role=Role(role))


def as_role(client, role, w):
    user = person(role, w)
    if user.is_authenticated:
        client.force_login(user)
    return user


def state():
    """Everything an action of this file may change."""
    return (list(Registration.objects.order_by("pk").values_list("event", "user", "status", "companions", "attended",
                                                                   "cancelled_at")),
            list(Event.objects.order_by("pk").values_list("capacity", "seats_taken", "cancelled", "published")),
            list(EventMessage.objects.order_by("pk").values_list("event", "subject", "by")))


def refused_to_log_in(r):
    return r.status_code == 302 and "/accounts/login/" in r["Location"]


# --- pages and files: who opens what ------------------------------------------------------------------------------

def pages(w):
    """(address, what only those who may open it get to read)."""
    return [(f"/nl/events/{w.event.slug}/participants/", NEEDS),
            (f"/nl/events/{w.event.slug}/participants.csv", NEEDS),
            (f"/nl/events/{w.draft.slug}/", DRAFT),
            (f"/nl/events/{w.draft.slug}/event.ics", f"SUMMARY:{DRAFT}")]


OTHERS = (403, 403, 404, 404)
PAGES = {
    #                     participants page, participants CSV, unpublished event's page, its .ics
    "anonymous":          (302, 302, 404, 404),
    "resident":           OTHERS,
    "owner":              OTHERS,  # registered: still not the list of the others
    "moderator":          OTHERS,
    "coordinator":        (200, 200, 200, 200),
    "analyst":            OTHERS,
    "jury_member":        OTHERS,
    "group_member":       OTHERS,
    "group_chair":        OTHERS,
    "other_group_member": OTHERS,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_participants_and_unpublished_events(client, world, role):
    as_role(client, role, world)
    got = []
    for url, secret in pages(world):
        r = client.get(url)
        got.append(r.status_code)
        assert (secret in r.content.decode("utf-8-sig")) is (r.status_code == 200), url  # refusals give nothing away
    assert tuple(got) == PAGES[role]
    mine = client.get("/nl/events/mine/")  # one's own registrations, and nobody else's
    assert mine.status_code == (302 if role == "anonymous" else 200)
    assert (f"/events/registrations/{world.reg.pk}/cancel" in mine.content.decode()) is (role == "owner")


# --- registering --------------------------------------------------------------------------------------------------

def _registered(user, event):
    return Registration.objects.filter(event=event, user=user).exclude(status="cancelled").exists()


# action: the event registered for
REGISTERING = {"register for a coming event": lambda w: w.event,
               "register for an unpublished event": lambda w: w.draft}


def registering_expected(role, action):
    """(status of the page, error the service raises or None)."""
    if action == "register for an unpublished event":  # nobody, coordinators included; only they know it exists
        return {"anonymous": 302, "coordinator": 403}.get(role, 404), PermissionDenied
    return {"anonymous": (302, PermissionDenied), "owner": (400, ValidationError)}.get(role, (302, None))


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(REGISTERING))
@pytest.mark.parametrize("role", ROLES)
def test_who_registers_through_the_pages(client, world, role, action):
    event = REGISTERING[action](world)
    user = as_role(client, role, world)
    before = state()
    r = client.post(f"/nl/events/{event.slug}/register", {"companions": "0"})
    status, error = registering_expected(role, action)
    assert r.status_code == status
    if error is None:
        assert r["Location"].endswith(f"/events/{event.slug}/") and _registered(user, event)
    else:  # refused; the owner is told on the form that they are registered already
        assert (role == "anonymous") is refused_to_log_in(r)
        assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_registers_through_the_service(world, role):
    by = person(role, world)
    for action, event in REGISTERING.items():
        _status, error = registering_expected(role, action)
        before = state()
        if error is None:
            reg = services.register(by=by, event=event(world))
            assert reg.status == "confirmed" and _registered(by, event(world)), action
        else:
            with pytest.raises(error):
                services.register(by=by, event=event(world))
            assert state() == before, action


# --- cancelling a registration (its holder or a coordinator; once the event has begun, a coordinator) -------------

# action: the owner's registration cancelled
CANCELLING = {"cancel a registration": lambda w: w.reg,
              "cancel once the event has begun": lambda w: w.begun_reg}


def cancelling_expected(role, action):
    """(status of the page, error the service raises or None). Someone else's registration is not found."""
    if role == "coordinator":
        return 302, None
    if role == "owner":
        return (302, None) if action == "cancel a registration" else (302, ValidationError)  # said in a message
    return (302 if role == "anonymous" else 404), PermissionDenied


def _cancelled(reg):
    return Registration.objects.get(pk=reg.pk).status == "cancelled"


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(CANCELLING))
@pytest.mark.parametrize("role", ROLES)
def test_who_cancels_a_registration_through_the_pages(client, world, role, action):
    reg = CANCELLING[action](world)
    as_role(client, role, world)
    before = state()
    r = client.post(f"/nl/events/registrations/{reg.pk}/cancel")
    status, error = cancelling_expected(role, action)
    assert r.status_code == status
    if error is None:
        assert r["Location"].endswith(f"/events/{reg.event.slug}/") and _cancelled(reg)
    else:
        assert (role == "anonymous") is refused_to_log_in(r)
        assert state() == before and not _cancelled(reg)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_cancels_a_registration_through_the_service(world, role):
    by = person(role, world)
    for action, reg in CANCELLING.items():
        _status, error = cancelling_expected(role, action)
        before = state()
        if error is None:
            services.cancel(by=by, registration=reg(world))
            assert _cancelled(reg(world)), action
        else:
            with pytest.raises(error):
                services.cancel(by=by, registration=reg(world))
            assert state() == before, action


@pytest.mark.django_db
def test_an_anonymous_caller_cannot_cancel_a_registration_whose_account_is_gone(world):
    Registration.objects.filter(pk=world.reg.pk).update(user=None)  # the account was deleted without the erasure
    before = state()
    with pytest.raises(PermissionDenied):
        services.cancel(by=AnonymousUser(), registration=Registration.objects.get(pk=world.reg.pk))
    assert state() == before


# --- the coordinators' work: attendance, messages, places, calling an event off -----------------------------------

# action: (what the participants page is posted, or None: done in the admin through the service; the service call;
#          did it happen?), in the order a coordinator does them one after the other
COORDINATING = {
    "record attendance": (
        lambda w: {"action": "attendance", "present": [str(w.reg.pk)]},
        lambda by, w: services.record_attendance(by=by, event=w.event, present_ids=[w.reg.pk]),
        lambda w: Registration.objects.get(pk=w.reg.pk).attended is True),
    "message the participants": (
        lambda w: {"action": "message", "subject": "De bus", "body": "Vertrek om 8u30"},
        lambda by, w: services.message_participants(by=by, event=w.event, subject="De bus", body="Vertrek om 8u30"),
        lambda w: EventMessage.objects.filter(event=w.event, subject="De bus").exists()),
    "change the number of places": (
        None, lambda by, w: services.set_capacity(by=by, event=w.event, capacity=20),
        lambda w: Event.objects.get(pk=w.event.pk).capacity == 20),
    "call the event off": (
        None, lambda by, w: services.set_cancelled(by=by, event=w.event, cancelled=True),
        lambda w: Event.objects.get(pk=w.event.pk).cancelled),
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", [a for a, (page, _s, _h) in COORDINATING.items() if page])
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_work_on_the_participants_page(client, world, role, action):
    data, _service, happened = COORDINATING[action]
    as_role(client, role, world)
    before = state()
    r = client.post(f"/nl/events/{world.event.slug}/participants/", data(world))
    if role == "coordinator":
        assert r.status_code == 302 and r["Location"].endswith(f"/events/{world.event.slug}/participants/")
        assert happened(world)
    else:
        assert r.status_code == (302 if role == "anonymous" else 403)
        assert (role == "anonymous") is refused_to_log_in(r)
        assert state() == before and not happened(world)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_do_the_coordinators_work_through_the_services(world, role):
    by = person(role, world)
    for action, (_page, service, happened) in COORDINATING.items():  # one after the other, in one world
        before = state()
        if role == "coordinator":
            service(by, world)
            assert happened(world), action
        else:
            with pytest.raises(PermissionDenied):
                service(by, world)
            assert state() == before and not happened(world), action
