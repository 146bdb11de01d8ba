"""Map answers and exports are built once per change of their data and kept in the shared cache: a repeated question
reads no rows, and every change a visitor could see (a new or closed service, a support, a hidden idea, a renamed
village, a new computation) gives a new answer at once."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partons.core.roles import Role
from partons.ideas import services as idea_services
from partons.observatory.models import Facility

from ..conftest import make_user
from ..ideas.test_pages_api import ideas  # noqa: F401  (fixture)
from ..observatory.conftest import cats  # noqa: F401  (fixture)
from ..observatory.test_api_pages import services  # noqa: F401  (fixture)

MAP = {"bbox": "2.3,50.7,3.0,51.0", "compact": "true"}


def names(response):
    return sorted(f["properties"].get("name") or f["properties"].get("title") for f in response.json()["features"])


def row_queries(ctx, table):
    return [q["sql"] for q in ctx.captured_queries if f'FROM "{table}"' in q["sql"] and "MAX(" not in q["sql"]]


@pytest.mark.django_db
def test_a_repeated_map_question_reads_no_rows_and_a_change_is_seen_at_once(client, services, territory, cats):
    first = client.get("/api/facilities", MAP)
    assert names(first) == ["Bakery", "Gp", "Pharmacy"]
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/api/facilities", MAP)
    assert again.content == first.content
    assert row_queries(ctx, "observatory_facility") == []  # only "did the facilities change?" (MAX of two indexes)
    # a new service: the next answer has it
    Facility.objects.create(category=cats["bakery"], name="Nieuw", lon=2.83, lat=50.78, village=territory["villages"]["kemmel"],
                            source="test", source_id="new", licence="CC0 1.0")
    with CaptureQueriesContext(connection) as ctx:
        assert names(client.get("/api/facilities", MAP)) == ["Bakery", "Gp", "Nieuw", "Pharmacy"]
    assert row_queries(ctx, "observatory_facility")  # positive control: this one was built from the rows
    # a service closes (saved through the model, as the services and the admin do): gone from today's map
    bakery = services["bakery"]
    bakery.closed_on = datetime.date.today()
    bakery.save()
    assert names(client.get("/api/facilities", MAP)) == ["Gp", "Nieuw", "Pharmacy"]


@pytest.mark.django_db
def test_a_renamed_village_or_category_is_seen_in_the_cached_answers(client, services, territory, cats):
    def village_names():
        return {f["properties"]["village_name"] for f in client.get("/api/facilities", MAP).json()["features"]}

    assert "Kemmel" in village_names()
    kemmel = territory["villages"]["kemmel"]
    kemmel.name_nl = kemmel.name_fr = kemmel.name_en = "Kemmel-Dorp"
    kemmel.save()
    assert "Kemmel-Dorp" in village_names() and "Kemmel" not in village_names()
    bakery = cats["bakery"]
    bakery.name_nl = bakery.name_en = "Broodwinkel"
    bakery.save()
    answer = client.get("/api/facilities", {**MAP, "lang": "nl"}).json()
    assert {f["properties"]["category_name"] for f in answer["features"] if f["properties"]["category"] == "bakery"} == {
        "Broodwinkel"}


@pytest.mark.django_db
def test_answers_are_kept_per_language(client, services):
    nl = client.get("/api/facilities", MAP, HTTP_ACCEPT_LANGUAGE="nl").json()
    fr = client.get("/api/facilities", MAP, HTTP_ACCEPT_LANGUAGE="fr").json()
    name = {lang: {f["properties"]["category"]: f["properties"]["category_name"] for f in data["features"]}
            for lang, data in (("nl", nl), ("fr", fr))}
    assert name["nl"]["pharmacy"] != name["fr"]["pharmacy"]
    assert client.get("/api/facilities", MAP, HTTP_ACCEPT_LANGUAGE="nl").json() == nl  # each from its own entry


@pytest.mark.django_db
def test_supports_comments_and_moderation_change_the_idea_map_at_once(client, ideas, moderator):
    def supports():
        return {f["properties"]["title"]: f["properties"]["supports_count"]
                for f in client.get("/api/ideas", {"compact": "true"}).json()["features"]}

    before = supports()
    assert before["Bankjes aan de kerk"] == 0
    idea_services.support(idea=ideas["bench"], by=make_user("fan@example.org", role=Role.RESIDENT))
    assert supports()["Bankjes aan de kerk"] == 1
    idea_services.hide(by=moderator, idea=ideas["bench"], reason="Test")
    assert "Bankjes aan de kerk" not in supports()
    idea_services.restore(by=moderator, idea=ideas["bench"])
    assert "Bankjes aan de kerk" in supports()
    # exports follow the same version: the hidden idea leaves the CSV at once too
    assert "Bankjes aan de kerk" in client.get("/api/ideas.csv").content.decode()
    idea_services.hide(by=moderator, idea=ideas["bench"], reason="Test")
    assert "Bankjes aan de kerk" not in client.get("/api/ideas.csv").content.decode()


@pytest.mark.django_db
def test_a_compressed_answer_is_served_as_stored_and_revalidated_with_its_etag(client, services):
    r = client.get("/api/facilities", MAP, HTTP_ACCEPT_ENCODING="gzip")
    assert r["Content-Encoding"] == "gzip" and "Accept-Encoding" in r["Vary"]
    plain = client.get("/api/facilities", MAP)
    assert not plain.has_header("Content-Encoding") and plain.json()["numberReturned"] == 3
    assert client.get("/api/facilities", MAP, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304
    assert client.get("/api/facilities", MAP, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
