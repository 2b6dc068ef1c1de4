"""segment_rules on the bundled demo: the rules name the planted personas' defining traits, their
measures agree with a count from the assignments, and every rule is a SQL predicate on the features model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from project import ROOT, query, reuse_or_build, run_dbt, scratch_copy

# Features that define a planted persona (scripts/generate_demo_data.py): its age range, as the age or
# its bracket dummy, and the trait that sets it apart from its neighbours.
PERSONA_TRAITS = {
    "young_adults": {"age", "age__18_24", "hours_per_week", "marital_status__single"},
    "young_families": {"age", "age__25_34", "children", "hours_per_week"},
    "affluent_professionals": {"age", "age__35_54", "yearly_income"},
    "empty_nesters": {"age", "age__55_64", "children"},
    "retirees": {"age", "age__65_plus", "hours_per_week"},
}
FEATURES_MODEL = "int_demo__features"


def has_demo_rules(database: Path) -> bool:
    return query(database, "select count(*) as n from segment_rules where case_name = 'demo'").n[0] > 0


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The database the test command built, else a fresh build of the demo."""
    return reuse_or_build(tmp_path_factory, "demo", has_demo_rules, ["build", "--vars", "{segmentation_cases: [demo]}"])


@pytest.fixture(scope="module")
def rules(demo_db) -> pd.DataFrame:
    return query(demo_db, "select * from segment_rules where case_name = 'demo' order by segment_id, rule_number")


def features_in(rule: str) -> set[str]:
    return set(re.findall(r"([a-z_][a-z0-9_]*) (?:>|<=|=) ", rule))


def test_each_persona_has_a_precise_rule_naming_its_trait(demo_db, rules):
    truth = pd.read_csv(ROOT / "tests" / "fixtures" / "demo_personas.csv", dtype={"subscriber_id": str})
    assigned = query(demo_db, "select customer_id, segment_id from segment_assignments where case_name = 'demo'")
    rows = assigned.merge(truth.drop_duplicates("subscriber_id"), left_on="customer_id", right_on="subscriber_id")
    for persona, traits in PERSONA_TRAITS.items():
        segment_id = rows[rows.persona == persona].segment_id.mode()[0]
        own = rules[rules.segment_id == segment_id]
        names_a_trait = own.rule.map(features_in).map(traits.intersection).astype(bool)
        good = own[(own.precision >= 0.9) & (own.recall >= 0.5) & names_a_trait]
        assert not good.empty, f"{persona} (segment {segment_id}) has no precise rule on {traits}:\n{own}"


def test_the_measures_agree_with_a_count_from_the_assignments(demo_db, rules):
    features = sorted(set().union(*rules.rule.map(features_in)))
    members = query(
        demo_db,
        f"select assignments.segment_id, {', '.join(f'usable.{f}' for f in features)} "
        f"from {FEATURES_MODEL} as usable inner join segment_assignments as assignments "
        "on assignments.case_name = 'demo' and cast(usable.subscriber_id as varchar) = assignments.customer_id "
        "where usable.quarantine_reason is null",
    )
    usable = query(demo_db, f"select count(*) as n from {FEATURES_MODEL} where quarantine_reason is null").n[0]
    assert len(members) == usable  # every usable customer has a segment
    for rule in rules.itertuples():
        matches = members.eval(rule.rule.replace(" = ", " == "))
        in_segment = members.segment_id == rule.segment_id
        assert rule.support == matches.sum(), rule
        assert rule.segment_customers == in_segment.sum(), rule
        assert rule.evaluated_customers == usable  # the demo is under rules_sample_size: every customer
        assert rule.support_share == pytest.approx(matches.mean())
        assert rule.precision == pytest.approx((matches & in_segment).sum() / matches.sum())
        assert rule.recall == pytest.approx((matches & in_segment).sum() / in_segment.sum())
        assert rule.n_conditions == len(re.findall(r" (?:>|<=|=) ", rule.rule))


def test_every_rule_is_a_sql_predicate_on_the_features_model(demo_db, rules):
    assert not rules.empty
    for rule in rules.itertuples():
        sql = f"select count(*) as n from {FEATURES_MODEL} where quarantine_reason is null and ({rule.rule})"
        counted = query(demo_db, sql)
        assert counted.n[0] == rule.support, rule.rule


def test_the_rules_are_of_the_current_model(demo_db, rules):
    current = query(demo_db, "select model_id from segment_model_runs where case_name = 'demo' and is_current").model_id
    assert set(rules.model_id) == {current[0]}
    named = query(demo_db, "select segment_id, segment_name from segment_summary where case_name = 'demo'")
    assert set(rules.segment_id) == set(named.segment_id)  # every demo segment is described
    merged = rules.merge(named, on="segment_id", suffixes=("", "_summary"))
    assert (merged.segment_name == merged.segment_name_summary).all()


def test_past_rules_sample_size_the_measures_come_from_a_hash_sample(demo_db, rules, tmp_path):
    database = scratch_copy(demo_db, tmp_path)
    variables = {"segmentation_cases": ["demo"], "segmentation_defaults": {"rules_sample_size": 3000}}
    run_dbt(["build", "--select", "segment_rules", "--vars", json.dumps(variables)], database)
    sampled = query(database, "select * from segment_rules where case_name = 'demo' order by segment_id, rule_number")
    assert sampled.rule.tolist() == rules.rule.tolist()  # the same model: no refit
    assert 2500 < sampled.evaluated_customers[0] < 3500 < rules.evaluated_customers[0]
    assert (sampled.support < rules.support).all()
    # A 3,000-customer sample estimates the shares to within a few points.
    for column in ("support_share", "precision", "recall"):
        assert (sampled[column] - rules[column]).abs().max() < 0.06, column
