//! One pass over a dataset file: CSV split into pieces read on one thread each, or
//! NDJSON line by line. Every row is parsed by its declared types, checked (key,
//! expectations, clocks) and added to the running totals; no row is kept.

use std::fs::File;
use std::hash::{DefaultHasher, Hasher};
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use rustc_hash::FxHashSet;

use super::field::{self, Cell};
use super::program::{Kind, Row};
use super::records::{Place, Record, Records};
use super::tally::{Breach, Tally};
use super::{IssueKind, Program, RowIssue as Issue};

/// Rows excluded, by kind, with the first few of each.
#[derive(Debug, Clone, Default)]
pub struct Quality {
    pub counts: [u64; IssueKind::ALL.len()],
    pub examples: Vec<Issue>,
}

/// The first rows of each kind kept as examples.
pub const EXAMPLES: usize = 5;

impl Issue {
    fn new(
        kind: IssueKind,
        line: u64,
        column: u64,
        field: Option<&str>,
        value: &[u8],
        reason: String,
    ) -> Issue {
        Issue {
            kind,
            line,
            column,
            field: field.map(str::to_owned),
            value: visible(&String::from_utf8_lossy(value)),
            reason,
        }
    }
}

impl Quality {
    fn note(&mut self, issue: Issue) {
        let kind = issue.kind as usize;
        if let Some(c) = self.counts.get_mut(kind) {
            *c += 1;
            if *c <= EXAMPLES as u64 {
                self.examples.push(issue);
            }
        }
    }

    /// Adds a later piece of the file.
    pub fn merge(&mut self, other: Quality) {
        for (kind, n) in other.counts.iter().enumerate() {
            if let Some(c) = self.counts.get_mut(kind) {
                let room = (EXAMPLES as u64).saturating_sub(*c) as usize;
                self.examples.extend(
                    other
                        .examples
                        .iter()
                        .filter(|i| i.kind as usize == kind)
                        .take(room)
                        .cloned(),
                );
                *c += n;
            }
        }
    }
}

/// What one piece of the file yields.
pub struct Piece {
    pub tally: Tally,
    pub quality: Quality,
    pub rows: u64,
    pub used: u64,
    /// Fingerprints of the keys seen, to find keys repeated across pieces.
    pub keys: Keys,
    /// Where the piece's first row starts (its line counted within the piece).
    pub first: Place,
    /// Where the row after the piece's last starts (its line within the piece).
    pub stop: Place,
}

/// Key fingerprints: checked row by row in a hash set, or (for large files) only
/// collected, and checked once sorted. Sorting millions of fingerprints costs far
/// less than probing a hash table that large for every row; when the sorted check
/// finds a repeated key, the file is read again row by row, so that the first row
/// with the key counts.
#[derive(Default)]
pub enum Keys {
    #[default]
    None,
    Exact(FxHashSet<u64>),
    Deferred(Vec<u64>),
}

struct Scanner<'p> {
    program: &'p Program,
    tally: Tally,
    quality: Quality,
    keys: Keys,
    cells: Vec<Cell>,
    periods: Vec<Option<usize>>,
    /// This row's verdict on each filter, tested when first needed.
    verdicts: Vec<u8>,
    rows: u64,
    used: u64,
}

impl<'p> Scanner<'p> {
    fn new(program: &'p Program, expected_rows: usize, deferred: bool) -> Self {
        let keys = match (program.schema.key.is_some(), deferred) {
            (false, _) => Keys::None,
            (true, false) => Keys::Exact(FxHashSet::with_capacity_and_hasher(
                expected_rows,
                Default::default(),
            )),
            (true, true) => Keys::Deferred(Vec::with_capacity(expected_rows)),
        };
        Scanner {
            program,
            tally: program.new_tally(),
            quality: Quality::default(),
            keys,
            cells: vec![Cell::Null; program.schema.columns.len()],
            periods: vec![None; program.groupings.len()],
            verdicts: vec![UNTESTED; program.filters.len()],
            rows: 0,
            used: 0,
        }
    }

    fn issue(
        &mut self,
        kind: IssueKind,
        line: u64,
        column: u64,
        field: Option<&str>,
        value: &[u8],
        reason: String,
    ) {
        self.quality
            .note(Issue::new(kind, line, column, field, value, reason));
    }

    /// Parses, checks and counts one row. `fields` maps declared columns to fields.
    fn row(&mut self, record: &Record, fields: &[usize], expected_fields: usize, line: u64) {
        self.rows += 1;
        let program = self.program;
        let schema = &program.schema;
        if record.unclosed {
            self.issue(
                IssueKind::Malformed,
                line,
                1,
                None,
                &record.joined(),
                "a field opens a quote that is never closed; the row is read as far as its line ends".to_owned(),
            );
            return;
        }
        if record.len() != expected_fields {
            self.issue(
                IssueKind::Malformed,
                line,
                1,
                None,
                &record.joined(),
                format!("expected {expected_fields} fields, found {}", record.len()),
            );
            return;
        }
        // One check of the whole row (ASCII in practice, so fast) spares one per text field.
        let all_text = record.is_utf8();
        for (col, spec) in schema.columns.iter().enumerate() {
            let field_index = fields.get(col).copied().unwrap_or(usize::MAX);
            let raw = record.get(field_index).unwrap_or_default();
            let parsed = if raw.is_empty() {
                if spec.optional {
                    Ok(Cell::Null)
                } else {
                    Err("the column is not optional, but the value is empty".to_owned())
                }
            } else {
                match &spec.kind {
                    Kind::Text if all_text => Ok(Cell::Text),
                    Kind::Text => std::str::from_utf8(raw)
                        .map(|_| Cell::Text)
                        .map_err(|_| "not valid UTF-8".to_owned()),
                    Kind::Int => field::int(raw).map(Cell::Num),
                    Kind::Decimal(scale) => field::scaled(raw, *scale).map(Cell::Num),
                    Kind::Money(code, scale) => field::money(raw, code, *scale).map(Cell::Num),
                    Kind::Bool => field::boolean(raw).map(Cell::Bool),
                    Kind::Timestamp => field::timestamp(raw, schema.zone.as_ref()).map(Cell::Num),
                    Kind::Segment(values) => {
                        match values.iter().position(|v| v.as_bytes() == raw) {
                            Some(i) => Ok(Cell::Seg(u16::try_from(i).unwrap_or(u16::MAX))),
                            None => Err(segment_help(raw, values)),
                        }
                    }
                }
            };
            match parsed {
                Ok(cell) => {
                    if let Some(slot) = self.cells.get_mut(col) {
                        *slot = cell;
                    }
                }
                Err(reason) => {
                    let column = record.column(field_index);
                    self.issue(
                        IssueKind::Malformed,
                        line,
                        column,
                        Some(&spec.name),
                        raw,
                        reason,
                    );
                    return;
                }
            }
        }
        let verdicts = &mut self.verdicts;
        verdicts.fill(UNTESTED);
        let row = Row {
            cells: &self.cells,
            record,
            fields,
        };
        let tables = &program.tables;
        for (cond, text) in &schema.expects {
            if cond.eval(&row, tables) == Some(false) {
                let value = describe_row(&row, schema, text);
                self.quality.note(Issue::new(
                    IssueKind::Expectation,
                    line,
                    1,
                    None,
                    value.as_bytes(),
                    format!("fails `expect {text}`"),
                ));
                return;
            }
        }
        for clock in &program.clocks {
            if let (Some(Cell::Num(start)), Some(Cell::Num(stop))) =
                (row.cells.get(clock.from), row.cells.get(clock.to))
                && stop < start
            {
                let name = |c: usize| schema.columns.get(c).map_or("", |c| c.name.as_str());
                let reason = format!(
                    "`{}` is before `{}`: the clock of `{}` would run backwards",
                    name(clock.to),
                    name(clock.from),
                    clock.obligation
                );
                let column = record.column(fields.get(clock.to).copied().unwrap_or(0));
                let value = row.field(clock.to).unwrap_or_default().to_vec();
                self.quality.note(Issue::new(
                    IssueKind::ClockReversed,
                    line,
                    column,
                    Some(name(clock.to)),
                    &value,
                    reason,
                ));
                return;
            }
        }
        if let Some(key_col) = schema.key {
            let key = row.field(key_col).unwrap_or_default();
            let mut hasher = DefaultHasher::new();
            hasher.write(key);
            let fresh = match &mut self.keys {
                Keys::Exact(set) => set.insert(hasher.finish()),
                Keys::Deferred(list) => {
                    list.push(hasher.finish());
                    true
                }
                Keys::None => true,
            };
            if !fresh {
                let column = record.column(fields.get(key_col).copied().unwrap_or(0));
                let name = schema.columns.get(key_col).map(|c| c.name.clone());
                self.quality.note(Issue::new(
                    IssueKind::DuplicateKey,
                    line,
                    column,
                    name.as_deref(),
                    key,
                    "an earlier row has the same key; the first one counts".to_owned(),
                ));
                return;
            }
        }
        self.used += 1;
        for (slot, col) in self.periods.iter_mut().zip(&program.groupings) {
            *slot = match row.cells.get(*col) {
                Some(Cell::Num(t)) => program.period_of(*t),
                _ => None,
            };
        }
        for (covered, period) in self.tally.covered.iter_mut().zip(&self.periods) {
            if let Some(p) = period
                && let Some(c) = covered.get_mut(*p)
            {
                *c += 1;
            }
        }
        let segment_of = |segment: Option<(usize, usize)>| match segment {
            Some((col, n)) => match row.cells.get(col) {
                Some(Cell::Seg(s)) => usize::from(*s).min(n),
                _ => n,
            },
            None => 0,
        };
        // The period a plan, store or clock places this row in, if the row passes
        // its filter.
        let periods = &self.periods;
        let place = |verdicts: &mut [u8], by: usize, filter: Option<usize>| -> Option<usize> {
            let period = (*periods.get(by)?)?;
            match filter {
                Some(f) if !passes(verdicts, program, f, &row) => None,
                _ => Some(period),
            }
        };
        for (plan, accs) in program.plans.iter().zip(self.tally.accs.iter_mut()) {
            let Some(period) = place(verdicts, plan.by, plan.filter) else {
                continue;
            };
            let width = super::tally::buckets(plan.segment);
            let Some(acc) = accs.get_mut(period * width + segment_of(plan.segment)) else {
                continue;
            };
            match &plan.kind {
                super::program::PlanKind::Count => acc.yes += 1,
                super::program::PlanKind::Sum(v) | super::program::PlanKind::Mean(v) => {
                    if let Some(x) = v.num(&row, tables) {
                        acc.sum += x;
                        acc.yes += 1;
                    }
                }
                super::program::PlanKind::Share(f) => {
                    acc.rows += 1;
                    if passes(verdicts, program, *f, &row) {
                        acc.yes += 1;
                    }
                }
                super::program::PlanKind::Ranked { .. } => {}
            }
        }
        for (store, lists) in program.stores.iter().zip(self.tally.values.iter_mut()) {
            let Some(period) = place(verdicts, store.by, store.filter) else {
                continue;
            };
            let Some(x) = store
                .value
                .num(&row, tables)
                .and_then(|x| i64::try_from(x).ok())
            else {
                continue;
            };
            let width = super::tally::buckets(store.segment);
            if let Some(list) = lists
                .get_mut(period * width + segment_of(store.segment))
                .and_then(|b| b.first_mut())
            {
                list.push(x);
            }
        }
        for (clock, accs) in program.clocks.iter().zip(self.tally.clocks.iter_mut()) {
            let Some(period) = place(verdicts, clock.by, clock.filter) else {
                continue;
            };
            let Some(acc) = accs.get_mut(period) else {
                continue;
            };
            let Some(Cell::Num(start)) = row.cells.get(clock.from).copied() else {
                continue;
            };
            let stop = match row.cells.get(clock.to) {
                Some(Cell::Num(t)) => Some(*t),
                _ => None,
            };
            // A clock still running is measured to the end of its period (or of the
            // day evaluated to), and counts as a breach.
            let until = stop.unwrap_or_else(|| program.clock_end(period));
            let elapsed = match clock.hours.and_then(|h| tables.get(h)) {
                Some(table) => table.between(start, until),
                None => until.saturating_sub(start),
            };
            // A clock started after the day evaluated to has not run yet.
            let elapsed = if stop.is_none() {
                elapsed.max(0)
            } else {
                elapsed
            };
            acc.rows += 1;
            if stop.is_some() && elapsed <= clock.limit {
                acc.complied += 1;
                continue;
            }
            if stop.is_none() {
                acc.open += 1;
            }
            let late = elapsed.saturating_sub(clock.limit);
            if !acc.keeps(late, program.keep_breaches) {
                continue;
            }
            let text = |c: Option<usize>| {
                c.and_then(|c| row.field(c))
                    .map(|f| String::from_utf8_lossy(f).into_owned())
            };
            acc.breach(
                Breach {
                    line,
                    key: text(schema.key),
                    owner: text(schema.owner),
                    start,
                    stop,
                    elapsed,
                    late,
                },
                program.keep_breaches,
            );
        }
    }

    fn finish(mut self, first: Place, stop: Place) -> Piece {
        self.tally.sort_values();
        if let Keys::Deferred(list) = &mut self.keys {
            list.sort_unstable();
        }
        Piece {
            tally: self.tally,
            quality: self.quality,
            rows: self.rows,
            used: self.used,
            keys: self.keys,
            first,
            stop,
        }
    }
}

/// A value as a report shows it: at most 160 characters, line breaks and other
/// control characters escaped so that they cannot break the report's layout.
fn visible(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(160) {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

const UNTESTED: u8 = 0;
const PASSES: u8 = 1;
const FAILS: u8 = 2;

/// Whether a row passes filter `f` (true, not unknown), testing it once per row.
fn passes(verdicts: &mut [u8], program: &Program, f: usize, row: &Row<'_>) -> bool {
    match verdicts.get(f) {
        Some(&PASSES) => true,
        Some(&FAILS) | None => false,
        Some(_) => {
            let pass = program
                .filters
                .get(f)
                .is_some_and(|c| c.eval(row, &program.tables) == Some(true));
            if let Some(v) = verdicts.get_mut(f) {
                *v = if pass { PASSES } else { FAILS };
            }
            pass
        }
    }
}

fn segment_help(raw: &[u8], values: &[String]) -> String {
    let text = String::from_utf8_lossy(raw);
    let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match crate::suggest::did_you_mean(&text, values.iter().map(String::as_str)) {
        Some(s) => format!("not one of {}; did you mean `{s}`?", listed.join(", ")),
        None => format!("not one of {}", listed.join(", ")),
    }
}

/// The values an expectation reads, for the report: `handed_over_at=…, first_contact_at=…`.
fn describe_row(row: &Row<'_>, schema: &super::program::Schema, text: &str) -> String {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut parts = Vec::new();
    for (col, spec) in schema.columns.iter().enumerate() {
        if words.contains(&spec.name.as_str()) {
            let value = row
                .field(col)
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            parts.push(format!("{}={value}", spec.name));
        }
    }
    parts.join(", ")
}

/// Why a file could not be read as a whole.
pub enum ScanError {
    Io(String),
    MissingColumn { column: String, found: Vec<String> },
    BadHeader { line: u64 },
}

/// Reads a CSV file on `threads` threads (one piece each). Keys repeated across
/// pieces, or a piece boundary that fell inside a quoted field, make it read the
/// file again on one thread, so the result never depends on where it was cut.
pub fn csv(
    path: &Path,
    program: &Program,
    threads: usize,
    parallel_from: u64,
) -> Result<(Vec<Piece>, usize), ScanError> {
    let io = |e: std::io::Error| ScanError::Io(e.to_string());
    let size = std::fs::metadata(path).map_err(io)?.len();
    let (fields, expected_fields, data_start, header_lines) = header(path, program)?;
    let layout = Layout {
        fields: &fields,
        expected_fields,
        data_start,
        size,
        rows: estimate_rows(path, data_start, size).map_err(io)?,
    };
    if size >= parallel_from {
        let attempt = read_pieces(path, program, &layout, threads.max(1), true)?;
        if consistent(&attempt) {
            return Ok((attempt, header_lines));
        }
    }
    let one = read_pieces(path, program, &layout, 1, false)?;
    Ok((one, header_lines))
}

/// Whether the pieces met where they should and no key repeats.
fn consistent(pieces: &[Piece]) -> bool {
    for pair in pieces.windows(2) {
        if let [a, b] = pair
            && a.stop.byte != b.first.byte
        {
            return false;
        }
    }
    let sorted: Vec<&[u64]> = pieces
        .iter()
        .filter_map(|p| match &p.keys {
            Keys::Deferred(list) => Some(list.as_slice()),
            _ => None,
        })
        .collect();
    if sorted
        .iter()
        .any(|list| list.windows(2).any(|w| w.first() == w.last()))
    {
        return false;
    }
    for (i, a) in sorted.iter().enumerate() {
        for b in sorted.iter().skip(i + 1) {
            if share_any(a, b) {
                return false;
            }
        }
    }
    true
}

/// Whether two sorted lists have a value in common.
fn share_any(a: &[u64], b: &[u64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

type Header = (Vec<usize>, usize, u64, usize);

/// Maps declared columns to the header's fields; where the first row starts.
fn header(path: &Path, program: &Program) -> Result<Header, ScanError> {
    let file = File::open(path).map_err(|e| ScanError::Io(e.to_string()))?;
    let mut reader = Records::new(file, 0).map_err(|e| ScanError::Io(e.to_string()))?;
    let mut record = Record::default();
    let found = reader
        .next(&mut record)
        .map_err(|e| ScanError::Io(e.to_string()))?
        .is_some();
    let names: Vec<String> = if found {
        (0..record.len())
            .map(|i| {
                std::str::from_utf8(record.get(i).unwrap_or_default()).map(|s| s.trim().to_owned())
            })
            .collect::<Result<_, _>>()
            .map_err(|_| ScanError::BadHeader { line: 1 })?
    } else {
        Vec::new()
    };
    let mut fields = Vec::new();
    for spec in &program.schema.columns {
        match names.iter().position(|n| *n == spec.name) {
            Some(i) => fields.push(i),
            None => {
                return Err(ScanError::MissingColumn {
                    column: spec.name.clone(),
                    found: names,
                });
            }
        }
    }
    let next = reader.place();
    let lines = usize::try_from(next.line.saturating_sub(1)).unwrap_or(0);
    Ok((fields, names.len(), next.byte, lines))
}

/// Where a CSV file's rows are, and how they map to the declared columns.
struct Layout<'a> {
    fields: &'a [usize],
    expected_fields: usize,
    data_start: u64,
    size: u64,
    /// Rows the file likely has, to size tables once.
    rows: usize,
}

/// Rows in the file, guessed from the length of the lines at its start.
fn estimate_rows(path: &Path, data_start: u64, size: u64) -> std::io::Result<usize> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(data_start))?;
    let mut sample = vec![0u8; 256 << 10];
    let mut filled = 0;
    while filled < sample.len() {
        let n = std::io::Read::read(&mut file, sample.get_mut(filled..).unwrap_or_default())?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    let lines = sample
        .get(..filled)
        .unwrap_or_default()
        .iter()
        .filter(|b| **b == b'\n')
        .count();
    let per_line = (filled / lines.max(1)).max(1) as u64;
    // A tenth more, so that the tables rarely grow.
    Ok(
        usize::try_from(size.saturating_sub(data_start) / per_line * 11 / 10)
            .unwrap_or(0)
            .min(1 << 28),
    )
}

fn read_pieces(
    path: &Path,
    program: &Program,
    layout: &Layout<'_>,
    pieces: usize,
    deferred: bool,
) -> Result<Vec<Piece>, ScanError> {
    let io = |e: std::io::Error| ScanError::Io(e.to_string());
    let (fields, expected_fields, data_start, size) = (
        layout.fields,
        layout.expected_fields,
        layout.data_start,
        layout.size,
    );
    let mut starts = vec![data_start];
    for k in 1..pieces {
        let nominal = data_start + size.saturating_sub(data_start) * k as u64 / pieces as u64;
        starts.push(next_line(path, nominal).map_err(io)?.max(data_start));
    }
    starts.push(size);
    let results: Vec<Result<Piece, ScanError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..pieces)
            .map(|k| {
                let from = starts.get(k).copied().unwrap_or(size);
                let to = starts.get(k + 1).copied().unwrap_or(size);
                let share = (to.saturating_sub(from)) as f64
                    / size.saturating_sub(data_start).max(1) as f64;
                let rows = (layout.rows as f64 * share) as usize + 1024;
                let scanner = Scanner::new(program, rows, deferred);
                scope.spawn(move || read_piece(path, scanner, fields, expected_fields, from, to))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(ScanError::Io("reading stopped unexpectedly".to_owned()))
                })
            })
            .collect()
    });
    results.into_iter().collect()
}

/// The first line start at or after `at`.
fn next_line(path: &Path, at: u64) -> std::io::Result<u64> {
    let mut file = File::open(path)?;
    let from = at.saturating_sub(1);
    file.seek(SeekFrom::Start(from))?;
    let mut reader = BufReader::with_capacity(64 << 10, file);
    let mut skipped = Vec::new();
    let n = reader.read_until(b'\n', &mut skipped)?;
    Ok(from + n as u64)
}

fn read_piece(
    path: &Path,
    mut scanner: Scanner<'_>,
    fields: &[usize],
    expected_fields: usize,
    from: u64,
    to: u64,
) -> Result<Piece, ScanError> {
    let io = |e: std::io::Error| ScanError::Io(e.to_string());
    let file = File::open(path).map_err(io)?;
    let mut reader = Records::new(file, from).map_err(io)?;
    let mut record = Record::default();
    let mut first = None;
    loop {
        let Some(place) = reader.next(&mut record).map_err(io)? else {
            let end = reader.place();
            let stop = Place {
                byte: to.max(end.byte),
                line: end.line,
            };
            return Ok(scanner.finish(first.unwrap_or(stop), stop));
        };
        if place.byte >= to {
            return Ok(scanner.finish(first.unwrap_or(place), place));
        }
        if first.is_none() {
            first = Some(place);
        }
        scanner.row(&record, fields, expected_fields, place.line);
    }
}

/// Reads NDJSON (one JSON object per line) on one thread.
pub fn ndjson(path: &Path, program: &Program) -> Result<Vec<Piece>, ScanError> {
    let file = File::open(path).map_err(|e| ScanError::Io(e.to_string()))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let expected = usize::try_from(size / 128).unwrap_or(0).min(1 << 20);
    let mut scanner = Scanner::new(program, expected, false);
    let columns = program.schema.columns.len();
    let fields: Vec<usize> = (0..columns).collect();
    let mut line = Vec::new();
    let mut record = Record::default();
    let mut number = 0u64;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| ScanError::Io(e.to_string()))?;
        if n == 0 {
            break;
        }
        number += 1;
        let text = trim_line(&line);
        if text.is_empty() {
            continue;
        }
        record.clear();
        match json_fields(text, program) {
            Ok(values) => {
                for v in &values {
                    record.push_field(v);
                }
                scanner.row(&record, &fields, columns, number);
            }
            Err(reason) => {
                scanner.rows += 1;
                scanner.issue(IssueKind::Malformed, number, 1, None, text, reason);
            }
        }
    }
    let first = Place { byte: 0, line: 1 };
    let stop = Place {
        byte: size,
        line: number + 1,
    };
    Ok(vec![scanner.finish(first, stop)])
}

fn trim_line(line: &[u8]) -> &[u8] {
    let mut t = line;
    while let Some((last, rest)) = t.split_last() {
        if last.is_ascii_whitespace() {
            t = rest;
        } else {
            break;
        }
    }
    t
}

/// The declared columns of one JSON object as field texts (`null` and absent keys
/// are empty; strings unescaped; numbers and booleans as written).
fn json_fields(text: &[u8], program: &Program) -> Result<Vec<Vec<u8>>, String> {
    let object: std::collections::BTreeMap<String, &serde_json::value::RawValue> =
        serde_json::from_slice(text).map_err(|e| {
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned();
            format!("not a JSON object ({message}, column {})", e.column())
        })?;
    let mut out = Vec::with_capacity(program.schema.columns.len());
    for spec in &program.schema.columns {
        let value = match object.get(&spec.name) {
            None => Vec::new(),
            Some(raw) => {
                let raw = raw.get();
                if raw == "null" {
                    Vec::new()
                } else if raw.starts_with('"') {
                    let s: String = serde_json::from_str(raw).map_err(|e| e.to_string())?;
                    s.into_bytes()
                } else if raw.starts_with('{') || raw.starts_with('[') {
                    return Err(format!(
                        "`{}` holds a JSON object or array, not a value",
                        spec.name
                    ));
                } else {
                    raw.as_bytes().to_vec()
                }
            }
        };
        out.push(value);
    }
    Ok(out)
}
