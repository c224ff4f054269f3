//! Period-by-period evaluation: inputs and lets, promises and bands, deliverables,
//! pacing, root causes, remedies with credits and caps, strikes, termination.

mod history;
mod judge;
mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::error::EvalError;
use super::expr::{self, Code, Fail, Scope, Value, holds};
use super::{
    AppliedRemedy, Credits, Evaluation, Outcome, Pacing, PeriodResult, Responsible, Status,
    Termination, Unit,
};
use crate::Compiled;
use crate::check::Model;
use crate::check::units::Dim;
use crate::data::{ByMetric, Recorded};
use crate::model::Catalog;
use crate::model::period::Period;
use crate::syntax::ast::{
    Bands, CapWindow, Comparison, Expr, ExprKind, InputValue, Item, MetricType, MissRule,
    Obligation, PeriodUnit, RecordPromise, RemedyRef, Span, TerminateSubject,
};

/// Evaluates a valid agreement against recorded data. `None` when the agreement is
/// not valid (its diagnostics say why).
pub fn evaluate(
    compiled: &Compiled,
    recorded: &Recorded,
    as_of: Option<Date>,
) -> Option<Evaluation> {
    evaluate_with(compiled, recorded, as_of, None)
}

/// [`evaluate`] on exactly `threads` threads (at least one): the result is the same
/// for any number, which the tests check.
pub fn evaluate_on_threads(
    compiled: &Compiled,
    recorded: &Recorded,
    as_of: Option<Date>,
    threads: usize,
) -> Option<Evaluation> {
    evaluate_with(compiled, recorded, as_of, Some(threads.max(1)))
}

/// `threads`: `None` chooses by the amount of work and the processors.
fn evaluate_with(
    compiled: &Compiled,
    recorded: &Recorded,
    as_of: Option<Date>,
    threads: Option<usize>,
) -> Option<Evaluation> {
    let agreement = compiled.agreement.as_ref()?;
    let model = compiled.model.as_ref()?;
    if !compiled.is_valid() {
        return None;
    }
    let catalog = Catalog::new(agreement)?;
    let mut engine = Engine::new(compiled, model, &catalog, recorded);
    Some(engine.run(as_of, threads))
}

/// Below this many obligation-periods, threads cost more than they save.
const PARALLEL_OUTCOMES: usize = 4_000;

/// What one period yields before the running totals (caps over several periods,
/// strikes so far), which need the periods before it.
struct PeriodWork {
    period: Period,
    running: bool,
    outcomes: Vec<Outcome>,
    owed: Decimal,
    currency: Option<String>,
    strikes: BTreeMap<String, u32>,
    /// Each cap's index, amount in this period and window.
    caps: Vec<(usize, Option<Decimal>, CapWindow)>,
}

struct Engine<'a> {
    compiled: &'a Compiled,
    model: &'a Model,
    catalog: &'a Catalog<'a>,
    recorded: &'a Recorded,
    /// Every period of the effective range, in order.
    all: Vec<Period>,
    /// Divisions by zero by place, with the operands' text and the periods.
    zero_divisions: BTreeMap<(u32, u32), ZeroDivisionSeen>,
    /// Inputs and lets by name.
    definitions: FxHashMap<&'a str, Definition<'a>>,
    /// Obligation to the obligations it requires.
    requires: FxHashMap<&'a str, Vec<&'a str>>,
    /// Shared names of each obligation, so outcomes do not copy them.
    names: FxHashMap<usize, OutcomeNames>,
    /// Remedies as applied, by remedy and owner, without the period's credit.
    remedies: FxHashMap<(&'a str, &'a str), AppliedRemedy>,
    /// Unit and accumulation of compared values, by their span.
    measures: FxHashMap<(u32, u32), (Unit, bool)>,
    /// Compiled expressions, by the address of the expression in the agreement.
    exprs: FxHashMap<usize, Rc<Code>>,
    /// Slot of each input and let in the evaluation order.
    value_index: FxHashMap<&'a str, usize>,
    /// Index of each metric in `metrics`.
    metric_index: FxHashMap<&'a str, usize>,
    metrics: Vec<MetricTable<'a>>,
    metric_names: Vec<&'a str>,
    /// Band names shared by the outcomes graded into them.
    band_names: FxHashMap<usize, Arc<str>>,
}

/// A metric's recorded values and what evaluation needs to know about it.
struct MetricTable<'a> {
    recorded: Option<&'a ByMetric>,
    segments: Option<&'a [String]>,
    /// Counts and money add up across segments and periods.
    summable: bool,
}

/// An obligation's name, tier, owner and beneficiary.
type OutcomeNames = (Arc<str>, Arc<str>, Arc<str>, Arc<str>);

/// The part of a running period that has passed.
#[derive(Clone, Copy)]
struct Elapsed {
    days: i64,
    total: i64,
}

impl<'a> Engine<'a> {
    fn new(
        compiled: &'a Compiled,
        model: &'a Model,
        catalog: &'a Catalog<'a>,
        recorded: &'a Recorded,
    ) -> Engine<'a> {
        let definitions = catalog
            .agreement
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Input(i) => Some((i.name.node.as_str(), Definition::Input(&i.value))),
                Item::Let(l) => Some((l.name.node.as_str(), Definition::Let(&l.value))),
                _ => None,
            })
            .collect();
        let requires = catalog
            .obligations
            .iter()
            .map(|o| {
                (
                    o.name.node.as_str(),
                    o.requires.iter().map(|r| r.node.as_str()).collect(),
                )
            })
            .collect();
        let value_index = model
            .evaluation_order
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let mut metric_names: Vec<&str> = catalog.metrics.keys().map(String::as_str).collect();
        metric_names.sort_unstable();
        let metric_index = metric_names
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, i))
            .collect();
        let metrics = metric_names
            .iter()
            .map(|n| {
                let info = catalog.metrics.get(*n);
                MetricTable {
                    recorded: recorded.by_metric(n),
                    segments: info
                        .and_then(|i| i.segment.as_ref())
                        .map(|(_, v)| v.as_slice()),
                    summable: info
                        .is_some_and(|i| matches!(i.ty, MetricType::Count | MetricType::Money(_))),
                }
            })
            .collect();
        Engine {
            compiled,
            model,
            catalog,
            recorded,
            all: catalog.periods.iter().copied().collect(),
            zero_divisions: BTreeMap::new(),
            definitions,
            requires,
            names: FxHashMap::default(),
            remedies: FxHashMap::default(),
            measures: FxHashMap::default(),
            exprs: FxHashMap::default(),
            value_index,
            metric_index,
            metrics,
            metric_names,
            band_names: FxHashMap::default(),
        }
    }
    fn run(&mut self, as_of: Option<Date>, threads: Option<usize>) -> Evaluation {
        let unit = self.catalog.unit;
        let as_of_period = as_of.map(|d| Period::containing(d, unit));
        let first = self
            .recorded
            .periods
            .iter()
            .next()
            .copied()
            .or(as_of_period);
        let last = as_of_period.or_else(|| self.recorded.periods.iter().next_back().copied());
        let periods: Vec<Period> = match (first, last) {
            (Some(first), Some(last)) => self
                .all
                .iter()
                .copied()
                .filter(|p| *p >= first && *p <= last)
                .collect(),
            _ => Vec::new(),
        };
        let works = self.judge_periods(&periods, as_of, as_of_period, threads);
        let mut results = Vec::new();
        let mut strikes_total: BTreeMap<String, u32> = BTreeMap::new();
        let mut paid_in_window: BTreeMap<(usize, Period), Decimal> = BTreeMap::new();
        let mut paid_in_agreement: BTreeMap<usize, Decimal> = BTreeMap::new();
        for work in works {
            for (party, n) in &work.strikes {
                *strikes_total.entry(party.clone()).or_default() += n;
            }
            let paid = apply_caps(
                &work.caps,
                work.period,
                work.owed,
                &mut paid_in_window,
                &mut paid_in_agreement,
            );
            let status = work
                .outcomes
                .iter()
                .map(|o| o.status)
                .max()
                .unwrap_or(Status::NoData);
            results.push(PeriodResult {
                period: work.period,
                status,
                running: work.running,
                obligations: work.outcomes,
                credits: Credits {
                    owed: work.owed,
                    paid,
                    currency: work.currency,
                    capped: paid < work.owed,
                },
                strikes: work.strikes,
            });
        }
        let terminated = self.termination(&results);
        let mut diagnostics = self.no_data_diagnostics(&results);
        diagnostics.extend(self.zero_division_diagnostics());
        crate::diagnostic::sort(&mut diagnostics);
        Evaluation {
            agreement: self.catalog.agreement.name.node.clone(),
            period_unit: unit.word(),
            time_zone: self.catalog.zone_name.clone(),
            as_of: as_of.map(|d| d.to_string()),
            periods: results,
            strikes: strikes_total,
            terminated,
            datasets: Vec::new(),
            metrics: Vec::new(),
            metric_units: self
                .catalog
                .metrics
                .iter()
                .map(|(name, info)| (name.clone(), unit_of(&info.ty)))
                .collect(),
            diagnostics,
        }
    }

    /// Judges the periods, on several threads when there is enough work: periods
    /// depend on recorded data only, never on each other's results. Results come
    /// back in period order, so the outcome does not depend on the thread count.
    fn judge_periods(
        &mut self,
        periods: &[Period],
        as_of: Option<Date>,
        as_of_period: Option<Period>,
        threads: Option<usize>,
    ) -> Vec<PeriodWork> {
        let pieces = match threads {
            Some(n) => n.min(periods.len()),
            None => {
                let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
                let work = periods.len() * self.catalog.obligations.len();
                if work >= PARALLEL_OUTCOMES {
                    workers.min(periods.len())
                } else {
                    1
                }
            }
        };
        if pieces <= 1 {
            return periods
                .iter()
                .map(|p| self.judge_period(*p, as_of, as_of_period))
                .collect();
        }
        let size = periods.len().div_ceil(pieces);
        let chunks: Vec<&[Period]> = periods.chunks(size).collect();
        let (compiled, model, catalog, recorded) =
            (self.compiled, self.model, self.catalog, self.recorded);
        let (first, rest) = match chunks.split_first() {
            Some((first, rest)) => (*first, rest),
            None => return Vec::new(),
        };
        std::thread::scope(|scope| {
            let handles: Vec<_> = rest
                .iter()
                .map(|chunk| {
                    let chunk: &[Period] = chunk;
                    scope.spawn(move || {
                        let mut engine = Engine::new(compiled, model, catalog, recorded);
                        let works: Vec<PeriodWork> = chunk
                            .iter()
                            .map(|p| engine.judge_period(*p, as_of, as_of_period))
                            .collect();
                        (works, engine.zero_divisions)
                    })
                })
                .collect();
            let mut works: Vec<PeriodWork> = first
                .iter()
                .map(|p| self.judge_period(*p, as_of, as_of_period))
                .collect();
            for (handle, chunk) in handles.into_iter().zip(rest) {
                match handle.join() {
                    Ok((more, zeros)) => {
                        works.extend(more);
                        for (key, (left, right, span, periods)) in zeros {
                            let entry = self
                                .zero_divisions
                                .entry(key)
                                .or_insert_with(|| (left, right, span, Vec::new()));
                            entry.3.extend(periods);
                            entry.3.sort();
                            entry.3.dedup();
                        }
                    }
                    // A thread that failed leaves its periods to this one.
                    Err(_) => works.extend(
                        chunk
                            .iter()
                            .map(|p| self.judge_period(*p, as_of, as_of_period)),
                    ),
                }
            }
            works
        })
    }

    fn judge_period(
        &mut self,
        period: Period,
        as_of: Option<Date>,
        as_of_period: Option<Period>,
    ) -> PeriodWork {
        let elapsed = match (as_of, as_of_period) {
            (Some(day), Some(p)) if p == period => {
                let days = i64::from((day - period.start()).get_days()) + 1;
                Some(Elapsed {
                    days: days.clamp(1, period.days()),
                    total: period.days(),
                })
            }
            _ => None,
        };
        let values = self.values_for(period);
        let mut outcomes = Vec::new();
        for o in &self.catalog.obligations {
            self.outcomes(o, period, &values, elapsed, &mut outcomes);
        }
        self.root_causes(&mut outcomes);
        // One strike per obligation and party in a period, however many of its
        // segments fell short; counted by borrowed name, kept sorted once.
        let mut struck: FxHashSet<(&str, &str)> = FxHashSet::default();
        let mut given: FxHashMap<&str, u32> = FxHashMap::default();
        let mut owed = Decimal::ZERO;
        let mut credited = false;
        for outcome in &outcomes {
            let Some(remedy) = &outcome.remedy else {
                continue;
            };
            for party in remedy.strike_against.iter() {
                if struck.insert((&outcome.id, party.as_str())) {
                    *given.entry(party.as_str()).or_default() += 1;
                }
            }
            if let Some(credit) = remedy.credit {
                owed += credit;
                credited = true;
            }
        }
        let currency = credited.then(|| self.credit_currency()).flatten();
        let strikes = given.into_iter().map(|(p, n)| (p.to_owned(), n)).collect();
        let caps = self.cap_amounts(period, &values);
        PeriodWork {
            period,
            running: elapsed.is_some(),
            outcomes,
            owed,
            currency,
            strikes,
            caps,
        }
    }

    /// Each cap's amount in a period (caps may depend on inputs that change).
    fn cap_amounts(
        &mut self,
        period: Period,
        values: &[Value],
    ) -> Vec<(usize, Option<Decimal>, CapWindow)> {
        let caps: Vec<(&'a Expr, CapWindow)> = self
            .catalog
            .agreement
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Cap(c) => Some((&c.amount, c.per.node)),
                _ => None,
            })
            .collect();
        caps.into_iter()
            .enumerate()
            .map(|(i, (amount, window))| (i, self.eval(amount, values, None, period).ok(), window))
            .collect()
    }
}

/// The left and right operand as written, the divisor's span, and the periods.
type ZeroDivisionSeen = (String, String, Span, Vec<Period>);

#[derive(Clone, Copy)]
enum Definition<'a> {
    Input(&'a InputValue),
    Let(&'a Expr),
}

/// What is paid of the credits owed in a period, given the caps and what earlier
/// periods of each cap's window already paid.
fn apply_caps(
    caps: &[(usize, Option<Decimal>, CapWindow)],
    period: Period,
    owed: Decimal,
    paid_in_window: &mut BTreeMap<(usize, Period), Decimal>,
    paid_in_agreement: &mut BTreeMap<usize, Decimal>,
) -> Decimal {
    let mut paid = owed;
    for &(i, cap, window) in caps {
        let Some(cap) = cap else { continue };
        let already = match window {
            CapWindow::Period => Decimal::ZERO,
            CapWindow::Unit(u) => paid_in_window
                .get(&(i, Period::containing(period.start(), u)))
                .copied()
                .unwrap_or_default(),
            CapWindow::Agreement => paid_in_agreement.get(&i).copied().unwrap_or_default(),
        };
        paid = paid.min((cap - already).max(Decimal::ZERO));
    }
    for &(i, cap, window) in caps {
        if cap.is_none() {
            continue;
        }
        match window {
            CapWindow::Period => {}
            CapWindow::Unit(u) => {
                *paid_in_window
                    .entry((i, Period::containing(period.start(), u)))
                    .or_default() += paid;
            }
            CapWindow::Agreement => *paid_in_agreement.entry(i).or_default() += paid,
        }
    }
    paid
}

/// How values of a metric type are written.
fn unit_of(ty: &MetricType) -> Unit {
    match ty {
        MetricType::Count => Unit::Count,
        MetricType::Number => Unit::Number,
        MetricType::Percent => Unit::Percent,
        MetricType::Duration => Unit::Seconds,
        MetricType::Money(c) => Unit::Money(c.0.clone()),
    }
}
