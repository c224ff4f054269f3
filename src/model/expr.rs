//! Expressions with their names resolved to ids and their units worked out.

use rust_decimal::Decimal;

use super::id::ValueId;
use super::unit::Dim;
use crate::syntax::ast::{BinOp, CmpOp, Span};

/// A value computed from inputs, lets, metrics and literals.
#[derive(Debug, Clone)]
pub struct Expr {
    /// What it computes.
    pub kind: ExprKind,
    /// Its dimension, when the checker could work it out.
    pub unit: Option<Dim>,
    /// Where it is written.
    pub span: Span,
}

/// The shape of an expression.
#[derive(Debug, Clone)]
pub enum ExprKind {
    /// A number as written (percentages as fractions, durations in seconds).
    Literal(Decimal),
    /// An input, let or metric.
    Value(ValueId),
    /// `-x`
    Neg(Box<Expr>),
    /// `a + b`, `a * b`, …
    Binary(BinOp, Box<Expr>, Box<Expr>),
}

/// `left OP right`, as promised or as a band's condition.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The measured side.
    pub left: Expr,
    /// The comparison.
    pub op: CmpOp,
    /// The target side.
    pub right: Expr,
    /// The whole comparison.
    pub span: Span,
}
