//! Judging one obligation in one period: promise, bands, per-row promises and
//! deliverables, with the remedy that applies and who answers for it.

use super::*;

impl<'a> Engine<'a> {
    pub(super) fn outcomes(
        &mut self,
        o: &'a Obligation,
        period: Period,
        values: &[Value],
        elapsed: Option<Elapsed>,
        out: &mut Vec<Outcome>,
    ) {
        if let Some(deliver) = o.deliver.first() {
            if let Some(outcome) =
                self.deliverable(o, deliver.every.node, deliver.span, period, elapsed)
            {
                out.push(outcome);
            }
            return;
        }
        if let Some(record) = o.records.first() {
            out.push(self.judge_rows(o, record, period, values, elapsed));
            return;
        }
        if let Some(promise) = o.promise.first() {
            out.push(self.judge(o, promise, None, o.bands.first(), period, values, elapsed));
        }
        for per in &o.per {
            for target in &per.targets {
                out.push(self.judge(
                    o,
                    &target.promise,
                    Some(&target.value.node),
                    None,
                    period,
                    values,
                    elapsed,
                ));
            }
        }
    }

    pub(super) fn blank(&mut self, o: &Obligation, span: Span, unit: Unit) -> Outcome {
        let key = o as *const Obligation as usize;
        let (id, tier, by, for_) = match self.names.get(&key) {
            Some(names) => names.clone(),
            None => {
                let names: OutcomeNames = (
                    Arc::from(o.name.node.as_str()),
                    Arc::from(
                        self.model
                            .tiers
                            .get(&o.name.node)
                            .map_or("", String::as_str),
                    ),
                    Arc::from(o.by.first().map_or("", |b| b.node.as_str())),
                    Arc::from(o.for_.first().map_or("", |f| f.node.as_str())),
                );
                self.names.insert(key, names.clone());
                names
            }
        };
        Outcome {
            id,
            segment: None,
            tier,
            by,
            for_,
            status: Status::NoData,
            band: None,
            actual: None,
            target: None,
            comparison: None,
            unit,
            remedy: None,
            root_cause: None,
            root_cause_tier: None,
            missing: Vec::new(),
            pacing: None,
            rows: None,
            promise_span: span,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn judge(
        &mut self,
        o: &'a Obligation,
        c: &'a Comparison,
        segment: Option<&str>,
        bands: Option<&'a Bands>,
        period: Period,
        values: &[Value],
        elapsed: Option<Elapsed>,
    ) -> Outcome {
        let (unit, accumulates) = self.measure(&c.left);
        let mut outcome = self.blank(o, c.span, unit);
        outcome.segment = segment.map(str::to_owned);
        outcome.comparison = Some(c.op.node.symbol());
        let left = self.eval(&c.left, values, segment, period);
        let right = self.eval(&c.right, values, segment, period);
        let (actual, target) = match (left, right) {
            (Ok(a), Ok(t)) => (a, t),
            (l, r) => {
                // The actual is still worth showing when only the target is unknown.
                outcome.actual = l.as_ref().ok().copied();
                let mut missing = BTreeSet::new();
                for v in [l, r] {
                    if let Err(Fail::Missing(m)) = v {
                        missing.extend(m);
                    }
                }
                outcome.missing = missing.into_iter().collect();
                return outcome;
            }
        };
        outcome.actual = Some(actual);
        outcome.target = Some(target);
        if let Some(e) = elapsed {
            let days = Decimal::from(e.days);
            let total = Decimal::from(e.total);
            let to_date = if accumulates {
                target.checked_mul(days).and_then(|v| v.checked_div(total))
            } else {
                Some(target)
            };
            let projected = if accumulates {
                actual.checked_mul(total).and_then(|v| v.checked_div(days))
            } else {
                None
            };
            let on_track = to_date.is_some_and(|t| holds(c.op.node, actual, t));
            outcome.status = if on_track {
                Status::Met
            } else {
                Status::AtRisk
            };
            outcome.pacing = Some(Pacing {
                elapsed_days: e.days,
                total_days: e.total,
                target_to_date: to_date.map(|t| t.round_dp(2).normalize()),
                projected: projected.map(|p| p.round_dp(2).normalize()),
            });
            return outcome;
        }
        outcome.status = if holds(c.op.node, actual, target) {
            Status::Met
        } else {
            Status::Missed
        };
        let mut band_remedy = None;
        if let Some(bands) = bands {
            for band in &bands.bands {
                let matched = match &band.when {
                    None => true,
                    Some(w) => {
                        let l = self.eval(&w.left, values, segment, period);
                        let r = self.eval(&w.right, values, segment, period);
                        matches!((l, r), (Ok(l), Ok(r)) if holds(w.op.node, l, r))
                    }
                };
                if matched {
                    let key = band as *const _ as usize;
                    let name = self
                        .band_names
                        .entry(key)
                        .or_insert_with(|| Arc::from(band.name.node.as_str()));
                    outcome.band = Some(name.clone());
                    band_remedy = band.remedy.as_ref();
                    break;
                }
            }
        }
        if outcome.status == Status::Missed {
            let remedy = if bands.is_some() {
                band_remedy
            } else {
                o.remedy.first()
            };
            outcome.remedy = remedy.map(|r| self.apply(o, r, values, period));
        }
        outcome
    }

    /// A promise over every row: met when the share of rows that complied reaches
    /// the promised share. In a running period, falling short is `at_risk`.
    pub(super) fn judge_rows(
        &mut self,
        o: &'a Obligation,
        record: &'a RecordPromise,
        period: Period,
        values: &[Value],
        elapsed: Option<Elapsed>,
    ) -> Outcome {
        let mut outcome = self.blank(o, record.span, Unit::Percent);
        outcome.comparison = Some(">=");
        let target = record.at_least.node.value;
        outcome.target = Some(target);
        let tally = self
            .recorded
            .records
            .get(&o.name.node)
            .and_then(|by_period| by_period.get(&period));
        let Some(tally) = tally.filter(|t| t.rows > 0) else {
            outcome.missing = vec![format!("rows of `{}`", record.dataset.node)];
            return outcome;
        };
        let actual = Decimal::from(tally.complied)
            .checked_div(Decimal::from(tally.rows))
            .map(|d| d.normalize());
        outcome.actual = actual;
        outcome.rows = Some(tally.clone());
        let met = actual.is_some_and(|a| a >= target);
        outcome.status = match (met, elapsed) {
            (true, _) => Status::Met,
            (false, Some(_)) => Status::AtRisk,
            (false, None) => Status::Missed,
        };
        if outcome.status == Status::Missed {
            outcome.remedy = o.remedy.first().map(|r| self.apply(o, r, values, period));
        }
        outcome
    }

    /// A deliverable is met when every slot of its cadence that starts in the period
    /// (and has ended, in a running period) has a delivery dated within it.
    pub(super) fn deliverable(
        &mut self,
        o: &'a Obligation,
        every: PeriodUnit,
        span: Span,
        period: Period,
        elapsed: Option<Elapsed>,
    ) -> Option<Outcome> {
        let mut outcome = self.blank(o, span, Unit::Deliveries);
        outcome.comparison = Some(">=");
        let cadence_slots: Vec<(Date, Date)> = if every <= self.catalog.unit {
            let mut slots = Vec::new();
            let mut slot = Period::containing(period.start(), every);
            if slot.start() < period.start() {
                slot = slot.next();
            }
            while slot.start() <= period.end() {
                slots.push((slot.start(), slot.end()));
                let next = slot.next();
                if next == slot {
                    break;
                }
                slot = next;
            }
            slots
        } else {
            // A cadence longer than the period is due in the period where it ends.
            let slot = Period::containing(period.end(), every);
            if slot.end() != period.end() {
                return None;
            }
            vec![(slot.start(), slot.end())]
        };
        let today = elapsed.map(|e| {
            period
                .start()
                .checked_add(jiff::Span::new().days(e.days - 1))
                .unwrap_or(period.end())
        });
        let due: Vec<&(Date, Date)> = cadence_slots
            .iter()
            .filter(|(_, end)| today.is_none_or(|t| *end <= t))
            .collect();
        let days = self.recorded.deliveries.get(&o.name.node);
        if days.is_none() && self.recorded.deliveries.is_empty() {
            outcome.missing = vec!["a deliveries log (--deliveries)".to_owned()];
            return Some(outcome);
        }
        let delivered = due
            .iter()
            .filter(|(start, end)| {
                days.is_some_and(|d| d.iter().any(|day| day >= start && day <= end))
            })
            .count();
        outcome.actual = Some(Decimal::from(delivered));
        outcome.target = Some(Decimal::from(due.len()));
        outcome.status = match (delivered == due.len(), elapsed.is_some()) {
            (true, _) => Status::Met,
            (false, true) => Status::AtRisk,
            (false, false) => Status::Missed,
        };
        if outcome.status == Status::Missed {
            outcome.remedy = o.remedy.first().map(|r| self.apply(o, r, &[], period));
        }
        Some(outcome)
    }

    pub(super) fn apply(
        &mut self,
        o: &'a Obligation,
        remedy: &'a RemedyRef,
        values: &[Value],
        period: Period,
    ) -> AppliedRemedy {
        let owner = o.by.first().map_or("", |b| b.node.as_str());
        let (name, inline, declared): (Option<&str>, Option<&'a Expr>, &'a [Expr]) = match remedy {
            RemedyRef::Credit { amount, .. } => (None, Some(amount), &[]),
            RemedyRef::Named(name) => (
                Some(name.node.as_str()),
                None,
                self.catalog
                    .remedies
                    .get(&name.node)
                    .map_or(&[][..], |r| r.credits.as_slice()),
            ),
        };
        let mut credit: Option<Decimal> = None;
        for amount in inline.into_iter().chain(declared) {
            if let Ok(v) = self.eval(amount, values, None, period) {
                credit = Some(credit.unwrap_or_default() + v);
            }
        }
        let key = (name.unwrap_or(""), owner);
        let template = match self.remedies.get(&key) {
            Some(t) => t.clone(),
            None => {
                let t = self.remedy_template(name, owner);
                self.remedies.insert(key, t.clone());
                t
            }
        };
        AppliedRemedy { credit, ..template }
    }

    /// Everything about a remedy that does not change from period to period.
    pub(super) fn remedy_template(&self, name: Option<&str>, owner: &str) -> AppliedRemedy {
        let declared = name.and_then(|n| self.catalog.remedies.get(n).copied());
        let responsible: Vec<Responsible> = match (name, declared) {
            // An inline credit is owed by the obligation's owner.
            (None, _) => vec![self.responsible(owner)],
            (Some(_), Some(r)) => r
                .responsible
                .iter()
                .map(|p| self.responsible(&p.node))
                .collect(),
            (Some(_), None) => Vec::new(),
        };
        AppliedRemedy {
            name: name.map(Arc::from),
            actions: declared
                .map(|r| r.actions.iter().map(|a| a.node.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
                .into(),
            responsible: responsible.into(),
            strike_against: declared
                .map(|r| {
                    r.strikes
                        .iter()
                        .map(|s| {
                            s.against
                                .as_ref()
                                .map_or(owner.to_owned(), |a| a.node.clone())
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
                .into(),
            credit: None,
        }
    }

    pub(super) fn responsible(&self, party: &str) -> Responsible {
        Responsible {
            party: party.to_owned(),
            contacts: self
                .catalog
                .parties
                .get(party)
                .map(|p| {
                    p.contacts
                        .iter()
                        .map(|c| format!("{} <{}>", c.name.node, c.email.node))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}
