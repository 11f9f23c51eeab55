"""Service delivery: KPIs, measurable service standards, and the recording systems.

The recording systems show how the service is doing (complaints/CRM logs, mystery shopping).

Rates are fractions (0.9 means 90 %).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from retailkit._checks import columns, not_above, number, result, same_shape

__all__ = ["first_contact_resolution_rate", "sla_compliance", "ServiceStandard", "standards_from_table",
           "rag_status", "compliance", "complaint_metrics", "pareto", "volume_trend", "response_times",
           "repeat_complainants", "find_duplicates", "complaint_summary", "mystery_shop_scores"]


def first_contact_resolution_rate(resolved_first_contact, contacts):
    """First-contact resolution (FCR): the share of contacts sorted out the first time.

    ``FCR = contacts resolved at the first contact / all contacts``

    Variant: over all contacts (not only those that could have been resolved first time), which is
    the stricter and more common form for a store's complaints log.

    Parameters
    ----------
    resolved_first_contact : number, list, array or Series
        Contacts (complaints, queries) resolved at the first contact, 0 to ``contacts``.
    contacts : number, list, array or Series
        All contacts in the period, more than 0.

    Returns
    -------
    float, array or Series
        A fraction from 0 to 1.

    Examples
    --------
    Of 200 complaints, 120 were resolved at the first contact:

    >>> first_contact_resolution_rate(resolved_first_contact=120, contacts=200)
    0.6
    """
    r = number(resolved_first_contact, "resolved_first_contact", whole=True)
    c = number(contacts, "contacts", positive=True, whole=True)
    same_shape(resolved_first_contact=r, contacts=c)
    not_above(r, c, "resolved_first_contact", "contacts")
    return result(r / c, resolved_first_contact, contacts)


def sla_compliance(durations, target):
    """SLA compliance: the share of cases handled within the target time.

    ``SLA compliance = cases with duration <= target / all cases``

    Variant: a case that takes exactly the target time meets it ("within 5 days" includes day 5).

    Parameters
    ----------
    durations : list, array or Series
        Time each case took, 0 or more, all in the same unit as ``target`` (e.g. hours). A Series of
        pandas Timedeltas also works, with a Timedelta or a string such as ``"24h"`` as ``target``.
    target : number or Timedelta
        The standard, e.g. 24 for "acknowledged within 24 hours"; more than 0.

    Returns
    -------
    float
        A fraction from 0 to 1.

    Examples
    --------
    Complaint resolution times in days against a 5-day standard (4 of 5 met):

    >>> sla_compliance([1, 3, 5, 8, 2], target=5)
    0.8
    """
    if isinstance(durations, pd.Series) and pd.api.types.is_timedelta64_dtype(durations.dtype):
        try:
            limit = pd.Timedelta(target)
        except (TypeError, ValueError) as error:
            raise TypeError(f"target must be a length of time such as '24h', got {target!r}") from error
        if pd.isna(limit) or limit <= pd.Timedelta(0):
            raise ValueError(f"target must be a time greater than 0, got target={target!r}")
        durations = durations / pd.Timedelta(hours=1)
        target = limit / pd.Timedelta(hours=1)
    if np.ndim(durations) == 0 and not isinstance(durations, (np.ndarray, pd.Series)):
        durations = [durations]
    d = np.ravel(number(durations, "durations"))
    t = float(number(target, "target", positive=True))
    return float(np.count_nonzero(d <= t) / d.size)


# ----------------------------------------------------------------------------------------------------
# Service standards and recording systems
# ----------------------------------------------------------------------------------------------------
_COMPARE = {"<=": np.less_equal, ">=": np.greater_equal, "==": np.isclose, "<": np.less, ">": np.greater}


@dataclass(frozen=True)
class ServiceStandard:
    """A measurable service standard: a benchmark that can be checked, not a good intention.

    ``metric`` is what is measured, ``comparison`` and ``threshold`` say what each case must achieve
    (e.g. ``till_wait <= 180`` seconds), ``target_share`` is the share of cases that must achieve it
    (e.g. 0.9 for 90 %), and ``owner`` is the role responsible.
    """

    metric: str
    comparison: str
    threshold: float
    unit: str
    owner: str
    target_share: float = 1.0
    standard_id: str = ""
    description: str = ""

    def __post_init__(self):
        """Check the comparison is one this module knows."""
        if self.comparison not in _COMPARE:
            raise ValueError(f"comparison must be one of {', '.join(_COMPARE)}, got {self.comparison!r}")
        number(self.threshold, "threshold", minimum=None)
        number(self.target_share, "target_share", maximum=1.0)
        if not self.metric or not self.owner:
            raise ValueError("a service standard needs a metric and an owner: who is responsible for it?")

    def met(self, values) -> np.ndarray:
        """True for each value that meets the standard."""
        v = np.ravel(number(values, self.metric, minimum=None))
        return _COMPARE[self.comparison](v, self.threshold)


def standards_from_table(table) -> list[ServiceStandard]:
    """Service standards from a table like the case study's ``service_standards``.

    Parameters
    ----------
    table : DataFrame
        Columns ``standard_id``, ``metric``, ``comparison``, ``threshold``, ``unit``, ``owner``,
        ``target_share`` (and optionally ``standard``, the wording).

    Returns
    -------
    list of ServiceStandard

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"standard_id": ["S01"], "metric": ["till_wait"], "comparison": ["<="],
    ...                       "threshold": [180], "unit": ["seconds"], "owner": ["Store manager"],
    ...                       "target_share": [0.9]})
    >>> standards_from_table(table)[0].met([120, 200]).tolist()
    [True, False]
    """
    columns(table, {k: k for k in ("standard_id", "metric", "comparison", "threshold", "unit", "owner",
                                   "target_share")}, "table")
    return [ServiceStandard(metric=r.metric, comparison=r.comparison, threshold=float(r.threshold), unit=r.unit,
                            owner=r.owner, target_share=float(r.target_share), standard_id=r.standard_id,
                            description=getattr(r, "standard", ""))
            for r in table.itertuples(index=False)]


def rag_status(compliance_share, target_share, amber_margin=0.05):
    """Red/amber/green: green at or above target, amber within ``amber_margin`` below it, red below that.

    Parameters
    ----------
    compliance_share : fraction of cases that met the standard
    target_share : fraction that should meet it
    amber_margin : fraction below target still counted as amber (default 0.05)

    Returns
    -------
    str
        "green", "amber" or "red".

    Examples
    --------
    >>> rag_status(0.93, 0.9), rag_status(0.87, 0.9), rag_status(0.70, 0.9)
    ('green', 'amber', 'red')
    """
    share = float(number(compliance_share, "compliance_share", maximum=1.0))
    target = float(number(target_share, "target_share", maximum=1.0))
    margin = float(number(amber_margin, "amber_margin", maximum=1.0))
    if share >= target - 1e-12:
        return "green"
    return "amber" if share >= target - margin - 1e-12 else "red"


def compliance(observations, standards, metric="metric", value="value", period=None, amber_margin=0.05):
    """Compliance with each standard (and period): cases, cases meeting it, share, target and RAG status.

    Parameters
    ----------
    observations : DataFrame
        One row per case checked, in long form: the ``metric`` it measures and the ``value`` observed
        (and a ``period`` column, e.g. month, if given).
    standards : list of ServiceStandard
        The standards; observations are matched to them by metric.
    metric, value, period : str
        Column names.
    amber_margin : fraction, default 0.05
        How far below target counts as amber rather than red.

    Returns
    -------
    DataFrame
        One row per standard (and period) with ``cases``, ``met``, ``compliance``, ``target``, ``status``,
        ``owner``. A standard with no observations shows 0 cases and status "no data".

    Examples
    --------
    >>> import pandas as pd
    >>> wait = ServiceStandard("till_wait", "<=", 180, "seconds", "Store manager", target_share=0.9)
    >>> obs = pd.DataFrame({"metric": "till_wait", "value": [60, 200, 120, 90, 30]})
    >>> compliance(obs, [wait])[["metric", "cases", "met", "compliance", "status"]]
          metric  cases  met  compliance status
    0  till_wait      5    4         0.8    red
    """
    needed = {"metric": metric, "value": value, **({"period": period} if period else {})}
    columns(observations, needed, "observations")
    if not standards or not all(isinstance(s, ServiceStandard) for s in standards):
        raise TypeError("standards must be a list of ServiceStandard (see standards_from_table)")
    rows = []
    periods = sorted(observations[period].dropna().unique()) if period else [None]
    for std in standards:
        mine = observations[observations[metric] == std.metric]
        for p in periods:
            cases = mine if p is None else mine[mine[period] == p]
            met = int(std.met(cases[value]).sum()) if len(cases) else 0
            share = met / len(cases) if len(cases) else float("nan")
            row = {"standard_id": std.standard_id, "metric": std.metric,
                   "standard": f"{std.metric} {std.comparison} {std.threshold:g} {std.unit}",
                   "cases": len(cases), "met": met, "compliance": share, "target": std.target_share,
                   "status": rag_status(share, std.target_share, amber_margin) if len(cases) else "no data",
                   "owner": std.owner}
            if period:
                row = {period: p, **row}
            rows.append(row)
    return pd.DataFrame(rows)


def complaint_metrics(log, opened="opened_at", acknowledged="acknowledged_at", closed="closed_at",
                      first_contact="first_contact_resolution", key="complaint_id"):
    """Turn a complaints log into observations for ``compliance``.

    Metrics: ``hours_to_acknowledge``, ``days_to_resolve`` (closed cases only) and
    ``first_contact_resolution`` (1 or 0), with the month the complaint was opened as ``period``.

    Parameters
    ----------
    log : DataFrame
        The complaints log, with datetime columns.
    opened, acknowledged, closed, first_contact, key : str
        Column names.

    Returns
    -------
    DataFrame
        Long form: ``key``, ``period``, ``metric``, ``value``.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"complaint_id": ["C1"], "opened_at": pd.to_datetime(["2026-01-05 10:00"]),
    ...                     "acknowledged_at": pd.to_datetime(["2026-01-05 16:00"]),
    ...                     "closed_at": pd.to_datetime(["2026-01-08 10:00"]), "first_contact_resolution": [False]})
    >>> complaint_metrics(log)[["metric", "value"]]
                         metric  value
    0      hours_to_acknowledge    6.0
    1           days_to_resolve    3.0
    2  first_contact_resolution    0.0
    """
    columns(log, {"opened": opened, "acknowledged": acknowledged, "closed": closed, "first_contact": first_contact,
                  "key": key}, "log")
    month = log[opened].dt.to_period("M").astype(str)
    parts = [
        pd.DataFrame({key: log[key], "period": month, "metric": "hours_to_acknowledge",
                      "value": (log[acknowledged] - log[opened]).dt.total_seconds() / 3600}),
        pd.DataFrame({key: log[key], "period": month, "metric": "days_to_resolve",
                      "value": (log[closed] - log[opened]).dt.total_seconds() / 86400}).dropna(subset=["value"]),
        pd.DataFrame({key: log[key], "period": month, "metric": "first_contact_resolution",
                      "value": log[first_contact].astype(float)}),
    ]
    return pd.concat(parts, ignore_index=True)


def pareto(log, by="category"):
    """Pareto table: complaints per category, largest first, with share and cumulative share.

    ``vital_few`` marks the categories that make up the first 80 % of complaints (including the one that
    crosses 80 %): fix those first.

    Parameters
    ----------
    log : DataFrame
        The complaints log.
    by : str
        The column to count by (default ``category``).

    Returns
    -------
    DataFrame
        ``by``, ``complaints``, ``share``, ``cumulative_share``, ``vital_few``.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"category": ["Queue"] * 5 + ["Stock"] * 3 + ["Staff"] * 2})
    >>> pareto(log)
      category  complaints  share  cumulative_share  vital_few
    0    Queue           5    0.5               0.5       True
    1    Stock           3    0.3               0.8       True
    2    Staff           2    0.2               1.0      False
    """
    columns(log, {"by": by}, "log")
    if len(log) == 0:
        raise ValueError("log is empty: there are no complaints to analyse")
    counts = log[by].value_counts(sort=True)
    table = pd.DataFrame({by: counts.index.astype(str), "complaints": counts.to_numpy()})
    table["share"] = table["complaints"] / table["complaints"].sum()
    table["cumulative_share"] = table["share"].cumsum().round(12)
    before = table["cumulative_share"] - table["share"]
    table["vital_few"] = before < 0.8 - 1e-12
    return table


def volume_trend(log, opened="opened_at", freq="M"):
    """Complaints per period (default month), with no gaps: a quiet month shows 0.

    Parameters
    ----------
    log : DataFrame
    opened : str
        Column with the datetime each complaint was opened.
    freq : str
        Pandas period: "M" for months, "W" for weeks.

    Returns
    -------
    Series
        Complaints per period.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"opened_at": pd.to_datetime(["2026-01-03", "2026-01-20", "2026-03-02"])})
    >>> volume_trend(log).tolist()
    [2, 0, 1]
    """
    columns(log, {"opened": opened}, "log")
    months = log[opened].dt.to_period(freq)
    counts = months.value_counts().sort_index()
    full = pd.period_range(counts.index.min(), counts.index.max(), freq=freq)
    return counts.reindex(full, fill_value=0).rename("complaints")


def response_times(log, opened="opened_at", acknowledged="acknowledged_at", closed="closed_at",
                   percentiles=(0.5, 0.9, 0.95)):
    """Percentiles of hours to acknowledge and days to resolve (closed complaints only for the latter).

    Parameters
    ----------
    log : DataFrame
    opened, acknowledged, closed : str
        Datetime column names.
    percentiles : fractions, default (0.5, 0.9, 0.95)

    Returns
    -------
    DataFrame
        One row per percentile: ``hours_to_acknowledge`` and ``days_to_resolve``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.to_datetime
    >>> log = pd.DataFrame({"opened_at": t(["2026-01-05 10:00", "2026-01-06 10:00"]),
    ...                     "acknowledged_at": t(["2026-01-05 12:00", "2026-01-06 14:00"]),
    ...                     "closed_at": t(["2026-01-07 10:00", None])})
    >>> response_times(log, percentiles=(0.5,))
                     hours_to_acknowledge  days_to_resolve
    50th percentile                   3.0              2.0
    """
    columns(log, {"opened": opened, "acknowledged": acknowledged, "closed": closed}, "log")
    ack = (log[acknowledged] - log[opened]).dt.total_seconds() / 3600
    res = ((log[closed] - log[opened]).dt.total_seconds() / 86400).dropna()
    out = pd.DataFrame({"hours_to_acknowledge": ack.quantile(list(percentiles)),
                        "days_to_resolve": res.quantile(list(percentiles))})
    out.index = [f"{int(100 * p)}th percentile" for p in percentiles]
    return out


def repeat_complainants(log, customer="customer_id", min_complaints=2):
    """Customers with at least ``min_complaints`` complaints (blank customer ids are ignored).

    Parameters
    ----------
    log : DataFrame
    customer : str
        Column with the customer id.
    min_complaints : int, default 2

    Returns
    -------
    Series
        Complaints per repeat complainant, most first.

    Examples
    --------
    >>> import pandas as pd
    >>> repeat_complainants(pd.DataFrame({"customer_id": ["C1", "C2", "C1", ""]})).to_dict()
    {'C1': 2}
    """
    columns(log, {"customer": customer}, "log")
    ids = log[customer].astype(str).str.strip()
    counts = ids[ids != ""].value_counts()
    return counts[counts >= min_complaints].rename("complaints")


def find_duplicates(log, key="complaint_id"):
    """Rows that repeat another row in everything but ``key`` (the same complaint logged twice).

    Parameters
    ----------
    log : DataFrame
    key : str
        The id column, which differs between the copies.

    Returns
    -------
    DataFrame
        Every copy of each duplicated row.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"complaint_id": ["A", "B", "C"], "text": ["late", "late", "rude"]})
    >>> find_duplicates(log)["complaint_id"].tolist()
    ['A', 'B']
    """
    columns(log, {"key": key}, "log")
    others = [c for c in log.columns if c != key]
    return log[log.duplicated(subset=others, keep=False)]


def complaint_summary(log, opened="opened_at", acknowledged="acknowledged_at", closed="closed_at",
                      first_contact="first_contact_resolution", customer="customer_id",
                      compensation="compensation_gbp", key="complaint_id"):
    """Headline figures from a complaints log, as a Series a manager can read at a glance.

    Parameters
    ----------
    log : DataFrame
        The complaints log.
    opened, acknowledged, closed, first_contact, customer, compensation, key : str
        Column names (the case study's by default).

    Returns
    -------
    Series
        Volume, duplicates, open cases, first-contact resolution (fraction), median and 90th percentile
        hours to acknowledge and days to resolve, repeat complainants, compensation in GBP.

    Examples
    --------
    >>> from retailkit.datasets import load
    >>> summary = complaint_summary(load("complaints", "small"))
    >>> summary.index[:3].tolist()
    ['complaints', 'logged twice (duplicates)', 'still open']
    """
    columns(log, {"opened": opened, "acknowledged": acknowledged, "closed": closed, "first_contact": first_contact,
                  "customer": customer, "compensation": compensation, "key": key}, "log")
    times = response_times(log, opened, acknowledged, closed, percentiles=(0.5, 0.9))
    fcr = log[first_contact].astype(bool)
    return pd.Series({
        "complaints": len(log),
        "logged twice (duplicates)": len(find_duplicates(log, key)) // 2,
        "still open": int(log[closed].isna().sum()),
        "first-contact resolution": first_contact_resolution_rate(int(fcr.sum()), len(log)),
        "median hours to acknowledge": times.iloc[0, 0],
        "90th percentile hours to acknowledge": times.iloc[1, 0],
        "median days to resolve": times.iloc[0, 1],
        "90th percentile days to resolve": times.iloc[1, 1],
        "repeat complainants": len(repeat_complainants(log, customer)),
        "compensation (GBP)": float(number(log[compensation], compensation).sum()),
    })


def mystery_shop_scores(visits, standards, visit="visit_id", store="store_id", standard="standard_id",
                        observed="observed"):
    """Score each mystery-shop visit: the share of the standards checked that were met.

    Parameters
    ----------
    visits : DataFrame
        One row per visit and standard checked (long form), with the value observed.
    standards : list of ServiceStandard
        Matched to the rows by ``standard_id``.
    visit, store, standard, observed : str
        Column names.

    Returns
    -------
    DataFrame
        One row per visit: ``checked``, ``met`` and ``score`` (a fraction), with the store.

    Examples
    --------
    >>> import pandas as pd
    >>> greet = ServiceStandard("greeting_time", "<=", 120, "seconds", "Store manager", standard_id="S02")
    >>> visits = pd.DataFrame({"visit_id": ["V1", "V1"], "store_id": ["HH01", "HH01"],
    ...                        "standard_id": ["S02", "S02"], "observed": [90, 150]})
    >>> mystery_shop_scores(visits, [greet])[["visit_id", "checked", "met", "score"]]
      visit_id  checked  met  score
    0       V1        2    1    0.5
    """
    columns(visits, {"visit": visit, "store": store, "standard": standard, "observed": observed}, "visits")
    by_id = {s.standard_id: s for s in standards}
    unknown = sorted(set(visits[standard]) - set(by_id))
    if unknown:
        raise ValueError(f"visits refer to standards that were not given: {unknown}")
    ok = np.zeros(len(visits), dtype=bool)
    for sid, rows in visits.groupby(standard).groups.items():
        positions = visits.index.get_indexer(rows)
        ok[positions] = by_id[sid].met(visits.loc[rows, observed])
    scored = visits.assign(_met=ok).groupby([visit, store], observed=True).agg(
        checked=("_met", "size"), met=("_met", "sum")).reset_index()
    scored["score"] = scored["met"] / scored["checked"]
    return scored
