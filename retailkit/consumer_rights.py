"""Consumer Rights Act 2015 (goods): which remedies a customer has for faulty goods, and when.

A simplified guide for retail staff, following Part 1, Chapter 2 of the Act (England, Wales and Northern
Ireland; Scotland is similar). It covers goods that do not conform to the contract (faulty, not as
described, not fit for purpose). It is not legal advice: complex cases go to a manager.

Sections of the Act used:

- s.19(3): the tiered remedies: the short-term right to reject (ss.20, 22); repair or replacement
  (s.23); a price reduction or the final right to reject (ss.20, 24).
- s.22(3): the short-term right to reject lasts 30 days from the day after ownership has passed, the goods
  have been delivered and (if needed) installed. s.22(4): for goods that can be expected to perish sooner,
  it ends when they can be expected to perish. s.22(6): the clock stops while a repair or replacement is
  waited for.
- s.23(2): repair or replacement within a reasonable time, without significant inconvenience, at the
  trader's cost. s.23(3): not if impossible or disproportionate.
- s.24(5): a price reduction or the final right to reject only after one repair or one replacement has
  failed, or if neither can be required, or the trader took too long or caused significant
  inconvenience. s.24(8)-(10): a deduction for use may reduce the refund, but not within the first six
  months (except motor vehicles).
- s.19(14)-(15): goods found faulty within six months of delivery are taken to have been faulty on
  delivery, unless the trader proves otherwise (this applies to repair or replacement and to the price
  reduction or final right to reject, not to the short-term right to reject). After six months the
  customer must show the fault was there at delivery.
- Limitation Act 1980 s.5: claims can be brought for up to six years (five in Scotland).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Remedies", "remedies"]

SHORT_TERM_DAYS = 30
PRESUMPTION_MONTHS = 6
LIMITATION_YEARS = 6


@dataclass(frozen=True)
class Remedies:
    """What applies to one fault: each remedy, who must prove the fault, and why (with sections)."""

    days_since_delivery: int
    short_term_reject: bool
    repair_or_replace: bool
    price_reduction_or_final_reject: bool
    burden_of_proof: str
    deduction_for_use: bool
    reasons: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.reasons)


def _date(value, name: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a date such as '2026-03-14', got {value!r}") from error
    if pd.isna(stamp):
        raise ValueError(f"{name} is missing: give a date such as '2026-03-14'")
    return stamp.normalize()


def remedies(purchase_date, fault_reported, perishable=False, perishes_after_days=None, delivery_date=None,
             repairs_or_replacements=0, motor_vehicle=False):
    """Which Consumer Rights Act 2015 remedies apply to faulty goods reported on ``fault_reported``.

    Parameters
    ----------
    purchase_date : date
        When the customer bought the goods (and took ownership).
    fault_reported : date
        When the customer told the shop about the fault.
    perishable : bool, default False
        Goods that can be expected to go off (flowers, food): the right to reject ends sooner (s.22(4)).
    perishes_after_days : int, optional
        For perishable goods, days after delivery they can be expected to last (e.g. 7 for cut flowers).
    delivery_date : date, optional
        When the goods were delivered, if later than the purchase (online orders). The 30 days and the
        six months run from delivery.
    repairs_or_replacements : int, default 0
        Repairs or replacements already tried for this fault.
    motor_vehicle : bool, default False
        Motor vehicles may have a deduction for use even in the first six months (s.24(10)).

    Returns
    -------
    Remedies
        Flags for each remedy, the burden of proof (``"trader"`` or ``"customer"``), whether a deduction for
        use is allowed, and plain-English reasons citing the sections.

    Examples
    --------
    A kettle bought on 1 March, faulty on 20 March: the customer can reject it for a full refund.

    >>> r = remedies("2026-03-01", "2026-03-20")
    >>> r.short_term_reject, r.repair_or_replace, r.burden_of_proof
    (True, True, 'trader')

    The same fault found on 1 June, after one failed repair: a price reduction or the final right to reject.

    >>> r = remedies("2026-03-01", "2026-06-01", repairs_or_replacements=1)
    >>> r.short_term_reject, r.price_reduction_or_final_reject, r.deduction_for_use
    (False, True, False)
    """
    bought = _date(purchase_date, "purchase_date")
    delivered = _date(delivery_date, "delivery_date") if delivery_date is not None else bought
    reported = _date(fault_reported, "fault_reported")
    if delivered < bought:
        raise ValueError(f"delivery_date ({delivered.date()}) is before purchase_date ({bought.date()})")
    if reported < delivered:
        raise ValueError(f"fault_reported ({reported.date()}) is before the goods were delivered "
                         f"({delivered.date()})")
    if not isinstance(repairs_or_replacements, int) or isinstance(repairs_or_replacements, bool) \
            or repairs_or_replacements < 0:
        raise ValueError(f"repairs_or_replacements must be a whole number 0 or more, got {repairs_or_replacements!r}")
    if perishable and perishes_after_days is None:
        raise ValueError("perishes_after_days is needed for perishable goods: how many days they can be "
                         "expected to last (s.22(4))")
    days = int((reported - delivered).days)
    reasons = []

    window = SHORT_TERM_DAYS
    if perishable and perishes_after_days < SHORT_TERM_DAYS:
        window = int(perishes_after_days)
    short_term = days <= window  # the period ends at the end of the 30th day after delivery (s.22(3))
    if short_term:
        reasons.append(f"Short-term right to reject: reported {days} days after delivery, within the "
                       f"{window}-day limit, so the customer can reject the goods for a full refund "
                       f"(ss.20, 22{'(4)' if window < SHORT_TERM_DAYS else '(3)'}).")
    else:
        reasons.append(f"The short-term right to reject has ended ({days} days after delivery; the limit is "
                       f"{window} days, s.22{'(4)' if window < SHORT_TERM_DAYS else '(3)'}).")

    expired = reported > delivered + pd.DateOffset(years=LIMITATION_YEARS)
    repair = not expired
    if repair:
        reasons.append("Repair or replacement: the customer can ask for either; the shop must do it within a "
                       "reasonable time, without significant inconvenience and at its own cost (s.23).")
    final = repair and repairs_or_replacements >= 1
    if final:
        reasons.append("Price reduction or final right to reject: a repair or replacement has already been "
                       "tried and the goods are still faulty (s.24(5)).")
    elif repair:
        reasons.append("Price reduction or final right to reject: only after one repair or replacement "
                       "fails, or if neither is possible or the shop takes too long (s.24(5)).")
    if expired:
        reasons.append(f"More than {LIMITATION_YEARS} years after delivery: a claim is usually out of time "
                       "(Limitation Act 1980 s.5).")

    within_six_months = reported < delivered + pd.DateOffset(months=PRESUMPTION_MONTHS)
    burden = "trader" if within_six_months else "customer"
    if within_six_months:
        reasons.append("Burden of proof: within six months of delivery the goods are taken to have been "
                       "faulty on delivery unless the shop proves otherwise (s.19(14)-(15)).")
    else:
        reasons.append("Burden of proof: after six months the customer must show the fault was there on "
                       "delivery (s.19(14)-(15) no longer applies).")
    deduction = final and (not within_six_months or motor_vehicle)
    if final:
        reasons.append("A deduction for use may reduce the refund (s.24(8))." if deduction else
                       "No deduction for use: the final right to reject is used within six months "
                       "(s.24(10)).")
    return Remedies(days, short_term, repair, final, burden, deduction, reasons)
