"""An applicant drafts, saves and submits; errors appear next to what caused them; nothing typed is lost."""
import datetime

import pytest
from django.utils import timezone

from partons.calls.models import Application


def form_data(territory, costs, **over):
    data = {"organisation": "Dorpsraad Loker", "applicant_type": "village_council", "title": "Dorpsontmoetingspunt",
            "idea": "Een ontmoetingsplek", "villages": [territory["villages"]["loker"].pk], "participants": "Alle bewoners",
            "partners": "", "timeline": "Najaar",
            "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "20",
            "lines-0-category": costs["study"].pk, "lines-0-description": "Enquête", "lines-0-amount": "6000",
            "lines-1-category": "", "lines-1-description": "", "lines-1-amount": ""}
    data.update(over)
    return data


@pytest.mark.django_db
def test_draft_then_submit(client, call, territory, costs, resident):
    client.force_login(resident)
    r = client.post(f"/nl/calls/{call.slug}/apply/", {**form_data(territory, costs, title=""), "save": "1"})
    app = Application.objects.get()
    assert r.status_code == 302 and app.status == "draft" and app.requested_cents == 600_000
    # Coming back continues the same draft.
    assert client.get(f"/nl/calls/{call.slug}/apply/")["Location"] == f"/nl/calls/applications/{app.pk}/edit/"
    # Submitting without a title: the error is next to the title, the draft is kept.
    r = client.post(f"/nl/calls/applications/{app.pk}/edit/", {**form_data(territory, costs, title=""), "submit": "1"})
    html = r.content.decode()
    assert r.status_code == 200 and 'id="id_title_error"' in html and "Een ontmoetingsplek" in html
    # Over the ceiling: the budget says so.
    r = client.post(f"/nl/calls/applications/{app.pk}/edit/", {**form_data(territory, costs, **{"lines-0-amount": "12000"}),
                                                               "submit": "1"})
    assert 'id="budget-errors"' in r.content.decode()
    r = client.post(f"/nl/calls/applications/{app.pk}/edit/", {**form_data(territory, costs), "submit": "1"})
    app.refresh_from_db()
    assert r.status_code == 302 and app.status == "submitted"
    page = client.get(f"/nl/calls/applications/{app.pk}/").content.decode()
    assert 'data-testid="application-status"' in page and "Dorpsontmoetingspunt" in page
    # A submitted application can no longer be edited.
    assert client.get(f"/nl/calls/applications/{app.pk}/edit/")["Location"] == f"/nl/calls/applications/{app.pk}/"


@pytest.mark.django_db
def test_an_application_is_marked_with_the_language_it_is_written_in(client, call, territory, costs, resident):
    import re

    client.force_login(resident)
    # The form offers the page's language first; the applicant may write in the other one.
    form = client.get(f"/fr/calls/{call.slug}/apply/").content.decode()
    assert re.search(r'<input type="radio" name="language" value="fr"[^>]*checked', form)
    assert not re.search(r'<input type="radio" name="language" value="nl"[^>]*checked', form)
    client.post(f"/nl/calls/{call.slug}/apply/", {**form_data(territory, costs, title="Maison de village",
                                                                 idea="Un lieu de rencontre", language="fr"), "save": "1"})
    app = Application.objects.get()
    assert app.language == "fr"
    # A form sent without the choice keeps the draft's language.
    client.post(f"/nl/calls/applications/{app.pk}/edit/", {**form_data(territory, costs, title="Maison de village",
                                                                          idea="Un lieu de rencontre"), "save": "1"})
    app.refresh_from_db()
    assert app.language == "fr"
    # Read on the Dutch page, the title and the texts are marked as French (read aloud in French), and said to be so.
    page = client.get(f"/nl/calls/applications/{app.pk}/").content.decode()
    assert '<h1><span lang="fr">Maison de village</span> <span class="lang-tag" lang="nl">(in het Frans)</span></h1>' in page
    assert '<div lang="fr"><p>Un lieu de rencontre</p></div>' in page
    mine = client.get("/nl/calls/applications/").content.decode()
    assert '<span lang="fr">Maison de village</span>' in mine
    # positive control: on the French page the French title needs no mention of its language
    page = client.get(f"/fr/calls/applications/{app.pk}/").content.decode()
    assert '<h1><span lang="fr">Maison de village</span></h1>' in page and "lang-tag" not in page
    assert client.get("/nl/accounts/my-data/export.json").json()["calls"]["applications"][0]["language"] == "fr"


@pytest.mark.django_db
def test_incomplete_budget_lines_are_refused_in_place(client, call, territory, costs, resident):
    client.force_login(resident)
    r = client.post(f"/nl/calls/{call.slug}/apply/", {**form_data(territory, costs, **{"lines-1-description": "Stoelen"}),
                                                     "save": "1"})
    assert r.status_code == 200 and not Application.objects.exists()


@pytest.mark.django_db
def test_closed_calls_take_no_application(client, call, territory, costs, resident):
    call.deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save()
    client.force_login(resident)
    r = client.get(f"/nl/calls/{call.slug}/apply/")
    assert r.status_code == 302 and r["Location"] == f"/nl/calls/{call.slug}/"


@pytest.mark.django_db
def test_others_cannot_see_an_application(client, call, territory, costs, resident, moderator):
    client.force_login(resident)
    client.post(f"/nl/calls/{call.slug}/apply/", {**form_data(territory, costs), "save": "1"})
    app = Application.objects.get()
    client.force_login(moderator)
    assert client.get(f"/nl/calls/applications/{app.pk}/").status_code == 404
    assert client.get(f"/nl/calls/applications/{app.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_attachments_are_checked_and_private(client, call, territory, costs, resident, moderator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(resident)
    fake = SimpleUploadedFile("offerte.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    r = client.post(f"/nl/calls/{call.slug}/apply/", {**form_data(territory, costs), "save": "1", "attachments": [fake]})
    assert r.status_code == 200 and "offerte.pdf" in r.content.decode()  # refused, named
    pdf = SimpleUploadedFile("offerte.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", content_type="application/pdf")
    app = Application.objects.get()  # the draft itself was saved
    r = client.post(f"/nl/calls/applications/{app.pk}/edit/", {**form_data(territory, costs), "save": "1", "attachments": [pdf]})
    att = app.attachments.get()
    assert att.name == "offerte.pdf" and "offerte" not in att.file.name  # stored under a random name
    r = client.get(f"/nl/calls/applications/{app.pk}/files/{att.pk}")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    client.force_login(moderator)
    assert client.get(f"/nl/calls/applications/{app.pk}/files/{att.pk}").status_code == 404


@pytest.mark.django_db
def test_an_application_links_to_the_ideas_it_comes_from(client, call, territory, costs, resident):
    from partons.ideas import services as ideas

    idea = ideas.submit_idea(by=resident, title="Een ontmoetingsplek", description="…", theme="meeting_places",
                             language="nl", village=territory["villages"]["loker"])
    client.force_login(resident)
    r = client.post(f"/nl/calls/{call.slug}/apply/", {**form_data(territory, costs), "save": "1", "idea_numbers": "99999"})
    assert r.status_code == 200 and "99999" in r.content.decode()
    client.post(f"/nl/calls/{call.slug}/apply/", {**form_data(territory, costs), "save": "1", "idea_numbers": [str(idea.pk)]})
    app = Application.objects.get()
    assert list(app.ideas.all()) == [idea]
    # the draft names the chosen idea by its title, and only it: the others are found by searching
    page = client.get(f"/nl/calls/applications/{app.pk}/edit/").content.decode()
    assert f'<option value="{idea.pk}" selected>#{idea.pk} Een ontmoetingsplek</option>' in page
    other = ideas.submit_idea(by=resident, title="Een andere", description="…", theme="other", language="nl",
                              village=territory["villages"]["loker"])
    assert "Een andere" not in client.get(f"/nl/calls/applications/{app.pk}/edit/").content.decode()
    assert other.pk in [f["id"] for f in client.get("/api/ideas?q=andere").json()["features"]]
