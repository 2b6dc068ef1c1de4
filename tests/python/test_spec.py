import json

import pytest

from customer_segmentation import SegmentationError, SegmentationSpec

DEFAULTS = {
    "algorithm": "kmeans",
    "k": None,
    "k_min": 2,
    "k_max": 10,
    "random_state": 42,
    "n_init": 10,
    "n_seeds": 4,
    "silhouette_sample_size": 5000,
    "ward_sample_size": 10000,
    "fit_sample_size": 500000,
    "name_max_traits": 3,
}
CASE = {
    "features_model": "int_demo__features",  # SQL-side keys: ignored by the engine
    "profile_features": ["age"],
    "brackets": {"age": [18, 25]},
    "id_column": "subscriber_id",
    "features": ["minutes_watched", "clv"],
    "k_max": 6,
    "algorithm": "ward",
}


def spec_for(**overrides):
    return SegmentationSpec.from_vars(DEFAULTS, {"demo": {**CASE, **overrides}}, "demo")


def test_from_vars_case_overrides_defaults_and_ignores_sql_keys():
    spec = spec_for()
    assert spec.case == "demo"
    assert spec.id_column == "subscriber_id"
    assert spec.features == ("minutes_watched", "clv")
    assert spec.k_max == 6  # case wins
    assert spec.algorithm == "ward"
    assert spec.k is None and spec.n_init == 10 and spec.n_seeds == 4  # from defaults
    assert not hasattr(spec, "features_model")


def test_from_vars_without_defaults_uses_dataclass_defaults():
    spec = SegmentationSpec.from_vars(None, {"c": {"id_column": "id", "features": ["x"]}}, "c")
    assert (spec.k_min, spec.k_max, spec.random_state, spec.kmeans_init) == (2, 10, 42, "k-means++")


def test_unknown_case_lists_known_cases():
    with pytest.raises(SegmentationError, match=r"unknown segmentation case 'nope'.*course, demo"):
        SegmentationSpec.from_vars(DEFAULTS, {"demo": CASE, "course": CASE}, "nope")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"features": []}, r"features is empty"),
        ({"features": ["a", "a"]}, r"features listed more than once: a"),
        ({"features": None}, r"'features' is not set"),
        ({"id_column": None}, r"'id_column' is not set"),
        ({"k_min": 1}, r"k_min must be at least 2, got 1"),
        ({"k_min": 5, "k_max": 4}, r"k_max \(4\) must be at least k_min \(5\)"),
        ({"algorithm": "dbscan"}, r"unknown algorithm 'dbscan'; use one of kmeans, ward"),
        ({"kmeans_init": "random"}, r"unknown kmeans_init 'random'"),
        ({"k": "5"}, r"k must be an integer, got '5'"),
        ({"k": 2.5}, r"k must be an integer, got 2.5"),
        ({"k": True}, r"k must be an integer, got True"),
        ({"k": 1}, r"k must be at least 2"),
        ({"n_init": 0}, r"n_init must be at least 1"),
        ({"random_state": -1}, r"random_state must be at least 0"),
        ({"ward_sample_size": 5}, r"ward_sample_size must be at least 7"),
        ({"feature_labels": {"clv": 3}}, r"feature_labels must map feature names to text"),
    ],
)
def test_from_vars_rejects_bad_settings(overrides, message):
    with pytest.raises(SegmentationError, match=message):
        spec_for(**overrides)


def test_errors_name_the_case():
    with pytest.raises(SegmentationError, match=r"^case 'demo': "):
        spec_for(k_min=1)


def test_direct_construction_is_validated_too():
    with pytest.raises(SegmentationError, match="unknown algorithm"):
        SegmentationSpec(case="x", id_column="id", features=("a",), algorithm="kmedoids")


def test_to_dict_is_json_serialisable_and_round_trips():
    spec = spec_for(k=4, feature_labels={"clv": "lifetime value"})
    data = json.loads(json.dumps(spec.to_dict()))
    assert data["features"] == ["minutes_watched", "clv"]
    assert data["k"] == 4 and data["feature_labels"] == {"clv": "lifetime value"}
    rebuilt = SegmentationSpec.from_vars({}, {data["case"]: data}, data["case"])
    assert rebuilt == spec


def test_spec_is_frozen_and_hashable():
    spec = spec_for()
    with pytest.raises(AttributeError):
        spec.k = 3
    assert hash(spec) == hash(spec_for())
