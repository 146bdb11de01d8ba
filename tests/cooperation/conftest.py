import datetime

import pytest
from django.utils import timezone

from partons.cooperation import services
from partons.cooperation.models import Group, GroupKind, Organisation
from partons.core.roles import Role

from ..conftest import make_user

MINUTES = "Minutes: the partners agree to move the budget of the discovery days to the second call."
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def orgs(territory):
    return {
        "prov": Organisation.objects.create(name="Provincie West-Vlaanderen", name_other="Province de Flandre-Occidentale",
                                            country=territory["be"], kind="province", programme_role="lead",
                                            contact_role="project coordinator"),
        "cd59": Organisation.objects.create(name="Conseil Départemental du Nord", acronym="CD59", country=territory["fr"],
                                            kind="department", programme_role="partner"),
        "egtc": Organisation.objects.create(name="EGTS West-Vlaanderen/Flandre-Dunkerque-Côte d'Opale", kind="egtc",
                                            programme_role="partner"),
    }


@pytest.fixture
def steering(orgs):
    g = Group.objects.create(kind=GroupKind.STEERING, slug="stuurgroep", name_nl="Stuurgroep Westhoek",
                             name_fr="Comité de pilotage Westhoek", description_nl="Sturing", description_fr="Pilotage")
    g.organisations.set([orgs["prov"], orgs["cd59"]])
    return g


@pytest.fixture
def working(orgs):
    g = Group.objects.create(kind=GroupKind.WORKING, slug="werkgroep", name_nl="Werkgroep observatorium",
                             name_fr="Groupe de travail observatoire")
    g.organisations.set([orgs["egtc"]])
    return g


@pytest.fixture
def people(db):
    return {"chair": make_user("chair@example.org", role=Role.RESIDENT),
            "member": make_user("member@example.org", role=Role.RESIDENT),
            "outsider": make_user("outsider@example.org", role=Role.RESIDENT)}


@pytest.fixture
def members(steering, orgs, people, coordinator):
    chair = services.add_member(by=coordinator, group=steering, user=people["chair"], organisation=orgs["prov"],
                                role="deputy", is_chair=True)
    member = services.add_member(by=coordinator, group=steering, user=people["member"], organisation=orgs["cd59"],
                                 role="project officer")
    return {"chair": chair, "member": member}


@pytest.fixture
def meeting(members, steering, people, territory):
    start = timezone.now() + datetime.timedelta(days=7)
    return services.record_meeting(by=people["chair"], group=steering, title="Spring meeting", starts_at=start,
                                   ends_at=start + datetime.timedelta(hours=2), place="Provinciehuis",
                                   village=territory["villages"]["ieper"], agenda="1. The action plan", minutes=MINUTES)


def pdf(name="verslag.pdf", content=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")
