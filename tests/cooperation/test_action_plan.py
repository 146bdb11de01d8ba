"""The regional action plan: public pages in NL and FR, an action's page with its milestones, indicators and links
(published things only), the monitoring for coordinators and steering groups (constant queries, CSV), and the API."""
import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from partons.calls.models import Application, Call
from partons.cooperation import services
from partons.cooperation.models import Action, Indicator, Milestone, Pillar
from partons.events.models import Event

from .conftest import MINUTES


@pytest.fixture
def plan(orgs, working):
    p1 = Pillar.objects.create(order=1, name_nl="Grensoverschrijdend samenwerken", name_fr="Dépasser les frontières")
    p4 = Pillar.objects.create(order=4, name_nl="Innovatie in dienstverlening", name_fr="Réinventer les services")
    calls = Action.objects.create(pillar=p4, number=3, slug="calls-for-projects", title_nl="Projectenoproepen",
                                  title_fr="Appels à projets", description_nl="Oproepen voor dorpen",
                                  description_fr="Appels pour les villages", lead=orgs["prov"], lead_is_assumption=True,
                                  working_group=working, status="in_progress")
    Milestone.objects.create(action=calls, title_nl="Deadline", title_fr="Date limite", due_on=datetime.date(2019, 6, 16),
                             done_on=datetime.date(2019, 6, 16), order=0)
    Milestone.objects.create(action=calls, title_nl="Selectie", title_fr="Sélection", due_on=datetime.date(2019, 6, 30),
                             order=1)  # not done, and past: overdue
    Indicator.objects.create(action=calls, name_nl="Geselecteerde projecten", name_fr="Projets sélectionnés",
                             target_value=10, current_value=5, updated_on=datetime.date(2019, 7, 1))
    Indicator.objects.create(action=calls, name_nl="Projectideeën", name_fr="Idées de projets", current_value=32)
    steering = Action.objects.create(pillar=p1, number=1, slug="steering-groups", title_nl="Stuurgroepen",
                                     title_fr="Pilotage politique", lead=orgs["cd59"], status="done")
    hidden = Action.objects.create(pillar=p1, number=2, slug="internal", title_nl="Interne actie", title_fr="Action interne",
                                   public=False, status="planned")
    return {"calls": calls, "steering": steering, "hidden": hidden, "p1": p1, "p4": p4}


@pytest.mark.django_db
def test_action_plan_in_dutch_and_french(client, plan):
    nl = client.get("/nl/cooperation/").content.decode()
    for text in ("1. Grensoverschrijdend samenwerken", "4. Innovatie in dienstverlening", "4.3 Projectenoproepen",
                 "1.1 Stuurgroepen", "CD59", "/nl/cooperation/actions/calls-for-projects/"):
        assert text in nl, text
    assert "Interne actie" not in nl  # not public
    assert nl.index("Grensoverschrijdend samenwerken") < nl.index("Innovatie in dienstverlening")
    assert 'value="1" max="2"' in nl  # one of two milestones done, as a bar…
    assert "1 of 2 done" in client.get("/en/cooperation/").content.decode()  # …and as text
    fr = client.get("/fr/cooperation/").content.decode()
    for text in ("1. Dépasser les frontières", "4.3 Appels à projets", "Pilotage politique"):
        assert text in fr, text
    assert "Projectenoproepen" not in fr


@pytest.mark.django_db
def test_action_page_has_milestones_indicators_and_published_links_only(client, plan, territory, coordinator):
    action = plan["calls"]
    now = timezone.now()
    published = Call.objects.create(slug="oproep-2019", title_nl="Oproep 2019", title_fr="Appel 2019", text_nl="t",
                                    text_fr="t", budget_cents=100, ceiling_cents=100, expected_projects=1,
                                    opens_at=now - datetime.timedelta(days=60), deadline=now - datetime.timedelta(days=30),
                                    published=True, results_published_at=now)
    draft = Call.objects.create(slug="draft-call", title_nl="Geheime oproep", title_fr="Appel secret", text_nl="t",
                                text_fr="t", budget_cents=100, ceiling_cents=100, expected_projects=1, opens_at=now,
                                deadline=now + datetime.timedelta(days=9), published=False)
    selected = Application.objects.create(call=published, organisation="Dorpsraad", applicant_type="village_council",
                                          title="Dorpspunt Kemmel", idea="i", participants="p", timeline="t",
                                          status="selected")
    selected.villages.set([territory["villages"]["kemmel"]])
    refused = Application.objects.create(call=published, organisation="X", applicant_type="association",
                                         title="Niet geselecteerd project", idea="i", participants="p", timeline="t",
                                         status="not_selected")
    unpublished = Application.objects.create(call=draft, organisation="Y", applicant_type="association",
                                             title="Nog niet bekend project", idea="i", participants="p", timeline="t",
                                             status="selected")
    village = territory["villages"]["boeschepe"]
    launch = Event.objects.create(slug="launch-2016", type="launch", title_nl="Startevenement", title_fr="Lancement",
                                  starts_at=now, ends_at=now, village=village, published=True)
    secret = Event.objects.create(slug="draft-event", type="meeting", title_nl="Ontwerp-event", title_fr="Brouillon",
                                  starts_at=now, ends_at=now, village=village, published=False)
    action.projects.set([selected, refused, unpublished])
    action.calls.set([published, draft])
    action.events.set([launch, secret])
    html = client.get("/nl/cooperation/actions/calls-for-projects/").content.decode()
    for text in ("4.3 Projectenoproepen", "Oproepen voor dorpen", "Provincie West-Vlaanderen", "Werkgroep observatorium",
                 "Deadline", "Selectie", "Geselecteerde projecten", "(50 %)", 'max="10.00"', 'aria-label="Geselecteerde projecten"',
                 "Dorpspunt Kemmel", "Oproep 2019", "Startevenement"):
        assert text in html, text
    for text in ("Niet geselecteerd project", "Nog niet bekend project", "Geheime oproep", "Ontwerp-event"):
        assert text not in html, text
    assert 'class="notice synthetic"' in html  # the assumed lead is said to be an assumption
    fr = client.get("/fr/cooperation/actions/calls-for-projects/").content.decode()
    assert "Appels à projets" in fr and "Appels pour les villages" in fr and "Projets sélectionnés" in fr
    assert client.get("/nl/cooperation/actions/internal/").status_code == 404
    assert client.get("/nl/cooperation/actions/nope/").status_code == 404


@pytest.mark.django_db
def test_decisions_about_an_action_show_on_its_page_to_the_groups_members_only(client, plan, meeting, people,
                                                                                 coordinator):
    services.add_decision(by=people["chair"], meeting=meeting, text="Launch a third call", action=plan["calls"])
    url = "/nl/cooperation/actions/calls-for-projects/"
    assert "Launch a third call" not in client.get(url).content.decode()
    client.force_login(people["outsider"])
    assert "Launch a third call" not in client.get(url).content.decode()
    client.force_login(people["member"])
    html = client.get(url).content.decode()
    assert "Launch a third call" in html and MINUTES not in html
    client.force_login(coordinator)
    assert "Launch a third call" in client.get(url).content.decode()


@pytest.mark.django_db
def test_organisations_by_country(client, orgs):
    html = client.get("/nl/cooperation/organisations/").content.decode()
    assert html.index("Provincie West-Vlaanderen") < html.index("Conseil Départemental du Nord") < html.index("EGTS West")
    assert "project coordinator" in html and "Province de Flandre-Occidentale" in html
    assert client.get("/fr/cooperation/organisations/").status_code == 200


# --- monitoring ---------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_monitoring_is_for_coordinators_and_steering_group_members(client, plan, members, people, coordinator, working,
                                                                   resident):
    from partons.cooperation.models import Group, GroupKind

    url = "/nl/cooperation/monitoring/"
    assert client.get(url).status_code == 302  # to the login
    client.force_login(resident)
    assert client.get(url).status_code == 403
    services.add_member(by=coordinator, group=working, user=people["outsider"])
    client.force_login(people["outsider"])  # a working group's member only
    assert client.get(url).status_code == 403
    assert client.get("/nl/cooperation/monitoring.csv").status_code == 403
    for user in (people["member"], coordinator):
        client.force_login(user)
        r = client.get(url)
        html = r.content.decode()
        assert r.status_code == 200
        assert "Interne actie" in html  # every action, public or not
        assert re.search(r'<strong class="status-rejected">[^<]+:</strong> (?:<span lang="nl">)?Selectie', html)  # overdue, said in words
    # An inactive steering group opens nothing.
    Group.objects.filter(kind=GroupKind.STEERING).update(active=False)
    client.force_login(people["member"])
    assert client.get(url).status_code == 403


def _many_actions(pillar, n, start):
    for i in range(n):
        a = Action.objects.create(pillar=pillar, number=start + i, slug=f"action-{start + i}", title_nl=f"Actie {i}",
                                  title_fr=f"Action {i}")
        Milestone.objects.create(action=a, title_nl="m", title_fr="m", due_on=datetime.date(2020, 1, 1))
        Milestone.objects.create(action=a, title_nl="m2", title_fr="m2", done=True)
        Indicator.objects.create(action=a, name_nl="i", name_fr="i", target_value=4, current_value=1)


@pytest.mark.django_db
def test_monitoring_runs_a_constant_number_of_queries(client, plan, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    _many_actions(plan["p1"], 3, 10)
    with django_assert_max_num_queries(10):
        assert client.get("/nl/cooperation/monitoring/").status_code == 200
    _many_actions(plan["p4"], 40, 100)
    with django_assert_max_num_queries(10):
        r = client.get("/nl/cooperation/monitoring/")
    assert r.content.decode().count("<tr") == 1 + 3 + 3 + 40


@pytest.mark.django_db
def test_monitoring_csv(client, plan, coordinator):
    client.force_login(coordinator)
    r = client.get("/nl/cooperation/monitoring.csv")
    assert r["Content-Type"].startswith("text/csv") and "attachment" in r["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3
    by_code = {row[0]: row for row in rows[1:]}
    calls = by_code["4.3"]
    assert calls[2] == "Projectenoproepen" and calls[3] == "Provincie West-Vlaanderen"
    assert calls[6:8] == ["1", "2"] and "Selectie (2019-06-30)" in calls[8]
    assert "Geselecteerde projecten: 5/10 (50 %)" in calls[9] and "Projectideeën: 32" in calls[9]
    assert by_code["1.2"][2] == "Interne actie"
    fr = list(csv.reader(io.StringIO(client.get("/fr/cooperation/monitoring.csv").content.decode("utf-8-sig"))))
    assert {row[2] for row in fr[1:]} == {"Appels à projets", "Pilotage politique", "Action interne"}


# --- API ----------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_api_publishes_the_plan_and_organisations_without_personal_data(client, plan, meeting, people, orgs):
    services.add_decision(by=people["chair"], meeting=meeting, text="Secret decision", action=plan["calls"])
    orgs_json = client.get("/api/organisations").json()
    prov = next(o for o in orgs_json if o["name"] == "Provincie West-Vlaanderen")
    assert prov == {"name": "Provincie West-Vlaanderen", "name_other": "Province de Flandre-Occidentale", "acronym": "",
                    "country": "BE", "kind": "province", "programme_role": "lead", "website": "",
                    "contact_role": "project coordinator", "municipality": None}
    assert next(o for o in orgs_json if o["name"].startswith("EGTS"))["country"] is None
    plan_json = client.get("/api/action-plan").json()
    assert [p["order"] for p in plan_json] == [1, 4]
    assert [a["slug"] for a in plan_json[0]["actions"]] == ["steering-groups"]  # not the hidden one
    calls = plan_json[1]["actions"][0]
    assert calls["code"] == "4.3" and calls["status"] == "in_progress" and calls["lead"]["name"] == "Provincie West-Vlaanderen"
    assert calls["lead_is_assumption"] is True and calls["working_group"]["slug"] == "werkgroep"
    assert [m["done"] for m in calls["milestones"]] == [True, False] and calls["milestones"][1]["overdue"] is True
    assert calls["indicators"][0] == {"name_nl": "Geselecteerde projecten", "name_fr": "Projets sélectionnés", "unit": "",
                                      "target": 10, "current": 5, "percent": 50, "updated_on": "2019-07-01"}
    assert calls["indicators"][1]["target"] is None and calls["indicators"][1]["percent"] is None
    one = client.get("/api/actions/calls-for-projects").json()
    assert one == calls
    for text in ("Secret decision", MINUTES, "@example.org", "Spring meeting"):
        assert text not in str(plan_json) + str(orgs_json) + str(one)
    r = client.get("/api/actions/internal")
    assert r.status_code == 404 and "internal" in r.json()["detail"]
    assert client.get("/api/actions/nope").status_code == 404
