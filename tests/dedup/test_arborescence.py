"""The cheapest tree of "made from" edges (Chu-Liu/Edmonds) against a brute-force oracle."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storymatch.dedup.arborescence import min_arborescence


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
