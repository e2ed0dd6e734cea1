"""Minimum spanning arborescence (Chu-Liu/Edmonds): the cheapest tree of "made from" edges.

:func:`storymatch.dedup.copies.pick_original` scores how cheaply each member of a group is
made from each other one; the cheapest tree over those directed costs says which member is the
original (the root) and which copy each copy was made from (its parent), chains and several
originals in one group (two outlets printing one agency text) included.

A group's tree is small (a node per member, and one above them): it is solved by a compiled
kernel (:func:`storymatch._kernels.min_arborescence_dense`) that takes the steps of the
Python solver below on a matrix, ties alike; the Python solver takes larger graphs, costs
outside the kernel's range, and reports the node a graph leaves unreachable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final

import numpy as np

from storymatch._kernels import min_arborescence_dense

__all__ = ["min_arborescence", "min_arborescence_table"]

_DENSE_MAX_NODES: Final = 64  # the kernel's matrices are (2 n) ** 2: a group's few members
_DENSE_MAX_COST: Final = 1 << 62  # costs the kernel's int64 holds


def min_arborescence(
    n: int, weights: Mapping[tuple[int, int], int], root: int = 0
) -> dict[int, int]:
    """Return the parent of every node in a minimum spanning arborescence rooted at ``root``.

    Parameters
    ----------
    n : int
        Nodes ``0 .. n-1``.
    weights : mapping of (parent, child) to int
        The directed edges and their costs (integers, so that ties are exact). Edges into
        ``root`` and loops are ignored.
    root : int, default=0
        The node every other one must be reached from.

    Returns
    -------
    dict of int to int
        Each node but ``root`` mapped to its parent, in the nodes' order. Ties between equal
        edges go to the lower parent index, so the result is deterministic.

    Raises
    ------
    ValueError
        If a node cannot be reached from ``root``.

    Examples
    --------
    >>> min_arborescence(3, {(0, 1): 5, (0, 2): 1, (2, 1): 1, (1, 2): 1})
    {1: 2, 2: 0}
    """
    if 2 <= n <= _DENSE_MAX_NODES:  # noqa: PLR2004 - a root and one more
        table = [-1] * (n * n)
        for (u, v), w in weights.items():
            if not (0 <= u < n and 0 <= v < n and w >= 0):
                break  # the table holds nodes in range and costs of 0 or more
            table[u * n + v] = w
        else:
            return min_arborescence_table(table, root)
    edges = {(u, v): w for (u, v), w in weights.items() if v not in (u, root)}
    return dict(sorted(_solve(list(range(n)), edges, root).items()))


def min_arborescence_table(costs: list[int], root: int = 0) -> dict[int, int]:
    """:func:`min_arborescence` of a graph given as a table of costs.

    A graph of 2 to 64 nodes whose costs are under ``2 ** 62`` (a group's tree) is solved by
    the compiled kernel, ties alike; any other by the Python solver.

    Parameters
    ----------
    costs : list of int
        ``costs[u * n + v]`` the cost of the edge u -> v of ``n`` nodes (``n * n`` entries),
        0 or more; -1 for no edge. Loops and edges into ``root`` are ignored.
    root : int, default=0
        The node every other one must be reached from.

    Returns
    -------
    dict of int to int
        As :func:`min_arborescence` returns it.

    Raises
    ------
    ValueError
        If ``costs`` is not a square table, or a node cannot be reached from ``root``.

    Examples
    --------
    >>> min_arborescence_table([-1, 5, 1, -1, -1, 1, -1, 1, -1])
    {1: 2, 2: 0}
    """
    n = math.isqrt(len(costs))
    if n * n != len(costs):
        msg = f"a table of {len(costs)} costs is no square"
        raise ValueError(msg)
    if 2 <= n <= _DENSE_MAX_NODES and 0 <= root < n and max(costs) < _DENSE_MAX_COST:  # noqa: PLR2004
        matrix = np.array(costs, dtype=np.int64).reshape(n, n)
        parents = min_arborescence_dense(matrix, root).tolist()
        if parents[0] != -2:  # noqa: PLR2004 - the kernel's mark of an unreachable node
            return {v: u for v, u in enumerate(parents) if v != root}
    edges = {
        (u, v): w
        for k, w in enumerate(costs)
        if w >= 0
        for u, v in (divmod(k, n),)
        if v not in (u, root)
    }
    return dict(sorted(_solve(list(range(n)), edges, root).items()))


def _solve(nodes: list[int], edges: dict[tuple[int, int], int], root: int) -> dict[int, int]:
    best: dict[int, tuple[int, int]] = {}  # child -> (weight, parent)
    for (u, v), w in edges.items():
        if v not in best or (w, u) < best[v]:
            best[v] = (w, u)
    for v in nodes:
        if v != root and v not in best:
            msg = f"node {v} cannot be reached from the root {root}"
            raise ValueError(msg)
    cycle = _find_cycle(nodes, {v: u for v, (_, u) in best.items()}, root)
    if cycle is None:
        return {v: u for v, (_, u) in best.items()}
    # contract the cycle into one new node; an edge into it costs what it saves on the cycle
    inside = set(cycle)
    new = max(nodes) + 1
    contracted: dict[tuple[int, int], int] = {}
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for (u, v), w in sorted(edges.items()):
        if u in inside and v in inside:
            continue
        if v in inside:
            key, cost = (u, new), w - best[v][0]
        elif u in inside:
            key, cost = (new, v), w
        else:
            key, cost = (u, v), w
        if key not in contracted or cost < contracted[key]:
            contracted[key] = cost
            origin[key] = (u, v)
    parents = _solve([x for x in nodes if x not in inside] + [new], contracted, root)
    out: dict[int, int] = {}
    for v, u in parents.items():
        real_u, real_v = origin[(u, v)]
        out[real_v] = real_u
    for v in cycle:
        if v not in out:
            out[v] = best[v][1]
    return out


def _find_cycle(nodes: list[int], parent: dict[int, int], root: int) -> list[int] | None:
    """Return the nodes of one cycle of the parent graph, or None."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    for start in nodes:
        path = []
        v = start
        while v != root and state.get(v, 0) == 0:
            state[v] = 1
            path.append(v)
            v = parent[v]
        if v != root and state.get(v) == 1:
            return path[path.index(v) :]
        for x in path:
            state[x] = 2
    return None
