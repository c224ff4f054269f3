//! What needs the whole history: root causes along `requires`, termination, and
//! the warnings about missing data and divisions by zero.

use super::*;

impl<'a> Engine<'a> {
    /// When B requires A and both fall short in the same period, B's shortfall is
    /// attributed to A (and to A's own root cause, transitively).
    pub(super) fn root_causes(&self, outcomes: &mut [Outcome]) {
        let obligations = &self.model.obligations;
        // Each obligation's worst status in the period, by id; outcomes come in
        // obligation order, an obligation's segments together.
        let mut worst: Vec<Option<Status>> = vec![None; obligations.len()];
        let mut ids: Vec<Option<ObligationId>> = Vec::with_capacity(outcomes.len());
        let mut at = 0;
        for o in outcomes.iter() {
            while obligations
                .get(at)
                .is_some_and(|ob| ob.name.as_str() != &*o.id)
            {
                at += 1;
            }
            let id = obligations.get(at).map(|_| ObligationId(at as u32));
            if let Some(slot) = worst.get_mut(at) {
                *slot = Some(slot.map_or(o.status, |s| s.max(o.status)));
            }
            ids.push(id);
        }
        let short = |s: Option<Status>| matches!(s, Some(Status::Missed | Status::AtRisk));
        // Each obligation's root, found once per period.
        let mut roots_of: Vec<Option<ObligationId>> = vec![None; obligations.len()];
        let mut root_of = |start: ObligationId| -> ObligationId {
            let mut at = start;
            // The checker rules out cycles; the bound only guards against surprises.
            for _ in 0..obligations.len() {
                if let Some(known) = roots_of.get(at.index()).copied().flatten() {
                    at = known;
                    break;
                }
                let next = obligations.get(at.index()).and_then(|o| {
                    o.requires
                        .iter()
                        .find(|r| short(worst.get(r.index()).copied().flatten()))
                });
                match next {
                    Some(n) => at = *n,
                    None => break,
                }
            }
            if let Some(slot) = roots_of.get_mut(start.index()) {
                *slot = Some(at);
            }
            at
        };
        let roots: Vec<Option<ObligationId>> = outcomes
            .iter()
            .zip(&ids)
            .map(|(o, id)| {
                if !short(Some(o.status)) {
                    return None;
                }
                let id = (*id)?;
                let root = root_of(id);
                (root != id).then_some(root)
            })
            .collect();
        for (o, root) in outcomes.iter_mut().zip(roots) {
            if let Some(root) = root.and_then(|r| obligations.get(r.index())) {
                o.root_cause_tier = Some(root.tier.clone());
                o.root_cause = Some(root.name.clone());
                if self.model.blame_root_cause {
                    self.excuse(o, root);
                }
            }
        }
    }

    /// `consequences follow root cause`: a shortfall caused upstream is excused (it
    /// does not count towards termination), and the strikes its remedy gives the
    /// owner go to the root cause's owner instead; a strike against a named party
    /// stays where the agreement put it.
    fn excuse(&self, o: &mut Outcome, root: &Obligation) {
        o.excused = true;
        let owner = &*o.by;
        let culprit = self.model.party(root.owner);
        if let Some(remedy) = &mut o.remedy
            && remedy.strike_against.iter().any(|p| p == owner)
        {
            let mut against: Vec<String> = remedy
                .strike_against
                .iter()
                .map(|p| {
                    if p == owner {
                        culprit.to_owned()
                    } else {
                        p.clone()
                    }
                })
                .collect();
            against.dedup();
            remedy.strike_against = against.into();
        }
    }

    /// The first period in which a termination condition holds.
    pub(super) fn termination(&self, results: &[PeriodResult]) -> Option<Termination> {
        let missed: Vec<FxHashSet<&str>> = results
            .iter()
            .map(|r| {
                r.obligations
                    .iter()
                    .filter(|o| o.status == Status::Missed && !o.excused)
                    .map(|o| &*o.id)
                    .collect()
            })
            .collect();
        for (at, result) in results.iter().enumerate() {
            let history = missed.get(..=at).unwrap_or(&[]);
            for t in &self.model.terminations {
                let subjects: Vec<&str> = t
                    .subjects
                    .iter()
                    .filter_map(|id| self.model.obligations.get(id.index()))
                    .map(|o| o.name.as_str())
                    .collect();
                let (count, window) = match t.rule {
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
                        t.text,
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
