"""Choosing which applications a call funds: an exact optimisation, not a greedy ranking.

Maximise the total weighted score of the selected applications such that
- their requested amounts fit in the call's budget,
- no more projects than the call expects are selected,
- (optionally) the two sides of the border stay balanced: at least ``min_per_side`` projects on each side that
  has candidates, and/or at most ``max_side_gap`` more projects on one side than on the other;
and, among the selections with the best total score, spend the least. Solved as a 0/1 integer programme with
SciPy's HiGHS (``scipy.optimize.milp``); pure Python + NumPy + SciPy, no Django.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

SCORE_SCALE = 1000  # scores are compared as integers (thousandths), so ties are exact


@dataclass(frozen=True)
class Candidate:
    key: int
    score: float  # weighted score, e.g. 0–100
    amount_cents: int  # what it asks for
    side: str = ""  # "BE" / "FR" (or "" when unknown)


@dataclass
class Selection:
    selected: list[int]  # keys, best score first
    total_score: float
    total_cents: int
    status: str  # "optimal" or "infeasible"
    per_side: dict = field(default_factory=dict)
    message: str = ""
    # rules that could not be met as asked: (side, candidates on that side, projects the rule asked for)
    relaxed: list = field(default_factory=list)


def select(candidates: list[Candidate], *, budget_cents: int, max_projects: int | None = None,
           min_per_side: int = 0, max_side_gap: int | None = None, sides: tuple[str, ...] = ()) -> Selection:
    """The optimal selection (see the module's docstring). Candidates with a non-positive amount or score are
    never selected; ``max_projects`` None means no limit on the number. ``sides``: the sides the per-side rule is
    meant for; a side with fewer candidates than the rule asks is reported in ``relaxed`` (the rule then asks what
    that side can give), never silently."""
    cands = [c for c in candidates if c.amount_cents > 0 and c.score > 0]
    n = len(cands)
    relaxed = []
    if min_per_side:
        for side in sides:
            available = sum(1 for c in cands if c.side == side)
            if available < min_per_side:
                relaxed.append((side, available, min_per_side))
    if n == 0:
        return Selection([], 0.0, 0, "optimal", {}, "no candidate", relaxed)
    score = np.array([round(c.score * SCORE_SCALE) for c in cands], dtype=float)
    cost = np.array([c.amount_cents for c in cands], dtype=float)
    rows, lo, hi = [cost], [0.0], [float(budget_cents)]
    if max_projects is not None:
        rows.append(np.ones(n))
        lo.append(0)
        hi.append(max_projects)
    present = sorted({c.side for c in cands if c.side})
    side_vec = {s: np.array([1.0 if c.side == s else 0.0 for c in cands]) for s in present}
    if min_per_side and len(present) >= 1:
        for s in present:
            rows.append(side_vec[s])
            lo.append(min(min_per_side, int(side_vec[s].sum())))
            hi.append(np.inf)
    if max_side_gap is not None and len(present) == 2:
        diff = side_vec[present[0]] - side_vec[present[1]]
        rows.append(diff)
        lo.append(-max_side_gap)
        hi.append(max_side_gap)
    a = np.vstack(rows)
    constraints = LinearConstraint(a, np.array(lo, dtype=float), np.array(hi, dtype=float))
    integrality = np.ones(n)
    bounds = Bounds(np.zeros(n), np.ones(n))
    first = milp(-score, constraints=constraints, integrality=integrality, bounds=bounds)
    if first.status != 0 or first.x is None:
        return Selection([], 0.0, 0, "infeasible", {}, first.message, relaxed)
    best = float(np.round(score @ np.round(first.x)))
    # Second pass: the same best score, at the lowest cost (ties between equally good selections).
    tie = LinearConstraint(np.vstack([a, score]), np.array(lo + [best - 0.5], dtype=float), np.array(hi + [np.inf], dtype=float))
    second = milp(cost, constraints=tie, integrality=integrality, bounds=bounds)
    x = np.round(second.x if second.status == 0 and second.x is not None else first.x).astype(int)
    chosen = [cands[i] for i in range(n) if x[i] == 1]
    chosen.sort(key=lambda c: (-c.score, c.amount_cents, c.key))
    per_side: dict[str, int] = {}
    for c in chosen:
        per_side[c.side or "?"] = per_side.get(c.side or "?", 0) + 1
    return Selection([c.key for c in chosen], round(sum(c.score for c in chosen), 6), int(sum(c.amount_cents for c in chosen)),
                     "optimal", per_side, "", relaxed)


def ranking(candidates: list[Candidate]) -> list[Candidate]:
    """By weighted score, best first (then the smaller request, then the key)."""
    return sorted(candidates, key=lambda c: (-c.score, c.amount_cents, c.key))
