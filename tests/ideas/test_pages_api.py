"""The idea box's pages and API: filters, search, sort and pagination in SQL, a form that explains its errors,
spam protection, moderation pages, exports; hidden ideas never leave the team."""
import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partons.core.roles import Role
from partons.ideas import services
from partons.ideas.models import Flag, Idea

from ..conftest import make_user


@pytest.fixture
def ideas(territory, resident):
    v = territory["villages"]
    made = {
        "shop": services.submit_idea(by=resident, title="Een buurtwinkel in Loker", description="Brood en melk dichtbij",
                                     theme="services", language="nl", village=v["loker"]),
        "bus": services.submit_idea(by=resident, title="Un bus le dimanche", description="Vers Bailleul et Ypres",
                                    theme="mobility", language="fr", village=v["boeschepe"]),
        "bench": services.submit_idea(by=resident, title="Bankjes aan de kerk", description="Om uit te rusten",
                                      theme="meeting_places", language="nl", village=v["kemmel"]),
    }
    other = make_user("other@example.org", role=Role.RESIDENT)
    services.support(idea=made["bus"], by=other)
    services.comment(idea=made["bench"], by=other, body="Ja!")
    services.comment(idea=made["bench"], by=other, body="Ook aan het plein")
    return made


def titles(response):
    return [f["properties"]["title"] for f in response.json()["features"]]


@pytest.mark.django_db
def test_api_filters_sorts_and_searches(client, ideas):
    assert titles(client.get("/api/ideas?sort=supported"))[0] == "Un bus le dimanche"
    assert titles(client.get("/api/ideas?sort=discussed"))[0] == "Bankjes aan de kerk"
    assert titles(client.get("/api/ideas?country=FR")) == ["Un bus le dimanche"]
    assert titles(client.get("/api/ideas?language=nl&sort=newest")) == ["Bankjes aan de kerk", "Een buurtwinkel in Loker"]
    assert titles(client.get("/api/ideas?q=brood")) == ["Een buurtwinkel in Loker"]
    assert titles(client.get("/api/ideas?q=ypres")) == ["Un bus le dimanche"]  # accents and case folded, text searched
    assert titles(client.get("/api/ideas?village=kemmel")) == ["Bankjes aan de kerk"]
    assert titles(client.get("/api/ideas?municipality=be-33039&theme=services")) == ["Een buurtwinkel in Loker"]
    assert titles(client.get("/api/ideas?bbox=2.68,50.79,2.70,50.81")) == ["Un bus le dimanche"]
    compact = client.get("/api/ideas?compact=true").json()["features"][0]["properties"]
    assert "description" not in compact and compact["theme_name"] and compact["url"]
    page = client.get("/api/ideas?limit=2").json()
    assert page["numberMatched"] == 3 and page["numberReturned"] == len(page["features"]) == 2 and "offset=2" in page["next"]
    assert client.get("/api/ideas?theme=nonsense").status_code == 422
    assert client.get("/api/ideas?bbox=1,2").status_code == 400
    assert client.get("/api/ideas?village=nowhere").status_code == 404


@pytest.mark.django_db
def test_hidden_ideas_stay_out_of_the_api_and_exports(client, ideas, moderator):
    services.hide(by=moderator, reason="Dubbel", idea=ideas["bench"])
    assert "Bankjes aan de kerk" not in titles(client.get("/api/ideas"))
    assert client.get(f"/api/ideas/{ideas['bench'].pk}").status_code == 404
    detail = client.get(f"/api/ideas/{ideas['bus'].pk}").json()["properties"]
    assert detail["supports_count"] == 1 and detail["history"][0]["status"] == "received"
    rows = list(csv.DictReader(io.StringIO(client.get("/api/ideas.csv").content.decode("utf-8-sig"))))
    assert {r["title"] for r in rows} == {"Een buurtwinkel in Loker", "Un bus le dimanche"}
    geo = json.loads(client.get("/api/ideas.geojson").content)
    assert len(geo["features"]) == 2
    stats = client.get("/api/ideas/stats").json()
    assert stats["total"] == 2 and {r["theme"] for r in stats["by_theme"]} == {"services", "mobility"}


@pytest.mark.django_db
def test_list_page_filters_and_paginates(client, ideas):
    html = client.get("/nl/ideas/?theme=mobility").content.decode()
    assert "Un bus le dimanche" in html and "Bankjes" not in html
    assert 'lang="fr"' in html  # each idea is marked with its own language
    assert client.get("/fr/ideas/?sort=bogus&status=x&country=zz&page=99").status_code == 200


@pytest.mark.django_db
def test_submit_form_explains_errors_in_place_and_keeps_input(client, territory, resident):
    client.force_login(resident)
    r = client.post("/nl/ideas/new/", {"title": "", "description": "Iets", "theme": "services", "language": "nl"})
    html = r.content.decode()
    assert r.status_code == 200 and 'id="id_title_error"' in html and 'id="id_village_error"' in html
    assert "Iets" in html  # nothing typed is lost
    r = client.post("/nl/ideas/new/", {"title": "Fietspad", "description": "Naar school", "theme": "mobility",
                                       "language": "nl", "village": territory["villages"]["loker"].pk})
    idea = Idea.objects.get(title="Fietspad")
    assert r.status_code == 302 and r["Location"] == f"/nl/ideas/{idea.pk}/"


@pytest.mark.django_db
def test_honeypot_and_photo_checks(client, territory, resident):
    client.force_login(resident)
    base = {"title": "Fietspad", "description": "Naar school", "theme": "mobility", "language": "nl",
            "village": territory["villages"]["loker"].pk}
    r = client.post("/nl/ideas/new/", {**base, "website": "http://spam.example"})
    assert r.status_code == 200 and not Idea.objects.exists()
    bad = SimpleUploadedFile("virus.jpg", b"MZ not an image", content_type="image/jpeg")
    r = client.post("/nl/ideas/new/", {**base, "photos": [bad]})
    assert r.status_code == 200 and 'id="id_photos_error"' in r.content.decode() and not Idea.objects.exists()
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buf, "PNG")
    good = SimpleUploadedFile("plein.png", buf.getvalue(), content_type="image/png")
    r = client.post("/nl/ideas/new/", {**base, "photos": [good]})
    idea = Idea.objects.get()
    assert idea.photos.count() == 1 and idea.photos.get().image.name.endswith(".png")
    assert "plein" not in idea.photos.get().image.name  # a random name
    photo = idea.photos.get()
    r = client.get(f"/nl/ideas/{idea.pk}/photos/{photo.pk}")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert client.get(f"/nl/ideas/{idea.pk}/photos/{photo.pk + 1}").status_code == 404


@pytest.mark.django_db
def test_submissions_are_rate_limited(client, territory, resident):
    client.force_login(resident)
    base = {"description": "d", "theme": "other", "language": "nl", "village": territory["villages"]["loker"].pk}
    for i in range(10):
        client.post("/nl/ideas/new/", {**base, "title": f"Idee {i}"})
    r = client.post("/nl/ideas/new/", {**base, "title": "Idee 11"})
    assert r.status_code == 200 and Idea.objects.count() == 10


@pytest.mark.django_db
def test_detail_support_comment_flag_and_moderation_pages(client, ideas, moderator):
    bus = ideas["bus"]
    reader = make_user("reader@example.org", role=Role.RESIDENT)
    client.force_login(reader)
    client.post(f"/fr/ideas/{bus.pk}/support")
    client.post(f"/fr/ideas/{bus.pk}/support")
    bus.refresh_from_db()
    assert bus.supports_count == 2
    client.post(f"/fr/ideas/{bus.pk}/comment", {"body": "<script>alert(1)</script> oui"})
    html = client.get(f"/fr/ideas/{bus.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; oui" in html and "<script>alert(1)" not in html
    client.post(f"/fr/ideas/{bus.pk}/flag", {"reason": "Hors sujet"})
    assert client.post(f"/fr/ideas/{bus.pk}/flag", {"reason": "x", "comment": "abc"}).status_code == 404
    assert Flag.objects.filter(idea=bus, by=reader).exists()
    assert client.get("/fr/ideas/moderation/").status_code == 403
    client.force_login(moderator)
    queue = client.get("/fr/ideas/moderation/").content.decode()
    assert "Hors sujet" in queue
    client.post(f"/fr/ideas/{bus.pk}/moderate", {"action": "hide", "reason": "Publicité", "next": "queue"})
    bus.refresh_from_db()
    assert bus.hidden and bus.hidden_reason == "Publicité"
    client.force_login(reader)
    assert client.get(f"/fr/ideas/{bus.pk}/").status_code == 404  # hidden from others…
    client.force_login(bus.author)
    page = client.get(f"/fr/ideas/{bus.pk}/").content.decode()
    assert "Publicité" in page  # …but its author sees it, with the reason
    mine = client.get("/fr/ideas/mine/").content.decode()
    assert "Publicité" in mine


@pytest.mark.django_db
def test_status_change_from_the_page(client, ideas, moderator):
    client.force_login(moderator)
    shop = ideas["shop"]
    client.post(f"/nl/ideas/{shop.pk}/status", {"status": "under_review"})
    r = client.post(f"/nl/ideas/{shop.pk}/status", {"status": "declined", "answer": ""}, follow=True)
    shop.refresh_from_db()
    assert shop.status == "under_review"  # declining without a reason is refused, and the page says why
    assert "Geef de inwoners een antwoord" in r.content.decode()
    client.post(f"/nl/ideas/{shop.pk}/status", {"status": "declined", "answer": "Geen uitbater gevonden."})
    shop.refresh_from_db()
    assert shop.status == "declined" and shop.answer == "Geen uitbater gevonden."
    html = client.get(f"/nl/ideas/{shop.pk}/").content.decode()
    assert "Geen uitbater gevonden." in html


@pytest.mark.django_db
def test_linking_an_idea_to_services_and_access(client, ideas, coordinator, territory):
    from partons.analysis.services import compute_access
    from partons.observatory.models import Facility, ServiceCategory

    bakery = ServiceCategory.objects.get(code="bakery")
    closed = Facility.objects.create(category=bakery, name="Bakkerij Loker", lon=2.775, lat=50.781,
                                     village=territory["villages"]["loker"], source="test", source_id="x",
                                     closed_on="2019-03-01")
    compute_access(categories=["bakery"])
    client.force_login(coordinator)
    shop = ideas["shop"]
    r = client.post(f"/nl/ideas/{shop.pk}/link", {"facilities": f"{closed.pk}", "category": bakery.pk})
    assert r.status_code == 302
    html = client.get(f"/nl/ideas/{shop.pk}/").content.decode()
    assert "Bakkerij Loker" in html and 'data-testid="idea-access"' in html
    assert list(shop.facilities.all()) == [closed]
    bad = client.post(f"/nl/ideas/{shop.pk}/link", {"facilities": "abc"}, follow=True)
    assert "abc" in bad.content.decode()


@pytest.mark.django_db
def test_paper_idea_page_is_for_coordinators(client, territory, coordinator, resident):
    client.force_login(resident)
    assert client.get("/nl/ideas/paper/").status_code == 403
    client.force_login(coordinator)
    box = territory["villages"]["kemmel"]
    r = client.post("/nl/ideas/paper/", {"paper_box": box.pk, "received_on": "2019-05-01", "title": "Speeltuin",
                                         "description": "Voor de kinderen", "theme": "youth", "language": "nl"})
    idea = Idea.objects.get()
    assert r.status_code == 302 and idea.source == "paper" and idea.village == box
    assert "2019" in client.get(idea.get_absolute_url()).content.decode()


def _more_ideas(territory, n):
    author = make_user(f"many-{n}@example.org", role=Role.RESIDENT)
    v = territory["villages"]
    for i in range(n):
        Idea.objects.create(author=author, title=f"Idee {i}", description="Tekst", theme="services", language="nl",
                            village=v["loker"] if i % 2 else v["boeschepe"], lon=2.77 + i / 1000, lat=50.78)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["compact=true", "", "compact=true&bbox=2.6,50.7,3.0,50.9"])
def test_the_idea_map_costs_the_same_queries_for_5_or_50_ideas(client, territory, query):
    """The map asks for 1,000 ideas at a time: the number of queries must not grow with them (no N+1)."""
    _more_ideas(territory, 5)
    client.get(f"/api/ideas?{query}")  # warm what is looked up once per process
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert len(client.get(f"/api/ideas?limit=1000&{query}").json()["features"]) == 5
    _more_ideas(territory, 45)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(f"/api/ideas?limit=1000&{query}").json()["features"]) == 50
    assert len(many) == len(few) <= 6, [q["sql"][:120] for q in many.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_exports_read_as_values_say_what_each_idea_says(ideas, lang):
    """The exports read plain values for speed: row for row they say what the idea's own record says."""
    from django.utils import translation

    from partons.api.ideas import _export_rows, _labels, _qs, IdeaFilters, _row

    ideas["bus"].lon, ideas["bus"].lat = 2.7001, 50.8002  # one placed on the map, the others at their village
    ideas["bus"].save()
    with translation.override(lang):
        labels = _labels()
        qs = _qs(IdeaFilters())
        by_values = list(_export_rows(qs, labels))
        by_records = [_row(i, labels) for i in qs]
    assert len(by_values) == 3 and by_values == by_records


@pytest.mark.django_db
def test_following_and_unfollowing_from_the_idea_page(client, ideas, territory):
    from partons.ideas.models import Follow

    fan = make_user("fan@example.org", role=Role.RESIDENT)
    url = f"/nl/ideas/{ideas['shop'].pk}/follow"
    assert client.post(url).status_code == 302 and not Follow.objects.filter(user=fan).exists()  # anonymous: to login
    client.force_login(fan)
    assert client.post(url).status_code == 302
    assert Follow.objects.filter(idea=ideas["shop"], user=fan).exists()
    client.post(url, {"stop": "1"})
    assert not Follow.objects.filter(idea=ideas["shop"], user=fan).exists()
