"""The public-transport search against a brute force on small random timetables: for every stop and every departure
second of interest, the profile's earliest arrival at a service equals the one found by relaxing every trip again and
again until nothing changes (the rules of a journey are the same: see partons/access/transit.py)."""
import numpy as np
import pytest

from partons.access import transit

INF = float("inf")


def brute_arrival(tt: transit.Timetable, trips, footpaths, egress, stop, tau):
    """Earliest arrival at a service when standing at `stop` at `tau`, by fixpoint over whole trips."""
    n = tt.n_stops
    reach = [INF] * n  # when one can board at each stop (standing there, or by a footpath after a ride)
    reach[stop] = tau
    ridden = [INF] * n  # when one arrives at each stop on board (the only place one may walk to the service from)
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
    return min((ridden[s] + egress[s] for s in range(n) if egress[s] < INF), default=INF)


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
    assert t.method == "transit" and (t.facility == -1).all()
    share = state.per_origin["share"]
    assert share[0] == np.mean([by_bus(dep) <= 1800 for dep in range(0, 7200, 60)]) == 11 / 12
    assert share[1] == 0.0 and share[2] == 1.0
    # a closed service: nothing to reach
    closed = model.close(state, [42])
    assert np.isinf(model.at_origins(closed).time_s).all()
