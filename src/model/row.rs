//! Model: the one type system of dataset rows. A column's declared type
//! ([`ColumnType`], read from the tree once) is what the dataset reader parses each
//! field into; the type of anything computed from a row ([`RowType`]: a column, a
//! literal, a difference of two timestamps) is what the checker types conditions,
//! values and aggregates with. Both come from here, so the checker and the reader
//! cannot disagree about what a column holds.

use crate::syntax::ast::{self, Currency};

/// Nanoseconds: the scale at which the reader holds instants and durations.
pub const NANOS: u32 = 9;

/// What a dataset column holds, as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    /// Free text.
    Text,
    /// One of the values of the named segment.
    Segment(String),
    /// A whole number.
    Int,
    /// A number with at most this many digits after the point.
    Decimal(u32),
    /// An amount of this currency, to its minor unit (the scale: 2 for EUR, 0 for JPY).
    Money(Currency, u32),
    /// `true` or `false`.
    Bool,
    /// An instant, with an offset or in the dataset's time zone.
    Timestamp,
}

impl ColumnType {
    /// The type a column's declaration in the tree gives it.
    pub fn of(ty: &ast::ColumnType) -> ColumnType {
        match ty {
            ast::ColumnType::Text => ColumnType::Text,
            ast::ColumnType::Segment(s) => ColumnType::Segment(s.clone()),
            ast::ColumnType::Int => ColumnType::Int,
            ast::ColumnType::Decimal(scale) => ColumnType::Decimal(*scale),
            ast::ColumnType::Money(code) => {
                ColumnType::Money(code.clone(), crate::syntax::minor_units(&code.0))
            }
            ast::ColumnType::Bool => ColumnType::Bool,
            ast::ColumnType::Timestamp => ColumnType::Timestamp,
        }
    }

    /// Digits after the point of the integer the reader holds a value as.
    pub fn scale(&self) -> u32 {
        match self {
            ColumnType::Decimal(s) | ColumnType::Money(_, s) => *s,
            ColumnType::Timestamp => NANOS,
            _ => 0,
        }
    }

    /// The type of the column's value in a row expression.
    pub fn row_type(&self) -> RowType {
        match self {
            ColumnType::Text => RowType::Text,
            ColumnType::Segment(s) => RowType::Segment(s.clone()),
            ColumnType::Int => RowType::Int,
            ColumnType::Decimal(_) => RowType::Decimal,
            ColumnType::Money(c, _) => RowType::Money(c.clone()),
            ColumnType::Bool => RowType::Bool,
            ColumnType::Timestamp => RowType::Timestamp,
        }
    }
}

/// The type of a value computed from one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowType {
    /// Free text, from a text column or a quoted literal.
    Text,
    /// A value of the named segment.
    Segment(String),
    /// A whole number.
    Int,
    /// A number with a fractional part.
    Decimal,
    /// A literal number: compares with ints and decimals.
    Number,
    /// Money of one currency.
    Money(Currency),
    /// `true` or `false`.
    Bool,
    /// An instant.
    Timestamp,
    /// A length of time: a literal such as `1h`, or one timestamp minus another.
    Duration,
}

impl RowType {
    /// The type in the words of a diagnostic: "a whole number", "money (EUR)".
    pub fn describe(&self) -> String {
        match self {
            RowType::Text => "text".to_owned(),
            RowType::Segment(s) => format!("a `{s}` value"),
            RowType::Int => "a whole number".to_owned(),
            RowType::Decimal | RowType::Number => "a number".to_owned(),
            RowType::Money(c) => format!("money ({c})"),
            RowType::Bool => "true or false".to_owned(),
            RowType::Timestamp => "a timestamp".to_owned(),
            RowType::Duration => "a duration".to_owned(),
        }
    }

    /// Whether it is a plain number (compares and adds with other numbers).
    pub fn is_numeric(&self) -> bool {
        matches!(self, RowType::Int | RowType::Decimal | RowType::Number)
    }

    /// Whether it is text (free or a segment value).
    pub fn is_textual(&self) -> bool {
        matches!(self, RowType::Text | RowType::Segment(_))
    }
}
