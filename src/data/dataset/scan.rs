//! One pass over a dataset file: CSV split into pieces that threads take in turn, or
//! NDJSON line by line. Rows are gathered into batches; every row is parsed by its
//! declared types, checked (key, expectations, clocks) and added to the running
//! totals a batch at a time; no row is kept beyond its batch.

use std::hash::{BuildHasher, Hasher};

use rustc_hash::FxHashSet;

use super::batch::{Batch, EMPTY, FALSE, NO_VALUE, ROWS, TRUE};
use super::program::{NANOS, PlanKind, Value};
use super::records::{Place, Record};
use super::rows::{Quality, visible};
use super::tally::{Breach, OutsideRow, Tally};
use super::{IssueKind, Program, RowIssue as Issue};

/// What one piece of the file yields.
pub struct Piece {
    pub tally: Tally,
    pub quality: Quality,
    pub rows: u64,
    pub used: u64,
    /// Where the piece's first row starts (its line counted within the piece).
    pub first: Place,
    /// Where the row after the piece's last starts (its line within the piece).
    pub stop: Place,
    /// Rows whose key may repeat, left for a scan of their own in file order.
    pub set_aside: Vec<(Place, Stashed)>,
}

/// A row set aside as read: a line without quotes, or a parsed record.
pub enum Stashed {
    Line(Vec<u8>),
    Record(Record),
}

/// How a scan finds repeated keys: with every key in a hash set (one scan in file
/// order, which sees every row with a key), or not at all, when a pass over the
/// keys alone has already set aside every row whose key occurs twice.
pub enum Keys {
    None,
    Exact(FxHashSet<u64>),
}

/// Which way a scan treats keys.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum KeyCheck {
    /// Every key goes into a hash set; a repeat is excluded.
    Exact,
    /// Rows whose key could repeat were set aside before the scan: nothing to check.
    Resolved,
}

pub(super) const KEY_BINS: usize = 64;

/// Fingerprints of keys: foldhash's quality variant with a fixed seed (the same
/// fingerprints on every run), several times cheaper than SipHash on short keys.
const KEY_HASH: foldhash::quality::FixedState = foldhash::quality::FixedState::with_seed(0x51ac);

/// A key's fingerprint. `K1` and `K1 ` are one key to a person: the blanks around
/// a key are not part of it, so that a padded copy counts as the repeat it is.
pub(super) fn key_fingerprint(key: &[u8]) -> u64 {
    let mut hasher = KEY_HASH.build_hasher();
    hasher.write(key.trim_ascii());
    hasher.finish()
}

pub(super) fn key_bin(fingerprint: u64) -> usize {
    (fingerprint >> 58) as usize
}

pub(super) struct Scanner<'p> {
    program: &'p Program,
    tally: Tally,
    quality: Quality,
    keys: Keys,
    batch: Batch,
    /// Fields a record must have.
    expected_fields: usize,
    /// Rows of the batch not excluded so far.
    ok: Vec<bool>,
    /// Per grouping column, each row's period ([`NO_PERIOD`] for rows not counted).
    periods: Vec<Vec<u32>>,
    /// Per filter, each row's truth.
    truths: Vec<Vec<u8>>,
    /// Per value of [`Reads`], its result for each row.
    computed: Vec<Vec<i128>>,
    /// Per value, the rows some reader of it selects: only those are worked out.
    wanted: Vec<Vec<bool>>,
    /// Per selection of [`Reads`], the rows it selects with their periods.
    selected: Vec<Vec<(u32, u32)>>,
    scratch: Vec<u8>,
    /// Per row of the batch, why it does not parse.
    failures: Vec<Option<(usize, String)>>,
    rows: u64,
    used: u64,
}

/// What the plans, stores and clocks of a program read, worked out once when it is
/// compiled: every distinct value (computed once per row however many metrics
/// share it), every distinct (grouping, filter) selection, and for each reader its
/// selection and value.
#[derive(Debug, Default)]
pub struct Reads {
    values: Vec<Value>,
    selections: Vec<(usize, Option<usize>)>,
    plans: Vec<(usize, Option<usize>)>,
    stores: Vec<(usize, Option<usize>)>,
    /// A clock's value is its elapsed time when it has stopped, if another reader
    /// already needs exactly that difference.
    clocks: Vec<(usize, Option<usize>)>,
}

impl Reads {
    pub fn new(program: &Program) -> Reads {
        let mut reads = Reads::default();
        for plan in &program.plans {
            let value = match &plan.kind {
                PlanKind::Sum(v) | PlanKind::Mean(v) => {
                    Some(position_or_push(&mut reads.values, v.clone()))
                }
                _ => None,
            };
            let selection = position_or_push(&mut reads.selections, (plan.by, plan.filter));
            reads.plans.push((selection, value));
        }
        for store in &program.stores {
            let value = position_or_push(&mut reads.values, store.value.clone());
            let selection = position_or_push(&mut reads.selections, (store.by, store.filter));
            reads.stores.push((selection, Some(value)));
        }
        for clock in &program.clocks {
            let elapsed = Value::Diff {
                left: Box::new(Value::Column {
                    col: clock.to,
                    scale: NANOS,
                }),
                right: Box::new(Value::Column {
                    col: clock.from,
                    scale: NANOS,
                }),
                lift: (1, 1),
                scale: NANOS,
                hours: clock.hours,
            };
            let value = reads.values.iter().position(|v| *v == elapsed);
            let selection = position_or_push(&mut reads.selections, (clock.by, clock.filter));
            reads.clocks.push((selection, value));
        }
        reads
    }
}

const NO_PERIOD: u32 = u32::MAX;

impl<'p> Scanner<'p> {
    pub(super) fn new(
        program: &'p Program,
        expected_rows: usize,
        keys: KeyCheck,
        fields: Vec<usize>,
        expected_fields: usize,
    ) -> Self {
        let keys = match (program.schema.key.is_some(), keys) {
            (true, KeyCheck::Exact) => Keys::Exact(FxHashSet::with_capacity_and_hasher(
                expected_rows,
                Default::default(),
            )),
            _ => Keys::None,
        };
        let columns = program.schema.columns.len();
        Scanner {
            program,
            tally: program.new_tally(),
            quality: Quality::default(),
            keys,
            batch: Batch::new(columns, fields, program.schema.delimiter),
            expected_fields,
            ok: Vec::with_capacity(ROWS),
            periods: vec![Vec::new(); program.groupings.len()],
            truths: vec![Vec::new(); program.filters.len()],
            computed: vec![Vec::new(); program.reads.values.len()],
            wanted: vec![Vec::new(); program.reads.values.len()],
            selected: vec![Vec::new(); program.reads.selections.len()],
            scratch: Vec::with_capacity(ROWS),
            failures: Vec::with_capacity(ROWS),
            rows: 0,
            used: 0,
        }
    }

    /// Takes one row (found at `at`); a full batch is worked through at once.
    pub(super) fn push(&mut self, record: &mut Record, at: Place) {
        if self.batch.push_record(record, at) {
            self.flush();
        }
    }

    /// Takes one line without quotes (found at `at`).
    pub(super) fn push_line(&mut self, line: &[u8], at: Place) {
        if self.batch.push_line(line, at) {
            self.flush();
        }
    }

    /// Parses, checks and counts the rows of the batch, in file order.
    /// A row that could not be split into fields: counted and excluded.
    pub(super) fn unreadable_row(&mut self, issue: Issue) {
        // The batch before it first, so that rows are reported in file order.
        self.flush();
        self.rows += 1;
        self.quality.note(issue);
    }

    fn flush(&mut self) {
        let n = self.batch.len;
        if n == 0 {
            return;
        }
        self.rows += n as u64;
        self.ok.clear();
        self.ok.resize(n, true);
        self.parse();
        self.check_expectations();
        self.check_clocks();
        self.check_keys();
        self.used += self.ok.iter().filter(|ok| **ok).count() as u64;
        self.select();
        self.compute();
        self.add_plans();
        self.add_stores();
        self.add_clocks();
        self.batch.clear();
    }

    /// Parses every row by its declared types; a row that does not fit is excluded.
    fn parse(&mut self) {
        let schema = &self.program.schema;
        let n = self.batch.len;
        self.failures.clear();
        self.failures.resize(n, None);
        for (row, (ok, failure)) in self.ok.iter_mut().zip(&mut self.failures).enumerate() {
            let found = self.batch.field_count(row);
            let reason = if self.batch.unclosed(row) {
                "a field opens a quote that is never closed; the row is read as far as its line ends".to_owned()
            } else if found != self.expected_fields {
                format!("expected {} fields, found {found}", self.expected_fields)
            } else {
                continue;
            };
            *ok = false;
            *failure = Some((usize::MAX, reason));
        }
        self.batch.parse(
            &schema.columns,
            schema.zone.as_ref(),
            &mut self.ok,
            &mut self.failures,
        );
        for (row, failure) in self.failures.iter_mut().enumerate() {
            let Some((col, reason)) = failure.take() else {
                continue;
            };
            let at = self.batch.place(row);
            let issue = match schema.columns.get(col) {
                // A value that does not fit its column.
                Some(spec) => Issue::new(
                    IssueKind::Malformed,
                    at,
                    self.batch.position(col, row),
                    Some(spec.name.as_str()),
                    self.batch.field(col, row).unwrap_or_default(),
                    reason,
                ),
                // A record that is not a row at all.
                None => Issue::new(
                    IssueKind::Malformed,
                    at,
                    1,
                    None,
                    &self.batch.joined(row),
                    reason,
                ),
            };
            self.quality.note(issue);
        }
    }

    /// Excludes rows that fail an `expect`, each reported with the first one it
    /// fails, in row order (only the first few of a kind are kept as examples).
    fn check_expectations(&mut self) {
        let program = self.program;
        let schema = &program.schema;
        if schema.expects.is_empty() {
            return;
        }
        let mut first_failed: Vec<Option<usize>> = vec![None; self.batch.len];
        for (i, (cond, _)) in schema.expects.iter().enumerate() {
            cond.eval(&self.batch, &program.tables, &mut self.scratch);
            for ((failed, ok), truth) in first_failed.iter_mut().zip(&self.ok).zip(&self.scratch) {
                if *ok && failed.is_none() && *truth == FALSE {
                    *failed = Some(i);
                }
            }
        }
        for (row, (ok, failed)) in self.ok.iter_mut().zip(first_failed).enumerate() {
            let Some((_, text)) = failed.and_then(|i| schema.expects.get(i)) else {
                continue;
            };
            *ok = false;
            let value = describe_row(&self.batch, row, schema, text);
            self.quality.note(Issue::new(
                IssueKind::Expectation,
                self.batch.place(row),
                1,
                None,
                value.as_bytes(),
                format!("fails `expect {text}`"),
            ));
        }
    }

    /// Excludes rows whose per-row clock would stop before it starts.
    fn check_clocks(&mut self) {
        let program = self.program;
        let schema = &program.schema;
        let batch = &self.batch;
        for (row, ok) in self.ok.iter_mut().enumerate() {
            if !*ok {
                continue;
            }
            let reversed = program.clocks.iter().find(|clock| {
                let (start, stop) = (batch.cell(clock.from, row), batch.cell(clock.to, row));
                start != EMPTY && stop != EMPTY && stop < start
            });
            let Some(clock) = reversed else { continue };
            *ok = false;
            let name = |c: usize| schema.columns.get(c).map_or("", |c| c.name.as_str());
            let reason = format!(
                "`{}` is before `{}`: the clock of `{}` would run backwards",
                name(clock.to),
                name(clock.from),
                clock.obligation
            );
            let column = batch.position(clock.to, row);
            let value = batch.field(clock.to, row).unwrap_or_default();
            self.quality.note(Issue::new(
                IssueKind::ClockReversed,
                batch.place(row),
                column,
                Some(name(clock.to)),
                value,
                reason,
            ));
        }
    }

    /// Excludes rows whose key an earlier row had; the first one counts.
    fn check_keys(&mut self) {
        let schema = &self.program.schema;
        let Some(key_col) = schema.key else { return };
        let batch = &self.batch;
        for (row, ok) in self.ok.iter_mut().enumerate() {
            if !*ok {
                continue;
            }
            let key = batch.field(key_col, row).unwrap_or_default();
            let fresh = match &mut self.keys {
                Keys::Exact(set) => set.insert(key_fingerprint(key)),
                Keys::None => true,
            };
            if fresh {
                continue;
            }
            *ok = false;
            let column = batch.position(key_col, row);
            let name = schema.columns.get(key_col).map(|c| c.name.as_str());
            self.quality.note(Issue::new(
                IssueKind::DuplicateKey,
                batch.place(row),
                column,
                name,
                key,
                if key.trim_ascii().len() == key.len() {
                    "an earlier row has the same key; the first one counts".to_owned()
                } else {
                    "an earlier row has the same key, but for the blanks around it; the first one counts"
                        .to_owned()
                },
            ));
        }
    }

    /// Each counted row's periods, every filter's truth, and the rows each
    /// (grouping, filter) pair selects.
    fn select(&mut self) {
        let program = self.program;
        let (start, end) = program.counted_span();
        let batch = &self.batch;
        for (((periods, col), covered), outside) in self
            .periods
            .iter_mut()
            .zip(&program.groupings)
            .zip(self.tally.covered.iter_mut())
            .zip(self.tally.outside.iter_mut())
        {
            periods.clear();
            periods.extend(batch.column(*col).iter().zip(&self.ok).enumerate().map(
                |(row, (t, ok))| {
                    if !*ok || *t == EMPTY {
                        return NO_PERIOD;
                    }
                    if *t >= start && *t < end {
                        return program
                            .period_of(*t)
                            .and_then(|p| u32::try_from(p).ok())
                            .unwrap_or(NO_PERIOD);
                    }
                    // Rare: a row no metric grouped by this column can count.
                    outside.note(program.beyond(*t), || {
                        let at = batch.place(row);
                        let value = batch.field(*col, row).unwrap_or_default();
                        OutsideRow {
                            line: at.line,
                            byte: at.byte,
                            column: batch.position(*col, row),
                            value: visible(&String::from_utf8_lossy(value)),
                        }
                    });
                    NO_PERIOD
                },
            ));
            for p in periods.iter() {
                if let Some(c) = covered.get_mut(*p as usize) {
                    *c += 1;
                }
            }
        }
        for (truths, filter) in self.truths.iter_mut().zip(&program.filters) {
            filter.eval(&self.batch, &program.tables, truths);
        }
        for (selected, (by, filter)) in self.selected.iter_mut().zip(&self.program.reads.selections)
        {
            let periods = self.periods.get(*by).map_or(&[][..], Vec::as_slice);
            let truths = filter.and_then(|f| self.truths.get(f));
            // Every row is written, and the end moves on only past a selected one:
            // whether a row passes is as good as random, a branch on it is not.
            selected.clear();
            selected.resize(periods.len(), (0, NO_PERIOD));
            let mut end = 0;
            for (row, period) in periods.iter().enumerate() {
                let passes = truths.is_none_or(|t| t.get(row) == Some(&TRUE));
                if let Some(slot) = selected.get_mut(end) {
                    *slot = (row as u32, *period);
                }
                end += usize::from(passes & (*period != NO_PERIOD));
            }
            selected.truncate(end);
        }
    }

    /// Works out each value for the rows some reader selects.
    fn compute(&mut self) {
        let reads = &self.program.reads;
        let readers = reads.plans.iter().chain(&reads.stores).chain(&reads.clocks);
        for wanted in &mut self.wanted {
            wanted.clear();
            wanted.resize(self.batch.len, false);
        }
        for (selection, value) in readers {
            let (Some(wanted), Some(selected)) = (
                value.and_then(|v| self.wanted.get_mut(v)),
                self.selected.get(*selection),
            ) else {
                continue;
            };
            for (row, _) in selected {
                if let Some(w) = wanted.get_mut(*row as usize) {
                    *w = true;
                }
            }
        }
        let tables = &self.program.tables;
        for ((value, out), wanted) in reads
            .values
            .iter()
            .zip(&mut self.computed)
            .zip(&self.wanted)
        {
            value.eval(&self.batch, tables, Some(wanted), out);
        }
    }

    /// Calls `add(row, bucket)` for each selected row: its period, and its segment
    /// value for a segmented reader (the bucket after the values for rows without).
    #[inline]
    fn each_bucket(
        &self,
        selection: usize,
        segment: Option<(usize, usize)>,
        mut add: impl FnMut(usize, usize),
    ) {
        let selected = self.selected.get(selection).map_or(&[][..], Vec::as_slice);
        let width = super::tally::buckets(segment);
        match segment {
            None => selected
                .iter()
                .for_each(|(row, period)| add(*row as usize, *period as usize)),
            Some((col, n)) => {
                let cells = self.batch.column(col);
                for (row, period) in selected {
                    let row = *row as usize;
                    let value = match cells.get(row) {
                        Some(&EMPTY) | None => n,
                        Some(s) => usize::try_from(*s).map_or(n, |s| s.min(n)),
                    };
                    add(row, *period as usize * width + value);
                }
            }
        }
    }

    /// A value's results for the batch (none when a reader has no value).
    fn computed(&self, value: Option<usize>) -> &[i128] {
        value
            .and_then(|v| self.computed.get(v))
            .map_or(&[][..], Vec::as_slice)
    }

    fn add_plans(&mut self) {
        let program = self.program;
        let mut accs = std::mem::take(&mut self.tally.accs);
        let mut daily = std::mem::take(&mut self.tally.daily);
        for (((plan, accs), (selection, value)), daily) in program
            .plans
            .iter()
            .zip(accs.iter_mut())
            .zip(&program.reads.plans)
            .zip(daily.iter_mut())
        {
            let values = self.computed(*value);
            let (selection, segment) = (*selection, plan.segment);
            match &plan.kind {
                // Days counted too (for `slac report`): each row also into its day.
                PlanKind::Count | PlanKind::Sum(_) | PlanKind::Mean(_) if !daily.is_empty() => {
                    let width = super::tally::buckets(segment);
                    let col = program
                        .groupings
                        .get(plan.by)
                        .copied()
                        .unwrap_or(usize::MAX);
                    let instants = self.batch.column(col);
                    let counted = matches!(plan.kind, PlanKind::Count);
                    self.each_bucket(selection, segment, |row, bucket| {
                        let x = if counted {
                            0
                        } else {
                            match values.get(row).filter(|x| **x != NO_VALUE) {
                                Some(x) => *x,
                                None => return,
                            }
                        };
                        if let Some(acc) = accs.get_mut(bucket) {
                            acc.sum += x;
                            acc.yes += 1;
                        }
                        let day = instants.get(row).and_then(|t| program.day_of(*t));
                        if let Some(acc) =
                            day.and_then(|d| daily.get_mut(d * width + bucket % width))
                        {
                            acc.sum += x;
                            acc.yes += 1;
                        }
                    });
                }
                PlanKind::Count => self.each_bucket(selection, segment, |_, bucket| {
                    if let Some(acc) = accs.get_mut(bucket) {
                        acc.yes += 1;
                    }
                }),
                PlanKind::Sum(_) | PlanKind::Mean(_) => {
                    self.each_bucket(selection, segment, |row, bucket| {
                        let x = values.get(row).filter(|x| **x != NO_VALUE);
                        if let (Some(acc), Some(x)) = (accs.get_mut(bucket), x) {
                            acc.sum += x;
                            acc.yes += 1;
                        }
                    });
                }
                PlanKind::Share(f) => {
                    let truths = self.truths.get(*f).map_or(&[][..], Vec::as_slice);
                    self.each_bucket(selection, segment, |row, bucket| {
                        if let Some(acc) = accs.get_mut(bucket) {
                            acc.rows += 1;
                            acc.yes += u64::from(truths.get(row) == Some(&TRUE));
                        }
                    });
                }
                PlanKind::Ranked { .. } => {}
            }
        }
        self.tally.accs = accs;
        self.tally.daily = daily;
    }

    fn add_stores(&mut self) {
        let mut lists = std::mem::take(&mut self.tally.values);
        for ((store, lists), (selection, value)) in self
            .program
            .stores
            .iter()
            .zip(lists.iter_mut())
            .zip(&self.program.reads.stores)
        {
            let values = self.computed(*value);
            self.each_bucket(*selection, store.segment, |row, bucket| {
                let x = values.get(row).and_then(|x| i64::try_from(*x).ok());
                let list = lists.get_mut(bucket).and_then(|b| b.first_mut());
                if let (Some(list), Some(x)) = (list, x) {
                    list.push(x);
                }
            });
        }
        self.tally.values = lists;
    }

    fn add_clocks(&mut self) {
        let program = self.program;
        let schema = &program.schema;
        let batch = &self.batch;
        for ((clock, accs), (selection, value)) in program
            .clocks
            .iter()
            .zip(self.tally.clocks.iter_mut())
            .zip(&program.reads.clocks)
        {
            let selected = self.selected.get(*selection).map_or(&[][..], Vec::as_slice);
            let known = value.and_then(|v| self.computed.get(v));
            let width = super::tally::buckets(clock.segment);
            let segments = clock.segment.map(|(col, _)| batch.column(col));
            for (row, period) in selected {
                let (row, period) = (*row as usize, *period as usize);
                // The row's segment value picks its limit and its bucket.
                let bucket = match segments {
                    None => 0,
                    Some(cells) => match cells.get(row).map(|c| usize::try_from(*c)) {
                        Some(Ok(b)) => b,
                        _ => continue,
                    },
                };
                let Some(&limit) = clock.limits.get(bucket) else {
                    continue;
                };
                let Some(acc) = accs.get_mut(period * width + bucket) else {
                    continue;
                };
                let start = batch.cell(clock.from, row);
                if start == EMPTY {
                    continue;
                }
                let stop = Some(batch.cell(clock.to, row)).filter(|t| *t != EMPTY);
                // A clock still running is measured to the end of its period (or of the
                // day evaluated to), and counts as a breach.
                let until = stop.unwrap_or_else(|| program.clock_end(period));
                let computed = known
                    .filter(|_| stop.is_some())
                    .and_then(|k| k.get(row))
                    .and_then(|e| i64::try_from(*e).ok());
                let elapsed = match (computed, clock.hours.and_then(|h| program.tables.get(h))) {
                    (Some(e), _) => e,
                    (None, Some(table)) => table.between(start, until),
                    (None, None) => until.saturating_sub(start),
                };
                // A clock started after the day evaluated to has not run yet.
                let elapsed = if stop.is_none() {
                    elapsed.max(0)
                } else {
                    elapsed
                };
                acc.rows += 1;
                if stop.is_some() && elapsed <= limit {
                    acc.complied += 1;
                    continue;
                }
                if stop.is_none() {
                    acc.open += 1;
                }
                let late = elapsed.saturating_sub(limit);
                let line = batch.lines.get(row).copied().unwrap_or(0);
                if !acc.keeps(late, line, program.keep_breaches) {
                    continue;
                }
                let text = |c: Option<usize>| {
                    c.and_then(|c| batch.field(c, row))
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
    }

    /// The byte between fields of the file being read.
    pub(super) fn delimiter(&self) -> u8 {
        self.program.schema.delimiter
    }

    pub(super) fn finish(mut self, first: Place, stop: Place) -> Piece {
        self.flush();
        self.tally.sort_values();
        Piece {
            tally: self.tally,
            quality: self.quality,
            rows: self.rows,
            used: self.used,
            first,
            stop,
            set_aside: Vec::new(),
        }
    }
}

/// The index of `item` in `list`, added if new.
pub fn position_or_push<T: PartialEq>(list: &mut Vec<T>, item: T) -> usize {
    match list.iter().position(|x| *x == item) {
        Some(i) => i,
        None => {
            list.push(item);
            list.len() - 1
        }
    }
}

/// The values an expectation reads, for the report: `handed_over_at=…, first_contact_at=…`.
fn describe_row(batch: &Batch, row: usize, schema: &super::program::Schema, text: &str) -> String {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut parts = Vec::new();
    for (col, spec) in schema.columns.iter().enumerate() {
        if words.contains(&spec.name.as_str()) {
            let value = batch
                .field(col, row)
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            parts.push(format!("{}={value}", spec.name));
        }
    }
    parts.join(", ")
}
