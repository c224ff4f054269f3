//! Exact evaluation of expressions for one period. Expressions are first compiled
//! so that names become slots: evaluating thousands of obligations over years of
//! periods must not look names up by string each time.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::syntax::ast::{BinOp, CmpOp, Expr, ExprKind, Span};

/// Why a value could not be computed.
#[derive(Debug, Clone, PartialEq)]
pub enum Fail {
    /// These metrics have no recorded value.
    Missing(BTreeSet<String>),
    /// A division by zero at this place (already reported).
    DivisionByZero(Span),
}

impl Fail {
    /// Combines two failures, keeping every missing metric.
    fn and(self, other: Fail) -> Fail {
        match (self, other) {
            (Fail::Missing(mut a), Fail::Missing(b)) => {
                a.extend(b);
                Fail::Missing(a)
            }
            (Fail::Missing(_), other) => other,
            (zero, _) => zero,
        }
    }
}

pub type Value = Result<Decimal, Fail>;

/// An expression with its names resolved.
#[derive(Debug)]
pub enum Code {
    Literal(Decimal),
    /// An input or let, by its place in the evaluation order.
    Value(usize),
    /// A metric, by its index.
    Metric(usize),
    /// A name that is neither (the checker reports those; kept for safety).
    Unknown(String),
    Neg(Box<Code>),
    Binary {
        op: BinOp,
        left: Box<Code>,
        right: Box<Code>,
        span: Span,
        left_span: Span,
        right_span: Span,
    },
}

pub fn compile(
    e: &Expr,
    values: &FxHashMap<&str, usize>,
    metrics: &FxHashMap<&str, usize>,
) -> Code {
    match &e.kind {
        ExprKind::Literal(q) => Code::Literal(q.value),
        ExprKind::Name(name) => match (values.get(name.as_str()), metrics.get(name.as_str())) {
            (Some(&i), _) => Code::Value(i),
            (None, Some(&i)) => Code::Metric(i),
            (None, None) => Code::Unknown(name.clone()),
        },
        ExprKind::Neg(inner) => Code::Neg(Box::new(compile(inner, values, metrics))),
        ExprKind::Binary(op, l, r) => Code::Binary {
            op: *op,
            left: Box::new(compile(l, values, metrics)),
            right: Box::new(compile(r, values, metrics)),
            span: e.span,
            left_span: l.span,
            right_span: r.span,
        },
    }
}

/// A division by zero met while evaluating: where, and the two sides.
pub struct ZeroDivision {
    pub span: Span,
    pub left: Span,
    pub right: Span,
    pub left_value: Decimal,
}

/// Inputs and lets computed for the period, and a way to read metrics.
pub struct Scope<'s> {
    pub values: &'s [Value],
    pub metric: &'s dyn Fn(usize) -> Option<Decimal>,
    pub metric_names: &'s [&'s str],
    pub zero_divisions: Vec<ZeroDivision>,
}

impl Scope<'_> {
    pub fn eval(&mut self, c: &Code) -> Value {
        match c {
            Code::Literal(v) => Ok(*v),
            Code::Value(i) => self
                .values
                .get(*i)
                .cloned()
                .unwrap_or_else(|| Err(Fail::Missing(BTreeSet::new()))),
            Code::Metric(i) => (self.metric)(*i).ok_or_else(|| {
                let name = self.metric_names.get(*i).copied().unwrap_or("?");
                Fail::Missing(BTreeSet::from([name.to_owned()]))
            }),
            Code::Unknown(name) => Err(Fail::Missing(BTreeSet::from([name.clone()]))),
            Code::Neg(inner) => self.eval(inner).map(|v| -v),
            Code::Binary {
                op,
                left,
                right,
                span,
                left_span,
                right_span,
            } => {
                let (l, r) = (self.eval(left), self.eval(right));
                let (l, r) = match (l, r) {
                    (Ok(a), Ok(b)) => (a, b),
                    (Err(a), Err(b)) => return Err(a.and(b)),
                    (Err(a), _) | (_, Err(a)) => return Err(a),
                };
                let result = match op {
                    BinOp::Add => l.checked_add(r),
                    BinOp::Sub => l.checked_sub(r),
                    BinOp::Mul => l.checked_mul(r),
                    BinOp::Div => {
                        if r.is_zero() {
                            self.zero_divisions.push(ZeroDivision {
                                span: *span,
                                left: *left_span,
                                right: *right_span,
                                left_value: l,
                            });
                            return Err(Fail::DivisionByZero(*span));
                        }
                        l.checked_div(r)
                    }
                };
                // Overflow beyond 28 digits is not a business number; treat it like
                // a division by zero: the value is unknown.
                result.ok_or(Fail::DivisionByZero(*span))
            }
        }
    }
}

pub fn holds(op: CmpOp, left: Decimal, right: Decimal) -> bool {
    match op {
        CmpOp::Ge => left >= right,
        CmpOp::Gt => left > right,
        CmpOp::Le => left <= right,
        CmpOp::Lt => left < right,
        CmpOp::Eq => left == right,
    }
}
