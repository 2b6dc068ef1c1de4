"""k-prototypes fit time and recovery: our vectorised fit (customer_segmentation.kprototypes) against the
`kmodes` package's KPrototypes, on planted mixed-type groups.

    python bench/kprototypes_fit.py [--rows 100000] [--n-init 10] [--k 5] [--seed 0] [--skip-kmodes]

Prints one row per implementation: rows, n_init, fit seconds (wall, single thread), ARI to the planted
groups, gamma. kmodes is skipped when it is not importable (it is not a dependency of the project: measure
it from a throwaway venv with kmodes, numpy and scikit-learn installed, PYTHONPATH=src). Both use Huang's
default gamma (0.5 × mean numeric sd) and the same n_init; kmodes runs its default Cao initialisation,
n_jobs=1.
"""

from __future__ import annotations

import argparse
import os
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

LEVELS = (3, 5, 7, 9)  # categories per categorical column


def planted_mixed(n: int, k: int = 5, seed: int = 0, dominance: float = 0.7):
    """n rows in k planted groups (sizes uneven: weights 1..k). 4 numeric features, sd 1 around the group's
    mean, then standardised: group g < 4 at 3 on axis g, group 4 at -3 on axis 0 (further groups cycle);
    per categorical column j (LEVELS) the group's own level (g + j) mod levels with probability
    `dominance`, else a uniform level. Returns (numeric (n, 4) float, categorical (n, 4) int codes,
    truth (n,) group). The planted prototypes assign about 95 % of the rows to their group (ARI ≈ 0.95)."""
    rng = np.random.default_rng(seed)
    weights = np.arange(1, k + 1) / np.arange(1, k + 1).sum()
    truth = rng.choice(k, size=n, p=weights)
    axes = np.vstack([np.eye(4), -np.eye(4)])
    means = 3.0 * axes[np.arange(k) % len(axes)]
    numeric = means[truth] + rng.normal(size=(n, 4))
    numeric = (numeric - numeric.mean(axis=0)) / numeric.std(axis=0)
    categorical = np.empty((n, len(LEVELS)), dtype=np.int64)
    for j, levels in enumerate(LEVELS):
        own = (truth + j) % levels
        categorical[:, j] = np.where(rng.random(n) < dominance, own, rng.integers(levels, size=n))
    return numeric, categorical, truth


def _ours(numeric, categorical, k, n_init, seed):
    from customer_segmentation.kprototypes import assign_prototypes, fit_kprototypes

    fit = fit_kprototypes(numeric, categorical, k, n_init=n_init, random_state=seed)
    labels = assign_prototypes(numeric, categorical, fit.centres, fit.modes, fit.gamma)[0]
    return labels, fit.gamma


def _kmodes(numeric, categorical, k, n_init, seed):
    from kmodes.kprototypes import KPrototypes

    X = np.hstack([numeric, categorical]).astype(object)
    cat = list(range(numeric.shape[1], X.shape[1]))
    model = KPrototypes(n_clusters=k, n_init=n_init, random_state=seed, n_jobs=1)
    labels = model.fit_predict(X, categorical=cat)
    return labels, model.gamma


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--n-init", type=int, default=10)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-kmodes", action="store_true")
    args = parser.parse_args()
    numeric, categorical, truth = planted_mixed(args.rows, args.k, args.seed)
    runs = {"ours (customer_segmentation.kprototypes)": _ours}
    if not args.skip_kmodes:
        try:
            import kmodes

            runs[f"kmodes {kmodes.__version__} KPrototypes"] = _kmodes
        except ImportError:
            print("kmodes not importable: skipped")
    print(f"{'implementation':<42} {'rows':>8} {'n_init':>6} {'fit s':>8} {'ARI':>6} {'gamma':>6}")
    for name, run in runs.items():
        start = time.perf_counter()
        labels, gamma = run(numeric, categorical, args.k, args.n_init, args.seed)
        seconds = time.perf_counter() - start
        ari = adjusted_rand_score(truth, labels)
        print(f"{name:<42} {args.rows:>8} {args.n_init:>6} {seconds:>8.2f} {ari:>6.3f} {gamma:>6.3f}", flush=True)


if __name__ == "__main__":
    main()
