"""The same person sends their answers from two tabs at the same instant: one response is kept, the other gets the
clear message, never an error. The database's UniqueConstraint decides; proven with real threads on PostgreSQL
(SQLite serialises every write; test_services.py proves the message on every database)."""
import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from partons.core.roles import Role
from partons.surveys import services
from partons.surveys.models import Response, Survey

from ..conftest import make_user
from ..events.test_concurrency import run_together

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="simultaneous writes are proven on PostgreSQL")]

TABS = 8


def test_simultaneous_answers_of_one_person_keep_one(make_survey, monkeypatch):
    s = make_survey(access=Survey.Access.SIGNED_IN)
    user = make_user("twotabs@example.org", role=Role.RESIDENT)
    others = [make_user(f"p{i}@example.org", role=Role.RESIDENT) for i in range(TABS)]
    # Everyone passes the early check at once: only the database can tell.
    monkeypatch.setattr(services.selectors, "has_answered", lambda u, survey: False)
    jobs = [lambda: services.submit(survey=s, by=user, data={}, client_key="x") for _ in range(TABS)]
    jobs += [lambda u=u: services.submit(survey=s, by=u, data={}, client_key="x") for u in others]
    results, errors = run_together(jobs)
    assert Response.objects.filter(survey=s, user=user).count() == 1
    assert Response.objects.filter(survey=s).count() == 1 + TABS  # nobody else lost
    assert len(errors) == TABS - 1
    assert all(isinstance(e, ValidationError) and e.messages == [services.already_answered_message()] for e in errors)
