"""The facts of the case study: Harbour & Hale's stores, categories, promotions, holidays and standards.

The generator reads these; nothing here draws a random number. Stores, categories, promotions, service
standards and complaint types are named records, so code reads ``store.tills``, not ``store[8]``.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

RETAILER = "Harbour & Hale"
CANONICAL_SEED = 2026
SMALL = {"seed": CANONICAL_SEED, "scale": 0.1, "weeks": 13}  # the small set in datasets/small/, for tests
START = pd.Timestamp("2025-01-06")  # Monday of trading week 1
VAT_RATE = 0.20  # every product sold is standard-rated
SQ_FT_PER_M2 = 10.7639

TABLES = ("stores", "promotions", "service_standards", "staff", "rota", "customers", "footfall",
          "transactions", "stock", "till_queue", "surveys", "servqual", "complaints", "mystery_shop",
          "review_log", "risks", "team_feedback", "shifts", "follow_ups")


# ----------------------------------------------------------------------------------------------------
# Stores
# ----------------------------------------------------------------------------------------------------
class Hours(NamedTuple):
    """Opening and closing hour of a day's trading (closing hour exclusive; 24 = midnight)."""

    opens: int
    closes: int


class Team(NamedTuple):
    """A store's team: the managers' roles, then how many supervisors and assistants."""

    managers: tuple[str, ...]
    supervisors: int
    assistants: int


class Store(NamedTuple):
    """One shop (or the online channel) and how it trades."""

    store_id: str
    name: str
    town: str
    format: str  # high street, retail park, outlet or online
    region: str
    area_sqft: int  # selling area
    hours: Hours  # Monday to Saturday
    sunday_hours: Hours
    tills: int
    visitors_per_day: int  # typical
    conversion: float  # share of visitors who buy
    team: Team
    units_per_basket: float

    @property
    def online(self) -> bool:
        """True for the website."""
        return self.format == "online"

    @property
    def large(self) -> bool:
        """A larger shop under the Sunday Trading Act: 6 hours on Sundays, closed on Easter Day."""
        return self.area_sqft > SUNDAY_LARGE_SHOP_SQFT

    def hours_on(self, date: pd.Timestamp) -> Hours:
        """Opening and closing hour on a date (closing hour is exclusive); (0, 0) if closed."""
        day = date.strftime("%Y-%m-%d")
        if not self.online and (day in CLOSED_ALL or (self.large and day in CLOSED_LARGE)):
            return Hours(0, 0)
        return self.sunday_hours if date.day_of_week == 6 else self.hours


STORES = [
    Store("HH01", "Bristol Broadmead", "Bristol", "high street", "South West", 1_800, Hours(9, 18),
          Hours(11, 17), 3, 230, 0.24, Team(("Store manager",), 1, 3), 2.3),
    Store("HH02", "Leeds Kirkstall Retail Park", "Leeds", "retail park", "Yorkshire and the Humber", 4_000,
          Hours(9, 20), Hours(10, 16), 4, 260, 0.31, Team(("Store manager", "Assistant manager"), 1, 4), 2.6),
    Store("HH03", "York Shambles", "York", "high street", "Yorkshire and the Humber", 1_200, Hours(9, 17),
          Hours(10, 17), 2, 190, 0.19, Team(("Store manager",), 0, 2), 2.0),
    Store("HH04", "Swindon Designer Outlet", "Swindon", "outlet", "South West", 1_500, Hours(10, 18),
          Hours(10, 16), 2, 170, 0.27, Team(("Store manager",), 1, 2), 2.2),
    Store("HHWEB", "Online", "", "online", "National", 0, Hours(0, 24), Hours(0, 24), 0, 1_100, 0.028,
          Team(("Customer service lead",), 0, 3), 2.8),
]
STORE_IDS = [s.store_id for s in STORES]
ONLINE_STORE = STORE_IDS.index("HHWEB")  # index of the online channel in STORES
SUNDAY_LARGE_SHOP_SQFT = 3_014  # 280 m²: larger shops must keep to 6 hours on Sundays and close Easter Day


# ----------------------------------------------------------------------------------------------------
# Products and promotions
# ----------------------------------------------------------------------------------------------------
class Category(NamedTuple):
    """A product category: typical unit price inc VAT (GBP), intake margin (ex VAT), share of units."""

    name: str
    unit_price: float
    margin: float
    share: float
    christmas_lift: float


PRODUCT_CATEGORIES = [
    Category("Kitchen & dining", 12.0, 0.55, 0.24, 0.6),
    Category("Home fragrance", 14.0, 0.62, 0.18, 1.2),
    Category("Soft furnishings", 22.0, 0.52, 0.14, 0.5),
    Category("Cards & gift wrap", 3.5, 0.70, 0.18, 1.6),
    Category("Gifts & toys", 10.0, 0.50, 0.16, 1.8),
    Category("Christmas & seasonal", 8.0, 0.60, 0.10, 9.0),
]
CATEGORIES = [c.name for c in PRODUCT_CATEGORIES]


class Promotion(NamedTuple):
    """A promotion: a discount on a category ("all": every one) in a store ("all": every one)."""

    promo_id: str
    name: str
    start_date: str
    end_date: str
    store_id: str
    category: str
    discount: float


PROMOTIONS = [
    Promotion("P01", "January sale", "2025-01-06", "2025-01-26", "all", "Christmas & seasonal", 0.50),
    Promotion("P02", "January sale", "2025-01-06", "2025-01-26", "all", "Soft furnishings", 0.30),
    Promotion("P03", "Mother's Day candles", "2025-03-17", "2025-03-30", "all", "Home fragrance", 0.25),
    Promotion("P04", "Summer dining", "2025-07-14", "2025-08-10", "all", "Kitchen & dining", 0.20),
    Promotion("P05", "Outlet clearance", "2025-09-01", "2025-09-28", "HH04", "all", 0.30),
    Promotion("P06", "Black Friday weekend", "2025-11-28", "2025-12-01", "all", "all", 0.25),
    Promotion("P07", "Boxing Day sale", "2025-12-26", "2026-01-04", "all", "Christmas & seasonal", 0.50),
]

# Bank holidays in England, 2025: busier days. Christmas Day every shop shuts; Easter Day large shops shut.
BANK_HOLIDAYS = ["2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-26",
                 "2026-01-01"]
CLOSED_ALL = ["2025-12-25"]
CLOSED_LARGE = ["2025-04-20"]


# ----------------------------------------------------------------------------------------------------
# Service: standards, SERVQUAL, staff names, complaints, mystery shopping, survey comments
# ----------------------------------------------------------------------------------------------------
class Standard(NamedTuple):
    """A service standard: the metric, how it is compared with the threshold, and the target share."""

    standard_id: str
    area: str
    standard: str
    metric: str
    comparison: str
    threshold: float
    unit: str
    target_share: float
    measured_in: str
    owner: str


STANDARDS = [
    Standard("S01", "Tills", "Customers wait no more than 3 minutes at the till", "till_wait", "<=", 180,
             "seconds", 0.90, "till_queue, mystery_shop", "Store manager"),
    Standard("S02", "Welcome", "Customers are greeted within 2 minutes of coming in", "greeting_time", "<=",
             120, "seconds", 0.95, "mystery_shop", "Store manager"),
    Standard("S03", "Complaints", "Complaints are acknowledged within 24 hours", "hours_to_acknowledge", "<=",
             24, "hours", 0.95, "complaints", "Customer service lead"),
    Standard("S04", "Complaints", "Complaints are resolved within 5 days", "days_to_resolve", "<=", 5, "days",
             0.90, "complaints", "Customer service lead"),
    Standard("S05", "Complaints", "Complaints are resolved at the first contact", "first_contact_resolution",
             "==", 1, "yes = 1", 0.70, "complaints", "Customer service lead"),
    Standard("S06", "Selling", "Staff offer help to customers who are browsing", "help_offered", "==", 1,
             "yes = 1", 0.90, "mystery_shop", "Assistant manager"),
    Standard("S07", "Selling", "Staff show good product knowledge (score 4 or 5 out of 5)",
             "product_knowledge", ">=", 4, "score 1-5", 0.80, "mystery_shop", "Assistant manager"),
    Standard("S08", "Store", "The shop floor is clean and tidy (score 4 or 5 out of 5)", "cleanliness", ">=",
             4, "score 1-5", 0.90, "mystery_shop", "Supervisor"),
    Standard("S09", "Loyalty", "Customers are asked for their loyalty card at the till", "loyalty_asked",
             "==", 1, "yes = 1", 0.85, "mystery_shop", "Supervisor"),
    Standard("S10", "Feedback", "Customers rate their visit 4 or 5 out of 5 (CSAT)", "csat", ">=", 4,
             "score 1-5", 0.85, "surveys", "Store manager"),
]

# SERVQUAL perception minus expectation, by store and dimension (the story the data tells).
DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
DIMENSION_OF_ITEM = [0] * 4 + [1] * 5 + [2] * 4 + [3] * 4 + [4] * 5
SERVQUAL_GAPS = {
    "HH01": (-0.2, -0.5, -1.3, -0.3, -0.4),   # busy city shop: short-staffed at peaks
    "HH02": (0.2, -1.0, -0.4, -0.2, -0.5),    # big shop: stock not where the website says
    "HH03": (-0.6, -0.3, -0.2, 0.1, 0.3),     # small old building; friendly team
    "HH04": (-1.1, -0.6, -0.7, -0.9, -0.6),   # outlet: tired fittings, new staff
    "HHWEB": (-0.3, -0.7, -1.2, -0.4, -0.8),  # slow email replies
}
FIRST_NAMES = ["Aisha", "Ben", "Chloe", "Dan", "Ella", "Faisal", "Grace", "Harry", "Imogen", "Jack",
               "Kerry", "Liam", "Maya", "Nathan", "Olivia", "Priya", "Quinn", "Ryan", "Sophie", "Tom",
               "Uma", "Vikram", "Wendy", "Yusuf", "Zara", "Owen", "Niamh", "Callum", "Megan", "Rhys",
               "Hollie", "Kieran", "Leah", "Marcus", "Freya", "Jamal", "Beth", "Connor"]


class ComplaintType(NamedTuple):
    """A kind of complaint: its share of complaints, where it happens and its usual outcomes."""

    category: str
    share: float
    where: str  # "shop", "online" or "both"
    outcomes: list[str]


COMPLAINT_TYPES = [
    ComplaintType("Stock availability", 0.22, "both", ["Apology", "Item ordered in", "Voucher"]),
    ComplaintType("Queue or wait", 0.16, "shop", ["Apology", "Voucher"]),
    ComplaintType("Product fault", 0.15, "both", ["Refund", "Replacement", "Repair"]),
    ComplaintType("Delivery", 0.14, "online", ["Refund of delivery charge", "Replacement", "Refund"]),
    ComplaintType("Staff attitude", 0.09, "shop", ["Apology", "Voucher"]),
    ComplaintType("Refunds and returns", 0.09, "both", ["Refund", "Explanation given"]),
    ComplaintType("Pricing", 0.07, "both", ["Price matched", "Explanation given"]),
    ComplaintType("Website", 0.05, "online", ["Apology", "Explanation given"]),
    ComplaintType("Cleanliness", 0.03, "shop", ["Apology"]),
]

MYSTERY_QUALITY = {"HH01": 0.55, "HH02": 0.7, "HH03": 0.85, "HH04": 0.4}  # 0 poor .. 1 good

SURVEY_COMMENTS_ONLINE = {  # the website's customers write about ordering, delivery and email, not a shop
    "good": ["Quick delivery and well packed.", "{name} answered my email really quickly.",
             "Easy to order on the website.", "Great choice of candles, will be back.",
             "Lovely things and they arrived on time."],
    "mixed": ["Nice things but a bit pricey.", "Had to wait a few days for a reply to my email.",
              "Couldn't find the cushion cover I wanted.", "OK, nothing special.",
              "Delivery took longer than the website said."],
    "poor": ["Waited two weeks for my order.", "Nobody answered my email.",
             "Item showed in stock online but never came.", "The website kept logging me out at checkout.",
             "Returned a faulty mug and was told to contact the maker."],
}
SURVEY_COMMENTS = {
    "good": ["Lovely shop and really helpful staff.", "{name} helped me find the perfect present.",
             "Quick and friendly at the till.", "Great choice of candles, will be back.",
             "Staff went out of their way to help."],
    "mixed": ["Nice things but a bit pricey.", "Had to wait a while to pay.",
              "Couldn't find the cushion cover I wanted.", "OK visit, nothing special.",
              "Shop was a bit untidy."],
    "poor": ["Queue at the till was far too long.", "No one offered to help me.",
             "Item on the website was not in stock in store.", "Staff member was chatting and ignored me.",
             "Returned a faulty mug and was told to contact the maker."],
}


# ----------------------------------------------------------------------------------------------------
# Reviews and risks
# ----------------------------------------------------------------------------------------------------
class Action(NamedTuple):
    """A corrective action a shop took after a review, kept in its review log with the checks after it."""

    store_id: str
    standard_id: str
    week: int  # first trading week the action applied
    found: str
    action: str
    owner: str
    checks: int  # weekly checks logged after it started


# After the busy Saturday of 20 December, Bristol's manager opened a second till at the day's peak (10:00 to
# 15:00) from Monday 22 December (week 51) to the year end; till_queue and the surveys respond.
SECOND_TILL = Action(
    "HH01", "S01", 51,
    "Review of December so far: only one till open at the busiest times (10:00 to 15:00) while a queue "
    "builds; customers complain about the wait, worst on Saturday 20 December.",
    "From today a second till is open from 10:00 to 15:00 every day until Sunday 4 January. "
    "The supervisor checks every Monday that enough tills were open at the peak last week.",
    "Store manager", 2)
# Swindon's manager trained every sales assistant on the products from Monday 7 July (week 27); the mystery
# shopper's product knowledge score (S07) responds from then on. Checks: each mystery shop visit after it.
PRODUCT_TRAINING = Action(
    "HH04", "S07", 27,
    "Review of the mystery shops since January: product knowledge (S07) is red at Swindon, far below "
    "its 80 % target.",
    "Product training for every sales assistant and the supervisor: a one-day course this week (each "
    "person's shift covered), then a 10-minute product huddle every Monday. The manager reads each "
    "mystery shop report for S07.",
    "Store manager", 0)
PRODUCT_QUALITY = (0.2, 0.95)  # Swindon's quality for S07 before and after the training (new staff at first)
TRAINED_ROLES = ("Sales assistant", "Supervisor")  # who the training was for
TRAINED_LINK_SELLING = 1.12  # a trained person's link-selling skill after the training (times their own)
# What Swindon's customers wrote instead, before its product training (the same draws, other words).
PRODUCT_COMMENTS = {"No one offered to help me.": "Staff could not answer my question about a product.",
                    "Couldn't find the cushion cover I wanted.": "Staff did not know much about the new range."}
TRAINED_SERVICE = 1.5  # and how much better their customers rate them (surveys' latent score, 0.4 x this)
PEAK_SLOTS = ("10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00", "13:30", "14:00", "14:30")
CSAT_OFFSET = {"HH01": -0.3}  # Bristol's busy city-centre customers are harder to please (surveys' latent score)
SHORT_TILL_CSAT = 1.0  # how much a visit in a half hour with a till short lowers the survey's latent score

# The shops' risk register before a busy season: (risk, likelihood, impact, contingency), scored 1-5 each.
RISKS = [
    ("Staff absence on a peak Saturday", 4, 4, "Cover list of part-timers, phoned by the supervisor by 08:30"),
    ("Supplier delay on Christmas stock", 3, 3,
     "Agreed top-up order with a second supplier; move stock from another shop"),
    ("A till fails", 2, 3, "Spare till and a handheld card reader in the office"),
    ("IT outage: card payments down", 2, 5, "Battery card readers on the mobile network, kept charged"),
    ("Peak trading: more customers than planned", 4, 3,
     "Queue-buster with a handheld till; no breaks between 12:00 and 14:00"),
]

# What staff raise at their shop's weekly team briefing: topic -> what they say. The weights follow each
# shop's real problems in the other tables (Bristol's queues, Leeds's stock, York's old building, Swindon's
# product knowledge before its training, the website's emails and deliveries).
TEAM_TOPICS = {
    "Queues at the tills": ["The queue gets long at lunch and only one till is open.",
                            "Customers are leaving the queue on Saturdays.",
                            "We need a second till open earlier when it gets busy."],
    "Breaks and rota": ["Breaks all fall at the busiest time.", "The rota changes too late for us to plan.",
                        "Saturdays are short of people."],
    "Stock availability": ["Customers come in for items the website shows in stock but we have none.",
                           "Deliveries arrive after we open and block the aisle.",
                           "The best sellers run out by Friday."],
    "Product knowledge": ["Customers ask about products I have never been shown.",
                          "I could not answer a question about the candle range.",
                          "Could we have a product briefing for new lines?"],
    "Shop floor and fittings": ["The fitting room light is broken again.", "Shelves are hard to keep tidy at peak.",
                                "The old stockroom door sticks."],
    "Complaints handling": ["I am not sure what I can offer a customer with a faulty item.",
                            "Complaints passed to head office take too long to come back.",
                            "Could we see the complaints log each week?"],
    "Email and delivery": ["The inbox gets behind on Mondays.", "Couriers are late in the run-up to Christmas.",
                           "Customers email twice because they hear nothing back."],
}
TEAM_TOPIC_WEIGHTS = {  # store -> weight of each topic, in TEAM_TOPICS order
    "HH01": (5, 3, 1, 1, 1, 1, 0), "HH02": (1, 1, 5, 1, 1, 2, 0), "HH03": (1, 1, 2, 1, 4, 1, 0),
    "HH04": (1, 1, 1, 5, 2, 1, 0), "HHWEB": (0, 1, 0, 1, 0, 2, 5),
}


# ----------------------------------------------------------------------------------------------------
# Head office's service-recovery trial (the follow_ups table)
# ----------------------------------------------------------------------------------------------------
class Recovery(NamedTuple):
    """A way of following up an unhappy customer: its share of the follow-ups and its cost (GBP)."""

    action: str
    share: float
    cost_gbp: float  # staff time and materials


# The CRM team's trial ran from Monday 7 April (week 14) to Sunday 2 November 2025 (week 43). A member's
# first unhappy moment in it (a survey with csat <= 3 or nps <= 6, or a complaint) put them in the trial.
FOLLOW_UP_WEEKS = (14, 43)  # first and last trading week of the trial
UNHAPPY_CSAT = 3  # a survey answer at or below either of these is an unhappy moment
UNHAPPY_NPS = 6
FOLLOW_UP_DAYS = 56  # visits are counted on the 8 weeks after the moment (retailkit.visits_after)
FOLLOW_UPS = [
    Recovery("Phone call from the shop", 0.4, 2.50),
    Recovery("Handwritten card", 0.3, 1.80),
    Recovery("Personal email", 0.3, 0.60),
]
STANDARD_REPLY = Recovery("Standard reply", 0.0, 0.00)  # the normal survey thank-you or complaint reply
# The trial's effect: the group is drawn after the outcome, P(follow-up | came back within 8 weeks) and
# P(follow-up | did not). The joint pattern is that of a randomised trial in which the follow-up raises
# the share who come back.
FOLLOW_UP_IF_BACK = 0.60
FOLLOW_UP_IF_NOT_BACK = 0.20
# The short survey 8 weeks later: "How likely are you to recommend us?" (0-10). The starting point is the
# trigger survey's nps (a complaint: COMPLAINT_NPS); the change is round(normal(mean, sd)) by group.
COMPLAINT_NPS = 5
NPS_CHANGE = {"Follow-up": (1.3, 1.5), "Standard": (0.5, 1.5)}
NPS_AFTER_ANSWERED = 0.6  # share of members who answered it
