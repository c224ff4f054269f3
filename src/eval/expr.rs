//! Exact evaluation of expressions for one period.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use rust_decimal::Decimal;

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

/// A division by zero met while evaluating: where, and the two sides.
pub struct ZeroDivision {
    pub span: Span,
    pub left: Span,
    pub right: Span,
    pub left_value: Decimal,
}

/// Names resolve first to inputs and lets computed for the period, then to metrics.
pub struct Scope<'s> {
    pub values: &'s FxHashMap<String, Value>,
    pub metric: &'s dyn Fn(&str) -> Option<Decimal>,
    pub zero_divisions: Vec<ZeroDivision>,
}

impl Scope<'_> {
    pub fn eval(&mut self, e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Literal(q) => Ok(q.value),
            ExprKind::Name(name) => match self.values.get(name) {
                Some(v) => v.clone(),
                None => {
                    (self.metric)(name).ok_or_else(|| Fail::Missing(BTreeSet::from([name.clone()])))
                }
            },
            ExprKind::Neg(inner) => self.eval(inner).map(|v| -v),
            ExprKind::Binary(op, l, r) => {
                let (left, right) = (self.eval(l), self.eval(r));
                let (left, right) = match (left, right) {
                    (Ok(a), Ok(b)) => (a, b),
                    (Err(a), Err(b)) => return Err(a.and(b)),
                    (Err(a), _) | (_, Err(a)) => return Err(a),
                };
                let result = match op {
                    BinOp::Add => left.checked_add(right),
                    BinOp::Sub => left.checked_sub(right),
                    BinOp::Mul => left.checked_mul(right),
                    BinOp::Div => {
                        if right.is_zero() {
                            self.zero_divisions.push(ZeroDivision {
                                span: e.span,
                                left: l.span,
                                right: r.span,
                                left_value: left,
                            });
                            return Err(Fail::DivisionByZero(e.span));
                        }
                        left.checked_div(right)
                    }
                };
                // Overflow beyond 28 digits is not a business number; treat it like
                // a division by zero: reported, and the value unknown.
                result.ok_or(Fail::DivisionByZero(e.span))
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
