#!/usr/bin/env python3
"""Write N synthetic music-streaming subscribers as Parquet, generated inside DuckDB.

Usage: python bench/generate_customers.py N OUT_DIR   (N accepts 100k, 1m, 10m, 100m or a number)

Every value is a hash of (row number, column salt), so the data set is deterministic and the
COPY streams: no row ever passes through Python, and 100M rows need well under 8 GiB.
Rows come from the demo's five personas plus broad noise, with a little realistic dirt:
~3 % blank incomes, ~2 % blank genres, ~1 % padded / re-cased categories, and about one row
in 2,000 with an impossible age or negative listening hours. Unlike the seed, subscriber_id
is an integer (row i gets i); about one row in 2,000 is exported again under an earlier row's id
(a duplicate id the pipeline must screen).

Output: OUT_DIR/subscribers_<i>.parquet (zstd, ~256 MB per file); read it as OUT_DIR/*.parquet.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

MEMORY_LIMIT = "2GB"
THREADS = 2
FILE_SIZE = "256MB"

GENDERS = ["Female", "Male", "Non-binary"]
EDUCATIONS = ["High School", "Vocational", "Bachelor", "Master", "Doctorate"]
MARITAL = ["Single", "Married", "Divorced", "Widowed"]
GENRES = ["Pop", "Rock", "Hip Hop", "Electronic", "Classical", "Jazz", "Country", "R&B", "Kids"]


@dataclass(frozen=True)
class Persona:
    """One planted segment: uniform draws within the (lo, hi) ranges, weighted picks of the categories."""

    name: str
    share: float
    age: tuple[int, int]  # whole years, both ends inclusive
    hours: tuple[float, float]  # listening hours per week, rounded to 0.1
    income: tuple[int, int]  # rounded to 100
    marital: list[int]  # weights over MARITAL
    children: list[int]  # weights over 0, 1, 2, ...
    education: list[int]  # weights over EDUCATIONS
    genre: list[int]  # weights over GENRES


PERSONAS = [
    Persona(
        "young_adults",
        share=0.23,
        age=(18, 24),
        hours=(21, 38),
        income=(9_000, 32_000),
        marital=[1, 0, 0, 0],
        children=[1],
        education=[9, 4, 6, 1, 0],
        genre=[6, 2, 6, 4, 0, 0, 0, 2, 0],
    ),
    Persona(
        "young_families",
        share=0.20,
        age=(25, 34),
        hours=(1, 9.5),
        income=(35_000, 95_000),
        marital=[0, 1, 0, 0],
        children=[0, 1, 1],
        education=[4, 4, 8, 4, 0],
        genre=[6, 3, 2, 1, 0, 0, 2, 1, 5],
    ),
    Persona(
        "affluent_professionals",
        share=0.16,
        age=(35, 54),
        hours=(8, 18),
        income=(120_000, 260_000),
        marital=[3, 15, 2, 0],
        children=[4, 3, 3],
        education=[0, 1, 7, 8, 4],
        genre=[3, 5, 1, 2, 3, 5, 0, 1, 0],
    ),
    Persona(
        "empty_nesters",
        share=0.15,
        age=(55, 64),
        hours=(10, 19.9),
        income=(45_000, 110_000),
        marital=[0, 1, 0, 0],
        children=[1],
        education=[7, 5, 5, 2, 1],
        genre=[2, 7, 0, 0, 3, 3, 4, 1, 0],
    ),
    Persona(
        "retirees",
        share=0.12,
        age=(65, 85),
        hours=(22, 40),
        income=(18_000, 45_000),
        marital=[0, 11, 0, 9],
        children=[1],
        education=[10, 5, 3, 2, 0],
        genre=[1, 2, 0, 0, 7, 5, 5, 0, 0],
    ),
    Persona(
        "noise",
        share=0.14,
        age=(18, 90),
        hours=(0, 60),
        income=(10_000, 200_000),
        marital=[1, 1, 1, 1],
        children=[4, 4, 2, 1, 1, 1],
        education=[1, 1, 1, 1, 1],
        genre=[1, 1, 1, 1, 1, 1, 1, 1, 1],
    ),
]


def parse_count(text: str) -> int:
    """'100k' -> 100_000, '10m' -> 10_000_000, '2500' -> 2500."""
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("kmb")) * scale)


def _sql_list(values: list) -> str:
    return "[" + ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values) + "]"


def by_persona(values: list) -> str:
    """SQL for the value of the current row's persona (persona_id is 1-based)."""
    return f"{_sql_list(values)}[persona_id]"


def weighted_pick(values: list, attr: str, salt: int) -> str:
    """SQL picking one of `values` with the current persona's weights (PERSONAS[*].<attr>).

    Each persona's weighted list (value repeated `weight` times) is laid end to end in one
    constant list; a row indexes its persona's stretch with a uniform draw. Constant flat
    lists keep this as fast as plain arithmetic (a join carrying lists is ~5x slower).
    """
    flat, offsets, lengths = [], [], []
    for persona in PERSONAS:
        weights = getattr(persona, attr)
        expanded = [v for v, w in zip(values, weights, strict=False) for _ in range(w)]
        offsets.append(len(flat))
        lengths.append(len(expanded))
        flat.extend(expanded)
    return f"{_sql_list(flat)}[1 + {by_persona(offsets)} + floor(u(i, {salt}) * {by_persona(lengths)})::integer]"


def persona_case() -> str:
    """Map a uniform draw r to a persona id (1-based) by cumulative share."""
    whens, cumulative = [], 0.0
    for pid, p in enumerate(PERSONAS[:-1], start=1):
        cumulative += p.share
        whens.append(f"when r < {cumulative:.4f} then {pid}")
    return f"case {' '.join(whens)} else {len(PERSONAS)} end"


def uniform(attr: str, salt: int) -> str:
    """SQL for a uniform draw in the persona's [lo, hi) range of PERSONAS[*].<attr>."""
    lo = by_persona([getattr(p, attr)[0] for p in PERSONAS])
    hi = by_persona([getattr(p, attr)[1] for p in PERSONAS])
    return f"({lo} + u(i, {salt}) * ({hi} - {lo}))"


MACROS = [
    # Uniform [0, 1) from row i and salt k (< 64): 53 bits of DuckDB's 64-bit integer hash.
    # (hash(i, k) with two arguments is NOT usable: its outputs for different k correlate.)
    "create macro u(i, k) as (hash(i * 64 + k) >> 11)::double / 9007199254740992.0",
    "create macro pick(xs, r) as xs[1 + floor(r * len(xs))::integer]",
    # ~1 % of categorical values come out padded or re-cased, as a careless export would.
    "create macro messy(x, r) as case when r < 0.005 then upper(x) when r < 0.01 then '  ' || lower(x) || ' ' "
    "else x end",
]


def build_query(n: int) -> str:
    age_lo = by_persona([p.age[0] for p in PERSONAS])
    age_hi = by_persona([p.age[1] for p in PERSONAS])
    children = list(range(max(len(p.children) for p in PERSONAS)))
    return f"""
with draws as (
    select range as i, {persona_case()} as persona_id
    from (select range, u(range, 0) as r from range({n}))
),
clean as (
    select
        i,
        case when u(i, 1) < 0.49 then 'Female' when u(i, 1) < 0.97 then 'Male' else 'Non-binary' end as gender,
        ({age_lo} + floor(u(i, 2) * ({age_hi} - {age_lo} + 1)))::integer as age,
        {weighted_pick(EDUCATIONS, "education", 3)} as education,
        {weighted_pick(MARITAL, "marital", 4)} as marital_status,
        {weighted_pick(children, "children", 5)}::integer as children,
        round({uniform("income", 6)}, -2)::double as yearly_income,
        round({uniform("hours", 7)}, 1)::double as hours_per_week,
        {weighted_pick(GENRES, "genre", 8)} as favourite_genre
    from draws
)
select
    case when i > 0 and u(i, 26) < 0.0005 then 1 + floor(u(i, 27) * i)::bigint else i + 1 end as subscriber_id,
    messy(gender, u(i, 11)) as gender,
    case when u(i, 20) < 0.0003 then pick([0, -1, 7, 12, 130, 150, 999], u(i, 21)) else age end as age,
    messy(education, u(i, 12)) as education,
    messy(marital_status, u(i, 13)) as marital_status,
    children,
    case when u(i, 22) < 0.03 then null else yearly_income end as yearly_income,
    case when u(i, 23) < 0.0002 then -round(1 + u(i, 24) * 20, 1) else hours_per_week end as hours_per_week,
    case when u(i, 25) < 0.02 then null else messy(favourite_genre, u(i, 14)) end as favourite_genre
from clean
"""


def generate(n: int, out_dir: Path) -> None:
    write_parquet(build_query(n), out_dir)


def next_day_query(source_glob: str, n: int) -> str:
    """The export a day later, for a nightly rerun: ~0.2 % of rows gone, ~1 % of rows listening 5 hours
    a week more (changed features), and ~0.5 % new subscribers (copies of existing rows under id n + id).
    Picked by hashes of the id, so it is deterministic; ids stay unique where the source's were."""
    return f"""
select * replace (
    case when u(subscriber_id, 41) < 0.01 then hours_per_week + 5 else hours_per_week end as hours_per_week
)
from read_parquet('{source_glob}')
where u(subscriber_id, 40) >= 0.002
union all
select * replace ({n} + subscriber_id as subscriber_id)
from read_parquet('{source_glob}')
where u(subscriber_id, 42) < 0.005
"""


def write_parquet(query: str, out_dir: Path) -> None:
    """COPY the query's rows to OUT_DIR/subscribers_<i>.parquet, replacing what is there."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.parquet"):
        old.unlink()
    con = duckdb.connect()
    con.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"set threads = {THREADS}")
    con.execute("set preserve_insertion_order = false")
    for macro in MACROS:
        con.execute(macro)
    con.execute(
        f"copy ({query}) to '{out_dir}' (format parquet, compression zstd, file_size_bytes '{FILE_SIZE}', "
        "filename_pattern 'subscribers_{i}')"
    )
    con.close()


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    n, out_dir = parse_count(argv[1]), Path(argv[2]).resolve()
    start = time.perf_counter()
    generate(n, out_dir)
    seconds = time.perf_counter() - start
    files = sorted(out_dir.glob("*.parquet"))
    size_mib = sum(f.stat().st_size for f in files) / 2**20
    print(f"rows={n} seconds={seconds:.2f} rows_per_s={n / seconds:,.0f} files={len(files)} size_mib={size_mib:.1f}")
    print(f"glob: {out_dir}/*.parquet")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
