//! Syntax tree, expressions and comparisons: quantities with their units, arithmetic
//! over declared names, and the comparison a promise makes.

use educe::Educe;
use rust_decimal::Decimal;

use super::*;

/// `LEFT OP RIGHT`: a target such as `mqls >= 100` in a promise, band or `per` block.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq)]
pub struct Comparison {
    /// The value judged, usually a metric.
    pub left: Expr,
    /// The comparison operator.
    pub op: Spanned<CmpOp>,
    /// The target it is compared with.
    pub right: Expr,
    /// The whole comparison.
    #[educe(PartialEq(ignore))]
    pub span: Span,
}

/// A comparison operator in a promise or band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `>=`: at least.
    Ge,
    /// `>`: more than.
    Gt,
    /// `<=`: at most.
    Le,
    /// `<`: less than.
    Lt,
    /// `==`: exactly.
    Eq,
}

impl CmpOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Ge => ">=",
            CmpOp::Gt => ">",
            CmpOp::Le => "<=",
            CmpOp::Lt => "<",
            CmpOp::Eq => "==",
        }
    }
}

/// An arithmetic expression over literals, inputs, lets and metrics.
#[derive(Debug, Clone, Educe)]
#[educe(PartialEq, Eq, Hash)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where the expression is written.
    #[educe(PartialEq(ignore), Hash(ignore))]
    pub span: Span,
}

/// The forms an expression takes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ExprKind {
    /// A number with its unit, such as `5000 EUR` or `30min`.
    Literal(Quantity),
    /// A reference to an input, let or metric.
    Name(String),
    /// `-EXPR`: the negated value.
    Neg(Box<Expr>),
    /// `LEFT OP RIGHT` with `+`, `-`, `*` or `/`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
}

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// Addition, `+`.
    Add,
    /// Subtraction, `-`.
    Sub,
    /// Multiplication, `*`.
    Mul,
    /// Division, `/`.
    Div,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

/// A number with the unit it was written in. Percentages are stored as fractions
/// (`50%` is 0.5) and durations in seconds, so that arithmetic stays exact.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Quantity {
    /// The number, converted: a fraction for a percentage, seconds for a duration.
    pub value: Decimal,
    /// The unit it was written in.
    pub unit: LiteralUnit,
}

/// The unit a literal was written with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LiteralUnit {
    /// No unit: a plain number such as `100` or `2.5`.
    Number,
    /// A percentage such as `50%`.
    Percent,
    /// A duration such as `30min` or `1h30m`.
    Duration,
    /// An amount of money such as `5000 EUR`.
    Money(Currency),
}
