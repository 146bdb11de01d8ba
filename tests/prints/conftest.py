"""A small cross-border region with something on every map: services on both sides (with their history), access
figures computed from them, a visible and a hidden idea, a published and an unpublished event, a funded project of a
call whose results are out and one of a call whose results are not."""
import datetime
import io

import pytest
from django.utils import timezone

from partons.analysis.services import compute_access
from partons.calls.models import Application, Call
from partons.core.roles import Role
from partons.events.models import Event
from partons.ideas.models import Idea
from partons.observatory.models import Facility, FacilityChange, ServiceCategory

from ..conftest import make_user


def _synthetic_note(lang: str) -> str:
    """The synthetic note's opening words as the catalogue of `lang` has them today (its wording may change)."""
    from django.utils import translation

    from partons.prints.drawing import synthetic_note

    with translation.override(lang):
        return synthetic_note().split(":")[0].removeprefix("⚠ ")


SYNTHETIC_NL = _synthetic_note("nl")


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")


def _call(slug, nl, fr, *, published_results: bool):
    now = timezone.now()
    return Call.objects.create(slug=slug, title_nl=nl, title_fr=fr, text_nl="Oproep", text_fr="Appel",
                               budget_cents=10_000_000, ceiling_cents=1_000_000, expected_projects=5,
                               applicant_types=["association"], opens_at=now - datetime.timedelta(days=90),
                               deadline=now - datetime.timedelta(days=30), published=True,
                               results_published_at=now - datetime.timedelta(days=5) if published_results else None)


def _project(call, title, villages, status=Application.Status.SELECTED):
    app = Application.objects.create(call=call, organisation="Dorpsraad", applicant_type="association", title=title,
                                     idea="Idee", participants="Bewoners", timeline="2027", status=status,
                                     granted_cents=500_000 if status == Application.Status.SELECTED else None)
    app.villages.set(villages)
    return app


@pytest.fixture
def region(territory):
    v = territory["villages"]
    cats = {c.code: c for c in ServiceCategory.objects.all()}
    made = {}
    for key, cat, name, village, lon, lat, closed in [
        ("kemmel_bakery", "bakery", "Bakkerij Kemmel", "kemmel", 2.8275, 50.7835, None),
        ("kemmel_pharmacy", "pharmacy", "Apotheek Kemmel", "kemmel", 2.8280, 50.7830, None),
        ("loker_cafe", "cafe", "Café De Lokerhof", "loker", 2.7745, 50.7815, datetime.date(2019, 6, 1)),
        ("boeschepe_bakery", "bakery", "Boulangerie de Boeschèpe", "boeschepe", 2.6905, 50.8002, None),
        ("boeschepe_gp", "gp", "Cabinet médical Boeschèpe", "boeschepe", 2.6910, 50.7995, None),
        ("bergues_bakery", "bakery", "Boulangerie des Remparts", "bergues", 2.4325, 50.9685, None),
    ]:
        f = Facility.objects.create(category=cats[cat], name=name, lon=lon, lat=lat, village=v[village],
                                    source="OpenStreetMap", source_id=key, licence="ODbL 1.0",
                                    opened_on=datetime.date(2001, 1, 1), closed_on=closed)
        FacilityChange.objects.create(facility=f, kind="created", effective_on=datetime.date(2001, 1, 1))
        if closed:
            FacilityChange.objects.create(facility=f, kind="closed", effective_on=closed)
        made[key] = f
    compute_access()
    author = make_user("author@example.org", role=Role.RESIDENT)
    ideas = {
        "visible": Idea.objects.create(author=author, title="Een bankje aan de kerk van Kemmel", description="Tekst",
                                       theme="meeting_places", language="nl", village=v["kemmel"], search_text="bankje"),
        "hidden": Idea.objects.create(author=author, title="Verborgen idee over Loker", description="Tekst",
                                      theme="services", language="nl", village=v["loker"], hidden=True,
                                      search_text="verborgen"),
        "french": Idea.objects.create(author=author, title="Un marché du dimanche à Boeschèpe", description="Texte",
                                      theme="food", language="fr", village=v["boeschepe"], search_text="marche"),
    }
    start = timezone.now() + datetime.timedelta(days=10)
    events = {
        "published": Event.objects.create(slug="ontdekkingsdag-kemmel", type="discovery_day",
                                          title_nl="Ontdekkingsdag Kemmelberg", title_fr="Journée découverte du mont Kemmel",
                                          starts_at=start, ends_at=start + datetime.timedelta(hours=4), village=v["kemmel"],
                                          languages=["nl", "fr"], published=True),
        "unpublished": Event.objects.create(slug="geheime-dag", type="discovery_day", title_nl="Geheime dag in Kemmel",
                                            title_fr="Journée secrète à Kemmel", starts_at=start,
                                            ends_at=start + datetime.timedelta(hours=4), village=v["kemmel"],
                                            languages=["nl"], published=False),
        "french": Event.objects.create(slug="lancement-boeschepe", type="launch", title_nl="Startdag in Boeschepe",
                                       title_fr="Lancement à Boeschèpe", starts_at=start + datetime.timedelta(days=3),
                                       ends_at=start + datetime.timedelta(days=3, hours=2), village=v["boeschepe"],
                                       languages=["fr"], published=True),
    }
    out = _call("dorpen-in-beweging", "Dorpen in beweging", "Villages en mouvement", published_results=True)
    pending = _call("nog-geheim", "Nog geheime oproep", "Appel encore secret", published_results=False)
    projects = {
        "funded": _project(out, "Speelplein Kemmel", [v["kemmel"]]),
        "funded_fr": _project(out, "Jardin partagé de Boeschèpe", [v["boeschepe"]]),
        "rejected": _project(out, "Afgewezen project Loker", [v["loker"]], status=Application.Status.NOT_SELECTED),
        "not_out": _project(pending, "Nog niet bekend project Kemmel", [v["kemmel"]]),
    }
    return {**territory, "facilities": made, "ideas": ideas, "events": events, "projects": projects}
