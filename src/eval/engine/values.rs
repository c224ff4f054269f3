//! Values in a period: inputs, lets and metrics worked out, expressions compiled
//! once, divisions by zero noted, and the unit each compared value is written in.

use super::*;

impl<'a> Engine<'a> {
    pub(super) fn source(&self, span: Span) -> &str {
        self.compiled.file.slice(span)
    }

    /// A metric's value for a period: the segment's own row, or the total row, or the
    /// sum of all segments for counts and money.
    pub(super) fn metric(
        &self,
        index: usize,
        segment: Option<&str>,
        period: Period,
    ) -> Option<Decimal> {
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
    pub(super) fn metric_over(&self, index: usize, window: &[Period]) -> Option<Decimal> {
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
    pub(super) fn compiled(&mut self, e: &'a Expr) -> Rc<Code> {
        let key = e as *const Expr as usize;
        if let Some(c) = self.exprs.get(&key) {
            return c.clone();
        }
        let c = Rc::new(expr::compile(e, &self.value_index, &self.metric_index));
        self.exprs.insert(key, c.clone());
        c
    }

    /// Inputs and lets for one period, in dependency order.
    pub(super) fn values_for(&mut self, period: Period) -> Vec<Value> {
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

    pub(super) fn eval(
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

    pub(super) fn note_zero_divisions(
        &mut self,
        zeros: Vec<super::expr::ZeroDivision>,
        period: Period,
    ) {
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

    /// The unit of a compared value and whether it accumulates, worked out once per
    /// place in the agreement.
    pub(super) fn measure(&mut self, left: &Expr) -> (Unit, bool) {
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
    pub(super) fn accumulates(&self, left: &Expr) -> bool {
        matches!(self.dim_of(left), Some(Dim::Count) | Some(Dim::Money(_)))
    }

    pub(super) fn dim_of(&self, e: &Expr) -> Option<Dim> {
        match &e.kind {
            ExprKind::Name(n) => self.model.units.get(n).cloned(),
            ExprKind::Literal(q) => Some(Dim::of_literal(&q.unit)),
            ExprKind::Neg(inner) => self.dim_of(inner),
            ExprKind::Binary(op, l, r) => {
                crate::check::units::binary(*op, &self.dim_of(l)?, &self.dim_of(r)?).ok()
            }
        }
    }

    pub(super) fn unit_of(&self, e: &Expr) -> Unit {
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
    pub(super) fn credit_currency(&self) -> Option<String> {
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
}
