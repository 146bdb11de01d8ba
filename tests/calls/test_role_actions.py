"""Who may do what in the calls for projects: every action that changes something, and the restricted pages it leads
to, tried by every role — one table per family of actions, one row per action, one column per role.

In each row the allowed role really changes the database (the change the action is for), and every other role is
refused without changing anything. A row where the state of the application refuses everyone (a submitted application,
results not yet published…) ends with its positive control: the state unlocked, the same request goes through. Rows
are tried refusals first, so a refusal is always tried on the very state the allowed role then changes.

The services check again what the views check (the admin, the API and tasks call them too): their own table asks them
directly. Jury scoring, conflicts of interest and application files: see test_jury_rules.py."""
import datetime
from dataclasses import dataclass
from typing import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from partons.calls import services
from partons.calls.models import (Application, Attachment, Attendance, AuditEntry, BrainstormRequest, BudgetLine, Call,
                                  CoachingSession, Expense, JuryAssignment, ProgressReport, Score)
from partons.core.roles import Role, grant_role

from ..conftest import make_user, url
from .conftest import EUR
from .test_apply import form_data
from .test_services import draft

ROLES = ("anonymous", "resident", "owner", "moderator", "coordinator", "analyst", "juror", "conflicted")
# anonymous: not signed in; resident: signed in, no other role; owner: the application's author (a resident);
# juror: a jury member assigned to the application; conflicted: a jury member assigned who declared a conflict.

# What happened. DONE: the change the action is for is in the database. Every other answer left the database as it was.
DONE = "done"
LOGIN = "login"  # sent to the login page
BACK = "sent back"  # redirected elsewhere (the call, the application, the review page with an error message)
SHOWN = "shown"  # a page, with what the row looks for in it (200 alone: the page, without it)
DENIED, INVALID = "PermissionDenied", "ValidationError"  # what a service raised

NEW_TITLE = "Speelplein aan de kerk"
REASON = "Een project van het hele dorp."


# --- the world each row starts from ------------------------------------------------------------------------------

STATES = ("draft", "submitted", "eligible", "scored", "selected", "published")  # "refused": scored, then not selected


@dataclass
class World:
    call: Call
    app: Application
    people: dict
    territory: dict
    costs: dict
    extra: dict

    def application(self) -> Application:
        return Application.objects.select_related("call").get(pk=self.app.pk)

    def the_call(self) -> Call:
        return Call.objects.get(pk=self.call.pk)

    def line(self) -> BudgetLine:
        return self.app.budget_lines.get()


@pytest.fixture(autouse=True)
def _role_groups_synced_once(monkeypatch):
    """Each row makes eight people, and make_user → grant_role re-syncs every role group's permissions each time (half
    of this file's run time on PostgreSQL). The sync is idempotent: within a test, sync once and reuse the groups."""
    from partons.core import roles

    synced = {}
    real = roles.sync_role_groups

    def once():
        if not synced:
            synced.update(real())
        return synced

    monkeypatch.setattr(roles, "sync_role_groups", once)


@pytest.fixture
def world(call, territory, costs, resident, moderator, coordinator):
    def build(state: str) -> World:
        juror, conflicted = (make_user(f"{who}@example.org", role=Role.JURY_MEMBER) for who in ("juror", "conflicted"))
        people = {"anonymous": None, "resident": make_user("someone@example.org", role=Role.RESIDENT), "owner": resident,
                  "moderator": moderator, "coordinator": coordinator,
                  "analyst": make_user("analyst@example.org", role=Role.ANALYST), "juror": juror, "conflicted": conflicted}
        app = draft(resident, call, territory, costs)  # € 8,000 of studies in Loker
        # Both jury members are on the application whatever its state (made as assign_jurors would): the jury roles are
        # tried at their strongest.
        JuryAssignment.objects.create(application=app, juror=juror)
        JuryAssignment.objects.create(application=app, juror=conflicted, conflict=True, conflict_note="Mijn buurman")
        at = STATES.index("scored" if state == "refused" else state)
        if at >= STATES.index("submitted"):
            services.submit(by=resident, application=app)
        if at >= STATES.index("eligible"):
            services.check_eligibility(by=coordinator, application=app, eligible=True)
        if at >= STATES.index("scored"):
            services.score(by=juror, assignment=app.assignments.get(juror=juror),
                           values={c.pk: (8, "") for c in call.criteria.all()})
        if at >= STATES.index("selected"):
            services.decide(by=coordinator, call=call, selected_ids=[app.pk], reasons={app.pk: REASON})
        if state == "published":
            services.publish_results(by=coordinator, call=call)
        if state == "refused":
            services.decide(by=coordinator, call=call, selected_ids=[], justification="Buiten het thema",
                            reasons={app.pk: REASON})
            Call.objects.filter(pk=call.pk).update(results_published_at=timezone.now())
        app.refresh_from_db()
        call.refresh_from_db()
        return World(call, app, people, territory, costs, {})

    return build


# What "the database did not change" means: every table the calls for projects write, row by row.
WATCHED = (Call, Application, Application.villages.through, Application.ideas.through, BudgetLine, Attachment,
           JuryAssignment, Score, AuditEntry, CoachingSession, Attendance, ProgressReport, Expense, BrainstormRequest)


def snapshot():
    """Every row of those tables (plain SQL: taken after each attempt, it must be cheap)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        out = {}
        for m in WATCHED:
            cursor.execute(f"SELECT * FROM {qn(m._meta.db_table)} ORDER BY {qn(m._meta.pk.column)}")
            out[m._meta.label] = cursor.fetchall()
    return out


# --- the rows ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    state: str  # the world the row starts from
    act: Callable  # (world) → the (url, data) to POST, or the url to GET; a service row: (world, user) → the call
    done: Callable | str  # (world, user) → whether the change the action is for is in the database; a page: its text
    expected: tuple  # one answer per role, in the order of ROLES
    setup: Callable | None = None  # (world) → more of the world
    then: tuple | None = None  # (unlock(world), role): the row's positive control when the state refuses everyone


def sees(text: str) -> str:
    """A page row's `done`: the text that makes it SHOWN (a 200 without it is the page, without what is restricted)."""
    return text


# Unlocking a state (the positive control of the rows that refuse everyone).
def back_to_draft(w):
    Application.objects.filter(pk=w.app.pk).update(status=Application.Status.DRAFT, submitted_at=None)


def results_published(w):
    Call.objects.filter(pk=w.call.pk).update(results_published_at=timezone.now())


def project_selected(w):
    Application.objects.filter(pk=w.app.pk).update(status=Application.Status.SELECTED, granted_cents=8_000 * EUR)


def call_reopened(w):
    Call.objects.filter(pk=w.call.pk).update(deadline=timezone.now() + datetime.timedelta(days=1))


def call_published(w):
    Call.objects.filter(pk=w.call.pk).update(published=True)


def resident_made_jury_member(w):
    grant_role(w.people["resident"], Role.JURY_MEMBER)


def owner_reactivated(w):
    w.people["owner"].is_active = True
    w.people["owner"].save(update_fields=["is_active"])


# Setups.
def call_closed(w):
    Call.objects.filter(pk=w.call.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))


def call_unpublished(w):
    Call.objects.filter(pk=w.call.pk).update(published=False)


def owner_deactivated(w):  # an account closed by its owner or blocked: the services are asked with it (tasks, admin)
    w.people["owner"].is_active = False
    w.people["owner"].save(update_fields=["is_active"])


def spare_juror(w):
    w.extra["spare"] = make_user("spare@example.org", role=Role.JURY_MEMBER)


def expense_over_its_line(w):
    w.extra["expense"] = services.add_expense(by=w.people["owner"], application=w.app, line=w.line(),
                                              description="Boven de lijn", amount_cents=9_000 * EUR,
                                              spent_on=timezone.localdate())
    assert w.extra["expense"].status == Expense.Status.NEEDS_APPROVAL


def coaching_session(w):
    start = timezone.now() + datetime.timedelta(days=7)
    w.extra["session"] = CoachingSession.objects.create(call=w.call, starts_at=start, ends_at=start + datetime.timedelta(hours=3),
                                                        place="Dorpshuis")


def brainstorm_request(w):
    w.extra["request"] = services.request_brainstorm(by=w.people["owner"], village=w.territory["villages"]["loker"],
                                                     group="Jeugdhuis Loker", message="Iets voor de jongeren")


# What each action changes.
def has_draft(w, user):
    return user is not None and Application.objects.filter(call=w.call, applicant=user, status="draft").exists()


def status_is(status):
    return lambda w, user: w.application().status == status


def retitled(w, user):
    return w.application().title == NEW_TITLE


def assigned_spare(w, user):
    return JuryAssignment.objects.filter(application=w.app, juror=w.extra["spare"]).exists()


def assigned_resident(w, user):
    return JuryAssignment.objects.filter(application=w.app, juror=w.people["resident"]).exists()


def results_out(w, user):
    return w.the_call().results_published_at is not None


def reported(w, user):
    return ProgressReport.objects.filter(application=w.app, text="De enquête loopt").exists()


def expense_recorded(w, user):
    return Expense.objects.filter(application=w.app, description="Drukwerk").exists()


def expense_is(status):
    return lambda w, user: Expense.objects.get(pk=w.extra["expense"].pk).status == status


def attended(w, user):
    return Attendance.objects.filter(session=w.extra["session"], application=w.app, present=True).exists()


def asked_brainstorm(w, user):
    return user is not None and BrainstormRequest.objects.filter(requester=user).exists()


# --- trying a row ------------------------------------------------------------------------------------------------

def post_answer(response, changed: bool, done: bool):
    if changed:
        return DONE if done else "changed something else"
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(url("account_login") + "?") else BACK
    return response.status_code  # 403, 404, or 200: a form given back


def page_answer(response, marker: str):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(url("account_login") + "?") else BACK
    if response.status_code == 200 and marker in response.content.decode():
        return SHOWN
    return response.status_code


def as_(client, user):
    if user is None:
        client.logout()
    else:
        client.force_login(user)


class Watch:
    """Whether an attempt changed the database: each snapshot is the next attempt's "before"."""

    def __init__(self):
        self.last = snapshot()

    def changed(self) -> bool:
        now, before = snapshot(), self.last
        self.last = now
        return now != before


def try_post(client, w, row, user, watch):
    as_(client, user)
    target, data = row.act(w)
    response = client.post(target, data)
    changed = watch.changed()
    return post_answer(response, changed, changed and row.done(w, user))


def try_get(client, w, row, user, watch):
    as_(client, user)
    return page_answer(client.get(row.act(w)), row.done)


def try_service(client, w, row, user, watch):
    try:
        with transaction.atomic():
            row.act(w, user or AnonymousUser())
        raised = None
    except PermissionDenied:
        raised = DENIED
    except ValidationError:
        raised = INVALID
    changed = watch.changed()
    if raised:
        return raised if not changed else f"{raised}, after a change"
    if not changed:
        return "nothing changed"
    return DONE if row.done(w, user) else "changed something else"


def run(row: Row, build, client, attempt, allowed=DONE):
    """Every role, refusals first; then the positive control of a row whose state refuses everyone."""
    w = build(row.state)
    if row.setup:
        row.setup(w)
    expected = dict(zip(ROLES, row.expected, strict=True))
    if attempt is not try_get:  # the positive control is real: nothing is done yet
        assert not any(row.done(w, w.people[r]) for r, e in expected.items() if e == DONE)
    got, watch = {}, Watch()
    for role in sorted(ROLES, key=lambda r: expected[r] == allowed):
        got[role] = attempt(client, w, row, w.people[role], watch)
    if row.then:
        unlock, role = row.then
        unlock(w)
        key = f"{role}, once {unlock.__name__.replace('_', ' ')}"
        expected[key] = allowed
        got[key] = attempt(client, w, row, w.people[role], Watch())
    assert got == expected


def table(rows: dict, xfail: dict | None = None):
    """pytest.param per row, named by the row; `xfail`: {row name: reason} for the holes found (see the report)."""
    xfail = xfail or {}
    return [pytest.param(row, id=name, marks=[pytest.mark.xfail(strict=True, reason=xfail[name])] if name in xfail else [])
            for name, row in rows.items()]


# --- applying ----------------------------------------------------------------------------------------------------

def apply_form(w):
    return url("calls:apply", slug=w.call.slug), {**form_data(w.territory, w.costs, title=NEW_TITLE), "save": "1"}


APPLY = {
    #                                                anonymous resident owner moderator coordinator analyst juror conflicted
    "an open call": Row("submitted", apply_form, has_draft, (LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, DONE)),
    "a closed call": Row("submitted", apply_form, has_draft, (LOGIN, BACK, BACK, BACK, BACK, BACK, BACK, BACK),
                         setup=call_closed, then=(call_reopened, "resident")),
    "an unpublished call": Row("submitted", apply_form, has_draft, (LOGIN, 404, 404, 404, 404, 404, 404, 404),
                               setup=call_unpublished, then=(call_published, "resident")),
}


@pytest.mark.django_db
@pytest.mark.parametrize("row", table(APPLY))
def test_anyone_signed_in_applies_to_an_open_call_and_nobody_to_another(client, world, row):
    run(row, world, client, try_post)


# --- an application: the applicant's draft -------------------------------------------------------------------------

def edit_form(button):
    return lambda w: (url("calls:edit", pk=w.app.pk),
                      {**form_data(w.territory, w.costs, title=NEW_TITLE), button: "1"})


EDIT = {
    #                                                anonymous resident owner moderator coordinator analyst juror conflicted
    "save a draft": Row("draft", edit_form("save"), retitled, (LOGIN, 404, DONE, 404, 404, 404, 404, 404)),
    "submit a draft": Row("draft", edit_form("submit"), status_is("submitted"), (LOGIN, 404, DONE, 404, 404, 404, 404, 404)),
    "change a submitted application": Row("submitted", edit_form("save"), retitled,
                                          (LOGIN, 404, BACK, 404, 404, 404, 404, 404), then=(back_to_draft, "owner")),
    "change a selected project": Row("selected", edit_form("save"), retitled, (LOGIN, 404, BACK, 404, 404, 404, 404, 404),
                                     then=(back_to_draft, "owner")),
}


@pytest.mark.django_db
@pytest.mark.parametrize("row", table(EDIT))
def test_only_the_applicant_edits_a_draft_and_nobody_a_submitted_application(client, world, row):
    run(row, world, client, try_post)


# --- a call's review: eligibility, jury, decision, results ------------------------------------------------------------

def review(data):
    def act(w):
        posted = {k: (v(w) if callable(v) else v) for k, v in data.items()}
        return url("calls:review_action", slug=w.call.slug), posted
    return act


def app_pk(w):
    return w.app.pk


REVIEW = {
    #                                                anonymous resident owner moderator coordinator analyst juror conflicted
    "mark eligible": Row("submitted", review({"action": "eligible", "application": app_pk}), status_is("eligible"),
                         (LOGIN, 403, 403, 403, DONE, 403, 403, 403)),
    "mark ineligible": Row("submitted", review({"action": "ineligible", "application": app_pk, "note": "Buiten het gebied"}),
                           status_is("ineligible"), (LOGIN, 403, 403, 403, DONE, 403, 403, 403)),
    "assign a jury member": Row("eligible", review({"action": "assign", "application": app_pk,
                                                   "jurors": lambda w: [w.extra["spare"].pk]}),
                                assigned_spare, (LOGIN, 403, 403, 403, DONE, 403, 403, 403), setup=spare_juror),
    "assign someone who is no jury member": Row("eligible", review({"action": "assign", "application": app_pk,
                                                                   "jurors": lambda w: [w.people["resident"].pk]}),
                                                assigned_resident, (LOGIN, 403, 403, 403, BACK, 403, 403, 403),
                                                then=(resident_made_jury_member, "coordinator")),
    "decide the selection": Row("scored", review({"action": "decide", "selected": app_pk}), status_is("selected"),
                                (LOGIN, 403, 403, 403, DONE, 403, 403, 403)),
    "publish the results": Row("selected", review({"action": "publish"}), results_out,
                               (LOGIN, 403, 403, 403, DONE, 403, 403, 403)),
    # The coordinators' check comes first: whoever else posts learns nothing, not even that the action is unknown.
    "an unknown action": Row("submitted", review({"action": "delete"}), status_is("deleted"),
                             (LOGIN, 403, 403, 403, BACK, 403, 403, 403)),
}


@pytest.mark.django_db
@pytest.mark.parametrize("row", table(REVIEW))
def test_only_coordinators_check_assign_decide_and_publish(client, world, row):
    run(row, world, client, try_post)


@pytest.mark.django_db
def test_an_applicant_is_never_assigned_to_judge_their_own_application(client, world):
    w = world("eligible")
    owner = w.people["owner"]
    grant_role(owner, Role.JURY_MEMBER)
    client.force_login(w.people["coordinator"])
    client.post(url("calls:review_action", slug=w.call.slug),
                {"action": "assign", "application": w.app.pk, "jurors": [owner.pk]})
    assert not JuryAssignment.objects.filter(application=w.app, juror=owner).exists()
    spare_juror(w)  # positive control: the same request with another jury member goes through
    client.post(url("calls:review_action", slug=w.call.slug),
                {"action": "assign", "application": w.app.pk, "jurors": [w.extra["spare"].pk]})
    assert JuryAssignment.objects.filter(application=w.app, juror=w.extra["spare"]).exists()


# --- a funded project's follow-up ----------------------------------------------------------------------------------

def report(w):
    return url("calls:follow_up", pk=w.app.pk), {"kind": "report", "text": "De enquête loopt"}


def expense(w):
    return url("calls:follow_up", pk=w.app.pk), {"kind": "expense", "line": w.line().pk, "description": "Drukwerk",
                                                 "amount": "120,50", "spent_on": timezone.localdate().isoformat()}


FOLLOW_UP = {
    #                                                anonymous resident owner moderator coordinator analyst juror conflicted
    "report progress": Row("published", report, reported, (LOGIN, 404, DONE, 404, 404, 404, 404, 404)),
    "record an expense": Row("published", expense, expense_recorded, (LOGIN, 404, DONE, 404, 404, 404, 404, 404)),
    "report before the results are published": Row("selected", report, reported, (LOGIN, 404, 404, 404, 404, 404, 404, 404),
                                                   then=(results_published, "owner")),
    "report on a project not selected": Row("refused", report, reported, (LOGIN, 404, 404, 404, 404, 404, 404, 404),
                                            then=(project_selected, "owner")),
}


@pytest.mark.django_db
@pytest.mark.parametrize("row", table(FOLLOW_UP))
def test_only_the_applicant_of_a_funded_project_reports_once_the_results_are_out(client, world, row):
    run(row, world, client, try_post)


# --- the funded projects' state: expenses over a line, attendance ----------------------------------------------------

def projects(data):
    def act(w):
        return url("calls:projects", slug=w.call.slug), {k: (v(w) if callable(v) else v) for k, v in data.items()}
    return act


PROJECTS = {
    #                                                anonymous resident owner moderator coordinator analyst juror conflicted
    "approve an expense over its line": Row("published", projects({"action": "approve", "expense": lambda w: w.extra["expense"].pk}),
                                            expense_is("approved"), (LOGIN, 403, 403, 403, DONE, 403, 403, 403),
                                            setup=expense_over_its_line),
    "refuse an expense over its line": Row("published", projects({"action": "refuse", "expense": lambda w: w.extra["expense"].pk}),
                                           expense_is("refused"), (LOGIN, 403, 403, 403, DONE, 403, 403, 403),
                                           setup=expense_over_its_line),
    "record the attendance": Row("published", projects({"action": "attendance", "session": lambda w: w.extra["session"].pk,
                                                        "present": app_pk}),
                                 attended, (LOGIN, 403, 403, 403, DONE, 403, 403, 403), setup=coaching_session),
}


@pytest.mark.django_db
@pytest.mark.parametrize("row", table(PROJECTS))
def test_only_coordinators_approve_expenses_and_record_attendance(client, world, row):
    run(row, world, client, try_post)


# --- brainstorm sessions -------------------------------------------------------------------------------------------

def ask_brainstorm(w):
    return url("calls:brainstorm"), {"village": w.territory["villages"]["kemmel"].pk, "group": "Jeugdhuis",
                                     "message": "We willen iets doen maar weten niet wat"}


BRAINSTORM = {
    #                                                anonymous resident owner moderator coordinator analyst juror conflicted
    "ask for a session": Row("draft", ask_brainstorm, asked_brainstorm, (LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, DONE)),
}


@pytest.mark.django_db
@pytest.mark.parametrize("row", table(BRAINSTORM))
def test_anyone_signed_in_asks_for_a_brainstorm_session(client, world, row):
    run(row, world, client, try_post)


# --- the pages these actions lead to -------------------------------------------------------------------------------

def page(name, by="pk"):
    return lambda w: url(name, slug=w.call.slug) if by == "slug" else (url(name) if by is None else url(name, pk=w.app.pk))


IDEA = "Een ontmoetingsplek"  # the application's text (see `draft`)
FOLLOW_UP_FORMS = 'id="follow-up"'

PAGES = {
    #                                                anonymous resident owner moderator coordinator analyst juror conflicted
    "the review of a call": Row("submitted", page("calls:review", "slug"), sees("Dorpsontmoetingspunt"),
                                (LOGIN, 403, 403, 403, SHOWN, 403, 403, 403)),
    "the funded projects of a call": Row("published", page("calls:projects", "slug"), sees("Dorpsontmoetingspunt"),
                                         (LOGIN, 403, 403, 403, SHOWN, 403, 403, 403)),
    # the applicant, the coordinators and the jurors assigned without a conflict read everything submitted
    "an application": Row("submitted", page("calls:application"), sees(IDEA), (LOGIN, 404, SHOWN, 404, SHOWN, 404, SHOWN, 404)),
    "the form of a draft": Row("draft", page("calls:edit"), sees('name="title"'), (LOGIN, 404, SHOWN, 404, 404, 404, 404, 404)),
    "the form of a submitted application": Row("submitted", page("calls:edit"), sees('name="title"'),
                                               (LOGIN, 404, BACK, 404, 404, 404, 404, 404), then=(back_to_draft, "owner")),
    "the follow-up of a funded project": Row("published", page("calls:application"), sees(FOLLOW_UP_FORMS),
                                             (LOGIN, 404, SHOWN, 404, 200, 404, 200, 404)),
    "the follow-up before the results": Row("selected", page("calls:application"), sees(FOLLOW_UP_FORMS),
                                            (LOGIN, 404, 200, 404, 200, 404, 200, 404), then=(results_published, "owner")),
    # the coordinators know the decision at once; the applicant once the results are out; the jurors never here
    "the decision's reasons before the results": Row("selected", page("calls:application"), sees(REASON),
                                                     (LOGIN, 404, 200, 404, SHOWN, 404, 200, 404),
                                                     then=(results_published, "owner")),
    "the brainstorm requests": Row("draft", page("calls:brainstorm", None), sees("Jeugdhuis Loker"),
                                   (LOGIN, 200, 200, 200, SHOWN, 200, 200, 200), setup=brainstorm_request),
    # "My applications" lists each one with its status: the decision only once the results are published.
    "the decision in my applications before the results": Row("selected", page("calls:mine", None), sees("geselecteerd"),
                                                              (LOGIN, 200, 200, 200, 200, 200, 200, 200),
                                                              then=(results_published, "owner")),
}
HOLES: dict[str, str] = {}  # none left: each hole found was closed, its row kept


@pytest.mark.django_db
@pytest.mark.parametrize("row", table(PAGES, xfail=HOLES))
def test_who_sees_the_restricted_pages(client, world, row):
    run(row, world, client, try_get, allowed=SHOWN)


# --- the services, asked directly (the admin, the API and tasks call them too) --------------------------------------

def pdf():
    return SimpleUploadedFile("offerte.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", content_type="application/pdf")


def resave(w, user):
    services.save_draft(by=user, call=w.the_call(), application=w.application(), title=NEW_TITLE,
                        villages=[w.territory["villages"]["loker"]], lines=[(w.costs["study"], "Studie", 8_000 * EUR)])


SERVICES = {
    #                                                anonymous resident owner moderator coordinator analyst juror conflicted
    "save_draft: start": Row("submitted", lambda w, u: services.save_draft(by=u, call=w.the_call(), title=NEW_TITLE),
                             has_draft, (DENIED, DONE, DONE, DONE, DONE, DONE, DONE, DONE)),
    "save_draft: a draft": Row("draft", resave, retitled, (DENIED, DENIED, DONE, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "save_draft: a submitted application": Row("submitted", resave, retitled,
                                               (DENIED, DENIED, INVALID, DENIED, DENIED, DENIED, DENIED, DENIED),
                                               then=(back_to_draft, "owner")),
    "save_draft: a draft in a call no longer published": Row("draft", resave, retitled,
                                                             (DENIED, DENIED, INVALID, DENIED, DENIED, DENIED, DENIED, DENIED),
                                                             setup=call_unpublished, then=(call_published, "owner")),
    "submit": Row("draft", lambda w, u: services.submit(by=u, application=w.application()), status_is("submitted"),
                  (DENIED, DENIED, DONE, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "submit: a submitted application": Row("submitted", lambda w, u: services.submit(by=u, application=w.application()),
                                           lambda w, u: w.application().status == "submitted",
                                           (DENIED, DENIED, INVALID, DENIED, DENIED, DENIED, DENIED, DENIED),
                                           then=(back_to_draft, "owner")),
    "add_attachment": Row("draft", lambda w, u: services.add_attachment(by=u, application=w.application(), upload=pdf()),
                          lambda w, u: w.app.attachments.exists(),
                          (DENIED, DENIED, DONE, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "add_attachment: a submitted application": Row(
        "submitted", lambda w, u: services.add_attachment(by=u, application=w.application(), upload=pdf()),
        lambda w, u: w.app.attachments.exists(), (DENIED, DENIED, INVALID, DENIED, DENIED, DENIED, DENIED, DENIED),
        then=(back_to_draft, "owner")),
    "check_eligibility": Row("submitted", lambda w, u: services.check_eligibility(by=u, application=w.application(),
                                                                                 eligible=True),
                             status_is("eligible"), (DENIED, DENIED, DENIED, DENIED, DONE, DENIED, DENIED, DENIED)),
    "assign_jurors": Row("eligible", lambda w, u: services.assign_jurors(by=u, application=w.application(),
                                                                        jurors=[w.extra["spare"]]),
                         assigned_spare, (DENIED, DENIED, DENIED, DENIED, DONE, DENIED, DENIED, DENIED), setup=spare_juror),
    "decide": Row("scored", lambda w, u: services.decide(by=u, call=w.the_call(), selected_ids=[w.app.pk]),
                  status_is("selected"), (DENIED, DENIED, DENIED, DENIED, DONE, DENIED, DENIED, DENIED)),
    "publish_results": Row("selected", lambda w, u: services.publish_results(by=u, call=w.the_call()), results_out,
                           (DENIED, DENIED, DENIED, DENIED, DONE, DENIED, DENIED, DENIED)),
    "add_report": Row("published", lambda w, u: services.add_report(by=u, application=w.application(), text="De enquête loopt"),
                      reported, (DENIED, DENIED, DONE, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "add_report: by a deactivated applicant": Row(
        "published", lambda w, u: services.add_report(by=u, application=w.application(), text="De enquête loopt"),
        reported, (DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED), setup=owner_deactivated,
        then=(owner_reactivated, "owner")),
    "add_report: before the results": Row(
        "selected", lambda w, u: services.add_report(by=u, application=w.application(), text="De enquête loopt"),
        reported, (DENIED, DENIED, INVALID, DENIED, DENIED, DENIED, DENIED, DENIED), then=(results_published, "owner")),
    "add_expense": Row("published", lambda w, u: services.add_expense(by=u, application=w.application(), line=w.line(),
                                                                     description="Drukwerk", amount_cents=120 * EUR,
                                                                     spent_on=timezone.localdate()),
                       expense_recorded, (DENIED, DENIED, DONE, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "decide_expense": Row("published", lambda w, u: services.decide_expense(by=u, expense=Expense.objects.get(
                              pk=w.extra["expense"].pk), approve=True),
                          expense_is("approved"), (DENIED, DENIED, DENIED, DENIED, DONE, DENIED, DENIED, DENIED),
                          setup=expense_over_its_line),
    "record_attendance": Row("published", lambda w, u: services.record_attendance(by=u, session=w.extra["session"],
                                                                                 present_ids=[w.app.pk]),
                             attended, (DENIED, DENIED, DENIED, DENIED, DONE, DENIED, DENIED, DENIED), setup=coaching_session),
    "request_brainstorm": Row("draft", lambda w, u: services.request_brainstorm(
                                  by=u, village=w.territory["villages"]["kemmel"], group="Jeugdhuis", message="Iets doen"),
                              asked_brainstorm, (DENIED, DONE, DONE, DONE, DONE, DONE, DONE, DONE)),
    "schedule_brainstorm": Row("draft", lambda w, u: services.schedule_brainstorm(
                                   by=u, request_=BrainstormRequest.objects.get(pk=w.extra["request"].pk),
                                   when=timezone.now() + datetime.timedelta(days=7)),
                               lambda w, u: BrainstormRequest.objects.get(pk=w.extra["request"].pk).status == "scheduled",
                               (DENIED, DENIED, DENIED, DENIED, DONE, DENIED, DENIED, DENIED), setup=brainstorm_request),
}


@pytest.mark.django_db
@pytest.mark.parametrize("row", table(SERVICES))
def test_each_service_refuses_whoever_its_view_refuses(client, world, row):
    run(row, world, client, try_service)
