//! Inputs, lets and metrics: names resolved, units worked out, definitions ordered.

use rust_decimal::Decimal;

use crate::syntax::ast::{
    BinOp, Comparison, Expr, ExprKind, InputValue, LiteralUnit, MetricType, Span,
};

use super::error::GradingError;
use super::graph::{Component, DependencyGraph};
use super::names::{Value, unknown_help};
use super::{CheckError, Checker};
use crate::model::unit::{self as units, Clash, Dim};

impl<'a> Checker<'a> {
    /// Types every input and let in dependency order, reporting definition cycles.
    pub(super) fn values(&mut self) {
        let mut graph = DependencyGraph::new();
        let declared: Vec<(&'a str, Value<'a>)> = self.symbols.values.iter().collect();
        let definitions: Vec<(&'a str, Vec<&'a Expr>)> = declared
            .into_iter()
            .filter_map(|(name, value)| match value {
                Value::Input(i) => Some((
                    name,
                    match &i.value {
                        InputValue::Fixed(e) => vec![e],
                        InputValue::Recalculated {
                            formula, fallback, ..
                        } => vec![formula, fallback],
                    },
                )),
                Value::Let(l) => Some((name, vec![&l.value])),
                Value::Metric(m) => {
                    if let Some(segment) = &m.segment {
                        self.segment_ref(segment);
                    }
                    self.value_units.insert(name, Dim::of_metric(&m.ty.node));
                    None
                }
            })
            .collect();
        for (name, exprs) in &definitions {
            graph.node(name);
            for e in exprs {
                for (used, span) in names_in(e) {
                    if matches!(
                        self.symbols.values.get(used),
                        Some(Value::Input(_) | Value::Let(_))
                    ) {
                        graph.edge(name, used, span);
                    }
                }
            }
        }
        for component in graph.components() {
            match component {
                Component::Single(name) => {
                    self.model.evaluation_order.push(name.to_owned());
                    self.define(name);
                }
                Component::Cyclic(cycle, members) => {
                    self.report(CheckError::DefinitionCycle {
                        path: cycle.path(),
                        links: cycle.labels("uses"),
                    });
                    // Still resolve the names inside, so misspellings are reported.
                    for name in members {
                        self.used_values.insert(name);
                        if let Some(Value::Let(l)) = self.symbols.values.get(name) {
                            self.type_of(&l.value);
                        }
                    }
                }
            }
        }
        for (name, dim) in &self.value_units {
            self.model.units.insert((*name).to_owned(), dim.clone());
        }
    }

    fn define(&mut self, name: &'a str) {
        let dim = match self.symbols.values.get(name) {
            Some(Value::Let(l)) => self.type_of(&l.value),
            Some(Value::Input(i)) => match &i.value {
                InputValue::Fixed(e) => self.type_of(e),
                InputValue::Recalculated {
                    formula,
                    periods,
                    fallback,
                } => {
                    if periods.node == 0 {
                        self.report(GradingError::InvalidWindow {
                            reason: "an input recalculated over 0 periods has no history"
                                .to_owned(),
                            span: periods.span.into(),
                            help: "recalculate over at least one period, e.g. `over 3 periods`"
                                .to_owned(),
                        });
                    }
                    let f = self.type_of(formula);
                    let b = self.type_of(fallback);
                    match (f, b) {
                        (Some(f), Some(b)) => {
                            self.clash(
                                units::compare(&f, &b),
                                "compare",
                                formula,
                                fallback,
                                &f,
                                &b,
                            );
                            Some(f)
                        }
                        (f, b) => f.or(b),
                    }
                }
            },
            _ => None,
        };
        if let Some(dim) = dim {
            self.value_units.insert(name, dim);
        }
    }

    /// The unit of an expression, or `None` when a problem in it has been reported
    /// (or it names something whose unit is unknown for an earlier reason).
    pub(super) fn type_of(&mut self, e: &'a Expr) -> Option<Dim> {
        match &e.kind {
            ExprKind::Literal(q) => Some(Dim::of_literal(&q.unit)),
            ExprKind::Name(name) => self.name_unit(name, e.span),
            ExprKind::Neg(inner) => self.type_of(inner),
            ExprKind::Binary(op, l, r) => {
                let left = self.type_of(l);
                let right = self.type_of(r);
                if *op == BinOp::Div && constant(r) == Some(Decimal::ZERO) {
                    self.report(CheckError::DivisionByZero {
                        span: r.span.into(),
                    });
                    return None;
                }
                let (left, right) = (left?, right?);
                let combined = units::binary(*op, &left, &right);
                self.clash(combined, units::verb(*op), l, r, &left, &right)
            }
        }
    }

    /// Reports a unit clash between two operands; passes a good result through.
    fn clash<T>(
        &mut self,
        result: Result<T, Clash>,
        verb: &'static str,
        l: &Expr,
        r: &Expr,
        left: &Dim,
        right: &Dim,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(Clash::Currency(a, b)) => {
                self.report(CheckError::CurrencyMismatch {
                    verb,
                    left: a.to_string(),
                    right: b.to_string(),
                    left_span: l.span.into(),
                    right_span: r.span.into(),
                });
                None
            }
            Err(Clash::Units { help }) => {
                self.report(CheckError::UnitMismatch {
                    verb,
                    left: left.describe(),
                    right: right.describe(),
                    left_span: l.span.into(),
                    right_span: r.span.into(),
                    help,
                });
                None
            }
        }
    }

    /// Types both sides of a comparison and checks that they can be compared.
    pub(super) fn comparison(&mut self, c: &'a Comparison) -> Option<Dim> {
        let left = self.type_of(&c.left);
        let right = self.type_of(&c.right);
        let (left, right) = (left?, right?);
        // A percent metric against a bare number: `availability >= 99.9` would ask
        // for 9,990 %. Both are numbers to the unit algebra, so it is caught here.
        for (metric, number) in [(&c.left, &c.right), (&c.right, &c.left)] {
            if let (ExprKind::Name(name), ExprKind::Literal(q)) = (&metric.kind, &number.kind)
                && q.unit == LiteralUnit::Number
                && self.is_percent_metric(name)
            {
                self.report(CheckError::PercentWithoutSign {
                    metric: name.clone(),
                    number: q.value.normalize().to_string(),
                    span: number.span.into(),
                    metric_span: metric.span.into(),
                });
                return None;
            }
        }
        self.clash(
            units::compare(&left, &right),
            "compare",
            &c.left,
            &c.right,
            &left,
            &right,
        )?;
        Some(left)
    }

    fn is_percent_metric(&self, name: &str) -> bool {
        matches!(
            self.symbols.values.get(name),
            Some(Value::Metric(m)) if m.ty.node == MetricType::Percent
        )
    }

    fn name_unit(&mut self, name: &'a str, span: Span) -> Option<Dim> {
        match self.symbols.values.get(name) {
            Some(_) => {
                self.used_values.insert(name);
                self.value_units.get(name).cloned()
            }
            None => {
                if self.should_report_unknown(name) {
                    let error = self.unknown_value(name, span);
                    self.report(error);
                }
                // The likely intended name is not "unused": that would be a second
                // message about the same typo.
                if let Some(meant) = crate::suggest::did_you_mean(name, self.symbols.values.names())
                {
                    self.used_values.insert(meant);
                }
                None
            }
        }
    }

    /// Names the kind of thing the author most likely meant, so the code says
    /// "unknown metric" when the closest declared name is a metric.
    fn unknown_value(&self, name: &str, span: Span) -> CheckError {
        let closest = crate::suggest::did_you_mean(name, self.symbols.values.names())
            .and_then(|n| self.symbols.values.get(n).map(|v| (n, v.kind())));
        let name = name.to_owned();
        let span = span.into();
        match closest {
            Some((suggestion, kind)) => {
                let help = format!("did you mean {kind} `{suggestion}`?");
                match kind {
                    "metric" => CheckError::UnknownMetric { name, span, help },
                    "input" => CheckError::UnknownInput { name, span, help },
                    _ => CheckError::UnknownName { name, span, help },
                }
            }
            None => {
                let help = format!(
                    "{} (names in expressions refer to an `input`, a `let` or a `metric`)",
                    unknown_help(&name, "name", self.symbols.values.names())
                );
                CheckError::UnknownName { name, span, help }
            }
        }
    }

    pub(super) fn segment_ref(&mut self, name: &'a crate::syntax::ast::Ident) -> bool {
        if self.symbols.segments.contains(&name.node) {
            return true;
        }
        if self.should_report_unknown(&name.node) {
            let help = unknown_help(&name.node, "segment", self.symbols.segments.names());
            self.report(CheckError::UnknownSegment {
                name: name.node.clone(),
                span: name.span.into(),
                help,
            });
        }
        false
    }
}

/// Every name an expression mentions, with where.
pub(super) fn names_in(e: &Expr) -> Vec<(&str, Span)> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Literal(_) => {}
            ExprKind::Name(n) => out.push((n.as_str(), e.span)),
            ExprKind::Neg(inner) => stack.push(inner),
            ExprKind::Binary(_, l, r) => {
                stack.push(r);
                stack.push(l);
            }
        }
    }
    out
}

/// The value of an expression made of literals only, such as `0` or `(5 - 5)`.
pub(super) fn constant(e: &Expr) -> Option<Decimal> {
    match &e.kind {
        ExprKind::Literal(q) => Some(q.value),
        ExprKind::Name(_) => None,
        ExprKind::Neg(inner) => constant(inner).map(|v| -v),
        ExprKind::Binary(op, l, r) => {
            let (l, r) = (constant(l)?, constant(r)?);
            match op {
                BinOp::Add => l.checked_add(r),
                BinOp::Sub => l.checked_sub(r),
                BinOp::Mul => l.checked_mul(r),
                BinOp::Div => l.checked_div(r),
            }
        }
    }
}
