"""The public-transport search against a brute force on small random timetables: for every stop and every departure
second of interest, the profile's earliest arrival at a service equals the one found by relaxing every trip again and
again until nothing changes (the rules of a journey are the same: see partons/access/transit.py)."""
import numpy as np
import pytest

from partons.access import transit

INF = float("inf")


def brute_arrival(tt: transit.Timetable, trips, footpaths, egress, stop, tau):
    """Earliest arrival at a service when standing at `stop` at `tau`, by fixpoint over whole trips."""
    reach = [INF] * tt.n_stops  # when one can board at each stop (standing there, or by a footpath after a ride)
    reach[stop] = tau
    ridden = _ride(trips, footpaths, reach)
    return min((ridden[s] + egress[s] for s in range(tt.n_stops) if egress[s] < INF), default=INF)


def _ride(trips, footpaths, reach):
    """Relax every trip again and again from the boarding times ``reach`` (changed in place) until nothing changes;
    returns when one arrives at each stop on board (the only place one may walk to the service, or home, from)."""
    ridden = [INF] * len(reach)
    foot = {}
    for a, b, w in footpaths:
        if a != b:
            foot.setdefault(a, []).append((b, w))
    changed = True
    while changed:
        changed = False
        for calls in trips:
            on = False
            for (s0, _a0, d0), (s1, a1, _d1) in zip(calls, calls[1:]):
                if not on and reach[s0] <= d0:
                    on = True
                if on:
                    if a1 < ridden[s1]:
                        ridden[s1] = a1
                        changed = True
                    for s, t in [(s1, a1), *((b, a1 + w) for b, w in foot.get(s1, []))]:
                        if t < reach[s]:
                            reach[s] = t
                            changed = True
    return ridden


def random_network(rng, n_stops=7, n_trips=9):
    trips = []
    for _ in range(n_trips):
        length = int(rng.integers(2, 5))
        stops = rng.choice(n_stops, size=length, replace=False)
        t = int(rng.integers(0, 40)) * 60
        calls = []
        for s in stops:
            arrive = t
            t += int(rng.integers(0, 2)) * 60  # dwell
            calls.append((int(s), arrive, t))
            t += int(rng.integers(1, 8)) * 60
        trips.append(calls)
    footpaths = [(int(a), int(b), int(rng.integers(1, 6)) * 60) for a, b in rng.integers(0, n_stops, size=(4, 2))]
    egress = [INF] * n_stops
    for s in rng.choice(n_stops, size=2, replace=False):
        egress[int(s)] = int(rng.integers(0, 10)) * 60
    return trips, footpaths, egress


@pytest.mark.parametrize("seed", range(60))
def test_the_profile_equals_the_brute_force_for_every_stop_and_departure(seed):
    rng = np.random.default_rng(seed)
    trips, footpaths, egress = random_network(rng)
    tt = transit.Timetable.from_trips(7, trips, footpaths)
    prof = transit.profile(tt, np.array(egress))
    times = sorted({d for calls in trips for _s, _a, d in calls} | {0, 30, 61, 2400, 2401})
    for stop in range(7):
        for tau in times:
            expected = brute_arrival(tt, trips, footpaths, egress, stop, tau)
            got = prof.arrival(stop, tau)
            assert (got if got < transit.INF else INF) == expected, (seed, stop, tau)


def test_the_random_networks_reach_services_and_need_changes_on_foot():
    """The comparison above is worth something: many of its cases reach a service, and some only by a footpath."""
    reached = by_foot = 0
    for seed in range(60):
        trips, footpaths, egress = random_network(np.random.default_rng(seed))
        with_foot = transit.profile(transit.Timetable.from_trips(7, trips, footpaths), np.array(egress))
        without = transit.profile(transit.Timetable.from_trips(7, trips), np.array(egress))
        for stop in range(7):
            for tau in sorted({d for calls in trips for _s, _a, d in calls}):
                reached += with_foot.arrival(stop, tau) < transit.INF
                by_foot += with_foot.arrival(stop, tau) != without.arrival(stop, tau)
    assert reached > 1000 and by_foot > 20


def test_a_change_on_foot_and_staying_on_board():
    # Line A: stop 0 (08:00) → 1 (08:10) → 2 (08:20). Line B leaves stop 3 at 08:15 for stop 4 (08:25), the service
    # is next to stop 4. A footpath of 3 minutes joins 1 and 3.
    trips = [[(0, 28800, 28800), (1, 29400, 29400), (2, 30000, 30000)], [(3, 29700, 29700), (4, 30300, 30300)]]
    tt = transit.Timetable.from_trips(5, trips, [(1, 3, 180)])
    egress = np.array([INF, INF, 600, INF, 60])
    prof = transit.profile(tt, egress)
    assert prof.arrival(0, 28800) == 30360  # change on foot at 1→3: 08:26 at the service
    assert prof.arrival(0, 28801) == transit.INF  # the bus has left; nothing later
    tt_slow = transit.Timetable.from_trips(5, trips, [(1, 3, 400)])  # the walk is too slow for the connection
    assert transit.profile(tt_slow, egress).arrival(0, 28800) == 30600  # stay on board to 2, walk 10 min


def test_times_past_midnight_and_bad_timetables():
    trips = [[(0, 86000, 86100), (1, 87000, 87000)]]  # 23:55 → 00:10 the next morning, written as 24:10
    prof = transit.profile(transit.Timetable.from_trips(2, trips), np.array([INF, 0]))
    assert prof.arrival(0, 86100) == 87000
    with pytest.raises(ValueError, match="before leaving"):
        transit.Timetable.from_trips(2, [[(0, 100, 200), (1, 150, 150)]])
    with pytest.raises(ValueError, match="outside"):
        transit.Timetable.from_trips(2, [[(0, 100, 100), (5, 200, 200)]])


def test_travel_times_over_a_window_take_the_faster_of_walking_and_the_bus():
    # a bus every 10 minutes from stop 0 (08:00, 08:10 … 08:50) to stop 1, 12 minutes; the service is at stop 1
    trips = [[(0, 28800 + 600 * k, 28800 + 600 * k), (1, 29520 + 600 * k, 29520 + 600 * k)] for k in range(6)]
    prof = transit.profile(transit.Timetable.from_trips(2, trips), np.array([INF, 0]))
    departures = np.arange(28800, 28800 + 3600, 60)
    # two points: one 2 minutes' walk from stop 0 (and 50 minutes from the service on foot), one next to the service
    times = transit.travel_times(prof, np.array([0, 1, 1]), np.array([0]), np.array([120]), np.array([3000, 30]),
                                 departures)
    assert times.shape == (2, 60)
    # leaving at 08:00 the walker reaches the stop at 08:02, waits for 08:10, arrives 08:22: 22 minutes
    assert times[0, 0] == 22 * 60
    # leaving at 08:08: at the stop 08:10, on the bus, 14 minutes
    assert times[0, 8] == 14 * 60
    assert (times[1] == 30).all()  # walking is faster
    # after the last bus that can be caught (08:48 + 2 min = 08:50), walking all the way
    assert times[0, 49] == 3000
    median, share = transit.window_summary(times, threshold_s=20 * 60)
    assert median[1] == 30 and share[1] == 1.0
    assert 0 < share[0] < 1  # within 20 minutes on some departure minutes only


def test_the_transit_model_answers_like_the_road_models():
    from partons.access.model import Facilities
    from partons.access.modes import MODES

    walk = MODES["walk"]
    # stops 0 and 1 lie 5 km apart on a line; a bus every 10 minutes, 12 minutes' ride, from 07:00 to 08:50
    trips = [[(0, 25200 + 600 * k, 25200 + 600 * k), (1, 25920 + 600 * k, 25920 + 600 * k)] for k in range(12)]
    tt = transit.Timetable.from_trips(2, trips)
    departures = np.arange(25200, 25200 + 7200, 60)
    model = transit.TransitModel(tt, [0, 5000], [0, 0], walk, departures, threshold_s=1800, access_m=800)
    # origins: next to stop 0; 3 km from everything (walking only); next to the service
    assert model.set_origins([10, 2500, 5100], [0, 3000, 0]).size == 0
    state = model.search(Facilities([5100], [0], [42]), limit_s=2700)
    t = model.at_origins(state)
    walk_s = lambda m: m * walk.circuity / walk.crow_speed_ms  # noqa: E731
    # next to stop 0: a bus every 10 minutes, so waits of 0 to 9 minutes; median over the window
    # (the last bus leaves at 08:50: later departures reach nothing within the limit)
    def by_bus(dep):
        at_stop = dep + np.ceil(walk_s(10))
        return np.inf if at_stop > 6600 else (-at_stop % 600) + np.ceil(walk_s(10)) + 720 + np.ceil(walk_s(100))
    expected = np.median([by_bus(dep) for dep in range(0, 7200, 60)])
    assert t.time_s[0] == expected
    assert t.time_s[1] == np.inf  # too far to walk within the limit, no stop within reach
    assert t.time_s[2] == pytest.approx(walk_s(0), abs=1)  # at the door: walking wins
    assert t.method == "transit" and t.facility.tolist() == [42, -1, 42]  # the service reached (none: -1)
    share = state.per_origin["share"]
    assert share[0] == np.mean([by_bus(dep) <= 1800 for dep in range(0, 7200, 60)]) == 11 / 12
    assert share[1] == 0.0 and share[2] == 1.0
    # a closed service: nothing to reach
    closed = model.close(state, [42])
    assert np.isinf(model.at_origins(closed).time_s).all()


def brute_return(trips, footpaths, egress, stop, tau):
    """Earliest arrival on board at `stop` when leaving the services at `tau` (walking to any stop with an egress),
    by the same fixpoint: the way back, by the same rules as the way there."""
    return _ride(trips, footpaths, [tau + e if e < INF else INF for e in egress])[stop]


@pytest.mark.parametrize("seed", range(60))
def test_the_way_back_equals_the_brute_force_for_every_stop_and_departure(seed):
    rng = np.random.default_rng(seed)
    trips, footpaths, egress = random_network(rng)
    tt = transit.Timetable.from_trips(7, trips, footpaths)
    back = transit.profile(tt.reversed(0, 10**6), np.array(egress), t_min=-10**6)
    times = sorted({d for calls in trips for _s, _a, d in calls} | {0, 30, 61, 2400, 2401})
    reached = 0
    for stop in range(7):
        for tau in times:
            expected = brute_return(trips, footpaths, egress, stop, tau)
            got = back.arrival_from(stop, tau)
            assert (got if got < transit.INF else INF) == expected, (seed, stop, tau)
            reached += expected < INF
    assert reached > 0, seed  # every random network has some way back: the comparison is worth something


def test_return_times_walk_home_from_the_last_stop_or_walk_all_the_way():
    # a bus every 10 minutes from the service's stop 1 (16:00 … 16:50) to stop 0, 12 minutes; home is 2 minutes'
    # walk from stop 0 and 50 minutes' walk from the service
    trips = [[(1, 57600 + 600 * k, 57600 + 600 * k), (0, 58320 + 600 * k, 58320 + 600 * k)] for k in range(6)]
    tt = transit.Timetable.from_trips(2, trips)
    departures = np.arange(57600, 57600 + 3600, 60)
    times = transit.return_times(tt, np.array([INF, 60]), np.array([0, 1]), np.array([0]), np.array([120]),
                                 np.array([3000]), departures)
    # leaving the service at 16:00: a minute to the stop, the 16:10 bus, home 16:22 + 2 min: 24 minutes
    assert times[0, 0] == 24 * 60
    # leaving at 16:09: at the stop 16:10, on the bus, home at 16:24: 15 minutes
    assert times[0, 9] == 15 * 60
    # after the last bus (16:50, reached by leaving at 16:49), walking all the way
    assert times[0, 50] == 3000
    # the way there does not count: a bus from stop 0 to stop 1 only gives no way back
    there = transit.Timetable.from_trips(2, [[(0, 57600, 57600), (1, 58320, 58320)]])
    assert transit.return_times(there, np.array([INF, 60]), np.array([0, 1]), np.array([0]), np.array([120]),
                                np.array([np.inf]), departures)[0, 0] == np.inf


def test_departures_near_count_each_trip_once():
    # trip 0 calls at stops 0 and 1 (both near the village), trip 1 leaves stop 2 only, trip 2 ends at stop 0
    trips = [[(0, 100, 100), (1, 200, 250), (3, 300, 300)], [(2, 500, 500), (3, 600, 600)], [(3, 50, 50), (0, 90, 90)]]
    tt = transit.Timetable.from_trips(4, trips)
    out = tt.departures_near([[0, 1], [2], [3], []])
    assert out.tolist() == [[1, 100, 250], [1, 500, 500], [1, 50, 50], [0, -1, -1]]


@pytest.mark.parametrize("seed", range(30))
def test_an_edited_timetable_equals_one_built_from_the_edited_trips(seed):
    """What-if: dropping trips and stops and adding trips gives the same answers as writing the timetable anew."""
    rng = np.random.default_rng(seed)
    trips, footpaths, egress = random_network(rng)
    tt = transit.Timetable.from_trips(7, trips, footpaths)
    drop_trips = rng.random(len(trips)) < 0.3
    drop_stops = {int(rng.integers(0, 7))}
    added = transit.line_trips(np.array([0.0, 3000, 6000]), np.zeros(3), 600, 1800, 600,
                               stops=rng.choice(7, 3, replace=False))
    edited = tt.edited(drop_trips=drop_trips, drop_stops=drop_stops, add_trips=added)
    kept = [[c for c in calls if c[0] not in drop_stops] for t, calls in enumerate(trips) if not drop_trips[t]]
    anew = transit.Timetable.from_trips(7, [c for c in kept if len(c) >= 2] + added, footpaths)
    a, b = transit.profile(edited, np.array(egress)), transit.profile(anew, np.array(egress))
    for stop in range(7):
        for tau in range(0, 4000, 60):
            assert a.arrival(stop, tau) == b.arrival(stop, tau), (seed, stop, tau)
    assert edited.dep_s.size == anew.dep_s.size


def test_a_vehicle_that_no_longer_calls_drives_on_to_the_next_stop():
    trips = [[(0, 0, 0), (1, 600, 660), (2, 1200, 1200)]]
    tt = transit.Timetable.from_trips(3, trips).edited(drop_stops=[1])
    assert (tt.dep_stop.tolist(), tt.arr_stop.tolist(), tt.dep_s.tolist(), tt.arr_s.tolist()) == ([0], [2], [0], [1200])
    # a new line every 10 minutes from 08:00 to 08:20 through three places 7 km apart, both ways: 3 × 2 trips
    new = transit.line_trips(np.array([0.0, 7000, 14000]), np.zeros(3), 28800, 30000, 600)
    assert len(new) == 6 and new[0][0] == (0, 28800, 28800) and new[3][0] == (2, 28800, 28800)
    assert new[0][1][1] == 28800 + int(7000 * 1.25 / (35 / 3.6)) + 60  # 35 km/h on roads 1.25 × longer, +1 min


@pytest.mark.parametrize("seed", range(40))
def test_the_service_reached_is_one_that_arrives_that_early(seed):
    """Which service a journey ends at (for the share of residents whose nearest lies across the border): going to
    that service alone arrives exactly as early as going to the nearest of all."""
    rng = np.random.default_rng(seed)
    trips, footpaths, egress = random_network(rng)
    tt = transit.Timetable.from_trips(7, trips, footpaths)
    prof = transit.profile(tt, np.array(egress), egress_service=np.arange(7))  # service s stands by stop s
    checked = 0
    for stop in range(7):
        for tau in sorted({d for calls in trips for _s, _a, d in calls} | {0}):
            best = prof.arrival(stop, tau)
            if best >= transit.INF:
                assert prof.service(stop, tau) == -1
                continue
            s = prof.service(stop, tau)
            alone = [e if k == s else INF for k, e in enumerate(egress)]
            assert brute_arrival(tt, trips, footpaths, alone, stop, tau) == best, (seed, stop, tau)
            checked += 1
    assert checked > 0


def test_the_model_names_the_service_reached_on_the_median_minute():
    from partons.access.model import Facilities
    from partons.access.modes import MODES

    # stops 0 and 1 lie 5 km apart; a bus every 10 minutes from 07:00; service 7 by stop 1, service 9 a 20-minute
    # walk from home the other way: by bus (2 + ≤10 wait + 12 min) the bus's service is nearer on most minutes
    trips = [[(0, 25200 + 600 * k, 25200 + 600 * k), (1, 25920 + 600 * k, 25920 + 600 * k)] for k in range(12)]
    m = transit.TransitModel(transit.Timetable.from_trips(2, trips), [0, 5000], [0, 0], MODES["walk"],
                             np.arange(25200, 25200 + 7200, 60), threshold_s=1800)
    m.set_origins([100], [0])
    walk = MODES["walk"]
    far = 20 * 60 * walk.crow_speed_ms / walk.circuity
    state = m.search(Facilities([5000, 100 - far], [0, 0], [7, 9]), limit_s=3600)
    assert m.at_origins(state).facility.tolist() == [7]
    state = m.search(Facilities([100 - far], [0], [9]), limit_s=3600)  # control: without the bus's service
    assert m.at_origins(state).facility.tolist() == [9]


def test_walking_to_the_stops_follows_the_paths_when_there_are_some():
    """Home and the stop face each other across a river 300 m wide: as the crow flies the bus is 5 minutes' walk
    away, along the paths (a bridge 2 km upstream) it is beyond reach, and the resident walks all the way."""
    from partons.access.graph import Graph
    from partons.access.model import Facilities, NetworkModel
    from partons.access.modes import MODES

    walk = MODES["walk"]
    # nodes: 0 home (0, 0), 1 (0, 2000), 2 (300, 2000), 3 the stop (300, 0); a path 0-1-2-3 (the bridge at the top),
    # 4 the service (5300, 0) joined to 3 by a 5 km path
    x, y = [0, 0, 300, 300, 5300], [0, 2000, 2000, 0, 0]
    edges = [(0, 1, 2000), (1, 2, 300), (2, 3, 2000), (3, 4, 5000)]
    src, dst, length = zip(*[(a, b, m) for a, b, m in edges] + [(b, a, m) for a, b, m in edges])
    g = Graph.from_edges("walk", x, y, src, dst, np.array(length) / (walk.speed_kmh / 3.6) * 10, length)
    trips = [[(0, 25200 + 600 * k, 25200 + 600 * k), (1, 25500 + 600 * k, 25500 + 600 * k)] for k in range(12)]
    tt = transit.Timetable.from_trips(2, trips)
    window = np.arange(25200, 25200 + 3600, 60)
    crow = transit.TransitModel(tt, [300, 5300], [0, 0], walk, window, threshold_s=1800)
    paths = transit.TransitModel(tt, [300, 5300], [0, 0], walk, window, threshold_s=1800,
                                 paths=NetworkModel(g, walk, max_snap_m=50))
    service = Facilities([5300], [0], [7])
    for m in (crow, paths):
        assert m.set_origins([0], [0]).size == 0
    by_crow = crow.at_origins(crow.search(service, limit_s=7200)).time_s[0]
    along = paths.at_origins(paths.search(service, limit_s=7200)).time_s[0]
    assert by_crow < 20 * 60  # the bus, 5 minutes' walk away as the crow flies (the control)
    assert along == pytest.approx((2000 + 300 + 2000 + 5000) / (walk.speed_kmh / 3.6), abs=1)  # on foot all the way
    assert paths.access[1].size == 0  # no stop within reach along the paths
    # a footbridge straight across: along the paths too the bus is within reach, and the egress follows the path
    edges.append((0, 3, 300))
    src, dst, length = zip(*[(a, b, m) for a, b, m in edges] + [(b, a, m) for a, b, m in edges])
    g = Graph.from_edges("walk", x, y, src, dst, np.array(length) / (walk.speed_kmh / 3.6) * 10, length)
    bridged = transit.TransitModel(tt, [300, 5300], [0, 0], walk, window, threshold_s=1800,
                                   paths=NetworkModel(g, walk, max_snap_m=50))
    bridged.set_origins([0], [0])
    state = bridged.search(service, limit_s=7200)
    assert bridged.at_origins(state).time_s[0] < 20 * 60 and bridged.at_origins(state).facility.tolist() == [7]
    assert bridged.access[2].tolist() == pytest.approx([300 / (walk.speed_kmh / 3.6)], abs=1)
