//! How `slac plan` writes numbers and formulas: a value in its unit (`5,000 EUR`,
//! `50 %`, `1h30m`, thousands grouped, 2 decimals at most, with whether that rounded
//! it), a formula as written with `×` and `÷`, the same formula with its numbers put
//! in, and the chain `formula = numbers = value` a plan line shows.

use std::fmt::Write as _;

use rust_decimal::{Decimal, RoundingStrategy};

use super::Writer;
use super::worked::{Unknown, Worth};
use crate::model::expr::{Comparison, Expr, ExprKind};
use crate::model::period::Period;
use crate::model::unit::Dim;
use crate::model::{Agreement, BinOp, Definition, MetricType, ValueId};

/// How a number is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Style {
    Plain,
    Percent,
    Money(String),
    Duration,
}

/// A number as written, and whether that is its exact value.
pub(super) struct Shown {
    pub(super) text: String,
    pub(super) exact: bool,
}

pub(super) fn show(value: Decimal, style: &Style) -> Shown {
    let round = |v: Decimal| v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let plain = |v: Decimal| {
        let r = round(v);
        Shown {
            text: number(r),
            exact: r == v,
        }
    };
    match style {
        Style::Plain => plain(value),
        Style::Percent => match value.checked_mul(Decimal::ONE_HUNDRED) {
            Some(v) => {
                let s = plain(v);
                Shown {
                    text: format!("{} %", s.text),
                    exact: s.exact,
                }
            }
            None => plain(value),
        },
        Style::Money(currency) => {
            let r = round(value);
            let text = if r.fract().is_zero() {
                number(r)
            } else {
                grouped(&format!("{r:.2}"))
            };
            Shown {
                text: format!("{text} {currency}"),
                exact: r == value,
            }
        }
        Style::Duration => {
            let r = round(value);
            Shown {
                text: duration(r),
                exact: r == value,
            }
        }
    }
}

/// A decimal without trailing zeros, thousands grouped.
pub(super) fn number(value: Decimal) -> String {
    if value.is_zero() {
        return "0".to_owned();
    }
    grouped(&value.normalize().to_string())
}

/// `-1234567.5` → `-1,234,567.5`.
pub(super) fn grouped(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Seconds as the language writes a duration: `45min`, `1h`, `1h30m`, `2d`, `12.5s`.
pub(super) fn duration(seconds: Decimal) -> String {
    let whole = seconds
        .fract()
        .is_zero()
        .then(|| i64::try_from(seconds).ok())
        .flatten();
    let Some(total) = whole else {
        return format!("{}s", number(seconds));
    };
    if total == 0 {
        return "0s".to_owned();
    }
    let sign = if total < 0 { "-" } else { "" };
    let t = total.unsigned_abs();
    let (d, h, m, s) = (t / 86_400, t % 86_400 / 3_600, t % 3_600 / 60, t % 60);
    if d == 0 && h == 0 && s == 0 {
        return format!("{sign}{m}min");
    }
    let mut out = String::from(sign);
    for (n, unit) in [(d, "d"), (h, "h"), (m, "m"), (s, "s")] {
        if n > 0 {
            let _ = write!(out, "{n}{unit}");
        }
    }
    out
}

/// `text` wrapped at `width` characters, each line after `indent`; code in
/// backticks is kept on one line.
pub(super) fn wrapped(text: &str, width: usize, indent: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut in_code = false;
    for word in text.split_whitespace() {
        match words.last_mut() {
            Some(last) if in_code => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
        if word.matches('`').count() % 2 == 1 {
            in_code = !in_code;
        }
    }
    let mut out = String::new();
    let mut line = String::new();
    for word in words {
        let length = indent.chars().count() + line.chars().count() + 1 + word.chars().count();
        if !line.is_empty() && length > width {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out
}

/// `a`, `a and b`, `a, b and c`, each in backticks.
pub(super) fn listed<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Why a value is unknown, in words.
pub(super) fn why(unknown: &Unknown, period: Period, data: bool) -> String {
    match unknown {
        Unknown::Missing(names) if names.is_empty() => "it uses a value that is unknown".to_owned(),
        Unknown::Missing(names) if !data => format!(
            "it needs {} in {period}: give the data with --metrics or --data",
            listed(names.iter().map(String::as_str))
        ),
        Unknown::Missing(names) => format!(
            "no value of {} in {period}",
            listed(names.iter().map(String::as_str))
        ),
        Unknown::DivisionByZero => "it divides by zero".to_owned(),
        Unknown::Overflow => "the result has more than 28 significant digits".to_owned(),
    }
}

/// An operator's precedence: sums bind loosest, names and numbers tightest.
pub(super) fn precedence(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(BinOp::Add | BinOp::Sub, ..) => 1,
        ExprKind::Binary(BinOp::Mul | BinOp::Div, ..) => 2,
        ExprKind::Neg(_) => 3,
        ExprKind::Literal(_) | ExprKind::Value(_) => 4,
    }
}

/// An expression written out with `×` and `÷`, each name or number by `leaf`, with
/// the parentheses its structure needs.
pub(super) fn written(e: &Expr, leaf: &mut dyn FnMut(&Expr) -> String) -> String {
    let wrap = |text: String, needed: bool| {
        if needed { format!("({text})") } else { text }
    };
    match &e.kind {
        ExprKind::Literal(_) | ExprKind::Value(_) => leaf(e),
        ExprKind::Neg(inner) => {
            let text = written(inner, leaf);
            format!("-{}", wrap(text, precedence(inner) < 3))
        }
        ExprKind::Binary(op, left, right) => {
            let p = precedence(e);
            let l = written(left, leaf);
            let r = written(right, leaf);
            let symbol = match op {
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "×",
                BinOp::Div => "÷",
            };
            let right_needs = precedence(right) < p
                || (precedence(right) == p && matches!(op, BinOp::Sub | BinOp::Div));
            format!(
                "{} {symbol} {}",
                wrap(l, precedence(left) < p),
                wrap(r, right_needs)
            )
        }
    }
}

/// Whether an expression names no input, let or metric.
pub(super) fn constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Literal(_) => true,
        ExprKind::Value(_) => false,
        ExprKind::Neg(inner) => constant(inner),
        ExprKind::Binary(_, l, r) => constant(l) && constant(r),
    }
}

impl Writer<'_> {
    pub(super) fn model(&self) -> &Agreement {
        self.plan.model
    }

    pub(super) fn name(&self, id: ValueId) -> &str {
        self.model()
            .values
            .get(id.index())
            .map_or("?", |v| v.name.as_str())
    }

    /// How a value is written: by its unit, and as a percentage when it is defined
    /// by one (`50%`, a percent metric, a recalculated rate whose `else` is one).
    pub(super) fn value_style(&self, id: ValueId) -> Style {
        let Some(value) = self.model().values.get(id.index()) else {
            return Style::Plain;
        };
        match &value.unit {
            Some(Dim::Money(c)) => Style::Money(c.0.clone()),
            Some(Dim::Duration) => Style::Duration,
            _ if self.value_is_percent(id, 0) => Style::Percent,
            _ => Style::Plain,
        }
    }

    /// How a comparison's values are written: as its left side's, or as
    /// percentages when the left side is a plain number compared with one.
    pub(super) fn compared_style(&self, c: &Comparison) -> Style {
        match self.expr_style(&c.left) {
            Style::Plain if self.is_percent(&c.right, 0) => Style::Percent,
            style => style,
        }
    }

    pub(super) fn expr_style(&self, e: &Expr) -> Style {
        match &e.unit {
            Some(Dim::Money(c)) => Style::Money(c.0.clone()),
            Some(Dim::Duration) => Style::Duration,
            _ if self.is_percent(e, 0) => Style::Percent,
            _ => Style::Plain,
        }
    }

    pub(super) fn value_is_percent(&self, id: ValueId, depth: usize) -> bool {
        let Some(value) = self.model().values.get(id.index()) else {
            return false;
        };
        match &value.definition {
            Definition::Fixed(e) | Definition::Let(e) => self.is_percent(e, depth + 1),
            Definition::Recalculated { fallback, .. } => self.is_percent(fallback, depth + 1),
            Definition::Metric(m) => m.ty == MetricType::Percent,
        }
    }

    pub(super) fn is_percent(&self, e: &Expr, depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        match &e.kind {
            ExprKind::Literal(_) => self.plan.file.slice(e.span).trim_end().ends_with('%'),
            ExprKind::Value(id) => self.value_is_percent(*id, depth),
            ExprKind::Neg(inner) => self.is_percent(inner, depth + 1),
            ExprKind::Binary(BinOp::Div, ..) => false,
            ExprKind::Binary(_, l, r) => {
                self.is_percent(l, depth + 1) && self.is_percent(r, depth + 1)
            }
        }
    }

    /// The expression as written, with `×` and `÷`.
    pub(super) fn names(&self, e: &Expr) -> String {
        written(e, &mut |leaf| match &leaf.kind {
            ExprKind::Value(id) => self.name(*id).to_owned(),
            ExprKind::Literal(v) => {
                let text = self.plan.file.slice(leaf.span).trim();
                if text.is_empty() {
                    show(*v, &self.expr_style(leaf)).text
                } else {
                    text.to_owned()
                }
            }
            _ => String::new(),
        })
    }

    /// The expression with its numbers put in (`metric` gives each metric's), and
    /// whether one of them was rounded.
    pub(super) fn numbers(
        &self,
        e: &Expr,
        metric: &dyn Fn(ValueId) -> Option<Decimal>,
    ) -> (String, bool) {
        let mut rounded = false;
        let text = written(e, &mut |leaf| {
            let (value, style) = match &leaf.kind {
                ExprKind::Literal(v) => (Some(*v), self.expr_style(leaf)),
                ExprKind::Value(id) if self.model().metric(*id).is_some() => {
                    (metric(*id), self.value_style(*id))
                }
                ExprKind::Value(id) => (
                    self.worked
                        .value(*id)
                        .and_then(|w| w.as_ref().ok())
                        .copied(),
                    self.value_style(*id),
                ),
                _ => (None, Style::Plain),
            };
            match value {
                Some(v) => {
                    let shown = show(v, &style);
                    rounded |= !shown.exact;
                    shown.text
                }
                None => "?".to_owned(),
            }
        });
        (text, rounded)
    }

    /// `formula = numbers = value`, each step once, `≈` where a number shown was
    /// rounded, or `→ unknown: why`.
    pub(super) fn chain(
        &self,
        e: &Expr,
        metric: &dyn Fn(ValueId) -> Option<Decimal>,
        result: &Worth,
        style: &Style,
    ) -> String {
        let (numbers, rounded) = self.numbers(e, metric);
        let mut out = if constant(e) {
            numbers.clone()
        } else {
            let names = self.names(e);
            if names == numbers {
                names
            } else {
                format!("{names} {} {numbers}", if rounded { "≈" } else { "=" })
            }
        };
        match result {
            Ok(v) => {
                let shown = show(*v, style);
                if shown.text != numbers {
                    let sign = if rounded || !shown.exact { "≈" } else { "=" };
                    let _ = write!(out, " {sign} {}", shown.text);
                }
            }
            Err(u) => {
                let _ = write!(
                    out,
                    " → unknown: {}",
                    why(u, self.worked.period, self.plan.data.is_some())
                );
            }
        }
        out
    }

    /// A metric's value in the plan's period.
    pub(super) fn in_period(&self, id: ValueId, segment: Option<&str>) -> Option<Decimal> {
        super::worked::metric_value(self.model(), self.store, id, segment, self.worked.period)
    }
}
