"""The idea box in a real browser, in Dutch and French: a resident submits an idea with a point on the map,
another supports and comments, a moderator changes its status, the author sees the history."""
import re

import pytest
from playwright.sync_api import expect

from partons.core.roles import Role
from partons.ideas.models import Idea

from ..conftest import make_user
from .conftest import assert_wcag_aa
from .test_services import login

pytestmark = pytest.mark.e2e


def logout(page, lang):
    page.locator(f'a[href="/{lang}/accounts/logout/"]').click()
    with page.expect_navigation():  # signed out before the next step signs someone in
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_idea_from_submission_to_answer(page, territory, resident, moderator, lang):
    texts = {
        "nl": {"title": "Een ontmoetingsplek in Loker", "send": "Idee versturen", "support": "Dit idee steunen",
               "comment": "Reactie publiceren", "status": "Status wijzigen", "review": "In behandeling"},
        "fr": {"title": "Un lieu de rencontre à Loker", "send": "Envoyer l’idée", "support": "Soutenir cette idée",
               "comment": "Publier le commentaire", "status": "Changer le statut", "review": "En cours d’examen"},
    }[lang]
    make_user("supporter@example.org", role=Role.RESIDENT)
    login(page, "resident@example.org", lang=lang)
    page.goto(f"/{lang}/ideas/new/")
    page.fill("#id_title", texts["title"])
    page.fill("#id_description", "Een plek om samen te komen, met koffie.")
    page.locator('input[name="theme"][value="meeting_places"]').check()
    # A point on the map: click it (the form's latitude/longitude fill in).
    page.wait_for_function("() => document.getElementById('idea-map') && document.getElementById('idea-map')._partonsMap")
    page.evaluate("() => document.getElementById('idea-map')._partonsMap.setView([50.781, 2.774], 14, {animate: false})")
    page.locator("#idea-map").click()  # scrolled into view, clicked in its middle
    expect(page.locator("#id_lat")).not_to_have_value("")
    page.get_by_role("button", name=texts["send"]).click()
    expect(page).to_have_url(re.compile(rf"/{lang}/ideas/\d+/$"))
    idea = Idea.objects.get(title=texts["title"])
    assert abs(idea.lat - 50.781) < 0.01 and abs(idea.lon - 2.774) < 0.01
    idea_url = page.url
    logout(page, lang)
    # Another resident supports and comments.
    login(page, "supporter@example.org", lang=lang)
    page.goto(idea_url)
    page.get_by_role("button", name=texts["support"]).click()
    expect(page.get_by_test_id("supports")).to_have_text("1")
    page.fill("#id_body", "Goed idee, ik help mee!")
    page.get_by_role("button", name=texts["comment"]).click()
    expect(page.locator("#comments")).to_contain_text("Goed idee, ik help mee!")
    logout(page, lang)
    # A moderator moves it on.
    login(page, "moderator@example.org", lang=lang)
    page.goto(idea_url)
    page.select_option("#id_status", "under_review")
    page.fill("#id_answer", "We bekijken het met de gemeente.")
    page.get_by_role("button", name=texts["status"]).click()
    expect(page.get_by_test_id("idea-status")).to_have_text(texts["review"])
    logout(page, lang)
    # The author sees the history and the answer.
    login(page, "resident@example.org", lang=lang)
    page.goto(idea_url)
    history = page.get_by_test_id("history")
    expect(history.locator("li")).to_have_count(2)
    expect(history).to_contain_text("We bekijken het met de gemeente.")


def test_the_draft_survives_an_expired_session(page, territory, resident):
    login(page, "resident@example.org")
    page.goto("/nl/ideas/new/")
    page.fill("#id_title", "Een dorpsmoestuin")
    page.fill("#id_description", "Op het braakliggend terrein")
    page.context.clear_cookies()  # the session expires
    page.goto("/nl/ideas/new/")  # → the login page
    page.fill("input[name=login]", "resident@example.org")
    page.fill("input[name=password]", "a-long-test-password")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/nl/ideas/new/$"))
    expect(page.locator("#id_title")).to_have_value("Een dorpsmoestuin")
    expect(page.locator("#draft-notice")).to_be_visible()


@pytest.mark.parametrize("path", ["/nl/ideas/", "/fr/ideas/new/", "/nl/ideas/statistics/", "/fr/ideas/moderation/"])
def test_idea_pages_pass_axe_wcag_aa(page, territory, moderator, path):
    login(page, "moderator@example.org")
    page.goto(path)
    assert_wcag_aa(page)


def test_the_village_is_found_by_typing_its_name_and_the_map_goes_there(page, territory, resident):
    login(page, "resident@example.org", lang="fr")
    page.goto("/fr/ideas/new/")
    page.wait_for_function("() => document.getElementById('id_village').tomselect"
                           " && document.getElementById('idea-map')._partonsMap")
    control = page.locator("#id_village-ts-control")
    control.click()
    control.press_sequentially("Loc", delay=40)
    option = page.get_by_role("listbox").get_by_role("option", name="Locre")  # its French name on the French page
    option.click()
    assert page.locator("#id_village").input_value() == str(territory["villages"]["loker"].pk)
    page.wait_for_function("() => document.getElementById('idea-map')._partonsMap.getZoom() >= 12")
    centre = page.evaluate("() => document.getElementById('idea-map')._partonsMap.getCenter()")
    assert abs(centre["lat"] - 50.781) < 0.01 and abs(centre["lng"] - 2.774) < 0.01
    # a name the region does not know says so
    control.click()
    control.press_sequentially("Xyz", delay=40)
    expect(page.locator(".ts-dropdown .no-results")).to_have_text("Aucun village du territoire ne porte ce nom.")
