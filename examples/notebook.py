# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

"""storymatch in a notebook: articles from pandas in, tables out.

Open it in Jupyter as a notebook (``pip install jupytext``; then File > Open, or
``jupytext --to notebook examples/notebook.py``), or run it as a script from the repository
root::

    python examples/notebook.py

It needs the ``frames`` extra (``pip install 'storymatch[frames]'``: pandas, pyarrow, tqdm);
the plot needs matplotlib, and is left out without it.
"""

# %% [markdown]
# # Coverage across outlets, in pandas
#
# Read a JSON-lines file of articles into a DataFrame, as you would your own data. Any
# DataFrame with an `id` and a `text` column works; `sm.read_articles(df, text_field="body")`
# maps columns with other names.

# %%
from __future__ import annotations

import pandas as pd

import storymatch as sm
from storymatch.cli import sample_path

# the bundled sample (22 reports of three events); put your own file here
articles = pd.read_json(sample_path(), lines=True, dtype=False)
print(f"{len(articles)} articles from {articles['source'].nunique()} outlets")
articles[["id", "source", "title", "date"]].head()

# %% [markdown]
# ## The whole pipeline on the DataFrame
#
# `analyze` finds the copies, groups the reports of each event and compares them. In a
# notebook a progress bar shows for long runs (`progress=False` turns it off).

# %%
analysis = sm.analyze(articles)
frames = analysis.to_frames()
for name, frame in frames.items():
    print(f"{name}: {len(frame)} rows")

# %% [markdown]
# ## One outlet's conflicts and omissions
#
# The claims table has one row per claim and report: `carried` is False where the report
# leaves the claim out, and `conflict_kinds` names what its sentence disagrees on.

# %%
claims = frames["claims"]
coverage = frames["coverage"]
outlet = coverage.sort_values(["conflicts", "omitted", "outlet"]).iloc[-1]["outlet"]
mine = claims[claims["outlet"] == outlet]
conflicts = mine[mine["conflict_kinds"] != ""]
omissions = mine[~mine["carried"]]
print(f"{outlet}: {len(conflicts)} claims in conflict, {len(omissions)} claims left out")
for row in conflicts.itertuples():
    print(f"  conflict ({row.conflict_kinds}) {row.claim}: {row.text[:70]}")
mine[(mine["conflict_kinds"] != "") | ~mine["carried"]][
    ["event", "claim", "status", "carried", "conflict_kinds", "text"]
]

# %% [markdown]
# ## Coverage per outlet
#
# Summed over the events each outlet reported.

# %%
per_outlet = coverage.groupby("outlet")[["carried", "unique", "omitted", "conflicts"]].sum()
try:
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print("matplotlib is not installed: no plot")
if plt is not None:
    ax = per_outlet.sort_values("carried").plot.barh(figsize=(8, 5))
    ax.set_xlabel("claims")
    ax.set_title("Coverage per outlet")
    plt.tight_layout()
    print(f"plotted coverage of {len(per_outlet)} outlets")
per_outlet  # noqa: B018 - the cell's output in Jupyter

# %% [markdown]
# ## One comparison
#
# In Jupyter a comparison shows as its side-by-side table; `to_frame()` gives its claims.

# %%
event = conflicts["event"].iloc[0] if len(conflicts) else next(iter(analysis.comparisons))
comparison = analysis.comparisons[event]
print(
    f"event {event}: {len(comparison.outlets)} reports, {len(comparison.claims)} claims, "
    f"{len(comparison.conflicts)} with conflicts"
)
comparison  # noqa: B018 - in Jupyter: the side-by-side table
