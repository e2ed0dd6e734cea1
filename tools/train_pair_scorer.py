"""Train the default sentence-pair scorer and write its weights beside the library's code.

Writes ``src/storymatch/differ/pair_weights.npz`` (the arrays) and ``pair_weights.json`` (the
provenance: data files with their SHA-256, date, scikit-learn version, cross-validated figures,
feature names and the decision threshold), each atomically.

Run from the repository root::

    .venv/bin/python tools/train_pair_scorer.py [--data ../shared/data] [--repeats 2] [--dry-run]
        [--out DIR]

Training data: the shared split of three gold sets of real news sentence pairs (each folder's
README tells where it comes from):

- ``msrp/pairs.jsonl``: the 4,076 MSRP training pairs, paraphrase or not; scored in one call.
- ``ecbplus/sentence_pairs.jsonl.gz``: 30,768 ECB+ sentence pairs of topics 1-35, "mention a
  common event" or not, with hard negatives from a similar event of the same topic; used twice,
  scored one call per topic (as the aligner scores the reports of one event together) and all
  in one call (as ``storymatch pairs`` scores a file), each copy with half of ECB+'s weight,
  because the IDF of a call of one topic and of a call of 33 topics differ.
- ``sts_news/pairs.jsonl``: 1,424 STS news pairs with a graded similarity 0-5, used as soft
  labels (``p = score / 5``: each pair enters twice, as a positive weighted ``p`` and as a
  negative weighted ``1 - p``); scored in one call.
- Unrelated pairs, certain negatives the aligner meets by the thousand but the gold sets hardly
  hold: each MSRP first sentence with the second sentence of another pair (a seeded shuffle),
  and as many pairs of ECB+ sentences from different topics; one call each.

Model: the 27 features of :func:`storymatch.differ.similarity.pair_features`, standardised,
then five scikit-learn ``MLPClassifier(hidden_layer_sizes=(16,), alpha=0.01)`` networks (ReLU,
Adam, ``random_state`` 0 to 4) whose logits are averaged, which is one network of 80 hidden
units with the output weights divided by five: that is what ships. ECB+ (both copies together)
weighs as much as MSRP in total, STS and the unrelated pairs half as much each, so the large
ECB+ set does not drown the others. The decision threshold is the one that maximises the mean
of the MSRP F1 and the ECB+ F1 (the mean of its two copies) of the model on its own training
pairs.

Cross-validation (the held-out estimates quoted in the docs): ``--repeats`` x 5 folds, made
afresh for each repeat; MSRP and STS folds are stratified by label, ECB+ folds are whole topics
(the held-out ECB+ topics are other topics). In each fold the whole procedure runs on the other
folds of all three sets (unrelated pairs drawn from them, model, threshold), exactly as for the
shipped model, and is scored on the held-out fold.

Everything is seeded: the same data gives the same weights on the same machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import os
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
TARGET = ROOT / "src" / "storymatch" / "differ"
"""Where the weights go: the folder of ``storymatch.differ.similarity``."""
if str(ROOT / "src") not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from storymatch.differ import similarity  # noqa: E402

HIDDEN = (16,)
ALPHA = 0.01
SEED = 0
ENSEMBLE = 5
"""Networks fitted from seeds SEED .. SEED + ENSEMBLE - 1; their logits are averaged."""
SET_WEIGHT = {
    "msrp": 1.0,
    "ecbplus": 0.5,
    "ecbplus_one_call": 0.5,
    "sts": 0.5,
    "unrelated": 0.5,
}
"""Total weight of each set, relative to the MSRP pairs."""
FOLDS = 5
HALF = 0.5
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.005), 3)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass
class PairSet:
    """One gold set of sentence pairs and how it is scored (which pairs share a call)."""

    name: str
    path: Path
    a: list[str]
    b: list[str]
    label: FloatArray  # 0/1, or the graded 0-5 score for STS
    groups: IntArray  # ECB+ topic; 0 elsewhere
    calls: list[IntArray]  # index arrays: the pairs scored together in one call
    records: list[dict[str, Any]] = field(repr=False, default_factory=list)
    features: FloatArray | None = None

    @property
    def binary(self) -> bool:
        """Whether the labels are yes/no (else graded)."""
        return self.name != "sts"


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _pair_set(name: str, path: Path, *, by_topic: bool) -> PairSet:
    records = _read_jsonl(path)
    groups = np.array([int(r.get("topic", 0)) for r in records], dtype=np.int64)
    if by_topic:
        calls = [np.flatnonzero(groups == g) for g in np.unique(groups)]
    else:
        calls = [np.arange(len(records))]
    return PairSet(
        name=name,
        path=path,
        a=[r["a"] for r in records],
        b=[r["b"] for r in records],
        label=np.array([float(r["label"]) for r in records]),
        groups=groups,
        calls=calls,
        records=records,
    )


def load_sets(data: Path, *, ecb_by_topic: bool = True) -> dict[str, PairSet]:
    """Read the three sets (raises FileNotFoundError naming a missing file).

    ECB+ comes twice: scored one call per topic (``ecbplus``) and all in one call
    (``ecbplus_one_call``), so that the model learns both kinds of IDF.
    """
    paths = {
        "msrp": data / "msrp" / "pairs.jsonl",
        "ecbplus": data / "ecbplus" / "sentence_pairs.jsonl.gz",
        "sts": data / "sts_news" / "pairs.jsonl",
    }
    for path in paths.values():
        if not path.is_file():
            msg = f"{path} not found (pass --data DIR, the folder holding msrp/, ecbplus/, ...)"
            raise FileNotFoundError(msg)
    return {
        "msrp": _pair_set("msrp", paths["msrp"], by_topic=False),
        "ecbplus": _pair_set("ecbplus", paths["ecbplus"], by_topic=ecb_by_topic),
        "ecbplus_one_call": _pair_set("ecbplus_one_call", paths["ecbplus"], by_topic=False),
        "sts": _pair_set("sts", paths["sts"], by_topic=False),
    }


def compute_features(pairs: PairSet) -> FloatArray:
    """Compute the scorer's features of every pair, each call as the scorer would see it."""
    out = np.zeros((len(pairs.a), len(similarity.FEATURE_NAMES)))
    for idx in pairs.calls:
        out[idx] = similarity.pair_features([pairs.a[i] for i in idx], [pairs.b[i] for i in idx])
    pairs.features = out
    return out


def fingerprint(path: Path) -> str:
    """Return the SHA-256 of the file, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- model fitting


@dataclass
class Fitted:
    """A fitted model: standardisation and the network's arrays (what ships)."""

    mean: FloatArray
    scale: FloatArray
    hidden_weights: FloatArray
    hidden_bias: FloatArray
    output_weights: FloatArray
    output_bias: float
    n_iter: int

    def predict(self, features: FloatArray) -> FloatArray:
        """Probabilities, by the same forward pass as the library's."""
        z = (features - self.mean) / self.scale
        hidden = np.maximum(z @ self.hidden_weights + self.hidden_bias, 0.0)
        logit = hidden @ self.output_weights + self.output_bias
        return np.asarray(0.5 + 0.5 * np.tanh(0.5 * logit))


def unrelated_features(
    sets: dict[str, PairSet], index: dict[str, IntArray], *, seed: int = SEED
) -> FloatArray:
    """Features of unrelated pairs drawn from the chosen pairs (see the module docstring)."""
    rng = np.random.default_rng(seed)
    msrp = sets["msrp"]
    idx = index["msrp"]
    other = rng.permutation(idx)
    keep = other != idx
    first = [msrp.a[i] for i in idx[keep]]
    second = [msrp.b[j] for j in other[keep]]
    ecb = sets["ecbplus"]
    topic_of: dict[str, int] = {}
    for i in index["ecbplus"]:
        topic_of.setdefault(ecb.a[i], int(ecb.groups[i]))
        topic_of.setdefault(ecb.b[i], int(ecb.groups[i]))
    sentences = list(topic_of)
    topics = np.array([topic_of[x] for x in sentences])
    left = rng.integers(0, len(sentences), 4 * len(first))
    right = rng.integers(0, len(sentences), 4 * len(first))
    apart = topics[left] != topics[right]
    left, right = left[apart][: len(first)], right[apart][: len(first)]
    return np.vstack(
        [
            similarity.pair_features(first, second),
            similarity.pair_features([sentences[i] for i in left], [sentences[j] for j in right]),
        ]
    )


def training_rows(
    sets: dict[str, PairSet], index: dict[str, IntArray], unrelated: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Stack the chosen pairs of each set and the unrelated pairs: features, targets, weights.

    Each set weighs ``SET_WEIGHT`` times as much in total as the MSRP pairs chosen; STS pairs
    enter twice (soft labels, see the module docstring); unrelated pairs are negatives.
    """
    n_ref = float(len(index["msrp"]))
    xs: list[FloatArray] = [unrelated]
    ys: list[FloatArray] = [np.zeros(len(unrelated))]
    ws: list[FloatArray] = [
        np.full(len(unrelated), SET_WEIGHT["unrelated"] * n_ref / len(unrelated))
    ]
    for name, pairs in sets.items():
        idx = index[name]
        assert pairs.features is not None
        x = pairs.features[idx]
        unit = SET_WEIGHT[name] * n_ref / len(idx)
        if pairs.binary:
            xs.append(x)
            ys.append(pairs.label[idx])
            ws.append(np.full(len(idx), unit))
        else:
            p = np.clip(pairs.label[idx] / 5.0, 0.0, 1.0)
            xs.extend([x, x])
            ys.extend([np.ones(len(idx)), np.zeros(len(idx))])
            ws.extend([unit * p, unit * (1.0 - p)])
    x_all, y_all, w_all = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    keep = w_all > 0
    return x_all[keep], y_all[keep], w_all[keep]


def fit(x: FloatArray, y: FloatArray, w: FloatArray, *, seed: int = SEED) -> Fitted:
    """Fit the standardisation and ``ENSEMBLE`` networks on weighted rows, merged into one.

    Averaging the logits of networks with one hidden layer is itself such a network: the hidden
    layers side by side, the output weights and biases divided by their number.
    """
    from sklearn.exceptions import ConvergenceWarning  # noqa: PLC0415
    from sklearn.neural_network import MLPClassifier  # noqa: PLC0415

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    members = []
    for member in range(ENSEMBLE):
        model = MLPClassifier(
            hidden_layer_sizes=HIDDEN, alpha=ALPHA, max_iter=2000, random_state=seed + member
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            model.fit(z, y, sample_weight=w)
        if any(issubclass(c.category, ConvergenceWarning) for c in caught):
            print(f"  warning: network {member} did not converge in {model.n_iter_} iterations")
        members.append(model)
    return Fitted(
        mean=mean,
        scale=scale,
        hidden_weights=np.hstack([np.asarray(m.coefs_[0]) for m in members]),
        hidden_bias=np.concatenate([np.asarray(m.intercepts_[0]) for m in members]),
        output_weights=np.concatenate([np.asarray(m.coefs_[1][:, 0]) for m in members])
        / len(members),
        output_bias=float(np.mean([m.intercepts_[1][0] for m in members])),
        n_iter=int(max(m.n_iter_ for m in members)),
    )


# ------------------------------------------------------------------------------- metrics


def f1_accuracy(label: FloatArray, score: FloatArray, threshold: float) -> tuple[float, float]:
    """F1 of the positive class and accuracy of ``score >= threshold``."""
    pred = score >= threshold
    truth = label > HALF
    tp = float(np.sum(pred & truth))
    denom = float(pred.sum() + truth.sum())
    f1 = 2.0 * tp / denom if denom else 0.0
    return f1, float(np.mean(pred == truth))


def best_f1_threshold(label: FloatArray, score: FloatArray) -> float:
    """Return the threshold with the best F1 on these pairs (midway to the next score)."""
    order = np.argsort(-score, kind="stable")
    s = score[order]
    y = label[order] > HALF
    tp = np.cumsum(y)
    k = np.arange(1, len(y) + 1)
    f1 = 2.0 * tp / (k + y.sum())
    # only cut between distinct scores
    last = np.r_[s[1:] != s[:-1], True]
    f1 = np.where(last, f1, -1.0)
    i = int(np.argmax(f1))
    return float(s[i] if i + 1 == len(s) else (s[i] + s[i + 1]) / 2.0)


def joint_threshold(
    scores: dict[str, FloatArray], labels: dict[str, FloatArray], names: Sequence[str]
) -> float:
    """Return the grid threshold with the best mean F1 over the named binary sets.

    The mean is weighted by ``SET_WEIGHT``: the two ECB+ copies count as one set.
    """
    weights = [SET_WEIGHT[n] for n in names]
    means = [
        np.average([f1_accuracy(labels[n], scores[n], float(t))[0] for n in names], weights=weights)
        for t in THRESHOLD_GRID
    ]
    return float(THRESHOLD_GRID[int(np.argmax(means))])


def pearson(x: FloatArray, y: FloatArray) -> float:
    """Pearson correlation (0 when either side is constant)."""
    if np.std(x) == 0 or np.std(y) == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


# ------------------------------------------------------------------------ cross-validation


def folds(pairs: PairSet, repeat: int, k: int = FOLDS) -> list[IntArray]:
    """Return the test indices of each fold: ECB+ by whole topics, the others by label strata.

    ECB+ topics are dealt out in a random order, each to the fold with the fewest pairs so far,
    so folds differ from repeat to repeat but stay about equally large.
    """
    rng = np.random.default_rng(1000 + repeat)
    fold_of = np.zeros(len(pairs.a), dtype=np.int64)
    if pairs.name.startswith("ecbplus"):
        topics = np.unique(pairs.groups)
        rng.shuffle(topics)
        load = np.zeros(k)
        for t in topics:
            members = pairs.groups == t
            f = int(np.argmin(load))
            fold_of[members] = f
            load[f] += members.sum()
    else:
        strata = np.round(pairs.label).astype(np.int64)
        for s in np.unique(strata):
            idx = np.flatnonzero(strata == s)
            rng.shuffle(idx)
            fold_of[idx] = np.arange(len(idx)) % k
    return [np.flatnonzero(fold_of == f) for f in range(k)]


@dataclass
class Trained:
    """What the training procedure gives: the model, its threshold, its training scores."""

    model: Fitted
    threshold: float
    scores: dict[str, FloatArray]  # the model's scores of its training pairs, per set
    labels: dict[str, FloatArray]
    unrelated: FloatArray  # its scores of the unrelated pairs it was trained on


def train(sets: dict[str, PairSet], index: dict[str, IntArray]) -> Trained:
    """Run the whole procedure on the chosen pairs: unrelated pairs, model, threshold."""
    unrelated = unrelated_features(sets, index)
    model = fit(*training_rows(sets, index, unrelated))
    scores = {}
    for n, p in sets.items():
        assert p.features is not None
        scores[n] = model.predict(p.features[index[n]])
    labels = {n: p.label[index[n]] for n, p in sets.items()}
    binary = [n for n, p in sets.items() if p.binary]
    return Trained(
        model=model,
        threshold=joint_threshold(scores, labels, binary),
        scores=scores,
        labels=labels,
        unrelated=model.predict(unrelated),
    )


def cross_validate(
    sets: dict[str, PairSet], *, repeats: int = 2, k: int = FOLDS, verbose: bool = True
) -> dict[str, Any]:
    """Held-out estimates of the training procedure (see the module docstring).

    Returns per-fold rows and their mean and standard deviation. Per set: F1 and accuracy at
    the fold's threshold (``f1``, ``accuracy``) and at the threshold best for that set on the
    training folds (``own_threshold``, ``f1_own``, ``accuracy_own``); Pearson r for STS.
    """
    rows: list[dict[str, Any]] = []
    for repeat in range(repeats):
        split = {n: folds(p, repeat, k) for n, p in sets.items()}
        for f in range(k):
            started = time.perf_counter()
            test = {n: split[n][f] for n in sets}
            rest = {n: np.setdiff1d(np.arange(len(p.a)), test[n]) for n, p in sets.items()}
            trained = train(sets, rest)
            threshold = trained.threshold
            row: dict[str, Any] = {"repeat": repeat, "fold": f, "threshold": threshold}
            for n, p in sets.items():
                assert p.features is not None
                score = trained.model.predict(p.features[test[n]])
                label = p.label[test[n]]
                if p.binary:
                    own = best_f1_threshold(trained.labels[n], trained.scores[n])
                    f1, acc = f1_accuracy(label, score, threshold)
                    f1_own, acc_own = f1_accuracy(label, score, own)
                    row[n] = {
                        "f1": f1,
                        "accuracy": acc,
                        "own_threshold": own,
                        "f1_own": f1_own,
                        "accuracy_own": acc_own,
                    }
                else:
                    row[n] = {"pearson": pearson(score, label)}
            rows.append(row)
            if verbose:
                print(
                    f"  repeat {repeat} fold {f}: threshold {threshold:.3f}, "
                    + ", ".join(
                        f"{n} " + " ".join(f"{k2} {v:.3f}" for k2, v in row[n].items())
                        for n in sets
                    )
                    + f" ({time.perf_counter() - started:.1f}s)"
                )
    summary: dict[str, Any] = {"threshold": _mean_sd([r["threshold"] for r in rows])}
    for n in sets:
        summary[n] = {m: _mean_sd([r[n][m] for r in rows]) for m in rows[0][n]}
    return {"folds": k, "repeats": repeats, "rows": rows, "summary": summary}


def _mean_sd(values: Sequence[float]) -> dict[str, float]:
    return {"mean": float(np.mean(values)), "sd": float(np.std(values, ddof=1))}


# ----------------------------------------------------------------------------- the output


def weight_arrays(model: Fitted) -> dict[str, FloatArray]:
    """Return the arrays of ``pair_weights.npz``, by the names the library reads."""
    return {
        "feature_mean": np.asarray(model.mean, dtype=np.float64),
        "feature_scale": np.asarray(model.scale, dtype=np.float64),
        # shape (n_features, n_hidden): hidden_weights[i, j] links feature i to unit j
        "hidden_weights": np.asarray(model.hidden_weights, dtype=np.float64),
        "hidden_bias": np.asarray(model.hidden_bias, dtype=np.float64),
        "output_weights": np.asarray(model.output_weights, dtype=np.float64),
        "output_bias": np.asarray(model.output_bias, dtype=np.float64),
    }


def provenance(model: Fitted, threshold: float, meta: dict[str, Any]) -> dict[str, Any]:
    """Return the content of ``pair_weights.json``: how the weights were made, and the threshold."""
    return {
        "written_by": "tools/train_pair_scorer.py",
        "trained_at": meta["date"],
        "sklearn": meta["sklearn"],
        "model": (
            f"{ENSEMBLE} MLPClassifier(hidden_layer_sizes={HIDDEN}, alpha={ALPHA}) networks "
            f"(seeds {SEED}-{SEED + ENSEMBLE - 1}) with their logits averaged: one hidden layer "
            f"of {len(model.hidden_bias)} ReLU units and a logistic output over the standardised "
            "features of storymatch.differ.similarity.pair_features"
        ),
        "max_iterations": model.n_iter,
        "set_weights": SET_WEIGHT,
        "trained_on": meta["data"],
        "cross_validation": meta["cv"],
        "feature_names": list(similarity.FEATURE_NAMES),
        "threshold": threshold,
        "threshold_rule": (
            "best mean of the MSRP and ECB+ F1 of this model on its training pairs "
            "(ECB+: both copies)"
        ),
    }


def _replace_atomically(path: Path, write: Any) -> None:
    """Write ``path`` through a temporary file in its folder and a rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        Path(tmp).chmod(0o644)  # mkstemp makes it private
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_weights(folder: Path, arrays: dict[str, FloatArray], meta: dict[str, Any]) -> None:
    """Write ``pair_weights.npz`` and ``pair_weights.json`` in ``folder``, each atomically.

    The ``.npz`` is written member by member with a fixed timestamp, so the same weights give
    the same bytes (``numpy.savez`` stamps the time of writing). The arrays are written first:
    a reader never sees provenance that describes arrays not yet there.
    """

    def npz(f: Any) -> None:
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as zf:
            for name, value in arrays.items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                with zf.open(info, "w") as member:
                    np.lib.format.write_array(member, np.asarray(value))

    def provenance_json(f: Any) -> None:
        f.write((json.dumps(meta, indent=2) + "\n").encode("utf-8"))

    _replace_atomically(folder / "pair_weights.npz", npz)
    _replace_atomically(folder / "pair_weights.json", provenance_json)


def main(argv: Sequence[str] | None = None) -> int:
    """Train, cross-validate and write the weights."""
    import sklearn  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="python tools/train_pair_scorer.py")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=2, help="cross-validation repeats")
    parser.add_argument(
        "--out", type=Path, default=TARGET, help="folder for pair_weights.npz and .json"
    )
    parser.add_argument("--dry-run", action="store_true", help="train and report, write nothing")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    sets = load_sets(args.data)
    for pairs in sets.values():
        compute_features(pairs)
    print(
        f"features of {sum(len(p.a) for p in sets.values()):,} pairs in "
        f"{time.perf_counter() - started:.1f}s"
    )

    print(f"cross-validation ({args.repeats} x {FOLDS} folds):")
    cv = cross_validate(sets, repeats=args.repeats)
    summary = cv["summary"]
    for name, metrics in summary.items():
        if name == "threshold":
            print(f"  threshold {metrics['mean']:.3f} ± {metrics['sd']:.3f}")
            continue
        print(
            f"  {name}: "
            + ", ".join(f"{m} {v['mean']:.3f} ± {v['sd']:.3f}" for m, v in metrics.items())
        )

    final = train(sets, {n: np.arange(len(p.a)) for n, p in sets.items()})
    model, threshold = final.model, final.threshold
    print(
        f"final model: {model.n_iter} iterations; threshold {threshold:.3f}; unrelated pairs "
        f"score {np.mean(final.unrelated):.4f} on average, "
        f"{np.mean(final.unrelated >= threshold):.2%} at or above the threshold"
    )

    meta = {
        "date": dt.date.today().isoformat(),
        "sklearn": sklearn.__version__,
        "data": [
            {
                "file": str(p.path.relative_to(args.data)),
                "pairs": len(p.a),
                "sha256": fingerprint(p.path),
                "calls": "one call per topic" if len(p.calls) > 1 else "one call",
            }
            for p in sets.values()
        ],
        "cv": {
            "repeats": args.repeats,
            "folds": FOLDS,
            "msrp_f1": summary["msrp"]["f1"]["mean"],
            "msrp_acc": summary["msrp"]["accuracy"]["mean"],
            "ecb_f1": summary["ecbplus"]["f1"]["mean"],
            "ecb_one_call_f1": summary["ecbplus_one_call"]["f1"]["mean"],
            "sts_r": summary["sts"]["pearson"]["mean"],
        },
    }
    if args.dry_run:
        print("dry run: nothing written")
        return 0
    write_weights(args.out, weight_arrays(model), provenance(model, threshold, meta))
    print(
        f"wrote {args.out}/pair_weights.npz and .json ({time.perf_counter() - started:.0f}s in all)"
    )
    if args.out.resolve() == TARGET.resolve():
        # the library's forward pass over the written weights gives the fitted model's scores
        similarity._model.cache_clear()
        x = sets["msrp"].features
        assert x is not None
        shipped = similarity.LexicalScorer()(sets["msrp"].a, sets["msrp"].b)
        if not np.allclose(shipped, model.predict(x), rtol=0.0, atol=1e-9):
            print("error: the written weights do not reproduce the fitted model")
            return 1
        print("checked: the library reproduces the fitted model's scores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
