//! The one unit system: the dimension of every value ([`Dim`]) and the algebra of
//! adding, multiplying, dividing and comparing them (or why it makes no sense),
//! which the checker enforces and the judge relies on; and how a judged number is
//! written back to people ([`Unit`]).

use crate::syntax::ast::{BinOp, Currency, LiteralUnit, MetricType};

/// The dimension of a value. Percentages and plain numbers are both [`Dim::Number`]
/// (`50%` is 0.5); a count may be compared with and scaled by a number, so that
/// `mqls >= leads_needed` works when `leads_needed` is a ratio of money amounts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dim {
    /// Whole things counted.
    Count,
    /// A plain number or a fraction.
    Number,
    /// An amount in one currency.
    Money(Currency),
    /// A length of time.
    Duration,
}

impl Dim {
    /// The dimension of a metric of this type (a percent is a number).
    pub fn of_metric(ty: &MetricType) -> Dim {
        match ty {
            MetricType::Count => Dim::Count,
            MetricType::Number | MetricType::Percent => Dim::Number,
            MetricType::Duration => Dim::Duration,
            MetricType::Money(c) => Dim::Money(c.clone()),
        }
    }

    /// The dimension of a literal written with this unit.
    pub fn of_literal(unit: &LiteralUnit) -> Dim {
        match unit {
            LiteralUnit::Number | LiteralUnit::Percent => Dim::Number,
            LiteralUnit::Duration => Dim::Duration,
            LiteralUnit::Money(c) => Dim::Money(c.clone()),
        }
    }

    /// How a message names a value of this dimension.
    pub fn describe(&self) -> String {
        match self {
            Dim::Count => "a count".to_owned(),
            Dim::Number => "a number".to_owned(),
            Dim::Money(c) => format!("money ({c})"),
            Dim::Duration => "a duration".to_owned(),
        }
    }

    fn is_plain(&self) -> bool {
        matches!(self, Dim::Count | Dim::Number)
    }
}

/// Why two dimensions do not combine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash {
    /// Different currencies: the only mismatch within one dimension.
    Currency(Currency, Currency),
    /// Not meaningful at all; the help says what was probably meant.
    Units {
        /// What was probably meant.
        help: String,
    },
}

/// How a message says the operation: "add", "multiply", …
pub fn verb(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "add",
        BinOp::Sub => "subtract",
        BinOp::Mul => "multiply",
        BinOp::Div => "divide",
    }
}

/// The dimension of `left OP right`, or why they do not combine.
pub fn binary(op: BinOp, left: &Dim, right: &Dim) -> Result<Dim, Clash> {
    match op {
        BinOp::Add | BinOp::Sub => same_kind(left, right),
        BinOp::Mul => multiply(left, right),
        BinOp::Div => divide(left, right),
    }
}

/// Comparison needs the same dimension, like addition.
pub fn compare(left: &Dim, right: &Dim) -> Result<(), Clash> {
    same_kind(left, right).map(|_| ())
}

fn same_kind(left: &Dim, right: &Dim) -> Result<Dim, Clash> {
    use Dim::*;
    match (left, right) {
        (Money(a), Money(b)) if a == b => Ok(Money(a.clone())),
        (Money(a), Money(b)) => Err(Clash::Currency(a.clone(), b.clone())),
        (Duration, Duration) => Ok(Duration),
        (Count, Count) | (Count, Number) | (Number, Count) => Ok(Count),
        (Number, Number) => Ok(Number),
        (Duration, other) | (other, Duration) if other.is_plain() => Err(Clash::Units {
            help: "write the number as a duration, e.g. `1h` or `30min`".to_owned(),
        }),
        (Money(c), other) | (other, Money(c)) if other.is_plain() => Err(Clash::Units {
            help: format!("write the number as an amount, e.g. `100 {c}`"),
        }),
        _ => Err(Clash::Units {
            help: "both sides must measure the same thing: money, a duration, or a count"
                .to_owned(),
        }),
    }
}

fn multiply(left: &Dim, right: &Dim) -> Result<Dim, Clash> {
    use Dim::*;
    match (left, right) {
        (Number, other) | (other, Number) => Ok(other.clone()),
        (Count, Count) => Ok(Count),
        (Count, Money(c)) | (Money(c), Count) => Ok(Money(c.clone())),
        (Count, Duration) | (Duration, Count) => Ok(Duration),
        _ => Err(Clash::Units {
            help: format!(
                "{} times {} has no meaning here; multiply by a number or a percentage instead",
                left.describe(),
                right.describe()
            ),
        }),
    }
}

fn divide(left: &Dim, right: &Dim) -> Result<Dim, Clash> {
    use Dim::*;
    match (left, right) {
        (other, Number) => Ok(other.clone()),
        (Money(a), Money(b)) if a == b => Ok(Number),
        (Money(a), Money(b)) => Err(Clash::Currency(a.clone(), b.clone())),
        (Money(c), Count) => Ok(Money(c.clone())),
        (Duration, Count) => Ok(Duration),
        (Count, Count) | (Duration, Duration) => Ok(Number),
        (Number, Count) => Ok(Number),
        _ => Err(Clash::Units {
            help: format!(
                "{} divided by {} has no unit slac knows; divide by a number, a count, or the same unit",
                left.describe(),
                right.describe()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Dim {
        Dim::Money(Currency("EUR".to_owned()))
    }

    #[test]
    fn the_quota_chain_has_the_right_units() {
        // quota × share ÷ deal size = customers (a number); ÷ close rate = leads.
        let customers = binary(
            BinOp::Div,
            &binary(BinOp::Mul, &eur(), &Dim::Number).unwrap_or(Dim::Duration),
            &eur(),
        );
        assert_eq!(customers, Ok(Dim::Number));
        assert_eq!(compare(&Dim::Count, &Dim::Number), Ok(()));
    }

    #[test]
    fn mismatches_are_refused() {
        let usd = Dim::Money(Currency("USD".to_owned()));
        assert!(matches!(
            binary(BinOp::Add, &eur(), &usd),
            Err(Clash::Currency(..))
        ));
        assert!(matches!(
            binary(BinOp::Add, &eur(), &Dim::Count),
            Err(Clash::Units { .. })
        ));
        assert!(matches!(
            compare(&Dim::Duration, &Dim::Number),
            Err(Clash::Units { .. })
        ));
        assert!(matches!(
            binary(BinOp::Mul, &eur(), &eur()),
            Err(Clash::Units { .. })
        ));
        assert_eq!(
            binary(BinOp::Div, &Dim::Count, &Dim::Number),
            Ok(Dim::Count)
        );
    }
}

/// How a number is written back to people: the unit of the value compared.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Whole things counted.
    Count,
    /// A plain number.
    Number,
    /// A fraction written as a percentage.
    Percent,
    /// A duration in seconds.
    Seconds,
    /// An amount in this currency.
    Money(String),
    /// Deliveries made against deliveries due.
    Deliveries,
}

impl Unit {
    /// How a value of this dimension is written; a percent metric keeps its `%`.
    pub fn of(dim: Option<&Dim>, percent: bool) -> Unit {
        if percent {
            return Unit::Percent;
        }
        match dim {
            Some(Dim::Count) => Unit::Count,
            Some(Dim::Money(c)) => Unit::Money(c.0.clone()),
            Some(Dim::Duration) => Unit::Seconds,
            Some(Dim::Number) | None => Unit::Number,
        }
    }

    /// How a metric of this type is written.
    pub fn of_metric(ty: &MetricType) -> Unit {
        Unit::of(Some(&Dim::of_metric(ty)), *ty == MetricType::Percent)
    }
}
