"""Who is on the shop floor when: daily shifts planned from the weekly rota.

Every open half hour has someone to serve. A step of :func:`retailkit.datasets.generator.generate`. It
draws no random numbers: the shifts follow from the rota (hours worked each week) and the shops' opening
hours. Each person's weekly hours are spread over the week's trading days in shifts of up to 8 hours or
so, early (from opening) or late (to closing) in turn. The first senior person working that week (the
store manager, else the assistant manager or supervisor) then covers every half hour nobody else covers;
when that takes more than their rostered hours, the extra is overtime and is added to their rota.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from retailkit.datasets.constants import START, STORES

SLOTS = 48  # half hours in a day


def _open_slots(store, days: int) -> np.ndarray:
    """[day, slot]: whether the shop is open in that half hour."""
    out = np.zeros((days, SLOTS), dtype=bool)
    for d in range(days):
        hours = store.hours_on(START + pd.Timedelta(days=d))
        out[d, hours.opens * 2:hours.closes * 2] = True
    return out


def _spread(hours: float, days: list[int], room: np.ndarray) -> dict[int, int]:
    """Half hours a day for ``hours`` over ``days`` (then any other day with room), at most ``room[day]``."""
    slots = int(round(hours * 2))
    share = {d: 0 for d in days}
    for j in range(slots):
        share[days[j % len(days)]] += 1
    left = 0
    for d in days:
        over = share[d] - int(room[d])
        if over > 0:
            share[d] -= over
            left += over
    for d in [*days, *range(len(room))]:
        add = min(left, int(room[d]) - share.get(d, 0))
        if add > 0:
            share[d] = share.get(d, 0) + add
            left -= add
    return share


def plan_shifts(staff: pd.DataFrame, rota: pd.DataFrame, weeks: int) -> tuple[np.ndarray, pd.DataFrame]:
    """Plan every shop worker's shifts; give the cover array [staff, day, slot] and the rota with overtime."""
    days = weeks * 7
    worked = rota["worked_hours"].to_numpy().reshape(len(staff), weeks)
    extra = np.zeros_like(worked)
    cover = np.zeros((len(staff), days, SLOTS), dtype=bool)
    store_of = staff["store_id"].to_numpy()
    for store in (s for s in STORES if not s.online):
        is_open = _open_slots(store, days)
        team = np.flatnonzero(store_of == store.store_id)  # managers first, then supervisors, assistants
        for w in range(weeks):
            week_days = list(range(w * 7, w * 7 + 7))
            open_days = [d for d in week_days if is_open[d].any()]
            if not open_days:
                continue
            room = np.where(np.isin(np.arange(days), open_days), is_open.sum(axis=1), 0)  # half hours open
            here = [m for m in team if worked[m, w] > 0]
            filler = here[0] if here else team[0]
            for i, m in enumerate(here):
                if m == filler:
                    continue
                n = len(open_days)
                k = min(n, max(1, math.ceil(worked[m, w] / 8)))
                offset = (i * 3 + w) % n
                chosen = sorted({open_days[(offset + (j * n) // k) % n] for j in range(k)})
                for d, half_hours in _spread(worked[m, w], chosen, room).items():
                    if half_hours <= 0:
                        continue
                    slots = np.flatnonzero(is_open[d])
                    early = (i + d) % 2 == 0
                    pick = slots[:half_hours] if early else slots[-half_hours:]
                    cover[m, d, pick] = True
            # the filler covers every open half hour nobody covers, in one block a day, then any hours left
            for d in open_days:
                gap = np.flatnonzero(is_open[d] & ~cover[team][:, d].any(axis=0))
                if len(gap):
                    cover[filler, d, gap[0]:gap[-1] + 1] = True
            need = cover[filler, week_days[0]:week_days[-1] + 1].sum() / 2
            left = int(round((worked[filler, w] - need) * 2))
            for d in sorted(open_days, key=lambda d: -is_open[d].sum()):  # longest days first
                while left > 0:
                    mine = np.flatnonzero(cover[filler, d])
                    slots = np.flatnonzero(is_open[d])
                    if len(mine) == 0:
                        cover[filler, d, slots[0]] = True  # start an early shift
                    elif mine[-1] < slots[-1]:
                        cover[filler, d, mine[-1] + 1] = True  # stay later
                    elif mine[0] > slots[0]:
                        cover[filler, d, mine[0] - 1] = True  # come in earlier
                    else:
                        break  # the whole day is covered
                    left -= 1
            if left < 0:
                extra[filler, w] = -left / 2
    out = rota.copy()
    out["rostered_hours"] = out["rostered_hours"] + extra.ravel()
    out["worked_hours"] = out["worked_hours"] + extra.ravel()
    return cover, out


def shifts_table(staff: pd.DataFrame, cover: np.ndarray) -> pd.DataFrame:
    """One row per person and day on the shop floor: the shift's start and end, and its hours."""
    m, d = np.nonzero(cover.any(axis=2))
    first = cover[m, d].argmax(axis=1)
    last = SLOTS - cover[m, d][:, ::-1].argmax(axis=1)

    def clock(slot):
        return [f"{s // 2:02d}:{s % 2 * 30:02d}" for s in slot]

    out = pd.DataFrame({
        "staff_id": staff["staff_id"].to_numpy()[m],
        "store_id": staff["store_id"].to_numpy()[m],
        "date": START + pd.to_timedelta(d, unit="D"),
        "week": d // 7 + 1,
        "start": clock(first),
        "end": clock(last),
        "hours": (last - first) / 2,
    })
    return out.sort_values(["store_id", "date", "start", "staff_id"], kind="stable").reset_index(drop=True)
