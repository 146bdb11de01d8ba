"""The home page invites: the open call with its deadline, the idea box, the next event, the latest answers to
ideas — each a link to where one acts — and says so plainly when there is nothing yet."""
import datetime

import pytest
from django.utils import timezone

from partons.calls.models import Call
from partons.events.models import Event
from partons.ideas import services as ideas
from partons.core.roles import Role

from ..conftest import make_user


@pytest.mark.django_db
def test_an_empty_region_says_there_is_nothing_yet_and_still_invites_ideas(client, territory):
    page = client.get("/nl/").content.decode()
    assert "Er is momenteel geen oproep open." in page
    assert "Er is nog geen idee gedeeld." in page
    assert 'href="/nl/ideas/new/"' in page
    assert "Er is nog geen evenement gepland." in page


@pytest.mark.django_db
def test_the_open_call_the_idea_box_the_next_event_and_the_answers_are_one_click_away(client, territory):
    now = timezone.now()
    call = Call.objects.create(slug="leefbare-dorpen", title_nl="Leefbare dorpen", title_fr="Villages vivants",
                               text_nl="Oproep", text_fr="Appel", budget_cents=1, ceiling_cents=1, expected_projects=1,
                               opens_at=now - datetime.timedelta(days=1), deadline=now + datetime.timedelta(days=20),
                               published=True)
    Call.objects.create(slug="closed", title_nl="Gesloten oproep", title_fr="Appel clos", text_nl="-", text_fr="-",
                        budget_cents=1, ceiling_cents=1, expected_projects=1, published=True,
                        opens_at=now - datetime.timedelta(days=60), deadline=now - datetime.timedelta(days=30))
    Event.objects.create(slug="brainstorm", type="launch", title_nl="Brainstorm in Kemmel", title_fr="Remue-méninges",
                         published=True, starts_at=now + datetime.timedelta(days=3),
                         ends_at=now + datetime.timedelta(days=3, hours=2), village=territory["villages"]["kemmel"])
    resident = make_user("r@example.org")
    team = make_user("m@example.org", role=Role.MODERATOR)
    answered = ideas.submit_idea(by=resident, title="Een pakjespunt", description="Bij de bakker", theme="services",
                                 language="nl", village=territory["villages"]["kemmel"])
    ideas.submit_idea(by=resident, title="Een bank", description="Bij de kerk", theme="meeting_places", language="nl",
                      village=territory["villages"]["kemmel"])
    ideas.change_status(idea=answered, by=team, status="under_review", answer="We bekijken het met de gemeente.")

    page = client.get("/fr/").content.decode()
    assert "Aucun appel n" not in page and "Aucune idée n’a encore" not in page  # the empty states are gone
    assert f'href="{call.get_absolute_url()}"'.replace("/nl/", "/fr/") in page and "Villages vivants" in page
    assert "Appel clos" not in page  # a closed call is not offered
    day = timezone.localtime(call.deadline)
    assert f"Candidatures jusqu’au {day.day} " in page
    assert "2 idées d’habitants jusqu’ici." in page and 'href="/fr/ideas/new/"' in page
    assert "Remue-méninges" in page and 'href="/fr/events/brainstorm/"' in page
    answers = page[page.index("Dernières réponses"):]
    assert "Een pakjespunt" in answers and "Een bank" not in answers  # answered ideas only
