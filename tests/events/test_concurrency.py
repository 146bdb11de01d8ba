"""Many people register (and cancel) at the same moment: never more registrations than places, nobody lost, the
count kept right. Row locks are what make this true, so it is proven on PostgreSQL (CI runs the suite on it too;
SQLite serialises every write anyway and the embedded default is one process)."""
import random
import threading

import pytest
from django.db import connection, connections

from partons.core.roles import Role
from partons.events import services
from partons.events.models import Registration

from ..conftest import make_user

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are proven on PostgreSQL")]

THREADS = 24


def run_together(fns):
    """Start every function at the same instant, each in its own thread and database connection."""
    barrier = threading.Barrier(len(fns))
    results, errors = [None] * len(fns), []

    def work(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def check_invariants(event):
    event.refresh_from_db()
    confirmed = list(event.registrations.filter(status="confirmed"))
    waiting = list(event.registrations.filter(status="waiting").order_by("created_at", "pk"))
    taken = sum(r.seats for r in confirmed)
    assert taken <= event.capacity, f"{taken} places given for {event.capacity}"
    assert event.seats_taken == taken
    if waiting:  # nobody waits while their place is free
        assert waiting[0].seats > event.capacity - taken
    return confirmed, waiting


def test_simultaneous_registrations_never_exceed_the_places(make_event):
    event = make_event(capacity=10)
    users = [make_user(f"c{i}@example.org", role=Role.RESIDENT) for i in range(THREADS)]
    rng = random.Random(7)
    companions = [rng.choice([0, 0, 1, 2]) for _ in users]
    results, errors = run_together([lambda u=u, c=c: services.register(by=u, event=event, companions=c)
                                    for u, c in zip(users, companions)])
    assert errors == []
    assert Registration.objects.filter(event=event).count() == THREADS  # nobody lost
    confirmed, waiting = check_invariants(event)
    assert len(confirmed) + len(waiting) == THREADS
    assert {r.pk for r in results if r.status == "confirmed"} == {r.pk for r in confirmed}


def test_simultaneous_cancellations_and_registrations(make_event):
    event = make_event(capacity=8)
    first = [make_user(f"a{i}@example.org", role=Role.RESIDENT) for i in range(12)]
    regs = [services.register(by=u, event=event) for u in first]  # 8 confirmed, 4 waiting
    newcomers = [make_user(f"n{i}@example.org", role=Role.RESIDENT) for i in range(8)]
    jobs = [lambda r=r: services.cancel(by=r.user, registration=r) for r in regs[:8]]
    jobs += [lambda u=u: services.register(by=u, event=event) for u in newcomers]
    _results, errors = run_together(jobs)
    assert errors == []
    confirmed, waiting = check_invariants(event)
    assert len(confirmed) == 8  # every freed place was given again
    # The four who were already waiting came first.
    assert {r.pk for r in regs[8:]} <= {r.pk for r in confirmed}
