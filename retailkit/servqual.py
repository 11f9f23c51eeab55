"""SERVQUAL and the gap model of service quality (Parasuraman, Zeithaml & Berry).

Customers rate 22 statements twice on a 1-7 scale: what they **expect** of an excellent shop, and what
they **perceive** at this one. The gap for each statement is perception minus expectation (P - E): a
negative gap means the shop falls short. The statements belong to five dimensions of service quality.

Each respondent also shares 100 importance points over the five dimensions. The weighted SERVQUAL score
is worked out per respondent (their own gaps weighted by their own points) and then averaged over
respondents, as Parasuraman, Zeithaml & Berry do: ``weighted_score(respondent_gaps(e, p), weights)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retailkit._checks import number

__all__ = ["DIMENSIONS", "ITEMS", "GAPS", "item_gaps", "dimension_gaps", "respondent_gaps", "weighted_score",
           "weighted_score_of_means", "diagnose", "plot_dimension_gaps", "plot_items"]

DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")

#: The 22 items: number, dimension, and a short retail wording of the original statement.
ITEMS = pd.DataFrame(
    [
        (1, "tangibles", "The shop has up-to-date fittings and equipment"),
        (2, "tangibles", "The shop looks clean, bright and inviting"),
        (3, "tangibles", "Staff look neat and professional"),
        (4, "tangibles", "Signs, price labels and bags are clear and appealing"),
        (5, "reliability", "The shop does what it promises by the time it promises"),
        (6, "reliability", "When I have a problem, staff show a real interest in solving it"),
        (7, "reliability", "The shop gets things right the first time"),
        (8, "reliability", "The shop provides its services at the time it promises (click-and-collect, deliveries)"),
        (9, "reliability", "Receipts, prices and records are accurate"),
        (10, "responsiveness", "Staff tell me exactly when things will happen (orders, repairs)"),
        (11, "responsiveness", "I am served promptly, without a long queue"),
        (12, "responsiveness", "Staff are always willing to help"),
        (13, "responsiveness", "Staff are never too busy to answer my questions"),
        (14, "assurance", "Staff behaviour gives me confidence"),
        (15, "assurance", "I feel safe paying and shopping here"),
        (16, "assurance", "Staff are consistently polite"),
        (17, "assurance", "Staff know enough to answer my questions about products"),
        (18, "empathy", "Staff give me individual attention"),
        (19, "empathy", "Opening hours suit me"),
        (20, "empathy", "Staff give me personal attention when I need it"),
        (21, "empathy", "The shop has my best interests at heart"),
        (22, "empathy", "Staff understand what I specifically need"),
    ],
    columns=["item", "dimension", "wording"],
).set_index("item")

COLUMNS = [f"Q{i}" for i in ITEMS.index]

#: The five gaps of the gap model: number -> (name, what it compares).
GAPS = {
    1: ("knowledge gap", "what customers expect vs what managers think they expect"),
    2: ("standards gap", "what managers think customers expect vs the service standards set"),
    3: ("delivery gap", "the service standards vs the service actually delivered"),
    4: ("communication gap", "the service delivered vs what the shop promises (adverts, website, staff)"),
    5: ("customer gap", "what customers expect vs what they perceive (measured by SERVQUAL)"),
}


def _scores(table, name: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} must be a table (DataFrame) with columns Q1 to Q22, one row per respondent")
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{name} is missing columns {missing[:4]}{' ...' if len(missing) > 4 else ''}: it needs "
                         f"Q1 to Q22 (rename E_Q1 ... with .rename(columns=lambda c: c.removeprefix('E_')))")
    scores = table[COLUMNS]
    for col in COLUMNS:
        values = number(scores[col], f"{name}[{col!r}]", minimum=1, maximum=7, whole=True)
        del values
    return scores.astype(float)


def item_gaps(expectations, perceptions):
    """Mean gap for each of the 22 items: ``mean(P) - mean(E)``.

    Parameters
    ----------
    expectations, perceptions : DataFrame
        One row per respondent, columns ``Q1`` ... ``Q22``, whole-number scores 1-7 (7 = strongly agree).
        The two tables may hold different respondents (e.g. a panel for expectations).

    Returns
    -------
    Series
        Indexed Q1 ... Q22, from -6 to +6; negative means the shop falls short.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame([[7] * 22, [6] * 22], columns=[f"Q{i}" for i in range(1, 23)])
    >>> p = pd.DataFrame([[5] * 22, [6] * 22], columns=e.columns)
    >>> float(item_gaps(e, p)["Q1"])
    -1.0
    """
    e = _scores(expectations, "expectations")
    p = _scores(perceptions, "perceptions")
    return (p.mean() - e.mean()).rename("gap")


def dimension_gaps(expectations, perceptions):
    """Mean gap for each dimension: the average of its items' gaps.

    ``gap(dimension) = mean over its items of (mean P - mean E)``

    Variant: unweighted mean of the item gaps within each dimension (Parasuraman et al. 1988).

    Parameters
    ----------
    expectations, perceptions : DataFrame
        One row per respondent, columns ``Q1`` ... ``Q22``, whole-number scores 1-7.

    Returns
    -------
    Series
        Indexed by ``DIMENSIONS``, from -6 to +6.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame([[6] * 22], columns=[f"Q{i}" for i in range(1, 23)])
    >>> p = pd.DataFrame([[6] * 4 + [5] * 5 + [4] * 4 + [6] * 4 + [7] * 5], columns=e.columns)
    >>> dimension_gaps(e, p).tolist()
    [0.0, -1.0, -2.0, 0.0, 1.0]
    """
    gaps = item_gaps(expectations, perceptions)
    by = ITEMS["dimension"].set_axis(COLUMNS)
    return gaps.groupby(by).mean().reindex(list(DIMENSIONS)).rename("gap")


def respondent_gaps(expectations, perceptions):
    """Each respondent's gap per dimension: the mean of their own item gaps (P - E) in that dimension.

    ``gap(respondent, dimension) = mean over the dimension's items of (P - E) for that respondent``

    Variant: Parasuraman, Zeithaml & Berry (1988), step 1 of the weighted score. Averaged over
    respondents, it gives the same numbers as ``dimension_gaps``.

    Parameters
    ----------
    expectations, perceptions : DataFrame
        One row per respondent, columns ``Q1`` ... ``Q22``, whole-number scores 1-7. Both tables must hold
        the same respondents in the same rows (the same index), e.g. taken from one survey table.

    Returns
    -------
    DataFrame
        One row per respondent (the index of the inputs), one column per dimension, points from -6 to +6.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame([[6] * 22, [7] * 22], columns=[f"Q{i}" for i in range(1, 23)])
    >>> p = pd.DataFrame([[6] * 4 + [4] * 18, [6] * 22], columns=e.columns)
    >>> respondent_gaps(e, p)
       tangibles  reliability  responsiveness  assurance  empathy
    0        0.0         -2.0            -2.0       -2.0     -2.0
    1       -1.0         -1.0            -1.0       -1.0     -1.0
    """
    e = _scores(expectations, "expectations")
    p = _scores(perceptions, "perceptions")
    if not e.index.equals(p.index):
        raise ValueError("expectations and perceptions must hold the same respondents in the same rows (the "
                         f"same index), got {len(e)} and {len(p)} rows; take both from one survey table")
    by = ITEMS["dimension"].set_axis(COLUMNS)
    gaps = (p - e).T.groupby(by).mean().T
    return gaps.reindex(columns=list(DIMENSIONS)).rename_axis(columns=None)


def _weights_table(weights, index, columns) -> pd.DataFrame:
    """Weights as a float table with one row per respondent, checked, matching ``index`` and ``columns``."""
    if isinstance(weights, pd.DataFrame):
        w = weights.rename(columns=lambda c: c.removeprefix("w_") if isinstance(c, str) else c)
        if not w.index.equals(index):
            raise ValueError("weights and dimension_gaps must hold the same respondents in the same rows (the "
                             f"same index), got {len(w)} and {len(index)} rows; take both from one survey table")
        missing = [d for d in columns if d not in w.columns]
        if missing:
            raise ValueError(f"weights has no column for {missing}: it needs one column of importance points "
                             "per dimension (e.g. w_tangibles or tangibles)")
        return pd.DataFrame({d: number(w[d], f"weights[{d!r}]") for d in columns}, index=index)
    w = pd.Series(weights, dtype=float) if isinstance(weights, dict) else weights
    if not isinstance(w, pd.Series):
        raise TypeError("weights must be a table (one row of importance points per respondent), or a Series or "
                        "dict of importance points by dimension")
    missing = [d for d in columns if d not in w.index]
    if missing:
        raise ValueError(f"weights has no weight for {missing}")
    row = number(w[list(columns)], "weights")
    return pd.DataFrame([row] * len(index), index=index, columns=list(columns))


def _gaps_table(dimension_gaps) -> pd.DataFrame:
    if isinstance(dimension_gaps, pd.Series):
        values = number(dimension_gaps, "dimension_gaps", minimum=-6, maximum=6)
        return pd.DataFrame([values], columns=list(dimension_gaps.index))
    if not isinstance(dimension_gaps, pd.DataFrame):
        raise TypeError("dimension_gaps must be a table of gaps per respondent (use respondent_gaps()) or a "
                        "Series indexed by dimension")
    if len(dimension_gaps) == 0:
        raise ValueError("dimension_gaps is empty: there are no respondents to score")
    return pd.DataFrame({d: number(dimension_gaps[d], f"dimension_gaps[{d!r}]", minimum=-6, maximum=6)
                         for d in dimension_gaps.columns}, index=dimension_gaps.index)


def weighted_score(dimension_gaps, weights):
    """Weighted SERVQUAL score: each respondent's gaps weighted by their own importance points, averaged.

    ``score = mean over respondents of [ sum over dimensions (weight x gap) / sum(weight) ]``

    Variant: Parasuraman, Zeithaml & Berry (1988; Zeithaml et al. 1990): for each respondent, weight
    their dimension gaps by the importance points *they* gave (customers share 100 points over the five
    dimensions), add them up, then average over respondents. Dividing by each respondent's sum of
    weights means points out of 100 or fractions out of 1 both work.

    This is not the same as weighting the mean gaps by the mean weights (the "mean-of-means" shortcut,
    ``weighted_score_of_means``): when customers who care most about a dimension also see the biggest
    gap on it, the shortcut understates the shortfall. With a Series of gaps (one respondent, or one set
    of gaps) and one set of weights it is ``sum(weight x gap) / sum(weight)``.

    Parameters
    ----------
    dimension_gaps : DataFrame or Series
        Gaps per respondent: a table with one row per respondent and one column per dimension (from
        ``respondent_gaps``). A Series indexed by dimension is one respondent.
    weights : DataFrame, Series or dict
        Importance points, 0 or more, not all 0 for anyone: a table with one row per respondent (the same
        rows as ``dimension_gaps``; columns named by dimension, with or without the ``w_`` prefix of the
        case study), or a Series or dict by dimension used for every respondent.

    Returns
    -------
    float
        Points on the gap scale, between the smallest and the largest gap.

    Raises
    ------
    ValueError
        If a weight or gap is missing or out of range, a respondent's weights are all 0, or the two tables
        hold different respondents.

    Examples
    --------
    Two respondents. The first sees a reliability gap of -2 and gives reliability 60 of their 100
    points (score -1.2); the second sees a tangibles gap of -1 and gives tangibles 40 points (score -0.4):

    >>> import pandas as pd
    >>> gaps = pd.DataFrame({"tangibles": [0.0, -1.0], "reliability": [-2.0, 0.0], "responsiveness": [0.0, 0.0],
    ...                      "assurance": [0.0, 0.0], "empathy": [0.0, 0.0]})
    >>> points = pd.DataFrame({"tangibles": [10, 40], "reliability": [60, 15], "responsiveness": [10, 15],
    ...                        "assurance": [10, 15], "empathy": [10, 15]})
    >>> weighted_score(gaps, points)
    -0.8

    One respondent (a Series of gaps and their weights):

    >>> gaps = pd.Series({"tangibles": -0.5, "reliability": -1.0, "responsiveness": -2.0,
    ...                   "assurance": 0.0, "empathy": 0.5})
    >>> weighted_score(gaps, {"tangibles": 10, "reliability": 30, "responsiveness": 30,
    ...                       "assurance": 20, "empathy": 10})
    -0.9

    References
    ----------
    Parasuraman, A., Zeithaml, V. A. and Berry, L. L. (1988). SERVQUAL: a multiple-item scale for
    measuring consumer perceptions of service quality. Journal of Retailing, 64(1), 12-40.
    Zeithaml, V. A., Parasuraman, A. and Berry, L. L. (1990). Delivering Quality Service. Free Press.
    """
    if isinstance(weights, pd.DataFrame) and not isinstance(dimension_gaps, pd.DataFrame):
        raise TypeError("weights is a table with one row per respondent, so dimension_gaps must be one too: "
                        "use respondent_gaps(expectations, perceptions)")
    g = _gaps_table(dimension_gaps)
    w = _weights_table(weights, g.index, list(g.columns))
    totals = w.sum(axis=1)
    if (totals == 0).any():
        who = totals.index[(totals == 0).to_numpy()][0]
        raise ValueError("weights are all 0" + ("" if isinstance(dimension_gaps, pd.Series)
                                                  else f" for respondent {who!r}")
                         + ": give each dimension some importance")
    per_respondent = (w.to_numpy() * g.to_numpy()).sum(axis=1) / totals.to_numpy()
    return float(per_respondent.mean())


def weighted_score_of_means(dimension_gaps, weights):
    """Mean-of-means shortcut: the mean gap per dimension weighted by the mean importance points.

    ``score = sum over dimensions (mean weight x mean gap) / sum(mean weight)``

    Variant: a shortcut, NOT the Parasuraman, Zeithaml & Berry weighted score (``weighted_score``). It
    gives the same answer only when every respondent gives the same weights (or the gaps do not vary
    between respondents); otherwise it ignores that the people who care most about a dimension may see
    the biggest gaps on it. Use it only to compare with published figures worked out this way.

    Parameters
    ----------
    dimension_gaps : DataFrame or Series
        Gaps per respondent (from ``respondent_gaps``; their mean is taken), or mean gaps by dimension
        (from ``dimension_gaps``).
    weights : DataFrame, Series or dict
        Importance points per respondent (their mean is taken), or mean points by dimension.

    Returns
    -------
    float
        Points on the gap scale.

    Examples
    --------
    The two respondents of ``weighted_score`` (per-respondent score -0.8): mean gaps -0.5 (tangibles) and
    -1.0 (reliability), mean points 25 and 37.5:

    >>> import pandas as pd
    >>> gaps = pd.DataFrame({"tangibles": [0.0, -1.0], "reliability": [-2.0, 0.0], "responsiveness": [0.0, 0.0],
    ...                      "assurance": [0.0, 0.0], "empathy": [0.0, 0.0]})
    >>> points = pd.DataFrame({"tangibles": [10, 40], "reliability": [60, 15], "responsiveness": [10, 15],
    ...                        "assurance": [10, 15], "empathy": [10, 15]})
    >>> weighted_score_of_means(gaps, points)
    -0.5
    """
    g = _gaps_table(dimension_gaps)
    w = _weights_table(weights, g.index, list(g.columns))
    return weighted_score(g.mean(), w.mean())


def diagnose(customer_expectation=None, management_estimate=None, standards_coverage=None,
             standards_compliance=None, promises_kept=None, perceived_minus_expected=None,
             tolerance=0.25, target=0.9):
    """Place the evidence you have on the five gaps of the gap model, in plain English.

    Parameters
    ----------
    customer_expectation, management_estimate : number (1-7), optional
        Customers' mean expectation, and what managers think customers expect, on the same scale
        (evidence for gap 1, the knowledge gap).
    standards_coverage : fraction, optional
        Share of the things customers care most about that have a written, measurable service
        standard (gap 2, the standards gap).
    standards_compliance : fraction, optional
        Share of checks (mystery shops, logs) that met the standards (gap 3, the delivery gap).
    promises_kept : fraction, optional
        Share of promises kept (e.g. items shown "in stock" online that were on the shelf) (gap 4).
    perceived_minus_expected : number, optional
        SERVQUAL gap (P - E), e.g. the weighted score (gap 5, the customer gap).
    tolerance : number, default 0.25
        A scale gap (gaps 1 and 5) smaller than this (in points on the 1-7 scale) counts as no gap.
    target : fraction, default 0.9
        A share (gaps 2-4) at or above this counts as no gap.

    Returns
    -------
    DataFrame
        One row per gap: ``gap``, ``name``, ``compares``, ``evidence``, ``status`` ("gap", "no gap" or
        "no evidence") and ``explanation``.

    Examples
    --------
    >>> d = diagnose(customer_expectation=6.2, management_estimate=5.1, standards_compliance=0.95)
    >>> d[["gap", "name", "status"]].head(3)
       gap            name       status
    0    1   knowledge gap          gap
    1    2   standards gap  no evidence
    2    3    delivery gap       no gap
    """
    rows = []

    def scale(value, name):
        return None if value is None else float(number(value, name, minimum=-7, maximum=7))

    def share(value, name):
        return None if value is None else float(number(value, name, maximum=1.0))

    tol = float(number(tolerance, "tolerance"))
    goal = share(target, "target")
    e, m = scale(customer_expectation, "customer_expectation"), scale(management_estimate, "management_estimate")
    evidence = {
        1: (None if e is None or m is None else m - e,
            "managers underestimate what customers expect by {x:.2f} points",
            "managers' view matches customers' expectations"),
        2: (share(standards_coverage, "standards_coverage"),
            "only {x:.0%} of customers' priorities have a measurable standard",
            "the standards cover what customers care about"),
        3: (share(standards_compliance, "standards_compliance"),
            "standards were met in only {x:.0%} of checks: staff, tills or stock do not deliver them",
            "the service delivered meets the standards"),
        4: (share(promises_kept, "promises_kept"),
            "only {x:.0%} of promises were kept: adverts or staff promise more than the shop delivers",
            "the shop delivers what it promises"),
        5: (scale(perceived_minus_expected, "perceived_minus_expected"),
            "customers perceive {x:.2f} points less than they expect",
            "customers get what they expect, or more"),
    }
    for gap, (value, bad, good) in evidence.items():
        name, compares = GAPS[gap]
        if value is None:
            status, text = "no evidence", "no evidence given: collect it before drawing conclusions"
        elif gap in (1, 5):
            status = "gap" if value < -tol else "no gap"
            text = bad.format(x=-value) if status == "gap" else good
        else:
            status = "gap" if value < goal else "no gap"
            text = bad.format(x=value) if status == "gap" else good
        rows.append({"gap": gap, "name": name, "compares": compares, "evidence": value, "status": status,
                     "explanation": text})
    return pd.DataFrame(rows)


def plot_dimension_gaps(gaps, ax=None):
    """Diverging bar chart of the gap per dimension; the title names the largest shortfall.

    Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    if not isinstance(gaps, pd.Series):
        raise TypeError("gaps must be a Series indexed by dimension (use dimension_gaps())")
    ax = ax or plt.subplots(figsize=(6.5, 3.2))[1]
    from retailkit.plots import BAD, GOOD

    colours = [BAD if g < 0 else GOOD for g in gaps]
    ax.barh(list(gaps.index), gaps.to_numpy(), color=colours)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.invert_yaxis()
    worst = gaps.idxmin()
    title = (f"Largest shortfall: {worst} ({gaps.min():+.2f})" if gaps.min() < 0
             else "Customers' expectations are met on every dimension")
    ax.set(title=title, xlabel="Gap: perception - expectation (points on a 1-7 scale)")
    limit = max(1.0, float(np.abs(gaps).max()) * 1.15)
    ax.set_xlim(-limit, limit)
    return ax


def plot_items(expectations, perceptions, ax=None):
    """Mean expectation and perception for each of the 22 items (a dumbbell chart).

    Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    e = _scores(expectations, "expectations").mean()
    p = _scores(perceptions, "perceptions").mean()
    ax = ax or plt.subplots(figsize=(6.5, 7))[1]
    y = np.arange(len(COLUMNS))
    ax.hlines(y, e, p, color="#999999")
    from retailkit.plots import BAD, GOOD

    ax.plot(e, y, "o", color=GOOD, label="Expected")
    ax.plot(p, y, "s", color=BAD, label="Perceived (found)")
    ax.set_yticks(y, [f"{c} {ITEMS.loc[i, 'dimension']}" for i, c in zip(ITEMS.index, COLUMNS, strict=True)])
    ax.invert_yaxis()
    worst = (p - e).idxmin()
    wording = ITEMS.loc[int(worst[1:]), "wording"]
    low = max(1.0, float(np.floor(min(e.min(), p.min()))) - 1)  # room for the legend, the gaps still visible
    ax.set(title=f"Biggest shortfall: {worst}, {wording[0].lower()}{wording[1:]}",
           xlabel="Mean score (1 = strongly disagree, 7 = strongly agree)", xlim=(low, 7))
    ax.legend(loc="lower left")
    return ax
