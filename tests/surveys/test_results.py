"""Aggregated results: counts per choice, per side of the border and per village; free texts; CSV (defused); the
number of queries does not grow with the answers."""
import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partons.surveys import selectors, services

from ..conftest import url
from .conftest import answers


def fill(qs, territory, coordinator):
    v = territory["villages"]
    anon = AnonymousUser()
    # Two Belgians (Kemmel, Loker), one French (Boeschepe), one without a village; one of them on paper.
    services.submit(survey=qs["survey"], by=anon, client_key="a", data=answers(
        qs, shop="Ja", services=["Bakker", "Bus"], scale="5", village=v["kemmel"]))
    services.submit(survey=qs["survey"], by=anon, client_key="b", data=answers(
        qs, shop="Nee", why="=HYPERLINK(\"http://evil\")", services=["Bus"], scale="3", village=v["loker"]))
    services.submit(survey=qs["survey"], by=anon, client_key="c", data=answers(
        qs, shop="Nee", why="Te ver weg", scale="4", village=v["boeschepe"], point=("2.69", "50.80")))
    services.enter_paper_answer(by=coordinator, survey=qs["survey"], data=answers(qs, shop="Ja", scale="4",
                                                                                  name="Op papier"))


def rows(item):
    return {r["label"]: (r["total"], r["BE"], r["FR"], r["unknown"]) for r in item["rows"]}


def test_counts_per_choice_side_and_village(full_survey, territory, coordinator):
    qs = full_survey
    fill(qs, territory, coordinator)
    res = selectors.results(qs["survey"])
    assert (res["responses"], res["online"], res["paper"]) == (4, 3, 1)
    assert res["by_side"] == {"BE": 2, "FR": 1, "unknown": 1}
    assert {r["village"].slug: r["n"] for r in res["by_village"]} == {"kemmel": 1, "loker": 1, "boeschepe": 1}
    by_q = {item["question"].pk: item for item in res["questions"]}
    assert rows(by_q[qs["shop"].pk]) == {"Ja": (2, 1, 0, 1), "Nee": (2, 1, 1, 0)}
    assert rows(by_q[qs["services"].pk]) == {"Bakker": (1, 1, 0, 0), "Huisarts": (0, 0, 0, 0), "Bus": (2, 2, 0, 0)}
    assert by_q[qs["services"].pk]["answered"] == 2
    assert rows(by_q[qs["scale"].pk]) == {"1": (0, 0, 0, 0), "2": (0, 0, 0, 0), "3": (1, 1, 0, 0), "4": (2, 0, 1, 1),
                                          "5": (1, 1, 0, 0)}
    assert by_q[qs["scale"].pk]["mean"] == 4.0
    # A village question counts by the side of the village chosen.
    assert rows(by_q[qs["village"].pk]) == {"Kemmel": (1, 1, 0, 0), "Loker": (1, 1, 0, 0), "Boeschepe": (1, 0, 1, 0)}
    assert [t["text"] for t in by_q[qs["why"].pk]["texts"]] == ["=HYPERLINK(\"http://evil\")", "Te ver weg"]
    assert [(t["text"], t["on_paper"]) for t in by_q[qs["name"].pk]["texts"]] == [("Op papier", True)]
    assert by_q[qs["point"].pk]["points"] == [{"lon": 2.69, "lat": 50.8, "on_paper": False}]


def test_filtered_by_side_and_village(full_survey, territory, coordinator):
    qs = full_survey
    fill(qs, territory, coordinator)
    fr = selectors.results(qs["survey"], side="FR")
    assert fr["responses"] == 1 and rows(fr["questions"][0]) == {"Ja": (0, 0, 0, 0), "Nee": (1, 0, 1, 0)}
    loker = selectors.results(qs["survey"], village=territory["villages"]["loker"])
    assert loker["responses"] == 1 and loker["by_side"] == {"BE": 1, "FR": 0, "unknown": 0}


def test_results_take_a_fixed_number_of_queries(full_survey, territory, coordinator):
    qs = full_survey
    fill(qs, territory, coordinator)
    with CaptureQueriesContext(connection) as few:
        selectors.results(qs["survey"])
    fill(qs, territory, coordinator)
    fill(qs, territory, coordinator)
    with CaptureQueriesContext(connection) as many:
        selectors.results(qs["survey"])
    assert len(many) == len(few)


def test_csv_export_defuses_formulas_and_marks_paper(client, full_survey, territory, coordinator):
    qs = full_survey
    fill(qs, territory, coordinator)
    client.force_login(coordinator)
    response = client.get(url("surveys:results_csv", slug=qs["survey"].slug))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = table[0], table[1:]
    assert header[:6] == ["response", "source", "answered_at", "village", "side", "language"]
    assert header[6].startswith("q1_single: ")
    assert [r[1] for r in body] == ["online", "online", "online", "paper"]
    assert [r[4] for r in body] == ["BE", "BE", "FR", ""]
    assert [r[5] for r in body] == ["nl", "nl", "nl", ""]  # written on Dutch pages (the tests' language); paper: none
    why = header.index(next(h for h in header if h.startswith("q2_")))
    assert body[1][why] == "'=HYPERLINK(\"http://evil\")"  # defused
    services_col = header.index(next(h for h in header if h.startswith("q3_")))
    assert body[0][services_col] == "Bakker; Bus"


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_csv_is_for_those_who_manage_the_survey(client, full_survey, resident, coordinator, who):
    if who == "resident":
        client.force_login(resident)
    response = client.get(url("surveys:results_csv", slug=full_survey["survey"].slug))
    assert response.status_code in (302, 403)
    client.force_login(coordinator)  # positive control
    assert client.get(url("surveys:results_csv", slug=full_survey["survey"].slug)).status_code == 200
