"""Does knowing a customer's segment help predict a binary campaign response?

A logistic regression predicts the target (e.g. `response`) on a stratified, disjoint
train / validation / test split with a fixed seed, in several variants: the case's features,
the same plus one-hot segment ids, segment ids alone, and reduced inputs (the first PCA
components of the features, a small feature subset), each with and without segments.

Rules that keep the comparison honest:
- the split is stratified on the target and every row is in exactly one part;
- scaling, PCA and the model are fitted on the training rows only;
- the validation rows pick the regularisation strength C (best ROC AUC) and the decision
  threshold (best Youden J = recall + specificity - 1); the test rows are scored once, at the
  end, and never influence a choice;
- targets (`target_column` and any `target_columns`) can never be inputs.

Logistic regression, not gradient boosting or an MLP: with ~2,200 customers and ~330
positives a linear model is hard to overfit, its validation curve over C is smooth, and it
answers the question asked (do segment dummies add signal?) directly through its inputs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .errors import SegmentationError
from .sampling import single_threaded

SPLITS = ("train", "validation", "test")
RESULT_COLUMNS = [
    "case_name",
    "variant",
    "inputs",
    "uses_segments",
    "n_inputs",
    "classifier",
    "c",
    "threshold",
    "validation_roc_auc",
    "test_rows",
    "test_positives",
    "accuracy",
    "precision",
    "recall",
    "specificity",
    "roc_auc",
    "baseline_variant",
    "roc_auc_gain",
    "roc_auc_gain_low",
    "roc_auc_gain_high",
    "segmentation_model_id",
    "random_state",
]
DEFAULT_C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BOOTSTRAP_ROUNDS = 1000


@dataclass(frozen=True)
class ResponseModelSpec:
    case: str
    id_column: str
    target_column: str
    features: tuple[str, ...]
    subset: tuple[str, ...] = ()
    pca_components: int = 3
    validation_share: float = 0.2
    test_share: float = 0.2
    random_state: int = 42
    c_grid: tuple[float, ...] = DEFAULT_C_GRID
    target_columns: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        where = f"case '{self.case}' response_model"
        targets = {t.lower() for t in (self.target_column, *self.target_columns)}
        leaked = sorted({f for f in (*self.features, *self.subset) if f.lower() in targets})
        if leaked:
            raise SegmentationError(f"{where}: target column(s) {', '.join(leaked)} cannot be model inputs")
        if not self.features:
            raise SegmentationError(f"{where}: no features")
        missing = sorted(set(self.subset) - set(self.features))
        if missing:
            raise SegmentationError(f"{where}: subset column(s) {', '.join(missing)} are not among the features")
        shares = (self.validation_share, self.test_share)
        if not all(0 < s < 1 for s in shares) or sum(shares) >= 1:
            raise SegmentationError(f"{where}: validation_share and test_share must be in (0, 1) and sum below 1")
        if not 1 <= self.pca_components <= len(self.features):
            raise SegmentationError(f"{where}: pca_components must be between 1 and the number of features")
        if not self.c_grid or any(c <= 0 for c in self.c_grid):
            raise SegmentationError(f"{where}: c_grid must list positive values")

    @classmethod
    def from_vars(cls, cases: dict, case: str) -> ResponseModelSpec:
        """The spec from vars.segmentation[case]: the `response_model` block of its `custom` settings,
        with `features` defaulting to the case's clustering features and `target_columns` taken from the case."""
        if case not in (cases or {}):
            raise SegmentationError(f"unknown segmentation case '{case}'")
        settings = cases[case]
        block = dict((settings.get("custom") or {}).get("response_model") or {})
        if "target_column" not in block:
            raise SegmentationError(f"case '{case}': custom.response_model.target_column is not set")
        return cls(
            case=case,
            id_column=settings["id_column"],
            target_column=block["target_column"],
            features=tuple(block.get("features") or settings["features"]),
            subset=tuple(block.get("subset") or ()),
            pca_components=int(block.get("pca_components", 3)),
            validation_share=float(block.get("validation_share", 0.2)),
            test_share=float(block.get("test_share", 0.2)),
            random_state=int(block.get("random_state", 42)),
            c_grid=tuple(float(c) for c in block.get("c_grid") or DEFAULT_C_GRID),
            target_columns=tuple(settings.get("target_columns") or ()),
        )

    @classmethod
    def from_config(cls, cases_json: str, case: str) -> ResponseModelSpec:
        if not cases_json:
            raise SegmentationError(f"case '{case}': the model's config lacks segmentation (tojson(var(...)))")
        return cls.from_vars(json.loads(cases_json), case)


def stratified_split(y: np.ndarray, validation_share: float, test_share: float, random_state: int) -> np.ndarray:
    """'train' / 'validation' / 'test' per row, stratified on y. The test part is split off
    first, then validation from the rest, so each part's class mix matches the whole to within
    a row or two per class. Depends only on y's order and the seed: pass rows in a fixed order."""
    y = np.asarray(y)
    _, counts = np.unique(y, return_counts=True)
    if counts.size != 2:
        raise SegmentationError(f"the target must have exactly two classes, found {counts.size}")
    if counts.min() < 5:
        raise SegmentationError("the rarer class has fewer than 5 rows: too few to split three ways")
    rows = np.arange(y.size)
    rest, test = train_test_split(rows, test_size=test_share, stratify=y, random_state=random_state)
    validation_of_rest = validation_share / (1 - test_share)
    train, validation = train_test_split(
        rest, test_size=validation_of_rest, stratify=y[rest], random_state=random_state
    )
    split = np.empty(y.size, dtype=object)
    split[train], split[validation], split[test] = "train", "validation", "test"
    return split


def split_membership(frame: pd.DataFrame, spec: ResponseModelSpec) -> pd.DataFrame:
    """One row per customer: case_name, customer_id (text), target, split. Rows are ordered
    by id first, so the split does not depend on how the warehouse returned them."""
    data = _ordered(frame, spec)
    target = _target(data, spec)
    split = stratified_split(target, spec.validation_share, spec.test_share, spec.random_state)
    return pd.DataFrame(
        {
            "case_name": spec.case,
            "customer_id": data[spec.id_column].astype(str).to_numpy(),
            "target": target.astype("int64"),
            "split": split.astype(str),
        }
    )


def compare_variants(
    frame: pd.DataFrame,
    segments: pd.DataFrame,
    split: pd.DataFrame,
    spec: ResponseModelSpec,
) -> pd.DataFrame:
    """Test-set metrics of every variant (one row each, RESULT_COLUMNS).

    frame: one row per customer with the id, features and target. segments: customer_id,
    segment_id (and model_id) from segment_assignments. split: split_membership's output.
    """
    data = _ordered(frame, spec)
    ids = data[spec.id_column].astype(str)
    y = _target(data, spec)
    parts = split.assign(customer_id=split["customer_id"].astype(str)).set_index("customer_id")["split"]
    part = ids.map(parts)
    if part.isna().any() or set(part) - set(SPLITS):
        raise SegmentationError(f"case '{spec.case}': {int(part.isna().sum())} customers have no split")
    seg = segments.assign(customer_id=segments["customer_id"].astype(str)).set_index("customer_id")
    segment_id = ids.map(seg["segment_id"])
    if segment_id.isna().any():
        raise SegmentationError(f"case '{spec.case}': {int(segment_id.isna().sum())} customers have no segment")
    dummies = pd.get_dummies(segment_id.astype(int), prefix="segment").astype(float).to_numpy()
    features = data[list(spec.features)].to_numpy(dtype=float)
    subset = data[list(spec.subset)].to_numpy(dtype=float) if spec.subset else None
    masks = {name: (part == name).to_numpy() for name in SPLITS}
    model_ids = seg["model_id"].dropna().unique() if "model_id" in seg else []

    variants = [
        ("features", "features", features, None, False),
        ("features_segments", "features + segment dummies", features, dummies, True),
        ("segments_only", "segment dummies", None, dummies, True),
        ("pca", f"first {spec.pca_components} PCA components of the features", "pca", None, False),
        ("pca_segments", f"first {spec.pca_components} PCA components + segment dummies", "pca", dummies, True),
    ]
    if subset is not None:
        variants += [
            ("subset", f"subset: {', '.join(spec.subset)}", subset, None, False),
            ("subset_segments", f"subset: {', '.join(spec.subset)} + segment dummies", subset, dummies, True),
        ]
    baselines = {"features_segments": "features", "pca_segments": "pca", "subset_segments": "subset"}

    rows, test_scores = [], {}
    with single_threaded():
        for name, description, numeric, extra, uses_segments in variants:
            X = _inputs(features, numeric, extra, masks["train"], spec.pca_components, spec.random_state)
            row, scores = _fit_variant(X, y, masks, spec)
            test_scores[name] = scores
            rows.append(
                {"variant": name, "inputs": description, "uses_segments": uses_segments, "n_inputs": X.shape[1], **row}
            )
    y_test = y[masks["test"]]
    for row in rows:
        baseline = baselines.get(row["variant"])
        gain = (
            _paired_auc_gain(y_test, test_scores[row["variant"]], test_scores[baseline], spec.random_state)
            if baseline
            else (np.nan, np.nan, np.nan)
        )
        row.update(
            baseline_variant=baseline,
            roc_auc_gain=gain[0],
            roc_auc_gain_low=gain[1],
            roc_auc_gain_high=gain[2],
        )
    table = pd.DataFrame(rows)
    table.insert(0, "case_name", spec.case)
    table["classifier"] = "logistic_regression"
    table["segmentation_model_id"] = model_ids[0] if len(model_ids) == 1 else None
    table["random_state"] = spec.random_state
    return table[RESULT_COLUMNS]


def _ordered(frame: pd.DataFrame, spec: ResponseModelSpec) -> pd.DataFrame:
    frame = frame.rename(columns=str.lower)
    wanted = [spec.id_column, spec.target_column, *spec.features]
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise SegmentationError(f"case '{spec.case}': column(s) {', '.join(missing)} not in the feature table")
    if frame[spec.id_column].duplicated().any():
        raise SegmentationError(f"case '{spec.case}': duplicate {spec.id_column} values in the feature table")
    return frame.sort_values(spec.id_column, kind="stable").reset_index(drop=True)


def _target(data: pd.DataFrame, spec: ResponseModelSpec) -> np.ndarray:
    target = data[spec.target_column]
    if target.isna().any() or not set(target.unique()) <= {0, 1}:
        raise SegmentationError(f"case '{spec.case}': {spec.target_column} must be 0 / 1 with no nulls")
    return target.to_numpy(dtype=int)


def _inputs(features, numeric, extra, train_mask, n_components, random_state) -> np.ndarray:
    """The variant's input matrix. PCA is fitted on standardised training rows only."""
    blocks = []
    if isinstance(numeric, str):  # "pca"
        scaler = StandardScaler().fit(features[train_mask])
        pca = PCA(n_components=n_components, random_state=random_state).fit(scaler.transform(features[train_mask]))
        blocks.append(pca.transform(scaler.transform(features)))
    elif numeric is not None:
        blocks.append(numeric)
    if extra is not None:
        blocks.append(extra)
    return np.hstack(blocks)


def _fit_variant(X: np.ndarray, y: np.ndarray, masks: dict, spec: ResponseModelSpec) -> tuple[dict, np.ndarray]:
    """Choose C and the threshold on validation, then score the test rows once."""
    train, validation, test = masks["train"], masks["validation"], masks["test"]
    best = None
    for c in spec.c_grid:  # ascending C: a tie keeps the stronger regularisation
        model = _model(c, spec.random_state).fit(X[train], y[train])
        auc = roc_auc_score(y[validation], model.predict_proba(X[validation])[:, 1])
        if best is None or auc > best[1] + 1e-12:
            best = (c, auc, model)
    c, validation_auc, model = best
    threshold = _youden_threshold(y[validation], model.predict_proba(X[validation])[:, 1])
    scores = model.predict_proba(X[test])[:, 1]
    metrics = classification_metrics(y[test], scores, threshold)
    return {"c": c, "threshold": threshold, "validation_roc_auc": validation_auc, **metrics}, scores


def _model(c: float, random_state: int):
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000, random_state=random_state))


def _youden_threshold(y: np.ndarray, scores: np.ndarray) -> float:
    """The score cut-off maximising recall + specificity - 1 (first such cut-off on ties)."""
    fpr, tpr, thresholds = roc_curve(y, scores)
    best = int(np.argmax(tpr - fpr))
    return float(min(thresholds[best], 1.0))


def classification_metrics(y: np.ndarray, scores: np.ndarray, threshold: float) -> dict:
    """Predict positive when score >= threshold; the usual rates (0 where undefined)."""
    predicted = (scores >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, predicted, labels=[0, 1]).ravel()
    return {
        "test_rows": int(y.size),
        "test_positives": int(tp + fn),
        "accuracy": float((tp + tn) / y.size),
        "precision": float(tp / (tp + fp)) if tp + fp else 0.0,
        "recall": float(tp / (tp + fn)) if tp + fn else 0.0,
        "specificity": float(tn / (tn + fp)) if tn + fp else 0.0,
        "roc_auc": float(roc_auc_score(y, scores)),
    }


def _paired_auc_gain(y, scores, baseline_scores, random_state) -> tuple[float, float, float]:
    """ROC AUC of `scores` minus the baseline's on the same test rows, with a 95 % paired
    bootstrap interval (BOOTSTRAP_ROUNDS resamples of the test rows, the same for both, fixed seed)."""
    gain = roc_auc_score(y, scores) - roc_auc_score(y, baseline_scores)
    rng = np.random.default_rng(random_state)
    counts = rng.multinomial(y.size, np.full(y.size, 1 / y.size), size=BOOTSTRAP_ROUNDS).T  # (n, rounds)
    gains = weighted_roc_auc(y, scores, counts) - weighted_roc_auc(y, baseline_scores, counts)
    low, high = np.nanpercentile(gains, [2.5, 97.5])
    return float(gain), float(low), float(high)


def weighted_roc_auc(y: np.ndarray, scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """ROC AUC for each column of row weights (n, m) at once: the weighted share of
    (positive, negative) pairs ranked correctly, ties counting one half - with integer weights,
    exactly roc_auc_score on the rows repeated that often. NaN where a class has no weight."""
    order = np.argsort(scores, kind="stable")
    sorted_scores, y, weights = scores[order], y[order].astype(float), weights[order].astype(float)
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])  # groups of tied scores
    positive = np.add.reduceat(weights * y[:, None], starts, axis=0)
    negative = np.add.reduceat(weights * (1 - y)[:, None], starts, axis=0)
    negative_below = np.cumsum(negative, axis=0) - negative
    pairs = positive.sum(axis=0) * negative.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (positive * (negative_below + 0.5 * negative)).sum(axis=0) / pairs
