"""The tables that follow from the sales, and the shops' own records (review log, risk register).

Till queues, surveys, SERVQUAL, complaints and mystery shopping follow from the sales; head office's
service-recovery trial (follow-ups) follows from the surveys, the complaints and the members' visits.

Steps of :func:`retailkit.datasets.generator.generate`, called in its order with its random generator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from retailkit.customers import visits_after
from retailkit.datasets.constants import (
    CLOSED_ALL,
    COMPLAINT_NPS,
    COMPLAINT_TYPES,
    CSAT_OFFSET,
    DIMENSION_OF_ITEM,
    DIMENSIONS,
    FOLLOW_UP_DAYS,
    FOLLOW_UP_IF_BACK,
    FOLLOW_UP_IF_NOT_BACK,
    FOLLOW_UP_WEEKS,
    FOLLOW_UPS,
    MYSTERY_QUALITY,
    NPS_AFTER_ANSWERED,
    NPS_CHANGE,
    ONLINE_STORE,
    PEAK_SLOTS,
    PRODUCT_COMMENTS,
    PRODUCT_QUALITY,
    PRODUCT_TRAINING,
    RISKS,
    SECOND_TILL,
    SERVQUAL_GAPS,
    SHORT_TILL_CSAT,
    STANDARD_REPLY,
    START,
    STORE_IDS,
    STORES,
    SURVEY_COMMENTS,
    SURVEY_COMMENTS_ONLINE,
    TEAM_TOPIC_WEIGHTS,
    TEAM_TOPICS,
    UNHAPPY_CSAT,
    UNHAPPY_NPS,
)
from retailkit.datasets.schema import SCHEMA, from_codes, make_ids
from retailkit.sales import _new_sales

if TYPE_CHECKING:
    from retailkit.datasets.trade import Baskets


def till_queue_table(rng, sale: Baskets, days: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Arrivals at the tills per half hour (the in-store sales), service times and tills open.

    Also gives, for each sale, whether its half hour had fewer tills open than S01 needs (the surveys
    respond to it). From the week of ``SECOND_TILL`` Bristol keeps two tills open at its peak (its review log).
    """
    shop = sale.store != ONLINE_STORE
    slot = sale.second[shop] // 1800
    key = sale.store[shop] * (days * 48) + slot
    keys, arrivals = np.unique(key, return_counts=True)
    where = np.searchsorted(keys, key)
    mean_units = np.bincount(where, weights=sale.units[shop], minlength=len(keys)) / arrivals
    store = keys // (days * 48)
    slot = keys % (days * 48)
    week = slot // 48 // 7 + 1
    service = np.round(40 + 18 * mean_units * rng.normal(1, 0.1, len(keys)), 1)
    tills = np.array([s.tills for s in STORES])[store]
    planned = np.clip(np.ceil(arrivals * service / 1800 + 0.4), 1, tills)
    lunch = np.isin((slot % 48) // 2, [12, 13])
    short = rng.random(len(keys)) < np.where(lunch, 0.25, 0.05)  # staff on breaks at lunch
    labels = np.array([f"{m // 2:02d}:{m % 2 * 30:02d}" for m in range(48)], dtype=object)
    peak = np.isin(labels[slot % 48], PEAK_SLOTS)
    second = (store == STORE_IDS.index(SECOND_TILL.store_id)) & (week >= SECOND_TILL.week) & peak
    tills_open = np.maximum(planned, 1 + second) - short  # breaks still take a till from the second one
    tills_open = np.maximum(tills_open, 1).astype(np.int64)
    frame = pd.DataFrame({
        "store_id": from_codes(store, STORE_IDS),
        "date": START + pd.to_timedelta(slot // 48, unit="D"),
        "week": week,
        "interval_start": labels[slot % 48],
        "arrivals": arrivals,
        "mean_service_seconds": service,
        "tills_open": tills_open,
    })
    short_sale = np.zeros(len(sale), dtype=bool)
    short_sale[shop] = (tills_open < s01_needed(frame))[where]
    return frame, short_sale


def surveys_table(rng, sale: Baskets, staff: pd.DataFrame, service: np.ndarray,
                  customers: pd.DataFrame, short: np.ndarray) -> pd.DataFrame:
    """Post-visit survey: about 4 % of loyalty members answer; too few tills open for S01 lowers the score.

    ``service`` is how customers rate the server of each sale (0 = typical).
    """
    pick = np.flatnonzero(sale.customer >= 0)
    pick = pick[rng.random(len(pick)) < 0.04]
    n = len(pick)
    store = sale.store[pick]
    gaps = np.array([np.mean(g) for g in SERVQUAL_GAPS.values()])[store]
    december = (START + pd.to_timedelta(sale.day[pick], unit="D")).month.to_numpy() == 12
    latent = 9.1 + 2.0 * gaps + 0.4 * service[pick] - 0.5 * december + rng.normal(0, 1.4, n)
    latent = latent - SHORT_TILL_CSAT * short[pick]
    latent = latent + np.array([CSAT_OFFSET.get(sid, 0.0) for sid in STORE_IDS])[store]
    nps = np.clip(np.round(latent), 0, 10).astype(int)
    csat = np.clip(np.round(1 + (latent + rng.normal(0, 0.9, n)) / 2.4), 1, 5)
    effort = np.clip(np.round(1 + (latent + rng.normal(0, 1.2, n)) / 1.6), 1, 7)
    band = np.where(nps >= 9, "good", np.where(nps >= 7, "mixed", "poor"))
    choice = rng.integers(0, 5, n)
    has_comment = rng.random(n) < 0.4
    names = np.append(staff["first_name"].to_numpy(dtype=object), "The team")
    comments = [SURVEY_COMMENTS, SURVEY_COMMENTS_ONLINE]
    comment = np.array([comments[int(st == ONLINE_STORE)][bd][c].format(name=names[s]) if keep else ""
                        for bd, c, s, st, keep in zip(band, choice, sale.staff[pick], store, has_comment,
                                                      strict=True)], dtype=object)
    untrained = (store == STORE_IDS.index(PRODUCT_TRAINING.store_id)) & (sale.week[pick] < PRODUCT_TRAINING.week)
    comment[untrained] = [PRODUCT_COMMENTS.get(c, c) for c in comment[untrained]]  # Swindon, before its training
    visit = START + pd.to_timedelta(sale.day[pick], unit="D")
    out = pd.DataFrame({
        "response_id": make_ids("V", np.arange(1, n + 1), 5),
        "transaction_id": sale.ids[pick],
        "customer_id": customers["customer_id"].to_numpy()[sale.customer[pick]],
        "store_id": from_codes(store, STORE_IDS),
        "visit_date": visit,
        "response_date": visit + pd.to_timedelta(rng.integers(0, 4, n), unit="D"),
        "nps": nps,
        "csat": np.where(rng.random(n) < 0.03, np.nan, csat),  # a few questions left blank
        "effort": np.where(rng.random(n) < 0.06, np.nan, effort),
        "comment": comment,
    })
    return out


def servqual_table(rng, sale: Baskets, customers: pd.DataFrame, scale: float) -> pd.DataFrame:
    """SERVQUAL survey: members who visited each store rate expectations and perceptions (1-7)."""
    per_store = max(10, int(round(30 * min(scale, 4))))
    frames = []
    for si, gaps in enumerate(SERVQUAL_GAPS.values()):
        visits = np.flatnonzero((sale.store == si) & (sale.customer >= 0))
        _, first = np.unique(sale.customer[visits], return_index=True)
        chosen = visits[np.sort(rng.choice(first, size=min(per_store, len(first)), replace=False))]
        n = len(chosen)
        e = np.clip(np.round(rng.normal(6.1, 0.7, (n, 22))), 1, 7)
        gap = np.array([gaps[d] for d in DIMENSION_OF_ITEM])
        p = np.clip(np.round(e + gap + rng.normal(0, 0.8, (n, 22))), 1, 7)
        w = rng.dirichlet(np.array([11, 32, 22, 19, 16]) * 1.5, size=n) * 100
        wi = np.floor(w).astype(int)
        wi[np.arange(n), np.argmax(w - wi, axis=1)] += 100 - wi.sum(axis=1)
        frame = pd.DataFrame(np.hstack([e, p, wi]).astype(int),
                             columns=[*[f"E_Q{i}" for i in range(1, 23)], *[f"P_Q{i}" for i in range(1, 23)],
                                      *[f"w_{d}" for d in DIMENSIONS]])
        later = sale.day[chosen] + rng.integers(1, 8, n)
        frame.insert(0, "date", START + pd.to_timedelta(later, unit="D"))
        frame.insert(0, "store_id", [STORE_IDS[si]] * n)
        frame.insert(0, "customer_id", customers["customer_id"].to_numpy()[sale.customer[chosen]])
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "response_id", make_ids("SQ", np.arange(1, len(out) + 1), 4))
    return out


def complaints_table(rng, sale: Baskets, staff: pd.DataFrame, customers: pd.DataFrame,
                     days: int) -> pd.DataFrame:
    """Complaints/CRM log: about 3 in every 1,000 sales, more in December and January and at the outlet."""
    month = (START + pd.to_timedelta(sale.day, unit="D")).month.to_numpy()
    outlet = [s.format for s in STORES].index("outlet")
    p = 0.003 * np.where(np.isin(month, [12, 1]), 1.6, 1.0) * np.where(sale.store == outlet, 1.5, 1.0)
    src = np.flatnonzero(rng.random(len(month)) < p)
    n = len(src)
    online = sale.store[src] == ONLINE_STORE
    category = np.empty(n, dtype=object)
    outcome = np.empty(n, dtype=object)
    for is_online in (False, True):
        rows = np.flatnonzero(online == is_online)
        allowed = [c for c in COMPLAINT_TYPES if c.where in ("both", "online" if is_online else "shop")]
        w = np.array([c.share for c in allowed])
        pick = rng.choice(len(allowed), size=len(rows), p=w / w.sum())
        category[rows] = np.array([c.category for c in allowed], dtype=object)[pick]
        for k, c in enumerate(allowed):
            these = rows[pick == k]
            outcome[these] = np.array(c.outcomes, dtype=object)[rng.integers(0, len(c.outcomes), len(these))]
    channel = np.where(online, rng.choice(["Email", "Web form", "Phone", "Social media"], n,
                                          p=[0.5, 0.25, 0.15, 0.10]),
                       rng.choice(["In store", "Email", "Phone", "Social media"], n, p=[0.6, 0.2, 0.1, 0.1]))
    in_store = channel == "In store"
    opened = sale.second[src] + np.where(in_store, rng.integers(60, 600, n), rng.integers(600, 172800, n))
    # A fault shows up days or weeks after the sale: 0-74 days, spread by the sale's number (no new draws,
    # so the tables after this one do not change)
    opened = opened + np.where(category == "Product fault", (src * 7919) % 75 * 86400, 0)
    busy = np.isin(month[src], [12, 1])
    fcr = np.where(in_store, rng.random(n) < 0.75, rng.random(n) < 0.3)
    ack = np.where(in_store, 0, np.round(rng.lognormal(np.log(7), 0.9, n) * np.where(busy, 1.8, 1) * 3600))
    acknowledged = opened + ack
    resolve = np.where(fcr, rng.integers(120, 1800, n),
                       np.round(rng.lognormal(np.log(2.2), 0.8, n) * np.where(busy, 1.5, 1.0) * 86400))
    closed = acknowledged + resolve
    value = sale.value[src]
    comp = np.where(outcome == "Voucher", rng.choice([5.0, 10.0, 15.0], n), 0.0)
    comp = np.where(outcome == "Refund", value, np.where(outcome == "Refund of delivery charge", 3.95, comp))
    team = staff.groupby("store_id", sort=False)["staff_id"].apply(lambda s: list(s)[:3]).to_dict()
    handled = [team[STORE_IDS[si]][k % len(team[STORE_IDS[si]])]
               for si, k in zip(sale.store[src].tolist(), rng.integers(0, 3, n).tolist(), strict=True)]

    def stamp(seconds):
        return START + pd.to_timedelta(seconds // 60 * 60, unit="s")

    out = pd.DataFrame({
        "store_id": from_codes(sale.store[src], STORE_IDS),
        "customer_id": np.append(customers["customer_id"].to_numpy(dtype=object), "")[sale.customer[src]],
        "transaction_id": np.where(rng.random(n) < 0.8, make_ids("T", src + 1, 7), ""),
        "channel": channel, "category": category,
        "opened_at": stamp(opened), "acknowledged_at": stamp(acknowledged),
        "closed_at": stamp(closed).where(closed < days * 86400),  # still open at the year end
        "first_contact_resolution": fcr, "outcome": outcome, "compensation_gbp": np.round(comp, 2),
        "handled_by": handled,
    })
    out = out.sort_values("opened_at", kind="stable").reset_index(drop=True)
    if len(out):  # one complaint logged twice by mistake
        dup = int(rng.integers(len(out)))
        out = pd.concat([out.iloc[: dup + 1], out.iloc[dup: dup + 1], out.iloc[dup + 1:]], ignore_index=True)
    out.insert(0, "complaint_id", make_ids("CP", np.arange(1, len(out) + 1), 4))
    return out


def trained(store: str, day: pd.Timestamp, quality: float) -> float:
    """A shop's quality for product knowledge: Swindon's is low, then high from ``PRODUCT_TRAINING``'s week."""
    a = PRODUCT_TRAINING
    if store != a.store_id:
        return quality
    return PRODUCT_QUALITY[day >= START + pd.Timedelta(weeks=a.week - 1)]


def mystery_shop_table(rng, weeks: int) -> pd.DataFrame:
    """A mystery shopper visits each shop once a month and records each service standard."""
    rows = []
    visit = 0
    end = START + pd.Timedelta(weeks=weeks)
    for month_start in pd.date_range(START.replace(day=1), end, freq="MS"):
        for store, q in MYSTERY_QUALITY.items():
            day = month_start + pd.Timedelta(days=int(rng.integers(0, 25)))
            if day < START or day >= end or day.strftime("%Y-%m-%d") in CLOSED_ALL:
                continue
            visit += 1
            at = f"{int(rng.integers(10, 16)):02d}:{int(rng.integers(0, 60)):02d}"
            busy = 1.4 if day.month == 12 else 1.0
            obs = {
                "S01": round(float(rng.gamma(2.0, 60 * busy * (1.4 - q)))),
                "S02": round(float(rng.gamma(2.0, 35 * busy * (1.5 - q)))),
                "S06": float(rng.random() < 0.45 + 0.5 * q),
                "S07": float(np.clip(np.round(rng.normal(2.4 + 2.4 * trained(store, day, q), 0.8)), 1, 5)),
                "S08": float(np.clip(np.round(rng.normal(2.8 + 2.0 * q, 0.7)), 1, 5)),
                "S09": float(rng.random() < 0.5 + 0.45 * q),
            }
            for sid, value in obs.items():
                note = ""
                if sid == "S01" and value > 180:
                    note = "Only one till open with a queue of customers."
                if sid == "S08" and value <= 2:
                    note = "Boxes left in the aisle; dusty shelves."
                rows.append([f"MS{visit:03d}", store, day, at, sid, float(value), note])
    return pd.DataFrame(rows, columns=list(SCHEMA["mystery_shop"]))


def s01_needed(till_queue: pd.DataFrame) -> np.ndarray:
    """The fewest tills for S01 in each half hour (90 % within 180 s), by the model the learners use."""
    from retailkit.staffing import servers_required

    return np.asarray(servers_required(arrivals=till_queue["arrivals"],
                                       handle_time=till_queue["mean_service_seconds"],
                                       target_wait=180, target_service_level=0.9, period=1800))


def peak_staffed(till_queue: pd.DataFrame) -> pd.Series:
    """Whether each peak half hour (``PEAK_SLOTS``) had at least the tills open that S01 needs."""
    peak = till_queue[till_queue["interval_start"].isin(PEAK_SLOTS)]
    return peak["tills_open"] >= s01_needed(peak)


def review_log_table(till_queue: pd.DataFrame, mystery_shop: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """The shops' review log: each action's finding, the action, then the checks after it, by date.

    Bristol (``SECOND_TILL``) checks every Monday from ``till_queue``; Swindon (``PRODUCT_TRAINING``) notes
    each mystery shop's product knowledge score after the training.
    """
    rows = []
    monday = [START + pd.Timedelta(weeks=w - 1) for w in range(1, weeks + 2)]

    def started(a):  # the finding and the action, on the Monday the action started
        return [(monday[a.week - 1], a.store_id, a.standard_id, kind, note, "", np.nan)
                for kind, note in (("finding", a.found), ("action", a.action))]

    if weeks >= SECOND_TILL.week:  # a short year (the small test set) ends before the actions
        a = SECOND_TILL
        rows += started(a)
        shop = till_queue[till_queue["store_id"] == a.store_id]
        met = peak_staffed(shop)
        week = shop.loc[met.index, "week"]
        for w in range(a.week, min(a.week + a.checks, weeks + 1)):
            this = met[week == w]
            rows.append((monday[w], a.store_id, a.standard_id, "check",
                         f"Week {w}: {this.sum()} of {len(this)} half hours from 10:00 to 15:00 had enough tills "
                         "open for S01.", "share of peak half hours (10:00 to 15:00) with enough tills open for S01",
                         round(float(this.mean()), 3)))
    if weeks >= PRODUCT_TRAINING.week:
        a = PRODUCT_TRAINING
        rows += started(a)
        after = mystery_shop[(mystery_shop["store_id"] == a.store_id) & (mystery_shop["standard_id"] == a.standard_id)
                             & (mystery_shop["visit_date"] >= monday[a.week - 1])]
        for visit in after.itertuples():
            rows.append((visit.visit_date, a.store_id, a.standard_id, "check",
                         f"Mystery shop {visit.visit_date:%d %B}: product knowledge scored "
                         f"{visit.observed:.0f} out of 5.",
                         "mystery shop product knowledge score (1 to 5)", float(visit.observed)))
    out = pd.DataFrame(rows, columns=["date", "store_id", "standard_id", "kind", "note", "measure", "value"])
    out = out.sort_values("date", kind="stable").reset_index(drop=True)
    out.insert(0, "entry_id", make_ids("RL", np.arange(1, len(out) + 1), 3))
    out["recorded_by"] = "Store manager"
    return out[list(SCHEMA["review_log"])]


def risks_table(rng) -> pd.DataFrame:
    """Each shop's risk register before Christmas: scores vary by a point; one scored risk has no plan."""
    rows = []
    for store in (s for s in STORES if not s.online):
        likely = np.clip(np.array([r[1] for r in RISKS]) + rng.integers(-1, 2, len(RISKS)), 1, 5)
        impact = np.clip(np.array([r[2] for r in RISKS]) + rng.integers(-1, 2, len(RISKS)), 2, 5)
        scored = np.flatnonzero(likely * impact >= 5)
        gap = int(rng.choice(scored)) if len(scored) else -1
        for k, (risk, _, _, plan) in enumerate(RISKS):
            rows.append([store.store_id, risk, int(likely[k]), int(impact[k]), "" if k == gap else plan,
                         store.team.managers[0]])
    out = pd.DataFrame(rows, columns=["store_id", "risk", "likelihood", "impact", "contingency", "owner"])
    out.insert(0, "risk_id", make_ids("R", np.arange(1, len(out) + 1), 2))
    return out


def team_feedback_table(rng, staff: pd.DataFrame, rota: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """What staff raise at each shop's Thursday team briefing, and how many colleagues agreed.

    Items are raised by staff who worked that week. Bristol raises queues more in December, when its
    tills are short; Swindon raises product knowledge far less once its training started.
    """
    topics = list(TEAM_TOPICS)
    worked = rota[rota["worked_hours"] > 0]
    rows = []
    for week in range(1, weeks + 1):
        thursday = START + pd.Timedelta(weeks=week - 1, days=3)
        if thursday.strftime("%Y-%m-%d") in CLOSED_ALL:  # Christmas Day: the briefing is the day before
            thursday -= pd.Timedelta(days=1)
        for store in STORES:
            present = worked.loc[(worked["store_id"] == store.store_id) & (worked["week"] == week), "staff_id"]
            n = min(int(rng.poisson(1.2)), len(present))
            weight = np.array(TEAM_TOPIC_WEIGHTS[store.store_id], dtype=float)
            if store.store_id == SECOND_TILL.store_id and thursday.month == 12:
                weight[topics.index("Queues at the tills")] *= 3
            if store.store_id == PRODUCT_TRAINING.store_id and week >= PRODUCT_TRAINING.week:
                weight[topics.index("Product knowledge")] /= 20
            for _ in range(n):
                topic = topics[int(rng.choice(len(topics), p=weight / weight.sum()))]
                note = TEAM_TOPICS[topic][int(rng.integers(len(TEAM_TOPICS[topic])))]
                rows.append([store.store_id, thursday, week, str(rng.choice(present.to_numpy())), topic, note,
                             int(rng.integers(0, len(present)))])
    out = pd.DataFrame(rows, columns=["store_id", "date", "week", "raised_by", "topic", "note", "agreed"])
    out.insert(0, "item_id", make_ids("TF", np.arange(1, len(out) + 1), 4))
    return out


def unhappy_moments(surveys: pd.DataFrame, complaints: pd.DataFrame) -> pd.DataFrame:
    """Every unhappy moment of a loyalty member: a survey with a low score, or a complaint with a customer id.

    One row per moment, with ``customer_id``, ``store_id``, ``trigger``, ``trigger_date`` (the day), the
    ``base`` nps for the survey 8 weeks later (the survey's own nps; ``COMPLAINT_NPS`` for a complaint)
    and ``rank`` (0 for a complaint, so it is preferred on the same day; surveys in their table's order).
    """
    low = (surveys["csat"] <= UNHAPPY_CSAT).fillna(False).to_numpy(dtype=bool) | (
        surveys["nps"] <= UNHAPPY_NPS).fillna(False).to_numpy(dtype=bool)
    said = surveys[low]
    member = complaints["customer_id"].fillna("").astype(str).str.strip() != ""
    made = complaints[member.to_numpy()]
    return pd.concat([
        pd.DataFrame({"customer_id": made["customer_id"].astype(str).to_numpy(),
                      "store_id": made["store_id"].astype(str).to_numpy(), "trigger": "Complaint",
                      "trigger_date": made["opened_at"].dt.normalize().to_numpy(), "base": COMPLAINT_NPS,
                      "rank": 0}),
        pd.DataFrame({"customer_id": said["customer_id"].astype(str).to_numpy(),
                      "store_id": said["store_id"].astype(str).to_numpy(), "trigger": "Survey",
                      "trigger_date": said["response_date"].dt.normalize().to_numpy(),
                      "base": said["nps"].to_numpy(dtype=np.int64), "rank": 1 + np.arange(len(said))}),
    ], ignore_index=True)


def follow_ups_table(rng, surveys: pd.DataFrame, complaints: pd.DataFrame, transactions: pd.DataFrame,
                     weeks: int) -> pd.DataFrame:
    """Head office's service-recovery trial: unhappy members, half followed up personally, and what happened.

    The CRM team's trial ran from Monday 7 April 2025 (week 14) to Sunday 2 November 2025 (week 43). Every
    loyalty member with an unhappy moment in those weeks went into it once, at their first such moment: a
    survey answer with csat <= 3 or nps <= 6 (trigger "Survey", on the survey's response date) or a
    complaint with a customer id (trigger "Complaint", on the day it was opened); a complaint and a
    survey on the same first day make one row, the complaint. About half, at random, got a personal
    follow-up within two days (group "Follow-up": a phone call from the shop, a handwritten card or a
    personal email, about 40/30/30); the rest got the standard service (group "Standard": the normal
    survey thank-you or complaint reply, at no extra cost). ``visits_8_weeks`` counts the member's sale
    receipts (any shop or online) on the 8 weeks after the moment's day, by ``retailkit.visits_after``;
    ``nps_after`` is their answer to a short survey 8 weeks later (about 60 % answered).

    How the effect is made, honestly: the visits are the members' own visits in ``transactions``, made
    earlier in the generator and left unchanged, so the group is drawn *after* the outcome: a member who came back
    within 8 weeks is in the follow-up group with probability ``FOLLOW_UP_IF_BACK`` (0.6), one who did not
    with ``FOLLOW_UP_IF_NOT_BACK`` (0.2). The table then shows the same joint pattern of group and outcome
    as a randomised trial in which the follow-up raises the share who come back; nothing else in the data
    (the members' visits, their spending) depends on the group. ``nps_after`` starts from the trigger
    survey's nps (``COMPLAINT_NPS`` for a complaint) and changes by ``round(normal(mean, sd))`` with the
    group's ``NPS_CHANGE``, kept within 0 to 10.

    With fewer than 14 weeks of data the table is empty. With fewer than 43 the trial ends with the data,
    and only moments with their whole 8 weeks inside the data are kept (``trigger_date + 56`` days on or
    before the last day). The draws come after every other table's, so no other table changes.
    """
    names = list(SCHEMA["follow_ups"])
    first_week, last_week = FOLLOW_UP_WEEKS
    if weeks < first_week:
        return pd.DataFrame(columns=names)
    start = START + pd.Timedelta(weeks=first_week - 1)
    last_day = START + pd.Timedelta(days=weeks * 7 - 1)
    end = min(START + pd.Timedelta(weeks=last_week, days=-1), last_day - pd.Timedelta(days=FOLLOW_UP_DAYS))
    moments = unhappy_moments(surveys, complaints)
    moments = moments[moments["trigger_date"].between(start, end)]
    moments = moments.sort_values(["customer_id", "trigger_date", "rank"], kind="stable")
    out = moments.drop_duplicates("customer_id").sort_values(["trigger_date", "customer_id"], kind="stable")
    out = out.reset_index(drop=True)
    n = len(out)
    sale = transactions[_new_sales(transactions)]
    sale = sale[sale["customer_id"].fillna("").astype(str) != ""]
    visits = visits_after(out, sale, days=FOLLOW_UP_DAYS, customer="customer_id", date="trigger_date",
                          when="datetime").to_numpy()
    follow = rng.random(n) < np.where(visits >= 1, FOLLOW_UP_IF_BACK, FOLLOW_UP_IF_NOT_BACK)
    how = rng.choice(len(FOLLOW_UPS), size=n, p=[r.share for r in FOLLOW_UPS])
    group = np.where(follow, "Follow-up", "Standard")
    mean, sd = (np.array([NPS_CHANGE[g][k] for g in group], dtype=float) for k in (0, 1))
    change = np.round(rng.normal(mean, sd))
    nps_after = np.clip(out["base"].to_numpy(dtype=float) + change, 0, 10)
    answered = rng.random(n) < NPS_AFTER_ANSWERED
    action = np.where(follow, np.array([r.action for r in FOLLOW_UPS], dtype=object)[how], STANDARD_REPLY.action)
    cost = np.where(follow, np.array([r.cost_gbp for r in FOLLOW_UPS])[how], STANDARD_REPLY.cost_gbp)
    out = out.assign(group=group, action=action, cost_gbp=np.round(cost, 2), visits_8_weeks=visits,
                     nps_after=pd.array(np.where(answered, nps_after, np.nan), dtype="Int64"))
    out.insert(0, "follow_up_id", make_ids("F", np.arange(1, n + 1), 4))
    return out[names]
