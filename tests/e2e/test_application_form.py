"""The application form as an applicant uses it: villages and ideas found by typing, budget lines added and removed
in the page with a running total checked against the ceiling, and all of it saved with the draft."""
import datetime

import pytest
from django.utils import timezone

from .conftest import assert_wcag_aa

pytestmark = pytest.mark.e2e


@pytest.fixture
def open_call(territory):
    from partons.calls.models import Call, CostCategory

    costs = CostCategory.objects.create(code="study", name_nl="Studie", name_fr="Étude")
    now = timezone.now()
    call = Call.objects.create(slug="oproep", title_nl="Leefbare dorpen", title_fr="Villages vivants", text_nl="…",
                               text_fr="…", budget_cents=100_000_00, ceiling_cents=10_000_00, expected_projects=10,
                               applicant_types=["village_council"], opens_at=now - datetime.timedelta(days=1),
                               deadline=now + datetime.timedelta(days=1), published=True)
    call.municipalities.set([territory["heuvelland"], territory["boeschepe"]])
    call.cost_categories.set([costs])
    return call, costs


@pytest.mark.parametrize("lang, width", [("nl", 1366), ("fr", 390)])
def test_villages_ideas_and_budget_lines_in_the_page(page, territory, open_call, resident, lang, width):
    from partons.calls.models import Application
    from partons.ideas import services as ideas

    from .test_services import login

    call, costs = open_call
    idea = ideas.submit_idea(by=resident, title="Een pakjespunt bij de bakker", description="…", theme="services",
                             language="nl", village=territory["villages"]["kemmel"])
    login(page, resident.email, lang=lang)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/{lang}/calls/oproep/apply/")
    page.fill("#id_title", "Dorpsontmoetingspunt")
    # villages: type, pick
    page.locator("#id_villages-ts-control").press_sequentially("Kemm", delay=40)
    page.locator(".ts-dropdown .option", has_text="Kemmel").first.click()
    # leave the villages box (its list closes); a click elsewhere does it for a person, but a headless window without
    # focus may send no blur at all (then blur() changes nothing), so the box is told to close and to let go
    page.evaluate("(ts => { ts.close(); ts.blur(); })(document.getElementById('id_villages').tomselect)")
    page.wait_for_function("() => !document.getElementById('id_villages').tomselect.isOpen")
    assert page.evaluate("Array.from(document.getElementById('id_villages').selectedOptions).map(o => o.text)") == ["Kemmel (Heuvelland, BE)"]
    # ideas: found through the API by words of their title (the box's own search, called as typing calls it)
    with page.expect_response(lambda r: "/api/ideas" in r.url and "q=pakjes" in r.url):
        page.evaluate("document.getElementById('id_idea_numbers').tomselect.load('pakjes')")
    page.wait_for_function("() => Object.values(document.getElementById('id_idea_numbers').tomselect.options)"
                           ".some(o => o.text.includes('pakjespunt'))")
    page.evaluate(f"document.getElementById('id_idea_numbers').tomselect.addItem('{idea.pk}')")
    # budget: two lines are there, a third is added in the page; the total follows, and says when it is too much
    lines = page.locator("#budget-lines tr.budget-line:visible")
    assert lines.count() == 2
    page.click("#add-line")
    assert lines.count() == 3
    for i, amount in enumerate(["4000", "3500.50", "3000"]):
        page.select_option(f"#id_lines-{i}-category", str(costs.pk))
        page.fill(f"#id_lines-{i}-description", f"Post {i + 1}")
        page.fill(f"#id_lines-{i}-amount", amount)
    assert "10" in page.locator("#budget-total").inner_text() and page.locator("#budget-over").is_visible()
    lines.nth(2).get_by_role("button").click()  # removed: the total goes back under the ceiling
    assert lines.count() == 2 and not page.locator("#budget-over").is_visible()
    assert "7" in page.locator("#budget-total").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_wcag_aa(page)
    page.locator("button[name=save]").click()
    page.wait_for_url("**/edit/")
    app = Application.objects.get()
    assert [v.slug for v in app.villages.all()] == ["kemmel"]
    assert app.language == lang  # the page's language, chosen unless the applicant says otherwise
    assert list(app.ideas.all()) == [idea]
    assert sorted(line.amount_cents for line in app.budget_lines.all()) == [350050, 400000]
