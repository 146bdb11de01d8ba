"""Production settings come from the environment and pass Django's deployment checks."""
import os
import subprocess
import sys


def _run(args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    full_env.update({"DJANGO_SETTINGS_MODULE": "partons.config.settings.production", **env})
    return subprocess.run([sys.executable, "-m", "partons.cli", *args], env=full_env, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_check_deploy(tmp_path):
    r = _run(["check", "--deploy", "--fail-level", "WARNING"],
             SECRET_KEY="k" * 20 + "Zq8#x!Lm2@pR5^tV9&wY3*bN6(cF1)hJ4_" + "s" * 10, ALLOWED_HOSTS="partons.example.org",
             PARTONS_VAR_DIR=str(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    r = _run(["check"], SECRET_KEY="", PARTONS_VAR_DIR=str(tmp_path))
    assert r.returncode != 0 and "SECRET_KEY" in r.stderr
