import datetime

import pytest
from django.utils import timezone

from partons.calls.models import Call, CostCategory, Criterion
from partons.core.roles import Role

from ..conftest import make_user

EUR = 100


@pytest.fixture
def costs(db):
    return {code: CostCategory.objects.create(code=code, name_nl=nl, name_fr=fr) for code, nl, fr in [
        ("study", "Enquête, haalbaarheidsstudie", "Enquête, étude de faisabilité"),
        ("expert", "Participatie-expert", "Expert en participation"),
        ("materials", "Kleine materialen", "Petit matériel"),
        ("catering", "Catering", "Restauration"),
    ]}


@pytest.fixture
def call(territory, costs):
    now = timezone.now()
    c = Call.objects.create(slug="maak-werk-van-je-buurt", title_nl="Maak werk van je buurt", title_fr="Agissez dans votre quartier",
                            text_nl="Oproep", text_fr="Appel", budget_cents=100_000 * EUR, ceiling_cents=10_000 * EUR,
                            expected_projects=10, applicant_types=["residents_platform", "village_council", "association"],
                            opens_at=now - datetime.timedelta(days=10), deadline=now + datetime.timedelta(days=10),
                            published=True)
    c.municipalities.set([territory["heuvelland"], territory["boeschepe"]])
    c.cost_categories.set([costs["study"], costs["expert"], costs["materials"]])
    Criterion.objects.create(call=c, name_nl="Participatie van bewoners", name_fr="Participation des habitants", weight=3)
    Criterion.objects.create(call=c, name_nl="Haalbaarheid", name_fr="Faisabilité", weight=1)
    return c


@pytest.fixture
def jurors(db):
    return [make_user(f"jury{i}@example.org", role=Role.JURY_MEMBER) for i in range(3)]
