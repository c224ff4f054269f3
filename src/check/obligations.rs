//! Obligations: who owes whom, in which tier, what is promised, and what it requires.

use std::collections::BTreeMap;

use crate::syntax::ast::{Ident, Obligation, PerSegment, RemedyRef, Segment, Span};

use super::graph::{Component, DependencyGraph};
use super::names::{Value, unknown_help};
use super::values::names_in;
use super::{CheckError, Checker};

impl<'a> Checker<'a> {
    pub(super) fn obligations(&mut self) {
        let all: Vec<&'a Obligation> = self.symbols.obligations.iter().map(|(_, o)| o).collect();
        for o in all {
            self.obligation(o);
        }
    }

    fn obligation(&mut self, o: &'a Obligation) {
        self.single_clause(&o.by, "by", |i| i.span);
        self.single_clause(&o.for_, "for", |i| i.span);
        self.single_clause(&o.tier, "tier", |i| i.span);
        self.single_clause(&o.promise, "promise", |c| c.span);
        self.single_clause(&o.deliver, "deliver", |d| d.span);
        self.single_clause(&o.bands, "bands", |b| b.span);
        self.single_clause(&o.per, "per", |p| p.span);

        let by = o.by.first();
        let for_ = o.for_.first();
        if by.is_none() {
            self.report(CheckError::MissingOwner {
                obligation: o.name.node.clone(),
                span: o.name.span.into(),
            });
        }
        if for_.is_none() {
            self.report(CheckError::MissingBeneficiary {
                obligation: o.name.node.clone(),
                span: o.name.span.into(),
            });
        }
        let by_known = by.is_some_and(|b| self.party(b));
        let for_known = for_.is_some_and(|f| self.party(f));
        if let (Some(b), Some(f), true, true) = (by, for_, by_known, for_known) {
            if b.node == f.node {
                self.report(CheckError::SameParty {
                    obligation: o.name.node.clone(),
                    party: b.node.clone(),
                    span: b.span.to(f.span).into(),
                });
            } else {
                self.tier_of(o, b, f);
            }
        }

        for required in &o.requires {
            self.obligation_ref(required);
        }

        match (o.promise.first(), o.deliver.first(), o.per.first()) {
            (None, None, None) if o.records.is_empty() => self.report(CheckError::MissingPromise {
                obligation: o.name.node.clone(),
                span: o.name.span.into(),
            }),
            (promise, Some(deliver), per) if promise.is_some() || per.is_some() => {
                let other = promise
                    .map(|p| p.span)
                    .or(per.map(|p| p.span))
                    .unwrap_or_default();
                self.report(CheckError::PromiseAndDeliverable {
                    obligation: o.name.node.clone(),
                    span: deliver.span.into(),
                    promise: other.into(),
                });
            }
            _ => {}
        }
        // Bands are held against a promise that checks; against one that does not
        // (a unit error), a contradiction would only repeat that error.
        let before = self.errors.len();
        for promise in &o.promise {
            self.comparison(promise);
        }
        let promise_checks = self.errors.len() == before;
        for per in &o.per {
            self.per_segment(per);
        }
        for bands in &o.bands {
            if !o.deliver.is_empty() {
                self.report(CheckError::BandsOnDeliverable {
                    span: bands.span.into(),
                });
            }
            self.bands(bands, o.promise.first().filter(|_| promise_checks));
        }
        for remedy in &o.remedy {
            self.remedy_ref(remedy);
        }
    }

    /// Reports every repetition of a clause that may appear once.
    pub(super) fn single_clause<T>(
        &mut self,
        clauses: &[T],
        clause: &'static str,
        span: impl Fn(&T) -> Span,
    ) {
        if let Some((first, rest)) = clauses.split_first() {
            for again in rest {
                self.report(CheckError::DuplicateClause {
                    clause,
                    span: span(again).into(),
                    first: span(first).into(),
                });
            }
        }
    }

    /// Finds the tier an obligation belongs to: named with `tier`, or the one declared
    /// tier that joins its two parties (in either direction).
    fn tier_of(&mut self, o: &'a Obligation, by: &'a Ident, for_: &'a Ident) {
        let joins = |from: &str, to: &str| {
            (from == by.node && to == for_.node) || (from == for_.node && to == by.node)
        };
        if let Some(named) = o.tier.first() {
            let Some(tier) = self.symbols.tiers.get(&named.node) else {
                if self.should_report_unknown(&named.node) {
                    let help = unknown_help(&named.node, "tier", self.symbols.tiers.names());
                    self.report(CheckError::UnknownTier {
                        name: named.node.clone(),
                        span: named.span.into(),
                        help,
                    });
                }
                return;
            };
            if !joins(&tier.from.node, &tier.to.node) {
                self.report(CheckError::TierMismatch {
                    obligation: o.name.node.clone(),
                    by: by.node.clone(),
                    for_: for_.node.clone(),
                    tier: tier.name.node.clone(),
                    from: tier.from.node.clone(),
                    to: tier.to.node.clone(),
                    span: named.span.into(),
                });
                return;
            }
            self.model
                .tiers
                .insert(o.name.node.clone(), tier.name.node.clone());
            return;
        }
        if self.symbols.tiers.is_empty() {
            self.model
                .tiers
                .insert(o.name.node.clone(), format!("{} -> {}", by.node, for_.node));
            return;
        }
        let matching: Vec<&str> = self
            .symbols
            .tiers
            .iter()
            .filter(|(_, t)| joins(&t.from.node, &t.to.node))
            .map(|(n, _)| n)
            .collect();
        match matching.as_slice() {
            [one] => {
                self.model
                    .tiers
                    .insert(o.name.node.clone(), (*one).to_owned());
            }
            [] => {
                let declared: Vec<String> = self
                    .symbols
                    .tiers
                    .iter()
                    .map(|(n, t)| format!("`{n}` ({} -> {})", t.from.node, t.to.node))
                    .collect();
                self.report(CheckError::NoTier {
                    obligation: o.name.node.clone(),
                    by: by.node.clone(),
                    for_: for_.node.clone(),
                    span: by.span.to(for_.span).into(),
                    help: format!(
                        "declare the tier, e.g. `tier {}_{} = {} -> {}`; declared tiers: {}",
                        by.node,
                        for_.node,
                        by.node,
                        for_.node,
                        declared.join(", ")
                    ),
                });
            }
            [first, ..] => self.report(CheckError::AmbiguousTier {
                obligation: o.name.node.clone(),
                tiers: matching
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                first: (*first).to_owned(),
                span: o.name.span.into(),
            }),
        }
    }

    /// Separate targets per segment value: every value once, no strangers, and the
    /// metrics compared are split by this segment.
    fn per_segment(&mut self, per: &'a PerSegment) {
        if per.targets.is_empty() {
            self.report(CheckError::EmptySegmentTargets {
                span: per.span.into(),
            });
        }
        let segment = if self.segment_ref(&per.segment) {
            self.symbols.segments.get(&per.segment.node)
        } else {
            None
        };
        for target in &per.targets {
            self.comparison(&target.promise);
            let Some(segment) = segment else { continue };
            for expr in [&target.promise.left, &target.promise.right] {
                for (name, span) in names_in(expr) {
                    let Some(Value::Metric(m)) = self.symbols.values.get(name) else {
                        continue;
                    };
                    if m.segment
                        .as_ref()
                        .is_some_and(|s| s.node == segment.name.node)
                    {
                        continue;
                    }
                    self.report(CheckError::SegmentMismatch {
                        metric: name.to_owned(),
                        segment: segment.name.node.clone(),
                        span: span.into(),
                        help: format!(
                            "declare the metric per segment: `metric {name}: … per {}`",
                            segment.name.node
                        ),
                    });
                }
            }
        }
        if let Some(segment) = segment
            && !per.targets.is_empty()
        {
            let values = per.targets.iter().map(|t| &t.value);
            self.each_value_once(segment, values, "target", per.segment.span, "…");
        }
    }

    /// Entries for the values of a segment (`per` targets, `within per` limits):
    /// each a value of the segment, none twice, and none of its values left out.
    pub(super) fn each_value_once(
        &mut self,
        segment: &'a Segment,
        entries: impl Iterator<Item = &'a Ident>,
        what: &'static str,
        span: Span,
        example: &str,
    ) {
        let declared: std::collections::HashSet<&str> =
            segment.values.iter().map(|v| v.node.as_str()).collect();
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for value in entries {
            if let Some(first) = seen.insert(&value.node, value.span) {
                self.report(CheckError::Duplicate {
                    what: if what == "target" {
                        "segment target"
                    } else {
                        "segment limit"
                    },
                    name: value.node.clone(),
                    span: value.span.into(),
                    first: first.into(),
                });
            }
            if !declared.contains(value.node.as_str()) {
                let values = segment.values.iter().map(|v| v.node.as_str());
                self.report(CheckError::UnknownSegmentValue {
                    value: value.node.clone(),
                    segment: segment.name.node.clone(),
                    span: value.span.into(),
                    help: unknown_help(&value.node, "segment value", values),
                });
            }
        }
        let missing: Vec<&str> = segment
            .values
            .iter()
            .map(|v| v.node.as_str())
            .filter(|v| !seen.contains_key(v))
            .collect();
        if let Some(first) = missing.first() {
            let listed: Vec<String> = missing.iter().map(|v| format!("`{v}`")).collect();
            self.report(CheckError::IncompleteSegment {
                segment: segment.name.node.clone(),
                what,
                missing: listed.join(", "),
                span: span.into(),
                help: format!(
                    "add a {what} for {}, e.g. `{first}: {example}`",
                    listed.join(", ")
                ),
            });
        }
    }

    /// A remedy named in an obligation or band, or an inline credit.
    pub(super) fn remedy_ref(&mut self, remedy: &'a RemedyRef) {
        match remedy {
            RemedyRef::Named(name) => {
                if self.symbols.remedies.contains(&name.node) {
                    self.used_remedies.insert(&name.node);
                } else if self.should_report_unknown(&name.node) {
                    if let Some(meant) =
                        crate::suggest::did_you_mean(&name.node, self.symbols.remedies.names())
                    {
                        self.used_remedies.insert(meant);
                    }
                    let help = unknown_help(&name.node, "remedy", self.symbols.remedies.names());
                    self.report(CheckError::UnknownRemedy {
                        name: name.node.clone(),
                        span: name.span.into(),
                        help,
                    });
                }
            }
            RemedyRef::Credit { amount, .. } => {
                self.credit(amount);
            }
        }
    }

    /// `requires` edges form a graph that must have no cycle.
    pub(super) fn requires_cycles(&mut self) {
        let mut graph = DependencyGraph::new();
        for (name, o) in self.symbols.obligations.iter() {
            graph.node(name);
            for required in &o.requires {
                if self.symbols.obligations.contains(&required.node) {
                    graph.edge(name, &required.node, required.span);
                }
            }
        }
        for component in graph.components() {
            if let Component::Cyclic(cycle, _) = component {
                self.report(CheckError::RequiresCycle {
                    path: cycle.path(),
                    links: cycle.labels("requires"),
                });
            }
        }
    }
}
