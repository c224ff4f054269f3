//! What needs the whole history: root causes along `requires`, termination, and
//! the warnings about missing data and divisions by zero.

use super::*;

impl<'a> Engine<'a> {
    /// When B requires A and both fall short in the same period, B's shortfall is
    /// attributed to A (and to A's own root cause, transitively).
    pub(super) fn root_causes(&self, outcomes: &mut [Outcome]) {
        let mut worst: FxHashMap<&str, Status> =
            FxHashMap::with_capacity_and_hasher(outcomes.len(), Default::default());
        for o in outcomes.iter() {
            let e = worst.entry(&o.id).or_insert(o.status);
            *e = (*e).max(o.status);
        }
        let short = |s: Status| matches!(s, Status::Missed | Status::AtRisk);
        let requires = &self.requires;
        // Each obligation's root, found once per period.
        let mut roots_of: FxHashMap<&str, &str> = FxHashMap::default();
        let mut root_of = |start: &'a str| -> &'a str {
            let mut at = start;
            // The checker rules out cycles; the bound only guards against surprises.
            for _ in 0..requires.len() {
                if let Some(known) = roots_of.get(at) {
                    at = known;
                    break;
                }
                let next = requires
                    .get(at)
                    .and_then(|rs| rs.iter().find(|r| worst.get(*r).is_some_and(|s| short(*s))));
                match next {
                    Some(n) => at = n,
                    None => break,
                }
            }
            roots_of.insert(start, at);
            at
        };
        let roots: Vec<Option<String>> = outcomes
            .iter()
            .map(|o| {
                if !short(o.status) {
                    return None;
                }
                let (id, _) = requires.get_key_value(&*o.id)?;
                let id: &'a str = id;
                let root = root_of(id);
                (root != id).then(|| root.to_owned())
            })
            .collect();
        for (o, root) in outcomes.iter_mut().zip(roots) {
            if let Some(root) = root {
                o.root_cause_tier = self.model.tiers.get(&root).cloned();
                o.root_cause = Some(root);
            }
        }
    }

    /// The first period in which a termination condition holds.
    pub(super) fn termination(&self, results: &[PeriodResult]) -> Option<Termination> {
        let agreement = self.compiled.agreement.as_ref()?;
        let all: Vec<String> = self
            .catalog
            .obligations
            .iter()
            .map(|o| o.name.node.clone())
            .collect();
        let missed: Vec<FxHashSet<&str>> = results
            .iter()
            .map(|r| {
                r.obligations
                    .iter()
                    .filter(|o| o.status == Status::Missed)
                    .map(|o| &*o.id)
                    .collect()
            })
            .collect();
        for (at, result) in results.iter().enumerate() {
            let history = missed.get(..=at).unwrap_or(&[]);
            for item in &agreement.items {
                let Item::Terminate(t) = item else { continue };
                let subjects: Vec<&str> = match &t.subject {
                    TerminateSubject::AnyObligation(_) => all.iter().map(String::as_str).collect(),
                    TerminateSubject::Obligations(names) => {
                        names.iter().map(|n| n.node.as_str()).collect()
                    }
                };
                let (count, window) = match t.rule.node {
                    MissRule::InARow(n) => (n as usize, n as usize),
                    MissRule::OfLast { missed, window } => (missed as usize, window as usize),
                };
                if window == 0 || history.len() < count {
                    continue;
                }
                let recent = history
                    .get(history.len().saturating_sub(window)..)
                    .unwrap_or(&[]);
                let culprits: Vec<String> = subjects
                    .iter()
                    .filter(|s| recent.iter().filter(|m| m.contains(*s)).count() >= count)
                    .map(|s| (*s).to_owned())
                    .collect();
                if culprits.is_empty() {
                    continue;
                }
                let recent_periods: Vec<String> = results
                    .get(at + 1 - recent.len()..=at)
                    .unwrap_or(&[])
                    .iter()
                    .zip(recent)
                    .filter(|(_, m)| culprits.iter().any(|c| m.contains(c.as_str())))
                    .map(|(r, _)| r.period.label())
                    .collect();
                return Some(Termination {
                    period: result.period,
                    reason: format!(
                        "`{}`: {} missed in {}",
                        self.source(t.span).trim(),
                        culprits
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        recent_periods.join(", ")
                    ),
                    obligations: culprits,
                    span: t.span,
                });
            }
        }
        None
    }

    pub(super) fn no_data_diagnostics(
        &self,
        results: &[PeriodResult],
    ) -> Vec<crate::diagnostic::Diagnostic> {
        // (obligation, segment) -> (promise, periods without data, metrics missing)
        type Gap = (Span, Vec<String>, BTreeSet<String>);
        let mut gaps: BTreeMap<(String, Option<String>), Gap> = BTreeMap::new();
        for r in results {
            for o in &r.obligations {
                if o.status != Status::NoData {
                    continue;
                }
                let entry = gaps
                    .entry((o.id.to_string(), o.segment.clone()))
                    .or_insert_with(|| (o.promise_span, Vec::new(), BTreeSet::new()));
                entry.1.push(r.period.label());
                entry.2.extend(o.missing.iter().cloned());
            }
        }
        let errors: Vec<EvalError> = gaps
            .into_iter()
            .map(
                |((id, segment), (span, periods, missing))| EvalError::NoData {
                    obligation: match segment {
                        Some(s) => format!("`{id}` (segment `{s}`)"),
                        None => format!("`{id}`"),
                    },
                    periods: periods.join(", "),
                    missing: if missing.is_empty() {
                        "the values it needs".to_owned()
                    } else {
                        missing
                            .iter()
                            .map(|m| {
                                if m.contains(' ') {
                                    m.clone()
                                } else {
                                    format!("`{m}`")
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                    span: span.into(),
                },
            )
            .collect();
        crate::diagnostic::from_all(errors)
    }

    pub(super) fn zero_division_diagnostics(&self) -> Vec<crate::diagnostic::Diagnostic> {
        let errors: Vec<EvalError> = self
            .zero_divisions
            .values()
            .map(|(left, right, span, periods)| EvalError::DivisionByZero {
                period: periods.iter().map(|p| p.label()).collect::<Vec<_>>().join(", "),
                left: left.clone(),
                right: right.clone(),
                consequence: "the value is unknown for that period: a recalculated input falls back to its `else` value, a promise gets status no_data".to_owned(),
                span: (*span).into(),
            })
            .collect();
        crate::diagnostic::from_all(errors)
    }
}
