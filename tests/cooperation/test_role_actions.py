"""Who may do what in the cross-border groups, role by role. Every action is tried by every role, in one table per
family of actions; in each table the allowed roles really change the database (and the stored files), every other
role is refused and nothing changes. The services are tried on their own too: a view that forgot its check would
still be refused by its service, and a service that forgot its check would show red here.

The group under test is a steering group (its members may follow the action plan's monitoring). Its meeting was
recorded by its former chair — the "owner" — who has since left the group: having created a meeting grants nothing.
Refusals: 302 to the login page for anonymous visitors on the pages that need an account; on a meeting's pages and
files a 403 asking to sign in (whether the meeting exists or not); for someone signed in, a 404 on what belongs to a
group they are not in (its existence is not given away) and a 403 on what they may see but not change."""
import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import Group as RoleGroup
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.utils import timezone

from partons.cooperation import selectors, services
from partons.cooperation.models import (Action, Decision, Group, GroupKind, Indicator, Meeting, MeetingAttachment,
                                        Membership, Milestone, Pillar)
from partons.core.roles import Role

from ..conftest import make_user
from .conftest import PDF, pdf

ROLES = ["anonymous", "resident", "owner", "moderator", "coordinator", "analyst", "jury_member", "group_member",
         "group_chair", "other_group_member", "other_group_chair"]
RECORDERS = {"group_chair", "coordinator"}  # record meetings, minutes, decisions and files
INSIDERS = RECORDERS | {"group_member"}  # see them

MINUTES = "Notulen: de partners verschuiven het budget van de ontdekkingsdagen."
TITLE = "Voorjaarsvergadering"
DECISION = "Besluit: een derde projectoproep"
MEMBER_ROLE = "projectmedewerker"  # the member's role in their organisation, listed to the group's insiders
HIDDEN_ACTION = "Interne opvolging"  # an action of the plan that is not public: on the monitoring only


def resident(email):
    """An account as signing up makes it: a resident. The same as make_user(email, role=Role.RESIDENT) without
    re-syncing every role's permissions for each person (that kept this file well over its time budget)."""
    user = make_user(email)
    user.groups.add(RoleGroup.objects.get_or_create(name=Role.RESIDENT.value)[0])
    return user


@pytest.fixture
def coop(territory):
    """The steering group with its chair, a member, a meeting (minutes, a decision about an action, a file) recorded
    by the former chair, who has left; another group; the action plan with a milestone and an indicator."""
    steering = Group.objects.create(kind=GroupKind.STEERING, slug="stuurgroep", name_nl="Stuurgroep Westhoek",
                                    name_fr="Comité de pilotage Westhoek")
    working = Group.objects.create(kind=GroupKind.WORKING, slug="werkgroep", name_nl="Werkgroep mobiliteit",
                                   name_fr="Groupe de travail mobilité")
    pillar = Pillar.objects.create(order=1, name_nl="Samenwerken", name_fr="Coopérer")
    action = Action.objects.create(pillar=pillar, number=1, slug="oproepen", title_nl="Projectoproepen",
                                   title_fr="Appels à projets")
    Action.objects.create(pillar=pillar, number=2, slug="intern", title_nl=HIDDEN_ACTION, title_fr="Suivi interne",
                          public=False)
    people = {who: resident(f"{who}@example.org") for who in ("owner", "group_chair", "group_member")}
    owner = Membership.objects.create(group=steering, user=people["owner"], is_chair=True)
    start = timezone.now() + datetime.timedelta(days=7)
    meeting = services.record_meeting(by=people["owner"], group=steering, title=TITLE, starts_at=start,
                                      ends_at=start + datetime.timedelta(hours=2), place="Provinciehuis",
                                      village=territory["villages"]["ieper"], agenda="1. Het actieplan",
                                      minutes=MINUTES)
    decision = services.add_decision(by=people["owner"], meeting=meeting, text=DECISION, action=action)
    attachment = services.add_attachment(by=people["owner"], meeting=meeting, upload=pdf("verslag.pdf"))
    owner.delete()  # the owner leaves the group; the chair passes on
    Membership.objects.create(group=steering, user=people["group_chair"], is_chair=True)
    member = Membership.objects.create(group=steering, user=people["group_member"], role=MEMBER_ROLE)
    return SimpleNamespace(
        group=steering, working=working, meeting=meeting, decision=decision, attachment=attachment,
        file_name=attachment.file.name, membership=member, people=people, action=action,
        milestone=Milestone.objects.create(action=action, title_nl="Selectie", title_fr="Sélection"),
        indicator=Indicator.objects.create(action=action, name_nl="Projecten", name_fr="Projets", target_value=10))


def person(role, w):
    """The user acting as `role`; an anonymous visitor for "anonymous"."""
    if role == "anonymous":
        return AnonymousUser()
    if role in w.people:
        return w.people[role]
    if role.startswith("other_group_"):
        user = resident(f"{role}@example.org")
        Membership.objects.create(group=w.working, user=user, is_chair=role == "other_group_chair")
        return user
    return make_user(f"someone-{role}@example.org", role=Role(role))


def as_role(client, role, w):
    user = person(role, w)
    if user.is_authenticated:
        client.force_login(user)
    return user


def state():
    """Everything an action of this file may change, the stored files included."""
    return (list(Meeting.objects.order_by("pk").values_list("group", "title", "starts_at", "ends_at", "place", "agenda",
                                                              "minutes", "minutes_by")),
            list(Decision.objects.order_by("pk").values_list("pk", "meeting", "text", "action")),
            [(a.pk, a.name, a.file.name, default_storage.exists(a.file.name))
             for a in MeetingAttachment.objects.order_by("pk")],
            list(Membership.objects.order_by("pk").values_list("pk", "group", "user", "is_chair", "show_contact")),
            list(Milestone.objects.order_by("pk").values_list("done", "done_on")),
            list(Indicator.objects.order_by("pk").values_list("current_value", "updated_on")))


def refused_to_log_in(r):
    return r.status_code == 302 and "/accounts/login/" in r["Location"]


def body(r):
    return b"".join(r.streaming_content) if r.streaming else r.content


# --- pages and files: who opens what ------------------------------------------------------------------------------

def pages(w):
    """(address, what only those who may open it get to read)."""
    m = w.meeting.pk
    return [(f"/nl/cooperation/meetings/{m}/", MINUTES.encode()),
            (f"/nl/cooperation/meetings/{m}/files/{w.attachment.pk}", PDF),
            (f"/nl/cooperation/meetings/{m}.ics", f"SUMMARY:{TITLE}".encode()),
            (f"/nl/cooperation/meetings/{m}/edit/", MINUTES.encode()),
            (f"/nl/cooperation/groups/{w.group.slug}/meetings/new/", b'name="minutes"'),
            ("/nl/cooperation/monitoring/", HIDDEN_ACTION.encode()),
            ("/nl/cooperation/monitoring.csv", HIDDEN_ACTION.encode())]


OUTSIDER = (404, 404, 404, 404, 403, 403, 403)
PAGES = {
    #                     meeting, its file, its .ics, edit form, new-meeting form, monitoring, monitoring CSV
    "anonymous":          (403, 403, 403, 302, 302, 302, 302),
    "resident":           OUTSIDER,
    "owner":              OUTSIDER,
    "moderator":          OUTSIDER,
    "coordinator":        (200, 200, 200, 200, 200, 200, 200),
    "analyst":            OUTSIDER,
    "jury_member":        OUTSIDER,
    "group_member":       (200, 200, 200, 403, 403, 200, 200),
    "group_chair":        (200, 200, 200, 200, 200, 200, 200),
    "other_group_member": OUTSIDER,  # a working group: no monitoring either
    "other_group_chair":  OUTSIDER,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_opens_a_meetings_pages_and_files_and_the_monitoring(client, coop, role):
    as_role(client, role, coop)
    got = []
    for url, secret in pages(coop):
        r = client.get(url)
        got.append(r.status_code)
        assert (secret in body(r)) is (r.status_code == 200), url  # what is refused gives nothing away
        if role == "anonymous":  # sent to the login page, or a page that offers it
            assert refused_to_log_in(r) or b"/accounts/login/?next=" in body(r), url
    assert tuple(got) == PAGES[role]


# What the public pages of a group and an action show, and "My groups": the group's members (their organisation and
# role), its meetings and decisions, the e-mail of a member who did not choose to show it, the decisions about an
# action, the coming meetings of one's groups.
NOTHING = (False, False, False, False, False)
SHOWN = {
    #                     members, meetings+decisions, member's e-mail, decision on action page, in "My groups"
    "anonymous":          NOTHING,
    "resident":           NOTHING,
    "owner":              NOTHING,
    "moderator":          NOTHING,
    "coordinator":        (True, True, True, True, False),  # sees every e-mail; not a member: nothing in "My groups"
    "analyst":            NOTHING,
    "jury_member":        NOTHING,
    "group_member":       (True, True, True, True, True),  # their own e-mail
    "group_chair":        (True, True, False, True, True),
    "other_group_member": NOTHING,
    "other_group_chair":  NOTHING,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_what_the_group_action_and_my_groups_pages_show_to_whom(client, coop, role):
    as_role(client, role, coop)
    group_page = client.get(f"/nl/cooperation/groups/{coop.group.slug}/")
    action_page = client.get(f"/nl/cooperation/actions/{coop.action.slug}/")
    assert group_page.status_code == action_page.status_code == 200  # public pages
    group, action = group_page.content.decode(), action_page.content.decode()
    mine = client.get("/nl/cooperation/mine/")
    assert mine.status_code == (302 if role == "anonymous" else 200)
    got = (MEMBER_ROLE in group, TITLE in group and DECISION in group, "member@example.org" in group,
           DECISION in action, TITLE in mine.content.decode())
    assert got == SHOWN[role]
    assert MINUTES not in group and MINUTES not in action  # minutes only on the meeting's own page
    # Everyone else is told the documents are for the members: the page decides so itself, not only from empty lists.
    assert ("voorbehouden aan de leden en het programmateam" in group) is (role not in INSIDERS)


# The selectors behind those pages filter by who is asking on their own: a page that forgot its check would show
# nothing more. The meeting, its file, the group's meetings, its decisions, the decisions about the action, the members.
@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_selectors_give_a_groups_documents_to_its_members_and_coordinators_only(coop, role):
    viewer = person(role, coop)
    got = (selectors.meeting_for(viewer, coop.meeting.pk) is not None,
           selectors.visible_attachments(viewer).filter(pk=coop.attachment.pk).exists(),
           bool(selectors.group_meetings(viewer, coop.group)), bool(selectors.group_decisions(viewer, coop.group)),
           bool(selectors.decisions_about(coop.action, viewer)), bool(selectors.members_for(viewer, coop.group)))
    assert got == (role in INSIDERS,) * 6


@pytest.mark.django_db
def test_a_steering_group_no_longer_active_opens_no_monitoring(client, coop):
    client.force_login(coop.people["group_member"])
    assert client.get("/nl/cooperation/monitoring/").status_code == 200  # positive control
    Group.objects.filter(pk=coop.group.pk).update(active=False)
    assert client.get("/nl/cooperation/monitoring/").status_code == 403
    assert client.get("/nl/cooperation/monitoring.csv").status_code == 403


# --- recording: meetings, minutes, decisions, files (the group's chair and the coordinators) ------------------------

NEW_MINUTES = "Herschreven notulen"
NEW_DECISION = "Besluit: de bus rijdt ook op zaterdag"


def _form(**changes):
    return {"title": TITLE, "starts_at": "2030-05-02T10:00", "ends_at": "2030-05-02T12:00", "place": "Ieper",
            "village": "", "agenda": "", "minutes": MINUTES, **changes}


def _new_file(w):
    att = MeetingAttachment.objects.filter(meeting=w.meeting, name="nieuw.pdf").first()
    return att is not None and default_storage.open(att.file.name).read() == PDF


def _file_gone(w):
    return not MeetingAttachment.objects.filter(pk=w.attachment.pk).exists() and not default_storage.exists(w.file_name)


def _record(by, w):
    start = timezone.now() + datetime.timedelta(days=30)
    services.record_meeting(by=by, group=w.group, title="Najaarsvergadering", starts_at=start,
                            ends_at=start + datetime.timedelta(hours=1))


# action: (address, what is posted, the same through the service, did it happen?)
RECORDING = {
    "record a meeting": (
        lambda w: f"/nl/cooperation/groups/{w.group.slug}/meetings/new/", lambda w: _form(title="Najaarsvergadering"),
        _record, lambda w: Meeting.objects.filter(group=w.group, title="Najaarsvergadering").exists()),
    "rewrite the minutes": (
        lambda w: f"/nl/cooperation/meetings/{w.meeting.pk}/edit/", lambda w: _form(minutes=NEW_MINUTES),
        lambda by, w: services.update_meeting(by=by, meeting=w.meeting, minutes=NEW_MINUTES),
        lambda w: Meeting.objects.get(pk=w.meeting.pk).minutes == NEW_MINUTES),
    "add a decision": (
        lambda w: f"/nl/cooperation/meetings/{w.meeting.pk}/decisions/", lambda w: {"text": NEW_DECISION},
        lambda by, w: services.add_decision(by=by, meeting=w.meeting, text=NEW_DECISION),
        lambda w: Decision.objects.filter(meeting=w.meeting, text=NEW_DECISION).exists()),
    "remove a decision": (
        lambda w: f"/nl/cooperation/meetings/{w.meeting.pk}/decisions/", lambda w: {"remove": str(w.decision.pk)},
        lambda by, w: services.remove_decision(by=by, decision=w.decision),
        lambda w: not Decision.objects.filter(pk=w.decision.pk).exists()),
    "upload a file": (
        lambda w: f"/nl/cooperation/meetings/{w.meeting.pk}/files/", lambda w: {"file": pdf("nieuw.pdf")},
        lambda by, w: services.add_attachment(by=by, meeting=w.meeting, upload=pdf("nieuw.pdf")), _new_file),
    "remove a file": (
        lambda w: f"/nl/cooperation/meetings/{w.meeting.pk}/files/", lambda w: {"remove": str(w.attachment.pk)},
        lambda by, w: services.remove_attachment(by=by, attachment=w.attachment), _file_gone),
}


def recording_refusal(role, action):
    """What the page answers someone who may not record: a group's existence is public, its meetings are not."""
    if role == "anonymous":
        return 302
    if action == "record a meeting" or role == "group_member":
        return 403
    return 404


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(RECORDING))
@pytest.mark.parametrize("role", ROLES)
def test_only_the_chair_and_coordinators_record_through_the_pages(client, coop, role, action,
                                                                   django_capture_on_commit_callbacks):
    address, data, _service, happened = RECORDING[action]
    as_role(client, role, coop)
    before = state()
    with django_capture_on_commit_callbacks(execute=True):  # a removed file goes once the removal is committed
        r = client.post(address(coop), data(coop))
    if role in RECORDERS:
        assert r.status_code == 302 and "/cooperation/meetings/" in r["Location"]
        assert happened(coop)
    else:
        assert r.status_code == recording_refusal(role, action)
        assert role != "anonymous" or refused_to_log_in(r)
        assert state() == before and not happened(coop)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_chair_and_coordinators_record_through_the_services(coop, role, django_capture_on_commit_callbacks):
    by = person(role, coop)
    for action, (_address, _data, service, happened) in RECORDING.items():  # one after the other, in one world
        before = state()
        if role in RECORDERS:
            with django_capture_on_commit_callbacks(execute=True):
                service(by, coop)
            assert happened(coop), action
        else:
            with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
                service(by, coop)
            assert state() == before and not happened(coop), action


# --- a member's own choice: show their name and e-mail to the other members ----------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_member_shows_their_contact_through_the_page(client, coop, role):
    as_role(client, role, coop)
    before = state()
    r = client.post(f"/nl/cooperation/mine/{coop.membership.pk}/contact", {"show": "1"})
    shown = Membership.objects.get(pk=coop.membership.pk).show_contact
    if role == "group_member":
        assert r.status_code == 302 and r["Location"].endswith("/cooperation/mine/") and shown
    else:  # someone else's membership is not found, even by the group's chair or a coordinator
        assert r.status_code == (302 if role == "anonymous" else 404)
        assert role != "anonymous" or refused_to_log_in(r)
        assert state() == before and not shown


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_member_shows_their_contact_through_the_service(coop, role):
    by = person(role, coop)
    before = state()
    if role == "group_member":
        services.set_show_contact(by=by, membership=coop.membership, show=True)
        assert Membership.objects.get(pk=coop.membership.pk).show_contact
    else:
        with pytest.raises(PermissionDenied):
            services.set_show_contact(by=by, membership=coop.membership, show=True)
        assert state() == before


# --- the coordinators' own work: the members of a group and the progress of the plan (services, used by the admin) --

# action: (the service call, did it happen?), in the order a coordinator tries them one after the other
COORDINATING = {
    "add a member": (lambda by, w: services.add_member(by=by, group=w.group, user=w.people["owner"]),
                     lambda w: Membership.objects.filter(group=w.group, user=w.people["owner"]).exists()),
    "change the chair": (lambda by, w: services.set_chair(by=by, group=w.group, membership=w.membership),
                         lambda w: Membership.objects.get(pk=w.membership.pk).is_chair),
    "remove a member": (lambda by, w: services.remove_member(by=by, membership=w.membership),
                        lambda w: not Membership.objects.filter(pk=w.membership.pk).exists()),
    "update an indicator": (
        lambda by, w: services.update_indicator(by=by, indicator=w.indicator, current_value=Decimal(7)),
        lambda w: Indicator.objects.get(pk=w.indicator.pk).current_value == 7),
    "complete a milestone": (lambda by, w: services.complete_milestone(by=by, milestone=w.milestone),
                             lambda w: Milestone.objects.get(pk=w.milestone.pk).done),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_manage_members_and_the_plans_progress(coop, role):
    by = person(role, coop)
    for action, (service, happened) in COORDINATING.items():  # one after the other, in one world
        before = state()
        if role == "coordinator":
            service(by, coop)
            assert happened(coop), action
        else:
            with pytest.raises(PermissionDenied):
                service(by, coop)
            assert state() == before and not happened(coop), action
