//! The resolved agreement: every declaration once, referred to by id; each
//! obligation with its single owner, beneficiary, tier, promise, bands, remedy and
//! resolved `requires`; every expression with its unit. The checker builds it once
//! from a valid syntax tree (`check::lower`); the data readers and the judge read
//! this, never the tree.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use rustc_hash::FxHashMap;

use super::calendar::BusinessCalendar;
use super::dataset::{Aggregate, DatasetDecl, RecordPromise};
use super::expr::{Comparison, Expr};
use super::id::*;
use super::period::Period;
use super::unit::Dim;
use crate::syntax::ast::Span;
// Plain words of the language, without places: the model speaks them as they are.
pub use crate::syntax::ast::{AgreementKind, CapWindow, MetricType, MissRule, PeriodUnit};

/// A checked agreement, ready to be judged.
#[derive(Debug, Clone)]
pub struct Agreement {
    /// The agreement's name.
    pub name: String,
    /// The one-paragraph summary.
    pub summary: Option<String>,
    /// Customer-facing, internal or multi-level.
    pub kind: Option<AgreementKind>,
    /// The length of a period.
    pub period: PeriodUnit,
    /// The zone periods and days are counted in.
    pub zone: TimeZone,
    /// The zone's IANA name, as written.
    pub zone_name: String,
    /// The first day the agreement is in force.
    pub from: Date,
    /// The last day the agreement is in force.
    pub to: Date,
    /// The `effective` clause.
    pub effective_span: Span,
    /// Every period of the effective range, in order.
    pub periods: Vec<Period>,
    /// Parties, in declaration order.
    pub parties: Vec<Party>,
    /// Declared tiers, in declaration order.
    pub tiers: Vec<Tier>,
    /// Segments, in declaration order.
    pub segments: Vec<Segment>,
    /// Inputs, lets and metrics, in declaration order.
    pub values: Vec<Value>,
    /// Inputs and lets in an order where each comes after what it uses.
    pub order: Vec<ValueId>,
    /// Obligations, in declaration order.
    pub obligations: Vec<Obligation>,
    /// Remedies, in declaration order.
    pub remedies: Vec<Remedy>,
    /// Caps on credits.
    pub caps: Vec<Cap>,
    /// Termination conditions.
    pub terminations: Vec<Termination>,
    /// Business calendars, built once.
    pub calendars: Vec<Calendar>,
    /// Event datasets.
    pub datasets: Vec<DatasetDecl>,
    /// Declarations by name, indexed once.
    pub index: Index,
    /// `consequences follow root cause`: a miss caused upstream gives its strikes
    /// to the root cause's owner and does not count towards termination.
    pub blame_root_cause: bool,
}

/// Declarations by name, for readers that meet names in data files.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Inputs, lets and metrics.
    pub values: FxHashMap<String, ValueId>,
    /// Obligations.
    pub obligations: FxHashMap<String, ObligationId>,
    /// The names a delivery may be logged under: a deliverable obligation's name or
    /// its `deliver` text; sorted, as help lines list them.
    pub deliverables: BTreeMap<String, ObligationId>,
    /// Datasets.
    pub datasets: FxHashMap<String, DatasetId>,
}

/// A team or company.
#[derive(Debug, Clone)]
pub struct Party {
    /// The party's name.
    pub name: String,
    /// Who answers for it.
    pub contacts: Vec<Contact>,
    /// The declaration.
    pub span: Span,
}

/// A person to reach.
#[derive(Debug, Clone)]
pub struct Contact {
    /// Their name.
    pub name: String,
    /// Their e-mail address.
    pub email: String,
    /// Their role, if given.
    pub role: Option<String>,
}

impl Contact {
    /// `Name <address>`, as reports write it.
    pub fn written(&self) -> String {
        format!("{} <{}>", self.name, self.email)
    }
}

/// One level of a multi-level agreement.
#[derive(Debug, Clone)]
pub struct Tier {
    /// The tier's name.
    pub name: String,
    /// The party that delivers.
    pub from: PartyId,
    /// The party that receives.
    pub to: PartyId,
}

/// A dimension metrics are split by.
#[derive(Debug, Clone)]
pub struct Segment {
    /// The segment's name.
    pub name: String,
    /// Its values, in declaration order.
    pub values: Vec<String>,
    /// Each value's place in `values`: readers look values up once per row.
    index: FxHashMap<String, usize>,
}

impl Segment {
    /// A segment with its values, indexed.
    pub fn new(name: String, values: Vec<String>) -> Segment {
        let index = values
            .iter()
            .enumerate()
            .map(|(i, v)| (v.clone(), i))
            .collect();
        Segment {
            name,
            values,
            index,
        }
    }

    /// Whether `value` is one of the segment's values.
    pub fn has(&self, value: &str) -> bool {
        self.index.contains_key(value)
    }
}

/// An input, let or metric: one namespace, since an expression names any of them.
#[derive(Debug, Clone)]
pub struct Value {
    /// The name.
    pub name: String,
    /// What it is and how it is worked out.
    pub definition: Definition,
    /// Its dimension, when it could be worked out.
    pub unit: Option<Dim>,
    /// The declaration's name.
    pub span: Span,
    /// The whole declaration.
    pub declared: Span,
}

/// How a value is worked out.
#[derive(Debug, Clone)]
pub enum Definition {
    /// `input x = 5000 EUR`
    Fixed(Expr),
    /// `input x = recalculated … over N periods else …`
    Recalculated {
        /// Worked out over the previous periods' actuals.
        formula: Expr,
        /// How many previous periods.
        periods: u32,
        /// While history is missing, or the formula divides by zero.
        fallback: Expr,
    },
    /// `let x = …`
    Let(Expr),
    /// `metric x: …`
    Metric(Metric),
}

/// A measurement, recorded per period or computed from a dataset.
#[derive(Debug, Clone)]
pub struct Metric {
    /// Its declared type.
    pub ty: MetricType,
    /// The segment it is split by.
    pub segment: Option<SegmentId>,
    /// Computed from this dataset, or recorded when `None`.
    pub dataset: Option<DatasetId>,
    /// How it is computed from the dataset's rows.
    pub aggregate: Option<Box<Aggregate>>,
}

impl Metric {
    /// Counts and money add up across segments and periods.
    pub fn summable(&self) -> bool {
        matches!(self.ty, MetricType::Count | MetricType::Money(_))
    }
}

/// What one party owes another.
#[derive(Debug, Clone)]
pub struct Obligation {
    /// The obligation's name.
    pub name: String,
    /// The party that owes it (`by`).
    pub owner: PartyId,
    /// The party it is owed to (`for`).
    pub beneficiary: PartyId,
    /// The tier's name: a declared tier, or `by -> for` where none is declared.
    pub tier: String,
    /// Obligations it depends on.
    pub requires: Vec<ObligationId>,
    /// What is promised.
    pub promise: Promise,
    /// The remedy of a miss, when no band names one.
    pub remedy: Option<RemedyUse>,
    /// The declaration.
    pub span: Span,
}

/// What an obligation promises.
#[derive(Debug, Clone)]
pub enum Promise {
    /// A comparison per period, possibly graded into bands, and targets per segment.
    Compare {
        /// `promise mqls >= leads_needed`
        promise: Option<Comparison>,
        /// The bands, in order: the first that holds grades the value.
        bands: Option<Vec<Band>>,
        /// `per SEGMENT { value: promise … }`
        per: Vec<SegmentTarget>,
    },
    /// A promise over every row of a dataset.
    Rows(Box<RecordPromise>),
    /// Something delivered every week, month, …
    Deliver {
        /// What is delivered.
        what: String,
        /// How often.
        every: PeriodUnit,
        /// The clause.
        span: Span,
    },
}

/// A graded outcome.
#[derive(Debug, Clone)]
pub struct Band {
    /// The band's name.
    pub name: String,
    /// The status a period graded into it gets.
    pub status: BandStatus,
    /// When it applies; `None` for the catch-all.
    pub when: Option<Comparison>,
    /// What follows from it.
    pub remedy: Option<RemedyUse>,
}

/// The status a band grades: named by the band (`met`, `at_risk`, `missed`), written
/// with `as`, or for another name without `as`, whatever the promise says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandStatus {
    /// The period is met.
    Met,
    /// The period is at risk: a warning with the band's remedy, not a breach.
    AtRisk,
    /// The period is missed.
    Missed,
    /// Met when the promise holds, missed when it does not.
    Promise,
}

impl BandStatus {
    /// The status a band's name or `as` word stands for, if it is one.
    pub fn from_word(word: &str) -> Option<BandStatus> {
        match word {
            "met" => Some(BandStatus::Met),
            "at_risk" => Some(BandStatus::AtRisk),
            "missed" => Some(BandStatus::Missed),
            _ => None,
        }
    }
}

/// A segment value's own promise.
#[derive(Debug, Clone)]
pub struct SegmentTarget {
    /// The segment value.
    pub value: String,
    /// Its promise.
    pub promise: Comparison,
}

/// A remedy as an obligation or band names it.
#[derive(Debug, Clone)]
pub enum RemedyUse {
    /// A declared remedy.
    Named(RemedyId),
    /// `remedy credit AMOUNT`
    Credit(Expr),
}

/// What happens on a miss.
#[derive(Debug, Clone)]
pub struct Remedy {
    /// The remedy's name.
    pub name: String,
    /// Actions, in words.
    pub actions: Vec<String>,
    /// Parties whose contacts answer for it.
    pub responsible: Vec<PartyId>,
    /// Strikes: against a party, or the obligation's owner when `None`.
    pub strikes: Vec<Option<PartyId>>,
    /// Credits owed.
    pub credits: Vec<Expr>,
}

/// `cap credits at AMOUNT per WINDOW`
#[derive(Debug, Clone)]
pub struct Cap {
    /// The most paid in a window.
    pub amount: Expr,
    /// The window.
    pub per: CapWindow,
}

/// `terminate when … missed …`
#[derive(Debug, Clone)]
pub struct Termination {
    /// The obligations it watches; all of them for `any obligation`.
    pub subjects: Vec<ObligationId>,
    /// How many misses in which window.
    pub rule: MissRule,
    /// The clause as written, for the report.
    pub text: String,
    /// The clause.
    pub span: Span,
}

/// Business hours and holidays.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// The calendar's name.
    pub name: String,
    /// Its opening hours, built once.
    pub hours: BusinessCalendar,
}

impl Agreement {
    /// A party's name.
    pub fn party(&self, id: PartyId) -> &str {
        self.parties.get(id.index()).map_or("", |p| p.name.as_str())
    }

    /// A value by name.
    pub fn value_named(&self, name: &str) -> Option<ValueId> {
        self.index.values.get(name).copied()
    }

    /// A metric by name.
    pub fn metric_named(&self, name: &str) -> Option<&Metric> {
        self.metric(self.value_named(name)?)
    }

    /// Whether a period lies in the effective range.
    pub fn covers(&self, period: Period) -> bool {
        self.periods.binary_search(&period).is_ok()
    }

    /// The obligation a delivery logged under `name` counts for.
    pub fn deliverable(&self, name: &str) -> Option<&Obligation> {
        let id = self.index.deliverables.get(name)?;
        self.obligations.get(id.index())
    }

    /// The metric a value is, if it is one.
    pub fn metric(&self, id: ValueId) -> Option<&Metric> {
        match &self.values.get(id.index())?.definition {
            Definition::Metric(m) => Some(m),
            _ => None,
        }
    }

    /// Each metric with its id, in declaration order.
    pub fn metrics(&self) -> impl Iterator<Item = (ValueId, &Value, &Metric)> {
        self.values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match &v.definition {
                Definition::Metric(m) => Some((ValueId(i as u32), v, m)),
                _ => None,
            })
    }

    /// A segment's values.
    pub fn segment_values(&self, id: SegmentId) -> &[String] {
        self.segments
            .get(id.index())
            .map_or(&[][..], |s| s.values.as_slice())
    }

    /// Every credit the agreement can grant: declared remedies' and inline ones.
    pub fn credits(&self) -> impl Iterator<Item = &Expr> {
        let declared = self.remedies.iter().flat_map(|r| r.credits.iter());
        let inline = self.obligations.iter().flat_map(|o| {
            let bands = match &o.promise {
                Promise::Compare {
                    bands: Some(bands), ..
                } => bands.iter().filter_map(|b| b.remedy.as_ref()).collect(),
                _ => Vec::new(),
            };
            o.remedy.iter().chain(bands).filter_map(|r| match r {
                RemedyUse::Credit(amount) => Some(amount),
                RemedyUse::Named(_) => None,
            })
        });
        declared.chain(inline)
    }
}
