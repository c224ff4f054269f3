//! Syntax tree, datasets: their columns, the aggregates metrics compute over rows,
//! conditions and values over one row, and promises made about each row.

use educe::Educe;
use rust_decimal::Decimal;

use super::*;

/// An event table the agreement reads rows from: `dataset leads { column … }`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Dataset {
    /// The dataset's name, as aggregates and `--data NAME=FILE` refer to it.
    pub name: Ident,
    /// The columns the agreement reads, in the order written.
    pub columns: Vec<Column>,
    /// The column whose values identify a row; a repeated value is a duplicate.
    pub key: Vec<Ident>,
    /// The column naming who answers for a row, shown with breaching records.
    pub owner: Vec<Ident>,
    /// Conditions every row must meet (`expect first_contact_at >= handed_over_at`).
    pub expects: Vec<RowCond>,
    /// The zone of timestamps written without an offset.
    pub zones: Vec<Spanned<String>>,
    /// `delimiter ";"`: the text between fields, when not a comma.
    pub delimiters: Vec<Spanned<String>>,
    /// The whole declaration.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `column NAME: TYPE [optional]`: one column of a dataset.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Column {
    /// The column's name, as the data file's header gives it.
    pub name: Ident,
    /// The column's type; the span covers a currency code or scale too.
    pub ty: Spanned<ColumnType>,
    /// Whether a row may leave the value empty (`optional`).
    pub optional: bool,
    /// The whole clause.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// The type of a dataset column: how its values are read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// `text`: any text.
    Text,
    /// `int`: a whole number.
    Int,
    /// At most this many digits after the decimal point.
    Decimal(u32),
    /// `money EUR`: an amount in one currency.
    Money(Currency),
    /// `bool`: `true` or `false`.
    Bool,
    /// `timestamp`: an instant; without an offset it is read in the dataset's `zone`.
    Timestamp,
    /// Values of a declared segment; resolved by the checker.
    Segment(String),
}

impl ColumnType {
    /// The built-in type words; any other word names a segment.
    pub const WORDS: [&'static str; 6] = ["text", "int", "decimal", "money", "bool", "timestamp"];
    /// Digits after the point a `decimal` column takes when it does not say.
    pub const DEFAULT_SCALE: u32 = 6;
}

/// `count of leads where … by handed_over_at`, `mean deal_value of leads by won_at`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Aggregate {
    /// The function, such as `count` or `percentile 90`, and where it is written.
    pub func: Spanned<AggFn>,
    /// What is summed, averaged or ranked; `None` for `count` and `share`.
    pub value: Option<RowValue>,
    /// The dataset whose rows are aggregated.
    pub dataset: Ident,
    /// The `where` condition a row must meet to be included, if any.
    pub filter: Option<RowCond>,
    /// The timestamp column that places a row in a period.
    pub by: Ident,
    /// The whole aggregate.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// How an aggregate reduces a period's rows to one value.
#[derive(Debug, Clone, PartialEq)]
pub enum AggFn {
    /// `count`: the number of rows.
    Count,
    /// `sum`: the total of the values.
    Sum,
    /// `mean`: the arithmetic mean of the values.
    Mean,
    /// `min`: the smallest value.
    Min,
    /// `max`: the largest value.
    Max,
    /// `median`: the middle value, as `percentile 50`.
    Median,
    /// `percentile 90`: linear interpolation between the closest ranks.
    Percentile(Decimal),
    /// Share of the rows (after `where`) that meet the condition.
    Share(Box<RowCond>),
}

impl AggFn {
    /// The function's keyword.
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
    /// `a or b …`: at least one holds.
    Or(Vec<RowCond>, #[educe(PartialEq(ignore))] Span),
    /// `a and b …`: all hold.
    And(Vec<RowCond>, #[educe(PartialEq(ignore))] Span),
    /// `not a`: `a` does not hold.
    Not(Box<RowCond>, #[educe(PartialEq(ignore))] Span),
    /// `won_at is set`, `won_at is missing`.
    IsSet {
        /// The column tested.
        column: Ident,
        /// `true` for `is set` or `is not missing`; `false` for `is missing` or `is not set`.
        set: bool,
        /// The whole test.
        #[educe(PartialEq(ignore))]
        span: Span,
    },
    /// `LEFT OP RIGHT`: two row values compared.
    Cmp {
        /// The left-hand value.
        left: Box<RowValue>,
        /// The operator.
        op: Spanned<RowOp>,
        /// The right-hand value.
        right: Box<RowValue>,
        /// The whole comparison.
        #[educe(PartialEq(ignore))]
        span: Span,
    },
}

impl RowCond {
    /// Where the condition is written.
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

/// A comparison operator in a row condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowOp {
    /// `>=`: at least.
    Ge,
    /// `>`: more than.
    Gt,
    /// `<=`: at most.
    Le,
    /// `<`: less than.
    Lt,
    /// `==`: equal.
    Eq,
    /// `!=`: not equal.
    Ne,
}

impl RowOp {
    /// The operator as written.
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
    /// The value, or the first operand of a difference (`left - minus`).
    pub left: RowTerm,
    /// What is subtracted from `left`, as for the time between two timestamps.
    pub minus: Option<RowTerm>,
    /// The calendar whose opening hours alone count (`in business hours of NAME`), if any.
    pub business_hours: Option<Ident>,
    /// The whole value.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// One operand of a row value.
#[derive(Debug, Clone, PartialEq)]
pub enum RowTerm {
    /// The row's value in a column.
    Column(Ident),
    /// A quoted text.
    Text(Spanned<String>),
    /// A number with its unit.
    Quantity(Spanned<Quantity>),
    /// `true` or `false`.
    Bool(Spanned<bool>),
    /// A value in parentheses.
    Group(Box<RowValue>),
}

impl RowTerm {
    /// Where the term is written.
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
    /// The dataset whose rows are promised over.
    pub dataset: Ident,
    /// The `where` condition selecting the rows the promise covers, if any.
    pub filter: Option<RowCond>,
    /// The clock starts at this timestamp column; it also places the row in a period.
    pub from: Ident,
    /// The clock stops here; an empty value is a clock still running.
    pub to: Ident,
    /// The time allowed between `from` and `to`: one duration, or one per segment value.
    pub within: Within,
    /// The calendar whose opening hours alone count, if any.
    pub business_hours: Option<Ident>,
    /// The share of rows that must comply.
    pub at_least: Spanned<Quantity>,
    /// The whole promise.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// The time a per-row promise allows.
#[derive(Debug, Clone, PartialEq)]
pub enum Within {
    /// `within 1h`: one limit for every row.
    Every(Spanned<Quantity>),
    /// `within per priority { p1: 1h, p2: 4h }`: a limit per value of a segment column.
    PerSegment(WithinPer),
}

impl Within {
    /// Every limit written, with where.
    pub fn limits(&self) -> Vec<&Spanned<Quantity>> {
        match self {
            Within::Every(q) => vec![q],
            Within::PerSegment(per) => per.limits.iter().map(|l| &l.limit).collect(),
        }
    }
}

/// `per COLUMN { VALUE: LIMIT, … }` after `within`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct WithinPer {
    /// The dataset column whose segment value picks the limit.
    pub column: Ident,
    /// The limits, in the order written.
    pub limits: Vec<SegmentLimit>,
    /// The whole block.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// `VALUE: LIMIT` inside `within per COLUMN { … }`.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct SegmentLimit {
    /// The segment value.
    pub value: Ident,
    /// The time allowed for rows of that value.
    pub limit: Spanned<Quantity>,
}
