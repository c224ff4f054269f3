//! A dataset column as the reader parses it: its declared type (from the model's one
//! row-type system) and, for a segment, the values it may take.

pub use crate::model::row::{ColumnType, NANOS};

#[derive(Debug, Clone)]
pub struct ColumnSpec {
    pub name: String,
    pub kind: ColumnType,
    pub optional: bool,
    /// A segment column's values, in declaration order (a field holds an index into
    /// them); empty for other columns.
    pub values: Vec<String>,
}
