"""The planner's model as a mixed-integer programme: variables, the rule, the vetoes and the
sequencing rules in whole-number weights (the formulation :mod:`stakemap.planning.exact`
solves and describes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from stakemap.planning.opinion import LINE, TOL
from stakemap.planning.problem import Problem

__all__ = ["Formulation", "Model"]

_SAFE = TOL / 2  # the programme aims inside the planner's tolerance, not on its edge
_STEP = 1e-4  # "more than" in tie points and stance points: far above HiGHS's tolerances


@dataclass
class Model:
    """The programme's rows and columns as they are built."""

    nv: int = 0
    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    rows: list[dict[int, float]] = field(default_factory=list)
    lo: list[float] = field(default_factory=list)
    hi: list[float] = field(default_factory=list)

    def var(self, count: int, cost=0.0, upper=1.0, integer=1) -> int:
        """``count`` new variables; returns the first one's column."""
        start = self.nv
        self.nv += count
        self.cost += [cost] * count if np.isscalar(cost) else list(cost)
        self.lower += [0.0] * count
        self.upper += [upper] * count
        self.integer += [integer] * count
        return start

    def add(self, coeffs: dict[int, float], low: float, high: float) -> None:
        self.rows.append({c: v for c, v in coeffs.items() if v})
        self.lo.append(low)
        self.hi.append(high)


class Formulation:
    """The programme for one problem (see :mod:`stakemap.planning.exact`)."""

    def __init__(
        self,
        pr: Problem,
        margin: float,
        mtz: bool,
        not_first,
        forbid,
        rules: bool,
        carriers: str,
        cap: float | None = None,
    ) -> None:
        self.pr, self.margin, self.rules, self.carriers = pr, margin, rules, carriers
        net, rule = pr.net, pr.rule
        n = pr.size
        self.model = md = Model()
        self.hopeless = not n or not rule.member.any()
        eligible = pr.eligible & ~net.active0
        self.cand = cand = [int(k) for k in np.flatnonzero(eligible)]
        self.pos = pos = {k: a for a, k in enumerate(cand)}
        c = len(cand)
        self.gain = gain = net.gain()
        typed = net.typed
        champion = net.champion
        pairs: list[tuple[int, int, float]] = []
        base = np.zeros(c)  # each meeting's push with the carriers of the start alone
        start_in = np.zeros(c)  # tie weight into k carried from the start (champion included)
        start_msg = np.zeros(c, dtype=bool)
        for a, k in enumerate(cand):
            base[a], messengers, _ = net.push(k, net.active0)
            start_msg[a] = bool(messengers)
            for j, w in net.listens[k]:
                if net.active0[j]:
                    start_in[a] += w
                elif j in pos and j != champion:
                    pairs.append((j, k, w))
        self.pairs = pairs
        self.base = base
        repelled = [a for a, k in enumerate(cand) if net.champion_tie[k] < 0 and not start_msg[a]]
        self.oz = md.var(c, cost=pr.effort[cand] if c else 0.0)
        self.oy = md.var(len(pairs))
        self.om = md.var(len(repelled))
        self.ot = md.var(c, upper=max(c - 1, 0) if mtz else 0.0, integer=0)
        self.arc = {(j, k): b for b, (j, k, _) in enumerate(pairs)}
        by_target: dict[int, list[int]] = {}
        for b, (_, k, _) in enumerate(pairs):
            by_target.setdefault(k, []).append(b)
        # opinion change of everyone as a linear form over z, y, m
        self.terms: list[tuple[int, int, float]] = []  # (column, person met, push)
        for a, k in enumerate(cand):
            self.terms.append((self.oz + a, k, base[a]))
        for b, (_, k, w) in enumerate(pairs):
            self.terms.append((self.oy + b, k, w))
        for e, a in enumerate(repelled):
            self.terms.append((self.om + e, cand[a], -float(net.champion_tie[cand[a]])))
        for b, (j, k, _) in enumerate(pairs):
            md.add({self.oy + b: 1.0, self.oz + pos[j]: -1.0}, -np.inf, 0.0)
            md.add({self.oy + b: 1.0, self.oz + pos[k]: -1.0}, -np.inf, 0.0)
            if mtz:
                big = float(max(c, 1))
                md.add(
                    {self.ot + pos[j]: 1.0, self.ot + pos[k]: -1.0, self.oy + b: big},
                    -np.inf,
                    big - 1.0,
                )
            elif (k, j) in self.arc and j < k:
                md.add({self.oy + b: 1.0, self.oy + self.arc[k, j]: 1.0}, -np.inf, 1.0)
        for e, a in enumerate(repelled):
            k = cand[a]
            row = {self.om + e: 1.0}
            for b in by_target.get(k, []):
                row[self.oy + b] = -1.0
            md.add(row, -np.inf, 0.0)  # m_k <= sum of y_jk
            row = {self.oz + a: base[a], self.om + e: -float(net.champion_tie[k])}
            for b in by_target.get(k, []):
                row[self.oy + b] = pairs[b][2]
            md.add(row, 0.0, np.inf)  # no meeting pushes anyone down
        # R4: a sympathetic peer the person listens to is met first
        peers = set(pr.sympathetic_peers()) if rules else set()
        for b, (j, k, _) in enumerate(pairs):
            if (j, k) in peers:
                md.add({self.oy + b: 1.0, self.oz + pos[k]: -1.0}, 0.0, np.inf)
        # R5: a powerful active opponent only once more than half they listen to carries it
        for a, k in enumerate(cand):
            if not rules or not pr.powerful_opponent(k) or typed[k] >= LINE - TOL:
                continue
            total = sum(w for _, w in net.listens[k])
            later = sum(pairs[b][2] for b in by_target.get(k, []))
            if start_in[a] > 0.5 * total + _STEP:
                continue
            if start_in[a] + later <= 0.5 * total + _STEP:
                md.upper[self.oz + a] = 0.0
                continue
            row = {self.oz + a: start_in[a] - 0.5 * total - _STEP}
            for b in by_target.get(k, []):
                row[self.oy + b] = pairs[b][2]
            md.add(row, 0.0, np.inf)
        best_push = {k: net.push(k, np.ones(n, dtype=bool))[0] for k in cand}
        self.hope = typed + sum((gain[:, k] * max(best_push[k], 0.0) for k in cand), np.zeros(n))
        self._opinions()
        self._carriers()
        self._rule()
        self._opener(not_first)
        for chosen in forbid:
            self._forbid(chosen)
        if cap is not None:  # only plans cheaper than ``cap``
            md.add({self.oz + a: float(pr.effort[k]) for a, k in enumerate(cand)}, -np.inf, cap)

    # -- opinions ---------------------------------------------------------------------------

    def _form(self, i: int, without: int | None = None) -> dict[int, float]:
        """The opinion change of ``i`` as {column: coefficient}, leaving out the pushes of the
        meeting with ``without`` if given."""
        if not hasattr(self, "_cols"):
            self._cols = np.array([t[0] for t in self.terms], dtype=np.int64)
            self._ks = np.array([t[1] for t in self.terms], dtype=np.int64)
            self._push = np.array([t[2] for t in self.terms], dtype=float)
        coef = self.gain[i, self._ks] * self._push
        keep = np.abs(coef) > 1e-12
        if without is not None:
            keep &= self._ks != without
        return dict(zip(self._cols[keep].tolist(), coef[keep].tolist(), strict=True))

    def _opinions(self) -> None:
        """``s_i`` (for) for everyone whose being for matters; ``o_i`` (against) where the
        rule counts those against."""
        pr, md = self.pr, self.model
        rule = pr.rule
        typed = pr.net.typed
        watch = set(np.flatnonzero(rule.member).tolist())
        for v in rule.vetoes:
            watch |= {v.index, *v.listeners}
        if self.carriers == "end":
            watch |= {j for j, _, _ in self.pairs}
        self.watched = sorted(watch)
        self.os = md.var(len(self.watched))
        self.spos = {i: a for a, i in enumerate(self.watched)}
        for i in self.watched:
            col = self.os + self.spos[i]
            need = LINE + self.margin - TOL + _SAFE - typed[i]
            if need <= 0:
                continue
            if self.hope[i] - typed[i] < need - 1e-9:
                md.upper[col] = 0.0
                continue
            row = self._form(i)
            if all(v >= 0 for v in row.values()):  # a valid strengthening for binaries
                row = {k: min(v, need) for k, v in row.items()}
            md.add({**row, col: -need}, 0.0, np.inf)
        self.against: dict[int, int] = {}
        if rule.counted:
            return
        maybe = [i for i in self.watched if typed[i] <= -LINE + TOL]
        self.oo = md.var(len(maybe))
        for a, i in enumerate(maybe):
            col = self.oo + a
            self.against[i] = col
            row = self._form(i)
            rise = self.hope[i] - typed[i] + 1.0
            low = -LINE + 2 * TOL - typed[i]  # not against: above -LINE
            if self.hope[i] < -LINE + 2 * TOL:
                md.lower[col] = 1.0
                continue
            md.add({**row, col: rise}, low, np.inf)  # o = 0 -> x > -LINE
            md.add({**row, col: rise}, -np.inf, -LINE - typed[i] + rise)  # o = 1 -> x <= -LINE

    def _carriers(self) -> None:
        """Who may carry the idea to whom. ``end`` (the relaxation): a messenger is for it at
        the end. ``own`` (the restriction): a messenger is won by their own meeting, with the
        messengers before it (``g_j``); other meetings can only add to that, so the plan is
        real."""
        md, pr = self.model, self.pr
        if self.carriers == "end":
            # j carries to k only if j is for it without k's own meeting, which comes after
            for b, (j, k, _) in enumerate(self.pairs):
                need = LINE - TOL + _SAFE - pr.net.typed[j]
                if need <= 0:
                    continue
                row = self._form(j, without=k)
                if all(v >= 0 for v in row.values()):  # a valid strengthening for binaries
                    row = {col: min(v, need) for col, v in row.items()}
                md.add({**row, self.oy + b: -need}, 0.0, np.inf)
            return
        messengers = sorted({j for j, _, _ in self.pairs})
        og = md.var(len(messengers))
        won = {j: og + a for a, j in enumerate(messengers)}
        into: dict[int, list[int]] = {}
        for b, (_, k, _) in enumerate(self.pairs):
            into.setdefault(k, []).append(b)
        repelled = {k: col for col, k, _ in self.terms if self.om <= col < self.ot}
        for j in messengers:
            a = self.pos[j]
            md.add({won[j]: 1.0, self.oz + a: -1.0}, -np.inf, 0.0)
            need = LINE - TOL + _SAFE - pr.net.typed[j]
            if need > 0:
                self_gain = self.gain[j, j]
                row = {won[j]: -need, self.oz + a: self_gain * self.base[a]}
                for b in into.get(j, []):
                    row[self.oy + b] = self_gain * self.pairs[b][2]
                if j in repelled:
                    row[repelled[j]] = -self_gain * float(pr.net.champion_tie[j])
                md.add(row, 0.0, np.inf)
        for b, (j, _, _) in enumerate(self.pairs):
            md.add({self.oy + b: 1.0, won[j]: -1.0}, -np.inf, 0.0)

    def _for(self, i: int) -> dict[int, float]:
        return {self.os + self.spos[i]: 1.0}

    def _against(self, i: int) -> dict[int, float]:
        return {self.against[i]: 1.0} if i in self.against else {}

    # -- the rule ---------------------------------------------------------------------------

    def _rule(self) -> None:
        pr, md = self.pr, self.model
        rule = pr.rule
        members = np.flatnonzero(rule.member).tolist()
        deemed = None
        if rule.blocking is not None:
            deemed = md.var(1)
            measure = rule.blocking.measure
            need = rule.blocking.need(measure.total)
            if rule.counted:  # not in favour: members not for
                row = {self.os + self.spos[i]: float(measure.ints[i]) for i in members}
                big = float(measure.total)
                md.add({**row, deemed: -big}, measure.total - need + 1 - big, np.inf)
            else:
                row = {}
                for i in members:
                    for col in self._against(i):
                        row[col] = float(measure.ints[i])
                big = float(measure.total)
                md.add({**row, deemed: big}, -np.inf, need - 1 + big)
        for line in rule.lines:
            self._line(line, members, deemed)
        if rule.quorum is not None:
            measure = rule.quorum.measure
            need = rule.quorum.need(measure.total)
            if rule.counted:
                if measure.total < need:
                    self.hopeless = True
            else:
                row: dict[int, float] = {}
                for i in members:
                    w = float(measure.ints[i])
                    row[self.os + self.spos[i]] = w
                    for col in self._against(i):
                        row[col] = w
                md.add(row, need, np.inf)
        for v in rule.vetoes:
            self._veto(v)

    def _line(self, line, members: list[int], deemed: int | None) -> None:
        md, rule = self.model, self.pr.rule
        measure = line.measure
        ints = {i: float(measure.ints[i]) for i in members if measure.ints[i]}
        yes = {self.os + self.spos[i]: w for i, w in ints.items()}
        if rule.counted or not line.is_share:
            need = line.need(measure.total)
            relax = {deemed: float(need)} if deemed is not None else {}
            md.add({**yes, **relax}, need, np.inf)
            return
        a, b = line.amount.numerator, line.amount.denominator
        row = {col: (b - a) * w for col, w in yes.items()}
        for i, w in ints.items():
            for col in self._against(i):
                row[col] = -a * w
        floor = 1.0 if line.strict else 0.0
        if deemed is not None:
            big = float(a * measure.total + 1)
            md.add({**row, deemed: big}, floor, np.inf)
            md.add({**yes, deemed: 1.0}, 1.0, np.inf)
        else:
            md.add(row, floor, np.inf)
            md.add(yes, 1.0, np.inf)

    def _veto(self, v) -> None:
        """Formal: the holder clear (for, or not against when abstentions are not counted).
        Informal: clear, or every member he listens to for (and at least one)."""
        md, rule = self.model, self.pr.rule
        i = v.index
        if rule.counted:
            clear, const = self._for(i), 0.0  # clear = s_i
        else:
            clear = {col: -1.0 for col in self._against(i)}  # clear = 1 - o_i
            const = 1.0
        if v.kind == "formal" or not v.listeners:
            if clear:
                md.add(clear, 1.0 - const, np.inf)
            return
        for u in v.listeners:
            md.add({**clear, self.os + self.spos[u]: 1.0}, 1.0 - const, np.inf)

    # -- openers, routes, cuts --------------------------------------------------------------

    def _opener(self, not_first: int | None) -> None:
        """Binaries ``f_k`` pick an opener other than ``not_first``: met, with no messenger
        met before them."""
        if not_first is None:
            return
        md, c = self.model, len(self.cand)
        of = md.var(c)
        md.add({of + a: 1.0 for a in range(c)}, 1.0, 1.0)
        for a, k in enumerate(self.cand):
            md.add({of + a: 1.0, self.oz + a: -1.0}, -np.inf, 0.0)
            if k == not_first:
                md.upper[of + a] = 0.0
        for b, (_, k, _) in enumerate(self.pairs):
            md.add({self.oy + b: 1.0, of + self.pos[k]: 1.0}, -np.inf, 1.0)
        self.of = of

    def _forbid(self, chosen: frozenset[int]) -> None:
        """No plan meets exactly the people in ``chosen``."""
        row = {self.oz + a: (1.0 if k in chosen else -1.0) for a, k in enumerate(self.cand)}
        self.model.add(row, -np.inf, len(chosen) - 1.0)

    def exclude(self, sol: np.ndarray) -> None:
        """Cut off a solution's people met and the messengers it relied on."""
        on_z = [a for a in range(len(self.cand)) if sol[self.oz + a] > 0.5]
        on_y = [b for b in range(len(self.pairs)) if sol[self.oy + b] > 0.5]
        row = {self.oz + a: (1.0 if a in on_z else -1.0) for a in range(len(self.cand))}
        row.update({self.oy + b: 1.0 for b in on_y})
        self.model.add(row, -np.inf, len(on_z) + len(on_y) - 1.0)

    def before(self, sol: np.ndarray) -> list[tuple[int, int]]:
        return [(j, k) for b, (j, k, _) in enumerate(self.pairs) if sol[self.oy + b] > 0.5]

    def order(self, sol: np.ndarray) -> tuple[int, ...]:
        met = [self.cand[a] for a in range(len(self.cand)) if sol[self.oz + a] > 0.5]
        first = None
        if hasattr(self, "of"):
            first = next(
                (self.cand[a] for a in range(len(self.cand)) if sol[self.of + a] > 0.5), None
            )
        when = {k: sol[self.ot + self.pos[k]] for k in met}
        return _sequence(self.pr, met, self.before(sol), when, first)


def _sequence(pr: Problem, met, before, when, first=None) -> tuple[int, ...]:
    """A topological order of ``met`` keeping every ``before`` pair: people for today first,
    then the deferred-to before those who defer to them (R3) where that keeps the order, then
    the solver's order; ``first`` (if given) opens."""
    needs: dict[int, set[int]] = {k: set() for k in met}
    for j, k in before:
        needs[k].add(j)
    chosen = set(met)
    typed = pr.net.typed
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < len(met):
        ready = [k for k in met if k not in placed and needs[k] <= placed]
        if not ready:  # cannot happen with the order constraints; keep the solver's order
            ready = [k for k in met if k not in placed]

        def key(k: int) -> tuple:
            waits = any(
                u in chosen and u not in placed and u != k and _acyclic(needs, u, k)
                for u in pr.defers[k]
            )
            return (k != first, typed[k] < LINE - TOL, waits, when[k], k)

        k = min(ready, key=key)
        order.append(k)
        placed.add(k)
    return tuple(order)


def _acyclic(needs: dict[int, set[int]], u: int, k: int) -> bool:
    """Whether ``u`` may come before ``k``: ``u`` does not (transitively) need ``k``."""
    seen, stack = set(), [u]
    while stack:
        a = stack.pop()
        if a == k:
            return False
        if a in seen:
            continue
        seen.add(a)
        stack.extend(needs.get(a, ()))
    return True
