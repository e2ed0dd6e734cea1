"""The cheapest tree of "made from" edges (Chu-Liu/Edmonds) against a brute-force oracle."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storymatch.dedup.arborescence import _solve, min_arborescence, min_arborescence_table


def _brute(n: int, weights: dict[tuple[int, int], int], root: int) -> int:
    """The cheapest total over every assignment of one parent per node that is a tree."""
    nodes = [v for v in range(n) if v != root]
    best = None
    for parents in itertools.product(range(n), repeat=len(nodes)):
        tree = dict(zip(nodes, parents, strict=True))
        if any(v == p or (p, v) not in weights for v, p in tree.items()):
            continue
        if all(_reaches_root(v, tree, root) for v in nodes):
            total = sum(weights[p, v] for v, p in tree.items())
            best = total if best is None else min(best, total)
    assert best is not None
    return best


def _reaches_root(v: int, tree: dict[int, int], root: int) -> bool:
    seen = set()
    while v != root:
        if v in seen:
            return False
        seen.add(v)
        v = tree[v]
    return True


def test_a_cycle_is_broken_where_entering_it_costs_least() -> None:
    # 1 and 2 are cheapest made from each other; the root enters the pair at 2
    weights = {(0, 1): 10, (0, 2): 4, (1, 2): 1, (2, 1): 1}
    assert min_arborescence(3, weights) == {1: 2, 2: 0}


def test_ties_go_to_the_lower_parent() -> None:
    assert min_arborescence(3, {(0, 1): 1, (0, 2): 1, (1, 2): 1}) == {1: 0, 2: 0}


def test_an_unreachable_node_is_an_error() -> None:
    with pytest.raises(ValueError, match="node 2"):
        min_arborescence(3, {(0, 1): 1})


@given(
    n=st.integers(min_value=2, max_value=5),
    costs=st.lists(st.integers(min_value=0, max_value=6), min_size=25, max_size=25),
)
def test_matches_the_brute_force_oracle(n: int, costs: list[int]) -> None:
    weights = {(u, v): costs[u * 5 + v] for u in range(n) for v in range(n) if v not in (u, 0)}
    parents = min_arborescence(n, weights)
    assert set(parents) == set(range(1, n))
    assert all(_reaches_root(v, parents, 0) for v in parents)
    assert sum(weights[p, v] for v, p in parents.items()) == _brute(n, weights, 0)


def _python_solver(n: int, weights: dict[tuple[int, int], int], root: int) -> dict[int, int]:
    edges = {(u, v): w for (u, v), w in weights.items() if v not in (u, root)}
    return dict(sorted(_solve(list(range(n)), edges, root).items()))


def _outcome(solve: Callable[[], dict[int, int]]) -> dict[int, int] | str:
    try:
        return solve()
    except ValueError as error:
        return str(error)


@settings(max_examples=400, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=9),
    root=st.integers(min_value=0, max_value=8),
    costs=st.lists(st.integers(min_value=-1, max_value=3), min_size=81, max_size=81),
)
def test_compiled_kernel_takes_the_python_solvers_steps(
    n: int, root: int, costs: list[int]
) -> None:
    # few distinct costs: ties everywhere, each broken as the Python solver breaks it (-1: no
    # edge); an unreachable node is reported by the Python solver, by name
    root %= n
    weights = {
        (u, v): costs[u * 9 + v] for u in range(n) for v in range(n) if costs[u * 9 + v] >= 0
    }
    table = [weights.get((u, v), -1) for u in range(n) for v in range(n)]
    expected = _outcome(lambda: _python_solver(n, weights, root))
    assert _outcome(lambda: min_arborescence_table(table, root)) == expected
    assert _outcome(lambda: min_arborescence(n, weights, root)) == expected


def test_graphs_the_kernel_does_not_take_go_to_the_python_solver() -> None:
    # a negative cost, a cost past int64, more nodes than the kernel takes: the solver's answer
    assert min_arborescence(3, {(0, 1): -1, (0, 2): 1, (1, 2): -5}) == {1: 0, 2: 1}
    huge = 1 << 70
    assert min_arborescence(3, {(0, 1): huge, (0, 2): huge + 1, (1, 2): 0}) == {1: 0, 2: 1}
    assert min_arborescence_table([-1, huge, huge + 1, -1, -1, 0, -1, -1, -1]) == {1: 0, 2: 1}
    star = {(0, v): v for v in range(1, 80)}
    assert min_arborescence(80, star) == dict.fromkeys(range(1, 80), 0)
    with pytest.raises(ValueError, match="no square"):
        min_arborescence_table([0, 1, 2])
