//! Model: datasets as the data readers use them — each declaration with its
//! columns typed and its key, owner and zone resolved to columns, and every row
//! condition, row value, aggregate and per-row promise with its names resolved
//! (columns to their index in the dataset, calendars and datasets to ids). Lowered
//! once by the checker from a valid tree; the dataset reader compiles these, never
//! the tree.

use rust_decimal::Decimal;

use super::id::{CalendarId, DatasetId};
use super::row::ColumnType;
use crate::syntax::ast::Span;

pub use crate::syntax::ast::{LiteralUnit, Quantity, RowOp};

/// An event table the agreement reads rows from.
#[derive(Debug, Clone)]
pub struct DatasetDecl {
    /// The dataset's name.
    pub name: String,
    /// Its columns, in the order declared.
    pub columns: Vec<ColumnDecl>,
    /// The column whose values identify a row, if declared.
    pub key: Option<usize>,
    /// The column naming who answers for a row, if declared.
    pub owner: Option<usize>,
    /// The IANA zone of timestamps written without an offset, if declared.
    pub zone: Option<String>,
    /// The byte between fields of a CSV file: `,` unless declared otherwise.
    pub delimiter: u8,
    /// Conditions every row must meet, each with its text as written (for reports).
    pub expects: Vec<(RowCond, String)>,
}

/// A column of a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDecl {
    /// The column's name, as the file's header gives it.
    pub name: String,
    /// What it holds.
    pub ty: ColumnType,
    /// Whether a row may leave it empty.
    pub optional: bool,
}

/// A condition over one row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowCond {
    /// At least one holds.
    Or(Vec<RowCond>),
    /// All hold.
    And(Vec<RowCond>),
    /// The condition does not hold.
    Not(Box<RowCond>),
    /// A column has a value (`set`) or is empty (`!set`).
    IsSet {
        /// The column, by index in the dataset.
        column: usize,
        /// `true` for `is set`.
        set: bool,
    },
    /// Two row values compared.
    Cmp {
        /// The left-hand value.
        left: RowValue,
        /// The operator.
        op: RowOp,
        /// The right-hand value.
        right: RowValue,
    },
}

/// A value computed from one row: a term, or the difference of two, optionally
/// counted in a calendar's opening hours.
#[derive(Debug, Clone, PartialEq)]
pub struct RowValue {
    /// The value, or the first operand of a difference.
    pub left: RowTerm,
    /// What is subtracted from `left`.
    pub minus: Option<RowTerm>,
    /// The calendar whose opening hours alone count.
    pub business_hours: Option<CalendarId>,
}

/// One operand of a row value.
#[derive(Debug, Clone, PartialEq)]
pub enum RowTerm {
    /// The row's value in a column, by index in the dataset.
    Column(usize),
    /// A quoted text.
    Text(String),
    /// A number with its unit.
    Quantity(Quantity),
    /// `true` or `false`.
    Bool(bool),
    /// A value in parentheses.
    Group(Box<RowValue>),
}

/// How an aggregate reduces a period's rows to one value.
#[derive(Debug, Clone, PartialEq)]
pub enum AggFn {
    /// The number of rows.
    Count,
    /// The total of the values.
    Sum,
    /// The arithmetic mean of the values.
    Mean,
    /// The smallest value.
    Min,
    /// The largest value.
    Max,
    /// The middle value, as `percentile 50`.
    Median,
    /// Linear interpolation between the closest ranks.
    Percentile(Decimal),
    /// The share of the rows that meet the condition.
    Share(Box<RowCond>),
}

/// A metric computed from a dataset's rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// The function.
    pub func: AggFn,
    /// What is summed, averaged or ranked; `None` for `count` and `share`.
    pub value: Option<RowValue>,
    /// The dataset whose rows are aggregated.
    pub dataset: DatasetId,
    /// The condition a row must meet to be included.
    pub filter: Option<RowCond>,
    /// The timestamp column that places a row in a period, by index.
    pub by: usize,
}

/// A promise over each row: the time from one timestamp column to another, within
/// a limit, for at least a share of the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordPromise {
    /// The dataset whose rows are promised over.
    pub dataset: DatasetId,
    /// The condition selecting the rows the promise covers.
    pub filter: Option<RowCond>,
    /// The column the clock starts at (it also places the row in a period).
    pub from: usize,
    /// The column the clock stops at; empty means still running.
    pub to: usize,
    /// The time allowed.
    pub within: Limit,
    /// The calendar whose opening hours alone count.
    pub business_hours: Option<CalendarId>,
    /// The share of rows that must comply, as a fraction.
    pub at_least: Decimal,
    /// Where the promise is written.
    pub span: Span,
}

/// The time a per-row promise allows, in seconds.
#[derive(Debug, Clone, PartialEq)]
pub enum Limit {
    /// One limit for every row.
    Every(Decimal),
    /// A limit per value of a segment column: the column, and each value's limit.
    PerSegment {
        /// The segment column, by index in the dataset.
        column: usize,
        /// Each segment value with its limit, as written.
        limits: Vec<(String, Decimal)>,
    },
}
