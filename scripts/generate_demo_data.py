#!/usr/bin/env python3
"""Generate the music-streaming demo data set (deterministic).

Writes two files:

* ``integration_tests/seeds/demo/raw_subscribers.csv`` -- the "raw export" the demo case segments:
  one row per subscriber with deliberately realistic dirt (padded / mixed-case
  categories, ~3 % blank incomes, a few impossible ages, a few negative hours,
  blank or unknown genres, a handful of duplicated subscriber ids).
* ``tests/fixtures/demo_personas.csv`` -- the ground truth (subscriber_id, persona),
  ``noise`` for rows drawn broadly outside any persona. This file is NOT a seed and
  must never feed the features: it only scores how well the segmentation recovers
  the planted personas.

Planted personas (ages are whole years, hours are listening hours per week):

==========================  =======  ===========================================
persona                     rows     profile
==========================  =======  ===========================================
young_adults                2300     18-24, single, no children, 21-38 h/week,
                                     low income
young_families              2000     25-34, married, 1-2 children, 1-9.5 h/week,
                                     middle income
affluent_professionals      1600     35-54, mostly married, 0-2 children,
                                     8-18 h/week, income 120k-260k
empty_nesters               1500     55-64, married, no children, 10-19.9 h/week,
                                     middle income
retirees                    1200     65-85, married or widowed, no children,
                                     22-40 h/week, pension-level income
noise                       1400     drawn broadly over every attribute
==========================  =======  ===========================================

Usage: ``python scripts/generate_demo_data.py`` (from anywhere; paths are
resolved from the repository root). Re-running produces byte-identical files.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 20240601
ROOT = Path(__file__).resolve().parents[1]
RAW_PATH = ROOT / "integration_tests" / "seeds" / "demo" / "raw_subscribers.csv"
TRUTH_PATH = ROOT / "tests" / "fixtures" / "demo_personas.csv"

RAW_COLUMNS = [
    "subscriber_id",
    "gender",
    "age",
    "education",
    "marital_status",
    "children",
    "yearly_income",
    "hours_per_week",
    "favourite_genre",
]

GENDERS = ["Female", "Male", "Non-binary"]
EDUCATIONS = ["High School", "Vocational", "Bachelor", "Master", "Doctorate"]
MARITAL = ["Single", "Married", "Divorced", "Widowed"]
GENRES = ["Pop", "Rock", "Hip Hop", "Electronic", "Classical", "Jazz", "Country", "R&B", "Kids"]

PERSONA_SIZES = {
    "young_adults": 2300,
    "young_families": 2000,
    "affluent_professionals": 1600,
    "empty_nesters": 1500,
    "retirees": 1200,
}
NOISE_SIZE = 1400
N_DUPLICATES = 12

# Dirt rates / counts.
BLANK_INCOME_RATE = 0.03
MESSY_CATEGORY_RATE = 0.15
BLANK_GENRE_RATE = 0.02
UNKNOWN_GENRE_VALUES = ["unknown", "N/A", "Other", "podcasts only"]
UNKNOWN_GENRE_RATE = 0.015
BLANK_GENDER_RATE = 0.01
IMPOSSIBLE_AGES = [7, 130, -4, 0, 999, 150, 12, -1, 101, 3]
NEGATIVE_HOURS = [-1.5, -10.0, -3.0, -0.5, -24.0, -7.0, -2.0, -12.5]


def _choice(rng: np.random.Generator, values: list[str], n: int, p: list[float] | None = None) -> np.ndarray:
    return rng.choice(np.array(values, dtype=object), size=n, p=p)


def _persona(rng: np.random.Generator, name: str, n: int) -> dict[str, np.ndarray]:
    """Draw n rows of one persona (clean values; dirt is added later)."""
    if name == "young_adults":
        age = rng.integers(18, 25, n)
        marital = np.full(n, "Single", dtype=object)
        children = np.zeros(n, dtype=int)
        hours = rng.uniform(21.0, 38.0, n)
        income = rng.uniform(9_000, 32_000, n)
        education = _choice(rng, EDUCATIONS, n, [0.45, 0.20, 0.30, 0.05, 0.0])
        genre = _choice(rng, GENRES, n, [0.30, 0.10, 0.30, 0.20, 0.0, 0.0, 0.0, 0.10, 0.0])
    elif name == "young_families":
        age = rng.integers(25, 35, n)
        marital = np.full(n, "Married", dtype=object)
        children = rng.integers(1, 3, n)
        hours = rng.uniform(1.0, 9.5, n)
        income = rng.uniform(35_000, 95_000, n)
        education = _choice(rng, EDUCATIONS, n, [0.20, 0.20, 0.40, 0.18, 0.02])
        genre = _choice(rng, GENRES, n, [0.30, 0.15, 0.10, 0.05, 0.0, 0.0, 0.10, 0.05, 0.25])
    elif name == "affluent_professionals":
        age = rng.integers(35, 55, n)
        marital = _choice(rng, MARITAL, n, [0.15, 0.75, 0.10, 0.0])
        children = rng.choice([0, 1, 2], size=n, p=[0.4, 0.3, 0.3])
        hours = rng.uniform(8.0, 18.0, n)
        income = rng.uniform(120_000, 260_000, n)
        education = _choice(rng, EDUCATIONS, n, [0.0, 0.05, 0.35, 0.40, 0.20])
        genre = _choice(rng, GENRES, n, [0.15, 0.25, 0.05, 0.10, 0.15, 0.25, 0.0, 0.05, 0.0])
    elif name == "empty_nesters":
        age = rng.integers(55, 65, n)
        marital = np.full(n, "Married", dtype=object)
        children = np.zeros(n, dtype=int)
        hours = rng.uniform(10.0, 19.9, n)
        income = rng.uniform(45_000, 110_000, n)
        education = _choice(rng, EDUCATIONS, n, [0.35, 0.25, 0.25, 0.12, 0.03])
        genre = _choice(rng, GENRES, n, [0.10, 0.35, 0.0, 0.0, 0.15, 0.15, 0.20, 0.05, 0.0])
    elif name == "retirees":
        age = rng.integers(65, 86, n)
        marital = _choice(rng, MARITAL, n, [0.0, 0.55, 0.0, 0.45])
        children = np.zeros(n, dtype=int)
        hours = rng.uniform(22.0, 40.0, n)
        income = rng.uniform(18_000, 45_000, n)
        education = _choice(rng, EDUCATIONS, n, [0.50, 0.25, 0.15, 0.08, 0.02])
        genre = _choice(rng, GENRES, n, [0.05, 0.10, 0.0, 0.0, 0.35, 0.25, 0.25, 0.0, 0.0])
    elif name == "noise":
        age = rng.integers(18, 91, n)
        marital = _choice(rng, MARITAL, n)
        children = np.minimum(rng.poisson(1.0, n), 5)
        hours = rng.uniform(0.0, 60.0, n)
        income = np.exp(rng.normal(np.log(55_000), 0.7, n))
        education = _choice(rng, EDUCATIONS, n)
        genre = _choice(rng, GENRES, n)
    else:  # pragma: no cover - programming error
        raise ValueError(name)
    return {
        "gender": _choice(rng, GENDERS, n, [0.49, 0.48, 0.03]),
        "age": age.astype(object),
        "education": education,
        "marital_status": marital,
        "children": children.astype(object),
        "yearly_income": np.round(income, -2).astype(int).astype(object),
        "hours_per_week": np.round(hours, 1).astype(object),
        "favourite_genre": genre,
        "persona": np.full(n, name, dtype=object),
    }


def _messy(rng: np.random.Generator, value: str) -> str:
    """Return value as a careless export might: padded and/or re-cased."""
    style = rng.integers(0, 5)
    if style == 0:
        value = value.upper()
    elif style == 1:
        value = value.lower()
    elif style == 2:
        value = f" {value}"
    elif style == 3:
        value = f"{value}  "
    else:
        value = f"  {value.lower()} "
    return value


def build(seed: int = SEED) -> tuple[list[dict[str, object]], list[dict[str, str]]]:
    rng = np.random.default_rng(seed)

    parts = [_persona(rng, name, n) for name, n in PERSONA_SIZES.items()]
    parts.append(_persona(rng, "noise", NOISE_SIZE))
    data = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    n = len(data["persona"])

    # Shuffle so neither file order nor id reveals the persona; then number the rows.
    order = rng.permutation(n)
    data = {key: values[order] for key, values in data.items()}
    ids = np.array([f"S{i:06d}" for i in range(1, n + 1)], dtype=object)

    rows: list[dict[str, object]] = []
    for i in range(n):
        rows.append({"subscriber_id": ids[i], **{c: data[c][i] for c in RAW_COLUMNS[1:]}})
    truth = [{"subscriber_id": str(ids[i]), "persona": str(data["persona"][i])} for i in range(n)]

    # --- dirt -----------------------------------------------------------------
    for row in rows:
        for col in ("gender", "education", "marital_status", "favourite_genre"):
            if rng.random() < MESSY_CATEGORY_RATE:
                row[col] = _messy(rng, str(row[col]))
        if rng.random() < BLANK_INCOME_RATE:
            row["yearly_income"] = ""
        if rng.random() < BLANK_GENDER_RATE:
            row["gender"] = ""
        draw = rng.random()
        if draw < BLANK_GENRE_RATE:
            row["favourite_genre"] = ""
        elif draw < BLANK_GENRE_RATE + UNKNOWN_GENRE_RATE:
            row["favourite_genre"] = str(rng.choice(UNKNOWN_GENRE_VALUES))

    dirty = rng.choice(n, size=len(IMPOSSIBLE_AGES) + len(NEGATIVE_HOURS), replace=False)
    for idx, age in zip(dirty[: len(IMPOSSIBLE_AGES)], IMPOSSIBLE_AGES, strict=True):
        rows[idx]["age"] = age
    for idx, hours in zip(dirty[len(IMPOSSIBLE_AGES) :], NEGATIVE_HOURS, strict=True):
        rows[idx]["hours_per_week"] = hours

    # Duplicated ids: the same subscriber exported twice, the second copy re-cased,
    # sometimes with its income missing. Inserted at random positions.
    for idx in rng.choice(n, size=N_DUPLICATES, replace=False):
        copy = dict(rows[idx])
        copy["marital_status"] = str(copy["marital_status"]).upper()
        if rng.random() < 0.5:
            copy["yearly_income"] = ""
        rows.insert(int(rng.integers(0, len(rows) + 1)), copy)

    return rows, truth


def _fmt(value: object) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.1f}"
    return str(value)


def main() -> None:
    rows, truth = build()
    RAW_PATH.parent.mkdir(parents=True, exist_ok=True)
    TRUTH_PATH.parent.mkdir(parents=True, exist_ok=True)
    with RAW_PATH.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(RAW_COLUMNS)
        for row in rows:
            writer.writerow([_fmt(row[c]) for c in RAW_COLUMNS])
    with TRUTH_PATH.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["subscriber_id", "persona"])
        for row in truth:
            writer.writerow([row["subscriber_id"], row["persona"]])
    print(f"wrote {len(rows)} rows to {RAW_PATH.relative_to(ROOT)}")
    print(f"wrote {len(truth)} rows to {TRUTH_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
