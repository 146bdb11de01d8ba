"""Who may run and save what-if scenarios and change the settings of the access figures, role by role: every role
tries every action, coordinators and analysts run scenarios, coordinators alone change the settings; the others are
refused and nothing changes. The services refuse by themselves too. No figure is computed here: a scenario runs on
the straight-line model of two bakeries, and a requested computation is recorded but not run."""
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from partons.analysis import engine, services
from partons.analysis.forms import AccessSettingsForm
from partons.analysis.models import AccessRun, AccessSettings, Scenario
from partons.core.roles import Role, revoke_role
from partons.observatory.models import ServiceCategory

from ..conftest import is_login_redirect, make_user, person, sign_in, url

ROLES = ["anonymous", "resident", "owner", "moderator", "coordinator", "analyst", "jury_member"]
SCENARIO_ROLES = {"coordinator", "analyst"}
SETTINGS_ROLES = {"coordinator"}


@pytest.fixture
def border_bakery(bakeries):
    """Closing the bakery across the border leaves Loker's 564 residents beyond 15 minutes by bike."""
    engine.CACHE.clear()  # per process: built from this test's villages and bakeries, not an earlier test's
    yield bakeries["border"]
    engine.CACHE.clear()


@pytest.fixture
def owner(db):
    """A former analyst: they saved a scenario and changed the settings once, then lost the role. What they made
    gives them no right."""
    user = make_user("owner@example.org", role=Role.ANALYST)
    Scenario.objects.create(name="Oud scenario", category=ServiceCategory.objects.get(code="bakery"), mode="walk",
                            created_by=user)
    AccessSettings.objects.filter(pk=AccessSettings.current().pk).update(updated_by=user)
    revoke_role(user, Role.ANALYST)
    return user


# --- running a scenario (JSON, nothing saved) -------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_and_analysts_run_a_scenario(client, border_bakery, owner, role):
    sign_in(client, role, owner)
    body = json.dumps({"category": "bakery", "mode": "bike", "closed": [border_bakery.pk]})
    r = client.post(url("analysis:scenario_evaluate"), body, content_type="application/json")
    if role in SCENARIO_ROLES:
        assert r.status_code == 200 and r.json()["lost"] == 564
    else:  # a JSON refusal, anonymous visitors included (the page's script reads it)
        assert r.status_code == 403 and r["Content-Type"] == "application/json" and r.json()["detail"]
    assert Scenario.objects.count() == 1  # the owner's old one: running saves nothing


# --- saving a scenario ------------------------------------------------------------------------------------------

# What is posted: a complete scenario, or one without a name (which the allowed roles are sent back to fix; the others
# are refused before their input is even read).
POSTED = {"complete": "Bakkerij aan de grens sluit", "nameless": ""}


@pytest.mark.django_db
@pytest.mark.parametrize("posted", list(POSTED))
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_and_analysts_save_a_scenario(client, border_bakery, owner, role, posted):
    actor = sign_in(client, role, owner)
    r = client.post(url("analysis:scenario_save"), {"name": POSTED[posted], "category": "bakery", "mode": "bike",
                                                     "closed": str(border_bakery.pk), "added": "[]"})
    saved = Scenario.objects.exclude(name="Oud scenario")
    if role in SCENARIO_ROLES and posted == "complete":
        sc = saved.get()
        assert r.status_code == 302 and r["Location"] == url("analysis:scenario", key=sc.key)
        assert sc.created_by == actor and sc.result["lost"] == 564 and list(sc.closed.all()) == [border_bakery]
    elif role in SCENARIO_ROLES:
        assert r.status_code == 302 and r["Location"].startswith(url("analysis:scenario_new"))
        assert not saved.exists()
    else:
        assert is_login_redirect(r) if role == "anonymous" else r.status_code == 403
        assert not saved.exists()


# --- the settings: thresholds, a new computation --------------------------------------------------------------------

def thresholds_form():
    s = AccessSettings.current()
    return {f: "" if (v := getattr(s, f)) is None else v for f in AccessSettingsForm._meta.fields} | {"walk_threshold_min": 10}


# action: (what is posted, did it change the settings or ask for a computation?)
SETTINGS_ACTIONS = {
    "thresholds": (thresholds_form,
                   lambda actor: AccessSettings.current().walk_threshold_min == 10
                   and AccessSettings.current().updated_by == actor and AccessRun.objects.filter(reason="settings").exists()),
    "recompute": (lambda: {"recompute": "1"},
                  lambda actor: AccessRun.objects.filter(reason="asked by a coordinator").exists()),
}


@pytest.fixture
def computations(monkeypatch):
    """The computations asked for: recorded (an AccessRun), not run."""
    from partons.analysis import services

    asked = []

    class NotRun:
        @staticmethod
        def enqueue(run_id, categories):
            asked.append(run_id)

    monkeypatch.setattr(services, "recompute_access", NotRun)
    return asked


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(SETTINGS_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_change_the_settings_or_ask_for_a_computation(client, territory, owner, computations,
                                                                        django_capture_on_commit_callbacks, role, action):
    data, changed = SETTINGS_ACTIONS[action]
    actor = sign_in(client, role, owner)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url("analysis:settings"), data())
    if role in SETTINGS_ROLES:
        assert r.status_code == 302 and r["Location"] == url("analysis:settings")
        assert changed(actor) and len(computations) == 1
    else:
        assert is_login_redirect(r) if role == "anonymous" else r.status_code == 403
        s = AccessSettings.current()
        assert s.walk_threshold_min == 15 and s.updated_by == owner
        assert not AccessRun.objects.exists() and computations == []


# --- the services refuse by themselves ------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_scenario_and_settings_services_refuse_by_themselves(border_bakery, owner, computations, role):
    """Behind the pages: a script or a future view calling the services meets the same rules."""
    actor = person(role, owner) or AnonymousUser()
    bakery = ServiceCategory.objects.get(code="bakery")

    def run():
        return services.evaluate_scenario(user=actor, category=bakery, mode="bike", closed_ids=[border_bakery.pk])

    def save():
        return services.save_scenario(user=actor, name="Via de dienst", category=bakery, mode="bike",
                                      closed_ids=[border_bakery.pk])

    if role in SCENARIO_ROLES:
        assert run()["lost"] == 564 and save().created_by == actor
    else:
        for call in (run, save):
            with pytest.raises(PermissionDenied):
                call()
        assert not Scenario.objects.filter(name="Via de dienst").exists()
    if role in SETTINGS_ROLES:
        assert services.update_settings(by=actor, walk_threshold_min=10).updated_by == actor
    else:
        with pytest.raises(PermissionDenied):
            services.update_settings(by=actor, walk_threshold_min=10)
        assert AccessSettings.current().walk_threshold_min == 15
