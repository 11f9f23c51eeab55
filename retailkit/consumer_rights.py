"""Consumer Rights Act 2015 (goods): which remedies a customer has for faulty goods, and when.

A simplified guide for retail staff, following Part 1, Chapter 2 of the Act (England, Wales and Northern
Ireland; Scotland is similar). It covers goods that do not conform to the contract (faulty, not as
described, not fit for purpose). It is not legal advice: complex cases go to a manager.

Sections of the Act used:

- s.19(3): the tiered remedies: the short-term right to reject (ss.20, 22); repair or replacement
  (s.23); a price reduction or the final right to reject (ss.20, 24).
- s.22(3): the short-term right to reject lasts 30 days from the day after ownership has passed, the goods
  have been delivered and (if needed) installed. s.22(4): for goods that can be expected to perish sooner,
  it ends when they can be expected to perish.
- s.22(6)-(8): if the customer asks for (or agrees to) a repair or replacement, the 30 days stop running
  for the "waiting period", from the day they ask or agree to the day they get the goods back (both
  days included). If the goods that come back are still faulty, the time left is what was left when the
  waiting period began, or 7 days if that is longer.
- s.23(2): repair or replacement within a reasonable time, without significant inconvenience, at the
  trader's cost. s.23(3): not if impossible or disproportionate.
- s.24(5): a price reduction or the final right to reject only after one repair or one replacement has
  failed, or if neither can be required, or the trader took too long or caused significant
  inconvenience. s.24(8)-(11): a deduction for use may reduce the refund, but not if the final right to
  reject is used within six months (except motor vehicles); those six months begin with the day after
  delivery, so the six-month date itself is still inside them.
- s.19(14)-(15): goods found faulty within six months beginning with the day of delivery are taken to
  have been faulty on delivery, unless the trader proves otherwise. This presumption applies to repair or
  replacement and to the price reduction or final right to reject, NOT to the short-term right to reject:
  to reject in the first 30 days the customer must show the fault was there at delivery (usually easy
  for a fault that shows up so soon). After six months the customer must show it for every remedy.
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
    """What applies to one fault: each remedy, who must prove the fault, and why (with sections).

    ``burden_of_proof`` is who must prove whether the fault was there at delivery for a repair or
    replacement, a price reduction or the final right to reject (``"trader"`` while the s.19(14)
    presumption applies). ``short_term_reject_burden`` is the same for the short-term right to reject:
    always ``"customer"``, because the presumption does not apply to it.
    """

    days_since_delivery: int
    short_term_reject: bool
    repair_or_replace: bool
    price_reduction_or_final_reject: bool
    burden_of_proof: str
    deduction_for_use: bool
    reasons: list[str] = field(default_factory=list)
    fault_presumed_at_delivery: bool = False
    short_term_reject_burden: str = "customer"
    short_term_reject_last_day: pd.Timestamp | None = None
    waiting_days: int = 0

    def __str__(self) -> str:
        """The reasons, one a line."""
        return "\n".join(self.reasons)


def _date(value, name: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a date such as '2026-03-14', got {value!r}") from error
    if pd.isna(stamp):
        raise ValueError(f"{name} is missing: give a date such as '2026-03-14'")
    return stamp.normalize()


def _last_day_of_months(first_day: pd.Timestamp, months: int) -> pd.Timestamp:
    """Last day of a period of ``months`` months beginning with (and including) ``first_day``.

    The period ends the day before the same date ``months`` later (beginning 10 January: ends 9 July).
    If that month has no such date (beginning 31 August: there is no 31 February), it ends on the last
    day of that month.
    """
    same_date = first_day + pd.DateOffset(months=months)
    if same_date.day < first_day.day:  # no such date: DateOffset stopped at the end of the month
        return same_date
    return same_date - pd.Timedelta(days=1)


def remedies(purchase_date, fault_reported, perishable=False, perishes_after_days=None, delivery_date=None,
             repairs_or_replacements=0, motor_vehicle=False, repair_requested=None, repair_received=None):
    """Which Consumer Rights Act 2015 remedies apply to faulty goods reported on ``fault_reported``.

    Dates are whole days. The rules, with the day counts used:

    - short-term right to reject (ss.20, 22): ``fault_reported <= last day``, where ``last day =
      delivery + 30 days`` (the 30 days begin the day after delivery, s.22(3)), or ``delivery + days
      the goods last`` for perishable goods (s.22(4)). A waiting period for a repair or replacement
      (``repair_requested`` to ``repair_received``, both days included) is not counted (s.22(6), (8)):
      ``last day = repair_received + max(days left on repair_requested, 7)`` (s.22(7)). No extension if
      the right had already ended before the repair was asked for.
    - fault presumed to have been there at delivery (s.19(14)-(15)): reported within the six months
      beginning with the day of delivery (delivered 10 January: up to and including 9 July). It applies to
      repair or replacement and to the final remedies only, never to the short-term right to reject.
    - no deduction for use on final rejection (s.24(10)-(11)): within the six months beginning with the day
      after delivery (delivered 10 January: up to and including 10 July), except motor vehicles.

    Parameters
    ----------
    purchase_date : date
        When the customer bought the goods (and took ownership).
    fault_reported : date
        When the customer told the shop about the fault (after any repair or replacement, the day they
        reported the goods still faulty).
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
    repair_requested : date, optional
        The day the customer asked for (or agreed to) a repair or replacement: the waiting period of
        s.22(6)-(8) begins. Give it with ``repair_received``; default None (no waiting period).
    repair_received : date, optional
        The day the customer got the repaired or replacement goods back: the waiting period ends.

    Returns
    -------
    Remedies
        Flags for each remedy; ``burden_of_proof`` (``"trader"`` or ``"customer"``) for repair or
        replacement and the final remedies, and ``fault_presumed_at_delivery`` (the s.19(14)
        presumption, for those remedies only); ``short_term_reject_burden`` (always ``"customer"``);
        ``short_term_reject_last_day`` and ``waiting_days``; whether a deduction for use is allowed; and
        plain-English reasons citing the sections.

    Raises
    ------
    ValueError
        If a date is not a date, the dates are in an impossible order, or only one of
        ``repair_requested`` and ``repair_received`` is given.

    Examples
    --------
    A kettle bought on 1 March, faulty on 20 March: the customer can reject it for a full refund, or ask
    for a repair or replacement. The six-month presumption (the shop must prove the kettle was not faulty
    when delivered) covers the repair or replacement, not the 30-day rejection:

    >>> r = remedies("2026-03-01", "2026-03-20")
    >>> r.short_term_reject, r.repair_or_replace, r.fault_presumed_at_delivery
    (True, True, True)
    >>> r.burden_of_proof, r.short_term_reject_burden
    ('trader', 'customer')

    The same fault found on 1 June, after one failed repair: a price reduction or the final right to reject.

    >>> r = remedies("2026-03-01", "2026-06-01", repairs_or_replacements=1)
    >>> r.short_term_reject, r.price_reduction_or_final_reject, r.deduction_for_use
    (False, True, False)

    Final rejection on 1 September, exactly six months after delivery on 1 March: the no-deduction months
    began on 2 March, so they still include 1 September (s.24(11)):

    >>> remedies("2026-03-01", "2026-09-01", repairs_or_replacements=1).deduction_for_use
    False

    Waiting for a repair (s.22(6)-(8)): delivered 1 March, so the 30 days end on 31 March. The customer
    asks for a repair on 10 March (22 days left, 10 to 31 March) and gets it back on 20 March still faulty:
    the 11 days waited do not count, so they can reject it until 11 April:

    >>> r = remedies("2026-03-01", "2026-04-05", repairs_or_replacements=1,
    ...              repair_requested="2026-03-10", repair_received="2026-03-20")
    >>> r.short_term_reject, r.waiting_days, str(r.short_term_reject_last_day.date())
    (True, 11, '2026-04-11')
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
    if (repair_requested is None) != (repair_received is None):
        given, missing = (("repair_requested", "repair_received") if repair_received is None
                          else ("repair_received", "repair_requested"))
        raise ValueError(f"{missing} is missing: give both repair_requested (the day the customer asked for "
                         f"the repair or replacement) and repair_received (the day they got the goods back), "
                         f"not only {given}")
    waiting = None
    if repair_requested is not None:
        asked = _date(repair_requested, "repair_requested")
        back = _date(repair_received, "repair_received")
        if asked < delivered:
            raise ValueError(f"repair_requested ({asked.date()}) is before the goods were delivered "
                             f"({delivered.date()})")
        if back < asked:
            raise ValueError(f"repair_received ({back.date()}) is before repair_requested ({asked.date()}): "
                             "the goods cannot come back before the repair was asked for")
        if reported < back:
            raise ValueError(f"fault_reported ({reported.date()}) is before repair_received ({back.date()}): "
                             "give the day the customer reported the goods still faulty after getting them back")
        waiting = (asked, back)
    days = int((reported - delivered).days)
    reasons = []

    window = SHORT_TERM_DAYS
    if perishable and perishes_after_days < SHORT_TERM_DAYS:
        window = int(perishes_after_days)
    section = f"s.22{'(4)' if window < SHORT_TERM_DAYS else '(3)'}"
    # The period begins the day after delivery, so it ends at the end of day ``delivery + window``.
    last_day = delivered + pd.Timedelta(days=window)
    waiting_days = 0
    if waiting is not None:
        asked, back = waiting
        if asked <= last_day:  # the clock was still running: it stops for the waiting period (s.22(6))
            waiting_days = int((back - asked).days) + 1  # both days are in the waiting period (s.22(8))
            days_left = int((last_day - asked).days) + 1  # days left at the start of the waiting period
            last_day = back + pd.Timedelta(days=max(days_left, 7))  # s.22(7)
    short_term = reported <= last_day
    if waiting_days:
        how = (f"the {waiting_days} days waiting for the repair or replacement ({waiting[0].date()} to "
               f"{waiting[1].date()}) do not count (s.22(6)-(8)), so the period runs to {last_day.date()}")
        if short_term:
            reasons.append(f"Short-term right to reject: {how}; reported on {reported.date()}, within it, so the "
                           f"customer can reject the goods for a full refund (ss.20, 22). The customer must "
                           f"show the fault was there at delivery (the s.19(14) presumption does not apply).")
        else:
            reasons.append(f"The short-term right to reject has ended: {how}, and the fault was reported on "
                           f"{reported.date()} ({section}, s.22(6)-(8)).")
    elif short_term:
        reasons.append(f"Short-term right to reject: reported {days} days after delivery, within the "
                       f"{window}-day limit, so the customer can reject the goods for a full refund "
                       f"(ss.20, {section[2:]}). The customer must show the fault was there at delivery "
                       f"(the s.19(14) presumption does not apply to this right).")
    else:
        reasons.append(f"The short-term right to reject has ended ({days} days after delivery; the limit is "
                       f"{window} days, {section}).")
        if waiting is not None:
            reasons.append(f"The repair or replacement was asked for on {waiting[0].date()}, after the "
                           "short-term right to reject had ended, so it does not bring it back (s.22(6)).")

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

    # s.19(14): six months beginning with the day of delivery.
    presumed = reported <= _last_day_of_months(delivered, PRESUMPTION_MONTHS)
    burden = "trader" if presumed else "customer"
    if presumed:
        reasons.append("Burden of proof for repair, replacement, a price reduction or the final right to "
                       "reject: within six months of delivery the goods are taken to have been faulty on "
                       "delivery unless the shop proves otherwise (s.19(14)-(15)). This does not apply to "
                       "the short-term right to reject.")
    else:
        reasons.append("Burden of proof: after six months the customer must show the fault was there on "
                       "delivery (s.19(14)-(15) no longer applies).")
    # s.24(10)-(11): six months beginning with the first day after delivery.
    no_deduction_until = _last_day_of_months(delivered + pd.Timedelta(days=1), PRESUMPTION_MONTHS)
    deduction = final and (reported > no_deduction_until or motor_vehicle)
    if final:
        if deduction and motor_vehicle:
            reasons.append("A deduction for use may reduce the refund: motor vehicles are excepted from the "
                           "six-month rule (s.24(8), (10)(a)).")
        elif deduction:
            reasons.append(f"A deduction for use may reduce the refund: the final right to reject is used after "
                           f"{no_deduction_until.date()}, when the six months from the day after delivery "
                           f"ended (s.24(8), (10)-(11)).")
        else:
            reasons.append(f"No deduction for use: the final right to reject is used within the six months "
                           f"beginning the day after delivery (to {no_deduction_until.date()}, s.24(10)-(11)).")
    return Remedies(days, short_term, repair, final, burden, deduction, reasons,
                    fault_presumed_at_delivery=presumed, short_term_reject_last_day=last_day,
                    waiting_days=waiting_days)
