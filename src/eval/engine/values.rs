//! Values in a period: inputs, lets and metrics worked out, divisions by zero
//! noted, and the unit each compared value is written in.

use super::*;

impl<'a> Engine<'a> {
    pub(super) fn source(&self, span: Span) -> &str {
        self.file.slice(span)
    }

    /// A metric's value for a period: the segment's own row, or the total row, or the
    /// sum of all segments for counts and money.
    pub(super) fn metric(
        &self,
        id: ValueId,
        segment: Option<&str>,
        period: Period,
    ) -> Option<Decimal> {
        let table = self.metrics.get(id.index())?.as_ref()?;
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
    pub(super) fn metric_over(&self, id: ValueId, window: &[Period]) -> Option<Decimal> {
        let table = self.metrics.get(id.index())?.as_ref()?;
        let mut sum = Decimal::ZERO;
        for p in window {
            sum = sum.checked_add(self.metric(id, None, *p)?)?;
        }
        if table.summable {
            Some(sum)
        } else {
            sum.checked_div(Decimal::from(window.len()))
        }
    }

    /// Inputs and lets for one period, in dependency order, by value id.
    pub(super) fn values_for(&mut self, period: Period) -> Vec<Value> {
        let model = self.model;
        let mut values: Vec<Value> = vec![Err(Fail::Missing(BTreeSet::new())); model.values.len()];
        let index = model.periods.iter().position(|p| *p == period).unwrap_or(0);
        for id in &model.order {
            let Some(value) = model.values.get(id.index()) else {
                continue;
            };
            let worked_out = match &value.definition {
                Definition::Let(e) | Definition::Fixed(e) => self.eval(e, &values, None, period),
                Definition::Recalculated {
                    formula,
                    periods,
                    fallback,
                } => {
                    let n = *periods as usize;
                    let window = index
                        .checked_sub(n)
                        .and_then(|start| model.periods.get(start..index))
                        .filter(|w| w.len() == n && n > 0);
                    let recalculated = window.map(|window| {
                        let resolver = |m: ValueId| self.metric_over(m, window);
                        let mut scope = Scope {
                            values: &values,
                            is_metric: &self.is_metric,
                            metric: &resolver,
                            names: &self.names,
                            zero_divisions: Vec::new(),
                        };
                        let v = scope.eval(formula);
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
                Definition::Metric(_) => continue,
            };
            if let Some(v) = values.get_mut(id.index()) {
                *v = worked_out;
            }
        }
        values
    }

    pub(super) fn eval(
        &mut self,
        e: &Expr,
        values: &[Value],
        segment: Option<&str>,
        period: Period,
    ) -> Value {
        let resolver = |m: ValueId| self.metric(m, segment, period);
        let mut scope = Scope {
            values,
            is_metric: &self.is_metric,
            metric: &resolver,
            names: &self.names,
            zero_divisions: Vec::new(),
        };
        let v = scope.eval(e);
        let zeros = std::mem::take(&mut scope.zero_divisions);
        if !zeros.is_empty() {
            self.note_zero_divisions(zeros, period);
        }
        v
    }

    pub(super) fn note_zero_divisions(
        &mut self,
        zeros: Vec<super::super::expr::ZeroDivision>,
        period: Period,
    ) {
        for z in zeros {
            let left = format!("{} = {}", self.source(z.left), z.left_value.normalize());
            let right = format!("{} = 0", self.source(z.right));
            let entry = self
                .zero_divisions
                .entry(z.span)
                .or_insert_with(|| (left, right, z.right, Vec::new()));
            if !entry.3.contains(&period) {
                entry.3.push(period);
            }
        }
    }

    /// The unit a compared value is written in, and whether it accumulates: counts
    /// and money accumulate over a period, so a running period is judged against the
    /// pro-rata target; averages and durations are judged as they stand.
    pub(super) fn measure(&self, left: &Expr) -> (Unit, bool) {
        let percent = matches!(
            left.kind,
            crate::model::expr::ExprKind::Value(id)
                if self.model.metric(id).is_some_and(|m| m.ty == crate::model::MetricType::Percent)
        );
        let accumulates = matches!(left.unit, Some(Dim::Count) | Some(Dim::Money(_)));
        (Unit::of(left.unit.as_ref(), percent), accumulates)
    }

    /// The currency credits are paid in: that of the first credit the agreement
    /// grants (the checker holds credits to the cap's currency).
    pub(super) fn credit_currency(&self) -> Option<String> {
        self.model.credits().find_map(|e| match &e.unit {
            Some(Dim::Money(c)) => Some(c.0.clone()),
            _ => None,
        })
    }
}
