//! Period-by-period evaluation: inputs and lets, promises and bands, deliverables,
//! pacing, root causes, remedies with credits and caps, strikes, termination.

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

    fn source(&self, span: Span) -> &str {
        self.compiled.file.slice(span)
    }

    /// A metric's value for a period: the segment's own row, or the total row, or the
    /// sum of all segments for counts and money.
    fn metric(&self, index: usize, segment: Option<&str>, period: Period) -> Option<Decimal> {
        let table = self.metrics.get(index)?;
        let recorded = table.recorded?;
        let at = |segment: &str| {
            recorded
                .get(segment)
                .and_then(|by| by.get(&period))
                .map(|(v, _)| *v)
        };
        if let (Some(s), true) = (segment, table.segments.is_some()) {
            return at(s);
        }
        if let Some(total) = at("") {
            return Some(total);
        }
        let values = table.segments?;
        if !table.summable || values.is_empty() {
            return None;
        }
        values
            .iter()
            .map(|v| at(v))
            .try_fold(Decimal::ZERO, |sum, v| sum.checked_add(v?))
    }

    /// A metric over the periods before `period`, for recalculated inputs: counts and
    /// money are summed, everything else averaged. `None` if any period lacks it.
    fn metric_over(&self, index: usize, window: &[Period]) -> Option<Decimal> {
        let table = self.metrics.get(index)?;
        let mut sum = Decimal::ZERO;
        for p in window {
            sum = sum.checked_add(self.metric(index, None, *p)?)?;
        }
        if table.summable {
            Some(sum)
        } else {
            sum.checked_div(Decimal::from(window.len()))
        }
    }

    /// The compiled form of an expression of the agreement, compiled on first use.
    fn compiled(&mut self, e: &'a Expr) -> Rc<Code> {
        let key = e as *const Expr as usize;
        if let Some(c) = self.exprs.get(&key) {
            return c.clone();
        }
        let c = Rc::new(expr::compile(e, &self.value_index, &self.metric_index));
        self.exprs.insert(key, c.clone());
        c
    }

    /// Inputs and lets for one period, in dependency order.
    fn values_for(&mut self, period: Period) -> Vec<Value> {
        let order = &self.model.evaluation_order;
        let mut values: Vec<Value> = vec![Err(Fail::Missing(BTreeSet::new())); order.len()];
        let index = self.all.iter().position(|p| *p == period).unwrap_or(0);
        for (slot, name) in order.iter().enumerate() {
            let definition = self.definitions.get(name.as_str()).copied();
            let value = match definition {
                Some(Definition::Let(e)) | Some(Definition::Input(InputValue::Fixed(e))) => {
                    self.eval(e, &values, None, period)
                }
                Some(Definition::Input(InputValue::Recalculated {
                    formula,
                    periods,
                    fallback,
                })) => {
                    let n = periods.node as usize;
                    let window = index
                        .checked_sub(n)
                        .and_then(|start| self.all.get(start..index))
                        .filter(|w| w.len() == n && n > 0)
                        .map(<[Period]>::to_vec);
                    let compiled = self.compiled(formula);
                    let recalculated = window.map(|window| {
                        let resolver = |m: usize| self.metric_over(m, &window);
                        let mut scope = Scope {
                            values: &values,
                            metric: &resolver,
                            metric_names: &self.metric_names,
                            zero_divisions: Vec::new(),
                        };
                        let v = scope.eval(&compiled);
                        (v, std::mem::take(&mut scope.zero_divisions))
                    });
                    match recalculated {
                        Some((Ok(v), _)) => Ok(v),
                        Some((Err(_), zeros)) => {
                            self.note_zero_divisions(zeros, period);
                            self.eval(fallback, &values, None, period)
                        }
                        None => self.eval(fallback, &values, None, period),
                    }
                }
                None => Err(Fail::Missing(BTreeSet::new())),
            };
            if let Some(v) = values.get_mut(slot) {
                *v = value;
            }
        }
        values
    }

    fn eval(
        &mut self,
        e: &'a Expr,
        values: &[Value],
        segment: Option<&str>,
        period: Period,
    ) -> Value {
        let compiled = self.compiled(e);
        let resolver = |m: usize| self.metric(m, segment, period);
        let mut scope = Scope {
            values,
            metric: &resolver,
            metric_names: &self.metric_names,
            zero_divisions: Vec::new(),
        };
        let v = scope.eval(&compiled);
        let zeros = std::mem::take(&mut scope.zero_divisions);
        if !zeros.is_empty() {
            self.note_zero_divisions(zeros, period);
        }
        v
    }

    fn note_zero_divisions(&mut self, zeros: Vec<super::expr::ZeroDivision>, period: Period) {
        for z in zeros {
            let left = format!("{} = {}", self.source(z.left), z.left_value.normalize());
            let right = format!("{} = 0", self.source(z.right));
            let entry = self
                .zero_divisions
                .entry((z.span.start, z.span.end))
                .or_insert_with(|| (left, right, z.right, Vec::new()));
            if !entry.3.contains(&period) {
                entry.3.push(period);
            }
        }
    }

    fn outcomes(
        &mut self,
        o: &'a Obligation,
        period: Period,
        values: &[Value],
        elapsed: Option<Elapsed>,
        out: &mut Vec<Outcome>,
    ) {
        if let Some(deliver) = o.deliver.first() {
            if let Some(outcome) =
                self.deliverable(o, deliver.every.node, deliver.span, period, elapsed)
            {
                out.push(outcome);
            }
            return;
        }
        if let Some(record) = o.records.first() {
            out.push(self.judge_rows(o, record, period, values, elapsed));
            return;
        }
        if let Some(promise) = o.promise.first() {
            out.push(self.judge(o, promise, None, o.bands.first(), period, values, elapsed));
        }
        for per in &o.per {
            for target in &per.targets {
                out.push(self.judge(
                    o,
                    &target.promise,
                    Some(&target.value.node),
                    None,
                    period,
                    values,
                    elapsed,
                ));
            }
        }
    }

    fn blank(&mut self, o: &Obligation, span: Span, unit: Unit) -> Outcome {
        let key = o as *const Obligation as usize;
        let (id, tier, by, for_) = match self.names.get(&key) {
            Some(names) => names.clone(),
            None => {
                let names: OutcomeNames = (
                    Arc::from(o.name.node.as_str()),
                    Arc::from(
                        self.model
                            .tiers
                            .get(&o.name.node)
                            .map_or("", String::as_str),
                    ),
                    Arc::from(o.by.first().map_or("", |b| b.node.as_str())),
                    Arc::from(o.for_.first().map_or("", |f| f.node.as_str())),
                );
                self.names.insert(key, names.clone());
                names
            }
        };
        Outcome {
            id,
            segment: None,
            tier,
            by,
            for_,
            status: Status::NoData,
            band: None,
            actual: None,
            target: None,
            comparison: None,
            unit,
            remedy: None,
            root_cause: None,
            root_cause_tier: None,
            missing: Vec::new(),
            pacing: None,
            rows: None,
            promise_span: span,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn judge(
        &mut self,
        o: &'a Obligation,
        c: &'a Comparison,
        segment: Option<&str>,
        bands: Option<&'a Bands>,
        period: Period,
        values: &[Value],
        elapsed: Option<Elapsed>,
    ) -> Outcome {
        let (unit, accumulates) = self.measure(&c.left);
        let mut outcome = self.blank(o, c.span, unit);
        outcome.segment = segment.map(str::to_owned);
        outcome.comparison = Some(c.op.node.symbol());
        let left = self.eval(&c.left, values, segment, period);
        let right = self.eval(&c.right, values, segment, period);
        let (actual, target) = match (left, right) {
            (Ok(a), Ok(t)) => (a, t),
            (l, r) => {
                // The actual is still worth showing when only the target is unknown.
                outcome.actual = l.as_ref().ok().copied();
                let mut missing = BTreeSet::new();
                for v in [l, r] {
                    if let Err(Fail::Missing(m)) = v {
                        missing.extend(m);
                    }
                }
                outcome.missing = missing.into_iter().collect();
                return outcome;
            }
        };
        outcome.actual = Some(actual);
        outcome.target = Some(target);
        if let Some(e) = elapsed {
            let days = Decimal::from(e.days);
            let total = Decimal::from(e.total);
            let to_date = if accumulates {
                target.checked_mul(days).and_then(|v| v.checked_div(total))
            } else {
                Some(target)
            };
            let projected = if accumulates {
                actual.checked_mul(total).and_then(|v| v.checked_div(days))
            } else {
                None
            };
            let on_track = to_date.is_some_and(|t| holds(c.op.node, actual, t));
            outcome.status = if on_track {
                Status::Met
            } else {
                Status::AtRisk
            };
            outcome.pacing = Some(Pacing {
                elapsed_days: e.days,
                total_days: e.total,
                target_to_date: to_date.map(|t| t.round_dp(2).normalize()),
                projected: projected.map(|p| p.round_dp(2).normalize()),
            });
            return outcome;
        }
        outcome.status = if holds(c.op.node, actual, target) {
            Status::Met
        } else {
            Status::Missed
        };
        let mut band_remedy = None;
        if let Some(bands) = bands {
            for band in &bands.bands {
                let matched = match &band.when {
                    None => true,
                    Some(w) => {
                        let l = self.eval(&w.left, values, segment, period);
                        let r = self.eval(&w.right, values, segment, period);
                        matches!((l, r), (Ok(l), Ok(r)) if holds(w.op.node, l, r))
                    }
                };
                if matched {
                    let key = band as *const _ as usize;
                    let name = self
                        .band_names
                        .entry(key)
                        .or_insert_with(|| Arc::from(band.name.node.as_str()));
                    outcome.band = Some(name.clone());
                    band_remedy = band.remedy.as_ref();
                    break;
                }
            }
        }
        if outcome.status == Status::Missed {
            let remedy = if bands.is_some() {
                band_remedy
            } else {
                o.remedy.first()
            };
            outcome.remedy = remedy.map(|r| self.apply(o, r, values, period));
        }
        outcome
    }

    /// A promise over every row: met when the share of rows that complied reaches
    /// the promised share. In a running period, falling short is `at_risk`.
    fn judge_rows(
        &mut self,
        o: &'a Obligation,
        record: &'a RecordPromise,
        period: Period,
        values: &[Value],
        elapsed: Option<Elapsed>,
    ) -> Outcome {
        let mut outcome = self.blank(o, record.span, Unit::Percent);
        outcome.comparison = Some(">=");
        let target = record.at_least.node.value;
        outcome.target = Some(target);
        let tally = self
            .recorded
            .records
            .get(&o.name.node)
            .and_then(|by_period| by_period.get(&period));
        let Some(tally) = tally.filter(|t| t.rows > 0) else {
            outcome.missing = vec![format!("rows of `{}`", record.dataset.node)];
            return outcome;
        };
        let actual = Decimal::from(tally.complied)
            .checked_div(Decimal::from(tally.rows))
            .map(|d| d.normalize());
        outcome.actual = actual;
        outcome.rows = Some(tally.clone());
        let met = actual.is_some_and(|a| a >= target);
        outcome.status = match (met, elapsed) {
            (true, _) => Status::Met,
            (false, Some(_)) => Status::AtRisk,
            (false, None) => Status::Missed,
        };
        if outcome.status == Status::Missed {
            outcome.remedy = o.remedy.first().map(|r| self.apply(o, r, values, period));
        }
        outcome
    }

    /// A deliverable is met when every slot of its cadence that starts in the period
    /// (and has ended, in a running period) has a delivery dated within it.
    fn deliverable(
        &mut self,
        o: &'a Obligation,
        every: PeriodUnit,
        span: Span,
        period: Period,
        elapsed: Option<Elapsed>,
    ) -> Option<Outcome> {
        let mut outcome = self.blank(o, span, Unit::Deliveries);
        outcome.comparison = Some(">=");
        let cadence_slots: Vec<(Date, Date)> = if every <= self.catalog.unit {
            let mut slots = Vec::new();
            let mut slot = Period::containing(period.start(), every);
            if slot.start() < period.start() {
                slot = slot.next();
            }
            while slot.start() <= period.end() {
                slots.push((slot.start(), slot.end()));
                let next = slot.next();
                if next == slot {
                    break;
                }
                slot = next;
            }
            slots
        } else {
            // A cadence longer than the period is due in the period where it ends.
            let slot = Period::containing(period.end(), every);
            if slot.end() != period.end() {
                return None;
            }
            vec![(slot.start(), slot.end())]
        };
        let today = elapsed.map(|e| {
            period
                .start()
                .checked_add(jiff::Span::new().days(e.days - 1))
                .unwrap_or(period.end())
        });
        let due: Vec<&(Date, Date)> = cadence_slots
            .iter()
            .filter(|(_, end)| today.is_none_or(|t| *end <= t))
            .collect();
        let days = self.recorded.deliveries.get(&o.name.node);
        if days.is_none() && self.recorded.deliveries.is_empty() {
            outcome.missing = vec!["a deliveries log (--deliveries)".to_owned()];
            return Some(outcome);
        }
        let delivered = due
            .iter()
            .filter(|(start, end)| {
                days.is_some_and(|d| d.iter().any(|day| day >= start && day <= end))
            })
            .count();
        outcome.actual = Some(Decimal::from(delivered));
        outcome.target = Some(Decimal::from(due.len()));
        outcome.status = match (delivered == due.len(), elapsed.is_some()) {
            (true, _) => Status::Met,
            (false, true) => Status::AtRisk,
            (false, false) => Status::Missed,
        };
        if outcome.status == Status::Missed {
            outcome.remedy = o.remedy.first().map(|r| self.apply(o, r, &[], period));
        }
        Some(outcome)
    }

    fn apply(
        &mut self,
        o: &'a Obligation,
        remedy: &'a RemedyRef,
        values: &[Value],
        period: Period,
    ) -> AppliedRemedy {
        let owner = o.by.first().map_or("", |b| b.node.as_str());
        let (name, inline, declared): (Option<&str>, Option<&'a Expr>, &'a [Expr]) = match remedy {
            RemedyRef::Credit { amount, .. } => (None, Some(amount), &[]),
            RemedyRef::Named(name) => (
                Some(name.node.as_str()),
                None,
                self.catalog
                    .remedies
                    .get(&name.node)
                    .map_or(&[][..], |r| r.credits.as_slice()),
            ),
        };
        let mut credit: Option<Decimal> = None;
        for amount in inline.into_iter().chain(declared) {
            if let Ok(v) = self.eval(amount, values, None, period) {
                credit = Some(credit.unwrap_or_default() + v);
            }
        }
        let key = (name.unwrap_or(""), owner);
        let template = match self.remedies.get(&key) {
            Some(t) => t.clone(),
            None => {
                let t = self.remedy_template(name, owner);
                self.remedies.insert(key, t.clone());
                t
            }
        };
        AppliedRemedy { credit, ..template }
    }

    /// Everything about a remedy that does not change from period to period.
    fn remedy_template(&self, name: Option<&str>, owner: &str) -> AppliedRemedy {
        let declared = name.and_then(|n| self.catalog.remedies.get(n).copied());
        let responsible: Vec<Responsible> = match (name, declared) {
            // An inline credit is owed by the obligation's owner.
            (None, _) => vec![self.responsible(owner)],
            (Some(_), Some(r)) => r
                .responsible
                .iter()
                .map(|p| self.responsible(&p.node))
                .collect(),
            (Some(_), None) => Vec::new(),
        };
        AppliedRemedy {
            name: name.map(Arc::from),
            actions: declared
                .map(|r| r.actions.iter().map(|a| a.node.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
                .into(),
            responsible: responsible.into(),
            strike_against: declared
                .map(|r| {
                    r.strikes
                        .iter()
                        .map(|s| {
                            s.against
                                .as_ref()
                                .map_or(owner.to_owned(), |a| a.node.clone())
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
                .into(),
            credit: None,
        }
    }

    fn responsible(&self, party: &str) -> Responsible {
        Responsible {
            party: party.to_owned(),
            contacts: self
                .catalog
                .parties
                .get(party)
                .map(|p| {
                    p.contacts
                        .iter()
                        .map(|c| format!("{} <{}>", c.name.node, c.email.node))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The unit of a compared value and whether it accumulates, worked out once per
    /// place in the agreement.
    fn measure(&mut self, left: &Expr) -> (Unit, bool) {
        let key = (left.span.start, left.span.end);
        if let Some(known) = self.measures.get(&key) {
            return known.clone();
        }
        let measured = (self.unit_of(left), self.accumulates(left));
        self.measures.insert(key, measured.clone());
        measured
    }

    /// Counts and money accumulate over a period, so a running period is judged
    /// against the pro-rata target; averages and durations are judged as they stand.
    fn accumulates(&self, left: &Expr) -> bool {
        matches!(self.dim_of(left), Some(Dim::Count) | Some(Dim::Money(_)))
    }

    fn dim_of(&self, e: &Expr) -> Option<Dim> {
        match &e.kind {
            ExprKind::Name(n) => self.model.units.get(n).cloned(),
            ExprKind::Literal(q) => Some(Dim::of_literal(&q.unit)),
            ExprKind::Neg(inner) => self.dim_of(inner),
            ExprKind::Binary(op, l, r) => {
                crate::check::units::binary(*op, &self.dim_of(l)?, &self.dim_of(r)?).ok()
            }
        }
    }

    fn unit_of(&self, e: &Expr) -> Unit {
        if let ExprKind::Name(n) = &e.kind
            && let Some(info) = self.catalog.metrics.get(n)
            && info.ty == MetricType::Percent
        {
            return Unit::Percent;
        }
        match self.dim_of(e) {
            Some(Dim::Count) => Unit::Count,
            Some(Dim::Money(c)) => Unit::Money(c.0),
            Some(Dim::Duration) => Unit::Seconds,
            Some(Dim::Number) | None => Unit::Number,
        }
    }

    /// The currency credits are paid in: that of the first credit the agreement
    /// grants (the checker holds credits to the cap's currency).
    fn credit_currency(&self) -> Option<String> {
        let declared = self
            .catalog
            .remedies
            .values()
            .flat_map(|r| r.credits.iter());
        let inline = self
            .catalog
            .obligations
            .iter()
            .flat_map(|o| o.inline_credits());
        declared.chain(inline).find_map(|e| match self.dim_of(e) {
            Some(Dim::Money(c)) => Some(c.0),
            _ => None,
        })
    }

    /// When B requires A and both fall short in the same period, B's shortfall is
    /// attributed to A (and to A's own root cause, transitively).
    fn root_causes(&self, outcomes: &mut [Outcome]) {
        let mut worst: FxHashMap<&str, Status> =
            FxHashMap::with_capacity_and_hasher(outcomes.len(), Default::default());
        for o in outcomes.iter() {
            let e = worst.entry(&o.id).or_insert(o.status);
            *e = (*e).max(o.status);
        }
        let short = |s: Status| matches!(s, Status::Missed | Status::AtRisk);
        let requires = &self.requires;
        // Each obligation's root, found once per period.
        let mut roots_of: FxHashMap<&str, &str> = FxHashMap::default();
        let mut root_of = |start: &'a str| -> &'a str {
            let mut at = start;
            // The checker rules out cycles; the bound only guards against surprises.
            for _ in 0..requires.len() {
                if let Some(known) = roots_of.get(at) {
                    at = known;
                    break;
                }
                let next = requires
                    .get(at)
                    .and_then(|rs| rs.iter().find(|r| worst.get(*r).is_some_and(|s| short(*s))));
                match next {
                    Some(n) => at = n,
                    None => break,
                }
            }
            roots_of.insert(start, at);
            at
        };
        let roots: Vec<Option<String>> = outcomes
            .iter()
            .map(|o| {
                if !short(o.status) {
                    return None;
                }
                let (id, _) = requires.get_key_value(&*o.id)?;
                let id: &'a str = id;
                let root = root_of(id);
                (root != id).then(|| root.to_owned())
            })
            .collect();
        for (o, root) in outcomes.iter_mut().zip(roots) {
            if let Some(root) = root {
                o.root_cause_tier = self.model.tiers.get(&root).cloned();
                o.root_cause = Some(root);
            }
        }
    }

    /// The first period in which a termination condition holds.
    fn termination(&self, results: &[PeriodResult]) -> Option<Termination> {
        let agreement = self.compiled.agreement.as_ref()?;
        let all: Vec<String> = self
            .catalog
            .obligations
            .iter()
            .map(|o| o.name.node.clone())
            .collect();
        let missed: Vec<FxHashSet<&str>> = results
            .iter()
            .map(|r| {
                r.obligations
                    .iter()
                    .filter(|o| o.status == Status::Missed)
                    .map(|o| &*o.id)
                    .collect()
            })
            .collect();
        for (at, result) in results.iter().enumerate() {
            let history = missed.get(..=at).unwrap_or(&[]);
            for item in &agreement.items {
                let Item::Terminate(t) = item else { continue };
                let subjects: Vec<&str> = match &t.subject {
                    TerminateSubject::AnyObligation(_) => all.iter().map(String::as_str).collect(),
                    TerminateSubject::Obligations(names) => {
                        names.iter().map(|n| n.node.as_str()).collect()
                    }
                };
                let (count, window) = match t.rule.node {
                    MissRule::InARow(n) => (n as usize, n as usize),
                    MissRule::OfLast { missed, window } => (missed as usize, window as usize),
                };
                if window == 0 || history.len() < count {
                    continue;
                }
                let recent = history
                    .get(history.len().saturating_sub(window)..)
                    .unwrap_or(&[]);
                let culprits: Vec<String> = subjects
                    .iter()
                    .filter(|s| recent.iter().filter(|m| m.contains(*s)).count() >= count)
                    .map(|s| (*s).to_owned())
                    .collect();
                if culprits.is_empty() {
                    continue;
                }
                let recent_periods: Vec<String> = results
                    .get(at + 1 - recent.len()..=at)
                    .unwrap_or(&[])
                    .iter()
                    .zip(recent)
                    .filter(|(_, m)| culprits.iter().any(|c| m.contains(c.as_str())))
                    .map(|(r, _)| r.period.label())
                    .collect();
                return Some(Termination {
                    period: result.period,
                    reason: format!(
                        "`{}`: {} missed in {}",
                        self.source(t.span).trim(),
                        culprits
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        recent_periods.join(", ")
                    ),
                    obligations: culprits,
                    span: t.span,
                });
            }
        }
        None
    }

    fn no_data_diagnostics(&self, results: &[PeriodResult]) -> Vec<crate::diagnostic::Diagnostic> {
        // (obligation, segment) -> (promise, periods without data, metrics missing)
        type Gap = (Span, Vec<String>, BTreeSet<String>);
        let mut gaps: BTreeMap<(String, Option<String>), Gap> = BTreeMap::new();
        for r in results {
            for o in &r.obligations {
                if o.status != Status::NoData {
                    continue;
                }
                let entry = gaps
                    .entry((o.id.to_string(), o.segment.clone()))
                    .or_insert_with(|| (o.promise_span, Vec::new(), BTreeSet::new()));
                entry.1.push(r.period.label());
                entry.2.extend(o.missing.iter().cloned());
            }
        }
        let errors: Vec<EvalError> = gaps
            .into_iter()
            .map(
                |((id, segment), (span, periods, missing))| EvalError::NoData {
                    obligation: match segment {
                        Some(s) => format!("`{id}` (segment `{s}`)"),
                        None => format!("`{id}`"),
                    },
                    periods: periods.join(", "),
                    missing: if missing.is_empty() {
                        "the values it needs".to_owned()
                    } else {
                        missing
                            .iter()
                            .map(|m| {
                                if m.contains(' ') {
                                    m.clone()
                                } else {
                                    format!("`{m}`")
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                    span: span.into(),
                },
            )
            .collect();
        crate::diagnostic::from_all(errors)
    }

    fn zero_division_diagnostics(&self) -> Vec<crate::diagnostic::Diagnostic> {
        let errors: Vec<EvalError> = self
            .zero_divisions
            .values()
            .map(|(left, right, span, periods)| EvalError::DivisionByZero {
                period: periods.iter().map(|p| p.label()).collect::<Vec<_>>().join(", "),
                left: left.clone(),
                right: right.clone(),
                consequence: "the value is unknown for that period: a recalculated input falls back to its `else` value, a promise gets status no_data".to_owned(),
                span: (*span).into(),
            })
            .collect();
        crate::diagnostic::from_all(errors)
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
