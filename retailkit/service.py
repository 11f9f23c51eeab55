"""Service KPIs: how well customer contacts are handled against the retailer's promises.

Rates are fractions (0.9 means 90 %).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retailkit._checks import not_above, number, result, same_shape

__all__ = ["first_contact_resolution_rate", "sla_compliance"]


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
