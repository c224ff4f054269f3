//! Exact evaluation of the model's expressions for one period. Names were resolved
//! to ids by the checker, so a value is read by its place, never looked up by name.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::model::ValueId;
use crate::model::expr::{Expr, ExprKind};
use crate::model::{BinOp, CmpOp, Span};

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

/// Inputs and lets computed for the period, and a way to read metrics.
pub struct Scope<'s> {
    /// Inputs' and lets' values, by value id (metrics' places are unused).
    pub values: &'s [Value],
    /// Which value ids are metrics.
    pub is_metric: &'s [bool],
    /// A metric's value in the period (and segment).
    pub metric: &'s dyn Fn(ValueId) -> Option<Decimal>,
    /// Values' names, for what is missing.
    pub names: &'s [String],
    /// Divisions by zero met on the way.
    pub zero_divisions: Vec<ZeroDivision>,
}

impl Scope<'_> {
    /// The expression's value, or why there is none.
    pub fn eval(&mut self, e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Literal(v) => Ok(*v),
            ExprKind::Value(id) if self.is_metric.get(id.index()).copied().unwrap_or(false) => {
                (self.metric)(*id).ok_or_else(|| {
                    let name = self.names.get(id.index()).map_or("?", String::as_str);
                    Fail::Missing(BTreeSet::from([name.to_owned()]))
                })
            }
            ExprKind::Value(id) => self
                .values
                .get(id.index())
                .cloned()
                .unwrap_or_else(|| Err(Fail::Missing(BTreeSet::new()))),
            ExprKind::Neg(inner) => self.eval(inner).map(|v| -v),
            ExprKind::Binary(op, left, right) => {
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
                                span: e.span,
                                left: left.span,
                                right: right.span,
                                left_value: l,
                            });
                            return Err(Fail::DivisionByZero(e.span));
                        }
                        l.checked_div(r)
                    }
                };
                // Overflow beyond 28 digits is not a business number; treat it like
                // a division by zero: the value is unknown.
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
