"""A short tour: make the case-study data and print the year's KPI table for each store.

Run with ``python -m retailkit.tour`` (``make demo`` does this).
"""

from __future__ import annotations

from retailkit import datasets, kpi_table


def annual_kpis(variant=None):
    """The year's KPI table, one row per store, from the case-study data."""
    tables = {name: datasets.load(name, variant) for name in ("stores", "transactions", "footfall", "rota")}
    weekly = datasets.store_weeks(tables["footfall"], tables["rota"])
    per_store = weekly.groupby("store_id", observed=True)[["footfall", "labour_hours"]].sum().reset_index()
    table = kpi_table(tables["transactions"], store_weeks=per_store, stores=tables["stores"],
                      by=["store_id"])
    return tables["stores"][["store_id", "name", "format"]].merge(table, on="store_id")


def formatted(table):
    """The KPI table as text, with GBP and percentages shown the way a store manager reads them."""
    show = table[["name", "format"]].copy()
    show["Transactions"] = table["transactions"].map("{:,.0f}".format)
    show["Sales (GBP ex VAT)"] = table["sales"].map("£{:,.0f}".format)
    show["Conversion"] = table["conversion_rate"].map("{:.1%}".format)
    show["ATV"] = table["atv"].map("£{:.2f}".format)
    show["UPT"] = table["upt"].map("{:.2f}".format)
    show["Margin"] = table["gross_margin_pct"].map("{:.1%}".format)
    show["Sales/labour hr"] = table["sales_per_labour_hour"].map("£{:.2f}".format)
    show["Sales/sq ft"] = table["sales_per_sqft"].map(lambda v: "n/a (online)" if v != v else f"£{v:,.0f}")
    return show.rename(columns={"name": "Store", "format": "Format"}).to_string(index=False)


def main() -> None:
    """Print the case study's KPI table per store (the first thing `make demo` shows)."""
    print(f"{datasets.RETAILER}: a year's trading (6 Jan 2025 - 4 Jan 2026), KPIs per store "
          "(fictional data)\n")
    print(formatted(annual_kpis()))
    print("\nConversion = transactions / footfall; ATV = sales / transactions; UPT = units / transactions;")
    print("margin = (sales - cost of sales) / sales. See README.md for every KPI and its function.")


if __name__ == "__main__":
    main()
