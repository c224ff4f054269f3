//! Period-by-period evaluation: inputs and lets, promises and bands, deliverables,
//! pacing, root causes, remedies with credits and caps, strikes, termination.

mod history;
mod judge;
mod unjudged;
mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::error::EvalError;
use super::expr::{Fail, Scope, Value, holds};
use super::{
    AppliedRemedy, Credits, Evaluation, Outcome, Pacing, PeriodResult, Responsible, Status,
    Termination, Unit,
};
use crate::Compiled;
use crate::data::{ByMetric, Recorded};
use crate::model::dataset::{Limit, RecordPromise};
use crate::model::expr::{Comparison, Expr};
use crate::model::period::Period;
use crate::model::unit::Dim;
use crate::model::{
    Agreement, Band, BandStatus, CapWindow, Definition, MissRule, Obligation, ObligationId,
    PartyId, Promise, RemedyId, RemedyUse, ValueId,
};
use crate::model::{PeriodUnit, Span};
use crate::source::SourceFile;

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
    if !compiled.is_valid() {
        return None;
    }
    let model = compiled.model()?;
    let mut engine = Engine::new(&compiled.file, model, recorded);
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
    /// The agreement's text, for operands quoted in messages.
    file: &'a SourceFile,
    model: &'a Agreement,
    recorded: &'a Recorded,
    /// Divisions by zero by place, with the operands' text and the periods.
    zero_divisions: BTreeMap<Span, ZeroDivisionSeen>,
    /// Which values are metrics, by value id.
    is_metric: Vec<bool>,
    /// Values' names, by value id.
    names: Vec<String>,
    /// Each metric's recorded values, by value id (`None` for inputs and lets).
    metrics: Vec<Option<MetricTable<'a>>>,
    /// Shared names of each obligation, so outcomes do not copy them.
    outcome_names: Vec<OutcomeNames>,
    /// Band names of each obligation, shared by the outcomes graded into them.
    band_names: Vec<Vec<Arc<str>>>,
    /// Remedies as applied, by remedy (or an inline credit) and owner, without the
    /// period's credit.
    remedies: FxHashMap<(Option<RemedyId>, PartyId), AppliedRemedy>,
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
    fn new(file: &'a SourceFile, model: &'a Agreement, recorded: &'a Recorded) -> Engine<'a> {
        let metrics = model
            .values
            .iter()
            .map(|v| match &v.definition {
                Definition::Metric(m) => Some(MetricTable {
                    recorded: recorded.by_metric(&v.name),
                    segments: m.segment.map(|s| model.segment_values(s)),
                    summable: m.summable(),
                }),
                _ => None,
            })
            .collect::<Vec<_>>();
        let outcome_names = model
            .obligations
            .iter()
            .map(|o| {
                (
                    Arc::from(o.name.as_str()),
                    Arc::from(o.tier.as_str()),
                    Arc::from(model.party(o.owner)),
                    Arc::from(model.party(o.beneficiary)),
                )
            })
            .collect();
        let band_names = model
            .obligations
            .iter()
            .map(|o| match &o.promise {
                Promise::Compare {
                    bands: Some(bands), ..
                } => bands.iter().map(|b| Arc::from(b.name.as_str())).collect(),
                _ => Vec::new(),
            })
            .collect();
        Engine {
            file,
            model,
            recorded,
            zero_divisions: BTreeMap::new(),
            is_metric: metrics.iter().map(Option::is_some).collect(),
            names: model.values.iter().map(|v| v.name.clone()).collect(),
            metrics,
            outcome_names,
            band_names,
            remedies: FxHashMap::default(),
        }
    }

    fn run(&mut self, as_of: Option<Date>, threads: Option<usize>) -> Evaluation {
        let unit = self.model.period;
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
                .model
                .periods
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
        diagnostics.extend(self.unjudged_diagnostics(as_of, as_of_period));
        crate::diagnostic::sort(&mut diagnostics);
        Evaluation {
            agreement: self.model.name.clone(),
            period_unit: unit.word(),
            time_zone: self.model.zone_name.clone(),
            as_of: as_of.map(|d| d.to_string()),
            periods: results,
            strikes: strikes_total,
            terminated,
            datasets: Vec::new(),
            metrics: Vec::new(),
            daily: Vec::new(),
            metric_units: self
                .model
                .metrics()
                .map(|(_, v, m)| (v.name.clone(), Unit::of_metric(&m.ty)))
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
                let work = periods.len() * self.model.obligations.len();
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
        let (file, model, recorded) = (self.file, self.model, self.recorded);
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
                        let mut engine = Engine::new(file, model, recorded);
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
        let model = self.model;
        for (i, o) in model.obligations.iter().enumerate() {
            self.outcomes(
                ObligationId(i as u32),
                o,
                period,
                &values,
                elapsed,
                &mut outcomes,
            );
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
            // A strike that follows the root cause counts once for that cause.
            let cause: &str = match (&outcome.root_cause, outcome.excused) {
                (Some(root), true) => root,
                _ => &outcome.id,
            };
            for party in remedy.strike_against.iter() {
                if struck.insert((cause, party.as_str())) {
                    *given.entry(party.as_str()).or_default() += 1;
                }
            }
            if let Some(credit) = remedy.credit {
                owed = owed.checked_add(credit).unwrap_or(Decimal::MAX);
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
        let model = self.model;
        model
            .caps
            .iter()
            .enumerate()
            .map(|(i, cap)| {
                (
                    i,
                    self.eval(&cap.amount, values, None, period).ok(),
                    cap.per,
                )
            })
            .collect()
    }
}

/// The left and right operand as written, the divisor's span, and the periods.
type ZeroDivisionSeen = (String, String, Span, Vec<Period>);

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
