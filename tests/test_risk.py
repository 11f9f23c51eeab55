"""Risk register: likelihood x impact on a 5 x 5 matrix, bands and contingency coverage."""

import pandas as pd
import pytest

import retailkit as rk


@pytest.fixture
def register():
    return pd.DataFrame({
        "risk": ["Staff absence at Christmas", "Till failure", "Supplier delay", "Card terminal outage", "Flood"],
        "likelihood": [4, 2, 3, 1, 1],
        "impact": [4, 4, 3, 5, 2],
        "contingency": ["Call in part-time staff; agency list", "", None, "Cash float and manual slips", ""],
    })


def test_scores_and_bands(register):
    out = rk.risk_register(register)
    assert out["score"].tolist() == [16, 9, 8, 5, 2]
    assert out["band"].tolist() == ["very high", "medium", "medium", "medium", "low"]
    assert out["rag"].tolist() == ["red", "amber", "amber", "amber", "green"]


def test_contingency_gaps_name_the_risks_without_a_plan(register):
    gaps = rk.contingency_gaps(register)
    assert gaps["risk"].tolist() == ["Supplier delay", "Till failure"]


def test_every_score_falls_in_one_band():
    scores = sorted({a * b for a in range(1, 6) for b in range(1, 6)})
    bands = rk.risk_band(scores)
    order = ["low", "medium", "high", "very high"]
    assert [order.index(b) for b in bands] == sorted(order.index(b) for b in bands), "bands rise with score"


@pytest.mark.parametrize(("likelihood", "impact", "words"), [(0, 3, "likelihood must be 1 or more"),
                                                        (3, 6, "impact must be 5 or less"),
                                                        (2.5, 3, "likelihood must be a whole number")])
def test_off_scale_scores_are_rejected(likelihood, impact, words):
    with pytest.raises(ValueError, match=words):
        rk.risk_score(likelihood, impact)


def test_missing_column_is_named(register):
    with pytest.raises(ValueError, match="no column 'contingency'"):
        rk.risk_register(register.drop(columns="contingency"))
