//! Syntax tree, the agreement's declarations: its kind and period, parties and
//! contacts, tiers, segments, inputs, lets, metrics and calendars.

use educe::Educe;
use jiff::civil::{Date, Time};

use super::*;

/// What sort of agreement this is, from its `kind` clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    /// `customer`: a provider's promise to a customer, usually with service credits.
    Customer,
    /// `internal`: between teams of one company, such as marketing and sales.
    Internal,
    /// `multi_level`: a chain of parties, each level declared as a `tier`.
    MultiLevel,
}

impl AgreementKind {
    /// The words `kind` accepts, as messages list them.
    pub const WORDS: [&'static str; 3] = ["customer", "internal", "multi_level"];

    /// The kind a `kind` word names, if any.
    pub fn from_word(word: &str) -> Option<Self> {
        match word {
            "customer" => Some(Self::Customer),
            "internal" => Some(Self::Internal),
            "multi_level" => Some(Self::MultiLevel),
            _ => None,
        }
    }
}

/// The length of an agreement period, a deliverable's cadence or a cap's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    /// An ISO week, Monday to Sunday (`week`, `weekly`).
    Week,
    /// A calendar month (`month`, `monthly`).
    Month,
    /// A calendar quarter (`quarter`, `quarterly`).
    Quarter,
    /// A calendar year (`year`, `yearly`, `annual`).
    Year,
}

impl PeriodUnit {
    /// The unit words, as messages list them.
    pub const WORDS: [&'static str; 4] = ["week", "month", "quarter", "year"];

    /// The unit a word names; `monthly`, `annual` and the like are accepted too.
    pub fn from_word(word: &str) -> Option<Self> {
        match word {
            "week" | "weekly" => Some(Self::Week),
            "month" | "monthly" => Some(Self::Month),
            "quarter" | "quarterly" => Some(Self::Quarter),
            "year" | "yearly" | "annual" => Some(Self::Year),
            _ => None,
        }
    }

    /// The unit's word, as messages and reports write it: `week`, `month`, ….
    pub fn word(self) -> &'static str {
        match self {
            Self::Week => "week",
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::Year => "year",
        }
    }
}

/// `period month in "Europe/Berlin"`: how long a period is and whose clock counts it.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct PeriodClause {
    /// The length of one period.
    pub unit: Spanned<PeriodUnit>,
    /// The IANA time zone periods are counted in, as written.
    pub zone: Spanned<String>,
    /// The whole clause.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `effective FROM to TO`: the days the agreement is in force, both included.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Effective {
    /// The first day in force.
    pub from: Spanned<Date>,
    /// The last day in force.
    pub to: Spanned<Date>,
    /// The whole clause.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `party NAME { contact … }`: a team or company that owes or is owed obligations.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Party {
    /// The party's name, as `by`, `for`, tiers and remedies refer to it.
    pub name: Ident,
    /// The people who answer for the party, in the order written.
    pub contacts: Vec<Contact>,
    /// The whole declaration.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `contact "Name" <address> role "…"`: a person to reach for a party.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Contact {
    /// The person's name or title.
    pub name: Spanned<String>,
    /// The e-mail address, without the angle brackets (the span includes them).
    pub email: Spanned<String>,
    /// The role, if `role "…"` is given.
    pub role: Option<Spanned<String>>,
    /// The whole clause.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// One level of a multi-level agreement: `tier lead_handoff = marketing -> sales`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Tier {
    /// The tier's name, as an obligation's `tier` clause refers to it.
    pub name: Ident,
    /// The party that delivers at this level.
    pub from: Ident,
    /// The party that receives.
    pub to: Ident,
    /// The whole declaration.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `segment NAME { a, b, c }`: the values a metric can be split by, such as lead quality.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Segment {
    /// The segment's name, as `per` clauses and column types refer to it.
    pub name: Ident,
    /// The values, in the order written.
    pub values: Vec<Ident>,
    /// The whole declaration.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `input NAME = …`: a number the agreement is given rather than measures.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Input {
    /// The input's name, as expressions refer to it.
    pub name: Ident,
    /// A fixed expression or a recalculation from past periods.
    pub value: InputValue,
    /// The whole declaration.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// How an input gets its value.
#[derive(Debug, Clone, PartialEq)]
pub enum InputValue {
    /// `input x = EXPR`: the same value in every period.
    Fixed(Expr),
    /// Recomputed each period from the previous `periods` periods' actuals.
    Recalculated {
        /// The expression, evaluated once over the previous periods' summed or averaged actuals.
        formula: Expr,
        /// How many previous periods to look back over (`over N periods`).
        periods: Spanned<u32>,
        /// The `else` value: used while history is short, or when the formula divides by zero.
        fallback: Expr,
    },
}

/// `let NAME = EXPR`: a named value computed each period.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Let {
    /// The let's name, as expressions refer to it.
    pub name: Ident,
    /// The expression, over inputs, lets and metrics.
    pub value: Expr,
    /// The whole declaration.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `metric NAME: TYPE [per SEGMENT] [= AGGREGATE] ["description"]`: a measured value.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Metric {
    /// The metric's name, as expressions and data files refer to it.
    pub name: Ident,
    /// The declared type; for money the span covers the currency code too.
    pub ty: Spanned<MetricType>,
    /// The segment it is split by (`per SEGMENT`), if any.
    pub segment: Option<Ident>,
    /// How the metric is computed from a dataset; `None` for a recorded metric.
    pub aggregate: Option<Box<Aggregate>>,
    /// What the metric measures, in words, if given.
    pub description: Option<Spanned<String>>,
    /// The whole declaration.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// The type a metric is declared with: its unit, and how its recorded values are read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MetricType {
    /// `count`: a whole number of things, such as leads.
    Count,
    /// `number`: any number, such as a mean of call attempts.
    Number,
    /// `percent` (or `ratio`): a share, recorded with a `%` sign.
    Percent,
    /// `duration`: a length of time.
    Duration,
    /// `money EUR`: an amount in one currency.
    Money(Currency),
}

impl MetricType {
    /// The type words, as messages list them.
    pub const WORDS: [&'static str; 5] = ["count", "number", "percent", "duration", "money"];
}

/// An ISO 4217 currency code such as `EUR`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Currency(pub String);

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `calendar NAME { … }`: opening hours and holidays, for durations in business hours.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Calendar {
    /// The calendar's name, as `in business hours of NAME` refers to it.
    pub name: Ident,
    /// `zone` clauses: the IANA time zone of its clock (exactly one is valid).
    pub zones: Vec<Spanned<String>>,
    /// `hours` clauses: when it is open.
    pub hours: Vec<Hours>,
    /// `holiday` clauses: days it is closed all day.
    pub holidays: Vec<Holiday>,
    /// The whole declaration.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `hours mon-fri 09:00-17:00`: opening hours on some days of the week.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Hours {
    /// The days, as ranges such as `mon-fri`; a range may wrap, as `sat-mon` does.
    pub days: Vec<Spanned<DayRange>>,
    /// The opening time.
    pub open: Spanned<Time>,
    /// The closing time; it must be later than the opening time.
    pub close: Spanned<Time>,
    /// The whole clause.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// Days of the week, Monday = 1 ... Sunday = 7, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    /// The first day of the range.
    pub first: u8,
    /// The last day; lower than `first` when the range wraps over the weekend.
    pub last: u8,
}

/// `holiday 2026-12-24 "Christmas Eve"`: a day the calendar is closed.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Holiday {
    /// The day.
    pub date: Spanned<Date>,
    /// The holiday's name, if given.
    pub name: Option<Spanned<String>>,
    /// The whole clause.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}
