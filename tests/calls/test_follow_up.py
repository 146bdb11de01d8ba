"""Coaching sessions (invitations, attendance, iCalendar), progress reports, expenses that never go over a budget
line without a coordinator's approval, brainstorm requests, the portfolio's state."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partons.calls import selectors, services
from partons.calls.models import Application, Attendance, BrainstormRequest, CoachingSession

from .conftest import EUR


@pytest.fixture
def project(call, territory, costs, resident):
    app = services.save_draft(by=resident, call=call, organisation="Dorpsraad", applicant_type="village_council",
                              title="Dorpsontmoetingspunt", idea="i", participants="p", timeline="t",
                              villages=[territory["villages"]["loker"]],
                              lines=[(costs["study"], "Enquête", 3_000 * EUR), (costs["materials"], "Stoelen", 2_000 * EUR)])
    Application.objects.filter(pk=app.pk).update(status="selected", granted_cents=5_000 * EUR)
    call.results_published_at = timezone.now()  # projects report once the results are out
    call.save(update_fields=["results_published_at"])
    app.refresh_from_db()
    return app


@pytest.mark.django_db
def test_before_the_results_are_published_nothing_tells_an_applicant_the_decision(client, project, resident):
    call = project.call
    call.results_published_at = None
    call.save(update_fields=["results_published_at"])
    client.force_login(resident)
    page = client.get(f"/nl/calls/applications/{project.pk}/").content.decode()
    assert "In beoordeling" in page or "Under review" in page
    assert 'id="follow-up"' not in page
    with pytest.raises(ValidationError):
        services.add_report(by=resident, application=project, text="Is het gelukt?")
    r = client.post(f"/nl/calls/applications/{project.pk}/follow-up", {"kind": "report", "text": "Is het gelukt?"})
    assert r.status_code == 404 and not project.reports.exists()
    call.results_published_at = timezone.now()  # positive control: once published, the same report goes through
    call.save(update_fields=["results_published_at"])
    assert 'id="follow-up"' in client.get(f"/nl/calls/applications/{project.pk}/").content.decode()
    r = client.post(f"/nl/calls/applications/{project.pk}/follow-up", {"kind": "report", "text": "Gestart"})
    assert r.status_code == 302 and project.reports.count() == 1


@pytest.mark.django_db
def test_expenses_stay_within_their_line_unless_approved(project, resident, coordinator):
    study, materials = list(project.budget_lines.order_by("pk"))
    today = timezone.localdate()
    e1 = services.add_expense(by=resident, application=project, line=study, description="Drukwerk", amount_cents=2_000 * EUR,
                              spent_on=today)
    e2 = services.add_expense(by=resident, application=project, line=study, description="Verwerking", amount_cents=1_500 * EUR,
                              spent_on=today)
    assert e1.status == "accepted" and e2.status == "needs_approval"  # 2,000 + 1,500 > 3,000 on that line
    assert selectors.spent_on_line(study) == 2_000 * EUR  # the one over the line does not count yet
    with pytest.raises(PermissionDenied):
        services.decide_expense(by=resident, expense=e2, approve=True)
    services.decide_expense(by=coordinator, expense=e2, approve=True)
    assert selectors.spent_on_line(study) == 3_500 * EUR
    with pytest.raises(ValidationError):
        services.add_expense(by=resident, application=project, line=materials, description="x", amount_cents=100,
                             spent_on=today + datetime.timedelta(days=3))
    services.add_report(by=resident, application=project, text="Eerste stap")
    services.add_report(by=resident, application=project, text="Tweede stap")  # reports do not multiply the spend
    state = selectors.portfolio_state()
    assert state[0]["spent"] == 3_500 * EUR and state[0]["granted"] == 5_000 * EUR and state[0]["share"] == 70
    assert state[0]["pending"] == 0 and state[0]["last_report"] is not None and state[0]["final"] is False


@pytest.mark.django_db
def test_only_the_selected_project_reports(project, resident, moderator):
    services.add_report(by=resident, application=project, text="De enquête loopt.")
    services.add_report(by=resident, application=project, text="Klaar!", final=True)
    assert project.reports.count() == 2 and selectors.portfolio_state()[0]["final"] is True
    with pytest.raises(PermissionDenied):
        services.add_report(by=moderator, application=project, text="x")
    with pytest.raises(ValidationError):
        services.add_report(by=resident, application=project, text="  ")


@pytest.mark.django_db
def test_sessions_attendance_and_icalendar(call, project, coordinator, territory):
    start = datetime.datetime(2019, 9, 26, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    s = CoachingSession.objects.create(call=call, starts_at=start, ends_at=start + datetime.timedelta(hours=4),
                                       host=project, place="Dorpshuis", village=territory["villages"]["loker"],
                                       agenda_nl="Kennismaking", agenda_fr="Présentation")
    services.record_attendance(by=coordinator, session=s, present_ids=[project.pk])
    assert Attendance.objects.get(session=s, application=project).present is True
    from django.utils import translation

    with translation.override("fr"):
        ics = services.session_ics(s).decode()
    from icalendar import Calendar

    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart") == start and event.decoded("dtend") == start + datetime.timedelta(hours=4)
    assert "Présentation" in ics and "Dorpshuis (Locre)" in ics  # in French, Loker is Locre


@pytest.mark.django_db
def test_brainstorm_requests(territory, resident, coordinator):
    r = services.request_brainstorm(by=resident, village=territory["villages"]["kemmel"], group="Jeugdhuis",
                                    message="We willen iets doen maar weten niet wat")
    assert r.status == "new"
    with pytest.raises(ValidationError):
        services.request_brainstorm(by=resident, village=territory["villages"]["kemmel"], group="", message="")
    services.schedule_brainstorm(by=coordinator, request_=r, when=timezone.now() + datetime.timedelta(days=7))
    assert BrainstormRequest.objects.get().status == "scheduled"
