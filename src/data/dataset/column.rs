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
    /// The values by text, for a segment with many: a scan per row would make
    /// reading grow with rows × values.
    pub index: rustc_hash::FxHashMap<Box<[u8]>, i64>,
}

/// Segments with more values than this are looked up by hash, not scanned.
const SCANNED: usize = 16;

impl ColumnSpec {
    /// A column; a segment column's values are indexed when there are many.
    pub fn new(name: String, kind: ColumnType, optional: bool, values: Vec<String>) -> Self {
        let index = if values.len() > SCANNED {
            values
                .iter()
                .enumerate()
                .map(|(i, v)| (v.as_bytes().into(), i as i64))
                .collect()
        } else {
            rustc_hash::FxHashMap::default()
        };
        ColumnSpec {
            name,
            kind,
            optional,
            values,
            index,
        }
    }

    /// The index of a segment value, by its text.
    #[inline]
    pub fn code(&self, raw: &[u8], same: impl Fn(&[u8], &[u8]) -> bool) -> Option<i64> {
        if self.index.is_empty() {
            self.values
                .iter()
                .position(|v| same(v.as_bytes(), raw))
                .map(|i| i as i64)
        } else {
            self.index.get(raw).copied()
        }
    }
}
