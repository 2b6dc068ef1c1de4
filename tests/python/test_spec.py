"""A case's settings: resolved and validated once, by the package's seg_spec (rendered here with plain
Jinja, as dbt renders it), then handed whole to the engine's SegmentationSpec.from_settings."""

import json

import pytest

from customer_segmentation import SegmentationError, SegmentationSpec
from project import ROOT
from specs import make_spec
from sql_macros import Package, package_defaults

SHOP = {"source": "raw_customers", "id_column": "customer_id", "numeric": ["recency", "frequency", "monetary"]}


def problems(case: dict, name: str = "shop", **variables) -> list[str]:
    return Package({"segmentation": {name: case}, **variables}).seg_spec_problems(name)


def resolve(case: dict, **variables) -> dict:
    return Package({"segmentation": {"shop": case}, **variables}).seg_resolve("shop")


def test_a_plain_case_resolves_over_the_package_defaults():
    spec = resolve({**SHOP, "categories": {"channel": ["web", "store"]}, "k_max": 6})
    assert spec["k_max"] == 6 and spec["k_min"] == package_defaults()["k_min"] == 2
    assert spec["features"] == ["recency", "frequency", "monetary", "channel__web", "channel__store"]
    assert spec["profile_features"] == [*spec["features"], "channel__other"]


def test_segmentation_defaults_apply_to_every_case_and_the_case_wins():
    assert resolve(SHOP, segmentation_defaults={"k_max": 7, "n_seeds": 2})["k_max"] == 7
    assert resolve({**SHOP, "k_max": 5}, segmentation_defaults={"k_max": 7})["k_max"] == 5


def test_a_median_blank_rule_flags_the_filled_rows():
    spec = resolve({**SHOP, "blank_rules": {"monetary": "median", "recency": "zero"}})
    assert spec["blank_fill_flags"] == {"monetary": "monetary_was_blank"}
    assert "monetary_was_blank" in spec["profile_features"] and "monetary_was_blank" not in spec["features"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"k_mx": 5},
            "case 'shop': unknown setting 'k_mx' in vars.segmentation.shop; did you mean 'k_max'?",
        ),
        ({"k_max": "ten"}, """case 'shop': vars.segmentation.shop.k_max must be a whole number, got "ten"."""),
        ({"k": 2.5}, "case 'shop': vars.segmentation.shop.k must be a whole number or null, got 2.5."),
        ({"numeric": "recency"}, """case 'shop': vars.segmentation.shop.numeric must be a list, got "recency"."""),
        ({"k_sweep": "yes"}, """vars.segmentation.shop.k_sweep must be true or false or null, got "yes"."""),
        ({"id_column": None}, "case 'shop': id_column is not set; name the column that identifies a customer."),
        ({"source": None}, "case 'shop': set source (the customer table"),
        (
            {"features": ["recency", "frequncy"]},
            "case 'shop': feature 'frequncy' is not a column the case generates; did you mean 'frequency'?",
        ),
        ({"blank_rules": {"recency": "mean"}}, "blank_rules.recency must be one of quarantine, zero, median"),
        ({"brackets": {"recency": [30, 7]}}, "brackets.recency must be ascending whole numbers"),
        ({"valid_ranges": {"age": [0, 120]}}, "valid_ranges.age names a column that is not in numeric"),
        ({"source": {"sourse": "shop", "table": "customers"}}, "source must be a model name, {ref: name} or"),
        ({"transforms": {"recency": "sqrt"}}, "transforms.recency must be winsorize or log, on one of the case's"),
        ({"transforms": {"age": "log"}}, "transforms.age must be winsorize or log, on one of the case's features"),
        ({"winsorize_quantiles": [0.99, 0.01]}, "winsorize_quantiles must be [low, high] with 0 <= low < high <= 1"),
        ({"winsorize_quantiles": [0.01]}, "winsorize_quantiles must be [low, high]"),
        ({"k_choice": "largest"}, 'k_choice must be actionable or statistical, got "largest".'),
        ({"min_segment_share": 2}, "min_segment_share must be a number between 0 and 1, got 2."),
        ({"gamma": 0}, "gamma must be a number above 0 (the cost of one category mismatch), got 0."),
        (
            {"categories": {"channel": ["web"]}, "categorical_features": ["chanel"]},
            "categorical_features names 'chanel', which has no vocabulary in categories; did you mean 'channel'?",
        ),
    ],
)
def test_bad_settings_are_refused_with_a_sentence(change, message):
    found = problems({**SHOP, **change})
    assert any(message in problem for problem in found), found


def test_a_custom_case_needs_its_features():
    found = problems({"features_model": "int_shop__features", "id_column": "customer_id"})
    assert found == ["case 'shop': features is not set; list the columns of int_shop__features to cluster on."]


def test_a_case_listed_but_not_configured():
    found = Package({"segmentation": {"shop": SHOP}, "segmentation_cases": ["shp"]}).seg_spec_problems("shp")
    assert found == [
        "case 'shp' is listed in vars.segmentation_cases but not configured in vars.segmentation; "
        "did you mean 'shop'? (configured: shop)."
    ]


def test_unknown_settings_in_the_defaults_are_refused_too():
    assert (
        "unknown setting 'k_mn' in vars.segmentation_defaults" in problems(SHOP, segmentation_defaults={"k_mn": 3})[0]
    )


def test_good_settings_have_no_problem():
    assert problems({**SHOP, "categories": {"channel": ["web"]}, "k": 4, "brackets": {"recency": [7, 30, 90]}}) == []


def test_categorical_features_bring_their_dummies_and_other_into_the_features():
    case = {**SHOP, "categories": {"channel": ["web", "In store"]}, "algorithm": "kprototypes"}
    spec = resolve({**case, "features": ["recency", "channel__web"], "categorical_features": ["channel"]})
    assert spec["features"] == ["recency", "channel__web", "channel__in_store", "channel__other"]
    assert set(spec["features"]) <= set(spec["profile_features"])  # category shares per segment
    engine = SegmentationSpec.from_settings("shop", json.loads(json.dumps(spec)))
    assert engine.categorical_groups == ((1, 2, 3),)


# --- the engine's side -----------------------------------------------------------------------------


def test_the_engine_takes_the_resolved_settings_whole():
    settings = resolve({**SHOP, "k_max": 6, "algorithm": "ward"})
    spec = SegmentationSpec.from_settings("shop", json.loads(json.dumps(settings)))  # as dbt hands it over
    assert (spec.case, spec.id_column, spec.k_max, spec.algorithm) == ("shop", "customer_id", 6, "ward")
    assert spec.features == ("recency", "frequency", "monetary")
    assert not hasattr(spec, "source")  # SQL-side settings stay on the SQL side


def test_the_engine_declares_no_defaults_of_its_own():
    with pytest.raises(SegmentationError, match=r"case 'c': settings lack .*k_max"):
        SegmentationSpec.from_settings("c", {"id_column": "id", "features": ["x"]})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"features": []}, r"features is empty"),
        ({"features": ["a", "a"]}, r"features listed more than once: a"),
        ({"k_min": 5, "k_max": 3}, r"k_max \(3\) must be at least k_min \(5\)"),
        ({"algorithm": "dbscan"}, r"unknown algorithm 'dbscan'"),
        ({"k_sweep": False}, r"k_sweep is false but k is null"),
        ({"stability_bootstraps": 1}, r"stability_bootstraps must be 0 \(off\) or at least 2"),
        ({"categorical_features": ["a"]}, r"categorical_features are compared by mismatch only by algorithm"),
        ({"algorithm": "kprototypes"}, r"algorithm kprototypes needs categorical_features"),
        (
            {"algorithm": "kprototypes", "features": ["a", "b__x", "b__y"], "categorical_features": ["b"], "gamma": -1},
            r"gamma must be a number above 0, got -1",
        ),
        (
            {"algorithm": "kprototypes", "features": ["a", "b__x"], "categorical_features": ["b"]},
            r"categorical feature 'b' has fewer than two dummies in features",
        ),
        (
            {
                "algorithm": "kprototypes",
                "features": ["a", "b__x", "b__y"],
                "categorical_features": ["b"],
                "reduction": {"method": "pca", "n_components": 2},
            },
            r"kprototypes clusters the categories themselves; drop the reduction",
        ),
    ],
)
def test_engine_constraints_are_refused_with_the_case_named(overrides, message):
    with pytest.raises(SegmentationError, match=r"case 'c': " + message):
        make_spec(case="c", **{"id_column": "id", "features": ["a", "b"], **overrides})


def test_to_dict_round_trips():
    spec = make_spec(case="c", id_column="id", features=["a", "b"], reduction={"method": "pca", "n_components": 1})
    data = spec.to_dict()
    assert SegmentationSpec.from_settings("c", {key: value for key, value in data.items() if key != "case"}) == spec


def test_the_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("### Settings of a case") : readme.index("### When a case has a problem")]
    missing = [name for name in package_defaults() if f"`{name}`" not in table]
    assert not missing, f"settings missing from the README's table: {missing}"
