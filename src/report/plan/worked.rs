//! Inputs and lets worked out for one period, from the resolved model and the values
//! recorded, in exact decimal arithmetic and by the judge's rules (fixed inputs as
//! written, `recalculated … over N periods` over the previous N periods' actuals —
//! counts and money summed, other metrics averaged, the formula worked out once —
//! with the `else` value while that history is missing or the formula has no value;
//! then lets). The judge keeps its per-period values to itself, so `slac plan` works
//! them out here, and says how each recalculated input got its value;
//! `tests/plan.rs` checks every target against the judge's.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::data::Recorded;
use crate::model::expr::{Expr, ExprKind};
use crate::model::period::Period;
use crate::model::{Agreement, BinOp, Definition, ValueId};

/// Why a value could not be worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// These metrics have no value where they were needed (empty: a value this one
    /// uses is itself unknown).
    Missing(BTreeSet<String>),
    /// A division by zero.
    DivisionByZero,
    /// A result beyond the 28 significant digits of exact decimals.
    Overflow,
}

/// A value worked out, or why there is none.
pub type Worth = Result<Decimal, Unknown>;

/// One metric a recalculated input's formula names, over the periods before.
#[derive(Debug, Clone)]
pub struct WindowMetric {
    /// The metric.
    pub metric: ValueId,
    /// Its name.
    pub name: String,
    /// Each period of the window with the metric's value there, if it has one.
    pub values: Vec<(Period, Option<Decimal>)>,
    /// Summed over the window (counts and money), or else averaged.
    pub summed: bool,
    /// The sum or mean; `None` when a period has no value.
    pub combined: Option<Decimal>,
}

/// How a `recalculated` input was worked out in a period.
#[derive(Debug, Clone)]
pub enum Recalculation {
    /// Fewer than the periods it is recalculated over come before the period in the
    /// effective range: the `else` value is used.
    ShortHistory {
        /// The periods it is recalculated over.
        needed: u32,
        /// The periods of the effective range before this one.
        available: usize,
    },
    /// The formula over the periods before: its value is used when it has one, the
    /// `else` value when not.
    Window {
        /// The periods, oldest first.
        periods: Vec<Period>,
        /// The metrics the formula names, in the order written.
        metrics: Vec<WindowMetric>,
        /// The formula's value over the window.
        value: Worth,
    },
}

impl Recalculation {
    /// The recalculated value, when it is the one used (not the `else` value).
    pub fn used(&self) -> Option<Decimal> {
        match self {
            Recalculation::Window { value: Ok(v), .. } => Some(*v),
            _ => None,
        }
    }
}

/// Every input and let of one period.
#[derive(Debug, Clone)]
pub struct Worked {
    /// The period.
    pub period: Period,
    /// By value id; `None` for metrics.
    values: Vec<Option<Worth>>,
    /// By value id; `Some` for recalculated inputs.
    recalculations: Vec<Option<Recalculation>>,
}

impl Worked {
    /// An input's or let's value (`None` for a metric or an unknown id).
    pub fn value(&self, id: ValueId) -> Option<&Worth> {
        self.values.get(id.index())?.as_ref()
    }

    /// How a recalculated input got its value.
    pub fn recalculation(&self, id: ValueId) -> Option<&Recalculation> {
        self.recalculations.get(id.index())?.as_ref()
    }

    /// An expression's value in the period, for a segment value or (`None`) as a
    /// whole, as the judge works out a promise's target.
    pub fn eval(
        &self,
        model: &Agreement,
        store: &Recorded,
        e: &Expr,
        segment: Option<&str>,
    ) -> Worth {
        let period = self.period;
        let metric = |m: ValueId| metric_value(model, store, m, segment, period);
        eval(model, e, &self.values, &metric)
    }
}

/// Works out every input and let for `period`, in dependency order.
pub fn work_out(model: &Agreement, store: &Recorded, period: Period) -> Worked {
    let count = model.values.len();
    let mut values: Vec<Option<Worth>> = vec![None; count];
    let mut recalculations: Vec<Option<Recalculation>> = vec![None; count];
    let index = model.periods.iter().position(|p| *p == period).unwrap_or(0);
    let in_period = |m: ValueId| metric_value(model, store, m, None, period);
    for id in &model.order {
        let Some(value) = model.values.get(id.index()) else {
            continue;
        };
        let worth = match &value.definition {
            Definition::Fixed(e) | Definition::Let(e) => eval(model, e, &values, &in_period),
            Definition::Recalculated {
                formula,
                periods,
                fallback,
            } => {
                let needed = *periods as usize;
                let window = index
                    .checked_sub(needed)
                    .and_then(|start| model.periods.get(start..index))
                    .filter(|w| w.len() == needed && needed > 0);
                let recalculation = match window {
                    None => Recalculation::ShortHistory {
                        needed: *periods,
                        available: index,
                    },
                    Some(window) => {
                        let over = |m: ValueId| metric_over(model, store, m, window);
                        Recalculation::Window {
                            periods: window.to_vec(),
                            metrics: window_metrics(model, store, formula, window),
                            value: eval(model, formula, &values, &over),
                        }
                    }
                };
                let worth = match recalculation.used() {
                    Some(v) => Ok(v),
                    None => eval(model, fallback, &values, &in_period),
                };
                if let Some(slot) = recalculations.get_mut(id.index()) {
                    *slot = Some(recalculation);
                }
                worth
            }
            Definition::Metric(_) => continue,
        };
        if let Some(slot) = values.get_mut(id.index()) {
            *slot = Some(worth);
        }
    }
    Worked {
        period,
        values,
        recalculations,
    }
}

/// A metric's value in a period as the judge reads it: the segment's own value, or
/// the total, or (counts and money) the sum of every segment's.
pub fn metric_value(
    model: &Agreement,
    store: &Recorded,
    id: ValueId,
    segment: Option<&str>,
    period: Period,
) -> Option<Decimal> {
    let value = model.values.get(id.index())?;
    let metric = model.metric(id)?;
    let name = value.name.as_str();
    if let (Some(s), Some(_)) = (segment, metric.segment) {
        return store.get(name, Some(s), period);
    }
    if let Some(total) = store.get(name, None, period) {
        return Some(total);
    }
    let values = model.segment_values(metric.segment?);
    if !metric.summable() || values.is_empty() {
        return None;
    }
    values.iter().try_fold(Decimal::ZERO, |sum, v| {
        sum.checked_add(store.get(name, Some(v), period)?)
    })
}

/// A metric over earlier periods: summed for counts and money, averaged otherwise;
/// `None` when a period has no value.
fn metric_over(
    model: &Agreement,
    store: &Recorded,
    id: ValueId,
    window: &[Period],
) -> Option<Decimal> {
    let summed = model.metric(id)?.summable();
    let mut sum = Decimal::ZERO;
    for p in window {
        sum = sum.checked_add(metric_value(model, store, id, None, *p)?)?;
    }
    if summed {
        Some(sum)
    } else {
        sum.checked_div(Decimal::from(window.len()))
    }
}

/// The metrics a formula names, each with its values over the window.
fn window_metrics(
    model: &Agreement,
    store: &Recorded,
    formula: &Expr,
    window: &[Period],
) -> Vec<WindowMetric> {
    let mut ids = Vec::new();
    metrics_in(model, formula, &mut ids);
    ids.into_iter()
        .filter_map(|id| {
            let summed = model.metric(id)?.summable();
            Some(WindowMetric {
                metric: id,
                name: model.values.get(id.index())?.name.clone(),
                values: window
                    .iter()
                    .map(|p| (*p, metric_value(model, store, id, None, *p)))
                    .collect(),
                summed,
                combined: metric_over(model, store, id, window),
            })
        })
        .collect()
}

/// The metrics an expression names, in the order written, each once.
pub fn metrics_in(model: &Agreement, e: &Expr, out: &mut Vec<ValueId>) {
    match &e.kind {
        ExprKind::Literal(_) => {}
        ExprKind::Value(id) => {
            if model.metric(*id).is_some() && !out.contains(id) {
                out.push(*id);
            }
        }
        ExprKind::Neg(inner) => metrics_in(model, inner, out),
        ExprKind::Binary(_, left, right) => {
            metrics_in(model, left, out);
            metrics_in(model, right, out);
        }
    }
}

/// An expression's value: inputs and lets from `values`, metrics from `metric`.
fn eval(
    model: &Agreement,
    e: &Expr,
    values: &[Option<Worth>],
    metric: &dyn Fn(ValueId) -> Option<Decimal>,
) -> Worth {
    match &e.kind {
        ExprKind::Literal(v) => Ok(*v),
        ExprKind::Value(id) if model.metric(*id).is_some() => metric(*id).ok_or_else(|| {
            let name = model
                .values
                .get(id.index())
                .map_or("?", |v| v.name.as_str());
            Unknown::Missing(BTreeSet::from([name.to_owned()]))
        }),
        ExprKind::Value(id) => values
            .get(id.index())
            .cloned()
            .flatten()
            .unwrap_or_else(|| Err(Unknown::Missing(BTreeSet::new()))),
        ExprKind::Neg(inner) => eval(model, inner, values, metric).map(|v| -v),
        ExprKind::Binary(op, left, right) => {
            let (l, r) = match (
                eval(model, left, values, metric),
                eval(model, right, values, metric),
            ) {
                (Ok(l), Ok(r)) => (l, r),
                (Err(Unknown::Missing(mut a)), Err(Unknown::Missing(b))) => {
                    a.extend(b);
                    return Err(Unknown::Missing(a));
                }
                (Err(Unknown::Missing(_)), Err(other)) | (Err(other), _) | (_, Err(other)) => {
                    return Err(other);
                }
            };
            match op {
                BinOp::Add => l.checked_add(r),
                BinOp::Sub => l.checked_sub(r),
                BinOp::Mul => l.checked_mul(r),
                BinOp::Div if r.is_zero() => return Err(Unknown::DivisionByZero),
                BinOp::Div => l.checked_div(r),
            }
            .ok_or(Unknown::Overflow)
        }
    }
}
