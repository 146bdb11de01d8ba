"""The demo's past issue: in the archive of both languages, flagged synthetic on its page, loaded once."""
import pytest

from partons.newsletters.demo import load_demo_newsletter
from partons.newsletters.models import Delivery, Issue

pytestmark = pytest.mark.django_db


def test_the_demo_issue_is_flagged_and_loaded_once(client, db):
    import datetime

    from django.utils import timezone

    from partons.calls.models import Call

    opened = timezone.now() - datetime.timedelta(days=30)
    call = Call.objects.create(slug="oproep", title_nl="Leefbare dorpen", title_fr="Villages vivants", text_nl="…",
                               text_fr="…", budget_cents=1, ceiling_cents=1, expected_projects=1, opens_at=opened,
                               deadline=opened + datetime.timedelta(days=90), published=True)
    assert load_demo_newsletter(log=lambda m: None) == {"issues": 1}
    # dated the day the call it announces opened, not the day the demo was loaded
    assert Issue.objects.get().sent_at == opened and list(Issue.objects.get().calls.all()) == [call]
    assert load_demo_newsletter(log=lambda m: None) == {"issues": 0}
    issue = Issue.objects.get()
    assert issue.synthetic and issue.status == Issue.Status.SENT and not Delivery.objects.exists()
    for lang, subject in (("nl", issue.subject_nl), ("fr", issue.subject_fr)):
        archive = client.get(f"/{lang}/newsletter/").content.decode()
        assert subject in archive and 'class="synthetic-tag"' in archive
        page = client.get(f"/{lang}/newsletter/issues/{issue.pk}/").content.decode()
        assert 'data-testid="synthetic"' in page
