import numpy as np
import pytest

from customer_segmentation import SegmentationError, name_segments
from customer_segmentation.naming import feature_label

FEATURES = [
    "minutes_watched",
    "clv",
    "age_bracket__18_24",
    "age_bracket__25_34",
    "marital_status__single",
    "marital_status__married",
    "channel__instagram",
    "hours_bracket__20_plus",
]
YOUNG_WATCHERS = [1.8, 0.2, 2.5, 0.9, 0.3, -0.4, 1.2, 0.1]
MARRIED_LOW_VALUE = [-0.6, -1.5, -0.2, 0.0, -0.8, 0.8, 0.0, 0.7]
AVERAGE = [0.3, -0.4, -2.0, 0.4, 0.1, -0.1, 0.2, -0.3]


def test_names_come_from_the_defining_traits():
    names = name_segments(np.array([YOUNG_WATCHERS, MARRIED_LOW_VALUE, AVERAGE]), FEATURES)
    assert names == [
        # age 25-34 (z 0.9) also qualifies but the age group already has a trait
        "age bracket 18–24 · high minutes watched · instagram",
        "low clv · married · hours bracket 20+",
        # a strongly negative dummy is not a trait
        "average customers",
    ]


def test_naming_is_deterministic():
    z = np.random.default_rng(0).normal(size=(6, len(FEATURES)))
    assert name_segments(z, FEATURES) == name_segments(z.copy(), list(FEATURES))


def test_max_traits_limits_the_name():
    assert name_segments(np.array([YOUNG_WATCHERS]), FEATURES, max_traits=1) == ["age bracket 18–24"]


def test_duplicate_names_add_traits_then_a_counter():
    z = np.array([MARRIED_LOW_VALUE] * 3)
    assert name_segments(z, FEATURES) == [
        "low clv · married · hours bracket 20+",
        "low clv · married · hours bracket 20+ · low minutes watched",
        "low clv · married · hours bracket 20+ (2)",
    ]


def test_duplicate_average_segments_are_numbered():
    assert name_segments(np.zeros((2, len(FEATURES))), FEATURES) == [
        "average customers",
        "average customers (2)",
    ]


def test_labels_override_derived_text():
    labels = {
        "age_bracket__18_24": "Gen Z",  # a dummy column: the whole trait
        "minutes_watched": "watch time",  # a numeric column: the text after high/low
        "hours_bracket": "weekly hours",  # a dummy group: prefix of digit categories
    }
    names = name_segments(np.array([YOUNG_WATCHERS, MARRIED_LOW_VALUE]), FEATURES, labels=labels)
    assert names == ["Gen Z · high watch time · instagram", "low clv · married · weekly hours 20+"]


@pytest.mark.parametrize(
    ("column", "trait"),
    [
        ("marital_status__single", "single"),
        ("age_bracket__18_24", "age bracket 18–24"),
        ("age_bracket__under_18", "under 18"),
        ("hours_bracket__20_plus", "hours bracket 20+"),
        ("plan__pay_as_you_go", "pay as you go"),
        ("channel__Instagram", "Instagram"),
        ("region__2", "region 2"),
    ],
)
def test_dummy_categories_are_readable(column, trait):
    assert name_segments(np.array([[1.0, 0.0]]), [column, "other"]) == [trait]


def test_numeric_traits_say_high_or_low():
    z = np.array([[0.49, -0.7], [0.5, 0.0]])
    assert name_segments(z, ["tenure_months", "CLV"]) == ["low CLV", "high tenure months"]


def test_shape_mismatch_is_an_error():
    with pytest.raises(SegmentationError, match=r"expected \(k, 8\)"):
        name_segments(np.zeros((2, 3)), FEATURES)


def test_feature_label_uses_the_specs_labels_and_reads_dummies_as_group_and_category():
    labels = {"yearly_income": "income", "gender__non_binary": "non-binary"}
    assert feature_label("yearly_income", labels) == "income"
    assert feature_label("hours_per_week", labels) == "hours per week"
    assert feature_label("yearly_income__50000_99999", labels) == "income: 50000–99999"
    assert feature_label("age__65_plus", labels) == "age: 65+"
    assert feature_label("gender__non_binary", labels) == "non-binary"
    assert feature_label("marital_status__single") == "marital status: single"
