"""The public pages of the calls for projects pass the WCAG 2.1 AA checks."""
import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/nl/calls/", "/fr/calls/maak-werk-van-je-buurt-2019/", "/nl/calls/portfolio/"])
def test_call_pages_pass_axe_wcag_aa(page, territory, path):
    import json

    from django.conf import settings

    from partons.calls.demo import load_demo_calls

    load_demo_calls(log=lambda m: None)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(settings.NODE_MODULES_DIR / "axe-core" / "axe.min.js"))
    result = page.evaluate("() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], json.dumps(violations, indent=1)
