//! The "what happened" store: every value read from recorded metrics, deliveries
//! and datasets, kept per metric, segment and period, for the judge to look up.
//! Readers (one file each beside this one) fill it; nothing here reads a file.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::Span;
use crate::model::period::Period;
use crate::source::SourceFile;

/// Where a recorded value came from, to point at duplicates.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub(super) file: usize,
    pub(super) span: Span,
}

/// Values of one metric: by segment value ("" for the total), then by period. Hashed
/// by name so that evaluation looks values up without building keys.
pub type ByMetric = FxHashMap<String, FxHashMap<Period, (Decimal, Origin)>>;

/// What happened: metric values, deliveries and per-row promise tallies, for the judge.
#[derive(Debug, Default)]
pub struct Recorded {
    values: FxHashMap<String, ByMetric>,
    count: usize,
    /// How many periods a metric will likely have values for, to size its table once.
    pub(super) periods_hint: usize,
    /// Every period with a value, delivery or tally; evaluation runs from the first to the last.
    pub periods: BTreeSet<Period>,
    /// Deliveries: obligation name to the days it was delivered.
    pub deliveries: BTreeMap<String, Vec<Date>>,
    /// Promises over every row of a dataset: (obligation name, segment value for a
    /// limit per segment) to its tallies per period.
    pub records: BTreeMap<(String, Option<String>), BTreeMap<Period, RecordTally>>,
}

impl Recorded {
    /// A metric's value in a period, for a segment value or (`None`) the total.
    pub fn get(&self, metric: &str, segment: Option<&str>, period: Period) -> Option<Decimal> {
        self.values
            .get(metric)?
            .get(segment.unwrap_or(""))?
            .get(&period)
            .map(|(v, _)| *v)
    }

    /// All values of one metric, by segment value ("" for the total) and period.
    pub fn by_metric(&self, metric: &str) -> Option<&ByMetric> {
        self.values.get(metric)
    }

    /// Stores a value unless one is already there; then returns where that came from.
    pub(super) fn put(
        &mut self,
        metric: &str,
        segment: Option<&str>,
        period: Period,
        value: Decimal,
        origin: Origin,
    ) -> Result<(), Origin> {
        // Look up before inserting, so that a known name costs no allocation.
        if !self.values.contains_key(metric) {
            self.values.insert(metric.to_owned(), ByMetric::default());
        }
        let by_metric = self.values.get_mut(metric).ok_or(origin)?;
        let segment = segment.unwrap_or("");
        if !by_metric.contains_key(segment) {
            let periods =
                FxHashMap::with_capacity_and_hasher(self.periods_hint, Default::default());
            by_metric.insert(segment.to_owned(), periods);
        }
        let by_period = by_metric.get_mut(segment).ok_or(origin)?;
        match by_period.entry(period) {
            std::collections::hash_map::Entry::Occupied(first) => Err(first.get().1),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert((value, origin));
                self.count += 1;
                self.periods.insert(period);
                Ok(())
            }
        }
    }

    /// Records a value directly, for callers that have their numbers in hand.
    pub fn insert(&mut self, metric: &str, segment: Option<&str>, period: Period, value: Decimal) {
        let origin = Origin {
            file: usize::MAX,
            span: Span::default(),
        };
        // A value given directly replaces an earlier one.
        if let Some(by_period) = self
            .values
            .get_mut(metric)
            .and_then(|m| m.get_mut(segment.unwrap_or("")))
            && by_period.remove(&period).is_some()
        {
            self.count -= 1;
        }
        let _ = self.put(metric, segment, period, value, origin);
    }

    /// Adds everything `other` holds; its values replace this store's.
    pub fn extend(&mut self, other: &Recorded) {
        self.periods.extend(&other.periods);
        for (metric, by_metric) in &other.values {
            for (segment, by_period) in by_metric {
                let segment = (!segment.is_empty()).then_some(segment.as_str());
                for (period, (value, _)) in by_period {
                    self.insert(metric, segment, *period, *value);
                }
            }
        }
        for (obligation, days) in &other.deliveries {
            self.deliveries
                .entry(obligation.clone())
                .or_default()
                .extend(days);
        }
        for (obligation, tallies) in &other.records {
            self.records
                .entry(obligation.clone())
                .or_default()
                .extend(tallies.iter().map(|(p, t)| (*p, t.clone())));
        }
    }

    /// How many metric values are held (deliveries and tallies not counted).
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no metric value is held.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// A data file with what was wrong in it.
#[derive(Debug)]
pub struct DataFile {
    /// The file's text (for a dataset, only the lines its problems point at).
    pub file: SourceFile,
    /// Its problems, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// A per-row promise in one period.
#[derive(Debug, Clone, Serialize)]
pub struct RecordTally {
    /// Rows whose clock started in the period (among those its `where` keeps).
    pub rows: u64,
    /// Rows whose clock stopped within the limit.
    pub complied: u64,
    /// Rows whose clock did not stop within the limit, open ones included.
    pub breached: u64,
    /// Clocks still running at the end of the period (never stopped).
    pub open: u64,
    /// The calendar whose opening hours the clock counts, if any.
    pub business_hours: Option<String>,
    /// The worst breaches, latest first.
    pub worst: Vec<BreachRow>,
}

/// A row that broke a per-row promise, as the report lists it.
#[derive(Debug, Clone, Serialize)]
pub struct BreachRow {
    /// The row's line in the dataset file, from 1.
    pub line: u64,
    /// The row's `key` column, when the dataset declares one.
    pub key: Option<String>,
    /// The row's `owner` column, when the dataset declares one.
    pub owner: Option<String>,
    /// When the clock started (the `from` column), in the agreement's time zone.
    pub start: String,
    /// When it stopped (the `to` column); `None` for a clock that never stopped.
    pub stop: Option<String>,
    /// Seconds on the clock (to the end of the period when still running).
    pub elapsed: Decimal,
    /// Seconds over the limit.
    pub late: Decimal,
}
