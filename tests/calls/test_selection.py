"""The selection is optimal: checked against hand-made answers and against every subset on small random cases."""
import itertools
import random

import pytest

from partons.calls.selection import Candidate, select

EUR = 100  # cents


def brute(cands, budget, max_projects=None, min_per_side=0, max_side_gap=None):
    """Every subset: the best total score, then the lowest cost."""
    best = None
    sides = sorted({c.side for c in cands if c.side})
    for r in range(len(cands) + 1):
        for combo in itertools.combinations(cands, r):
            if sum(c.amount_cents for c in combo) > budget:
                continue
            if max_projects is not None and len(combo) > max_projects:
                continue
            count = {s: sum(1 for c in combo if c.side == s) for s in sides}
            if min_per_side and any(count[s] < min(min_per_side, sum(1 for c in cands if c.side == s)) for s in sides):
                continue
            if max_side_gap is not None and len(sides) == 2 and abs(count[sides[0]] - count[sides[1]]) > max_side_gap:
                continue
            key = (round(sum(c.score for c in combo) * 1000), -sum(c.amount_cents for c in combo))
            if best is None or key > best[0]:
                best = (key, combo)
    return best


def test_a_hand_made_case_where_greedy_ranking_is_wrong():
    # €100,000 for at most 10 projects, €10,000 each at most. Taking the best-ranked first (A, 95 points, €60,000)
    # leaves room for B only: 95 + 90 = 185. The optimum is B, C, D (90 + 80 + 70 = 240) for €100,000.
    cands = [Candidate(1, 95, 60_000 * EUR), Candidate(2, 90, 40_000 * EUR), Candidate(3, 80, 30_000 * EUR),
             Candidate(4, 70, 30_000 * EUR)]
    s = select(cands, budget_cents=100_000 * EUR, max_projects=10)
    assert s.status == "optimal" and sorted(s.selected) == [2, 3, 4]
    assert s.total_score == 240 and s.total_cents == 100_000 * EUR


def test_the_number_of_projects_is_respected():
    cands = [Candidate(i, 50 + i, 5_000 * EUR) for i in range(1, 15)]  # 14 small projects, all affordable
    s = select(cands, budget_cents=100_000 * EUR, max_projects=10)
    assert len(s.selected) == 10 and sorted(s.selected) == list(range(5, 15))  # the 10 best


def test_ties_are_broken_by_the_smaller_cost():
    cands = [Candidate(1, 80, 9_000 * EUR), Candidate(2, 80, 6_000 * EUR), Candidate(3, 10, 1_000 * EUR)]
    s = select(cands, budget_cents=10_000 * EUR, max_projects=1)
    assert s.selected == [2]


def test_balance_between_the_two_sides_of_the_border():
    cands = [Candidate(1, 90, 10_000 * EUR, "BE"), Candidate(2, 88, 10_000 * EUR, "BE"), Candidate(3, 85, 10_000 * EUR, "BE"),
             Candidate(4, 60, 10_000 * EUR, "FR"), Candidate(5, 55, 10_000 * EUR, "FR")]
    free = select(cands, budget_cents=30_000 * EUR, max_projects=3)
    assert sorted(free.selected) == [1, 2, 3] and free.per_side == {"BE": 3}
    balanced = select(cands, budget_cents=30_000 * EUR, max_projects=3, min_per_side=1)
    assert sorted(balanced.selected) == [1, 2, 4] and balanced.per_side == {"BE": 2, "FR": 1}
    gap = select(cands, budget_cents=40_000 * EUR, max_projects=4, max_side_gap=0)
    assert sorted(gap.selected) == [1, 2, 4, 5]


def test_nothing_to_fund_and_impossible_limits():
    assert select([], budget_cents=1000).selected == []
    assert select([Candidate(1, 90, 2000)], budget_cents=1000).selected == []  # too expensive
    assert select([Candidate(1, 0, 100)], budget_cents=1000).selected == []  # no score, no funding
    # One side must get a project but none fits in the budget: no selection satisfies the rules.
    s = select([Candidate(1, 90, 500, "BE"), Candidate(2, 80, 2000, "FR")], budget_cents=1000, min_per_side=1)
    assert s.status == "infeasible" and s.selected == []


@pytest.mark.parametrize("seed", range(25))
def test_optimal_against_every_subset(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 11)
    cands = [Candidate(i, round(rng.uniform(1, 100), 2), rng.randint(1, 10) * 1_000 * EUR, rng.choice(["BE", "FR"]))
             for i in range(n)]
    budget = rng.randint(5, 40) * 1_000 * EUR
    max_projects = rng.choice([None, rng.randint(1, n)])
    min_per_side = rng.choice([0, 0, 1])
    gap = rng.choice([None, None, 1])
    s = select(cands, budget_cents=budget, max_projects=max_projects, min_per_side=min_per_side, max_side_gap=gap)
    b = brute(cands, budget, max_projects, min_per_side, gap)
    if b is None:
        assert s.status == "infeasible"
        return
    assert s.status == "optimal"
    assert round(s.total_score * 1000) == b[0][0] and -s.total_cents == b[0][1]
    # Every limit holds.
    chosen = [c for c in cands if c.key in s.selected]
    assert sum(c.amount_cents for c in chosen) <= budget
    assert max_projects is None or len(chosen) <= max_projects
