"""The demo media library: idempotent, honest about what is real, and free of personal data."""
import re

import pytest

from partons.publications.demo import PUBLICATIONS, load_demo_publications
from partons.publications.models import Publication

# People named in the source documents: none of them may appear in demo data.
NAMES_IN_SOURCES = ("Noels", "Polin", "Naulin", "Naeyaert", "Gheleyns", "Thissen")


@pytest.mark.django_db
def test_demo_loads_once():
    assert load_demo_publications(log=lambda m: None) == {"publications": len(PUBLICATIONS)}
    assert load_demo_publications(log=lambda m: None) == {"publications": 0}
    assert Publication.objects.published().count() == len(PUBLICATIONS)


@pytest.mark.django_db
def test_demo_is_honest_about_what_is_real():
    load_demo_publications(log=lambda m: None)
    real = set(Publication.objects.filter(synthetic=False).values_list("slug", flat=True))
    assert real == {"masterplan-callicanes-2018", "de-pastorietuin-van-kortemark", "le-kiosque-de-poix-du-nord",
                    "slotmoment-partons-2-0-presentaties"}
    callicanes = Publication.objects.get(slug="masterplan-callicanes-2018")
    assert callicanes.published_on.year == 2018 and callicanes.date_precision == "year"
    assert callicanes.url.startswith("https://www.partons2-0.eu/fr/portail/108/mediatheque/38993/")
    for video in Publication.objects.filter(kind="video"):
        assert video.url and not video.file and str(video.published_on) == "2021-09-28"
    # Every summary is ours, and says so; no record has a file; the synthetic ones have no link either.
    assert not Publication.objects.filter(summary_by_platform=False).exists()
    assert not Publication.objects.exclude(file="").exists()
    assert not Publication.objects.filter(synthetic=True).exclude(url="").exists()


@pytest.mark.django_db
def test_demo_holds_no_personal_data():
    load_demo_publications(log=lambda m: None)
    for p in Publication.objects.all():
        text = " ".join((p.title_nl, p.title_fr, p.summary_nl, p.summary_fr, p.author_organisation, p.url))
        assert "@" not in text and not re.search(r"\d{2,3}[ ./]\d{2}[ ./]\d{2}[ ./]\d{2}", text), p.slug
        for name in NAMES_IN_SOURCES:
            assert name not in text, (p.slug, name)


@pytest.mark.django_db
def test_demo_pages_render(client):
    load_demo_publications(log=lambda m: None)
    html = client.get("/fr/publications/le-kiosque-de-poix-du-nord/").content.decode()
    assert "Le Kiosque de Poix-du-Nord" in html and 'data-testid="summary-by-platform"' in html
    listing = client.get("/nl/publications/?kind=video").content.decode()
    assert "De Pastorietuin van Kortemark" in listing and "Le Kiosque de Poix-du-Nord" in listing
