"""The public side of the calls: everything an applicant needs on the call's page, the portfolio, the open data
(never scores or personal data), and the demo."""
import pytest
from django.utils import timezone

from partons.calls import services
from partons.calls.models import Application, Call


@pytest.mark.django_db
def test_call_page_has_what_an_applicant_needs(client, call):
    html = client.get(f"/nl/calls/{call.slug}/").content.decode()
    for text in ("Maak werk van je buurt", "100.000", "10.000", "Participatie van bewoners", "Enquête, haalbaarheidsstudie",
                 "Heuvelland", "Boeschepe"):
        assert text in html, text
    fr = client.get(f"/fr/calls/{call.slug}/").content.decode()
    assert "Agissez dans votre quartier" in fr and "Participation des habitants" in fr
    assert client.get("/nl/calls/").status_code == 200
    call.published = False
    call.save()
    assert client.get(f"/nl/calls/{call.slug}/").status_code == 404


@pytest.mark.django_db
def test_a_large_eligible_area_is_summed_up_per_country_each_list_opened_on_request(client, call, monkeypatch):
    from partons.calls import views

    html = client.get(f"/nl/calls/{call.slug}/").content.decode()
    assert "<p>Heuvelland (BE), Boeschepe (FR)</p>" in html and "area-list" not in html  # a small area: one line
    monkeypatch.setattr(views, "AREA_LISTED_WHOLE", 1)  # as the programme's area of hundreds of municipalities
    html = client.get(f"/nl/calls/{call.slug}/").content.decode()
    assert ('<details class="area-list"><summary>België: 1 gemeente</summary>\n  <p>Heuvelland</p></details>' in html)
    assert '<summary>Frankrijk: 1 gemeente</summary>' in html
    fr = client.get(f"/fr/calls/{call.slug}/").content.decode()
    assert '<summary>Belgique\u00a0: 1 commune</summary>' in fr and '<summary>France\u00a0: 1 commune</summary>' in fr


@pytest.mark.django_db
def test_portfolio_and_api_show_selected_projects_only_once_published(client, call, territory, costs, resident):
    app = services.save_draft(by=resident, call=call, organisation="Dorpsraad", applicant_type="village_council",
                              title="Dorpsontmoetingspunt", language="nl", idea="i", participants="p", timeline="t",
                              villages=[territory["villages"]["loker"]], lines=[(costs["study"], "s", 500_000)])
    Application.objects.filter(pk=app.pk).update(status="selected", granted_cents=500_000)
    assert client.get("/api/projects").json() == []  # results not published yet
    Call.objects.filter(pk=call.pk).update(results_published_at=timezone.now())
    projects = client.get("/api/projects").json()
    assert projects == [{"id": app.pk, "title": "Dorpsontmoetingspunt", "language": "nl", "call": call.slug, "granted_eur": 5000.0,
                         "villages": ["loker"], "synthetic": False}]
    detail = client.get(f"/api/calls/{call.slug}").json()
    assert detail["ceiling_eur"] == 10000.0 and detail["selected_projects"][0]["title"] == "Dorpsontmoetingspunt"
    assert "score" not in str(detail).lower() and "resident@example.org" not in str(detail)
    assert '<span lang="nl">Dorpsontmoetingspunt</span>' in client.get("/nl/calls/portfolio/").content.decode()
    # on the French page, the Dutch title is marked as such (read aloud in Dutch) and said to be in Dutch
    assert ('<span lang="nl">Dorpsontmoetingspunt</span> <span class="lang-tag" lang="fr">(en néerlandais)</span>'
            in client.get("/fr/calls/portfolio/").content.decode())
    assert client.get("/api/calls/nope").status_code == 404


@pytest.mark.django_db
def test_demo_calls(territory):
    from partons.calls.demo import load_demo_calls

    out = load_demo_calls(log=lambda m: None)
    assert out["calls"] == 2
    past = Call.objects.get(slug="maak-werk-van-je-buurt-2019")
    assert past.budget_cents == 100_000_00 and past.ceiling_cents == 10_000_00 and past.expected_projects == 10
    assert past.phase == "results"
    # The fixture territory holds Kemmel, Bergues and Boeschepe of the selected example villages.
    assert set(past.applications.filter(status="selected").values_list("villages__slug", flat=True)) == {
        "kemmel", "bergues", "boeschepe"}
    assert all(a.synthetic for a in past.applications.all())
    assert load_demo_calls(log=lambda m: None) == {"calls": 0, "applications": 0}  # idempotent


@pytest.mark.django_db
def test_merging_villages_moves_applications_too(call, territory, costs, resident, coordinator):
    from partons.territory.services import merge_villages

    v = territory["villages"]
    app = services.save_draft(by=resident, call=call, organisation="Dorpsraad", applicant_type="village_council",
                              title="Twee dorpen", idea="i", participants="p", timeline="t", villages=[v["loker"], v["kemmel"]])
    merge_villages(sources=[v["loker"]], target=v["kemmel"], by=coordinator)
    assert list(app.villages.all()) == [v["kemmel"]]  # once, not twice


@pytest.mark.django_db
def test_demo_call_has_its_coaching_trajectory(client, territory):
    from partons.calls.demo import load_demo_calls

    load_demo_calls(log=lambda m: None)
    past = Call.objects.get(slug="maak-werk-van-je-buurt-2019")
    sessions = list(past.sessions.all())
    assert len(sessions) == 5 and all(s.host.status == "selected" for s in sessions)
    html = client.get(f"/nl/calls/{past.slug}/").content.decode()
    assert f"/nl/calls/sessions/{sessions[0].pk}.ics" in html
    ics = client.get(f"/nl/calls/sessions/{sessions[0].pk}.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"DTSTART:20190926T080000Z" in ics.content  # 10:00 Brussels


@pytest.mark.django_db
def test_follow_up_pages(client, call, territory, costs, resident, coordinator):
    app = services.save_draft(by=resident, call=call, organisation="Dorpsraad", applicant_type="village_council",
                              title="Dorpsontmoetingspunt", idea="i", participants="p", timeline="t",
                              villages=[territory["villages"]["loker"]], lines=[(costs["study"], "Enquête", 300_000)])
    Application.objects.filter(pk=app.pk).update(status="selected", granted_cents=300_000)
    Call.objects.filter(pk=call.pk).update(results_published_at=timezone.now())
    line = app.budget_lines.get()
    client.force_login(resident)
    assert 'id="follow-up"' in client.get(f"/nl/calls/applications/{app.pk}/").content.decode()
    today = timezone.localdate().isoformat()
    client.post(f"/nl/calls/applications/{app.pk}/follow-up", {"kind": "expense", "line": line.pk, "description": "Druk",
                                                              "amount": "2500,50", "spent_on": today})
    client.post(f"/nl/calls/applications/{app.pk}/follow-up", {"kind": "expense", "line": line.pk, "description": "Meer",
                                                              "amount": "1000", "spent_on": today})
    client.post(f"/nl/calls/applications/{app.pk}/follow-up", {"kind": "report", "text": "Het loopt goed."})
    assert [e.status for e in app.expenses.order_by("pk")] == ["accepted", "needs_approval"]
    assert app.expenses.order_by("pk").first().amount_cents == 250_050
    assert client.get(f"/nl/calls/{call.slug}/projects/").status_code == 403
    client.force_login(coordinator)
    page = client.get(f"/nl/calls/{call.slug}/projects/").content.decode()
    assert 'data-testid="portfolio-state"' in page and "Meer" in page
    pending = app.expenses.get(status="needs_approval")
    client.post(f"/nl/calls/{call.slug}/projects/", {"action": "approve", "expense": pending.pk})
    pending.refresh_from_db()
    assert pending.status == "approved"


@pytest.mark.django_db
def test_brainstorm_request_page(client, territory, resident, coordinator):
    from partons.calls.models import BrainstormRequest

    client.force_login(resident)
    r = client.post("/nl/calls/brainstorm/", {"village": territory["villages"]["kemmel"].pk, "group": "Jeugdhuis",
                                              "message": "Iets voor de jongeren"})
    assert r.status_code == 302 and BrainstormRequest.objects.get().group == "Jeugdhuis"
    r = client.post("/nl/calls/brainstorm/", {"village": "", "group": "x", "message": "y"})
    assert r.status_code == 200 and BrainstormRequest.objects.count() == 1
    client.force_login(coordinator)
    assert "Jeugdhuis" in client.get("/nl/calls/brainstorm/").content.decode()


@pytest.mark.django_db
def test_call_documents_are_served_by_the_app(client, call):
    from django.core.files.base import ContentFile

    from partons.calls.models import CallDocument

    doc = CallDocument.objects.create(call=call, title="Reglement", language="nl",
                                      file=ContentFile(b"%PDF-1.7 reglement", name="reglement.pdf"))
    html = client.get(f"/nl/calls/{call.slug}/").content.decode()
    assert f"/nl/calls/{call.slug}/documents/{doc.pk}" in html
    r = client.get(f"/nl/calls/{call.slug}/documents/{doc.pk}")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert 'filename="Reglement.pdf"' in r["Content-Disposition"]
