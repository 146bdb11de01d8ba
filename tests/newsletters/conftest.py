import pytest

from partons.newsletters.models import Subscription


@pytest.fixture
def subscribe_to():
    """A confirmed subscriber with choices (as after following the confirmation link)."""
    from django.utils import timezone

    def make(email, language="nl", themes=(), villages=(), municipalities=()):
        sub = Subscription.objects.create(email=email, language=language, themes=list(themes),
                                          status=Subscription.Status.CONFIRMED, consent_at=timezone.now())
        sub.villages.set(villages)
        sub.municipalities.set(municipalities)
        return sub

    return make
