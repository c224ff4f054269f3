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
use crate::model::period::{Period, period_label};
use crate::source::Location;
use crate::syntax::ast::Span;

/// Worst last: `max` over statuses gives the one that matters most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    AtRisk,
    NoData,
    Missed,
}

impl Status {
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
    pub name: Option<Arc<str>>,
    pub actions: Arc<[String]>,
    pub responsible: Arc<[Responsible]>,
    pub strike_against: Arc<[String]>,
    pub credit: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Responsible {
    pub party: String,
    pub contacts: Vec<String>,
}

/// Progress inside a period that is still running (`--as-of`).
#[derive(Debug, Clone, Serialize)]
pub struct Pacing {
    pub elapsed_days: i64,
    pub total_days: i64,
    /// The target scaled to the elapsed share of the period (goal × elapsed / total).
    pub target_to_date: Option<Decimal>,
    /// The actual scaled up to the whole period.
    pub projected: Option<Decimal>,
}

/// One obligation (or one segment of it) in one period.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub id: Arc<str>,
    pub segment: Option<String>,
    pub tier: Arc<str>,
    pub by: Arc<str>,
    #[serde(rename = "for")]
    pub for_: Arc<str>,
    pub status: Status,
    pub band: Option<Arc<str>>,
    pub actual: Option<Decimal>,
    pub target: Option<Decimal>,
    pub comparison: Option<&'static str>,
    pub unit: Unit,
    pub remedy: Option<AppliedRemedy>,
    pub root_cause: Option<String>,
    pub root_cause_tier: Option<String>,
    /// Metrics with no recorded value, when the status is `no_data`.
    pub missing: Vec<String>,
    pub pacing: Option<Pacing>,
    /// For a promise over every row of a dataset: how many rows complied, and the
    /// worst breaches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<RecordTally>,
    #[serde(skip)]
    pub promise_span: Span,
    /// Where the promise is written in the agreement.
    pub promise: Location,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Credits {
    /// Credits owed by the remedies before any cap.
    pub owed: Decimal,
    /// What is paid after caps.
    pub paid: Decimal,
    pub currency: Option<String>,
    pub capped: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodResult {
    #[serde(serialize_with = "period_label")]
    pub period: Period,
    /// Worst status of the period's obligations.
    pub status: Status,
    /// The period is still running (it contains the `--as-of` date).
    pub running: bool,
    pub obligations: Vec<Outcome>,
    pub credits: Credits,
    /// Strikes given in this period, per party.
    pub strikes: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Termination {
    #[serde(serialize_with = "period_label")]
    pub period: Period,
    pub reason: String,
    pub obligations: Vec<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub agreement: String,
    pub period_unit: &'static str,
    pub time_zone: String,
    pub as_of: Option<String>,
    pub periods: Vec<PeriodResult>,
    /// Strikes over all evaluated periods, per party.
    pub strikes: BTreeMap<String, u32>,
    pub terminated: Option<Termination>,
    /// What was read from each dataset (`--data`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<dataset::DatasetReport>,
    /// Metrics computed from datasets, per period and segment.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<dataset::MetricValue>,
    /// How each metric's values are written (for the human report).
    #[serde(skip)]
    pub metric_units: BTreeMap<String, Unit>,
    #[serde(skip)]
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
}

impl Evaluation {
    pub fn any_missed(&self) -> bool {
        self.periods.iter().any(|p| p.status == Status::Missed)
    }
}

/// A date given on the command line, as a calendar day.
pub fn parse_as_of(text: &str) -> Option<Date> {
    text.parse().ok()
}
