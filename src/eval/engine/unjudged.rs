//! What `--as-of` leaves out: values and deliveries recorded after it, and a day
//! before all data. Said as warnings, so that nothing recorded goes unjudged unsaid.

use super::*;

/// At most this many metrics or deliverables are named one by one.
const NAMED: usize = 20;

impl<'a> Engine<'a> {
    pub(super) fn unjudged_diagnostics(
        &self,
        as_of: Option<Date>,
        as_of_period: Option<Period>,
    ) -> Vec<crate::diagnostic::Diagnostic> {
        let (Some(day), Some(cut)) = (as_of, as_of_period) else {
            return Vec::new();
        };
        let mut errors = Vec::new();
        let first = self.recorded.periods.iter().next().copied();
        if let Some(first) = first.filter(|f| *f > cut) {
            let last = self
                .recorded
                .periods
                .iter()
                .next_back()
                .copied()
                .unwrap_or(first);
            errors.push(EvalError::AsOfBeforeData {
                as_of: day.to_string(),
                first: first.label(),
                last_day: last.end().to_string(),
                span: self.model.effective_span.into(),
            });
            return crate::diagnostic::from_all(errors);
        }
        for (_, value, _) in self.model.metrics() {
            let Some(by_metric) = self.recorded.by_metric(&value.name) else {
                continue;
            };
            let later: BTreeSet<Period> = by_metric
                .values()
                .flat_map(|periods| periods.keys())
                .filter(|p| **p > cut)
                .copied()
                .collect();
            if let (Some(a), Some(b)) = (later.first(), later.last()) {
                let after = if a == b {
                    a.label()
                } else {
                    format!("{} to {} ({} periods)", a.label(), b.label(), later.len())
                };
                errors.push(EvalError::AfterAsOf {
                    what: format!("`{}` has values for", value.name),
                    after,
                    as_of: day.to_string(),
                    span: value.span.into(),
                });
            }
        }
        for o in &self.model.obligations {
            let Promise::Deliver { span, .. } = &o.promise else {
                continue;
            };
            let Some(days) = self.recorded.deliveries.get(&o.name) else {
                continue;
            };
            let later: Vec<&Date> = days.iter().filter(|d| **d > day).collect();
            if let Some(first) = later.iter().min() {
                errors.push(EvalError::AfterAsOf {
                    what: format!(
                        "`{}` has {} deliver{} dated",
                        o.name,
                        later.len(),
                        if later.len() == 1 { "y" } else { "ies" }
                    ),
                    after: format!("from {first}"),
                    as_of: day.to_string(),
                    span: (*span).into(),
                });
            }
        }
        if errors.len() > NAMED {
            errors.truncate(NAMED);
        }
        crate::diagnostic::from_all(errors)
    }
}
