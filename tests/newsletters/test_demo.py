"""The demo's past issue: in the archive of both languages, flagged synthetic on its page, loaded once."""
import pytest

from partons.newsletters.demo import load_demo_newsletter
from partons.newsletters.models import Delivery, Issue

pytestmark = pytest.mark.django_db


def test_the_demo_issue_is_flagged_and_loaded_once(client, db):
    assert load_demo_newsletter(log=lambda m: None) == {"issues": 1}
    assert load_demo_newsletter(log=lambda m: None) == {"issues": 0}
    issue = Issue.objects.get()
    assert issue.synthetic and issue.status == Issue.Status.SENT and not Delivery.objects.exists()
    for lang, subject in (("nl", issue.subject_nl), ("fr", issue.subject_fr)):
        archive = client.get(f"/{lang}/newsletter/").content.decode()
        assert subject in archive and 'class="synthetic-tag"' in archive
        page = client.get(f"/{lang}/newsletter/issues/{issue.pk}/").content.decode()
        assert 'data-testid="synthetic"' in page
