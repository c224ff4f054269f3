//! Stage three: an agreement checked against what happened, period by period.
//!
//! Recorded metrics and deliveries come in through [`crate::data`]; [`evaluate`] works out,
//! for each period (and segment), each obligation's status, band, remedy and root
//! cause, the credits (capped) and strikes, and whether a termination condition hit.

mod engine;
pub mod error;
mod expr;
pub mod finding;

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

pub use engine::{evaluate, evaluate_on_threads};
pub use error::EvalError;

use crate::data::{RecordTally, dataset};
use crate::model::Span;
use crate::model::period::{Period, period_label};
use crate::source::Location;

/// Worst last: `max` over statuses gives the one that matters most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The promise held (every delivery due was made).
    Met,
    /// In a period still running (`--as-of`), the obligation is behind its pace; in
    /// a closed period, a band graded it `at_risk`: a warning, not a breach.
    AtRisk,
    /// A metric the promise needs has no value: neither met nor missed.
    NoData,
    /// The promise did not hold in a closed period.
    Missed,
}

impl Status {
    /// The status as reports write it: `met`, `at_risk`, `no_data` or `missed`.
    pub fn word(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::AtRisk => "at_risk",
            Status::NoData => "no_data",
            Status::Missed => "missed",
        }
    }
}

pub use crate::model::unit::Unit;

/// The remedy that applies to a shortfall, with who answers for it.
#[derive(Debug, Clone, Serialize)]
pub struct AppliedRemedy {
    /// The remedy's name; `None` for an inline credit (`remedy credit …` in a band).
    pub name: Option<Arc<str>>,
    /// Its `action` texts.
    pub actions: Arc<[String]>,
    /// Its `responsible` parties (the owner, for an inline credit), with their contacts.
    pub responsible: Arc<[Responsible]>,
    /// Parties given a strike: the owner for `strike`, the named party for `strike against`.
    pub strike_against: Arc<[String]>,
    /// The service credit owed in this period, before caps; `None` without `credit`.
    pub credit: Option<Decimal>,
}

/// A party that answers for a remedy, with how to reach it.
#[derive(Debug, Clone, Serialize)]
pub struct Responsible {
    /// The party's name.
    pub party: String,
    /// Its contacts as written: `Head of Sales <sales@example.com>`.
    pub contacts: Vec<String>,
}

/// Progress inside a period that is still running (`--as-of`).
#[derive(Debug, Clone, Serialize)]
pub struct Pacing {
    /// Days of the period up to and including the `--as-of` date.
    pub elapsed_days: i64,
    /// Days in the whole period.
    pub total_days: i64,
    /// The target scaled to the elapsed share of the period (goal × elapsed / total).
    pub target_to_date: Option<Decimal>,
    /// The actual scaled up to the whole period.
    pub projected: Option<Decimal>,
}

/// One obligation (or one segment of it) in one period.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The obligation's name.
    pub id: Arc<str>,
    /// The segment value, for a target `per` segment; `None` for the obligation as a whole.
    pub segment: Option<String>,
    /// The obligation's tier: a declared tier, or `by -> for` where none is declared.
    pub tier: Arc<str>,
    /// The party that owes it (`by`).
    pub by: Arc<str>,
    /// The party it is owed to (`for`).
    #[serde(rename = "for")]
    pub for_: Arc<str>,
    /// How the obligation did in the period.
    pub status: Status,
    /// The first of its `bands` that matched, if it has bands.
    pub band: Option<Arc<str>>,
    /// What happened: the promise's left side, the share of rows that complied, or deliveries.
    pub actual: Option<Decimal>,
    /// What was promised: the right side, the `at least` share, or the deliveries due.
    pub target: Option<Decimal>,
    /// How `actual` is compared with `target`: `>=`, `<=`, ….
    pub comparison: Option<&'static str>,
    /// The unit of `actual` and `target`.
    pub unit: Unit,
    /// The remedy that applies, when the obligation was missed.
    pub remedy: Option<AppliedRemedy>,
    /// The prerequisite (via `requires`) whose shortfall in the same period caused this one.
    pub root_cause: Option<String>,
    /// The tier of that prerequisite, where the failure started.
    pub root_cause_tier: Option<String>,
    /// `consequences follow root cause`: the miss was caused upstream, so it does not
    /// count towards termination, and its strikes went to the root cause's owner.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub excused: bool,
    /// Metrics with no recorded value, when the status is `no_data`.
    pub missing: Vec<String>,
    /// Progress to date, in a period still running (`--as-of`).
    pub pacing: Option<Pacing>,
    /// For a promise over every row of a dataset: how many rows complied, and the
    /// worst breaches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<RecordTally>,
    /// Where the promise is written, as a span into the agreement's text.
    #[serde(skip)]
    pub promise_span: Span,
    /// Where the promise is written in the agreement.
    pub promise: Location,
}

/// Service credits in one period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Credits {
    /// Credits owed by the remedies before any cap.
    pub owed: Decimal,
    /// What is paid after caps.
    pub paid: Decimal,
    /// The credits' currency; `None` when no credit was owed.
    pub currency: Option<String>,
    /// Whether a `cap credits at …` held what is paid below what is owed.
    pub capped: bool,
}

/// One period judged: every obligation's outcome, the credits and the strikes.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodResult {
    /// The period judged.
    #[serde(serialize_with = "period_label")]
    pub period: Period,
    /// Worst status of the period's obligations.
    pub status: Status,
    /// The period is still running (it contains the `--as-of` date).
    pub running: bool,
    /// Each obligation's outcome (one per segment value for a target `per` segment).
    pub obligations: Vec<Outcome>,
    /// Service credits owed and paid in the period.
    pub credits: Credits,
    /// Strikes given in this period, per party.
    pub strikes: BTreeMap<String, u32>,
}

/// The first period in which a `terminate when` condition held.
#[derive(Debug, Clone, Serialize)]
pub struct Termination {
    /// The period in which it held.
    #[serde(serialize_with = "period_label")]
    pub period: Period,
    /// The condition as written, the obligations that missed and in which periods.
    pub reason: String,
    /// The obligations that caused it.
    pub obligations: Vec<String>,
    /// The `terminate when` condition in the agreement.
    #[serde(skip)]
    pub span: Span,
}

/// An agreement judged against what happened, period by period.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// The agreement's name.
    pub agreement: String,
    /// The agreement's period: `week`, `month`, `quarter` or `year`.
    pub period_unit: &'static str,
    /// The agreement's time zone, an IANA name such as `Europe/Berlin`.
    pub time_zone: String,
    /// The `--as-of` date, if given.
    pub as_of: Option<String>,
    /// The periods judged, in order: from the first with data to the last (or `--as-of`).
    pub periods: Vec<PeriodResult>,
    /// Strikes over all evaluated periods, per party.
    pub strikes: BTreeMap<String, u32>,
    /// The termination, if a `terminate when` condition held.
    pub terminated: Option<Termination>,
    /// What was read from each dataset (`--data`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<dataset::DatasetReport>,
    /// Metrics computed from datasets, per period and segment.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<dataset::MetricValue>,
    /// Dataset `count` metrics day by day, when asked for ([`crate::Inputs::daily`]).
    #[serde(skip)]
    pub daily: Vec<dataset::DailyCounts>,
    /// How each metric's values are written (for the human report).
    #[serde(skip)]
    pub metric_units: BTreeMap<String, Unit>,
    /// Warnings from judging (`no_data`, `division_by_zero`), sorted by position.
    #[serde(skip)]
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
}

impl Evaluation {
    /// Whether some obligation was missed in some period (exit status 1).
    pub fn any_missed(&self) -> bool {
        self.periods.iter().any(|p| p.status == Status::Missed)
    }
}

/// A date given on the command line, as a calendar day.
pub fn parse_as_of(text: &str) -> Option<Date> {
    text.parse().ok()
}
