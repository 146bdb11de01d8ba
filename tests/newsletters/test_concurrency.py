"""Two workers sending the same issue at once (a resumed sending while the old batch still runs): each message is
claimed by one of them only, so no one gets the issue twice. Proven on PostgreSQL, where workers truly run together
(SQLite serialises every write, and the embedded default is one process)."""
import pytest
from django.core import mail
from django.db import connection

from partons.newsletters import services
from partons.newsletters.models import Delivery, Issue, Subscription

from ..events.test_concurrency import run_together

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent workers are proven on PostgreSQL")]


def test_two_workers_never_send_the_same_message(settings, coordinator):
    from django.utils import timezone

    settings.NEWSLETTER_RATE = "1000/min"
    Subscription.objects.bulk_create([Subscription(email=f"r{i}@example.org", language="nl" if i % 2 else "fr",
                                                   status="confirmed", consent_at=timezone.now()) for i in range(120)])
    issue = Issue.objects.create(subject_nl="Nieuws", subject_fr="Nouvelles", body_nl="Tekst", body_fr="Texte",
                                 status=Issue.Status.SENDING)
    Delivery.objects.bulk_create([Delivery(issue=issue, subscription=s, language=s.language)
                                  for s in Subscription.objects.all()])  # as start_sending leaves them
    results, errors = run_together([lambda: services.send_batch.call(issue_id=issue.pk) for _ in range(4)])
    assert not errors
    received = [m.to[0] for m in mail.outbox]
    assert len(received) == 120 and len(set(received)) == 120
    assert Delivery.objects.filter(status="sent").count() == 120
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT

