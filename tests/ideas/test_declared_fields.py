"""An idea's fields are declared once on the model: what its author may write, what the public API and its exports
give, what the author's personal-data export holds."""
import csv
import io

import pytest

from partons.core import gdpr
from partons.ideas import services
from partons.ideas.models import Idea, Status


@pytest.fixture
def idea(territory, resident):
    return services.submit_idea(by=resident, title="Een buurtwinkel", description="Brood en melk dichtbij",
                                theme="services", language="nl", village=territory["villages"]["loker"])


def test_a_resident_writes_only_the_fields_an_author_writes(territory, resident):
    v = territory["villages"]["loker"]
    ok = services.submit_idea(by=resident, title="Een bank", description="Aan de kerk", theme="meeting_places",
                              language="nl", village=v)  # positive control
    assert ok.status == Status.RECEIVED
    with pytest.raises(TypeError, match="status"):
        services.submit_idea(by=resident, title="Een bank", description="Aan de kerk", theme="meeting_places",
                             language="nl", village=v, status=Status.REALISED)
    with pytest.raises(TypeError, match="supports_count"):
        services.submit_idea(by=resident, title="Een bank", description="Aan de kerk", theme="meeting_places",
                             language="nl", village=v, supports_count=999)
    assert Idea.objects.count() == 1


def test_every_public_field_is_in_the_api_and_the_export(client, idea):
    props = client.get(f"/api/ideas/{idea.pk}").json()["properties"]
    assert set(Idea.PUBLIC_FIELDS) <= set(props)
    assert props["title"] == "Een buurtwinkel" and props["created_at"] == idea.created_at.isoformat()
    rows = list(csv.DictReader(io.StringIO(client.get("/api/ideas.csv").content.decode("utf-8-sig"))))
    assert set(Idea.PUBLIC_FIELDS) <= set(rows[0]) and rows[0]["title"] == "Een buurtwinkel"
    assert "hidden_reason" not in props and "hidden_reason" not in rows[0]  # not public


def test_the_authors_export_holds_every_author_field(idea, resident):
    exported = gdpr.export_personal_data(resident)["ideas"]["ideas"][0]
    assert set(Idea.AUTHOR_FIELDS) <= set(exported)
    assert exported["description"] == "Brood en melk dichtbij" and exported["village"] == "loker"
