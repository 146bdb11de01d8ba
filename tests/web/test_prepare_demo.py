"""`make run` prepares the demo with `partons prepare-demo`: the first time everything is loaded and computed, the
second time (nothing changed) nothing is loaded or computed again."""
import pytest
from django.core.management import call_command

from partons.analysis.models import AccessRun
from partons.territory.models import Municipality, Village


def _prepare(capsys):
    call_command("prepare_demo")  # it runs other commands, which print on the standard output
    return capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_a_second_start_loads_and_computes_nothing(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    first = _prepare(capsys)
    villages = Village.objects.count()
    runs = AccessRun.objects.count()
    assert villages > 300 and runs >= 1 and "Demo accounts" in first and "jury1@example.org" in first
    # no reference folder: the Belgian municipalities are areas too (the project's extract), as the French ones
    be = Municipality.objects.filter(country__code="BE")
    assert be.count() == 18 and not be.filter(boundary__isnull=True).exists()
    assert Municipality.objects.filter(country__code="FR", boundary__isnull=False).count() > 300
    # the demo tells the whole story: a jury that scored the 2019 call, ideas from residents on both sides
    from partons.calls.models import Score
    from partons.ideas.models import Idea

    assert Score.objects.filter(assignment__application__call__slug="maak-werk-van-je-buurt-2019").count() > 50
    ideas = Idea.objects.filter(synthetic=True)
    assert {"nl", "fr"} <= set(ideas.values_list("language", flat=True))
    assert ideas.filter(supports_count__gt=0).exists() and ideas.exclude(answer="").exists()
    assert ideas.filter(applications__isnull=False).exists()  # one turned into a 2019 project
    from partons.observatory.models import Report

    assert Report.objects.filter(synthetic=True, status="open").count() >= 2  # waiting for the moderators
    second = _prepare(capsys)
    assert "is up to date" in second and "access figures are up to date" in second
    assert AccessRun.objects.count() == runs  # nothing computed again
    # positive control: when what the demo is made from changed, it is loaded again
    (tmp_path / "demo-loaded.json").write_text('{"fingerprint": "old"}', encoding="utf-8")
    third = _prepare(capsys)
    assert "Demo region" in third and "is up to date (nothing" not in third
