"""How fast the exact selection of a call for projects answers with many applications, and what a greedy ranking
(take the best-ranked while money lasts) would lose.

    .venv/bin/python bench/selection.py [--applications 500] [--repeat 7]

Random calls: scores 40–100, requests €1,000–€10,000 in steps of €100, two sides of the border, a budget for about
a fifth of them. Two kinds of call: "count binds" allows at most as many projects as the budget allows at €10,000
each (the ranking's top projects then fit: the greedy ranking loses nothing), "budget binds" sets no number of
projects, so money runs out first and which projects fit together matters. Prints medians; asserts nothing.
"""
import argparse
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from partons.calls.selection import Candidate, ranking, select  # noqa: E402


def greedy(cands, budget, max_projects, min_per_side=0):
    chosen, spent = [], 0
    for c in ranking(cands):
        if len(chosen) == max_projects:
            break
        if spent + c.amount_cents <= budget:
            chosen.append(c)
            spent += c.amount_cents
    return chosen


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--applications", type=int, default=500)
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args()
    rng = random.Random(1)
    print(f"{'call':>13} {'applications':>12} {'exact ms':>9} {'balanced ms':>12} {'greedy ms':>10} {'exact score':>12} "
          f"{'greedy score':>13} {'greedy loses':>13}")
    for kind, n in [(k, n) for k in ("count binds", "budget binds") for n in (10, 50, 100, 250, args.applications)]:
        times, times_bal, times_greedy, losses = [], [], [], []
        exact_score = greedy_score = 0.0
        for _ in range(args.repeat):
            cands = [Candidate(i, round(rng.uniform(40, 100), 1), rng.randint(10, 100) * 10_000, rng.choice(["BE", "FR"]))
                     for i in range(n)]
            budget = sum(c.amount_cents for c in cands) // 5
            max_projects = max(1, budget // 1_000_000) if kind == "count binds" else n
            t0 = time.perf_counter()
            s = select(cands, budget_cents=budget, max_projects=max_projects)
            times.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            select(cands, budget_cents=budget, max_projects=max_projects,
                   min_per_side=max_projects // 3 if kind == "count binds" else 1, max_side_gap=2)
            times_bal.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            g = greedy(cands, budget, max_projects)
            times_greedy.append((time.perf_counter() - t0) * 1000)
            exact_score, greedy_score = s.total_score, sum(c.score for c in g)
            losses.append(max(0.0, round(exact_score - greedy_score, 6)))
            assert exact_score >= greedy_score - 1e-9  # the exact one is never worse (a check of the bench itself)
        print(f"{kind:>13} {n:12} {statistics.median(times):9.1f} {statistics.median(times_bal):12.1f} "
              f"{statistics.median(times_greedy):10.2f} {exact_score:12.1f} {greedy_score:13.1f} "
              f"{statistics.mean(losses):13.1f}")
    print("(greedy loses: mean points of total score the greedy ranking leaves on the table; the exact selection "
          "never does worse)")


if __name__ == "__main__":
    main()
