"""Queue staffing with the Erlang C model: how many tills keep the wait within the standard.

Times are in seconds; ``arrivals`` are customers per ``period`` seconds (default 3600: per hour).
``traffic`` (in erlangs) is the work arriving, in server-hours per hour: arrivals x handle time / period.

The Erlang C model assumes customers arrive at random (Poisson), service times vary at random
(exponential), one queue feeds all open tills, and nobody gives up. Real queues are a little better
or worse, so treat the answer as a planning figure, then check it against what you see.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from retailkit._checks import number, result, same_shape

__all__ = ["traffic_intensity", "erlang_c", "service_level", "average_speed_of_answer", "servers_required",
           "staffing_plan"]


def _unstable(traffic: float, servers: float) -> ValueError:
    return ValueError(
        f"servers must be more than the traffic: with servers={servers:g} and traffic={traffic:g} erlangs "
        "the tills cannot keep up, so the queue would grow without limit. Add servers or cut the handle time"
    )


def _erlang_c(traffic: float, servers: int) -> float:
    """Erlang C by the Erlang B recursion (no factorials: stable for thousands of servers)."""
    if servers <= traffic:
        raise _unstable(traffic, servers)
    b = 1.0
    for k in range(1, servers + 1):
        b = traffic * b / (k + traffic * b)
    return servers * b / (servers - traffic * (1 - b))


def traffic_intensity(arrivals, handle_time, period=3600):
    """Traffic in erlangs: the work arriving, in server-hours per hour.

    ``traffic = arrivals x handle_time / period``

    Parameters
    ----------
    arrivals : customers per ``period``, 0 or more
    handle_time : average seconds to serve one customer, more than 0
    period : seconds the arrivals are counted over (default 3600, an hour)

    Returns
    -------
    float, array or Series
        Erlangs: 5 erlangs keep 5 tills busy all the time.

    Examples
    --------
    200 customers an hour, each taking 90 seconds at the till, is 5 erlangs (5 tills' worth of work):

    >>> traffic_intensity(arrivals=200, handle_time=90)
    5.0
    """
    a = number(arrivals, "arrivals")
    h = number(handle_time, "handle_time", positive=True)
    p = number(period, "period", positive=True)
    same_shape(arrivals=a, handle_time=h, period=p)
    return result(a * h / p, arrivals, handle_time, period)


def erlang_c(traffic, servers):
    """Probability that a customer has to wait (Erlang C).

    ``C(N, A) = [A^N / N! x N / (N - A)] / [sum_{k<N} A^k / k! + A^N / N! x N / (N - A)]``

    computed through the Erlang B recursion ``B(k) = A B(k-1) / (k + A B(k-1))`` and
    ``C = N B / (N - A (1 - B))``, which never forms a factorial, so hundreds of servers are fine.

    Parameters
    ----------
    traffic : number, list, array or Series
        Traffic A in erlangs, 0 or more.
    servers : whole number, list, array or Series
        Servers (tills, agents) N, more than the traffic.

    Returns
    -------
    float, array or Series
        A probability from 0 to 1.

    Raises
    ------
    ValueError
        If servers <= traffic (an unstable queue that grows without limit).

    Examples
    --------
    10 erlangs of traffic on 11 tills (callcentrehelper.com's worked example):

    >>> round(erlang_c(traffic=10, servers=11), 4)
    0.6821

    References
    ----------
    Erlang, A. K. (1917); Call Centre Helper, "Erlang C formula - made simple with an easy worked example".
    """
    a = number(traffic, "traffic")
    n = number(servers, "servers", positive=True, whole=True)
    same_shape(traffic=a, servers=n)
    out = np.vectorize(lambda x, m: _erlang_c(float(x), int(m)), otypes=[float])(a, n)
    return result(out, traffic, servers)


def _level(a: float, h: float, n: int, t: float) -> float:
    if a == 0:
        return 1.0
    return 1.0 - _erlang_c(a, n) * math.exp(-(n - a) * t / h)


def service_level(arrivals, handle_time, servers, target_wait, period=3600):
    """Share of customers served within ``target_wait`` seconds.

    ``SL = 1 - C(N, A) x exp(-(N - A) x target_wait / handle_time)``

    Parameters
    ----------
    arrivals : customers per ``period``, 0 or more
    handle_time : seconds to serve one customer (average), more than 0
    servers : whole number of tills open, more than the traffic
    target_wait : seconds, 0 or more (e.g. 180 for "no more than 3 minutes")
    period : seconds the arrivals are counted over (3600 = an hour, 1800 = half an hour)

    Returns
    -------
    float, array or Series
        A fraction from 0 to 1.

    Examples
    --------
    100 customers in 30 minutes, 180 s each, 11 servers, target 20 s:

    >>> round(service_level(arrivals=100, handle_time=180, servers=11, target_wait=20, period=1800), 4)
    0.3896
    """
    a = number(arrivals, "arrivals")
    h = number(handle_time, "handle_time", positive=True)
    n = number(servers, "servers", positive=True, whole=True)
    t = number(target_wait, "target_wait")
    p = number(period, "period", positive=True)
    same_shape(arrivals=a, handle_time=h, servers=n, target_wait=t, period=p)
    out = np.vectorize(lambda *v: _level(float(v[0]) * v[1] / v[4], float(v[1]), int(v[2]), float(v[3])),
                       otypes=[float])(a, h, n, t, p)
    return result(out, arrivals, handle_time, servers, target_wait, period)


def average_speed_of_answer(arrivals, handle_time, servers, period=3600):
    """Average wait in the queue, in seconds, over all customers (those served at once count as 0).

    ``ASA = C(N, A) x handle_time / (N - A)``

    Parameters
    ----------
    arrivals : customers per ``period``, 0 or more
    handle_time : average seconds to serve one customer, more than 0
    servers : whole number of tills open, more than the traffic
    period : seconds the arrivals are counted over (default 3600)

    Returns
    -------
    float, array or Series
        Seconds.

    Examples
    --------
    100 customers in 30 minutes, 180 s each, on 14 tills (the ErlangC R package's example):

    >>> round(average_speed_of_answer(arrivals=100, handle_time=180, servers=14, period=1800), 2)
    7.84
    """
    a = number(arrivals, "arrivals")
    h = number(handle_time, "handle_time", positive=True)
    n = number(servers, "servers", positive=True, whole=True)
    p = number(period, "period", positive=True)
    same_shape(arrivals=a, handle_time=h, servers=n, period=p)

    def asa(x, hh, m, pp):
        traffic = x * hh / pp
        return 0.0 if traffic == 0 else _erlang_c(traffic, int(m)) * hh / (m - traffic)

    out = np.vectorize(asa, otypes=[float])(a, h, n, p)
    return result(out, arrivals, handle_time, servers, period)


def _required(a: float, h: float, t: float, goal: float) -> int:
    if a == 0:
        return 0
    n = math.floor(a) + 1
    while _level(a, h, n, t) < goal:
        n += 1
    return n


def servers_required(arrivals, handle_time, target_wait, target_service_level, period=3600):
    """The fewest servers (tills) that serve ``target_service_level`` of customers within ``target_wait``.

    Starts just above the traffic (fewer could never keep up) and adds one server at a time until the
    service level (see ``service_level``) reaches the target. No arrivals needs no servers.

    Parameters
    ----------
    arrivals : customers per ``period``, 0 or more
    handle_time : average seconds to serve one customer, more than 0
    target_wait : seconds, 0 or more (e.g. 180 for "within 3 minutes")
    target_service_level : fraction below 1 (e.g. 0.9 for 90 % of customers)
    period : seconds the arrivals are counted over (default 3600)

    Returns
    -------
    float, array or Series
        A whole number of servers.

    Examples
    --------
    100 customers in 30 minutes, 180 s each, 80 % within 20 s:

    >>> servers_required(arrivals=100, handle_time=180, target_wait=20, target_service_level=0.8, period=1800)
    14.0
    """
    a = number(arrivals, "arrivals")
    h = number(handle_time, "handle_time", positive=True)
    t = number(target_wait, "target_wait")
    goal = number(target_service_level, "target_service_level", maximum=1.0)
    if np.any(goal >= 1.0):
        raise ValueError("target_service_level must be below 1: no finite number of servers serves "
                         "every customer within the target for certain")
    p = number(period, "period", positive=True)
    same_shape(arrivals=a, handle_time=h, target_wait=t, target_service_level=goal, period=p)
    out = np.vectorize(lambda x, hh, tt, g, pp: _required(x * hh / pp, hh, tt, g), otypes=[float])(a, h, t, goal, p)
    return result(out, arrivals, handle_time, target_wait, target_service_level, period)


def staffing_plan(arrivals, handle_time, target_wait=180, target_service_level=0.9, interval=1800,
                  min_servers=1):
    """Tills needed in each interval of a day to meet the standard, and the labour hours that implies.

    Parameters
    ----------
    arrivals : Series
        Customers arriving at the tills in each interval, indexed by the interval's start (e.g. "09:00").
    handle_time : number or Series
        Average seconds to serve a customer (one figure, or one per interval).
    target_wait, target_service_level : the standard, e.g. 180 s for 90 % of customers (the defaults).
    interval : seconds per interval (1800 = half an hour).
    min_servers : tills open even when it is quiet (default 1).

    Returns
    -------
    DataFrame
        One row per interval: arrivals, traffic (erlangs), servers, service_level, average wait (s) and
        labour_hours (servers x interval). ``plan.attrs["labour_hours"]`` holds the day's total.

    Examples
    --------
    >>> import pandas as pd
    >>> day = pd.Series([12, 30, 45, 20], index=["11:00", "11:30", "12:00", "12:30"])
    >>> plan = staffing_plan(day, handle_time=70)
    >>> plan["servers"].tolist(), plan.attrs["labour_hours"]
    ([2, 2, 3, 2], 4.5)
    """
    if not isinstance(arrivals, pd.Series):
        raise TypeError("arrivals must be a Series of customers per interval, indexed by the interval start")
    a = pd.Series(number(arrivals, "arrivals", whole=True), index=arrivals.index)
    h = pd.Series(np.broadcast_to(number(handle_time, "handle_time", positive=True), a.shape), index=a.index)
    low = int(number(min_servers, "min_servers", whole=True))
    need = servers_required(a, h, target_wait, target_service_level, period=interval)
    servers = np.maximum(need, low).astype(int)
    plan = pd.DataFrame({"arrivals": a.astype(int), "traffic": traffic_intensity(a, h, interval),
                         "servers": servers})
    busy = plan["arrivals"] > 0
    plan["service_level"] = 1.0
    plan["average_wait"] = 0.0
    plan.loc[busy, "service_level"] = service_level(a[busy], h[busy], servers[busy], target_wait, interval)
    plan.loc[busy, "average_wait"] = average_speed_of_answer(a[busy], h[busy], servers[busy], interval)
    plan["labour_hours"] = plan["servers"] * interval / 3600
    plan.attrs["labour_hours"] = float(plan["labour_hours"].sum())
    return plan
