"""Tests for storymatch.events.neighbors: sparse top-k neighbours and average linkage."""

from __future__ import annotations

import numpy as np

from storymatch.events import EventClusterer, neighbors
from storymatch.events.neighbors import average_linkage


def test_top_k_sparse_search_finds_the_nearest_rows(monkeypatch):
    texts = [
        "Dock workers in Marrowgate strike over pay; Ines Valcourt leads the union.",
        "A bridge collapsed into the River Lisle in Brackenford, injuring fourteen.",
        "The Estmark Reserve Bank raised rates to 4.25% as inflation climbed.",
        "Chess club in Ortham elects Baptiste Merle as its new chair.",
    ]
    texts += [t + " More to follow." for t in texts]
    exact = EventClusterer(min_df=1, dedup=False).fit(texts)
    monkeypatch.setattr(neighbors, "_EXACT_ROWS", 0)
    monkeypatch.setattr(neighbors, "_SEARCH_DF_SHARE", 1)
    approx = EventClusterer(min_df=1, dedup=False).fit(texts)
    assert approx.labels_.tolist() == exact.labels_.tolist()
    assert approx.labels_.tolist() == [0, 1, 2, 3] * 2


def test_average_linkage_resists_chaining():
    # 0-1 and 1-2 are strong, 0-2 is no candidate (similarity 0): the mean of {0, 1} to 2 is
    # (0.0 + 0.9) / 2 = 0.45, below the threshold, so 2 stays alone.
    left = np.array([0, 1], dtype=np.int64)
    right = np.array([1, 2], dtype=np.int64)
    scores = np.array([0.95, 0.9], dtype=np.float64)
    assert average_linkage(3, left, right, scores, 0.5).tolist() == [0, 0, 2]
    assert average_linkage(3, left, right, scores, 0.4).tolist() == [0, 0, 0]


def test_average_linkage_without_edges():
    empty = np.empty(0, dtype=np.int64)
    labels = average_linkage(3, empty, empty, np.empty(0, dtype=np.float64), 0.1)
    assert labels.tolist() == [0, 1, 2]
