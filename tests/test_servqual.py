"""SERVQUAL and the gap model: published figures, properties, the case study, plots and rejections."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import retailkit as rk  # noqa: E402
from retailkit import servqual  # noqa: E402
from retailkit.datasets import load  # noqa: E402

COLS = [f"Q{i}" for i in range(1, 23)]


def split(table):
    e = table.filter(regex=r"^E_Q").rename(columns=lambda c: c.removeprefix("E_"))
    p = table.filter(regex=r"^P_Q").rename(columns=lambda c: c.removeprefix("P_"))
    return e, p


def test_items_follow_parasuraman_1988():
    # Item numbering per dimension (studylib "22 questions of SERVQUAL"; Parasuraman, Zeithaml & Berry 1988):
    # tangibles 1-4, reliability 5-9, responsiveness 10-13, assurance 14-17, empathy 18-22.
    counts = rk.ITEMS.groupby("dimension").size().to_dict()
    assert counts == {"tangibles": 4, "reliability": 5, "responsiveness": 4, "assurance": 4, "empathy": 5}
    assert rk.ITEMS.loc[5, "dimension"] == "reliability" and rk.ITEMS.loc[18, "dimension"] == "empathy"
    assert rk.DIMENSIONS == ("tangibles", "reliability", "responsiveness", "assurance", "empathy")


def test_unweighted_score_12manage():
    # 12manage forum, "SERVQUAL": dimension gaps -0.65, -1.10, -0.83, -0.70, -1.01
    # -> unweighted average SERVQUAL score -4.29 / 5 = -0.86.
    gaps = pd.Series([-0.65, -1.10, -0.83, -0.70, -1.01], index=list(rk.DIMENSIONS))
    equal = dict.fromkeys(rk.DIMENSIONS, 20)
    assert rk.weighted_score(gaps, equal) == pytest.approx(-0.858)


def test_item_and_dimension_gaps_by_hand():
    e = pd.DataFrame([[7] * 22, [5] * 22], columns=COLS)
    p = pd.DataFrame([[5] * 4 + [6] * 18, [5] * 4 + [4] * 18], columns=COLS)
    gaps = rk.item_gaps(e, p)
    assert gaps["Q1"] == -1.0 and gaps["Q5"] == -1.0
    assert rk.dimension_gaps(e, p).tolist() == [-1.0] * 5


@given(st.lists(st.floats(-6, 6), min_size=5, max_size=5), st.lists(st.integers(0, 100), min_size=5, max_size=5))
def test_weighted_score_lies_between_the_smallest_and_largest_gap(gaps, weights):
    if sum(weights) == 0:
        return
    g = pd.Series(gaps, index=list(rk.DIMENSIONS))
    score = rk.weighted_score(g, dict(zip(rk.DIMENSIONS, weights, strict=True)))
    assert min(gaps) - 1e-9 <= score <= max(gaps) + 1e-9


def test_case_study_tells_the_story_in_the_data_dictionary():
    table = load("servqual")
    gaps = {s: rk.dimension_gaps(*split(g)) for s, g in table.groupby("store_id", observed=True)}
    assert gaps["HH01"].idxmin() == "responsiveness"   # busy city shop, short-staffed
    assert gaps["HH04"]["tangibles"] < -0.8           # tired outlet
    assert gaps["HH03"].mean() > gaps["HH04"].mean()   # York is friendlier than Swindon


def test_diagnose_places_evidence_on_the_five_gaps():
    d = rk.diagnose(customer_expectation=6.2, management_estimate=5.1, standards_coverage=0.95,
                    standards_compliance=0.72, promises_kept=0.97, perceived_minus_expected=-0.6)
    assert d["status"].tolist() == ["gap", "no gap", "gap", "no gap", "gap"]
    assert "1.10 points" in d.loc[0, "explanation"] and "72%" in d.loc[2, "explanation"]
    empty = rk.diagnose()
    assert (empty["status"] == "no evidence").all()


def test_plots_title_the_finding():
    e, p = split(load("servqual", "small").query("store_id == 'HH01'"))
    ax = servqual.plot_dimension_gaps(rk.dimension_gaps(e, p))
    assert ax.get_title().startswith("Largest shortfall: ")
    assert "points" in ax.get_xlabel()
    ax = servqual.plot_items(e, p)
    assert ax.get_title().startswith("Biggest item gap: Q")
    assert len(ax.get_yticklabels()) == 22


@pytest.mark.parametrize("change, error, words", [
    (lambda t: t.drop(columns="Q7"), ValueError, r"missing columns \['Q7'\]"),
    (lambda t: t.assign(Q3=8), ValueError, "must be 7 or less"),
    (lambda t: t.assign(Q3=np.nan), ValueError, "missing value"),
    (lambda t: t.assign(Q3=2.5), ValueError, "whole number"),
    (lambda t: t["Q1"], TypeError, "must be a table"),
])
def test_bad_survey_tables_are_refused(change, error, words):
    good = pd.DataFrame([[5] * 22], columns=COLS)
    with pytest.raises(error, match=words):
        rk.item_gaps(change(good), good)


def test_bad_weights_are_refused():
    gaps = pd.Series([-1.0] * 5, index=list(rk.DIMENSIONS))
    with pytest.raises(ValueError, match="weights are all 0"):
        rk.weighted_score(gaps, dict.fromkeys(rk.DIMENSIONS, 0))
    with pytest.raises(ValueError, match="no weight for"):
        rk.weighted_score(gaps, {"tangibles": 100})
    with pytest.raises(ValueError, match="standards_compliance must be 1 or less"):
        rk.diagnose(standards_compliance=72)
