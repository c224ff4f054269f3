//! The typed syntax tree of one `.sla` file.
//!
//! Every node carries the byte span it was written at. A node's equality (and hash)
//! leaves its spans out, field by field (`#[educe(PartialEq(ignore))]`), so that two
//! trees compare by what they say, not by where they say it (the formatter and the
//! tests rely on that); spans themselves compare by position.

use educe::Educe;
use jiff::civil::{Date, Time};
use rust_decimal::Decimal;

/// Byte offsets into the source text, `start..end`. Spans compare by position;
/// the tree's nodes leave their spans out of their own equality (see the module).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn shifted(self, by: usize) -> Span {
        Span::new(self.start as usize + by, self.end as usize + by)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new((span.start as usize).into(), span.len())
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub node: T,
    #[educe(PartialEq(ignore), Hash(ignore))]
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// A name the author chose: a party, metric, obligation, ...
pub type Ident = Spanned<String>;

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Agreement {
    pub name: Spanned<String>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Summary(Spanned<String>),
    Kind(Spanned<AgreementKind>),
    Period(PeriodClause),
    Effective(Effective),
    Party(Party),
    Tier(Tier),
    Segment(Segment),
    Input(Input),
    Let(Let),
    Metric(Metric),
    Obligation(Obligation),
    Remedy(Remedy),
    Cap(Cap),
    Terminate(Terminate),
    Calendar(Calendar),
    Dataset(Dataset),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    Customer,
    Internal,
    MultiLevel,
}

impl AgreementKind {
    pub const WORDS: [&'static str; 3] = ["customer", "internal", "multi_level"];

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
    Week,
    Month,
    Quarter,
    Year,
}

impl PeriodUnit {
    pub const WORDS: [&'static str; 4] = ["week", "month", "quarter", "year"];

    pub fn from_word(word: &str) -> Option<Self> {
        match word {
            "week" | "weekly" => Some(Self::Week),
            "month" | "monthly" => Some(Self::Month),
            "quarter" | "quarterly" => Some(Self::Quarter),
            "year" | "yearly" | "annual" => Some(Self::Year),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Self::Week => "week",
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::Year => "year",
        }
    }
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct PeriodClause {
    pub unit: Spanned<PeriodUnit>,
    pub zone: Spanned<String>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Effective {
    pub from: Spanned<Date>,
    pub to: Spanned<Date>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Party {
    pub name: Ident,
    pub contacts: Vec<Contact>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Contact {
    pub name: Spanned<String>,
    pub email: Spanned<String>,
    pub role: Option<Spanned<String>>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// One level of a multi-level agreement: `tier lead_handoff = marketing -> sales`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Tier {
    pub name: Ident,
    pub from: Ident,
    pub to: Ident,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Segment {
    pub name: Ident,
    pub values: Vec<Ident>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Input {
    pub name: Ident,
    pub value: InputValue,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InputValue {
    Fixed(Expr),
    /// Recomputed each period from the previous `periods` periods' actuals.
    Recalculated {
        formula: Expr,
        periods: Spanned<u32>,
        fallback: Expr,
    },
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Let {
    pub name: Ident,
    pub value: Expr,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Metric {
    pub name: Ident,
    pub ty: Spanned<MetricType>,
    pub segment: Option<Ident>,
    /// How the metric is computed from a dataset; `None` for a recorded metric.
    pub aggregate: Option<Box<Aggregate>>,
    pub description: Option<Spanned<String>>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MetricType {
    Count,
    Number,
    Percent,
    Duration,
    Money(Currency),
}

impl MetricType {
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

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Obligation {
    pub name: Ident,
    pub summary: Option<Spanned<String>>,
    pub by: Vec<Ident>,
    pub for_: Vec<Ident>,
    pub tier: Vec<Ident>,
    pub requires: Vec<Ident>,
    pub promise: Vec<Comparison>,
    pub records: Vec<RecordPromise>,
    pub deliver: Vec<Deliver>,
    pub bands: Vec<Bands>,
    pub per: Vec<PerSegment>,
    pub remedy: Vec<RemedyRef>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

impl Obligation {
    /// Credits written inline (`remedy credit 10% * monthly_fee`), on the obligation
    /// or on its bands.
    pub fn inline_credits(&self) -> impl Iterator<Item = &Expr> {
        self.remedy
            .iter()
            .chain(
                self.bands
                    .iter()
                    .flat_map(|b| b.bands.iter().filter_map(|b| b.remedy.as_ref())),
            )
            .filter_map(|r| match r {
                RemedyRef::Credit { amount, .. } => Some(amount),
                RemedyRef::Named(_) => None,
            })
    }
}

/// `deliver "pipeline status" every week`
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Deliver {
    pub what: Spanned<String>,
    pub every: Spanned<PeriodUnit>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Bands {
    pub bands: Vec<Band>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Band {
    pub name: Ident,
    pub when: Option<Comparison>,
    pub remedy: Option<RemedyRef>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// Separate targets per segment value: `per lead_quality { executive: mqls >= 20 ... }`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct PerSegment {
    pub segment: Ident,
    pub targets: Vec<SegmentPromise>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct SegmentPromise {
    pub value: Ident,
    pub promise: Comparison,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub enum RemedyRef {
    Named(Ident),
    Credit {
        amount: Expr,
        #[educe(PartialEq(ignore))]
        span: Span,
    },
}

impl RemedyRef {
    pub fn span(&self) -> Span {
        match self {
            RemedyRef::Named(name) => name.span,
            RemedyRef::Credit { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Remedy {
    pub name: Ident,
    pub actions: Vec<Spanned<String>>,
    pub responsible: Vec<Ident>,
    pub strikes: Vec<Strike>,
    pub credits: Vec<Expr>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `strike` (against the obligation's owner) or `strike against marketing`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Strike {
    pub against: Option<Ident>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `cap credits at 50% * monthly_fee per period`
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Cap {
    pub amount: Expr,
    pub per: Spanned<CapWindow>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapWindow {
    Period,
    Unit(PeriodUnit),
    Agreement,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Terminate {
    pub subject: TerminateSubject,
    pub rule: Spanned<MissRule>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub enum TerminateSubject {
    AnyObligation(#[educe(PartialEq(ignore))] Span),
    Obligations(Vec<Ident>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissRule {
    /// Missed `n` periods in a row.
    InARow(u32),
    /// Missed `missed` of the last `window` periods.
    OfLast { missed: u32, window: u32 },
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Calendar {
    pub name: Ident,
    pub zones: Vec<Spanned<String>>,
    pub hours: Vec<Hours>,
    pub holidays: Vec<Holiday>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Hours {
    pub days: Vec<Spanned<DayRange>>,
    pub open: Spanned<Time>,
    pub close: Spanned<Time>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// Days of the week, Monday = 1 ... Sunday = 7, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    pub first: u8,
    pub last: u8,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Holiday {
    pub date: Spanned<Date>,
    pub name: Option<Spanned<String>>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Comparison {
    pub left: Expr,
    pub op: Spanned<CmpOp>,
    pub right: Expr,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Ge => ">=",
            CmpOp::Gt => ">",
            CmpOp::Le => "<=",
            CmpOp::Lt => "<",
            CmpOp::Eq => "==",
        }
    }
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq, Eq, Hash)]
pub struct Expr {
    pub kind: ExprKind,
    #[educe(PartialEq(ignore), Hash(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ExprKind {
    Literal(Quantity),
    Name(String),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

/// A number with the unit it was written in. Percentages are stored as fractions
/// (`50%` is 0.5) and durations in seconds, so that arithmetic stays exact.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: LiteralUnit,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LiteralUnit {
    Number,
    Percent,
    Duration,
    Money(Currency),
}

/// An event table the agreement reads rows from: `dataset leads { column … }`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Dataset {
    pub name: Ident,
    pub columns: Vec<Column>,
    /// The column whose values identify a row; a repeated value is a duplicate.
    pub key: Vec<Ident>,
    /// The column naming who answers for a row, shown with breaching records.
    pub owner: Vec<Ident>,
    /// Conditions every row must meet (`expect first_contact_at >= handed_over_at`).
    pub expects: Vec<RowCond>,
    /// The zone of timestamps written without an offset.
    pub zones: Vec<Spanned<String>>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Column {
    pub name: Ident,
    pub ty: Spanned<ColumnType>,
    pub optional: bool,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnType {
    Text,
    Int,
    /// At most this many digits after the decimal point.
    Decimal(u32),
    Money(Currency),
    Bool,
    Timestamp,
    /// Values of a declared segment; resolved by the checker.
    Segment(String),
}

impl ColumnType {
    pub const WORDS: [&'static str; 6] = ["text", "int", "decimal", "money", "bool", "timestamp"];
    /// Digits after the point a `decimal` column takes when it does not say.
    pub const DEFAULT_SCALE: u32 = 6;
}

/// `count of leads where … by handed_over_at`, `mean deal_value of leads by won_at`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Aggregate {
    pub func: Spanned<AggFn>,
    /// What is summed, averaged or ranked; `None` for `count` and `share`.
    pub value: Option<RowValue>,
    pub dataset: Ident,
    pub filter: Option<RowCond>,
    /// The timestamp column that places a row in a period.
    pub by: Ident,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AggFn {
    Count,
    Sum,
    Mean,
    Min,
    Max,
    Median,
    /// `percentile 90`: linear interpolation between the closest ranks.
    Percentile(Decimal),
    /// Share of the rows (after `where`) that meet the condition.
    Share(Box<RowCond>),
}

impl AggFn {
    pub fn word(&self) -> &'static str {
        match self {
            AggFn::Count => "count",
            AggFn::Sum => "sum",
            AggFn::Mean => "mean",
            AggFn::Min => "min",
            AggFn::Max => "max",
            AggFn::Median => "median",
            AggFn::Percentile(_) => "percentile",
            AggFn::Share(_) => "share",
        }
    }
}

/// A condition over one row. A comparison with an empty value is false, as in SQL.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub enum RowCond {
    Or(Vec<RowCond>, #[educe(PartialEq(ignore))] Span),
    And(Vec<RowCond>, #[educe(PartialEq(ignore))] Span),
    Not(Box<RowCond>, #[educe(PartialEq(ignore))] Span),
    /// `won_at is set`, `won_at is missing`.
    IsSet {
        column: Ident,
        set: bool,
        #[educe(PartialEq(ignore))]
        span: Span,
    },
    Cmp {
        left: Box<RowValue>,
        op: Spanned<RowOp>,
        right: Box<RowValue>,
        #[educe(PartialEq(ignore))]
        span: Span,
    },
}

impl RowCond {
    pub fn span(&self) -> Span {
        match self {
            RowCond::Or(_, span)
            | RowCond::And(_, span)
            | RowCond::Not(_, span)
            | RowCond::IsSet { span, .. }
            | RowCond::Cmp { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowOp {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
    Ne,
}

impl RowOp {
    pub fn symbol(self) -> &'static str {
        match self {
            RowOp::Ge => ">=",
            RowOp::Gt => ">",
            RowOp::Le => "<=",
            RowOp::Lt => "<",
            RowOp::Eq => "==",
            RowOp::Ne => "!=",
        }
    }
}

/// A value computed from one row: a column, a literal, or the time between two
/// timestamps (`first_contact_at - handed_over_at`), optionally counted in the
/// opening hours of a calendar.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct RowValue {
    pub left: RowTerm,
    pub minus: Option<RowTerm>,
    pub business_hours: Option<Ident>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RowTerm {
    Column(Ident),
    Text(Spanned<String>),
    Quantity(Spanned<Quantity>),
    Bool(Spanned<bool>),
    Group(Box<RowValue>),
}

impl RowTerm {
    pub fn span(&self) -> Span {
        match self {
            RowTerm::Column(c) => c.span,
            RowTerm::Text(t) => t.span,
            RowTerm::Quantity(q) => q.span,
            RowTerm::Bool(b) => b.span,
            RowTerm::Group(g) => g.span,
        }
    }
}

/// A promise over each row: `every leads where … from handed_over_at to
/// first_contact_at within 1h in business hours of office at least 95%`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct RecordPromise {
    pub dataset: Ident,
    pub filter: Option<RowCond>,
    /// The clock starts at this timestamp column; it also places the row in a period.
    pub from: Ident,
    /// The clock stops here; an empty value is a clock still running.
    pub to: Ident,
    pub within: Spanned<Quantity>,
    pub business_hours: Option<Ident>,
    /// The share of rows that must comply.
    pub at_least: Spanned<Quantity>,
    #[educe(PartialEq(ignore))]
    pub span: Span,
}
