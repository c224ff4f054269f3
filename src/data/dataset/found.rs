//! What reading a dataset file found, as reports show it: rows read, used,
//! excluded and outside every period, the examples, and the metric values.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::IssueKind;
use crate::model::period::Period;

/// What reading one dataset file found.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetReport {
    /// The dataset, as declared in the agreement.
    pub dataset: String,
    /// The file as given with `--data`.
    pub file: String,
    /// How the file was read: `csv` or `ndjson`.
    pub format: &'static str,
    /// Rows read, the header not counted.
    pub rows: u64,
    /// Rows that count towards the metrics: those not excluded.
    pub used: u64,
    /// Rows excluded, by kind (`malformed`, `duplicate_key`, `expectation`, `clock_reversed`).
    pub excluded: BTreeMap<&'static str, u64>,
    /// The first few excluded rows of each kind, in file order.
    pub examples: Vec<RowIssue>,
    /// Per grouping column, rows it places in no period: outside the agreement's
    /// `effective` range or after `--as-of`. Such rows count towards no metric
    /// grouped by that column.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outside: Vec<OutsideReport>,
}

/// Rows a grouping column places in no period.
#[derive(Debug, Clone, Serialize)]
pub struct OutsideReport {
    /// The grouping column (a metric's `by`, a per-row promise's `from`).
    pub column: String,
    /// Rows whose timestamp is before the agreement's `effective` range.
    pub before: u64,
    /// Rows whose timestamp is after the agreement's `effective` range.
    pub after: u64,
    /// Rows inside the range but after the end of the `--as-of` day.
    pub after_as_of: u64,
}

/// A row that was excluded, as reported (the first few of each kind).
#[derive(Debug, Clone, Serialize)]
pub struct RowIssue {
    /// Why the row was excluded.
    pub kind: IssueKind,
    /// The row's line in the file, from 1.
    pub line: u64,
    /// File offset of the row's first byte.
    #[serde(skip)]
    pub byte: u64,
    /// Byte column of the field in its line, from 1.
    pub column: u64,
    /// The field's length in bytes, as written.
    #[serde(skip)]
    pub len: u64,
    /// The column at fault; `None` when the row as a whole is.
    pub field: Option<String>,
    /// The value (or the row) as written, cut to 160 characters, control characters escaped.
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

/// One computed value of a metric.
#[derive(Debug, Clone, Serialize)]
pub struct MetricValue {
    /// The metric, as declared in the agreement.
    pub metric: String,
    /// The period the rows fell into by the aggregate's `by` column.
    #[serde(serialize_with = "crate::model::period::period_label")]
    pub period: Period,
    /// The segment value; `None` for the metric's total.
    pub segment: Option<String>,
    /// The value, exact: durations in seconds, percentages and shares as fractions.
    pub value: Decimal,
}

/// A `count`, `sum` or `mean` metric day by day: the rows counted on each day of the
/// agreement's periods (in its zone), and for a sum or mean what they add up to, for
/// charts of a period's progress against its goal line and of weeks.
#[derive(Debug, Clone)]
pub struct DailyCounts {
    /// The metric, as declared in the agreement.
    pub metric: String,
    /// The segment value; `None` for the metric's total.
    pub segment: Option<String>,
    /// The first day of the first period; `counts[i]` is the day `i` days later.
    pub first_day: jiff::civil::Date,
    /// Rows counted per day.
    pub counts: Vec<u64>,
    /// For a sum or mean: the values of those rows added up, per day, exact; empty
    /// for a count.
    pub sums: Vec<Decimal>,
}

impl DailyCounts {
    /// The metric over the days `days` (indices into `counts`): for a count the rows,
    /// for a sum the total, for a mean the total over the rows; `None` for a mean
    /// without rows.
    pub fn over(&self, days: std::ops::Range<usize>, mean: bool) -> Option<Decimal> {
        let rows: u64 = self.counts.get(days.clone())?.iter().sum();
        if self.sums.is_empty() {
            return Some(Decimal::from(rows));
        }
        let total: Decimal = self.sums.get(days)?.iter().sum();
        if !mean {
            return Some(total);
        }
        total.checked_div(Decimal::from(rows))
    }
}
