"""`partons …` is the one command-line entry point, with dashed command names."""
import subprocess
import sys


def test_dashed_commands_reach_django_management_commands():
    r = subprocess.run([sys.executable, "-m", "partons.cli", "import-boundaries", "--help"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert "--code-field" in r.stdout and "--srid" in r.stdout
    r = subprocess.run([sys.executable, "-m", "partons.cli", "load-demo", "--help"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "--refresh" in r.stdout
