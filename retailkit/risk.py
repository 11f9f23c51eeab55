"""Risk assessment for reliable service delivery: a register scored likelihood x impact.

Each risk (staff absence, a supplier delay, a till failure ...) is scored 1-5 for likelihood and 1-5 for
impact. The product (1-25) puts it in a band, and every risk in the top bands should have a contingency
plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retailkit._checks import columns, number, result, same_shape

__all__ = ["BANDS", "risk_score", "risk_band", "risk_register", "contingency_gaps"]

#: Bands of likelihood x impact on a 5 x 5 matrix: (lowest score, band, RAG colour, what to do).
BANDS = (
    (1, "low", "green", "accept and keep under review"),
    (5, "medium", "amber", "reduce where it is practical; agree a contingency"),
    (10, "high", "red", "act now to reduce it; a contingency plan is required"),
    (16, "very high", "red", "stop or change the activity; a contingency plan is required"),
)


def risk_score(likelihood, impact):
    """Risk score on a 5 x 5 matrix.

    ``score = likelihood x impact``

    Variant: the common 5 x 5 qualitative matrix (1 = rare / negligible, 5 = almost certain / severe), as
    used in UK risk assessment practice.

    Parameters
    ----------
    likelihood, impact : whole numbers 1-5 (number, list, array or Series)

    Returns
    -------
    float, array or Series
        From 1 to 25.

    Examples
    --------
    A till failure is likely (4) with a moderate impact (3):

    >>> risk_score(likelihood=4, impact=3)
    12.0
    """
    lik = number(likelihood, "likelihood", minimum=1, maximum=5, whole=True)
    imp = number(impact, "impact", minimum=1, maximum=5, whole=True)
    same_shape(likelihood=lik, impact=imp)
    return result(lik * imp, likelihood, impact)


def risk_band(score):
    """The band of a risk score: low (1-4), medium (5-9), high (10-15) or very high (16-25).

    Parameters
    ----------
    score : whole number 1-25, list, array or Series

    Returns
    -------
    str, or a list (Series for a Series) of str

    Examples
    --------
    >>> risk_band(12)
    'high'
    >>> risk_band([2, 6, 20])
    ['low', 'medium', 'very high']
    """
    s = number(score, "score", minimum=1, maximum=25, whole=True)
    cuts = np.array([b[0] for b in BANDS])
    names = np.array([b[1] for b in BANDS])[np.searchsorted(cuts, s, side="right") - 1]
    if np.ndim(names) == 0:
        return str(names)
    if isinstance(score, pd.Series):
        return pd.Series(names, index=score.index)
    return names.tolist()


def risk_register(table, likelihood="likelihood", impact="impact", contingency="contingency"):
    """Score, band and sort a risk register; flag the risks that need a contingency plan and lack one.

    Parameters
    ----------
    table : DataFrame
        One row per risk, with columns for likelihood (1-5), impact (1-5) and the contingency plan (text;
        empty or missing means there is none).
    likelihood, impact, contingency : str
        Names of those columns.

    Returns
    -------
    DataFrame
        The table with ``score``, ``band``, ``rag`` and ``needs_contingency`` added, highest score first.
        ``needs_contingency`` is True for a medium or higher risk with no plan.

    Examples
    --------
    >>> import pandas as pd
    >>> risks = pd.DataFrame({"risk": ["Staff absence", "Till failure", "Supplier delay"],
    ...                       "likelihood": [4, 2, 3], "impact": [3, 4, 2],
    ...                       "contingency": ["Call in part-timers", "", None]})
    >>> risk_register(risks)[["risk", "score", "band", "needs_contingency"]]
                 risk  score    band  needs_contingency
    0   Staff absence     12    high              False
    1    Till failure      8  medium               True
    2  Supplier delay      6  medium               True
    """
    columns(table, {"likelihood": likelihood, "impact": impact, "contingency": contingency}, "table")
    out = table.copy()
    out["score"] = risk_score(out[likelihood], out[impact]).astype(int)
    out["band"] = risk_band(out["score"])
    out["rag"] = out["band"].map({b[1]: b[2] for b in BANDS})
    plan = out[contingency].fillna("").astype(str).str.strip()
    out["needs_contingency"] = (out["score"] >= 5) & (plan == "")
    return out.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)


def contingency_gaps(table, likelihood="likelihood", impact="impact", contingency="contingency"):
    """The medium-or-higher risks with no contingency plan, highest score first.

    Parameters
    ----------
    table : DataFrame
        The risk register (see ``risk_register``).
    likelihood, impact, contingency : str
        Column names.

    Returns
    -------
    DataFrame
        The rows of ``risk_register(table)`` with ``needs_contingency`` True.

    Examples
    --------
    >>> import pandas as pd
    >>> risks = pd.DataFrame({"risk": ["Staff absence", "Till failure"], "likelihood": [4, 2],
    ...                       "impact": [3, 4], "contingency": ["Call in part-timers", ""]})
    >>> contingency_gaps(risks)["risk"].tolist()
    ['Till failure']
    """
    register = risk_register(table, likelihood, impact, contingency)
    return register[register["needs_contingency"]].reset_index(drop=True)
