"""The media library in the open data API: published ones only, the list's filters, errors that name the parameter."""
import datetime

import pytest

from .conftest import PDF, make, upload


@pytest.fixture
def library(db):
    return {
        "report": make(title_nl="Eindrapport Callicanes", title_fr="Rapport final Callicanes", language="bilingual",
                       summary_nl="Een nieuwe rol voor de douanepost.", summary_fr="Un nouveau rôle pour le poste de douane.",
                       theme="village_centres", published_on=datetime.date(2018, 1, 1), date_precision="year",
                       licence="CC BY 4.0", upload=upload("callicanes.pdf"), author_organisation="Maat-ontwerpers"),
        "video": make(kind="video", title_nl="De kiosk", title_fr="Le Kiosque", language="fr", synthetic=True,
                      published_on=datetime.date(2021, 9, 28), url="https://www.partons2-0.eu/"),
        "draft": make(title_nl="Klad", title_fr="Brouillon", published=False),
    }


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


def test_list_gives_published_ones_with_files_links_and_licences(client, library):
    r = client.get("/api/publications")
    assert r.status_code == 200
    body = r.json()
    assert body["numberMatched"] == 2 and body["numberReturned"] == 2 and body["next"] is None
    assert slugs(r) == ["de-kiosk", "eindrapport-callicanes"]
    report = body["items"][1]
    assert report["file"] == {"url": "http://testserver/nl/publications/eindrapport-callicanes/file",
                              "name": "callicanes.pdf", "size_bytes": len(PDF), "content_type": "application/pdf"}
    assert (report["title_nl"], report["title_fr"]) == ("Eindrapport Callicanes", "Rapport final Callicanes")
    assert (report["summary_nl"], report["summary_fr"]) == ("Een nieuwe rol voor de douanepost.",
                                                            "Un nouveau rôle pour le poste de douane.")
    assert (report["licence"], report["synthetic"], report["link"]) == ("CC BY 4.0", False, None)
    assert (report["published_on"], report["date_precision"], report["language"]) == ("2018-01-01", "year", "bilingual")
    video = body["items"][0]
    assert video["file"] is None and video["link"] == "https://www.partons2-0.eu/" and video["synthetic"] is True
    # The file address the API gives works.
    assert client.get(report["file"]["url"].removeprefix("http://testserver")).status_code == 200


@pytest.mark.parametrize("query, expected", [
    ("q=DOUANE+role", ["eindrapport-callicanes"]),
    ("q=kiosque", ["de-kiosk"]),
    ("kind=video", ["de-kiosk"]),
    ("theme=village_centres", ["eindrapport-callicanes"]),
    ("language=fr", ["de-kiosk", "eindrapport-callicanes"]),
    ("language=nl", ["eindrapport-callicanes"]),
    ("year=2018", ["eindrapport-callicanes"]),
    ("year=2019", []),
])
def test_list_filters(client, library, query, expected):
    assert slugs(client.get(f"/api/publications?{query}")) == expected


def test_labels_in_the_language_asked_for(client, library):
    item = client.get("/api/publications?lang=fr&kind=video").json()["items"][0]
    assert (item["title"], item["kind_name"], item["language_name"]) == ("Le Kiosque", "Vidéo", "Français")
    assert client.get("/api/publications?lang=nl&kind=video").json()["items"][0]["title"] == "De kiosk"


def test_pages_follow_limit_and_offset(client, library):
    first = client.get("/api/publications?limit=1").json()
    assert [i["slug"] for i in first["items"]] == ["de-kiosk"]
    assert first["next"].endswith("limit=1&offset=1")
    second = client.get(first["next"].removeprefix("http://testserver")).json()
    assert [i["slug"] for i in second["items"]] == ["eindrapport-callicanes"] and second["next"] is None


@pytest.mark.parametrize("query, parameter", [
    ("kind=book", "kind"), ("theme=weather", "theme"), ("language=de", "language"), ("year=soon", "year"),
    ("year=20", "year"), ("limit=0", "limit"), ("limit=100000", "limit"), ("offset=-1", "offset"), ("q=" + "x" * 101, "q"),
])
def test_bad_parameters_get_a_422_naming_them(client, library, query, parameter):
    r = client.get(f"/api/publications?{query}")
    assert r.status_code == 422
    assert r.json()["detail"].startswith(f"{parameter}:"), r.json()


def test_one_publication_or_a_404(client, library):
    r = client.get("/api/publications/eindrapport-callicanes")
    assert r.status_code == 200 and r.json()["file"]["name"] == "callicanes.pdf"
    for slug in ("klad", "nothing-here"):
        r = client.get(f"/api/publications/{slug}")
        assert r.status_code == 404
        assert r.json() == {"detail": f"publication: no published publication {slug!r}"}


def test_openapi_lists_the_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/publications" in paths and "/api/publications/{slug}" in paths
