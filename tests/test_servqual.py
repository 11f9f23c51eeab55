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


def test_item_8_keeps_its_original_meaning():
    # Parasuraman, Zeithaml & Berry (1988), reliability item 8: "XYZ provides its services at the time it
    # promises to do so" (not stock availability).
    wording = rk.ITEMS.loc[8, "wording"].lower()
    assert rk.ITEMS.loc[8, "dimension"] == "reliability"
    assert "at the time it promises" in wording and "stock" not in wording


# Two respondents whose importance points follow their own gaps: the first has a reliability gap of -2 and
# gives reliability 60 points (score -1.2), the second a tangibles gap of -1 with 40 points (score -0.4).
TWO_GAPS = pd.DataFrame({"tangibles": [0.0, -1.0], "reliability": [-2.0, 0.0], "responsiveness": [0.0, 0.0],
                         "assurance": [0.0, 0.0], "empathy": [0.0, 0.0]}, index=["R1", "R2"])
TWO_POINTS = pd.DataFrame({"w_tangibles": [10, 40], "w_reliability": [60, 15], "w_responsiveness": [10, 15],
                           "w_assurance": [10, 15], "w_empathy": [10, 15]}, index=["R1", "R2"])


def test_weighted_score_is_worked_out_per_respondent():
    # Zeithaml, Parasuraman & Berry (1990): weight each respondent's gaps by their own points, then average.
    assert rk.weighted_score(TWO_GAPS, TWO_POINTS) == pytest.approx(-0.8)
    # The mean-of-means shortcut (mean gaps -0.5 and -1.0 weighted by mean points 25 and 37.5) differs.
    assert servqual.weighted_score_of_means(TWO_GAPS, TWO_POINTS) == pytest.approx(-0.5)
    assert servqual.weighted_score_of_means(TWO_GAPS.mean(), TWO_POINTS.mean().rename(
        lambda c: c.removeprefix("w_"))) == pytest.approx(-0.5)


def test_respondent_gaps_from_survey_tables():
    e = pd.DataFrame([[6] * 22, [7] * 22], columns=COLS, index=["R1", "R2"])
    p = pd.DataFrame([[6] * 4 + [4] * 18, [6] * 22], columns=COLS, index=e.index)
    gaps = servqual.respondent_gaps(e, p)
    assert list(gaps.columns) == list(rk.DIMENSIONS) and list(gaps.index) == ["R1", "R2"]
    assert gaps.loc["R1"].tolist() == [0.0, -2.0, -2.0, -2.0, -2.0] and gaps.loc["R2"].tolist() == [-1.0] * 5
    # Averaged over respondents, the per-respondent gaps are the dimension gaps.
    pd.testing.assert_series_equal(gaps.mean(), rk.dimension_gaps(e, p), check_names=False)


def test_case_study_per_respondent_score_uses_each_members_weights():
    table = load("servqual").query("store_id == 'HH01'")
    e, p = split(table)
    weights = table.filter(regex=r"^w_")
    got = rk.weighted_score(servqual.respondent_gaps(e, p), weights)
    gaps = (p.to_numpy() - e.to_numpy())
    by_dimension = np.column_stack([gaps[:, rk.ITEMS["dimension"].to_numpy() == d].mean(axis=1)
                                    for d in rk.DIMENSIONS])
    w = weights.to_numpy()
    expected = np.mean((by_dimension * w).sum(axis=1) / w.sum(axis=1))
    assert got == pytest.approx(expected)
    assert got != pytest.approx(servqual.weighted_score_of_means(servqual.respondent_gaps(e, p), weights))


def test_per_respondent_rejections():
    with pytest.raises(ValueError, match="same respondents in the same rows"):
        rk.weighted_score(TWO_GAPS, TWO_POINTS.iloc[:1])
    with pytest.raises(ValueError, match="all 0 for respondent 'R2'"):
        rk.weighted_score(TWO_GAPS, TWO_POINTS.assign(w_tangibles=[10, 0], w_reliability=[60, 0],
                                                      w_responsiveness=[10, 0], w_assurance=[10, 0],
                                                      w_empathy=[10, 0]))
    with pytest.raises(ValueError, match="no column for \\['empathy'\\]"):
        rk.weighted_score(TWO_GAPS, TWO_POINTS.drop(columns="w_empathy"))
    with pytest.raises(ValueError, match=r"weights\['reliability'\] has a missing value"):
        rk.weighted_score(TWO_GAPS, TWO_POINTS.assign(w_reliability=[60, np.nan]))
    with pytest.raises(TypeError, match="use respondent_gaps"):
        rk.weighted_score(TWO_GAPS.mean(), TWO_POINTS)
    e = pd.DataFrame([[5] * 22] * 2, columns=COLS)
    with pytest.raises(ValueError, match="expectations and perceptions must hold the same respondents"):
        servqual.respondent_gaps(e, e.iloc[:1])


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


def test_plots_title_the_finding(small_data):
    e, p = split(small_data("servqual").query("store_id == 'HH01'"))
    ax = servqual.plot_dimension_gaps(rk.dimension_gaps(e, p))
    assert ax.get_title().startswith("Largest shortfall: ")
    assert "points" in ax.get_xlabel()
    ax = servqual.plot_items(e, p)
    assert ax.get_title().startswith("Biggest shortfall: Q") and " i " not in ax.get_title()  # "I" stays a capital
    assert len(ax.get_yticklabels()) == 22


@pytest.mark.parametrize(("change", "error", "words"), [
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
