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
def test_portfolio_and_api_show_selected_projects_only_once_published(client, call, territory, costs, resident):
    app = services.save_draft(by=resident, call=call, organisation="Dorpsraad", applicant_type="village_council",
                              title="Dorpsontmoetingspunt", idea="i", participants="p", timeline="t",
                              villages=[territory["villages"]["loker"]], lines=[(costs["study"], "s", 500_000)])
    Application.objects.filter(pk=app.pk).update(status="selected", granted_cents=500_000)
    assert client.get("/api/projects").json() == []  # results not published yet
    Call.objects.filter(pk=call.pk).update(results_published_at=timezone.now())
    projects = client.get("/api/projects").json()
    assert projects == [{"id": app.pk, "title": "Dorpsontmoetingspunt", "call": call.slug, "granted_eur": 5000.0,
                         "villages": ["loker"], "synthetic": False}]
    detail = client.get(f"/api/calls/{call.slug}").json()
    assert detail["ceiling_eur"] == 10000.0 and detail["selected_projects"][0]["title"] == "Dorpsontmoetingspunt"
    assert "score" not in str(detail).lower() and "resident@example.org" not in str(detail)
    assert "Dorpsontmoetingspunt" in client.get("/nl/calls/portfolio/").content.decode()
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
