"""Every piece of personal data is declared once by its app (how it is exported and erased), and erasing a person
who applied to a call or scored in its jury exports everything first and never changes the call's ranking."""
import json
import os

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile

from partons.calls import selectors as call_selectors
from partons.calls import services as calls
from partons.calls.models import Application, Attachment, AuditEntry, Score
from partons.core import gdpr

from ..calls.conftest import call, costs, jurors  # noqa: F401  (fixtures)
from ..calls.test_services import _submitted

PERSONAL_FIELDS = ("email", "phone")


def holding_personal_data() -> set[str]:
    """Our models that point at a person or store an e-mail address or a phone number."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("partons.") or model is user_model:
            continue
        for f in model._meta.get_fields():
            points_at_person = f.is_relation and not f.auto_created and f.related_model is user_model
            if points_at_person or any(word in f.name for word in PERSONAL_FIELDS):
                found.add(model._meta.label)
    return found


def test_every_model_holding_personal_data_is_declared_by_its_app():
    undeclared = holding_personal_data() - set(gdpr.covered_models())
    assert undeclared == set(), f"declare these in their app's gdpr.declare(...): {sorted(undeclared)}"
    assert {"calls.Application", "calls.JuryAssignment", "ideas.Idea", "events.Registration"} <= holding_personal_data()


def test_a_missing_declaration_is_caught(monkeypatch):
    """Positive control of the test above: without the calls' declaration, their models show up as undeclared."""
    monkeypatch.setattr(gdpr, "DECLARATIONS", [d for d in gdpr.DECLARATIONS if d.section != "calls"])
    undeclared = holding_personal_data() - set(gdpr.covered_models())
    assert {"calls.Application", "calls.JuryAssignment", "calls.BrainstormRequest"} <= undeclared


def test_every_declared_model_exists():
    labels = {m._meta.label for m in apps.get_models()}
    assert set(gdpr.covered_models()) <= labels


@pytest.mark.django_db
def test_erasing_an_applicant_and_a_juror_exports_everything_first_and_keeps_the_ranking(
        call, territory, costs, resident, coordinator, jurors, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    app = _submitted(call, territory, costs, resident, coordinator)
    att = Attachment.objects.create(application=app, name="offerte.pdf", size=8)
    att.file.save("offerte.pdf", ContentFile(b"%PDF-1.4"), save=True)
    path = att.file.path
    a = calls.assign_jurors(by=coordinator, application=app, jurors=jurors[:2])
    crit = list(call.criteria.all())
    calls.score(by=jurors[0], assignment=a[0], values={c.pk: (9, "Sterk plan") for c in crit})
    calls.score(by=jurors[1], assignment=a[1], values={c.pk: (5, "") for c in crit})
    ranking = call_selectors.weighted_score(app)
    audit = AuditEntry.objects.count()

    mine = gdpr.export_personal_data(resident)["calls"]
    assert [x["title"] for x in mine["applications"]] == [app.title]
    assert mine["applications"][0]["files"][0]["name"] == "offerte.pdf" and mine["applications"][0]["budget"]
    theirs = gdpr.export_personal_data(jurors[0])["calls"]
    assert theirs["jury"][0]["scores"][0] == {"criterion": crit[0].name, "score": 9, "comment": "Sterk plan"}
    json.dumps(gdpr.export_personal_data(resident))  # the "My data" file is plain JSON

    juror_id = jurors[0].pk
    gdpr.delete_user(resident)
    gdpr.delete_user(jurors[0])

    app.refresh_from_db()
    assert app.applicant_id is None and app.title  # the call's history keeps the application, unsigned
    assert not Attachment.objects.filter(application=app).exists()
    assert not os.path.exists(path)  # the file is gone from the disk too
    assert Score.objects.filter(assignment__application=app).count() == 2 * len(crit)
    assert call_selectors.weighted_score(app) == ranking  # the ranking is unchanged
    assert AuditEntry.objects.count() == audit and not AuditEntry.objects.filter(by_id=juror_id).exists()


@pytest.mark.django_db
def test_an_applicants_drafts_go_with_their_account(call, territory, costs, resident):
    from ..calls.test_services import draft

    app = draft(resident, call, territory, costs)
    gdpr.delete_user(resident)
    assert not Application.objects.filter(pk=app.pk).exists()
