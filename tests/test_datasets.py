"""The case-study data: determinism, consistency across tables, realism, and load()'s checks."""

import gzip
import shutil

import numpy as np
import pandas as pd
import pytest

import retailkit as rk
from retailkit import datasets


@pytest.fixture(scope="module")
def canon():
    """The canonical tables as a learner loads them from datasets/."""
    return {name: datasets.load(name) for name in datasets.TABLES}


def _read(path):
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


# --- determinism ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("folder", "settings"), [
    ("", {"seed": datasets.CANONICAL_SEED}),
    ("small", datasets.SMALL),
])
def test_shipped_files_are_exactly_what_the_generator_makes(tmp_path, folder, settings):
    """Regenerating from the seed gives byte-identical CSVs (gzip content for transactions)."""
    written = datasets.write(datasets.generate(**settings), tmp_path)
    shipped = datasets.data_folder() / folder
    for path in written:
        assert _read(path) == _read(shipped / path.name), f"{folder}/{path.name} differs: run `make data`"


def test_same_seed_same_tables_other_seed_other_tables():
    a, b = datasets.generate(seed=11, scale=0.05, weeks=4), datasets.generate(seed=11, scale=0.05, weeks=4)
    for name in datasets.TABLES:
        pd.testing.assert_frame_equal(a[name], b[name])
    c = datasets.generate(seed=12, scale=0.05, weeks=4)
    assert not c["transactions"]["sales_ex_vat"].equals(a["transactions"]["sales_ex_vat"])


def test_generated_tables_round_trip_through_files(tmp_path):
    tables = datasets.generate(**datasets.SMALL)
    for name in datasets.TABLES:
        again = datasets.load(name, "small")
        pd.testing.assert_frame_equal(tables[name], again, check_dtype=False, check_exact=False, rtol=1e-12,
                                      obj=name)


def test_whole_number_variant_is_generated_from_that_seed():
    mine = datasets.load("stock", variant=123)
    assert mine.equals(datasets.generate(seed=123)["stock"])
    assert not mine.equals(datasets.load("stock"))


# --- consistency across tables ---------------------------------------------------------------------
def test_transactions_add_up_to_the_stock_tables_units_sold(canon):
    tx, stock = canon["transactions"], canon["stock"]
    keys = ["store_id", "category", "week"]
    sums = tx.groupby(keys, observed=True)[["units", "cost", "sales_ex_vat"]].sum()
    stock = stock.set_index(keys)
    sums = sums.reindex(stock.index, fill_value=0)
    assert (sums["units"] == stock["sold_units"]).all()
    np.testing.assert_allclose(sums["cost"], stock["cost_of_sales"], atol=0.006)
    np.testing.assert_allclose(sums["sales_ex_vat"], stock["sales_ex_vat"], atol=0.006)


def test_stock_moves_add_up(canon):
    s = canon["stock"].sort_values(["store_id", "category", "week"])
    assert (s["closing_book_units"] == s["opening_units"] + s["received_units"] - s["sold_units"]).all()
    nxt = s.groupby(["store_id", "category"], observed=True)["opening_units"].shift(-1)
    carried = s["counted_units"].fillna(s["closing_book_units"]).astype(int)
    ok = nxt.isna() | (nxt == carried)
    assert ok.all(), "next week opens on the book stock, or on the count after a stocktake"
    counts = s.dropna(subset=["counted_units"])
    assert set(counts["week"]) == {13, 26, 39, 52}
    assert (counts["counted_units"] <= counts["closing_book_units"]).all(), "losses are never gains"
    assert (counts["counted_units"] < counts["closing_book_units"]).mean() > 0.8, "some shrinkage is found"
    assert (s["opening_units"] >= 0).all() and (s["closing_book_units"] >= 0).all()


def test_footfall_is_never_below_sales_in_any_store_hour(canon):
    tx, ff = canon["transactions"], canon["footfall"]
    sales = tx[(tx["line_no"] == 1) & (tx["type"] == "sale")]
    per_hour = sales.groupby([sales["store_id"], sales["datetime"].dt.normalize().rename("date"),
                              sales["datetime"].dt.hour.rename("hour")], observed=True).size()
    merged = per_hour.rename("sales").reset_index().merge(ff, on=["store_id", "date", "hour"], how="left")
    assert merged["footfall"].notna().all(), "every sale happens in a counted, open hour"
    assert (merged["footfall"] >= merged["sales"]).all()


def test_till_arrivals_are_the_in_store_sales(canon):
    tx, queue = canon["transactions"], canon["till_queue"]
    sales = tx[(tx["line_no"] == 1) & (tx["type"] == "sale") & (tx["store_id"] != "HHWEB")]
    slot = sales["datetime"].dt.floor("30min")
    counted = sales.groupby([sales["store_id"], slot], observed=True).size()
    q = queue.assign(at=queue["date"] + pd.to_timedelta(queue["interval_start"] + ":00"))
    q = q.set_index(["store_id", "at"])["arrivals"]
    assert q.sum() == counted.sum()
    assert (counted.to_numpy() == q.loc[counted.index].to_numpy()).all()
    assert (queue["tills_open"] <= queue["store_id"].map(canon["stores"].set_index("store_id")["tills"])
            .astype(int)).all()


def test_the_review_log_checks_are_worked_out_from_the_till_queue(canon):
    """Each weekly check equals the share recomputed from till_queue, and the action shows in the data."""
    log, queue = canon["review_log"], canon["till_queue"]
    assert log["date"].is_monotonic_increasing
    log = log[log["store_id"] == "HH01"]
    assert log["kind"].astype(str).tolist() == ["finding", "action", "check", "check"]
    bristol = queue[(queue["store_id"] == "HH01")
                    & queue["interval_start"].isin([f"{h:02d}:{m}" for h in range(10, 15) for m in ("00", "30")])]
    needed = rk.servers_required(arrivals=bristol["arrivals"], handle_time=bristol["mean_service_seconds"],
                                 target_wait=180, target_service_level=0.9, period=1800)
    met = (bristol["tills_open"] >= needed).groupby(bristol["week"]).mean()
    for _, check in log[log["kind"] == "check"].iterrows():
        week = int(check["note"].split()[1].rstrip(":"))
        assert check["date"] == pd.Timestamp("2025-01-06") + pd.Timedelta(weeks=week)  # the Monday after
        assert check["value"] == round(met[week], 3)
    assert met[51:].mean() > met[49:50].mean() + 0.1  # the second till made a difference
    before = bristol[bristol["week"] < 51]
    assert (before["tills_open"] == 1).mean() > 0.5  # and before it, one till was the rule at the peak


def test_swindons_training_shows_in_the_mystery_shops_and_the_log_quotes_them(canon):
    log, shops = canon["review_log"], canon["mystery_shop"]
    s07 = shops[(shops["store_id"] == "HH04") & (shops["standard_id"] == "S07")].set_index("visit_date")["observed"]
    started = pd.Timestamp("2025-07-07")
    assert (s07[s07.index >= started] >= 4).mean() > (s07[s07.index < started] >= 4).mean() + 0.3
    checks = log[(log["store_id"] == "HH04") & (log["kind"] == "check")].set_index("date")["value"]
    assert checks.to_dict() == s07[s07.index >= started].to_dict()  # one check per visit since, its score
    action = log[(log["store_id"] == "HH04") & (log["kind"] == "action")]
    assert action["date"].tolist() == [started]


def test_the_trained_staff_sell_more_items_and_please_more_customers_after_the_training(canon):
    sales = canon["transactions"][canon["transactions"]["type"] == "sale"]
    staff = canon["staff"].set_index("staff_id")
    trained = staff.index[(staff["store_id"] == "HH04") & staff["role"].isin(["Sales assistant", "Supervisor"])]
    sales = sales.assign(after=sales["week"] >= 27, trained=sales["staff_id"].isin(trained))
    upt = sales.groupby(["store_id", "trained", "after"], observed=True).apply(
        lambda g: g["units"].sum() / (g["line_no"] == 1).sum(), include_groups=False)
    assert upt["HH04", True, True] > upt["HH04", True, False] * 1.06  # link-selling: 12 % more expected
    assert abs(upt["HH04", False, True] / upt["HH04", False, False] - 1) < 0.06  # the manager was not trained
    assert abs(upt["HH03", False, True] / upt["HH03", False, False] - 1) < 0.04  # nor anyone at York
    surveys = canon["surveys"].merge(sales[sales["line_no"] == 1][["transaction_id", "staff_id", "after"]])
    mine = surveys[surveys["staff_id"].isin(trained)].dropna(subset=["nps"])
    assert mine[mine["after"]]["nps"].mean() > mine[~mine["after"]]["nps"].mean()


def test_only_swindons_customers_before_the_training_write_about_product_knowledge(canon):
    surveys = canon["surveys"].merge(canon["transactions"][["transaction_id", "week"]].drop_duplicates())
    about = surveys["comment"].str.contains("product|new range")
    assert about.sum() >= 3
    assert (surveys.loc[about, "store_id"] == "HH04").all() and (surveys.loc[about, "week"] < 27).all()


def test_website_comments_are_about_ordering_not_a_shop(canon):
    surveys = canon["surveys"]
    web = surveys.loc[(surveys["store_id"] == "HHWEB") & (surveys["comment"] != ""), "comment"]
    shop = surveys.loc[(surveys["store_id"] != "HHWEB") & (surveys["comment"] != ""), "comment"]
    assert len(web) > 20 and not web.str.contains("till|shop was|chatting", case=False).any()
    assert shop.str.contains("till", case=False).any()


def test_shifts_add_up_to_the_rota_and_every_sale_is_served_by_someone_on_shift(canon):
    shifts, rota, tx, stores = canon["shifts"], canon["rota"], canon["transactions"], canon["stores"]
    hours = shifts.groupby(["staff_id", "week"])["hours"].sum()
    shop_rota = rota[rota["store_id"] != "HHWEB"].set_index(["staff_id", "week"])["worked_hours"]
    assert (hours.reindex(shop_rota.index).fillna(0) == shop_rota).all()  # the rota's hours, shift by shift
    first = tx[(tx["line_no"] == 1) & (tx["store_id"] != "HHWEB")]
    on = first.merge(shifts, left_on=["staff_id", first["datetime"].dt.normalize()],
                     right_on=["staff_id", "date"], how="left")
    clock = on["datetime"].dt.strftime("%H:%M")
    assert ((clock >= on["start"]) & (clock < on["end"])).all()  # sales and refunds, all inside a shift
    hours_of = stores.set_index("store_id")
    opens = shifts["store_id"].map(hours_of["opens"]).astype(str)
    closes = shifts["store_id"].map(hours_of["closes"]).astype(str)
    sunday = shifts["date"].dt.day_of_week == 6
    opens = opens.where(~sunday, shifts["store_id"].map(hours_of["sunday_opens"]).astype(str))
    closes = closes.where(~sunday, shifts["store_id"].map(hours_of["sunday_closes"]).astype(str))
    assert (shifts["start"] >= opens).all() and (shifts["end"] <= closes).all()


def test_shift_weeks_counts_the_footfall_and_sales_inside_each_persons_shifts(canon):
    shifts, footfall, tx = canon["shifts"], canon["footfall"], canon["transactions"]
    weeks = datasets.shift_weeks(shifts, footfall, tx)
    assert (weeks.set_index(["staff_id", "week"])["hours"]
            == shifts.groupby(["staff_id", "week"])["hours"].sum()).all()
    shop_week = datasets.store_weeks(footfall, canon["rota"]).set_index(["store_id", "week"])["footfall"]
    receipts = tx[(tx["line_no"] == 1) & (tx["type"] == "sale")]
    sales_week = receipts.groupby(["store_id", "week"], observed=True).size()
    key = pd.MultiIndex.from_frame(weeks[["store_id", "week"]].astype({"store_id": str}))
    assert (weeks["footfall"].to_numpy() <= shop_week.reindex(key).to_numpy() + 1e-9).all()
    assert (weeks["shop_transactions"].to_numpy() <= sales_week.reindex(key).to_numpy()).all()
    # The senior who covers every gap is on for whole days: by hand, one of their days.
    day = shifts[(shifts["start"] == "09:00") & (shifts["end"] == "17:00") & (shifts["store_id"] == "HH03")].iloc[0]
    one = datasets.shift_weeks(day.to_frame().T.astype({"hours": float, "week": int}), footfall, tx)
    inside = footfall[(footfall["store_id"] == "HH03") & (footfall["date"] == day["date"])
                      & footfall["hour"].between(9, 16)]["footfall"].sum()
    sold = receipts[(receipts["store_id"] == "HH03") & (receipts["datetime"].dt.normalize() == day["date"])
                    & receipts["datetime"].dt.hour.between(9, 16)]
    assert one["footfall"].item() == inside and one["shop_transactions"].item() == len(sold)
    with pytest.raises(ValueError, match="shifts has no column 'start'"):
        datasets.shift_weeks(shifts.drop(columns="start"), footfall, tx)


def test_every_open_half_hour_has_someone_on_the_shop_floor(canon):
    shifts = canon["shifts"]
    queue = canon["till_queue"]  # a half hour with customers paying
    on = shifts.merge(queue[["store_id", "date", "interval_start"]], on=["store_id", "date"])
    covered = on[(on["interval_start"] >= on["start"]) & (on["interval_start"] < on["end"])]
    assert len(covered.drop_duplicates(["store_id", "date", "interval_start"])) == len(queue)


def test_team_feedback_comes_from_staff_who_worked_and_follows_the_shops_problems(canon):
    items, rota, staff = canon["team_feedback"], canon["rota"], canon["staff"]
    worked = set(zip(rota.loc[rota["worked_hours"] > 0, "staff_id"], rota.loc[rota["worked_hours"] > 0, "week"],
                     strict=True))
    assert all((who, week) in worked for who, week in zip(items["raised_by"], items["week"], strict=True))
    home = staff.set_index("staff_id")["store_id"].astype(str)
    assert (items["raised_by"].map(home) == items["store_id"].astype(str)).all()
    team = staff.groupby("store_id", observed=True).size()
    assert (items["agreed"] < items["store_id"].map(team).astype(int)).all()
    assert (items["date"].dt.strftime("%Y-%m-%d") != "2025-12-25").all()
    top = items.groupby("store_id", observed=True)["topic"].agg(lambda t: t.value_counts().index[0])
    assert top["HH01"] == "Queues at the tills" and top["HH02"] == "Stock availability"
    swindon = items[items["store_id"] == "HH04"]
    knowledge = swindon["topic"] == "Product knowledge"
    assert knowledge[swindon["week"] < 27].mean() > 2 * knowledge[swindon["week"] >= 27].mean()


TRIAL = (pd.Timestamp("2025-04-07"), pd.Timestamp("2025-11-02"))  # the follow-up trial: weeks 14 to 43


def unhappy(surveys, complaints):
    """Each member's unhappy moments in the trial weeks: (customer, store, trigger, day)."""
    low = surveys[(surveys["csat"] <= 3).fillna(False) | (surveys["nps"] <= 6)]
    moments = [(c, str(s), "Survey", d) for c, s, d in zip(low["customer_id"], low["store_id"], low["response_date"],
                                                             strict=True)]
    named = complaints[complaints["customer_id"] != ""]
    moments += [(c, str(s), "Complaint", d.normalize())
                for c, s, d in zip(named["customer_id"], named["store_id"], named["opened_at"], strict=True)]
    return [m for m in moments if TRIAL[0] <= m[3] <= TRIAL[1]]


def test_follow_ups_start_at_each_members_first_unhappy_moment(canon):
    trial, customers = canon["follow_ups"], canon["customers"]
    assert len(trial) > 100 and trial["customer_id"].is_unique
    assert trial["customer_id"].isin(customers["customer_id"]).all()
    assert trial["follow_up_id"].tolist() == [f"F{i:04d}" for i in range(1, len(trial) + 1)]
    order = trial.sort_values(["trigger_date", "customer_id"], kind="stable")
    assert (order.index == trial.index).all(), "ids run in trigger_date order, then customer_id"
    assert trial["trigger_date"].between(*TRIAL).all()
    moments = unhappy(canon["surveys"], canon["complaints"])
    assert set(trial["customer_id"]) == {m[0] for m in moments}, "every unhappy member, and only them"
    first = {}
    for who, _, _, day in moments:
        first[who] = min(day, first.get(who, day))
    for row in trial.itertuples():
        assert row.trigger_date == first[row.customer_id]
        assert (row.customer_id, str(row.store_id), row.trigger, row.trigger_date) in moments
        if row.trigger == "Survey":  # a complaint on the same day would have been preferred
            assert (row.customer_id, row.trigger_date) not in {(m[0], m[3]) for m in moments if m[2] == "Complaint"}
    assert set(trial["trigger"]) == {"Survey", "Complaint"} and set(trial["group"]) == {"Follow-up", "Standard"}


def test_follow_ups_costs_visits_and_answers_are_as_the_dictionary_says(canon):
    trial, tx = canon["follow_ups"], canon["transactions"]
    standard, follow = trial[trial["group"] == "Standard"], trial[trial["group"] == "Follow-up"]
    assert (standard["cost_gbp"] == 0).all() and (standard["action"] == "Standard reply").all()
    costs = {"Phone call from the shop": 2.50, "Handwritten card": 1.80, "Personal email": 0.60}
    assert (follow["cost_gbp"] > 0).all() and (follow["cost_gbp"] == follow["action"].map(costs)).all()
    assert set(follow["action"]) == set(costs)
    receipts = tx[(tx["line_no"] == 1) & (tx["type"] == "sale") & (tx["customer_id"] != "")]
    days = {}
    for who, when in zip(receipts["customer_id"], receipts["datetime"].dt.normalize(), strict=True):
        days.setdefault(who, []).append(when)
    for row in trial.itertuples():
        later = [d for d in days.get(row.customer_id, []) if 1 <= (d - row.trigger_date).days <= 56]
        assert row.visits_8_weeks == len(later), row.follow_up_id
    answered = trial["nps_after"].dropna()
    assert answered.between(0, 10).all() and 0.4 < len(answered) / len(trial) < 0.8
    assert str(trial["nps_after"].dtype) == "Int64"


def test_a_complaint_and_a_survey_on_the_same_first_day_make_one_row_the_complaint():
    from retailkit.datasets.feedback import follow_ups_table

    day = pd.Timestamp("2025-05-01")
    surveys = pd.DataFrame({"customer_id": ["A", "B", "B", "C"], "store_id": ["HH01", "HH02", "HH03", "HH01"],
                            "response_date": [day, day + pd.Timedelta(days=3), day, day],
                            "nps": [3, 2, 9, 10], "csat": [np.nan, 2.0, 5.0, 1.0]})
    complaints = pd.DataFrame({"customer_id": ["A", "", "D"], "store_id": ["HHWEB", "HH01", "HH04"],
                               "opened_at": [day + pd.Timedelta(hours=15), day, pd.Timestamp("2025-03-01 10:00")]})
    receipts = pd.DataFrame({"line_no": [1, 2, 1, 1], "type": ["sale", "sale", "refund", "sale"],
                             "customer_id": ["A", "A", "A", "A"],
                             "datetime": [day + pd.Timedelta(days=d, hours=12) for d in (0, 2, 3, 5)]})
    got = follow_ups_table(np.random.default_rng(0), surveys, complaints, receipts, weeks=52)
    # A: complaint preferred; B: the happy survey of 1 May is no moment, the unhappy one of 4 May is;
    # C: csat 1 is unhappy whatever the nps; D's complaint was before the trial; the blank id is no member.
    assert got[["customer_id", "store_id", "trigger"]].values.tolist() == [
        ["A", "HHWEB", "Complaint"], ["C", "HH01", "Survey"], ["B", "HH02", "Survey"]]
    assert got["follow_up_id"].tolist() == ["F0001", "F0002", "F0003"]
    assert got["visits_8_weeks"].tolist() == [1, 0, 0]  # A: the sale on 6 May; a same-day sale, a line 2, a refund: no


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_follow_ups_bring_more_members_back_and_leave_them_happier(canon, seed):
    """The story: more of the followed-up members came back within 8 weeks, and they rate us higher."""
    trial = canon["follow_ups"] if seed is None else datasets.load("follow_ups", variant=seed)
    groups = dict(list(trial.groupby("group", observed=True)))
    back = {g: (t["visits_8_weeks"] >= 1).mean() for g, t in groups.items()}
    nps = {g: rk.net_promoter_score(t["nps_after"].dropna().astype(int)) for g, t in groups.items()}
    assert back["Follow-up"] > back["Standard"] + 0.05
    assert nps["Follow-up"] > nps["Standard"]
    assert 0.35 < len(groups["Follow-up"]) / len(trial) < 0.7, "about half were followed up"


def test_follow_ups_are_empty_before_the_trial_and_keep_8_weeks_inside_shorter_data(small_data):
    empty = small_data("follow_ups")  # 13 weeks: the trial starts in week 14
    assert len(empty) == 0 and list(empty.columns) == list(datasets.load("follow_ups").columns)
    short = datasets.generate(seed=5, weeks=30)["follow_ups"]  # the data ends on Sunday 3 August
    last_day = pd.Timestamp("2025-01-06") + pd.Timedelta(days=30 * 7 - 1)
    assert len(short) > 30 and short["trigger_date"].min() >= TRIAL[0]
    assert (short["trigger_date"] + pd.Timedelta(days=56) <= last_day).all()
    assert short["trigger_date"].max() > last_day - pd.Timedelta(days=56 + 7)  # up to the last whole 8 weeks


def test_surveys_rate_half_hours_short_of_tills_lower(canon):
    """In December, a visit in a half hour with fewer tills open than S01 needs is rated lower."""
    surveys, tx, queue = canon["surveys"], canon["transactions"], canon["till_queue"]
    visits = tx[tx["line_no"] == 1].set_index("transaction_id")["datetime"]
    shop = surveys[(surveys["store_id"] != "HHWEB") & (surveys["visit_date"].dt.month == 12)].dropna(
        subset=["csat"])
    at = visits.loc[shop["transaction_id"]].dt.floor("30min").to_numpy()
    q = queue.assign(at=queue["date"] + pd.to_timedelta(queue["interval_start"] + ":00"))
    q["short"] = q["tills_open"] < rk.servers_required(arrivals=q["arrivals"], handle_time=q["mean_service_seconds"],
                                                       target_wait=180, target_service_level=0.9, period=1800)
    short = q.set_index(["store_id", "at"])["short"].reindex(
        pd.MultiIndex.from_arrays([shop["store_id"].astype(str), at])).to_numpy(dtype=bool)
    csat = shop["csat"].to_numpy(dtype=float)
    assert short.sum() > 20 and csat[short].mean() < csat[~short].mean() - 0.1


def test_each_shop_has_one_scored_risk_without_a_contingency(canon):
    risks = canon["risks"]
    assert set(risks["store_id"].astype(str)) == {"HH01", "HH02", "HH03", "HH04"}
    assert risks["likelihood"].between(1, 5).all() and risks["impact"].between(1, 5).all()
    for _, shop in risks.groupby("store_id", observed=True):
        gaps = shop[shop["contingency"] == ""]
        assert len(gaps) == 1 and (gaps["likelihood"] * gaps["impact"]).iloc[0] >= 5
    seeds = {datasets.generate(seed, scale=0.05)["risks"].loc[lambda r: r["contingency"] == ""].iloc[0]["risk"]
             for seed in range(1, 9)}
    assert len(seeds) > 1  # the missing plan is not the same risk in every learner's data


def test_survey_respondents_are_customers_who_visited(canon):
    tx, surveys, servqual = canon["transactions"], canon["surveys"], canon["servqual"]
    visits = tx[tx["line_no"] == 1].set_index("transaction_id")
    v = visits.loc[surveys["transaction_id"]]
    assert (v["customer_id"].to_numpy() == surveys["customer_id"].to_numpy()).all()
    assert (v["store_id"].astype(str).to_numpy() == surveys["store_id"].astype(str).to_numpy()).all()
    assert (v["datetime"].dt.normalize().to_numpy() == surveys["visit_date"].to_numpy()).all()
    assert (surveys["response_date"] >= surveys["visit_date"]).all()
    first = tx[tx["customer_id"] != ""].groupby(["customer_id", "store_id"], observed=True)["datetime"].min()
    seen = first.reindex(pd.MultiIndex.from_frame(servqual[["customer_id", "store_id"]]))
    assert seen.notna().all() and (seen.to_numpy() < servqual["date"].to_numpy()).all()


def test_staff_and_members_are_consistent_with_transactions(canon):
    tx, staff, rota, customers = canon["transactions"], canon["staff"], canon["rota"], canon["customers"]
    shop = tx[tx["store_id"] != "HHWEB"]
    home = shop["staff_id"].map(staff.set_index("staff_id")["store_id"].astype(str))
    assert (home == shop["store_id"].astype(str)).all(), "staff serve only in their own store"
    worked = rota.set_index(["staff_id", "week"])["worked_hours"]
    hours = worked.reindex(pd.MultiIndex.from_frame(shop[["staff_id", "week"]])).to_numpy()
    assert (hours > 0).all(), "no one rings up a sale in a week they did not work"
    members = tx[tx["customer_id"] != ""].merge(customers, on="customer_id", how="left")
    assert members["join_date"].notna().all()
    assert (members["datetime"] >= members["join_date"]).all()
    assert (members["left_date"].isna() | (members["datetime"] < members["left_date"])).all()
    assert (tx.loc[tx["store_id"] == "HHWEB", "till"].isna()).all()


def test_money_adds_up_line_by_line(canon):
    tx = canon["transactions"]
    np.testing.assert_allclose(tx["sales_ex_vat"], (tx["sales_inc_vat"] / 1.2).round(2), atol=0.006)
    sales = tx[tx["type"] == "sale"]
    assert (sales["units"] >= 1).all() and (sales["sales_inc_vat"] > 0).all()
    promo = sales[sales["promo_id"] != ""].merge(canon["promotions"], on="promo_id")
    assert (promo["discount_inc_vat"] > 0).all()
    assert ((promo["datetime"] >= promo["start_date"]) &
            (promo["datetime"] < promo["end_date"] + pd.Timedelta(days=1))).all()
    assert (sales.loc[sales["promo_id"] == "", "discount_inc_vat"] == 0).all()


def test_complaint_times_run_forwards(canon):
    c = canon["complaints"]
    assert (c["acknowledged_at"] >= c["opened_at"]).all()
    done = c.dropna(subset=["closed_at"])
    assert (done["closed_at"] >= done["acknowledged_at"]).all()
    first_time = c[c["first_contact_resolution"]]
    assert (first_time["closed_at"] - first_time["acknowledged_at"]).max() < pd.Timedelta(hours=1), \
        "resolved at the first contact means in the first reply"
    sold = canon["transactions"].drop_duplicates("transaction_id").set_index("transaction_id")["datetime"]
    named = c[c["transaction_id"] != ""]
    days = (named["opened_at"] - named["transaction_id"].map(sold)).dt.days
    assert (days >= 0).all()
    faults = days[named["category"] == "Product fault"]
    assert (faults > 30).any() and (faults <= 30).any() and days[named["category"] != "Product fault"].max() <= 2


# --- messy but honest, and realistic ---------------------------------------------------------------
def test_the_records_are_messy_in_the_ways_the_dictionary_says(canon):
    tx, c, s = canon["transactions"], canon["complaints"], canon["surveys"]
    refunds = tx[tx["type"] == "refund"]
    assert len(refunds) >= 1 and (refunds["units"] < 0).all()
    same = c.drop(columns="complaint_id").duplicated(keep=False)
    assert same.sum() == 2, "exactly one complaint was logged twice"
    assert s["csat"].isna().any() and s["effort"].isna().any() and s["nps"].notna().all()
    assert canon["customers"]["left_date"].notna().any()


def test_the_year_has_a_retail_shape(canon):
    tx, ff = canon["transactions"], canon["footfall"]
    weekly = tx.groupby("week")["sales_ex_vat"].sum()
    assert weekly.idxmax() in range(48, 52), "the peak is the run-up to Christmas"
    assert weekly.max() > 1.7 * weekly.median()
    shops = ff[ff["store_id"] != "HHWEB"]
    by_day = shops.groupby(shops["date"].dt.day_of_week)["footfall"].sum()
    assert by_day.idxmax() == 5, "Saturday is the busiest day"
    by_hour = shops.groupby("hour")["footfall"].sum()
    assert by_hour.idxmax() in (12, 13, 14)
    online = ff[ff["store_id"] == "HHWEB"].groupby("hour")["footfall"].sum()
    assert online.idxmax() in (19, 20, 21, 22), "online peaks in the evening"
    per_store = rk.kpi_table(tx, by=["store_id"]).set_index("store_id")
    assert per_store.loc["HH04", "gross_margin_pct"] < per_store.loc["HH01", "gross_margin_pct"] - 0.05, \
        "the outlet sells at a lower margin"


def test_opening_hours_follow_the_sunday_trading_and_bank_holiday_rules(canon):
    ff = canon["footfall"]
    leeds_sundays = ff[(ff["store_id"] == "HH02") & (ff["date"].dt.day_of_week == 6)]
    assert leeds_sundays.groupby("date")["hour"].count().max() == 6, "a large shop opens 6 hours on Sunday"
    easter = ff[ff["date"] == "2025-04-20"]
    assert set(easter["store_id"].astype(str)) == {"HH01", "HH03", "HH04", "HHWEB"}, \
        "only Leeds (over 280 m²) shuts on Easter Day"
    christmas = ff[ff["date"] == "2025-12-25"]
    assert set(christmas["store_id"].astype(str)) == {"HHWEB"}


def test_servqual_answers_are_on_the_scale_and_weights_sum_to_100(canon):
    sq = canon["servqual"]
    items = sq.filter(regex=r"^[EP]_Q\d+$")
    assert items.shape[1] == 44 and items.isin(range(1, 8)).all().all()
    assert (sq.filter(regex="^w_").sum(axis=1) == 100).all()
    assert set(sq["store_id"].astype(str)) == {"HH01", "HH02", "HH03", "HH04", "HHWEB"}


def test_no_real_personal_data():
    customers = datasets.load("customers")
    assert not {"name", "first_name", "surname", "email", "phone", "postcode"} & set(customers.columns)
    staff = datasets.load("staff")
    assert set(staff.columns) == {"staff_id", "first_name", "store_id", "role", "contracted_hours",
                                  "start_date"}


def test_canonical_files_stay_small_enough_for_git():
    folder = datasets.data_folder()
    total = sum(p.stat().st_size for p in folder.glob("*.csv*"))
    assert total < 6_000_000, f"canonical data is {total / 1e6:.1f} MB"


def test_data_dictionary_documents_every_table_and_column():
    text = (datasets.data_folder() / "README.md").read_text()
    for name in datasets.TABLES:
        assert f"### {name}" in text, f"datasets/README.md has no section for {name}"
        for col in datasets.load(name, "small").columns:
            if col.startswith(("E_Q", "P_Q")):
                continue
            assert f"| {col} |" in text, f"datasets/README.md does not describe {name}.{col}"
    assert "E_Q1" in text and "P_Q22" in text


# --- load(): types and clear failures --------------------------------------------------------------
def test_load_gives_typed_tables(canon):
    tx = canon["transactions"]
    assert pd.api.types.is_datetime64_any_dtype(tx["datetime"])
    assert isinstance(tx["store_id"].dtype, pd.CategoricalDtype)
    assert isinstance(tx["category"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_integer_dtype(tx["units"])
    assert str(canon["surveys"]["csat"].dtype) == "Int64"
    assert canon["complaints"]["first_contact_resolution"].dtype == bool


@pytest.fixture
def copy_of_small(tmp_path, monkeypatch):
    shutil.copytree(datasets.data_folder() / "small", tmp_path / "small")
    monkeypatch.setenv("RETAILKIT_DATA", str(tmp_path))
    return tmp_path / "small"


def test_missing_file_names_the_path(copy_of_small):
    (copy_of_small / "stock.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"the stock table is missing: no file at .*small/stock.csv"):
        datasets.load("stock", "small")


def test_wrong_columns_are_named(copy_of_small):
    path = copy_of_small / "stores.csv"
    table = pd.read_csv(path).rename(columns={"area_sqft": "area"})
    table.to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"wrong columns: missing \['area_sqft'\], unexpected \['area'\]"):
        datasets.load("stores", "small")


def test_bad_values_are_named(copy_of_small):
    path = copy_of_small / "stock.csv"
    table = pd.read_csv(path, dtype=str)
    table.loc[3, "sold_units"] = "twelve"
    table.to_csv(path, index=False)
    with pytest.raises(ValueError, match="column 'sold_units' of the stock table .* should hold int"):
        datasets.load("stock", "small")


def test_bad_dates_and_booleans_are_named(copy_of_small):
    path = copy_of_small / "complaints.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[0, "first_contact_resolution"] = "maybe"
    table.to_csv(path, index=False)
    with pytest.raises(ValueError, match="'first_contact_resolution' .* True or False, found 'maybe'"):
        datasets.load("complaints", "small")
    table.loc[0, "first_contact_resolution"] = "True"
    table.loc[0, "opened_at"] = "yesterday"
    table.to_csv(path, index=False)
    with pytest.raises(ValueError, match="'opened_at' of the complaints table .* datetime"):
        datasets.load("complaints", "small")


def test_unknown_table_lists_the_tables():
    with pytest.raises(ValueError, match="no table called 'sales'; the tables are: stores, promotions"):
        datasets.load("sales")


def test_generate_checks_its_arguments():
    with pytest.raises(ValueError, match="weeks must be 52 or less"):
        datasets.generate(weeks=60)
    with pytest.raises(ValueError, match="scale must be greater than 0"):
        datasets.generate(scale=0)


# --- the real dataset ------------------------------------------------------------------------------
def test_cdnow_is_the_published_sample():
    import hashlib
    path = datasets.data_folder() / "real" / "cdnow_transactions.csv"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == "7311ae0fb676e9f454bba310b10bc769b1a6838aeec09bd00175eb49481dddac"
    cd = datasets.load("cdnow")
    assert len(cd) == 6919 and cd["customer_id"].nunique() == 2357
    assert cd["date"].min() == pd.Timestamp("1997-01-01") and cd["date"].max() == pd.Timestamp("1998-06-30")


def test_rfm_and_repeat_purchase_on_real_customers():
    cd = datasets.load("cdnow")
    rfm = rk.rfm_scores(cd, customer="customer_id", date="date", amount="spent_usd", as_of="1998-07-01")
    assert len(rfm) == 2357
    repeaters = (rfm["frequency"] > 1).sum()
    # Everyone in the CDNOW sample first bought in Q1 1997; about half ever came back.
    assert rk.repeat_purchase_rate(repeat_customers=repeaters, customers=len(rfm)) == pytest.approx(0.489,
                                                                                                     abs=0.001)
