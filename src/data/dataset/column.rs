//! A dataset column's declared kind, as the reader parses it.

/// Nanoseconds: the scale of instants and durations.
pub const NANOS: u32 = 9;

#[derive(Debug, Clone)]
pub enum Kind {
    Text,
    Int,
    Decimal(u32),
    Money(String, u32),
    Bool,
    Timestamp,
    Segment(Vec<String>),
}

impl Kind {
    pub fn scale(&self) -> u32 {
        match self {
            Kind::Decimal(s) | Kind::Money(_, s) => *s,
            Kind::Timestamp => NANOS,
            _ => 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ColumnSpec {
    pub name: String,
    pub kind: Kind,
    pub optional: bool,
}
