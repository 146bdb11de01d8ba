"""What the map pages weigh and how soon their map is drawn, in a real browser, over the production stack that
`bench/load.py` sets up (100,000 facilities and 100,000 ideas over the demo region; the same database is reused).

For each map page, headless Chromium (Debian's `chromium`) loads it:
  - cold: a new browser profile (empty cache), the bytes that came over the network (compressed sizes, headers
    included, as Chromium counts them) and the time from navigation to the map's first drawn layer;
  - repeat: the same page again in the same profile (what a returning visitor's browser sends and gets).
Static files are served hashed with far-future cache headers and API answers with an ETag, so a repeat visit should
cost little. Prints the figures and the goals as reference lines; asserts nothing.

    .venv/bin/python bench/pages.py [--reuse]

Needs PostgreSQL and Redis as bench/load.py does, and the Python Playwright package (it is in the test
requirements) with Chromium at /usr/bin/chromium (apt-get install chromium)."""
import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _stack import PROXY, load_average, serve, stop  # noqa: E402
from load import prepare  # noqa: E402

PAGES = {
    "/nl/": "home (region map)",
    "/nl/services/": "services map",
    "/nl/ideas/": "idea list and map",
    "/nl/access/": "access map",
    "/nl/events/": "agenda map",
}
# The map is drawn when its first layer is: a vector (SVG path or canvas) or a marker.
DRAWN = """() => Array.from(document.querySelectorAll('.leaflet-container')).some(m =>
    m.querySelector('.leaflet-overlay-pane path, .leaflet-overlay-pane canvas, .leaflet-marker-pane > *'))"""
GOALS = "Goals: under 500 kB transferred cold, under 50 kB on a repeat visit, the map drawn within 1 s on the loopback."


def visit(page, cdp, url: str) -> tuple[int, float, int]:
    """(bytes over the network, ms until the map is drawn, requests) of one load of `url`."""
    received = {"bytes": 0, "requests": 0}

    def finished(event):
        received["bytes"] += int(event.get("encodedDataLength", 0))
        received["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="commit")
    page.wait_for_function(DRAWN, timeout=60_000)
    drawn_ms = page.evaluate("() => performance.now()")
    page.wait_for_load_state("networkidle")
    cdp.remove_listener("Network.loadingFinished", finished)
    return received["bytes"], drawn_ms, received["requests"]


def main():
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run (of this bench or bench/load.py)")
    args = parser.parse_args()
    env, var = prepare(reuse=args.reuse)
    proc, base = serve(env, procfile=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=["--no-sandbox"])
            warm = browser.new_page(extra_http_headers=PROXY)  # what is built once per data change is built now
            for path in PAGES:
                warm.goto(base + path)
                warm.wait_for_function(DRAWN, timeout=120_000)
            warm.close()
            print(f"headless Chromium over gunicorn 4 workers x 4 threads, PostgreSQL, Redis, 100,000 facilities and "
                  f"ideas; load average before: {load_average()}")
            print(f"{'page':24s} {'cold kB':>8s} {'requests':>9s} {'drawn ms':>9s} {'repeat kB':>10s} {'requests':>9s} "
                  f"{'drawn ms':>9s}")
            for path, label in PAGES.items():
                context = browser.new_context(extra_http_headers=PROXY, viewport={"width": 1366, "height": 900})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cold = visit(page, cdp, base + path)
                time.sleep(0.2)
                repeat = visit(page, cdp, base + path)
                print(f"{label:24s} {cold[0] / 1000:8.0f} {cold[2]:9d} {cold[1]:9.0f} {repeat[0] / 1000:10.1f} "
                      f"{repeat[2]:9d} {repeat[1]:9.0f}")
                context.close()
            browser.close()
        print(f"load average after: {load_average()}")
        print(GOALS)
    finally:
        stop(proc)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
