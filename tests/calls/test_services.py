"""Applications from draft to decision: the call's rules at submission, eligibility, a jury with conflicts of
interest, weighted scores, the optimal proposal and the coordinators' override with a justification."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partons.calls import selectors, services
from partons.calls.models import Application, AuditEntry

from .conftest import EUR


def draft(user, call, territory, costs, *, amount=8_000, village="loker", category="study", title="Dorpsontmoetingspunt"):
    return services.save_draft(by=user, call=call, organisation="Dorpsraad Loker", applicant_type="village_council",
                               title=title, idea="Een ontmoetingsplek", participants="Alle bewoners",
                               timeline="Najaar", villages=[territory["villages"][village]],
                               lines=[(costs[category], "Studie", amount * EUR)])


@pytest.mark.django_db
def test_submit_checks_every_rule_of_the_call(call, territory, costs, resident):
    app = draft(resident, call, territory, costs, amount=12_000, village="ieper", category="catering")
    with pytest.raises(ValidationError) as exc:
        services.submit(by=resident, application=app)
    errors = exc.value.message_dict
    assert "Ieper" in " ".join(errors["villages"])  # outside the call's area
    budget = " ".join(errors["budget"])
    assert "Catering" in budget and "12.000" in budget and "10.000" in budget  # the line named, the ceiling given
    app = draft(resident, call, territory, costs)
    services.submit(by=resident, application=app)
    app.refresh_from_db()
    assert app.status == "submitted" and app.submitted_at is not None
    with pytest.raises(ValidationError):
        services.save_draft(by=resident, call=call, application=app, title="Anders")  # no change after submission


@pytest.mark.django_db
def test_no_submission_after_the_deadline(call, territory, costs, resident):
    app = draft(resident, call, territory, costs)
    with pytest.raises(ValidationError) as exc:
        services.submit(by=resident, application=app, now=call.deadline + datetime.timedelta(seconds=1))
    assert "deadline" in str(exc.value)
    assert Application.objects.get(pk=app.pk).status == "draft"


@pytest.mark.django_db
def test_only_the_applicant_submits(call, territory, costs, resident, moderator):
    app = draft(resident, call, territory, costs)
    with pytest.raises(PermissionDenied):
        services.submit(by=moderator, application=app)


def _submitted(call, territory, costs, user, coordinator, **kw):
    app = draft(user, call, territory, costs, **kw)
    services.submit(by=user, application=app)
    return services.check_eligibility(by=coordinator, application=app, eligible=True)


@pytest.mark.django_db
def test_jury_scores_weighted_and_conflicts_kept_out(call, territory, costs, resident, coordinator, jurors):
    app = _submitted(call, territory, costs, resident, coordinator)
    a = services.assign_jurors(by=coordinator, application=app, jurors=jurors)
    crit = list(call.criteria.all())  # participation weight 3, feasibility weight 1
    services.score(by=jurors[0], assignment=a[0], values={crit[0].pk: (8, "sterk"), crit[1].pk: (4, "")})
    services.score(by=jurors[1], assignment=a[1], values={crit[0].pk: (6, ""), crit[1].pk: (10, "")})
    services.declare_conflict(by=jurors[2], assignment=a[2], note="Lid van de dorpsraad")
    with pytest.raises(ValidationError):
        services.score(by=jurors[2], assignment=a[2], values={crit[0].pk: (10, ""), crit[1].pk: (10, "")})
    with pytest.raises(PermissionDenied):
        services.score(by=jurors[0], assignment=a[1], values={crit[0].pk: (0, ""), crit[1].pk: (0, "")})
    with pytest.raises(ValidationError):
        services.score(by=jurors[0], assignment=a[0], values={crit[0].pk: (11, "")})
    # Juror 1: (3×8 + 1×4) / 4 × 10 = 70; juror 2: (3×6 + 1×10) / 4 × 10 = 70; juror 3 kept out.
    assert selectors.weighted_score(app) == 70.0


@pytest.mark.django_db
def test_proposal_and_override_with_justification(call, territory, costs, resident, coordinator, jurors):
    call.expected_projects = 2
    call.save()
    apps = [_submitted(call, territory, costs, resident, coordinator, amount=amt, title=f"P{i}")
            for i, amt in enumerate([9_000, 5_000, 4_000])]
    crit = list(call.criteria.all())
    for app, (s1, s2) in zip(apps, [(10, 10), (8, 8), (7, 7)]):
        a = services.assign_jurors(by=coordinator, application=app, jurors=jurors[:1])[0]
        services.score(by=jurors[0], assignment=a, values={crit[0].pk: (s1, ""), crit[1].pk: (s2, "")})
    proposal, ranked = selectors.propose(call)
    assert [r[0].title for r in ranked] == ["P0", "P1", "P2"]
    assert sorted(proposal.selected) == sorted([apps[0].pk, apps[1].pk])  # 100 + 80 within 2 projects
    with pytest.raises(ValidationError) as exc:
        services.decide(by=coordinator, call=call, selected_ids=[apps[0].pk, apps[2].pk])
    assert "justification" in exc.value.message_dict
    services.decide(by=coordinator, call=call, selected_ids=[apps[0].pk, apps[2].pk],
                    justification="P2 ligt in Frankrijk: evenwicht tussen beide kanten")
    statuses = {a.title: (a.status, a.granted_cents) for a in Application.objects.all()}
    assert statuses == {"P0": ("selected", 9_000 * EUR), "P1": ("not_selected", None), "P2": ("selected", 4_000 * EUR)}
    entry = AuditEntry.objects.filter(action="selection_decided").get()
    assert entry.details["overridden"] is True and entry.details["justification"].startswith("P2")
    with pytest.raises(ValidationError):
        services.decide(by=coordinator, call=call, selected_ids=[a.pk for a in apps], justification="alle drie")


@pytest.mark.django_db
def test_scores_stay_hidden_from_other_jurors_until_they_have_scored(call, territory, costs, resident, coordinator, jurors):
    app = _submitted(call, territory, costs, resident, coordinator)
    a = services.assign_jurors(by=coordinator, application=app, jurors=jurors[:2])
    crit = list(call.criteria.all())
    services.score(by=jurors[0], assignment=a[0], values={c.pk: (7, "") for c in crit})
    assert [x.juror for x in selectors.scores_for(viewer=jurors[1], application=app)] == [jurors[1]]  # not yet
    services.score(by=jurors[1], assignment=a[1], values={c.pk: (5, "") for c in crit})
    assert {x.juror for x in selectors.scores_for(viewer=jurors[1], application=app)} == set(jurors[:2])
    with pytest.raises(PermissionDenied):
        selectors.scores_for(viewer=jurors[2], application=app)  # not on this application
    assert len(selectors.scores_for(viewer=coordinator, application=app)) == 2


@pytest.mark.django_db
def test_decisions_are_sent_with_their_reasons_and_the_coaching_sessions(call, territory, costs, resident, coordinator, jurors,
                                                                        django_capture_on_commit_callbacks):
    from django.core import mail

    from partons.calls.models import CoachingSession

    resident.preferred_language = "fr"
    resident.save()
    app = _submitted(call, territory, costs, resident, coordinator)
    crit = list(call.criteria.all())
    a = services.assign_jurors(by=coordinator, application=app, jurors=jurors[:1])[0]
    services.score(by=jurors[0], assignment=a, values={c.pk: (9, "") for c in crit})
    start = timezone.now() + datetime.timedelta(days=30)
    s = CoachingSession.objects.create(call=call, starts_at=start, ends_at=start + datetime.timedelta(hours=3), place="Salle")
    services.decide(by=coordinator, call=call, selected_ids=[app.pk], reasons={app.pk: "Un projet porté par tout le village."})
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(by=coordinator, call=call)
    msg = mail.outbox[-1]
    assert msg.to == ["resident@example.org"] and msg.subject.startswith("[Partons] Votre candidature")
    assert "Un projet porté par tout le village." in msg.body
    assert f"/fr/calls/sessions/{s.pk}.ics" in msg.body  # invited to the coaching sessions


@pytest.mark.django_db
def test_a_draft_links_public_ideas_only_and_names_no_unknown_field(call, territory, costs, resident):
    from partons.ideas.models import Idea

    def idea(title, hidden=False):
        return Idea.objects.create(title=title, description="…", theme="services", language="nl", author=resident,
                                   village=territory["villages"]["loker"], hidden=hidden)

    public, hidden = idea("Een ontmoetingsplek"), idea("Verborgen", hidden=True)
    app = draft(resident, call, territory, costs)
    app = services.save_draft(by=resident, call=call, application=app, ideas=[public.pk, hidden.pk],
                              villages=[territory["villages"]["loker"]])
    assert list(app.ideas.all()) == [public]  # a hidden idea cannot be linked, even by its number
    services.save_draft(by=resident, call=call, application=app, villages=[territory["villages"]["loker"]])
    assert list(app.ideas.all()) == [public]  # not given: unchanged
    with pytest.raises(TypeError, match="status"):
        services.save_draft(by=resident, call=call, application=app, status="selected")  # not the applicant's to set


@pytest.mark.django_db
def test_the_proposal_costs_the_same_queries_for_two_or_six_applications(call, territory, costs, resident, coordinator,
                                                                          jurors):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    crit = list(call.criteria.all())

    def add_scored(n):
        for i in range(n):
            app = _submitted(call, territory, costs, resident, coordinator, amount=3_000, title=f"P{i}-{n}")
            for juror, a in zip(jurors[:2], services.assign_jurors(by=coordinator, application=app, jurors=jurors[:2])):
                services.score(by=juror, assignment=a, values={crit[0].pk: (5 + i % 5, ""), crit[1].pk: (7, "")})

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            _, ranked = selectors.propose(call)
        return len(ctx.captured_queries), len(ranked)

    add_scored(2)
    few, n_few = queries()
    add_scored(4)
    many, n_many = queries()
    assert (n_few, n_many) == (2, 6)
    assert many == few  # not one query per application or per juror


@pytest.mark.django_db
@pytest.mark.parametrize("status", [s.value for s in Application.Status])
def test_eligibility_is_checked_where_the_workflow_allows_it(call, territory, costs, resident, coordinator, status):
    from partons.calls.models import APPLICATION_TRANSITIONS

    app = draft(resident, call, territory, costs)
    Application.objects.filter(pk=app.pk).update(status=status)
    allowed = "eligible" in APPLICATION_TRANSITIONS[Application.Status(status)]
    if allowed:
        assert services.check_eligibility(by=coordinator, application=app, eligible=True).status == "eligible"
    else:
        with pytest.raises(ValidationError):
            services.check_eligibility(by=coordinator, application=app, eligible=True)
    app.refresh_from_db()
    # what the applicant reads: the decision only once published (draft and submitted read as they are)
    shown = app.status_for(may_see_decision=False)
    assert shown == (app.get_status_display() if app.status in ("draft", "submitted") else "In beoordeling")
    assert app.status_for(may_see_decision=True) == app.get_status_display()
