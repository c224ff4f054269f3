//! Rows read from a dataset a batch at a time and kept column by column: each
//! compiled condition and value is then worked out for the whole batch in one tight
//! loop, instead of walking the condition's tree again for every row.

use super::column::{ColumnSpec, ColumnType};
use super::field;
use super::records::{Place, Record};

/// Rows per batch: enough to spread the cost of walking a condition's tree, few
/// enough that a batch's columns stay in the processor's cache.
pub const ROWS: usize = 1024;

/// An empty cell. No parsed number can be `i64::MIN`: the number parsers refuse its
/// magnitude, and instants stop at the year 2100.
pub const EMPTY: i64 = i64::MIN;

/// SQL's three truth values, ordered so that `and` is the minimum and `or` the maximum.
pub const FALSE: u8 = 0;
pub const UNKNOWN: u8 = 1;
pub const TRUE: u8 = 2;

/// A computed value that is absent: an empty cell or an overflow. Values are `i64`
/// cells lifted by powers of ten, so only a contrived subtraction could reach it, and
/// such a result is treated like an overflow.
pub const NO_VALUE: i128 = i128::MIN;

pub struct Batch {
    pub len: usize,
    /// Where each row came from: a plain line (its bytes in `text`, its number of
    /// fields), or a record with quotes (kept in `records` at the row's index, for
    /// the column numbers and text of rows reported).
    sources: Vec<Source>,
    records: Vec<Record>,
    /// Field ends of the line being split.
    ends: Vec<usize>,
    /// Every row's bytes one after another, and per declared column each row's
    /// field in them (start, end): a column is then read from one place in memory
    /// instead of from a thousand records.
    text: Vec<u8>,
    spans: Vec<Vec<(usize, usize)>>,
    /// Per row, the line it was read on (within the piece) and the file offset of
    /// its first byte, for the rows reported.
    pub lines: Vec<u64>,
    pub bytes: Vec<u64>,
    /// Per declared column, one cell per row: numbers at the column's scale
    /// (instants in nanoseconds), booleans as 0 or 1, segment values by index, text
    /// as 0 (its bytes are in the batch's buffer); [`EMPTY`] when the field is empty.
    cells: Vec<Vec<i64>>,
    /// Declared column to field of the record.
    fields: Vec<usize>,
    /// Whether declared column `i` is field `i`.
    in_order: bool,
    /// The byte between fields.
    delimiter: u8,
}

impl Batch {
    pub fn new(columns: usize, fields: Vec<usize>, delimiter: u8) -> Batch {
        Batch {
            len: 0,
            sources: vec![Source::Record; ROWS],
            records: Vec::new(),
            ends: Vec::new(),
            text: Vec::new(),
            spans: vec![vec![(0, 0); ROWS]; fields.len()],
            lines: vec![0; ROWS],
            bytes: vec![0; ROWS],
            cells: vec![vec![EMPTY; ROWS]; columns],
            in_order: fields.iter().enumerate().all(|(i, f)| i == *f),
            fields,
            delimiter,
        }
    }

    /// Takes a line without quotes, found at `at`; `true` when the batch is full.
    pub fn push_line(&mut self, line: &[u8], at: Place) -> bool {
        let base = self.text.len();
        self.text.extend_from_slice(line);
        let row = self.len;
        let mut fields = 0;
        if self.in_order {
            // Declared columns are the file's first fields, in order (the usual
            // case): each field's span is written as its end is found.
            let (spans, mut start) = (&mut self.spans, base);
            super::records::each_field_end(line, self.delimiter, |end| {
                if let Some(slot) = spans.get_mut(fields).and_then(|s| s.get_mut(row)) {
                    *slot = (start, base + end);
                }
                start = base + end + 1;
                fields += 1;
            });
            // A short line: the missing fields are empty (the row is refused).
            for spans in self.spans.iter_mut().skip(fields) {
                if let Some(slot) = spans.get_mut(row) {
                    *slot = (base, base);
                }
            }
        } else {
            self.ends.clear();
            super::records::field_ends(line, self.delimiter, &mut self.ends);
            fields = self.ends.len();
            for (spans, field) in self.spans.iter_mut().zip(&self.fields) {
                let span = super::records::field_range(&self.ends, *field, 1)
                    .map_or((base, base), |(s, e)| (base + s, base + e));
                if let Some(slot) = spans.get_mut(row) {
                    *slot = span;
                }
            }
        }
        let source = Source::Line {
            start: base,
            end: self.text.len(),
            fields,
        };
        self.take(source, at)
    }

    /// Takes a record found at `at` (leaving the caller an old one to reuse);
    /// `true` when the batch is full.
    pub fn push_record(&mut self, record: &mut Record, at: Place) -> bool {
        let base = self.text.len();
        self.text.extend_from_slice(record.bytes());
        for (spans, field) in self.spans.iter_mut().zip(&self.fields) {
            let span = record
                .range(*field)
                .map_or((base, base), |(s, e)| (base + s, base + e));
            if let Some(slot) = spans.get_mut(self.len) {
                *slot = span;
            }
        }
        while self.records.len() <= self.len {
            self.records.push(Record::default());
        }
        if let Some(slot) = self.records.get_mut(self.len) {
            std::mem::swap(slot, record);
        }
        self.take(Source::Record, at)
    }

    fn take(&mut self, source: Source, at: Place) -> bool {
        if let Some(s) = self.sources.get_mut(self.len) {
            *s = source;
        }
        if let Some(l) = self.lines.get_mut(self.len) {
            *l = at.line;
        }
        if let Some(b) = self.bytes.get_mut(self.len) {
            *b = at.byte;
        }
        self.len += 1;
        self.len >= ROWS
    }

    /// How many fields a row has.
    pub fn field_count(&self, row: usize) -> usize {
        match self.sources.get(row) {
            Some(Source::Line { fields, .. }) => *fields,
            _ => self.records.get(row).map_or(0, Record::len),
        }
    }

    /// Whether a row has a quote that is never closed.
    pub fn unclosed(&self, row: usize) -> bool {
        matches!(self.sources.get(row), Some(Source::Record))
            && self.records.get(row).is_some_and(|r| r.unclosed)
    }

    /// A row's fields joined by commas, to show a row that does not fit.
    pub fn joined(&self, row: usize) -> Vec<u8> {
        match self.sources.get(row) {
            Some(Source::Line { start, end, .. }) => {
                self.text.get(*start..*end).unwrap_or_default().to_vec()
            }
            _ => self
                .records
                .get(row)
                .map(Record::joined)
                .unwrap_or_default(),
        }
    }

    /// Where a row was found: its line (within the piece) and first byte.
    pub fn place(&self, row: usize) -> Place {
        Place {
            line: self.lines.get(row).copied().unwrap_or(0),
            byte: self.bytes.get(row).copied().unwrap_or(0),
        }
    }

    /// The column (byte in its line, from 1) where a declared column's field starts.
    pub fn position(&self, col: usize, row: usize) -> u64 {
        match self.sources.get(row) {
            Some(Source::Line { start, .. }) => {
                let field = self.spans.get(col).and_then(|s| s.get(row));
                field.map_or(1, |(s, _)| s.saturating_sub(*start) as u64 + 1)
            }
            _ => {
                let field = self.fields.get(col).copied().unwrap_or(0);
                self.records.get(row).map_or(1, |r| r.column(field))
            }
        }
    }

    /// Empties the batch for the next rows.
    pub fn clear(&mut self) {
        self.len = 0;
        self.text.clear();
    }

    #[inline]
    pub fn cell(&self, col: usize, row: usize) -> i64 {
        self.cells
            .get(col)
            .and_then(|c| c.get(row))
            .copied()
            .unwrap_or(EMPTY)
    }

    /// The cells of a column for the rows of the batch.
    #[inline]
    pub fn column(&self, col: usize) -> &[i64] {
        self.cells
            .get(col)
            .and_then(|c| c.get(..self.len))
            .unwrap_or_default()
    }

    /// The raw text of a declared column in a row.
    pub fn field(&self, col: usize, row: usize) -> Option<&[u8]> {
        let (start, end) = *self.spans.get(col)?.get(row)?;
        self.text.get(start..end)
    }

    /// A text cell's bytes; `None` when it is empty.
    pub fn text(&self, col: usize, row: usize) -> Option<&[u8]> {
        if self.cell(col, row) == EMPTY {
            None
        } else {
            self.field(col, row)
        }
    }

    /// Parses the rows still `ok` by the schema, a column at a time (one kind of
    /// parser per loop). A row that does not fit is no longer `ok`, and gets the
    /// first declared column whose value does not, and why, in `failures`.
    pub fn parse(
        &mut self,
        columns: &[ColumnSpec],
        zone: Option<&jiff::tz::TimeZone>,
        ok: &mut [bool],
        failures: &mut [Option<(usize, String)>],
    ) {
        for (col, (spec, cells)) in columns.iter().zip(&mut self.cells).enumerate() {
            let mut pass = Pass {
                text: &self.text,
                spans: self.spans.get(col).map_or(&[][..], Vec::as_slice),
                col,
                optional: spec.optional,
                cells,
                ok: &mut *ok,
                failures: &mut *failures,
            };
            // Each kind has a quick reading of the usual values; anything else (an
            // empty field among them) goes to the full parser, which explains.
            match &spec.kind {
                ColumnType::Text => pass.run(
                    |raw| (!raw.is_empty() && raw.is_ascii()).then_some(0),
                    |raw| match std::str::from_utf8(raw) {
                        Ok(_) => Ok(0),
                        Err(_) => Err("not valid UTF-8".to_owned()),
                    },
                ),
                ColumnType::Int => pass.run(|raw| field::usual_number(raw, 0), field::int),
                ColumnType::Decimal(scale) => pass.run(
                    |raw| field::usual_number(raw, *scale),
                    |raw| field::scaled(raw, *scale),
                ),
                ColumnType::Money(code, scale) => pass.run(
                    |raw| field::usual_number(raw, *scale),
                    |raw| field::money(raw, &code.0, *scale),
                ),
                ColumnType::Bool => pass.run(
                    |raw| match raw {
                        b"true" => Some(1),
                        b"false" => Some(0),
                        _ => None,
                    },
                    |raw| field::boolean(raw).map(i64::from),
                ),
                ColumnType::Timestamp => {
                    pass.run(field::usual_timestamp, |raw| field::timestamp(raw, zone))
                }
                ColumnType::Segment(_) => pass.run(
                    |raw| spec.code(raw, same),
                    |raw| Err(segment_help(raw, &spec.values)),
                ),
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Source {
    Line {
        start: usize,
        end: usize,
        fields: usize,
    },
    Record,
}

/// One column of a batch being parsed.
struct Pass<'a> {
    text: &'a [u8],
    spans: &'a [(usize, usize)],
    col: usize,
    optional: bool,
    cells: &'a mut [i64],
    ok: &'a mut [bool],
    failures: &'a mut [Option<(usize, String)>],
}

impl Pass<'_> {
    #[inline]
    fn run(
        &mut self,
        quick: impl Fn(&[u8]) -> Option<i64>,
        full: impl Fn(&[u8]) -> Result<i64, String>,
    ) {
        let rows = self
            .spans
            .iter()
            .zip(self.cells.iter_mut())
            .zip(self.ok.iter_mut().zip(self.failures.iter_mut()));
        for ((span, cell), (ok, failure)) in rows {
            if !*ok {
                continue;
            }
            let raw = self.text.get(span.0..span.1).unwrap_or_default();
            if let Some(value) = quick(raw) {
                *cell = value;
                continue;
            }
            let parsed = if raw.is_empty() {
                if self.optional {
                    Ok(EMPTY)
                } else {
                    Err("the column is not optional, but the value is empty".to_owned())
                }
            } else {
                full(raw)
            };
            match parsed {
                Ok(value) => *cell = value,
                Err(reason) => {
                    *ok = false;
                    *failure = Some((self.col, reason));
                }
            }
        }
    }
}

/// Whether two texts are equal. Segment values are short: compared as at most two
/// overlapping words rather than by a call to `memcmp`.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        8..=16 => {
            a.first_chunk::<8>() == b.first_chunk::<8>()
                && a.last_chunk::<8>() == b.last_chunk::<8>()
        }
        4..=7 => {
            a.first_chunk::<4>() == b.first_chunk::<4>()
                && a.last_chunk::<4>() == b.last_chunk::<4>()
        }
        _ => a == b,
    }
}

fn segment_help(raw: &[u8], values: &[String]) -> String {
    let text = String::from_utf8_lossy(raw);
    // A segment may have thousands of values: a few are named, the rest counted.
    let mut listed: Vec<String> = values.iter().take(8).map(|v| format!("`{v}`")).collect();
    if values.len() > listed.len() {
        listed.push(format!("… ({} values in all)", values.len()));
    }
    match crate::suggest::did_you_mean(&text, values.iter().map(String::as_str)) {
        Some(s) => format!("not one of {}; did you mean `{s}`?", listed.join(", ")),
        None => format!("not one of {}", listed.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn short_texts_compare_like_slices() {
        for len in 0..20usize {
            let a: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same(&a, &a.clone()));
            for at in 0..len {
                let mut b = a.clone();
                if let Some(byte) = b.get_mut(at) {
                    *byte ^= 0x20;
                }
                assert!(!same(&a, &b), "{len} {at}");
            }
            assert!(!same(&a, &[a.as_slice(), b"x"].concat()));
        }
    }
}
