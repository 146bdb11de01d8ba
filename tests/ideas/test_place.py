"""Where an idea is: a point must lie in the region and in the chosen village's municipality; without a village,
the point gives it. The form names the field that is wrong."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from partons.ideas import services
from partons.ideas.models import Idea

PARIS = (2.3522, 48.8566)
IN_BOESCHEPE = (2.695, 50.801)
NEAR_KEMMEL = (2.829, 50.784)


def submit(resident, **kw):
    return services.submit_idea(by=resident, title="Een bank", description="Bij de kerk", theme="meeting_places",
                                language="nl", **kw)


@pytest.mark.django_db
def test_a_point_outside_the_region_is_refused(territory, resident):
    with translation.override("en"), pytest.raises(ValidationError) as err:
        submit(resident, village=territory["villages"]["kemmel"], lon=PARIS[0], lat=PARIS[1])
    assert "lon" in err.value.message_dict and "outside the region" in err.value.message_dict["lon"][0]
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_a_point_in_another_municipality_than_the_village_is_refused_by_name(territory, resident):
    with pytest.raises(ValidationError) as err:
        submit(resident, village=territory["villages"]["kemmel"], lon=IN_BOESCHEPE[0], lat=IN_BOESCHEPE[1])
    message = err.value.message_dict["village"][0]
    assert "Boeschepe" in message and "Kemmel" in message
    assert not Idea.objects.exists()
    # positive control: the same village with a point in its own municipality
    idea = submit(resident, village=territory["villages"]["kemmel"], lon=NEAR_KEMMEL[0], lat=NEAR_KEMMEL[1])
    assert idea.village == territory["villages"]["kemmel"]


@pytest.mark.django_db
def test_a_point_without_a_village_gives_the_village(territory, resident):
    idea = submit(resident, lon=IN_BOESCHEPE[0], lat=IN_BOESCHEPE[1])
    assert idea.village == territory["villages"]["boeschepe"]


@pytest.mark.django_db
def test_the_form_shows_the_error_next_to_the_village(client, territory, resident):
    client.force_login(resident)
    r = client.post("/nl/ideas/new/", {"title": "Een bank", "description": "Bij de kerk", "theme": "meeting_places",
                                       "language": "nl", "village": territory["villages"]["kemmel"].pk,
                                       "lon": IN_BOESCHEPE[0], "lat": IN_BOESCHEPE[1]})
    assert r.status_code == 200 and not Idea.objects.exists()
    assert r.context["form"].errors["village"]
