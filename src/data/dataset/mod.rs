//! Metrics computed from raw event data: a dataset file (CSV or NDJSON, given with
//! `--data NAME=FILE`) is read once, and every metric defined over it, and every
//! promise over its rows, is worked out per period and segment.
//!
//! Rows that do not fit their declared types, repeat an earlier row's key, fail an
//! `expect`, or stop a per-row clock before starting it are excluded from every
//! metric of the dataset, counted and reported (as errors with `--strict`).

mod batch;
mod column;
pub mod error;
pub(crate) mod field;
mod found;
mod keys;
mod pieces;
mod program;
mod quality;
mod records;
mod results;
mod rows;
mod scan;
mod tally;
mod turns;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;

pub use error::DatasetError;
pub use found::{DailyCounts, DatasetReport, MetricValue, OutsideReport, RowIssue};
use pieces::ScanError;
use program::{Calendars, Clock, Plan, PlanKind, Schema, Store};
use quality::{quality_diagnostics, report};
use scan::Piece;
use tally::Tally;

use super::store::Recorded;
use crate::diagnostic::{Diagnostic, Label};
use crate::model::dataset::{AggFn, Limit};
use crate::model::period::Period;
use crate::model::{Agreement, DatasetId, Promise};
use crate::source::{ExcerptLine, SourceFile};

/// Why a row was excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// A value does not fit its column, the field count is wrong, or a quote is never closed.
    Malformed,
    /// The row's `key` repeats the key of an earlier valid row (the first one counts).
    DuplicateKey,
    /// The row fails an `expect` of the dataset.
    Expectation,
    /// A per-row promise's clock would stop (`to`) before it starts (`from`).
    ClockReversed,
}

impl IssueKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [IssueKind; 4] = [
        IssueKind::Malformed,
        IssueKind::DuplicateKey,
        IssueKind::Expectation,
        IssueKind::ClockReversed,
    ];

    fn what(self) -> &'static str {
        match self {
            IssueKind::Malformed => "a value does not fit its column",
            IssueKind::DuplicateKey => "the key repeats an earlier row's",
            IssueKind::Expectation => "the row fails an `expect` of the dataset",
            IssueKind::ClockReversed => "a per-row clock stops before it starts",
        }
    }

    fn help(self) -> &'static str {
        match self {
            IssueKind::Malformed => {
                "fix these values in the export (or the column's declared type); excluded rows count towards no metric"
            }
            IssueKind::DuplicateKey => {
                "remove the repeated rows from the export; the first row with a key counts, later ones are excluded"
            }
            IssueKind::Expectation => {
                "correct these rows in the CRM; rows that fail an `expect` count towards no metric"
            }
            IssueKind::ClockReversed => {
                "correct the timestamps in the CRM; such rows count towards no metric"
            }
        }
    }
}

/// A `--data NAME=FILE` argument.
#[derive(Debug, Clone)]
pub struct DataSpec {
    /// The dataset, as declared in the agreement (`dataset NAME { … }`).
    pub name: String,
    /// The CSV or NDJSON file to read its rows from.
    pub path: PathBuf,
}

impl DataSpec {
    /// Reads `NAME=FILE`; the error says what was expected instead.
    pub fn parse(text: &str) -> Result<DataSpec, Box<DatasetError>> {
        match text.split_once('=') {
            Some((name, path)) if !name.is_empty() && !path.is_empty() => Ok(DataSpec {
                name: name.to_owned(),
                path: PathBuf::from(path),
            }),
            _ => Err(Box::new(DatasetError::DataArgument {
                text: text.to_owned(),
            })),
        }
    }
}

/// How dataset files are read and their rows judged (`--strict`, `--threads`, …).
#[derive(Debug, Clone)]
pub struct Options {
    /// Excluded rows are errors, and nothing is evaluated.
    pub strict: bool,
    /// Threads to read a CSV file on; `None` for one per core.
    pub threads: Option<usize>,
    /// How many breaching rows to list per promise and period.
    pub breaches: usize,
    /// The `--as-of` day: clocks that never stopped are measured to its end at most.
    pub as_of: Option<Date>,
    /// Files from this size on are read in pieces on several threads.
    pub parallel_from: u64,
    /// Also count each `count` metric per day (for charts of a period's progress).
    pub daily: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strict: false,
            threads: None,
            breaches: 10,
            as_of: None,
            parallel_from: 32 << 20,
            daily: false,
        }
    }
}

/// Everything the datasets gave.
#[derive(Debug, Default)]
pub struct Loaded {
    /// What each dataset file read gave, in the order the datasets are declared.
    pub reports: Vec<DatasetReport>,
    /// Per data file: the lines its problems point at, and the problems.
    pub diagnostics: Vec<(SourceFile, Vec<Diagnostic>)>,
    /// Every metric value computed from the datasets, per period and segment.
    pub metrics: Vec<MetricValue>,
    /// Each `count` metric per day, when [`Options::daily`] asked for it.
    pub daily: Vec<DailyCounts>,
}

impl Loaded {
    /// Whether any problem is an error, not a warning (then nothing is evaluated).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|(_, ds)| ds.iter().any(Diagnostic::is_error))
    }
}

/// The compiled form of one dataset and everything that reads it.
pub struct Program {
    /// The dataset's columns, key, owner, zone and `expect` conditions, compiled.
    pub schema: Schema,
    /// Every distinct `where` condition once: a row tests each at most once, however
    /// many metrics share it.
    pub filters: Vec<program::Cond>,
    filter_sources: Vec<crate::model::dataset::RowCond>,
    /// One per metric defined over the dataset: what it computes from which rows.
    pub plans: Vec<Plan>,
    /// Values kept for ranked metrics (min, max, median, percentiles), shared where alike.
    pub stores: Vec<Store>,
    /// One per promise over every row of the dataset (`promise every …`).
    pub clocks: Vec<Clock>,
    /// Timestamp columns rows are grouped into periods by.
    pub groupings: Vec<usize>,
    /// Opening hours of each calendar named `in business hours of …`, built once.
    pub tables: Vec<crate::model::calendar::OpeningTable>,
    periods: Vec<Period>,
    /// Start of each period and the end of the last, in nanoseconds.
    bounds: Vec<i64>,
    /// With [`Options::daily`]: the start of each day of the periods and the end of
    /// the last, in nanoseconds; empty otherwise.
    pub days: Vec<i64>,
    first_day: Option<Date>,
    /// Clocks still running are measured to here at most (the end of `--as-of`).
    cutoff: Option<i64>,
    keep_breaches: usize,
    /// What the plans, stores and clocks read, each distinct value and selection once.
    reads: scan::Reads,
}

impl Program {
    fn new_tally(&self) -> Tally {
        let store_buckets: Vec<usize> = self
            .stores
            .iter()
            .map(|s| tally::buckets(s.segment))
            .collect();
        let clock_buckets: Vec<usize> = self
            .clocks
            .iter()
            .map(|c| tally::buckets(c.segment))
            .collect();
        Tally::new(
            &self.plans,
            &store_buckets,
            &clock_buckets,
            self.groupings.len(),
            self.periods.len(),
            self.days.len().saturating_sub(1),
        )
    }

    /// The day (index into [`Program::days`]) an instant inside the periods falls on.
    #[inline]
    fn day_of(&self, t: i64) -> Option<usize> {
        // Days are 24 hours but where the clocks change: a guess from the first
        // day's start is at most a step off, and a step or two finds the day.
        const DAY: i64 = 86_400 * 1_000_000_000;
        let first = *self.days.first()?;
        if t < first {
            return None;
        }
        let last = self.days.len().checked_sub(2)?;
        let mut i = usize::try_from((t - first) / DAY)
            .unwrap_or(usize::MAX)
            .min(last);
        while i > 0 && self.days.get(i).is_some_and(|d| *d > t) {
            i -= 1;
        }
        while i < last && self.days.get(i + 1).is_some_and(|d| *d <= t) {
            i += 1;
        }
        Some(i)
    }

    #[inline]
    fn period_of(&self, t: i64) -> Option<usize> {
        // An agreement has a few periods: counting the bounds passed, without a
        // branch to mispredict, beats a binary search.
        let i = if self.bounds.len() <= 32 {
            self.bounds.iter().map(|b| usize::from(*b <= t)).sum()
        } else {
            self.bounds.partition_point(|b| *b <= t)
        };
        if i == 0 || i >= self.bounds.len() {
            None
        } else {
            Some(i - 1)
        }
    }

    /// The instants rows are counted in: from the start of the effective range to
    /// its end, or to the end of the `--as-of` day if that comes first.
    fn counted_span(&self) -> (i64, i64) {
        let start = self.bounds.first().copied().unwrap_or(i64::MAX);
        let end = self.bounds.last().copied().unwrap_or(i64::MIN);
        (start, self.cutoff.map_or(end, |c| c.min(end)))
    }

    /// Why an instant outside [`Program::counted_span`] counts nowhere.
    fn beyond(&self, t: i64) -> tally::Beyond {
        let (start, _) = self.counted_span();
        let end = self.bounds.last().copied().unwrap_or(i64::MIN);
        if t < start {
            tally::Beyond::Before
        } else if t >= end {
            tally::Beyond::After
        } else {
            tally::Beyond::AfterAsOf
        }
    }

    fn clock_end(&self, period: usize) -> i64 {
        let end = self.bounds.get(period + 1).copied().unwrap_or(i64::MAX);
        self.cutoff.map_or(end, |c| c.min(end))
    }

    /// Index of a `where` condition, compiled if new.
    fn filter(
        &mut self,
        cond: &crate::model::dataset::RowCond,
        calendars: &mut Calendars<'_>,
    ) -> Option<usize> {
        if let Some(i) = self.filter_sources.iter().position(|c| c == cond) {
            return Some(i);
        }
        self.filters.push(self.schema.cond(cond, calendars)?);
        self.filter_sources.push(cond.clone());
        Some(self.filters.len() - 1)
    }

    /// Index of a grouping column, added if new.
    fn grouping(&mut self, col: usize) -> usize {
        scan::position_or_push(&mut self.groupings, col)
    }
}

fn instant(date: Date, zone: &jiff::tz::TimeZone) -> Option<i64> {
    date.to_datetime(jiff::civil::Time::midnight())
        .to_zoned_datetime(zone.clone())
        .ok()
        .map(|z| crate::model::calendar::nanos(z.timestamp()))
}

/// The start of every day from `first` to the last period's end (the last bound), in
/// the agreement's zone: days are 23 or 25 hours long where the clocks change.
fn day_bounds(first: Date, bounds: &[i64], zone: &jiff::tz::TimeZone) -> Option<Vec<i64>> {
    let end = *bounds.last()?;
    let mut days = Vec::new();
    let mut day = first;
    loop {
        let start = instant(day, zone)?;
        days.push(start);
        if start >= end {
            return Some(days);
        }
        day = day.tomorrow().ok()?;
    }
}

/// Compiles a dataset and the metrics and promises over it. `None` when the
/// agreement does not check (the checker has said why).
fn compile(model: &Agreement, id: DatasetId, options: &Options) -> Option<Program> {
    let dataset = model.datasets.get(id.index())?;
    let mut calendars = Calendars {
        model,
        range: (model.from, model.to),
        names: Vec::new(),
        tables: Vec::new(),
    };
    let schema = Schema::new(dataset, &model.segments, &mut calendars)?;
    let periods: Vec<Period> = model.periods.clone();
    let mut bounds: Vec<i64> = periods
        .iter()
        .map(|p| instant(p.start(), &model.zone))
        .collect::<Option<_>>()?;
    bounds.push(instant(
        periods.last()?.end().tomorrow().ok()?,
        &model.zone,
    )?);
    let first_day = periods.first().map(|p| p.start());
    let days = match (options.daily, first_day) {
        (true, Some(first)) => day_bounds(first, &bounds, &model.zone)?,
        _ => Vec::new(),
    };
    let cutoff = options
        .as_of
        .and_then(|d| d.tomorrow().ok())
        .and_then(|d| instant(d, &model.zone));
    let mut program = Program {
        schema,
        filters: Vec::new(),
        filter_sources: Vec::new(),
        plans: Vec::new(),
        stores: Vec::new(),
        clocks: Vec::new(),
        groupings: Vec::new(),
        tables: Vec::new(),
        periods,
        bounds,
        days,
        first_day,
        cutoff,
        keep_breaches: options.breaches,
        reads: scan::Reads::default(),
    };
    for (_, declared, m) in model.metrics() {
        let Some(a) = &m.aggregate else { continue };
        if m.dataset != Some(id) {
            continue;
        }
        let segment_name = m
            .segment
            .and_then(|s| model.segments.get(s.index()))
            .map(|s| s.name.clone());
        let schema = &program.schema;
        let by_col = a.by;
        // The schema's columns are the dataset's, in the same order.
        let segment = match &segment_name {
            Some(s) => {
                let typed = program::ColumnType::Segment(s.clone());
                let col = schema.columns.iter().position(|c| c.kind == typed)?;
                Some((col, program::segment_count(schema, col)))
            }
            None => None,
        };
        let filter = match &a.filter {
            Some(f) => Some(program.filter(f, &mut calendars)?),
            None => None,
        };
        let schema = &program.schema;
        let value = match &a.value {
            Some(v) => Some(schema.value(v, &mut calendars)?),
            None => None,
        };
        let by = program.grouping(by_col);
        let scale = value.as_ref().map_or(0, program::Value::scale);
        let kind = match (&a.func, value) {
            (AggFn::Count, _) => PlanKind::Count,
            (AggFn::Share(cond), _) => PlanKind::Share(program.filter(cond, &mut calendars)?),
            (AggFn::Sum, Some(v)) => PlanKind::Sum(v),
            (AggFn::Mean, Some(v)) => PlanKind::Mean(v),
            (func, Some(v)) => {
                let rank = program::rank_of(func)?;
                let source = (
                    a.value.clone()?,
                    a.filter.clone(),
                    a.by,
                    segment_name.clone(),
                );
                let store = match program.stores.iter().position(|s| s.source == source) {
                    Some(i) => i,
                    None => {
                        program.stores.push(Store {
                            value: v,
                            by,
                            segment,
                            filter,
                            source,
                        });
                        program.stores.len() - 1
                    }
                };
                PlanKind::Ranked { store, rank }
            }
            _ => return None,
        };
        program.plans.push(Plan {
            metric: declared.name.clone(),
            by,
            segment,
            filter,
            kind,
            scale,
        });
    }
    for o in &model.obligations {
        let Promise::Rows(r) = &o.promise else {
            continue;
        };
        if r.dataset != id {
            continue;
        }
        let (from, to) = (r.from, r.to);
        let filter = match &r.filter {
            Some(f) => Some(program.filter(f, &mut calendars)?),
            None => None,
        };
        let hours = match r.business_hours {
            Some(c) => Some(calendars.index(c)?),
            None => None,
        };
        let nanos =
            |seconds: rust_decimal::Decimal| i64::try_from(program::nanoseconds(seconds)?).ok();
        let (limits, segment) = match &r.within {
            Limit::Every(seconds) => (vec![nanos(*seconds)?], None),
            Limit::PerSegment { column, limits } => {
                // In the order of the column's values, which are its buckets.
                let values = &program.schema.columns.get(*column)?.values;
                let by_value: Vec<i64> = values
                    .iter()
                    .map(|v| {
                        let (_, seconds) = limits.iter().find(|(name, _)| name == v)?;
                        nanos(*seconds)
                    })
                    .collect::<Option<_>>()?;
                (by_value, Some((*column, values.len())))
            }
        };
        let by = program.grouping(from);
        program.clocks.push(Clock {
            obligation: o.name.clone(),
            calendar: r
                .business_hours
                .and_then(|c| model.calendars.get(c.index()))
                .map(|c| c.name.clone()),
            filter,
            from,
            by,
            to,
            limits,
            segment,
            hours,
        });
    }
    program.tables = calendars.tables;
    program.reads = scan::Reads::new(&program);
    Some(program)
}

/// Reads every dataset given, adds the metrics computed from it to `recorded`, and
/// reports what it found.
pub fn load(
    model: &Agreement,
    agreement: &crate::source::SourceFile,
    specs: &[DataSpec],
    options: &Options,
    recorded: &mut Recorded,
) -> Loaded {
    let mut loaded = Loaded::default();
    let declared: Vec<&str> = model.datasets.iter().map(|d| d.name.as_str()).collect();
    let agreement_file = agreement.name.clone();
    let mut agreement_diagnostics = Vec::new();
    for spec in specs {
        if !declared.contains(&spec.name.as_str()) {
            let help = crate::check::names_help(&spec.name, "dataset", declared.iter().copied());
            agreement_diagnostics.push(Diagnostic::new(DatasetError::UnknownDataset {
                name: spec.name.clone(),
                help,
            }));
        }
    }
    for (i, name) in declared.iter().enumerate() {
        let Some(spec) = specs.iter().find(|s| s.name == *name) else {
            agreement_diagnostics.push(Diagnostic::new(DatasetError::NotGiven {
                dataset: (*name).to_owned(),
            }));
            continue;
        };
        let Some(program) = compile(model, DatasetId(i as u32), options) else {
            agreement_diagnostics.push(Diagnostic::new(DatasetError::Unrepresentable {
                dataset: (*name).to_owned(),
            }));
            continue;
        };
        let file_name = spec.path.display().to_string();
        match read(&spec.path, &program, options) {
            Ok(read) => {
                let shown = quality_diagnostics(&program, &read, &spec.path, options);
                loaded.diagnostics.push(shown);
                let report = report(&program, &read, &file_name);
                results::results(&program, read, &model.zone, recorded, &mut loaded);
                loaded.reports.push(report);
            }
            Err(e) => {
                let error = match e {
                    ScanError::Io(reason) => DatasetError::Unreadable {
                        dataset: (*name).to_owned(),
                        path: file_name.clone(),
                        reason: if std::fs::metadata(&spec.path).is_ok_and(|m| !m.is_file()) {
                            "not a regular file (slac reads a dataset in pieces, so it cannot read a pipe; save it to a file first)".to_owned()
                        } else {
                            reason
                        },
                    },
                    ScanError::DuplicateColumn { column } => DatasetError::DuplicateColumn {
                        dataset: (*name).to_owned(),
                        column,
                        path: file_name.clone(),
                    },
                    ScanError::BadHeader { line } => DatasetError::BadHeader {
                        path: file_name.clone(),
                        line,
                    },
                    ScanError::MissingColumn { column, found } => {
                        let listed: Vec<String> =
                            found.iter().take(12).map(|c| format!("`{c}`")).collect();
                        let bare_cr = found.iter().any(|f| f.contains('\r'));
                        let help = match crate::suggest::did_you_mean(
                            &column,
                            found.iter().map(String::as_str),
                        ) {
                            _ if bare_cr => "the file's lines end with a bare carriage return (CR), as some old exports do, so it reads as one line; save it with LF or CRLF line ends".to_owned(),
                            Some(s) => format!(
                                "did you mean `{s}`? rename the column in the export or in the dataset"
                            ),
                            None if listed.is_empty() => {
                                "the file is empty; a CSV export starts with a header row"
                                    .to_owned()
                            }
                            None if found.len() == 1 => match [";", ",", "|", "\t"]
                                .into_iter()
                                .filter(|d| {
                                    d.as_bytes().first() != Some(&program.schema.delimiter)
                                })
                                .find(|d| found.iter().any(|f| f.contains(d)))
                            {
                                Some(d) => format!(
                                    "the header seems to use `{}` between columns; declare `delimiter \"{}\"` in dataset `{name}`, or export the file with `{}`",
                                    d.escape_default(),
                                    d.escape_default(),
                                    char::from(program.schema.delimiter).escape_default()
                                ),
                                None => format!("the file's columns are {}", listed.join(", ")),
                            },
                            None => format!("the file's columns are {}", listed.join(", ")),
                        };
                        DatasetError::MissingColumn {
                            dataset: (*name).to_owned(),
                            column,
                            path: file_name.clone(),
                            help,
                        }
                    }
                };
                loaded
                    .diagnostics
                    .push((SourceFile::new(file_name, ""), vec![Diagnostic::new(error)]));
            }
        }
    }
    if !agreement_diagnostics.is_empty() {
        loaded
            .diagnostics
            .push((SourceFile::new(agreement_file, ""), agreement_diagnostics));
    }
    loaded
}

/// One dataset file, read.
struct Read {
    tally: Tally,
    quality: rows::Quality,
    rows: u64,
    used: u64,
    format: &'static str,
}

fn read(path: &Path, program: &Program, options: &Options) -> Result<Read, ScanError> {
    let name = path.to_string_lossy().to_lowercase();
    let ndjson = name.ends_with(".ndjson") || name.ends_with(".jsonl") || name.ends_with(".json");
    let threads = options
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(8)));
    let (pieces, header_lines, judged) = if ndjson {
        (pieces::ndjson(path, program)?, 0, None)
    } else {
        pieces::csv(path, program, threads, options.parallel_from)?
    };
    Ok(merge(
        pieces,
        header_lines,
        judged,
        program,
        if ndjson { "ndjson" } else { "csv" },
    ))
}

/// Puts the pieces together in file order, turning lines within a piece into lines
/// of the file.
fn merge(
    pieces: Vec<Piece>,
    header_lines: usize,
    judged: Option<Piece>,
    program: &Program,
    format: &'static str,
) -> Read {
    let offsets = pieces::line_offsets(&pieces, header_lines);
    let mut read = Read {
        tally: program.new_tally(),
        quality: rows::Quality::default(),
        rows: 0,
        used: 0,
        format,
    };
    for (i, mut piece) in pieces.into_iter().enumerate() {
        let shift = offsets.get(i).copied().unwrap_or(0);
        for issue in &mut piece.quality.examples {
            issue.line += shift;
        }
        for outside in &mut piece.tally.outside {
            for row in outside.first.iter_mut().flatten() {
                row.line += shift;
            }
        }
        for clock in &mut piece.tally.clocks {
            for acc in clock.iter_mut() {
                for b in &mut acc.worst {
                    b.line += shift;
                }
            }
        }
        read.rows += piece.rows;
        read.used += piece.used;
        read.quality.merge(piece.quality);
        read.tally.merge(piece.tally, program.keep_breaches);
    }
    // The rows set aside for a repeated key, judged after: their lines are the file's.
    if let Some(piece) = judged {
        read.rows += piece.rows;
        read.used += piece.used;
        read.quality.merge(piece.quality);
        read.tally.merge(piece.tally, program.keep_breaches);
    }
    read
}
