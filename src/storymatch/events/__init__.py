r"""Event groups: reports of the same event by different outlets, in their own words.

The flow for a corpus::

    articles ─ near-duplicate groups (one representative each)
             ─ TF-IDF (word 1-2 grams, title and lead weighted up) ─ top-k cosine neighbours
             ─ pair score: TF-IDF cosine + names + numbers/dates - conflicts - time gap
             ─ average linkage over the sparse candidate graph ─ Event (copies follow their group)

No all-pairs dense matrix is ever built: neighbours come from a sparse product computed a block of
rows at a time, of which only the ``n_neighbors`` best cosines per row are kept, and the linkage
works on those candidate edges alone (a pair that is not a candidate counts as similarity 0).

- :mod:`~storymatch.events.signals`: names, numbers, dates, conflicts and time gaps;
- :mod:`~storymatch.events.neighbors`: sparse top-k neighbours and average linkage;
- :mod:`~storymatch.events.clusterer`: :class:`EventClusterer`, the estimator.

See ``docs/concepts/events.md``.
"""

from __future__ import annotations

from storymatch.events.clusterer import EventClusterer, event_id
from storymatch.events.signals import extract_names, extract_numbers, number_conflict, time_penalty
from storymatch.models import Event, Story

__all__ = [
    "Event",
    "EventClusterer",
    "Story",
    "event_id",
    "extract_names",
    "extract_numbers",
    "number_conflict",
    "time_penalty",
]
