//! Judging one obligation in one period: promise, bands, per-row promises and
//! deliverables, with the remedy that applies and who answers for it.

use super::*;

impl<'a> Engine<'a> {
    pub(super) fn outcomes(
        &mut self,
        id: ObligationId,
        o: &'a Obligation,
        period: Period,
        values: &[Value],
        elapsed: Option<Elapsed>,
        out: &mut Vec<Outcome>,
    ) {
        match &o.promise {
            Promise::Deliver { every, span, .. } => {
                if let Some(outcome) = self.deliverable(id, o, *every, *span, period, elapsed) {
                    out.push(outcome);
                }
            }
            Promise::Rows(record) => match &record.within {
                Limit::Every(_) => {
                    out.push(self.judge_rows(id, o, record, None, period, values, elapsed));
                }
                // One outcome per segment value, each with its own limit and breaches.
                Limit::PerSegment { limits, .. } => {
                    for (value, _) in limits {
                        let segment = Some(value.as_str());
                        let judged =
                            self.judge_rows(id, o, record, segment, period, values, elapsed);
                        out.push(judged);
                    }
                }
            },
            Promise::Compare {
                promise,
                bands,
                per,
            } => {
                if let Some(promise) = promise {
                    let bands = bands.as_deref();
                    let judged = self.judge(id, o, promise, None, bands, period, values, elapsed);
                    out.push(judged);
                }
                for target in per {
                    let value = Some(target.value.as_str());
                    let judged =
                        self.judge(id, o, &target.promise, value, None, period, values, elapsed);
                    out.push(judged);
                }
            }
        }
    }

    pub(super) fn blank(&self, id: ObligationId, span: Span, unit: Unit) -> Outcome {
        let (id, tier, by, for_) = self
            .outcome_names
            .get(id.index())
            .cloned()
            .unwrap_or_else(|| (Arc::from(""), Arc::from(""), Arc::from(""), Arc::from("")));
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
            excused: false,
            missing: Vec::new(),
            pacing: None,
            rows: None,
            promise_span: span,
            promise: self.file.locate(span),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn judge(
        &mut self,
        id: ObligationId,
        o: &'a Obligation,
        c: &'a Comparison,
        segment: Option<&str>,
        bands: Option<&'a [Band]>,
        period: Period,
        values: &[Value],
        elapsed: Option<Elapsed>,
    ) -> Outcome {
        let (unit, accumulates) = self.measure(&c.left);
        let mut outcome = self.blank(id, c.span, unit);
        outcome.segment = segment.map(str::to_owned);
        outcome.comparison = Some(c.op.symbol());
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
            let on_track = to_date.is_some_and(|t| holds(c.op, actual, t));
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
        let promised = if holds(c.op, actual, target) {
            Status::Met
        } else {
            Status::Missed
        };
        outcome.status = promised;
        // With bands, the first that matches grades the period and brings its
        // remedy; the promise decides only for a band not named after a status.
        let mut band_remedy = None;
        if let Some(bands) = bands {
            for (i, band) in bands.iter().enumerate() {
                let matched = match &band.when {
                    None => true,
                    Some(w) => {
                        let l = self.eval(&w.left, values, segment, period);
                        let r = self.eval(&w.right, values, segment, period);
                        matches!((l, r), (Ok(l), Ok(r)) if holds(w.op, l, r))
                    }
                };
                if matched {
                    let names = self.band_names.get(id.index());
                    outcome.band = names.and_then(|n| n.get(i)).cloned();
                    outcome.status = match band.status {
                        BandStatus::Met => Status::Met,
                        BandStatus::AtRisk => Status::AtRisk,
                        BandStatus::Missed => Status::Missed,
                        BandStatus::Promise => promised,
                    };
                    band_remedy = band.remedy.as_ref();
                    break;
                }
            }
        }
        if outcome.status != Status::Met {
            let remedy = if bands.is_some() {
                band_remedy
            } else {
                o.remedy.as_ref()
            };
            outcome.remedy = remedy.map(|r| self.apply(o, r, values, period));
        }
        outcome
    }

    /// A promise over every row: met when the share of rows that complied reaches
    /// the promised share. In a running period, falling short is `at_risk`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn judge_rows(
        &mut self,
        id: ObligationId,
        o: &'a Obligation,
        record: &'a RecordPromise,
        segment: Option<&str>,
        period: Period,
        values: &[Value],
        elapsed: Option<Elapsed>,
    ) -> Outcome {
        let mut outcome = self.blank(id, record.span, Unit::Percent);
        outcome.segment = segment.map(str::to_owned);
        outcome.comparison = Some(">=");
        let target = record.at_least;
        outcome.target = Some(target);
        let key = (o.name.clone(), segment.map(str::to_owned));
        let tally = self
            .recorded
            .records
            .get(&key)
            .and_then(|by_period| by_period.get(&period));
        let Some(tally) = tally.filter(|t| t.rows > 0) else {
            let dataset = self
                .model
                .datasets
                .get(record.dataset.index())
                .map_or("", |d| d.name.as_str());
            outcome.missing = vec![match segment {
                Some(s) => format!("rows of `{dataset}` with segment value `{s}`"),
                None => format!("rows of `{dataset}`"),
            }];
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
            outcome.remedy = o.remedy.as_ref().map(|r| self.apply(o, r, values, period));
        }
        outcome
    }

    /// A deliverable is met when every slot of its cadence that starts in the period
    /// (and has ended, in a running period) has a delivery dated within it.
    pub(super) fn deliverable(
        &mut self,
        id: ObligationId,
        o: &'a Obligation,
        every: PeriodUnit,
        span: Span,
        period: Period,
        elapsed: Option<Elapsed>,
    ) -> Option<Outcome> {
        let mut outcome = self.blank(id, span, Unit::Deliveries);
        outcome.comparison = Some(">=");
        let cadence_slots: Vec<(Date, Date)> = if every <= self.model.period {
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
        let days = self.recorded.deliveries.get(&o.name);
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
            outcome.remedy = o.remedy.as_ref().map(|r| self.apply(o, r, &[], period));
        }
        Some(outcome)
    }

    pub(super) fn apply(
        &mut self,
        o: &'a Obligation,
        remedy: &'a RemedyUse,
        values: &[Value],
        period: Period,
    ) -> AppliedRemedy {
        let model = self.model;
        let (id, amounts): (Option<RemedyId>, Vec<&Expr>) = match remedy {
            RemedyUse::Credit(amount) => (None, vec![amount]),
            RemedyUse::Named(id) => (
                Some(*id),
                model
                    .remedies
                    .get(id.index())
                    .map(|r| r.credits.iter().collect())
                    .unwrap_or_default(),
            ),
        };
        let mut credit: Option<Decimal> = None;
        for amount in amounts {
            if let Ok(v) = self.eval(amount, values, None, period) {
                // An absurd sum is held at the largest amount rather than wrapped.
                let sum = credit.unwrap_or_default().checked_add(v);
                credit = Some(sum.unwrap_or(Decimal::MAX));
            }
        }
        let key = (id, o.owner);
        let template = match self.remedies.get(&key) {
            Some(t) => t.clone(),
            None => {
                let t = self.remedy_template(id, o.owner);
                self.remedies.insert(key, t.clone());
                t
            }
        };
        AppliedRemedy { credit, ..template }
    }

    /// Everything about a remedy that does not change from period to period.
    pub(super) fn remedy_template(&self, id: Option<RemedyId>, owner: PartyId) -> AppliedRemedy {
        let declared = id.and_then(|id| self.model.remedies.get(id.index()));
        let responsible: Vec<Responsible> = match (id, declared) {
            // An inline credit is owed by the obligation's owner.
            (None, _) => vec![self.responsible(owner)],
            (Some(_), Some(r)) => r.responsible.iter().map(|p| self.responsible(*p)).collect(),
            (Some(_), None) => Vec::new(),
        };
        AppliedRemedy {
            name: declared.map(|r| Arc::from(r.name.as_str())),
            actions: declared
                .map(|r| r.actions.clone())
                .unwrap_or_default()
                .into(),
            responsible: responsible.into(),
            strike_against: declared
                .map(|r| {
                    r.strikes
                        .iter()
                        .map(|against| self.model.party(against.unwrap_or(owner)).to_owned())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
                .into(),
            credit: None,
        }
    }

    pub(super) fn responsible(&self, party: PartyId) -> Responsible {
        Responsible {
            party: self.model.party(party).to_owned(),
            contacts: self
                .model
                .parties
                .get(party.index())
                .map(|p| p.contacts.iter().map(|c| c.written()).collect())
                .unwrap_or_default(),
        }
    }
}
