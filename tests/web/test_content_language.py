"""Official content in the page's language, or marked with the language it is shown in (an English page shows the
Dutch text, and says so; a text written in one language only is marked on the other language's pages)."""
import datetime

import pytest
from django.utils import timezone

from partons.events.models import Event


@pytest.mark.django_db
def test_content_in_another_language_than_the_page_is_marked(client, territory):
    now = timezone.now()
    Event.objects.create(slug="markt", type="launch", title_nl="Dorpsmarkt", title_fr="Marché du village", published=True,
                         starts_at=now + datetime.timedelta(days=3), ends_at=now + datetime.timedelta(days=3, hours=2),
                         village=territory["villages"]["kemmel"])
    Event.objects.create(slug="enkel-nl", type="launch", title_nl="Alleen in het Nederlands", title_fr="", published=True,
                         starts_at=now + datetime.timedelta(days=4), ends_at=now + datetime.timedelta(days=4, hours=2),
                         village=territory["villages"]["kemmel"])
    en = client.get("/en/events/").content.decode()
    assert '<span lang="nl">Dorpsmarkt</span> <span class="lang-tag" lang="en">(in Dutch)</span>' in en
    fr = client.get("/fr/events/").content.decode()
    assert '<span lang="fr">Marché du village</span>' in fr and "Marché du village</span> <span class=\"lang-tag\"" not in fr
    assert '<span lang="nl">Alleen in het Nederlands</span> <span class="lang-tag" lang="fr">(en néerlandais)</span>' in fr
    nl = client.get("/nl/events/").content.decode()
    assert '<span lang="nl">Dorpsmarkt</span>' in nl and "lang-tag" not in nl  # positive control: nothing to mark


@pytest.mark.django_db
def test_a_residents_idea_says_the_language_it_was_written_in_on_the_other_languages_pages(client, territory, resident):
    from partons.ideas import services

    idea = services.submit_idea(by=resident, title="Un café associatif", description="Sur la place du village.",
                                theme="meeting_places", language="fr", village=territory["villages"]["boeschepe"])
    nl_list = client.get("/nl/ideas/").content.decode()
    assert '<span lang="fr">Un café associatif</span> <span class="lang-tag" lang="nl">(in het Frans)</span>' in nl_list
    nl_page = client.get(idea.get_absolute_url().replace("/fr/", "/nl/")).content.decode()
    assert '<h1><span lang="fr">Un café associatif</span> <span class="lang-tag" lang="nl">(in het Frans)</span></h1>' in nl_page
    # positive control: on French pages the French idea needs no mark
    fr_list = client.get("/fr/ideas/").content.decode()
    assert '<span lang="fr">Un café associatif</span>' in fr_list and "lang-tag" not in fr_list
