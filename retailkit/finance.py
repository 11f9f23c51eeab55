"""Cost-benefit: return on investment, payback period and net present value.

Use these to justify a service improvement (an extra till, staff training, a new returns desk) with
numbers: what it costs, what it brings back, and how soon.
"""

from __future__ import annotations

import numpy as np

from retailkit._checks import number, result, same_shape

__all__ = ["roi", "payback_period", "npv"]


def roi(benefit, cost):
    """Return on investment: the gain for every pound spent.

    ``ROI = (benefit - cost) / cost``

    Variant: simple (undiscounted) ROI over the period you choose, with ``benefit`` the total money the
    change brings in or saves and ``cost`` its total cost. Use ``npv`` when the money comes over several
    years.

    Parameters
    ----------
    benefit : number, list, array or Series
        Money gained or saved, in GBP (may be 0).
    cost : number, list, array or Series
        Money spent, in GBP, more than 0.

    Returns
    -------
    float, array or Series
        A fraction: 0.25 means each £1 spent returned £1.25 (a 25 % gain); negative is a loss.

    Examples
    --------
    Training that cost £2,000 and brought £2,500 of extra margin:

    >>> roi(benefit=2_500, cost=2_000)
    0.25
    """
    b = number(benefit, "benefit")
    c = number(cost, "cost", positive=True)
    same_shape(benefit=b, cost=c)
    return result((b - c) / c, benefit, cost)


def _flows(cash_flows) -> np.ndarray:
    flows = number(cash_flows, "cash_flows", minimum=None)
    if flows.ndim != 1:
        raise ValueError("cash_flows must be a list of amounts, one for each period (year, month ...)")
    return flows


def payback_period(investment, cash_flows):
    """Payback period: how long the cash coming back takes to repay the investment.

    Adds up the cash flows period by period; in the period where the running total passes the
    investment, it interpolates: ``periods before + (amount still to repay / that period's cash flow)``.

    Variant: undiscounted, cash flows spread evenly within each period, so "2.5" means half way through
    the third period.

    Parameters
    ----------
    investment : number
        Money spent at the start, in GBP, more than 0.
    cash_flows : list, array or Series
        Net cash coming back in periods 1, 2, 3 ... in GBP (a period can be negative).

    Returns
    -------
    float
        Periods (same unit as the cash flows: years, months ...).

    Raises
    ------
    ValueError
        If the investment is not paid back within the periods given.

    Examples
    --------
    A £10,000 self-checkout pays back £4,000 a year:

    >>> payback_period(investment=10_000, cash_flows=[4_000, 4_000, 4_000])
    2.5
    """
    total = float(number(investment, "investment", positive=True))
    flows = _flows(cash_flows)
    paid = 0.0
    for period, flow in enumerate(flows):
        if flow > 0 and paid + flow >= total:
            return float(period + (total - paid) / flow)
        paid += flow
    raise ValueError(
        f"the investment of £{total:,.2f} is not paid back within the {len(flows)} periods given "
        f"(only £{paid:,.2f} comes back); add more periods or rethink the plan"
    )


def npv(rate, cash_flows, investment=0.0):
    """Net present value: future cash flows in today's money, less the investment.

    ``NPV = -investment + sum(cash_flow_t / (1 + rate) ** t)`` for periods t = 1 ... n

    Variant: cash flows at the **end** of each period (the first is discounted once), investment at the
    start (not discounted). Spreadsheet NPV() works the same way, so add the investment yourself there.

    Parameters
    ----------
    rate : number
        Discount rate per period as a fraction (0.08 for 8 %), more than -1.
    cash_flows : list, array or Series
        Net cash in periods 1, 2, 3 ... in GBP.
    investment : number, default 0.0
        Money spent at the start, in GBP, 0 or more.

    Returns
    -------
    float
        GBP. More than 0 means the project earns more than the discount rate.

    Examples
    --------
    £10,000 invested for £4,000 a year for 3 years, at 10 %:

    >>> round(npv(rate=0.10, cash_flows=[4_000, 4_000, 4_000], investment=10_000), 2)
    -52.59
    """
    r = float(number(rate, "rate", minimum=None))
    if r <= -1:
        raise ValueError(f"rate must be more than -1 (a fraction: 0.08 for 8 %), got rate={r}")
    flows = _flows(cash_flows)
    spend = float(number(investment, "investment"))
    periods = np.arange(1, len(flows) + 1)
    return float(-spend + np.sum(flows / (1 + r) ** periods))
