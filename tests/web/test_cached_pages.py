"""The costly parts of the village, municipality, access and idea pages are built once per change of their data: a
repeated visit reads no service rows, and a change a visitor could see shows at the next visit."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partons.core.roles import Role
from partons.ideas import services as idea_services
from partons.observatory.models import Facility

from ..conftest import make_user
from ..observatory.conftest import cats  # noqa: F401  (fixture)


def facility_reads(ctx):
    return [q["sql"] for q in ctx.captured_queries if 'FROM "observatory_facility"' in q["sql"] and "MAX(" not in q["sql"]]


@pytest.mark.django_db
def test_a_village_page_is_built_once_per_change_of_its_services(client, territory, cats):
    kemmel = territory["villages"]["kemmel"]
    Facility.objects.create(category=cats["bakery"], name="Bakkerij Kemmel", lon=2.8275, lat=50.7835, village=kemmel,
                            source="test", source_id="b1", licence="CC0 1.0")
    url = "/nl/villages/kemmel/"
    first = client.get(url)
    assert "Bakkerij Kemmel" in first.content.decode()
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url)
    assert "Bakkerij Kemmel" in again.content.decode() and facility_reads(ctx) == []
    # a new service and a closed one show at the next visit
    Facility.objects.create(category=cats["post"], name="Postpunt Kemmel", lon=2.8280, lat=50.7830, village=kemmel,
                            source="test", source_id="p1", licence="CC0 1.0")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert "Postpunt Kemmel" in page and facility_reads(ctx)  # positive control: built again from the rows
    bakery = Facility.objects.get(source_id="b1")
    bakery.closed_on = datetime.date.today()
    bakery.save()
    page = client.get(url).content.decode()
    assert page.count("Bakkerij Kemmel") == 1  # listed once more, now among the services lost, not today's
    # each language has its own copy
    assert 'lang="fr"' in client.get(url.replace("/nl/", "/fr/", 1)).content.decode()[:400]


@pytest.mark.django_db
def test_signed_in_visitors_get_their_own_links_not_a_copy_made_for_someone_else(client, territory):
    url = "/nl/villages/kemmel/"
    with translation.override("nl"):
        report_link = reverse("observatory:report_new")
    assert report_link not in client.get(url).content.decode()  # anonymous copy: no report link
    client.force_login(make_user("reporter@example.org", role=Role.RESIDENT))
    assert report_link in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_idea_list_total_follows_new_and_hidden_ideas(client, territory, resident, moderator):
    def total():
        return client.get("/nl/ideas/").context["page"].paginator.count

    assert total() == 0
    idea = idea_services.submit_idea(by=resident, title="Een bank bij de kerk", description="Om te rusten",
                                     theme="meeting_places", language="nl", village=territory["villages"]["kemmel"])
    assert total() == 1
    idea_services.hide(by=moderator, idea=idea, reason="Test")
    assert total() == 0


def idea_reads(ctx):
    return [q["sql"] for q in ctx.captured_queries if 'FROM "ideas_idea"' in q["sql"] and "MAX(" not in q["sql"]]


@pytest.mark.django_db
def test_anonymous_visitors_share_one_copy_of_a_page_until_its_data_changes(client, territory, resident):
    kemmel = territory["villages"]["kemmel"]
    idea_services.submit_idea(by=resident, title="Een bank bij de kerk", description="Om te rusten",
                              theme="meeting_places", language="nl", village=kemmel)
    assert "Een bank bij de kerk" in client.get("/nl/ideas/").content.decode()
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/nl/ideas/")
    assert "Een bank bij de kerk" in again.content.decode() and idea_reads(ctx) == []
    assert "Cookie" in again["Vary"]
    idea_services.submit_idea(by=resident, title="Een markt op zondag", description="Met boeren uit de streek",
                              theme="services", language="nl", village=kemmel)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/nl/ideas/").content.decode()
    assert "Een markt op zondag" in page and idea_reads(ctx)  # positive control: built again
    assert "Een markt op zondag" in client.get("/nl/villages/kemmel/").content.decode()  # the village page too


@pytest.mark.django_db
def test_signed_in_visitors_and_pending_messages_never_get_the_shared_copy(client, territory, resident):
    anonymous = client.get("/nl/ideas/").content.decode()
    assert "/accounts/logout/" not in anonymous
    client.force_login(resident)
    assert "/accounts/logout/" in client.get("/nl/ideas/").content.decode()
    # a message waiting for the visitor (here: after signing out) is shown, not hidden by the shared copy
    client.post("/nl/accounts/logout/")
    page = client.get("/nl/ideas/").content.decode()
    assert 'class="messages"' in page
