"""The public API does what its OpenAPI schema says: schemathesis generates requests from the schema (valid and
invalid ones) and runs every check (`--checks all`: no server error, status codes, content types and answers as
declared, invalid input refused and valid input accepted…) against a live test server holding a small region with
services and computed access figures. A bounded number of examples per operation keeps it to a few minutes."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from partons.analysis.models import AccessSettings
from partons.analysis.services import compute_access

from ..analysis.conftest import bakeries, cats  # noqa: F401  (fixtures)

ST = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = os.environ.get("PARTONS_FUZZ_EXAMPLES", "25")


@pytest.fixture
def region_with_figures(transactional_db, territory, bakeries):  # noqa: F811
    s = AccessSettings.current()
    s.comparison_years = "2010"
    s.save()
    compute_access()


def test_the_api_keeps_to_its_schema(live_server, region_with_figures, tmp_path):
    run = subprocess.run(
        [str(ST), "--config-file", str(CONFIG), "run", f"{live_server.url}/api/openapi.json",
         "--checks", "all", "--max-examples", EXAMPLES, "--workers", "1", "--seed", "1",
         "--generation-database", "none", "--request-timeout", "30", "--no-color", "--output-truncate", "true"],
        capture_output=True, text=True, cwd=tmp_path, timeout=1800)
    report = run.stdout[-20000:] + run.stderr[-5000:]
    assert run.returncode == 0, report
    assert "passed" in run.stdout.lower()  # the run did test operations (not an empty schema)
