//! Stage two: names, units and the dependency graph of a parsed agreement.
//!
//! Every problem is collected (nothing stops at the first), and the result carries
//! what later stages need: the tier of each obligation and the unit of each value.

mod band_cover;
mod bands;
mod calendars;
mod dataset_error;
mod datasets;
pub mod error;
mod grading_error;
mod graph;
mod header;
mod lower;
mod lower_rows;
mod names;
mod obligations;
mod parties;
mod remedies;
mod values;

use std::collections::BTreeMap;

use rustc_hash::FxHashSet as HashSet;

use miette::SourceSpan;

use crate::model::unit::Dim;
pub use error::CheckError;
pub use names::unknown_help as names_help;
use names::{Symbols, Value};

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use crate::syntax::ast::{Agreement, Ident, Item, Span};

/// What the checker works out on the way, for the lowering into the model.
#[derive(Debug, Clone, Default)]
struct Model {
    /// Obligation name to the tier it belongs to (a declared tier's name, or
    /// `by -> for` where the agreement declares no tiers).
    pub tiers: BTreeMap<String, String>,
    /// Unit of every input, let and metric whose unit could be worked out.
    pub units: BTreeMap<String, Dim>,
    /// Inputs and lets in an order where each comes after what it uses.
    pub evaluation_order: Vec<String>,
}

/// What checking gave: every problem, and what lowering needs when there is none.
pub struct Checked {
    /// Present when the agreement has no error.
    pub facts: Option<Facts>,
    /// Every problem found, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// What the syntax stage left behind that the checker must take into account.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Names of items that could not be read: references to them are not reported.
    pub unreadable_names: Vec<String>,
    /// Other items failed to parse, so "missing" and "unused" findings may be wrong.
    pub partial: bool,
    /// The agreement's text, to quote thresholds and promises as written.
    pub text: std::sync::Arc<str>,
}

/// Checks an agreement: every problem, and when there is no error, what the
/// lowering into the model needs.
pub fn check(agreement: &Agreement, context: &Context) -> Checked {
    let mut checker = Checker::new(agreement, context);
    checker.run();
    let clean = !context.partial
        && !checker
            .errors
            .iter()
            .any(|e| miette::Diagnostic::severity(e).is_none_or(|s| s == miette::Severity::Error));
    Checked {
        facts: clean.then_some(Facts(checker.model)),
        diagnostics: crate::diagnostic::from_all(checker.errors),
    }
}

/// What the checker worked out about an agreement without errors: each
/// obligation's tier, each value's unit, the order inputs and lets are computed in.
#[derive(Debug, Clone)]
pub struct Facts(Model);

/// Lowers a checked agreement into the resolved model; `None` if the tree lacks
/// something the checker requires (it reported that).
pub fn lower(
    agreement: &Agreement,
    facts: &Facts,
    file: &SourceFile,
) -> Option<crate::model::Agreement> {
    lower::lower(agreement, &facts.0, file)
}

pub(crate) struct Checker<'a> {
    ast: &'a Agreement,
    errors: Vec<CheckError>,
    unreadable: HashSet<&'a str>,
    partial: bool,
    symbols: Symbols<'a>,
    used_values: HashSet<&'a str>,
    used_remedies: HashSet<&'a str>,
    /// Units of inputs and lets, filled in dependency order.
    value_units: rustc_hash::FxHashMap<&'a str, Dim>,
    period: Option<crate::syntax::ast::PeriodUnit>,
    model: Model,
    text: std::sync::Arc<str>,
}

impl<'a> Checker<'a> {
    fn new(ast: &'a Agreement, context: &'a Context) -> Self {
        Checker {
            ast,
            errors: Vec::new(),
            unreadable: context
                .unreadable_names
                .iter()
                .map(String::as_str)
                .collect(),
            partial: context.partial,
            symbols: Symbols::default(),
            used_values: HashSet::default(),
            used_remedies: HashSet::default(),
            value_units: rustc_hash::FxHashMap::default(),
            period: None,
            model: Model::default(),
            text: context.text.clone(),
        }
    }

    /// The text a span covers; empty if it lies outside the agreement.
    fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    fn run(&mut self) {
        self.declare();
        self.header();
        self.parties_and_tiers();
        self.segments();
        self.values();
        self.obligations();
        self.requires_cycles();
        self.remedies();
        self.credit_currencies();
        self.caps();
        self.terminations();
        self.calendars();
        self.datasets();
        self.unused();
    }

    fn report(&mut self, error: impl Into<CheckError>) {
        self.errors.push(error.into());
    }

    /// Fills the symbol tables, reporting names declared twice.
    fn declare(&mut self) {
        for item in &self.ast.items {
            let (what, name, taken) = match item {
                Item::Party(p) => ("party", &p.name, self.symbols.parties.insert(&p.name, p)),
                Item::Tier(t) => ("tier", &t.name, self.symbols.tiers.insert(&t.name, t)),
                Item::Segment(s) => ("segment", &s.name, self.symbols.segments.insert(&s.name, s)),
                Item::Input(i) => (
                    "input",
                    &i.name,
                    self.symbols.values.insert(&i.name, Value::Input(i)),
                ),
                Item::Let(l) => (
                    "let",
                    &l.name,
                    self.symbols.values.insert(&l.name, Value::Let(l)),
                ),
                Item::Metric(m) => (
                    "metric",
                    &m.name,
                    self.symbols.values.insert(&m.name, Value::Metric(m)),
                ),
                Item::Obligation(o) => (
                    "obligation",
                    &o.name,
                    self.symbols.obligations.insert(&o.name, o),
                ),
                Item::Remedy(r) => ("remedy", &r.name, self.symbols.remedies.insert(&r.name, r)),
                Item::Calendar(c) => (
                    "calendar",
                    &c.name,
                    self.symbols.calendars.insert(&c.name, c),
                ),
                Item::Dataset(d) => ("dataset", &d.name, self.symbols.datasets.insert(&d.name, d)),
                _ => continue,
            };
            if let Some(first) = taken {
                self.report(CheckError::Duplicate {
                    what,
                    name: name.node.clone(),
                    span: name.span.into(),
                    first: first.into(),
                });
            }
        }
    }

    /// Whether an unknown name should be reported: not if its declaration was unreadable.
    fn should_report_unknown(&self, name: &str) -> bool {
        !self.unreadable.contains(name)
    }

    fn party(&mut self, name: &'a Ident) -> bool {
        if self.symbols.parties.contains(&name.node) {
            return true;
        }
        if self.should_report_unknown(&name.node) {
            let help = names::unknown_help(&name.node, "party", self.symbols.parties.names());
            self.report(CheckError::UnknownParty {
                name: name.node.clone(),
                span: name.span.into(),
                help,
            });
        }
        false
    }

    fn obligation_ref(&mut self, name: &'a Ident) -> bool {
        if self.symbols.obligations.contains(&name.node) {
            return true;
        }
        if self.should_report_unknown(&name.node) {
            let help =
                names::unknown_help(&name.node, "obligation", self.symbols.obligations.names());
            self.report(CheckError::UnknownObligation {
                name: name.node.clone(),
                span: name.span.into(),
                help,
            });
        }
        false
    }

    fn segments(&mut self) {
        for (_, segment) in self.symbols.segments.iter().collect::<Vec<_>>() {
            if segment.values.is_empty() {
                self.report(CheckError::EmptySegment {
                    segment: segment.name.node.clone(),
                    span: segment.name.span.into(),
                });
            }
            let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
            for value in &segment.values {
                if let Some(first) = seen.insert(&value.node, value.span) {
                    self.report(CheckError::Duplicate {
                        what: "segment value",
                        name: value.node.clone(),
                        span: value.span.into(),
                        first: first.into(),
                    });
                }
            }
        }
    }

    /// Warnings for declarations nothing refers to. Skipped when part of the file
    /// could not be read, since the unreadable part may be what uses them.
    fn unused(&mut self) {
        if self.partial {
            return;
        }
        let mut found = Vec::new();
        for (name, value) in self.symbols.values.iter() {
            // A metric computed from a dataset is reported with its values.
            if self.used_values.contains(name)
                || matches!(value, Value::Metric(m) if m.aggregate.is_some())
            {
                continue;
            }
            let span: SourceSpan = match value {
                Value::Input(i) => i.name.span.into(),
                Value::Let(l) => l.name.span.into(),
                Value::Metric(m) => m.name.span.into(),
            };
            let name = name.to_owned();
            found.push(match value {
                Value::Input(_) => CheckError::UnusedInput { name, span },
                Value::Let(_) => CheckError::UnusedLet { name, span },
                Value::Metric(_) => CheckError::UnusedMetric { name, span },
            });
        }
        for (name, remedy) in self.symbols.remedies.iter() {
            if !self.used_remedies.contains(name) {
                found.push(CheckError::UnusedRemedy {
                    name: name.to_owned(),
                    span: remedy.name.span.into(),
                });
            }
        }
        self.errors.extend(found);
    }
}
