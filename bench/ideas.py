"""The idea box under load: concurrent residents (nothing lost, nothing counted twice) and 100,000 ideas (fast lists).

    .venv/bin/python bench/ideas.py --quick                 # SQLite, 5,000 ideas, 8 threads (4 on SQLite, see below)
    .venv/bin/python bench/ideas.py --quick --threads 16    # SQLite with real contention (retries)
    .venv/bin/python bench/ideas.py                         # SQLite, 100,000 ideas
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/ideas.py            # PostgreSQL, full run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/ideas.py --quick
    options: --ideas N (default 100,000)  --threads N (default 16)  --residents N (default 200)  --ops N (mixed actions
             per thread)  --repeat N  --seed N  --skip-concurrency  --skip-scale
    exit status 1 when the concurrency verdict is "no" (timings never fail the run)

Creates a throw-away test database (PostgreSQL: `test_bench_ideas`, so a test run's `test_test` is never clobbered;
SQLite: a temporary file, not the in-memory database, so that threads share it as a real site would), destroyed at
the end.

1. Concurrency. A small territory (villages in BE and FR) and 200 residents; N threads, each with its own database
   connection (closed at the end of the thread), started together by a barrier, go through three phases through the
   services (`submit_idea`, `support`, `withdraw_support`, `comment`), recording what every call returned:
     a. everyone submits ideas at once (the same resident from several threads at the same time);
     b. a mix of supports (hot ideas get most), support-then-withdraw, withdrawals, comments and replies, more ideas,
        and a few invalid calls whose refusal is expected (anonymous, no place, empty comment, hidden idea);
     c. "storms": all threads hit ONE (resident, idea) pair at the same instant - all support, all withdraw, half and
        half, support-then-withdraw -, all threads comment one idea as one resident, and all threads submit ideas as
        one resident (the rate limit of 10 ideas an hour must let exactly 10 through).
   Then it checks that every submitted idea exists exactly once; that for every idea supports_count == its Support
   rows == the (resident, idea) pairs whose successful supports outnumber their successful withdrawals (a support
   returns True only when it added one, a withdrawal only when it removed one, so per pair they must alternate and
   the difference must be 0 or 1); that comments_count == visible comments == successful comment calls; that
   authors and commenters follow the idea once; and lists every exception, expected or not.
   Rate limits are NOT patched: the cache (local memory, shared by the threads of this process) is cleared before
   the run and every resident's planned actions stay at or below half of each limit (a storm's resident acts only in
   that round: one call per thread, below the limit for up to 30 threads), except the one rate-limit storm.
   SQLite takes one writer at a time: concurrent writers wait (Python's sqlite3 busy timeout, 5 s) and past it get
   "database is locked". There the run uses at most 4 threads (unless --threads is given) and retries a call that
   failed with "database is locked" (its transaction was rolled back; an idea or comment is only sent again if it is
   not in the database), and prints the number of retries. Real concurrency is the PostgreSQL run.
   An extra check (not part of the verdict): two moderators hide, or restore, the same comment at the same time, and
   a moderator hides an already hidden comment; comments_count must stay equal to the visible comments.

2. Scale. Bulk-creates ideas up to --ideas (spread over villages, themes, statuses, languages, with random support
   and comment counts and the folded search text the service writes) and times with the test client the requests a
   resident makes (list, sorts, filters, search, a deep page, the map's bounding-box request, the HTML list page)
   against the peer "every public idea at once" (the GeoJSON export). Answers are kept in the cache once built, so
   each request is timed twice: as built (the cache emptied before each repetition, as after a change of the ideas;
   the peer is always timed so) and as stored (what every later visitor gets). The map requests ask
   `compact=true`, as the idea map does. Prints medians, the ratio of the built answer to the built peer and the
   number of SQL queries of each request as built (no N+1: it does not grow with the page size, compact map answers
   included); for a request slower than 100 ms as built, its slowest SQL statement and plan (EXPLAIN ANALYZE on
   PostgreSQL, EXPLAIN QUERY PLAN on SQLite).
   The ideas get spread creation dates (created_at's auto_now_add is switched off in this process while they are
   bulk-created); on PostgreSQL the tables are ANALYZEd afterwards, as autovacuum would.

Asserts nothing about timings.
"""
import argparse
import collections
import dataclasses
import datetime
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partons.config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402
from django.db import OperationalError, connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

SUBMIT_LIMIT, SUPPORT_LIMIT, COMMENT_LIMIT = 10, 300, 30  # as in partons/ideas/services.py (per resident and hour)
SLOW_MS = 100
BARRIER_TIMEOUT_S = 300
SQLITE_MAX_THREADS = 4
SQLITE_MAX_RETRIES = 50

NL_WORDS = ("speeltuin bankje dorpshuis bakker fietspad trage weg zwembad bibliotheek jeugdhuis kerk markt "
            "boomgaard wandelpad zitbank bushalte dokter apotheek school kinderopvang repair café buurtwinkel "
            "moestuin hoogstam haag beek molen feest kermis petanque voetbal rustpunt laadpaal deelauto "
            "verlichting oversteek snelheid zebrapad hondenweide bloemen bijenhotel vijver").split()
FR_WORDS = ("aire de jeux banc salle des fêtes boulangerie piste cyclable sentier piscine bibliothèque maison "
            "des jeunes église marché verger chemin halte médecin pharmacie école crèche épicerie jardin potager "
            "haie ruisseau moulin ducasse pétanque football borne covoiturage éclairage passage piétons vitesse "
            "fleurs ruches étang estaminet navette").split()
NEVER_WORD = "xylofoonorkest"  # in no idea: the search reads everything and finds nothing


def filler_words(rng, n=3000):
    """Made-up words for the bulk of the descriptions, so that a real word is in a few per cent of the ideas."""
    onsets, vowels, codas = "b d f g h k l m n p r s t v w z br dr gr kl pl sl st tr ch sch".split(), \
        "a e i o u aa ee oo ie oe ou ui eu".split(), "n r s t l k m p nd rt st ng ch".split()
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(1, 3))) + rng.choice(codas))
    return sorted(words)


# --- territory and people -------------------------------------------------------------------------------------

def make_territory(extra_villages=0, rng=None):
    """Two Belgian municipalities and two French communes near the border (as in tests/conftest.py), their
    villages, a region; `extra_villages` more villages in more municipalities for the scale part."""
    from partons.territory.models import Country, Municipality, Region, Village

    be = Country.objects.create(code="BE", name_nl="België", name_fr="Belgique", name_en="Belgium", code_system="NIS")
    fr = Country.objects.create(code="FR", name_nl="Frankrijk", name_fr="France", name_en="France", code_system="INSEE")
    region = Region.objects.create(slug="westhoek", name_nl="Grensoverschrijdende Westhoek",
                                   name_fr="Westhoek transfrontalier", name_en="Cross-border Westhoek")
    munis = {
        "heuvelland": Municipality.objects.create(country=be, code="33039", name_nl="Heuvelland", name_fr="Heuvelland",
                                                  lon=2.81, lat=50.78),
        "ieper": Municipality.objects.create(country=be, code="33011", name_nl="Ieper", name_fr="Ypres", lon=2.885, lat=50.851),
        "boeschepe": Municipality.objects.create(country=fr, code="59086", name_nl="Boeschepe", name_fr="Boeschepe",
                                                 lon=2.69, lat=50.80),
        "bergues": Municipality.objects.create(country=fr, code="59067", name_nl="Sint-Winoksbergen", name_fr="Bergues",
                                               lon=2.432, lat=50.968),
    }
    region.municipalities.add(*munis.values())
    rows = [("heuvelland", "Kemmel", "Kemmel", "kemmel", 2.827, 50.783), ("heuvelland", "Loker", "Locre", "loker", 2.774, 50.781),
            ("heuvelland", "Dranouter", "Dranoutre", "dranouter", 2.783, 50.766),
            ("ieper", "Ieper", "Ypres", "ieper", 2.886, 50.851), ("ieper", "Zillebeke", "Zillebeke", "zillebeke", 2.924, 50.836),
            ("boeschepe", "Boeschepe", "Boeschepe", "boeschepe", 2.69, 50.80),
            ("bergues", "Sint-Winoksbergen", "Bergues", "bergues", 2.432, 50.968)]
    villages = [Village.objects.create(municipality=munis[m], name_nl=nl, name_fr=fr_, slug=slug, lon=lon, lat=lat,
                                       population=1000) for m, nl, fr_, slug, lon, lat in rows]
    rng = rng or random.Random(0)
    n_munis = max(1, extra_villages // 6)
    for k in range(n_munis if extra_villages else 0):
        country = be if k % 2 == 0 else fr
        if country is be:
            lon, lat = rng.uniform(2.6, 3.1), rng.uniform(50.75, 51.1)
        else:
            lon, lat = rng.uniform(2.2, 2.8), rng.uniform(50.6, 51.0)
        m = Municipality.objects.create(country=country, code=f"{'3' if country is be else '5'}9{k:03d}",
                                        name_nl=f"Gemeente {k}", name_fr=f"Commune {k}", lon=lon, lat=lat)
        region.municipalities.add(m)
        for j in range(extra_villages // n_munis + (1 if k < extra_villages % n_munis else 0)):
            villages.append(Village.objects.create(
                municipality=m, name_nl=f"Dorp {k}-{j}", name_fr=f"Village {k}-{j}", slug=f"v-{k}-{j}",
                lon=lon + rng.uniform(-0.05, 0.05), lat=lat + rng.uniform(-0.03, 0.03), population=rng.randint(200, 5000)))
    return villages


def make_residents(n):
    from partons.core.models import User

    User.objects.bulk_create([User(email=f"resident{i}@example.org", display_name=f"Bewoner {i}" if i % 3 else "",
                                   preferred_language="nl" if i % 2 else "fr", password="!") for i in range(n)])
    return list(User.objects.filter(email__startswith="resident").order_by("pk"))


def make_moderator(email):
    from partons.core.models import User
    from partons.core.roles import Role, grant_role

    user = User.objects.create_user(email, "a-long-bench-password")
    grant_role(user, Role.MODERATOR)
    return User.objects.get(pk=user.pk)


# --- part 1: concurrency --------------------------------------------------------------------------------------

@dataclasses.dataclass
class Call:
    phase: str
    op: str  # submit, support, withdraw, comment, invalid:<what>
    resident: int | None
    idea: int | None
    key: str | None  # the unique title / comment body
    result: object = None
    error: BaseException | None = None
    ms: float = 0.0
    retries: int = 0
    note: str = ""


class Pool:
    """Ideas submitted so far, by title (filled by the threads of phase a, read by the later phases)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_title = {}

    def add(self, idea):
        with self.lock:
            self.by_title[idea.title] = idea

    def get(self, title):
        with self.lock:
            return self.by_title.get(title)


class Budget:
    """Planned actions per resident, kept at or below half of each rate limit (retries on SQLite stay under it)."""

    def __init__(self, residents, rng):
        self.left = {r.pk: {"submit": SUBMIT_LIMIT // 2, "support": SUPPORT_LIMIT // 2, "comment": COMMENT_LIMIT // 2}
                     for r in residents}
        self.residents = residents
        self.rng = rng

    def take(self, what, avoid=()):
        for _ in range(10_000):
            r = self.rng.choice(self.residents)
            if r.pk not in avoid and self.left[r.pk][what] > 0:
                self.left[r.pk][what] -= 1
                return r
        raise RuntimeError(f"no resident has {what} budget left: use more residents")

    def take_exact(self, resident, what, n):
        if self.left[resident.pk][what] < n:
            raise RuntimeError(f"resident {resident.pk} has not {n} {what} left")
        self.left[resident.pk][what] -= n


def plan(*, n_threads, residents, villages, rng, ops_per_thread, storm_rounds, hidden_title):
    """Every thread's calls, decided before the start (so budgets are global and the run is reproducible)."""
    budget = Budget(residents, rng)
    reserved = residents[-1]  # the rate-limit storm's resident: nothing else
    budget.left[reserved.pk] = {"submit": 0, "support": 0, "comment": 0}
    storm_people = residents[-1 - storm_rounds:-1]  # one resident per storm round, nothing else for them either
    for r in storm_people:
        budget.left[r.pk] = {"submit": 0, "support": 0, "comment": 0}
    n_first = min(2 * len(residents), 30 * n_threads)
    # phase a: the ideas, each resident's ideas dealt to different threads so they arrive at the same time
    first = []
    for i in range(n_first):
        r = budget.take("submit")
        v = villages[i % min(len(villages), 7)] if i % 5 else None
        first.append(("submit", r, {"title": f"Idee {i:05d} van {r.pk}", "village": v, "point": None if v else
                                    (2.7 + rng.uniform(-0.1, 0.1), 50.8 + rng.uniform(-0.05, 0.05)),
                                    "language": "nl" if i % 3 else "fr", "theme": rng.choice(THEMES)}))
    phase_a = [first[t::n_threads] for t in range(n_threads)]
    titles = [c[2]["title"] for c in first]
    hot = titles[: max(1, len(titles) // 10)]
    # phase b: a mix
    phase_b = [[] for _ in range(n_threads)]
    extra = 0
    for t in range(n_threads):
        for k in range(ops_per_thread):
            x = rng.random()
            title = rng.choice(hot) if rng.random() < 0.5 else rng.choice(titles)
            if x < 0.40:
                phase_b[t].append(("support", budget.take("support"), {"title": title}))
            elif x < 0.55:
                phase_b[t].append(("support+withdraw", budget.take("support"), {"title": title}))
            elif x < 0.65:
                phase_b[t].append(("withdraw", rng.choice(residents[:-1 - storm_rounds]), {"title": title}))
            elif x < 0.90:
                phase_b[t].append(("comment", budget.take("comment"), {"title": title, "body": f"Reactie {t}-{k}",
                                                                       "reply": rng.random() < 0.3}))
            elif x < 0.95:
                r = budget.take("submit")
                phase_b[t].append(("submit", r, {"title": f"Extra idee {t}-{k} van {r.pk}", "village": rng.choice(villages[:7]),
                                                 "point": None, "language": "fr", "theme": rng.choice(THEMES)}))
                extra += 1
            else:
                what = ["anonymous submit", "submit without place", "empty comment", "support hidden idea",
                        "anonymous support"][(t + k) % 5]
                phase_b[t].append(("invalid", rng.choice(residents[:-1 - storm_rounds]),
                                   {"what": what, "title": hidden_title if what == "support hidden idea" else title}))
    # phase c: storms - every thread on the same pair at the same instant
    kinds = ["support", "half", "withdraw", "support+withdraw", "support", "comment"]
    storms = []
    for s in range(storm_rounds):
        kind = kinds[s % len(kinds)]
        r = storm_people[s]
        title = rng.choice(hot)
        # a storm's resident acts in that round only: one call per thread, under the full limit
        if kind in ("support", "half", "support+withdraw"):
            budget.left[r.pk]["support"] = SUPPORT_LIMIT
            budget.take_exact(r, "support", n_threads)
        if kind == "comment":
            budget.left[r.pk]["comment"] = COMMENT_LIMIT
            budget.take_exact(r, "comment", n_threads)
        storms.append((kind, r, title))
    storms.append(("ratelimit", reserved, None))
    return phase_a, phase_b, storms, n_first + extra


THEMES = None  # set in main (Theme.values)


class Runner:
    def __init__(self, *, n_threads, sqlite):
        self.n = n_threads
        self.sqlite = sqlite
        self.pool = Pool()
        self.records = [[] for _ in range(n_threads)]
        self.barrier = threading.Barrier(n_threads, timeout=BARRIER_TIMEOUT_S)
        self.crashes = []
        self.phase_times = {}

    # one call, recorded; on SQLite retried while the database is locked
    def call(self, t, phase, op, resident, idea, key, fn, exists=None):
        from partons.ideas.models import Idea

        retries = 0
        while True:
            t0 = time.perf_counter()
            try:
                result = fn()
            except OperationalError as exc:
                if self.sqlite and "locked" in str(exc) and retries < SQLITE_MAX_RETRIES:
                    if exists is not None and exists():  # it went through before the error: do not send it again
                        rec = Call(phase, op, resident, idea, key, result=None, error=exc, retries=retries,
                                   ms=(time.perf_counter() - t0) * 1000, note="saved, yet the call failed")
                        self.records[t].append(rec)
                        return rec
                    retries += 1
                    time.sleep(random.uniform(0.001, 0.01) * min(retries, 10))
                    continue
                rec = Call(phase, op, resident, idea, key, error=exc, retries=retries, ms=(time.perf_counter() - t0) * 1000)
            except Exception as exc:  # noqa: BLE001 - recorded and classified at the end
                rec = Call(phase, op, resident, idea, key, error=exc, retries=retries, ms=(time.perf_counter() - t0) * 1000)
            else:
                rec = Call(phase, op, resident, idea, key, result=result, retries=retries, ms=(time.perf_counter() - t0) * 1000)
            if isinstance(rec.result, Idea):
                self.pool.add(rec.result)
                rec.idea = rec.result.pk
            self.records[t].append(rec)
            return rec

    def submit(self, t, phase, r, spec):
        from partons.ideas import services
        from partons.ideas.models import Idea

        point = spec.get("point")
        return self.call(t, phase, "submit", r.pk, None, spec["title"], lambda: services.submit_idea(
            by=r, title=spec["title"], description=f"{spec['title']}: een idee voor het dorp, une idée pour le village.",
            theme=spec["theme"], language=spec["language"], village=spec["village"],
            lon=point[0] if point else None, lat=point[1] if point else None),
            exists=lambda: Idea.objects.filter(title=spec["title"]).exists())

    def support(self, t, phase, r, idea):
        from partons.ideas import services
        return self.call(t, phase, "support", r.pk, idea.pk, None, lambda: services.support(idea=idea, by=r))

    def withdraw(self, t, phase, r, idea):
        from partons.ideas import services
        return self.call(t, phase, "withdraw", r.pk, idea.pk, None, lambda: services.withdraw_support(idea=idea, by=r))

    def comment(self, t, phase, r, idea, body, reply):
        from partons.ideas import services
        from partons.ideas.models import Comment

        def fn():  # as the page does: a reply answers a comment shown on the idea's page
            parent = Comment.objects.filter(idea=idea, parent__isnull=True, hidden=False).order_by("pk").first() if reply else None
            return services.comment(idea=idea, by=r, body=body, parent=parent)

        return self.call(t, phase, "comment", r.pk, idea.pk, body, fn,
                         exists=lambda: Comment.objects.filter(body=body).exists())

    def invalid(self, t, r, spec, village):
        from partons.ideas import services

        what, idea = spec["what"], self.pool.get(spec["title"])
        fn = {"anonymous submit": lambda: services.submit_idea(by=AnonymousUser(), title="x", description="x", theme="other",
                                                               language="nl", village=village),
              "submit without place": lambda: services.submit_idea(by=r, title="Nergens", description="x", theme="other",
                                                                   language="nl"),
              "empty comment": lambda: services.comment(idea=idea, by=r, body="   "),
              "support hidden idea": lambda: services.support(idea=idea, by=r),
              "anonymous support": lambda: services.support(idea=idea, by=AnonymousUser())}[what]
        return self.call(t, "b", f"invalid: {what}", r.pk, idea.pk if idea else None, None, fn)

    def wait(self, t, label):
        self.barrier.wait()
        if t == 0:
            self.phase_times.setdefault(label, time.perf_counter())

    def thread(self, t, phase_a, phase_b, storms, village):
        try:
            self.wait(t, "a")
            for _op, r, spec in phase_a:
                self.submit(t, "a", r, spec)
            self.wait(t, "b")
            for op, r, spec in phase_b:
                idea = self.pool.get(spec["title"])
                if op == "invalid":
                    self.invalid(t, r, spec, village)
                elif op == "submit":
                    self.submit(t, "b", r, spec)
                elif idea is None:  # its submission failed: nothing to act on (reported with the failure)
                    continue
                elif op == "support":
                    self.support(t, "b", r, idea)
                elif op == "support+withdraw":
                    self.support(t, "b", r, idea)
                    self.withdraw(t, "b", r, idea)
                elif op == "withdraw":
                    self.withdraw(t, "b", r, idea)
                elif op == "comment":
                    self.comment(t, "b", r, idea, spec["body"], spec["reply"])
            self.wait(t, "c")
            for s, (kind, r, title) in enumerate(storms):
                idea = self.pool.get(title) if title else None
                self.barrier.wait()
                if kind == "ratelimit":
                    self.submit(t, "c", r, {"title": f"Storm idee {t} van {r.pk}", "village": village, "theme": "other",
                                            "language": "nl"})
                elif idea is None:
                    continue
                elif kind == "support" or (kind == "half" and t % 2 == 0):
                    self.support(t, "c", r, idea)
                elif kind == "withdraw" or kind == "half":
                    self.withdraw(t, "c", r, idea)
                elif kind == "support+withdraw":
                    self.support(t, "c", r, idea)
                    self.withdraw(t, "c", r, idea)
                elif kind == "comment":
                    self.comment(t, "c", r, idea, f"Storm reactie {s}-{t}", reply=False)
            self.wait(t, "end")
        except threading.BrokenBarrierError as exc:
            self.crashes.append((t, exc))
        except Exception as exc:  # noqa: BLE001
            self.crashes.append((t, exc))
            self.barrier.abort()
        finally:
            connection.close()


def classify(rec: Call, storms_ratelimit_resident: int) -> str:
    """'ok', 'expected' or 'unexpected'."""
    from partons.core.ratelimit import RateLimited

    if rec.error is None:
        return "unexpected" if rec.op.startswith("invalid:") else "ok"  # an invalid call must be refused
    if isinstance(rec.error, RateLimited):
        return "expected" if rec.phase == "c" and rec.resident == storms_ratelimit_resident and rec.op == "submit" else "unexpected"
    if rec.op.startswith("invalid:"):
        return "expected" if isinstance(rec.error, (PermissionDenied, ValidationError)) else "unexpected"
    return "unexpected"


def concurrency(args, villages, residents):
    from partons.ideas import services
    from partons.ideas.models import Comment, Follow, Idea, StatusChange, Support

    sqlite = connection.vendor == "sqlite"
    n_threads = min(args.threads, SQLITE_MAX_THREADS) if sqlite and not args.threads_given else args.threads
    rng = random.Random(args.seed)
    moderator = make_moderator("moderator@example.org")
    hidden = services.submit_idea(by=residents[0], title="Verborgen idee", description="x", theme="other", language="nl",
                                  village=villages[0])
    services.hide(by=moderator, reason="bench: a hidden idea", idea=hidden)
    ops = args.ops or (60 if args.quick else 150)
    storm_rounds = 12 if args.quick else 24
    phase_a, phase_b, storms, planned_ideas = plan(n_threads=n_threads, residents=residents, villages=villages, rng=rng,
                                                   ops_per_thread=ops, storm_rounds=storm_rounds, hidden_title=hidden.title)
    ratelimit_resident = storms[-1][1].pk
    print(f"\n== 1. concurrency: {connection.vendor}, {n_threads} threads"
          + (f" (SQLite lets one writer at a time: at most {SQLITE_MAX_THREADS} threads unless --threads is given, "
             f"calls retried on 'database is locked')" if sqlite else "")
          + f", {len(residents)} residents, {len(villages[:7])} villages (BE and FR)")
    print(f"   plan: {sum(map(len, phase_a))} ideas at once, {sum(map(len, phase_b))} mixed actions, "
          f"{len(storms)} storm rounds of {n_threads} simultaneous calls on one (resident, idea) pair")
    print(f"   rate limits: real, not patched; cache cleared before the run; every resident plans at most half of each "
          f"limit ({SUBMIT_LIMIT // 2} ideas, {SUPPORT_LIMIT // 2} supports, {COMMENT_LIMIT // 2} comments an hour), a storm's "
          f"resident acts in that round only ({n_threads} calls); only the last storm (one resident submits from every "
          f"thread at once) is meant to meet the limit of {SUBMIT_LIMIT}")
    cache.clear()
    pool_villages = villages[:7]
    runner = Runner(n_threads=n_threads, sqlite=sqlite)
    runner.pool.add(hidden)
    from django.core import mail
    mail.outbox = []
    threads = [threading.Thread(target=runner.thread, args=(t, phase_a[t], phase_b[t], storms, pool_villages[t % 7]),
                                name=f"resident-{t}") for t in range(n_threads)]
    t_start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t_start
    calls = [c for recs in runner.records for c in recs]
    ok = True

    pt = runner.phase_times
    print(f"   ran in {wall:.1f} s: phase a {pt.get('b', 0) - pt.get('a', 0):.1f} s, b {pt.get('c', 0) - pt.get('b', 0):.1f} s, "
          f"c {pt.get('end', 0) - pt.get('c', 0):.1f} s; {len(calls)} calls, {len(calls) / wall:.0f} calls/s")
    by_op = collections.defaultdict(list)
    for c in calls:
        by_op[c.op.split(":")[0]].append(c.ms)
    print("   " + ", ".join(f"{op} {len(ms)}× median {statistics.median(ms):.1f} ms (max {max(ms):.0f})"
                             for op, ms in sorted(by_op.items())))
    if sqlite:
        retried = sum(c.retries for c in calls)
        print(f"   SQLite: {retried} retries after 'database is locked' in {sum(1 for c in calls if c.retries)} calls "
              f"(most {max((c.retries for c in calls), default=0)} for one call)")
    if runner.crashes:
        ok = False
        print(f"   THREADS CRASHED: {runner.crashes}")

    # -- ideas: each submitted one exactly once
    submitted = [c for c in calls if c.op == "submit" and c.error is None]
    saved_yet_failed = [c for c in calls if c.note]
    ideas_db = Idea.objects.exclude(pk=hidden.pk)
    n_db = ideas_db.count()
    dup_titles = list(ideas_db.values("title").annotate(n=Count("id")).filter(n__gt=1).values_list("title", "n"))
    returned = {c.result.pk: c.key for c in submitted}
    in_db = dict(ideas_db.values_list("pk", "title"))
    missing = [pk for pk in returned if pk not in in_db]
    wrong_title = [pk for pk, title in returned.items() if pk in in_db and in_db[pk] != title]
    phantom = [pk for pk in in_db if pk not in returned and in_db[pk] not in {c.key for c in saved_yet_failed}]
    history = dict(StatusChange.objects.values("idea").annotate(n=Count("id")).values_list("idea", "n"))
    bad_history = [pk for pk in in_db if history.get(pk) != 1]
    rl_ok = sum(1 for c in submitted if c.resident == ratelimit_resident)
    rl_limited = sum(1 for c in calls if c.resident == ratelimit_resident and c.error is not None)
    good = (n_db == len(submitted) + sum(1 for c in saved_yet_failed if c.op == "submit")
            and not (dup_titles or missing or wrong_title or phantom or bad_history))
    ok &= good
    print(f"   ideas: {len(submitted)} submissions returned an idea (planned {planned_ideas} + {min(n_threads, SUBMIT_LIMIT)} "
          f"from the rate-limit storm), "
          f"{n_db} in the database, duplicate titles {len(dup_titles)}, returned but missing {len(missing)}, "
          f"with another title {len(wrong_title)}, in the database but never returned {len(phantom)}, "
          f"not exactly one 'received' history line {len(bad_history)} -> {'ok' if good else 'WRONG'}")
    if saved_yet_failed:
        print(f"   note: {len(saved_yet_failed)} calls raised although their idea/comment was saved: "
              f"{[(c.op, c.key, repr(c.error)) for c in saved_yet_failed[:5]]}")
    expect_rl = min(n_threads, SUBMIT_LIMIT)
    good = rl_ok == expect_rl and rl_ok + rl_limited == n_threads
    ok &= good
    print(f"   rate limit storm: one resident submitted from {n_threads} threads at once: {rl_ok} accepted, {rl_limited} "
          f"refused (expected {expect_rl} accepted) -> {'ok' if good else 'WRONG'}")

    # -- supports: per pair, successful supports and withdrawals alternate
    net = collections.Counter()
    for c in calls:
        if c.error is None and c.result is True and c.op in ("support", "withdraw"):
            net[(c.resident, c.idea)] += 1 if c.op == "support" else -1
    bad_pairs = {p: n for p, n in net.items() if n not in (0, 1)}
    expected_pairs = {p for p, n in net.items() if n == 1}
    db_pairs = set(Support.objects.values_list("user_id", "idea_id"))
    expected_count = collections.Counter(idea for _r, idea in expected_pairs)
    rows = dict(Support.objects.values("idea").annotate(n=Count("id")).values_list("idea", "n"))
    counts = dict(Idea.objects.values_list("pk", "supports_count"))
    bad_counts = [(pk, counts[pk], rows.get(pk, 0), expected_count.get(pk, 0)) for pk in counts
                  if not counts[pk] == rows.get(pk, 0) == expected_count.get(pk, 0)]
    n_support = sum(1 for c in calls if c.op == "support")
    n_added = sum(1 for c in calls if c.op == "support" and c.result is True)
    n_withdrawn = sum(1 for c in calls if c.op == "withdraw" and c.result is True)
    good = not bad_pairs and db_pairs == expected_pairs and not bad_counts
    ok &= good
    print(f"   supports: {n_support} support calls, {n_added} added one, {n_withdrawn} withdrawals removed one; "
          f"{len(expected_pairs)} pairs expected, {len(db_pairs)} Support rows, pairs whose successes do not alternate "
          f"{len(bad_pairs)}, pairs missing {len(expected_pairs - db_pairs)}, pairs extra {len(db_pairs - expected_pairs)}, "
          f"ideas with supports_count != rows != expected {len(bad_counts)} -> {'ok' if good else 'WRONG'}")
    for pk, cnt, nrows, exp in bad_counts[:10]:
        print(f"      idea {pk}: supports_count {cnt}, Support rows {nrows}, expected {exp}")
    for (r, i), n in list(bad_pairs.items())[:10]:
        print(f"      resident {r}, idea {i}: successful supports minus withdrawals = {n}")
    storm_lines = []
    for kind, r, title in storms[:-1]:
        idea = runner.pool.get(title)
        mine = [c for c in calls if c.phase == "c" and c.resident == r.pk and c.idea == idea.pk]
        storm_lines.append(f"{kind}: " + "/".join(
            f"{op} {sum(1 for c in mine if c.op == op and c.result not in (False, None))} of {sum(1 for c in mine if c.op == op)}"
            for op in ("support", "withdraw", "comment") if any(c.op == op for c in mine)))
    print("   storms (calls that changed something, of the simultaneous calls): " + "; ".join(storm_lines))

    # -- comments
    made = collections.Counter(c.idea for c in calls if c.op == "comment" and c.error is None)
    made.update(c.idea for c in saved_yet_failed if c.op == "comment")
    visible = dict(Comment.objects.filter(hidden=False).values("idea").annotate(n=Count("id")).values_list("idea", "n"))
    ccounts = dict(Idea.objects.values_list("pk", "comments_count"))
    bad_c = [(pk, ccounts[pk], visible.get(pk, 0), made.get(pk, 0)) for pk in ccounts
             if not ccounts[pk] == visible.get(pk, 0) == made.get(pk, 0)]
    good = not bad_c
    ok &= good
    print(f"   comments: {sum(made.values())} comments made, {sum(visible.values())} visible, sum of comments_count "
          f"{sum(ccounts.values())}, ideas where comments_count != visible != made {len(bad_c)} -> {'ok' if good else 'WRONG'}")
    for row in bad_c[:10]:
        print(f"      idea {row[0]}: comments_count {row[1]}, visible {row[2]}, made {row[3]}")

    # -- follows: the author and every commenter follow, once (the unique constraint forbids twice)
    want = {(c.resident, c.idea) for c in calls if c.op in ("submit", "comment") and c.error is None}
    have = set(Follow.objects.values_list("user_id", "idea_id"))
    good = want <= have and len(have) == Follow.objects.count()
    ok &= good
    print(f"   follows: {len(want)} (resident, idea) pairs must follow, {len(want - have)} missing, "
          f"{Follow.objects.count()} Follow rows -> {'ok' if good else 'WRONG'}; e-mails sent to followers: {len(mail.outbox)}")

    # -- exceptions
    kinds = collections.Counter()
    for c in calls:
        cls = classify(c, ratelimit_resident)
        if cls != "ok":
            what = (type(c.error).__name__, str(c.error)[:90]) if c.error else ("accepted", repr(c.result)[:90])
            kinds[(cls, c.op, *what)] += 1
    unexpected = sum(n for k, n in kinds.items() if k[0] == "unexpected")
    ok &= unexpected == 0
    print(f"   exceptions ({sum(kinds.values())}; unexpected: {unexpected}):")
    for (cls, op, name, msg), n in sorted(kinds.items()):
        print(f"      {cls:10} {n:5}× {op}: {name}: {msg}")
    print(f"   nothing lost, nothing counted twice: {'yes' if ok else 'NO'}")
    return moderator, ok


def moderation_race(villages, residents, moderator):
    """Extra, not in the verdict: two moderators hide (or restore) the same comment at the same moment (two tabs,
    two moderators on the flag queue), and a moderator hides an already hidden comment (a double click)."""
    from partons.ideas import services
    from partons.ideas.models import Comment, Idea

    second = make_moderator("moderator2@example.org")
    print("\n== extra (not in the verdict): moderation of comments, on an idea with 3 comments each time")

    def scenario(label, action, *, hidden_first=False, together=True):
        idea = services.submit_idea(by=residents[1], title=f"Moderatie: {label}", description="x", theme="other",
                                    language="nl", village=villages[0])
        first = services.comment(idea=idea, by=residents[2], body=f"{label}: eerste")
        for k, r in enumerate(residents[3:5]):
            services.comment(idea=idea, by=r, body=f"{label}: {k}")
        if hidden_first:
            services.hide(by=moderator, reason="bench", comment_=first)
        errors = []
        barrier = threading.Barrier(2, timeout=60)

        def work(mod):
            try:
                comment_ = Comment.objects.get(pk=first.pk)  # as each moderator's page loaded it
                barrier.wait()
                action(mod, comment_)
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                connection.close()

        if together:
            ths = [threading.Thread(target=work, args=(m,)) for m in (moderator, second)]
            for th in ths:
                th.start()
            for th in ths:
                th.join()
        else:
            try:
                action(moderator, Comment.objects.get(pk=first.pk))
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
        idea.refresh_from_db()
        visible = Comment.objects.filter(idea=idea, hidden=False).count()
        print(f"   {label}: comments_count {idea.comments_count}, visible comments {visible}"
              f"{' (errors: ' + '; '.join(f'{type(e).__name__}: {e}' for e in errors) + ')' if errors else ''}"
              f" -> {'ok' if idea.comments_count == visible else 'WRONG'}")
        Idea.objects.filter(pk=idea.pk).delete()

    scenario("two moderators hide the same comment at once",
             lambda mod, c: services.hide(by=mod, reason="bench", comment_=c))
    scenario("a moderator hides an already hidden comment", lambda mod, c: services.hide(by=mod, reason="again", comment_=c),
             hidden_first=True, together=False)
    scenario("two moderators restore the same hidden comment at once",
             lambda mod, c: services.restore(by=mod, comment_=c), hidden_first=True)


# --- part 2: scale --------------------------------------------------------------------------------------------

def populate(n_total, villages, residents, rng):
    from partons.core.text import fold
    from partons.ideas.models import Idea, Source, Status, Theme

    n = n_total - Idea.objects.count()
    statuses = [Status.RECEIVED] * 50 + [Status.UNDER_REVIEW] * 20 + [Status.PROJECT] * 8 + \
        [Status.SENT_TO_MUNICIPALITY] * 7 + [Status.MERGED] * 3 + [Status.REALISED] * 5 + [Status.DECLINED] * 7
    themes = list(Theme.values)
    theme_weights = [3, 3, 3, 2, 1, 1, 2, 1, 1][:len(themes)]
    info = {v.pk: (v, v.municipality.country.code, fold(" ".join([v.name_nl or "", v.name_fr or "", v.municipality.name_nl or "",
                                                                   v.municipality.name_fr or ""]))) for v in villages}
    filler = filler_words(rng)
    now = timezone.now()
    start = now - datetime.timedelta(days=3 * 365)
    stamps = sorted(start + datetime.timedelta(seconds=rng.uniform(0, 3 * 365 * 86400 - 3600)) for _ in range(n))
    created_at = Idea._meta.get_field("created_at")
    created_at.auto_now_add = False  # keep the spread dates (bulk_create would stamp them all "now")
    try:
        batch = []
        for i in range(n):
            v, country, place = info[villages[rng.randrange(len(villages))].pk]
            lang = ("nl" if rng.random() < 0.85 else "fr") if country == "BE" else ("fr" if rng.random() < 0.85 else "nl")
            words = NL_WORDS if lang == "nl" else FR_WORDS
            title = f"{rng.choice(words).capitalize()} {rng.choice(words)} {i}"
            description = " ".join([rng.choice(filler) for _ in range(rng.randint(15, 60))] + [rng.choice(words)])
            paper = rng.random() < 0.1
            exact = rng.random() < 0.6
            batch.append(Idea(
                title=title, description=description, theme=rng.choices(themes, theme_weights)[0], village=v,
                lon=v.lon + rng.gauss(0, 0.005) if exact else None, lat=v.lat + rng.gauss(0, 0.003) if exact else None,
                language=lang, author=None if paper else residents[rng.randrange(len(residents))],
                source=Source.PAPER if paper else Source.ONLINE, paper_box=v if paper else None,
                received_on=stamps[i].date() if paper else None, status=rng.choice(statuses), hidden=rng.random() < 0.02,
                supports_count=min(int(rng.paretovariate(1.1)) - 1, 5000), comments_count=min(int(rng.expovariate(0.4)), 300),
                search_text=fold(" ".join([title, description, place])), created_at=stamps[i], updated_at=stamps[i]))
            if len(batch) == 5000:
                Idea.objects.bulk_create(batch)
                batch = []
        Idea.objects.bulk_create(batch)
    finally:
        created_at.auto_now_add = True
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return n


def timed(client, url, repeat, before=None):
    times = []
    for _ in range(repeat):
        if before:
            before()
        t0 = time.perf_counter()
        r = client.get(url)
        body = r.content
        times.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            raise RuntimeError(f"{url}: {r.status_code} {body[:300]!r}")
    if before:
        before()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times), len(body), ctx.captured_queries


def explain(sql):
    """The plan of a captured query (PostgreSQL: with the real times)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return [r[0] for r in cur.fetchall()]
        cur.execute("EXPLAIN QUERY PLAN " + sql)
        return [" " * 2 * (r[1] > 0) + str(r[-1]) for r in cur.fetchall()]


def scale(args, villages, residents):
    from partons.ideas.models import Idea

    rng = random.Random(args.seed + 1)
    t0 = time.perf_counter()
    n = populate(args.ideas, villages, residents, rng)
    total = Idea.objects.count()
    public = Idea.objects.visible().count()
    print(f"\n== 2. scale: {connection.vendor}, {n:,} ideas bulk-created in {time.perf_counter() - t0:.1f} s: {total:,} ideas, "
          f"{public:,} public, over {len(villages)} villages")
    client = Client()
    fr_village = next(v for v in villages if v.municipality.country.code == "FR" and v.slug.startswith("v-"))
    v = villages[0]
    word = "speeltuin"
    n_word = Idea.objects.visible().filter(search_text__contains=word).count()
    rare = "zwembad bibliotheek"
    n_rare = Idea.objects.visible().filter(search_text__contains="zwembad").filter(search_text__contains="bibliotheek").count()
    deep = min(50000, public // 2)
    page = min(500, public // 40)
    muni_box = f"{v.lon - .07},{v.lat - .045},{v.lon + .07},{v.lat + .045}"
    region_box = "2.1,50.5,3.2,51.2"
    cases = [
        ("newest (limit=20)", "/api/ideas?limit=20"),
        ("most supported", "/api/ideas?limit=20&sort=supported"),
        ("most discussed", "/api/ideas?limit=20&sort=discussed"),
        ("theme + country=FR", "/api/ideas?limit=20&theme=mobility&country=FR"),
        (f"search ?q={word} ({n_word:,} hits)", f"/api/ideas?limit=20&q={word}"),
        (f"search ?q={rare} ({n_rare:,} hits)", f"/api/ideas?limit=20&q={rare.replace(' ', '+')}"),
        (f"search ?q={NEVER_WORD} (0 hits)", f"/api/ideas?limit=20&q={NEVER_WORD}"),
        ("one village", f"/api/ideas?limit=20&village={fr_village.slug}"),
        (f"deep page (offset={deep})", f"/api/ideas?limit=20&offset={deep}"),
        (f"deep page, most supported (offset={deep})", f"/api/ideas?limit=20&sort=supported&offset={deep}"),
        ("map: municipality box (limit=1000)", f"/api/ideas?limit=1000&compact=true&bbox={muni_box}"),
        ("map: whole region (limit=1000)", f"/api/ideas?limit=1000&compact=true&bbox={region_box}"),
        ("map: region, first 20", f"/api/ideas?limit=20&compact=true&bbox={region_box}"),
        (f"HTML /nl/ideas/?sort=supported&page={page}", f"/nl/ideas/?sort=supported&page={page}"),
        ("HTML /nl/ideas/?q=speeltuin", "/nl/ideas/?q=speeltuin"),
    ]
    repeat = args.repeat
    peer_ms, peer_bytes, peer_q = timed(client, "/api/ideas.geojson", max(3, repeat // 2), before=cache.clear)
    print(f"   {repeat} repetitions each (peer: {max(3, repeat // 2)}); built = cache emptied before each, "
          f"stored = kept from the first")
    print(f"   {'request':44} {'built ms':>9} {'stored ms':>10} {'kB':>8} {'queries':>8} {'built: × faster than all-at-once':>33}")
    slow = []
    for label, url in cases:
        ms, size, queries = timed(client, url, repeat, before=cache.clear)
        stored_ms, _size, _q = timed(client, url, repeat)
        print(f"   {label:44} {ms:9.1f} {stored_ms:10.1f} {size / 1024:8.0f} {len(queries):8} {peer_ms / ms:33.1f}")
        if ms > SLOW_MS:
            slow.append((label, ms, queries))
    print(f"   {'peer: every public idea at once (GeoJSON)':44} {peer_ms:9.1f} {'':10} {peer_bytes / 1024:8.0f} "
          f"{len(peer_q):8} {1.0:33.1f}")
    # no N+1: the number of queries must not depend on the page size (lists and the compact map answers alike)
    q = {url: timed(client, url, 1, before=cache.clear)[2] for url in (
        "/api/ideas?limit=20", "/api/ideas?limit=1000", "/api/ideas?limit=20&compact=true",
        "/api/ideas?limit=1000&compact=true", "/nl/ideas/?page=2")}
    n = [len(v) for v in q.values()]
    print(f"   queries for 20 and for 1,000 ideas in the API: {n[0]} and {n[1]}; compact (the map): {n[2]} and {n[3]}; "
          f"HTML page of 20: {n[4]} -> {'no N+1' if n[0] == n[1] and n[2] == n[3] else 'N+1!'}")
    for label, ms, queries in slow:
        worst = max(queries, key=lambda q: float(q["time"]))
        sql = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", worst["sql"], count=1, flags=re.S)
        print(f"   slow ({ms:.0f} ms): {label}: one more run spent {sum(float(q['time']) for q in queries) * 1000:.0f} ms "
              f"in SQL ({len(queries)} queries); the slowest took {float(worst['time']) * 1000:.0f} ms:\n      {sql[:1500]}")
        for line in explain(worst["sql"])[:14]:
            print(f"         {line}")


def main():
    global THEMES
    from partons.ideas.models import Theme

    THEMES = list(Theme.values)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ideas", type=int, default=None, help="ideas in the scale part (default 100,000; --quick 5,000)")
    parser.add_argument("--threads", type=int, default=None, help="threads (default 16; --quick 8)")
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--ops", type=int, default=None, help="mixed actions per thread in phase b (default 150; --quick 60)")
    parser.add_argument("--repeat", type=int, default=None, help="repetitions of each request (default 7; --quick 5)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--quick", action="store_true", help="5,000 ideas, 8 threads, fewer actions")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-concurrency", action="store_true")
    args = parser.parse_args()
    args.threads_given = args.threads is not None
    args.ideas = args.ideas or (5000 if args.quick else 100_000)
    args.threads = args.threads or (8 if args.quick else 16)
    args.repeat = args.repeat or (5 if args.quick else 7)

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.mkdtemp(prefix="bench-ideas-")
        connection.settings_dict["TEST"]["NAME"] = os.path.join(tmpdir, "bench.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = "test_bench_ideas"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), Django {django.get_version()}, "
              f"{os.cpu_count()} CPUs")
        rng = random.Random(args.seed)
        villages = make_territory(extra_villages=93, rng=rng)
        villages = list(type(villages[0]).objects.select_related("municipality__country").order_by("pk"))
        residents = make_residents(args.residents)
        ok = True
        if not args.skip_concurrency:
            moderator, ok = concurrency(args, villages, residents)
            moderation_race(villages, residents, moderator)
        if not args.skip_scale:
            scale(args, villages, residents)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmpdir:
            for f in os.listdir(tmpdir):
                os.remove(os.path.join(tmpdir, f))
            os.rmdir(tmpdir)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
