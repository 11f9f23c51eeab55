"""What-if widgets: move a slider, see the KPI change.

Each widget has two parts. A plain function does the sums (``margin_gmroi``, ``till_staffing``,
``servqual_gaps``, ``kpi_dashboard_table``, ``business_case``, ``target_setting``, ``goodwill``) and can be tested or
used without a browser. The ``*_explorer`` function builds the ipywidgets controls around it; the latest
result is kept on the returned widget as ``.result`` so that tests (and curious learners) can read it.
"""

from __future__ import annotations

from retailkit import finance, stock
from retailkit._checks import columns, number

__all__ = ["margin_gmroi", "till_staffing", "servqual_gaps", "kpi_dashboard_table", "business_case",
           "target_setting", "goodwill", "margin_explorer", "till_explorer", "servqual_explorer", "kpi_dashboard",
           "business_case_explorer", "target_explorer", "goodwill_explorer"]


# --- the sums ----------------------------------------------------------------------------------------
def margin_gmroi(price, cost, stock_units, weekly_units, weeks=52):
    """Margin, markup, GMROI, stock turn and weeks of cover for one product line.

    ``GMROI = (price - cost) x weekly units x weeks / (stock units x cost)``; stock is valued at cost.

    Parameters
    ----------
    price : selling price per unit, GBP ex VAT, more than 0
    cost : cost price per unit, GBP, more than 0
    stock_units : average units held, more than 0
    weekly_units : units sold per week, 0 or more
    weeks : weeks in the period (52 for a year)

    Returns
    -------
    dict
        ``margin_pct`` and ``markup_pct`` (fractions), ``gmroi`` (GBP per GBP), ``stock_turn`` (times),
        ``weeks_of_cover`` (weeks; None when nothing sells).

    Examples
    --------
    >>> r = margin_gmroi(price=20, cost=8, stock_units=120, weekly_units=10)
    >>> round(r["margin_pct"], 2), round(r["gmroi"], 2), round(r["stock_turn"], 2), r["weeks_of_cover"]
    (0.6, 6.5, 4.33, 12.0)
    """
    p = float(number(price, "price", positive=True))
    c = float(number(cost, "cost", positive=True))
    s = float(number(stock_units, "stock_units", positive=True))
    w = float(number(weekly_units, "weekly_units"))
    n = float(number(weeks, "weeks", positive=True))
    sold = w * n
    inventory = s * c
    return {
        "margin_pct": stock.gross_margin_pct(p, c),
        "markup_pct": stock.markup_pct(p, c),
        "gmroi": stock.gmroi((p - c) * sold, inventory),
        "stock_turn": stock.stock_turn(c * sold, inventory),
        "weeks_of_cover": stock.weeks_of_cover(s, w) if w > 0 else None,
    }


def till_staffing(arrivals, handle_time, tills, target_wait=180, target_service_level=0.9, period=3600):
    """Queue figures for a number of open tills, against the wait standard (Erlang C).

    Parameters
    ----------
    arrivals : customers per ``period`` (default an hour), 0 or more
    handle_time : average seconds at the till, more than 0
    tills : whole number of tills open, more than 0
    target_wait, target_service_level : the standard (default: 90 % within 180 seconds)

    Returns
    -------
    dict
        ``traffic`` (erlangs), ``stable``; when stable also ``wait_probability``, ``service_level``,
        ``average_wait`` (seconds) and ``meets_standard``; always ``tills_needed`` and a plain ``message``.

    Examples
    --------
    >>> r = till_staffing(arrivals=120, handle_time=75, tills=3)
    >>> r["tills_needed"], r["meets_standard"], round(r["service_level"], 3)
    (4, False, 0.788)
    """
    from retailkit.staffing import (
        average_speed_of_answer,
        erlang_c,
        servers_required,
        service_level,
        traffic_intensity,
    )

    a = float(number(arrivals, "arrivals"))
    h = float(number(handle_time, "handle_time", positive=True))
    n = int(number(tills, "tills", positive=True, whole=True))
    t = float(number(target_wait, "target_wait"))
    goal = float(number(target_service_level, "target_service_level", maximum=0.999))
    traffic = traffic_intensity(a, h, period)
    needed = int(servers_required(a, h, t, goal, period))
    out = {"traffic": traffic, "tills_needed": max(needed, 1)}
    if n <= traffic:
        out.update(stable=False, message=f"{n} till{'s' if n > 1 else ''} cannot keep up with "
                                         f"{traffic:.1f} tills' worth of work: the queue keeps growing.")
        return out
    level = service_level(a, h, n, t, period)
    wait = average_speed_of_answer(a, h, n, period)
    out.update(stable=True, wait_probability=0.0 if a == 0 else erlang_c(traffic, n), service_level=level,
               average_wait=wait, meets_standard=level >= goal)
    verdict = "meets" if level >= goal else "misses"
    out["message"] = (f"{level:.0%} of customers are served within {t:.0f} s ({verdict} the {goal:.0%} standard); "
                      f"average wait {wait:.0f} s.")
    return out


def servqual_gaps(store=None, table=None):
    """Dimension gaps and the weighted score for one store (or all stores) from a SERVQUAL table.

    Parameters
    ----------
    store : str, optional
        A store id such as "HH01"; None for all stores together.
    table : DataFrame, optional
        The case study's ``servqual`` table (loaded if not given).

    Returns
    -------
    dict
        ``gaps`` (Series by dimension), ``weighted`` (float), ``respondents`` (int).

    Examples
    --------
    >>> r = servqual_gaps("HH01")
    >>> r["gaps"].idxmin(), r["respondents"] > 0
    ('responsiveness', True)
    """
    from retailkit import servqual
    from retailkit.datasets import load

    table = load("servqual") if table is None else table
    rows = table if store is None else table[table["store_id"].astype(str) == str(store)]
    if rows.empty:
        raise ValueError(f"there are no SERVQUAL answers for store {store!r}")
    e = rows.filter(regex=r"^E_Q").rename(columns=lambda c: c.removeprefix("E_"))
    p = rows.filter(regex=r"^P_Q").rename(columns=lambda c: c.removeprefix("P_"))
    weights = rows.filter(regex=r"^w_").rename(columns=lambda c: c.removeprefix("w_"))
    weighted = servqual.weighted_score(servqual.respondent_gaps(e, p), weights)  # per respondent, as PZB do
    return {"gaps": servqual.dimension_gaps(e, p), "weighted": weighted, "respondents": len(rows)}


def kpi_dashboard_table(store, first_week=1, last_week=52, tables=None):
    """Weekly KPIs for one store over a range of weeks, with a total row for the range.

    Parameters
    ----------
    store : str
        A store id such as "HH02".
    first_week, last_week : int
        The range of trading weeks (1-52), inclusive.
    tables : dict of DataFrames, optional
        ``transactions``, ``footfall``, ``rota`` and ``stores`` (the case study's, loaded if not given).

    Returns
    -------
    DataFrame
        One row per week and a final "Total" row: transactions, sales, conversion, ATV, UPT, margin.

    Examples
    --------
    >>> t = kpi_dashboard_table("HH02", 48, 51)
    >>> t.index.tolist()
    [48, 49, 50, 51, 'Total']
    """
    from retailkit import datasets
    from retailkit.sales import kpi_table

    first = int(number(first_week, "first_week", minimum=1, maximum=52, whole=True))
    last = int(number(last_week, "last_week", minimum=1, maximum=52, whole=True))
    if first > last:
        raise ValueError(f"first_week ({first}) is after last_week ({last})")
    if tables is None:
        tables = {n: datasets.load(n) for n in ("transactions", "footfall", "rota", "stores")}
    tx = tables["transactions"]
    mine = tx[(tx["store_id"].astype(str) == str(store)) & tx["week"].between(first, last)]
    if mine.empty:
        raise ValueError(f"there are no sales for store {store!r} in weeks {first}-{last}")
    weekly = datasets.store_weeks(tables["footfall"], tables["rota"])
    columns = ["transactions", "sales", "conversion_rate", "atv", "upt", "gross_margin_pct"]
    per_week = kpi_table(mine, weekly, by=["store_id", "week"]).set_index("week")[columns]
    total_weeks = weekly[(weekly["store_id"].astype(str) == str(store)) & weekly["week"].between(first, last)]
    total = kpi_table(mine.assign(week=0), total_weeks.assign(week=0).groupby(["store_id", "week"], observed=True)
                      [["footfall", "labour_hours"]].sum().reset_index(), by=["store_id", "week"])
    per_week.loc["Total"] = total[columns].iloc[0]
    return per_week


# Column headings a learner reads in the dashboard (the table's own columns are code names).
HEADINGS = {"transactions": "Transactions", "sales": "Sales (GBP, ex VAT)", "conversion_rate": "Conversion",
            "atv": "ATV (GBP)", "upt": "UPT (units)", "gross_margin_pct": "Gross margin"}
WIDE = {"style": {"description_width": "initial"}}  # a control's label shown whole, not cut to "Customer…"


def kpi_dashboard_view(table):
    """The dashboard table as a learner reads it: headings in words, GBP and percentages formatted."""
    formats = {"sales": "£{:,.0f}", "atv": "£{:.2f}", "upt": "{:.2f}", "conversion_rate": "{:.1%}",
               "gross_margin_pct": "{:.1%}", "transactions": "{:,.0f}"}
    shown = table.rename(columns=HEADINGS).rename_axis("Week")
    return shown.style.format({HEADINGS[k]: f for k, f in formats.items() if k in table})


def business_case(people, course_price, cover_hours, wage, footfall, profit_per_sale, uplift, years=3, rate=0.08):
    """A training programme's business case: one-off cost, yearly benefit, ROI, payback and NPV.

    ``cost = people x (course_price + cover_hours x wage)`` (GBP, paid at the start);
    ``yearly benefit = footfall x uplift x profit_per_sale`` (GBP a year: the extra sales a higher
    conversion rate brings, at the gross profit each sale makes). ROI is over the first year
    (``finance.roi``); payback is in months, with the benefit spread evenly (``finance.payback_period``);
    NPV is over ``years`` years, each year's benefit at its end (``finance.npv``).

    Parameters
    ----------
    people : staff trained, a whole number more than 0
    course_price : GBP per person, 0 or more
    cover_hours : hours each person is off the shop floor and covered, 0 or more
    wage : GBP an hour paid for the cover, 0 or more
    footfall : visitors a year, more than 0
    profit_per_sale : gross profit of an average sale, GBP ex VAT, 0 or more
    uplift : rise in the conversion rate as a fraction (0.01 = one percentage point), 0 or more
    years : years the benefit lasts, a whole number more than 0
    rate : discount rate a year, a fraction

    Returns
    -------
    dict
        ``cost``, ``benefit`` (a year), ``roi`` (GBP gained per GBP spent), ``payback_months`` (None when
        the benefit never repays the cost within ``years``) and ``npv`` (GBP).

    Examples
    --------
    >>> r = business_case(people=3, course_price=150, cover_hours=4, wage=12.21, footfall=50_000,
    ...                   profit_per_sale=20, uplift=0.01)
    >>> round(r["cost"], 2), round(r["benefit"], 2), round(r["roi"], 2), round(r["payback_months"], 1)
    (596.52, 10000.0, 15.76, 0.7)
    >>> round(r["npv"])
    25174
    """
    n = int(number(people, "people", positive=True, whole=True))
    cost = n * (float(number(course_price, "course_price")) + float(number(cover_hours, "cover_hours"))
                * float(number(wage, "wage")))
    benefit = (float(number(footfall, "footfall", positive=True)) * float(number(uplift, "uplift"))
               * float(number(profit_per_sale, "profit_per_sale")))
    years = int(number(years, "years", positive=True, whole=True))
    if cost <= 0:
        raise ValueError(f"the programme must cost something: people x (course_price + cover_hours x wage) "
                         f"is {cost}")
    months = [benefit / 12] * (12 * years)
    payback = finance.payback_period(cost, months) if benefit * years >= cost and benefit > 0 else None
    return {"cost": cost, "benefit": benefit, "roi": finance.roi(benefit, cost), "payback_months": payback,
            "npv": finance.npv(float(number(rate, "rate")), [benefit] * years, investment=cost)}


def target_setting(log, target, value="upt", person="name", count="transactions"):
    """How often each person meets a weekly target, and what the weeks below it leave on the table.

    ``log`` has one row per person and week: the ``person``, the week's ``value`` (a KPI such as UPT or
    ATV) and the ``count`` it is an average over (the week's transactions). A week meets the target when
    ``value >= target``. The gap a week is ``sum over the weeks below target of (target - value) x count``,
    divided by the number of different weeks in the log: the extra a week (items for UPT, GBP for ATV) the
    team would have had if every week below target had just reached it.

    A target nobody meets discourages; a target everyone meets already does not stretch anyone. This is
    the trade-off a team weighs when it agrees a target together.

    Parameters
    ----------
    log : DataFrame with the ``person``, ``value`` and ``count`` columns and a ``week`` column
    target : the weekly target, in the value's unit, more than 0
    value, person, count : column names

    Returns
    -------
    dict
        ``met`` (Series: each person's share of weeks at or above target, a fraction), ``team_met`` (the
        share of all person-weeks), ``gap_a_week`` (in the value's unit x count, a week).

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"name": ["Ann", "Ann", "Bo", "Bo"], "week": [1, 2, 1, 2],
    ...                     "upt": [2.0, 2.6, 2.4, 2.2], "transactions": [50, 40, 30, 20]})
    >>> r = target_setting(log, 2.5)
    >>> r["met"].to_dict(), r["team_met"], round(r["gap_a_week"], 2)
    ({'Ann': 0.5, 'Bo': 0.0}, 0.25, 17.0)
    """
    columns(log, {"person": person, "value": value, "count": count, "week": "week"}, "log")
    target = float(number(target, "target", positive=True))
    if log.empty:
        raise ValueError("log has no rows: there are no weeks to compare with the target")
    values = number(log[value], value)
    weights = number(log[count], count)
    meets = values >= target
    met = meets.astype(float)
    share = log.assign(_met=met).groupby(person, observed=True, sort=True)["_met"].mean()
    gap = float(((target - values) * weights)[~meets].sum()) / log["week"].nunique()
    return {"met": share.rename(None), "team_met": float(met.mean()), "gap_a_week": gap}


def goodwill(cost, yearly_profit, rise):
    """Does a goodwill gesture pay for itself? Its cost against the profit of keeping the customer.

    ``break_even = cost / yearly_profit``: the rise in the chance that the customer stays for another year
    (a fraction: 0.10 = 10 percentage points) at which the gesture pays for itself in that year.
    ``gain = rise x yearly_profit - cost`` (GBP): what the gesture is expected to bring in that year, net of
    its cost, when it raises the chance by ``rise``.

    Variant: one year only and gross profit (sales without VAT minus the cost of the goods), so the answer
    is cautious: a customer who stays longer is worth more. The rise is an assumption the manager makes (a
    trial such as a follow-up trial can measure it); the sum shows how large it must be.

    Parameters
    ----------
    cost : GBP the gesture costs the business, 0 or more (beyond what the law or the policy already gives)
    yearly_profit : GBP of gross profit the customer brings in a year, more than 0
    rise : the assumed rise in the chance the customer stays, a fraction from 0 to 1

    Returns
    -------
    dict
        ``break_even`` (fraction; above 1 means no rise can pay for it within a year) and ``gain`` (GBP).

    Examples
    --------
    A gesture costing £12 for a customer worth £60 of gross profit a year, if it raises the chance she
    stays by 30 points:

    >>> r = goodwill(cost=12, yearly_profit=60, rise=0.3)
    >>> round(r["break_even"], 2), round(r["gain"], 2)
    (0.2, 6.0)
    """
    cost = float(number(cost, "cost"))
    profit = float(number(yearly_profit, "yearly_profit", positive=True))
    rise = float(number(rise, "rise", maximum=1.0))
    return {"break_even": cost / profit, "gain": rise * profit - cost}


# --- the widgets -------------------------------------------------------------------------------------
def _show(out, figure=None, text=None, table=None):
    from IPython.display import display

    out.clear_output(wait=True)
    with out:
        if text:
            print(text)
        if table is not None:
            display(table)
        if figure is not None:
            display(figure)


def margin_explorer(price=20.0, cost=8.0, stock_units=120, weekly_units=10):
    """Sliders for price, cost, stock and weekly sales; shows margin, markup, GMROI, stock turn and cover."""
    import ipywidgets as w
    import matplotlib.pyplot as plt

    from retailkit.plots import GOOD, house_style

    sliders = {
        "price": w.FloatSlider(value=price, min=1, max=100, step=0.5, description="Price £", **WIDE),
        "cost": w.FloatSlider(value=cost, min=0.5, max=80, step=0.5, description="Cost £", **WIDE),
        "stock_units": w.IntSlider(value=stock_units, min=10, max=1000, step=10, description="Stock units", **WIDE),
        "weekly_units": w.IntSlider(value=weekly_units, min=0, max=200, step=1, description="Sold/week", **WIDE),
    }
    out = w.Output()
    box = w.VBox([w.HTML("<b>Margin and GMROI explorer</b> (prices without VAT)"), *sliders.values(), out])

    def update(_=None):
        r = margin_gmroi(**{k: s.value for k, s in sliders.items()})
        box.result = r
        with house_style():
            fig, ax = plt.subplots(figsize=(6, 2.6))
            values = {"GMROI (£ per £)": r["gmroi"], "Stock turn (times)": r["stock_turn"]}
            ax.barh(list(values), list(values.values()), color=GOOD)
            ax.set_title(f"Each £1 of stock earns £{r['gmroi']:.2f} of margin a year")
            ax.set_xlabel("Times a year / GBP per GBP")
            plt.close(fig)
        cover = "n/a (nothing sells)" if r["weeks_of_cover"] is None else f"{r['weeks_of_cover']:.1f} weeks"
        _show(out, fig, f"Margin {r['margin_pct']:.1%} | Markup {r['markup_pct']:.1%} | Cover {cover}")

    for s in sliders.values():
        s.observe(update, names="value")
    update()
    return box


def till_explorer(arrivals=120, handle_time=75, tills=2, target_wait=180, target_service_level=0.9):
    """Sliders for customers per hour, seconds per customer and tills open; shows the service level curve."""
    import ipywidgets as w
    import matplotlib.pyplot as plt

    from retailkit.plots import BAD, GOOD, house_style, percent_axis

    sliders = {
        "arrivals": w.IntSlider(value=arrivals, min=0, max=600, step=10, description="Customers/hr", **WIDE),
        "handle_time": w.IntSlider(value=handle_time, min=20, max=300, step=5, description="Seconds each", **WIDE),
        "tills": w.IntSlider(value=tills, min=1, max=12, step=1, description="Tills open", **WIDE),
    }
    out = w.Output()
    box = w.VBox([w.HTML(f"<b>Till staffing explorer</b>: standard {target_service_level:.0%} served within "
                         f"{target_wait} s"), *sliders.values(), out])

    def update(_=None):
        values = {k: s.value for k, s in sliders.items()}
        r = till_staffing(**values, target_wait=target_wait, target_service_level=target_service_level)
        box.result = r
        with house_style():
            fig, ax = plt.subplots(figsize=(6, 2.8))
            options = range(1, 13)
            levels = [till_staffing(values["arrivals"], values["handle_time"], n, target_wait,
                                    target_service_level).get("service_level", 0.0) for n in options]
            ax.plot(list(options), levels, marker="o", color=GOOD)
            ax.axhline(target_service_level, color=BAD, linestyle="--", label="standard")
            if r["stable"]:
                ax.plot([values["tills"]], [r["service_level"]], "s", color=BAD, markersize=10)
            ax.set_title(f"{r['tills_needed']} till{'s' if r['tills_needed'] > 1 else ''} meet the standard")
            ax.set(xlabel="Tills open", ylabel=f"Served within {target_wait} s", ylim=(0, 1.05))
            percent_axis(ax)
            plt.close(fig)
        _show(out, fig, r["message"])

    for s in sliders.values():
        s.observe(update, names="value")
    update()
    return box


def servqual_explorer(table=None):
    """A store picker; shows the SERVQUAL gap by dimension and the weighted score."""
    import ipywidgets as w
    import matplotlib.pyplot as plt

    from retailkit import servqual
    from retailkit.datasets import load
    from retailkit.plots import house_style

    table = load("servqual") if table is None else table
    stores = sorted(table["store_id"].astype(str).unique())
    picker = w.Dropdown(options=[("All stores", None)] + [(s, s) for s in stores], description="Store", **WIDE)
    out = w.Output()
    box = w.VBox([w.HTML("<b>SERVQUAL explorer</b>: perception minus expectation"), picker, out])

    def update(_=None):
        r = servqual_gaps(picker.value, table)
        box.result = r
        with house_style():
            fig, ax = plt.subplots(figsize=(6, 2.8))
            servqual.plot_dimension_gaps(r["gaps"], ax=ax)
            plt.close(fig)
        _show(out, fig, f"Weighted SERVQUAL score {r['weighted']:+.2f} from {r['respondents']} customers")

    picker.observe(update, names="value")
    update()
    return box


def kpi_dashboard(tables=None):
    """Store picker, week range and KPI picker; shows the weekly KPI table and its trend."""
    import ipywidgets as w
    import matplotlib.pyplot as plt

    from retailkit import datasets
    from retailkit.plots import kpi_trend

    if tables is None:
        tables = {n: datasets.load(n) for n in ("transactions", "footfall", "rota", "stores")}
    stores = tables["stores"]
    store = w.Dropdown(options=[(f"{r.store_id} {r.name}", r.store_id) for r in stores.itertuples()],
                       description="Store", **WIDE)
    weeks = w.IntRangeSlider(value=(40, 52), min=1, max=52, step=1, description="Weeks", **WIDE)
    kpi = w.Dropdown(options=[("Conversion", "conversion_rate"), ("ATV", "atv"), ("UPT", "upt"),
                              ("Gross margin", "gross_margin_pct"), ("Sales", "sales")], description="KPI", **WIDE)
    out = w.Output()
    box = w.VBox([w.HTML("<b>KPI dashboard</b>"), store, weeks, kpi, out])

    def update(_=None):
        table = kpi_dashboard_table(store.value, *weeks.value, tables=tables)
        box.result = table
        trend = table.drop(index="Total").reset_index().assign(store_id=store.value)
        ax = kpi_trend(trend, kpi.value, title=f"{store.value}: {kpi.label} by week")
        fig = ax.figure
        plt.close(fig)
        _show(out, fig, table=kpi_dashboard_view(table))

    for control in (store, weeks, kpi):
        control.observe(update, names="value")
    update()
    return box


def business_case_explorer(people=3, course_price=150.0, cover_hours=4.0, wage=12.21, footfall=50_000,
                           profit_per_sale=20.0, uplift=0.01, years=3, rate=0.08):
    """Sliders for a training programme's assumptions; shows its cost, benefit, ROI, payback and NPV."""
    import ipywidgets as w
    import matplotlib.pyplot as plt

    from retailkit.plots import BAD, GOOD, house_style

    sliders = {
        "uplift": w.FloatSlider(value=uplift * 100, min=0, max=3, step=0.1, description="Conversion +pts",
                                readout_format=".1f", **WIDE),
        "course_price": w.IntSlider(value=int(course_price), min=0, max=600, step=10, description="Course £/person",
                                    **WIDE),
        "years": w.IntSlider(value=years, min=1, max=5, step=1, description="Years it lasts", **WIDE),
        "rate": w.FloatSlider(value=rate * 100, min=0, max=15, step=0.5, description="Discount rate %",
                              readout_format=".1f", **WIDE),
    }
    out = w.Output()
    box = w.VBox([w.HTML(f"<b>Business case explorer</b>: training {people} people; {footfall:,.0f} visitors a "
                         f"year; £{profit_per_sale:.2f} gross profit a sale"), *sliders.values(), out])

    def update(_=None):
        v = {k: s.value for k, s in sliders.items()}
        r = business_case(people, v["course_price"], cover_hours, wage, footfall, profit_per_sale,
                          v["uplift"] / 100, v["years"], v["rate"] / 100)
        box.result = r
        with house_style():
            fig, ax = plt.subplots(figsize=(6, 2.4))
            ax.barh(["Cost (once)", "Benefit (a year)"], [r["cost"], r["benefit"]], color=[BAD, GOOD])
            verdict = "pays back" if r["npv"] > 0 else "does not pay back"
            ax.set_title(f"The programme {verdict} in {v['years']} year{'s' if v['years'] > 1 else ''}")
            ax.set_xlabel("GBP")
            plt.close(fig)
        months = "never" if r["payback_months"] is None else f"{r['payback_months']:.1f} months"
        _show(out, fig, f"Cost £{r['cost']:,.2f} | Benefit £{r['benefit']:,.2f} a year | ROI {r['roi']:.2f} "
                        f"(year 1) | Payback {months} | NPV £{r['npv']:,.0f}")

    for s in sliders.values():
        s.observe(update, names="value")
    update()
    return box


def target_explorer(log, target=2.5, value="upt", person="name", count="transactions", low=1.5, high=3.5, step=0.01,
                    unit=""):
    """A slider for a weekly target; shows how often each person meets it and the gap it leaves a week.

    ``unit`` names what the gap is counted in (for UPT: "items"; for ATV: "GBP").
    """
    import ipywidgets as w
    import matplotlib.pyplot as plt

    from retailkit.plots import BAD, GOOD, house_style, percent_axis

    slider = w.FloatSlider(value=target, min=low, max=high, step=step, description=f"Target {value.upper()}",
                           readout_format=".2f", **WIDE)
    out = w.Output()
    box = w.VBox([w.HTML(f"<b>Target explorer</b>: how often each person meets a weekly {value.upper()} "
                         "target"), slider, out])

    def update(_=None):
        r = target_setting(log, slider.value, value, person, count)
        box.result = r
        met = r["met"]
        with house_style():
            fig, ax = plt.subplots(figsize=(6, 0.5 + 0.45 * len(met)))
            ax.barh(met.index.astype(str), met.to_numpy(), color=[GOOD if m >= 0.5 else BAD for m in met])
            for y, m in enumerate(met):
                ax.text(m + 0.02, y, f"{m:.0%} of weeks", va="center")  # beside the bar, never on it
            ax.set_xlim(0, 1.3)
            ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
            percent_axis(ax, "x")
            ax.set_title(f"At {slider.value:.2f}, the team meets it in {r['team_met']:.0%} of its weeks")
            plt.close(fig)
        people = "; ".join(f"{p}: {m:.0%} of weeks" for p, m in met.items())
        _show(out, fig, f"Target {slider.value:.2f} | {people} | if every week below it had reached it: "
                        f"{r['gap_a_week']:,.0f} more {unit + ' ' if unit else ''}a week")

    slider.observe(update, names="value")
    update()
    return box


def goodwill_explorer(cost=10.0, yearly_profit=50.0, rise=0.2, high=50.0):
    """Sliders for a goodwill gesture's cost and the rise in the chance the customer stays; shows if it pays."""
    import ipywidgets as w
    import matplotlib.pyplot as plt

    from retailkit.plots import BAD, GOOD, house_style

    sliders = {
        "cost": w.FloatSlider(value=cost, min=0, max=high, step=0.1, description="Gesture £",
                              readout_format=".2f", **WIDE),
        "rise": w.IntSlider(value=round(rise * 100), min=0, max=100, step=1, description="Chance +pts", **WIDE),
    }
    out = w.Output()
    box = w.VBox([w.HTML(f"<b>Goodwill explorer</b>: a customer worth £{yearly_profit:,.2f} of gross profit a "
                         "year"), *sliders.values(), out])

    def update(_=None):
        v = {k: s.value for k, s in sliders.items()}
        r = goodwill(v["cost"], yearly_profit, v["rise"] / 100)
        box.result = r
        kept = v["rise"] / 100 * yearly_profit
        with house_style():
            fig, ax = plt.subplots(figsize=(6, 2.2))
            ax.barh(["Cost of the gesture", "Profit it is expected to keep"], [v["cost"], kept], color=[BAD, GOOD])
            verdict = "pays for itself" if r["gain"] >= 0 else "does not pay for itself"
            ax.set_title(f"In one year, the gesture {verdict}")
            ax.set_xlabel("GBP")
            plt.close(fig)
        net = f"a gain of £{r['gain']:.2f}" if r["gain"] >= 0 else f"a loss of £{-r['gain']:.2f}"
        needed = (f"It pays for itself if it raises the chance the customer stays by {100 * r['break_even']:.1f} "
                  "percentage points or more." if r["break_even"] <= 1 else
                  f"It would need a rise of {100 * r['break_even']:.1f} percentage points: more than 100, so no "
                  "rise can pay for it within a year.")
        _show(out, fig, f"Gesture £{v['cost']:.2f} | expected profit kept £{kept:.2f} | {net}\n{needed}")

    for s in sliders.values():
        s.observe(update, names="value")
    update()
    return box
