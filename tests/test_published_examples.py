"""Worked examples from published sources: each KPI must reproduce the source's own numbers.

Every test names its source. Where a source shows a percentage, our functions return the fraction.
"""

import pytest

import retailkit as rk


def test_conversion_rate_counttrack():
    # CountTrack, "Maximizing retail success: understanding and improving conversion rates":
    # 1,000 visitors, 50 purchases -> 5 %.
    assert rk.conversion_rate(transactions=50, footfall=1000) == pytest.approx(0.05)


def test_average_transaction_value_measuring_marketing():
    # Measuring Marketing (De Gruyter/O'Reilly, 2017), ch. "Average transaction value":
    # $1 million of sales from 50,000 transactions -> $20 per transaction.
    assert rk.average_transaction_value(sales=1_000_000, transactions=50_000) == pytest.approx(20)


def test_units_per_transaction_aura_vision():
    # Aura Vision knowledge base, "UPT": 450 units in 180 transactions -> 2.5.
    assert rk.units_per_transaction(units=450, transactions=180) == pytest.approx(2.5)


def test_sales_per_area_ehow_uk():
    # eHow UK, "How to calculate sales per square foot": net sales £195,000 (gross £227,500 less
    # returns £32,500) on 1,000 sq ft -> £195 per sq ft.
    assert rk.sales_per_area(sales=227_500 - 32_500, area=1_000) == pytest.approx(195)


def test_sales_per_labour_hour_timeforge():
    # TimeForge, "Sales per labor hour formula": $300 sales / 2 labour hours = $150.
    assert rk.sales_per_labour_hour(sales=300, labour_hours=2) == pytest.approx(150)


def test_like_for_like_growth_comparable_sales_calculator():
    # bit1024 Comparable Sales Growth Calculator: 120,000 vs 100,000 -> 20 %; 150,000 vs 130,000 -> 15.38 %.
    assert rk.like_for_like_growth(current=120_000, previous=100_000) == pytest.approx(0.20)
    assert round(rk.like_for_like_growth(current=150_000, previous=130_000), 4) == 0.1538


def test_gross_margin_upzelo():
    # Upzelo glossary, "Gross margin": revenue $25,000, COGS $15,000 -> $10,000, 40 %.
    assert rk.gross_margin(sales=25_000, cost_of_sales=15_000) == pytest.approx(10_000)
    assert rk.gross_margin_pct(sales=25_000, cost_of_sales=15_000) == pytest.approx(0.40)


def test_markup_accountant_skills_and_margin_pair():
    # Accountant Skills, "Markup setting for product pricing": (300 - 200) / 200 = 50 % markup.
    assert rk.markup_pct(sales=300, cost_of_sales=200) == pytest.approx(0.50)
    # The Prime Calculator, markup formula: buy at $50, sell at $75 -> markup 50 %, margin 33.33 %.
    assert rk.markup_pct(sales=75, cost_of_sales=50) == pytest.approx(0.50)
    assert round(rk.gross_margin_pct(sales=75, cost_of_sales=50), 4) == 0.3333


def test_gmroi_operately():
    # Operately KPI examples, "Gross margin return on inventory investment":
    # gross margin $100,000, average inventory cost $50,000 -> 2.
    assert rk.gmroi(gross_margin=100_000, average_inventory_cost=50_000) == pytest.approx(2)


def test_sell_through_on_receipts_swstock():
    # SWStock sell-through rate calculator: (650,000 / 1,000,000) x 100 % = 65 % (on receipts).
    assert rk.sell_through_rate(units_sold=650_000, units_received=1_000_000) == pytest.approx(0.65)


def test_stock_turn_with_average_of_opening_and_closing():
    # 7search inventory turnover calculator: COGS 600,000; inventory 100,000 -> 150,000;
    # average 125,000; turnover 4.8.
    average = rk.average_inventory([100_000, 150_000])
    assert average == pytest.approx(125_000)
    assert rk.stock_turn(cost_of_sales=600_000, average_inventory_cost=average) == pytest.approx(4.8)


def test_weeks_of_cover_retailwise():
    # RetailTauun quoting Retailwise, "Calculation for weeks of stock": $8,000 of stock,
    # $12,000 sales over 6 weeks (average $2,000 a week) -> 4 weeks.
    assert rk.weeks_of_cover(stock_units=8_000, weekly_sales_units=12_000 / 6) == pytest.approx(4)


def test_shrinkage_ehow_book_minus_actual():
    # eHow, "How to calculate inventory shrinkage": expected $5,000, counted $4,850 -> $150 lost.
    # That page divides by book stock (3 %); retailkit follows the UK trade and divides by sales, so with
    # sales equal to book stock the two agree.
    assert rk.shrinkage_rate(recorded_stock_value=5_000, actual_stock_value=4_850,
                             sales=5_000) == pytest.approx(0.03)


def test_nps_proprofs():
    # ProProfs, "Net Promoter Score survey": 250 responses, 60 detractors, 90 passives,
    # 100 promoters -> 40 % - 24 % = 16.
    ratings = [3] * 60 + [7] * 90 + [10] * 100
    assert rk.net_promoter_score(ratings) == pytest.approx(16)


def test_nps_sightmill_negative():
    # Sightmill help centre, "How to calculate NPS": 3, 4, 5, 6, 8, 8, 8, 9, 10, 10 -> -10.
    assert rk.net_promoter_score([3, 4, 5, 6, 8, 8, 8, 9, 10, 10]) == pytest.approx(-10)


def test_csat_delighted():
    # Delighted help centre, "How is CSAT calculated?": 42 fives, 32 fours, 10 threes, 9 twos,
    # 14 ones -> 74 / 107 = 69.16 %.
    ratings = [5] * 42 + [4] * 32 + [3] * 10 + [2] * 9 + [1] * 14
    assert round(rk.csat(ratings) * 100, 2) == 69.16


def test_customer_effort_score_prime_calculator():
    # The Prime Calculator, CES formula: sum of scores 350 over 100 responses = 3.50.
    ratings = [3] * 50 + [4] * 50
    assert sum(ratings) == 350
    assert rk.customer_effort_score(ratings) == pytest.approx(3.5)


def test_retention_gaviki_and_agile_brand_guide():
    # Gaviki: start 1,000; 200 leave, 300 join (end 1,100) -> 80 %.
    assert rk.retention_rate(customers_start=1_000, customers_end=1_100,
                             new_customers=300) == pytest.approx(0.80)
    # Agile Brand Guide, "Retention rate": start 1,000, acquired 250, end 1,100 -> 85 %.
    assert rk.retention_rate(customers_start=1_000, customers_end=1_100,
                             new_customers=250) == pytest.approx(0.85)


def test_churn_rate():
    # Glarity answer, "How can I calculate churn rate": 250 at the start, 10 lost -> 4 %.
    assert rk.churn_rate(customers_start=250, customers_lost=10) == pytest.approx(0.04)


def test_repeat_purchase_rate_japio():
    # Japio: 1,000 returning customers of 3,000 -> 33.3 %.
    assert round(rk.repeat_purchase_rate(repeat_customers=1_000, customers=3_000), 3) == 0.333


def test_purchase_frequency_mailmodo():
    # Mailmodo purchase frequency calculator: 1,200 orders / 400 customers = 3.
    assert rk.purchase_frequency(orders=1_200, customers=400) == pytest.approx(3)


def test_customer_lifetime_value_feverbee():
    # FeverBee, "Calculating customer lifetime value": 3 purchases a year, $70 each, 36 months
    # -> $630 revenue; at a 30 % gross margin -> $189.
    assert rk.customer_lifetime_value(average_order_value=70, purchase_frequency=3,
                                      lifespan=3) == pytest.approx(630)
    assert rk.customer_lifetime_value(average_order_value=70, purchase_frequency=3, lifespan=3,
                                      margin=0.30) == pytest.approx(189)


def test_first_contact_resolution_sparrowdesk():
    # SparrowDesk, "First contact resolution": 120 of 200 tickets -> 60 %.
    assert rk.first_contact_resolution_rate(resolved_first_contact=120, contacts=200) == pytest.approx(0.6)


def test_sla_compliance_sparrowdesk():
    # SparrowDesk, "SLA compliance": 900 of 1,000 tickets within the promised time -> 90 %.
    durations = [4] * 900 + [30] * 100
    assert rk.sla_compliance(durations, target=24) == pytest.approx(0.9)
